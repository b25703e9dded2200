"""A corpus of hostile and broken input files, built by the tests themselves (nothing stored).

Each `Case` is one file under raw/ and the outcome a user should get: a document (with what must
hold of it) or a reject with its reason. The README's reliability table lists the same cases.
"""

from __future__ import annotations

import codecs
import io
import os
import random
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

Check = Callable[[pd.Series], None]


@dataclass(frozen=True)
class Case:
    """One input file: its name, its bytes, and the outcome ingest must give it."""

    name: str
    data: bytes
    outcome: str
    """'document', or the reject reason."""
    check: Check | None = None
    """For documents: assertions on the document row."""


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inside.txt", "In 1962 the crisis began.")
    return buffer.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

FRENCH = (
    "La crise des missiles de Cuba a commencé en octobre 1962, lorsque les États-Unis ont "
    "découvert des missiles soviétiques à Cuba. Khrouchtchev a cédé à la fin du mois. "
    "Le endMarch n'est pas un mot anglais ici."
)
RUSSIAN = (
    "Карибский кризис — исторический период в отношениях между Советским Союзом и "
    "Соединёнными Штатами в октябре 1962 года."
)
CHINESE = "古巴导弹危机是1962年冷战时期在美国、苏联与古巴之间爆发的一场极其严重的政治、军事危机。"
POLISH = (
    "Lech Wałęsa został wybrany na prezydenta w grudniu 1990 roku, a strajk w stoczni "
    "zaczął się w sierpniu."
)
TURKISH = "Recep Tayyip Erdoğan 2003 yılında başbakan oldu; İstanbul'da doğdu ve büyüdü."
LITHUANIAN = "Lietuva paskelbė nepriklausomybę 1990 metų kovo vienuoliktą dieną Vilniuje."
SHORT_RUSSIAN = "Москва и Киев."
ESSAY = (
    "The crisis began in October 1962. Nikita Khrushchev had decided in March 1962 to "
    "install missiles on Cuba."
)
HOSTILE = (
    '<script>alert("x")</script> =HYPERLINK("http://evil.example","click") '
    "+cmd|' /C calc'!A0 @SUM(1+1) -2+3 | In 1962 Kennedy spoke."
)


def _text(expected: str) -> Check:
    def check(row: pd.Series) -> None:
        assert row["text"] == expected, (row["path"], row["text"][:200])

    return check


def _contains(
    *parts: str,
    absent: tuple[str, ...] = (),
    repairs: tuple[str, ...] = (),
    language: str | None = None,
    encoding: str | None = None,
) -> Check:
    def check(row: pd.Series) -> None:
        for part in parts:
            assert part in row["text"], (row["path"], part, row["text"][:200])
        for part in absent:
            assert part not in row["text"], (row["path"], part)
        names = {entry.rpartition(":")[0] for entry in row["repairs"]}
        assert set(repairs) <= names, (row["path"], list(row["repairs"]))
        if language:
            assert row["language"] == language, (row["path"], row["language"])
        if encoding:
            assert row["encoding"] == encoding, (row["path"], row["encoding"])

    return check


def _language(language: str, text: str) -> Check:
    def check(row: pd.Series) -> None:
        assert row["language"] == language, (row["path"], row["language"])
        assert row["text"] == unicodedata.normalize("NFC", text), row["path"]  # not mangled
        assert len(row["repairs"]) == 0, (row["path"], list(row["repairs"]))

    return check


