"""From a file's bytes to text: binary sniffing, encodings, and the visible text of HTML.

Every way a file can fail here raises `RejectError` with a reason from
`schemas.fields.REJECT_REASONS` and a sentence that says what was wrong, so the caller can record
the file in the rejects table instead of losing it or crashing on it.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

import charset_normalizer

from pipeline.ingest.report import RejectError

BINARY_SIGNATURES = {
    b"%PDF": "a PDF file",
    b"\x89PNG": "a PNG image",
    b"PK\x03\x04": "a zip archive (or docx/xlsx/odt)",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document (doc/xls)",
    b"{\\rtf": "an RTF document",
    b"\x7fELF": "an executable",
    b"7z\xbc\xaf": "a 7-zip archive",
    b"Rar!": "a RAR archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"SQLite format 3": "an SQLite database",
    b"OggS": "an Ogg media file",
    b"ID3": "an MP3 file",
}
"""Leading bytes ("magic numbers") of common binary formats that end up in text archives."""

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one)."""

MAX_NUL_SHARE = 0.01
"""Share of NUL bytes at the start of a file above which it is binary (or BOM-less UTF-16); a
stray NUL in a text is a control character, removed and counted by the repairs."""

MAX_BAD_SHARE = 0.05
"""Largest share of control or replacement characters a decoded text may hold and still be text."""

_BAD_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd\ufffe\uffff]")
_LATIN_FAMILY = re.compile(
    r"^(cp12(50|52|54|57|58)|latin_1|iso8859_(1|2|3|4|9|10|13|14|15|16)"
    r"|mac_(roman|latin2|iceland|turkish)|cp(437|775|85\d|86\d)|hp_roman8)$"
)


@dataclass
class Decoded:
    """Text decoded from bytes, the encoding used, and any bytes that needed repair."""

    text: str
    encoding: str
    repairs: dict[str, int] = field(default_factory=dict)


def sniff_binary(raw: bytes) -> None:
    """Raise RejectError if the bytes start like a known binary format."""
    for signature, what in BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise RejectError("binary", f"the file is {what}, not text")


def _utf16_without_bom(raw: bytes) -> str | None:
    """Text of BOM-less UTF-16 (every other byte NUL, as in ASCII-heavy UTF-16), else None."""
    sample = raw[:8192]
    if len(raw) % 2 or len(sample) < 4:
        return None
    for encoding, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) >= 0.9 * len(zeros):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


class _Cp1252Fallback:
    """Codec error handler: read bytes that are not valid UTF-8 as Windows-1252, and count them.

    Text assembled from several sources often is UTF-8 with a few stray Windows-1252 bytes (a
    curly quote pasted from Word, a Latin-1 "é"). Reading only those bytes as Windows-1252 keeps
    every character a reader can see; bytes Windows-1252 does not define become U+FFFD.
    """

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, err: UnicodeError) -> tuple[str, int]:
        assert isinstance(err, UnicodeDecodeError)
        bad = err.object[err.start : err.end]
        self.count += len(bad)
        return bad.decode("cp1252", errors="replace"), err.end


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mostly_utf8(raw: bytes) -> Decoded | None:
    """UTF-8 with a few invalid bytes, or None.

    "A few" means no more invalid bytes than bytes in valid multi-byte characters: legacy
    Western text almost never holds a valid UTF-8 sequence by chance, and in Chinese or Japanese
    legacy encodings the invalid bytes far outnumber the accidental valid ones.
    """
    valid_bytes = sum(len(m.group()) for m in _UTF8_MULTIBYTE.finditer(raw))
    if not valid_bytes:
        return None
    handler = _Cp1252Fallback()
    codecs.register_error("chronicle_cp1252", handler)
    text = raw.decode("utf-8", errors="chronicle_cp1252")
    if handler.count > valid_bytes:
        return None
    return Decoded(text, "utf-8", {"invalid_utf8_bytes": handler.count})


