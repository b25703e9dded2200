"""Shared column definitions, and the controlled vocabularies their categories take.

A column that appears in several tables (``doc_id``, offsets, dates) is defined here once, so its
type, description and checks cannot drift between tables. The vocabularies live in
`schemas.vocabularies` and are re-exported here.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import pandera.pandas as pandera
from pandera.typing import Series

from schemas.ids import ID_PATTERN

# The vocabularies are defined in a module of their own, which imports nothing, so that the
# stages can check values against them without importing pandera; they are re-exported here,
# beside the columns that use them.
from schemas.vocabularies import ANCHOR_MODES as ANCHOR_MODES
from schemas.vocabularies import ANCHORS as ANCHORS
from schemas.vocabularies import DATE_BASES as DATE_BASES
from schemas.vocabularies import ENTITY_LABELS as ENTITY_LABELS
from schemas.vocabularies import EVENT_TYPES as EVENT_TYPES
from schemas.vocabularies import GEO_PRECISIONS as GEO_PRECISIONS
from schemas.vocabularies import GROUPING_EVIDENCE as GROUPING_EVIDENCE
from schemas.vocabularies import MEDIA_TYPES as MEDIA_TYPES
from schemas.vocabularies import MENTION_RESOLUTIONS as MENTION_RESOLUTIONS
from schemas.vocabularies import MENTION_SOURCES as MENTION_SOURCES
from schemas.vocabularies import MODALITIES as MODALITIES
from schemas.vocabularies import PARTICIPANT_RESOLUTIONS as PARTICIPANT_RESOLUTIONS
from schemas.vocabularies import POLARITIES as POLARITIES
from schemas.vocabularies import PRECISIONS as PRECISIONS
from schemas.vocabularies import RANGE_ROLES as RANGE_ROLES
from schemas.vocabularies import REJECT_REASONS as REJECT_REASONS
from schemas.vocabularies import ROLES as ROLES
from schemas.vocabularies import TIMEX_TYPES as TIMEX_TYPES
from schemas.vocabularies import TRIGGER_POS as TRIGGER_POS


def id_column(kind: str, description: str, **kwargs: Any) -> Any:
    """A hashed id column (see `pipeline.core.ids`): non-null unless told, pattern-checked."""
    return pandera.Field(str_matches=ID_PATTERN[kind], description=description, **kwargs)


def doc_id(**kwargs: Any) -> Any:
    """Foreign key to `documents.doc_id`."""
    return id_column("document", "Document the row comes from (documents.doc_id).", **kwargs)


def sentence_id(**kwargs: Any) -> Any:
    """Foreign key to `sentences.sentence_id`."""
    return id_column("sentence", "Sentence the span lies in (sentences.sentence_id).", **kwargs)


def start_char(what: str = "span") -> Any:
    """Inclusive start offset into `documents.text` (Python string index, code points)."""
    return pandera.Field(
        ge=0, description=f"Offset of the {what}'s first character in documents.text."
    )


def end_char(what: str = "span") -> Any:
    """Exclusive end offset into `documents.text`."""
    return pandera.Field(
        ge=1,
        description=f"Offset just past the {what}'s last character in "
        "documents.text; text == documents.text[start_char:end_char].",
    )


def span_text(what: str = "span") -> Any:
    """The exact characters of a span, as found in the document."""
    return pandera.Field(
        str_length={"min_value": 1},
        description=f"The {what} exactly as it appears in documents.text.",
    )


def category(values: tuple[str, ...], description: str, **kwargs: Any) -> Any:
    """A string column restricted to `values`, published as an Arrow dictionary (categorical)."""
    return pandera.Field(
        isin=list(values), description=description, metadata={"categorical": True}, **kwargs
    )


def date_start(**kwargs: Any) -> Any:
    """First day of the interval a date expression denotes."""
    return pandera.Field(
        nullable=True,
        description="First day of the interval the date denotes "
        "(inclusive); null when it has no calendar interval or the interval is not within "
        "years 1 to 9999 (before 1 AD: see year_start).",
        **kwargs,
    )


def date_end(**kwargs: Any) -> Any:
    """Last day of the interval a date expression denotes."""
    return pandera.Field(
        nullable=True,
        description="Last day of the interval the date denotes "
        "(inclusive); null when date_start is.",
        **kwargs,
    )


def year_start(**kwargs: Any) -> Any:
    """First year of the interval, astronomical: also set for years before 1 AD."""
    return pandera.Field(
        nullable=True,
        coerce=True,
        description="First year of the interval, astronomical (0 is 1 BC, -217 is 218 BC, "
        "as in ISO 8601 and EDTF); set whenever precision is, also before 1 AD where the dates "
        "are null.",
        **kwargs,
    )


def year_end(**kwargs: Any) -> Any:
    """Last year of the interval, astronomical."""
    return pandera.Field(
        nullable=True,
        coerce=True,
        description="Last year of the interval, astronomical (see year_start).",
        **kwargs,
    )


def precision(**kwargs: Any) -> Any:
    """Granularity of the date interval."""
    return category(
        PRECISIONS,
        "Granularity of the interval, date_start..date_end and year_start..year_end (day, "
        "month, year, decade, century...); null when there is no interval.",
        nullable=True,
        **kwargs,
    )


@pandera.extensions.register_check_method(statistics=["allowed_values"])
def items_isin(values: pd.Series, *, allowed_values: list[str]) -> pd.Series:
    """Each cell is a list (or array) of distinct values from `allowed_values`, maybe empty."""

    def ok(value: Any) -> bool:
        if value is None or isinstance(value, str):
            return False
        items = list(value)
        return len(set(items)) == len(items) and all(v in allowed_values for v in items)

    return values.map(ok)


def list_of(values: tuple[str, ...], description: str) -> Any:
    """A list<string> column whose items come from the vocabulary `values`."""
    return pandera.Field(
        description=description,
        metadata={"arrow": "list<string>"},
        items_isin={"allowed_values": list(values)},
    )


def is_id_list(value: Any, kind: str) -> bool:
    """A sorted list of distinct ids of one kind, possibly empty."""
    if value is None or isinstance(value, str):
        return False
    items = list(value)
    pattern = re.compile(ID_PATTERN[kind])
    return items == sorted(set(items)) and all(pattern.match(str(v)) for v in items)


class SpanTable(pandera.DataFrameModel):
    """Columns shared by every table whose rows are spans of a document's text."""

    doc_id: Series[str] = doc_id()
    sentence_id: Series[str] = sentence_id()
    start_char: Series[int] = start_char()
    end_char: Series[int] = end_char()
    text: Series[str] = span_text()

    @pandera.dataframe_check
    def end_after_start(cls, df: pd.DataFrame) -> pd.Series:
        """A span covers at least one character."""
        return df["end_char"] > df["start_char"]


