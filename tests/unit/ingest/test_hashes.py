"""The hashes a run records for the next (`pipeline.ingest.hashes`): which are trusted, which
are taken again, and that the tables never depend on the record."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from pipeline.core.cache import DocCache
from pipeline.core.config import IngestParams
from pipeline.core.stage import StageError
from pipeline.ingest import stage
from pipeline.ingest.discover import scan, stamp_of
from pipeline.ingest.hashes import MTIME, KnownHashes, read_known, verified, write_known
from pipeline.ingest.report import Report
from pipeline.ingest.stage import FRAGMENTS, ingest_into
from pipeline.ingest.store import stage_version

KENNEDY = b"In 1961 Kennedy met Khrushchev in Vienna."
CUBA = b"In 1962 the missiles were found on Cuba."
TREATY = b"In 1963 the test ban treaty was signed in Moscow."
HOUR_NS = 3600 * 10**9


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def raw_folder(root: Path, files: dict[str, bytes], age_ns: int = HOUR_NS) -> Path:
    """A raw/ folder of `files`, each last modified `age_ns` ago (old enough to be trusted)."""
    raw = root / "raw"
    raw.mkdir(parents=True)
    for name, data in files.items():
        write(raw / name, data, age_ns)
    return raw


def write(path: Path, data: bytes, age_ns: int = HOUR_NS) -> None:
    path.write_bytes(data)
    then = time.time_ns() - age_ns
    os.utime(path, ns=(then, then))


def scanned(raw: Path, known: KnownHashes | None = None):
    return scan(raw, IngestParams(manifest=raw / "manifest.csv"), Report(), known)


def record_of(raw: Path, checked_ns: int | None = None) -> KnownHashes:
    """What a run that checked the files at `checked_ns` (now by default) would record."""
    first = scanned(raw)
    return verified(raw, first.found, first.stamps, checked_ns or time.time_ns())


def hashes(result) -> dict[str, str]:
    return {item.path: item.sha256 for item in result.found}


def test_files_as_recorded_are_not_read_and_keep_their_hash(tmp_path):
    raw = raw_folder(tmp_path, {"a.txt": KENNEDY, "b.txt": CUBA})
    again = scanned(raw, record_of(raw))
    assert again.hashed == set()
    assert hashes(again) == {"a.txt": sha(KENNEDY), "b.txt": sha(CUBA)}


def test_an_edited_file_whose_size_and_time_changed_is_hashed_again(tmp_path):
    raw = raw_folder(tmp_path, {"a.txt": KENNEDY, "b.txt": CUBA})
    known = record_of(raw)
    write(raw / "a.txt", TREATY, age_ns=HOUR_NS // 2)
    again = scanned(raw, known)
    assert again.hashed == {"a.txt"}
    assert hashes(again) == {"a.txt": sha(TREATY), "b.txt": sha(CUBA)}


def test_an_edit_whose_size_and_mtime_were_put_back_is_hashed_again(tmp_path):
    """As `cp -p` over the file, or `touch -d`, would leave it: only the change time tells."""
    raw = raw_folder(tmp_path, {"a.txt": KENNEDY})
    known = record_of(raw)
    before = (raw / "a.txt").stat()
    time.sleep(0.05)  # past the file system's clock tick, so the change time moves
    (raw / "a.txt").write_bytes(KENNEDY.replace(b"Vienna", b"Geneva"))  # same size
    os.utime(raw / "a.txt", ns=(before.st_atime_ns, before.st_mtime_ns))
    again = scanned(raw, known)
    assert again.hashed == {"a.txt"}
    assert hashes(again) == {"a.txt": sha(KENNEDY.replace(b"Vienna", b"Geneva"))}


def test_a_file_with_its_recorded_stamp_but_modified_near_the_check_is_hashed_again(tmp_path):
    """An edit in the clock tick of the check would leave the stamp as recorded: not trusted."""
    raw = raw_folder(tmp_path, {"a.txt": KENNEDY}, age_ns=0)
    stamp = stamp_of((raw / "a.txt").lstat())
    lie = "0" * 64  # had the record been trusted, a.txt would get this hash
    mtime_ns = stamp[MTIME]
    near = KnownHashes(str(raw.resolve()), mtime_ns + 10**9, {"a.txt": (stamp, lie)})
    assert hashes(scanned(raw, near)) == {"a.txt": sha(KENNEDY)}
    later = KnownHashes(str(raw.resolve()), mtime_ns + 3 * 10**9, {"a.txt": (stamp, lie)})
    assert hashes(scanned(raw, later)) == {"a.txt": lie}  # old enough: the record is taken


def test_a_record_of_another_raw_folder_is_ignored(tmp_path):
    first = raw_folder(tmp_path / "one", {"a.txt": KENNEDY})
    other = tmp_path / "two" / "raw"
    shutil.copytree(first, other)  # same names and times, another folder
    write_known(tmp_path / "hashes.json", record_of(first))
    assert read_known(tmp_path / "hashes.json", first).files
    assert read_known(tmp_path / "hashes.json", other) == KnownHashes()
    assert scanned(other, read_known(tmp_path / "hashes.json", other)).hashed == {"a.txt"}


@pytest.mark.parametrize(
    "text",
    [
        "",
        '{"format": 1, "raw": "',
        "[1, 2]",
        '{"format": 99, "raw": "RAW", "checked_ns": 0, "files": {}}',
        '{"format": 1, "raw": "RAW", "checked_ns": 0, "files": {"a.txt": [1, 2, 3, 4, 5, "x"]}}',
        '{"format": 1, "raw": "RAW", "checked_ns": "soon", "files": {}}',
    ],
    ids=["empty", "truncated", "not-a-record", "other-format", "bad-sha256", "bad-time"],
)
def test_a_record_that_cannot_be_used_means_hashing_everything(tmp_path, text):
    raw = raw_folder(tmp_path, {"a.txt": KENNEDY})
    record = tmp_path / "hashes.json"
    record.write_text(text.replace("RAW", str(raw.resolve())))
    assert read_known(record, raw) == KnownHashes()
    assert read_known(tmp_path / "missing.json", raw) == KnownHashes()


def run_ingest(raw: Path, cache: Path, target: Path) -> DocCache:
    params = IngestParams(manifest=raw / "manifest.csv")
    store = DocCache(cache, stage_version(params), FRAGMENTS)
    ingest_into(raw, params, Report(), store, target)
    return store


def test_an_edit_rerun_reads_only_the_edited_file_and_gives_the_tables_from_scratch(
    tmp_path, monkeypatch
):
    raw = raw_folder(tmp_path, {"a.txt": KENNEDY, "b.txt": CUBA, "c.txt": TREATY})
    store = run_ingest(raw, tmp_path / "cache", tmp_path / "first.parquet")
    stale = tmp_path / "stale.json"
    shutil.copy(store.run_record("hashes"), stale)
    write(raw / "a.txt", KENNEDY + b" They spoke for hours.", age_ns=HOUR_NS // 2)
    (raw / "b.txt").unlink()
    write(raw / "d.txt", CUBA + b" Then they were removed.", age_ns=HOUR_NS // 2)
    read: list[str] = []
    reading = stage.current_sha256

    def counted(path: Path) -> str | None:
        read.append(path.name)
        return reading(path)

    monkeypatch.setattr(stage, "current_sha256", counted)
    run_ingest(raw, tmp_path / "cache", tmp_path / "edited.parquet")
    assert sorted(read) == ["a.txt", "d.txt"]  # checked again: the files this run hashed
    shutil.copy(stale, store.run_record("hashes"))  # a record older than the last edits
    run_ingest(raw, tmp_path / "cache", tmp_path / "stale.parquet")
    run_ingest(raw, tmp_path / "scratch", tmp_path / "scratch.parquet")
    scratch = (tmp_path / "scratch.parquet").read_bytes()
    assert (tmp_path / "edited.parquet").read_bytes() == scratch
    assert (tmp_path / "stale.parquet").read_bytes() == scratch


def test_a_file_edited_during_a_run_that_trusted_its_hash_fails_the_stage(tmp_path, monkeypatch):
    raw = raw_folder(tmp_path, {"a.txt": KENNEDY, "b.txt": CUBA})
    run_ingest(raw, tmp_path / "cache", tmp_path / "texts.parquet")
    write(raw / "c.txt", TREATY)  # a new file, so that this run reads one
    reading = stage.read_in_processes

    def read_then_edit(*args, **kwargs):
        yield from reading(*args, **kwargs)
        (raw / "a.txt").write_bytes(KENNEDY.replace(b"Vienna", b"Geneva"))  # same size

    monkeypatch.setattr(stage, "read_in_processes", read_then_edit)
    with pytest.raises(StageError, match=r"ingest: a\.txt changed while ingest was running"):
        run_ingest(raw, tmp_path / "cache", tmp_path / "texts.parquet")
