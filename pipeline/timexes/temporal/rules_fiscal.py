"""Quarters and halves as business news writes them: "the third quarter", "Q3 2012", "year-end".

"The quarter" and "a year earlier" refer back to the last quarter mentioned, the way earnings
reports chain their comparisons.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import normalise as nm
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal.expr import ANAPHORIC, DEICTIC, Expr, absolute, year_of
from pipeline.timexes.temporal.normalise import Ctx, Ref
from pipeline.timexes.temporal.relative import direction, rel_unit_value
from pipeline.timexes.temporal.rules import Env, Rule, parse_year
from schemas.vocabularies import PRECISIONS, subset

_PERIOD_GRAINS = subset(PRECISIONS, "month", "season", "quarter")
"""Grains of a last mention that "the 1989 period" repeats for its own year."""


def _ord(word: str) -> int | None:
    w = word.lower()
    if w == "final":
        return 4
    return lx.ORDINAL_WORDS.get(w) or (int(w[0]) if w[:1].isdigit() else None)


def _quarter_resolver(q: int) -> Callable[[Ctx], str]:
    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        y = year_of(ref)
        if ref is None or y is None:
            return f"XXXX-Q{q}"
        if nm.knows(ref, "quarter") and ctx.mode == "news":
            cur = (ref.date.month - 1) // 3 + 1
            if q > cur and ctx.tense != "future":
                y -= 1
        return f"{y:04d}-Q{q}"

    return resolve


def _quarter(m: re.Match[str], env: Env) -> Expr | list[tuple[int, int, Expr]] | None:
    q = _ord(m["q"]) if m["q"] else int(m["qn"])
    if q is None or not 1 <= q <= 4:
        return None
    year = m["year"] or m["year2"]
    expr = (
        absolute("DATE", f"{parse_year(year):04d}-Q{q}")
        if year
        else Expr("DATE", DEICTIC, _quarter_resolver(q))
    )
    if m["the"] and re.search(r"-quarter$", m.group(), re.IGNORECASE):
        return [(m.end("the"), m.end(), expr)]  # "the third-quarter loss"
    return expr


def _b_quarter(m: re.Match[str], env: Env) -> Expr | list[tuple[int, int, Expr]] | None:
    """Read "the third quarter", "Q3 2012": a bare "Q3" needs a year, "final quarter" a "the"."""
    if m["qn"]:
        year = m["year3"] or m["year4"]
        if not year:
            return None
        return absolute("DATE", f"{parse_year(year):04d}-Q{m['qn']}")
    if m["q"].lower() == "final" and not m.group().lower().startswith("the"):
        return None
    return _quarter(m, env)


def _b_half(m: re.Match[str], env: Env) -> Expr | None:
    h = 2 if m["h"].lower() in ("last", "latter") else _ord(m["h"])
    if h not in (1, 2):
        return None
    if m["year"]:
        return absolute("DATE", f"{parse_year(m['year']):04d}-H{h}")

    def resolve(ctx: Ctx) -> str:
        y = year_of(ctx.ref)
        return f"{y:04d}-H{h}" if y else f"XXXX-H{h}"

    return Expr("DATE", DEICTIC, resolve)


def _b_the_quarter(m: re.Match[str], env: Env) -> Expr | None:
    det = " ".join(m["det"].lower().split())
    if det in ("the latest", "the most recent", "the just-ended", "the recent"):
        return Expr("DATE", DEICTIC, lambda ctx: rel_unit_value(ctx.ref, "quarter", -1))

    def resolve(ctx: Ctx) -> str:
        last = ctx.extra.get("quarter")
        if isinstance(last, Ref):
            return last.value
        return rel_unit_value(ctx.extra.get("dct") or ctx.ref, "quarter", -1)  # type: ignore[arg-type]

    return Expr("DATE", ANAPHORIC, resolve)


def _b_year_period(m: re.Match[str], env: Env) -> Expr | None:
    """Read "the 1988 quarter", "the 1989 period": that year, at the last mention's grain."""
    year = int(m["year"])
    q = _ord(m["q"]) if m["q"] else None
    if q is not None:
        return absolute("DATE", f"{year:04d}-Q{q}")

    def resolve(ctx: Ctx) -> str:
        last = ctx.extra.get("last")
        if isinstance(last, Ref) and last.precision in _PERIOD_GRAINS:
            return f"{year:04d}" + last.value[4:]
        return f"{year:04d}"

    return Expr("DATE", ANAPHORIC, resolve)


