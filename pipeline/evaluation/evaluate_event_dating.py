"""Event dating evaluation on TimeML gold (TempEval-3): are events given the right date.

Gold: every EVENT linked by a TLINK to a DATE timex of the text with a relation that places the
event at that date (after turning the link round so the event comes first): IS_INCLUDED,
DURING, SIMULTANEOUS, IDENTITY, BEGINS, ENDS, BEGUN_BY, ENDED_BY. BEFORE/AFTER/INCLUDES and
friends do not date an event. The document creation time (DCT) is left out of the headline
figures: our explicit and narrative events are anchored by dates written in the text, and the
DCT is not one (its dating links are counted apart, as `dct_links`, for context). The
`document` basis (events a news report tells in the present, dated by the publication day) is
scored apart, against the events going on at the DCT (`HOLDS_AT_DCT`).

System: the pipeline's own functions on the TimeML <TEXT> (nlp parse, temporal tagger with the
DCT as reference in news mode, mention corrections, `pipeline.events.stage.document_events`).

- recall: a gold (EVENT, timex value) pair is found when one of our events has a trigger
  overlapping the gold EVENT and a date whose TimeML value equals the gold timex's value;
- precision: over our events whose trigger overlaps some gold EVENT (the others cannot be
  judged: TimeML does not annotate every predicate), the share whose (EVENT, value) is a gold
  pair.

On the same judged events, our polarity is compared with the gold MAKEINSTANCE polarity
(POS/NEG): accuracy, and counts of "negative". 25 AQUAINT files mark most of their instances
NEG, an annotation artefact ("attended", "marched"...); documents where more than half the
instances are NEG are left out of the polarity counts.

The baseline dates the verb nearest to each DATE expression in its sentence.

Usage:
    python -m pipeline.evaluation.evaluate_event_dating --gold DIR \
        --out metrics/event-dating-NAME.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.core.config import Params, load_params
from pipeline.core.io import skip_evaluation, write_json
from schemas.vocabularies import DATE_BASES

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)

DATING_RELATIONS = frozenset(
    {"IS_INCLUDED", "DURING", "SIMULTANEOUS", "IDENTITY", "BEGINS", "ENDS", "BEGUN_BY", "ENDED_BY"}
)
"""Event-first TLINK relations that put an event at a time (the event is within, at, or
starts or ends at the time)."""

HOLDS_AT_DCT = DATING_RELATIONS | {"INCLUDES"}
"""Event-first relations to the DCT under which the event is going on on the publication day:
the dating ones, and INCLUDES (it began before the DCT and goes on after: "the agency says",
"prices are rising"), which is how TimeML marks what a report tells in the present. The
`document` basis claims no more than that."""

INVERSE = {
    "INCLUDES": "IS_INCLUDED",
    "IS_INCLUDED": "INCLUDES",
    "BEGINS": "BEGUN_BY",
    "BEGUN_BY": "BEGINS",
    "ENDS": "ENDED_BY",
    "ENDED_BY": "ENDS",
    "DURING": "DURING_INV",
    "DURING_INV": "DURING",
    "BEFORE": "AFTER",
    "AFTER": "BEFORE",
    "IBEFORE": "IAFTER",
    "IAFTER": "IBEFORE",
}
"""The relation seen from the other end ('t INCLUDES e' is 'e IS_INCLUDED t')."""


@dataclass(frozen=True)
class Extent:
    """A tagged span of the stripped <TEXT>: offsets and attributes."""

    start: int
    end: int
    attrs: tuple[tuple[str, str], ...]

    def get(self, key: str, default: str = "") -> str:
        """An attribute's value."""
        return dict(self.attrs).get(key, default)


