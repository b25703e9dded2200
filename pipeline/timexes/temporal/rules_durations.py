"""Durations, sets and the vague PRESENT/PAST/FUTURE references.

"three years" is P3Y and "the past five years" is P5Y anchored on the reference;
"every year", "weekly" and "twice a year" are SETs; "now" is PRESENT_REF.
Ages ("a 22-year-old") are not durations in TimeML and are refused.
"""

from __future__ import annotations

import re

from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal.expr import DEICTIC, Expr, fixed, month_num
from pipeline.timexes.temporal.relative import anchored_duration
from pipeline.timexes.temporal.rules import Env, Rule, next_word, prev_word
from pipeline.timexes.temporal.units import amount_of, duration_value, unit_code

_AGE_RE = re.compile(r"^(?:[\s-]+old\b|-olds?\b|[\s-]+of\s+age\b)", re.IGNORECASE)


_RATE_PREV_RE = re.compile(
    r"(?:\d|million|billion|thousand|percent|cents|dollars|[a-z]{3,}s)[\s,]*$", re.IGNORECASE
)


def _is_age(env: Env, end: int) -> bool:
    return bool(_AGE_RE.match(env.text[end : end + 12]))


def _b_duration(m: re.Match[str], env: Env) -> Expr | list[tuple[int, int, Expr]] | None:
    if _is_age(env, m.end()):
        return None
    unit = unit_code(m["unit"])
    amt_text = m["amt"]
    low = amt_text.lower()
    if unit == "S" and low in ("a", "an", "one") and not m["frac2"]:
        return None  # "a second term"
    singular = not m["unit"].lower().endswith("s")
    if unit == "Q" and "-" in env.text[m.end("amt") : m.start("unit")] and not singular:
        return None  # "three-quarters of its food" is a fraction
    if (
        unit == "Q"
        and singular
        and (low in ("a", "an", "one") or next_word(env.text, m.end()) == "of")
    ):
        return None  # "a quarter of the votes"
    if low in ("a", "an") and _RATE_PREV_RE.search(env.text, max(0, m.start() - 25), m.start()):
        return None  # "$500 million a year", "four flights a week": a rate, not a duration
    if low in ("a", "an") and m["unit"].lower().endswith("s"):
        return None
    amount = amount_of(amt_text)
    sep = env.text[m.end("amt") : m.start("unit")]
    if amount is not None and m["frac2"]:
        amount += 0.5
    if amount is not None and amount >= 1000 and amount == int(amount) and "," not in amt_text:
        return None
    if amount is not None and amount == 0:
        return None
    expr = fixed("DURATION", duration_value(amount, unit))
    if m["the"] and "-" in sep:
        return [(m.start("amt"), m.end(), expr)]  # "the 30-day rate": TimeML leaves "the" out
    return expr


def _b_plural_unit(m: re.Match[str], env: Env) -> Expr | None:
    if _is_age(env, m.end()):
        return None
    prev = prev_word(env.text, m.start())
    if prev in ("of",) and m["unit"].lower() in ("seconds", "minutes"):
        return None  # "minutes of the meeting"
    if prev in ("recent", "coming", "past", "ahead"):
        return None
    return fixed("DURATION", duration_value(None, unit_code(m["unit"])))


def _b_span(m: re.Match[str], env: Env) -> Expr | None:
    """Anchored durations: "the past five years", "the next two weeks", "recent years"."""
    det = " ".join((m["det"] or "").lower().split())
    unit = unit_code(m["unit"])
    amount = amount_of(m["amt"]) if m["amt"] else None
    if m["amt"] is None and det in ("the past", "the last", "past", "last", "the next", "next"):
        amount = None
    value = duration_value(amount, unit)
    if amount is None or amount != int(amount):
        return fixed("DURATION", value)
    sign = -1 if any(w in det for w in ("past", "last", "previous", "recent")) else 1
    if not any(w in det for w in ("past", "last", "previous", "next", "coming", "following")):
        return fixed("DURATION", value)
    resolve = anchored_duration(value, unit, sign * int(amount))
    return Expr("DURATION", DEICTIC, resolve)