def _b_years_quarter(m: re.Match[str], env: Env) -> Expr | None:
    """Read "this year's third quarter", "last year's quarter", "next year's first half"."""
    n = direction(m["det"])
    q = _ord(m["q"]) if m["q"] else None

    def resolve(ctx: Ctx) -> str:
        year = rel_unit_value(ctx.ref, "year", n)
        if q is not None:
            return f"{year}-{(m['half'] and 'H') or 'Q'}{q}"
        last = ctx.extra.get("last")
        if isinstance(last, Ref) and last.precision == "quarter":
            return year + last.value[4:]
        return year

    return Expr("DATE", DEICTIC, resolve)


def _b_year_ago_period(m: re.Match[str], env: Env) -> Expr | None:
    def resolve(ctx: Ctx) -> str:
        quarter = ctx.extra.get("quarter")
        if isinstance(quarter, Ref):
            return nm.shift(quarter, "Y", -1, "quarter")
        return rel_unit_value(ctx.extra.get("dct") or ctx.ref, "year", -1)  # type: ignore[arg-type]

    return Expr("DATE", ANAPHORIC, resolve)


RULES: list[Rule] = [
    Rule(
        "quarter",
        p.compile_(
            p.LB
            + rf"(?:(?P<the>{p.THE}))?(?:(?P<year2>{p.YEAR4})\s+)?"
            + rf"(?:{p.ci('fiscal|calendar')}[\s-]+)?"
            + rf"(?P<q>{p.QUARTER_ORD})[\s-]+{p.ci('quarter')}"
            + rf"(?:,?\s+(?:{p.ci('of')}\s+)?(?:{p.ci('fiscal')}\s+)?(?P<year>{p.YEAR4}))?"
            + p.RB
            + "|"
            + p.LB
            + rf"(?:(?P<year3>{p.YEAR4})\s+)?Q(?P<qn>[1-4])(?:\s+(?P<year4>{p.YEAR4}))?"
            + p.RB
        ),
        _b_quarter,
        3,
    ),
    Rule(
        "half",
        p.compile_(
            p.LB
            + rf"{p.THE}(?P<h>{p.ci('first|second|last|latter')})\s+{p.ci('half')}"
            + rf"(?:\s+{p.ci('of')}\s+(?:{p.ci('fiscal')}\s+)?(?P<year>{p.YEAR4}))?"
            + p.RB
        ),
        _b_half,
        3,
    ),
    Rule(
        "the_quarter",
        p.compile_(
            p.LB
            + rf"(?P<det>{p.ci('the latest|the most recent|the just-ended|the recent|the')})\s+"
            + rf"{p.ci('quarter|period')}(?!\s+(?:of|century|point)\b)"
            + p.RB
        ),
        _b_the_quarter,
        0,
    ),
    Rule(
        "year_period",
        p.compile_(
            p.LB
            + rf"{p.ci('the')}\s+(?P<year>{p.YEAR4})\s+(?:(?P<q>{p.QUARTER_ORD})\s+)?"
            + rf"{p.ci('quarter|period|fiscal quarter')}"
            + p.RB
        ),
        _b_year_period,
        3,
    ),
    Rule(
        "years_quarter",
        p.compile_(
            p.LB
            + rf"(?P<det>{p.ci('this|last|next')})\s+{p.ci('year')}['’]s\s+"
            + rf"(?:(?P<q>{p.QUARTER_ORD})[\s-]+)?(?:(?P<half>{p.ci('half')})|{p.ci('quarter')})"
            + p.RB
        ),
        _b_years_quarter,
        3,
    ),
    Rule(
        "year_end",
        p.compile_(p.LB + p.ci(r"year[-\s]end|year['’]s\s+end") + p.RB),
        lambda m, env: Expr("DATE", DEICTIC, lambda ctx: rel_unit_value(ctx.ref, "year", 0), "END"),
        2,
    ),
    Rule(
        "year_ago_period",
        p.compile_(
            p.LB
            + p.ci(
                r"(?:the\s+)?(?:comparable\s+|corresponding\s+|same\s+)?year[-\s](?:earlier|ago)"
                r"(?:\s+(?:period|quarter|third\s+quarter|second\s+quarter|fourth\s+quarter|"
                r"first\s+quarter))?"
            )
            + p.RB
        ),
        _b_year_ago_period,
        2,
    ),
]
