"""Calendar arithmetic at a granularity, and the resolution context handed to rules.

Relative expressions ("two years later", "the following month") are computed
from a reference time *at the reference's precision*: a year-only reference
cannot yield a day, so the unknown parts come out as X ("1964-XX-XX").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pipeline.timexes.temporal import values
from schemas.vocabularies import PRECISIONS

RANK = {precision: rank for rank, precision in enumerate(PRECISIONS)}
"""Coarseness order used to decide whether a reference determines a granularity."""
UNIT_GRAN = {
    "S": "day", "MIN": "day", "H": "day", "D": "day", "W": "week", "FN": "week",
    "M": "month", "Q": "quarter", "Y": "year", "DE": "year", "CE": "year", "ML": "year",
}  # fmt: skip
_SEASON_OF_MONTH = {
    1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU",
    9: "FA", 10: "FA", 11: "FA", 12: "WI",
}  # fmt: skip
NEW_YEAR_GAP = 7
"""Months behind the clock beyond which a narrative month is taken to be in the next year.

Told after December, "April" is the next April: a story that goes back within its year goes
back a season or two, rarely two thirds of a year ("In November 1863 the army rested. In
March it marched again" is March 1864)."""
LOOKING_BACK = "looking back"
"""The tense hint of a narrative sentence that steps back from its story's clock."""


@dataclass(frozen=True)
class Ref:
    """A reference time: the first day of its interval, its precision and its TimeML value.

    A reference before 1 AD ("BC0218") keeps its date `shift` years later, where a
    `datetime.date` can hold it (`values.ERA_SHIFT`); values computed from it are shifted back
    (`pipeline.timexes.temporal.expr.resolve`), so a BC story's clock runs forward in time.
    """

    date: dt.date
    precision: str
    value: str
    shift: int = 0

    @staticmethod
    def from_value(value: str) -> Ref | None:
        """Build a reference from a DATE/TIME value; None when it has no interval."""
        shifted = values.shift_bc(value) if value.startswith("BC") else None
        iv = values.interval(shifted or value)
        if iv is None:
            return None
        prec = iv[2]
        if RANK.get(prec, 3) < RANK["day"]:
            prec = "day"
        return Ref(iv[0], prec, value, values.ERA_SHIFT if shifted else 0)

    @staticmethod
    def from_date(d: dt.date) -> Ref:
        """Reference at day precision (a document creation time)."""
        return Ref(d, "day", d.isoformat())


@dataclass
class Ctx:
    """What a rule's resolver may look at: the reference, the mode and the tense nearby."""

    ref: Ref | None
    mode: str = "news"
    tense: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


def knows(ref: Ref, gran: str) -> bool:
    """Tell whether a reference of this precision determines a value at `gran`."""
    if gran == "week":
        return RANK[ref.precision] <= RANK["week"]
    return RANK[ref.precision] <= RANK[gran]


def render(d: dt.date, gran: str) -> str:
    """TimeML value of the `gran`-sized period that contains `d`."""
    if gran == "day":
        return d.isoformat()
    if gran == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "season":
        s = _SEASON_OF_MONTH[d.month]
        y = d.year - 1 if d.month <= 2 else d.year
        return f"{y:04d}-{s}"
    if gran == "decade":
        return f"{d.year:04d}"[:3]
    if gran == "century":
        return f"{d.year:04d}"[:2]
    return f"{d.year:04d}"


def partial(ref: Ref, gran: str) -> str:
    """Value at `gran` when the reference is too coarse: known part plus X ("1964-XX")."""
    year = f"{ref.date.year:04d}"
    if RANK[ref.precision] >= RANK["decade"]:
        year = render(ref.date, ref.precision).ljust(4, "X")
    month = f"{ref.date.month:02d}" if RANK[ref.precision] <= RANK["month"] else "XX"
    if gran == "day":
        return f"{year}-{month}-XX"
    if gran == "week":
        return f"{year}-WXX"
    if gran == "month":
        return f"{year}-XX"
    if gran == "quarter":
        return f"{year}-QX"
    return year


def beyond_calendar(ref: Ref, gran: str) -> str:
    """Value of a date moved outside years 1-9999 ("next year" in 9999): unknown digits.

    Dates (Python's, Arrow's, the tables') stop at 9999; the reference's own period would
    be a wrong date, so the value says only the granularity ("XXXX", "XXXX-XX-XX").
    """
    return mask(partial(ref, gran))


def at(ref: Ref, gran: str) -> str:
    """Value of the reference itself seen at granularity `gran` ("this month")."""
    if knows(ref, gran):
        return render(ref.date, gran)
    return partial(ref, gran)


def shift_date(d: dt.date, unit: str, n: int) -> dt.date | None:
    """Move `d` by `n` units (a lexicon unit code); None if out of the calendar range."""
    if unit in ("D", "S", "MIN", "H"):
        return values.add_days(d, n if unit == "D" else 0)
    if unit == "W":
        return values.add_days(d, 7 * n)
    if unit == "FN":
        return values.add_days(d, 14 * n)
    months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200, "ML": 12000}[unit]
    return values.add_months(d, months * n)


