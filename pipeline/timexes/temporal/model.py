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
    """One normalised temporal expression (TimeML TIMEX3 plus a calendar interval)."""

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
