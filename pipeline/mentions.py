"""Rules for named-entity mentions: which model spans to keep, and which mentions co-refer.

Pure functions over plain rows, shared by the events stage (to resolve pronouns to people) and
the entities stage (to build canonical entities), so both see the same corrected labels.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from pipeline import ids

NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "NUM", "X", "SYM"})
"""A mention must contain a token with one of these parts of speech. The small model sometimes
tags a sentence-initial adverb as a PERSON ("Seemingly, ..."); such spans name nothing."""

LABEL_PRIORITY = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT",
                  "WORK_OF_ART", "LAW", "LANGUAGE")
"""Tie-break between labels with equal votes: a name is more often a person than a group."""

SURNAME_LABELS = frozenset({"PERSON", "NORP", "ORG"})
"""One-word mentions with these model labels may be a person's last name; a one-word GPE or
LOC ("Washington") is left alone, as it is more often the place than the person."""

_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@dataclass(frozen=True)
class Mention:
    """A named-entity mention with its document-level cluster and corrected label."""

    mention_id: str
    doc_id: str
    sentence_id: str
    start_char: int
    end_char: int
    text: str
    model_label: str
    label: str = ""
    name: str = ""
    """Display form of the name: no leading article or possessive ending."""
    cluster: str = ""
    """Key shared by the mentions of one entity within the document."""


def display_name(text: str) -> str:
    """The name without a leading article, possessive ending or extra spaces."""
    name = " ".join(text.split())
    name = _LEADING_ARTICLE.sub("", name)
    return _POSSESSIVE.sub("", name).strip() or name


def name_key(text: str) -> str:
    """Case- and punctuation-insensitive key of a name ("the U.S." and "U.S" agree)."""
    return " ".join(display_name(text).casefold().replace(".", " ").split())


def is_name(pos_tags: str) -> bool:
    """True if the span's parts of speech can form a name (see NAME_POS)."""
    return any(tag in NAME_POS for tag in pos_tags.split())


def from_spans(rows: Iterable[dict]) -> tuple[list[Mention], Counter]:
    """Mentions from the model's spans, and a count of the spans dropped by reason."""
    kept: list[Mention] = []
    dropped: Counter = Counter()
    for row in rows:
        if not is_name(row.get("pos", "PROPN")):
            dropped["not_a_name"] += 1
            continue
        kept.append(Mention(
            mention_id=ids.span_id("mention", row["doc_id"], row["start_char"], row["end_char"]),
            doc_id=row["doc_id"], sentence_id=row["sentence_id"],
            start_char=int(row["start_char"]), end_char=int(row["end_char"]),
            text=row["text"], model_label=row["label"], name=display_name(row["text"])))
    return kept, dropped


def surname_targets(keys: Iterable[str]) -> dict[str, str]:
    """Map a last name to the one full name ending in it; ambiguous last names map to nothing."""
    by_last: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        parts = key.split()
        if len(parts) > 1:
            by_last[parts[-1]].add(key)
    return {last: next(iter(full)) for last, full in by_last.items() if len(full) == 1}


def majority_label(labels: Iterable[str]) -> str:
    """Most frequent label; ties go to the label earliest in LABEL_PRIORITY."""
    votes = Counter(labels)
    return min(votes, key=lambda lab: (-votes[lab], LABEL_PRIORITY.index(lab)
                                       if lab in LABEL_PRIORITY else len(LABEL_PRIORITY)))


def resolve_document(mentions: list[Mention]) -> list[Mention]:
    """Cluster one document's mentions and give each cluster one label by majority vote.

    Mentions with the same name key form a cluster whatever their labels (the small model tags
    "Khrushchev" NORP once among a dozen PERSONs). A one-word name joins the cluster of the only
    multi-word person name ending in it ("Khrushchev" joins "Nikita Khrushchev"); when two
    people share the last name it stays apart, since the text does not say which is meant.
    """
    keys = {m.mention_id: name_key(m.text) for m in mentions}
    person_keys = [keys[m.mention_id] for m in mentions if m.model_label == "PERSON"]
    surnames = surname_targets(person_keys)
    cluster_of = {m.mention_id: surnames.get(keys[m.mention_id], keys[m.mention_id])
                  if m.model_label in SURNAME_LABELS else keys[m.mention_id] for m in mentions}
    members: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        members[cluster_of[m.mention_id]].append(m)
    label_of = {key: majority_label(m.model_label for m in group)
                for key, group in members.items()}
    return [replace(m, cluster=cluster_of[m.mention_id], label=label_of[cluster_of[m.mention_id]])
            for m in mentions]
