"""Regex building blocks shared by the rule families (compiled once, at import).

Month and weekday names are case-sensitive (capitalised or upper-case) so the
verbs "may" and "march" never match; function words are case-insensitive.
"""

from __future__ import annotations

import re

from pipeline.timexes.temporal import lexicon as lx


def _cap_forms(words: list[str]) -> str:
    forms: list[str] = []
    for w in sorted(words, key=len, reverse=True):
        forms.extend([w.capitalize(), w.upper()])
    return "|".join(re.escape(f) for f in forms)


def ci(pattern: str) -> str:
    """Wrap a sub-pattern so that it matches case-insensitively."""
    return f"(?i:{pattern})"


# Left/right word boundaries that also refuse digits, hyphens and apostrophes glued on.
# "mid-November", "post-1959", "late-November" still start a word after the hyphen.
_MID_OK = r"(?<!(?<!mid)(?<!pre)(?<!post)(?<!early)(?<!late)-)"
LB = r"(?<![\w'’])" + _MID_OK
LBD = r"(?<![\w$£€¥#'’./:])" + _MID_OK  # for numbers: not "$1960", "3.1960", "12/1960"
RB = r"(?![\w’])"
RBD = r"(?![\w%’]|[.,/:-]\d)"  # for numbers: not "1960%", "1960.5", "1960,000", "1960-5"

MONTH_FULL = _cap_forms(lx.MONTH_FULL)
_ABBR = sorted(lx.MONTH_ABBR, key=len, reverse=True)
MONTH_ABBR = (
    "|".join(f"{a.capitalize()}\\.?|{a.upper()}\\.?" for a in _ABBR if a not in ("mar",))
    + r"|Mar\.|MAR\."
)
MONTH_ANY = f"(?:{MONTH_FULL}|{MONTH_ABBR})"
WEEKDAY = _cap_forms(list(lx.WEEKDAYS))
WEEKDAY_ABBR = "|".join(
    f"{a.capitalize()}\\.?" for a in sorted(lx.WEEKDAY_ABBR, key=len, reverse=True)
)
SEASON = ci(lx.alternation(lx.SEASONS))
PART_OF_DAY = ci("morning|afternoon|evening|night")

_ONES = "|".join(sorted(lx.ONES, key=len, reverse=True))
_TENS = "|".join(lx.TENS)
_ONE_NINE = "one|two|three|four|five|six|seven|eight|nine"
NUMBER_WORD = ci(
    rf"(?:(?:{_TENS})(?:[-\s](?:{_ONE_NINE}))?|{_ONES}|a\s+hundred|hundred|a\s+dozen|dozen|"
    r"a\s+thousand|thousand)"
)
DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
FRACTION = ci(r"(?:\s+and\s+(?:a\s+)?(?:half|quarter|third)|\s+[13]/[24]|\s*½|-and-a-half)")
VAGUE = ci(lx.alternation(lx.VAGUE_AMOUNTS))
# An amount before a unit: "3", "three", "two and a half", "a", "several".
AMOUNT = (
    rf"(?:(?:{DIGITS}|{NUMBER_WORD})(?:{FRACTION})?|{ci('half an?|half a|an?')}"
    rf"|{VAGUE})"
)
UNIT = ci(
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)|"
    r"quarters?|fortnights?|millenni(?:um|a))"
)
UNIT_PLURAL = ci(
    r"(?:years|months|weeks|days|hours|minutes|seconds|decades|centuries|quarters|millennia)"
)
UNIT_SING = ci(r"(?:year|month|week|day|hour|minute|quarter|decade|century|fortnight)")
ORDINAL_WORD = ci(lx.alternation(lx.ORDINAL_WORDS))
DAY_NUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR4 = r"(?:1\d{3}|20\d{2})"
YEAR_ANY = rf"(?:{YEAR4}|'\d{{2}}(?![\w']))"
AMPM = ci(r"(?:a\.m\.?|p\.m\.?|am|pm)(?![\w])")
TZ = r"(?:[ECMP][SD]T|GMT|UTC|BST|CET|CEST|Z)"
THE = ci(r"the\s+")
# Eras written after a year ("218 BC", "146 B.C.E.", "14 CE") or before it ("AD 14").
ERA = r"(?:B\.\s?C\.\s?E\.|B\.\s?C\.|B\.\s?C\b|BCE|BC|A\.D\.|AD|C\.E\.|CE)"
ERA_BEFORE = r"(?:A\.D\.|AD)"
QUARTER_ORD = ci(r"(?:first|second|third|fourth|1st|2nd|3rd|4th|final)")


def compile_(pattern: str) -> re.Pattern[str]:
    """Compile a rule pattern with verbose whitespace turned off (patterns are literal)."""
    return re.compile(pattern)
