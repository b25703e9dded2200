"""Unit tests per rule family, on real English phrases (document date: Friday 22 March 2013)."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.timexes.temporal import Token, normalise, tag

DCT = dt.date(2013, 3, 22)  # a Friday


def one(text: str, **kw) -> tuple[str, str, str, str | None]:
    found = tag(text, dct=kw.pop("dct", DCT), **kw)
    assert len(found) == 1, found
    t = found[0]
    return t.text, t.type, t.value, t.mod


def values(text: str, **kw) -> list[tuple[str, str, str]]:
    return [(t.text, t.type, t.value) for t in tag(text, dct=kw.pop("dct", DCT), **kw)]


# ---------------------------------------------------------------- absolute dates


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("It began on May 1, 1960.", "May 1, 1960", "1960-05-01"),
        ("It began on 1 May 1960.", "1 May 1960", "1960-05-01"),
        ("It began on the 1st of May, 1960.", "the 1st of May, 1960", "1960-05-01"),
        ("It began in March 1962.", "March 1962", "1962-03"),
        ("It began in March of 1962.", "March of 1962", "1962-03"),
        ("Filed 2013-03-22 in court.", "2013-03-22", "2013-03-22"),
        ("Filed 03/22/2013 in court.", "03/22/2013", "2013-03-22"),
        ("Filed on Nov. 9, 1998, in court.", "Nov. 9, 1998", "1998-11-09"),
        ("In 1959 it rained.", "1959", "1959"),
        ("In fiscal 1989 it lost money.", "fiscal 1989", "1989"),
        ("By the year two thousand it was over.", "the year two thousand", "2000"),
        ("Caesar died in 44 BC.", "44 BC", "BC0044"),
        ("Charlemagne was crowned in AD 800.", "AD 800", "0800"),
    ],
)
def test_absolute_dates(text, span, value):
    got = one(text)
    assert (got[0], got[1], got[2]) == (span, "DATE", value)


def test_partial_dates_take_the_year_from_the_document_date():
    assert one("The towers close on April 7.")[:3] == ("April 7", "DATE", "2013-04-07")
    assert one("He resigned on Feb. 28.")[:3] == ("Feb. 28", "DATE", "2013-02-28")
    # the weekday fixes the year when it is given
    assert one("It opens Monday, March 18.")[:3] == ("Monday, March 18", "DATE", "2013-03-18")


def test_two_years_give_two_timexes():
    assert values("in 1959 and 1961") == [("1959", "DATE", "1959"), ("1961", "DATE", "1961")]
    assert values("between 1959 and 1961") == [("1959", "DATE", "1959"), ("1961", "DATE", "1961")]


def test_compact_year_range_is_two_dates():
    first, second = tag("It ran 1959–61 in Paris.")
    assert (first.text, first.value, first.range_role) == ("1959", "1959", "start")
    assert (second.text, second.value, second.range_role) == ("61", "1961", "end")
    assert (second.date_start, second.date_end, second.precision) == (
        dt.date(1961, 1, 1),
        dt.date(1961, 12, 31),
        "year",
    )


@pytest.mark.parametrize(
    ("text", "span", "value", "mod"),
    [
        ("music of the 1960s", "1960s", "196", None),
        ("music of the '60s", "'60s", "196", None),
        ("music of the sixties", "sixties", "196", None),
        ("in the early 1960s", "early 1960s", "196", "START"),
        ("in the mid-1990s", "mid-1990s", "199", "MID"),
        ("in the 19th century", "19th century", "18", None),
        ("for much of the 20th century", "20th century", "19", None),
        ("the late 20th century", "late 20th century", "19", "END"),
    ],
)
def test_decades_and_centuries(text, span, value, mod):
    assert one(text) == (span, "DATE", value, mod)


def test_decade_interval_and_edtf():
    (t,) = tag("the 1960s")
    assert (t.date_start, t.date_end, t.precision, t.edtf) == (
        dt.date(1960, 1, 1),
        dt.date(1969, 12, 31),
        "decade",
        "196X",
    )
    (t,) = tag("the 19th century")
    assert (t.date_start, t.date_end, t.precision, t.edtf) == (
        dt.date(1800, 1, 1),
        dt.date(1899, 12, 31),
        "century",
        "18XX",
    )


def test_bc_year_has_years_but_no_dates():
    (t,) = tag("in 44 BC")
    assert t.date_start is None and t.date_end is None
    assert (t.year_start, t.year_end, t.precision, t.edtf) == (-43, -43, "year", "-0043")


# ---------------------------------------------------------------- seasons, quarters, weeks


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("in the summer of 1962", "the summer of 1962", "1962-SU"),
        ("He left last summer.", "last summer", "2012-SU"),
        ("It was cold last winter.", "last winter", "2012-WI"),
        ("Profits fell in the first quarter.", "the first quarter", "2013-Q1"),
        ("Sales rose in Q3 2012.", "Q3 2012", "2012-Q3"),
        ("Sales rose in the fourth quarter of 2012.", "the fourth quarter of 2012", "2012-Q4"),
        ("He visited Israel this week.", "this week", "2013-W12"),
        ("He visited Israel last week.", "last week", "2013-W11"),
    ],
)
def test_seasons_quarters_weeks(text, span, value):
    assert one(text)[:3] == (span, "DATE", value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The surge began last fall.", "1997-FA"),
        ("He left last summer.", "1997-SU"),
        ("It was cold last winter.", "1996-WI"),
    ],
)
def test_last_season_early_in_the_year_is_of_the_year_before(text, value):
    """In February 1998 the season is the winter begun in December 1997: last fall was 1997's."""
    assert one(text, dct=dt.date(1998, 2, 6))[2] == value


