"""Rule families that need a reference time.

Deictic words, weekdays, "last/next/this", "N units ago/later", seasons,
quarters, weekends, parts of day and clock times.

Deictic expressions ("yesterday", "last year") resolve against the document
date in news; anaphoric ones ("the following year", "that day") against the
last date mentioned. The builder only records which kind it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from pipeline.timexes.temporal import lexicon as lx
from pipeline.timexes.temporal import normalise as nm
from pipeline.timexes.temporal import patterns as p
from pipeline.timexes.temporal import values
from pipeline.timexes.temporal.expr import (
    ANAPHORIC,
    DEICTIC,
    Expr,
    Res,
    absolute,
    month_num,
    weekday_num,
    year_of,
)
from pipeline.timexes.temporal.normalise import Ctx, Ref
from pipeline.timexes.temporal.rules import (
    Env,
    Rule,
    day_in_year_resolver,
    next_word,
    parse_year,
    prev_word,
)
from pipeline.timexes.temporal.units import amount_of, duration_value, unit_code

_ANAPHORIC_DETS = ("following", "previous", "preceding", "same", "that", "the next", "the prior")


def _kind(det: str) -> str:
    d = " ".join(det.lower().split())
    return ANAPHORIC if any(d.startswith(a) or d.endswith(a) for a in _ANAPHORIC_DETS) else DEICTIC


def _direction(det: str) -> int:
    d = det.lower()
    if any(w in d for w in ("last", "past", "previous", "preceding", "prior")):
        return -1
    if any(w in d for w in ("next", "following", "coming")):
        return 1
    return 0


def _xday(ref: Ref | None) -> str:
    return nm.mask("2000-01-01") if ref is None else nm.partial(ref, "day")


# ---------------------------------------------------------------- today & co


_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}


def _day_offset(ref: Ref | None, n: int, pod: str | None) -> str:
    if ref is None:
        base = "XXXX-XX-XX"
    elif not nm.knows(ref, "day"):
        base = nm.partial(ref, "day")
    else:
        d = values.add_days(ref.date, n)
        base = d.isoformat() if d else nm.partial(ref, "day")
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
    return Expr(type_, DEICTIC, lambda ctx: _day_offset(ctx.ref, n, pod))


def _b_this_pod(m: re.Match[str], env: Env) -> Expr | None:
    det = m["det"].lower()
    pod = lx.PARTS_OF_DAY[m["pod"].lower()]
    if det == "last" and pod != "NI":
        return None
    n = -1 if det == "last" else 0
    if det in ("the next", "the following"):
        n = 1
    kind = ANAPHORIC if det in ("that", "the next", "the following", "the same") else DEICTIC
    return Expr("TIME", kind, lambda ctx: _day_offset(ctx.ref, n, pod))


# ---------------------------------------------------------------- weekdays


def _weekday_resolver(wd: int, det: str, pod: str | None) -> Callable[[Ctx], str]:
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
        elif ctx.mode == "narrative":
            d = nm.weekday_near(ref.date, wd, +1)  # a story moves forward from its last date
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
    return Expr("TIME" if pod else "DATE", kind, _weekday_resolver(wd, det, pod))


def _b_weekday_set(m: re.Match[str], env: Env) -> Expr | None:
    wd = weekday_num(m["wd"].rstrip("s"))
    if wd is None:
        return None
    pod = lx.PARTS_OF_DAY.get((m["pod"] or "").lower().rstrip("s"))
    value = f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else "")
    return Expr("SET", "none", lambda ctx: value)


# ---------------------------------------------------------------- this/last/next UNIT


_UNIT_GRAN = {
    "day": "day", "week": "week", "weekend": "week", "month": "month", "quarter": "quarter",
    "year": "year", "decade": "decade", "century": "century", "fortnight": "week",
}  # fmt: skip
_UNIT_OF_GRAN = {
    "day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE",
    "century": "CE",
}  # fmt: skip


def rel_unit_value(ref: Ref | None, gran: str, n: int, weekend: bool = False) -> str:
    """Value of the `gran` period `n` steps from the reference ("last month": n=-1)."""
    if ref is None:
        return nm.mask(rel_unit_value(Ref(dt.date(2000, 6, 15), "day", ""), gran, n, weekend))
    if gran in ("decade", "century"):
        if nm.RANK[ref.precision] > nm.RANK[gran]:
            return nm.partial(ref, gran)
        d = nm.shift_date(ref.date, _UNIT_OF_GRAN[gran], n)
        return nm.render(d, gran) if d else nm.partial(ref, gran)
    if not nm.knows(ref, gran):
        return nm.partial(ref, gran)
    d = nm.shift_date(ref.date, _UNIT_OF_GRAN[gran], n)
    if d is None:
        return nm.partial(ref, gran)
    out = nm.render(d, gran)
    return out + "-WE" if weekend and gran == "week" else out


_DURATIVE_PREV = ("over", "for", "throughout", "during")


def _b_rel_unit(m: re.Match[str], env: Env) -> Expr | None:
    det = " ".join(m["det"].lower().split())
    unit = m["unit"].lower()
    gran = _UNIT_GRAN[unit]
    n = _direction(det)
    if det in ("the next", "next") and unit == "day":
        n = 1
    prev = prev_word(env.text, m.start())
    if n > 0 and det.startswith("the") and prev in _DURATIVE_PREV and unit != "weekend":
        code = unit_code(unit)
        return Expr("DURATION", "none", lambda ctx: duration_value(1, code))
    weekend = unit == "weekend"
    kind = _kind(det)
    if det in ("the", "this", "the current", "current", "the same", "that"):
        n = 0
    return Expr("DATE", kind, lambda ctx: rel_unit_value(ctx.ref, gran, n, weekend))


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


# ---------------------------------------------------------------- months & seasons


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
        if _direction(det) < 0:
            return f"{(y if month < cur else y - 1):04d}-{month:02d}"
        return f"{(y if month > cur else y + 1):04d}-{month:02d}"

    return Expr("DATE", _kind(det), resolve)


def _b_month_rel_year(m: re.Match[str], env: Env) -> Expr | None:
    month = month_num(m["month"])
    if month is None:
        return None
    n = _direction(m["det"])
    kind = _kind(m["det"])

    def resolve(ctx: Ctx) -> str:
        year = rel_unit_value(ctx.ref, "year", n)
        return f"{year}-{month:02d}"

    return Expr("DATE", kind, resolve)


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


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
        year = cur_year - 1  # "last spring": the spring of last year, as TimeML annotates it
        if recent:
            year = cur_year if cur_year + idx[code] / 10 < cur_pos else cur_year - 1
    elif n > 0:
        year = cur_year + 1
        if recent:
            year = cur_year if cur_year + idx[code] / 10 > cur_pos else cur_year + 1
    elif news and tense == "past" and cur_year + idx[code] / 10 > cur_pos:
        year = cur_year - 1
    return f"{year:04d}-{code}"


def _b_season(m: re.Match[str], env: Env) -> Expr | None:
    code = lx.SEASONS[m["season"].lower()]
    if m["year"]:
        mod = {"early": "START", "late": "END", "mid": "MID"}.get((m["emod"] or "").lower())
        return absolute("DATE", f"{parse_year(m['year']):04d}-{code}", mod)
    det = " ".join((m["det"] or "").lower().split())
    if code == "FA" and not det:
        return None  # bare "fall" is mostly the noun or the verb
    if not det:
        prev = prev_word(env.text, m.start())
        if prev not in ("in", "this", "over", "during", "through", "until", "since", "by"):
            return None
    n = _direction(det) if det not in ("this past",) else -1
    kind = ANAPHORIC if det in ("that", "the same", "the following", "the previous") else DEICTIC

    recent = det in ("this past", "this coming", "coming", "past")

    def resolve(ctx: Ctx) -> str:
        return _season_value(ctx.ref, code, n, ctx.tense, ctx.mode == "news", recent)

    mod = {"early": "START", "late": "END", "mid": "MID"}.get((m["emod"] or "").lower())
    return Expr("DATE", kind, resolve, mod)


# ---------------------------------------------------------------- quarters & halves


def _ord(word: str) -> int | None:
    w = word.lower()
    if w == "final":
        return 4
    return lx.ORDINAL_WORDS.get(w) or (int(w[0]) if w[:1].isdigit() else None)


def _quarter_resolver(q: int) -> Callable[[Ctx], str]:
    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        y = year_of(ref)
        if ref is None or y is None:
            return f"XXXX-Q{q}"
        if nm.knows(ref, "quarter") and ctx.mode == "news":
            cur = (ref.date.month - 1) // 3 + 1
            if q > cur and ctx.tense != "future":
                y -= 1
        return f"{y:04d}-Q{q}"

    return resolve


def _b_quarter(m: re.Match[str], env: Env) -> Expr | list[tuple[int, int, Expr]] | None:
    q = _ord(m["q"]) if m["q"] else int(m["qn"])
    if q is None or not 1 <= q <= 4:
        return None
    year = m["year"] or m["year2"]
    expr = (
        absolute("DATE", f"{parse_year(year):04d}-Q{q}")
        if year
        else Expr("DATE", DEICTIC, _quarter_resolver(q))
    )
    if m["the"] and re.search(r"-quarter$", m.group(), re.IGNORECASE):
        return [(m.end("the"), m.end(), expr)]  # "the third-quarter loss"
    return expr


def _b_half(m: re.Match[str], env: Env) -> Expr | None:
    h = 2 if m["h"].lower() in ("last", "latter") else _ord(m["h"])
    if h not in (1, 2):
        return None
    if m["year"]:
        return absolute("DATE", f"{parse_year(m['year']):04d}-H{h}")

    def resolve(ctx: Ctx) -> str:
        y = year_of(ctx.ref)
        return f"{y:04d}-H{h}" if y else f"XXXX-H{h}"

    return Expr("DATE", DEICTIC, resolve)


def _b_the_quarter(m: re.Match[str], env: Env) -> Expr | None:
    det = " ".join(m["det"].lower().split())
    if det in ("the latest", "the most recent", "the just-ended", "the recent"):
        return Expr("DATE", DEICTIC, lambda ctx: rel_unit_value(ctx.ref, "quarter", -1))

    def resolve(ctx: Ctx) -> str:
        last = ctx.extra.get("quarter")
        if isinstance(last, Ref):
            return last.value
        return rel_unit_value(ctx.extra.get("dct") or ctx.ref, "quarter", -1)  # type: ignore[arg-type]

    return Expr("DATE", ANAPHORIC, resolve)


def _b_year_period(m: re.Match[str], env: Env) -> Expr | None:
    """Read "the 1988 quarter", "the 1989 period": that year, at the last mention's grain."""
    year = int(m["year"])
    q = _ord(m["q"]) if m["q"] else None
    if q is not None:
        return absolute("DATE", f"{year:04d}-Q{q}")

    def resolve(ctx: Ctx) -> str:
        last = ctx.extra.get("last")
        if isinstance(last, Ref) and last.precision in ("quarter", "month", "season"):
            return f"{year:04d}" + last.value[4:]
        return f"{year:04d}"

    return Expr("DATE", ANAPHORIC, resolve)


