"""The publisher's appeal at the end of the sample document is recognised as boilerplate."""

from pathlib import Path

from pipeline.events.boilerplate import boilerplate_start

SAMPLE = Path(__file__).resolve().parents[3] / "raw" / "cuban-missile-crisis-reconsidered.txt"


def sentences(text):
    out, start = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            out.append((start, line.strip()))
        start += len(line)
    return out


def test_the_appeal_and_its_lead_in_are_boilerplate():
    text = SAMPLE.read_text(encoding="utf-8")
    cut = boilerplate_start(sentences(text))
    assert text[cut:].startswith("At least 10 independent media outlets have been blocked")
    assert "The Moscow Times needs your help" in text[cut:]
    assert "ill-fated Khrushchev" in text[:cut]  # the story's last sentence stays


def test_a_story_without_an_appeal_has_no_boilerplate():
    story = (
        "Khrushchev was removed in 1964. Independent media outlets reported it. "
        "Brezhnev replaced him."
    )
    assert boilerplate_start(sentences(story.replace(". ", ".\n"))) is None


def test_an_appeal_early_in_a_long_text_is_not_looked_for():
    lines = ["Please support us if you can."] + [f"Sentence {i} of the story." for i in range(12)]
    assert boilerplate_start(sentences("\n".join(lines))) is None


def test_an_appeal_in_quotation_marks_is_part_of_the_story():
    story = [
        "The mayor resigned in 1850.",
        'A friend said the mayor wrote that "the noose is tightening, and I need your help."',
        "He left the city a week later.",
    ]
    assert boilerplate_start(sentences("\n".join(story))) is None
    story[1] = "A friend said the mayor wrote that ``I need your help.''"
    assert boilerplate_start(sentences("\n".join(story))) is None
    story[1] = 'A friend said the mayor wrote that "the noose is tightening, and I need your help.'
    story[2] = '"; He left the city a week later.'
    assert boilerplate_start(sentences("\n".join(story))) is None
