"""Cross-document event grouping on ECB+ (Cybulska & Vossen 2014): are the happenings right.

Gold: the event mentions (ACTION_* and NEG_ACTION_* tags) of the test topics 36-45 in the
sentences the annotators checked (`ECBplus_coreference_sentences.csv`), clustered by their
cross-document instance (`CROSS_DOC_COREF`), else their within-document chain
(`INTRA_DOC_COREF`), else alone. ECB+ texts are read in place; nothing is copied.

System ("chronicle"): each document's tokens, joined by spaces with a line per sentence, go
through the pipeline's own functions (spaCy parse, temporal tagger and events extraction in
narrative mode: ECB+ gives no publication date). Each gold mention becomes a telling: the
lemma of its head token, and the date, type, polarity and participants of the pipeline's
event on that head when there is one, else the head's own participants
(`pipeline.events.arguments`) with no date. Participants get entity ids as the entities
stage gives them (`pipeline.entities.stage.link_mention`), across the documents of a topic.
Each topic is grouped by `pipeline.happenings.rules.group`, as a corpus of its own.

Baseline: the mentions of a topic whose heads have the same lemma are one cluster (the
"same lemma" baseline of the literature, computed here on the same parses).

End to end: the pipeline's own events in the checked sentences, grouped by the same rules; a
predicted trigger inside a gold mention stands for that mention, the others count as
mentions the gold lacks. However low, it is the figure a user of the pipeline gets.

Scores: MUC, B-cubed and CEAF-e (entity-based, phi4), and their mean, the CoNLL F1, as the
CoNLL-2012 reference scorer defines them (singletons included, as in ECB+ work).

Usage:
    python -m pipeline.evaluation.evaluate_event_groups --gold DIR --out metrics/event-groups.json
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from spacy.language import Language
from spacy.tokens import Doc, Token

from pipeline.core import ids
from pipeline.core.config import Params, load_params
from pipeline.core.io import skip_evaluation, write_metrics
from pipeline.happenings.rules import Settings, Telling, family_of, group, load_families

TEST_TOPICS = tuple(range(36, 46))
"""The usual test split (Cybulska & Vossen 2015): topics 36-45."""

SENTENCES_FILE = "ECBplus_coreference_sentences.csv"

_TOKEN = re.compile(r'<token t_id="(\d+)" sentence="(\d+)" number="\d+">([^<]*)</token>')
_MARKABLE = re.compile(r"<((?:NEG_)?ACTION_[A-Z]+) m_id=\"(\d+)\"\s*>(.*?)</\1>", re.S)
_ANCHOR = re.compile(r'<token_anchor t_id="(\d+)"\s*/>')
_RELATION = re.compile(r"<(CROSS_DOC_COREF|INTRA_DOC_COREF) r_id=\"(\d+)\"([^>]*)>(.*?)</\1>", re.S)
_SOURCE = re.compile(r'<source m_id="(\d+)"\s*/>')
_NOTE = re.compile(r'note="([^"]*)"')

Cluster = frozenset
Clusters = list[frozenset]


# --- the metrics ------------------------------------------------------------------------------


def _prf(recall_num: float, recall_den: float, prec_num: float, prec_den: float) -> dict:
    recall = recall_num / recall_den if recall_den else 0.0
    precision = prec_num / prec_den if prec_den else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"recall": round(recall, 4), "precision": round(precision, 4), "f1": round(f1, 4)}


def _muc_side(clusters: Clusters, other: Clusters) -> tuple[int, int]:
    """MUC's (numerator, denominator) of `clusters` against the partition `other` gives."""
    where = {m: i for i, c in enumerate(other) for m in c}
    num = den = 0
    for cluster in clusters:
        parts = {where.get(m, ("alone", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num, den


def muc(key: Clusters, response: Clusters) -> dict:
    """MUC (Vilain et al. 1995): links kept; mentions missing on one side stand alone there."""
    return _prf(*_muc_side(key, response), *_muc_side(response, key))


def _b3_side(clusters: Clusters, other: Clusters) -> tuple[float, int]:
    where = {m: i for i, c in enumerate(other) for m in c}
    num = 0.0
    for cluster in clusters:
        counts: dict[Hashable, int] = defaultdict(int)
        for m in cluster:
            if m in where:
                counts[where[m]] += 1
        num += sum(n * n for n in counts.values()) / len(cluster)
    return num, sum(len(c) for c in clusters)


def b_cubed(key: Clusters, response: Clusters) -> dict:
    """B-cubed (Bagga & Baldwin 1998), as the CoNLL scorer counts it over each side's mentions."""
    return _prf(*_b3_side(key, response), *_b3_side(response, key))


def ceaf_e(key: Clusters, response: Clusters) -> dict:
    """CEAF-e (Luo 2005): clusters aligned one to one, similarity 2|K & R| / (|K| + |R|)."""
    if not key or not response:
        return _prf(0, len(key), 0, len(response))
    index = {m: i for i, c in enumerate(response) for m in c}
    similarity = np.zeros((len(key), len(response)))
    for i, cluster in enumerate(key):
        for m in cluster:
            if m in index:
                j = index[m]
                similarity[i, j] += 2 / (len(cluster) + len(response[j]))
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    total = float(similarity[rows, cols].sum())
    return _prf(total, len(key), total, len(response))


def scores(key: Clusters, response: Clusters) -> dict:
    """MUC, B-cubed, CEAF-e and their mean F1 (the CoNLL F1)."""
    result = {
        "muc": muc(key, response),
        "b_cubed": b_cubed(key, response),
        "ceaf_e": ceaf_e(key, response),
    }
    result["conll_f1"] = round(sum(m["f1"] for m in result.values()) / 3, 4)
    return result


# --- reading ECB+ -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldMention:
    """One annotated event mention: its tokens' character span in our text and its cluster."""

    key: str
    start_char: int
    end_char: int
    cluster: str


@dataclass
class EcbDoc:
    """One ECB+ document as text (a line per sentence), its checked sentences and mentions."""

    name: str
    topic: int
    text: str
    checked: list[tuple[int, int]] = field(default_factory=list)
    """Character spans of the sentences the annotators checked."""
    mentions: list[GoldMention] = field(default_factory=list)


def checked_sentences(path: Path) -> dict[str, set[int]]:
    """File stem ('36_1ecb') -> numbers of its checked sentences."""
    out: dict[str, set[int]] = defaultdict(set)
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[f"{row['Topic']}_{row['File']}"].add(int(row["Sentence Number"]))
    return out


def _clusters_of(xml: str, name: str, topic: int) -> dict[str, str]:
    """Mention id -> gold cluster: the cross-document instance, else the within-document chain."""
    cluster = {}
    for kind, r_id, attrs, body in _RELATION.findall(xml):
        note = _NOTE.search(attrs)
        label = f"{topic}:{note.group(1)}" if kind == "CROSS_DOC_COREF" and note else None
        for m_id in _SOURCE.findall(body):
            cluster[m_id] = label or f"{name}:chain{r_id}"
    return cluster


def read_document(path: Path, topic: int, checked: set[int]) -> EcbDoc:
    """Tokens joined by spaces, a line per sentence; the gold mentions of checked sentences."""
    xml = path.read_text(encoding="utf-8")
    name = path.stem
    lines: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for t_id, sentence, word in _TOKEN.findall(xml):
        lines[int(sentence)].append((t_id, word.replace("&amp;", "&").replace("&quot;", '"')))
    text, spans, sentence_of, checked_spans = "", {}, {}, []
    for number in sorted(lines):
        start = len(text)
        for t_id, word in lines[number]:
            text += ("" if len(text) == start else " ") + word
            spans[t_id] = (len(text) - len(word), len(text))
            sentence_of[t_id] = number
        if number in checked:
            checked_spans.append((start, len(text)))
        text += "\n"
    doc = EcbDoc(name, topic, text, checked_spans)
    cluster = _clusters_of(xml, name, topic)
    for _, m_id, body in _MARKABLE.findall(xml):
        tokens = _ANCHOR.findall(body)
        if tokens and all(sentence_of.get(t) in checked for t in tokens):
            start = min(spans[t][0] for t in tokens)
            end = max(spans[t][1] for t in tokens)
            key = f"{name}:{m_id}"
            doc.mentions.append(GoldMention(key, start, end, cluster.get(m_id, key)))
    return doc


def read_topics(folder: Path, topics: Iterable[int] = TEST_TOPICS) -> list[EcbDoc]:
    """The documents of the given topics, in file order."""
    checked = checked_sentences(folder / SENTENCES_FILE)
    return [
        read_document(path, topic, checked.get(path.stem, set()))
        for topic in topics
        for path in sorted((folder / str(topic)).glob("*.xml"))
    ]


# --- the pipeline on one document -------------------------------------------------------------


@dataclass
class Parsed:
    """What the pipeline made of one document: its Doc, events, arguments and mentions."""

    doc: Doc
    events: list[dict]
    arguments: list[dict]
    mentions: list


def run_pipeline(ecb: EcbDoc, doc: Doc, params: Params, resources: object, kb: object) -> Parsed:
    """The pipeline's parse, dating and events on one ECB+ document (narrative mode)."""
    from pipeline.events.extract import extract_parsed
    from pipeline.events.mentions import Mention
    from pipeline.nlp.store import segment_data
    from pipeline.timexes.stage import document_timexes

    doc_id = ids.make_id("document", ecb.name)
    parsed = [(segment_data(doc_id, 0, doc, params.nlp.entity_labels), doc)]
    data = [segment for segment, _ in parsed]
    timexes = document_timexes(doc_id, ecb.text, data, None, "narrative", True)
    result = extract_parsed(
        doc_id,
        ecb.text,
        data,
        lambda: parsed,
        timexes,
        resources,  # type: ignore[arg-type]
        kb,  # type: ignore[arg-type]
        params.events,
        published=None,
        anchor_mode="narrative",
    )
    mentions = [Mention(**m) for m in result["mentions"]]
    return Parsed(doc, result["events"], result["arguments"], mentions)


def head_of(doc: Doc, start: int, end: int) -> Token | None:
    """The syntactic head of the tokens covering a character span."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def inside(checked: list[tuple[int, int]], start: int) -> bool:
    """Whether an offset lies in one of the checked sentences."""
    return any(a <= start < b for a, b in checked)


# --- tellings ---------------------------------------------------------------------------------

UNDATED = {
    "date_basis": "undated",
    "precision": None,
    "date_start": None,
    "date_end": None,
    "year_start": None,
    "year_end": None,
}


@dataclass
class Topic:
    """One topic's documents through the pipeline, with entity ids across its documents."""

    docs: list[tuple[EcbDoc, Parsed]]
    entity_of: dict[str, str]
    """Mention id -> entity id, as the entities stage links them."""
    named: dict[str, frozenset[str]]
    """Document name -> the entities it names."""


def link_topic(docs: list[tuple[EcbDoc, Parsed]], kb: object) -> Topic:
    """Entity ids for the mentions of one topic's documents (`pipeline.entities.stage`)."""
    from pipeline.entities.stage import entity_id_of, link_mention
    from pipeline.events.mentions import surname_targets

    mentions = [m for _, parsed in docs for m in parsed.mentions]
    surnames = surname_targets({m.cluster for m in mentions if m.label == "PERSON"})
    entity_of = {m.mention_id: entity_id_of(link_mention(m, surnames, kb)) for m in mentions}  # type: ignore[arg-type]
    named = {
        ecb.name: frozenset(entity_of[m.mention_id] for m in parsed.mentions)
        for ecb, parsed in docs
    }
    return Topic(docs, entity_of, named)


def telling(
    key: str, doc_id: str, head: Token, event: dict, roles: frozenset, context: frozenset
) -> Telling:
    """A telling for the rules: the head's lemma, the event's date, type and polarity."""
    dating = {k: event[k] for k in UNDATED}
    lemma = head.lemma_.lower()
    return Telling(
        event_id=key,
        doc_id=doc_id,
        trigger=lemma,
        family=family_of(lemma, load_families()),
        event_type=event["event_type"],
        polarity=event["polarity"],
        published=None,
        trigger_start_char=head.idx,
        entities=roles,
        context=context,
        **dating,
    )


def _roles(rows: Iterable[dict], entity_of: dict[str, str]) -> frozenset:
    return frozenset(
        (row["role"], entity_of[row["mention_id"]])
        for row in rows
        if row["mention_id"] in entity_of
    )


def undated_reading(head: Token, coref: object, params: Params) -> tuple[dict, list[dict]]:
    """What the pipeline says of a head it made no event of: polarity and participants."""
    from pipeline.events.arguments import arguments
    from pipeline.events.modality import modality_of

    found = arguments(head, head.doc[head.i : head.i], coref, params.events)  # type: ignore[arg-type]
    reading = {**UNDATED, "event_type": None, "polarity": modality_of(head).polarity}
    return reading, [vars(a) for a in found]


def gold_tellings(topic: Topic, params: Params, resources: object) -> list[Telling]:
    """Each gold mention of a topic as a telling (see the module's docstring)."""
    from pipeline.events.coref import Coref

    out = []
    for ecb, parsed in topic.docs:
        coref = Coref(parsed.doc, parsed.mentions, resources.titles)  # type: ignore[attr-defined]
        by_trigger = {e["trigger_start_char"]: e for e in reversed(parsed.events)}
        for mention in ecb.mentions:
            head = head_of(parsed.doc, mention.start_char, mention.end_char)
            if head is None:
                continue
            event = by_trigger.get(head.idx)
            if event is not None:
                rows = [a for a in parsed.arguments if a["event_id"] == event["event_id"]]
            else:
                event, rows = undated_reading(head, coref, params)
            roles = _roles(rows, topic.entity_of)
            out.append(telling(mention.key, ecb.name, head, event, roles, topic.named[ecb.name]))
    return out


def predicted_tellings(topic: Topic) -> list[Telling]:
    """The pipeline's own events in the checked sentences, one telling per trigger.

    A trigger inside a gold mention takes that mention's key; the others are mentions the
    gold lacks.
    """
    out = []
    for ecb, parsed in topic.docs:
        seen: set[int] = set()
        for event in parsed.events:
            start = event["trigger_start_char"]
            if start in seen or not inside(ecb.checked, start):
                continue
            seen.add(start)
            gold = [m.key for m in ecb.mentions if m.start_char <= start < m.end_char]
            key = gold[0] if gold else f"{ecb.name}:sys{start}"
            head = parsed.doc.char_span(start, event["trigger_end_char"], alignment_mode="expand")
            rows = [a for a in parsed.arguments if a["event_id"] == event["event_id"]]
            roles = _roles(rows, topic.entity_of)
            out.append(telling(key, ecb.name, head.root, event, roles, topic.named[ecb.name]))
    return out


# --- the systems and the scores ---------------------------------------------------------------


def grouped(tellings: list[Telling], params: Params) -> Clusters:
    """Clusters of mention keys as the rules group them."""
    happenings = group(tellings, Settings(**vars(params.happenings)))
    return [frozenset(m.event_id for m in h.members) for h in happenings]


def same_lemma(tellings: list[Telling]) -> Clusters:
    """The baseline: one cluster per head lemma."""
    by_lemma: dict[str, set[str]] = defaultdict(set)
    for t in tellings:
        by_lemma[t.trigger].add(t.event_id)
    return [frozenset(c) for c in by_lemma.values()]


def gold_clusters(docs: Iterable[EcbDoc]) -> Clusters:
    """The gold clusters of mention keys."""
    by_cluster: dict[str, set[str]] = defaultdict(set)
    for ecb in docs:
        for m in ecb.mentions:
            by_cluster[m.cluster].add(m.key)
    return [frozenset(c) for c in by_cluster.values()]


def evaluate(docs: Sequence[EcbDoc], nlp: Language, params: Params) -> dict:
    """Score the rules, the baseline and the end-to-end pipeline, topic by topic and overall."""
    from pipeline.events.extract import Resources
    from pipeline.events.kb import load_knowledge_base

    resources, kb = Resources.load(), load_knowledge_base(params.entities.kb)
    parses = list(zip(docs, nlp.pipe(d.text for d in docs), strict=True))
    runs = {"chronicle": [], "baseline_same_lemma": [], "end_to_end": [], "gold": []}
    per_topic = {}
    for number in sorted({d.topic for d in docs}):
        members = [
            (ecb, run_pipeline(ecb, doc, params, resources, kb))
            for ecb, doc in parses
            if ecb.topic == number
        ]
        topic = link_topic(members, kb)
        tellings = gold_tellings(topic, params, resources)
        found = {
            "gold": gold_clusters(ecb for ecb, _ in members),
            "chronicle": grouped(tellings, params),
            "baseline_same_lemma": same_lemma(tellings),
            "end_to_end": grouped(predicted_tellings(topic), params),
        }
        for name, clusters in found.items():
            runs[name] += clusters
        per_topic[str(number)] = {
            name: scores(found["gold"], found[name])["conll_f1"]
            for name in ("chronicle", "baseline_same_lemma", "end_to_end")
        }
    gold = runs.pop("gold")
    return {
        **{name: scores(gold, clusters) for name, clusters in runs.items()},
        "topics": list(TEST_TOPICS),
        "documents": len(docs),
        "gold_mentions": sum(len(c) for c in gold),
        "gold_clusters": len(gold),
        "per_topic": per_topic,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: score the ECB+ test topics; skip when the data is absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gold", required=True, type=Path, help="the ECB+ folder")
    parser.add_argument("--out", type=Path, help="write the metrics as JSON here")
    args = parser.parse_args(argv)
    if not (args.gold / SENTENCES_FILE).is_file():
        detail = args.out.with_name(f"{args.out.stem}-detail.json") if args.out else None
        return skip_evaluation(args.gold, args.out, detail)
    from pipeline.core.model import load_model

    params = load_params()
    started = time.perf_counter()
    docs = read_topics(args.gold)
    result = evaluate(docs, load_model(params.nlp.model), params)
    for name in ("baseline_same_lemma", "chronicle", "end_to_end"):
        m = result[name]
        print(
            f"{name:<20} MUC {m['muc']['f1']:.3f}  B3 {m['b_cubed']['f1']:.3f}  "
            f"CEAF-e {m['ceaf_e']['f1']:.3f}  CoNLL {m['conll_f1']:.3f}"
        )
    print(f"{len(docs)} documents in {time.perf_counter() - started:.1f} s")
    if args.out:
        write_metrics(result, args.out, ["per_topic"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