def cases(max_chars: int = 4000) -> list[Case]:
    """The corpus; `max_chars` must be the ingest.max_chars the test runs with."""
    noise = random.Random(7).randbytes(4096)
    return [
        Case("essay.txt", ESSAY.encode(), "document", _text(ESSAY)),
        Case("copy of essay.txt", ESSAY.encode(), "document"),  # duplicate: same doc_id
        Case("empty.txt", b"", "empty"),
        Case("whitespace only.txt", b" \n\t \r\n  ", "empty"),
        Case("unicode spaces.md", "\u3000\u00a0\u2003\n".encode(), "empty"),
        Case("bom only.txt", codecs.BOM_UTF8 + b"\n", "empty"),
        Case("scan.pdf", PDF, "unsupported_type"),
        Case("image.png", PNG, "unsupported_type"),
        Case("archive.zip", _zip_bytes(), "unsupported_type"),
        Case("pdf named as.txt", PDF, "binary"),
        Case("png named as.txt", PNG, "binary"),
        Case("zip named as.md", _zip_bytes(), "binary"),
        Case("gzip named as.html", b"\x1f\x8b\x08\x00" + noise[:200], "binary"),
        Case("random bytes.txt", noise, "undecodable"),
        Case(
            "invalid utf-8.txt",
            "Khrushchev – 1964: ".encode() + b"caf\xe9 \x93saved\x94.",
            "document",
            _contains("café “saved”", repairs=("invalid_utf8_bytes",)),
        ),
        Case(
            "truncated utf-8.txt",
            "In 1962 – the crisis –".encode()[:-2],
            "document",
            _contains("In 1962 – the crisis"),
        ),
        Case(
            "latin-1.txt",
            FRENCH.encode("latin-1"),
            "document",
            _contains("Khrouchtchev a cédé", language="fr", encoding="cp1252"),
        ),
        Case(
            "windows-1252.txt",
            "He said \u201csaved\u201d \u2013 in 1962.".encode("cp1252"),
            "document",
            _text("He said \u201csaved\u201d \u2013 in 1962."),
        ),
        Case(
            "utf-16 with bom.txt",
            codecs.BOM_UTF16_LE + ESSAY.encode("utf-16-le"),
            "document",
            _text(ESSAY),
        ),
        Case(
            "utf-16 big endian.txt",
            codecs.BOM_UTF16_BE + ESSAY.encode("utf-16-be"),
            "document",
            _text(ESSAY),
        ),
        Case(
            "utf-32 with bom.txt",
            codecs.BOM_UTF32_LE + ESSAY.encode("utf-32-le"),
            "document",
            _text(ESSAY),
        ),
        Case("utf-16 broken.txt", codecs.BOM_UTF16_LE + b"I\x00n\x00 \x001", "undecodable"),
        Case(
            "mixed newlines.txt",
            b"In 1962.\r\nIn 1963.\rIn 1964.\nEnd.",
            "document",
            _text("In 1962.\nIn 1963.\nIn 1964.\nEnd."),
        ),
        Case(
            "control characters.txt",
            ESSAY.encode() + b" In 19\x0062 Khru\x07shchev\x1b spoke.\x7f",
            "document",
            _text(ESSAY + " In 1962 Khrushchev spoke."),
        ),
        Case(
            "bidi override.txt",
            "Kennedy \u202eterces\u202c met Khrushchev.".encode(),
            "document",
            _contains("Kennedy terces", repairs=("invisible_characters",)),
        ),
        Case(
            "page.html",
            (
                b"<!DOCTYPE html><html><head><title>Crisis &amp; After</title>"
                b"<style>p {color: red}</style><script>document.write('x')</script></head>"
                b"<body><!-- a comment --><p>In 1962 &ndash; missiles &amp;lt;b&amp;gt;.</p>"
                b"<p>&lt;script&gt;alert(1)&lt;/script&gt; is shown as text.</p>"
                b"<noscript>enable js</noscript><p>Caf&eacute; &#8220;Cuba&#8221;</p></body></html>"
            ),
            "document",
            _contains(
                "In 1962 – missiles &lt;b&gt;.",
                "<script>alert(1)</script> is shown as text.",
                "Café “Cuba”",
                absent=("document.write", "color: red", "a comment", "enable js"),
            ),
        ),
        Case("markup and formulas.txt", HOSTILE.encode(), "document", _text(HOSTILE)),
        Case(
            "glued words.txt",
            b"Even thenUnited States President Dwight Eisenhower backed "
            b"the proUnited States regime of Batista.",
            "document",
            _contains(
                "Even then United States President",
                "the pro-United States regime",
                repairs=("glued_words",),
            ),
        ),
        Case(
            "camel case names.txt",
            b"He ate at McDonald's, used PowerPoint and an iPhone, and watched YouTube.",
            "document",
            _text("He ate at McDonald's, used PowerPoint and an iPhone, and watched YouTube."),
        ),
        Case(
            "hyphenation.txt",
            b"an inter-\nnational treaty and a well-\nknown speech",
            "document",
            _text("an international treaty and a well-known speech"),
        ),
        Case(
            "doubled quotes.txt",
            b'Khrushchev ""saved"" Cuba.',
            "document",
            _text('Khrushchev "saved" Cuba.'),
        ),
        Case("french.txt", FRENCH.encode(), "document", _language("fr", FRENCH)),
        Case("russian cp1251.txt", RUSSIAN.encode("cp1251"), "document", _language("ru", RUSSIAN)),
        Case("chinese gbk.txt", CHINESE.encode("gbk"), "document", _language("zh", CHINESE)),
        Case("polish cp1250.txt", POLISH.encode("cp1250"), "document", _language("pl", POLISH)),
        Case("turkish cp1254.txt", TURKISH.encode("cp1254"), "document", _language("tr", TURKISH)),
        Case(
            "lithuanian cp1257.txt",
            LITHUANIAN.encode("cp1257"),
            "document",
            _language("lt", LITHUANIAN),
        ),
        Case(
            "short koi8-r.txt",
            SHORT_RUSSIAN.encode("koi8_r"),
            "document",
            _contains(SHORT_RUSSIAN, encoding="koi8-r"),
        ),
        Case(
            "nul padded.txt",
            ESSAY.encode() + b"\x00" * 40,
            "document",
            _contains(ESSAY, repairs=("control_characters",)),
        ),
        Case(
            "bidi isolates.txt",
            "In 1961 \u2066Kennedy\u2069 met \u200fKhrushchev\u200e.".encode(),
            "document",
            _text("In 1961 Kennedy met Khrushchev."),
        ),
        Case(
            "decomposed.txt",
            unicodedata.normalize("NFD", FRENCH).encode(),
            "document",
            _contains("Khrouchtchev a cédé", repairs=("unicode_nfc",)),
        ),
        Case("naïve café — 1962.txt", b"A Unicode file name, 1962.", "document"),
        Case("-rf.txt", b"A file name with a leading dash, 1962.", "document"),
        Case("--help.md", b"# Help\n\nAnother leading dash, 1963.", "document"),
        Case("sub folder/deeper/nested.txt", b"Nested in folders, 1964.", "document"),
        Case(
            os.fsdecode(b"latin-1 name \xe9.txt"),
            b"A file name that is not UTF-8, 1965.",
            "document",
        ),
        Case(".DS_Store", b"\x00\x00\x00\x01Bud1", "hidden"),
        Case(".git/", b"", "hidden"),  # a hidden folder is one reject, not entered
        Case("long.txt", ("In 1962. " * (max_chars // 9 + 10)).encode(), "too_long"),
        Case("huge.txt", b"x" * (4 * max_chars + 1), "too_long"),
    ]


MANIFEST = (
    "path,title,published,anchor_mode\n"
    "essay.txt,The essay,1962-11-01,news\n"
    "../../etc/passwd,Traversal,,\n"
    "/etc/passwd,Absolute,,\n"
    "C:\\Windows\\win.ini,Windows,,\n"
    "missing.txt,Missing,,\n"
    "latin-1.txt,Bad date,1962-13-45,\n"
    "naïve café — 1962.txt,Accents in the name,,\n"
)
"""Manifest rows: one good, the rest refused (outside raw/, missing, bad date) but each
file they name that exists is still ingested."""

MANIFEST_REJECTS = 5


def write_corpus(raw: Path, corpus: list[Case], manifest: str | None = MANIFEST) -> None:
    """Write the corpus files (and the manifest) under `raw`."""
    raw.mkdir(parents=True, exist_ok=True)
    for case in corpus:
        path = raw / case.name
        if case.name.endswith("/"):
            (path / "objects").mkdir(parents=True, exist_ok=True)
            (path / "HEAD").write_bytes(b"ref: refs/heads/main\n")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case.data)
    if manifest is not None:
        (raw / "manifest.csv").write_text(manifest, encoding="utf-8")


def shown(name: str) -> str:
    """How a file name appears in the tables (non-UTF-8 bytes as \\xNN)."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")
