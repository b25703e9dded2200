"""The files under raw/ through the real ingest stage: inputs that change while it runs, copies
with conflicting manifest rows, folders too deep to list, padding and invisible characters."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.core.config import IngestParams, Params, Paths
from pipeline.core.stage import StageError, texts_path
from pipeline.ingest import stage
from pipeline.ingest.stage import ingest, run

FIRST = b"In 1961 Kennedy met Khrushchev in Vienna."
SECOND = b"In 1962 the missiles were found on Cuba."


def raw_folder(tmp_path: Path, files: dict[str, bytes], manifest: str | None = None) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in files.items():
        (raw / name).write_bytes(data)
    if manifest is not None:
        (raw / "manifest.csv").write_text(manifest)
    return raw


def after_the_first_read(monkeypatch, change) -> None:
    """Make ingest call `change(path of the first document read)` once it has read it."""
    reading = stage.read_in_processes

    def read_then_change(*args, **kwargs):
        outcomes = reading(*args, **kwargs)
        document, _ = first = next(outcomes)
        change(document.row["path"])
        yield first
        yield from outcomes

    monkeypatch.setattr(stage, "read_in_processes", read_then_change)


def edit_during_the_run(raw: Path, edit_read_one: bool, monkeypatch) -> str:
    """Run ingest, editing one file after the first document is read; the StageError message."""
    edited = []

    def edit(first: str) -> None:
        edited.append(first if edit_read_one else ({"a.txt", "b.txt"} - {first}).pop())
        (raw / edited[0]).write_bytes(b"In 1999 everything was different.")

    after_the_first_read(monkeypatch, edit)
    with pytest.raises(StageError) as err:
        ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    return str(err.value).replace(edited[0], "EDITED")


@pytest.mark.parametrize("edit_read_one", [True, False], ids=["after-reading", "before-reading"])
def test_a_file_edited_while_ingest_runs_fails_the_stage(tmp_path, edit_read_one, monkeypatch):
    raw = raw_folder(tmp_path, {"a.txt": FIRST, "b.txt": SECOND})
    assert edit_during_the_run(raw, edit_read_one, monkeypatch) == (
        "ingest: EDITED changed while ingest was running, so its outputs would not match "
        "them; nothing was written: run dvc repro again"
    )


def test_a_file_added_or_a_manifest_edited_while_ingest_runs_fails_the_stage(tmp_path, monkeypatch):
    raw = raw_folder(tmp_path, {"a.txt": FIRST, "b.txt": SECOND}, "path,title\na.txt,A\n")

    def add_and_edit(first: str) -> None:
        (raw / "c.txt").write_bytes(b"In 1963 the treaty.")
        (raw / "manifest.csv").write_text("path,title\na.txt,Another title\n")

    after_the_first_read(monkeypatch, add_and_edit)
    with pytest.raises(StageError, match=r"ingest: .*manifest\.csv, c\.txt changed while"):
        ingest(raw, IngestParams(manifest=raw / "manifest.csv"))


def test_a_failed_stage_writes_no_texts(tmp_path):
    raw = raw_folder(tmp_path, {"a.txt": FIRST})
    params = Params(
        paths=Paths(raw=raw, interim=tmp_path / "interim", outputs=tmp_path / "out"),
        ingest=IngestParams(manifest=raw / "manifest.csv"),
    )
    (raw / "manifest.csv").mkdir()  # any failure of the stage: nothing is left half-written
    with pytest.raises(StageError):
        run(params)
    assert not texts_path(params).exists()


def test_copies_with_conflicting_rows_keep_neither_row_and_each_is_a_reject(tmp_path):
    raw = raw_folder(
        tmp_path,
        {"open.txt": FIRST, "closed.txt": FIRST, "other.txt": SECOND},
        "path,title,licence\nopen.txt,Vienna,CC-BY-4.0\nclosed.txt,Vienna,All rights reserved\n",
    )
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    vienna = result.texts.set_index("path").loc["closed.txt"]
    assert list(vienna["paths"]) == ["closed.txt", "open.txt"]
    assert (vienna["title"], vienna["licence"]) == (None, None)
    rejects = dict(zip(result.rejects["path"], result.rejects["detail"], strict=True))
    assert rejects == {
        "manifest.csv line 2": "open.txt has the same bytes as closed.txt (line 3), but its "
        "licence differ: the document carries neither row until the rows agree",
        "manifest.csv line 3": "closed.txt has the same bytes as open.txt (line 2), but its "
        "licence differ: the document carries neither row until the rows agree",
    }


def test_copies_with_the_same_rows_keep_them(tmp_path):
    raw = raw_folder(
        tmp_path,
        {"a.txt": FIRST, "b.txt": FIRST},
        "path,title,licence\na.txt,Vienna,CC-BY-4.0\nb.txt,Vienna,CC-BY-4.0\n",
    )
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    assert list(result.texts["licence"]) == ["CC-BY-4.0"]
    assert result.rejects.empty


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_a_raw_folder_that_is_not_one_names_paths_raw(tmp_path, kind):
    raw = tmp_path / "raw"
    if kind == "a file":
        raw.write_text("not a folder")
    with pytest.raises(StageError) as err:
        ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    what = "does not exist" if kind == "missing" else "is not a folder"
    assert str(err.value) == (
        f"ingest: paths.raw is {raw}/, which {what}: create it and put the documents in it, "
        "or set paths.raw in params.yaml"
    )


def test_folders_deeper_than_the_path_limit_are_a_reject_not_a_crash(tmp_path):
    raw = raw_folder(tmp_path, {"a.txt": FIRST})
    folder = os.open(raw, os.O_RDONLY)
    for _ in range(24):  # 24 × 201 characters: more than PATH_MAX (4096)
        os.mkdir("d" * 200, dir_fd=folder)
        deeper = os.open("d" * 200, os.O_RDONLY, dir_fd=folder)
        os.close(folder)
        folder = deeper
    os.close(folder)
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    assert list(result.texts["path"]) == ["a.txt"]
    (reject,) = result.rejects.itertuples()
    assert reject.reason == "unreadable"
    assert reject.detail.endswith(
        "its path is longer than the system allows; move it higher up or shorten the names"
    )


def test_a_text_padded_with_nuls_is_a_document(tmp_path):
    raw = raw_folder(tmp_path, {"padded.txt": FIRST + b"\x00" * 64, "nuls.txt": b"\x00" * 64})
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    assert list(result.texts["text"]) == [FIRST.decode()]
    assert list(result.texts["repairs"].iloc[0]) == ["control_characters:64"]
    assert dict(zip(result.rejects["path"], result.rejects["reason"], strict=True)) == {
        "nuls.txt": "binary"
    }


def test_bidi_controls_are_stripped_and_offsets_index_the_stripped_text(tmp_path):
    hidden = "In 1961 \u2066Kennedy\u2069 met \u200fKhrushchev\u200e in \u202bVienna\u202c."
    raw = raw_folder(tmp_path, {"a.txt": hidden.encode()})
    document = ingest(raw, IngestParams(manifest=raw / "manifest.csv")).texts.iloc[0]
    assert document["text"] == "In 1961 Kennedy met Khrushchev in Vienna."
    assert document["text"][20:30] == "Khrushchev" and document["n_chars"] == 41
    assert list(document["repairs"]) == ["invisible_characters:6"]
