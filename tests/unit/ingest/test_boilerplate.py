"""Datelines, page furniture and heading marks, through the real ingest on invented documents."""

from pathlib import Path

import pytest

from pipeline.core.config import IngestParams
from pipeline.ingest.boilerplate import is_furniture
from pipeline.ingest.stage import ingest
from tests.unit.ingest.test_ingest import make_raw


def ingested(tmp_path: Path, files: dict[str, bytes]):
    """The documents (by path) and the report of ingesting these files."""
    result = ingest(make_raw(tmp_path, files), IngestParams())
    return result.texts.set_index("path"), result.report.as_dict()


@pytest.mark.parametrize(
    ("opening", "dateline"),
    [
        ("TALLINN, Estonia - ", "TALLINN, Estonia"),
        ("WASHINGTON (AP) -- ", "WASHINGTON (AP)"),
        ("LONDON, March 3 (Reuters) - ", "LONDON, March 3 (Reuters)"),
        ("SAN JOSE, Calif., March 3 (Reuters) \u2013 ", "SAN JOSE, Calif., March 3 (Reuters)"),
        ("ST. PETERSBURG, Russia, Oct. 12, 2003 \u2014 ", "ST. PETERSBURG, Russia, Oct. 12, 2003"),
    ],
)
def test_a_news_dateline_is_kept_apart_from_the_text(tmp_path, opening, dateline):
    story = "The prime ministers of Estonia and Finland signed a tunnel agreement on Monday."
    body = f"Tunnel deal signed\n\n{opening}{story}\n\nWork starts next year."
    docs, report = ingested(tmp_path, {"news.txt": body.encode()})
    doc = docs.loc["news.txt"]
    assert doc["dateline"] == dateline
    assert doc["text"] == f"Tunnel deal signed\n\n{story}\n\nWork starts next year."
    assert doc["title"] == "Tunnel deal signed"
    assert "dateline:1" in doc["repairs"]
    assert report["repaired_documents"]["dateline"] == 1


@pytest.mark.parametrize(
    "text",
    [
        "NATO leaders met in Riga - and agreed on nothing.",  # no capital after the dash
        "NATO - the alliance - met in Riga.",  # ditto
        "One.\n\nTwo.\n\nThree.\n\nLONDON - Late in the story.",  # not an opening paragraph
        "In 1962 - the crisis year - LONDON was calm.",
        "UK-France seeking deal on fishing rights\n\nThe two agreed to talk.",  # hyphenated names
        "Sales\n\nUS-German carmaker DaimlerChrysler sold more cars.",
    ],
)
def test_text_without_an_opening_dateline_is_unchanged(tmp_path, text):
    docs, _ = ingested(tmp_path, {"essay.txt": text.encode()})
    assert docs.loc["essay.txt", "text"] == text
    assert docs.loc["essay.txt", "dateline"] is None


def test_html_navigation_footers_and_sharing_lines_are_dropped_and_counted(tmp_path):
    page = (
        "<html><body><nav><p>Home | News | Sport | About us</p></nav>"
        "<h1>Tunnel deal signed</h1><p>Share this article</p>"
        "<p>Estonia and Finland signed a tunnel agreement in 2019.</p>"
        "<p>The copyright of the plans belongs to both states, officials said.</p>"
        "<footer><p>\u00a9 2024 Baltic News Ltd. All rights reserved.</p></footer>"
        "</body></html>"
    )
    docs, report = ingested(tmp_path, {"page.html": page.encode()})
    text = docs.loc["page.html", "text"]
    assert text == (
        "Tunnel deal signed\n\nEstonia and Finland signed a tunnel agreement in 2019.\n\n"
        "The copyright of the plans belongs to both states, officials said."
    )
    assert report["repairs"]["boilerplate_lines"] == 3
    assert any("Home | News" in e for e in report["repair_examples"]["boilerplate_lines"])


def test_a_furniture_line_is_whole_and_short():
    assert is_furniture("Home | News | About")
    assert is_furniture("Skip to main content")
    assert not is_furniture("Share prices rose.")
    assert not is_furniture(
        "The rights to the songs, the judge said in a ruling on Monday, were all rights reserved "
        "to the authors and their heirs."
    )


def test_a_plain_text_navigation_line_stays(tmp_path):
    text = "Home | News | About\n\nThe band played on in 1999."
    docs, _ = ingested(tmp_path, {"notes.txt": text.encode()})
    assert docs.loc["notes.txt", "text"] == text


def test_markdown_heading_marks_leave_the_text_and_headings_stay_paragraphs(tmp_path):
    markdown = "# The regency\nIn 1811 the prince became regent.\n## Later years ##\nHe died.\n"
    markdown += "```\n# not a heading\n```\n"
    docs, report = ingested(tmp_path, {"history.md": markdown.encode()})
    doc = docs.loc["history.md"]
    assert doc["text"] == (
        "The regency\n\nIn 1811 the prince became regent.\n\nLater years\n\nHe died.\n"
        "```\n# not a heading\n```"
    )
    assert doc["title"] == "The regency"
    assert report["repairs"]["markdown_heading_marks"] == 2
