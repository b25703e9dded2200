"""Per-document results kept between runs, so a re-run only redoes documents that changed.

A stage's result for one document is stored under the document's id in a folder stamped with
the stage's *version*: a hash of the stage's code, the parameters it reads and the model.
Change any of those and the whole folder is recomputed; add, edit or remove a document and
only that document is. An entry also records the digests of the inputs it was made from (the
text, the parse...), so a stale entry is recomputed even when the document id is unchanged.

An entry is a sequence of parts (JSON or binary), each with its own sha256, so a reader can
stream a very long document part by part and still detect damage; a trailer holds a digest
of all parts, which names the entry (later stages record it as their input's digest). A
corrupt entry (a disk error, a killed write) is detected, logged, dropped and recomputed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import shutil
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pipeline.core.io import atomic_path
from pipeline.core.stage import StageError

log = logging.getLogger("chronicle.cache")

MAGIC = b"CHRONICLE-CACHE-2\n"
VERSION_FILE = "VERSION"
SUFFIX = ".spacy"
_LENGTH = struct.Struct(">Q")
_DIGEST = 32


class CorruptEntryError(ValueError):
    """A cache entry whose bytes do not match its checksums or format."""


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache {type(value).__name__}")


def _json_hook(obj: dict) -> Any:
    return dt.date.fromisoformat(obj["$date"]) if obj.keys() == {"$date"} else obj


def dump_json(data: Any) -> bytes:
    """JSON bytes of a part (dates kept as dates, keys sorted: the same data, the same bytes)."""
    return json.dumps(data, default=_json_default, sort_keys=True).encode("utf-8")


def load_json(raw: bytes) -> Any:
    """The data of a JSON part."""
    return json.loads(raw, object_hook=_json_hook)


class EntryWriter:
    """Write one entry part by part; it appears under its name only once closed without error."""

    def __init__(self, target: Path) -> None:
        self._atomic = atomic_path(target, clean=False)  # DocCache.keep_only clears them
        self._handle: IO[bytes] = open(self._atomic.__enter__(), "wb")  # noqa: SIM115
        self._handle.write(MAGIC)
        self._digest = hashlib.sha256()

    def add(self, payload: bytes) -> None:
        """Append a binary part."""
        digest = hashlib.sha256(payload).digest()
        self._handle.write(_LENGTH.pack(len(payload)) + digest)
        self._handle.write(payload)
        self._digest.update(digest)

    def add_json(self, data: Any) -> None:
        """Append a JSON part."""
        self.add(dump_json(data))

    def close(self) -> None:
        """Finish the entry: write the trailer and move it into place."""
        try:
            self._handle.write(self._digest.digest())
            self._handle.close()
        except BaseException as err:
            self._handle.close()
            self._atomic.__exit__(type(err), err, err.__traceback__)  # a full disk is named
            raise
        self._atomic.__exit__(None, None, None)

    def abort(self) -> None:
        """Give up: the half-written entry is removed and nothing appears."""
        self._handle.close()
        with contextlib.suppress(RuntimeError):
            self._atomic.__exit__(RuntimeError, RuntimeError("entry aborted"), None)

    def __enter__(self) -> EntryWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def write_entry(target: Path, parts: Iterable[bytes]) -> None:
    """Write a whole entry at once."""
    with EntryWriter(target) as writer:
        for part in parts:
            writer.add(part)


def iter_parts(path: Path) -> Iterator[bytes]:
    """The parts of an entry, one at a time, each checked; CorruptEntryError on any damage."""
    with path.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise CorruptEntryError("not a cache entry of this version")
        total = hashlib.sha256()
        while True:
            head = handle.read(_LENGTH.size + _DIGEST)
            if len(head) == _DIGEST and not handle.read(1):  # the trailer
                if head != total.digest():
                    raise CorruptEntryError("parts missing or out of order")
                return
            if len(head) < _LENGTH.size + _DIGEST:
                raise CorruptEntryError("truncated entry")
            (size,) = _LENGTH.unpack(head[: _LENGTH.size])
            payload = handle.read(size)
            digest = head[_LENGTH.size :]
            if len(payload) != size or hashlib.sha256(payload).digest() != digest:
                raise CorruptEntryError("a part does not match its checksum")
            total.update(digest)
            yield payload


def read_entry(path: Path) -> list[bytes]:
    """Every part of an entry (small entries; long documents stream with `iter_parts`)."""
    return list(iter_parts(path))


def digest_of(path: Path) -> str | None:
    """The entry's name: the digest in its trailer, read without reading the entry."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            if handle.tell() < len(MAGIC) + _DIGEST:
                return None
            handle.seek(-_DIGEST, 2)
            return handle.read(_DIGEST).hex()
    except FileNotFoundError:
        return None


