"""TempEval-3 scorer on two tiny hand-made TimeML documents, with counts worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluation import evaluate_tempeval as ev
from pipeline.evaluation.evaluate_tempeval import Span

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "tempeval"


@pytest.fixture(scope="module")
def docs() -> dict[str, ev.Doc]:
    return {d.name: d for d in ev.load_gold(FIXTURES)}


def at(doc: ev.Doc, phrase: str, type_: str, value: str) -> Span:
    start = doc.text.index(phrase)
    return Span(start, start + len(phrase), type_, value, None, phrase)


def test_parse_strips_tags_and_keeps_offsets(docs):
    a, b = docs["doc_a"], docs["doc_b"]
    assert a.dct_value == "2020-06-12" and str(a.dct) == "2020-06-12"
    assert "<" not in a.text and "&amp;" not in b.text and "&" in b.text
    assert [(g.text, g.type, g.value) for g in a.gold] == [
        ("Wednesday", "DATE", "2020-06-10"),
        ("three months", "DURATION", "P3M"),
        ("1998", "DATE", "1998"),
        ("daily", "SET", "P1D"),
    ]
    for doc in (a, b):
        for g in doc.gold:
            assert doc.text[g.start : g.end] == g.text
    assert len(b.gold) == 3  # the DCT is not counted


def hand_system(doc: ev.Doc) -> list[Span]:
    if doc.name == "doc_a":
        return [
            at(doc, "Wednesday", "DATE", "2020-06-10"),  # strict, type ok, value ok
            at(doc, "after three months", "DURATION", "P3M"),  # relaxed only
            at(doc, "1998", "DATE", "1998"),  # strict
            at(doc, "bakery", "DATE", "XXXX"),  # spurious; "daily" is missed
        ]
    return [
        at(doc, "yesterday", "DATE", "2021-01-03"),  # strict
        at(doc, "last week", "DATE", "2020-W52"),  # strict, wrong value
        at(doc, "March", "DURATION", "2021-03"),  # strict, wrong type
    ]


def test_scores_computed_by_hand(docs):
    m, errors = ev.evaluate(docs.values(), hand_system)
    # gold 4 + 3 = 7; system 4 + 3 = 7; relaxed matches 3 + 3 = 6; strict 2 + 3 = 5
    assert (m["docs"], m["gold"], m["system"]) == (2, 7, 7)
    assert m["relaxed"] == {"p": round(6 / 7, 4), "r": round(6 / 7, 4), "f1": round(6 / 7, 4)}
    assert m["strict"] == {"p": round(5 / 7, 4), "r": round(5 / 7, 4), "f1": round(5 / 7, 4)}
    assert m["type_accuracy"] == round(5 / 6, 4)  # "March" typed DURATION
    assert m["value_accuracy"] == round(5 / 6, 4)  # "last week" valued 2020-W52
    assert m["value_f1"] == round(5 / 6 * 6 / 7, 4)
    assert m["type_f1"] == round(5 / 6 * 6 / 7, 4)
    kinds = sorted(str(e["kind"]) for e in errors)
    assert kinds == ["extent", "missed", "spurious", "type", "value"]


def test_alignment_is_one_to_one():
    gold = [Span(0, 6, "DATE", "x"), Span(7, 12, "DATE", "y")]
    system = [Span(0, 12, "DATE", "x")]  # overlaps both, may match only one
    assert len(ev.align(gold, system)) == 1


def test_tagger_on_the_fixtures_is_perfect(docs):
    m, _ = ev.evaluate(docs.values(), ev.make_system("none"))
    assert m["relaxed"]["f1"] == 1.0 and m["strict"]["f1"] == 1.0
    assert m["value_accuracy"] == 1.0 and m["type_accuracy"] == 1.0


def test_write_tml_round_trips(docs, tmp_path):
    for doc in docs.values():
        spans = hand_system(doc)
        path = tmp_path / f"{doc.name}.tml"
        path.write_text(ev.to_tml(doc, spans), encoding="utf-8")
        back = ev.parse_tml(path)
        assert back.text == doc.text
        assert back.dct_value == doc.dct_value
        assert [(s.start, s.end, s.type, s.value) for s in back.gold] == [
            (s.start, s.end, s.type, s.value) for s in sorted(spans, key=lambda s: s.start)
        ]


def test_cli_on_fixtures(tmp_path, capsys):
    out = tmp_path / "metrics.json"
    tml_dir = tmp_path / "tml"
    code = ev.main(
        ["--gold", str(FIXTURES), "--out", str(out), "--spacy", "none", "--write-tml", str(tml_dir)]
    )
    assert code == 0
    m = json.loads(out.read_text())
    assert (m["docs"], m["gold"]) == (2, 7)
    assert set(m) >= {"strict", "relaxed", "type_accuracy", "value_accuracy", "value_f1", "type_f1"}
    assert sorted(p.name for p in tml_dir.iterdir()) == ["doc_a.tml", "doc_b.tml"]
    assert "valF1" in capsys.readouterr().out  # the table was printed


def test_cli_skips_cleanly_without_gold(tmp_path, capsys):
    out = tmp_path / "metrics.json"
    missing = tmp_path / "no-such-folder"
    assert ev.main(["--gold", str(missing), "--out", str(out)]) == 0
    assert f"skipped: gold data not found at {missing}" in capsys.readouterr().out
    m = json.loads(out.read_text())
    assert m["skipped"] is True and "not found" in m["reason"]
