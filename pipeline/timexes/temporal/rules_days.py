"""Days and parts of days: "yesterday", "this morning", "early Tuesday evening", "on Sundays".

A bare weekday in news is placed by the tense of its verb ("met on Friday" is the Friday before
the document date, "will meet on Friday" the one after); a narrative moves forward from its last
date. `DAY_SPEC` and `day_part` read the day that a clock time or a part of day may name after
it ("5 p.m. Tuesday"), for the clock rules too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import normalise as nm
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal import values
from pipeline.timexes.temporal.expr import ANAPHORIC, DEICTIC, Expr, month_num, weekday_num, year_of
from pipeline.timexes.temporal.normalise import Ctx, Ref
from pipeline.timexes.temporal.rules import Env, Rule, day_in_year_resolver

_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}


def day_offset(ref: Ref | None, n: int, pod: str | None) -> str:
    """The day `n` days from the reference, with a part of day if given ("yesterday evening")."""
    if ref is None:
        base = "XXXX-XX-XX"
    elif not nm.knows(ref, "day"):
        base = nm.partial(ref, "day")
    else:
        d = values.add_days(ref.date, n)
        base = d.isoformat() if d else nm.beyond_calendar(ref, "day")
    return base + (f"T{pod}" if pod else "")


def _b_day_word(m: re.Match[str], env: Env) -> Expr | None:
    word = m["w"].lower()
    pod = lx.PARTS_OF_DAY.get((m["pod"] or "").lower())
    if word == "tonight":
        pod = "NI"
    n = _DAY_WORDS[word]
    if m["pre"]:
        n += -1 if "before" in m["pre"].lower() else 1
    type_ = "TIME" if pod else "DATE"
    return Expr(type_, DEICTIC, lambda ctx: day_offset(ctx.ref, n, pod))


def _b_this_pod(m: re.Match[str], env: Env) -> Expr | None:
    det = m["det"].lower()
    pod = lx.PARTS_OF_DAY[m["pod"].lower()]
    if det == "last" and pod != "NI":
        return None
    n = -1 if det == "last" else 0
    if det in ("the next", "the following"):
        n = 1
    kind = ANAPHORIC if det in ("that", "the next", "the following", "the same") else DEICTIC
    return Expr("TIME", kind, lambda ctx: day_offset(ctx.ref, n, pod))


def weekday_resolver(wd: int, det: str, pod: str | None) -> Callable[[Ctx], str]:
    """Resolver of weekday `wd` after the determiner `det` ("last", "this coming" or "")."""

    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        suffix = f"T{pod}" if pod else ""
        if ref is None or not nm.knows(ref, "day"):
            year = year_of(ref)
            return (f"{year:04d}" if year else "XXXX") + f"-WXX-{wd}{suffix}"
        if det in ("last", "this past", "past", "previous", "the previous"):
            d = nm.weekday_near(ref.date, wd, -1, strict=True)
        elif det in ("next", "this coming", "coming", "the following"):
            d = nm.weekday_near(ref.date, wd, +1, strict=True)
        elif det == "this":
            d = nm.weekday_near(ref.date, wd, +1 if ctx.tense != "past" else -1)
        elif ctx.mode == "narrative":  # a story moves forward from its last date
            d = nm.weekday_near(ref.date, wd, -1 if ctx.tense == nm.LOOKING_BACK else +1)
        else:
            d = nm.weekday_near(ref.date, wd, +1 if ctx.tense == "future" else -1)
        return d.isoformat() + suffix

    return resolve


def _b_weekday(m: re.Match[str], env: Env) -> Expr | None:
    wd = weekday_num(m["wd"])
    if wd is None:
        return None
    det = " ".join((m["det"] or "").lower().split())
    pod = lx.PARTS_OF_DAY.get((m["pod"] or "").lower())
    kind = ANAPHORIC if det in ("the following", "the previous") else DEICTIC
    return Expr("TIME" if pod else "DATE", kind, weekday_resolver(wd, det, pod))


def _b_weekday_set(m: re.Match[str], env: Env) -> Expr | None:
    wd_word = m["wd"] or m["wd2"]
    wd = weekday_num(wd_word.rstrip("s") if m["wd"] else wd_word)
    if wd is None:
        return None
    pod_word = (m["pod"] or m["pod2"] or "").lower().rstrip("s")
    pod = lx.PARTS_OF_DAY.get(pod_word)
    value = f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else "")
    return Expr("SET", "none", lambda ctx: value)


def day_part(m: re.Match[str]) -> Callable[[Ctx], str] | None:
    """Resolver of the day a `DAY_SPEC` group names ("Tuesday", "today", "March 5"), if any."""
    if m["dmonth"]:
        mo, d = month_num(m["dmonth"]), int(re.sub(r"\D", "", m["dday"]))
        return day_in_year_resolver(mo, d, None) if mo and 1 <= d <= 31 else None
    if m["dwd"]:
        wd = weekday_num(m["dwd"])
        return weekday_resolver(wd, "", None) if wd else None
    if m["dword"]:
        n = _DAY_WORDS[m["dword"].lower()]
        return lambda ctx: day_offset(ctx.ref, n, None)
    return None


def _b_mod_pod(m: re.Match[str], env: Env) -> Expr | None:
    pod = lx.PARTS_OF_DAY[m["pod"].lower()]
    mod = {"early": "START", "mid": "MID", "late": "END"}[m["mod"].lower()]
    day = day_part(m)

    def resolve(ctx: Ctx) -> str:
        base = day(ctx) if day else day_offset(ctx.ref, 0, None)
        return base.split("T")[0] + f"T{pod}"

    return Expr("TIME", DEICTIC, resolve, mod)


_DET_WD = p.ci("last|next|this past|this coming|this|coming|past|the following|the previous")


DAY_SPEC = (
    rf"(?:,?\s+(?:{p.ci('on')}\s+)?(?:(?P<dwd>{p.WEEKDAY})|(?P<dword>{p.ci('today|tomorrow|yesterday')})"
    rf"|(?P<dmonth>{p.MONTH_ANY})\s*(?P<dday>{p.DAY_NUM})(?![\w]|[.,:]\d)))?"
)
"""The day a time or a part of day may name after it: ", on Tuesday", " today", " March 5"."""


RULES: list[Rule] = [
    Rule(
        "day_word",
        p.compile_(
            p.LB
            + rf"(?P<pre>{p.ci('the day (?:before|after)')}\s+)?"
            + rf"(?P<w>{p.ci('today|yesterday|tomorrow|tonight')})"
            + rf"(?:\s+(?P<pod>{p.PART_OF_DAY}))?"
            + p.RB
        ),
        _b_day_word,
        2,
    ),
    Rule(
        "mod_part_of_day",
        p.compile_(
            p.LB
            + rf"(?P<mod>{p.ci('early|mid|late')})[\s-]+"
            + rf"(?P<pod>{p.ci('morning|afternoon|evening')})"
            + DAY_SPEC
            + p.RB
        ),
        _b_mod_pod,
        2,
    ),
    Rule(
        "this_part_of_day",
        p.compile_(
            p.LB
            + rf"(?P<det>{p.ci('this|last|that|the next|the following|the same')})\s+"
            + rf"(?P<pod>{p.PART_OF_DAY})"
            + p.RB
        ),
        _b_this_pod,
        2,
    ),
    Rule(
        "weekday",
        p.compile_(
            p.LB
            + rf"(?:(?P<det>{_DET_WD})\s+)?"
            + rf"(?P<wd>{p.WEEKDAY})(?:\s+(?P<pod>{p.PART_OF_DAY}))?"
            + p.RB
        ),
        _b_weekday,
        1,
    ),
    Rule(
        "weekday_set",
        p.compile_(
            p.LB
            + rf"(?:{p.ci('every|each|on')}\s+)?(?P<wd>{p.WEEKDAY})s"
            + rf"(?:\s+(?P<pod>{p.ci('mornings|afternoons|evenings|nights')}))?"
            + p.RB
            + "|"
            + p.LB
            + rf"{p.ci('every|each')}\s+(?P<wd2>{p.WEEKDAY})(?:\s+(?P<pod2>{p.PART_OF_DAY}))?"
            + p.RB
        ),
        _b_weekday_set,
        2,
    ),
]