@dataclass
class TimeMLDoc:
    """One TimeML document: text, DCT, EVENT and TIMEX3 extents, and its gold dated pairs."""

    name: str
    text: str
    dct: dt.date | None
    events: dict[str, Extent] = field(default_factory=dict)
    timexes: dict[str, Extent] = field(default_factory=dict)
    gold: set[tuple[str, str]] = field(default_factory=set)
    """(eid, timex value) pairs."""
    links: set[tuple[str, str]] = field(default_factory=set)
    """(eid, tid) behind the gold pairs, for error analysis."""
    dct_gold: set[tuple[str, str]] = field(default_factory=set)
    """(eid, DCT value) pairs: events going on at the DCT (`HOLDS_AT_DCT`), the gold of
    `document` events."""
    negated: set[str] = field(default_factory=set)
    """eids whose instance has polarity NEG."""
    polarity_reliable: bool = True
    dct_links: int = 0


def strip(body: str) -> tuple[str, list[tuple[str, Extent]]]:
    """Text of a <TEXT> body with its tags removed, and each (tag name, extent)."""
    out: list[str] = []
    length = 0
    position = 0
    stack: list[tuple[str, int, tuple[tuple[str, str], ...]]] = []
    found: list[tuple[str, Extent]] = []
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[position : m.start()])
        out.append(chunk)
        length += len(chunk)
        position = m.end()
        closing, name, attrs, empty = m.groups()
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    _, start, attributes = stack.pop(i)
                    found.append((name, Extent(start, length, attributes)))
                    break
        elif not empty:
            stack.append((name, length, tuple(_ATTR.findall(attrs))))
    out.append(html.unescape(body[position:]))
    return "".join(out), found


def _dct(tags: list[tuple[str, dict[str, str]]]) -> tuple[str | None, dt.date | None]:
    """The tid and date of the document creation time."""
    for name, attrs in tags:
        if name == "TIMEX3" and attrs.get("functionInDocument") == "CREATION_TIME":
            try:
                return attrs.get("tid"), dt.date.fromisoformat(attrs.get("value", "")[:10])
            except ValueError:
                return attrs.get("tid"), None
    return None, None


def parse_timeml(path: Path) -> TimeMLDoc:
    """Read a TimeML file and derive its gold dated events."""
    raw = path.read_text(encoding="utf-8")
    body = _TEXT.search(raw)
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    text, extents = strip(body.group(1))
    doc = TimeMLDoc(path.stem, text, None)
    for name, extent in extents:
        if name == "EVENT":
            doc.events[extent.get("eid")] = extent
        elif name == "TIMEX3":
            doc.timexes[extent.get("tid")] = extent
    tags = [(m.group(2), dict(_ATTR.findall(m.group(3)))) for m in _TAG.finditer(raw)]
    dct_tid, doc.dct = _dct(tags)
    instance = {a["eiid"]: a["eventID"] for n, a in tags if n == "MAKEINSTANCE"}
    doc.negated = {
        a["eventID"] for n, a in tags if n == "MAKEINSTANCE" and a.get("polarity") == "NEG"
    }
    doc.polarity_reliable = 2 * len(doc.negated) <= len(instance)
    links = [event_time_link(a, instance) for n, a in tags if n == "TLINK"]
    for eid, tid, relation in (link for link in links if link is not None):
        if eid not in doc.events:
            continue
        if tid == dct_tid and relation in HOLDS_AT_DCT and doc.dct is not None:
            doc.dct_gold.add((eid, doc.dct.isoformat()))
        if relation not in DATING_RELATIONS:
            continue
        if tid == dct_tid:
            doc.dct_links += 1
        elif tid in doc.timexes and doc.timexes[tid].get("type") == "DATE":
            doc.gold.add((eid, doc.timexes[tid].get("value")))
            doc.links.add((eid, tid))
    return doc


def event_time_link(attrs: dict[str, str], instance: dict[str, str]) -> tuple[str, str, str] | None:
    """(eid, tid, event-first relation) of an event-time TLINK; None for other links."""
    relation = attrs.get("relType", "")
    if "eventInstanceID" in attrs and "relatedToTime" in attrs:
        return instance.get(attrs["eventInstanceID"], ""), attrs["relatedToTime"], relation
    if "timeID" in attrs and "relatedToEventInstance" in attrs:
        return (
            instance.get(attrs["relatedToEventInstance"], ""),
            attrs["timeID"],
            INVERSE.get(relation, relation),
        )
    return None


