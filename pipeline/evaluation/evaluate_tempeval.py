"""TempEval-3 Task A (TIMEX3) scorer and command line for the Chronicle temporal tagger.

Counts as the official TempEval-3 scorer does: the text is the content of
<TEXT> with tags stripped; the DCT is the reference date; system and gold
TIMEX3 are aligned by character offsets (relaxed = overlap, strict = same
extent); counts are summed over documents; type and value accuracy are over
relaxed matches and value F1 = value accuracy x relaxed F1. The DCT is ignored.

Usage:
    python -m pipeline.evaluation.evaluate_tempeval --gold DIR [--out metrics.json]
        [--write-tml DIR] [--baseline spacy] [--spacy {none,tokens,spans}]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.io import skip_evaluation
from schemas.vocabularies import ANCHOR_MODES

_TAG_RE = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR_RE = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')
_TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT_RE = re.compile(r"<DCT>\s*<TIMEX3([^>]*)>", re.S)
_TIME_LABELS = ("DATE", "TIME")
"""The spaCy entity labels of temporal expressions."""


@dataclass(frozen=True)
class Span:
    """A TIMEX3 as scored: offsets into the stripped text, type, value and mod."""

    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    text: str = ""
    rule: str = ""


@dataclass
class Doc:
    """One TimeML document: id, stripped text, DCT and gold TIMEX3 spans."""

    name: str
    text: str
    dct: dt.date | None
    dct_value: str | None
    gold: list[Span] = field(default_factory=list)


def _unescape(s: str) -> str:
    return html.unescape(s) if "&" in s else s


def strip_tags(inner: str) -> tuple[str, list[Span]]:
    """Text of a <TEXT> body with tags removed, plus the TIMEX3 spans found in it."""
    out: list[str] = []
    length = 0
    open_timex: list[tuple[int, dict[str, str]]] = []
    spans: list[Span] = []
    pos = 0
    for m in _TAG_RE.finditer(inner):
        chunk = _unescape(inner[pos : m.start()])
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(2) != "TIMEX3":
            continue
        if m.group(1):
            if open_timex:
                start, attrs = open_timex.pop()
                spans.append(
                    Span(
                        start,
                        length,
                        attrs.get("type", ""),
                        attrs.get("value", ""),
                        attrs.get("mod"),
                    )
                )
        elif not m.group(4):
            open_timex.append((length, dict(_ATTR_RE.findall(m.group(3)))))
    out.append(_unescape(inner[pos:]))
    text = "".join(out)
    spans = [Span(s.start, s.end, s.type, s.value, s.mod, text[s.start : s.end]) for s in spans]
    return text, sorted(spans, key=lambda s: s.start)


def parse_tml(path: Path) -> Doc:
    """Read a TimeML file: the stripped <TEXT>, its TIMEX3s and the DCT value."""
    raw = path.read_text(encoding="utf-8")
    body = _TEXT_RE.search(raw)
    text, spans = strip_tags(body.group(1) if body else "")
    dct_value = None
    dct = None
    m = _DCT_RE.search(raw)
    if m:
        dct_value = dict(_ATTR_RE.findall(m.group(1))).get("value")
        try:
            dct = dt.date.fromisoformat((dct_value or "")[:10])
        except ValueError:
            dct = None
    return Doc(path.stem, text, dct, dct_value, spans)


def load_gold(folder: Path) -> list[Doc]:
    """All .tml documents of a folder, sorted by name."""
    return [parse_tml(p) for p in sorted(folder.glob("*.tml"))]


# ---------------------------------------------------------------- scoring


@dataclass
class Counts:
    """Summed counts over documents."""

    docs: int = 0
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0


def align(gold: Sequence[Span], system: Sequence[Span]) -> list[tuple[Span, Span]]:
    """Pair gold and system spans one-to-one by overlap, exact extents first."""
    pairs: list[tuple[Span, Span]] = []
    used: set[int] = set()
    pending: list[Span] = []
    exact = {(s.start, s.end): i for i, s in enumerate(system)}
    for g in gold:
        i = exact.get((g.start, g.end))
        if i is not None and i not in used:
            used.add(i)
            pairs.append((g, system[i]))
        else:
            pending.append(g)
    for g in pending:
        for i, s in enumerate(system):
            if i not in used and s.start < g.end and g.start < s.end:
                used.add(i)
                pairs.append((g, s))
                break
    return pairs


def count_doc(
    gold: Sequence[Span], system: Sequence[Span], counts: Counts
) -> list[tuple[Span, Span]]:
    """Add one document's counts; return its relaxed pairs (for error listings)."""
    pairs = align(gold, system)
    counts.docs += 1
    counts.gold += len(gold)
    counts.system += len(system)
    counts.relaxed += len(pairs)
    counts.strict += sum(1 for g, s in pairs if (g.start, g.end) == (s.start, s.end))
    counts.type_ok += sum(1 for g, s in pairs if g.type == s.type)
    counts.value_ok += sum(1 for g, s in pairs if g.value == s.value)
    return pairs


