"""Pass 1 of ingest: every entry under raw/, listed and hashed, or rejected unread.

Hidden files and folders, symbolic links, things that are not regular files, unsupported
extensions and files too large to hold `ingest.max_chars` characters are rejected here, with a
reason, before a byte of their text is read. The others are hashed in chunks (memory stays flat
whatever the file size), unless an earlier run's hash of the file can be trusted (`hashes`),
and only their path and sha256 are kept for pass 2. Each entry is looked at once (one lstat),
which gives both its checks and its stamp.
"""

from __future__ import annotations

import errno
import hashlib
import operator
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.core.config import IngestParams
from pipeline.ingest.hashes import STAMP_FIELDS, KnownHashes, Stamp
from pipeline.ingest.report import RejectError, Report

MEDIA_TYPE_BY_SUFFIX = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}
"""File extensions read as documents, and what kind of text each holds (one of the schema's
`MEDIA_TYPES`; a test checks)."""

MAX_BYTES_PER_CHAR = 4
"""Most bytes one character takes in a supported encoding (UTF-8, UTF-32): a file larger than
4 × ingest.max_chars bytes is too long whatever its encoding, and is rejected unread."""

HASH_CHUNK = 1 << 20
"""Bytes read at a time when hashing: memory stays flat whatever the file size."""


@dataclass(frozen=True)
class Found:
    """A readable regular file with a supported extension: its path under raw/ and its hash."""

    path: str
    file: Path
    sha256: str


Listed = tuple[str, Path, OSError | None]
"""An entry under raw/: its path relative to raw/, its path, and why it could not be listed."""


def printable(relative: str) -> str:
    r"""A path as text: bytes that are not UTF-8 in a file name are shown as \\xNN escapes."""
    return os.fsencode(relative).decode("utf-8", errors="backslashreplace")


def _folder(raw_dir: Path, path: Path) -> str:
    """A folder's path relative to raw_dir, with a trailing / to tell it from a file."""
    return f"{path.relative_to(raw_dir).as_posix()}/"


def _entered(raw_dir: Path, here: Path, name: str) -> Listed | None:
    """A folder walk() must not enter, as the entry to report for it, or None to enter it.

    Hidden and symbolically linked folders are reported and not entered; so is a folder whose
    path is longer than the system allows (it cannot even be looked at).
    """
    path = here / name
    try:
        skipped = name.startswith(".") or path.is_symlink()
    except OSError as err:
        return (_folder(raw_dir, path), path, err)
    return (_folder(raw_dir, path), path, None) if skipped else None


def _is_manifest(here: Path, name: str, skip: Path | None) -> bool:
    """Whether file `name` in `here` is the manifest (compared by name first: resolving is slow)."""
    if skip is None or name != skip.name:
        return False
    try:
        return (here / name).resolve() == skip
    except OSError:
        return False


def walk(raw_dir: Path, skip: Path | None) -> Iterator[Listed]:
    """Every file under raw_dir as (path relative to raw_dir, path, error), sorted by path.

    Hidden and symbolically linked folders are yielded themselves (with a trailing /) and not
    entered, and a folder that cannot be listed is yielded with its error, so that each of them
    can be reported instead of silently skipped. `skip` (the manifest) is left out.
    """
    found: list[Listed] = []
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(raw_dir, onerror=errors.append):
        here = Path(dirpath)
        for name in list(dirnames):
            entry = _entered(raw_dir, here, name)
            if entry is not None:
                dirnames.remove(name)
                found.append(entry)
        folder = here.relative_to(raw_dir).as_posix()  # once a folder: pathlib is slow per file
        prefix = "" if folder == "." else f"{folder}/"
        found.extend(
            (prefix + name, here / name, None)
            for name in filenames
            if not _is_manifest(here, name, skip)
        )
    for err in errors:
        path = Path(err.filename)
        if path != raw_dir:
            found.append((_folder(raw_dir, path), path, err))
    return iter(sorted(found, key=lambda item: item[0]))


def look(path: Path) -> os.stat_result | OSError:
    """An entry's details, not following a link (the one lstat of it per walk), or why not."""
    try:
        return path.lstat()
    except OSError as err:
        return err


_stamp = operator.attrgetter(*STAMP_FIELDS)


def stamp_of(info: os.stat_result | OSError) -> Stamp:
    """An entry's stamp from its details; None if they could not be read."""
    return None if isinstance(info, OSError) else _stamp(info)


