"""Event extraction on real sentences parsed by the real model."""

import datetime as dt
from collections import Counter

import pytest
from spacy.tokens import Doc

from pipeline.core import ids
from pipeline.core.config import EventParams
from pipeline.events.extract import (
    Resources,
    datable,
    document_events,
    join_ranges,
    timex_records,
)
from pipeline.events.kb import load_knowledge_base
from pipeline.events.mentions import correct_document
from pipeline.nlp.store import entity_span_rows

RESOURCES = Resources.load()


def timex(
    doc,
    text,
    start_at=0,
    value="1962",
    start=dt.date(1962, 1, 1),
    end=dt.date(1962, 12, 31),
    precision="year",
    type_="DATE",
):
    begin = doc.text.index(text, start_at)
    return {
        "timex_id": ids.span_id("timex", "doc_t", begin, begin + len(text)),
        "sentence_id": "sen_0000000000000000",
        "start_char": begin,
        "end_char": begin + len(text),
        "type": type_,
        "value": value,
        "date_start": start,
        "date_end": end,
        "year_start": start.year if start else None,
        "year_end": end.year if end else None,
        "precision": precision,
        "range_role": None,
        "range_timex_id": None,
    }


NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
ONE_SENTENCE = [{"sentence_id": "sen_0000000000000000", "start_char": 0}]


def model_spans(doc: Doc, exclude: frozenset[str] = NOT_NAMES) -> list[dict]:
    """The model's entity spans as the nlp stage stores them, the text taken as one sentence."""
    return entity_span_rows("doc_t", 0, doc, ONE_SENTENCE, {e.label_ for e in doc.ents} - exclude)


def parse(nlp, text, timexes):
    doc = nlp(text)
    spans = model_spans(doc)
    found, _ = correct_document(spans, text, load_knowledge_base())
    frame = timex_records(
        [timex(doc, *t) if isinstance(t, tuple) else timex(doc, t) for t in timexes]
    )
    return doc, frame, {m.mention_id: m for m in found}


def extract(nlp, text, timexes, skipped=None):
    doc, frame, mentions = parse(nlp, text, timexes)
    out = list(
        document_events(
            doc,
            "doc_t",
            frame,
            list(mentions.values()),
            RESOURCES,
            EventParams(),
            Counter() if skipped is None else skipped,
        )
    )
    return [
        (
            event,
            [
                (
                    p["role"],
                    p["text"],
                    mentions[p["mention_id"]].name if p["mention_id"] else None,
                    p["resolution"],
                )
                for p in parts
            ],
        )
        for event, parts in out
    ]


def test_pronoun_subject_resolves_to_previous_person(nlp):
    text = (
        "Soviet leader Nikita Khrushchev was a volatile personality. In March 1962, during "
        "a visit to Bulgaria, he decided to install nuclear missiles on Cuba."
    )
    [(event, parts), (visit, _)] = extract(
        nlp,
        text,
        [("March 1962", 0, "1962-03", dt.date(1962, 3, 1), dt.date(1962, 3, 31), "month")],
    )
    assert (event["trigger"], visit["trigger"]) == ("decide", "visit")  # the visit's occasion
    assert event["precision"] == "month"
    assert ("agent", "he", "Nikita Khrushchev", "pronoun") in parts
    assert ("location", "Bulgaria", "Bulgaria", "mention") in parts
    assert event["text"].startswith("In March 1962") and event["text"].endswith("on Cuba")


def test_two_dates_in_one_clause_give_two_events(nlp):
    text = (
        "Khrushchev had failed to remove the Americans and their allies from the divided "
        "city of Berlin in 1959 and 1961."
    )
    events = extract(
        nlp,
        text,
        [
            ("1959", 0, "1959", dt.date(1959, 1, 1), dt.date(1959, 12, 31)),
            ("1961", 0, "1961", dt.date(1961, 1, 1), dt.date(1961, 12, 31)),
        ],
    )
    assert [e["trigger"] for e, _ in events] == ["remove", "remove"]
    assert [e["date_start"].year for e, _ in events] == [1959, 1961]
    assert len({e["event_id"] for e, _ in events}) == 2
    for _, parts in events:
        assert ("agent", "Khrushchev", "Khrushchev", "mention") in parts
        assert ("location", "Berlin", "Berlin", "mention") in parts


def test_passive_by_agent_and_coordinated_names(nlp):
    text = (
        "In 1964, Khrushchev was replaced by the bland party leader Leonid Brezhnev and "
        "Alexei Kosygin as head of government."
    )
    [(event, parts)] = extract(
        nlp, text, [("1964", 0, "1964", dt.date(1964, 1, 1), dt.date(1964, 12, 31))]
    )
    assert event["trigger"] == "replace"
    roles = {(role, name) for role, _, name, _ in parts}
    assert ("patient", "Khrushchev") in roles
    assert ("agent", "Leonid Brezhnev") in roles and ("agent", "Alexei Kosygin") in roles


