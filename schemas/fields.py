"""Shared column definitions and controlled vocabularies.

A column that appears in several tables (``doc_id``, offsets, dates) is defined here once, so its
type, description and checks cannot drift between tables.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas.ids import ID_PATTERN
from schemas.vocabularies import ANCHOR_MODES as ANCHOR_MODES

ENTITY_LABELS = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
"""OntoNotes labels of named things (spaCy's English models); numbers and dates are not entities."""

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
"""TimeML TIMEX3 types."""

PRECISIONS = (
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "season",
    "quarter",
    "year",
    "decade",
    "century",
    "millennium",
)
"""Granularity of a date interval, finest first."""

ANCHORS = ("absolute", "document", "narrative")
"""What a temporal expression was resolved against: nothing, the document date, or the story's
most recent absolute date."""

ROLES = ("agent", "patient", "location", "other")
"""Participant roles in an event."""

MENTION_SOURCES = ("model", "propagated")
"""Where a mention comes from (see pipeline.events.mentions)."""

MENTION_RESOLUTIONS = ("name", "surname", "alias", "kb", "demonym")
"""How a mention joined its entity (see pipeline.entities.stage)."""

GEO_PRECISIONS = ("city", "admin1", "country", "continent")
"""What a place's coordinates stand for (see pipeline.entities.geocode)."""

EVENT_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
"""The 16 PLOVER event types (manual v2.0)."""

MODALITIES = ("asserted", "attempted", "failed", "intended", "future", "hypothetical")
"""Whether an event is told as having happened (see pipeline.events.modality)."""

POLARITIES = ("positive", "negative")
"""Whether an event is affirmed or negated."""

PARTICIPANT_RESOLUTIONS = (
    "mention",
    "pronoun",
    "relative_pronoun",
    "title",
    "of_phrase",
    "apposition",
    "none",
)
"""How a participant was linked to a mention (see pipeline.events.stage and .coref)."""

REJECT_REASONS = (
    "empty",
    "binary",
    "undecodable",
    "unsupported_type",
    "too_long",
    "unreadable",
    "manifest_error",
    "hidden",
    "symlink",
)
"""Why an input file did not become a document."""


def id_column(kind: str, description: str, **kwargs: Any) -> Any:
    """A hashed id column (see `pipeline.core.ids`): non-null unless told, pattern-checked."""
    return pa.Field(str_matches=ID_PATTERN[kind], description=description, **kwargs)


def doc_id(**kwargs: Any) -> Any:
    """Foreign key to `documents.doc_id`."""
    return id_column("document", "Document the row comes from (documents.doc_id).", **kwargs)


def sentence_id(**kwargs: Any) -> Any:
    """Foreign key to `sentences.sentence_id`."""
    return id_column("sentence", "Sentence the span lies in (sentences.sentence_id).", **kwargs)


def start_char(what: str = "span") -> Any:
    """Inclusive start offset into `documents.text` (Python string index, code points)."""
    return pa.Field(ge=0, description=f"Offset of the {what}'s first character in documents.text.")


def end_char(what: str = "span") -> Any:
    """Exclusive end offset into `documents.text`."""
    return pa.Field(
        ge=1,
        description=f"Offset just past the {what}'s last character in "
        "documents.text; text == documents.text[start_char:end_char].",
    )


def span_text(what: str = "span") -> Any:
    """The exact characters of a span, as found in the document."""
    return pa.Field(
        str_length={"min_value": 1},
        description=f"The {what} exactly as it appears in documents.text.",
    )


def category(values: tuple[str, ...], description: str, **kwargs: Any) -> Any:
    """A string column restricted to `values`, published as an Arrow dictionary (categorical)."""
    return pa.Field(
        isin=list(values), description=description, metadata={"categorical": True}, **kwargs
    )


def date_start(**kwargs: Any) -> Any:
    """First day of the interval a date expression denotes."""
    return pa.Field(
        nullable=True,
        description="First day of the interval the date denotes "
        "(inclusive); null when it has no calendar interval.",
        **kwargs,
    )


def date_end(**kwargs: Any) -> Any:
    """Last day of the interval a date expression denotes."""
    return pa.Field(
        nullable=True,
        description="Last day of the interval the date denotes "
        "(inclusive); null when it has no calendar interval.",
        **kwargs,
    )


def precision(**kwargs: Any) -> Any:
    """Granularity of the date interval."""
    return category(
        PRECISIONS,
        "Granularity of date_start..date_end (day, month, year, decade, "
        "century...); null when there is no interval.",
        nullable=True,
        **kwargs,
    )


class SpanTable(pa.DataFrameModel):
    """Columns shared by every table whose rows are spans of a document's text."""

    doc_id: Series[str] = doc_id()
    sentence_id: Series[str] = sentence_id()
    start_char: Series[int] = start_char()
    end_char: Series[int] = end_char()
    text: Series[str] = span_text()

    @pa.dataframe_check
    def end_after_start(cls, df: pd.DataFrame) -> pd.Series:
        """A span covers at least one character."""
        return df["end_char"] > df["start_char"]


def interval_is_consistent(df: pd.DataFrame) -> pd.Series:
    """date_start <= date_end; both null or both set, with a precision exactly when set."""
    both = df["date_start"].notna() & df["date_end"].notna()
    neither = df["date_start"].isna() & df["date_end"].isna()
    ordered = pd.Series(True, index=df.index)
    ordered[both] = [
        s <= e for s, e in zip(df.loc[both, "date_start"], df.loc[both, "date_end"], strict=True)
    ]
    has_precision = df["precision"].notna() == both
    return (both | neither) & ordered & has_precision
