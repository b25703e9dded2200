"""The tagging engine.

Run the rule table, pick non-overlapping matches, attach modifiers ("early",
"more than"), then resolve left to right against the document date or the
running narrative reference.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import (
    patterns,
    rules,
    rules_clock,
    rules_days,
    rules_durations,
    rules_eras,
    rules_fiscal,
    rules_holidays,
    rules_offsets,
    rules_periods,
    rules_ranges,
    values,
)
from pipeline.timexes.temporal.anchor import (
    Anchors,
    TokenLike,
    looks_ahead,
    looks_back,
    names_a_thing,
    reached_by,
    sentence_bounds,
    sentence_ends,
    starts_a_stretch,
    tells_the_present,
    tense_near,
)
from pipeline.timexes.temporal.expr import (
    ABSOLUTE,
    ANAPHORIC,
    NONE,
    Cand,
    Ends,
    Expr,
    Res,
    month_num,
    resolve,
)
from pipeline.timexes.temporal.model import Timex
from pipeline.timexes.temporal.normalise import LOOKING_BACK, Ctx, Ref
from pipeline.timexes.temporal.rules import Env

log = logging.getLogger("chronicle.temporal")

ALL_RULES: list[rules.Rule] = [
    *rules_ranges.RULES,
    *rules_eras.RULES,
    *rules.RULES,
    *rules_days.RULES,
    *rules_periods.RULES,
    *rules_fiscal.RULES,
    *rules_offsets.RULES,
    *rules_clock.RULES,
    *rules_holidays.RULES,
    *rules_durations.RULES,
]
"""Every rule, in the order that breaks ties between equally long, equally ranked matches."""

# Modifiers written before a date ("early 1960s", "the end of 2012") or a duration.
_DATE_MOD_RE = re.compile(
    r"(?i:(?P<m>(?:the\s+)?(?:very\s+)?(?:(?:early|late)\s+in|early|earlier|late|later|mid|middle|"
    r"(?:the\s+)?(?:end|beginning|start|middle|close|turn)\s+of(?:\s+the)?|around|circa|"
    r"approximately|sometime|some\s+time))(?:\s+|-))$"
)
_DATE_MODS = {
    "early": "START", "earlier": "START", "beginning": "START", "start": "START",
    "late": "END", "later": "END", "end": "END", "close": "END",
    "mid": "MID", "middle": "MID", "turn": None,
    "around": "APPROX", "about": "APPROX", "circa": "APPROX", "approximately": "APPROX",
    "sometime": None, "some": None,
}  # fmt: skip
_DUR_MOD_RE = re.compile(
    r"(?i:(?P<m>more\s+than|over|nearly|almost|around|approximately|roughly|some|"
    r"at\s+least|up\s+to|no\s+more\s+than|less\s+than|fewer\s+than|under|at\s+most|"
    r"upwards\s+of|a\s+mere)\s+)$"
)
_DUR_MODS = {
    "more than": "MORE_THAN", "over": "MORE_THAN", "upwards of": "MORE_THAN",
    "nearly": "LESS_THAN", "almost": "LESS_THAN", "about": "APPROX", "around": "APPROX",
    "approximately": "APPROX", "roughly": "APPROX", "some": "APPROX",
    "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS", "no more than": "EQUAL_OR_LESS",
    "at most": "EQUAL_OR_LESS", "less than": "LESS_THAN", "fewer than": "LESS_THAN",
    "under": "LESS_THAN", "a mere": None,
}  # fmt: skip
_OR_SO_RE = re.compile(r"(?i:\s+or\s+so)(?![\w])")


class _Tokens:
    """Offset lookups into optional parser tokens."""

    def __init__(self, tokens: Sequence[TokenLike] | None) -> None:
        self.tokens = sorted(tokens or (), key=lambda t: t.start)
        self.starts = [t.start for t in self.tokens]
        self.by_start = {t.start: t for t in self.tokens}

    def pos(self, i: int) -> str | None:
        tok = self.by_start.get(i)
        return tok.pos if tok else None

    def tag_after(self, i: int) -> str | None:
        k = bisect.bisect_left(self.starts, i)
        return self.tokens[k].tag if k < len(self.tokens) else None


def _build(rule: rules.Rule, m: re.Match[str], env: Env, strict: bool) -> object:
    try:
        return rule.build(m, env)
    except Exception as err:
        if strict:
            raise
        # One bad match must not cost the document its other timexes; say so, though.
        log.warning("temporal rule %s failed on %r: %r", rule.name, m.group(0), err)
        return None


# Cheap triggers: a rule can only match near one of its trigger words, so on a long text it is
# run only in windows around them (the rule regexes are the costly part of tagging). The words
# are found with one fast scan and looked up in these tables.
_CAP_TRIGGERS: dict[str, str] = {
    **{m: "month" for m in lx.MONTHS},
    **{w: "weekday" for w in list(lx.WEEKDAYS) + list(lx.WEEKDAY_ABBR)},
}
_LOWER_TRIGGERS: dict[str, str] = {
    **{u: "unit" for u in lx.UNITS},
    **{w: "unit" for w in ("period", "half", "weekend", "weekends", "q1", "q2", "q3", "q4")},
    **{w: "noon" for w in ("noon", "midnight", "midday")},
    **{w: "pod" for w in ("morning", "afternoon", "evening", "night", "overnight")},
    **{w: "day" for w in ("today", "yesterday", "tomorrow", "tonight")},
    **{w: "season" for w in lx.SEASONS},
    **{w: "every" for w in ("every", "each")},
    **{w: "decade" for w in lx.DECADE_WORDS},
    **{w: "spelled" for w in ("thousand", "nineteen", "eighteen", "seventeen", "sixteen")},
    **{
        w: "holiday"
        for w in (
            "christmas", "new", "independence", "fourth", "july", "halloween", "valentine",
            "boxing", "thanksgiving", "memorial", "labor", "election", "easter", "good",
        )
    },
}  # fmt: skip
_GROUPS: dict[str, tuple[str, ...]] = {
    "month": ("month",), "weekday": ("weekday",), "digit": ("digit",), "unit": ("unit",),
    "clock": ("digit", "noon", "pod"), "pod": ("pod",), "day": ("day",),
    "season": ("season",), "every": ("every",), "decade": ("digit", "decade"),
    "spelled": ("spelled",), "holiday": ("holiday",),
}  # fmt: skip
_RULE_TRIGGER = {
    "month_day_year": "month", "day_month_year": "month", "month_year": "month",
    "month_alone": "month", "rel_month": "month", "month_rel_year": "month",
    "weekday": "weekday", "weekday_set": "weekday",
    "iso_date": "digit", "numeric_date": "digit", "year": "digit",
    "fiscal_year": "digit", "era": "digit", "month_era": "digit", "season_era": "digit",
    "year_range": "digit", "day_range": "month", "month_day_range": "month",
    "month_range": "month", "clock24": "digit", "duration_abbr": "digit",
    "ago": "unit", "within": "unit", "duration": "unit", "range": "unit", "span": "unit",
    "plural_unit": "unit", "rel_unit": "unit", "year_ago_period": "unit", "year_end": "unit",
    "years_quarter": "unit", "the_weekend": "unit", "year_period": "unit", "century": "unit",
    "quarter": "unit", "half": "unit", "the_quarter": "unit", "times_per": "unit",
    "clock": "clock", "this_part_of_day": "pod", "mod_part_of_day": "pod", "day_word": "day",
    "season": "season", "every": "every", "decade": "decade", "spelled_year": "spelled",
    "holiday": "holiday",
}  # fmt: skip
_TRIGGER_WORD_RE = re.compile(r"[A-Za-z]+|\d+")
_BEFORE, _AFTER = 90, 60  # how far a match may reach before / after its trigger word
_WINDOWED_MIN = 600  # below this length scanning windows is not worth it


def _windows(text: str, lo: int, hi: int) -> dict[str, list[tuple[int, int]]]:
    """Merged [start, end) windows around the trigger words of each rule group."""
    hits: dict[str, list[int]] = {}
    for m in _TRIGGER_WORD_RE.finditer(text, lo, hi):
        w = m.group()
        if w[0].isdigit():
            hits.setdefault("digit", []).append(m.start())
            continue
        low = w.lower()
        kind = _LOWER_TRIGGERS.get(low)
        if kind:
            hits.setdefault(kind, []).append(m.start())
        if w[0].isupper():
            kind = _CAP_TRIGGERS.get(low)
            if kind:
                hits.setdefault(kind, []).append(m.start())
    out: dict[str, list[tuple[int, int]]] = {}
    for group, kinds in _GROUPS.items():
        starts = sorted(p for k in kinds for p in hits.get(k, ()))
        spans: list[tuple[int, int]] = []
        for p in starts:
            a, b = max(lo, p - _BEFORE), min(hi, p + _AFTER)
            if spans and a <= spans[-1][1]:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
        out[group] = spans
    return out


def _matches(
    regex: re.Pattern[str], text: str, ranges: list[tuple[int, int]], hi: int
) -> Iterator[re.Match[str]]:
    """Yield the matches that start inside the ranges, as one full scan would find them.

    Each scan runs a little past its range so no match is cut short (a cut would let
    "Easter" match inside "Eastern").
    """
    seen = -1
    for a, b in ranges:
        for m in regex.finditer(text, max(a, seen), min(hi, b + _AFTER)):
            if m.start() >= b:
                break
            seen = m.end()
            yield m


def _candidates(env: Env, lo: int, hi: int, strict: bool = False) -> list[Cand]:
    out: list[Cand] = []
    windows = _windows(env.text, lo, hi) if hi - lo >= _WINDOWED_MIN else {}
    for rule in ALL_RULES:
        group = _RULE_TRIGGER.get(rule.name)
        ranges = windows[group] if group and windows else [(lo, hi)]
        for m in _matches(rule.regex, env.text, ranges, hi):
            if m.end() <= m.start():
                continue
            built = _build(rule, m, env, strict)
            if built is None:
                continue
            if isinstance(built, Expr):
                out.append(Cand(m.start(), m.end(), built, rule.name, rule.priority))
            elif isinstance(built, Ends):
                ends = (built.first, built.second)
                out.append(
                    Cand(m.start(), m.end(), built.first[2], rule.name, rule.priority, None, ends)
                )
            elif isinstance(built, list):
                for s, e, ex in built:
                    out.append(Cand(s, e, ex, rule.name, rule.priority))
    return out


def _select(cands: list[Cand], taken: bytearray) -> list[Cand]:
    """Longest match first, then rule priority; keep only non-overlapping ones.

    A range is chosen whole and comes out as its two ends.
    """
    chosen: list[Cand] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        if any(taken[c.start : c.end]):
            continue
        taken[c.start : c.end] = b"\x01" * (c.end - c.start)
        chosen.extend(c.split())
    return chosen


_PART_OF_DAY_OF_RE = re.compile(
    r"(?i:(?:early\s+in\s+|late\s+in\s+)?the\s+(?:(?:early|late)\s+)?"
    r"(?P<pod>morning|afternoon|evening|night)(?:\s+hours)?\s+of\s+)$"
)
"""A part of the day of a date: "the night of 3 March 1811", "the early morning hours of"."""
_FULL_DAY_RE = re.compile(r"^(?:BC)?\d{4}-\d{2}-\d{2}$")


_WITH_ARTICLE = frozenset({"decade", "century"})
"""Rules whose expressions take their article in narrative mode: "the 1920s", "the late 1980s"."""
_THE_RE = re.compile(r"(?i:\bthe\s+)$")


def _part_of_day_of(c: Cand, head: str, taken: bytearray) -> Cand | None:
    """The date grown to its part of the day, valued at it ("1904-02-08TNI"); None if none."""
    m = _PART_OF_DAY_OF_RE.search(head)
    if m is None or c.expr.type != "DATE" or c.ends is not None:
        return None
    code = lx.PARTS_OF_DAY[m["pod"].lower()]
    inner = c.expr.resolve

    def resolve(ctx: Ctx) -> Res | str:
        out = inner(ctx)
        res = out if isinstance(out, Res) else Res(out)
        if not _FULL_DAY_RE.match(res.value):
            return res
        return Res(f"{res.value}T{code}", res.iv, "TIME", res.derived)

    grown = _grow(c, c.start - len(m.group()), c.end, None, taken)
    if grown is c:
        return None
    return Cand(grown.start, grown.end, Expr("DATE", c.expr.kind, resolve), c.rule, c.priority)


_QUOTED_RE = re.compile(r'["\u201c]([^"\u201c\u201d\n]{1,60})["\u201d]')
_TITLE_WORD_RE = re.compile(r"^(?:[A-Z0-9][\w'-]*|of|the|a|an|and|in|on|for|to)$")


def in_a_title(start: int, end: int, text: str) -> bool:
    """Whether a match is part of a short quoted title (the song "White Christmas").

    A quotation of a few capitalised words that holds more than the match names a work, an
    operation or a slogan: the date word in it is part of the name, not a time told.
    """
    lo = max(0, start - 60)
    for m in _QUOTED_RE.finditer(text, lo, min(len(text), end + 60)):
        if not (m.start(1) <= start and end <= m.end(1)):
            continue
        words = m.group(1).split()
        covers_all = m.start(1) == start and m.end(1) == end
        return (
            not covers_all
            and len(words) <= 5
            and all(_TITLE_WORD_RE.match(w) for w in words)
            and words[0][:1].isupper()
        )
    return False


def _free_parts_of_day(cands: list[Cand], text: str, taken: bytearray) -> list[Cand]:
    """Drop the matches inside a part of the day written before a date, so that it can grow.

    "In the early morning hours of 14 June": "early morning" and "hours" match on their
    own, and would keep "14 June" from taking its part of the day (`_part_of_day_of`).
    """
    drop: set[int] = set()
    for c in cands:
        if c.expr.type != "DATE" or c.ends is not None:
            continue
        m = _PART_OF_DAY_OF_RE.search(text[max(0, c.start - 45) : c.start])
        if m is None:
            continue
        start = c.start - len(m.group())
        inside = [o for o in cands if o is not c and start <= o.start and o.end <= c.start]
        for o in inside:
            taken[o.start : o.end] = b"\x00" * (o.end - o.start)
            drop.add(id(o))
    return [c for c in cands if id(c) not in drop]


def _extend(c: Cand, text: str, taken: bytearray, mode: str) -> Cand:
    """Attach a modifier written just before (or "or so" after) the expression.

    In narrative mode a date also takes the part of the day written before it ("the night of
    3 March 1811"), and a decade or century its article ("the 1920s"), as history is
    annotated (TIMEX2); news annotation (TimeML, TempEval) leaves them out.
    """
    head = text[max(0, c.start - 45) : c.start]
    if c.expr.type == "DURATION" or (c.rule == "ago" and c.expr.kind != NONE):
        return _extend_duration(c, text, head[-30:], taken)
    if mode == "narrative" and (part := _part_of_day_of(c, head, taken)) is not None:
        return part
    head = head[-30:]
    if c.expr.type in ("DATE", "TIME") and c.expr.mod is None and c.rule != "ref":
        m = _DATE_MOD_RE.search(head)
        if m:
            key = m["m"].lower().replace("the", " ").replace("very", " ").split()[0]
            return _grow(c, c.start - len(m.group()), c.end, _DATE_MODS.get(key), taken)
    article = _THE_RE.search(head)
    if mode == "narrative" and c.rule in _WITH_ARTICLE and article:
        return _grow(c, c.start - len(article.group()), c.end, c.expr.mod, taken)
    return c


def _extend_duration(c: Cand, text: str, head: str, taken: bytearray) -> Cand:
    """Attach a duration's mod: "more than three years", "about a week", "two years or so".

    Of "ago" expressions only the approximate words count ("nearly two years ago").
    """
    span_text = text[c.start : c.end].lower()
    if re.search(r"(?i:\babout\s+)$", head) and not span_text.startswith("the"):
        ex = c.expr  # TimeML keeps "about" outside the extent but marks the value approximate
        return Cand(c.start, c.end, Expr(ex.type, ex.kind, ex.resolve, "APPROX"), c.rule)
    m = _DUR_MOD_RE.search(head)
    if m and head[: m.start()].rstrip().lower().endswith("just"):
        m = None  # "just over a week": TimeML keeps only "a week"
    if m and not span_text.startswith("the"):
        word = " ".join(m["m"].lower().split())
        if c.rule == "ago" and word not in ("around", "nearly", "almost", "some"):
            return c
        mod = "APPROX" if c.rule == "ago" else _DUR_MODS[word]
        return _grow(c, c.start - len(m.group()), c.end, mod, taken)
    tail = _OR_SO_RE.match(text, c.end)
    if tail:
        return _grow(c, c.start, tail.end(), "APPROX", taken)
    return c


def _grow(c: Cand, start: int, end: int, mod: str | None, taken: bytearray) -> Cand:
    extra = bytes(taken[start : c.start]) + bytes(taken[c.end : end])
    if any(extra):
        return c
    taken[start:end] = b"\x01" * (end - start)
    ex = c.expr
    return replace(c, start=start, end=end, expr=Expr(ex.type, ex.kind, ex.resolve, mod))


def _spans_from_hints(
    env: Env, spans: Sequence[tuple[int, int]], taken: bytearray, strict: bool = False
) -> list[Cand]:
    """Re-read parser DATE/TIME spans with context checks relaxed; keep what normalises."""
    out: list[Cand] = []
    relaxed = Env(env.text, True, env.pos, env.tag)
    n = len(env.text)
    for s, e in spans:
        s, e = max(0, int(s)), min(n, int(e))
        if s >= e or any(taken[s:e]):
            continue
        inner = [c for c in _candidates(relaxed, s, e, strict) if s <= c.start and c.end <= e]
        out.extend(_select(inner, taken))
    return out


_ELAPSED = re.compile(r"\s(?:on|later)$", re.IGNORECASE)
"""The end of an expression of time elapsed: "60 years on", "two decades later"."""


def elapsed_to_now(c: Cand, env: Env, mode: str, sent: tuple[int, int], toks: _Tokens) -> bool:
    """Whether a narrative's "N years on/later" tells the writer's present, not the story's.

    In a sentence told in the present tense ("Yet 60 years on, the Castros still rule Cuba"),
    the time elapsed runs from the story's subject to now: it counts from the story's focus
    (`Anchors.focus`), not from the last date told, and it does not move the story's clock.
    """
    return (
        mode == "narrative"
        and c.rule == "ago"
        and _ELAPSED.search(env.text, c.start, c.end) is not None
        and tells_the_present(env.text, sent, toks.tokens or None)
    )


def _reference(kind: str, mode: str, anchors: Anchors) -> tuple[Ref | None, str]:
    """The reference time an expression of this kind resolves against, and its anchor."""
    dct = anchors.dct
    if kind in (ABSOLUTE, NONE):
        return None, "absolute"
    if mode == "news" and dct is not None and kind != ANAPHORIC:
        return dct, "document"
    last = anchors.last_any if mode == "news" else anchors.clock
    if last is not None:
        return last, "narrative"
    return dct, "document"


def _interval(
    type_: str, value: str, res: Res, ref: Ref | None
) -> tuple[dt.date, dt.date, str] | None:
    """The calendar interval of a value: given by the rule, or read from a DATE/TIME value."""
    iv = res.iv
    if iv is None and type_ in ("DATE", "TIME"):
        iv = values.interval(ref.value if value == "PRESENT_REF" and ref is not None else value)
    if iv is not None and iv[0] > iv[1]:
        return None
    return iv


def _edtf_point(d: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{d.year:04d}"
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _edtf(
    value: str, mod: str | None, iv: tuple[dt.date, dt.date, str] | None, ref: Ref | None
) -> str | None:
    if value == "PRESENT_REF" and iv is not None:
        return values.edtf(ref.value) if ref else None
    if value in ("PAST_REF", "FUTURE_REF") and ref is not None:
        here = values.edtf(ref.value)
        if here is None or "/" in here:
            return None
        return f"../{here}" if value == "PAST_REF" else f"{here}/.."
    if value.startswith("P") and iv is not None:
        return f"{_edtf_point(iv[0], iv[2])}/{_edtf_point(iv[1], iv[2])}"
    return values.edtf(value, mod)


def _context(
    c: Cand, env: Env, mode: str, ref: Ref | None, anchors: Anchors, ends: list[int], toks: _Tokens
) -> Ctx:
    """What a resolver may read: the reference, the mode, the tense nearby, earlier mentions."""
    tense = None
    if c.expr.kind not in (ABSOLUTE, NONE):
        sent = sentence_bounds(env.text, c.start, ends)
        tense = tense_near(env.text, c.start, c.end, sent, toks.tokens or None)
        reached = reached_by(env.text, c.start)
        if mode == "narrative" and looks_back(env.text, sent, toks.tokens or None, reached):
            tense = LOOKING_BACK
    extra: dict[str, object] = {
        "last": anchors.last_any,
        "dct": anchors.dct,
        "quarter": anchors.last_quarter,
    }
    return Ctx(ref, mode, tense, extra)


COUNTED_FROM_CLOCK = frozenset({"ago", "rel_unit"})
"""Rules whose dates are counted from the reference: "two years earlier", "the previous day"."""


def _note(
    anchors: Anchors,
    c: Cand,
    text: str,
    res: Res,
    type_: str,
    years: tuple[int, int, str] | None,
    mode: str,
    main_line: bool,
) -> None:
    """Make a dated mention the reference of the expressions after it.

    In a narrative every date told moves the story's clock, "the following year" too, and a
    date written out on the story's `main_line` counts towards its focus. In news an anaphoric
    or derived one ("the following year", the year-ago quarter) is computed from an earlier
    mention, which stays the reference.
    """
    if type_ not in ("DATE", "TIME") or years is None or res.value in values.REFS:
        return
    if mode == "narrative":
        ref = Ref.from_value(res.value)
        if main_line and c.expr.kind == ABSOLUTE and ref is not None:
            anchors.count_main_line(ref)
        counted = c.rule in COUNTED_FROM_CLOCK
        ahead, aside = looks_ahead(text, c.start), starts_a_stretch(text, c.start)
        if c.expr.kind == ABSOLUTE and names_a_thing(text, c.start, c.end):
            aside = True  # "surpassing the May 2007 high"
        anchors.tell(res.value, counted=counted, ahead=ahead, aside=aside)
    elif c.expr.kind != ANAPHORIC and not res.derived:
        anchors.note(res.value)


_JOINED = re.compile(r"\s*(?:,|/|\band\b|\bor\b)\s*$", re.IGNORECASE)
_MONTH_WORD = re.compile(rf"\b(?:{patterns.MONTH_FULL})\b")
_YEAR_START = re.compile(r"^(\d{4})-(\d{2})")


def shared_years(chosen: Sequence[Cand], text: str) -> dict[int, Ref]:
    """The year each month written without one takes from the month joined after it.

    "In April and June 1955", "in August/September 1956": the year written once belongs to
    both months, as it does in "on 4 and 5 May 1904". Only when the first month is not
    later in the year than the second ("between November and January 1945" runs across a
    new year), and never across "to" or a dash: a range runs forward on its own
    (`_forward_ranges`). Keyed by the index of the first candidate in `chosen`; read in
    narrative mode (news dates keep their own tagging).
    """
    out: dict[int, Ref] = {}
    for i, (a, b) in enumerate(itertools.pairwise(chosen)):
        if a.expr.kind == ABSOLUTE or b.expr.kind != ABSOLUTE or a.end > b.start:
            continue
        if not _JOINED.fullmatch(text, a.end, b.start) or YEAR_IN_TEXT.search(text, a.start, a.end):
            continue
        first = _MONTH_WORD.search(text, a.start, a.end)
        value = b.expr.resolve(Ctx(None, "narrative", None, {})) if first else ""
        second = _YEAR_START.match(value or "")
        if second and month_num(first.group()) <= int(second[2]):
            ref = Ref.from_value(second[1])
            if ref is not None:
                out[i] = ref
    return out


YEAR_IN_TEXT = re.compile(r"\b\d{3,4}\b")


def _resolve(
    c: Cand,
    env: Env,
    mode: str,
    anchors: Anchors,
    ends: list[int],
    toks: _Tokens,
    year: Ref | None = None,
) -> Timex | None:
    """Value a candidate against its reference time; None when the value is not valid TimeML.

    `year` is the year a month takes from the date joined after it (`shared_years`).
    """
    ex = c.expr
    ref, anchor = (year, "absolute") if year else _reference(ex.kind, mode, anchors)
    sent = sentence_bounds(env.text, c.start, ends)
    to_now = elapsed_to_now(c, env, mode, sent, toks) and anchors.focus() is not None
    if to_now:
        ref = anchors.focus()
    res = resolve(ex, _context(c, env, mode, ref, anchors, ends, toks))
    if not values.is_valid_value(res.value):
        return None
    type_ = res.type or ex.type
    iv = _interval(type_, res.value, res, ref)
    years = (iv[0].year, iv[1].year, iv[2]) if iv else None
    if iv is None and type_ in ("DATE", "TIME"):
        years = values.year_bounds(res.value)  # before 1 AD: years, but no dates
    if not to_now:
        main_line = (
            mode == "narrative"
            and ex.kind == ABSOLUTE
            and not looks_back(env.text, sent, toks.tokens or None)
        )
        _note(anchors, c, env.text, res, type_, years, mode, main_line)
    return Timex(
        start=c.start,
        end=c.end,
        text=env.text[c.start : c.end],
        type=type_,
        value=res.value,
        mod=ex.mod,
        date_start=iv[0] if iv else None,
        date_end=iv[1] if iv else None,
        precision=years[2] if years else None,
        anchor=anchor,
        anchor_value=ref.value if ref is not None else None,
        edtf=None if type_ == "SET" else _edtf(res.value, ex.mod, iv, ref),
        rule=c.rule,
        year_start=years[0] if years else None,
        year_end=years[1] if years else None,
        range_role=c.range_role,
    )


def run(
    text: str,
    dct: dt.date | None,
    mode: str,
    tokens: Sequence[TokenLike] | None,
    candidate_spans: Sequence[tuple[int, int]],
    strict: bool = False,
    anchors: Anchors | None = None,
) -> list[Timex]:
    """Tag `text`; see `pipeline.timexes.temporal.tag` for the contract.

    `anchors` carries the running reference times in from an earlier part of the same
    document (see `pipeline.timexes.temporal.tag_segments`); by default tagging starts afresh.
    """
    toks = _Tokens(tokens)
    env = Env(text, False, toks.pos, toks.tag_after)
    taken = bytearray(len(text))
    chosen = _select(_candidates(env, 0, len(text), strict), taken)
    chosen = [c for c in chosen if c.expr.type != "DATE" or not in_a_title(c.start, c.end, text)]
    if mode == "narrative":
        chosen = _free_parts_of_day(chosen, text, taken)
    chosen = [_extend(c, text, taken, mode) for c in sorted(chosen, key=lambda c: c.start)]
    chosen += _spans_from_hints(env, candidate_spans, taken, strict)
    chosen.sort(key=lambda c: c.start)
    if anchors is None:
        anchors = Anchors(Ref.from_date(dct) if dct else None)
    ends = sentence_ends(text)
    out: list[Timex] = []
    joined = shared_years(chosen, text) if mode == "narrative" else {}
    for i, c in enumerate(chosen):
        try:
            tx = _resolve(c, env, mode, anchors, ends, toks, joined.get(i))
        except Exception as err:
            if strict:
                raise
            log.warning("could not resolve %r at %d: %r", text[c.start : c.end], c.start, err)
            tx = None
        if tx is not None:
            out.append(tx)
    return _forward_ranges(out)


_LEADING_YEAR_RE = re.compile(r"^(\d{4})(?=-|$)")


def _next_year(tx: Timex) -> Timex | None:
    """The same timex a year later ("September" read as 2004-09 becomes 2005-09)."""
    m = _LEADING_YEAR_RE.match(tx.value)
    if m is None or int(m[1]) >= 9999:
        return None
    value = f"{int(m[1]) + 1:04d}{tx.value[4:]}"
    iv = values.interval(value)
    if iv is None:
        return None
    return replace(
        tx,
        value=value,
        date_start=iv[0],
        date_end=iv[1],
        year_start=iv[0].year,
        year_end=iv[1].year,
        edtf=values.edtf(value, tx.mod),
    )


def _forward_ranges(found: list[Timex]) -> list[Timex]:
    """Ranges run forward in time.

    Each end of "from July to September" is valued on its own; when the end comes out before
    the start, the end was written without its year and is the next such month or day ("from
    November to March"). When that cannot be so, the two stay dates but are not a range.
    """
    out = list(found)
    for i, (a, b) in enumerate(itertools.pairwise(found)):
        if a.range_role != "start" or b.range_role != "end":
            continue
        if a.year_start is None or b.year_end is None or not _before(b, a):
            continue
        later = _next_year(b) if b.anchor != "absolute" else None
        if later is not None and not _before(later, a):
            out[i + 1] = later
        else:
            out[i], out[i + 1] = replace(a, range_role=None), replace(b, range_role=None)
    return out


def _before(b: Timex, a: Timex) -> bool:
    """Whether `b` ends before `a` starts."""
    if b.date_end is not None and a.date_start is not None:
        return b.date_end < a.date_start
    return (b.year_end or 0) < (a.year_start or 0)
