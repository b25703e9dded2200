"""Incremental re-runs, the Dask engine and segmented parsing, each against a full local run.

Every test compares published bytes: a faster or distributed path must give exactly the
tables of a plain run from scratch.
"""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline.core.cache import read_index
from pipeline.nlp.stage import Segment, batches, segments
from tests.support.helpers import digests, dvc, make_repo, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"

pytestmark = pytest.mark.slow


def add_fixture_corpus(repo: Path) -> None:
    """Copy the fixture documents into raw/ and their rows into the manifest."""
    lines = (FIXTURES / "manifest.csv").read_text().splitlines()
    for line in lines[1:]:
        shutil.copy2(FIXTURES / line.split(",")[0], repo / "raw")
    with (repo / "raw" / "manifest.csv").open("a") as manifest:
        manifest.write("\n".join(lines[1:]) + "\n")


def set_params(repo: Path, **sections: dict) -> None:
    """Change params.yaml in a test repository."""
    path = repo / "params.yaml"
    params = yaml.safe_load(path.read_text())
    for section, values in sections.items():
        params[section].update(values)
    path.write_text(yaml.safe_dump(params))


def commit(repo: Path) -> None:
    run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    run(repo, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")


def run_log(repo: Path, stage: str) -> dict:
    return json.loads((repo / "data" / "cache" / "runs" / f"{stage}.json").read_text())


def nlp_report(repo: Path) -> dict:
    return json.loads((repo / "data" / "cache" / "runs" / "nlp.json").read_text())


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample and the fixture corpus, built once with the local engine."""
    repo = make_repo(tmp_path_factory.mktemp("local") / "repo")
    add_fixture_corpus(repo)
    commit(repo)
    dvc(repo, "repro")
    return repo


def test_fixture_corpus_is_all_published(local_run):
    import pandas as pd

    documents = pd.read_parquet(local_run / "outputs" / "documents.parquet")
    assert len(documents) == 5
    storm = documents[documents["path"] == "storm-warning.html"].iloc[0]
    assert storm["title"] == "Storm warning for the coast"
    assert "tracking" not in storm["text"]  # the page's script is not text
    timexes = pd.read_parquet(local_run / "outputs" / "timexes.parquet")
    signed = timexes[timexes["text"] == "14 June 1889"]
    assert list(signed["value"]) == ["1889-06-14"]
    sentences = pd.read_parquet(local_run / "outputs" / "sentences.parquet")
    heading = sentences[sentences["text"] == "The river treaty of 1889"].iloc[0]
    assert heading["is_heading"] and heading["section"] == "The river treaty of 1889"
    events = pd.read_parquet(local_run / "outputs" / "events.parquet")
    assert heading["sentence_id"] not in set(events["sentence_id"])  # its date dates no event


CACHED_STAGES = ("ingest", "nlp", "timexes", "events")


def shard_files(repo: Path) -> dict[str, int]:
    """Every cache shard's inode, by path: a rewritten shard (atomic replace) has a new one."""
    cache = repo / "data" / "cache"
    return {
        str(p.relative_to(cache)): p.stat().st_ino
        for stage in CACHED_STAGES
        for p in sorted((cache / stage / "shards").glob("*.pack"))
    }


def doc_ids(repo: Path) -> dict[str, str]:
    """Each raw file's doc_id, from the published documents table."""
    import pandas as pd

    documents = pd.read_parquet(repo / "outputs" / "documents.parquet", columns=["doc_id", "path"])
    return dict(zip(documents["path"], documents["doc_id"], strict=True))


def test_incremental_rerun_redoes_only_changed_documents(local_run, tmp_path):
    # One edit, one removal and one addition: each stage redoes and rewrites only what they
    # touch, and every published, interim and cached file is the same as from scratch.
    repo = tmp_path / "incremental"
    shutil.copytree(local_run, repo, symlinks=True)
    before, ids_before = shard_files(repo), doc_ids(repo)
    (repo / "raw" / "observatory.md").write_text(
        (repo / "raw" / "observatory.md").read_text().replace("in March 2027", "in May 2027")
    )
    (repo / "raw" / "harbour-bridge.txt").unlink()
    (repo / "raw" / "late-news.txt").write_text(
        "Ferries to Lund resumed on Saturday, two days after the storm, the port said.\n"
    )
    dvc(repo, "repro")
    assert nlp_report(repo)["parsed"] == 2  # the edited and the added document, nothing else
    assert nlp_report(repo)["cache"]["stale_removed"] == 2  # old observatory, harbour bridge
    assert run_log(repo, "ingest")["cache"] == {
        "reused": 3,
        "computed": 2,
        "corrupt": 0,
        "stale_removed": 2,
    }  # files read the same way
    checked = run_log(repo, "validate")["groups_checked"]  # pandera saw the two new documents
    assert (checked["documents"], checked["sentences"]) == (2, 2)
    ids_after = doc_ids(repo)
    touched = {
        ids_before["observatory.md"],
        ids_after["observatory.md"],
        ids_before["harbour-bridge.txt"],
        ids_after["late-news.txt"],
    }
    after = shard_files(repo)
    rewritten = {
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    }
    assert (
        rewritten
        == {  # the shards of the documents' old and new ids, in each stage
            f"{stage}/shards/{doc_id[4:6]}.pack" for stage in CACHED_STAGES for doc_id in touched
        }
    )

    scratch = make_repo(tmp_path / "scratch")  # the same corpus, from nothing
    shutil.rmtree(scratch / "raw")
    shutil.copytree(repo / "raw", scratch / "raw")
    dvc(scratch, "repro")
    assert nlp_report(scratch)["parsed"] == 5
    assert digests(repo / "outputs") == digests(scratch / "outputs")
    assert digests(repo / "data" / "interim") == digests(scratch / "data" / "interim")
    for stage in CACHED_STAGES:
        assert digests(repo / "data" / "cache" / stage) == digests(
            scratch / "data" / "cache" / stage
        ), stage


def flip_a_byte(path: Path, where: float, entry: str | None = None) -> None:
    """Damage a cache shard: one byte `where` of the way through it, or through an entry."""
    raw = bytearray(path.read_bytes())
    start, length = 0, len(raw)
    if entry is not None:
        located = read_index(path)[entry]
        start, length = located.offset, located.length
    raw[start + int(length * where)] ^= 0xFF
    path.write_bytes(bytes(raw))


def shard_of_document(repo: Path, stage: str, doc_id: str) -> Path:
    return repo / "data" / "cache" / stage / "shards" / f"{doc_id[4:6]}.pack"


def test_corrupt_cache_entries_are_recomputed(local_run, tmp_path):
    # Headers are intact. ingest reads every entry for its table and finds the damage there;
    # the stages with fragments see that the shard changed since they packed it and read it
    # whole. A damaged shard index costs the entries of that shard only.
    repo = tmp_path / "corrupt"
    shutil.copytree(local_run, repo, symlinks=True)
    first, second, *_, last = sorted(doc_ids(repo).values())
    nlp_shard = shard_of_document(repo, "nlp", first)
    flip_a_byte(nlp_shard, 0.8, first)  # deep in the parse
    events_shard = shard_of_document(repo, "events", last)
    flip_a_byte(events_shard, 0.9, last)  # in the rows
    ingest_shard = sorted((repo / "data" / "cache" / "ingest" / "shards").glob("*.pack"))[0]
    flip_a_byte(ingest_shard, 0.5, next(iter(read_index(ingest_shard))))  # in the text
    timexes_shard = shard_of_document(repo, "timexes", second)
    in_timexes_shard = len(read_index(timexes_shard))
    raw = bytearray(timexes_shard.read_bytes())
    raw[-45] ^= 0xFF  # in its index, just before the footer
    timexes_shard.write_bytes(bytes(raw))
    result = dvc(repo, "repro", "--force", "events")  # and the stages before it
    said = result.stdout + result.stderr
    for stage in ("nlp", "events"):  # shards changed since packed are read whole at once
        assert said.count(f"in data/cache/{stage} is corrupt") == 1, stage
    assert "is damaged (its index does not match its checksum)" in result.stdout + result.stderr
    assert run_log(repo, "ingest")["cache"] == {
        "reused": 4,
        "computed": 1,
        "corrupt": 1,
        "stale_removed": 0,
    }
    assert run_log(repo, "nlp")["cache"] == {
        "reused": 4,
        "computed": 1,
        "corrupt": 1,
        "stale_removed": 0,
    }
    assert run_log(repo, "timexes")["cache"]["corrupt"] == in_timexes_shard
    assert run_log(repo, "timexes")["cache"]["computed"] == in_timexes_shard
    assert run_log(repo, "events")["cache"]["corrupt"] == 1
    assert run_log(repo, "events")["cache"]["computed"] == 1
    dvc(repo, "repro")
    assert digests(repo / "outputs") == digests(local_run / "outputs")
    for stage in CACHED_STAGES:  # every damaged shard rebuilt as it was
        assert digests(repo / "data" / "cache" / stage) == digests(
            local_run / "data" / "cache" / stage
        ), stage


def test_dask_engine_gives_the_local_tables(local_run, tmp_path):
    # Every per-document stage runs as Dask tasks (their task names are on the scheduler),
    # and every published and interim file is the same bytes as the local engine's.
    from pipeline.core.engine import local_cluster

    repo = tmp_path / "dask"
    shutil.copytree(
        local_run, repo, symlinks=True, ignore=shutil.ignore_patterns("data", "outputs")
    )
    with local_cluster(n_workers=2) as cluster:
        set_params(
            repo, engine={"kind": "dask", "address": cluster.scheduler_address, "partition_size": 2}
        )
        dvc(repo, "repro")
        tasks = set(cluster.scheduler.task_prefixes)
    assert {"read_groups", "parse_partition", "tag_documents", "extract_documents"} <= tasks
    assert nlp_report(repo)["parsed"] == 5
    assert digests(repo / "outputs") == digests(local_run / "outputs")
    assert digests(repo / "data" / "interim") == digests(local_run / "data" / "interim")


def test_segmented_parse_keeps_offsets_into_the_text():
    text = "First paragraph here.\n\nSecond one, a bit longer.\n\nThird." * 40
    bounds = segments(text, 1000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    assert all(end - start <= 1000 for start, end in bounds)
    assert all(text[end - 2 : end] == "\n\n" for _, end in bounds[:-1])  # cut at paragraphs


def test_batches_are_bounded_by_count_and_characters():
    lengths = [400, 400, 400, 2500, 100, 100, 100, 100, 100]
    parts = [Segment(f"doc_{i}", 0, 1, 0, "", "x" * n) for i, n in enumerate(lengths)]
    sizes = [[len(s.text) for s in batch] for batch in batches(parts, 4, 1000)]
    assert sizes == [[400, 400], [400], [2500], [100, 100, 100, 100], [100]]


def test_long_document_in_segments_gives_the_same_tables(local_run, tmp_path):
    repo = tmp_path / "segmented"
    shutil.copytree(
        local_run, repo, symlinks=True, ignore=shutil.ignore_patterns("data", "outputs")
    )
    # the fixture texts exceed 1000 characters; a batch of 1000 holds one segment
    set_params(repo, nlp={"max_segment_chars": 1000, "batch_chars": 1000})
    dvc(repo, "repro")
    for table in ("timexes", "events", "entities"):
        assert (
            digests(repo / "outputs")[f"{table}.parquet"]
            == digests(local_run / "outputs")[f"{table}.parquet"]
        ), table


def test_dvc_parses_its_lock_file_with_libyaml():
    # `dvc repro` parses dvc.lock dozens of times. ruamel.yaml 0.19 uses libyaml's C parser
    # only when ruamel.yaml.clib is installed, and otherwise falls back silently to a pure-
    # Python parser that is five times slower (0.4 s more on every repro of this pipeline).
    from ruamel.yaml import YAML

    assert YAML(typ="safe").Parser.__module__.startswith("ruamel.yaml.clib")