def _b_years_quarter(m: re.Match[str], env: Env) -> Expr | None:
    """Read "this year's third quarter", "last year's quarter", "next year's first half"."""
    n = _direction(m["det"])
    q = _ord(m["q"]) if m["q"] else None

    def resolve(ctx: Ctx) -> str:
        year = rel_unit_value(ctx.ref, "year", n)
        if q is not None:
            return f"{year}-{(m['half'] and 'H') or 'Q'}{q}"
        last = ctx.extra.get("last")
        if isinstance(last, Ref) and last.precision == "quarter":
            return year + last.value[4:]
        return year

    return Expr("DATE", DEICTIC, resolve)


def _b_year_ago_period(m: re.Match[str], env: Env) -> Expr | None:
    def resolve(ctx: Ctx) -> str:
        quarter = ctx.extra.get("quarter")
        if isinstance(quarter, Ref):
            return nm.shift(quarter, "Y", -1, "quarter")
        return rel_unit_value(ctx.extra.get("dct") or ctx.ref, "year", -1)  # type: ignore[arg-type]

    return Expr("DATE", ANAPHORIC, resolve)


# ---------------------------------------------------------------- N units ago / later


def _shift_resolver(unit: str, n: int, sign: int) -> Callable[[Ctx], Res | str]:
    def resolve(ctx: Ctx) -> Res | str:
        ref = ctx.ref
        if ref is None:
            return nm.mask(nm.shift(Ref(dt.date(2000, 6, 15), "day", ""), unit, sign * n))
        quarter = ctx.extra.get("quarter")
        if unit == "Y" and n == 1 and sign < 0 and isinstance(quarter, Ref):
            # Earnings reports: "a year earlier" is the same quarter of the previous year.
            return Res(nm.shift(quarter, "Y", -1, "quarter"), derived=True)
        return nm.shift(ref, unit, sign * n)

    return resolve


