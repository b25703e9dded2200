"""Calendar-date rule families: full and partial dates, years, decades, centuries, eras.

Each rule is (name, compiled regex, builder, priority). A builder reads the match,
applies the context checks that keep false positives out ("$1960", "1960 votes",
"May" the modal) and returns an `Expr`, or None to reject the match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import normalise as nm
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal.expr import (
    DEICTIC,
    Expr,
    absolute,
    day_num,
    month_num,
    weekday_num,
    year_of,
    ymd,
)
from pipeline.timexes.temporal.normalise import Ctx


@dataclass
class Env:
    """Static context for builders: the text and optional POS lookups."""

    text: str
    relaxed: bool = False
    pos: Callable[[int], str | None] = lambda i: None
    tag: Callable[[int], str | None] = lambda i: None


Builder = Callable[[re.Match[str], Env], "Expr | list[tuple[int, int, Expr]] | None"]


@dataclass(frozen=True)
class Rule:
    """A rule family: a compiled regex and the builder that interprets its matches."""

    name: str
    regex: re.Pattern[str]
    build: Builder
    priority: int = 0


_PREV_WORD_RE = re.compile(r"([A-Za-z.'’-]+|[$£€¥#])[\s,]*$")
_NEXT_WORD_RE = re.compile(r"^\s*([A-Za-z'’-]+|\S)")


def prev_word(text: str, start: int) -> str:
    """The word just before `start` (lower-case, trailing punctuation kept), or ""."""
    m = _PREV_WORD_RE.search(text, max(0, start - 30), start)
    return m.group(1).lower() if m else ""


def next_word(text: str, end: int) -> str:
    """The word just after `end`, as written, or ""."""
    m = _NEXT_WORD_RE.match(text[end : end + 30])
    return m.group(1) if m else ""


def year_value(y: int) -> str:
    """Four-digit TimeML year."""
    return f"{y:04d}"


def parse_year(word: str) -> int:
    """Year from "1998" or "'98" (two digits: 1931-2030 window)."""
    w = word.lstrip("'’")
    y = int(w)
    if len(w) == 2:
        y += 1900 if y > 30 else 2000
    return y


def _is_verb_at(env: Env, start: int) -> bool:
    return env.pos(start) in ("VERB", "AUX")


# ---------------------------------------------------------------- full dates


def _b_iso(m: re.Match[str], env: Env) -> Expr | None:
    v = ymd(int(m["y"]), int(m["m"]), int(m["d"]))
    if v is None:
        return None
    if m["hh"]:
        if int(m["hh"]) > 24:
            return None
        t = f"T{m['hh']}:{m['mi']}" + (f":{m['ss']}" if m["ss"] else "")
        return absolute("TIME", v + t)
    return absolute("DATE", v)


def _b_numeric(m: re.Match[str], env: Env) -> Expr | None:
    a, b, y = int(m["a"]), int(m["b"]), m["y"]
    year = int(y) if len(y) == 4 else parse_year(y)
    mo, d = (a, b) if a <= 12 else (b, a)
    v = ymd(year, mo, d)
    return absolute("DATE", v) if v else None


def day_in_year_resolver(month: int, day: int, weekday: int | None) -> Callable[[Ctx], str]:
    """Resolver for a day and month without a year ("April 7", "Monday, March 18")."""

    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        y = year_of(ref)
        if ref is None or y is None:
            return f"XXXX-{month:02d}-{day:02d}"
        if weekday is not None:
            for cand in (y, y - 1, y + 1):
                v = ymd(cand, month, day)
                if v and nm.values.interval(v) and _weekday_ok(v, weekday):
                    return v
        year = nm.year_for_month(ref, month, ctx.tense, ctx.mode)
        if ctx.mode == "news" and nm.knows(ref, "day") and month == ref.date.month:
            year = y
        return ymd(year, month, day) or f"{year:04d}-{month:02d}"

    return resolve


def _weekday_ok(v: str, weekday: int) -> bool:
    iv = nm.values.interval(v)
    return iv is not None and iv[0].isoweekday() == weekday


def _b_month_day(m: re.Match[str], env: Env) -> Expr | None:
    month = month_num(m["month"])
    day = day_num(m["day"])
    if month is None or day is None or ymd(2000, month, day) is None:
        return None
    if m["month"] == "May" and _is_verb_at(env, m.start("month")):
        return None
    wd = weekday_num(m["wd"]) if m["wd"] else None
    if m["year"]:
        year = parse_year(m["year"])  # "0000" is no year of the calendar: day and month stand
        v = ymd(year, month, day) if year >= 1 else f"XXXX-{month:02d}-{day:02d}"
        return absolute("DATE", v) if v else None
    return Expr("DATE", DEICTIC, day_in_year_resolver(month, day, wd))


def _b_month_year(m: re.Match[str], env: Env) -> Expr | None:
    month = month_num(m["month"])
    if month is None:
        return None
    return absolute("DATE", f"{parse_year(m['year']):04d}-{month:02d}")


# ---------------------------------------------------------------- bare months


_MONTH_OK_PREV = set(lx.DATE_PREPS) | {"mid-", "of", "and", "or", "to", "through", "-", "–"}


_MARCH_NAME_RE = re.compile(
    r"\s*(?:[.,;:)\"”]|(?:to|on|through|across|into|toward|towards|against)\s+(?P<dest>[\w'’-]+))"
)
"""What follows "the March" when it names a march ("the March to the Sea", "the March on
Rome", "no battles along the March."): a direction, or the end of a clause."""


_NAMED_MARCH_RE = re.compile(r"\b[Tt]he\s+(?P<word>[A-Z][a-z]+)\s+$")
""""the" and a capitalised word just before "March" ("the Long March", "the Salt March")."""

_MARCH_DETERMINERS = frozenset({"the", "his", "her", "its", "their", "our", "my", "your"})
"""Words that make a capitalised "March" with a direction after it a march of someone's
("the March on Rome", "his March to the Sea"): English writes a month after "his" only
with a noun it qualifies ("his March visit")."""

_OPENING_QUOTES = frozenset({'"', "“", "'", "‘"})
"""Quotes just before "March": 'his "March to the Sea"' quotes a name, not a month."""

_TIME_MODIFIERS = frozenset(lx.DATE_PREPS) | {"mid", "same", "coming", "final", "first"}
"""Words that qualify a month in a date ("the Late March thaw" at a heading's start,
"the Same March"): with one of them before it, "March" stays the month."""


def _named_march_word(m: re.Match[str], env: Env) -> bool:
    """A capitalised word between "the" and "March" that names a march, not a time.

    "The Long March", "the Great March", "the Salt March": English writes the month with
    "the" and a capital only at a heading's start or after a word of time ("the Early March
    floods"), a weekday ("the Sunday March 3 vote") or a month ("the February March
    range"); any other capitalised word makes the phrase a name, as "the March to the Sea".
    """
    found = _NAMED_MARCH_RE.search(env.text, max(0, m.start() - 40), m.start())
    if found is None:
        return False
    word = found["word"]
    if word.lower() in _TIME_MODIFIERS:
        return False
    return month_num(word) is None and weekday_num(word) is None


def names_a_march(m: re.Match[str], env: Env) -> bool:
    """Whether a capitalised "March" after "the" is the name of a march, not the month.

    "The March to the Sea", "the March on Rome", "along the March.": a month written with
    "the" is followed by "of" or a noun it qualifies ("the March offensive"). "The March to
    June offensive" is a range of months: the word after "to" is a month or a number. A
    capitalised word between "the" and "March" names one too (`_named_march_word`); so does a
    possessive before it or an opening quote, with a direction after it ('his "March to the
    Sea"', "their March on the capital": `_MARCH_DETERMINERS`, `_OPENING_QUOTES`).
    """
    if m.group() == "March" and _named_march_word(m, env):
        return True
    if m.group() != "March":
        return False
    before = prev_word(env.text, m.start())
    quoted = env.text[max(0, m.start() - 1) : m.start()] in _OPENING_QUOTES
    if not quoted and before not in _MARCH_DETERMINERS:
        return False
    after = _MARCH_NAME_RE.match(env.text, m.end())
    if after is None:
        return False
    dest = after["dest"]
    if dest is None:
        return before == "the" and not quoted  # "along the March."; not "their March, April"
    return month_num(dest) is None and not dest[:1].isdigit()


def _month_context_ok(m: re.Match[str], env: Env) -> bool:
    if names_a_march(m, env):
        return False
    if env.relaxed:
        return True
    if _is_verb_at(env, m.start()):
        return False
    prev = prev_word(env.text, m.start()).rstrip("-")
    nxt = next_word(env.text, m.end())
    after_prep = prev in lx.DATE_PREPS and m.group().lower() not in ("may", "march")
    if nxt[:1].isupper() and month_num(nxt) is None and weekday_num(nxt) is None:
        return after_prep  # "June Carter", "August Wilson"; but "in April Nixon appointed"
    if m.group().lower() in ("may", "march") and prev not in _MONTH_OK_PREV:
        return False
    if prev in ("the", "a") and nxt[:1].islower():
        return True  # "the October slaying", "a June agreement"
    return prev in _MONTH_OK_PREV or prev.endswith(",") or nxt in (",", ".", ";")


def month_in_year_resolver(month: int) -> Callable[[Ctx], str]:
    """Resolver for a month name without a year ("in August")."""

    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        y = year_of(ref)
        if ref is None or y is None:
            return f"XXXX-{month:02d}"
        return f"{nm.year_for_month(ref, month, ctx.tense, ctx.mode):04d}-{month:02d}"

    return resolve


def _b_month_alone(m: re.Match[str], env: Env) -> Expr | None:
    month = month_num(m["month"])
    if month is None or not _month_context_ok(m, env):
        return None
    return Expr("DATE", DEICTIC, month_in_year_resolver(month))


# ---------------------------------------------------------------- years


_CLOCK_ZONE = r"(?:GMT|UTC|BST|CES?T|E[SD]T|C[SD]T|P[SD]T|IST|JST|AEST|hrs?\b|hours\b|local time)"
_CLOCK_AFTER_RE = re.compile(rf"\s*(?:{_CLOCK_ZONE}|(?:to|until|-|–)\s*\d{{4}}\s*{_CLOCK_ZONE})")
"""What follows a 24-hour clock time written as four digits: "1300 GMT", "1130 to 1215 GMT"."""


def _looks_like_clock(year: int, prev: str, after: str) -> bool:
    """'1300 GMT', 'at 1330', 'from 1130 to 1215 GMT': news clock times, not years."""
    if year // 100 > 23 or year % 100 > 59:
        return False
    return bool(_CLOCK_AFTER_RE.match(after)) or prev.lower() == "at"


_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "our", "this", "that"})
"""Words before a year used as a modifier: "the 1860 election" names the election's year."""


