"""The parse store: each document's parse as the nlp stage keeps it and later stages read it.

The nlp stage parses a document once; timexes and events read this store instead of running
the model again. This module is the store's one definition: what each part holds
(`segment_data`), how a parsed segment is encoded (`encode_segment`) and how an entry is read
back (`read_rows`, `read_parse`). It does not import spaCy until a parse is encoded or
rebuilt, so a stage that reads only rows and token summaries (timexes) never loads it.

Where: ``<paths.cache>/nlp/``, one `pipeline.core.cache` entry per document, in the store's
shards and read by doc_id (`entries`): checksummed parts, then a trailer whose digest names the
entry (a later stage records that digest among the inputs of its own result for the document).

Layout of an entry, part by part:

1. header (JSON, `header`): ``{"inputs": {"text_sha256": ...}, "n_segments": N}``, the
   sha256 of the cleaned text the parse was made from (an entry is reused only for that
   exact text) and the number of segments that follow;
2. for each of the N segments, in document order, three parts (a document longer than
   ``nlp.max_segment_chars`` is parsed in segments; most documents are one):

   a. rows (JSON): ``offset``, where the segment starts in the document; ``sentences``, its
      rows of the sentences table without ``sentence_index``, ``section_index`` and
      ``section`` (the nlp stage numbers sentences and sections across segments), with
      ``is_heading`` (events reads it: a heading dates no event); ``spans``, the model's
      entity spans with a label in ``nlp.entity_labels`` (doc_id, sentence_id,
      start_char, end_char, text, label, and ``pos``, the parts of speech of the span's
      tokens). Offsets are into the whole document;
   b. token summary (JSON, `token_summary`): ``offset``; ``start``, ``end``, ``pos`` and
      ``tag`` of each token; ``time_spans``, the model's DATE/TIME spans as [start, end].
      Offsets are into the segment. A part of its own because only the temporal tagger
      reads it and it is over half the JSON: other readers skip it without decoding it;
   c. parse (binary): a spaCy ``DocBin`` holding the segment's ``Doc``, without user data.

Versioning: the first line of every entry (`pipeline.core.cache.MAGIC`) versions the framing
of parts. The layout above is versioned by the nlp cache's ``VERSION`` stamp, a hash of the
nlp stage's code (this module included), the model and the parse params: changing this
module makes every entry stale, and every document is parsed again. Stages that read the
store list this module among their code, so their own cached results follow.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core import cache, ids
from pipeline.core.config import Params
from pipeline.core.stage import cache_path

if TYPE_CHECKING:
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

TIME_LABELS = frozenset({"DATE", "TIME"})
"""The model's labels of the spans the temporal tagger may take as candidates."""


def store_dir(params: Params) -> Path:
    """The folder of the store: one entry per document, kept between runs."""
    return cache_path(params, "nlp")


def entries(params: Params) -> cache.Shards:
    """The store's entries, read by doc_id."""
    return cache.reader(store_dir(params))


# --- what the parts hold -----------------------------------------------------------------------


def header(text_sha256: str, n_segments: int) -> dict[str, Any]:
    """The first part of an entry: what the parse was made from, and how many segments follow."""
    return {"inputs": {"text_sha256": text_sha256}, "n_segments": n_segments}


def sentence_rows(
    doc_id: str, offset: int, doc: Doc, headings: Iterable[tuple[int, int]] = ()
) -> list[dict]:
    """Sentences of a parsed segment, offsets into the whole document (whitespace trimmed).

    `headings` are the segment's heading lines (offsets into the segment), each parsed as a
    sentence of its own (`pipeline.nlp.headings`): their sentences have ``is_heading``.
    """
    heading_starts = {start for start, _ in headings}
    whole = doc.text  # a sentence's text is its slice: spaCy joins its tokens' text for each
    rows = []
    for sent in doc.sents:
        raw = whole[sent.start_char : sent.end_char]
        text = raw.strip()
        if not text:
            continue
        local_start = sent.start_char + (len(raw) - len(raw.lstrip()))
        start = offset + local_start
        end = start + len(text)
        rows.append(
            {
                "sentence_id": ids.span_id("sentence", doc_id, start, end),
                "doc_id": doc_id,
                "start_char": start,
                "end_char": end,
                "text": text,
                "is_heading": local_start in heading_starts,
            }
        )
    return rows


