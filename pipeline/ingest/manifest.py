"""raw/manifest.csv: the metadata a user gives for some files, one row per file, checked.

A row names a file under raw/ and may give its title, source URL, publication date, licence and
anchor mode. A row that cannot be used becomes a reject (reason manifest_error) under the name
'<manifest> line N', so a typo is visible instead of silently ignored; the file it meant is
still ingested, without that metadata. A manifest that cannot be read at all stops the run.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.ingest.report import RejectError, Report
from schemas.vocabularies import ANCHOR_MODES

MANIFEST_COLUMNS = ("path", "title", "source_url", "published", "licence", "anchor_mode")

MAX_TITLE_CHARS = 300
"""Longest title taken as a title: a longer one is most often rows joined by a stray quote."""

PUBLISHED_FORM = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
"""The one form of `published`: [0-9], since a backslash-d also matches other scripts' digits."""

_UNPRINTABLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u2069\ufeff]"
)
"""Control characters, invisible marks and bidi controls: never meant in a title or licence,
and a NUL or a bidi override would reach the tables and the dataset card."""


@dataclass(frozen=True)
class ManifestEntry:
    """Metadata the user gave for one file in raw/manifest.csv."""

    title: str | None = None
    source_url: str | None = None
    published: dt.date | None = None
    licence: str | None = None
    anchor_mode: str | None = None


@dataclass
class Manifest:
    """The usable rows of a manifest: the entry and the line of each input path it describes."""

    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    sha256: str | None = None
    """sha256 of the manifest's bytes as read (None without a manifest)."""


def _optional(value: str | None) -> str | None:
    """A value cleaned of control and invisible characters, spaces collapsed; None if empty."""
    value = unicodedata.normalize("NFC", _UNPRINTABLE.sub("", value or ""))
    return " ".join(value.split()) or None


def parse_published(value: str) -> dt.date:
    """`value` as a date, written exactly YYYY-MM-DD; or ValueError saying what is wrong.

    The one parser of `published`, for ingest and `chronicle add`: `date.fromisoformat` accepts
    '20050601' and '2005-W10-1' from Python 3.11 on only, so the same manifest would give
    different data on different Pythons. A value in the right form that names no day
    ('2021-02-30') is told apart from one in another form: the user's fix differs.
    """
    found = PUBLISHED_FORM.fullmatch(value)
    if not found:
        raise ValueError(f"'{value}' is not a date in YYYY-MM-DD form")
    year, month, day = (int(part) for part in found.groups())
    if year < 1:
        raise ValueError(f"'{value}': there is no year 0")
    if not 1 <= month <= 12:
        raise ValueError(f"'{value}': there is no month {month}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ValueError(
            f"'{value}': that day does not exist "
            f"({calendar.month_name[month]} {year} has {days} days)"
        )
    return dt.date(year, month, day)


def _published(path: str, value: str | None) -> dt.date | None:
    """The published column as a date, or RejectError saying what is wrong with it."""
    published = _optional(value)
    try:
        return parse_published(published) if published else None
    except ValueError as err:
        raise RejectError("manifest_error", f"{path}: published {err}") from err


def _check_title(path: str, title: str | None) -> None:
    """A title longer than MAX_TITLE_CHARS is refused: it is most often rows a quote joined."""
    if title is not None and len(title) > MAX_TITLE_CHARS:
        raise RejectError(
            "manifest_error",
            f"{path}: the title is {len(title)} characters long, more than {MAX_TITLE_CHARS}: "
            "check the row for a stray double quote, or shorten the title",
        )


