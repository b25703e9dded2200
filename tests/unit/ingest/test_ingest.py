"""Ingest rules on inline bytes and a temporary raw/ folder."""

import codecs
import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.core.cache import DocCache
from pipeline.core.config import IngestParams, Params, Paths
from pipeline.core.io import read_table, write_rows
from pipeline.core.stage import StageError, texts_path
from pipeline.ingest.decoding import decode, html_to_text
from pipeline.ingest.manifest import parse_manifest_row
from pipeline.ingest.read import guess_title
from pipeline.ingest.repairs import clean_text
from pipeline.ingest.report import RejectError, Report
from pipeline.ingest.stage import FRAGMENTS, ingest, ingest_into, run
from pipeline.ingest.store import stage_version
from schemas import TABLES, arrow_schema


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
    assert cleaned.repairs == {"unicode_nfc": 1, "control_characters": 1, "invisible_characters": 1}


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("Brezhnev – 1964".encode(), "utf-8"),
        (codecs.BOM_UTF8 + "Brezhnev – 1964".encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "Brezhnev – 1964".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Brezhnev – 1964".encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + "Brezhnev – 1964".encode("utf-32-le"), "utf-32"),
        ("Brezhnev in 1964".encode("utf-16-le"), "utf-16"),  # no BOM: half the bytes are NUL
    ],
)
def test_decode_known_encodings(raw, encoding):
    decoded = decode(raw)
    assert (decoded.text.replace(" in ", " – "), decoded.encoding) == ("Brezhnev – 1964", encoding)


def test_latin1_and_windows_1252_are_read_as_windows_1252():
    decoded = decode("Khrouchtchev à Vienne, été 1961, déjà célèbre.".encode("latin-1"))
    assert decoded.text == "Khrouchtchev à Vienne, été 1961, déjà célèbre."
    assert decoded.encoding == "cp1252"
    quotes = decode("He said \u201csaved\u201d \u2013 in 1962.".encode("cp1252"))
    assert quotes.text == "He said \u201csaved\u201d \u2013 in 1962."


def test_cyrillic_code_page_is_kept():
    russian = "Карибский кризис — период в отношениях между СССР и США в октябре 1962 года."
    decoded = decode(russian.encode("cp1251"))
    assert decoded.text == russian
    assert decoded.encoding == "cp1251"


def test_utf8_with_stray_windows_1252_bytes_keeps_every_character():
    raw = "Khrushchev – 1964: ".encode() + "caf\xe9 \x93saved\x94".encode("latin-1")
    decoded = decode(raw)
    assert decoded.text == "Khrushchev – 1964: café \u201csaved\u201d"
    assert decoded.encoding == "utf-8"
    assert decoded.repairs == {"invalid_utf8_bytes": 3}


