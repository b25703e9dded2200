"""TimeML TIMEX3 values: validation, calendar intervals, precision and EDTF rendering.

A value string is the single source of truth; the interval, precision and EDTF
form are derived from it here so that they can never disagree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_DATE_RE = re.compile(
    r"^(?:BC)?(?:"
    r"[0-9X]{4}(?:-(?:[0-9X]{2}(?:-[0-9X]{2})?|W[0-9X]{2}(?:-(?:[1-7X]|WE))?|Q[1-4X]|"
    r"H[12X]|SP|SU|FA|WI))?"
    r"|[0-9X]{1,3})"
    r"(?:T(?:[0-2X][0-9X](?::[0-5X][0-9X](?::[0-5X][0-9X](?:\.\d+)?)?)?|MO|AF|EV|NI|DT|MI))?$"
)
_DURATION_RE = re.compile(
    r"^P(?:(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|Q|DE|CE|ML|H))*"
    r"(?:T(?:(?:\d+(?:\.\d+)?|X)[HMS])+)?$"
)
REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
MODS = (
    "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER", "LESS_THAN", "MORE_THAN",
    "EQUAL_OR_LESS", "EQUAL_OR_MORE", "START", "MID", "END", "APPROX",
)  # fmt: skip
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
SEASON_EDTF = {"SP": "21", "SU": "22", "FA": "23", "WI": "24"}
ERA_SHIFT = 8000
"""Years added to a date before 1 AD so that a `datetime.date` can hold it (up to 8000 BC).