def _prf(match: int, system: int, gold: int) -> dict[str, float]:
    p = match / system if system else 0.0
    r = match / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def metrics(c: Counts) -> dict[str, object]:
    """The TempEval-3 Task A figures from summed counts."""
    relaxed = _prf(c.relaxed, c.system, c.gold)
    type_acc = c.type_ok / c.relaxed if c.relaxed else 0.0
    value_acc = c.value_ok / c.relaxed if c.relaxed else 0.0
    return {
        "docs": c.docs,
        "gold": c.gold,
        "system": c.system,
        "strict": _prf(c.strict, c.system, c.gold),
        "relaxed": relaxed,
        "type_accuracy": round(type_acc, 4),
        "value_accuracy": round(value_acc, 4),
        "type_f1": round(type_acc * relaxed["f1"], 4),
        "value_f1": round(value_acc * relaxed["f1"], 4),
    }


# ---------------------------------------------------------------- systems


System = Callable[[Doc], list[Span]]


def _load_spacy():  # type: ignore[no-untyped-def]
    """The model `params.yaml` names (nlp.model), through the one resolver the stages use."""
    from pipeline.core.config import DEFAULT_PARAMS, NlpParams, load_params
    from pipeline.core.model import load_model

    name = load_params().nlp.model if DEFAULT_PARAMS.exists() else NlpParams().model
    return load_model(name)


def make_system(use: str, mode: str = "news") -> System:
    """The rule tagger; `use` = "none" (no parser), "tokens" (POS hints) or "spans" (+ entities)."""
    from pipeline.timexes.temporal import Token, tag

    nlp = _load_spacy() if use != "none" else None

    def run(doc: Doc) -> list[Span]:
        tokens: list[Token] | None = None
        spans: list[tuple[int, int]] = []
        if nlp is not None:
            parsed = nlp(doc.text)
            tokens = [Token(t.idx, t.idx + len(t.text), t.pos_, t.tag_, t.lemma_) for t in parsed]
            if use == "spans":
                spans = [
                    (e.start_char, e.end_char) for e in parsed.ents if e.label_ in _TIME_LABELS
                ]
        found = tag(doc.text, dct=doc.dct, mode=mode, tokens=tokens, candidate_spans=spans)
        return [Span(t.start, t.end, t.type, t.value, t.mod, t.text, t.rule) for t in found]

    return run


def make_spacy_baseline(mode: str = "news") -> System:
    """SpaCy DATE/TIME entities alone, valued by the same normaliser (the baseline row)."""
    from pipeline.timexes.temporal import tag

    nlp = _load_spacy()

    def run(doc: Doc) -> list[Span]:
        out: list[Span] = []
        parsed = nlp(doc.text)
        ents = [e for e in parsed.ents if e.label_ in _TIME_LABELS]
        found = tag(
            doc.text,
            dct=doc.dct,
            mode=mode,
            candidate_spans=[(e.start_char, e.end_char) for e in ents],
        )
        for e in ents:
            inside = [t for t in found if t.start < e.end_char and e.start_char < t.end]
            best = max(inside, key=lambda t: t.end - t.start, default=None)
            type_ = best.type if best else e.label_
            value = best.value if best else ""
            out.append(Span(e.start_char, e.end_char, type_, value, None, e.text))
        return out

    return run


