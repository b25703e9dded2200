"""Check: two revisions of the code publish byte-identical data from the same documents.

Builds a git repository per side (an export of a revision's tree, or a copy of a working
tree), runs `dvc repro publish` in each, and compares the sha256 of every file under outputs/
(strictly) and data/interim/ (by file name, for information: a restructure may move them).
The card, report and Croissant state the git commit, which differs whenever the trees do:
a file that is equal once each side's commit (and pipeline version) is masked is counted as
provenance-only, not as a failure. A column's description is documentation, not data: a
Parquet file whose rows and types are equal and whose column descriptions changed, and a
metadata file whose changed lines are those descriptions (or the checksums and sizes of such
Parquet files), are counted as descriptions-only (and the changed descriptions are listed).

    python -m benchmarks.same_bytes --base REV [--head REV-or-worktree]
        [--corpus sample|bbc100|both] [--data ../shared/data] [--keep DIR]

Prints a table per corpus, writes ``benchmarks/results/same-bytes.json`` and exits 1 when a
published file differs for any other reason. Not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "benchmarks" / "results"
PER_CATEGORY = 20
"""bbc100: the first 20 articles (by file name) of each of the five BBC categories."""
IDENTITY = {"NAME": "same-bytes", "EMAIL": "same-bytes@example.org", "DATE": "2024-01-01T00:00:00Z"}
FIXED_GIT = {
    f"GIT_{who}_{key}": value for who in ("AUTHOR", "COMMITTER") for key, value in IDENTITY.items()
}
"""Same tree, same commit: identical code on both sides then gives identical provenance too."""
FAILING = {"different", "only in base", "only in head"}


def descriptions(path: Path) -> dict[str, str]:
    """Each column's description, as a Parquet file's Arrow schema holds it."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    return {
        field.name: (field.metadata or {}).get(b"description", b"").decode() for field in schema
    }


def same_rows(files: dict[str, Path]) -> bool:
    """Whether two Parquet files hold the same rows with the same types (metadata aside)."""
    import pyarrow.parquet as pq

    base, head = (pq.read_table(files[side]) for side in ("base", "head"))
    return base.schema.equals(head.schema, check_metadata=False) and base.equals(head)


def changed_descriptions(repos: dict[str, Path]) -> dict[str, dict[str, str]]:
    """`table.column` -> {"base": old, "head": new} for every column whose description changed."""
    changed = {}
    for path in sorted((repos["base"] / "outputs").glob("*.parquet")):
        other = repos["head"] / "outputs" / path.name
        if not other.exists():
            continue
        old, new = descriptions(path), descriptions(other)
        for column in old.keys() & new.keys():
            if old[column] != new[column]:
                changed[f"{path.stem}.{column}"] = {"base": old[column], "head": new[column]}
    return changed


CHECKSUM_LINE = re.compile(r'^[-+] \s*"(?:sha256|contentSize)": ')
"""A file's checksum or size in croissant.json: it changes with the file's descriptions."""