def sentence_of(sentences: list[dict], start_char: int) -> str:
    """Id of the sentence containing offset `start_char` (sentences sorted by start)."""
    starts = [row["start_char"] for row in sentences]
    return sentences[max(0, bisect.bisect_right(starts, start_char) - 1)]["sentence_id"]


def entity_span_rows(
    doc_id: str, offset: int, doc: Doc, sentences: list[dict], labels: Iterable[str]
) -> list[dict]:
    """The model's named-entity spans with the wanted labels (dates and numbers excluded)."""
    wanted = set(labels)
    if not sentences:
        return []
    return [
        {
            "doc_id": doc_id,
            "sentence_id": sentence_of(sentences, offset + ent.start_char),
            "start_char": offset + ent.start_char,
            "end_char": offset + ent.end_char,
            "text": ent.text,
            "label": ent.label_,
            "pos": " ".join(t.pos_ for t in ent),
        }
        for ent in doc.ents
        if ent.label_ in wanted
    ]


def token_summary(offset: int, doc: Doc) -> dict[str, Any]:
    """What the temporal tagger reads of a parsed segment, readable without spaCy.

    Token offsets and tags (to reject "may" the verb) and the model's DATE/TIME spans, all
    relative to the segment.
    """
    from spacy.attrs import IDX, LENGTH, POS, TAG
    from spacy.parts_of_speech import NAMES

    starts, lengths, pos, tags = doc.to_array([IDX, LENGTH, POS, TAG]).reshape(-1, 4).T.tolist()
    tag_names = {tag: doc.vocab.strings[tag] for tag in set(tags)}
    return {  # read as arrays: a Token object per token and attribute cost more than the model
        "offset": offset,
        "start": starts,
        "end": [start + length for start, length in zip(starts, lengths, strict=True)],
        "pos": [NAMES[p] for p in pos],
        "tag": [tag_names[t] for t in tags],
        "time_spans": [[e.start_char, e.end_char] for e in doc.ents if e.label_ in TIME_LABELS],
    }


def segment_data(
    doc_id: str,
    offset: int,
    doc: Doc,
    labels: Iterable[str],
    headings: Iterable[tuple[int, int]] = (),
) -> dict:
    """What later stages read of a parsed segment: offset, sentences, entity spans, tokens.

    As `read_rows(..., tokens=True)` gives it back: the rows part with the token summary
    under "tokens". `headings` as in `sentence_rows`.
    """
    sentences = sentence_rows(doc_id, offset, doc, headings)
    return {
        "offset": offset,
        "sentences": sentences,
        "spans": entity_span_rows(doc_id, offset, doc, sentences, labels),
        "tokens": token_summary(offset, doc),
    }


# --- encoding and reading ----------------------------------------------------------------------