def test_of_phrase_and_place_attached_to_the_date(nlp):
    text = (
        "U2 planes had violated Soviet airspace until a Soviet missile downed the plane of "
        "Gary Powers on May 1, 1960, over Sverdlovsk."
    )
    [(event, parts)] = extract(
        nlp,
        text,
        [("May 1, 1960", 0, "1960-05-01", dt.date(1960, 5, 1), dt.date(1960, 5, 1), "day")],
    )
    assert (event["trigger"], event["trigger_pos"]) == ("down", "VERB")
    assert ("patient", "the plane of Gary Powers", "Gary Powers", "of_phrase") in parts
    assert ("location", "Sverdlovsk", "Sverdlovsk", "mention") in parts


def test_event_noun_in_subject_is_the_trigger(nlp):
    text = (
        "The abortive Bay of Pigs invasion by Cuban exiles in April 1961, backed by the CIA, "
        "was perhaps the turning point for Castro."
    )
    [(event, parts)] = extract(
        nlp,
        text,
        [("April 1961", 0, "1961-04", dt.date(1961, 4, 1), dt.date(1961, 4, 30), "month")],
    )
    assert (event["trigger"], event["trigger_pos"]) == ("invasion", "NOUN")
    assert ("location", "Bay of Pigs", "Bay of Pigs", "mention") in parts


def test_relative_pronoun_subject_links_through_the_copula(nlp):
    text = (
        "Soviet leader Nikita Khrushchev was a volatile personality who in 1962 "
        "encountered serious domestic opposition."
    )
    [(event, parts)] = extract(nlp, text, ["1962"])
    assert event["trigger"] == "encounter"
    assert ("agent", "who", "Nikita Khrushchev", "relative_pronoun") in parts


@pytest.mark.parametrize("type_", ["SET"])
def test_expressions_without_a_dated_type_give_no_event(nlp, type_):
    text = "Khrushchev visited Cuba every year in 1962."
    assert (
        extract(
            nlp,
            text,
            [("1962", 0, "1962", dt.date(1962, 1, 1), dt.date(1962, 12, 31), "year", type_)],
        )
        == []
    )


def test_two_heads_inside_one_mention_are_one_participant(nlp):
    # A firm's name joined by "&": "Marston" and "Hale" are both coordinated subjects, but
    # they lie in one ORG mention, which must give one participant row, not two with one id.
    text = (
        "Asahi, Kirin and Marston & Hale have all bought stakes in Brazilian soft drinks "
        "makers in the last two years."
    )
    [(_, parts)] = extract(
        nlp,
        text,
        [
            (
                "the last two years",
                0,
                "P2Y",
                dt.date(2003, 1, 1),
                dt.date(2004, 12, 31),
                "year",
                "DURATION",
            )
        ],
    )
    agents = [name for role, _, name, _ in parts if role == "agent"]
    assert agents == ["Asahi", "Kirin", "Marston & Hale"]


YEAR = ("1962", 0, "1962", dt.date(1962, 1, 1), dt.date(1962, 12, 31), "year")


def one(nlp, text, date=YEAR):
    [(event, parts)] = extract(nlp, text, [date])
    return event, parts


def test_failed_attempted_negated_and_hypothetical_events(nlp):
    failed, _ = one(nlp, "Khrushchev had failed to remove the Americans from Berlin in 1962.")
    assert (failed["trigger"], failed["modality"], failed["polarity"]) == (
        "remove",
        "failed",
        "positive",
    )
    # the date is in the summit's phrase: the summit and the browbeating at it are both dated
    tried = extract(nlp, "He had tried to browbeat the president at a summit in 1962.", [YEAR])
    assert [(e["trigger"], e["modality"], e["event_type"]) for e, _ in tried] == [
        ("summit", "asserted", "CONSULT"),
        ("browbeat", "attempted", None),
    ]
    denied, _ = one(nlp, "In 1962, Kennedy did not make this link public.")
    assert (denied["trigger"], denied["polarity"]) == ("make", "negative")
    # the refusal happened (a REJECT event); what was refused did not
    refused, _ = one(nlp, "In 1962, Eisenhower refused to issue an apology.")
    assert (refused["trigger"], refused["polarity"], refused["event_type"]) == (
        "refuse",
        "positive",
        "REJECT",
    )
    refusal = extract(nlp, "Eisenhower refused to issue an apology in 1962.", [YEAR])
    assert ("issue", "negative") in {(e["trigger"], e["polarity"]) for e, _ in refusal}
    shed, _ = one(
        nlp,
        "The Americans understood that if Soviet blood were shed in 1962, steps would be taken.",
    )
    assert (shed["trigger"], shed["modality"]) == ("shed", "hypothetical")
    plain, _ = one(nlp, "In 1962, Khrushchev visited Bulgaria.")
    assert (plain["modality"], plain["polarity"]) == ("asserted", "positive")


