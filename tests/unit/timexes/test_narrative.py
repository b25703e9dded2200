"""The narrative clock: dates in a story resolve against the story's own time, as it moves."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from pipeline.timexes.temporal import Token, tag

PUBLISHED = dt.date(2009, 12, 19)


def told(text: str) -> dict[str, str]:
    """Each expression of a narrative text and its value."""
    return {t.text: t.value for t in tag(text, dct=PUBLISHED, mode="narrative")}


def test_a_date_resolved_against_the_clock_moves_it():
    text = (
        "In 1863 the army wintered by the river. On 3 March it crossed; nine days later it struck."
    )
    assert told(text)["nine days later"] == "1863-03-12"


def test_each_offset_counts_from_the_one_before():
    text = (
        "The siege began on 4 May 1863. Three days later the town fell. Two days later it burned."
    )
    found = told(text)
    assert (found["Three days later"], found["Two days later"]) == ("1863-05-07", "1863-05-09")


def test_a_coarser_date_around_the_clock_keeps_its_day():
    text = "On 3 July 1863 the charge failed. That year Meade resigned. Two days later it rained."
    assert told(text)["Two days later"] == "1863-07-05"


def test_the_following_year_moves_the_story_on():
    text = "On 3 July 1863 the charge failed. The following year the war ended. In May peace came."
    assert told(text)["May"] == "1864-05"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The campaign ended in November 1863. A letter of 9 February urged a new attack.",
         "9 February", "1864-02-09"),
        ("In November 1863 the army rested. In February it marched again.",
         "February", "1864-02"),
        ("In November 1863 the army rested. In December it marched again.",
         "December", "1863-12"),
    ],
)  # fmt: skip
def test_a_month_before_the_clock_is_the_next_such_month(text, span, value):
    assert told(text)[span] == value


@pytest.mark.parametrize(
    "text",
    [
        "In November 1863 the army rested. It had left the capital in February.",
        "In November 1863 the army rested. Earlier, in February, it had crossed the river.",
    ],
)
def test_a_sentence_that_looks_back_keeps_the_year(text):
    assert told(text)["February"] == "1863-02"


def test_a_year_alone_keeps_a_month_in_that_year():
    text = "The war began in 1861. In April the fort was shelled."
    assert told(text)["April"] == "1861-04"


def test_a_weekday_after_the_clock_is_the_next_one():
    text = "On Wednesday, 1 July 1863, the armies met. On Friday the survivors withdrew."
    assert told(text)["Friday"] == "1863-07-03"


def test_news_keeps_its_document_date():
    found = {
        t.text: t.value
        for t in tag("The campaign ended on 2 November. A letter of 9 February followed.",
                     dct=dt.date(2013, 3, 22), mode="news")
    }  # fmt: skip
    assert found["9 February"] == "2013-02-09"


# --- extents and false dates in history text ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span", "value", "mod"),
    [
        ("Early in 1848 the revolt spread.", "Early in 1848", "1848", "START"),
        ("Late in 1849 it was put down.", "Late in 1849", "1849", "END"),
        ("The army attacked in late April 1863.", "late April 1863", "1863-04", "END"),
    ],
)
def test_a_modifier_belongs_to_the_date(text, span, value, mod):
    (t,) = tag(text, dct=PUBLISHED, mode="narrative")
    assert (t.text, t.value, t.mod) == (span, value, mod)


@pytest.mark.parametrize(
    "text",
    [
        "After the fall of Constantinople trade moved west.",
        "The Fall of Rome ended the ancient world.",
        "The March on Rome brought Mussolini to power.",
        "The Salt March defied the British monopoly.",
        "May Wright led the mission to the north.",
    ],
)
def test_an_event_or_a_name_is_not_a_season_or_a_month(text):
    assert tag(text, dct=PUBLISHED, mode="narrative") == []


def test_the_fall_of_a_year_is_a_season():
    assert told("In the fall of 1863 it rained.") == {"the fall of 1863": "1863-FA"}


@pytest.mark.parametrize(
    "aside",
    ["The previous year the general had been promoted.", "Two years earlier he had been a clerk."],
)
def test_a_date_counted_back_from_the_clock_leaves_it_in_place(aside):
    text = f"On 3 July 1863 the charge failed. {aside} In August the army retreated."
    assert told(text)["August"] == "1863-08"


def test_a_year_before_a_colon_is_a_year_even_before_a_plural(nlp):
    text = (
        "It was a low point for the guild.\n\n"
        "2005: Strikes and a new council\n\n"
        "On January 31, the miners voted."
    )
    tokens = [Token(t.idx, t.idx + len(t.text), t.pos_, t.tag_, t.lemma_) for t in nlp(text)]
    found = tag(text, dct=PUBLISHED, mode="narrative", tokens=tokens)
    assert [(t.text, t.value) for t in found] == [("2005", "2005"), ("January 31", "2005-01-31")]


@pytest.mark.parametrize(
    "aside",
    [
        "Hanoi feared a push planned for 1976.",
        "Talks were scheduled in 1976.",
        'The general promised "all the troops home by next summer."',
    ],
)
def test_a_date_the_story_looks_ahead_to_leaves_the_clock_in_place(aside):
    text = f"The offensive began on 10 March 1975. {aside} On 11 March the line broke."
    assert told(text)["11 March"] == "1975-03-11"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("On the night of 3 March 1811 the fleet attacked.",
         "the night of 3 March 1811", "1811-03-03TNI"),
        ("Orders were cut early in the morning of 17 August 1843.",
         "early in the morning of 17 August 1843", "1843-08-17TMO"),
        ("He spoke on the evening of October 12, 1958.",
         "the evening of October 12, 1958", "1958-10-12TEV"),
        ("In the early morning hours of 14 June 1822 the last ship sailed.",
         "the early morning hours of 14 June 1822", "1822-06-14TMO"),
    ],
)  # fmt: skip
def test_the_part_of_the_day_of_a_date_is_one_expression(text, span, value):
    (t,) = tag(text, dct=PUBLISHED, mode="narrative")
    assert (t.text, t.type, t.value) == (span, "TIME", value)


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The tariff was the main issue of the 1884 mayoral election.", "1884", "1884"),
        ("In 1941 Nixon was a student. In April Nixon appointed a new envoy.", "April", "1941-04"),
    ],
)
def test_a_year_or_a_month_before_a_word_is_a_date(text, span, value):
    assert told(text)[span] == value


def test_a_number_of_people_after_the_is_not_a_year():
    assert told("One of the 1500 soldiers deserted.") == {}


@pytest.mark.parametrize(
    ("text", "ends"),
    [
        ("In 2005 violence fell. February to April proved calm.",
         [("February", "2005-02"), ("April", "2005-04")]),
        ("The First Tarvian War (312 to 297 BC) was long.",
         [("312", "BC0312"), ("297 BC", "BC0297")]),
        ("The Third Tarvian War (158 B.C to 151 B.C) ended it.",
         [("158 B.C", "BC0158"), ("151 B.C", "BC0151")]),
    ],
)  # fmt: skip
def test_a_range_written_with_to_between_months_or_with_an_era(text, ends):
    found = [(t.text, t.value) for t in tag(text, dct=PUBLISHED, mode="narrative")]
    assert found[-2:] == ends


def test_months_joined_by_a_dash_alone_may_be_a_name():
    assert told("March-May was a band from Leeds.") == {}


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("During the 1920s activists returned.", "the 1920s"),
        ("Since the late 1980s trade grew.", "the late 1980s"),
        ("In the nineteenth century salt was used.", "the nineteenth century"),
        ("It was built in the middle of the 7th century BC.", "the middle of the 7th century BC"),
    ],
)
def test_a_decade_or_century_of_a_history_takes_its_article(text, span):
    (t,) = tag(text, dct=PUBLISHED, mode="narrative")
    assert t.text == span


def test_a_date_after_by_is_where_the_story_has_got_to():
    text = "In December 1940 the army fell back. By early 1941 it regrouped. In February it won."
    assert told(text)["February"] == "1941-02"


def test_the_same_time_is_the_clock_in_a_story_and_nothing_in_news():
    text = "On 25 April 1975 Thieu left. At the same time, tanks reached the city."
    assert told(text)["the same time"] == "1975-04-25"
    news = tag(text, dct=dt.date(1975, 4, 26), mode="news")
    assert [t.text for t in news] == ["25 April 1975"]


@pytest.mark.parametrize(
    ("text", "mode", "ends"),
    [
        ("In October 1944 the army advanced. From October to March the fighting went on.",
         "narrative", [("October", "1944-10"), ("March", "1945-03")]),
        ("Output in the July to September period fell.",
         "news", None),
        ("Exports from 5 September to 20 December were down.",
         "news", None),
    ],
)  # fmt: skip
def test_a_range_never_runs_backward(text, mode, ends):
    found = tag(text, dct=dt.date(2005, 1, 1), mode=mode)
    pairs = [(a, b) for a, b in itertools.pairwise(found) if a.range_role == "start"]
    assert pairs, "the range is found"
    for a, b in pairs:
        assert b.range_role == "end" and a.date_start <= b.date_end
    if ends:
        assert [(t.text, t.value) for t in found if t.range_role] == ends


def told_parsed(nlp, text: str) -> dict[str, str]:
    """Each expression of a narrative text and its value, with the parser's tokens."""
    tokens = [Token(t.idx, t.idx + len(t.text), t.pos_, t.tag_, t.lemma_) for t in nlp(text)]
    return {t.text: t.value for t in tag(text, mode="narrative", tokens=tokens)}