def test_season_and_week_intervals():
    (t,) = tag("last winter", dct=DCT)
    assert (t.date_start, t.date_end, t.precision) == (
        dt.date(2012, 12, 1),
        dt.date(2013, 2, 28),
        "season",
    )
    (t,) = tag("this week", dct=DCT)
    assert (t.date_start, t.date_end, t.precision) == (
        dt.date(2013, 3, 18),
        dt.date(2013, 3, 24),
        "week",
    )
    (t,) = tag("Q3 2012")
    assert (t.date_start, t.date_end, t.precision) == (
        dt.date(2012, 7, 1),
        dt.date(2012, 9, 30),
        "quarter",
    )


# ---------------------------------------------------------------- parts of day and clock times


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("They met Monday morning.", "Monday morning", "2013-03-18TMO"),
        ("He leaves for Jordan on Friday afternoon.", "Friday afternoon", "2013-03-22TAF"),
        ("We talk this afternoon.", "this afternoon", "2013-03-22TAF"),
        ("The show airs tonight.", "tonight", "2013-03-22TNI"),
        ("The vote is at 3 p.m.", "3 p.m.", "2013-03-22T15:00"),
        ("The vote is at 10:30 a.m. today", "10:30 a.m. today", "2013-03-22T10:30"),
        ("The vote is at noon.", "noon", "2013-03-22T12:00"),
        (
            "The launch was put off until 11:00 GMT Saturday.",
            "11:00 GMT Saturday",
            "2013-03-23T11:00",
        ),
    ],
)
def test_parts_of_day_and_clock_times(text, span, value):
    assert one(text)[:3] == (span, "TIME", value)


def test_clock_precision():
    (t,) = tag("at 3 p.m.", dct=DCT)
    assert t.precision == "minute" and t.date_start == DCT


# ---------------------------------------------------------------- relative to the reference


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("He arrived yesterday.", "yesterday", "2013-03-21"),
        ("He arrives today.", "today", "2013-03-22"),
        ("He arrives tomorrow.", "tomorrow", "2013-03-23"),
        ("He pleaded guilty Thursday.", "Thursday", "2013-03-21"),
        ("He will testify on Monday.", "Monday", "2013-03-25"),
        ("They met last Tuesday.", "last Tuesday", "2013-03-19"),
        ("The plan starts next month.", "next month", "2013-04"),
        ("It was built two years ago.", "two years ago", "2011"),
        ("It happened this year.", "this year", "2013"),
        ("He was here last May.", "last May", "2012-05"),
        ("He was arrested in August.", "August", "2012-08"),
        ("Sales fell last year.", "last year", "2012"),
        ("It was done earlier this month.", "earlier this month", "2013-03"),
    ],
)
def test_deictic_expressions_resolve_against_the_document_date(text, span, value):
    found = tag(text, dct=DCT)
    assert [(t.text, t.value) for t in found] == [(span, value)]
    assert found[0].anchor == "document" and found[0].anchor_value == "2013-03-22"


@pytest.mark.parametrize(
    "text",
    [
        "The bank announced an agreement to buy the mill in August.",
        "The firm made a bid to take over the mill in August.",
    ],
)
def test_an_agreement_or_bid_to_do_a_thing_looks_ahead(nlp, text):
    """As "agreed to buy" does: the month is the coming one, whatever the tense of the report."""
    tokens = [Token(t.idx, t.idx + len(t.text), t.pos_, t.tag_, t.lemma_) for t in nlp(text)]
    assert [t.value for t in tag(text, dct=DCT, tokens=tokens)] == ["2013-08"]


