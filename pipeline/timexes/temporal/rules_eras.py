"""Dates with an era: "August 216 BC", "3 August 216 BC", "the winter of 217 BC", "AD 14".

A year with its era alone ("218 BC") is the `era` rule of `pipeline.timexes.temporal.rules`;
these rules take a month, a day or a season with it, so that "August 216 BC" is one expression
(BC0216-08) rather than a month of the document's year beside a year.
"""

from __future__ import annotations

import re

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal import values
from pipeline.timexes.temporal.expr import Expr, absolute, day_num, month_num
from pipeline.timexes.temporal.rules import Env, Rule, era_year

_SEASON_MODS = {"early": "START", "late": "END", "mid": "MID"}


def _valid(value: str) -> str | None:
    """The value if its date exists ("BC0216-02-30" does not)."""
    return value if values.year_bounds(value) is not None else None


def _b_month_era(m: re.Match[str], env: Env) -> Expr | None:
    year = era_year(m["num"], m["era"])
    month = month_num(m["month"])
    day = m["day"] or m["day2"]
    if year is None or month is None or (m["day"] and m["day2"]):
        return None
    value = f"{year}-{month:02d}"
    if day:
        d = day_num(day)
        value = f"{value}-{d:02d}" if d else ""
    value = _valid(value) if value else None
    return absolute("DATE", value) if value else None


def _b_season_era(m: re.Match[str], env: Env) -> Expr | None:
    year = era_year(m["num"], m["era"])
    if year is None:
        return None
    code = lx.SEASONS[m["season"].lower()]
    mod = _SEASON_MODS.get((m["emod"] or "").lower())
    return absolute("DATE", f"{year}-{code}", mod)


_YEAR_ERA = rf"(?P<num>\d{{1,4}})\s*(?P<era>{p.ERA})(?![\w])"

RULES: list[Rule] = [
    Rule(
        "month_era",
        p.compile_(
            p.LB
            + rf"(?:(?P<day>{p.DAY_NUM})\s+)?(?P<month>{p.MONTH_ANY})\s+"
            + rf"(?:(?P<day2>{p.DAY_NUM}),?\s+)?"
            + _YEAR_ERA
        ),
        _b_month_era,
        5,
    ),
    Rule(
        "season_era",
        p.compile_(
            p.LB
            + rf"(?:{p.THE})?(?:(?P<emod>{p.ci('early|late|mid')})[\s-]+)?"
            + rf"(?P<season>{p.SEASON})(?:\s+{p.ci('of')})?,?\s+"
            + _YEAR_ERA
        ),
        _b_season_era,
        5,
    ),
]