A multiple of 400: leap years and weekdays fall as in the proleptic Gregorian calendar."""
_BC_RE = re.compile(r"^BC(?P<digits>\d{1,4})(?P<rest>-.*)?$")


def is_valid_value(value: str) -> bool:
    """Tell whether `value` is a well-formed TIMEX3 value (date, time, duration, set or *_REF)."""
    if value in REFS:
        return True
    if value.startswith("P"):
        return value != "P" and value != "PT" and bool(_DURATION_RE.match(value))
    return bool(_DATE_RE.match(value))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _ok_year(y: int) -> bool:
    return 1 <= y <= 9999


def _iso_week_start(year: int, week: int) -> dt.date | None:
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def _sub_year(year: int, sub: str) -> tuple[dt.date, dt.date, str] | None:
    """Interval of the part after "YYYY-": "03", "W11", "Q1", "SU", "H2"."""
    if sub.isdigit():
        m = int(sub)
        if not 1 <= m <= 12:
            return None
        return dt.date(year, m, 1), _month_end(year, m), "month"
    if sub.startswith("Q") and sub[1:].isdigit():
        q = int(sub[1:])
        return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), "quarter"
    if sub.startswith("H") and sub[1:].isdigit():
        h = int(sub[1:])
        # There is no "half" precision level; a half-year is reported at quarter grain.
        return dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h), "quarter"
    if sub in SEASON_MONTHS:
        a, b = SEASON_MONTHS[sub]
        if sub == "WI":
            if year + 1 > 9999:
                return None
            return dt.date(year, 12, 1), _month_end(year + 1, 2), "season"
        return dt.date(year, a, 1), _month_end(year, b), "season"
    if sub.startswith("W") and sub[1:3].isdigit():
        start = _iso_week_start(year, int(sub[1:3]))
        if start is None:
            return None
        rest = sub[3:]
        if rest == "-WE":
            return start + dt.timedelta(days=5), start + dt.timedelta(days=6), "week"
        if rest[1:].isdigit():
            d = start + dt.timedelta(days=int(rest[1:]) - 1)
            return d, d, "day"
        return start, start + dt.timedelta(days=6), "week"
    return None


def _time_precision(time: str) -> str:
    if not time or not time[:2].isdigit():
        return "day"
    parts = time.split(":")
    if len(parts) == 1:
        return "hour"
    if len(parts) == 2:
        return "minute" if parts[1].isdigit() else "hour"
    return "second"


def _date_part_interval(date: str) -> tuple[dt.date, dt.date, str] | None:
    """Interval of a date value with no time part (digits may be X for unknown)."""
    head = date[:4]
    if len(date) <= 3 or (len(date) == 4 and not head.isdigit()):
        digits = date.rstrip("X")
        if not digits.isdigit():
            return None
        span = 10 ** (4 - len(digits))
        first = int(digits) * span
        level = {10: "decade", 100: "century", 1000: "millennium", 1: "year"}[span]
        first = max(first, 1)
        last = int(digits) * span + span - 1
        if last > 9999 or last < 1:
            return None
        return dt.date(first, 1, 1), dt.date(last, 12, 31), level
    if not head.isdigit() or not _ok_year(int(head)):
        return None
    year = int(head)
    rest = date[5:]
    if not rest or rest.startswith("X") or rest.startswith("WX"):
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if len(rest) == 5 and rest[2] == "-" and rest[:2].isdigit():
        month_iv = _sub_year(year, rest[:2])
        day = rest[3:]
        if month_iv is None:
            return None
        if not day.isdigit():
            return month_iv
        try:
            d = dt.date(year, int(rest[:2]), int(day))
        except ValueError:
            return None
        return d, d, "day"
    return _sub_year(year, rest)


def interval(value: str) -> tuple[dt.date, dt.date, str] | None:
    """Inclusive calendar interval and precision of a DATE/TIME value, or None.

    Decades "196" and centuries "19" follow TimeML (1960-1969, 1900-1999).
    Unknown parts (X) widen the interval to the known prefix ("2012-XX-XX" is 2012).
    """
    if not value or value in REFS or value.startswith("P") or value.startswith("BC"):
        return None
    if not is_valid_value(value):
        return None
    date, _, time = value.partition("T")
    iv = _date_part_interval(date)
    if iv is None:
        return None
    start, end, prec = iv
    if time and prec == "day" and time[:2].isdigit():
        prec = _time_precision(time)
    return start, end, prec


def precision_of(value: str) -> str | None:
    """Precision implied by a value ("1962-03" -> "month", "196" -> "decade", "BC02": century)."""
    years = year_bounds(value)
    return years[2] if years else None


def shift_bc(value: str, shift: int = ERA_SHIFT) -> str | None:
    """A four-digit BC value with `shift` added to its astronomical year ("BC0218-08" -> "7783-08").

    Astronomical years count 1 BC as 0 and 2 BC as -1, as ISO 8601 and EDTF do. None for BC
    decades and centuries, and for years the shift cannot bring above 0.
    """
    m = _BC_RE.match(value)
    if m is None or len(m["digits"]) != 4:
        return None
    year = 1 - int(m["digits"]) + shift
    return f"{year:04d}{m['rest'] or ''}" if _ok_year(year) else None


def unshift(value: str, shift: int = ERA_SHIFT) -> str:
    """A value computed in shifted years, back in real ones ("7785" -> "BC0216", "8002" -> "0002").

    Only four-digit years can be shifted back; a coarser value becomes an unknown year.
    """
    if not re.match(r"\d{4}(?!\d)", value):
        return value if not _DATE_RE.match(value) or value[:1] == "X" else "XXXX"
    year = int(value[:4]) - shift
    head = f"{year:04d}" if year >= 1 else f"BC{1 - year:04d}"
    return head + value[4:]


def _bc_coarse_bounds(digits: str) -> tuple[int, int, str] | None:
    """Astronomical years of a BC decade, century or millennium ("BC021": 219-210 BC)."""
    span = 10 ** (4 - len(digits))
    level = {10: "decade", 100: "century", 1000: "millennium"}[span]
    latest_bc = max(int(digits) * span, 1)
    earliest_bc = int(digits) * span + span - 1
    return 1 - earliest_bc, 1 - latest_bc, level


def year_bounds(value: str) -> tuple[int, int, str] | None:
    """First and last astronomical year of a DATE/TIME value's interval, and its precision.

    Unlike `interval`, this covers values before 1 AD: "BC0218" is (-217, -217, "year"), the
    winter of 217 BC ("BC0217-WI") runs into the next year (-216, -215).
    """
    m = _BC_RE.match(value or "")
    if m is None:
        iv = interval(value)
        return (iv[0].year, iv[1].year, iv[2]) if iv else None
    if len(m["digits"]) < 4:
        return _bc_coarse_bounds(m["digits"]) if not m["rest"] else None
    shifted = shift_bc(value)
    iv = interval(shifted) if shifted else None
    if iv is None:
        return None
    return iv[0].year - ERA_SHIFT, iv[1].year - ERA_SHIFT, iv[2]


def _edtf_bc(date: str) -> str | None:
    """EDTF of a BC date: astronomical years, negative ("BC0218" -> "-0217", 218 BC)."""
    shifted = shift_bc(date)
    if shifted is None:
        years = year_bounds(date)
        return None if years is None else f"{_edtf_year(years[0])}/{_edtf_year(years[1])}"
    out = _edtf_date(shifted)
    if out is None:
        return None
    return "/".join(_edtf_unshift(part) for part in out.split("/"))


def _edtf_unshift(point: str) -> str:
    return _edtf_year(int(point[:4]) - ERA_SHIFT) + point[4:]


def _edtf_year(year: int) -> str:
    """An astronomical year as EDTF writes it: four digits, a minus sign before 1 BC."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def _edtf_date(date: str) -> str | None:
    if date.startswith("BC"):
        return _edtf_bc(date)
    if len(date) <= 3:
        return date + "X" * (4 - len(date)) if date.rstrip("X").isdigit() else None
    year, _, rest = date.partition("-")
    if not rest:
        return year
    if rest in SEASON_EDTF:
        return f"{year}-{SEASON_EDTF[rest]}"
    if rest.startswith("Q") and rest[1:].isdigit():
        return f"{year}-{32 + int(rest[1:])}"
    if rest.startswith("H") and rest[1:].isdigit():
        return f"{year}-{39 + int(rest[1:])}"
    if rest.startswith("W"):
        iv = interval(date)
        if iv and rest[1:3].isdigit():
            a, b, _ = iv
            return a.isoformat() if a == b else f"{a.isoformat()}/{b.isoformat()}"
        return year if year.isdigit() else None
    if re.fullmatch(r"[0-9X]{2}(?:-[0-9X]{2})?", rest):
        return f"{year}-{rest}"
    return None