def _b_ago(m: re.Match[str], env: Env) -> Expr | None:
    unit = unit_code(m["unit"])
    amount = amount_of(m["amt"]) if m["amt"] else None
    word = m["dir"].lower()
    sign = 1 if word in ("later", "after", "afterwards", "afterward", "on", "hence") else -1
    kind = DEICTIC if word in ("ago", "hence") else ANAPHORIC
    if m["amt"] is None:
        return None
    if amount is None or amount != int(amount):
        if word != "ago":
            return None
        return Expr("DATE", DEICTIC, lambda ctx: "PAST_REF")
    if word in ("before", "after") and not re.match(r"\s*[,.;:!?)\"']|\s*$", env.text[m.end() :]):
        return None
    return Expr("DATE", kind, _shift_resolver(unit, int(amount), sign))


def _b_within(m: re.Match[str], env: Env) -> list[tuple[int, int, Expr]] | None:
    """Read "within two years" as P2Y over [ref, ref+2y]; TimeML leaves "within" out."""
    unit = unit_code(m["unit"])
    amount = amount_of(m["amt"]) if m["amt"] else 1.0
    value = duration_value(amount, unit)
    if amount is None or amount != int(amount):
        return [(m.start("amt"), m.end(), Expr("DURATION", "none", lambda ctx: value))]
    n = int(amount)
    sign = -1 if m["det"] and _direction(m["det"]) < 0 else 1

    def resolve(ctx: Ctx) -> Res:
        ref = ctx.ref
        if ref is None:
            return Res(value)
        other = nm.shift_date(ref.date, unit, sign * n)
        if other is None:
            return Res(value)
        a, b = sorted((ref.date, other))
        return Res(value, (a, b, ref.precision))

    return [(m.start("amt"), m.end(), Expr("DURATION", DEICTIC, resolve))]