# --- the systems -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dated:
    """A system event as scored: trigger offsets and the TimeML value of its date."""

    start: int
    end: int
    value: str
    polarity: str = "positive"
    basis: str = "explicit"


def chronicle_events(doc: Doc, text: str, dct: dt.date | None, params: Params) -> list[Dated]:
    """Events as the pipeline makes them, from its own stage functions."""
    from pipeline.events.extract import Resources, extract_parsed
    from pipeline.events.kb import load_knowledge_base
    from pipeline.nlp.store import segment_data
    from pipeline.timexes.stage import document_timexes

    doc_id = "doc_0000000000000000"
    parsed = [(segment_data(doc_id, 0, doc, params.nlp.entity_labels), doc)]
    data = [segment for segment, _ in parsed]
    timexes = document_timexes(doc_id, text, data, dct, "news", params.timexes.model_candidates)
    values = {row["timex_id"]: row["value"] for row in timexes}
    result = extract_parsed(
        doc_id,
        text,
        data,
        lambda: parsed,
        timexes,
        Resources.load(),
        load_knowledge_base(params.entities.kb),
        params.events,
        published=dct,
        anchor_mode="news",
    )
    return [
        Dated(
            e["trigger_start_char"],
            e["trigger_end_char"],
            values[e["timex_id"]] if e["timex_id"] else e["date_start"].isoformat(),
            e["polarity"],
            e["date_basis"],
        )
        for e in result["events"]
    ]


def _timexes(doc: Doc, text: str, dct: dt.date | None, params: Params) -> list:
    """The timexes stage's tagging of one parsed document (news mode, the DCT as reference)."""
    from pipeline.nlp.store import token_summary
    from pipeline.timexes.stage import tag_document

    return tag_document([token_summary(0, doc)], text, dct, "news", params.timexes.model_candidates)


def nearest_verb_events(doc: Doc, text: str, dct: dt.date | None, params: Params) -> list[Dated]:
    """Baseline: each DATE expression dates the nearest verb of its sentence."""
    out = []
    for timex in _timexes(doc, text, dct, params):
        if timex.type != "DATE":
            continue
        span = doc.char_span(timex.start, timex.end, alignment_mode="expand")
        if span is None:
            continue
        verbs = [t for t in span.sent if t.pos_ == "VERB" and not span.start <= t.i < span.end]
        if verbs:
            verb = min(verbs, key=lambda t: min(abs(t.i - span.start), abs(t.i - span.end)))
            out.append(Dated(verb.idx, verb.idx + len(verb.text), timex.value))
    return out


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Counts:
    """Summed counts over documents."""

    docs: int = 0
    gold: int = 0
    found: int = 0
    judged: int = 0
    correct: int = 0
    system: int = 0
    dct_links: int = 0
    polarity_judged: int = 0
    polarity_agree: int = 0
    negative_system: int = 0
    negative_gold: int = 0
    negative_both: int = 0

    def metrics(self) -> dict[str, object]:
        """Recall, precision and F1 from the counts."""
        p = self.correct / self.judged if self.judged else 0.0
        r = self.found / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "docs": self.docs,
            "gold_pairs": self.gold,
            "found": self.found,
            "system_events": self.system,
            "judged": self.judged,
            "correct": self.correct,
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "dct_links_not_scored": self.dct_links,
            "polarity": {
                "judged": self.polarity_judged,
                "accuracy": round(self.polarity_agree / self.polarity_judged, 4)
                if self.polarity_judged
                else 0.0,
                "negative_gold": self.negative_gold,
                "negative_system": self.negative_system,
                "negative_correct": self.negative_both,
            },
        }


def overlapping(events: dict[str, Extent], start: int, end: int) -> list[str]:
    """Ids of the gold EVENTs whose extent overlaps [start, end)."""
    return [eid for eid, e in events.items() if e.start < end and start < e.end]