STORY = (
    "In 1905 the strike closed the docks. The owners gave in later in 1905. "
    "The port had burned in 1898 and had been rebuilt in 1899. The union was banned in 1912. "
)


def test_elapsed_time_in_the_present_counts_from_the_storys_focus(nlp):
    found = told_parsed(nlp, STORY + "A hundred years on, the union still runs the docks.")
    assert found["A hundred years on"] == "2005"  # from 1905, not from the clock's 1912


def test_elapsed_time_in_the_past_counts_from_the_clock(nlp):
    found = told_parsed(nlp, STORY + "Two years later, the union was legal again.")
    assert found["Two years later"] == "1914"
    found = told_parsed(nlp, STORY + "Ten years later it was legal. Two years later it split.")
    assert found["Two years later"] == "1924"  # the present-tense rule moved no clock


def test_background_dates_do_not_make_the_focus(nlp):
    story = (
        "The town had flooded in 1880, in 1881 and in 1882. In 1890 a dam was built. "
        "It was raised in 1895. "
    )
    found = told_parsed(nlp, story + "Forty years later, the dam still holds.")
    assert found["Forty years later"] == "1930"  # from 1890: first of the main line's equals


def test_the_last_month_of_a_named_period_is_a_span_of_it_not_the_month_before():
    text = (
        "In May 1863 the army marched north. In the last month of the siege the town starved. "
        "The last week of the campaign was quiet."
    )
    found = told(text)
    assert (found["the last month"], found["The last week"]) == ("P1M", "P1W")
    assert (
        told("In May 1863 the army marched north. The last month had been dry.")["The last month"]
        != "P1M"
    )


