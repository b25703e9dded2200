"""The stages' functions on one text, as the stages run them."""

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
def run(run_stages):
    """The nlp, timexes and events stages' functions on one text: (timexes, events, skipped)."""

    def stages(text: str, mode: str = "narrative", published: dt.date | None = None):
        timexes, out = run_stages(text, mode, published)
        return timexes, out["events"], out["skipped"]

    return stages


@pytest.fixture
def run_stages(nlp, monkeypatch, tmp_path):
    """The nlp, timexes and events stages' functions on one text: (timexes, events stage's out).

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
        summaries = parse_store.read_rows(cache.iter_parts(path), tokens=True)
        timexes = document_timexes("doc_t", text, summaries, published, mode, True)
        out = extract_parsed(
            "doc_t",
            text,
            parse_store.read_rows(cache.iter_parts(path)),
            lambda: parse_store.read_parse(cache.iter_parts(path), vocab),
            timexes,
            RESOURCES,
            None,
            EventParams(),
            published=published,
            anchor_mode=mode,
        )
        return timexes, out

    return stages
