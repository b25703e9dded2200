"""The sha256 an earlier run took of each file, by the file's stamp: a re-run hashes what changed.

Ingest names a document by its bytes' sha256, so it must know the hash of every file under
raw/; reading every byte of the corpus on each run made an edit cost the corpus. As git's index
and DVC's state database do, a run records each file it found as (path, stamp) -> sha256,
where the stamp is the file's mode, inode, size, modification and change times
(`STAMP_FIELDS`), and the next run takes the hash of a file whose stamp is the same instead of
reading it.

A recorded hash is trusted only when the file's modification time is older than the moment its
hash was last checked, less `RACY_MARGIN_NS` (git's "racy clean" rule): an edit made in the
same clock tick as the one before it leaves the stamp as it was, and a coarse file-system clock
(whole seconds; two on FAT) makes such ticks long. An edit after the check sets a time no older
than the check, so it is never trusted. A record of another raw/ folder or of another format,
or one that cannot be read, is ignored: every file is hashed, as on a first run.

The record is a run record, kept beside the others in `<paths.cache>/runs/` and outside the DVC
outputs: it depends on the file system (inodes, times), not on the data, and no output depends
on it, since a trusted hash is the file's hash.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.io import atomic_open

if TYPE_CHECKING:
    from pipeline.ingest.discover import Found

RECORD_FORMAT = 1
"""Version of the record's layout: a record of another version is ignored."""

RACY_MARGIN_NS = 2_000_000_000
"""How much older than the last check a file's modification time must be for its recorded hash
to be trusted: the coarsest common file-system clock (FAT's two seconds), so that an edit in
the same tick as the check is never taken for no edit."""

SHA256 = re.compile(r"[0-9a-f]{64}")

STAMP_FIELDS = ("st_mode", "st_ino", "st_size", "st_mtime_ns", "st_ctime_ns")
"""What a stamp holds of an entry's details. The change time is git's addition to DVC's inode,
size and mtime: no program can set it back, so an edit whose mtime was restored afterwards
(`cp -p`, `touch -d`) still changes the stamp; the mode tells a file made unreadable."""

MTIME = STAMP_FIELDS.index("st_mtime_ns")

Stamp = tuple[int, int, int, int, int] | None
"""An entry's details as `STAMP_FIELDS` (times in ns), None if it cannot be looked at: an edit
changes it, except one in the same clock tick as the last (see `RACY_MARGIN_NS`)."""


@dataclass(frozen=True)
class KnownHashes:
    """Each file's sha256 by its path under raw/, with the stamp it had when it was hashed."""

    raw: str = ""
    """The raw/ folder (resolved) the files are in."""
    checked_ns: int = 0
    """When the hashes were last checked against the files (ns since the epoch)."""
    files: dict[str, tuple[Stamp, str]] = field(default_factory=dict)

    def sha256(self, path: str, stamp: Stamp) -> str | None:
        """The recorded hash of a file whose stamp is unchanged and old enough, else None."""
        known = self.files.get(path)
        if stamp is None or known is None or known[0] != stamp:
            return None
        return known[1] if stamp[MTIME] < self.checked_ns - RACY_MARGIN_NS else None

    def as_dict(self) -> dict[str, Any]:
        """The record as written: its format, folder, check time and files in path order."""
        return {
            "format": RECORD_FORMAT,
            "raw": self.raw,
            "checked_ns": self.checked_ns,
            "files": {path: [*stamp, sha] for path, (stamp, sha) in sorted(self.files.items())},
        }


def verified(
    raw_dir: Path, found: list[Found], stamps: dict[str, Stamp], checked_ns: int
) -> KnownHashes:
    """The hashes of `found` as checked from `checked_ns` on, with the stamps they were taken at."""
    return KnownHashes(
        str(raw_dir.resolve()),
        checked_ns,
        {item.path: (stamps[item.path], item.sha256) for item in found if stamps.get(item.path)},
    )


def _files(entries: Any) -> dict[str, tuple[Stamp, str]]:
    """The files of a record as read, or ValueError if an entry is not (stamp..., sha256)."""
    files: dict[str, tuple[Stamp, str]] = {}
    for path, entry in entries.items():
        if not (
            isinstance(entry, list)
            and len(entry) == len(STAMP_FIELDS) + 1
            and all(type(value) is int for value in entry[:-1])
            and isinstance(entry[-1], str)
            and SHA256.fullmatch(entry[-1])
        ):
            raise ValueError(f"not a file's stamp and sha256: {path}")
        files[path] = (tuple(entry[:-1]), entry[-1])
    return files


def read_known(record: Path, raw_dir: Path) -> KnownHashes:
    """The hashes recorded for files of `raw_dir`; none if the record is missing or unusable."""
    try:
        data = json.loads(record.read_bytes())
        if (
            data["format"] != RECORD_FORMAT
            or data["raw"] != str(raw_dir.resolve())
            or type(data["checked_ns"]) is not int
        ):
            return KnownHashes()
        return KnownHashes(data["raw"], data["checked_ns"], _files(data["files"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return KnownHashes()


def write_known(record: Path, known: KnownHashes) -> None:
    """Replace the record with `known` (whole: written aside, then renamed)."""
    text = json.dumps(known.as_dict(), separators=(",", ":"))  # `dumps`, not `dump`: only
    # `dumps` uses the C encoder, and the record holds every file under raw/
    with atomic_open(record) as handle:
        handle.write(text + "\n")