def test_the_start_of_a_stretch_does_not_move_the_story():
    since = (
        "In February 2008 the army crossed the border, the first incursion since 1995. "
        "The troops withdrew on February 29."
    )
    as_of = "In 2003 the losses grew (as of 5 December 2006). Raids followed in the summer."
    assert told(since)["February 29"] == "2008-02-29"
    assert told(as_of)["the summer"] == "2003-SU"


def test_the_story_s_own_next_summer_moves_the_clock():
    text = (
        "The army wintered at the fort in 1850. The next summer it marched. "
        "On 14 September it struck."
    )
    assert told(text)["14 September"] == "1851-09-14"


def test_a_part_of_the_day_written_before_a_month_and_day_takes_the_story_s_year():
    text = (
        "The siege began on 3 June 1822. In the early morning hours of 14 June the last ship left."
    )
    assert told(text)["the early morning hours of 14 June"] == "1822-06-14TMO"


def test_a_holiday_in_a_quoted_title_is_no_date():
    text = (
        'The siege began on 3 April 1975. The song "White Christmas" was played as the signal. '
        "On 30 April the last ship left."
    )
    assert told(text) == {"3 April 1975": "1975-04-03", "30 April": "1975-04-30"}
    assert told('The rebels sang "Christmas" on 25 December 1850.')["25 December 1850"]


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The army wintered in December 1864. The victory at the ford on April 1 ended it.",
         "April 1", "1865-04-01"),
        ("In November 1863 the army rested. In March it marched again.", "March", "1864-03"),
        # a season or two back stays in the clock's year
        ("In November 1863 the army rested. In May the fleet sailed.", "May", "1863-05"),
        ("In October 1863 the army rested. In April the fleet sailed.", "April", "1863-04"),
    ],
)  # fmt: skip
def test_a_month_two_thirds_of_a_year_behind_is_in_the_next_year(text, span, value):
    assert told(text)[span] == value


