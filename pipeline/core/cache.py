"""Per-document results kept between runs, so a re-run only redoes documents that changed.

A stage's result for one document is an *entry*, stored under the document's id (ingest: the
file's sha256) in a folder stamped with the stage's *version*: a hash of the stage's code, the
parameters it reads and the model. Change any of those and the whole folder is recomputed; add,
edit or remove a document and only that document is. An entry also records the digests of the
inputs it was made from (the text, the parse...), so a stale entry is recomputed even when the
document id is unchanged.

An entry is a sequence of parts (JSON or binary), each with its own sha256, so a reader can
stream a very long document part by part and still detect damage; a trailer holds a digest
of all parts, which names the entry (later stages record it as their input's digest). A
corrupt entry (a disk error, a killed write) is detected, logged, dropped and recomputed.

Entries live in a fixed number of shard files (`SHARD_CHARS`), each holding its entries in key
order and an index of them, so DVC tracks 256 files a stage whatever the corpus size. A stage
writes new entries to ``pending/`` and packs them into their shards at the end (`DocCache`);
every reader gets an entry by key (`Shards`).

A stage that makes tables from its entries gives its cache `Fragments`: each shard then also
keeps its entries' rows of those tables as Arrow fragments, remade only when the shard is
rewritten, so a stage's table is its shards' fragments one after another (`DocCache.tables`)
and an edit re-encodes only the rows of the shards it touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import itertools
import json
import logging
import shutil
import stat
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from pipeline.core.io import atomic_path, write_json
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


def iter_parts(path: Path, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
    """The parts of an entry, one at a time, each checked; CorruptEntryError on any damage.

    The entry is the whole file, or the `length` bytes at `offset` (an entry in a shard).
    """
    with path.open("rb") as handle:
        if length is None:
            length = handle.seek(0, 2) - offset
        handle.seek(offset)
        yield from _parts(handle, length)


def _parts(handle: IO[bytes], length: int) -> Iterator[bytes]:
    """The checked parts of the `length`-byte entry at the handle's position."""
    if handle.read(len(MAGIC)) != MAGIC:
        raise CorruptEntryError("not a cache entry of this version")
    left = length - len(MAGIC)
    total = hashlib.sha256()
    while left > _DIGEST:
        head = handle.read(_LENGTH.size + _DIGEST)
        if len(head) < _LENGTH.size + _DIGEST:
            raise CorruptEntryError("truncated entry")
        (size,) = _LENGTH.unpack(head[: _LENGTH.size])
        if size > left - len(head) - _DIGEST:
            raise CorruptEntryError("truncated entry")
        payload = handle.read(size)
        digest = head[_LENGTH.size :]
        if len(payload) != size or hashlib.sha256(payload).digest() != digest:
            raise CorruptEntryError("a part does not match its checksum")
        total.update(digest)
        left -= len(head) + size
        yield payload
    if left != _DIGEST or handle.read(_DIGEST) != total.digest():
        raise CorruptEntryError("parts missing or out of order")


def _trailer(path: Path) -> str:
    """The digest in an entry file's trailer: the entry's name."""
    with path.open("rb") as handle:
        handle.seek(-_DIGEST, 2)
        return handle.read(_DIGEST).hex()


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


SHARD_CHARS = 2
"""A key's shard is its hash's first two hex characters: 256 shard files a stage, fixed.

DVC stats and hashes every file of a stage's outputs on each `dvc repro`, so one file a
document made its part of every run grow with the corpus; 256 files cost the same at a
hundred documents or a million, and an edited document rewrites the shards of its old and new
id (a document's id hashes its bytes), each 1/256 of the store. Hash
characters are uniform, so the shards fill evenly; and since stages go through documents in
doc_id order, they read the shards one after another.
"""

SHARD_DIR = "shards"
SHARD_SUFFIX = ".pack"
SHARD_MAGIC = b"CHRONICLE-SHARD-2\n"
PENDING_DIR = "pending"
KEPT_INDEXES = 8
"""Shard indexes a reader keeps in memory: enough for reading in key order, whatever the corpus."""

