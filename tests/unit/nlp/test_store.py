"""The parse store's format: a parsed document written as the nlp stage does and read back."""

import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from pipeline.core import cache
from pipeline.nlp import store

PROJECT = Path(__file__).resolve().parents[3]
LABELS = ("PERSON", "GPE")
TEXT = "Nikita Khrushchev visited Bulgaria in May 1962. He spoke in Sofia."


@pytest.fixture
def entry(nlp, tmp_path):
    """A document of two segments, cut after the first sentence, written part by part."""
    cut = TEXT.index("He")
    parts = [
        *store.encode_segment("doc_t", 0, nlp(TEXT[:cut]), LABELS),
        *store.encode_segment("doc_t", cut, nlp(TEXT[cut:]), LABELS),
    ]
    path = tmp_path / f"doc_t{cache.SUFFIX}"
    cache.write_entry(path, [cache.dump_json(store.header("0" * 64, 2)), *parts])
    return path


def test_rows_hold_sentences_and_entity_spans_with_offsets_into_the_document(entry):
    first, second = store.read_rows(cache.iter_parts(entry))
    assert [first["offset"], second["offset"]] == [0, TEXT.index("He")]
    sentences = [s["text"] for s in first["sentences"] + second["sentences"]]
    assert sentences == ["Nikita Khrushchev visited Bulgaria in May 1962.", "He spoke in Sofia."]
    spans = [(s["text"], s["label"]) for s in first["spans"] + second["spans"]]
    assert spans == [("Nikita Khrushchev", "PERSON"), ("Bulgaria", "GPE"), ("Sofia", "GPE")]
    sofia = second["spans"][0]
    assert TEXT[sofia["start_char"] : sofia["end_char"]] == "Sofia"
    assert "tokens" not in first


def test_token_summaries_are_read_only_when_asked_with_offsets_into_the_segment(entry):
    first, second = store.read_rows(cache.iter_parts(entry), tokens=True)
    segment = TEXT[: TEXT.index("He")]
    assert [segment[s:e] for s, e in first["tokens"]["time_spans"]] == ["May 1962"]
    assert second["tokens"]["start"][0] == 0  # "He", the segment's first token
    assert len(first["tokens"]["pos"]) == len(first["tokens"]["start"])


def test_the_parse_is_rebuilt_a_segment_at_a_time(entry):
    docs = [doc for _, doc in store.read_parse(cache.iter_parts(entry), spacy.blank("en").vocab)]
    assert "".join(doc.text for doc in docs) == TEXT
    assert [t.pos_ for t in docs[1]][:2] == ["PRON", "VERB"]


def test_a_damaged_entry_is_refused(entry):
    data = bytearray(entry.read_bytes())
    data[len(data) // 2] ^= 0xFF
    entry.write_bytes(bytes(data))
    with pytest.raises(cache.CorruptEntryError):
        list(store.read_rows(cache.iter_parts(entry)))


READ_ROWS = """
import sys
from pathlib import Path
from pipeline.nlp import store
from pipeline.core import cache
import pipeline.timexes.stage
rows = list(store.read_rows(cache.iter_parts(Path(sys.argv[1])), tokens=True))
print(len(rows), "spacy" in sys.modules)
"""


def test_reading_rows_does_not_load_spacy(entry):
    """Timexes reads only rows and token summaries: it must not pay for importing spaCy."""
    out = subprocess.run(
        [sys.executable, "-c", READ_ROWS, str(entry)],
        cwd=PROJECT,
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout.split() == ["2", "False"]


def test_a_stored_parse_is_the_bytes_spacy_s_docbin_writes(nlp):
    """The store's DocBin collects a Doc's strings from arrays; the bytes must not change."""
    from spacy.tokens import Doc, DocBin

    for doc in [nlp(TEXT), nlp("Ms. Lee's 'gonna' go \n\n  there!"), Doc(nlp.vocab)]:
        stock = DocBin(store_user_data=False)
        stock.add(doc)
        parts = store.encode_segment("doc_t", 0, doc, LABELS)
        assert parts[2] == stock.to_bytes()
