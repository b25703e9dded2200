"""Per-document results kept between runs, so a re-run only redoes documents that changed.

A stage's result for one document is stored under the document's id (a hash of its bytes) in
a folder stamped with the stage's *version*: a hash of the stage's code, the parameters it
reads and the model. Change any of those and the whole folder is recomputed; add, edit or
remove a document and only that document is. Each entry carries a sha256 of its content, so a
corrupt entry (a disk error, a killed write) is detected, dropped and recomputed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.io import atomic_path

log = logging.getLogger("chronicle.cache")

MAGIC = b"CHRONICLE-CACHE-1\n"
VERSION_FILE = "VERSION"
SUFFIX = ".spacy"


class CorruptEntryError(ValueError):
    """A cache entry whose bytes do not match its checksum or format."""


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache {type(value).__name__}")


def _json_hook(obj: dict) -> Any:
    return dt.date.fromisoformat(obj["$date"]) if obj.keys() == {"$date"} else obj


def encode(data: dict[str, Any], blobs: Iterable[bytes] = ()) -> bytes:
    """One entry: JSON data (dates kept as dates) plus binary blobs, with a checksum."""
    parts = [json.dumps(data, default=_json_default, sort_keys=True).encode("utf-8"), *blobs]
    body = b"".join(struct.pack(">Q", len(p)) + p for p in parts)
    return MAGIC + hashlib.sha256(body).digest() + body


def decode(raw: bytes) -> tuple[dict[str, Any], list[bytes]]:
    """The data and blobs of an entry; CorruptEntryError if the bytes were damaged."""
    if not raw.startswith(MAGIC):
        raise CorruptEntryError("not a cache entry")
    digest, body = raw[len(MAGIC):len(MAGIC) + 32], raw[len(MAGIC) + 32:]
    if hashlib.sha256(body).digest() != digest:
        raise CorruptEntryError("checksum mismatch")
    parts, position = [], 0
    while position < len(body):
        (size,) = struct.unpack(">Q", body[position:position + 8])
        parts.append(body[position + 8:position + 8 + size])
        position += 8 + size
    if not parts or position != len(body):
        raise CorruptEntryError("truncated entry")
    return json.loads(parts[0], object_hook=_json_hook), parts[1:]


def digest_of(path: Path) -> str | None:
    """The checksum an entry file declares (its identity), read without loading the entry."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(MAGIC) + 32)
    except FileNotFoundError:
        return None
    return head[len(MAGIC):].hex() if head.startswith(MAGIC) and len(head) == len(MAGIC) + 32 \
        else None


def version_of(*sources: Path, settings: Any = None) -> str:
    """Hash of source files (or folders of .py/.txt files) and settings: the stage version."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for source in sources:
        files = sorted(p for p in source.rglob("*") if p.suffix in {".py", ".txt", ".csv",
                                                                     ".yaml"}) \
            if source.is_dir() else [source]
        for path in files:  # names relative to the source: the checkout's location is no part
            name = path.relative_to(source).as_posix() if source.is_dir() else path.name
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class DocCache:
    """The cached per-document results of one stage."""

    root: Path
    version: str
    hits: int = 0
    misses: int = 0
    corrupt: int = 0
    stale_removed: int = field(default=0)

    def __post_init__(self) -> None:
        stamp = self.root / VERSION_FILE
        if self.root.exists() and (not stamp.exists() or stamp.read_text() != self.version):
            log.info("cache %s: code, params or model changed; starting afresh", self.root)
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        if not stamp.exists():
            stamp.write_text(self.version)

    def path(self, doc_id: str) -> Path:
        """Where a document's entry lives."""
        return self.root / f"{doc_id}{SUFFIX}"

    def get(self, doc_id: str) -> tuple[dict[str, Any], list[bytes]] | None:
        """The document's cached result, or None if absent or corrupt (then it is removed)."""
        path = self.path(doc_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        try:
            entry = decode(raw)
        except CorruptEntryError as err:
            log.warning("cache entry %s is corrupt (%s): recomputing", path, err)
            path.unlink(missing_ok=True)
            self.corrupt += 1
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, doc_id: str, raw: bytes) -> None:
        """Store an encoded entry atomically."""
        with atomic_path(self.path(doc_id)) as tmp:
            tmp.write_bytes(raw)

    def keep_only(self, doc_ids: set[str]) -> None:
        """Remove entries of documents no longer in the corpus, and temp files of killed runs."""
        for path in self.root.glob(f"*{SUFFIX}"):
            if path.name[:-len(SUFFIX)] not in doc_ids:
                path.unlink()
                self.stale_removed += 1
        for leftover in self.root.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)

    def counts(self) -> dict[str, int]:
        """Hits, misses, corrupt and removed entries, for the stage report."""
        return {"hits": self.hits, "misses": self.misses, "corrupt": self.corrupt,
                "stale_removed": self.stale_removed}