_FOOTER = struct.Struct(">Q32s")
"""The end of a shard: the length of its index, and the index's sha256."""
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class Located:
    """One entry in its shard: where its bytes lie, its name (trailer digest) and its inputs."""

    offset: int
    length: int
    digest: str
    inputs: Any


def shard_of(key: str) -> str:
    """The shard of a key (a doc_id or a sha256): the start of its hash, after any prefix."""
    return key.rpartition("_")[2][:SHARD_CHARS]


@dataclass(frozen=True)
class Fragment:
    """One table's rows of a shard's entries: an Arrow IPC stream in the shard, and its sha256."""

    offset: int
    length: int
    sha256: str
    rows: int


@dataclass(frozen=True)
class ShardIndex:
    """What a shard holds: its entries by key, and its fragments by table name."""

    entries: dict[str, Located]
    fragments: dict[str, Fragment]


def read_shard_index(path: Path) -> ShardIndex:
    """A shard's index, checked against its sha256; CorruptEntryError if damaged."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(0)
        if size < len(SHARD_MAGIC) + _FOOTER.size or handle.read(len(SHARD_MAGIC)) != SHARD_MAGIC:
            raise CorruptEntryError("not a shard of this version")
        handle.seek(size - _FOOTER.size)
        length, digest = _FOOTER.unpack(handle.read(_FOOTER.size))
        if length > size - len(SHARD_MAGIC) - _FOOTER.size:
            raise CorruptEntryError("truncated shard")
        handle.seek(size - _FOOTER.size - length)
        raw = handle.read(length)
    if hashlib.sha256(raw).digest() != digest:
        raise CorruptEntryError("its index does not match its checksum")
    data = load_json(raw)
    return ShardIndex(
        {key: Located(*rest) for key, *rest in data["entries"]},
        {name: Fragment(*rest) for name, *rest in data["fragments"]},
    )


def read_index(path: Path) -> dict[str, Located]:
    """A shard's entries by key, its index checked; CorruptEntryError if damaged."""
    return read_shard_index(path).entries


@dataclass(frozen=True)
class Fragments:
    """How a stage's entries become rows of its tables, kept per shard (see the module's doc).

    `rows(key, parts)` gives one entry's rows of each table, by name; `schemas` are the
    tables' Arrow schemas with categoricals as plain values (`pipeline.core.io.plain_schema`).
    A table is its shards' fragments in shard order, each its entries' rows in key order: in
    doc_id order, the order the stages write their tables in.
    """

    schemas: dict[str, pa.Schema]
    rows: Callable[[str, Iterator[bytes]], dict[str, list[dict]]]


FRAGMENT_COMPRESSION = "lz4"
"""Fragments are compressed (they repeat what the entries hold); LZ4 decodes fastest."""


def encode_fragment(table: pa.Table) -> bytes:
    """A table as Arrow IPC stream bytes: the same rows, the same bytes."""
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression=FRAGMENT_COMPRESSION)
    with pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


