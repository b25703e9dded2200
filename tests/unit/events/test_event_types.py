"""PLOVER typing of triggers with the lexicon in pipeline/lexicons/plover, on parsed sentences."""

import csv
import io

import pytest

from pipeline.events.event_types import (
    LEXICON,
    build_rows,
    load_lexicon,
    plover_type,
    read_dictionary,
    read_plover_table,
    sentence_type,
)


def typed(nlp, sentence):
    doc = nlp(sentence)
    token, typing = sentence_type(next(iter(doc.sents)).root, load_lexicon())
    return (
        token.text if token else None,
        typing.plover if typing else None,
        typing.cameo if typing else None,
    )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # bare verbs: their PETRARCH-2 code, mapped to PLOVER
        ("Israeli troops attacked the village.", ("attacked", "ASSAULT", "190")),
        ("The president visited Moscow.", ("visited", "CONSULT", "042")),
        # a pattern refines the verb by its object
        ("The United Nations rushed aid to the region.", ("rushed", "AID", "070")),
        # complements: "agreed to" is AGREE whatever is agreed, "threatened to" THREATEN
        ("Jordan and Britain agreed to hold joint military exercises.", ("agreed", "AGREE", "030")),
        ("The rebels threatened to storm the capital.", ("threatened", "THREATEN", "130")),
        # how the act is told: future help is a promise, a future blockade a threat
        ("The United Nations will provide food aid to refugees.", ("provide", "AGREE", "030")),
        ("Farmers said they would blockade Paris.", ("blockade", "THREATEN", "130")),
        ("Russia said that Sudan must return the helicopter.", ("return", "REQUEST", "100")),
        ("Syria will not accept any more refugees.", ("accept", "REJECT", "120")),
        # event nouns, and reporting verbs (CAMEO 01) that have no PLOVER type
        ("The invasion of Kuwait shocked the world.", ("invasion", "COERCE", "192")),
    ],
)
def test_sentences_get_their_plover_type(nlp, sentence, expected):
    assert typed(nlp, sentence) == expected


def test_statements_have_no_type(nlp):
    assert typed(nlp, "The minister said nothing.") == (None, None, None)


def test_plover_table_falls_back_to_the_parent_code():
    table = {"03": "AGREE", "030": "AGREE", "16": "SANCTION", "163": "COERCE", "01": None}
    assert plover_type("0311", table) == "AGREE"
    assert plover_type("1631", table) == "COERCE"
    assert plover_type("161", table) == "SANCTION"
    assert plover_type("010", table) is None


def test_generated_lexicon_matches_the_reference_files(shared_data):
    """verbs.csv/patterns.csv are what the build step makes from the reference data."""
    source = shared_data / "events"
    if not (source / "petrarch2" / "CAMEO.2.0.txt").is_file():
        pytest.skip(f"reference data not found under {source}")
    verbs, patterns, _ = build_rows(
        read_dictionary(source / "petrarch2" / "CAMEO.2.0.txt"),
        read_plover_table(source / "plover" / "CAMEO2PLOVER-2021.txt"),
    )
    lines = [
        line
        for line in (LEXICON / "verbs.csv").read_text().splitlines()
        if not line.startswith("#")
    ]
    stored = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert stored == verbs
    assert len(patterns) > 4000
    by_verb = {(v["verb"], v["particle"]): v for v in verbs}
    assert by_verb[("invade", "")]["plover"] == "COERCE"  # CAMEO 192, occupy territory
    assert by_verb[("say", "")]["plover"] == ""  # CAMEO 010: no PLOVER event
