"""The roles of a verb's arguments when the parser reads a passive as active."""

import pytest

from pipeline.events.arguments import undergoes, verb_arguments


def roles(nlp, text, verb):
    doc = nlp(text)
    token = next(t for t in doc if t.text == verb)
    return undergoes(token), [(role, t.text) for role, t in verb_arguments(token)]


@pytest.mark.parametrize(
    ("text", "verb", "expected"),
    [
        # a participle set off by commas right after its noun: the noun undergoes it
        (
            "The rebel army, checked at last, returned to the hills.",
            "checked",
            (True, [("patient", "army")]),
        ),
        # an appointing verb after a passive, its auxiliary left out, an office as object
        (
            "The ministers were arrested and the admiral proclaimed the Supreme Ruler.",
            "proclaimed",
            (True, [("patient", "admiral")]),
        ),
    ],
)
def test_the_subject_undergoes_a_passive_the_parser_read_as_active(nlp, text, verb, expected):
    assert roles(nlp, text, verb) == expected


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        # an apposition or a participle phrase inside the subject closes with its own comma
        ("General Smith, the leader of the northern armies, died of a fever.", "died"),
        ("The army, led by a young colonel, recaptured the town and held it.", "recaptured"),
        ("The army, however, retreated to the river and crossed it.", "retreated"),
        # an active appointing verb with an office and a person, or a thing made
        ("The ministers were arrested and the assembly proclaimed the republic.", "proclaimed"),
    ],
)
def test_an_active_verb_keeps_its_doer(nlp, text, verb):
    did, found = roles(nlp, text, verb)
    assert not did and found[0][0] == "agent"


def test_a_subject_after_the_comma_before_its_verb_is_no_set_off_noun(nlp):
    # parsed by hand: "Then , returned the army ." with the subject after its verb
    from spacy.tokens import Doc

    words = ["Then", ",", "returned", "the", "army", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        heads=[2, 2, 2, 4, 2, 2],
        deps=["advmod", "punct", "ROOT", "det", "nsubj", "punct"],
        tags=["RB", ",", "VBD", "DT", "NN", "."],
    )
    assert not undergoes(doc[2])