def test_earlier_this_month_is_start_of_month():
    assert one("It was done earlier this month.")[3] == "START"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("In 1964 the band formed. Two years later they toured.", "Two years later", "1966"),
        (
            "In April 1961 it rained; the following month it snowed.",
            "the following month",
            "1961-05",
        ),
        ("In 1961 he left. That October he came back.", "That October", "1961-10"),
        ("On May 3, 1965, they met. The next day they left.", "The next day", "1965-05-04"),
        ("On May 3, 1965, they met. The same day they left.", "The same day", "1965-05-03"),
        ("In 1952 he married. Sixty years on, they still dance.", "Sixty years on", "2012"),
        ("It closed in 1990. The previous day was calm.", "The previous day", "1990-XX-XX"),
    ],
)
def test_narrative_resolves_against_the_last_absolute_date(text, span, value):
    found = {t.text: t for t in tag(text, mode="narrative")}
    t = found[span]
    assert t.value == value
    assert t.anchor == "narrative"


def test_narrative_keeps_reference_precision():
    found = tag("In 1964 the band formed. Two years later they toured.", mode="narrative")
    t = found[1]
    assert (t.anchor_value, t.precision, t.date_start) == ("1964", "year", dt.date(1966, 1, 1))


def test_narrative_falls_back_to_the_document_date():
    (t,) = tag("Two years later they toured.", mode="narrative", dct=DCT)
    assert (t.value, t.anchor, t.anchor_value) == ("2015", "document", "2013-03-22")


def test_news_without_dct_falls_back_to_narrative():
    found = tag("In 1964 the band formed. Last year they toured.", dct=None)
    assert [(t.value, t.anchor) for t in found] == [("1964", "absolute"), ("1963", "narrative")]


def test_no_reference_at_all_gives_unknown_digits():
    (t,) = tag("He arrived yesterday.")
    assert t.value == "XXXX-XX-XX" and t.date_start is None and t.anchor_value is None


def test_within_is_an_anchored_duration():
    (t,) = tag("The plant will close within two years.", dct=DCT)
    assert (t.text, t.type, t.value) == ("two years", "DURATION", "P2Y")
    assert (t.date_start, t.date_end) == (DCT, dt.date(2015, 3, 22))


def test_the_past_n_years_is_an_anchored_duration():
    (t,) = tag("He spoke to both over the past two years.", dct=DCT)
    assert (t.text, t.type, t.value) == ("the past two years", "DURATION", "P2Y")
    assert (t.date_start, t.date_end) == (dt.date(2011, 3, 22), DCT)


# ---------------------------------------------------------------- durations and sets


@pytest.mark.parametrize(
    ("text", "span", "value", "mod"),
    [
        ("He served three years.", "three years", "P3Y", None),
        ("In the three years since, nothing.", "the three years", "P3Y", None),
        ("It took two and a half hours.", "two and a half hours", "PT2H30M", None),
        ("It took 2 1/2 years.", "2 1/2 years", "P2Y6M", None),
        ("It took a decade.", "a decade", "P10Y", None),
        ("It lasted more than 30 years.", "more than 30 years", "P30Y", "MORE_THAN"),
        ("It lasted about a month.", "a month", "P1M", "APPROX"),
        ("It lasted almost seven years.", "almost seven years", "P7Y", "LESS_THAN"),
        ("A four-week delay.", "four-week", "P4W", None),
        ("He worked for years.", "years", "PXY", None),
        ("It took several days.", "several days", "PXD", None),
        ("She finished in 3:07:35.", "3:07:35", "PT3H7M35S", None),
    ],
)
def test_durations(text, span, value, mod):
    assert one(text) == (span, "DURATION", value, mod)


def test_duration_ranges_give_two_timexes():
    assert values("The bridge would need between 14 and 20 months to finish.") == [
        ("14", "DURATION", "P14M"),
        ("20 months", "DURATION", "P20M"),
    ]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("They meet every year.", "every year", "P1Y"),
        ("The paper appears weekly.", "weekly", "P1W"),
        ("They meet each Monday.", "each Monday", "XXXX-WXX-1"),
        ("Billions are spent annually.", "annually", "P1Y"),
        ("They meet twice a year.", "twice a year", "P1Y"),
        ("He checked every morning.", "every morning", "XXXX-XX-XXTMO"),
    ],
)
def test_sets(text, span, value):
    assert one(text)[:3] == (span, "SET", value)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("He is now in charge.", "now", "PRESENT_REF"),
        ("It is currently closed.", "currently", "PRESENT_REF"),
        ("Nowadays it is closed.", "Nowadays", "PRESENT_REF"),
        ("At present it is closed.", "At present", "PRESENT_REF"),
        ("In the past it was open.", "the past", "PAST_REF"),
        ("It recently opened.", "recently", "PAST_REF"),
        ("It will open in the future.", "the future", "FUTURE_REF"),
    ],
)
def test_vague_references(text, span, value):
    assert one(text)[:3] == (span, "DATE", value)


