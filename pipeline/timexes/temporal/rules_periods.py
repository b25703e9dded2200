"""Periods before, at or after the reference: "last year", "next March", "the weekend".

Deictic determiners ("last", "this") resolve against the document date in news; anaphoric ones
("the following", "that") against the last date mentioned. The builder only records which kind
it is.
"""

from __future__ import annotations

import re

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import normalise as nm
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal.expr import ANAPHORIC, DEICTIC, Expr, absolute, month_num, year_of
from pipeline.timexes.temporal.normalise import Ctx, Ref
from pipeline.timexes.temporal.relative import direction, rel_unit_value
from pipeline.timexes.temporal.rules import Env, Rule, next_word, parse_year, prev_word
from pipeline.timexes.temporal.units import duration_value, unit_code

_ANAPHORIC_DETS = ("following", "previous", "preceding", "same", "that", "the next", "the prior")


def _kind(det: str) -> str:
    d = " ".join(det.lower().split())
    return ANAPHORIC if any(d.startswith(a) or d.endswith(a) for a in _ANAPHORIC_DETS) else DEICTIC


_UNIT_GRAN = {
    "day": "day", "week": "week", "weekend": "week", "month": "month", "quarter": "quarter",
    "year": "year", "decade": "decade", "century": "century", "fortnight": "week",
}  # fmt: skip


_DURATIVE_PREV = ("over", "for", "throughout", "during")


_OF_NAMED = re.compile(r"\s+of\s+(?!\d|(?:the\s+)?(?:year|month|week)\b)", re.I)


def _of_a_named_period(text: str, end: int) -> bool:
    """Whether "of" and a named period follow ("the last month of the war").

    That is the war's last month, a span of the war (TIMEX2 writes it P1M), not the month
    before the reference.
    """
    return _OF_NAMED.match(text, end) is not None


def _this_last_next_unit(m: re.Match[str], env: Env) -> Expr | None:
    det = " ".join(m["det"].lower().split())
    unit = m["unit"].lower()
    gran = _UNIT_GRAN[unit]
    n = direction(det)
    if det in ("the next", "next") and unit == "day":
        n = 1
    prev = prev_word(env.text, m.start())
    if det in ("the last", "the past") and _of_a_named_period(env.text, m.end()):
        code = unit_code(unit)
        return Expr("DURATION", "none", lambda ctx: duration_value(1, code))
    if n > 0 and det.startswith("the") and prev in _DURATIVE_PREV and unit != "weekend":
        code = unit_code(unit)
        return Expr("DURATION", "none", lambda ctx: duration_value(1, code))
    weekend = unit == "weekend"
    kind = _kind(det)
    if det in ("the", "this", "the current", "current", "the same", "that"):
        n = 0
    return Expr("DATE", kind, lambda ctx: rel_unit_value(ctx.ref, gran, n, weekend))


def _the_year(m: re.Match[str], env: Env) -> Expr | None:
    """Read "the year": a span in "the year ended March 31", else the year in focus."""
    nxt = next_word(env.text, m.end()).lower()
    if nxt in ("ended", "ending", "through", "to"):
        return Expr("DURATION", "none", lambda ctx: "P1Y")
    if nxt in ("before", "after", "of", "in", "when", "that", "he", "she", "they", "it"):
        return None
    if nxt[:1].isdigit():  # "the year 10000": a number no year rule read, not the year in focus
        return None
    return Expr("DATE", ANAPHORIC, lambda ctx: rel_unit_value(ctx.ref, "year", 0))


_NO_DAY_DETS = {
    "the", "this", "last", "past", "coming", "the past", "the last", "current", "the current",
    "the coming", "the latest", "the full",
}  # fmt: skip


def _b_rel_unit(m: re.Match[str], env: Env) -> Expr | None:
    """Read "last year", "the following week": not a title ("This Week"), nor "the day"."""
    det = " ".join(m["det"].lower().split())
    unit = m["unit"].lower()
    if m["unit"][:1].isupper() and m["det"][:1].isupper() and not env.relaxed:
        return None  # a title: ABC's "This Week"
    if unit == "day" and det in _NO_DAY_DETS:
        return None
    if det == "the latest" and unit == "year":
        return Expr("DATE", DEICTIC, lambda ctx: rel_unit_value(ctx.ref, "year", -1))
    if det == "the full" and unit == "year":
        return Expr("DATE", DEICTIC, lambda ctx: rel_unit_value(ctx.ref, "year", 0))
    if det in ("the latest", "the full"):
        return None
    if det == "the" and unit in ("month", "week"):
        head = env.text[max(0, m.start() - 20) : m.start()].lower()
        if not re.search(r"(?:end|beginning|start|middle|rest|close)\s+of\s+$", head):
            return None
        return Expr("DATE", ANAPHORIC, lambda ctx: rel_unit_value(ctx.ref, _UNIT_GRAN[unit], 0))
    if det == "the":
        return _the_year(m, env) if unit == "year" else None
    if unit == "quarter" and det in ("the last", "the past"):
        return None
    return _this_last_next_unit(m, env)


