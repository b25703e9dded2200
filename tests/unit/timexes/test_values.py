"""TimeML value validator, intervals, precision and EDTF rendering."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pipeline.timexes.temporal import edtf, interval, is_valid_value, precision_of

PLATINUM = Path("/work/shared/data/tempeval3/platinum")


@pytest.mark.parametrize(
    "value",
    [
        "1962-03", "1959", "196", "19", "P3Y", "PT2H", "XXXX-WXX-1", "PRESENT_REF", "PAST_REF",
        "FUTURE_REF", "1962-SU", "2013-Q1", "2013-W11", "2013-03-22TMO", "2013-03-22T15:00",
        "2012-WXX-7TNI", "2012-XX-XXT20", "P1DE", "PT3H7M35S", "P2Y6M", "PXY", "PTXM",
        "XXXX-XX-XXTMO", "BC0044", "2013-W12-WE", "2013-H1", "1998-XX-XX", "196X", "PXDE",
    ],
)  # fmt: skip
def test_valid_values(value):
    assert is_valid_value(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "P",
        "PT",
        "2013-13-01x",
        "20130322",
        "2013/03/22",
        "yesterday",
        "P3",
        "T15:00",
        "2013-Q5",
        "2013-W123",
        "PRESENT",
        "P3Z",
        "2013-03-22T",
    ],
)
def test_invalid_values(value):
    assert not is_valid_value(value)


@pytest.mark.parametrize(
    ("value", "start", "end", "precision"),
    [
        ("1962-03", dt.date(1962, 3, 1), dt.date(1962, 3, 31), "month"),
        ("1962", dt.date(1962, 1, 1), dt.date(1962, 12, 31), "year"),
        ("196", dt.date(1960, 1, 1), dt.date(1969, 12, 31), "decade"),
        ("19", dt.date(1900, 1, 1), dt.date(1999, 12, 31), "century"),
        ("2013-W11", dt.date(2013, 3, 11), dt.date(2013, 3, 17), "week"),
        ("2013-Q1", dt.date(2013, 1, 1), dt.date(2013, 3, 31), "quarter"),
        ("1962-SU", dt.date(1962, 6, 1), dt.date(1962, 8, 31), "season"),
        ("2012-WI", dt.date(2012, 12, 1), dt.date(2013, 2, 28), "season"),
        ("2013-03-22", dt.date(2013, 3, 22), dt.date(2013, 3, 22), "day"),
        ("2013-03-22TMO", dt.date(2013, 3, 22), dt.date(2013, 3, 22), "day"),
        ("2013-03-22T15", dt.date(2013, 3, 22), dt.date(2013, 3, 22), "hour"),
        ("2013-03-22T15:00", dt.date(2013, 3, 22), dt.date(2013, 3, 22), "minute"),
        ("2013-03-22T15:00:10", dt.date(2013, 3, 22), dt.date(2013, 3, 22), "second"),
        ("2012-XX-XX", dt.date(2012, 1, 1), dt.date(2012, 12, 31), "year"),
        ("2000-02", dt.date(2000, 2, 1), dt.date(2000, 2, 29), "month"),
    ],
)
def test_intervals(value, start, end, precision):
    assert interval(value) == (start, end, precision)
    assert precision_of(value) == precision


@pytest.mark.parametrize("value", ["P3Y", "PRESENT_REF", "XXXX-10", "BC0044", "2013-02-30"])
def test_no_interval(value):
    assert interval(value) is None


@pytest.mark.parametrize(
    ("value", "mod", "out"),
    [
        ("1962-03", None, "1962-03"),
        ("1964", "APPROX", "1964~"),
        ("196", None, "196X"),
        ("19", None, "19XX"),
        ("1962-03-01", None, "1962-03-01"),
        ("BC0044", None, "-0043"),
        ("1962-SU", None, "1962-22"),
        ("2013-Q1", None, "2013-33"),
        ("2013-W11", None, "2013-03-11/2013-03-17"),
        ("2013-03-22T15:00", None, "2013-03-22T15:00:00"),
        ("2012-XX-XX", None, "2012-XX-XX"),
        ("P3Y", None, None),
        ("PRESENT_REF", None, None),
    ],
)
def test_edtf(value, mod, out):
    assert edtf(value, mod) == out


def test_every_platinum_gold_value_is_well_formed():
    if not PLATINUM.is_dir():
        pytest.skip(f"gold data not found at {PLATINUM}")
    values = []
    for path in PLATINUM.glob("*.tml"):
        values += re.findall(r'<TIMEX3[^>]*\bvalue="([^"]*)"', path.read_text(encoding="utf-8"))
    assert values
    assert [v for v in values if not is_valid_value(v)] == []
