"""Years outside 1-9999: a correct date, or no date at all, never a wrong one.

Python's dates, Arrow's date32 as the tables use it, and TimeML's four-digit values all stop
at 9999; "next year" at the end of 9999 used to come out as 9999 itself.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.timexes.temporal import tag

END_OF_TIME = dt.date(9999, 12, 31)
START_OF_TIME = dt.date(1, 1, 1)


def found(text: str, dct: dt.date | None, mode: str = "news") -> dict[str, tuple]:
    return {
        text[t.start : t.end]: (t.value, t.date_start, t.date_end)
        for t in tag(text, dct=dct, mode=mode)
    }


@pytest.mark.parametrize("mode", ["news", "narrative"])
def test_a_year_written_with_leading_zeros_is_that_year(mode):
    one = dt.date(1, 1, 1)
    assert found("The calendar starts on 1 January 0001.", dt.date(2024, 5, 1), mode) == {
        "1 January 0001": ("0001-01-01", one, one)
    }


def test_year_zero_keeps_its_day_and_month_but_gives_no_date():
    assert found("It was dated 1 January 0000 by mistake.", dt.date(2024, 5, 1)) == {
        "1 January 0000": ("XXXX-01-01", None, None)
    }


def test_the_year_10000_is_not_the_year_of_the_reference():
    assert found("In the year 10000 people will fly.", dt.date(2024, 5, 1)) == {}


@pytest.mark.parametrize(
    ("text", "dct", "value"),
    [
        ("The plan runs until next year.", END_OF_TIME, "XXXX"),
        ("It ends tomorrow.", END_OF_TIME, "XXXX-XX-XX"),
        ("The next decade will tell.", END_OF_TIME, "XXXX"),
        ("It ended yesterday.", START_OF_TIME, "XXXX-XX-XX"),
        ("It ended last year.", START_OF_TIME, "XXXX"),
    ],
)
def test_a_step_off_the_calendar_gives_no_date(text, dct, value):
    (timex,) = found(text, dct).values()
    assert timex == (value, None, None)


def test_steps_inside_the_calendar_still_resolve():
    assert found("It ends tomorrow.", dt.date(9999, 12, 30))["tomorrow"][1] == END_OF_TIME
    assert found("It ended last year.", dt.date(2, 6, 1))["last year"][0] == "0001"
