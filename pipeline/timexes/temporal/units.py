"""Amounts and units: "two and a half hours" -> PT2H30M, "a decade" -> P10Y.

TimeML writes fractional amounts in the next smaller unit and counts decades
and centuries in years (the convention the TempEval-3 gold uses most).
"""

from __future__ import annotations

import re

from pipeline.timexes.temporal import lexicon as lx

_FRACTIONS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3, "1/2": 0.5, "1/4": 0.25, "3/4": 0.75}
_FRACTION_RE = re.compile(
    r"(?:\s+and\s+(?:a\s+)?(half|quarter|third)|\s+([13]/[24])|\s*(½)|-and-a-(half))$"
)
_VAGUE = {v.lower() for v in lx.VAGUE_AMOUNTS}
_APPROX_TWO = {"a couple of", "a couple", "couple of"}


def unit_code(word: str) -> str:
    """Lexicon unit code of a unit word ("years" -> "Y", "minutes" -> "MIN")."""
    return lx.UNITS[word.lower()]


def amount_of(text: str) -> float | None:
    """Numeric value of an amount phrase; None for vague amounts ("several", "a few")."""
    t = " ".join(text.lower().split())
    if t in _APPROX_TWO:
        return 2.0
    if t in _VAGUE:
        return None
    if t.startswith("half"):
        return 0.5
    if t == "a half":
        return 0.5
    frac = 0.0
    m = _FRACTION_RE.search(t)
    if m:
        word = next(g for g in m.groups() if g)
        frac = 0.5 if word == "½" else _FRACTIONS[word]
        t = t[: m.start()]
    if re.fullmatch(r"\d+(?:\.\d+)?|\d{1,3}(?:,\d{3})+", t):
        return float(t.replace(",", "")) + frac
    n = lx.words_to_int(t)
    return None if n is None else n + frac


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.2f}".rstrip("0").rstrip(".")


def _components(amount: float, unit: str) -> list[tuple[float, str]]:
    _, _, mult = lx.UNIT_VALUE[unit]
    total = amount * mult
    out: list[tuple[float, str]] = []
    cur = {"DE": "Y", "CE": "Y", "ML": "Y", "FN": "W", "Q": "M"}.get(unit, unit)
    for _ in range(3):
        whole = int(round(total, 6))
        if abs(total - whole) < 1e-6:
            out.append((whole, cur))
            return out
        if cur not in lx.UNIT_SPLIT:
            break
        whole = int(total)
        if whole:
            out.append((whole, cur))
        nxt, factor = lx.UNIT_SPLIT[cur]
        total = (total - whole) * factor
        cur = nxt
    out.append((round(total, 2), cur))
    return out


def duration_value(amount: float | None, unit: str) -> str:
    """TimeML duration value for `amount` units; PX<unit> when the amount is vague."""
    if amount is None:
        return lx.UNIT_VAGUE[unit]
    date_part, time_part = "", ""
    for n, u in _components(amount, unit):
        letter, is_time, _ = lx.UNIT_VALUE[u]
        if is_time:
            time_part += f"{_fmt(n)}{letter}"
        else:
            date_part += f"{_fmt(n)}{letter}"
    return "P" + date_part + (f"T{time_part}" if time_part else "")