def test_present_ref_has_the_reference_interval():
    (t,) = tag("He is now in charge.", dct=DCT)
    assert (t.date_start, t.date_end, t.precision) == (DCT, DCT, "day")


# ---------------------------------------------------------------- false positives


@pytest.mark.parametrize(
    "text",
    [
        "You may go home.",
        "May I ask a question?",
        "They march on the capital.",
        "We left early.",
        "The Sun rose over the hills.",
        "Sat down and waited.",
        "1,959 people attended.",
        "It cost $1960 in total.",
        "He got 1960 votes.",
        "See page 1962 of the report.",
        "Call 555-1962 for details.",
        "He came second in the race.",
        "Wait a second, please.",
        "She finished the 21st.",
        "He is a 22-year-old student.",
        "The boy is eight years old.",
        "Chile buys about three-quarters of its wheat abroad.",
    ],
)
def test_false_positives_are_refused(text):
    assert tag(text, dct=DCT) == []


def test_pos_hints_reject_month_names_used_as_verbs():
    text = "March on, said the general."
    assert tag(text, dct=DCT) == []
    text = "In May they vote."
    tokens = [Token(0, 2, "ADP", "IN"), Token(3, 6, "PROPN", "NNP"), Token(7, 11, "PRON", "PRP")]
    assert [t.value for t in tag(text, dct=DCT, tokens=tokens)] == ["2013-05"]
    verb = [Token(0, 2, "ADP", "IN"), Token(3, 6, "AUX", "MD"), Token(7, 11, "PRON", "PRP")]
    assert tag(text, dct=DCT, tokens=verb) == []


def test_candidate_spans_add_what_rules_refused_in_context():
    text = "Its 1987 cars sold well."
    assert tag(text, dct=DCT) == []
    (t,) = tag(text, dct=DCT, candidate_spans=[(4, 8)])
    assert (t.text, t.value) == ("1987", "1987")
    # a candidate overlapping a rule match is dropped, one with no value is ignored
    assert [t.text for t in tag("In 1987 it sold.", candidate_spans=[(0, 7), (9, 16)])] == ["1987"]


def test_normalise_helper():
    t = normalise("two years later", reference="1964")
    assert t is not None and (t.value, t.anchor_value) == ("1966", "1964")
    t = normalise("yesterday", reference="2013-03-22")
    assert t is not None and t.value == "2013-03-21"
    assert normalise("no time here", reference="2013-03-22") is None


def test_rule_names_are_reported():
    (t,) = tag("He arrived yesterday.", dct=DCT)
    assert t.rule == "day_word"


@pytest.mark.parametrize(
    "text",
    [
        "The match starts at 1300 GMT on Saturday.",  # seen in the BBC corpus
        "It will be shown from 1130 to 1215 GMT.",
        "Fans are asked to reach the gates at 1415.",
        "By 1700 GMT, the shares had fallen.",
    ],
)
def test_four_digit_clock_times_are_not_years(text):
    assert [t.value for t in tag(text) if t.rule == "year"] == []


def test_years_that_could_be_clock_times_still_are_years():
    assert [t.value for t in tag("He was born in 1330 and died in 1400.")] == ["1330", "1400"]


@pytest.mark.parametrize(
    "text",
    [
        "The army set out on the March to the Coast in May.",  # a march to a place
        "Few shots were fired along the March.",
        "They joined the March on the Capital.",
        # a capitalised word between "the" and "March" names a march
        "Of the pilgrims who set out on the Long March in 1712, few reached the coast.",
        "The Great March ended at the river crossing.",
        "Students joined the Salt March that spring.",
    ],
)
def test_a_named_march_is_not_a_month(text):
    spans = [(m, m + 5) for m in [text.find("March")]]  # the model's DATE span, relaxed
    found = [t.text for t in tag(text, dct=DCT, candidate_spans=spans)]
    assert not any("March" in f for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "The March offensive failed.",  # a month qualifying a noun
        "They fought from the March to June thaws.",  # a range of months
        "The rains of the March of that year were heavy.",
    ],
)
def test_the_month_of_march_after_the_stays_a_month(text):
    spans = [(m, m + 5) for m in [text.find("March")]]
    found = [(t.text.split()[0], t.value) for t in tag(text, dct=DCT, candidate_spans=spans)]
    assert ("March", "2013-03") in found


@pytest.mark.parametrize(
    "text",
    [
        "The Early March floods closed the roads.",  # a word of time before the month
        "The council met on the Tuesday March 5 session.",  # a weekday
    ],
)
def test_a_word_of_time_between_the_and_march_keeps_the_month(text):
    spans = [(m, m + 5) for m in [text.find("March")]]
    found = [t.value for t in tag(text, dct=DCT, candidate_spans=spans)]
    assert any(v.startswith("2013-03") for v in found)