def only_descriptions(data: dict[str, bytes], changed: dict[str, dict[str, str]]) -> bool:
    """Whether every differing line holds a changed description, a checksum or a size.

    A description must be the old one on the base side and the new one on the head side.
    """
    import difflib

    texts = {side: [d[side] for d in changed.values()] for side in ("base", "head")}
    lines = {side: data[side].decode("utf-8", "replace").splitlines() for side in data}
    diff = difflib.ndiff(lines["base"], lines["head"])
    for line in diff:
        side = {"- ": "base", "+ ": "head"}.get(line[:2])
        if CHECKSUM_LINE.match(line):
            continue
        if side and not any(text and text in line for text in texts[side]):
            return False
    return bool(changed)


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Output of a git command, failing loudly."""
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def export(revision: str, dest: Path) -> None:
    """The tree of `revision` (a commit of this repository), as `git archive` gives it."""
    archive = subprocess.run(
        ["git", "archive", revision], cwd=PROJECT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def copy_worktree(source: Path, dest: Path) -> None:
    """The files `git archive` would export if `source`'s working tree were committed.

    Tracked and new unignored files, so the copy holds whatever the pipeline needs (a list
    of names would miss a file a restructure adds); ignored files (.venv, caches) stay out.
    """
    for name in git(source, "ls-files", "-z", "-co", "--exclude-standard").split("\0"):
        path = source / name
        if name and "__pycache__" not in path.parts and (path.is_file() or path.is_symlink()):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest / name, follow_symlinks=False)


def snapshot(side: str, dest: Path) -> Path:
    """The files of `side`, taken once: every corpus then runs the same code (a tree may change)."""
    dest.mkdir(parents=True)
    if Path(side).is_dir():
        copy_worktree(Path(side), dest)
    else:
        export(side, dest)
    return dest


def make_repo(code: Path, dest: Path, documents: dict[str, Path] | None) -> str:
    """A committed repository of `code`, with `documents` as raw/ if given; its commit."""
    shutil.copytree(code, dest, symlinks=True)
    if documents is not None:
        shutil.rmtree(dest / "raw", ignore_errors=True)
        for relative, source in documents.items():
            (dest / "raw" / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest / "raw" / relative)
    env = dict(os.environ, **FIXED_GIT)
    git(dest, "init", "-q", env=env)
    git(dest, "add", "-A", env=env)
    git(dest, "-c", "commit.gpgsign=false", "commit", "-qm", "same-bytes", env=env)
    return git(dest, "rev-parse", "HEAD")


def repro(repo: Path) -> float:
    """Seconds of `dvc repro publish` in `repo`, run as tests/helpers.py `run` does."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = dict(os.environ, PATH=path, DVC_NO_ANALYTICS="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPATH", None)
    command = [sys.executable, "-m", "dvc", "repro", "publish"]  # each side's own dvc.yaml
    start = time.perf_counter()
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"dvc repro publish failed in {repo}:\n{result.stdout}{result.stderr}")
    return round(time.perf_counter() - start, 1)


def digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by path relative to it."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def provenance(repo: Path, commit: str) -> list[bytes]:
    """What the card, report and Croissant state of the build: its commit and pipeline version."""
    found = re.search(r'^version\s*=\s*"([^"]+)"', (repo / "pyproject.toml").read_text(), re.M)
    return [commit.encode(), commit[:12].encode()] + ([found[1].encode()] if found else [])


def verdict(
    files: dict[str, Path], masks: dict[str, list[bytes]], changed: dict[str, dict[str, str]]
) -> str:
    """same, provenance-only, descriptions-only or different (see the module docstring)."""
    data = {side: path.read_bytes() for side, path in files.items()}
    if data["base"] == data["head"]:
        return "same"
    for side, strings in masks.items():
        for string in strings:
            data[side] = data[side].replace(string, b"<provenance>")
    if data["base"] == data["head"]:
        return "provenance-only"
    if files["base"].suffix == ".parquet":
        return "descriptions-only" if changed and same_rows(files) else "different"
    if files["base"].suffix in (".md", ".json", ".html") and only_descriptions(data, changed):
        return "descriptions-only"
    return "different"


def compare(
    repos: dict[str, Path], commits: dict[str, str]
) -> tuple[dict, dict, list[str], dict[str, dict[str, str]]]:
    """Verdicts for outputs/ (by path) and data/interim/ (by name); files stating the commit."""
    masks = {side: provenance(repo, commits[side]) for side, repo in repos.items()}
    changed = changed_descriptions(repos)
    out = {side: digests(repo / "outputs") for side, repo in repos.items()}
    outputs, embeds = {}, []
    for name in sorted(out["base"].keys() | out["head"].keys()):
        files = {side: repo / "outputs" / name for side, repo in repos.items()}
        if missing := [side for side in files if name not in out[side]]:
            outputs[name] = f"only in {'base' if missing == ['head'] else 'head'}"
            continue
        outputs[name] = verdict(files, masks, changed)
        if any(masks[side][1] in path.read_bytes() for side, path in files.items()):
            embeds.append(name)
    by_name: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"base": [], "head": []})
    for side, repo in repos.items():
        for path, digest in digests(repo / "data" / "interim").items():
            by_name[Path(path).name][side].append(digest)
    interim = {
        name: "same" if sorted(d["base"]) == sorted(d["head"]) else "different"
        for name, d in sorted(by_name.items())
    }
    return outputs, interim, embeds, changed


