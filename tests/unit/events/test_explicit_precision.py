"""Explicitly dated events: failures, orders of events, trends, causatives and named days.

Each test tells a small story of its own; the rules are general rules of English.
"""

import pytest


def _events(run_stages, text: str) -> list[tuple[dict, list[tuple[str, str]]]]:
    """Each event of the text with its (role, text) arguments."""
    _, out = run_stages(text)
    arguments = out["arguments"]
    return [
        (e, [(a["role"], a["text"]) for a in arguments if a["event_id"] == e["event_id"]])
        for e in out["events"]
    ]


def _by_trigger(run_stages, text: str) -> dict[str, tuple[dict, list[tuple[str, str]]]]:
    return {e["trigger"]: (e, args) for e, args in _events(run_stages, text)}


def test_a_verb_coordinated_with_a_failed_complement_failed_too(run_stages):
    found = _by_trigger(
        run_stages, "The rebels failed to cross the river and take the fort in June 1851."
    )
    event, _ = found["take"]
    assert (event["modality"], event["date_start"].isoformat()) == ("failed", "1851-06-01")


def test_what_a_subject_was_unable_to_do_is_told_as_failed(run_stages):
    found = _by_trigger(
        run_stages,
        "The dockers had been unable to organize and strike against the owners in 1851.",
    )
    assert found["strike"][0]["modality"] == "failed"


def test_done_complements_stay_asserted(run_stages):
    found = _by_trigger(run_stages, "The rebels crossed the river and took the fort in June 1851.")
    assert found["take"][0]["modality"] == "asserted"


def test_this_followed_an_event_dates_that_event_with_no_doer(run_stages):
    found = _by_trigger(run_stages, "This followed the parliamentary vote in October 1851.")
    assert "follow" not in found
    event, arguments = found["vote"]
    assert event["date_start"].isoformat() == "1851-10-01"
    assert not [text for role, text in arguments if role == "agent"]


def test_following_a_road_is_still_an_event(run_stages):
    found = _by_trigger(run_stages, "The scouts followed the river north in May 1851.")
    assert ("agent", "The scouts") in found["follow"][1]


@pytest.mark.parametrize(
    "text",
    [
        "The debt grew steadily in 1851.",
        "Grain prices continued to rise in 1851.",
        "Grain prices kept rising in 1851.",
    ],
)
def test_a_change_told_as_going_on_is_a_trend_not_an_event(run_stages, text):
    triggers = {e["trigger"] for e, _ in _events(run_stages, text)}
    assert not triggers & {"grow", "rise"}


def test_a_change_with_a_plain_date_is_an_event(run_stages):
    found = _by_trigger(run_stages, "Grain prices rose sharply in May 1851.")
    assert found["rise"][0]["date_start"].isoformat() == "1851-05-01"


def test_the_one_who_had_someone_arrested_is_the_agent(run_stages):
    found = _by_trigger(
        run_stages,
        "The duke, however, disliked Ortega and had him arrested on polling day in 1851.",
    )
    _, arguments = found["arrest"]
    assert ("agent", "The duke") in arguments
    assert ("patient", "him") in arguments
    assert ("agent", "him") not in arguments


def test_the_one_who_got_prisoners_released_is_the_agent(run_stages):
    found = _by_trigger(run_stages, "The bishop got the prisoners released in 1851.")
    _, arguments = found["release"]
    assert ("agent", "The bishop") in arguments
    assert ("patient", "the prisoners") in arguments


def test_an_event_after_there_was_takes_no_subject_of_the_main_clause(run_stages):
    found = _by_trigger(
        run_stages,
        "The crisis came to a head in early 1852 when there were violent clashes between "
        "the guilds and the army.",
    )
    _, arguments = found["clash"]
    assert ("agent", "The crisis") not in arguments


@pytest.mark.parametrize(
    ("text", "day"),
    [
        (
            "In 1851 the republic fell. The regent proclaimed 4 March, the anniversary of the "
            "treaty, as a day of mourning.",
            "1851-03-04",
        ),
        ("The assembly chose 9 June 1851 as the day of the vote.", "1851-06-09"),
        ("In 1851 the mayor asked that 14 May be designated a civic holiday.", "1851-05"),
        ("In 1851 the senators demanded 12 August be made a day of rest.", "1851-08-12"),
        ("In 1851 the guilds urged 12 August be declared a day of rest.", "1851-08-12"),
    ],
)
def test_a_day_a_verb_names_does_not_date_the_verb(run_stages, text, day):
    dates = {
        e["date_start"].isoformat()
        for e, _ in _events(run_stages, text)
        if e["date_start"] is not None
    }
    assert not {d for d in dates if d.startswith(day)}


def test_a_day_of_a_proclamation_still_dates_it(run_stages):
    found = _by_trigger(run_stages, "The regent proclaimed a day of mourning on 4 March 1851.")
    assert found["proclaim"][0]["date_start"].isoformat() == "1851-03-04"
