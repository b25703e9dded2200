"""Section headings through the stages: their dates set the clock but date no event."""

import datetime as dt

import pytest
import spacy

from pipeline.core import cache
from pipeline.core.config import EventParams
from pipeline.events.extract import Resources, extract_parsed
from pipeline.nlp import stage as nlp_stage
from pipeline.nlp import store as parse_store
from pipeline.timexes.stage import document_timexes

RESOURCES = Resources.load()


@pytest.fixture
def run(nlp, monkeypatch, tmp_path):
    """The nlp, timexes and events stages' functions on one text: (timexes, events, skipped).

    The text is parsed by the nlp stage's task and kept in a parse store entry, which the
    timexes and events functions read as the stages do.
    """
    monkeypatch.setitem(nlp_stage._WORKER_MODELS, "test-model", nlp)
    vocab = spacy.blank("en").vocab

    def stages(text: str, mode: str = "narrative", published: dt.date | None = None):
        segments = list(nlp_stage.split_documents([("doc_t", text)], 100_000, 12))
        results = nlp_stage.parse_partition(segments, "test-model", ("PERSON", "GPE"), 16, 30_000)
        path = tmp_path / f"doc_t{cache.SUFFIX}"
        parts = [part for _, *encoded in results for part in encoded]
        cache.write_entry(
            path, [cache.dump_json(parse_store.header("0" * 64, len(results))), *parts]
        )
        summaries = parse_store.read_rows(path, tokens=True)
        timexes = document_timexes("doc_t", text, summaries, published, mode, True)
        out = extract_parsed(
            "doc_t",
            text,
            parse_store.read_rows(path),
            lambda: parse_store.read_parse(path, vocab),
            timexes,
            RESOURCES,
            None,
            EventParams(),
        )
        return timexes, out["events"], out["skipped"]

    return stages


def test_a_heading_sets_the_clock_of_the_section_after_it(run):
    text = "The winter campaign of 1863\n\nIn February the army moved."
    timexes, events, skipped = run(text)
    february = next(t for t in timexes if t["text"] == "February")
    assert february["value"] == "1863-02"
    assert "1863" in [t["text"] for t in timexes]  # the heading's date keeps its row
    assert [(e["trigger"], e["date_start"]) for e in events] == [("move", dt.date(1863, 2, 1))]
    assert skipped["in_heading"] >= 1


def test_a_heading_dates_no_event_and_not_the_first_sentence(run):
    text = (
        "The war in the west began in August 1914.\n\n"
        "Western Front 1916-1917\n\n"
        "The armies dug trenches along the front."
    )
    timexes, events, skipped = run(text)
    assert any(t["text"].startswith("1916") for t in timexes)
    assert [e["trigger"] for e in events] == ["begin"]
    assert skipped["in_heading"] >= 1


def test_a_news_dateline_and_closing_line_stay_prose(run):
    text = (
        "WASHINGTON (AP) --\n\nThe Senate passed the budget on Tuesday.\n\nReporting by Jane Smith"
    )
    _, events, skipped = run(text, mode="news", published=dt.date(2013, 3, 7))
    assert [(e["trigger"], e["date_start"]) for e in events] == [("pass", dt.date(2013, 3, 5))]
    assert skipped["in_heading"] == 0