def shift(ref: Ref, unit: str, n: int, gran: str | None = None) -> str:
    """Value of `ref` moved by `n` units, rendered at the unit's granularity ("two years later")."""
    gran = gran or UNIT_GRAN[unit]
    if (
        unit in ("DE", "CE")
        and gran == "year"
        and RANK[ref.precision] == RANK["decade" if unit == "DE" else "century"]
    ):
        gran = ref.precision
    if not knows(ref, gran) and not (unit in ("Y", "DE", "CE") and knows(ref, "year")):
        return partial(ref, gran)
    d = shift_date(ref.date, unit, n)
    if d is None:
        return beyond_calendar(ref, gran)
    if not knows(ref, gran):
        return partial(Ref(d, ref.precision, ref.value), gran)
    return render(d, gran)


def mask(value: str) -> str:
    """Hide the date digits of a value computed from a placeholder reference ("XXXX-XX")."""
    date, sep, time = value.partition("T")
    return re.sub(r"\d", "X", date) + sep + time


def weekday_near(d: dt.date, weekday: int, direction: int, strict: bool = False) -> dt.date:
    """The `weekday` (1=Monday) on or before (-1) / on or after (+1) `d`; strictly if asked."""
    diff = (weekday - d.isoweekday()) % 7
    if direction > 0:
        step = diff if (diff or not strict) else 7
        return d + dt.timedelta(days=step)
    back = (d.isoweekday() - weekday) % 7
    step = back if (back or not strict) else 7
    return d - dt.timedelta(days=step)


def year_for_month(ref: Ref, month: int, tense: str | None, mode: str) -> int:
    """Year of a bare month name: the reference year, moved by tense in news mode.

    News text says "in August" in March 2013 for August 2012 (past tense) and
    "in April" for April 2013 (future tense). A story keeps the year of its clock, but
    crosses into the next one when the month is far behind (`NEW_YEAR_GAP`): told after
    November 1863, "in February" or "in March" is in 1864, unless the sentence looks back
    (`LOOKING_BACK`: "had left in February", "earlier, in February"). Rolling every earlier
    month forward would misdate the many histories that go back within a year, one front or
    theme after another.
    """
    y = ref.date.year
    if not knows(ref, "month"):
        return y
    if mode != "news":
        crossed = ref.date.month - month > NEW_YEAR_GAP
        return y + 1 if crossed and tense != LOOKING_BACK else y
    cur = ref.date.month
    if tense == "future":
        return y + 1 if month < cur - 1 else y
    if tense == "past":
        return y - 1 if month > cur + 1 else y
    if month - cur > 6:
        return y - 1
    if cur - month > 6:
        return y + 1
    return y
