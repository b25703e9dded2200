"""A march named in quotes or after a possessive is no month; the month stays a month."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.timexes.temporal import tag

DCT = dt.date(2013, 3, 22)


def months(text: str) -> list[str]:
    """The texts of the expressions the tagger finds with the model's span on "March"."""
    start = text.find("March")
    return [t.text for t in tag(text, dct=DCT, candidate_spans=[(start, start + 5)])]


@pytest.mark.parametrize(
    "text",
    [
        'The rebels burned the mills of the valley on their "March to the Coast".',
        "Few villages were spared during his March on the Capital.",
        "The legion lost a third of its men in its \u201cMarch through the Hills\u201d.",
    ],
)
def test_a_quoted_or_possessed_march_with_a_direction_is_no_month(text):
    assert not any("March" in found for found in months(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Their March, April and May harvests failed.", "March"),
        ("The council met in \u201cMarch\u201d that year.", "March"),
        ("His March visit to the port was cut short.", "March"),
    ],
)
def test_a_month_after_a_possessive_or_a_quote_stays_a_month(text, expected):
    assert expected in months(text)