def parse_manifest_row(row: dict[str | None, str | list[str]]) -> tuple[str, ManifestEntry]:
    """Check one manifest row: (path as written, entry), or RejectError saying what is wrong."""
    if row.get(None):
        raise RejectError("manifest_error", "more fields than the header has columns")
    values = {k: v for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
    path = (values.get("path") or "").strip()
    if not path:
        raise RejectError("manifest_error", "the path column is empty")
    date = _published(path, values.get("published"))
    anchor_mode = _optional(values.get("anchor_mode"))
    if anchor_mode is not None and anchor_mode not in ANCHOR_MODES:
        raise RejectError(
            "manifest_error",
            f"{path}: anchor_mode '{anchor_mode}' must be {' or '.join(ANCHOR_MODES)}",
        )
    title = _optional(values.get("title"))
    _check_title(path, title)
    return path, ManifestEntry(
        title,
        _optional(values.get("source_url")),
        date,
        _optional(values.get("licence")),
        anchor_mode,
    )


def manifest_key(path: str) -> str | None:
    r"""A path with '.' parts and doubled '/' dropped, or None if it leaves raw/.

    Absolute paths and '..' are refused, so a manifest row can never point outside raw/ (no path
    traversal). A backslash is kept: `sub\b.txt` is a file name of its own on Linux.
    """
    candidate = PurePosixPath(path)
    if candidate.is_absolute() or ".." in candidate.parts or not candidate.parts:
        return None
    return str(candidate)


def _nfc(path: str) -> str:
    return unicodedata.normalize("NFC", path)


def manifest_exists(manifest: Path) -> bool:
    """Whether there is a manifest; a link, a folder or a device in its place stops the run.

    A link is refused as every link under raw/ is (links are not followed), and before a byte
    of it is read, so no error can show a line of the file it points to.
    """
    if manifest.is_symlink():
        raise RejectError(
            "manifest_error",
            f"{manifest} is a symbolic link, and links are not followed: "
            "put the manifest file itself there",
        )
    if not manifest.exists():
        return False
    if not manifest.is_file():
        raise RejectError(
            "manifest_error",
            f"{manifest} is {'a folder' if manifest.is_dir() else 'not a regular file'}: "
            "the manifest must be a CSV file; move it away or set ingest.manifest",
        )
    return True


def read_manifest_text(manifest: Path) -> tuple[str, str]:
    """The manifest's text and its bytes' sha256; a manifest not UTF-8 or empty stops the run."""
    raw = manifest.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RejectError(
            "manifest_error", f"{manifest} is not UTF-8 (byte {err.start}); save it as UTF-8 CSV"
        ) from err
    if not text.strip():
        raise RejectError(
            "manifest_error",
            f"{manifest} is empty: write the header line {','.join(MANIFEST_COLUMNS)} "
            "and a row per file, or delete it",
        )
    return text, hashlib.sha256(raw).hexdigest()


def check_columns(manifest: Path, columns: list[str]) -> None:
    """A header with an unknown column, or without `path`, stops the run."""
    unknown = sorted(set(columns) - set(MANIFEST_COLUMNS))
    if unknown or "path" not in columns:
        raise RejectError(
            "manifest_error",
            f"{manifest}: columns must be "
            f"{', '.join(MANIFEST_COLUMNS)} (path required); unknown: {unknown}",
        )


def _no_file(written: str, key: str, inputs: dict[str, list[str]]) -> RejectError:
    """The reject of a row naming no file, with the likely fix for Windows separators."""
    hint = ""
    if "\\" in key and _nfc(key.replace("\\", "/")) in inputs:
        hint = f" (folders are separated by /: did you mean {key.replace(chr(92), '/')}?)"
    return RejectError("manifest_error", f"no file raw/{written}{hint}")


def described_file(written: str, inputs: dict[str, list[str]], lines: dict[str, int]) -> str:
    """The one input file a row's path names, or RejectError saying why there is not one.

    `inputs` lists input paths by their NFC form: a name typed composed matches a file stored
    decomposed, but a row matching two files (one name composed, one decomposed) is refused,
    as is a file an earlier row described (`lines`, by input path).
    """
    key = manifest_key(written)
    if key is None:
        raise RejectError("manifest_error", f"path '{written}' points outside raw/ and is refused")
    matches = inputs.get(_nfc(key), [])
    if not matches:
        raise _no_file(written, key, inputs)
    if len(matches) > 1:
        raise RejectError(
            "manifest_error",
            f"path '{written}' matches {len(matches)} files whose names differ only in Unicode "
            f"normalisation (NFC/NFD): {', '.join(ascii(m) for m in matches)}; "
            "rename all but one",
        )
    if matches[0] in lines:
        raise RejectError(
            "manifest_error", f"path '{written}' is already described on line {lines[matches[0]]}"
        )
    return matches[0]


def check_one_line(first: int, last: int) -> None:
    """A row spread over several lines is refused: a stray quote has swallowed the rows after it.

    A quote opening a value that is never closed makes the CSV reader read every later line
    into that value, so the refusal names the lines it took.
    """
    if last > first:
        raise RejectError(
            "manifest_error",
            f"lines {first}-{last} were read as one row: a value holds a line break, most "
            'often after a stray double quote; remove it (a quote inside a value is written "")',
        )


def manifest_rows(manifest: Path, text: str) -> Iterable[tuple[int, int, dict]]:
    """Each row with its first and last line; bad quoting stops the run naming the line."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    check_columns(manifest, reader.fieldnames or [])
    last = reader.line_num
    try:
        for row in reader:
            yield last + 1, reader.line_num, row
            last = reader.line_num
    except csv.Error as err:
        raise RejectError(
            "manifest_error",
            f"{manifest} line {last + 1}: {err}; check the double quotes of that row "
            '(a quote inside a value is written "")',
        ) from err


def read_manifest(manifest: Path, inputs: Iterable[str], report: Report) -> Manifest:
    """Manifest entries by input path; a bad row becomes a reject, a bad file stops the run.

    Rows naming a path outside raw/, no file, two files, a file listed before, or spread over
    several lines are rejected (reason manifest_error) under the name '<manifest> line N'.
    """
    if not manifest_exists(manifest):
        return Manifest()
    text, sha256 = read_manifest_text(manifest)
    by_key: dict[str, list[str]] = {}
    for path in sorted(inputs):
        by_key.setdefault(_nfc(manifest_key(path) or path), []).append(path)
    found = Manifest(sha256=sha256)
    for first, last, row in manifest_rows(manifest, text):
        report.manifest_rows += 1
        try:
            check_one_line(first, last)
            written, entry = parse_manifest_row(row)
            path = described_file(written, by_key, found.lines)
        except RejectError as err:
            report.reject(f"{manifest.name} line {first}", None, err)
            continue
        found.lines[path] = first
        found.entries[path] = entry
    return found