def version_of(*sources: Path, settings: Any = None) -> str:
    """Hash of source files (or folders of .py/.txt/.csv/.yaml files) and settings."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for source in sources:
        files = (
            sorted(p for p in source.rglob("*") if p.suffix in {".py", ".txt", ".csv", ".yaml"})
            if source.is_dir()
            else [source]
        )
        for path in files:  # names relative to the source: the checkout's location is no part
            name = path.relative_to(source).as_posix() if source.is_dir() else path.name
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class DocCache:
    """The cached per-document results of one stage."""

    root: Path
    version: str
    reused: int = 0
    computed: int = 0
    corrupt: int = 0
    stale_removed: int = 0

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

    def not_a_folder(self, path: Path) -> None:
        """Stop with one line when something other than the pipeline put a folder in its place.

        The cache is the pipeline's own, but it does not delete a folder it did not make.
        """
        if path.is_dir():
            raise StageError(
                f"cache entry {path} is a folder: delete it (the cache {self.root} is "
                "rebuilt as needed) and run again"
            )

    def fresh(self, doc_id: str, inputs: dict[str, Any]) -> bool:
        """Whether the entry exists, is whole, and was made from exactly these inputs.

        The header (first part) records the inputs; a damaged entry is removed here.
        """
        path = self.path(doc_id)
        if not path.exists():
            return False
        self.not_a_folder(path)
        try:
            header = load_json(next(iter_parts(path)))
        except (CorruptEntryError, StopIteration, ValueError) as err:
            self.drop(doc_id, f"corrupt ({err})")
            return False
        return header.get("inputs") == inputs

    def usable(self, doc_id: str, inputs: dict[str, Any], verify: bool) -> bool:
        """Whether the entry can be reused: fresh, and when `verify`, whole (every part read)."""
        return self.fresh(doc_id, inputs) and (not verify or self.check(doc_id))

    def check(self, doc_id: str) -> bool:
        """Read the whole entry once to verify every part; drop it if damaged."""
        try:
            for _ in iter_parts(self.path(doc_id)):
                pass
        except (CorruptEntryError, FileNotFoundError) as err:
            self.drop(doc_id, f"corrupt ({err})")
            return False
        return True

    def drop(self, doc_id: str, why: str) -> None:
        """Remove a damaged entry, saying so."""
        log.warning("cache entry %s is %s: recomputing", self.path(doc_id), why)
        self.path(doc_id).unlink(missing_ok=True)
        self.corrupt += 1

    def keep_only(self, doc_ids: set[str]) -> None:
        """Remove entries of documents no longer in the corpus, and temp files of killed runs."""
        for path in self.root.glob(f"*{SUFFIX}"):
            if path.name[: -len(SUFFIX)] not in doc_ids:
                self.not_a_folder(path)
                path.unlink()
                self.stale_removed += 1
        for leftover in self.root.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)

    def counts(self) -> dict[str, int]:
        """Entries reused, computed, found corrupt and removed, for the run log."""
        return {
            "reused": self.reused,
            "computed": self.computed,
            "corrupt": self.corrupt,
            "stale_removed": self.stale_removed,
        }


def build_with_recovery(build: Callable[[bool], None], stage: str) -> None:
    """Run a stage's `build(verify)`: first trusting entries whose header matches their inputs.

    A stage reads every entry in full when it writes its tables, checking each part. Checking
    them all before as well doubled the cost of a re-run that reuses almost everything. So
    the first attempt checks headers only; if the table pass then meets a damaged entry, the
    stage starts over with `verify=True`, reading every entry in full first and recomputing
    the damaged ones. Tables are written atomically: the failed attempt leaves nothing.
    """
    try:
        build(False)
    except CorruptEntryError as err:
        log.warning(
            "%s: a cached entry is damaged (%s); checking every entry and recomputing "
            "the damaged ones",
            stage,
            err,
        )
        build(True)