def check_entry(
    relative: str, path: Path, info: os.stat_result | OSError, params: IngestParams
) -> RejectError | None:
    """Why this file cannot be a document without even reading it (from its details), or None."""
    if any(part.startswith(".") for part in relative.rstrip("/").split("/")):
        return RejectError(
            "hidden",
            "names starting with '.' are system or editor files "
            "(.DS_Store, .git/) and are not read",
        )
    if isinstance(info, OSError):
        return RejectError("unreadable", f"cannot read its details: {info.strerror}")
    if stat.S_ISLNK(info.st_mode):
        return RejectError(
            "symlink",
            f"a symbolic link to {printable(os.readlink(path))}: links "
            "are not followed, so no file outside raw/ can be read",
        )
    if not stat.S_ISREG(info.st_mode):
        return RejectError("unreadable", "not a regular file (a pipe, socket or device)")
    if PurePosixPath(relative).suffix.lower() not in MEDIA_TYPE_BY_SUFFIX:
        return RejectError(
            "unsupported_type",
            f"extension not one of {', '.join(sorted(MEDIA_TYPE_BY_SUFFIX))}; "
            "the file was not read",
        )
    if info.st_size > MAX_BYTES_PER_CHAR * params.max_chars:
        return RejectError(
            "too_long",
            f"{info.st_size} bytes: more than "
            f"ingest.max_chars={params.max_chars} characters in any encoding; "
            "the file was not read",
        )
    return None


def hash_file(path: Path) -> str:
    """sha256 of a file, read in chunks (bounded memory whatever its size)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def unlisted(error: OSError) -> RejectError:
    """The reject of a folder that cannot be listed; one too deep says how to fix it."""
    fix = (
        ": its path is longer than the system allows; move it higher up or shorten the names"
        if error.errno == errno.ENAMETOOLONG
        else ""
    )
    return RejectError("unreadable", f"cannot list the folder: {error.strerror}{fix}")


def manifest_to_skip(params: IngestParams) -> Path | None:
    """The manifest's resolved path when it is under raw/: walk() leaves it out."""
    return params.manifest.resolve() if params.manifest.exists() else None


@dataclass
class Scan:
    """What pass 1 found: the files to read, every entry's stamp, and which files it hashed."""

    found: list[Found] = field(default_factory=list)
    stamps: dict[str, Stamp] = field(default_factory=dict)
    """Every entry walk() lists, by its path as shown: taken again after the stage, they tell
    an input added, removed or edited meanwhile, including files rejected unread (a file
    shrunk below the size limit, a renamed extension)."""
    hashed: set[str] = field(default_factory=set)
    """Paths of the files whose bytes this run read to hash them (the others' hash was known)."""


def scan(
    raw_dir: Path, params: IngestParams, report: Report, known: KnownHashes | None = None
) -> Scan:
    """Pass 1: list, stamp and hash every input; record the ones rejected without reading.

    Each entry is looked at once (`look`). A file whose stamp `known` vouches for is not read:
    its recorded hash is taken (`KnownHashes.sha256`).
    """
    known = known or KnownHashes()
    scanned = Scan()
    for relative, path, error in walk(raw_dir, manifest_to_skip(params)):
        report.inputs += 1
        shown = printable(relative)
        info = look(path)
        stamp = scanned.stamps[shown] = stamp_of(info)
        problem = unlisted(error) if error else check_entry(relative, path, info, params)
        if problem is None:
            sha256 = known.sha256(shown, stamp)
            try:
                if sha256 is None:
                    sha256 = hash_file(path)
                    scanned.hashed.add(shown)
                scanned.found.append(Found(shown, path, sha256))
                continue
            except OSError as err:
                problem = RejectError("unreadable", f"cannot read it: {err.strerror or err}")
        report.reject(shown, None, problem)
    return scanned


def stamps(raw_dir: Path, params: IngestParams) -> dict[str, Stamp]:
    """Every entry walk() lists under raw_dir, by its path as shown, with its stamp (`Scan`)."""
    return {
        printable(relative): stamp_of(look(path))
        for relative, path, _ in walk(raw_dir, manifest_to_skip(params))
    }


def current_sha256(path: Path) -> str | None:
    """sha256 of a file as it is now, or None if it can no longer be read."""
    try:
        return hash_file(path)
    except OSError:
        return None
