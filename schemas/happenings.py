"""Happenings: the real-world events that the events table's tellings are about."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pandera
from pandera.engines.pandas_engine import Date
from pandera.typing import Series

from schemas import fields as f


def _entity_ids(role: str) -> object:
    return pandera.Field(
        description=f"Entities that are {role} of some member event (participants.entity_id "
        "with that role), sorted (list; empty when none).",
        metadata={"arrow": "list<string>"},
    )


class Happenings(pandera.DataFrameModel):
    """One row per real-world event told by one or more events rows, across documents.

    The members (events with this `happening_id`) share a trigger family (the same lemma or a
    related one: invade/invasion), have compatible dates and do not name different agents or
    patients (docs/happenings.md). The date is the interval the members' dates agree on;
    when members with explicit dates at month or day precision cannot all be true, the
    happening keeps every one of them in `date_conflict`.
    """

    happening_id: Series[str] = f.id_column(
        "happening",
        "Stable id: hash of the trigger family and the event_id of its first telling (the "
        "earliest published report, then by doc_id and offset).",
        unique=True,
    )
    trigger: Series[str] = pandera.Field(
        str_length={"min_value": 1},
        description="Canonical trigger lemma: the family's name in the lexicon "
        "(pipeline/happenings/lexicons/families.csv), else the members' lemma.",
    )
    event_type: Series[str] = f.category(
        f.EVENT_TYPES,
        "PLOVER type most members have (ties: the first in the vocabulary's order); null when "
        "no member is typed.",
        nullable=True,
    )
    date_start: Series[Date] = f.date_start()
    date_end: Series[Date] = f.date_end()
    year_start: Series[pd.Int64Dtype] = f.year_start()
    year_end: Series[pd.Int64Dtype] = f.year_end()
    precision: Series[str] = f.precision()
    agent_ids: Series[object] = _entity_ids("agents")
    patient_ids: Series[object] = _entity_ids("patients")
    location_ids: Series[object] = _entity_ids("locations")
    other_ids: Series[object] = _entity_ids("other participants")
    n_events: Series[int] = pandera.Field(ge=1, description="Number of member events.")
    n_documents: Series[int] = pandera.Field(ge=1, description="Number of documents that tell it.")
    first_published: Series[Date] = pandera.Field(
        nullable=True,
        description="Earliest publication date (documents.published) of a document telling "
        "it; null when none of them has one.",
    )
    last_published: Series[Date] = pandera.Field(
        nullable=True, description="Latest publication date of a document telling it."
    )
    date_conflict: Series[object] = pandera.Field(
        description="The distinct explicit dates of members that cannot all be true "
        "(intervals at month or day precision that do not overlap), each as "
        "'<date>: <doc_id> <doc_id>...' with the documents giving it, earliest date first "
        "(list; empty when the members agree).",
        metadata={"arrow": "list<string>"},
    )

    @pandera.check("agent_ids", "patient_ids", "location_ids", "other_ids")
    def entity_ids_are_sorted_lists(cls, ids: pd.Series) -> pd.Series:
        """Each is a sorted list of distinct entity ids."""
        return ids.map(lambda v: f.is_id_list(v, "entity"))

    @pandera.check("date_conflict")
    def conflicts_are_string_lists(cls, conflict: pd.Series) -> pd.Series:
        """A list of strings: none, or at least two distinct dates."""
        return conflict.map(
            lambda v: (
                v is not None
                and not isinstance(v, str)
                and len(v) != 1
                and all(isinstance(item, str) and ": doc_" in item for item in v)
            )
        )

    @pandera.dataframe_check
    def interval_is_consistent(cls, df: pd.DataFrame) -> pd.Series:
        """date_start <= date_end, both set or both null, with a precision when set."""
        return f.interval_is_consistent(df)

    @pandera.dataframe_check
    def documents_not_more_than_events(cls, df: pd.DataFrame) -> pd.Series:
        """A happening cannot be told by more documents than it has member events."""
        return df["n_documents"] <= df["n_events"]
