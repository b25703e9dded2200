"""The grouping rules on tellings written here: which events are one happening, and why."""

import calendar
import csv
import datetime as dt

import pytest

from pipeline.happenings.rules import (
    FAMILIES,
    Blocks,
    Happening,
    Settings,
    Telling,
    family_of,
    group,
    happening_row,
    load_families,
    memberships,
)

KHRUSHCHEV, KENNEDY, VIENNA = "ent_000000000000000a", "ent_000000000000000b", "ent_000000000000000c"
CASTRO, CUBA, BERLIN = "ent_000000000000000d", "ent_000000000000000e", "ent_000000000000000f"


def telling(
    n: int,
    doc: str,
    lemma: str,
    when: str,
    *roles: tuple[str, str],
    basis: str = "explicit",
    polarity: str = "positive",
    published: dt.date | None = None,
    context: frozenset = frozenset(),
) -> Telling:
    """A telling dated `when`: 1961-06-04 (day), 1961-06 (month), 1961 (year) or 1960s."""
    if when.endswith("s"):
        first, last, precision = (
            dt.date(int(when[:4]), 1, 1),
            dt.date(int(when[:4]) + 9, 12, 31),
            "decade",
        )
    elif len(when) == 4:
        first, last, precision = dt.date(int(when), 1, 1), dt.date(int(when), 12, 31), "year"
    elif len(when) == 7:
        year, month = map(int, when.split("-"))
        first = dt.date(year, month, 1)
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        precision = "month"
    else:
        first = last = dt.date.fromisoformat(when)
        precision = "day"
    return Telling(
        event_id=f"evt_{n:016x}",
        doc_id=doc,
        trigger=lemma,
        family=family_of(lemma, load_families()),
        event_type=None,
        polarity=polarity,
        date_basis=basis,
        precision=precision,
        date_start=first,
        date_end=last,
        year_start=first.year,
        year_end=last.year,
        published=published,
        trigger_start_char=n * 10,
        entities=frozenset(roles),
        context=context,
    )


def groups(*tellings: Telling) -> list[list[str]]:
    """The happenings as lists of event numbers (the last hex digits of the ids)."""
    return [[m.event_id[-2:] for m in h.members] for h in group(tellings)]


def evidence(*tellings: Telling) -> dict[str, list[str]]:
    return {e[-2:]: grouped for e, _, grouped in memberships(group(tellings))}


def test_an_invasion_and_invading_in_the_same_month_are_one_happening():
    found = group(
        [
            telling(1, "doc_a", "invasion", "1961-04", ("location", CUBA)),
            telling(2, "doc_b", "invade", "1961-04", ("location", CUBA)),
        ]
    )
    assert len(found) == 1
    assert found[0].family == "invade"
    assert list(memberships(found))[1][2] == ["family", "date", "participants"]


def test_the_same_summit_dated_a_month_apart_is_one_happening_with_a_conflict():
    found = group(
        [
            telling(1, "doc_a", "summit", "1961-06", ("location", VIENNA)),
            telling(2, "doc_b", "meet", "1961-07", ("agent", KHRUSHCHEV), ("location", VIENNA)),
        ]
    )
    assert len(found) == 1
    row = happening_row(found[0])
    assert row["date_conflict"] == ["1961-06: doc_a", "1961-07: doc_b"]
    assert (row["n_events"], row["n_documents"], row["trigger"]) == (2, 2, "meet")
    assert row["location_ids"] == [VIENNA]
    assert row["agent_ids"] == [KHRUSHCHEV]


def test_dates_a_month_apart_with_no_shared_participant_are_two_happenings():
    assert groups(
        telling(1, "doc_a", "summit", "1961-06", ("location", VIENNA)),
        telling(2, "doc_b", "summit", "1961-07", ("location", BERLIN)),
    ) == [["01"], ["02"]]


def test_dates_years_apart_are_two_happenings_even_with_the_same_participants():
    """ "Khrushchev failed to remove the Americans from Berlin in 1959 ... and 1961": two tries."""
    assert groups(
        telling(1, "doc_a", "remove", "1959-05", ("agent", KHRUSHCHEV), ("location", BERLIN)),
        telling(2, "doc_a", "remove", "1961-08", ("agent", KHRUSHCHEV), ("location", BERLIN)),
    ) == [["01"], ["02"]]


def test_a_year_is_too_coarse_to_conflict_with_a_month():
    found = group(
        [
            telling(1, "doc_a", "invasion", "1961", ("location", CUBA)),
            telling(2, "doc_b", "invade", "1961-04", ("location", CUBA)),
        ]
    )
    assert len(found) == 1
    row = happening_row(found[0])
    assert row["date_conflict"] == []
    assert (row["date_start"], row["precision"]) == (dt.date(1961, 4, 1), "month")


def test_two_different_agents_make_two_acts():
    assert groups(
        telling(1, "doc_a", "visit", "1961-06", ("agent", KENNEDY), ("location", VIENNA)),
        telling(2, "doc_b", "visit", "1961-06", ("agent", CASTRO), ("location", VIENNA)),
    ) == [["01"], ["02"]]