def _b_the_weekend(m: re.Match[str], env: Env) -> Expr | None:
    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        if ref is None or not nm.knows(ref, "day"):
            return rel_unit_value(ref, "week", 0, True)
        if ctx.tense == "future":
            d = nm.weekday_near(ref.date, 6, +1)
        else:
            d = nm.weekday_near(ref.date, 7, -1)
        return nm.render(d, "week") + "-WE"

    return Expr("DATE", DEICTIC, resolve)


def _b_rel_month(m: re.Match[str], env: Env) -> Expr | None:
    month = month_num(m["month"])
    if month is None:
        return None
    det = " ".join(m["det"].lower().split())

    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        y = year_of(ref)
        if ref is None or y is None:
            return f"XXXX-{month:02d}"
        if det in ("that", "this") or not nm.knows(ref, "month"):
            return f"{y:04d}-{month:02d}"
        cur = ref.date.month
        if det in ("this past", "past"):
            return f"{(y if month < cur else y - 1):04d}-{month:02d}"
        if det in ("this coming", "coming"):
            return f"{(y if month > cur else y + 1):04d}-{month:02d}"
        if direction(det) < 0:
            return f"{(y if month < cur else y - 1):04d}-{month:02d}"
        return f"{(y if month > cur else y + 1):04d}-{month:02d}"

    return Expr("DATE", _kind(det), resolve)


def _b_month_rel_year(m: re.Match[str], env: Env) -> Expr | None:
    month = month_num(m["month"])
    if month is None:
        return None
    n = direction(m["det"])
    kind = _kind(m["det"])

    def resolve(ctx: Ctx) -> str:
        year = rel_unit_value(ctx.ref, "year", n)
        return f"{year}-{month:02d}"

    return Expr("DATE", kind, resolve)


def _season_value(
    ref: Ref | None, code: str, n: int, tense: str | None, news: bool, recent: bool = False
) -> str:
    y = year_of(ref)
    if ref is None or y is None:
        return f"XXXX-{code}"
    if not nm.knows(ref, "month"):
        return f"{y + n:04d}-{code}"
    cur = nm.render(ref.date, "season")
    cur_year = int(cur[:4])
    # Seasons as (year, index) in time order; winter Y starts in December of Y.
    idx = {"WI": 3.5, "SP": 1, "SU": 2, "FA": 3}
    cur_pos = cur_year + idx[cur[5:]] / 10
    year = cur_year
    if n < 0:
        # "last spring": the spring of last year, as TimeML annotates it; the year is the
        # calendar's, not the season's ("last fall" in February 1998 is 1997's, though that
        # February is in the winter begun in December 1997). "Last winter" is the one before.
        year = cur_year - 1 if code == "WI" else y - 1
        if recent:
            year = cur_year if cur_year + idx[code] / 10 < cur_pos else cur_year - 1
    elif n > 0:
        year = cur_year + 1
        if recent:
            year = cur_year if cur_year + idx[code] / 10 > cur_pos else cur_year + 1
    elif news and tense == "past" and cur_year + idx[code] / 10 > cur_pos:
        year = cur_year - 1
    return f"{year:04d}-{code}"


_FALL_OF_RE = re.compile(r"\s+of\s+(?!\d)")
"""After "the fall", "of" and anything but a year: the fall of a city or a government."""


def _b_season(m: re.Match[str], env: Env) -> Expr | None:
    code = lx.SEASONS[m["season"].lower()]
    if m["year"]:
        mod = {"early": "START", "late": "END", "mid": "MID"}.get((m["emod"] or "").lower())
        return absolute("DATE", f"{parse_year(m['year']):04d}-{code}", mod)
    det = " ".join((m["det"] or "").lower().split())
    if code == "FA" and (not det or _FALL_OF_RE.match(env.text, m.end())):
        return None  # bare "fall" is mostly the noun or the verb; "the fall of Rome" is an event
    if not det:
        prev = prev_word(env.text, m.start())
        if prev not in ("in", "this", "over", "during", "through", "until", "since", "by"):
            return None
    n = direction(det) if det not in ("this past",) else -1
    kind = ANAPHORIC if det in ("that", "the same", "the following", "the previous") else DEICTIC

    recent = det in ("this past", "this coming", "coming", "past")

    def resolve(ctx: Ctx) -> str:
        return _season_value(ctx.ref, code, n, ctx.tense, ctx.mode == "news", recent)

    mod = {"early": "START", "late": "END", "mid": "MID"}.get((m["emod"] or "").lower())
    return Expr("DATE", kind, resolve, mod)


