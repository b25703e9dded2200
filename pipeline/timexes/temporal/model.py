"""Public data types of the temporal tagger (re-exported by `pipeline.timexes.temporal`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    """Optional parser hint (e.g. from spaCy); offsets are into the text given to `tag`."""

    start: int
    end: int
    pos: str
    tag: str = ""
    lemma: str = ""


@dataclass(frozen=True)
class Timex:
    """One normalised temporal expression (TimeML TIMEX3 plus a calendar interval).

    `date_start`..`date_end` is the interval when it lies in years 1 to 9999;
    `year_start`..`year_end` are its astronomical years (0 is 1 BC, -217 is 218 BC), set
    whenever the precision is. `range_role` is "start" or "end" for the two ends of a range
    ("from 1848 to 1851"); a range's end is the next timex after its start.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str | None
    anchor: str
    anchor_value: str | None
    edtf: str | None
    rule: str
    year_start: int | None = None
    year_end: int | None = None
    range_role: str | None = None
