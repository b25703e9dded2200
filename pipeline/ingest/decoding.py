"""From a file's bytes to text: binary sniffing, encodings, and the visible text of HTML.

Every way a file can fail here raises `RejectError` with a reason from
`schemas.fields.REJECT_REASONS` and a sentence that says what was wrong, so the caller can record
the file in the rejects table instead of losing it or crashing on it.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import charset_normalizer

from pipeline.ingest.language import best_language, implausible_characters
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


LEGACY_CODE_PAGES = (
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "koi8_r",
    "iso8859_2",
    "iso8859_7",
    "cp1255",
    "cp1256",
    "koi8_u",
    "iso8859_9",
    "iso8859_13",
    "cp866",
    "iso8859_4",
    "iso8859_8",
    "cp874",
    "iso8859_5",
)
"""The 8-bit code pages a legacy file is tried in, the most common in archives first: that
order settles a tie (a short text that reads equally well in two of them)."""

CHINESE_JAPANESE_KOREAN = ("zh", "wuu", "yue", "ja", "ko")
"""Languages written in the multi-byte East Asian encodings (py3langid tells Wu and Cantonese
from Mandarin)."""

EAST_ASIAN_ENCODINGS = ("gb18030", "big5", "cp932", "euc_jp", "cp949")
"""Multi-byte encodings of Chinese, Japanese and Korean, tried after the detector's guess."""

COMMON_CODE_PAGES = frozenset(LEGACY_CODE_PAGES[:9])
"""The code pages most legacy files are in: in a tie, a rarer one (Thai, Arabic...) loses."""

_CENTRAL = ("cp1250", "iso8859_2")
_BALTIC = ("cp1257", "iso8859_13", "iso8859_4")
_CYRILLIC = ("cp1251", "koi8_r", "koi8_u", "cp866", "iso8859_5")
WESTERN = ("en", "fr", "de", "es", "it", "pt", "ca", "nl", "sv", "da", "no", "nb", "nn", "fi")
WESTERN_MORE = ("is", "fo", "ga", "cy", "eu", "gl", "af", "lb", "la", "oc", "br", "wa", "id", "ms")
CODE_PAGES_OF_LANGUAGE = {
    **dict.fromkeys(WESTERN + WESTERN_MORE, ("cp1252",)),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "sl", "hr", "bs", "ro"), _CENTRAL),
    "sq": ("cp1250", "cp1252"),
    **dict.fromkeys(("tr", "az", "ku"), ("cp1254", "iso8859_9")),
    **dict.fromkeys(("lt", "lv"), _BALTIC),
    "et": (*_BALTIC, "cp1252"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg"), _CYRILLIC),
    "el": ("cp1253", "iso8859_7"),
    **dict.fromkeys(("he", "yi"), ("cp1255", "iso8859_8")),
    **dict.fromkeys(("ar", "fa", "ur", "ps"), ("cp1256",)),
    "th": ("cp874",),
    **dict.fromkeys(CHINESE_JAPANESE_KOREAN, ()),
}
"""The code pages each language was written in. Chinese, Japanese and Korean use multi-byte
encodings, never an 8-bit one. A language not listed fits no code page: a wrong reading is often
taken for a rare language (KOI8-R Russian read as Windows-1252 looks like Yoruba to py3langid)."""

MAX_IMPLAUSIBLE_SHARE = 0.1
"""Share of implausible characters above which a reading is not text (random bytes read in
any code page are full of controls, odd symbols and mixed scripts)."""

LEGACY_SAMPLE_BYTES = 1 << 13
"""Bytes of a legacy file each code page is tried on (the winner then decodes the whole file)."""


def _fits(encoding: str, language: str) -> bool:
    """Whether `language` was written in `encoding` (multi-byte ones: Chinese, Japanese...)."""
    if encoding not in LEGACY_CODE_PAGES:
        return language in CHINESE_JAPANESE_KOREAN
    return encoding in CODE_PAGES_OF_LANGUAGE.get(language, ())


def _readings(sample: bytes) -> dict[str, str]:
    """The sample decoded in each encoding that can decode it, in the order ties go.

    The detector's guess and the East Asian encodings come before only the rarest code pages
    (Thai, ISO Cyrillic), which read Chinese or Korean bytes as plausible letters. A reading
    equal to an earlier one is left out (it would score the same).
    """
    best = charset_normalizer.from_bytes(sample).best()
    guess = () if best is None else (best.encoding,)
    rarest = LEGACY_CODE_PAGES.index("cp874")
    order = (
        *LEGACY_CODE_PAGES[:rarest],
        *guess,
        *EAST_ASIAN_ENCODINGS,
        *LEGACY_CODE_PAGES[rarest:],
    )
    readings: dict[str, str] = {}
    for encoding in order:
        with contextlib.suppress(UnicodeDecodeError, LookupError):
            text = sample.decode(encoding)
            if encoding not in readings and text not in readings.values():
                readings[encoding] = text
    return readings