_DET_REL = p.ci(
    r"(?:last|next|this\s+past|this\s+coming|this|past|coming|the\s+following|"
    r"the\s+previous|the\s+preceding|the\s+prior|the\s+next|the\s+last|the\s+past|"
    r"the\s+current|current|the\s+same|that\s+same|that|the\s+coming)"
)


_DET_MONTH = p.ci("last|next|this past|this coming|this|that|coming|the following|the previous")


_FRONTED_AT = re.compile(
    r"(?:^|[.,;:!?\n(\"'”’]\s*|\b(?:and|but|while|yet|then)\s+)at\s+$", re.IGNORECASE
)


def simultaneously(text: str, start: int, end: int) -> bool:
    """Whether "at the same time" means "simultaneously", not the time just told.

    Set off at the head of a clause ("At the same time, the fleet sailed") or followed by
    "as" ("at the same time as the siege") it points at a time; inside the clause after its
    verb ("prepared to fight both wars at the same time") it says that the clause's parts
    happen together, and is no date (TIMEX2 gives it no value).
    """
    head = text[max(0, start - 12) : start]
    if not head.lower().endswith(("at ", "at\n")) or next_word(text, end).lower() == "as":
        return False
    return _FRONTED_AT.search(text, max(0, start - 20), start) is None


def _b_same_time(m: re.Match[str], env: Env) -> Expr:
    """The story's clock as it stands, at its precision: "at the same time", "by that time".

    Only a narrative has a clock to point at; in news the phrase means "simultaneously" and
    is not a date (TimeML leaves it out), so it resolves to nothing there, as it does in a
    story where it means "simultaneously" (`simultaneously`).
    """
    together = m.group().lower().endswith("same time") and simultaneously(
        env.text, m.start(), m.end()
    )

    def resolve(ctx: Ctx) -> str:
        if together or ctx.mode != "narrative" or ctx.ref is None:
            return ""
        return ctx.ref.value

    return Expr("DATE", ANAPHORIC, resolve)


RULES: list[Rule] = [
    Rule(
        "same_time",
        p.compile_(p.LB + rf"{p.ci('the same time|that time')}" + p.RB),
        _b_same_time,
        1,
    ),
    Rule(
        "rel_unit",
        p.compile_(
            p.LB
            + rf"(?P<det>{_DET_REL}|{p.ci('the latest|the full|the')})\s+"
            + rf"(?:{p.ci('fiscal|calendar')}\s+)?"
            + rf"(?P<unit>{p.ci('year|month|week|weekend|quarter|decade|century|fortnight|day')})"
            + p.RB
        ),
        _b_rel_unit,
        1,
    ),
    Rule(
        "the_weekend",
        p.compile_(p.LB + rf"{p.ci('the')}\s+{p.ci('weekend')}" + p.RB),
        _b_the_weekend,
        1,
    ),
    Rule(
        "rel_month",
        p.compile_(p.LB + rf"(?P<det>{_DET_MONTH})\s+" + rf"(?P<month>{p.MONTH_FULL})" + p.RB),
        _b_rel_month,
        2,
    ),
    Rule(
        "month_rel_year",
        p.compile_(
            p.LB
            + rf"(?P<month>{p.MONTH_ANY})(?:\s+{p.ci('of')})?\s+"
            + rf"(?P<det>{p.ci('last|next|this|that|the following|the previous')})\s+{p.ci('year')}"
            + p.RB
        ),
        _b_month_rel_year,
        3,
    ),
    Rule(
        "season",
        p.compile_(
            p.LB
            + rf"(?:(?P<det>{_DET_REL}|{p.ci('the')})\s+)?"
            + rf"(?:(?P<emod>{p.ci('early|late|mid')})[\s-]+)?(?P<season>{p.SEASON})"
            + rf"(?:(?:\s+{p.ci('of')})?,?\s+(?P<year>{p.YEAR4}))?"
            + p.RB
        ),
        _b_season,
        2,
    ),
]