def _b_range(m: re.Match[str], env: Env) -> list[tuple[int, int, Expr]] | None:
    """Split "12 to 18 months" into "12" (P12M) and "18 months" (P18M), as TimeML does."""
    if _is_age(env, m.end()):
        return None
    unit = unit_code(m["unit"])
    a, b = amount_of(m["a1"]), amount_of(m["a2"])
    if a is None or b is None or a >= b:
        return None
    first = fixed("DURATION", duration_value(a, unit))
    second = fixed("DURATION", duration_value(b, unit))
    return [(m.start("a1"), m.end("a1"), first), (m.start("a2"), m.end(), second)]


_SET_WORDS = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
    "hourly": "PT1H", "quarterly": "P3M", "nightly": "XXXX-XX-XXTNI",
    "biweekly": "P2W", "bi-weekly": "P2W", "fortnightly": "P2W", "semiannually": "P6M",
    "biannually": "P6M",
}  # fmt: skip
_POD_SET = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_SEASON_SET = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}


_ADVERB_NEXT = {
    "", ",", ".", ";", ":", "and", "or", "to", "in", "for", "at", "on", "by", "since",
    "through", "until", "but", "with", "from", "basis", "over", "during", "outside", "after",
    "before", "throughout", "as", "(", ")", "-", "--", "''", "\"",
}  # fmt: skip


def _b_set_word(m: re.Match[str], env: Env) -> Expr | None:
    """Read "weekly", "annually" as a SET when used as an adverb.

    Not as an adjective ("its quarterly dividend") or a noun ("the Communist Party daily").
    """
    if not env.relaxed:
        if env.pos(m.start()) in ("ADJ", "NOUN", "PROPN"):
            return None
        if next_word(env.text, m.end()).lower() not in _ADVERB_NEXT:
            return None
    return fixed("SET", _SET_WORDS[m.group().lower()])


def _b_every(m: re.Match[str], env: Env) -> Expr | None:
    word = m["what"].lower()
    if word in _POD_SET:
        return fixed("SET", f"XXXX-XX-XXT{_POD_SET[word]}")
    if word in _SEASON_SET:
        return fixed("SET", f"XXXX-{_SEASON_SET[word]}")
    mo = month_num(m["what"])
    if mo is not None and m["what"][:1].isupper():
        return fixed("SET", f"XXXX-{mo:02d}")
    unit = unit_code(word) if word in _UNITS else None
    if unit is None:
        return None
    amount = amount_of(m["amt"]) if m["amt"] else 1.0
    if m["other"]:
        amount = 2.0
    return fixed("SET", duration_value(amount or 1.0, unit))


_UNITS = {
    "second", "minute", "hour", "day", "week", "month", "quarter", "year", "decade", "century",
    "seconds", "minutes", "hours", "days", "weeks", "months", "quarters", "years", "decades",
}  # fmt: skip


def _b_times_per(m: re.Match[str], env: Env) -> Expr | None:
    unit = unit_code(m["unit"] or m["unit2"])
    return fixed("SET", duration_value(1.0, unit))


_REFS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "at present": "PRESENT_REF", "the present": "PRESENT_REF",
    "these days": "PRESENT_REF", "at the moment": "PRESENT_REF",
    "the present day": "PRESENT_REF", "the present time": "PRESENT_REF",
    "the past": "PAST_REF", "recently": "PAST_REF", "more recently": "PAST_REF",
    "formerly": "PAST_REF", "at the time": "PAST_REF", "long ago": "PAST_REF",
    "years ago": "PAST_REF", "in years past": "PAST_REF", "once upon a time": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the foreseeable future": "FUTURE_REF", "the distant future": "FUTURE_REF",
    "the not-too-distant future": "FUTURE_REF", "a later date": "FUTURE_REF",
    "the near term": "FUTURE_REF", "the long term": "FUTURE_REF",
    "the short term": "FUTURE_REF",
}  # fmt: skip


def _b_ref(m: re.Match[str], env: Env) -> Expr | None:
    phrase = " ".join(m.group().lower().split())
    value = _REFS[phrase]
    if phrase == "the past" and re.match(
        r"\s+(?:\d|few|several|two|three|year|month|week)",
        env.text[m.end() : m.end() + 12],
        re.IGNORECASE,
    ):
        return None
    return Expr("DATE", DEICTIC, lambda ctx: value)


