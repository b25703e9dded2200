"""The narrative (TIMEX2) scorer on hand-written snippets: parsing, matching, values, errors."""

import json

import pytest

from pipeline.evaluation import evaluate_narrative as nar
from pipeline.evaluation.evaluate_narrative import Gold, GoldDoc, Span

TAGGED = (
    'In <TIMEX2 val="BC0218">218 BC</TIMEX2> Hannibal crossed the Alps; '
    '<TIMEX2 val="P20Y" comment="EC:EVENT-BASED">the twenty years after '
    '<TIMEX2 val="1848">1848</TIMEX2></TIMEX2> were quiet &amp; long. '
    'The <TIMEX2 val="PAST_REF">former</TIMEX2> king wrote '
    '<TIMEX2 val="XXXX-XX-XX" set="YES">daily</TIMEX2> during '
    '<TIMEX2>this period</TIMEX2>, <TIMEX2 val="1863-02" mod="START">early February</TIMEX2>.'
)


def document(tagged: str, name: str = "doc") -> str:
    return (
        f"<DOC>\n<DOCID>{name}</DOCID>\n<DATETIME> 2009-12-19T17:00:00 </DATETIME>\n"
        f"<TEXT>\n{tagged}\n</TEXT>\n</DOC>\n"
    )


def at(text: str, phrase: str, value: str, type_: str = "DATE") -> Span:
    start = text.index(phrase)
    return Span(start, start + len(phrase), type_, value, None, phrase)


def gold_at(text: str, phrase: str, value: str | None, **kw) -> Gold:
    start = text.index(phrase)
    return Gold(start, start + len(phrase), value, text=phrase, **kw)


def test_inline_timex2_become_offsets_with_nesting_sets_and_missing_values():
    text, gold = nar.strip_timex2(TAGGED)
    assert "<" not in text and "quiet & long" in text
    assert [(g.text, g.value) for g in gold] == [
        ("218 BC", "BC0218"),
        ("the twenty years after 1848", "P20Y"),
        ("1848", "1848"),
        ("former", "PAST_REF"),
        ("daily", "XXXX-XX-XX"),
        ("this period", None),
        ("early February", "1863-02"),
    ]
    assert all(text[g.start : g.end] == g.text for g in gold)
    nested = {g.text: g.nested for g in gold}
    assert nested["the twenty years after 1848"] and nested["1848"] and not nested["218 BC"]
    assert gold[1].event_based and gold[4].is_set and gold[6].mod == "START"


def test_a_folder_is_read_from_keyinline_and_checked_against_in(tmp_path):
    (tmp_path / "keyinline").mkdir()
    (tmp_path / "in").mkdir()
    (tmp_path / "keyinline" / "01_Test.key.xml").write_text(document(TAGGED, "01_Test"))
    plain = nar.strip_timex2(TAGGED)[0].replace("&", "&amp;")
    (tmp_path / "in" / "01_Test.sgm").write_text(document(plain, "01_Test"))
    [doc] = nar.load_gold(tmp_path)
    assert (doc.name, str(doc.dct), len(doc.gold)) == ("01_Test", "2009-12-19", 7)
    (tmp_path / "in" / "01_Test.sgm").write_text(document("Something else.", "01_Test"))
    with pytest.raises(ValueError, match="differs"):
        nar.load_gold(tmp_path)


def test_a_timex2_set_equals_its_timex3_form_and_nothing_else_is_mapped():
    daily = Gold(0, 5, "XXXX-XX-XX", is_set=True)
    assert nar.accepted_values(daily) == {"XXXX-XX-XX", "P1D"}
    assert nar.accepted_values(Gold(0, 5, "XXXX-XX-XX")) == {"XXXX-XX-XX"}  # a date, not a set
    assert nar.accepted_values(Gold(0, 6, "PAST_REF")) == {"PAST_REF"}
    assert nar.accepted_values(Gold(0, 6, "BC0218")) == {"BC0218"}
    assert nar.accepted_values(Gold(0, 6, None)) == set()
    assert nar.value_ok(daily, Span(0, 5, "SET", "P1D"))