def evaluate(
    docs: Iterable[Doc], system: System
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """Score `system` on `docs`; return the metrics and a list of per-timex errors."""
    counts = Counts()
    errors: list[dict[str, object]] = []
    for doc in docs:
        sys_spans = system(doc)
        pairs = count_doc(doc.gold, sys_spans, counts)
        errors.extend(_errors(doc, pairs, sys_spans))
    return metrics(counts), errors


def _errors(
    doc: Doc, pairs: list[tuple[Span, Span]], sys_spans: list[Span]
) -> list[dict[str, object]]:
    """One document's errors: gold timexes missed, system ones spurious, then mismatched pairs."""
    matched_g = {id(g) for g, _ in pairs}
    matched_s = {id(s) for _, s in pairs}
    missed = [_missed(doc, g) for g in doc.gold if id(g) not in matched_g]
    spurious = [_spurious(doc, s) for s in sys_spans if id(s) not in matched_s]
    mismatched = [e for e in (_mismatched(doc, g, s) for g, s in pairs) if e is not None]
    return missed + spurious + mismatched


def _missed(doc: Doc, g: Span) -> dict[str, object]:
    return {
        "doc": doc.name,
        "kind": "missed",
        "gold": g.text,
        "gold_value": g.value,
        "gold_type": g.type,
        "context": _ctx(doc.text, g),
    }


def _spurious(doc: Doc, s: Span) -> dict[str, object]:
    return {
        "doc": doc.name,
        "kind": "spurious",
        "sys": s.text,
        "sys_value": s.value,
        "rule": s.rule,
        "sys_type": s.type,
        "context": _ctx(doc.text, s),
    }


def _mismatched(doc: Doc, g: Span, s: Span) -> dict[str, object] | None:
    """A matched pair that differs in extent, type or value ("extent+value"), else None."""
    kinds = []
    if (g.start, g.end) != (s.start, s.end):
        kinds.append("extent")
    if g.type != s.type:
        kinds.append("type")
    if g.value != s.value:
        kinds.append("value")
    if not kinds:
        return None
    return {
        "doc": doc.name,
        "kind": "+".join(kinds),
        "gold": g.text,
        "sys": s.text,
        "gold_value": g.value,
        "sys_value": s.value,
        "gold_type": g.type,
        "sys_type": s.type,
        "dct": doc.dct_value,
        "context": _ctx(doc.text, g),
        "rule": s.rule,
    }


def _ctx(text: str, s: Span) -> str:
    return " ".join(text[max(0, s.start - 50) : s.end + 30].split())


# ---------------------------------------------------------------- output


def to_tml(doc: Doc, spans: Sequence[Span]) -> str:
    """A TimeML document with the same <TEXT> and the system's TIMEX3 tags added."""
    parts: list[str] = []
    pos = 0
    for i, s in enumerate(sorted(spans, key=lambda s: s.start), start=1):
        if s.start < pos:
            continue
        parts.append(html.escape(doc.text[pos : s.start], quote=False))
        mod = f' mod="{s.mod}"' if s.mod else ""
        parts.append(
            f'<TIMEX3 tid="t{i}" type="{s.type}" value="{html.escape(s.value)}"{mod}>'
            f"{html.escape(doc.text[s.start : s.end], quote=False)}</TIMEX3>"
        )
        pos = s.end
    parts.append(html.escape(doc.text[pos:], quote=False))
    dct = doc.dct_value or ""
    return (
        '<?xml version="1.0" ?>\n<TimeML>\n\n'
        f"<DOCID>{html.escape(doc.name)}</DOCID>\n\n"
        f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" temporalFunction="false" '
        f'functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n\n'
        f"<TEXT>{''.join(parts)}</TEXT>\n\n</TimeML>\n"
    )


def format_table(rows: Sequence[tuple[str, dict[str, object]]]) -> str:
    """Plain-text table: strict P/R/F1, relaxed P/R/F1, type/value accuracy, value F1."""
    head = (
        f"{'system':<22} {'docs':>4} {'gold':>5} {'sys':>5} | {'sP':>5} {'sR':>5} {'sF1':>5} | "
        f"{'rP':>5} {'rR':>5} {'rF1':>5} | {'typeA':>5} {'valA':>5} {'typeF1':>6} {'valF1':>5}"
    )
    lines = [head, "-" * len(head)]
    for name, m in rows:
        s, r = m["strict"], m["relaxed"]
        assert isinstance(s, dict) and isinstance(r, dict)
        lines.append(
            f"{name:<22} {m['docs']:>4} {m['gold']:>5} {m['system']:>5} | "
            f"{s['p']:>5.3f} {s['r']:>5.3f} {s['f1']:>5.3f} | "
            f"{r['p']:>5.3f} {r['r']:>5.3f} {r['f1']:>5.3f} | "
            f"{m['type_accuracy']:>5.3f} {m['value_accuracy']:>5.3f} {m['type_f1']:>6.3f} "
            f"{m['value_f1']:>5.3f}"
        )
    return "\n".join(lines)


def _write_json(path: str | None, payload: dict[str, object]) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--gold", required=True, help="folder of TimeML .tml gold files")
    ap.add_argument("--out", help="write the metrics as JSON here")
    ap.add_argument("--write-tml", help="write the system output as .tml files in this folder")
    ap.add_argument("--baseline", choices=["spacy"], help="also score spaCy DATE/TIME alone")
    ap.add_argument(
        "--spacy",
        choices=["none", "tokens", "spans"],
        default="tokens",
        help="parser hints for the tagger: none, POS tokens, or tokens + entity spans",
    )
    ap.add_argument("--mode", choices=ANCHOR_MODES, default="news")
    ap.add_argument("--errors", help="write per-timex errors as JSON lines here")
    return ap


def _score(
    docs: list[Doc], args: argparse.Namespace
) -> tuple[dict[str, object], list[dict[str, object]], dict[str, list[Span]]]:
    """Score the tagger (and the baseline if asked) and print the table.

    Returns the metrics, the tagger's errors and its output per document.
    """
    t0 = time.perf_counter()
    system = make_system(args.spacy, args.mode)
    output: dict[str, list[Span]] = {}

    def kept(doc: Doc) -> list[Span]:
        output[doc.name] = system(doc)
        return output[doc.name]

    result, errors = evaluate(docs, kept)
    seconds = time.perf_counter() - t0  # printed, not saved: metrics files stay deterministic
    result["config"] = {"spacy": args.spacy, "mode": args.mode}
    rows: list[tuple[str, dict[str, object]]] = [(f"chronicle ({args.spacy})", result)]
    if args.baseline == "spacy":
        base, _ = evaluate(docs, make_spacy_baseline())
        result["baseline_spacy"] = base
        rows.append(("spaCy DATE/TIME only", base))
    print(format_table(rows))
    print(f"tagged {len(docs)} documents in {seconds:.1f} s")
    print("errors by kind:", dict(Counter(str(e["kind"]) for e in errors)))
    return result, errors, output


def _write_tml(folder: str, docs: list[Doc], output: dict[str, list[Span]]) -> None:
    out_dir = Path(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (out_dir / f"{doc.name}.tml").write_text(to_tml(doc, output[doc.name]), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    args = _parser().parse_args(argv)
    gold_dir = Path(args.gold)
    if not gold_dir.is_dir() or not any(gold_dir.glob("*.tml")):
        return skip_evaluation(gold_dir, Path(args.out) if args.out else None)
    docs = load_gold(gold_dir)
    result, errors, output = _score(docs, args)
    _write_json(args.out, result)
    if args.errors:
        Path(args.errors).write_text("".join(json.dumps(e) + "\n" for e in errors))
    if args.write_tml:
        _write_tml(args.write_tml, docs, output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