def test_a_past_perfect_by_a_month_reaches_forward():
    # "had been beaten off by January": done by the next January, not a look back
    text = "The raid began on 9 December 1836. It had been beaten off by January."
    assert told(text)["January"] == "1837-01"
    text = "The raid began on 9 December 1836. It had been planned in January."
    assert told(text)["January"] == "1836-01"


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("In October 1954 the sects rose. In April and June 1955 the army fought them.",
         "April", "1955-04"),
        ("In October 1958 the army moved. In August/September 1956 the leaders had met.",
         "August", "1956-08"),
        # a range runs forward on its own: October before March 1945 is in 1944
        ("In June 1958 the army moved. From October to March 1945 the British pushed on.",
         "October", "1944-10"),
    ],
)  # fmt: skip
def test_a_month_joined_to_a_dated_month_shares_its_year(text, span, value):
    assert told(text)[span] == value


def test_a_withdrawal_date_is_a_plans_and_does_not_move_the_clock():
    text = (
        "In the autumn of 2029 the minister outlined a plan with a final withdrawal date "
        "sometime in late 2031. In July the last brigade left."
    )
    assert told(text)["July"] == "2029-07"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On 3 May 1920 the army crossed. The rebels had prepared to fight both wars at the "
         "same time, conceding ground.", None),
        ("On 3 May 1920 the army crossed. At the same time, the fleet sailed.", "1920-05-03"),
        ("On 3 May 1920 the army crossed, and at the same time the fleet sailed.", "1920-05-03"),
        ("On 3 May 1920 the army crossed. The fleet sailed at the same time as the army.",
         "1920-05-03"),
    ],
)  # fmt: skip
def test_at_the_same_time_inside_a_clause_means_simultaneously(text, expected):
    assert told(text).get("the same time") == expected


def test_a_date_before_a_noun_names_a_thing_and_leaves_the_clock():
    # "the May 1861 record" names which record; the story is still in 1862
    text = (
        "In April 1862 desertions rose to 900, surpassing the May 1861 record. "
        "In early May the army marched north."
    )
    assert told(text)["early May"] == "1862-05"
    text = "In April 1862 desertions rose. In May 1863 the army marched. In June it rested."
    assert told(text)["June"] == "1863-06"


def test_a_stretch_that_lasted_until_a_date_leaves_the_clock_where_it_was():
    text = (
        "On 20 October 1862 the army took the town. The siege of the fort lasted until its "
        "fall in February 1863. By the start of July the army had reached the coast."
    )
    assert told(text)["the start of July"] == "1862-07"
    text = (
        "The campaign began in 1862, lasting 64 days from 21 November 1862 to 31 January "
        "1863. On 21 April the army crossed the river."
    )
    assert told(text)["21 April"] == "1863-04-21"
