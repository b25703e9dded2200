"""Canonical entities across documents: aliases, demonyms, the user's KB, confidence, places."""

import pickle
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.entities.geocode import build_gazetteer, load_gazetteer
from pipeline.entities.stage import build
from pipeline.events.kb import KnowledgeBaseError, load_knowledge_base
from pipeline.events.mentions import correct_document


def spans(doc, text, *named):
    out, start = [], 0
    for fragment, label in named:
        start = text.index(fragment, start)
        out.append(
            {
                "doc_id": doc,
                "sentence_id": "sen_0000000000000000",
                "start_char": start,
                "end_char": start + len(fragment),
                "text": fragment,
                "label": label,
                "pos": "PROPN",
            }
        )
        start += len(fragment)
    return out


def corpus(kb, *docs):
    mentions = []
    for doc_id, text, named in docs:
        mentions += correct_document(spans(doc_id, text, *named), text, kb)[0]
    return build(mentions, kb, load_gazetteer())


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def test_aliases_and_demonyms_join_their_country(kb):
    mentions, entities = corpus(
        kb,
        (
            "doc_a",
            "The USSR and the Soviet Union; Soviet troops; the Soviets.",
            [("USSR", "GPE"), ("Soviet Union", "GPE"), ("Soviet", "NORP"), ("Soviets", "NORP")],
        ),
        (
            "doc_b",
            "The U.S. and America and the United States.",
            [("U.S.", "GPE"), ("America", "GPE"), ("United States", "GPE")],
        ),
    )
    by_name = entities.set_index("name")
    soviet = by_name.loc["Soviet Union"]
    assert (soviet["label"], soviet["n_mentions"], soviet["qid"]) == ("GPE", 4, "Q15180")
    assert by_name.loc["United States", "n_mentions"] == 3
    how = dict(zip(mentions["text"], mentions["resolution"], strict=True))
    assert how == {
        "USSR": "alias",
        "Soviet Union": "name",
        "Soviet": "demonym",
        "Soviets": "demonym",
        "U.S.": "alias",
        "America": "alias",
        "United States": "name",
    }
    # the demonym keeps its own label; its entity is the country
    assert set(mentions.loc[mentions["text"] == "Soviet", "label"]) == {"NORP"}


def test_surname_joins_the_full_name_within_and_across_documents(kb):
    mentions, entities = corpus(
        kb,
        (
            "doc_a",
            "Nikita Khrushchev spoke. Khrushchev left.",
            [("Nikita Khrushchev", "PERSON"), ("Khrushchev", "NORP")],
        ),
        ("doc_b", "Khrushchev returned.", [("Khrushchev", "PERSON")]),
    )
    assert list(entities["name"]) == ["Nikita Khrushchev"]
    assert list(mentions["resolution"]) == ["name", "surname", "surname"]
    # two model labels out of three agree with PERSON; three mentions give 1 - 0.5**3
    assert entities["confidence"].iloc[0] == pytest.approx(2 / 3 * 0.875, abs=1e-3)


def test_places_are_geocoded_including_historical_names(kb):
    _, entities = corpus(
        kb,
        (
            "doc_a",
            "Sverdlovsk, Leningrad, West Germany, Vienna, the Bay of Pigs.",
            [
                ("Sverdlovsk", "GPE"),
                ("Leningrad", "GPE"),
                ("West Germany", "GPE"),
                ("Vienna", "GPE"),
                ("Bay of Pigs", "LOC"),
            ],
        ),
    )
    rows = entities.set_index("name")
    assert tuple(rows.loc["Sverdlovsk", ["country_code", "geo_precision"]]) == ("SU", "city")
    assert rows.loc["Sverdlovsk", "latitude"] == pytest.approx(56.86, abs=0.01)  # Yekaterinburg
    assert rows.loc["Leningrad", "country_code"] == "SU"
    assert tuple(rows.loc["West Germany", ["country_code", "geo_precision"]]) == ("DE", "country")
    assert rows.loc["Vienna", "country_code"] == "AT"
    assert pd.isna(rows.loc["Bay of Pigs", "geo_precision"])


def test_user_knowledge_base_adds_names_labels_and_qids(tmp_path):
    user = tmp_path / "kb.csv"
    user.write_text(
        "# people we know\nalias,canonical,label,qid\n"
        "Kennedy,John F. Kennedy,PERSON,Q9696\n"
        "JFK,John F. Kennedy,PERSON,Q9696\n",
        encoding="utf-8",
    )
    kb = load_knowledge_base(user)
    mentions, entities = corpus(
        kb, ("doc_a", "Kennedy, called JFK, left.", [("Kennedy", "NORP"), ("JFK", "ORG")])
    )
    assert list(entities["name"]) == ["John F. Kennedy"]
    # the user's label wins over the model's (NORP, ORG); a given name is not a guess
    assert tuple(entities.iloc[0][["label", "qid", "confidence"]]) == ("PERSON", "Q9696", 1.0)
    assert set(mentions["resolution"]) == {"kb"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Khrushchev,Nikita Khrushchev,PERSONA,", "label 'PERSONA'"),
        ("Khrushchev,Nikita Khrushchev,PERSON,35492", "qid '35492'"),
        (",Nikita Khrushchev,PERSON,", "empty alias"),
    ],
)
def test_bad_knowledge_base_rows_are_named(tmp_path, row, message):
    user = tmp_path / "kb.csv"
    user.write_text(f"alias,canonical,label,qid\n{row}\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message) as err:
        load_knowledge_base(user)
    assert "row 2" in str(err.value)


def test_missing_knowledge_base_is_reported():
    with pytest.raises(FileNotFoundError, match=r"entities\.kb"):
        load_knowledge_base(Path("no/such/kb.csv"))


def test_the_gazetteer_is_cached_and_rebuilt_when_damaged(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))
    load = load_gazetteer.__wrapped__  # without the in-process memo
    built = build_gazetteer(15000)
    assert load(15000) == built  # built, then written
    (cached,) = tmp_path.rglob("gazetteer-15000-*.pickle")
    assert pickle.loads(cached.read_bytes()) == built
    assert load(15000) == built  # read back
    cached.write_bytes(b"not a gazetteer")
    assert load(15000) == built  # rebuilt
    assert pickle.loads(cached.read_bytes()) == built
    assert built.lookup("Wien").country_code == "AT"