def edtf(value: str, mod: str | None = None) -> str | None:
    """EDTF / ISO 8601-2 rendering of a DATE/TIME value; None for durations, sets, refs.

    Seasons use EDTF codes 21-24, quarters 33-36, halves 40-41; weeks become
    day intervals; "~" marks an approximate expression.
    """
    if not value or value in REFS or value.startswith("P") or not is_valid_value(value):
        return None
    date, _, time = value.partition("T")
    out = _edtf_date(date)
    if out is None:
        return None
    if time and time[:2].isdigit() and "/" not in out and len(out) == 10:
        hh, _, rest = time.partition(":")
        mm, _, ss = rest.partition(":")
        out = f"{out}T{hh}:{mm or '00'}:{ss or '00'}"
    if mod == "APPROX" and "/" not in out:
        out += "~"
    return out


def add_months(d: dt.date, n: int) -> dt.date | None:
    """`d` moved by `n` months, clamping the day; None outside years 1..9999."""
    m = d.month - 1 + n
    y = d.year + m // 12
    if not _ok_year(y):
        return None
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def add_days(d: dt.date, n: int) -> dt.date | None:
    """`d` moved by `n` days; None when that leaves the supported range."""
    try:
        return d + dt.timedelta(days=n)
    except OverflowError:
        return None
