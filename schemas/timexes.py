"""Temporal expressions (TIMEX3) found in the text and normalised to TimeML values."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pandera
from pandera.engines.pandas_engine import Date
from pandera.typing import Series

from schemas import fields as f


class Timexes(f.SpanTable):
    """One row per temporal expression: a date, time, duration or set, with its normalised value.

    `value` follows TimeML (ISO 8601 with TimeML extensions: "1962-03", "196" for the 1960s,
    "P3Y", "PRESENT_REF"); `date_start`..`date_end` is the calendar interval it denotes.
    """

    timex_id: Series[str] = f.id_column(
        "timex", "Stable id: hash of doc_id and the expression's offsets.", unique=True
    )
    type: Series[str] = f.category(f.TIMEX_TYPES, "TimeML type: DATE, TIME, DURATION or SET.")
    value: Series[str] = pandera.Field(
        str_length={"min_value": 1}, description="Normalised TimeML value (TIMEX3 value attribute)."
    )
    date_start: Series[Date] = f.date_start()
    date_end: Series[Date] = f.date_end()
    precision: Series[str] = f.precision()
    mod: Series[str] = pandera.Field(
        nullable=True,
        description="TimeML mod: MORE_THAN, APPROX, START, MID, END...; null when unmodified.",
    )
    edtf: Series[str] = pandera.Field(
        nullable=True,
        description="Extended Date/Time Format (ISO "
        "8601-2) form of the date, e.g. 1962-03, 196X, 1964~.",
    )
    anchor: Series[str] = f.category(
        f.ANCHORS,
        "What the value was resolved against: absolute "
        "(nothing), document (publication date) or narrative.",
    )
    anchor_value: Series[str] = pandera.Field(
        nullable=True,
        description="TimeML value of the reference time used; null for absolute expressions.",
    )
    rule: Series[str] = pandera.Field(
        description="Name of the tagger rule that produced the row (explainability)."
    )

    @pandera.dataframe_check
    def interval_is_consistent(cls, df: pd.DataFrame) -> pd.Series:
        """date_start <= date_end, both set or both null, with a precision when set."""
        return f.interval_is_consistent(df)