# ---------------------------------------------------------------- clock times


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
        base = day(ctx) if day else _day_offset(ctx.ref, 0, None)
        return base.split("T")[0] + t

    return resolve


def _day_part(m: re.Match[str], env: Env) -> Callable[[Ctx], str] | None:
    if m["dmonth"]:
        mo, d = month_num(m["dmonth"]), int(re.sub(r"\D", "", m["dday"]))
        return day_in_year_resolver(mo, d, None) if mo and 1 <= d <= 31 else None
    if m["dwd"]:
        wd = weekday_num(m["dwd"])
        return _weekday_resolver(wd, "", None) if wd else None
    if m["dword"]:
        n = _DAY_WORDS[m["dword"].lower()]
        return lambda ctx: _day_offset(ctx.ref, n, None)
    return None


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
    return Expr("TIME", DEICTIC, _time_resolver(t, _day_part(m, env)))


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
    return Expr("TIME", DEICTIC, _time_resolver(t, _day_part(m, env)))


# ---------------------------------------------------------------- holidays


def _easter(y: int) -> dt.date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    mm = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * mm + 90) // 25
    return dt.date(y, month, (h + l_ - 7 * mm + 33 * month + 19) % 32)


def _nth_weekday(y: int, month: int, wd: int, n: int) -> dt.date:
    if n > 0:
        first = dt.date(y, month, 1)
        return first + dt.timedelta(days=(wd - first.isoweekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(y + (month == 12), month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - wd) % 7)


_HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "christmas": lambda y: dt.date(y, 12, 25),
    "christmas day": lambda y: dt.date(y, 12, 25),
    "christmas eve": lambda y: dt.date(y, 12, 24),
    "new year's day": lambda y: dt.date(y, 1, 1),
    "new year's eve": lambda y: dt.date(y, 12, 31),
    "independence day": lambda y: dt.date(y, 7, 4),
    "the fourth of july": lambda y: dt.date(y, 7, 4),
    "july fourth": lambda y: dt.date(y, 7, 4),
    "halloween": lambda y: dt.date(y, 10, 31),
    "valentine's day": lambda y: dt.date(y, 2, 14),
    "boxing day": lambda y: dt.date(y, 12, 26),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 4, 4),
    "memorial day": lambda y: _nth_weekday(y, 5, 1, -1),
    "labor day": lambda y: _nth_weekday(y, 9, 1, 1),
    "election day": lambda y: _nth_weekday(y, 11, 1, 1) + dt.timedelta(days=1),
    "easter": _easter,
    "easter sunday": _easter,
    "good friday": lambda y: _easter(y) - dt.timedelta(days=2),
}