_AMT = rf"(?P<amt>{p.AMOUNT})"
_AND_HALF = p.ci(r"\s+and\s+a\s+half")
_SPAN_DET = p.ci(
    "the past|the last|the next|the coming|the first|the final|the previous|the following|"
    "the latest|past|last|next|recent|the recent|coming|the"
)
_EVERY_WHAT = p.ci("morning|afternoon|evening|night|spring|summer|autumn|fall|winter")
_REF_NAMES = "|".join(
    re.escape(r).replace(r"\ ", r"\s+") for r in sorted(_REFS, key=len, reverse=True)
)

RULES: list[Rule] = [
    Rule(
        "duration",
        p.compile_(
            p.LB
            + rf"(?:(?P<the>{p.ci('the')})\s+)?{_AMT}[\s-]+"
            + rf"(?:{p.ci('more|additional|full|long')}\s+)?"
            rf"(?P<unit>{p.UNIT})(?P<frac2>{_AND_HALF})?(?:-long)?" + p.RB
        ),
        _b_duration,
        1,
    ),
    Rule(
        "duration_abbr",
        p.compile_(
            p.LBD
            + rf"(?P<amt>\d+(?:\.\d+)?)\s*(?P<unit>{p.ci('hrs?|mins?|secs?')})\.?"
            + r"(?P<frac2>(?!))?(?P<the>(?!))?"
            + p.RB
        ),
        _b_duration,
        1,
    ),
    Rule(
        "plural_unit",
        p.compile_(
            p.LB
            + rf"(?P<unit>{p.ci('years|months|weeks|days|hours|minutes|decades|centuries')})"
            + p.RB
        ),
        _b_plural_unit,
        0,
    ),
    Rule(
        "span",
        p.compile_(
            p.LB + rf"(?P<det>{_SPAN_DET})\s+" + rf"(?:{_AMT}\s+)?(?P<unit>{p.UNIT_PLURAL})" + p.RB
        ),
        lambda m, env: _b_span_any(m, env),
        2,
    ),
    Rule(
        "range",
        p.compile_(
            p.LBD
            + rf"(?P<a1>{p.DIGITS}|{p.NUMBER_WORD})\s*(?:{p.ci('to|and|or')}|[-–])\s*"
            + rf"(?P<a2>{p.DIGITS}|{p.NUMBER_WORD})[\s-]+(?P<unit>{p.UNIT})"
            + p.RB
        ),
        _b_range,
        3,
    ),
    Rule(
        "set_word",
        p.compile_(p.LB + p.ci("|".join(sorted(_SET_WORDS, key=len, reverse=True))) + p.RB),
        _b_set_word,
        1,
    ),
    Rule(
        "every",
        p.compile_(
            p.LB
            + rf"{p.ci('every|each')}\s+(?:(?P<other>{p.ci('other')})\s+|{_AMT}\s+)?"
            + rf"(?P<what>{p.UNIT}|{_EVERY_WHAT}|{p.MONTH_FULL})"
            + p.RB
        ),
        _b_every,
        2,
    ),
    Rule(
        "times_per",
        p.compile_(
            p.LB
            + rf"(?:{p.ci('once|twice|thrice')}|(?:{p.DIGITS}|{p.NUMBER_WORD})\s+{p.ci('times')})"
            + rf"\s+(?:{p.ci('a|an|per|each|every')})\s+(?P<unit>{p.UNIT_SING})"
            + p.RB
            + "|"
            + p.LB
            + rf"{p.ci('per')}\s+(?P<unit2>{p.UNIT_SING})"
            + p.RB
        ),
        _b_times_per,
        3,
    ),
    Rule("ref", p.compile_(p.LB + p.ci(f"(?:{_REF_NAMES})") + p.RB), _b_ref, 1),
]


def _b_span_any(m: re.Match[str], env: Env) -> Expr | None:
    det = " ".join(m["det"].lower().split())
    if det == "the" and not m["amt"]:
        return None
    if det in ("recent", "the recent", "coming", "the coming") and not m["amt"]:
        if _is_age(env, m.end()):
            return None
        return fixed("DURATION", duration_value(None, unit_code(m["unit"])))
    if m["amt"] and m["amt"].lower() in ("a", "an"):
        return None
    return _b_span(m, env)
