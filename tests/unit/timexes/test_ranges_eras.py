"""Ranges of dates and dates before Christ, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.timexes.stage import timex_rows
from pipeline.timexes.temporal import tag
from pipeline.timexes.temporal.values import edtf, precision_of, year_bounds

DCT = dt.date(2009, 12, 19)


def ends(text: str, mode: str = "narrative") -> list[tuple[str, str, str | None]]:
    return [(t.text, t.value, t.range_role) for t in tag(text, dct=DCT, mode=mode)]


# ---------------------------------------------------------------- ranges


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("The mill ran 1812-14 at a loss.", ("1812", "1812"), ("14", "1814")),
        ("The famine (1845-1849) emptied the village.", ("1845", "1845"), ("1849", "1849")),
        ("The famine (1845–1849) emptied the village.", ("1845", "1845"), ("1849", "1849")),
        ("The league (478-404 BC) held the islands.", ("478", "BC0478"), ("404 BC", "BC0404")),
        ("It ran 3 May-11 May.", ("3 May", "2009-05-03"), ("11 May", "2009-05-11")),
        ("The fair ran 3-11 May 1863.", ("3", "1863-05-03"), ("11 May 1863", "1863-05-11")),
        ("The fair ran May 3-11, 1863.", ("May 3", "1863-05-03"), ("11, 1863", "1863-05-11")),
        ("It fell between June 2-6, 1832.", ("June 2", "1832-06-02"), ("6, 1832", "1832-06-06")),
        ("She taught there from 1848 to 1851.", ("1848", "1848"), ("1851", "1851")),
        ("She taught there between 1848 and 1851.", ("1848", "1848"), ("1851", "1851")),
        ("She taught there 1848 through 1851.", ("1848", "1848"), ("1851", "1851")),
        ("The siege lasted March to May 1863.", ("March", "1863-03"), ("May 1863", "1863-05")),
        (
            "28 December-3 January 1864",
            ("28 December", "1863-12-28"),
            ("3 January 1864", "1864-01-03"),
        ),
        ("The colony grew from 30 BC to AD 14.", ("30 BC", "BC0030"), ("AD 14", "0014")),
    ],
)  # fmt: skip
def test_each_end_of_a_range_is_a_date_with_its_full_value(text, first, second):
    assert ends(text) == [(*first, "start"), (*second, "end")]


@pytest.mark.parametrize(
    "text",
    [
        "The home side won 3-1 on the night.",
        "She works 9-5 at the bank.",
        "Call 555-1861-1865 for tickets.",
        "See pp. 1812-14 of the report.",
        "The flight left from 1130 to 1215 GMT.",
    ],
)
def test_things_that_are_not_ranges_of_dates(text):
    assert all(t.range_role is None for t in tag(text, dct=DCT))
    assert not any(t.value in ("1812", "1861", "1130") for t in tag(text, dct=DCT))


def test_a_backwards_pair_or_a_bare_to_is_not_a_range():
    assert ends("The count fell 1865-1861 in the list.") == []
    assert all(r is None for *_, r in ends("Output in 1848 to 1851 levels fell."))


# ---------------------------------------------------------------- BC and AD


@pytest.mark.parametrize(
    ("text", "span", "value", "precision", "years"),
    [
        ("The army marched in 218 BC.", "218 BC", "BC0218", "year", (-217, -217)),
        ("The army marched in 218 B.C. to the coast.", "218 B.C.", "BC0218", "year", (-217, -217)),
        ("The city fell in 146 BCE.", "146 BCE", "BC0146", "year", (-145, -145)),
        ("It came in August 216 BC.", "August 216 BC", "BC0216-08", "month", (-215, -215)),
        ("It ended on 2 August 216 BC.", "2 August 216 BC", "BC0216-08-02", "day", (-215, -215)),
        ("In the winter of 217 BC.", "the winter of 217 BC", "BC0217-WI", "season", (-216, -215)),
        ("The emperor died in AD 14.", "AD 14", "0014", "year", (14, 14)),
        ("The emperor died in 14 CE.", "14 CE", "0014", "year", (14, 14)),
    ],
)  # fmt: skip
def test_dates_with_an_era_are_one_expression(text, span, value, precision, years):
    (t,) = tag(text, dct=DCT, mode="narrative")
    assert (t.text, t.value, t.precision, (t.year_start, t.year_end)) == (
        span,
        value,
        precision,
        years,
    )
    if years[0] < 1:
        assert t.date_start is None and t.date_end is None


@pytest.mark.parametrize(
    ("value", "out", "bounds"),
    [
        ("BC0218", "-0217", (-217, -217, "year")),
        ("BC0001", "0000", (0, 0, "year")),
        ("BC0216-08", "-0215-08", (-215, -215, "month")),
        ("BC0217-WI", "-0216-24", (-216, -215, "season")),
        ("BC021", "-0218/-0209", (-218, -209, "decade")),  # 219-210 BC
        ("BC02", "-0298/-0199", (-298, -199, "century")),
    ],
)
def test_bc_values_use_astronomical_years(value, out, bounds):
    assert edtf(value) == out
    assert year_bounds(value) == bounds
    assert precision_of(value) == bounds[2]


def test_a_bc_story_moves_forward_in_time():
    found = tag(
        "The army crossed the river in 218 BC. Two years later it won a great battle. "
        "The following year it wintered in the south. In August it marched again.",
        dct=DCT,
        mode="narrative",
    )
    assert [(t.text, t.value) for t in found] == [
        ("218 BC", "BC0218"),
        ("Two years later", "BC0216"),
        ("The following year", "BC0215"),  # the year after the battle: the clock moved
        ("August", "BC0215-08"),
    ]
    assert found[1].anchor_value == "BC0218"


def test_a_bc_clock_crosses_into_the_christian_era():
    found = tag("He was born in 2 BC. Three years later he moved.", dct=DCT, mode="narrative")
    assert [t.value for t in found] == ["BC0002", "0002"]


def test_the_timexes_table_links_the_two_ends():
    text = "She taught there from 1848 to 1851."
    rows = timex_rows("doc_" + "0" * 16, text, tag(text, dct=DCT), [0], ["sen_" + "0" * 16])
    first, second = rows
    assert (first["range_role"], first["range_timex_id"]) == ("start", second["timex_id"])
    assert (second["range_role"], second["range_timex_id"]) == ("end", first["timex_id"])
    assert (first["year_start"], second["year_end"]) == (1848, 1851)
