"""Events of sentences with no date, dated by the story's clock or the publication date."""

import datetime as dt

from pipeline.events.basis import paragraph_starts


def dated(events):
    return [
        (e["trigger"], e["date_basis"], e["date_start"], e["date_end"], e["precision"])
        for e in events
    ]


def test_the_next_sentence_takes_the_story_clock(run):
    text = "On 3 March 1863 the army crossed the river. It reached the town at dusk."
    timexes, events, _ = run(text)
    day = dt.date(1863, 3, 3)
    assert dated(events) == [
        ("cross", "explicit", day, day, "day"),
        ("reach", "narrative", day, day, "day"),
    ]
    assert events[1]["timex_id"] == events[0]["timex_id"] == timexes[0]["timex_id"]
    assert text[events[1]["start_char"] : events[1]["end_char"]] == events[1]["text"]


def test_the_clock_keeps_its_precision(run):
    text = "In 1863 the army crossed the river. It reached the town at dusk."
    _, events, _ = run(text)
    assert dated(events)[1] == (
        "reach",
        "narrative",
        dt.date(1863, 1, 1),
        dt.date(1863, 12, 31),
        "year",
    )


def test_a_heading_sets_its_sections_clock_across_paragraphs(run):
    text = (
        "The siege of 1709\n\nThe garrison held the walls.\n\nThe defenders repulsed every assault."
    )
    _, events, _ = run(text)
    year = (dt.date(1709, 1, 1), dt.date(1709, 12, 31), "year")
    assert dated(events) == [
        ("hold", "narrative", *year),
        ("repulse", "narrative", *year),
    ]


def test_a_new_paragraph_without_a_heading_leaves_the_clock_behind(run):
    text = "In 1709 the garrison held the walls.\n\nThe defenders repulsed every assault."
    _, events, skipped = run(text)
    assert [e["date_basis"] for e in events] == ["explicit"]
    assert skipped["predicate_without_basis"] == 1


def test_a_heading_yields_no_event(run):
    text = "The army crossed the river 1863\n\nThe soldiers marched north."
    _, events, _ = run(text)
    assert all(not e["text"].startswith("The army") for e in events)


def test_a_sentence_with_its_own_date_stays_explicit(run):
    text = "On 3 March 1863 the army crossed the river. On 5 March the cavalry attacked the town."
    _, events, _ = run(text)
    assert [(e["trigger"], e["date_basis"]) for e in events] == [
        ("cross", "explicit"),
        ("attack", "explicit"),
    ]


def test_light_verbs_and_states_give_no_event(run):
    text = (
        "On 3 March 1863 the army crossed the river. The weather was cold. "
        "The generals seemed confident. The battle took place near the ford. "
        "The rebels had already left the town. The men called the place Cold Harbor. "
        "The general believed the report. The army began to dig trenches."
    )
    _, events, _ = run(text)
    assert [e["trigger"] for e in events] == ["cross"]


def test_a_news_report_dates_its_present_by_the_publication_date(run):
    text = (
        "The Senate passed the budget on Tuesday.\n\n"
        "Opposition leaders warn that the cuts hurt schools. The senators left the city."
    )
    published = dt.date(2013, 3, 7)
    _, events, _ = run(text, mode="news", published=published)
    document = [e for e in events if e["date_basis"] == "document"]
    assert [(e["trigger"], e["date_start"], e["precision"]) for e in document] == [
        ("warn", published, "day")
    ]
    assert document[0]["timex_id"] is None


def test_a_news_report_without_a_publication_date_dates_nothing_more(run):
    text = "In 2013 the Senate passed the budget. Opposition leaders warn of cuts."
    _, events, skipped = run(text, mode="news", published=None)
    assert [e["date_basis"] for e in events] == ["explicit"]
    assert skipped["predicate_without_basis"] == 1


def test_paragraphs_start_after_blank_lines():
    assert paragraph_starts("One.\nOne too.\n\nTwo.\n \n\nThree.") == [0, 15, 23]


def test_a_text_without_blank_lines_has_a_paragraph_a_line():
    assert paragraph_starts("One. One too.\nTwo.\nThree.") == [0, 14, 19]


def test_a_line_of_its_own_leaves_the_clock_behind_when_lines_are_paragraphs(run):
    text = "In 1709 the garrison held the walls.\nThe defenders repulsed every assault."
    _, events, _ = run(text)
    assert [e["date_basis"] for e in events] == ["explicit"]


def test_a_long_line_is_a_paragraph_even_when_blank_lines_set_off_headings(run):
    story = (
        "In June 1850 the rebels crossed the river near the old mill and marched on the small "
        "town of Riverton by night."
    )
    text = f"The rising\n\n{story}\nThe garrison surrendered without a fight.\n"
    assert paragraph_starts(text) == [0, 12, text.index("The garrison")]
    _, events, _ = run(text)
    assert [(e["trigger"], e["date_basis"]) for e in events] == [("cross", "explicit")]


def test_a_wrapped_text_keeps_its_paragraphs_across_short_lines():
    text = "Heading\n\nThe rebels crossed the river\nand marched on the town.\n\nNext."
    assert paragraph_starts(text) == [0, text.index("The"), text.index("Next")]


def test_later_and_throughout_move_an_event_off_the_clock(run):
    text = (
        "On 3 March 1863 the army crossed the river. The general later wrote a report. "
        "The garrison eventually surrendered. The fleet kept the coast throughout the war. "
        "The cavalry burned the bridge."
    )
    _, events, _ = run(text)
    assert [(e["trigger"], e["date_basis"]) for e in events] == [
        ("cross", "explicit"),
        ("burn", "narrative"),
    ]
