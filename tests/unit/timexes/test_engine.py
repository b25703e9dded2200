"""Engine behaviour: windowed rule scanning equals a full scan; odd inputs are handled.

How fast tagging is, is measured by `benchmarks/tagger_speed.py`, not by a test."""

from __future__ import annotations

import datetime as dt

from pipeline.timexes.temporal import engine, tag

PARAGRAPH = (
    "WASHINGTON, March 12 (AP) -- The Senate voted 62-38 on Thursday to extend the program "
    "for three years, two years after it lapsed in 2011. Officials said last week that the "
    "first quarter of 2013 was weak, and Eastern Airlines, which flew 1,959 people a day in "
    "the 1960s, will report results at 3 p.m. EST on Friday. Since May 1, 1960, the agency "
    "has met every Monday; it now expects a decision within two years, or sometime next "
    "summer, but not before the end of the month. Revenue rose 12% from a year earlier. "
)
TEXT = PARAGRAPH * 10  # about 5,000 characters


def test_windowed_scan_equals_full_scan(monkeypatch):
    windowed = engine.run(TEXT, dt.date(2013, 3, 22), "news", None, (), strict=True)
    monkeypatch.setattr(engine, "_WINDOWED_MIN", 10**9)
    full = engine.run(TEXT, dt.date(2013, 3, 22), "news", None, (), strict=True)
    assert windowed == full
    assert "Easter" not in {t.text for t in windowed}


def test_non_string_and_empty_inputs():
    assert tag("") == []
    assert tag(None) == []  # type: ignore[arg-type]
    assert tag("Friday", dct=dt.datetime(2013, 3, 22, 9, 30))[0].value == "2013-03-22"
    assert tag("yesterday", dct=dt.date(2013, 3, 22), mode="bogus")[0].value == "2013-03-21"
