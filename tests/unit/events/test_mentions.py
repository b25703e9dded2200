"""Mention cleaning, clustering and canonical entities on inline rows."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.entities.stage import build, canonical_name
from pipeline.events.kb import load_knowledge_base
from pipeline.events.mentions import (
    correct_document,
    display_name,
    find_names,
    from_spans,
    load_titles,
    majority_label,
    name_key,
    name_pattern_spans,
    resolve_document,
    trim_span,
)


def span(doc, start, text, label, pos="PROPN"):
    return {
        "doc_id": doc,
        "sentence_id": "sen_0000000000000000",
        "start_char": start,
        "end_char": start + len(text),
        "text": text,
        "label": label,
        "pos": " ".join([pos] * len(text.split())),
    }


def test_names_lose_articles_and_possessives():
    assert display_name("the United States") == "United States"
    assert display_name("Khrushchev's") == "Khrushchev"
    assert name_key("the U.S.") == name_key("U.S") == "u s"


def test_adverb_tagged_as_person_is_dropped_and_counted():
    kept, dropped = from_spans(
        [span("doc_a", 0, "Seemingly", "PERSON", pos="ADV"), span("doc_a", 20, "Kennedy", "PERSON")]
    )
    assert [m.text for m in kept] == ["Kennedy"]
    assert dropped == {"dropped_not_a_name": 1}


def test_surname_joins_full_name_and_label_follows_majority():
    kept, _ = from_spans(
        [
            span("doc_a", 0, "Nikita Khrushchev", "PERSON"),
            span("doc_a", 40, "Khrushchev", "PERSON"),
            span("doc_a", 80, "Khrushchev", "NORP"),
            span("doc_a", 120, "Khrushchev", "PERSON"),
        ]
    )
    resolved = resolve_document(kept)
    assert {m.cluster for m in resolved} == {"nikita khrushchev"}
    assert {m.label for m in resolved} == {"PERSON"}


def test_shared_surname_stays_ambiguous():
    kept, _ = from_spans(
        [
            span("doc_a", 0, "John Kennedy", "PERSON"),
            span("doc_a", 20, "Robert Kennedy", "PERSON"),
            span("doc_a", 40, "Kennedy", "PERSON"),
        ]
    )
    clusters = {m.text: m.cluster for m in resolve_document(kept)}
    assert clusters["Kennedy"] == "kennedy"


def test_one_word_place_is_not_taken_for_a_surname():
    kept, _ = from_spans(
        [span("doc_a", 0, "George Washington", "PERSON"), span("doc_a", 30, "Washington", "GPE")]
    )
    clusters = {m.text: m.cluster for m in resolve_document(kept)}
    assert clusters["Washington"] == "washington"


def test_majority_label_breaks_ties_by_priority():
    assert majority_label(["NORP", "PERSON"]) == "PERSON"
    assert majority_label(["GPE", "GPE", "PERSON"]) == "GPE"


def test_entities_merge_across_documents_and_count():
    kept, _ = from_spans(
        [
            span("doc_a", 0, "Nikita Khrushchev", "PERSON"),
            span("doc_a", 40, "Khrushchev", "PERSON"),
            span("doc_b", 0, "Khrushchev", "PERSON"),
            span("doc_b", 20, "the United States", "GPE"),
            span("doc_a", 60, "United States", "GPE"),
        ]
    )
    resolved = [
        m for d in ("doc_a", "doc_b") for m in resolve_document([k for k in kept if k.doc_id == d])
    ]
    mentions, entities = build(resolved)
    by_name = entities.set_index("name")
    assert by_name.loc["Nikita Khrushchev", "n_mentions"] == 3
    assert by_name.loc["Nikita Khrushchev", "n_documents"] == 2
    assert by_name.loc["Nikita Khrushchev", "aliases"] == ["Khrushchev", "Nikita Khrushchev"]
    assert by_name.loc["United States", "n_documents"] == 2
    assert mentions["entity_id"].nunique() == 2


def test_canonical_name_prefers_fullest_form():
    assert canonical_name(["Castro", "Fidel Castro", "Castro"]) == "Fidel Castro"


def trimmed(text, label="ORG"):
    start, end = trim_span(0, len(text), label, text, load_titles())
    return text[start:end]


def test_spans_lose_what_is_not_part_of_the_name():
    assert trimmed("the Battle of Antietam", "EVENT") == "Battle of Antietam"
    assert trimmed("Kenichi Shimokawa 's", "PERSON") == "Kenichi Shimokawa"
    assert trimmed("Astle 9-0-53-1", "PERSON") == "Astle"
    assert trimmed("President Dwight Eisenhower", "PERSON") == "Dwight Eisenhower"
    assert trimmed("President", "PERSON") == "President"  # nothing would be left
    # a capitalised "The" is part of a name mid-sentence, an article at a sentence start
    text = "He joined The Used. The Moscow Times"
    assert text[slice(*trim_span(10, 18, "ORG", text))] == "The Used"
    assert text[slice(*trim_span(20, len(text), "ORG", text))] == "Moscow Times"


def model_span(text, fragment, label, start_at=0):
    start = text.index(fragment, start_at)
    return span("doc_a", start, fragment, label)


def test_a_name_found_once_is_a_mention_where_it_recurs():
    text = "Reading won the cup. Fans of READING cheered. The Reading Railroad was closed."
    mentions, counts = correct_document([model_span(text, "Reading", "ORG")], text)
    found = [(m.text, m.label, m.source, m.model_label) for m in mentions]
    assert found == [("Reading", "ORG", "model", "ORG"), ("READING", "ORG", "propagated", None)]
    assert counts["propagated"] == 1  # not inside the longer name "Reading Railroad"


def test_known_names_take_the_alias_table_label():
    text = "The USSR protested. Later the USSR agreed."
    mentions, _ = correct_document(
        [model_span(text, "USSR", "ORG"), model_span(text, "USSR", "ORG", 20)],
        text,
        load_knowledge_base(),
    )
    assert {m.label for m in mentions} == {"GPE"}


def test_a_name_also_used_in_lower_case_is_not_propagated():
    text = "Film was the winner. Film critics agreed. The film festival closed."
    mentions, counts = correct_document([model_span(text, "Film", "ORG")], text)
    assert [m.text for m in mentions] == ["Film"] and counts["propagated"] == 0


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet="abAB _-'1.\n", max_size=40),
    keys=st.lists(
        st.text(alphabet="ab _-'1.", min_size=1, max_size=4), min_size=1, max_size=5, unique=True
    ),
)
def test_finding_names_without_a_regex_finds_what_the_regex_finds(text, keys):
    ordered = sorted(keys, key=lambda k: (-len(k), k))
    assert list(find_names(ordered, text)) == list(name_pattern_spans(ordered, text))


def test_names_in_non_ascii_text_are_found_case_insensitively():
    text = "Der Straßenbau in KÖLN und Köln."
    assert [text[a:b] for a, b in find_names(["köln"], text)] == ["KÖLN", "Köln"]


def test_an_adverb_opening_the_sentence_is_not_part_of_the_name():
    text = "The fleet waited. Meanwhile Garibaldi sailed for the island with Simply Red."
    rows = [
        span("doc_a", text.index("Meanwhile"), "Meanwhile Garibaldi", "PERSON"),
        span("doc_a", text.index("Simply"), "Simply Red", "ORG"),
    ]
    rows[0]["pos"] = "ADV PROPN"
    rows[1]["pos"] = "ADV PROPN"
    kept, counts = from_spans(rows, text)
    assert [m.text for m in kept] == ["Garibaldi", "Simply Red"]  # mid-sentence: a name
    assert counts["trimmed"] == 1
