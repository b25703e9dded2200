"""Word lists used by the temporal rules, kept as plain data.

Everything here is lower-case; the rules decide where capitalisation matters
(month and weekday names must be capitalised so that "may" and "march" the
verbs, or "sun" the noun, are not read as dates).
"""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

# Full names may stand alone; abbreviations need a following day or year.
MONTH_FULL = [m for m in MONTHS if len(m) > 4 or m in ("may", "june", "july")]
MONTH_ABBR = [m for m in MONTHS if m not in MONTH_FULL]

WEEKDAYS: dict[str, int] = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4,
    "friday": 5, "saturday": 6, "sunday": 7,
}  # fmt: skip
WEEKDAY_ABBR: dict[str, int] = {
    "mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4,
    "fri": 5, "sat": 6, "sun": 7,
}  # fmt: skip

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI",
}  # fmt: skip

# TimeML part-of-day codes.
PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
    "overnight": "NI", "midday": "MI", "mid-day": "MI", "daytime": "DT",
}  # fmt: skip

UNITS: dict[str, str] = {
    "second": "S", "seconds": "S", "sec": "S", "secs": "S",
    "minute": "MIN", "minutes": "MIN", "min": "MIN", "mins": "MIN",
    "hour": "H", "hours": "H", "hr": "H", "hrs": "H",
    "day": "D", "days": "D",
    "week": "W", "weeks": "W",
    "fortnight": "FN", "fortnights": "FN",
    "month": "M", "months": "M",
    "quarter": "Q", "quarters": "Q",
    "year": "Y", "years": "Y",
    "decade": "DE", "decades": "DE",
    "century": "CE", "centuries": "CE",
    "millennium": "ML", "millennia": "ML", "millenniums": "ML",
}  # fmt: skip
# Unit code -> (TimeML duration letter, is a time-of-day unit, multiplier of that letter).
UNIT_VALUE: dict[str, tuple[str, bool, int]] = {
    "S": ("S", True, 1),
    "MIN": ("M", True, 1),
    "H": ("H", True, 1),
    "D": ("D", False, 1),
    "W": ("W", False, 1),
    "FN": ("W", False, 2),
    "M": ("M", False, 1),
    "Q": ("M", False, 3),
    "Y": ("Y", False, 1),
    "DE": ("Y", False, 10),
    "CE": ("Y", False, 100),
    "ML": ("Y", False, 1000),
}
# How a fractional amount of a unit is expressed in the next smaller one.
UNIT_SPLIT: dict[str, tuple[str, int]] = {
    "Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60),
    "MIN": ("S", 60), "DE": ("Y", 10), "CE": ("Y", 100), "Q": ("M", 3), "FN": ("D", 14),
}  # fmt: skip
# Vague quantities ("several years") give X in the value: PXY.
UNIT_VAGUE: dict[str, str] = {
    "S": "PTXS", "MIN": "PTXM", "H": "PTXH", "D": "PXD", "W": "PXW", "FN": "PXW",
    "M": "PXM", "Q": "PXQ", "Y": "PXY", "DE": "PXDE", "CE": "PXCE", "ML": "PXML",
}  # fmt: skip

ONES: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "twenty-first": 21, "twenty-second": 22, "twenty-third": 23, "twenty-fourth": 24,
    "twenty-fifth": 25, "twenty-sixth": 26, "twenty-seventh": 27, "twenty-eighth": 28,
    "twenty-ninth": 29, "thirtieth": 30, "thirty-first": 31,
}  # fmt: skip
DECADE_WORDS: dict[str, int] = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6,
    "seventies": 7, "eighties": 8, "nineties": 9,
}  # fmt: skip
# Vague amounts that make a duration's quantity unknown (X).
VAGUE_AMOUNTS = [
    "several",
    "a few",
    "few",
    "many",
    "some",
    "a number of",
    "numerous",
    "countless",
    "a couple of",
    "a couple",
    "couple of",
    "the past few",
    "a dozen",
]

# Words after a bare number that show it counts things rather than naming a year.
COUNT_NOUN_RE = re.compile(
    r"(?:people|persons|votes|voters|troops|soldiers|men|women|children|students|"
    r"workers|employees|jobs|cases|deaths|dead|units|shares|cars|homes|houses|"
    r"points|tons|tonnes|barrels|acres|miles|feet|meters|metres|kilometers|"
    r"kilometres|pounds|dollars|euros|yen|cents|copies|pages|words|members|"
    r"residents|patients|seats|delegates|refugees|police|officers|rooms|beds|"
    r"calories|degrees|percent|per|times|items|hours|days|weeks|months|years|"
    r"minutes|seconds|[a-z]+s)\b"
)

# Words before a bare number that show it is not a year: "$1960", "page 1962", "No. 1999".
NON_YEAR_PREFIX_RE = re.compile(
    r"(?:[$£€¥#]|\b(?:page|pages|pp?\.|no\.|nos\.|number|room|flight|route|"
    r"highway|interstate|model|article|section|chapter|vol\.|volume|exit|mile|"
    r"bill|resolution|rule|code|unit|suite|apt\.|box|item|lot|gate|platform|"
    r"track|bus|car|ward|cell|channel|tel\.?|phone|ext\.|id|version|v\.|rs\.?|"
    r"us\$|about|some|nearly|almost|over|than|of\s+the|to)\s*)$",
    re.IGNORECASE,
)

# Prepositions that make a following bare number or month a date ("in 1959", "in May").
DATE_PREPS = (
    "in",
    "on",
    "since",
    "until",
    "till",
    "by",
    "before",
    "after",
    "during",
    "from",
    "through",
    "throughout",
    "of",
    "for",
    "to",
    "and",
    "or",
    "between",
    "early",
    "late",
    "mid",
    "last",
    "next",
    "this",
    "that",
    "each",
    "every",
    "around",
    "circa",
    "c.",
    "year",
    "fiscal",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "as",
    "at",
    "following",
    "previous",
    "past",
    "same",
    "later",
    "earlier",
    "into",
    "within",
    "beginning",
    "end",
    "start",
    "middle",
    "over",
)


def words_to_int(text: str) -> int | None:
    """Read a number written in words or digits ("twenty-four", "24", "a") as an int.

    Used for counts in durations and for spelled-out years in transcripts.
    """
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    if t in ("a", "an", "one", "single"):
        return 1
    if t in ("a dozen", "dozen"):
        return 12
    if t in ("a hundred", "one hundred", "hundred"):
        return 100
    if t in ("a thousand", "one thousand", "thousand"):
        return 1000
    if t in ONES:
        return ONES[t]
    if t in TENS:
        return TENS[t]
    parts = re.split(r"[\s-]+", t)
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ONES and ONES[parts[1]] < 10:
        return TENS[parts[0]] + ONES[parts[1]]
    return None


def alternation(words: list[str] | tuple[str, ...] | dict[str, object]) -> str:
    """Return a regex alternation of `words`, longest first so that the longest wins."""
    items = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)