@pytest.mark.parametrize(
    "raw",
    [
        b"%PDF-1.7\n...",
        b"\x89PNG\r\n\x1a\n....",
        b"PK\x03\x04zip",
        b"text\x00with\x00nuls",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_files_are_rejected(raw):
    with pytest.raises(RejectError) as err:
        decode(raw)
    assert err.value.reason == "binary"


def test_html_text_skips_scripts_and_decodes_entities_once():
    text, title = html_to_text(
        "<html><head><title>Crisis &amp; After</title>"
        "<script>alert('x')</script></head><body><p>In 1962 &ndash; "
        "missiles &amp;lt;b&amp;gt;.</p><p>Then talks.</p></body></html>"
    )
    assert title == "Crisis & After"
    assert "alert" not in text
    assert "In 1962 – missiles &lt;b&gt;." in text and "Then talks." in text


def test_html_without_closing_head_keeps_its_body():
    text, title = html_to_text("<html><head><title>T</title><body><p>Body text 1962.")
    assert title == "T"
    assert "Body text 1962." in text


def test_title_is_a_heading_line_only():
    assert (
        guess_title("Ad sales boost profit\n\nQuarterly profits rose.") == "Ad sales boost profit"
    )
    assert guess_title("It is worth reflecting.\nMore.") is None
    assert guess_title("Cuba 1962\n\nText.") == "Cuba 1962"


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
    raw = make_raw(
        tmp_path,
        {
            "essay.txt": b"In 1964 Khrushchev was replaced.",
            "copy of essay.txt": b"In 1964 Khrushchev was replaced.",
            "empty.txt": b"  \n ",
            "scan.pdf": b"%PDF-1.4",
            "notes.md": b"# Notes\n\nMarch 1962.",
            "page.html": b"<p>May 1, 1960</p>",
            ".hidden.txt": b"not read",
        },
        manifest="path,published,anchor_mode\nessay.txt,2022-10-27,news\n",
    )
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    texts, rejects = result.texts, result.rejects
    assert sorted(texts["path"]) == ["essay.txt", "notes.md", "page.html"]
    assert dict(zip(rejects["path"], rejects["reason"], strict=True)) == {
        ".hidden.txt": "hidden",
        "empty.txt": "empty",
        "scan.pdf": "unsupported_type",
    }
    essay = texts.set_index("path").loc["essay.txt"]
    assert essay["published"] == dt.date(2022, 10, 27)
    assert essay["anchor_mode"] == "news"
    assert essay["paths"] == ["copy of essay.txt", "essay.txt"]  # one doc_id, both paths
    report = result.report.as_dict()
    assert report["inputs"] == 7 == report["document_files"] + report["rejected_files"]
    assert (report["documents"], report["duplicate_files"]) == (3, 1)


def test_the_described_copy_of_a_duplicate_is_the_document(tmp_path):
    raw = make_raw(
        tmp_path,
        {
            "a.txt": b"In 1961 Kennedy met Khrushchev in Vienna.",
            "z.txt": b"In 1961 Kennedy met Khrushchev in Vienna.",
        },
        manifest="path,title\nz.txt,Vienna summit\n",
    )
    texts = ingest(raw, IngestParams(manifest=raw / "manifest.csv")).texts
    assert list(texts["path"]) == ["z.txt"]
    assert list(texts["title"]) == ["Vienna summit"]
    assert list(texts["paths"].iloc[0]) == ["a.txt", "z.txt"]


def test_empty_files_with_the_same_bytes_are_each_rejected(tmp_path):
    raw = make_raw(tmp_path, {"a.txt": b"", "b.txt": b"", "c.txt": b"\n\n"})
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    assert dict(zip(result.rejects["path"], result.rejects["reason"], strict=True)) == {
        "a.txt": "empty",
        "b.txt": "empty",
        "c.txt": "empty",
    }
    assert "same bytes as a.txt" in result.rejects.set_index("path").loc["b.txt", "detail"]


def test_manifest_rows_outside_raw_or_missing_are_refused(tmp_path):
    raw = make_raw(
        tmp_path,
        {"a.txt": b"In 1961."},
        manifest=(
            "path,published\n../secret.txt,\n/etc/passwd,\nmissing.txt,\na.txt,not-a-date\na.txt,\n"
        ),
    )
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    rejects = result.rejects.set_index("path")["detail"]
    assert "outside raw/" in rejects["manifest.csv line 2"]
    assert "outside raw/" in rejects["manifest.csv line 3"]
    assert "no file raw/missing.txt" in rejects["manifest.csv line 4"]
    assert "not a date" in rejects["manifest.csv line 5"]
    assert set(result.rejects["reason"]) == {"manifest_error"}
    assert list(result.texts["path"]) == ["a.txt"]  # a bad manifest row does not lose the file
    assert result.report.as_dict()["manifest_rows_rejected"] == 4


def test_a_published_day_that_does_not_exist_is_named_as_such(tmp_path):
    raw = make_raw(tmp_path, {"a.txt": b"In 1961."}, manifest="path,published\na.txt,2021-02-30\n")
    detail = ingest(raw, IngestParams(manifest=raw / "manifest.csv")).rejects["detail"].iloc[0]
    assert (
        detail
        == "a.txt: published '2021-02-30': that day does not exist (February 2021 has 28 days)"
    )


def test_documents_in_news_mode_without_a_date_are_counted(tmp_path):
    raw = make_raw(
        tmp_path,
        {
            "a.txt": b"Yesterday the talks ended.",
            "b.txt": b"Today it rained.",
            "c.txt": b"In 1961.",
        },
        manifest="path,published,anchor_mode\na.txt,,news\nb.txt,2021-03-01,news\nc.txt,,narrative\n",
    )
    report = ingest(raw, IngestParams(manifest=raw / "manifest.csv")).report
    assert report.news_without_published == ["a.txt"]
    assert report.as_dict()["news_without_published"] == 1


def test_a_manifest_row_listing_a_file_twice_is_refused(tmp_path):
    raw = make_raw(
        tmp_path, {"a.txt": b"In 1961."}, manifest="path,title\na.txt,First\n./a.txt,Second\n"
    )
    result = ingest(raw, IngestParams(manifest=raw / "manifest.csv"))
    assert list(result.texts["title"]) == ["First"]
    assert "already described on line 2" in result.rejects["detail"].iloc[0]


def test_a_manifest_anchor_mode_must_be_news_or_narrative():
    with pytest.raises(RejectError, match=r"a\.txt: anchor_mode 'daily' must be news or narrative"):
        parse_manifest_row({"path": "a.txt", "anchor_mode": "daily"})
    assert parse_manifest_row({"path": "a.txt", "anchor_mode": " news "})[1].anchor_mode == "news"
    assert parse_manifest_row({"path": "a.txt", "anchor_mode": ""})[1].anchor_mode is None


def test_a_manifest_that_is_not_utf8_stops_with_its_name(tmp_path):
    raw = make_raw(tmp_path, {"a.txt": b"In 1961."})
    (raw / "manifest.csv").write_bytes("path,title\na.txt,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(StageError, match=r"manifest\.csv is not UTF-8 \(byte 20\)"):
        ingest(raw, IngestParams(manifest=raw / "manifest.csv"))


def test_doc_ids_do_not_depend_on_file_names_or_order(tmp_path):
    one = make_raw(tmp_path / "one", {"a.txt": b"Text A 1961.", "b.txt": b"Text B 1962."})
    two = make_raw(tmp_path / "two", {"z.txt": b"Text B 1962.", "y.txt": b"Text A 1961."})
    ids_one = set(ingest(one, IngestParams(manifest=one / "m.csv")).texts["doc_id"])
    ids_two = set(ingest(two, IngestParams(manifest=two / "m.csv")).texts["doc_id"])
    assert ids_one == ids_two


def run_ingest(tmp_path: Path, raw: Path, batch_size: int = 64) -> Params:
    params = Params(
        paths=Paths(raw=raw, interim=tmp_path / "interim", outputs=tmp_path / "out"),
        ingest=IngestParams(manifest=raw / "manifest.csv", batch_size=batch_size),
    )
    run(params)
    return params


def test_texts_are_written_in_row_groups_in_doc_id_order(tmp_path):
    files = {
        f"doc{i:02}.txt": f"Document {i} was written in {1900 + i}.".encode() for i in range(10)
    }
    params = run_ingest(tmp_path, make_raw(tmp_path, files), batch_size=3)
    parquet = pq.ParquetFile(texts_path(params))
    assert parquet.metadata.num_row_groups == 4  # 3 + 3 + 3 + 1
    texts = read_table(texts_path(params))
    assert list(texts["doc_id"]) == sorted(texts["doc_id"])
    report = json.loads((params.paths.interim / "ingest" / "report.json").read_text())
    assert report["inputs"] == report["documents"] == 10


def test_output_bytes_do_not_depend_on_file_creation_order(tmp_path):
    files = {
        f"doc{i:02}.txt": f"Document {i} was written in {1900 + i}.".encode() for i in range(12)
    }
    forward = make_raw(tmp_path / "a", files)
    backward = make_raw(tmp_path / "b", dict(reversed(files.items())))
    first = run_ingest(tmp_path / "a", forward, batch_size=5)
    second = run_ingest(tmp_path / "b", backward, batch_size=5)
    assert texts_path(first).read_bytes() == texts_path(second).read_bytes()


def test_rejects_are_written_sorted_by_path_with_the_published_types(tmp_path):
    rows = [
        {"path": "notes/b.bin", "sha256": "0" * 64, "reason": "binary", "detail": "NUL bytes"},
        {"path": "a.txt", "sha256": None, "reason": "unsupported_type", "detail": ".exe"},
    ]
    target = tmp_path / "rejects.parquet"
    write_rows(rows, TABLES["rejects"], target)
    table = pq.read_table(target)
    assert table.column("path").to_pylist() == ["a.txt", "notes/b.bin"]
    assert table.column("sha256").to_pylist() == [None, "0" * 64]
    assert table.schema.equals(arrow_schema(TABLES["rejects"]), check_metadata=True)


def test_documents_read_once_are_kept_and_follow_their_manifest_row(tmp_path):
    raw = make_raw(
        tmp_path,
        {
            "a.txt": b"Ships left Lund on 3 May 1901.",
            "b.txt": b"The port reopened in June.",
            "copy-of-b.txt": b"The port reopened in June.",
        },
    )
    params = IngestParams(manifest=raw / "manifest.csv")

    def read(cache: Path) -> tuple[list[dict], dict[str, int]]:
        store = DocCache(cache, stage_version(params), FRAGMENTS)
        ingest_into(raw, params, Report(), store, tmp_path / "texts.parquet")
        return pq.read_table(tmp_path / "texts.parquet").to_pylist(), store.counts()

    first, counts = read(tmp_path / "cache")
    assert counts == {"reused": 0, "computed": 2, "corrupt": 0, "stale_removed": 0}
    assert first == read(tmp_path / "fresh-1")[0]
    (raw / "manifest.csv").write_text("path,title\na.txt,Ships leave Lund\n")
    (raw / "copy-of-b.txt").unlink()
    (raw / "c.txt").write_bytes(b"A third document.")
    again, counts = read(tmp_path / "cache")  # a: new title; b: one path fewer; c: new
    assert counts == {"reused": 0, "computed": 3, "corrupt": 0, "stale_removed": 0}
    (raw / "manifest.csv").write_text("path,title\na.txt,Ships leave Lund\nc.txt,Third\n")
    again, counts = read(tmp_path / "cache")
    assert counts == {"reused": 2, "computed": 1, "corrupt": 0, "stale_removed": 0}
    assert again == read(tmp_path / "fresh-2")[0]  # as if read afresh
    assert {d["title"] for d in again} == {"Ships leave Lund", "Third", None}
    assert [d["paths"] for d in again if "b.txt" in d["paths"]] == [["b.txt"]]


def test_every_file_extension_reads_as_a_media_type_of_the_contract():
    from pipeline.ingest.discover import MEDIA_TYPE_BY_SUFFIX
    from schemas.vocabularies import MEDIA_TYPES

    assert set(MEDIA_TYPE_BY_SUFFIX.values()) == set(MEDIA_TYPES)