class Shards:
    """A stage's entries read by key, from its shard files: how any stage or worker reads them.

    A shard ``shards/<xx>.pack`` is its entries one after another (each exactly as an entry
    file: `MAGIC`, checksummed parts, trailer), in key order, then an index (JSON rows of key,
    offset, length, digest, inputs) and `_FOOTER`. The last indexes read are kept with their
    file's identity, so a shard rewritten since is read again.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._indexes: dict[str, tuple[tuple[int, int, int], ShardIndex]] = {}
        self._outline: dict[str, tuple[tuple[int, int, int], list[str], dict[str, Fragment]]] = {}
        """Every shard's keys and fragments (no inputs): small, so kept for all shards."""

    def shard_path(self, shard: str) -> Path:
        """Where a shard lives."""
        return self.root / SHARD_DIR / f"{shard}{SHARD_SUFFIX}"

    def seal(self, shard: str) -> str | None:
        """The sha256 of a shard's index, read from its footer alone (None if there is none).

        The index names every entry of the shard and the inputs it was made from, so the seal
        changes whenever any of them does: a stage compares seals to know that a whole shard of
        its inputs is as it was, without reading one entry (`DocCache.stale_keys`).
        """
        try:
            with self.shard_path(shard).open("rb") as handle:
                size = handle.seek(0, 2)
                if size < len(SHARD_MAGIC) + _FOOTER.size:
                    return None
                handle.seek(size - _FOOTER.size)
                return _FOOTER.unpack(handle.read(_FOOTER.size))[1].hex()
        except OSError:
            return None

    def index(self, shard: str) -> dict[str, Located]:
        """A shard's entries by key ({} if it has none); CorruptEntryError if its index is damaged.

        The pipeline does not delete a folder it did not make, so one in a shard's place stops
        the stage with one line.
        """
        return self.shard_index(shard).entries

    def identity(self, shard: str) -> tuple[int, int, int] | None:
        """The shard file's inode, size and mtime (None if it does not exist)."""
        path = self.shard_path(shard)
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        if stat.S_ISDIR(info.st_mode):
            raise StageError(
                f"cache shard {path} is a folder: delete it (the cache {self.root} is "
                "rebuilt as needed) and run again"
            )
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def outline(self, shard: str) -> tuple[list[str], dict[str, Fragment]]:
        """A shard's keys in order and its fragments, read from its index once while unchanged."""
        identity = self.identity(shard)
        if identity is None:
            return [], {}
        kept = self._outline.get(shard)
        if kept is None or kept[0] != identity:
            self.shard_index(shard)
            kept = self._outline[shard]
        return kept[1], kept[2]

    def shard_index(self, shard: str) -> ShardIndex:
        """A shard's entries and fragments (none if it does not exist); see `index`."""
        identity = self.identity(shard)
        if identity is None:
            return ShardIndex({}, {})
        kept = self._indexes.pop(shard, None)
        if kept is None or kept[0] != identity:
            kept = (identity, read_shard_index(self.shard_path(shard)))
            self._outline[shard] = (identity, list(kept[1].entries), kept[1].fragments)
        self._indexes[shard] = kept
        if len(self._indexes) > KEPT_INDEXES:
            del self._indexes[next(iter(self._indexes))]
        return kept[1]

    def fragment(self, shard: str, name: str) -> pa.Table | None:
        """A shard's rows of table `name` (None if it keeps none).

        CorruptEntryError if its bytes do not match their sha256.
        """
        found = self.outline(shard)[1].get(name)
        if found is None:
            return None
        with self.shard_path(shard).open("rb") as handle:
            handle.seek(found.offset)
            raw = handle.read(found.length)
        if hashlib.sha256(raw).hexdigest() != found.sha256:
            raise CorruptEntryError(f"the {name} fragment does not match its checksum")
        return pa.ipc.open_stream(raw).read_all()

    def present(self) -> list[str]:
        """The shards that exist, in order."""
        folder = self.root / SHARD_DIR
        return sorted(p.name[: -len(SHARD_SUFFIX)] for p in folder.glob(f"*{SHARD_SUFFIX}"))

    def digest(self, key: str) -> str | None:
        """The entry's name (the digest in its trailer), from the index; None if there is none."""
        try:
            located = self.index(shard_of(key)).get(key)
        except CorruptEntryError:
            return None
        return None if located is None else located.digest

    def parts(self, key: str) -> Iterator[bytes]:
        """The entry's parts, one at a time, each checked; CorruptEntryError if damaged or gone."""
        located = self.index(shard_of(key)).get(key)
        if located is None:
            raise CorruptEntryError(f"no entry for {key} in {self.root}")
        return iter_parts(self.shard_path(shard_of(key)), located.offset, located.length)

    def read(self, key: str) -> list[bytes]:
        """Every part of the entry (small entries; long documents stream with `parts`)."""
        return list(self.parts(key))


@functools.lru_cache(maxsize=16)
def reader(root: Path) -> Shards:
    """The reader of a stage's store that later stages share, so each index is read once a run."""
    return Shards(root)


def _copy(source: IO[bytes], target: IO[bytes], size: int) -> None:
    """Copy `size` bytes, a chunk at a time (an entry can hold a very long document's parse)."""
    while size > 0:
        chunk = source.read(min(size, _COPY_CHUNK))
        if not chunk:
            raise CorruptEntryError("truncated shard")
        target.write(chunk)
        size -= len(chunk)


