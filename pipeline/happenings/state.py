"""What the happenings stage keeps between runs, so that an edit regroups only its families.

Grouping decomposes exactly by trigger family: every block a happening is filed under, and
every block an event looks in, starts with the family (`rules.Blocks`), so the events of one
family never meet another family's happenings, and the greedy order within a family is the
order of its own events. The state therefore holds each event's key (everything the rules
read of it, `tellings.telling_inputs`) and family, and the happenings rows and memberships
the last run gave. A re-run groups again only the families with an event whose key is new or
gone (an event added, edited, deleted, or whose entities changed) and copies the other
families' rows.

The state is one file, `${paths.cache}/happenings/state.chronicle`, in the format of the
per-document caches (every part checksummed), stamped with the stage's version (code,
lexicons, params). A missing, damaged or other-version state means grouping every family,
with one log line: never a wrong table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core import cache
from pipeline.core.codedeps import code_paths
from pipeline.core.config import Params
from pipeline.core.stage import log

STATE_FILE = "state.chronicle"

MEMBERSHIPS = pa.schema(
    [
        ("event_id", pa.string()),
        ("happening_id", pa.string()),
        ("grouped_by", pa.list_(pa.string())),
    ]
)
"""Each event's happening and the evidence that joined it."""


KEYS = pa.schema([("family", pa.string()), ("key", pa.string())])
"""Each event's family and key (`tellings.telling_inputs`)."""


@dataclass
class State:
    """The events' keys and what grouping them gave."""

    version: str
    keys: pa.Table
    happenings: pa.Table
    """The happenings table's rows (its `trigger` is the family)."""
    memberships: pa.Table


def state_path(params: Params) -> Path:
    """Where the state lives: a DVC out of the stage, kept between runs (`persist`)."""
    return params.paths.cache / "happenings" / STATE_FILE


def stage_version(params: Params) -> str:
    """Hash of the stage's code and lexicons and its params: any change regroups everything."""
    return cache.version_of(*code_paths("pipeline.happenings"), settings=vars(params.happenings))


def changed_families(keys: pa.Table, previous: State | None) -> set[str]:
    """The families with an event whose key is new or gone since the last run (all if none)."""
    if previous is None:
        return set(pc.unique(keys["family"]).to_pylist())
    new = pc.invert(pc.is_in(keys["key"], value_set=previous.keys["key"]))
    gone = pc.invert(pc.is_in(previous.keys["key"], value_set=keys["key"]))
    return set(pc.unique(keys["family"].filter(new)).to_pylist()) | set(
        pc.unique(previous.keys["family"].filter(gone)).to_pylist()
    )


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _table(payload: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.py_buffer(payload)).read_all()


def save(params: Params, state: State) -> None:
    """Write the state atomically (one file)."""
    path = state_path(params)
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [state.keys, state.happenings, state.memberships]
    cache.write_entry(path, [state.version.encode(), *map(_ipc, parts)])


def load(params: Params, version: str) -> State | None:
    """The last run's state, or None (logged) when there is none usable."""
    path = state_path(params)
    if not path.exists():
        log.info("happenings: no saved state at %s; grouping every family", path)
        return None
    try:
        version_part, *parts = list(cache.iter_parts(path))
        state = State(version_part.decode(), *map(_table, parts))
    except (OSError, ValueError, TypeError, pa.ArrowException) as err:
        log.info("happenings: state %s unreadable (%s); grouping every family", path, err)
        return None
    if state.version != version:
        log.info("happenings: code, lexicon or params changed; grouping every family")
        return None
    return state
