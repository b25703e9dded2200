"""Section headings through the stages: their dates set the clock but date no event."""

import datetime as dt


def test_a_heading_sets_the_clock_of_the_section_after_it(run):
    text = "The winter campaign of 1863\n\nIn February the army moved."
    timexes, events, skipped = run(text)
    february = next(t for t in timexes if t["text"] == "February")
    assert february["value"] == "1863-02"
    assert "1863" in [t["text"] for t in timexes]  # the heading's date keeps its row
    assert [(e["trigger"], e["date_start"]) for e in events] == [("move", dt.date(1863, 2, 1))]
    assert skipped["in_heading"] >= 1


def test_a_heading_dates_no_event_and_not_the_first_sentence(run):
    text = (
        "The war in the west began in August 1914.\n\n"
        "Western Front 1916-1917\n\n"
        "The armies dug trenches along the front."
    )
    timexes, events, skipped = run(text)
    assert any(t["text"].startswith("1916") for t in timexes)
    explicit = [e["trigger"] for e in events if e["date_basis"] == "explicit"]
    assert explicit == ["begin"]
    assert skipped["in_heading"] >= 1


def test_a_news_dateline_and_closing_line_stay_prose(run):
    text = (
        "WASHINGTON (AP) --\n\nThe Senate passed the budget on Tuesday.\n\nReporting by Jane Smith"
    )
    _, events, skipped = run(text, mode="news", published=dt.date(2013, 3, 7))
    assert [(e["trigger"], e["date_start"]) for e in events] == [("pass", dt.date(2013, 3, 5))]
    assert skipped["in_heading"] == 0
