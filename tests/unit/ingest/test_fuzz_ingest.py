"""Property tests: any bytes in, a document or a reject out, never an exception.

Hypothesis generates raw bytes, text in many encodings with and without byte-order marks,
binary signatures glued to text, hostile file names and whole raw/ folders, and checks that
ingest, the text repairs and the temporal normaliser never raise and keep their promises.
"""

from __future__ import annotations

import codecs
import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.config import IngestParams
from pipeline.ingest.decoding import BINARY_SIGNATURES
from pipeline.ingest.manifest import ManifestEntry
from pipeline.ingest.read import read_document
from pipeline.ingest.repairs import clean_text
from pipeline.ingest.report import RejectError
from pipeline.ingest.stage import ingest
from pipeline.timexes.temporal import edtf, interval, is_valid_value, normalise, precision_of, tag
from schemas.fields import REJECT_REASONS

ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "latin-1",
    "cp1251",
    "gbk",
    "shift_jis",
    "koi8-r",
]
EXTENSIONS = [".txt", ".md", ".html", ".htm", ".pdf", ".TXT", ""]
NOISE = [
    "\x00",
    "\r",
    "\r\n",
    "\u2028",
    "\ufeff",
    "\u202e",
    '""',
    "-\n",
    "\x1b",
    "\ud7ff",
    "<script>",
    "&amp;",
    "&#0;",
    "&#xD800;",
    "=cmd|",
    "thenUnited",
    "\u0301",
]

WORDS = [
    "In",
    "1962",
    "Khrushchev",
    "then",
    "United",
    "States",
    "pro",
    "inter-",
    "national",
    "crise",
    "été",
    "Карибский",
    "危机",
    " ",
    " ",
    "\n",
    ".",
    ",",
    "well-",
    "known",
    "McDonald",
    "iPhone",
    "«",
    "»",
    "—",
    "\t",
]
texts = st.lists(
    st.one_of(
        st.text(max_size=40), st.sampled_from(NOISE), st.sampled_from(WORDS), st.sampled_from(WORDS)
    ),
    max_size=60,
).map("".join)


@st.composite
def encoded_text(draw: st.DrawFn) -> bytes:
    """Text (with hostile bits mixed in) in a random encoding, or random bytes, or a mix."""
    text = draw(texts)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text.encode(encoding, errors="replace")
    prefix = draw(
        st.sampled_from(
            [b""] * 20
            + [*BINARY_SIGNATURES, codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE]
        )
    )
    cut = draw(st.sampled_from([0] * 6 + [1, 2, 3]))
    tail = draw(st.sampled_from([b""] * 6 + [b"\xff", b"\x00", b"\xe2\x80"]))
    return prefix + (data[:-cut] if cut else data) + tail


any_bytes = st.one_of(st.binary(max_size=3000), encoded_text(), encoded_text(), encoded_text())
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff\u202d\u202e\r]")
PARAMS = IngestParams(max_chars=2000)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_bytes, st.sampled_from(EXTENSIONS))
def test_any_bytes_become_a_document_or_a_reject(data, extension):
    try:
        document = read_document(f"file{extension}", data, ManifestEntry(), PARAMS)
    except RejectError as err:
        assert err.reason in REJECT_REASONS
        assert err.detail
        return
    row = document.row
    text = row["text"]
    assert text and text == text.strip()
    assert row["n_chars"] == len(text) <= PARAMS.max_chars
    assert not CONTROL.search(text), repr(text)
    assert unicodedata.is_normalized("NFC", text)
    assert "\n\n\n" not in text
    assert re.fullmatch(r"[a-z]{2,3}", row["language"])
    assert re.fullmatch(r"doc_[0-9a-f]{16}", row["doc_id"])
    assert all(re.fullmatch(r"[a-z0-9_]+:[1-9][0-9]*", entry) for entry in row["repairs"])
    text.encode("utf-8")  # no lone surrogates: the text can be written to Parquet and CSV


@settings(max_examples=800, deadline=None)
@given(texts)
def test_cleaning_is_idempotent(text):
    once = clean_text(text).text
    assert clean_text(once).text == once


names = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=30,
).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(names.map(lambda n: n + ".txt") | names, any_bytes, max_size=8),
    st.lists(
        st.one_of(names, st.sampled_from(["../x.txt", "/etc/passwd", "a/../../b"])), max_size=4
    ),
)
def test_a_folder_of_anything_loses_nothing(files, manifest_paths):
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for name, data in files.items():
            (raw / name).write_bytes(data)
        manifest = raw / "manifest.csv"
        manifest.write_text(
            "path,title\n"
            + "".join(f'"{p.replace(chr(34), chr(34) * 2)}",t\n' for p in manifest_paths),
            encoding="utf-8",
        )
        result = ingest(raw, IngestParams(manifest=manifest, max_chars=2000))
    report = result.report.as_dict()
    files_in = [name for name in files if name != "manifest.csv"]
    assert report["inputs"] == len(files_in)
    seen = {p for paths in result.texts["paths"] for p in paths} | set(
        result.rejects.loc[result.rejects["reason"] != "manifest_error", "path"]
    )
    assert seen == set(files_in)
    assert result.rejects["path"].is_unique


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_bytes)
def test_the_temporal_tagger_takes_whatever_ingest_lets_through(data):
    try:
        text = read_document("f.txt", data, ManifestEntry(), PARAMS).row["text"]
    except RejectError:
        return
    for timex in tag(text, mode="narrative"):
        assert text[timex.start : timex.end] == timex.text
        assert is_valid_value(timex.value)


@settings(max_examples=500, deadline=None)
@given(
    st.text(max_size=60),
    st.one_of(
        st.none(), st.text(max_size=25), st.from_regex(r"\A[0-9X]{4}(-[0-9WQHSUFAL]{2}){0,2}\Z")
    ),
)
def test_the_normaliser_never_raises(expression, reference):
    found = normalise(expression, reference=reference)
    assert found is None or is_valid_value(found.value)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(max_size=25),
        st.from_regex(r"\A[0-9X]{1,4}(-[0-9WQHSUFALX]{1,3}){0,3}(T[0-9:MAEVNI]{1,8})?\Z"),
    )
)
def test_value_functions_never_raise(value):
    iv = interval(value)
    if iv is not None:
        assert iv[0] <= iv[1]
    precision_of(value)
    edtf(value)