def test_event_nouns_and_verbs_get_plover_types(nlp):
    invasion, parts = one(
        nlp,
        "The abortive Bay of Pigs invasion by Cuban exiles in April "
        "1961, backed by the CIA, was the turning point for Castro.",
        ("April 1961", 0, "1961-04", dt.date(1961, 4, 1), dt.date(1961, 4, 30), "month"),
    )
    assert (invasion["trigger"], invasion["event_type"], invasion["cameo_code"]) == (
        "invasion",
        "COERCE",
        "192",
    )
    assert invasion["modality"] == "failed"  # "abortive"
    assert ("agent", "Cuban exiles", None, "none") in parts
    assert ("other", "CIA", "CIA", "mention") in parts
    visited, _ = one(nlp, "In 1962, Khrushchev visited Bulgaria.")
    assert (visited["event_type"], visited["cameo_code"]) == ("CONSULT", "042")
    said, _ = one(nlp, "In 1962, Khrushchev said nothing.")
    assert said["event_type"] is None  # CAMEO 01 (statements) has no PLOVER type


def test_title_refers_back_to_the_person_introduced_with_it(nlp):
    text = (
        "Soviet leader Nikita Khrushchev was a volatile personality. United States "
        "President Dwight Eisenhower was cautious. In 1962, the Soviet leader visited "
        "Bulgaria."
    )
    _, parts = one(nlp, text)
    assert ("agent", "the Soviet leader", "Nikita Khrushchev", "title") in parts


def test_title_without_a_matching_person_stays_unlinked(nlp):
    _, parts = one(nlp, "Nikita Khrushchev was volatile. In 1962, the president visited Bulgaria.")
    assert ("agent", "the president", None, "none") in parts


def test_they_refers_to_a_named_group_but_not_to_a_common_noun(nlp):
    _, parts = one(nlp, "The Soviets had lost face. In 1962, they installed missiles in Cuba.")
    assert ("agent", "they", "Soviets", "pronoun") in parts
    _, parts = one(nlp, "The missiles were obsolete. In 1962, they reached Cuba.")
    assert ("agent", "they", None, "none") in parts


def test_named_participant_in_a_prepositional_phrase_is_other(nlp):
    _, parts = one(
        nlp,
        "In 1962, Robert Kennedy averted the crisis through talks with Soviet "
        "Ambassador Anatoly Dobrynin.",
    )
    assert ("agent", "Robert Kennedy", "Robert Kennedy", "mention") in parts
    assert ("other", "Anatoly Dobrynin", "Anatoly Dobrynin", "mention") in parts


APPEAL = (
    "The Moscow Times needs your help more than ever as we cover this devastating "
    "invasion, as we have since February 2022."
)


def test_publisher_appeal_gives_no_event(nlp):
    story = "In 1962, Khrushchev sent missiles to Cuba. "
    date = ("February 2022", 0, "2022-02", dt.date(2022, 2, 1), dt.date(2022, 2, 28), "month")
    skipped = Counter()
    events = extract(nlp, story + APPEAL, [YEAR, date], skipped)
    assert [e["trigger"] for e, _ in events] == ["send"]
    assert skipped["in_boilerplate"] == 1
    # the same dated sentence without the appeal's cue is part of the story
    plain = story + "We have covered this devastating invasion since February 2022."
    assert len(extract(nlp, plain, [YEAR, date])) == 2


def test_title_of_another_office_or_person_is_not_resolved(nlp):
    text = "Shadow chancellor Oliver Letwin spoke first. In 1962, the chancellor cut taxes."
    _, parts = one(nlp, text)
    assert ("agent", "the chancellor", None, "none") in parts
    text = "Prime Minister Tony Blair spoke. In 1962, the prime minister visited Bulgaria."
    _, parts = one(nlp, text)
    assert ("agent", "the prime minister", "Tony Blair", "title") in parts
    text = "Prime Minister Tony Blair spoke. In 1962, the former prime minister visited Paris."
    _, parts = one(nlp, text)
    assert ("agent", "the former prime minister", None, "none") in parts


