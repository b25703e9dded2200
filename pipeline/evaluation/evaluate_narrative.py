"""Narrative-text scorer: the temporal tagger against WikiWars TIMEX2 gold, TERN-style.

The gold folder holds `keyinline/*.key.xml` (the documents with inline TIMEX2) and `in/*.sgm`
(the same documents untagged; their text must equal the tagged text with its tags removed).
The text is the content of <TEXT>; the document date (<DATETIME>) is the fallback anchor of
the tagger, which runs in narrative mode. Counting, micro-averaged over documents:

- strict: the extents are identical; relaxed: they overlap (one-to-one pairs, exact first);
- every TIMEX2 is a gold timex, nested ones included; one without `val` counts for extent only;
- value accuracy: among relaxed pairs whose gold has a `val`, the share with an equal value;
- extent + value P/R/F1: a pair is right when its values are equal; P over the system timexes
  (less those paired with a gold timex without `val`), R over the gold timexes with a `val`.

Values are compared after `accepted_values`, which maps TIMEX2 spellings that TIMEX3 writes
otherwise (sets) and nothing else. Errors are grouped by class (`classify`) into an errors
file beside the metrics (`--out m.json` also writes `m-errors.json`).

Usage:
    python -m pipeline.evaluation.evaluate_narrative --gold DIR [--out metrics.json]
        [--error-lines FILE] [--baseline spacy] [--spacy {none,tokens,spans}]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.io import detail_path, skip_evaluation, write_json, write_metrics
from pipeline.evaluation.evaluate_tempeval import (
    _ATTR_RE,
    _TAG_RE,
    Doc,
    Span,
    _unescape,
    make_spacy_baseline,
    make_system,
)
from schemas.vocabularies import ANCHOR_MODES, PRECISIONS, subset

_TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DATETIME_RE = re.compile(r"<DATETIME>(.*?)</DATETIME>", re.S)
REFS = frozenset({"PAST_REF", "PRESENT_REF", "FUTURE_REF"})
SET_VALUES = {"XXXX-XX-XX": "P1D", "XXXX-WXX": "P1W", "XXXX-XX": "P1M", "XXXX": "P1Y"}
"""TIMEX2 writes a set as the calendar unit it recurs in ("daily" XXXX-XX-XX), TIMEX3 as its
period (P1D, type SET): the same set in the two schemes."""
SOURCE = (
    "WikiWars v1.0.4 (Mazur & Dale 2010), CC BY-SA 3.0: the texts quoted below are excerpts of "
    "English Wikipedia articles, quoted for error analysis"
)
"""The attribution the errors file carries with its quoted examples."""
_CONTEXT = 40
"""Characters of text kept on each side of an error example."""
_RANGE_JOIN = re.compile(r"\s*(?:-|\u2013|\u2014|to|and|or|until|through)\s*", re.IGNORECASE)
"""What joins the two ends of a range or list of dates ("1861-1865", "May 4 and 5")."""
DATE_FIELDS = subset(PRECISIONS, "year", "month", "day")
"""The fields of a calendar value, in order, named like the precisions."""


@dataclass(frozen=True)
class Gold:
    """A gold TIMEX2: offsets into the stripped text, `val` (None when absent), mod, set flag.

    `nested` is true for a TIMEX2 inside or around another one; `event_based` for those the
    annotators marked as anchored to an event (comment EC:EVENT-BASED).
    """

    start: int
    end: int
    value: str | None
    mod: str | None = None
    is_set: bool = False
    text: str = ""
    nested: bool = False
    event_based: bool = False


@dataclass
class GoldDoc:
    """One WikiWars document: name, stripped text, document date and gold TIMEX2s."""

    name: str
    text: str
    dct: dt.date | None
    dct_value: str | None
    gold: list[Gold] = field(default_factory=list)

    def as_input(self) -> Doc:
        """The document as the TempEval systems take it (text and date, no gold)."""
        return Doc(self.name, self.text, self.dct, self.dct_value)


def _gold(start: int, end: int, attrs: dict[str, str], nested: bool) -> Gold:
    return Gold(
        start,
        end,
        attrs.get("val"),
        attrs.get("mod"),
        attrs.get("set") == "YES",
        nested=nested,
        event_based="EVENT-BASED" in attrs.get("comment", ""),
    )


def strip_timex2(inner: str) -> tuple[str, list[Gold]]:
    """Text of a <TEXT> body with its tags removed, and the TIMEX2s in it (nested ones too)."""
    out: list[str] = []
    length = 0
    opened: list[tuple[int, dict[str, str], list[bool]]] = []
    found: list[Gold] = []
    pos = 0
    for m in _TAG_RE.finditer(inner):
        chunk = _unescape(inner[pos : m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(2) != "TIMEX2" or m.group(4):
            continue
        if not m.group(1):
            if opened:
                opened[-1][2][0] = True  # the enclosing TIMEX2 holds another one
            opened.append((length, dict(_ATTR_RE.findall(m.group(3))), [bool(opened)]))
        elif opened:
            start, attrs, nested = opened.pop()
            found.append(_gold(start, length, attrs, nested[0]))
    out.append(_unescape(inner[pos:]))
    text = "".join(out)
    spans = [Gold(**{**g.__dict__, "text": text[g.start : g.end]}) for g in found]
    return text, sorted(spans, key=lambda g: (g.start, -g.end))


def _date_of(raw: str) -> tuple[dt.date | None, str | None]:
    m = _DATETIME_RE.search(raw)
    value = re.sub(r"<[^>]*>", "", m.group(1)).strip() if m else ""
    try:
        return dt.date.fromisoformat(value[:10]), value or None
    except ValueError:
        return None, value or None


def parse_document(key: Path, raw: Path | None = None) -> GoldDoc:
    """Read one inline-TIMEX2 document; check its text against the untagged `raw` one if given."""
    tagged = key.read_text(encoding="utf-8")
    body = _TEXT_RE.search(tagged)
    text, gold = strip_timex2(body.group(1) if body else "")
    if raw is not None:
        plain = _TEXT_RE.search(raw.read_text(encoding="utf-8"))
        if _unescape(plain.group(1) if plain else "") != text:
            raise ValueError(f"{key.name}: the tagged text differs from {raw}")
    dct, dct_value = _date_of(tagged)
    return GoldDoc(key.name.split(".")[0], text, dct, dct_value, gold)


def load_gold(folder: Path) -> list[GoldDoc]:
    """The documents of a WikiWars folder (`keyinline/`, checked against `in/`), by name."""
    docs = []
    for key in sorted((folder / "keyinline").glob("*.key.xml")):
        raw = folder / "in" / f"{key.name.split('.')[0]}.sgm"
        docs.append(parse_document(key, raw if raw.is_file() else None))
    return docs


# ---------------------------------------------------------------- values and alignment


def accepted_values(gold: Gold) -> frozenset[str]:
    """The system values that equal a gold `val`: itself, and the TIMEX3 form of a TIMEX2 set.

    Only differences of scheme: PAST_REF, PRESENT_REF, FUTURE_REF, BC years (BC0264), decades
    and mods are written alike in both schemes and are compared as they are.
    """
    if gold.value is None:
        return frozenset()
    value = gold.value.strip()
    if gold.is_set and value in SET_VALUES:
        return frozenset({value, SET_VALUES[value]})
    return frozenset({value})


def value_ok(gold: Gold, system: Span) -> bool:
    """Whether the system value equals the gold `val` (after `accepted_values`)."""
    return system.value.strip() in accepted_values(gold)


def _overlaps(a: Gold | Span, b: Gold | Span) -> bool:
    return a.start < b.end and b.start < a.end


def align(gold: Sequence[Gold], system: Sequence[Span]) -> list[tuple[Gold, Span]]:
    """Pair gold and system timexes one-to-one: exact extents first, then overlaps.

    Among overlaps, equal values come first, so a system timex goes to the gold one it got
    right (one "June 2-6, 1832" against gold "June 2" and "6, 1832").
    """
    pairs: list[tuple[Gold, Span]] = []
    free_g = list(range(len(gold)))
    free_s = list(range(len(system)))
    tests: tuple[Callable[[Gold, Span], bool], ...] = (
        lambda g, s: (g.start, g.end) == (s.start, s.end),
        lambda g, s: _overlaps(g, s) and value_ok(g, s),
        _overlaps,
    )
    for test in tests:
        for gi in list(free_g):
            si = next((i for i in free_s if test(gold[gi], system[i])), None)
            if si is not None:
                free_g.remove(gi)
                free_s.remove(si)
                pairs.append((gold[gi], system[si]))
    return sorted(pairs, key=lambda p: p[0].start)


# ---------------------------------------------------------------- counting


@dataclass
class Counts:
    """Counts summed over documents."""

    docs: int = 0
    gold: int = 0
    gold_valued: int = 0
    system: int = 0
    system_valued: int = 0
    strict: int = 0
    relaxed: int = 0
    relaxed_valued: int = 0
    value_ok: int = 0

    def add(self, gold: Sequence[Gold], system: Sequence[Span], pairs: Sequence[tuple]) -> None:
        """Add one document's gold, system output and pairs."""
        valued = [(g, s) for g, s in pairs if g.value is not None]
        self.docs += 1
        self.gold += len(gold)
        self.gold_valued += sum(1 for g in gold if g.value is not None)
        self.system += len(system)
        self.system_valued += len(system) - (len(pairs) - len(valued))
        self.relaxed += len(pairs)
        self.strict += sum(1 for g, s in pairs if (g.start, g.end) == (s.start, s.end))
        self.relaxed_valued += len(valued)
        self.value_ok += sum(1 for g, s in valued if value_ok(g, s))


