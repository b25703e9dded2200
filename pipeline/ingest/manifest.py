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
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.ingest.report import RejectError, Report
from schemas.vocabularies import ANCHOR_MODES

MANIFEST_COLUMNS = ("path", "title", "source_url", "published", "licence", "anchor_mode")


@dataclass(frozen=True)
class ManifestEntry:
    """Metadata the user gave for one file in raw/manifest.csv."""

    title: str | None = None
    source_url: str | None = None
    published: dt.date | None = None
    licence: str | None = None
    anchor_mode: str | None = None


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _published(path: str, value: str | None) -> dt.date | None:
    """The published column as a date, or RejectError saying what is wrong with it.

    A value in the right form that names no day ('2021-02-30') is told apart from one in
    another form: the user's fix differs (the day, not the format).
    """
    published = _optional(value)
    try:
        return dt.date.fromisoformat(published) if published else None
    except ValueError as err:
        raise RejectError(
            "manifest_error", f"{path}: published {_date_problem(published)}"
        ) from err


def _date_problem(value: str | None) -> str:
    """Why `value` is not a YYYY-MM-DD date: a day that does not exist, or another form."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not found:
        return f"'{value}' is not a date in YYYY-MM-DD form"
    year, month = int(found[1]), int(found[2])
    if year < 1:
        return f"'{value}': there is no year 0"
    if not 1 <= month <= 12:
        return f"'{value}': there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    return (
        f"'{value}': that day does not exist ({calendar.month_name[month]} {year} has {days} days)"
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
    return path, ManifestEntry(
        _optional(values.get("title")),
        _optional(values.get("source_url")),
        date,
        _optional(values.get("licence")),
        anchor_mode,
    )


def manifest_key(path: str) -> str | None:
    """A manifest or file path as a lookup key (NFC, / separators), or None if it leaves raw/.

    Absolute paths and '..' are refused, so a manifest row can never point outside raw/ (no path
    traversal). NFC makes a name typed on one system match the same name stored decomposed.
    """
    candidate = PurePosixPath(unicodedata.normalize("NFC", path.replace("\\", "/")))
    if candidate.is_absolute() or ".." in candidate.parts or not candidate.parts:
        return None
    return str(candidate)


def read_manifest_text(manifest: Path) -> str:
    """The manifest's text; a manifest that is not UTF-8 stops the run with the byte position."""
    try:
        return manifest.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RejectError(
            "manifest_error", f"{manifest} is not UTF-8 (byte {err.start}); save it as UTF-8 CSV"
        ) from err


def check_columns(manifest: Path, columns: list[str]) -> None:
    """A header with an unknown column, or without `path`, stops the run."""
    unknown = sorted(set(columns) - set(MANIFEST_COLUMNS))
    if unknown or "path" not in columns:
        raise RejectError(
            "manifest_error",
            f"{manifest}: columns must be "
            f"{', '.join(MANIFEST_COLUMNS)} (path required); unknown: {unknown}",
        )


def described_file(
    row: dict[str | None, str | list[str]],
    inputs: dict[str | None, str],
    first_line: dict[str, int],
) -> tuple[str, ManifestEntry]:
    """(key of the input file a row describes, its entry), or RejectError saying why not.

    The row must name an input inside raw/ that no earlier row (`first_line`, by key) described.
    """
    written, entry = parse_manifest_row(row)
    key = manifest_key(written)
    if key is None:
        raise RejectError("manifest_error", f"path '{written}' points outside raw/ and is refused")
    if key not in inputs:
        raise RejectError("manifest_error", f"no file raw/{written}")
    if key in first_line:
        raise RejectError(
            "manifest_error", f"path '{written}' is already described on line {first_line[key]}"
        )
    return key, entry


def read_manifest(
    manifest: Path, inputs: Iterable[str], report: Report
) -> dict[str, ManifestEntry]:
    """Manifest entries by input path; a bad row becomes a reject, a bad file stops the run.

    Rows naming a path outside raw/, a file that does not exist, or a path listed twice are
    rejected (reason manifest_error) under the name '<manifest> line N'.
    """
    if not manifest.exists():
        return {}
    by_key = {manifest_key(path): path for path in inputs}
    entries: dict[str, ManifestEntry] = {}
    first_line: dict[str, int] = {}
    reader = csv.DictReader(io.StringIO(read_manifest_text(manifest), newline=""))
    check_columns(manifest, reader.fieldnames or [])
    try:
        for row in reader:
            report.manifest_rows += 1
            try:
                key, entry = described_file(row, by_key, first_line)
            except RejectError as err:
                report.reject(f"{manifest.name} line {reader.line_num}", None, err)
                continue
            first_line[key] = reader.line_num
            entries[by_key[key]] = entry
    except csv.Error as err:
        raise RejectError("manifest_error", f"{manifest} line {reader.line_num}: {err}") from err
    return entries
