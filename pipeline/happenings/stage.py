"""Stage 6, happenings: one row per real-world event, and each event's happening.

Runs after `entities` because the rules compare participants by entity id, which only the
entities stage gives (across documents: "Khrushchev" in one essay and "Nikita Khrushchev" in
another are one entity). The rules are `pipeline.happenings.rules`; docs/happenings.md
explains them. Reads the events the events stage wrote (without their happening), the
participants, the mentions and the documents' publication dates; writes the happenings table
and the events table with `happening_id` and `grouped_by`, in the events stage's order.

Grouping decomposes by trigger family, so a re-run groups again only the families whose
events changed and copies the others' rows from the last run (`pipeline.happenings.state`).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core.columnar import conform, plain_strings, write_table_groups
from pipeline.core.config import Params
from pipeline.core.io import PARQUET_OPTIONS, atomic_path
from pipeline.core.memory import return_freed_memory
from pipeline.core.stage import log, table_path, ungrouped_events_path, write_report
from pipeline.happenings import state
from pipeline.happenings.rules import Settings, group, happening_row, memberships
from pipeline.happenings.tellings import make_tellings, telling_inputs
from schemas import TABLES, arrow_schema


def regroup(
    inputs: pa.Table, settings: Settings, previous: state.State | None, version: str
) -> state.State:
    """The happenings and memberships of every family: copied where its events are unchanged."""
    keys = inputs.select(["family", "key"])
    changed = state.changed_families(keys, previous)
    redo = inputs.filter(
        pc.is_in(inputs["family"], value_set=pa.array(sorted(changed), pa.string()))
    )
    happenings = group(make_tellings(redo), settings)
    rows = pa.Table.from_pylist(
        [happening_row(h) for h in happenings], schema=arrow_schema(TABLES["happenings"])
    )
    members = pa.Table.from_pylist(
        [
            {"event_id": e, "happening_id": h, "grouped_by": g}
            for e, h, g in memberships(happenings)
        ],
        schema=state.MEMBERSHIPS,
    )
    if previous is not None:
        kept = pc.invert(
            pc.is_in(
                previous.happenings["trigger"], value_set=pa.array(sorted(changed), pa.string())
            )
        )
        old_rows = previous.happenings.filter(kept)
        old_members = previous.memberships.filter(
            pc.is_in(previous.memberships["happening_id"], value_set=old_rows["happening_id"])
        )
        rows = pa.concat_tables([conform(old_rows, rows.schema), rows])
        members = pa.concat_tables([old_members.cast(members.schema), members])
    n_families = len(pc.unique(keys["family"]))
    log.info("happenings: %d of %d families grouped again", len(changed), n_families)
    return state.State(version, keys, conform(rows.sort_by("happening_id"), rows.schema), members)


def write_happenings(params: Params, happenings: pa.Table) -> None:
    """The happenings table, one row group sorted by id (as `io.write_rows` writes it)."""
    with atomic_path(table_path(params, "happenings")) as tmp:
        pq.write_table(happenings, tmp, **PARQUET_OPTIONS)


def write_events(params: Params, members: pa.Table) -> None:
    """The events table: each event with its happening and the evidence that joined it."""
    events = plain_strings(pq.read_table(ungrouped_events_path(params)))
    found = pc.index_in(events["event_id"], value_set=members["event_id"])
    events = events.append_column("happening_id", members["happening_id"].take(found))
    events = events.append_column("grouped_by", members["grouped_by"].take(found))
    write_table_groups(events, arrow_schema(TABLES["events"]), table_path(params, "events"))


def count_true(mask: pa.Array | pa.ChunkedArray) -> int:
    """How many entries of a boolean column are true."""
    return pc.sum(mask).as_py() or 0


def happenings_report(happenings: pa.Table, members: pa.Table) -> dict:
    """The stage's counts: happenings, those told by several documents or in conflict.

    And how often each kind of evidence joined an event (a first telling has none).
    """
    grouped_by = members["grouped_by"]
    flat = pc.list_flatten(grouped_by).value_counts().to_pylist()
    evidence = {c["values"]: c["counts"] for c in flat}
    first = count_true(pc.equal(pc.list_value_length(grouped_by), 0))
    if first:
        evidence["first_telling"] = first
    return {
        "happenings": happenings.num_rows,
        "happenings_told_by_several_documents": count_true(
            pc.greater(happenings["n_documents"], 1)
        ),
        "happenings_with_date_conflict": count_true(
            pc.greater(pc.list_value_length(happenings["date_conflict"]), 0)
        ),
        "events_per_evidence": dict(sorted(evidence.items())),
    }


def run(params: Params) -> None:
    """Group the events into happenings, grouping again only the families that changed."""
    return_freed_memory()
    settings = Settings(**vars(params.happenings))
    version = state.stage_version(params)
    previous = state.load(params, version)
    new = regroup(telling_inputs(params), settings, previous, version)
    write_happenings(params, new.happenings)
    write_events(params, new.memberships)
    if previous is None or not previous.keys.equals(new.keys):
        state.save(params, new)
    report = happenings_report(new.happenings, new.memberships)
    write_report(params, "happenings", report)
    log.info("happenings: %d events -> %s", new.memberships.num_rows, report)
