"""Named holidays: "Christmas", "Thanksgiving", "Easter 1998", "last Labor Day".

Movable feasts are computed (Easter by the Gregorian computus, Thanksgiving as the fourth
Thursday of November). A bare holiday is the nearest one before or after the reference, as the
tense nearby says, or the one of the reference's year when the tense says nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from pipeline.timexes.temporal import normalise as nm
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal.expr import DEICTIC, Expr, absolute, year_of
from pipeline.timexes.temporal.normalise import Ctx
from pipeline.timexes.temporal.relative import direction
from pipeline.timexes.temporal.rules import Env, Rule, parse_year


def _easter(y: int) -> dt.date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    mm = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * mm + 90) // 25
    return dt.date(y, month, (h + l_ - 7 * mm + 33 * month + 19) % 32)


def _nth_weekday(y: int, month: int, wd: int, n: int) -> dt.date:
    if n > 0:
        first = dt.date(y, month, 1)
        return first + dt.timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(y + (month == 12), month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - wd) % 7)


_HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "christmas": lambda y: dt.date(y, 12, 25),
    "christmas day": lambda y: dt.date(y, 12, 25),
    "christmas eve": lambda y: dt.date(y, 12, 24),
    "new year's day": lambda y: dt.date(y, 1, 1),
    "new year's eve": lambda y: dt.date(y, 12, 31),
    "independence day": lambda y: dt.date(y, 7, 4),
    "the fourth of july": lambda y: dt.date(y, 7, 4),
    "july fourth": lambda y: dt.date(y, 7, 4),
    "halloween": lambda y: dt.date(y, 10, 31),
    "valentine's day": lambda y: dt.date(y, 2, 14),
    "boxing day": lambda y: dt.date(y, 12, 26),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 4, 4),
    "memorial day": lambda y: _nth_weekday(y, 5, 1, -1),
    "labor day": lambda y: _nth_weekday(y, 9, 1, 1),
    "election day": lambda y: _nth_weekday(y, 11, 1, 1) + dt.timedelta(days=1),
    "easter": _easter,
    "easter sunday": _easter,
    "good friday": lambda y: _easter(y) - dt.timedelta(days=2),
}


def _holiday(m: re.Match[str], env: Env) -> Expr | None:
    name = " ".join(m["name"].lower().replace("’", "'").split())
    fn = _HOLIDAYS.get(name)
    if fn is None:
        return None
    if m["year"]:
        return absolute("DATE", fn(parse_year(m["year"])).isoformat())
    n = direction(m["det"] or "")

    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        y = year_of(ref)
        if ref is None or y is None:
            return "XXXX-" + fn(2001).isoformat()[5:]
        if n or not nm.knows(ref, "day") or ctx.tense is None:
            return fn(y + n).isoformat()
        days = [fn(c) for c in (y - 1, y, y + 1)]
        if ctx.tense == "past":
            return max(d for d in days if d <= ref.date).isoformat()
        return min(d for d in days if d >= ref.date).isoformat()

    return Expr("DATE", DEICTIC, resolve)


def _b_holiday(m: re.Match[str], env: Env) -> Expr | None:
    """Read a holiday written as a name: "Christmas", "the Fourth of July", not "christmas"."""
    name = m["name"]
    if not name[:1].isupper() and not name.lower().startswith("the"):
        return None
    return _holiday(m, env)


_HOLIDAY_NAMES = "|".join(
    re.escape(h).replace(r"\ ", r"\s+").replace("'", "['’]")
    for h in sorted(_HOLIDAYS, key=len, reverse=True)
)


RULES: list[Rule] = [
    Rule(
        "holiday",
        p.compile_(
            p.LB
            + rf"(?:(?P<det>{p.ci('last|next|this')})\s+)?"
            + rf"(?P<name>(?i:{_HOLIDAY_NAMES}))(?:,?\s+(?P<year>{p.YEAR4}))?"
            + p.RB
        ),
        _b_holiday,
        2,
    ),
]