def test_the_agent_of_one_being_the_patient_of_the_other_makes_two_acts():
    """ "Khrushchev agreed to remove the missiles" and "Khrushchev was removed from office"."""
    assert groups(
        telling(1, "doc_a", "remove", "1962", ("agent", KHRUSHCHEV)),
        telling(2, "doc_b", "remove", "1962-10", ("patient", KHRUSHCHEV)),
    ) == [["01"], ["02"]]


def test_a_denied_event_is_not_the_event():
    assert groups(
        telling(1, "doc_a", "invasion", "1962-10", ("location", CUBA)),
        telling(2, "doc_b", "invasion", "1962-10", ("location", CUBA), polarity="negative"),
    ) == [["01"], ["02"]]


def test_a_decade_is_no_evidence_but_documents_naming_the_same_entities_are():
    apart = groups(
        telling(1, "doc_a", "invasion", "1960s"),
        telling(2, "doc_b", "invasion", "1960s"),
    )
    same_story = frozenset({KHRUSHCHEV, KENNEDY, CUBA})
    together = evidence(
        telling(1, "doc_a", "invasion", "1960s", context=same_story),
        telling(2, "doc_b", "invasion", "1960s", context=same_story | {BERLIN}),
    )
    assert apart == [["01"], ["02"]]
    assert together == {"01": [], "02": ["trigger", "context"]}


def test_one_shared_entity_is_not_the_same_story():
    assert Settings().min_shared_entities == 2
    assert groups(
        telling(1, "doc_a", "invasion", "1960s", context=frozenset({CUBA, KENNEDY})),
        telling(2, "doc_b", "invasion", "1960s", context=frozenset({CUBA, CASTRO})),
    ) == [["01"], ["02"]]


def test_within_one_document_the_same_rules_join_the_tellings_of_one_event():
    assert evidence(
        telling(1, "doc_a", "blockade", "1962-10-22", ("agent", KENNEDY)),
        telling(2, "doc_a", "quarantine", "1962-10", ("agent", KENNEDY)),
    ) == {"01": [], "02": ["family", "date", "participants", "context"]}


def test_a_later_document_joins_or_starts_happenings_and_leaves_the_ids_of_the_others():
    """The incremental property: ids hash the family and the first telling."""
    early = [
        telling(
            1, "doc_a", "summit", "1961-06", ("location", VIENNA), published=dt.date(2001, 1, 1)
        ),
        telling(
            2, "doc_a", "invasion", "1961-04", ("location", CUBA), published=dt.date(2001, 1, 1)
        ),
    ]
    late = [
        telling(
            3, "doc_b", "summit", "1961-06", ("location", VIENNA), published=dt.date(2020, 1, 1)
        ),
        telling(
            4, "doc_b", "resign", "1964-10", ("agent", KHRUSHCHEV), published=dt.date(2020, 1, 1)
        ),
    ]
    before = {h.happening_id: [m.event_id for m in h.members] for h in group(early)}
    after = {h.happening_id: [m.event_id for m in h.members] for h in group(early + late)}
    assert set(before) <= set(after)
    assert after[next(iter(before))] == ["evt_0000000000000001", "evt_0000000000000003"]
    row = happening_row(next(h for h in group(early + late) if h.family == "meet"))
    assert (row["first_published"], row["last_published"]) == (
        dt.date(2001, 1, 1),
        dt.date(2020, 1, 1),
    )


def test_an_event_is_compared_with_the_happenings_of_its_blocks_only():
    blocks = Blocks()
    happening = Happening("invade", 0)
    seed = telling(1, "doc_a", "invasion", "1961-04")
    happening.add(seed, ())
    blocks.index(happening, seed)
    assert blocks.candidates(telling(2, "doc_b", "invade", "1961-04-17")) == [happening]
    assert blocks.candidates(telling(3, "doc_b", "invade", "1961")) == [happening]
    assert blocks.candidates(telling(4, "doc_b", "invade", "1983-10")) == []
    assert blocks.candidates(telling(5, "doc_b", "summit", "1961-04")) == []


@pytest.mark.parametrize(
    ("lemma", "family"),
    [
        ("invasion", "invade"),
        ("summit", "meet"),
        ("resignation", "resign"),
        ("unveils", "launch"),
        ("injured", "injure"),
        ("photosynthesis", "photosynthesis"),
    ],
)
def test_trigger_families(lemma, family):
    assert family_of(lemma, load_families()) == family


def test_the_lexicon_lists_each_lemma_once_and_names_families_by_a_member():
    with open(FAMILIES, encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    lemmas = [row["lemma"] for row in rows]
    assert len(lemmas) == len(set(lemmas))
    families = load_families()
    assert all(families[row["family"]] == row["family"] for row in rows)


def test_years_outside_the_calendar_block_and_group():
    """218 BC has years but no dates; both tellings of the crossing are one happening."""
    crossing = [
        Telling(
            event_id=f"evt_{n:016x}",
            doc_id=doc,
            trigger="cross",
            family="cross",
            event_type=None,
            polarity="positive",
            date_basis="explicit",
            precision="year",
            date_start=None,
            date_end=None,
            year_start=-217,
            year_end=-217,
            published=None,
            trigger_start_char=0,
            entities=frozenset({("location", "ent_00000000000000a1")}),
        )
        for n, doc in ((1, "doc_a"), (2, "doc_b"))
    ]
    assert groups(*crossing) == [["01", "02"]]
    assert happening_row(group(crossing)[0])["year_start"] == -217