def year_context_ok(m: re.Match[str], env: Env, year: int) -> bool:
    """Whether a bare number read as a year is one: not "$1960", "page 1962", "1300 GMT"."""
    text = env.text
    before = text[max(0, m.start() - 12) : m.start()]
    prev = prev_word(text, m.start())
    after = text[m.end() : m.end() + 20]
    modifies = (  # "the 1860 presidential election", "its 2006 highs"
        prev in _DETERMINERS
        and 1000 <= year <= 2099
        and re.match(r" [a-z]", after) is not None
        and not lx.COUNT_NOUN_RE.match(after.lstrip())
    )
    blocked = lx.NON_YEAR_PREFIX_RE.search(before)
    if blocked and not (modifies and blocked.group().lower().startswith("of")):
        return False
    if _looks_like_clock(year, prev, after):
        return False
    if env.relaxed:
        return True
    if re.match(r"\s*(?:[-–]\s*)?\d", after) and not re.match(r"\s*[-–]\s*\d{2}\b", after):
        return False  # "1960 1961" lists of numbers, phone numbers
    if prev in lx.DATE_PREPS or prev.endswith(",") or after.startswith(": "):
        return True  # "in 1960", "May 3, 1960", "2005: Elections and a new government"
    if modifies:
        return True
    if env.tag(m.end() + 1) == "NNS" or env.pos(m.start()) not in (None, "NUM", "PROPN"):
        return False
    plural = lx.COUNT_NOUN_RE.match(after.lstrip(" "))
    return not (plural and not after.lstrip(" ").startswith(("'s", "s ")))


