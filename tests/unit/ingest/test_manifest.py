"""raw/manifest.csv through the real ingest stage: each row describes exactly one file, and a
manifest that cannot be read stops the run with one line naming it and what to do."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import chronicle
from pipeline.core.config import IngestParams
from pipeline.core.stage import StageError
from pipeline.ingest.stage import Ingested, ingest

TEXT = b"In 1961 Kennedy met Khrushchev in Vienna."


def raw_folder(tmp_path: Path, files: dict[str, bytes], manifest: bytes | None) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    if manifest is not None:
        (raw / "manifest.csv").write_bytes(manifest)
    return raw


def run(raw: Path) -> Ingested:
    return ingest(raw, IngestParams(manifest=raw / "manifest.csv"))


def titles(result: Ingested) -> dict[str, str | None]:
    found = zip(result.texts["path"], result.texts["title"], strict=True)
    return {path: title if isinstance(title, str) else None for path, title in found}


def refused(result: Ingested) -> dict[str, str]:
    rows = result.rejects[result.rejects["reason"] == "manifest_error"]
    return dict(zip(rows["path"], rows["detail"], strict=True))


def one_line_error(raw: Path) -> str:
    with pytest.raises(StageError) as err:
        run(raw)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_a_backslash_in_a_row_is_not_a_folder_separator(tmp_path):
    raw = raw_folder(
        tmp_path,
        {"sub/b.txt": b"In 1962 the crisis began.", "sub\\b.txt": b"In 1963 the treaty."},
        b"path,title\nsub\\b.txt,Backslash name\nsub/b.txt,Slash name\n",
    )
    result = run(raw)
    assert titles(result) == {"sub/b.txt": "Slash name", "sub\\b.txt": "Backslash name"}
    assert refused(result) == {}


def test_a_windows_path_naming_no_file_says_how_to_write_it(tmp_path):
    raw = raw_folder(tmp_path, {"sub/b.txt": TEXT}, b"path,title\nsub\\b.txt,Meant for b\n")
    result = run(raw)
    assert titles(result) == {"sub/b.txt": None}
    assert refused(result) == {
        "manifest.csv line 2": "no file raw/sub\\b.txt "
        "(folders are separated by /: did you mean sub/b.txt?)"
    }


def test_a_row_matching_two_unicode_spellings_of_a_name_is_refused(tmp_path):
    composed, decomposed = "café.txt", unicodedata.normalize("NFD", "café.txt")
    raw = raw_folder(
        tmp_path,
        {composed: b"In 1962 the crisis began.", decomposed: b"In 1963 the treaty."},
        f"path,title\n{composed},Composed\n".encode(),
    )
    result = run(raw)
    assert titles(result) == {composed: None, decomposed: None}  # neither takes the row
    detail = refused(result)["manifest.csv line 2"]
    assert "matches 2 files whose names differ only in Unicode normalisation" in detail
    assert "'caf\\xe9.txt'" in detail and "'cafe\\u0301.txt'" in detail


def test_a_row_typed_composed_still_describes_a_file_stored_decomposed(tmp_path):
    decomposed = unicodedata.normalize("NFD", "café.txt")
    raw = raw_folder(tmp_path, {decomposed: TEXT}, "path,title\ncafé.txt,Typed\n".encode())
    assert titles(run(raw)) == {decomposed: "Typed"}


def test_a_stray_quote_stops_the_run_naming_its_line(tmp_path):
    raw = raw_folder(
        tmp_path,
        {"a.txt": TEXT, "b.txt": b"In 1962.", "c.txt": b"In 1963."},
        b'path,title\na.txt,"Vienna summit\nb.txt,Crisis\nc.txt,Treaty\n',
    )
    message = one_line_error(raw)
    assert message.endswith(
        "manifest.csv line 2: unexpected end of data; check the double quotes of that row "
        '(a quote inside a value is written "")'
    )


def test_a_row_spread_over_lines_by_quotes_is_refused_not_swallowed(tmp_path):
    raw = raw_folder(
        tmp_path,
        {"a.txt": TEXT, "b.txt": b"In 1962.", "c.txt": b"In 1963."},
        b'path,title,licence\na.txt,"Vienna summit,\nb.txt,Crisis",CC-BY-4.0\nc.txt,Treaty,\n',
    )
    result = run(raw)
    assert titles(result) == {"a.txt": None, "b.txt": None, "c.txt": "Treaty"}
    assert refused(result)["manifest.csv line 2"].startswith(
        "lines 2-3 were read as one row: a value holds a line break"
    )


def test_a_title_of_hundreds_of_characters_is_refused(tmp_path):
    title = "Vienna summit " * 30
    raw = raw_folder(tmp_path, {"a.txt": TEXT}, f"path,title\na.txt,{title}\n".encode())
    result = run(raw)
    assert titles(result) == {"a.txt": None}
    assert (
        "the title is 419 characters long, more than 300" in refused(result)["manifest.csv line 2"]
    )


def test_manifest_values_lose_control_and_invisible_characters(tmp_path):
    raw = raw_folder(
        tmp_path,
        {"a.txt": TEXT},
        "path,title,licence\na.txt,Vienna\x00 \u202esummit\x07,CC-BY\u200b-4.0\t\n".encode(),
    )
    document = run(raw).texts.iloc[0]
    assert (document["title"], document["licence"]) == ("Vienna summit", "CC-BY-4.0")


@pytest.mark.parametrize("value", ["20050601", "2005-W10-1", "2005-06-01T00:00", "２００５-06-01"])
def test_published_is_exactly_yyyy_mm_dd_on_every_python(tmp_path, value):
    raw = raw_folder(tmp_path, {"a.txt": TEXT}, f"path,published\na.txt,{value}\n".encode())
    result = run(raw)
    assert result.texts.iloc[0]["published"] is None
    assert refused(result) == {
        "manifest.csv line 2": f"a.txt: published '{value}' is not a date in YYYY-MM-DD form"
    }


def test_chronicle_add_takes_the_same_published_parser(tmp_path, monkeypatch):
    (tmp_path / "params.yaml").write_text("paths: {raw: raw}\n")
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "speech.txt"
    source.write_bytes(TEXT)
    result = CliRunner().invoke(chronicle, ["add", str(source), "--published", "20050601"])
    assert result.exit_code == 1
    assert "published '20050601' is not a date in YYYY-MM-DD form" in result.stderr
    assert not (tmp_path / "raw" / "speech.txt").exists()


def test_a_manifest_that_is_a_link_is_refused_unread(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("path,SECRET-FIRST-LINE\n")
    raw = raw_folder(tmp_path, {"a.txt": TEXT}, None)
    (raw / "manifest.csv").symlink_to(secret)
    message = one_line_error(raw)
    assert "manifest.csv is a symbolic link, and links are not followed" in message
    assert "SECRET" not in message


def test_a_manifest_that_is_a_folder_stops_the_run_in_one_line(tmp_path):
    raw = raw_folder(tmp_path, {"a.txt": TEXT}, None)
    (raw / "manifest.csv").mkdir()
    message = one_line_error(raw)
    assert message.endswith(
        "manifest.csv is a folder: the manifest must be a CSV file; "
        "move it away or set ingest.manifest"
    )


def test_an_empty_manifest_says_what_to_write(tmp_path):
    raw = raw_folder(tmp_path, {"a.txt": TEXT}, b"\n")
    message = one_line_error(raw)
    assert message.endswith(
        "manifest.csv is empty: write the header line "
        "path,title,source_url,published,licence,anchor_mode and a row per file, or delete it"
    )
