"""PLOVER typing of triggers with the lexicon in pipeline/events/lexicons/plover, on parses."""

import pytest

from pipeline.events.event_types import load_lexicon, sentence_type


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


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # military senses: soldiers pressing or marching move, they do not demand or protest
        ("The army pressed southward.", ("pressed", "MOBILIZE", "152")),
        ("The march by Union troops ended at the sea.", ("march", "MOBILIZE", "152")),
        ("The march by students ended at the square.", ("march", "PROTEST", "141")),
        ("The unions pressed the government for higher wages.", ("pressed", "REQUEST", "100")),
        # a support verb's event noun gives the type
        ("The army mounted an offensive against the rebels.", ("mounted", "ASSAULT", "190")),
    ],
)
def test_military_senses_and_support_verbs(nlp, sentence, expected):
    assert typed(nlp, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # suspending and halting relations, ending talks or aid: reducing relations (CAMEO 16)
        ("The king suspended trade with the republic.", ("suspended", "SANCTION", "160")),
        ("The duke announced a suspension of the treaty talks.", ("suspension", "SANCTION", "160")),
        ("The envoys ended the negotiations with the rebels.", ("ended", "SANCTION", "160")),
        ("The envoys ended the war with the rebels.", ("ended", "RETREAT", "0871")),
        # accepting demands is acceding to them
        ("The governor accepted the demands of the miners.", ("accepted", "CONCEDE", "083")),
        # an untyped object takes its noun modifier's type
        (
            "The bishop launched a mediation effort between the towns.",
            ("launched", "CONSULT", "045"),
        ),
        # an armed body's surrender is a military one; taking a town back is force
        ("Five hundred rebels surrendered at the fort.", ("surrendered", "RETREAT", "0874")),
        ("The army retook the town.", ("retook", "ASSAULT", "190")),
        ("The army has retaken the town.", ("retaken", "ASSAULT", "190")),
        # a hearing into a matter is an investigation; defying a law is rejecting it
        ("The court opened a hearing into the riots.", ("opened", "ACCUSE", "090")),
        ("The newspaper violated the ban on reports.", ("violated", "REJECT", "128")),
        # the event reported comes before the report; a participle as adjective is no event
        ("Tanks fired shells at the town, witnesses said.", ("fired", "ASSAULT", "183")),
        ("French-led troops attacked the village.", ("attacked", "ASSAULT", "190")),
    ],
)
def test_political_and_military_senses(nlp, sentence, expected):
    assert typed(nlp, sentence) == expected