def _is_latin(text: str) -> bool:
    """All letters outside ASCII are Latin letters (vacuously true for ASCII with punctuation)."""
    for char in set(text):
        if (
            ord(char) > 127
            and char.isalpha()
            and not unicodedata.name(char, "").startswith("LATIN")
        ):
            return False
    return True


def _legacy(raw: bytes) -> Decoded:
    """Decode a legacy 8-bit or East Asian encoding by statistical guess, or reject.

    The detector cannot tell the Western European code pages apart on short texts (it reads
    French "à" as cp1250 "ŕ"), so when its best guess is a Latin-script code page and the bytes
    are valid Windows-1252, Windows-1252 is used: the code page of most Western archives and a
    superset of printable Latin-1. Cyrillic, Greek, Arabic, Hebrew and CJK guesses are kept.
    """
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise RejectError("undecodable", "not valid UTF-8 and no other text encoding fits")
    text, encoding = str(best), best.encoding
    if encoding != "cp1252" and _LATIN_FAMILY.match(encoding) and _is_latin(text):
        with contextlib.suppress(UnicodeDecodeError):  # bytes cp1252 leaves undefined
            text, encoding = raw.decode("cp1252"), "cp1252"
    return Decoded(text, encoding)


def _check_text(decoded: Decoded) -> Decoded:
    """Reject decoded 'text' that is mostly control or replacement characters (binary data)."""
    sample = decoded.text[:1_000_000]
    if sample:
        bad = len(_BAD_CHARS.findall(sample))
        if bad > MAX_BAD_SHARE * len(sample):
            raise RejectError(
                "binary",
                f"{bad / len(sample):.0%} of the characters decoded as "
                f"{decoded.encoding} are control or replacement characters: "
                "binary data, not text",
            )
    return decoded


def decode(raw: bytes) -> Decoded:
    """Decode raw bytes to text; raise RejectError if they are binary or no encoding fits.

    Order matters: a byte-order mark is trusted first, then strict UTF-8 (most files), then UTF-8
    with a few stray Windows-1252 bytes, and only then a statistical guess, which is recorded in
    `encoding` so users can check it.
    """
    sniff_binary(raw)
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return _check_text(Decoded(raw.decode(encoding), encoding))
            except UnicodeDecodeError as err:
                raise RejectError(
                    "undecodable",
                    f"has a {encoding} byte-order mark but invalid {encoding} at byte {err.start}",
                ) from err
    head = raw[:8192]
    if head.count(0) > MAX_NUL_SHARE * len(head):
        text = _utf16_without_bom(raw)
        if text is None:
            raise RejectError("binary", "contains NUL bytes: binary data, not text")
        return _check_text(Decoded(text, "utf-16"))
    try:
        return _check_text(Decoded(raw.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    return _check_text(_mostly_utf8(raw) or _legacy(raw))


class _HTMLText(HTMLParser):
    """Collect the visible text of an HTML page: no scripts or styles, blocks on new lines."""

    BLOCKS = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "pre",
            "title",
            "td",
            "th",
            "dt",
            "dd",
            "hr",
            "table",
            "ul",
            "ol",
            "nav",
            "aside",
            "figcaption",
            "main",
            "body",
        }
    )
    HIDDEN = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._hidden: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.HIDDEN:
            self._hidden.append(tag)
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._hidden:  # close up to the matching open tag (sloppy HTML nests badly)
            del self._hidden[len(self._hidden) - 1 - self._hidden[::-1].index(tag) :]
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if self._in_title:
            self.title_parts.append(data)
        else:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text of an HTML document and its <title>, entities decoded exactly once.

    Scripts, styles and other non-text elements are dropped; tags become nothing or a
    paragraph break. Decoding entities once matters: ``&amp;lt;`` in the source is the text
    ``&lt;``, not ``<``.
    """
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    title = " ".join("".join(parser.title_parts).split()) or None
    return "".join(parser.parts), title