def _dates_agree(start: Any, end: Any, first_year: Any, last_year: Any) -> bool:
    """Dates in order and in the row's years; true when there are no dates."""
    if pd.isna(start) or pd.isna(end):
        return True
    return bool(start <= end and (start.year, end.year) == (first_year, last_year))


def interval_is_consistent(df: pd.DataFrame) -> pd.Series:
    """The interval's columns agree.

    year_start <= year_end, both set exactly when precision is; the dates are both set or both
    null, set only with the years, in order, and in those years (null before 1 AD).
    """
    years = df["year_start"].notna() & df["year_end"].notna()
    no_years = df["year_start"].isna() & df["year_end"].isna()
    dates = df["date_start"].notna() & df["date_end"].notna()
    no_dates = df["date_start"].isna() & df["date_end"].isna()
    ordered = ~years | (df["year_start"] <= df["year_end"]).fillna(False).astype(bool)
    columns = ("date_start", "date_end", "year_start", "year_end")
    agree = pd.Series(
        [_dates_agree(*row) for row in zip(*(df[c] for c in columns), strict=True)],
        index=df.index,
        dtype=bool,
    )
    has_precision = df["precision"].notna() == years
    return (
        (years | no_years) & (dates | no_dates) & (~dates | years) & ordered & agree & has_precision
    )