def bbc100(data: Path) -> dict[str, Path] | None:
    """raw/-relative path -> article, read in place; None when the corpus is absent."""
    root = data / "corpus" / "bbc"
    if not root.is_dir():
        return None
    categories = sorted(p for p in root.iterdir() if p.is_dir())
    return {
        str(f.relative_to(root)): f
        for category in categories
        for f in sorted(category.glob("*.txt"))[:PER_CATEGORY]
    }


def describe(side: str) -> dict[str, str | bool]:
    """What a side is: a revision and its commit, or a working tree, its HEAD and whether dirty."""
    tree = Path(side)
    if tree.is_dir():
        commit, dirty = git(tree, "rev-parse", "HEAD"), bool(git(tree, "status", "--porcelain"))
        return {"worktree": str(tree.resolve()), "commit": commit, "dirty": dirty}
    return {"revision": side, "commit": git(PROJECT, "rev-parse", side)}


def run_corpus(corpus: str, code: dict[str, Path], documents: dict | None, work: Path) -> dict:
    """Build, run and compare both sides on one corpus; print its table."""
    repos = {side: work / corpus / side for side in code}
    commits = {side: make_repo(code[side], repos[side], documents) for side in code}
    seconds = {side: repro(repos[side]) for side in code}
    outputs, interim, embeds, changed = compare(repos, commits)
    print(f"\n{corpus}: dvc repro publish base {seconds['base']} s, head {seconds['head']} s")
    width = max(map(len, outputs)) + 10
    print(f"  {'file':<{width}} verdict")
    for name, said in outputs.items():
        note = " (equal with commit and version masked)" if said == "provenance-only" else ""
        print(f"  {'outputs/' + name:<{width}} {said}{note}")
    odd = [name for name, said in interim.items() if said != "same"]
    same = f"{len(interim) - len(odd)} same, {len(odd)} different {odd or ''}".rstrip()
    print(f"  data/interim by file name (information, not failing): {same}")
    print(f"  published files stating the git commit: {', '.join(embeds) or 'none'}")
    for column, texts in changed.items():
        print(f"  description of {column}:\n    base: {texts['base']}\n    head: {texts['head']}")
    count = len(documents) if documents is not None else "raw/ of each side"
    facts = {"documents": count, "seconds": seconds, "temp_commits": commits}
    return {
        **facts,
        "outputs": outputs,
        "interim_by_name": interim,
        "stating_commit": embeds,
        "changed_descriptions": changed,
    }


def main() -> None:
    """Compare both sides on each corpus; print, save, and fail on a non-provenance difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the revision to compare against")
    parser.add_argument("--head", default=str(PROJECT), help="a revision or a working tree")
    parser.add_argument("--corpus", choices=["sample", "bbc100", "both"], default="both")
    parser.add_argument("--data", type=Path, default=PROJECT.parent / "shared" / "data")
    parser.add_argument("--keep", type=Path, help="build the repositories here and keep them")
    args = parser.parse_args()
    sides = {"base": args.base, "head": args.head}
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    results = {"date": now, **{side: describe(rev) for side, rev in sides.items()}, "corpora": {}}
    print(f"base: {results['base']}\nhead: {results['head']}")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep.resolve() if args.keep else Path(tmp)
        code = {side: snapshot(rev, work / f"{side}-code") for side, rev in sides.items()}
        for corpus in ["sample", "bbc100"] if args.corpus == "both" else [args.corpus]:
            documents = bbc100(args.data) if corpus == "bbc100" else None
            if corpus == "bbc100" and documents is None:
                print(f"\nbbc100: skipped, no corpus at {args.data / 'corpus' / 'bbc'}")
                continue
            results["corpora"][corpus] = run_corpus(corpus, code, documents, work)
    verdicts = [v for c in results["corpora"].values() for v in c["outputs"].values()]
    same, provenance = verdicts.count("same"), verdicts.count("provenance-only")
    described = verdicts.count("descriptions-only")
    print(
        f"\n{same} identical, {len(verdicts) - same} different "
        f"({provenance} provenance-only, {described} descriptions-only)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "same-bytes.json").write_text(json.dumps(results, indent=2) + "\n")
    if FAILING & set(verdicts):
        sys.exit(1)


if __name__ == "__main__":
    main()