def _b_year(m: re.Match[str], env: Env) -> Expr | None:
    year = int(m["year"])
    if not year_context_ok(m, env, year):
        return None
    return absolute("DATE", year_value(year))


def _b_fiscal_year(m: re.Match[str], env: Env) -> Expr | None:
    return absolute("DATE", year_value(parse_year(m["year"])))


_TEEN = {"nineteen": 19, "eighteen": 18, "seventeen": 17, "sixteen": 16, "twenty": 20}


def _b_spelled_year(m: re.Match[str], env: Env) -> Expr | None:
    if m["thousand"]:
        rest = lx.words_to_int(m["rest"]) if m["rest"] else 0
        return absolute("DATE", year_value(2000 + (rest or 0))) if rest is not None else None
    hi = _TEEN[m["hi"].lower()]
    lo = lx.words_to_int(m["lo"].replace("-", " "))
    if lo is None or lo < 10:
        return None
    return absolute("DATE", year_value(hi * 100 + lo))


def era_year(num: str, era: str | None) -> str | None:
    """TimeML year of a number with its era: ("218", "B.C.") -> "BC0218", ("14", "AD") -> "0014"."""
    n = int(num)
    if not 0 < n <= 9999:
        return None
    if era and era.replace(".", "").replace(" ", "").upper() in ("BC", "BCE"):
        return f"BC{n:04d}"
    return year_value(n)


