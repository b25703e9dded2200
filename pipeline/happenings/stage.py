"""Stage 6, happenings: one row per real-world event, and each event's happening.

Runs after `entities` because the rules compare participants by entity id, which only the
entities stage gives (across documents: "Khrushchev" in one essay and "Nikita Khrushchev" in
another are one entity). The rules are `pipeline.happenings.rules`; docs/happenings.md
explains them. Reads the events the events stage wrote (without their happening), the
participants and the documents' publication dates; writes the happenings table and the
events table with `happening_id` and `grouped_by`, in the events stage's order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from pipeline.core.config import Params
from pipeline.core.io import TableWriter, iter_rows, write_rows
from pipeline.core.stage import log, table_path, ungrouped_events_path, write_report
from pipeline.happenings.rules import (
    Happening,
    Settings,
    Telling,
    family_of,
    group,
    happening_row,
    load_families,
    memberships,
)
from schemas import TABLES

EVENT_COLUMNS = (
    "event_id",
    "doc_id",
    "trigger",
    "event_type",
    "polarity",
    "date_basis",
    "precision",
    "date_start",
    "date_end",
    "year_start",
    "year_end",
    "trigger_start_char",
)
"""What the rules read of an event."""


def tellings(params: Params) -> Iterator[Telling]:
    """The corpus's events as the rules see them, with their entities and publication date."""
    published = {
        row["doc_id"]: row["published"]
        for row in iter_rows(table_path(params, "documents"), ["doc_id", "published"])
    }
    entities: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in iter_rows(table_path(params, "participants"), ["event_id", "role", "entity_id"]):
        if row["entity_id"] is not None:
            entities[row["event_id"]].add((row["role"], row["entity_id"]))
    named = document_entities(params)
    families = load_families()
    for row in iter_rows(ungrouped_events_path(params), list(EVENT_COLUMNS)):
        yield Telling(
            **row,
            family=family_of(row["trigger"], families),
            published=published.get(row["doc_id"]),
            entities=frozenset(entities.pop(row["event_id"], ())),
            context=named.get(row["doc_id"], frozenset()),
        )


def document_entities(params: Params) -> dict[str, frozenset[str]]:
    """The entities each document names (its mentions' entity ids)."""
    named: dict[str, set[str]] = defaultdict(set)
    for row in iter_rows(table_path(params, "mentions"), ["doc_id", "entity_id"]):
        named[row["doc_id"]].add(row["entity_id"])
    return {doc_id: frozenset(entities) for doc_id, entities in named.items()}


def write_events(params: Params, happenings: list[Happening]) -> Counter:
    """The events table: each event with its happening and the evidence that joined it.

    Returns how often each kind of evidence joined an event, for the report.
    """
    member_of = {event_id: (h, e) for event_id, h, e in memberships(happenings)}
    evidence: Counter = Counter()
    with TableWriter(TABLES["events"], table_path(params, "events")) as out:
        for row in iter_rows(ungrouped_events_path(params)):
            happening_id, grouped_by = member_of[row["event_id"]]
            evidence.update(grouped_by or ["first_telling"])
            out.write([{**row, "happening_id": happening_id, "grouped_by": grouped_by}])
    return evidence


def run(params: Params) -> None:
    """Group the events into happenings; write both tables and the stage's report."""
    settings = Settings(**vars(params.happenings))
    happenings = group(tellings(params), settings)
    rows = [happening_row(h) for h in happenings]
    write_rows(rows, TABLES["happenings"], table_path(params, "happenings"))
    evidence = write_events(params, happenings)
    report = {
        "happenings": len(rows),
        "happenings_told_by_several_documents": sum(r["n_documents"] > 1 for r in rows),
        "happenings_with_date_conflict": sum(bool(r["date_conflict"]) for r in rows),
        "events_per_evidence": dict(sorted(evidence.items())),
    }
    write_report(params, "happenings", report)
    log.info("happenings: %d events -> %s", sum(r["n_events"] for r in rows), report)
