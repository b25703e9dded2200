"""Stage 1, ingest: every file under raw/ becomes a document or a reject, never nothing.

A document row is the file's cleaned text plus its manifest metadata. Cleaning is limited to
changes a reader would agree with (Unicode NFC, whitespace, CSV-style doubled quotes) and each
repair is counted per document, so nothing changes silently.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import charset_normalizer
import pandas as pd

from pipeline import ids
from pipeline.config import IngestParams, Params
from pipeline.io import write_table
from pipeline.stage import StageError, log, main, stage_dir, table_path
from schemas import TABLES

MEDIA_TYPES = {".txt": "text/plain", ".text": "text/plain", ".md": "text/markdown",
               ".markdown": "text/markdown", ".html": "text/html", ".htm": "text/html"}
"""File extensions read as documents, and what kind of text each holds."""

MANIFEST_COLUMNS = ("path", "title", "source_url", "published", "licence", "anchor_mode")

BINARY_SIGNATURES = {b"%PDF": "a PDF file", b"\x89PNG": "a PNG image", b"PK\x03\x04": "a zip "
                     "archive (or docx/xlsx)", b"\xff\xd8\xff": "a JPEG image",
                     b"GIF8": "a GIF image", b"\x1f\x8b": "a gzip archive"}


class RejectError(Exception):
    """A file that cannot become a document; `reason` is one of schemas.fields.REJECT_REASONS."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ManifestEntry:
    """Metadata the user gave for one file in raw/manifest.csv."""

    title: str | None = None
    source_url: str | None = None
    published: dt.date | None = None
    licence: str | None = None
    anchor_mode: str | None = None


@dataclass
class Cleaned:
    """Text after cleaning, with the count of each repair applied."""

    text: str
    repairs: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, n: int) -> None:
        """Record `n` applications of repair `name` (zero counts are not recorded)."""
        if n:
            self.repairs[name] = self.repairs.get(name, 0) + n


# --- decoding -------------------------------------------------------------------------------