@dataclass
class DocCache:
    """The cached per-document results of one stage: its own store, read and written.

    New and recomputed entries are written whole, streaming, to ``pending/``; `pack` then
    moves them into their shards, rewriting only the shards that gained, changed or lost
    entries. Entries to remove (stale or damaged) are noted, and go at `pack` too. A run
    killed before `pack` leaves complete entries in ``pending/`` (an entry appears there only
    once whole): the next run packs them, keeping the work done, and removes half-written ones.
    """

    root: Path
    version: str
    fragments: Fragments | None = None
    """The tables kept per shard beside the entries, if the stage makes tables from them."""
    reused: int = 0
    computed: int = 0
    corrupt: int = 0
    stale_removed: int = 0
    _gone: dict[str, set[str]] = field(default_factory=dict)
    """Per shard, keys whose entry goes at `pack`."""
    _broken: set[str] = field(default_factory=set)
    """Shards whose index is damaged: their entries are recomputed."""
    _lost: set[str] = field(default_factory=set)
    """Shards whose damaged index was given up this run: their keys count as corrupt."""
    _suspect: set[str] = field(default_factory=set)
    """Shards changed since they were packed: rewritten, so every entry in them is read."""
    _unsettled: set[str] = field(default_factory=set)
    """Shards changed since they were packed when the run began: none of them is settled."""
    _seals: dict[str, tuple[list[str | None], list[str]]] = field(default_factory=dict)
    """Per shard, the seals of what its entries are made from this run, and its documents."""

    def __post_init__(self) -> None:
        stamp = self.root / VERSION_FILE
        if self.root.exists() and (not stamp.exists() or stamp.read_text() != self.version):
            log.info("cache %s: code, params or model changed; starting afresh", self.root)
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        if not stamp.exists():
            stamp.write_text(self.version)
        self.shards = Shards(self.root)
        for folder in (PENDING_DIR, SHARD_DIR):
            for leftover in (self.root / folder).glob(".*.tmp"):  # a killed run's half-writes
                leftover.unlink(missing_ok=True)
        self._suspect = self._changed_since_packed() if self.fragments else set()
        self._unsettled = set(self._suspect)
        self.pack()

    def run_record(self, kind: str) -> Path:
        """A record the stage keeps between runs, beside its run log.

        Outside the DVC outputs: it holds file-system details, not data. `shards`: each
        shard's size and mtime as `pack` left them; `settled`: the seals of `stale_keys`;
        ingest's `hashes`.
        """
        return self.root.parent / "runs" / f"{self.root.name}-{kind}.json"

    def _changed_since_packed(self) -> set[str]:
        """Shards not as `pack` left them (a copy, a checkout, a damaged disk): checked whole.

        A stage with fragments reads them, not its entries, for its tables; an entry damaged
        since it was packed would go unseen until a later stage reads it. A shard whose
        size or mtime changed is rewritten at once (`pack`), which reads every entry in it.
        """
        try:
            packed = json.loads(self.run_record("shards").read_text())
        except (OSError, ValueError):
            packed = {}
        return {shard for shard in self.shards.present() if packed.get(shard) != self._stamp(shard)}

    def _stamp(self, shard: str) -> list[int]:
        """A shard's size and mtime, not its inode: a copy that keeps them is the same shard."""
        return list((self.shards.identity(shard) or (0, 0, 0))[1:])

    def _record_packed(self) -> None:
        shards = self.shards.present()
        write_json(
            {shard: self._stamp(shard) for shard in shards},
            self.run_record("shards"),
        )

    def _index(self, shard: str) -> dict[str, Located]:
        """A shard's index; a damaged one is given up (logged), and its shard rewritten."""
        if shard in self._broken:
            return {}
        try:
            return self.shards.index(shard)
        except CorruptEntryError as err:
            log.warning(
                "cache shard %s is damaged (%s): recomputing its entries",
                self.shards.shard_path(shard),
                err,
            )
            self._broken.add(shard)
            return {}

    def fresh(self, key: str, inputs: dict[str, Any]) -> bool:
        """Whether the entry exists and was made from exactly these inputs (read from the index).

        A key of a damaged shard counts as corrupt.
        """
        shard = shard_of(key)
        located = None if key in self._gone.get(shard, ()) else self._index(shard).get(key)
        if shard in self._broken or shard in self._lost:
            self.corrupt += 1
        return located is not None and located.inputs == inputs

    def usable(self, key: str, inputs: dict[str, Any], verify: bool) -> bool:
        """Whether the entry can be reused: fresh, and when `verify`, whole (every part read)."""
        return self.fresh(key, inputs) and (not verify or self.check(key))

    def check(self, key: str) -> bool:
        """Read the whole entry once to verify every part; drop it if damaged."""
        try:
            for _ in self.shards.parts(key):
                pass
        except CorruptEntryError as err:
            self.drop(key, f"corrupt ({err})")
            return False
        return True

    def parts(self, key: str) -> Iterator[bytes]:
        """The entry's parts, each checked (`Shards.parts`)."""
        return self.shards.parts(key)

    def read(self, key: str) -> list[bytes]:
        """Every part of the entry."""
        return self.shards.read(key)

    def drop(self, key: str, why: str) -> None:
        """Remove a damaged entry (at `pack`), saying so."""
        log.warning("cache entry %s in %s is %s: recomputing", key, self.root, why)
        self._gone.setdefault(shard_of(key), set()).add(key)
        self.corrupt += 1

    def stale_keys(
        self,
        documents: Iterable[tuple[str, Any]],
        upstream: Sequence[Shards],
        inputs: Callable[[str, Any], dict[str, Any]],
        verify: bool,
    ) -> list[tuple[str, Any]]:
        """The documents whose entry must be made again, of `documents` (key, own), in order.

        An entry is fresh when it was made from exactly `inputs(key, own)`: the digests of the
        earlier stages' entries (`upstream`, stores keyed alike) and what the stage reads of
        the document itself (`own`). Asking that of every entry made each stage's re-run cost
        tens of microseconds a document, so it is asked a shard at a time: a shard is
        *settled*, and none of its entries looked at, when its own seal, the seals of the
        upstream shards of the same keys and a digest of its documents' `own` values are all
        what they were after the last run that checked it (`record_settled`). Each seal is a
        digest of a shard's whole index, so nothing an entry depends on can change without one
        of them changing. Nothing is settled when `verify` (every entry is to be read), under
        another version, or in a shard changed behind the stage's back (`_unsettled`). A stale
        entry goes at `pack`, whether or not the stage makes it again.
        """
        record = {} if verify or not self.fragments else self._settled_record()
        stale: list[tuple[str, Any]] = []
        for shard, group in itertools.groupby(documents, key=lambda item: shard_of(item[0])):
            members = list(group)
            seals = [
                *(store.seal(shard) for store in upstream),
                hashlib.sha256(dump_json(members)).hexdigest(),
            ]
            self._seals[shard] = (seals, [key for key, _ in members])
            if shard not in self._unsettled and record.get(shard) == [
                self.shards.seal(shard),
                *seals,
            ]:
                continue
            for key, own in members:
                if not self.usable(key, inputs(key, own), verify):
                    stale.append((key, own))
                    # the old entry goes at `pack`: one the stage does not make again leaves
                    # a gap that `check_covers` and `record_settled` see, never a stale entry
                    self._gone.setdefault(shard, set()).add(key)
        return stale

    def _settled_record(self) -> dict[str, list]:
        """The seals the last run that checked every shard left (none if unreadable)."""
        try:
            record = json.loads(self.run_record("settled").read_text())
        except (OSError, ValueError):
            return {}
        if not isinstance(record, dict) or record.get("version") != self.version:
            return {}
        shards = record.get("shards")
        return shards if isinstance(shards, dict) else {}

    def record_settled(self) -> None:
        """Keep this run's seals with each shard's own, once every entry is known fresh.

        Call it after `pack` and `check_covers`: the store then holds a fresh entry for every
        document, so each shard is settled for the inputs it was checked against. A shard
        lacking an entry for one of its documents (a file that could not be read) is left
        out, so its documents are asked again. Kept beside the run log, outside the DVC
        outputs, like the shards record; a missing or damaged record only means every entry
        is asked again.
        """
        if not self.fragments:
            return
        settled = {
            shard: [self.shards.seal(shard), *seals]
            for shard, (seals, keys) in sorted(self._seals.items())
            if self._holds(shard, keys)
        }
        write_json({"version": self.version, "shards": settled}, self.run_record("settled"))

    def finish(self, keys: list[str]) -> None:
        """End a stage's pass over its documents, `keys` in table order.

        Pack the new entries, count the ones reused, check that the store holds exactly
        `keys` in order (`check_covers`), and record the settled shards for the next run.
        """
        self.pack()
        self.reused = len(keys) - self.computed
        self.check_covers(keys)
        self.record_settled()

    def _holds(self, shard: str, keys: list[str]) -> bool:
        """Whether the shard holds an entry for each of these keys (from its kept outline)."""
        if shard in self._broken:
            return False
        try:
            return set(self.shards.outline(shard)[0]) >= set(keys)
        except CorruptEntryError:
            return False

    def keep_only(self, keys: set[str]) -> None:
        """Remove (at `pack`) the entries of documents no longer in the corpus."""
        for path in sorted((self.root / SHARD_DIR).glob(f"*{SHARD_SUFFIX}")):
            shard = path.name[: -len(SHARD_SUFFIX)]
            gone = self._gone.setdefault(shard, set())
            stale = self._index(shard).keys() - keys - gone
            gone.update(stale)
            self.stale_removed += len(stale)

    def counts(self) -> dict[str, int]:
        """Entries reused, computed, found corrupt and removed, for the run log."""
        return {
            "reused": self.reused,
            "computed": self.computed,
            "corrupt": self.corrupt,
            "stale_removed": self.stale_removed,
        }

    def _pending(self, key: str) -> Path:
        return self.root / PENDING_DIR / f"{key}{SUFFIX}"

    def writer(self, key: str) -> EntryWriter:
        """A writer of the key's new entry, part by part (it is packed into its shard later)."""
        return EntryWriter(self._pending(key))

    def write(self, key: str, parts: Iterable[bytes]) -> None:
        """Write the key's new entry at once."""
        write_entry(self._pending(key), parts)

    def pack(self) -> None:
        """Move pending entries into their shards; rewrite each shard that changed, atomically.

        A shard is replaced whole (`atomic_path`), then its pending files are deleted, so a
        run killed here leaves every shard old or new, and pending files that the next run
        packs again (the same bytes).
        """
        pending: dict[str, dict[str, Path]] = {}
        for path in sorted((self.root / PENDING_DIR).glob(f"*{SUFFIX}")):
            pending.setdefault(shard_of(path.name[: -len(SUFFIX)]), {})[
                path.name[: -len(SUFFIX)]
            ] = path
        changed = set(pending) | self._broken | {s for s, keys in self._gone.items() if keys}
        for shard in sorted(changed | self._suspect):
            self._pack_shard(shard, pending.get(shard, {}))
            for path in pending.get(shard, {}).values():
                path.unlink()
        self._gone.clear()
        self._lost |= self._broken
        self._broken.clear()
        self._suspect = set()
        if self.fragments:
            self._record_packed()

    def _pack_shard(self, shard: str, pending: dict[str, Path]) -> None:
        """Rewrite one shard: its kept entries' bytes copied (not decoded), pending ones added.

        Then its fragments are made from all its entries. An entry found damaged on the way
        is dropped, logged, and the shard written without it: the stage, which checks that
        its tables cover every document, then recomputes it.
        """
        while True:
            try:
                self._write_shard(shard, pending)
                return
            except _DamagedEntry as err:
                self.drop(err.key, f"corrupt ({err.__cause__})")
                damaged = pending.pop(err.key, None)
                if damaged is not None:
                    damaged.unlink()

    def _write_shard(self, shard: str, pending: dict[str, Path]) -> None:
        gone = self._gone.get(shard, set())
        kept = {k: v for k, v in self._index(shard).items() if k not in gone and k not in pending}
        added = {k: v for k, v in ((k, _pending_entry(p)) for k, p in pending.items()) if v}
        target = self.shards.shard_path(shard)
        if not kept and not added:
            target.unlink(missing_ok=True)
            return
        index = []
        with (
            atomic_path(target, clean=False) as tmp,
            tmp.open("w+b") as out,
            target.open("rb") if kept else contextlib.nullcontext() as source,
        ):
            out.write(SHARD_MAGIC)
            for key in sorted(kept.keys() | added.keys()):
                offset = out.tell()
                if key in added:
                    with pending[key].open("rb") as entry:
                        _copy(entry, out, added[key].length)
                    located = added[key]
                else:
                    located = kept[key]
                    source.seek(located.offset)
                    _copy(source, out, located.length)
                index.append([key, offset, located.length, located.digest, located.inputs])
            fragments = self._write_fragments(out, index)
            raw = dump_json({"entries": index, "fragments": fragments})
            out.write(raw + _FOOTER.pack(len(raw), hashlib.sha256(raw).digest()))

    def _write_fragments(self, out: IO[bytes], index: list[list]) -> list[list]:
        """Append the shard's fragments, from the entries just written; their index rows."""
        if self.fragments is None:
            return []
        end = out.tell()
        rows: dict[str, list[dict]] = {name: [] for name in self.fragments.schemas}
        for key, offset, length, *_ in index:
            out.seek(offset)
            try:
                for name, found in self.fragments.rows(key, _parts(out, length)).items():
                    rows[name].extend(found)
            except CorruptEntryError as err:
                raise _DamagedEntry(key) from err
        out.seek(end)
        written = []
        for name, schema in sorted(self.fragments.schemas.items()):
            raw = encode_fragment(pa.Table.from_pylist(rows[name], schema=schema))
            written.append(
                [name, out.tell(), len(raw), hashlib.sha256(raw).hexdigest(), len(rows[name])]
            )
            out.write(raw)
        return written

    def keys(self) -> list[str]:
        """Every key in the store, in shard then key order: the order of the tables' rows."""
        keys = []
        for shard in self.shards.present():
            if shard not in self._broken:
                try:
                    keys.extend(self.shards.outline(shard)[0])
                except CorruptEntryError:
                    self._index(shard)  # given up, logged
        return keys

    def check_covers(self, doc_ids: list[str]) -> None:
        """Check that the store holds exactly these keys, in this order (a table's rows').

        A mismatch means an entry went missing (dropped as damaged while packing), or rows
        out of order; CorruptEntryError makes the stage start over, checking every entry.
        """
        keys = self.keys()
        if keys != doc_ids:
            missing = sorted(set(doc_ids) - set(keys))[:3]
            raise CorruptEntryError(
                f"the cache {self.root} does not hold the documents in order (missing: {missing})"
            )

    def tables(self) -> Iterator[dict[str, pa.Table]]:
        """Each shard's fragments of every table, by name, shard by shard in order.

        A stage writes each table by concatenating them (see `Fragments`). A fragment that
        does not match its checksum is made again from its shard's entries.
        """
        names = sorted(self.fragments.schemas) if self.fragments else []
        for shard in self.shards.present():
            try:
                yield {name: self.shards.fragment(shard, name) for name in names}
            except CorruptEntryError as err:
                log.warning(
                    "cache shard %s: %s; making it again from the entries",
                    self.shards.shard_path(shard),
                    err,
                )
                self._pack_shard(shard, {})
                self._gone.pop(shard, None)
                self._record_packed()
                yield {name: self.shards.fragment(shard, name) for name in names}


class _DamagedEntry(Exception):
    """An entry that could not be read while its shard's fragments were made."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pending_entry(path: Path) -> Located | None:
    """A pending entry's length, name and inputs (its header part); None, logged, if damaged."""
    try:
        inputs = load_json(next(iter_parts(path)))["inputs"]
    except (CorruptEntryError, StopIteration, ValueError, KeyError) as err:
        log.warning("cache entry %s is damaged (%s): recomputing", path, err)
        return None
    return Located(0, path.stat().st_size, _trailer(path), inputs)


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
