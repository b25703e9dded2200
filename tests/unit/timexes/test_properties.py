"""Property tests: the tagger never raises and its output is always well-formed."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.timexes.temporal import engine, precision_of
from pipeline.timexes.temporal.values import MODS, REFS, is_valid_value
from schemas.vocabularies import ANCHOR_MODES, ANCHORS, PRECISIONS, TIMEX_TYPES

WORDS = [
    "May", "may", "March", "march", "Friday", "We", "Sun", "1959", "1960s", "'60s", "the", "last",
    "next", "this", "year", "years", "month", "week", "weekend", "day", "days", "ago", "later",
    "earlier", "two", "three", "a", "an", "half", "and", "every", "each", "Monday", "morning",
    "night", "tonight", "today", "yesterday", "tomorrow", "now", "past", "future", "quarter",
    "first", "fourth", "Q3", "2012", "summer", "winter", "fall", "of", "in", "on", "1,959",
    "$1960", "page", "3", "p.m.", "10:30", "noon", "midnight", "within", "more", "than", "about",
    "early", "late", "mid-", "century", "19th", "44", "BC", "AD", "800", "following", "previous",
    "same", "that", "October", "2013-03-22", "03/22/2013", "1959–61", "between", "decade", ",",
    "B.C.", "BCE", "from", "to", "-", "3-11", "May 3-11,", "431-404",
    ".", "weekly", "annually", "twice", "per", "-", "/", "'", "0", "9999", "31st", "Feb.", "29",
]  # fmt: skip
word_texts = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)
dcts = st.one_of(st.none(), st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
modes = st.sampled_from(ANCHOR_MODES)


def check(text: str, dct: dt.date | None, mode: str) -> None:
    found = engine.run(text, dct, mode, None, [(0, len(text))], strict=True)
    last_end = -1
    for t in found:
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text
        assert t.start >= last_end, "sorted and non-overlapping"
        last_end = t.end
        assert t.type in TIMEX_TYPES
        assert is_valid_value(t.value), t.value
        assert t.mod is None or t.mod in MODS
        assert t.anchor in ANCHORS
        if t.anchor == "absolute":
            assert t.anchor_value is None
        if t.anchor_value is not None:
            assert is_valid_value(t.anchor_value)
        assert (t.date_start is None) == (t.date_end is None)
        assert (t.year_start is None) == (t.year_end is None) == (t.precision is None)
        if t.year_start is not None:
            assert t.year_start <= t.year_end
            assert t.precision in PRECISIONS
        if t.date_start is not None:  # years 1 to 9999: the dates agree with the years
            assert t.date_start <= t.date_end
            assert (t.date_start.year, t.date_end.year) == (t.year_start, t.year_end)
        else:
            assert t.year_start is None or t.year_start < 1
        if t.type in ("DATE", "TIME") and t.value not in REFS and t.year_start is not None:
            assert precision_of(t.value) == t.precision
        if t.range_role == "end":
            assert found.index(t) > 0 and found[found.index(t) - 1].range_role == "start"
        if t.type == "SET":
            assert t.edtf is None and t.date_start is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), dcts, modes)
def test_never_raises_on_arbitrary_text(text, dct, mode):
    check(text, dct, mode)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(word_texts, dcts, modes)
def test_output_is_well_formed_on_temporal_word_salad(text, dct, mode):
    check(text, dct, mode)


@settings(max_examples=50, deadline=None)
@given(word_texts, dcts)
def test_deterministic(text, dct):
    a = engine.run(text, dct, "news", None, (), strict=True)
    b = engine.run(text, dct, "news", None, (), strict=True)
    assert a == b
