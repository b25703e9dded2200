"""The coreference metrics on hand-computed examples, and reading ECB+ XML."""

import pytest

from pipeline.evaluation.evaluate_event_groups import (
    b_cubed,
    ceaf_e,
    gold_clusters,
    muc,
    read_document,
    same_lemma,
    scores,
)

# The example of the CoNLL-2012 reference scorer's paper (Pradhan et al. 2014, figure 1):
# key {a b c} {d e f g}; response {a b} {c d} {f g h i}, where h and i are not in the key.
KEY = [frozenset("abc"), frozenset("defg")]
RESPONSE = [frozenset("ab"), frozenset("cd"), frozenset("fghi")]


def test_muc_counts_links_kept():
    """Recall ((3-2) + (4-3)) / (2 + 3); precision ((2-1) + (2-2) + (4-3)) / (1 + 1 + 3)."""
    assert muc(KEY, RESPONSE) == {"recall": 0.4, "precision": 0.4, "f1": 0.4}


def test_b_cubed_averages_over_each_sides_mentions():
    """Recall (4/3 + 1/3 + 1/4 + 4/4) / 7 = 5/12; precision (4/2 + 2/2 + 4/4) / 8 = 1/2."""
    result = b_cubed(KEY, RESPONSE)
    assert result["recall"] == pytest.approx(5 / 12, abs=1e-4)
    assert result["precision"] == 0.5


def test_ceaf_e_aligns_clusters_one_to_one():
    """Best alignment {a b c}-{a b} (2*2/5) and {d e f g}-{f g h i} (2*2/8): 1.3 of 2 and 3."""
    result = ceaf_e(KEY, RESPONSE)
    assert result["recall"] == 0.65
    assert result["precision"] == pytest.approx(1.3 / 3, abs=1e-4)


def test_a_perfect_response_scores_one_and_all_singletons_score_no_links():
    assert scores(KEY, KEY)["conll_f1"] == 1.0
    singletons = [frozenset(m) for m in "abcdefg"]
    assert muc(KEY, singletons)["f1"] == 0.0
    assert b_cubed(KEY, singletons)["precision"] == 1.0


ECB = """<Document doc_name="99_1ecb.xml" doc_id="DOC1">
<token t_id="1" sentence="0" number="0">Quake</token>
<token t_id="2" sentence="0" number="1">hits</token>
<token t_id="3" sentence="0" number="2">town</token>
<token t_id="4" sentence="1" number="0">The</token>
<token t_id="5" sentence="1" number="1">earthquake</token>
<token t_id="6" sentence="1" number="2">struck</token>
<token t_id="7" sentence="1" number="3">at</token>
<token t_id="8" sentence="1" number="4">dawn</token>
<token t_id="9" sentence="2" number="0">People</token>
<token t_id="10" sentence="2" number="1">fled</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"  >
  <token_anchor t_id="1"/>
</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="2"  >
  <token_anchor t_id="5"/>
</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="3"  >
  <token_anchor t_id="6"/>
</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="4"  >
  <token_anchor t_id="10"/>
</ACTION_OCCURRENCE>
<LOC_GEO m_id="5"  >
  <token_anchor t_id="3"/>
</LOC_GEO>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT1" >
  <source m_id="1" />
  <source m_id="2" />
  <target m_id="9" />
</CROSS_DOC_COREF>
</Relations>
</Document>
"""


def test_reading_keeps_the_event_mentions_of_checked_sentences_with_their_clusters(tmp_path):
    path = tmp_path / "99_1ecb.xml"
    path.write_text(ECB, encoding="utf-8")
    doc = read_document(path, 99, checked={0, 1})
    assert doc.text == "Quake hits town\nThe earthquake struck at dawn\nPeople fled\n"
    assert [(doc.text[m.start_char : m.end_char], m.cluster) for m in doc.mentions] == [
        ("Quake", "99:ACT1"),
        ("earthquake", "99:ACT1"),
        ("struck", "99_1ecb:3"),  # no chain: a cluster of its own
    ]
    assert gold_clusters([doc]) == [
        frozenset({"99_1ecb:1", "99_1ecb:2"}),
        frozenset({"99_1ecb:3"}),
    ]


def test_the_baseline_clusters_by_lemma():
    class T:
        def __init__(self, key, lemma):
            self.event_id, self.trigger = key, lemma

    found = same_lemma([T("a", "hit"), T("b", "strike"), T("c", "hit")])
    assert sorted(map(sorted, found)) == [["a", "c"], ["b"]]