def _prf(match: int, system: int, gold: int) -> dict[str, float]:
    p = match / system if system else 0.0
    r = match / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def metrics(c: Counts) -> dict[str, object]:
    """Strict and relaxed extent P/R/F1, value accuracy and extent + value P/R/F1."""
    return {
        "docs": c.docs,
        "gold": c.gold,
        "gold_with_value": c.gold_valued,
        "system": c.system,
        "strict": _prf(c.strict, c.system, c.gold),
        "relaxed": _prf(c.relaxed, c.system, c.gold),
        "value_accuracy": round(c.value_ok / c.relaxed_valued, 4) if c.relaxed_valued else 0.0,
        "extent_value": _prf(c.value_ok, c.system_valued, c.gold_valued),
    }


System = Callable[[Doc], list[Span]]


def evaluate(
    docs: Iterable[GoldDoc], system: System
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Score `system` on `docs`: overall (micro) and per-document metrics, and every error."""
    total = Counts()
    per_doc: dict[str, object] = {}
    errors: list[dict[str, object]] = []
    for doc in docs:
        output = system(doc.as_input())
        pairs = align(doc.gold, output)
        counts = Counts()
        for c in (total, counts):
            c.add(doc.gold, output, pairs)
        per_doc[doc.name] = metrics(counts)
        errors += doc_errors(doc, pairs, output)
    return {**metrics(total), "per_document": per_doc}, errors


# ---------------------------------------------------------------- error classes


def _date_parts(value: str) -> list[str]:
    """A date value's fields, era apart: "BC0216-08" -> ["0216", "08"]."""
    return value.removeprefix("BC").replace("T", "-").split("-")


def date_class(gold: str, system: str) -> str:
    """Which part of a calendar value is wrong: year, month, day, or granularity.

    Granularity when one value only refines the other (1863-02 vs 1863-02-09, 186 vs 1863),
    else the first field that differs.
    """
    if system.startswith(gold) or gold.startswith(system):
        return "granularity"
    g, s = _date_parts(gold), _date_parts(system)
    for name, gi, si in zip(DATE_FIELDS, g, s, strict=False):
        if gi != si:
            numeric = gi.isdigit() and si.isdigit()
            return name if numeric or name == "year" else "other date form"
    return "other date form"


def value_class(gold: Gold, system: Span, in_range: bool) -> str:
    """The class of a wrong value, most specific cause first."""
    g, s = (gold.value or "").strip(), system.value.strip()
    if in_range:
        return "range"
    if gold.is_set or system.type == "SET":
        return "set"
    if g in REFS or s in REFS:
        return "past/present/future ref"
    if g.startswith("P") != s.startswith("P"):
        return "duration vs date"
    if "X" in s and "X" not in g:
        return "unresolved"
    if g.startswith("XXXX") and not s.startswith("XXXX"):
        return "resolved, gold year unknown"
    if g.startswith("P"):
        return "duration"
    if g.startswith("BC") != s.startswith("BC"):
        return "era (BC/AD)"
    return date_class(g, s)


def extent_class(gold: Gold, system: Span, in_range: bool) -> str:
    """How a relaxed pair's extents differ, and on which side (modifiers before, phrases after)."""
    if in_range:
        return "range"
    before, after = system.start != gold.start, system.end != gold.end
    side = "both sides" if before and after else "before" if before else "after"
    if system.start <= gold.start and gold.end <= system.end:
        return f"system longer: words {side}"
    if gold.start <= system.start and system.end <= gold.end:
        return f"system shorter: misses words {side}"
    return "shifted"


def _calendar_kind(value: str) -> str:
    """What a missed gold date is: a BC date, a season, a time or part of day, or a date."""
    if value.startswith("BC"):
        return "BC date"
    if re.search(r"-(SP|SU|FA|WI)$", value):
        return "season"
    return "time or part of day" if "T" in value else "date"


def _joined(doc: GoldDoc, gold: Gold) -> bool:
    """Whether a gold timex is one end of a range or list of gold timexes ("April 6-7")."""
    for other in doc.gold:
        between = doc.text[gold.end : other.start] or doc.text[other.end : gold.start]
        if other is not gold and between and _RANGE_JOIN.fullmatch(between):
            return True
    return False


def missed_class(doc: GoldDoc, gold: Gold, system: Sequence[Span]) -> str:
    """Why a gold timex has no system partner, as far as the gold shows it."""
    if gold.nested:
        return "nested"
    if any(_overlaps(gold, s) for s in system):
        return "range"  # its words are in a system timex paired with another gold one
    if _joined(doc, gold):
        return "range or list end"
    if gold.value is None:
        return "no value"
    if gold.value in REFS:
        return "past/present/future ref"
    if gold.is_set:
        return "set"
    if gold.event_based:
        return "event-based"
    return "duration" if gold.value.startswith("P") else _calendar_kind(gold.value)


def _example(doc: GoldDoc, gold: Gold | None, system: Span | None) -> dict[str, object]:
    where = gold or system
    assert where is not None
    start, end = where.start, where.end
    row: dict[str, object] = {"doc": doc.name}
    if gold is not None:
        row |= {"gold": gold.text, "gold_value": gold.value, "gold_mod": gold.mod}
    if system is not None:
        row |= {"sys": system.text, "sys_value": system.value, "sys_mod": system.mod}
        row |= {"sys_type": system.type, "rule": system.rule}
    left = doc.text[max(0, start - _CONTEXT) : start]
    row["context"] = " ".join(
        f"{left}[{doc.text[start:end]}]{doc.text[end : end + _CONTEXT]}".split()
    )
    return row


def classify(gold: Gold, system: Span, others: Sequence[Gold]) -> list[tuple[str, str]]:
    """The error classes of one relaxed pair: none when it is right, else extent and/or value.

    `others` are the document's gold timexes: one the system timex also covers, apart from the
    pair's own gold and what nests in it, makes a range error. A right value with another mod
    is listed, not counted.
    """
    in_range = any(_overlaps(o, system) and not _overlaps(o, gold) for o in others)
    found = []
    if (gold.start, gold.end) != (system.start, system.end):
        found.append(("extent", extent_class(gold, system, in_range)))
    if gold.value is not None and not value_ok(gold, system):
        found.append(("value", value_class(gold, system, in_range)))
    elif gold.value is not None and (gold.mod or None) != (system.mod or None):
        found.append(("mod", "differs (not counted)"))
    return found


def doc_errors(
    doc: GoldDoc, pairs: Sequence[tuple[Gold, Span]], system: Sequence[Span]
) -> list[dict[str, object]]:
    """One document's errors, each with its class ("value/year", "missed/range"...)."""
    paired_g = {id(g) for g, _ in pairs}
    paired_s = {id(s) for _, s in pairs}
    errors = [
        {"class": f"missed/{missed_class(doc, g, system)}", **_example(doc, g, None)}
        for g in doc.gold
        if id(g) not in paired_g
    ]
    errors += [
        {"class": f"spurious/{s.type.lower()}", **_example(doc, None, s)}
        for s in system
        if id(s) not in paired_s
    ]
    for g, s in pairs:
        for kind, sub in classify(g, s, doc.gold):
            errors.append({"class": f"{kind}/{sub}", **_example(doc, g, s)})
    return errors


def group_errors(errors: Sequence[dict[str, object]], examples: int) -> dict[str, object]:
    """Errors by class: a count and the first `examples` of each, taken across documents."""
    by_class: dict[str, list[dict[str, object]]] = defaultdict(list)
    for error in errors:
        by_class[str(error["class"])].append(error)
    classes = {}
    for name, rows in by_class.items():
        rank = Counter[str]()
        order = []
        for row in rows:  # the first error of each document, then the second...
            rank[str(row["doc"])] += 1
            order.append((rank[str(row["doc"])], str(row["doc"])))
        chosen = [r for _, r in sorted(zip(order, rows, strict=True), key=lambda p: p[0])]
        kept = [{k: v for k, v in r.items() if k != "class"} for r in chosen[:examples]]
        classes[name] = {"count": len(rows), "examples": kept}
    return {"source": SOURCE, "errors": len(errors), "classes": classes}


# ---------------------------------------------------------------- output


def format_table(rows: Sequence[tuple[str, dict[str, object]]]) -> str:
    """Plain-text table: strict and relaxed P/R/F1, value accuracy, extent + value P/R/F1."""
    head = (
        f"{'system':<22} {'docs':>4} {'gold':>5} {'sys':>5} | {'sP':>5} {'sR':>5} {'sF1':>5} | "
        f"{'rP':>5} {'rR':>5} {'rF1':>5} | {'valA':>5} | {'vP':>5} {'vR':>5} {'vF1':>5}"
    )
    lines = [head, "-" * len(head)]
    for name, m in rows:
        s, r, v = m["strict"], m["relaxed"], m["extent_value"]
        assert isinstance(s, dict) and isinstance(r, dict) and isinstance(v, dict)
        lines.append(
            f"{name:<22} {m['docs']:>4} {m['gold']:>5} {m['system']:>5} | "
            f"{s['p']:>5.3f} {s['r']:>5.3f} {s['f1']:>5.3f} | "
            f"{r['p']:>5.3f} {r['r']:>5.3f} {r['f1']:>5.3f} | {m['value_accuracy']:>5.3f} | "
            f"{v['p']:>5.3f} {v['r']:>5.3f} {v['f1']:>5.3f}"
        )
    return "\n".join(lines)


def format_classes(grouped: dict[str, object]) -> str:
    """The error classes, largest first, each with one example."""
    classes = grouped["classes"]
    assert isinstance(classes, dict)
    lines = [f"{'error class':<48} {'count':>5}  example (gold val | system val)"]
    for name, entry in sorted(classes.items(), key=lambda kv: (-kv[1]["count"], kv[0])):
        first = entry["examples"][0]
        text = first.get("gold", first.get("sys", ""))
        values = f"{first.get('gold_value', '-')} | {first.get('sys_value', '-')}"
        lines.append(f"{name:<48} {entry['count']:>5}  {str(text)[:30]!r} ({values})")
    return "\n".join(lines)


def errors_path(out: Path) -> Path:
    """The errors file that goes with a metrics file: metrics/x.json -> metrics/x-errors.json."""
    return out.with_name(f"{out.stem}-errors.json")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--gold", required=True, type=Path, help="WikiWars folder (keyinline/, in/)")
    ap.add_argument("--out", type=Path, help="write the metrics (and OUT-errors.json) here")
    ap.add_argument("--examples", type=int, default=5, help="examples kept per error class")
    ap.add_argument("--error-lines", type=Path, help="write every error as JSON lines here")
    ap.add_argument("--baseline", choices=["spacy"], help="also score spaCy DATE/TIME alone")
    ap.add_argument(
        "--spacy",
        choices=["none", "tokens", "spans"],
        default="tokens",
        help="parser hints for the tagger: none, POS tokens, or tokens + entity spans",
    )
    ap.add_argument("--mode", choices=ANCHOR_MODES, default="narrative")
    return ap


def _score(
    docs: list[GoldDoc], args: argparse.Namespace
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Score the tagger (and the baseline if asked); print the table. Returns metrics, errors."""
    started = time.perf_counter()
    result, errors = evaluate(docs, make_system(args.spacy, args.mode))
    seconds = time.perf_counter() - started  # printed, not saved: metrics stay deterministic
    result["config"] = {"spacy": args.spacy, "mode": args.mode}
    rows: list[tuple[str, dict[str, object]]] = [(f"chronicle ({args.spacy})", result)]
    if args.baseline == "spacy":
        base, _ = evaluate(docs, make_spacy_baseline(args.mode))
        result["baseline_spacy"] = base
        rows.append(("spaCy DATE/TIME only", base))
    print(format_table(rows))
    print(f"tagged {len(docs)} documents in {seconds:.1f} s")
    return result, errors


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; skips cleanly (exit 0) when the gold folder is absent."""
    args = _parser().parse_args(argv)
    errors_file = errors_path(args.out) if args.out else None
    if not any((args.gold / "keyinline").glob("*.key.xml")):
        return skip_evaluation(args.gold, args.out, args.out and detail_path(args.out), errors_file)
    docs = load_gold(args.gold)
    result, errors = _score(docs, args)
    grouped = group_errors(errors, args.examples)
    print(format_classes(grouped))
    if args.out:  # the per-document figures go to OUT-detail.json
        write_metrics(result, args.out, ("per_document",))
    if errors_file:
        write_json(grouped, errors_file)
    if args.error_lines:
        args.error_lines.write_text("".join(json.dumps(e) + "\n" for e in errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
