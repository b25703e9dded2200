"""Ingest rules on inline bytes and a temporary raw/ folder."""

import codecs
import datetime as dt
from pathlib import Path

import pytest

from pipeline.config import IngestParams
from pipeline.ingest import (
    RejectError,
    clean_text,
    decode,
    guess_title,
    html_to_text,
    ingest,
)


def test_doubled_csv_quotes_are_halved_and_counted():
    cleaned = clean_text('In this way, Khrushchev ""saved"" Cuba.')
    assert cleaned.text == 'In this way, Khrushchev "saved" Cuba.'
    assert cleaned.repairs == {"doubled_quotes": 1}


def test_whitespace_and_newlines_are_normalised():
    cleaned = clean_text("First  line\u00a0here \r\nsecond\tline\r\n\r\n\r\n\r\nnext")
    assert cleaned.text == "First line here\nsecond line\n\nnext"
    assert cleaned.repairs["newlines"] == 5


def test_unicode_is_composed_and_controls_removed():
    cleaned = clean_text("Cafe\u0301\x07 au lait\u200b")
    assert cleaned.text == "Café au lait"
    assert cleaned.repairs["control_characters"] == 2


@pytest.mark.parametrize(("raw", "encoding"), [
    ("Brezhnev – 1964".encode(), "utf-8"),
    (codecs.BOM_UTF8 + "Brezhnev – 1964".encode(), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + "Brezhnev – 1964".encode("utf-16-le"), "utf-16"),
])
def test_decode_known_encodings(raw, encoding):
    assert decode(raw) == ("Brezhnev – 1964", encoding)


def test_latin1_is_guessed_not_rejected():
    text, encoding = decode("Khrouchtchev à Vienne, été 1961, déjà célèbre.".encode("latin-1"))
    assert "été 1961" in text
    assert encoding != "utf-8"


@pytest.mark.parametrize("raw", [b"%PDF-1.7\n...", b"\x89PNG\r\n\x1a\n....", b"PK\x03\x04zip",
                                 b"text\x00with\x00nuls"])
def test_binary_files_are_rejected(raw):
    with pytest.raises(RejectError) as err:
        decode(raw)
    assert err.value.reason == "binary"


def test_html_text_skips_scripts_and_decodes_entities():
    text, title = html_to_text("<html><head><title>Crisis &amp; After</title>"
                               "<script>alert('x')</script></head><body><p>In 1962 &ndash; "
                               "missiles.</p><p>Then talks.</p></body></html>")
    assert title == "Crisis & After"
    assert "alert" not in text
    assert "In 1962 – missiles." in text and "Then talks." in text


def test_title_is_a_heading_line_only():
    assert guess_title("Ad sales boost profit\n\nQuarterly profits rose.", "text/plain") == \
        "Ad sales boost profit"
    assert guess_title("It is worth reflecting.\nMore.", "text/plain") is None
    assert guess_title("# Cuba 1962\n\nText.", "text/markdown") == "Cuba 1962"


def make_raw(tmp_path: Path, files: dict[str, bytes], manifest: str | None = None) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir(parents=True)
    for name, data in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(data)
    if manifest is not None:
        (raw / "manifest.csv").write_text(manifest, encoding="utf-8")
    return raw


def test_every_file_ends_as_document_or_reject(tmp_path):
    raw = make_raw(tmp_path, {
        "essay.txt": b"In 1964 Khrushchev was replaced.",
        "copy of essay.txt": b"In 1964 Khrushchev was replaced.",
        "empty.txt": b"  \n ",
        "scan.pdf": b"%PDF-1.4",
        "notes.md": b"# Notes\n\nMarch 1962.",
        "page.html": b"<p>May 1, 1960</p>",
        ".hidden.txt": b"not read",
    }, manifest="path,published,anchor_mode\nessay.txt,2022-10-27,news\n")
    texts, rejects = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    assert sorted(texts["path"]) == ["essay.txt", "notes.md", "page.html"]
    assert dict(zip(rejects["path"], rejects["reason"], strict=True)) == {
        "copy of essay.txt": "duplicate", "empty.txt": "empty", "scan.pdf": "unsupported_type"}
    essay = texts.set_index("path").loc["essay.txt"]
    assert essay["published"] == dt.date(2022, 10, 27)
    assert essay["anchor_mode"] == "news"
    assert "essay.txt" in rejects.set_index("path").loc["copy of essay.txt", "detail"]


def test_manifest_rows_outside_raw_or_missing_are_refused(tmp_path):
    raw = make_raw(tmp_path, {"a.txt": b"In 1961."}, manifest=(
        "path,published\n../secret.txt,\nmissing.txt,\na.txt,not-a-date\n"))
    texts, rejects = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    details = " | ".join(rejects["detail"])
    assert "outside" in details and "no file" in details and "not a date" in details
    assert set(rejects["reason"]) == {"manifest_error"}
    assert list(texts["path"]) == ["a.txt"]  # a bad manifest row does not lose the file


def test_doc_ids_do_not_depend_on_file_names_or_order(tmp_path):
    one = make_raw(tmp_path / "one", {"a.txt": b"Text A 1961.", "b.txt": b"Text B 1962."})
    two = make_raw(tmp_path / "two", {"z.txt": b"Text B 1962.", "y.txt": b"Text A 1961."})
    ids_one = set(ingest(one, IngestParams(manifest=one / "m.csv"))[0]["doc_id"])
    ids_two = set(ingest(two, IngestParams(manifest=two / "m.csv"))[0]["doc_id"])
    assert ids_one == ids_two