def score_doc(
    gold: TimeMLDoc, system: Iterable[Dated], counts: Counts, against_dct: bool = False
) -> None:
    """Add one document's counts: against the dates of the text, or of the DCT (`dct_gold`)."""
    system = list(system)
    pairs = gold.dct_gold if against_dct else gold.gold
    counts.docs += 1
    counts.gold += len(pairs)
    counts.system += len(system)
    counts.dct_links += gold.dct_links
    found: set[tuple[str, str]] = set()
    for event in system:
        eids = overlapping(gold.events, event.start, event.end)
        if not eids:
            continue
        counts.judged += 1
        if gold.polarity_reliable:
            gold_negative = any(eid in gold.negated for eid in eids)
            negative = event.polarity == "negative"
            counts.polarity_judged += 1
            counts.polarity_agree += gold_negative == negative
            counts.negative_gold += gold_negative
            counts.negative_system += negative
            counts.negative_both += gold_negative and negative
        hits = {(eid, event.value) for eid in eids} & pairs
        counts.correct += bool(hits)
        found |= hits
    counts.found += len(found)


BASIS_KEYS = ("docs", "gold_pairs", "found", "system_events", "judged", "correct")
"""What `per_basis` reports of each basis's counts, beside precision, recall and F1."""


def basis_metrics(counts: Counts) -> dict[str, object]:
    """One basis's counts and scores (no polarity: that is the whole system's)."""
    m = counts.metrics()
    return {k: m[k] for k in (*BASIS_KEYS, "precision", "recall", "f1")}


def evaluate(docs: Sequence[TimeMLDoc], nlp: Language, params: Params) -> dict[str, object]:
    """Score the pipeline and the baseline on the same parses.

    `chronicle` scores the events dated by the text (explicit and narrative) against the
    text's dates; `per_basis` scores each basis apart, `document` against the DCT's links
    (whose events it is meant to date).
    """
    chronicle, baseline = Counts(), Counts()
    per_basis = {basis: Counts() for basis in DATE_BASES}
    for gold, doc in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        events = chronicle_events(doc, gold.text, gold.dct, params)
        score_doc(gold, [e for e in events if e.basis != "document"], chronicle)
        for basis, counts in per_basis.items():
            mine = [e for e in events if e.basis == basis]
            score_doc(gold, mine, counts, against_dct=basis == "document")
        score_doc(gold, nearest_verb_events(doc, gold.text, gold.dct, params), baseline)
    return {
        "chronicle": chronicle.metrics(),
        "per_basis": {basis: basis_metrics(counts) for basis, counts in per_basis.items()},
        "baseline_nearest_verb": baseline.metrics(),
        "relations": sorted(DATING_RELATIONS),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: score one folder of .tml files; skip when it is absent."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--gold", required=True, type=Path, help="folder of TimeML files")
    parser.add_argument("--out", type=Path, help="write the metrics as JSON here")
    args = parser.parse_args(argv)
    files = sorted(args.gold.glob("*.tml")) if args.gold.is_dir() else []
    if not files:
        return skip_evaluation(args.gold, args.out)
    from pipeline.core.model import load_model

    params = load_params()
    started = time.perf_counter()
    docs = [parse_timeml(path) for path in files]
    result = evaluate(docs, load_model(params.nlp.model), params)
    for name in ("baseline_nearest_verb", "chronicle"):
        m = result[name]
        print(
            f"{name:<22} R {m['recall']:.3f} ({m['found']}/{m['gold_pairs']})  "
            f"P {m['precision']:.3f} ({m['correct']}/{m['judged']})  F1 {m['f1']:.3f}"
        )
    for basis, m in result["per_basis"].items():
        print(
            f"  {basis:<20} R {m['recall']:.3f} ({m['found']}/{m['gold_pairs']})  "
            f"P {m['precision']:.3f} ({m['correct']}/{m['judged']})  of {m['system_events']}"
        )
    print(f"{len(docs)} documents in {time.perf_counter() - started:.1f} s")
    if args.out:
        write_json(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