def decode(raw: bytes) -> tuple[str, str]:
    """Decode raw bytes to text, returning (text, encoding); raise RejectError if they are not text.

    Order matters: a byte-order mark is trusted first, then strict UTF-8 (most files), and only
    then a statistical guess, which is recorded so users can check it.
    """
    for signature, what in BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise RejectError("binary", f"the file is {what}, not text")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32")):
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise RejectError("undecodable", f"has a {encoding} byte-order mark but "
                                  f"invalid {encoding} at byte {err.start}") from err
    if b"\x00" in raw[:8192]:
        raise RejectError("binary", "contains NUL bytes: binary data, not text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise RejectError("undecodable", "not valid UTF-8 and no other text encoding fits")
    return str(best), best.encoding


class _HTMLText(HTMLParser):
    """Collect the visible text of an HTML page: no scripts or styles, blocks on new lines."""

    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                        "section", "article", "header", "footer", "blockquote", "pre", "title"})
    HIDDEN = frozenset({"script", "style", "noscript", "template", "head"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._hidden = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self.HIDDEN:
            self._hidden += 1
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._hidden:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text of an HTML document and its <title> (entities decoded)."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    title = " ".join("".join(parser.title_parts).split()) or None
    return html.unescape("".join(parser.parts)), title


# --- cleaning -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_DOUBLED_QUOTES = re.compile(r'""([^"\n]{1,200}?)""')
_MANY_NEWLINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> Cleaned:
    """Normalise Unicode and whitespace and repair CSV-style doubled quotes.

    Doubled quotes (``""saved""``) come from text exported through a CSV cell: the quote was
    escaped by doubling and never unescaped. Inside running prose, a doubled quote is never
    meant, so it is safe to halve it.
    """
    out = Cleaned(unicodedata.normalize("NFC", text))
    out.count("newlines", out.text.count("\r"))
    out.text = out.text.replace("\r\n", "\n").replace("\r", "\n")
    out.text, n = _CONTROL.subn("", out.text)
    out.count("control_characters", n)
    out.text, n = _DOUBLED_QUOTES.subn(r'"\1"', out.text)
    out.count("doubled_quotes", n)
    lines = [_SPACES.sub(" ", line).strip() for line in out.text.split("\n")]
    out.text = _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()
    return out


def guess_title(text: str, media_type: str) -> str | None:
    """A heading-like first line: short, no final full stop, followed by a blank line."""
    first, _, rest = text.partition("\n")
    if media_type == "text/markdown" and first.startswith("#"):
        return first.lstrip("#").strip() or None
    looks_like_heading = (0 < len(first) <= 120 and not first.endswith((".", ",", ";", ":"))
                          and rest.startswith("\n"))
    return first if looks_like_heading else None


# --- manifest -------------------------------------------------------------------------------

def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def parse_manifest_row(row: dict[str, str], where: str) -> tuple[str, ManifestEntry]:
    """Check one manifest row: (path, entry), or RejectError saying what is wrong."""
    path = (row.get("path") or "").strip()
    if not path:
        raise RejectError("manifest_error", f"{where}: the path column is empty")
    published = _optional(row.get("published"))
    try:
        date = dt.date.fromisoformat(published) if published else None
    except ValueError as err:
        raise RejectError("manifest_error", f"{where}: published '{published}' is not a date "
                          "in YYYY-MM-DD form") from err
    anchor_mode = _optional(row.get("anchor_mode"))
    if anchor_mode not in (None, "news", "narrative"):
        raise RejectError("manifest_error", f"{where}: anchor_mode '{anchor_mode}' must be "
                          "news or narrative")
    return path, ManifestEntry(_optional(row.get("title")), _optional(row.get("source_url")),
                               date, _optional(row.get("licence")), anchor_mode)


def safe_relative(path: str, raw_dir: Path) -> str | None:
    """The path relative to raw/ with / separators, or None if it points outside raw/."""
    candidate = PurePosixPath(path.replace("\\", "/"))
    if candidate.is_absolute() or ".." in candidate.parts:
        return None
    return str(candidate)


def read_manifest(manifest: Path, raw_dir: Path) -> tuple[dict[str, ManifestEntry], list[dict]]:
    """Manifest entries by path relative to raw/, and reject rows for manifest lines that fail.

    Paths outside raw/ are refused (no path traversal), and rows naming missing files are
    reported, so a typo in the manifest is visible instead of silently ignored.
    """
    if not manifest.exists():
        return {}, []
    entries: dict[str, ManifestEntry] = {}
    rejects: list[dict] = []
    with manifest.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        unknown = sorted(set(reader.fieldnames or ()) - set(MANIFEST_COLUMNS))
        if unknown or "path" not in (reader.fieldnames or ()):
            raise RejectError("manifest_error", f"{manifest}: columns must be "
                              f"{', '.join(MANIFEST_COLUMNS)} (path required); unknown: {unknown}")
        for line, row in enumerate(reader, start=2):
            where = f"{manifest} line {line}"
            try:
                path, entry = parse_manifest_row(row, where)
                relative = safe_relative(path, raw_dir)
                if relative is None:
                    raise RejectError("manifest_error", f"{where}: path '{path}' points outside "
                                      f"{raw_dir}/ and is refused")
                if not (raw_dir / relative).is_file():
                    raise RejectError("manifest_error", f"{where}: no file {raw_dir}/{relative}")
            except RejectError as err:
                rejects.append(reject_row(row.get("path") or where, None, err))
                continue
            entries[relative] = entry
    return entries, rejects


# --- one file -------------------------------------------------------------------------------

def reject_row(path: str, sha256: str | None, err: RejectError) -> dict:
    """A row of the rejects table."""
    return {"path": path, "sha256": sha256, "reason": err.reason, "detail": err.detail}


def read_document(relative: str, raw: bytes, entry: ManifestEntry,
                  params: IngestParams) -> dict:
    """Turn one file's bytes into a document row, or raise RejectError."""
    media_type = MEDIA_TYPES.get(PurePosixPath(relative).suffix.lower())
    if media_type is None:
        raise RejectError("unsupported_type", "extension not one of "
                          f"{', '.join(sorted(MEDIA_TYPES))}")
    if not raw.strip():
        raise RejectError("empty", "the file is empty or holds only whitespace")
    text, encoding = decode(raw)
    html_title = None
    if media_type == "text/html":
        text, html_title = html_to_text(text)
    cleaned = clean_text(text)
    if not cleaned.text:
        raise RejectError("empty", "no text left after cleaning")
    if len(cleaned.text) > params.max_chars:
        raise RejectError("too_long", f"{len(cleaned.text)} characters, more than "
                          f"ingest.max_chars={params.max_chars}")
    return {
        "doc_id": ids.document_id(raw),
        "path": relative,
        "sha256": ids.sha256_hex(raw),
        "title": entry.title or html_title or guess_title(cleaned.text, media_type),
        "source_url": entry.source_url,
        "published": entry.published,
        "licence": entry.licence,
        "anchor_mode": entry.anchor_mode or params.default_anchor_mode,
        "encoding": encoding,
        "media_type": media_type,
        "repairs": [f"{name}:{n}" for name, n in sorted(cleaned.repairs.items())],
        "text": cleaned.text,
        "n_chars": len(cleaned.text),
    }


def list_inputs(raw_dir: Path, manifest: Path) -> list[str]:
    """Every candidate file under raw/ (relative, sorted), skipping the manifest and dotfiles."""
    skip = {manifest.resolve()} if manifest.exists() else set()
    found = []
    for path in raw_dir.rglob("*"):
        relative = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.resolve() in skip:
            continue
        found.append(relative.as_posix())
    return sorted(found)


def ingest(raw_dir: Path, params: IngestParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every file under raw_dir: (texts, rejects). Pure apart from reading the files."""
    entries, rejects = read_manifest(params.manifest, raw_dir)
    texts: dict[str, dict] = {}
    # Files the manifest describes come first, so a duplicate keeps the described copy.
    inputs = sorted(list_inputs(raw_dir, params.manifest), key=lambda p: (p not in entries, p))
    for relative in inputs:
        sha = None
        try:
            raw = (raw_dir / relative).read_bytes()
            sha = ids.sha256_hex(raw)
            row = read_document(relative, raw, entries.get(relative, ManifestEntry()), params)
        except OSError as err:
            rejects.append(reject_row(relative, sha, RejectError("unreadable", str(err))))
            continue
        except RejectError as err:
            rejects.append(reject_row(relative, sha, err))
            continue
        first = texts.get(row["doc_id"])
        if first is not None:
            rejects.append(reject_row(relative, sha, RejectError(
                "duplicate", f"same bytes as {first['path']} (document {row['doc_id']})")))
            continue
        texts[row["doc_id"]] = row
    columns = [c for c in TABLES["documents"].schema.columns if c not in NLP_COLUMNS]
    return (pd.DataFrame(list(texts.values()), columns=columns),
            pd.DataFrame(rejects, columns=["path", "sha256", "reason", "detail"]))


NLP_COLUMNS = ("n_sentences", "model")
"""Documents columns that the nlp stage adds."""


def texts_path(params: Params) -> Path:
    """The ingested texts: the documents table without the columns the nlp stage adds."""
    return stage_dir(params, "ingest") / "texts.parquet"


def run(params: Params) -> None:
    """Read raw/, write the texts for the nlp stage and the rejects table."""
    try:
        texts, rejects = ingest(params.paths.raw, params.ingest)
    except RejectError as err:  # a manifest that cannot be read at all stops the run
        raise StageError(f"ingest: {err.detail}") from err
    write_table(texts, TABLES["documents"], texts_path(params), drop=NLP_COLUMNS)
    write_table(rejects, TABLES["rejects"], table_path(params, "rejects"))
    log.info("ingest: %d documents, %d rejected", len(texts), len(rejects))
    for row in rejects.itertuples():
        log.warning("rejected %s (%s): %s", row.path, row.reason, row.detail)


if __name__ == "__main__":
    main(run)