def test_a_range_dates_one_event_over_its_whole_interval(nlp):
    text = "The poet taught at the college between 1848 and 1851."
    doc = nlp(text)
    first = timex(doc, "1848", 0, "1848", dt.date(1848, 1, 1), dt.date(1848, 12, 31))
    second = timex(doc, "1851", 0, "1851", dt.date(1851, 1, 1), dt.date(1851, 12, 31))
    first.update(range_role="start", range_timex_id=second["timex_id"])
    second.update(range_role="end", range_timex_id=first["timex_id"])
    skipped = Counter()
    records = join_ranges(timex_records([first, second]), skipped)
    events = list(document_events(doc, "doc_t", records, [], RESOURCES, EventParams(), skipped))
    [(event, _)] = events
    assert event["trigger"] == "teach" and event["timex_id"] == first["timex_id"]
    assert (event["date_start"], event["date_end"]) == (dt.date(1848, 1, 1), dt.date(1851, 12, 31))
    assert (event["year_start"], event["year_end"], event["precision"]) == (1848, 1851, "year")
    assert skipped["range_end"] == 1


def test_a_bc_date_dates_an_event_by_its_years():
    bc = {"timex_id": "tmx_1", "type": "DATE", "date_start": None, "date_end": None}
    bc.update(year_start=-217, year_end=-217, precision="year", range_timex_id=None)
    [record] = timex_records([bc])
    assert datable(record, EventParams())


def test_a_role_is_not_a_place(nlp):
    _, parts = extract(
        nlp,
        "Spain entered the war as an ally of France in 1796.",
        [("1796", 0, "1796", dt.date(1796, 1, 1), dt.date(1796, 12, 31))],
    )[0]
    assert ("agent", "Spain", "Spain", "mention") in parts
    assert not [p for p in parts if p[0] == "location"]


def test_a_verb_prefix_written_apart_is_not_the_agent(nlp):
    _, parts = one(nlp, "In 1962 the Austrian counter attacked.")
    assert [p[:2] for p in parts if p[0] == "agent"] == [("agent", "Austrian")]


def test_a_name_of_place_is_the_person_not_the_place(nlp):
    text = "In 1962 Emperor Karl of Austria attempted negotiations."
    doc, frame, mentions = parse(nlp, text, ["1962"])
    places = [m for m in mentions.values() if m.label == "GPE"]  # as if the name were missed
    events = list(document_events(doc, "doc_t", frame, places, RESOURCES, EventParams(), Counter()))
    agents = [p for _, parts in events for p in parts if p["role"] == "agent"]
    assert agents and all(p["mention_id"] is None for p in agents)
    assert "Karl" in agents[0]["text"]


def test_a_passive_conjunct_shares_its_subject_as_what_undergoes_it(nlp):
    text = "The old council ended its sittings and was replaced by a military junta in 1850."
    year = ("1850", 0, "1850", dt.date(1850, 1, 1), dt.date(1850, 12, 31))
    events = extract(nlp, text, [year])
    replaced = [parts for event, parts in events if event["trigger"] == "replace"]
    assert replaced, [event["trigger"] for event, _ in events]
    roles = {(role, words) for role, words, _, _ in replaced[0]}
    assert ("agent", "a military junta") in roles
    assert ("patient", "The old council") in roles


def test_a_year_that_holds_the_day_of_the_same_trigger_adds_no_second_event(nlp):
    # One passing, dated by its day; the year it sits in is no second passing.
    text = "On March 3 of that year, the assembly passed the salt law."
    day = ("March 3", 0, "1788-03-03", dt.date(1788, 3, 3), dt.date(1788, 3, 3), "day")
    year = ("that year", 0, "1788", dt.date(1788, 1, 1), dt.date(1788, 12, 31), "year")
    skipped = Counter()
    events = extract(nlp, text, [day, year], skipped)
    assert [(e["trigger"], e["date_start"], e["precision"]) for e, _ in events] == [
        ("pass", dt.date(1788, 3, 3), "day")
    ]
    assert skipped["finer_date_of_same_trigger"] == 1


def test_dates_that_do_not_hold_one_another_still_give_an_event_each(nlp):
    text = "The garrisons surrendered at Tarvik on June 2 and at Omsel on July 9."
    june = ("June 2", 0, "1712-06-02", dt.date(1712, 6, 2), dt.date(1712, 6, 2), "day")
    july = ("July 9", 0, "1712-07-09", dt.date(1712, 7, 9), dt.date(1712, 7, 9), "day")
    events = extract(nlp, text, [june, july])
    assert [(e["trigger"], e["date_start"].month) for e, _ in events] == [
        ("surrender", 6),
        ("surrender", 7),
    ]
