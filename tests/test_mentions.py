"""Mention cleaning, clustering and canonical entities on inline rows."""

from pipeline.entities import build, canonical_name
from pipeline.mentions import display_name, from_spans, majority_label, name_key, resolve_document


def span(doc, start, text, label, pos="PROPN"):
    return {"doc_id": doc, "sentence_id": "sen_0000000000000000", "start_char": start,
            "end_char": start + len(text), "text": text, "label": label,
            "pos": " ".join([pos] * len(text.split()))}


def test_names_lose_articles_and_possessives():
    assert display_name("the United States") == "United States"
    assert display_name("Khrushchev's") == "Khrushchev"
    assert name_key("the U.S.") == name_key("U.S") == "u s"


def test_adverb_tagged_as_person_is_dropped_and_counted():
    kept, dropped = from_spans([span("doc_a", 0, "Seemingly", "PERSON", pos="ADV"),
                                span("doc_a", 20, "Kennedy", "PERSON")])
    assert [m.text for m in kept] == ["Kennedy"]
    assert dropped == {"not_a_name": 1}


def test_surname_joins_full_name_and_label_follows_majority():
    kept, _ = from_spans([span("doc_a", 0, "Nikita Khrushchev", "PERSON"),
                          span("doc_a", 40, "Khrushchev", "PERSON"),
                          span("doc_a", 80, "Khrushchev", "NORP"),
                          span("doc_a", 120, "Khrushchev", "PERSON")])
    resolved = resolve_document(kept)
    assert {m.cluster for m in resolved} == {"nikita khrushchev"}
    assert {m.label for m in resolved} == {"PERSON"}


def test_shared_surname_stays_ambiguous():
    kept, _ = from_spans([span("doc_a", 0, "John Kennedy", "PERSON"),
                          span("doc_a", 20, "Robert Kennedy", "PERSON"),
                          span("doc_a", 40, "Kennedy", "PERSON")])
    clusters = {m.text: m.cluster for m in resolve_document(kept)}
    assert clusters["Kennedy"] == "kennedy"


def test_one_word_place_is_not_taken_for_a_surname():
    kept, _ = from_spans([span("doc_a", 0, "George Washington", "PERSON"),
                          span("doc_a", 30, "Washington", "GPE")])
    clusters = {m.text: m.cluster for m in resolve_document(kept)}
    assert clusters["Washington"] == "washington"


def test_majority_label_breaks_ties_by_priority():
    assert majority_label(["NORP", "PERSON"]) == "PERSON"
    assert majority_label(["GPE", "GPE", "PERSON"]) == "GPE"


def test_entities_merge_across_documents_and_count():
    kept, _ = from_spans([span("doc_a", 0, "Nikita Khrushchev", "PERSON"),
                          span("doc_a", 40, "Khrushchev", "PERSON"),
                          span("doc_b", 0, "Khrushchev", "PERSON"),
                          span("doc_b", 20, "the United States", "GPE"),
                          span("doc_a", 60, "United States", "GPE")])
    resolved = [m for d in ("doc_a", "doc_b")
                for m in resolve_document([k for k in kept if k.doc_id == d])]
    mentions, entities = build(resolved)
    by_name = entities.set_index("name")
    assert by_name.loc["Nikita Khrushchev", "n_mentions"] == 3
    assert by_name.loc["Nikita Khrushchev", "n_documents"] == 2
    assert by_name.loc["Nikita Khrushchev", "aliases"] == ["Khrushchev", "Nikita Khrushchev"]
    assert by_name.loc["United States", "n_documents"] == 2
    assert mentions["entity_id"].nunique() == 2


def test_canonical_name_prefers_fullest_form():
    assert canonical_name(["Castro", "Fidel Castro", "Castro"]) == "Fidel Castro"
