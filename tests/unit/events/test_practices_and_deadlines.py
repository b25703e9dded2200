"""An activity kept up, a "by" date of a plan and a consequence told in the passive.

Each sentence is written for these tests; what a user cares about is which predicates the
events table holds with a date of their own.
"""

import datetime as dt


def explicit(events) -> list[tuple[str, str]]:
    return [(e["trigger"], str(e["date_start"])) for e in events if e["date_basis"] == "explicit"]


def test_an_activity_kept_up_over_a_stretch_is_no_event(run):
    text = (
        "Through late 1871 the northern brigades continued to drive the rebels back towards "
        "the coast. The raiders kept attacking the grain barges in 1863."
    )
    _, events, _ = run(text)
    assert explicit(events) == []


def test_an_activity_kept_up_on_one_day_is_still_an_event(run):
    _, events, _ = run("On 4 June 1871 the brigade continued to advance along the river.")
    assert explicit(events) == [("continue", "1871-06-04")]


def test_a_by_date_of_a_plan_dates_the_planned_thing_not_the_planning(run):
    text = "In September 1871 the governor envisioned a withdrawal of the garrison by next summer."
    _, events, _ = run(text)
    assert explicit(events) == [("envision", "1871-09-01")]


def test_an_event_that_tested_something_is_the_event_not_the_testing(run):
    text = "Reform in the provinces was again tested by the Harvest Revolt of 1871."
    _, events, _ = run(text)
    assert [trigger for trigger, _ in explicit(events)] == ["Revolt"]


def test_a_person_who_tested_something_still_did_it(run):
    _, events, _ = run("In May 1871 the engineers tested the new bridge.")
    assert explicit(events) == [("test", "1871-05-01")]


def test_a_by_date_inside_the_object_of_a_proposal_dates_nothing(run):
    text = "In a speech on 3 May 1871 the minister proposed a reduction of the fleet by 1875."
    _, events, _ = run(text)
    assert ("propose", "1875-01-01") not in explicit(events)
    assert ("propose", "1871-05-03") in explicit(events)


def test_a_victory_predicted_by_a_date_is_not_dated_by_it(run):
    _, events, _ = run("The marshal confidently predicted victory by Easter 1871.")
    assert explicit(events) == []


def test_an_event_noun_dated_inside_an_activity_kept_up_keeps_its_date(run):
    text = "In 1871 the guild kept trying to sell its hall under a March agreement with the town."
    _, events, _ = run(text)
    assert ("agreement", "1871-03-01") in explicit(events)
    assert not any(trigger in {"keep", "kept", "try"} for trigger, _ in explicit(events))


def test_an_activity_kept_up_over_a_weekend_is_one_happening(run):
    text = "Over the weekend the strikers continued to picket the mill."
    _, events, _ = run(text, "news", dt.date(1871, 5, 8))
    assert "continue" in [trigger for trigger, _ in explicit(events)]