def _b_era(m: re.Match[str], env: Env) -> Expr | None:
    value = era_year(m["num"] or m["num2"], m["era"] or m["era2"])
    return absolute("DATE", value) if value else None


# ---------------------------------------------------------------- decades & centuries


_MOD_WORDS = {"early": "START", "mid": "MID", "middle": "MID", "late": "END"}


def _mod_of(word: str | None) -> str | None:
    if not word:
        return None
    return _MOD_WORDS.get(word.lower().rstrip("-").strip())


def _b_decade(m: re.Match[str], env: Env) -> Expr | None:
    mod = _mod_of(m["mod"])
    if m["full"]:
        y = int(m["full"])
        if y % 100 == 0 and y != 2000:
            return absolute("DATE", f"{y // 100:02d}", mod)
        return absolute("DATE", f"{y // 10:03d}", mod)
    if m["short"]:
        yy = int(m["short"])
        century = 20 if yy <= 10 else 19
        return absolute("DATE", f"{century}{yy // 10}", mod)
    word = m["word"].lower()
    return absolute("DATE", f"19{lx.DECADE_WORDS[word]}", mod)


def _b_century(m: re.Match[str], env: Env) -> Expr | None:
    n = day_num(m["ord"]) if m["ord"] else None
    if n is None and m["ord"]:
        n = lx.ORDINAL_WORDS.get(m["ord"].lower())
    if not n or n > 30:
        return None
    mod = _mod_of(m["mod"])
    era = (m["era"] or "").replace(".", "").upper()
    if era in ("BC", "BCE"):
        return absolute("DATE", f"BC{n - 1:02d}", mod)
    return absolute("DATE", f"{n - 1:02d}", mod)


# ---------------------------------------------------------------- table

_WD = rf"(?:(?P<wd>{p.WEEKDAY}|{p.WEEKDAY_ABBR}),?\s+)?"
_DAY = rf"(?P<day>{p.DAY_NUM})"
_YEAR_TAIL = rf"(?:,?\s+(?P<year>{p.YEAR_ANY}|0\d{{3}}(?!\w)))?"
"""The year after a day and month: a usual one, or one written with leading zeros ("1 January
0001"), which only a year is (a bare "0500" elsewhere may be a time of day)."""