def _b_holiday(m: re.Match[str], env: Env) -> Expr | None:
    name = " ".join(m["name"].lower().replace("’", "'").split())
    fn = _HOLIDAYS.get(name)
    if fn is None:
        return None
    if m["year"]:
        return absolute("DATE", fn(parse_year(m["year"])).isoformat())
    n = _direction(m["det"] or "")

    def resolve(ctx: Ctx) -> str:
        ref = ctx.ref
        y = year_of(ref)
        if ref is None or y is None:
            return "XXXX-" + fn(2001).isoformat()[5:]
        if n or not nm.knows(ref, "day") or ctx.tense is None:
            return fn(y + n).isoformat()
        days = [fn(c) for c in (y - 1, y, y + 1)]
        if ctx.tense == "past":
            return max(d for d in days if d <= ref.date).isoformat()
        return min(d for d in days if d >= ref.date).isoformat()

    return Expr("DATE", DEICTIC, resolve)


# ---------------------------------------------------------------- table

_DET_REL = p.ci(
    r"(?:last|next|this\s+past|this\s+coming|this|past|coming|the\s+following|"
    r"the\s+previous|the\s+preceding|the\s+prior|the\s+next|the\s+last|the\s+past|"
    r"the\s+current|current|the\s+same|that\s+same|that|the\s+coming)"
)
_AMT = rf"(?P<amt>{p.AMOUNT})"
_OCLOCK = p.ci("o['’]clock")
_DET_WD = p.ci("last|next|this past|this coming|this|coming|past|the following|the previous")
_DET_MONTH = p.ci("last|next|this past|this coming|this|that|coming|the following|the previous")
_HOLIDAY_NAMES = "|".join(
    re.escape(h).replace(r"\ ", r"\s+").replace("'", "['’]")
    for h in sorted(_HOLIDAYS, key=len, reverse=True)
)
_DAY_SPEC = (
    rf"(?:,?\s+(?:{p.ci('on')}\s+)?(?:(?P<dwd>{p.WEEKDAY})|(?P<dword>{p.ci('today|tomorrow|yesterday')})"
    rf"|(?P<dmonth>{p.MONTH_ANY})\s*(?P<dday>{p.DAY_NUM})(?![\w]|[.,:]\d)))?"
)

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
            + _DAY_SPEC
            + p.RB
        ),
        lambda m, env: _b_mod_pod(m, env),
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
        lambda m, env: _b_weekday_set_any(m, env),
        2,
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
        lambda m, env: _b_rel_unit_any(m, env),
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
    Rule(
        "quarter",
        p.compile_(
            p.LB
            + rf"(?:(?P<the>{p.THE}))?(?:(?P<year2>{p.YEAR4})\s+)?"
            + rf"(?:{p.ci('fiscal|calendar')}[\s-]+)?"
            + rf"(?P<q>{p.QUARTER_ORD})[\s-]+{p.ci('quarter')}"
            + rf"(?:,?\s+(?:{p.ci('of')}\s+)?(?:{p.ci('fiscal')}\s+)?(?P<year>{p.YEAR4}))?"
            + p.RB
            + "|"
            + p.LB
            + rf"(?:(?P<year3>{p.YEAR4})\s+)?Q(?P<qn>[1-4])(?:\s+(?P<year4>{p.YEAR4}))?"
            + p.RB
        ),
        lambda m, env: _b_quarter_any(m, env),
        3,
    ),
    Rule(
        "half",
        p.compile_(
            p.LB
            + rf"{p.THE}(?P<h>{p.ci('first|second|last|latter')})\s+{p.ci('half')}"
            + rf"(?:\s+{p.ci('of')}\s+(?:{p.ci('fiscal')}\s+)?(?P<year>{p.YEAR4}))?"
            + p.RB
        ),
        _b_half,
        3,
    ),
    Rule(
        "the_quarter",
        p.compile_(
            p.LB
            + rf"(?P<det>{p.ci('the latest|the most recent|the just-ended|the recent|the')})\s+"
            + rf"{p.ci('quarter|period')}(?!\s+(?:of|century|point)\b)"
            + p.RB
        ),
        _b_the_quarter,
        0,
    ),
    Rule(
        "year_period",
        p.compile_(
            p.LB
            + rf"{p.ci('the')}\s+(?P<year>{p.YEAR4})\s+(?:(?P<q>{p.QUARTER_ORD})\s+)?"
            + rf"{p.ci('quarter|period|fiscal quarter')}"
            + p.RB
        ),
        _b_year_period,
        3,
    ),
    Rule(
        "years_quarter",
        p.compile_(
            p.LB
            + rf"(?P<det>{p.ci('this|last|next')})\s+{p.ci('year')}['’]s\s+"
            + rf"(?:(?P<q>{p.QUARTER_ORD})[\s-]+)?(?:(?P<half>{p.ci('half')})|{p.ci('quarter')})"
            + p.RB
        ),
        _b_years_quarter,
        3,
    ),
    Rule(
        "year_end",
        p.compile_(p.LB + p.ci(r"year[-\s]end|year['’]s\s+end") + p.RB),
        lambda m, env: Expr("DATE", DEICTIC, lambda ctx: rel_unit_value(ctx.ref, "year", 0), "END"),
        2,
    ),
    Rule(
        "year_ago_period",
        p.compile_(
            p.LB
            + p.ci(
                r"(?:the\s+)?(?:comparable\s+|corresponding\s+|same\s+)?year[-\s](?:earlier|ago)"
                r"(?:\s+(?:period|quarter|third\s+quarter|second\s+quarter|fourth\s+quarter|"
                r"first\s+quarter))?"
            )
            + p.RB
        ),
        _b_year_ago_period,
        2,
    ),
    Rule(
        "ago",
        p.compile_(
            p.LB
            + rf"(?:{_AMT}[\s-]+)?(?P<unit>{p.UNIT})(?:\s+{p.ci('or so')})?\s+"
            + rf"(?P<dir>{p.ci('ago|later|earlier|afterwards?|before|after|hence')}"
            + r"|on(?=\s*[,.;:!?)]|\s*$))"
            + p.RB
        ),
        _b_ago,
        3,
    ),
    Rule(
        "within",
        p.compile_(
            p.LB
            + rf"(?:{p.ci('within')}\s+"
            + rf"(?:(?P<det>{p.ci('the next|the past|the last|the coming')})\s+)?)"
            + rf"{_AMT}[\s-]+(?P<unit>{p.UNIT})"
            + p.RB
        ),
        _b_within,
        3,
    ),
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
            + _DAY_SPEC
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
            + _DAY_SPEC
            + r"(?![\w:])"
        ),
        _b_clock24,
        2,
    ),
    Rule(
        "holiday",
        p.compile_(
            p.LB
            + rf"(?:(?P<det>{p.ci('last|next|this')})\s+)?"
            + rf"(?P<name>(?i:{_HOLIDAY_NAMES}))(?:,?\s+(?P<year>{p.YEAR4}))?"
            + p.RB
        ),
        lambda m, env: _b_holiday_cased(m, env),
        2,
    ),
]