@functools.cache
def _docbin() -> type[DocBin]:
    """The DocBin class, imported on first use, with srsly's msgpack hooks looked up once.

    srsly asks its catalogue registries for every encoder and decoder on each (de)serialisation,
    and each ask walks every function spaCy and thinc registered, a cost paid for every Doc.
    The hooks (numpy arrays) are registered when srsly is imported, so they are kept from the
    first ask; the bytes written and read are unchanged.
    """
    import srsly.msgpack as srsly_msgpack
    from spacy.tokens import DocBin

    for registry in (srsly_msgpack.msgpack_encoders, srsly_msgpack.msgpack_decoders):
        hooks = registry.get_all()
        registry.get_all = lambda hooks=hooks: hooks  # type: ignore[method-assign]

    class StoreDocBin(DocBin):
        """spaCy's DocBin, whose `add` collects a Doc's strings from arrays (`strings_of`)."""

        def add(self, doc: Doc) -> None:
            """`DocBin.add` of spaCy 3.8, but for its loop over the tokens: the same bytes."""
            import numpy
            from spacy.attrs import SPACY

            array = doc.to_array(self.attrs)
            if len(array.shape) == 1:
                array = array.reshape((array.shape[0], 1))
            self.tokens.append(array)
            spaces = doc.to_array(SPACY)
            self.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
            self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
            self.strings.update(strings_of(doc))
            self.cats.append(doc.cats)
            if self.store_user_data:
                self.user_data.append(srsly_msgpack.msgpack_dumps(doc.user_data))
            self.span_groups.append(doc.spans.to_bytes())
            for group in doc.spans.values():
                for span in group:
                    self.strings.add(span.label_)
                    if span.kb_id in span.doc.vocab.strings:
                        self.strings.add(span.kb_id_)
                    if span.id in span.doc.vocab.strings:
                        self.strings.add(span.id_)

    return StoreDocBin


def strings_of(doc: Doc) -> set[str]:
    """The strings spaCy's `DocBin.add` collects from a Doc's tokens: the same set, read as arrays.

    `DocBin.add` asks each token for its text, tag, lemma, norm, morphology, dependency and
    entity attributes as strings, one Python object per token and attribute; each of those
    is the string of a hash the Doc's arrays hold, so the distinct hashes give the same set.
    The DocBin writes its strings sorted, so the bytes are the same.
    """
    from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, TAG
    from spacy.tokens import MorphAnalysis

    attrs = [ORTH, TAG, LEMMA, NORM, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID, MORPH]
    values = doc.to_array(attrs).reshape(len(doc), len(attrs))
    strings = doc.vocab.strings
    found = {strings[h] for h in set(values[:, :-1].ravel().tolist())}
    found.update(str(MorphAnalysis.from_id(doc.vocab, m)) for m in set(values[:, -1].tolist()))
    return found


def encode_segment(
    doc_id: str,
    offset: int,
    doc: Doc,
    labels: Iterable[str],
    headings: Iterable[tuple[int, int]] = (),
) -> tuple[bytes, bytes, bytes]:
    """A parsed segment as its three parts: rows (JSON), token summary (JSON), DocBin."""
    data = segment_data(doc_id, offset, doc, labels, headings)
    tokens = data.pop("tokens")
    docbin = _docbin()(store_user_data=False)
    docbin.add(doc)
    return cache.dump_json(data), cache.dump_json(tokens), docbin.to_bytes()


def _segments(entry: Iterable[bytes], tokens: bool) -> Iterator[tuple[dict, bytes]]:
    """Each segment's rows (with its token summary under "tokens" if asked) and parse bytes.

    `entry` is the entry's parts (`entries(params).parts(doc_id)`), each checked whether it
    is decoded or not: `cache.CorruptEntryError` if the entry was damaged.
    """
    parts = iter(entry)
    first = cache.load_json(next(parts))
    for _ in range(first["n_segments"]):
        data = cache.load_json(next(parts))
        summary = next(parts)
        if tokens:
            data["tokens"] = cache.load_json(summary)
        yield data, next(parts)


def read_rows(entry: Iterable[bytes], tokens: bool = False) -> Iterator[dict]:
    """A parsed document's rows, a segment at a time, without its parse (no spaCy needed).

    With `tokens`, each segment's token summary too, under "tokens" (decoding it is most of
    the cost of reading the JSON, so only the readers that need it pay).
    """
    for data, _ in _segments(entry, tokens):
        yield data


def read_parse(entry: Iterable[bytes], vocab: Vocab) -> Iterator[tuple[dict, Doc]]:
    """A parsed document, a segment at a time: its rows and its rebuilt Doc.

    Any English vocab will do. Only one segment's Doc is built at a time, so a very long
    document costs no more memory than its longest segment.
    """
    docbin = _docbin()
    for data, blob in _segments(entry, tokens=False):
        yield data, next(iter(docbin().from_bytes(blob).get_docs(vocab)))