RULES: list[Rule] = [
    Rule(
        "iso_date",
        p.compile_(
            p.LBD + r"(?P<y>[12]\d{3})-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
            r"(?:T(?P<hh>[0-2]\d):(?P<mi>[0-5]\d)(?::(?P<ss>[0-5]\d))?)?" + p.RBD
        ),
        _b_iso,
        5,
    ),
    Rule(
        "numeric_date",
        p.compile_(
            p.LBD + r"(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>[12]\d{3}|\d{2})(?![\w/]|[.,]\d)"
        ),
        _b_numeric,
        5,
    ),
    Rule(
        "month_day_year",
        p.compile_(
            p.LB + _WD + rf"(?P<month>{p.MONTH_ANY})\s*{_DAY}(?![\w]|[.,:]\d)" + _YEAR_TAIL + p.RBD
        ),
        _b_month_day,
        4,
    ),
    Rule(
        "day_month_year",
        p.compile_(
            p.LB + _WD + rf"(?:{p.THE})?(?P<day>{p.DAY_NUM}|{p.ORDINAL_WORD})\s+"
            rf"(?:{p.ci('of')}\s+)?(?P<month>{p.MONTH_ANY})(?![\w])" + _YEAR_TAIL + p.RBD
        ),
        _b_month_day,
        4,
    ),
    Rule(
        "month_year",
        p.compile_(
            p.LB
            + rf"(?P<month>{p.MONTH_ANY})(?:\s+{p.ci('of')})?,?\s+(?P<year>{p.YEAR_ANY})"
            + p.RBD
        ),
        _b_month_year,
        4,
    ),
    Rule("month_alone", p.compile_(p.LB + rf"(?P<month>{p.MONTH_FULL})" + p.RB), _b_month_alone),
    Rule("year", p.compile_(p.LBD + r"(?P<year>1\d{3}|20\d{2})" + p.RBD), _b_year, 1),
    Rule(
        "fiscal_year",
        p.compile_(
            p.LB + p.ci(r"(?:fiscal(?:\s+year)?|FY)") + rf"\s*'?(?P<year>{p.YEAR4}|\d{{2}})" + p.RBD
        ),
        _b_fiscal_year,
        3,
    ),
    Rule(
        "spelled_year",
        p.compile_(
            p.LB
            + p.ci(
                r"(?:(?:the\s+year\s+)?(?P<thousand>two\s+thousand)(?:\s+(?:and\s+)?"
                r"(?P<rest>(?:twenty|thirty|forty|fifty)?[-\s]?(?:one|two|three|four|five|six|"
                r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
                r"seventeen|eighteen|nineteen)?))?"
                r"|(?P<hi>nineteen|eighteen|seventeen|sixteen)\s+"
                r"(?P<lo>(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                r"(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|"
                r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))"
            )
            + p.RB
        ),
        _b_spelled_year,
        2,
    ),
    Rule(
        "era",
        p.compile_(
            p.LBD + rf"(?:(?P<num>\d{{1,4}})\s*(?P<era>{p.ERA})|(?P<era2>{p.ERA_BEFORE})\s*"
            r"(?P<num2>\d{1,4}))(?![\w])"
        ),
        _b_era,
        4,
    ),
    Rule(
        "decade",
        p.compile_(
            p.LB + rf"(?:(?P<mod>{p.ci('early|mid|late|middle')})[\s-]*)?"
            r"(?:(?P<full>1\d{2}0|20[0-9]0)'?s|['’](?P<short>\d0)'?s|(?P<short2>[2-9]0)s"
            + rf"|(?P<word>{p.ci(lx.alternation(lx.DECADE_WORDS))}))"
            + p.RB
        ),
        lambda m, env: _b_decade_any(m, env),
        3,
    ),
    Rule(
        "century",
        p.compile_(
            p.LB + rf"(?:(?P<mod>{p.ci('early|mid|late|middle')})[\s-]*)?"
            rf"(?P<ord>{p.ORDINAL_WORD}|\d{{1,2}}(?:st|nd|rd|th))[\s-]+{p.ci('century')}"
            r"(?:\s+(?P<era>B\.C\.|BC|BCE|A\.D\.|AD))?" + p.RB
        ),
        _b_century,
        3,
    ),
]


def _b_decade_any(m: re.Match[str], env: Env) -> Expr | None:
    if m["short2"]:
        lead = env.text[max(0, m.start() - 4) : m.start()].lower()
        if not (lead.endswith("the ") or m.group().lower().startswith(("early", "mid", "late"))):
            return None  # bare "60s" is usually an age or a temperature
        mod = _mod_of(m["mod"])
        yy = int(m["short2"])
        return absolute("DATE", f"19{yy // 10}", mod)
    return _b_decade(m, env)
