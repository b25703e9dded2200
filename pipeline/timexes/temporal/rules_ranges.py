"""Ranges of dates: "1812-14", "(431-404 BC)", "3-11 May 1863", "from 1848 to 1851".

TIMEX annotation tags each end of a range as a date of its own, so a range rule returns its two
ends (`Ends`), each with its full value: an end written short takes what it lacks from the
other ("1812-14" ends in 1814, "3-11 May 1863" starts on 1863-05-03, the era of "431-404 BC"
applies to 431). The engine keeps or drops the range whole and marks the ends' roles, so the
events stage can date an event by the whole interval ("between 1848 and 1851").

Not ranges: scores and times ("3-1", "9-5"), numbers glued to other numbers ("555-1861-1865"),
page ranges ("pp. 1812-14"), and year pairs going backwards or spanning more than a century.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal.expr import DEICTIC, Ends, Expr, absolute, day_num, month_num, ymd
from pipeline.timexes.temporal.rules import (
    Env,
    Rule,
    day_in_year_resolver,
    era_year,
    month_in_year_resolver,
    year_context_ok,
)

_LEAD = rf"(?:(?P<lead>{p.ci('from|between')})\s+)?"
_DASH = r"\s*[-–—]\s*"
_WORD = p.ci(r"to|through|thru|until|till|and")
_CONN = rf"(?P<conn>{_DASH}|\s+{_WORD}\s+)"
_END = r"(?![\w%]|[.,/:\-–]\d)"  # not glued to a further number: "1861-1865-2", "1861-1865.5"


def connective_ok(m: re.Match[str], years_only: bool) -> bool:
    """Whether the words between the ends make a range.

    "and" needs "between" before the first end; "to", "until" and "till" between bare years
    need "from" ("rose from 1848 to 1851" is one, "1848 to 1851" in a list may not be), or an
    era that makes the numbers years ("264 to 241 BC").
    """
    conn = m["conn"].strip().lower()
    lead = (m["lead"] or "").lower()
    if conn == "and":
        return lead == "between"
    if conn in ("to", "until", "till") and years_only:
        eras = [m.groupdict().get(f"{kind}{n}") for kind in ("era", "pre") for n in (1, 2)]
        return lead == "from" or any(eras)
    return True


# ---------------------------------------------------------------- years


def _era_of(m: re.Match[str], n: int) -> str | None:
    era = m[f"era{n}"] or m[f"pre{n}"]
    return era.replace(".", "").replace(" ", "").upper() if era else None


def _second_year(first: str, tail: str) -> int:
    """The second year of "1812-14": its missing leading digits come from the first."""
    if len(tail) >= len(first):
        return int(tail)
    return int(first[: len(first) - len(tail)] + tail)


def _year_pair(m: re.Match[str]) -> tuple[str, str] | None:
    """The TimeML years of both ends, or None when the two numbers are not a range of years."""
    era1, era2 = _era_of(m, 1), _era_of(m, 2)
    a = int(m["y1"])
    b = _second_year(m["y1"], m["y2"])
    if era1 is None and era2 is None:
        if not (len(m["y1"]) == 4 and len(m["y2"]) in (2, 4) and 1000 <= a < b <= a + 100):
            return None
        return f"{a:04d}", f"{b:04d}"
    era1 = era1 or era2  # "431-404 BC": the era written once applies to both
    bc = ("BC", "BCE")
    first, second = era_year(m["y1"], era1), era_year(str(b), era2 or era1)
    if first is None or second is None:
        return None
    start = -a if era1 in bc else a  # order in time: BC years count down
    end = -b if (era2 or era1) in bc else b
    return (first, second) if start < end else None


def _b_year_range(m: re.Match[str], env: Env) -> Ends | None:
    pair = _year_pair(m)
    if pair is None or not connective_ok(m, years_only=True):
        return None
    check = Env(env.text, True) if m["lead"] else env  # "from"/"between" make them dates
    if not year_context_ok(m, check, int(m["y1"])):
        return None
    s1 = m.start("pre1") if m["pre1"] else m.start("y1")
    e1 = m.end("era1") if m["era1"] else m.end("y1")
    s2 = m.start("pre2") if m["pre2"] else m.start("y2")
    return Ends((s1, e1, absolute("DATE", pair[0])), (s2, m.end(), absolute("DATE", pair[1])))


# ---------------------------------------------------------------- days and months


def _span(m: re.Match[str], *groups: str) -> tuple[int, int]:
    """From the first to the last of the named groups that matched."""
    found = [g for g in groups if m[g]]
    return m.start(found[0]), m.end(found[-1])


def _years(m: re.Match[str], months: tuple[int, int]) -> tuple[int | None, int | None]:
    """Each end's year: written, or the other end's ("3 May-11 June 1863").

    A start month after the end month borrowed the year of a range that crosses a new year:
    "28 December-3 January 1864" starts in 1863.
    """
    y1 = int(m["y1"]) if m["y1"] else None
    y2 = int(m["y2"]) if m["y2"] else None
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if months[0] > months[1] else y2
    return y1, y2 if y2 is not None else y1


def _day_end(month: int, day: int, year: int | None) -> Expr | None:
    if year is None:
        return Expr("DATE", DEICTIC, day_in_year_resolver(month, day, None))
    value = ymd(year, month, day)
    return absolute("DATE", value) if value else None


def _day_range(first: tuple[str, ...]) -> Callable[[re.Match[str], Env], Ends | None]:
    """Builder of a range of days whose first end is written in the order `first`."""

    def build(m: re.Match[str], env: Env) -> Ends | None:
        m2 = month_num(m["m2"]) if m["m2"] else None
        m1 = month_num(m["m1"]) if m["m1"] else m2
        m2 = m2 or m1
        d1, d2 = day_num(m["d1"]), day_num(m["d2"])
        if m1 is None or m2 is None or d1 is None or d2 is None:
            return None
        if not connective_ok(m, years_only=False):
            return None
        y1, y2 = _years(m, (m1, m2))
        if (y1 or 0, m1, d1) >= (y2 or 0, m2, d2):
            return None  # "3-1 May": a score, not a range
        ends = _day_end(m1, d1, y1), _day_end(m2, d2, y2)
        if ends[0] is None or ends[1] is None:
            return None
        second = ("m2", "d2", "y2") if first[0] == "m1" else ("d2", "m2", "y2")
        return Ends((*_span(m, *first), ends[0]), (*_span(m, *second), ends[1]))

    return build


def _b_month_range(m: re.Match[str], env: Env) -> Ends | None:
    m1, m2 = month_num(m["m1"]), month_num(m["m2"])
    if m1 is None or m2 is None or not connective_ok(m, years_only=False):
        return None
    worded = m["conn"].strip().lower() in ("to", "through", "thru", "until", "till")
    if not (m["y2"] or m["lead"] or worded):
        return None  # "from March to May", "March-May 1863", "February to April"; "March-May"
        # alone may be a name
    y1, y2 = _years(m, (m1, m2))
    if m1 == m2 or (y1 is not None and y2 is not None and (y1, m1) > (y2, m2)):
        return None  # "from November to March" crosses a new year: the engine moves its end
    ends = []
    for month, year in ((m1, y1), (m2, y2)):
        if year is None:
            ends.append(Expr("DATE", DEICTIC, month_in_year_resolver(month)))
        else:
            ends.append(absolute("DATE", f"{year:04d}-{month:02d}"))
    return Ends((*_span(m, "m1", "y1"), ends[0]), (*_span(m, "m2", "y2"), ends[1]))


def _year_end(n: int) -> str:
    """One end of a range of years, with its era before or after it: "AD 14", "404 BC"."""
    return (
        rf"(?:(?P<pre{n}>{p.ERA_BEFORE})\s*)?(?P<y{n}>\d{{1,4}})"
        rf"(?:\s*(?P<era{n}>{p.ERA})(?![\w]))?"
    )


def _year(n: int) -> str:
    return rf"(?:,?\s+(?P<y{n}>{p.YEAR4}))?"


_OF = rf"(?:{p.ci('of')}\s+)?"

RULES: list[Rule] = [
    Rule(
        "year_range",
        p.compile_(p.LB + _LEAD + p.LBD + _year_end(1) + _CONN + _year_end(2) + _END),
        _b_year_range,
        6,
    ),
    Rule(
        "day_range",
        p.compile_(
            p.LB
            + _LEAD
            + rf"(?P<d1>{p.DAY_NUM})(?:\s+{_OF}(?P<m1>{p.MONTH_ANY}){_year(1)})?"
            + rf"{_CONN}(?P<d2>{p.DAY_NUM})\s+{_OF}(?P<m2>{p.MONTH_ANY}){_year(2)}"
            + p.RBD
        ),
        _day_range(("d1", "m1", "y1")),
        6,
    ),
    Rule(
        "month_day_range",
        p.compile_(
            p.LB
            + _LEAD
            + rf"(?P<m1>{p.MONTH_ANY})\s*(?P<d1>{p.DAY_NUM}){_year(1)}"
            + rf"{_CONN}(?:(?P<m2>{p.MONTH_ANY})\s*)?(?P<d2>{p.DAY_NUM})(?![\w]|[.,:]\d){_year(2)}"
            + p.RBD
        ),
        _day_range(("m1", "d1", "y1")),
        6,
    ),
    Rule(
        "month_range",
        p.compile_(
            p.LB
            + _LEAD
            + rf"(?P<m1>{p.MONTH_FULL}){_year(1)}{_CONN}(?P<m2>{p.MONTH_FULL}){_year(2)}"
            + r"(?!\s*\d)"
            + p.RB
        ),
        _b_month_range,
        6,
    ),
]
