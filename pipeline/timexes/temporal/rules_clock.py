"""Clock times: "5 p.m.", "noon", "ten o'clock in the morning", "14:30 GMT".

A time is on the day named after it ("5 p.m. Tuesday") or else on the reference day.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal.expr import DEICTIC, Expr
from pipeline.timexes.temporal.normalise import Ctx
from pipeline.timexes.temporal.rules import Env, Rule, prev_word
from pipeline.timexes.temporal.rules_days import DAY_SPEC, day_offset, day_part


def _clock(hour: int, minute: int, second: int | None, ampm: str | None) -> str | None:
    ap = (ampm or "").lower().replace(".", "")
    if ap == "pm" and hour < 12:
        hour += 12
    elif ap == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    out = f"T{hour:02d}:{minute:02d}"
    return out + (f":{second:02d}" if second is not None else "")


def _time_resolver(t: str, day: Callable[[Ctx], str] | None) -> Callable[[Ctx], str]:
    def resolve(ctx: Ctx) -> str:
        base = day(ctx) if day else day_offset(ctx.ref, 0, None)
        return base.split("T")[0] + t

    return resolve


def _b_clock(m: re.Match[str], env: Env) -> Expr | None:
    if m["word"]:
        w = m["word"].lower()
        if prev_word(env.text, m.start()) == "high":
            return None  # "High Noon"
        t = "T12:00" if w in ("noon", "midday", "mid-day") else "T24:00"
    else:
        hour = lx.words_to_int(m["h"]) if not m["h"].isdigit() else int(m["h"])
        if hour is None or (m["ampm"] and not 1 <= hour <= 12):
            return None
        pod = (m["pod"] or "").lower()
        ampm = m["ampm"] or ("pm" if pod in ("afternoon", "evening", "night") else None)
        ampm = ampm or ("am" if pod == "morning" else None)
        t = _clock(hour, int(m["mi"] or 0), int(m["ss"]) if m["ss"] else None, ampm)
        if t is None:
            return None
    return Expr("TIME", DEICTIC, _time_resolver(t, day_part(m)))


def _b_clock24(m: re.Match[str], env: Env) -> Expr | None:
    h, mi, ss = int(m["h"]), int(m["mi"]), m["ss"]
    prev = prev_word(env.text, m.start())
    if ss and not m["tz"] and prev not in ("at", "by", "until", "before", "after", "around"):
        value = f"PT{h}H{int(mi)}M{int(ss)}S" if h else f"PT{int(mi)}M{int(ss)}S"
        return Expr("DURATION", "none", lambda ctx: value)
    if not m["tz"] and prev not in ("at", "by", "until", "till", "before", "after", "around"):
        return None
    t = _clock(h, mi, int(ss) if ss else None, None)
    if t is None:
        return None
    return Expr("TIME", DEICTIC, _time_resolver(t, day_part(m)))


_OCLOCK = p.ci("o['’]clock")


RULES: list[Rule] = [
    Rule(
        "clock",
        p.compile_(
            p.LBD
            + rf"(?:(?P<h>\d{{1,2}}|{p.NUMBER_WORD})(?:[:.](?P<mi>[0-5]\d))?(?::(?P<ss>[0-5]\d))?"
            + rf"(?:\s*(?P<ampm>{p.AMPM})"
            + rf"|\s+{p.ci('in the')}\s+(?P<pod>{p.ci('morning|afternoon|evening')})"
            + rf"|\s+{_OCLOCK})"
            + rf"|(?P<word>{p.ci('noon|midnight|midday')}))"
            + rf"(?:\s+\(?{p.TZ}\)?)?"
            + DAY_SPEC
            + r"(?![\w])"
        ),
        _b_clock,
        2,
    ),
    Rule(
        "clock24",
        p.compile_(
            p.LBD
            + r"(?P<h>[01]?\d|2[0-4]):(?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?"
            + rf"(?:\s*(?P<tz>{p.TZ}))?"
            + DAY_SPEC
            + r"(?![\w:])"
        ),
        _b_clock24,
        2,
    ),
]
