"""The small data types that rules produce and the engine resolves.

A rule turns a regex match into an `Expr`: the TIMEX3 type, what kind of
reference it needs, and a resolver that computes the value from a `Ctx`.
Keeping the reference out of the rule lets one rule serve news and narrative.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import values
from pipeline.timexes.temporal.normalise import Ctx, Ref
from schemas.vocabularies import PRECISIONS, subset

ABSOLUTE, DEICTIC, ANAPHORIC, NONE = "absolute", "deictic", "anaphoric", "none"

_COARSER_THAN_YEAR = subset(PRECISIONS, "decade", "century", "millennium")


@dataclass(frozen=True)
class Res:
    """A resolved value, optionally with an interval (anchored durations) or a new type."""

    value: str
    iv: tuple[dt.date, dt.date, str] | None = None
    type: str | None = None
    derived: bool = False  # computed from an earlier mention: not itself a new antecedent


Resolver = Callable[[Ctx], "Res | str"]


@dataclass(frozen=True)
class Expr:
    """What a rule found: TIMEX3 type, reference kind, resolver and TimeML mod."""

    type: str
    kind: str
    resolve: Resolver
    mod: str | None = None


@dataclass(frozen=True)
class Cand:
    """A candidate timex: span, expression and the rule that produced it.

    A range ("1848 to 1851") is one candidate while candidates compete, so that it is kept or
    lost whole; `ends` are then its two ends, each a timex of its own (`split`).
    """

    start: int
    end: int
    expr: Expr
    rule: str
    priority: int = 0
    range_role: str | None = None
    ends: tuple[tuple[int, int, Expr], tuple[int, int, Expr]] | None = None

    def split(self) -> list[Cand]:
        """The candidate itself, or a range's two ends with their roles (start, end)."""
        if self.ends is None:
            return [self]
        (s1, e1, x1), (s2, e2, x2) = self.ends
        return [
            Cand(s1, e1, x1, self.rule, self.priority, "start"),
            Cand(s2, e2, x2, self.rule, self.priority, "end"),
        ]


@dataclass(frozen=True)
class Ends:
    """What a range rule builds: the span and expression of each end of the range."""

    first: tuple[int, int, Expr]
    second: tuple[int, int, Expr]


def resolve(ex: Expr, ctx: Ctx) -> Res:
    """Run an expression's resolver; against a reference before 1 AD, in shifted years.

    The reference's date is `shift` years late (see `Ref`), so the value comes out shifted and
    is moved back; the document date and earlier mentions are not offered to such a resolver.
    """
    ref = ctx.ref
    if ref is None or not ref.shift:
        out = ex.resolve(ctx)
        return out if isinstance(out, Res) else Res(out)
    out = ex.resolve(Ctx(ref, ctx.mode, ctx.tense))
    res = out if isinstance(out, Res) else Res(out)
    return Res(values.unshift(res.value, ref.shift), None, res.type, res.derived)


def absolute(type_: str, value: str, mod: str | None = None) -> Expr:
    """An expression whose value needs no reference ("May 1, 1960")."""
    return Expr(type_, ABSOLUTE, lambda ctx: value, mod)


def fixed(type_: str, value: str, mod: str | None = None) -> Expr:
    """A duration or set value that needs no reference ("three years", "weekly")."""
    return Expr(type_, NONE, lambda ctx: value, mod)


def month_num(word: str) -> int | None:
    """Month number of a month name or abbreviation ("Sept." -> 9)."""
    return lx.MONTHS.get(word.lower().rstrip("."))


def weekday_num(word: str) -> int | None:
    """ISO weekday (Monday=1) of a weekday name or abbreviation."""
    w = word.lower().rstrip(".")
    return lx.WEEKDAYS.get(w) or lx.WEEKDAY_ABBR.get(w)


def day_num(word: str) -> int | None:
    """Day of month from "21", "21st" or "twenty-first"."""
    w = word.lower()
    if w in lx.ORDINAL_WORDS:
        return lx.ORDINAL_WORDS[w]
    digits = re.match(r"\d+", w)
    if not digits:
        return None
    d = int(digits.group())
    return d if 1 <= d <= 31 else None


def ymd(y: int, m: int, d: int) -> str | None:
    """ISO date string, or None when the day does not exist."""
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def year_of(ref: Ref | None) -> int | None:
    """The reference's year when it is known exactly (not for decades or centuries)."""
    if ref is None or ref.precision in _COARSER_THAN_YEAR:
        return None
    return ref.date.year
