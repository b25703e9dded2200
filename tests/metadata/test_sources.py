"""No text of a gold corpus is copied into the code, its tests or its docs.

TimeBank and AQUAINT (TempEval-3 train), the CoNLL-2003 Reuters text and the BBC News
articles are licensed for research use only and must never be redistributed with this
repository; WikiWars (CC BY-SA) and TempEval-3 platinum (CC BY) may be quoted only in small,
attributed fixtures under `tests/fixtures/`. The rules of the tagger and the event extractor
are tested with sentences we write, never with a corpus's sentences, so that a test shows a
general rule of English rather than one article's wording. A run of 8 words shared with a
corpus is taken as a quote: rewrite it as an invented sentence of the same shape.
See `../shared/data/SOURCES.md` for the sources and licences.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
RUN = 8
"""Words in a run shared with a corpus that count as a quote; shorter runs are common English."""

WORD = re.compile(r"[A-Za-z0-9]+(?:[.,'-][A-Za-z0-9]+)*")
TAG = re.compile(r"<[^>]+>")

CORPORA: dict[str, tuple[str, tuple[str, ...], str]] = {
    "TempEval-3 train (TimeBank, AQUAINT)": ("tempeval3/train", ("*.tml",), "timeml"),
    "TempEval-3 platinum": ("tempeval3/platinum", ("*.tml",), "timeml"),
    "WikiWars dev": ("tempeval-narrative/wikiwars-dev", ("**/*.sgm", "**/*.xml"), "timeml"),
    "CoNLL-2003": ("ner/conll2003", ("eng.*",), "conll"),
    "BBC News": ("corpus/bbc", ("**/*.txt",), "text"),
}
"""Corpus name: (folder under the shared data path, file patterns, format)."""

CHECKED_DIRS = ("pipeline", "tests", "docs")
CHECKED_FILES = ("README.md", "CHANGELOG.md")
EXCLUDED_DIRS = ("tests/fixtures/",)


def words(text: str) -> list[str]:
    """The lowercased word tokens of a text."""
    return [w.lower() for w in WORD.findall(text)]


def runs(tokens: list[str]) -> Iterator[tuple[str, ...]]:
    """Every run of `RUN` consecutive tokens."""
    return (tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1))


def corpus_text(path: Path, form: str) -> str:
    """The running text of one corpus file: tags stripped, or a CoNLL file's first column."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    if form == "conll":
        lines = (line.split(" ", 1)[0] for line in raw.splitlines() if line.strip())
        return " ".join(t for t in lines if t != "-DOCSTART-")
    if form == "timeml":
        return TAG.sub(" ", raw)
    return raw


def committed_files() -> list[Path]:
    """The committed text files under the checked folders, fixtures left out."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--", *CHECKED_DIRS, *CHECKED_FILES, "benchmarks/*.py"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the committed files cannot be listed")
    names = [n for n in listed.stdout.split("\0") if n and not n.startswith(EXCLUDED_DIRS)]
    files = []
    for name in names:
        path = PROJECT / name
        if path.is_file() and b"\0" not in path.read_bytes()[:8192]:
            files.append(path)
    return files


@pytest.fixture(scope="session")
def repo_runs() -> dict[str, dict[int, tuple[str, ...]]]:
    """Each committed text file's runs, keyed by hash, read once per session."""
    out = {}
    for path in committed_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        out[str(path.relative_to(PROJECT))] = {hash(r): r for r in runs(words(text))}
    return out


@pytest.fixture(scope="session")
def corpus_hashes(shared_data: Path) -> dict[str, set[int]]:
    """Hashes of every run in each gold corpus present, read once per session."""
    out: dict[str, set[int]] = {}
    for name, (folder, patterns, form) in CORPORA.items():
        found = {p for pattern in patterns for p in (shared_data / folder).glob(pattern)}
        files = sorted(p for p in found if p.is_file())
        if files:
            out[name] = {hash(r) for f in files for r in runs(words(corpus_text(f, form)))}
    return out


@pytest.mark.parametrize("corpus", list(CORPORA))
def test_no_committed_text_quotes_a_gold_corpus(corpus, corpus_hashes, repo_runs, shared_data):
    if corpus not in corpus_hashes:
        folder = shared_data / CORPORA[corpus][0]
        pytest.skip(f"{corpus} is not at {folder} (set CHRONICLE_SHARED_DATA to check it)")
    gold = corpus_hashes[corpus]
    quotes = [
        f"{name} shares with {corpus}: {' '.join(run)!r}"
        for name, file_runs in sorted(repo_runs.items())
        for key, run in file_runs.items()
        if key in gold
    ]
    assert not quotes, (
        f"{len(quotes)} run(s) of {RUN} words copied from a gold corpus; rewrite each as an "
        "invented sentence of the same shape (see this module's docstring):\n" + "\n".join(quotes)
    )