@pytest.mark.parametrize(
    ("name", "country", "precision"),
    [
        ("Florida", "US", "admin1"),  # not the town in Cuba
        ("Montana", "US", "admin1"),  # not the town in Bulgaria
        ("Wyoming", "US", "admin1"),  # not the town in Michigan
        ("Washington", "US", "city"),  # the capital wins over the state
        ("Paris", "FR", "city"),
    ],
)
def test_a_first_level_division_wins_over_a_city_of_its_name_unless_a_capital(
    name, country, precision
):
    found = load_gazetteer().lookup(name)
    assert (found.country_code, found.precision) == (country, precision)


def test_no_us_state_resolves_to_a_foreign_city():
    gazetteer = load_gazetteer()
    found = {key: gazetteer.lookup(key) for key in gazetteer.states}
    abroad = [key for key, place in found.items() if place.country_code != "US"]
    assert abroad == ["georgia"]  # the country's name comes first, as for every country
    assert found["georgia"].precision == "country"


@pytest.mark.parametrize(
    ("name", "country"),
    [("Ontario", "CA"), ("Kent", "GB"), ("Bavaria", "DE"), ("Punjab", "PK")],
)
def test_a_well_known_region_wins_over_a_city_of_its_name(name, country):
    found = load_gazetteer().lookup(name)
    assert (found.country_code, found.precision) == (country, "admin1")


def places_of(kb, *docs):
    """The entities table's place columns, by name, of documents of places only."""
    built = corpus(
        kb,
        *(
            (f"doc_{n}", ", ".join(names) + ".", [(name, "GPE") for name in names])
            for n, names in enumerate(docs)
        ),
    )[1]
    return built.set_index("name")[["country_code", "geo_precision"]].apply(tuple, axis=1)


def test_a_city_goes_to_the_country_of_its_documents_other_towns(kb):
    places = places_of(kb, ["Perth", "Glasgow"], ["Perth", "Glasgow", "Hamilton"], ["Hamilton"])
    assert places["Perth"] == ("GB", "city")  # beside Glasgow, not in Australia
    assert places["Hamilton"] == ("CA", "city")  # one of two documents: no majority, the default


def test_a_city_stays_the_well_known_one_without_local_evidence(kb):
    places = places_of(kb, ["Perth", "United Kingdom"], ["Athens", "Atlanta"])
    assert places["Perth"] == ("AU", "city")  # a country named is only a party to the story
    assert places["Athens"] == ("GR", "city")  # a national capital never moves


def test_a_country_name_becomes_a_division_only_from_its_documents(kb):
    assert places_of(kb, ["Georgia", "Atlanta"])["Georgia"] == ("US", "admin1")
    assert places_of(kb, ["Georgia", "Moscow"])["Georgia"] == ("GE", "country")
    assert places_of(kb, ["Kent", "Seattle"])["Kent"] == ("GB", "admin1")  # never a town


def test_a_second_full_name_leaves_a_lone_surname_in_another_document_unjoined(kb):
    docs = [
        ("doc_a", "Nikita Khrushchev spoke.", [("Nikita Khrushchev", "PERSON")]),
        ("doc_b", "Khrushchev returned.", [("Khrushchev", "PERSON")]),
    ]
    mentions, _ = corpus(kb, *docs)
    assert list(mentions["resolution"]) == ["name", "surname"]
    joined = mentions.set_index("doc_id")["entity_id"]
    assert joined["doc_a"] == joined["doc_b"]
    # doc_c names another Khrushchev: "Khrushchev" in doc_b may be either, so it is its own
    mentions, entities = corpus(
        kb, *docs, ("doc_c", "Sergei Khrushchev wrote.", [("Sergei Khrushchev", "PERSON")])
    )
    assert list(mentions["resolution"]) == ["name", "name", "name"]
    assert sorted(entities["name"]) == ["Khrushchev", "Nikita Khrushchev", "Sergei Khrushchev"]


def test_a_corpus_without_names_gives_empty_tables(kb):
    # A corpus whose model found no names (a blank pipeline, a list of numbers) still builds.
    mentions, entities = corpus(kb, ("doc_a", "It rained on 3 May 1850.", []))
    assert (len(mentions), len(entities)) == (0, 0)
