"""Section headings: which lines are headings, and how the nlp stage parses and records them."""

import pytest

from pipeline.core import cache
from pipeline.ingest.decoding import html_to_text
from pipeline.ingest.repairs import clean_characters
from pipeline.nlp import stage
from pipeline.nlp.headings import find_headings, heading_name

WIKI = (
    "The First World War began in 1914. It ended four years later.\n\n"
    "Western Front 1916-1917\n\n"
    "The armies dug trenches along the front. In February 1916 the Germans attacked Verdun.\n\n"
    "The regency (1811-1820)\n\n"
    "The prince ruled in his father's place.\n\n"
    "1917\n\n"
    "In April the United States entered the war."
)

NEWS = (
    "Senate passes the budget\n\n"
    "By Jane Smith and Tom Okafor\n\n"
    "WASHINGTON (AP) --\n\n"
    "The Senate passed the budget on Tuesday after a long debate.\n\n"
    "- cuts to defence\n\n"
    "- more money for schools\n\n"
    "The House votes next week, a spokesman said. He added that the president\n\n"
    "was pleased\n\n"
    "with the result.\n\n"
    "LONDON, March 3\n\n"
    "Markets rose on the news.\n\n"
    "Additional reporting by Li Wei\n\n"
    "Copyright 2013 The Associated Press"
)


def names(text: str, max_words: int = 12) -> list[str]:
    return [h.name for h in find_headings(text, max_words)]


def test_a_wikipedia_style_text_has_its_headings_found():
    assert names(WIKI) == ["Western Front 1916-1917", "The regency (1811-1820)", "1917"]
    heading = find_headings(WIKI)[0]
    assert WIKI[heading.start : heading.end] == "Western Front 1916-1917"


def test_news_furniture_is_not_a_heading_but_the_headline_is():
    # the headline is a heading; the byline, dateline, bullets, a sentence cut by a stray
    # blank line ("the president" / "was pleased"), the credit line and the closing line
    # are not
    assert names(NEWS) == ["Senate passes the budget"]


def test_sentences_and_long_lines_are_prose():
    text = (
        "Introduction\n\n"
        "The war was long.\n\n"
        "What happened next?\n\n"
        "the end of the story\n\n"
        "Nobody expected the armies to stay in the same trenches for three long years\n\n"
        "12\n\n"
        "More prose follows here."
    )
    assert names(text) == ["Introduction"]
    assert names(text, max_words=20) == [
        "Introduction",
        "Nobody expected the armies to stay in the same trenches for three long years",
    ]


def test_a_heading_needs_its_own_paragraph():
    text = "A list\nWestern Front 1916-1917\n\nText follows.\n\nEnd of part\nMore text."
    assert names(text) == []


def test_markdown_headings_with_their_marks_removed_and_code_left_alone():
    text = (
        "# The Napoleonic Wars\n"
        "The wars began in 1803.\n\n"
        "## The regency (1811-1820) ##\n\n"
        "```\n# not a heading\n```\n\n"
        "#hashtag is prose, and so is this line."
    )
    assert names(text) == ["The Napoleonic Wars", "The regency (1811-1820)"]
    assert heading_name("### Aftermath") == "Aftermath"


def test_html_headings_become_lines_of_their_own():
    markup = (
        "<html><body><h1>The Crimean War</h1><p>The war began in 1853.</p>"
        "<h2>\n  The siege of Sevastopol\n</h2><p>In October 1854 the siege began.</p>"
        "<p>Photo: Reuters</p></body></html>"
    )
    text = clean_characters(html_to_text(markup)[0]).text
    assert "The siege of Sevastopol\n\nIn October 1854" in text
    assert names(text) == ["The Crimean War", "The siege of Sevastopol"]


def test_the_last_lines_of_a_text_are_not_headings():
    assert names("The army marched.\n\nFollow us\n\nCopyright 2013") == []


# --- parsing -----------------------------------------------------------------------------------


@pytest.fixture
def parse(nlp, monkeypatch):
    """Parse texts as the nlp stage does (segments, headings, worker task), rows numbered."""
    monkeypatch.setitem(stage._WORKER_MODELS, "test-model", nlp)

    def run(text: str, max_chars: int = 100_000) -> list[dict]:
        segments = list(stage.split_documents([("doc_t", text)], max_chars, 12))
        results = stage.parse_partition(segments, "test-model", ("PERSON",), 16, 30_000)
        parsed = [cache.load_json(rows) for _, rows, _, _ in results]
        return [row for rows in stage.number_sentences(parsed) for row in rows]

    return run


def test_a_heading_is_a_sentence_of_its_own_and_opens_a_section(parse):
    rows = parse(WIKI)
    texts = [row["text"] for row in rows]
    assert "Western Front 1916-1917" in texts
    assert "The regency (1811-1820)" in texts
    first = next(row for row in rows if row["text"].startswith("The armies dug"))
    assert first["text"] == "The armies dug trenches along the front."
    assert [row["sentence_index"] for row in rows] == list(range(len(rows)))
    by_text = {row["text"]: row for row in rows}
    assert by_text["Western Front 1916-1917"]["is_heading"]
    assert not first["is_heading"]
    assert by_text["The First World War began in 1914."]["section"] is None
    assert by_text["The First World War began in 1914."]["section_index"] == 0
    assert first["section"] == "Western Front 1916-1917"
    assert first["section_index"] == 1
    april = by_text["In April the United States entered the war."]
    assert (april["section_index"], april["section"]) == (3, "1917")


def test_sections_carry_across_the_segments_of_a_long_document(parse):
    text = "\n\n".join([WIKI] * 30)  # about 9,000 characters, cut into segments of 2,000
    rows = parse(text, max_chars=2000)
    assert sum(row["is_heading"] for row in rows) == 90
    assert rows[-1]["section_index"] == 90
    assert rows[-1]["section"] == "1917"


def test_a_markdown_heading_keeps_its_marks_in_the_text_not_in_the_section(parse):
    rows = parse("# Waterloo\nIn June 1815 the armies met. Napoleon lost.")
    assert [(row["text"], row["is_heading"]) for row in rows][:2] == [
        ("# Waterloo", True),
        ("In June 1815 the armies met.", False),
    ]
    assert {row["section"] for row in rows} == {"Waterloo"}


def test_news_text_keeps_its_sentences(parse):
    rows = parse(NEWS)
    assert [row["text"] for row in rows if row["is_heading"]] == ["Senate passes the budget"]
    assert {row["section_index"] for row in rows} == {1}


def test_a_model_loaded_for_a_small_job_is_let_go_before_the_tables_are_written(parse):
    assert parse("Kate Bush sang in London.")[0]["text"] == "Kate Bush sang in London."
    assert "test-model" in stage._WORKER_MODELS
    stage.unload_models()
    assert stage._WORKER_MODELS == {}