def _b_mod_pod(m: re.Match[str], env: Env) -> Expr | None:
    pod = lx.PARTS_OF_DAY[m["pod"].lower()]
    mod = {"early": "START", "mid": "MID", "late": "END"}[m["mod"].lower()]
    day = _day_part(m, env)

    def resolve(ctx: Ctx) -> str:
        base = day(ctx) if day else _day_offset(ctx.ref, 0, None)
        return base.split("T")[0] + f"T{pod}"

    return Expr("TIME", DEICTIC, resolve, mod)


def _b_weekday_set_any(m: re.Match[str], env: Env) -> Expr | None:
    wd_word = m["wd"] or m["wd2"]
    wd = weekday_num(wd_word.rstrip("s") if m["wd"] else wd_word)
    if wd is None:
        return None
    pod_word = (m["pod"] or m["pod2"] or "").lower().rstrip("s")
    pod = lx.PARTS_OF_DAY.get(pod_word)
    value = f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else "")
    return Expr("SET", "none", lambda ctx: value)


def _the_year(m: re.Match[str], env: Env) -> Expr | None:
    """Read "the year": a span in "the year ended March 31", else the year in focus."""
    nxt = next_word(env.text, m.end()).lower()
    if nxt in ("ended", "ending", "through", "to"):
        return Expr("DURATION", "none", lambda ctx: "P1Y")
    if nxt in ("before", "after", "of", "in", "when", "that", "he", "she", "they", "it"):
        return None
    return Expr("DATE", ANAPHORIC, lambda ctx: rel_unit_value(ctx.ref, "year", 0))


_NO_DAY_DETS = {
    "the", "this", "last", "past", "coming", "the past", "the last", "current", "the current",
    "the coming", "the latest", "the full",
}  # fmt: skip


def _b_rel_unit_any(m: re.Match[str], env: Env) -> Expr | None:
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
    return _b_rel_unit(m, env)


def _b_quarter_any(m: re.Match[str], env: Env) -> Expr | list[tuple[int, int, Expr]] | None:
    if m["qn"]:
        year = m["year3"] or m["year4"]
        if not year:
            return None
        return absolute("DATE", f"{parse_year(year):04d}-Q{m['qn']}")
    if m["q"].lower() == "final" and not m.group().lower().startswith("the"):
        return None
    return _b_quarter(m, env)


def _b_holiday_cased(m: re.Match[str], env: Env) -> Expr | None:
    name = m["name"]
    if not name[:1].isupper() and not name.lower().startswith("the"):
        return None
    return _b_holiday(m, env)


__all__ = ["RULES", "rel_unit_value"]