def _ranked(sample: bytes) -> list[str]:
    """Encodings that decode the sample, best first: fitting its language, fewest odd chars.

    Each reading's language is detected; a code page that language was not written in ranks
    after one that it was, and then fewer implausible characters rank first (Polish read as
    Windows-1252 is "Wa³êsa": "³" and "ê" are not Polish). Ties go to the reading the language
    detector is surer of among the common code pages, then to the rare ones in that order
    (a short Russian text in KOI8-R reads as plausible Thai or Arabic too). A reading with
    more than MAX_IMPLAUSIBLE_SHARE implausible characters is no reading at all.
    """
    scored = []
    for order, (encoding, text) in enumerate(_readings(sample).items()):
        language, probability = best_language(text)
        odd = implausible_characters(text, language)
        if odd > MAX_IMPLAUSIBLE_SHARE * len(text):
            continue
        rare = encoding not in COMMON_CODE_PAGES
        sure = round(probability, 2)  # finer differences are noise
        scored.append((not _fits(encoding, language), odd, rare, -sure, order, encoding))
    return [encoding for *_, encoding in sorted(scored)]


def _legacy(raw: bytes) -> Decoded:
    """Decode a legacy 8-bit or East Asian encoding: the one that reads most plausibly.

    A statistical detector alone confuses the code pages of short texts (it reads Polish
    Windows-1250 as Windows-1252, and short KOI8-R as Thai), so every code page that decodes
    the bytes is tried and judged by the language of what it reads (see `_ranked`).
    """
    for encoding in _ranked(raw[:LEGACY_SAMPLE_BYTES]):
        with contextlib.suppress(UnicodeDecodeError, LookupError):  # a byte past the sample
            return Decoded(raw.decode(encoding), codecs.lookup(encoding).name)
    raise RejectError("undecodable", "not valid UTF-8 and no other text encoding fits")


def _check_text(decoded: Decoded) -> Decoded:
    """Reject decoded 'text' that is mostly control or replacement characters (binary data).

    NULs at the end are left out of the count: padding after a text (a fixed-size record, a
    file cut from a disk image) is removed with the other control characters.
    """
    sample = decoded.text[:1_000_000].rstrip("\x00")
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


def text_end(raw: bytes) -> int:
    """Where the bytes end without the run of NULs that pads them, if any (read from the end)."""
    end = len(raw)
    while end:
        chunk = raw[max(0, end - NUL_SCAN_BYTES) : end]
        stripped = chunk.rstrip(b"\x00")
        end -= len(chunk) - len(stripped)
        if stripped:
            break
    return end


NUL_SCAN_BYTES = 1 << 16
"""Bytes looked at, at a time, for trailing NULs (the bytes are never copied whole)."""

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
META_PRESCAN_BYTES = 1024
"""Bytes of an HTML file searched for `<meta charset>`, as browsers do (the HTML standard)."""

WHATWG_LABELS = {
    **dict.fromkeys(("iso-8859-1", "iso8859-1", "latin1", "l1", "ascii", "us-ascii"), "cp1252"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "windows-874"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk"), "gb18030"),
    **dict.fromkeys(("shift_jis", "sjis", "ms_kanji"), "cp932"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987"), "cp949"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be"), "utf-8"),
}
"""Labels browsers read as another encoding than their name (the WHATWG Encoding standard):
a page declaring ISO-8859-1 is read as Windows-1252, one declaring UTF-16 as UTF-8."""

_TEXT_ENCODING = re.compile(
    r"^(utf-8|cp\d+|iso8859-\d+|koi8-[ru]|mac-\w+|gb18030|big5(hkscs)?|euc_(jp|kr)|johab)$"
)


def declared_encoding(raw: bytes) -> str | None:
    """The character encoding a `<meta charset>` in the first bytes declares, if any.

    Looked for in any file (an HTML page saved as .txt is still HTML). Only the encodings of
    text are accepted: a label naming another codec (base64, rot13, unicode_escape) or none is
    ignored.
    """
    found = _META_CHARSET.search(raw[:META_PRESCAN_BYTES])
    if not found:
        return None
    label = found.group(1).decode("ascii", errors="ignore").lower()
    try:
        name = codecs.lookup(WHATWG_LABELS.get(label, label)).name
    except LookupError:
        return None
    return name if _TEXT_ENCODING.match(name) else None


def _declared(raw: bytes) -> Decoded | None:
    """The bytes in the encoding their HTML declares, unless they are invalid in it."""
    encoding = declared_encoding(raw)
    if encoding is None:
        return None
    try:
        return Decoded(raw.decode(encoding), encoding)
    except UnicodeDecodeError:
        return None


def decode(raw: bytes) -> Decoded:
    """Decode raw bytes to text; raise RejectError if they are binary or no encoding fits.

    Order matters: a byte-order mark is trusted first, then strict UTF-8 (most files; legacy
    text is almost never valid UTF-8 by chance, so this also outranks a page's declaration,
    which is often stale), then the encoding an HTML page declares, then UTF-8 with a few stray
    Windows-1252 bytes, and only then a guess from the bytes (`_legacy`), which is recorded in
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
    end = text_end(raw)
    if not end:
        raise RejectError("binary", "holds only NUL bytes: binary data, not text")
    head = raw[: min(8192, end)]
    if head.count(0) > MAX_NUL_SHARE * len(head):
        text = _utf16_without_bom(raw)
        if text is None:
            raise RejectError("binary", "contains NUL bytes: binary data, not text")
        return _check_text(Decoded(text, "utf-16"))
    try:
        return _check_text(Decoded(raw.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    return _check_text(_declared(raw) or _mostly_utf8(raw) or _legacy(raw))


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
