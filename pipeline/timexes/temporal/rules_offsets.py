"""Offsets from a reference: "two days later", "three years ago", "within a month".

"ago" and "hence" count from the document date in news; "later", "earlier", "before" and "after"
from the last date mentioned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from pipeline.timexes.temporal import normalise as nm
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal.expr import ANAPHORIC, DEICTIC, Expr, Res
from pipeline.timexes.temporal.normalise import Ctx, Ref
from pipeline.timexes.temporal.relative import anchored_duration, direction
from pipeline.timexes.temporal.rules import Env, Rule
from pipeline.timexes.temporal.units import amount_of, duration_value, unit_code


def _shift_resolver(unit: str, n: int, sign: int) -> Callable[[Ctx], Res | str]:
    def resolve(ctx: Ctx) -> Res | str:
        ref = ctx.ref
        if ref is None:
            return nm.mask(nm.shift(Ref(dt.date(2000, 6, 15), "day", ""), unit, sign * n))
        quarter = ctx.extra.get("quarter")
        if unit == "Y" and n == 1 and sign < 0 and isinstance(quarter, Ref):
            # Earnings reports: "a year earlier" is the same quarter of the previous year.
            return Res(nm.shift(quarter, "Y", -1, "quarter"), derived=True)
        return nm.shift(ref, unit, sign * n)

    return resolve


def _b_ago(m: re.Match[str], env: Env) -> Expr | None:
    unit = unit_code(m["unit"])
    amount = amount_of(m["amt"]) if m["amt"] else None
    word = m["dir"].lower()
    sign = 1 if word in ("later", "after", "afterwards", "afterward", "on", "hence") else -1
    kind = DEICTIC if word in ("ago", "hence") else ANAPHORIC
    if m["amt"] is None:
        return None
    if amount is None or amount != int(amount):
        if word != "ago":
            return None
        return Expr("DATE", DEICTIC, lambda ctx: "PAST_REF")
    if word in ("before", "after") and not re.match(r"\s*[,.;:!?)\"']|\s*$", env.text[m.end() :]):
        return None
    return Expr("DATE", kind, _shift_resolver(unit, int(amount), sign))


def _b_within(m: re.Match[str], env: Env) -> list[tuple[int, int, Expr]] | None:
    """Read "within two years" as P2Y over [ref, ref+2y]; TimeML leaves "within" out."""
    unit = unit_code(m["unit"])
    amount = amount_of(m["amt"]) if m["amt"] else 1.0
    value = duration_value(amount, unit)
    if amount is None or amount != int(amount):
        return [(m.start("amt"), m.end(), Expr("DURATION", "none", lambda ctx: value))]
    sign = -1 if m["det"] and direction(m["det"]) < 0 else 1
    resolve = anchored_duration(value, unit, sign * int(amount))
    return [(m.start("amt"), m.end(), Expr("DURATION", DEICTIC, resolve))]


_AMT = rf"(?P<amt>{p.AMOUNT})"


RULES: list[Rule] = [
    Rule(
        "ago",
        p.compile_(
            p.LB
            + rf"(?:{_AMT}[\s-]+)?(?P<unit>{p.UNIT})(?:\s+{p.ci('or so')})?\s+"
            + rf"(?P<dir>{p.ci('ago|later|earlier|afterwards?|before|after|hence')}"
            + r"|on(?=\s*[,.;:!?)]|\s*$))"
            + p.RB
        ),
        _b_ago,
        3,
    ),
    Rule(
        "within",
        p.compile_(
            p.LB
            + rf"(?:{p.ci('within')}\s+"
            + rf"(?:(?P<det>{p.ci('the next|the past|the last|the coming')})\s+)?)"
            + rf"{_AMT}[\s-]+(?P<unit>{p.UNIT})"
            + p.RB
        ),
        _b_within,
        3,
    ),
]