def test_strict_relaxed_and_extent_value_counted_by_hand():
    text = "In 218 BC and in early February 1863, during this period, the former king left."
    gold = [
        gold_at(text, "218 BC", "BC0218"),
        gold_at(text, "early February 1863", "1863-02", mod="START"),
        gold_at(text, "this period", None),
        gold_at(text, "former", "PAST_REF"),
    ]
    system = [
        at(text, "218 BC", "BC0218"),  # strict, value right
        at(text, "February 1863", "1864-02"),  # relaxed only, wrong year
        at(text, "this period", "PXY"),  # strict; gold has no val: extent only
        at(text, "king", "XXXX"),  # spurious
    ]  # "former" is missed
    doc = GoldDoc("d", text, None, None, gold)
    m, errors = nar.evaluate([doc], lambda _: system)
    assert (m["gold"], m["gold_with_value"], m["system"]) == (4, 3, 4)
    assert m["strict"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert m["relaxed"] == {"p": 0.75, "r": 0.75, "f1": 0.75}
    assert m["value_accuracy"] == 0.5  # 1 of the 2 relaxed pairs whose gold has a val
    # right: 218 BC; P over 3 system timexes (not the one paired with a val-less gold), R over 3
    assert m["extent_value"] == {"p": 0.3333, "r": 0.3333, "f1": 0.3333}
    assert m["per_document"]["d"]["strict"]["f1"] == 0.5
    assert sorted(str(e["class"]) for e in errors) == [
        "extent/system shorter: misses words before",
        "missed/past/present/future ref",
        "spurious/date",
        "value/year",
    ]


def test_a_system_timex_goes_to_the_gold_one_whose_value_it_has():
    text = "Between June 2-6, 1832 the fleet sailed."
    gold = [gold_at(text, "June 2", "1832-06-02"), gold_at(text, "6, 1832", "1832-06-06")]
    [(g, _)] = nar.align(gold, [at(text, "June 2-6, 1832", "1832-06-06")])
    assert g.text == "6, 1832"


@pytest.mark.parametrize(
    ("gold", "system", "expected"),
    [
        ("1863-02", "1863-02-09", "granularity"),
        ("186", "1863", "granularity"),
        ("1864-02-09", "1863-02-09", "year"),
        ("BC0216-08", "BC0217-08", "year"),
        ("1863-03-12", "1863-02-12", "month"),
        ("1863-03-12", "1863-03-03", "day"),
        ("1916-WI", "1916-12", "other date form"),
        ("1863-03-12", "1863-XX-XX", "unresolved"),
        ("XXXX-XX-XX", "1967-10-XX", "resolved, gold year unknown"),
        ("BC0218", "2011", "era (BC/AD)"),
        ("PAST_REF", "PXY", "past/present/future ref"),
        ("1861-04-20", "P8D", "duration vs date"),
        ("P1DE", "P10Y", "duration"),
    ],
)
def test_value_errors_are_classed_by_what_is_wrong(gold, system, expected):
    pair = (Gold(0, 4, gold), Span(0, 4, "DATE", system))
    assert nar.value_class(*pair, in_range=False) == expected


def test_one_system_timex_over_a_gold_range_is_a_range_error_and_the_other_end_is_missed():
    text = "Eastern Theater 1861-1863 ended."
    gold = [gold_at(text, "1861", "1861"), gold_at(text, "1863", "1863")]
    system = [at(text, "1861-1863", "P3Y", "DURATION")]
    doc = GoldDoc("d", text, None, None, gold)
    classes = sorted(str(e["class"]) for e in nar.doc_errors(doc, nar.align(gold, system), system))
    assert classes == ["extent/range", "missed/range", "value/range"]


def test_a_missed_end_of_a_range_or_list_is_classed_as_such():
    text = "The siege of Valmora, on April 6-7, and a raid in May."
    gold = [
        gold_at(text, "April 6", "1915-04-06"),
        gold_at(text, "7", "1915-04-07"),
        gold_at(text, "May", "1915-05"),
    ]
    doc = GoldDoc("d", text, None, None, gold)
    system = [at(text, "April 6", "1915-04-06")]
    assert [nar.missed_class(doc, g, system) for g in gold[1:]] == ["range or list end", "date"]


def test_errors_are_grouped_with_counts_and_examples_across_documents():
    errors = [{"class": "value/year", "doc": d, "n": i} for d in "ab" for i in range(3)]
    grouped = nar.group_errors(errors, examples=2)
    entry = grouped["classes"]["value/year"]
    assert entry["count"] == 6 and [e["doc"] for e in entry["examples"]] == ["a", "b"]
    assert "CC BY-SA" in grouped["source"]


def test_the_stage_skips_cleanly_when_the_data_is_absent(tmp_path):
    out, errors = tmp_path / "m.json", tmp_path / "m-errors.json"
    assert nar.main(["--gold", str(tmp_path / "absent"), "--out", str(out)]) == 0
    for path in (out, errors, tmp_path / "m-detail.json"):
        result = json.loads(path.read_text())
        assert result["skipped"] is True and "absent" in result["reason"]


def test_the_command_scores_a_folder_with_the_rule_tagger(tmp_path, capsys):
    (tmp_path / "keyinline").mkdir()
    tagged = 'On <TIMEX2 val="1863-03-03">3 March 1863</TIMEX2> the army crossed the river.'
    (tmp_path / "keyinline" / "a.key.xml").write_text(document(tagged, "a"))
    out, errors = tmp_path / "m.json", tmp_path / "m-errors.json"
    args = ["--gold", str(tmp_path), "--out", str(out), "--spacy", "none"]
    assert nar.main(args) == 0
    m = json.loads(out.read_text())
    assert m["strict"]["f1"] == 1.0 and m["extent_value"]["f1"] == 1.0
    assert m["config"] == {"mode": "narrative", "spacy": "none"}
    assert "per_document" not in m  # in the detail file: `dvc metrics show` stays readable
    detail = json.loads((tmp_path / "m-detail.json").read_text())
    assert detail["per_document"]["a"]["strict"]["f1"] == 1.0
    assert json.loads(errors.read_text())["errors"] == 0
    assert "error class" in capsys.readouterr().out
