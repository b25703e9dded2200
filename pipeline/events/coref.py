"""Within-document coreference for people and organisations: rule-based and explainable.

An event's argument that is not itself a name is linked to a named mention by one of these
rules; each participant row records which one (`resolution`):

- `pronoun`: "he", "him", "his", "she", "her" refer to the latest person named in the last
  `window` sentences, preferring one that was a clause subject (the salient one); "they",
  "them", "their" refer to the latest plural subject in that window when it is a named group
  (an organisation, a country, or a plural nationality such as "the Soviets"), and to nothing
  when that subject is a common noun ("the missiles ... they");
- `title`: a definite noun phrase headed by a title ("the Soviet leader", "the president")
  refers to the latest person the document introduced with that title ("Soviet leader Nikita
  Khrushchev", "Robert, the attorney general"). The phrase's proper-name modifiers must be
  among the person's ("the Soviet leader" is not "United States President Dwight
  Eisenhower"); words that name another office must be the same on both ("the chancellor" is
  not "shadow chancellor Oliver Letwin", "the prime minister" not "sports minister Richard
  Caborn"); other adjectives ("young") are ignored, except those that point to someone else
  ("the former president", "the next prime minister"), which leave the phrase unresolved;
- surnames ("Khrushchev" after "Nikita Khrushchev") are resolved earlier, as names
  (`pipeline.events.mentions`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from spacy.tokens import Doc, Token

from pipeline.events.mentions import Mention
from schemas.vocabularies import ENTITY_LABELS, subset

PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
GROUP_LABELS = frozenset(subset(ENTITY_LABELS, "ORG", "GPE", "NORP"))
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
TITLE_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})

OTHER_PERSON = frozenset(
    {
        "former",
        "last",
        "next",
        "previous",
        "new",
        "future",
        "late",
        "first",
        "ex",
        "outgoing",
        "incoming",
    }
)
"""Adjectives by which a title phrase points to someone other than the latest holder."""

Title = tuple[str, frozenset[str], frozenset[str]]
"""A title: its head word, its proper-name modifiers and its office words, lower case
("leader", {"soviet"}, {}) or ("chancellor", {}, {"shadow"})."""


def title_of(noun: Token, titles: frozenset[str]) -> Title | None:
    """The title a noun expresses, if its head word is a title."""
    if noun.lemma_.lower() not in titles and noun.lower_ not in titles:
        return None
    proper, office = set(), set()
    for child in noun.children:
        if child.dep_ not in TITLE_MODIFIER_DEPS:
            continue
        for token in child.subtree:  # "Prime Minister" and "prime minister" alike
            if token.lower_ in titles:
                office.add(token.lower_)
            elif token.text[:1].isupper():
                proper.add(token.lower_)
    return noun.lemma_.lower(), frozenset(proper), frozenset(office)


class Coref:
    """A document's mentions, with the titles its people were introduced with."""

    def __init__(self, doc: Doc, mentions: list[Mention], titles: frozenset[str]) -> None:
        self.doc = doc
        self.mentions = sorted(mentions, key=lambda m: m.start_char)
        self.starts = [m.start_char for m in self.mentions]
        self.titles = titles
        self.sentence_starts = [s.start_char for s in doc.sents]
        self.titled: dict[str, set[Title]] = defaultdict(set)
        """Titles by mention cluster."""
        self.people = [m for m in self.mentions if m.label == "PERSON"]
        self.people_starts = [m.start_char for m in self.people]
        for m in self.people:
            self.titled[m.cluster] |= self._learn(m)
        self.by_head: dict[str, list[int]] = defaultdict(list)
        """Positions in `people` of the people whose cluster holds a title, by its head word:
        a title phrase looks only at them, not at every earlier person, event after event."""
        for position, m in enumerate(self.people):
            for head in sorted({h for h, _, _ in self.titled.get(m.cluster, ())}):
                self.by_head[head].append(position)

    # --- lookups -------------------------------------------------------------------------

    def at(self, token: Token) -> Mention | None:
        """The mention that covers `token`, if any (mentions never overlap)."""
        position = bisect.bisect_right(self.starts, token.idx) - 1
        if position >= 0 and token.idx < self.mentions[position].end_char:
            return self.mentions[position]
        return None

    def span_root(self, mention: Mention) -> Token | None:
        """The syntactic head of a mention's tokens."""
        span = self.doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
        return span.root if span is not None else None

    def _window_start(self, token: Token, window: int) -> int:
        index = max(0, bisect.bisect_right(self.sentence_starts, token.idx) - 1)
        return self.sentence_starts[max(0, index - window)]

    # --- titles --------------------------------------------------------------------------

    def _learn(self, mention: Mention) -> set[Title]:
        """Titles a person is introduced with.

        Modifiers before the name ("Soviet leader Nikita Khrushchev") and appositions
        ("brother Robert, the attorney general").
        """
        root = self.span_root(mention)
        if root is None:
            return set()
        found = set()
        for child in root.children:
            if (
                child.dep_ in {"compound", "amod", "appos"}
                and not mention.start_char <= child.idx < mention.end_char
            ):
                title = title_of(child, self.titles)
                if title is not None:
                    found.add(title)
        if root.dep_ == "appos":
            title = title_of(root.head, self.titles)
            if title is not None:
                found.add(title)
            for sibling in root.head.children:  # "brother Robert, the attorney general"
                if sibling.dep_ == "appos" and sibling.i != root.i:
                    title = title_of(sibling, self.titles)
                    if title is not None:
                        found.add(title)
        return found

    def by_title(self, noun: Token) -> Mention | None:
        """The person a definite title phrase ("the Soviet leader") refers back to."""
        children = list(noun.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in children) or any(
            c.lower_ in OTHER_PERSON for c in children
        ):
            return None
        wanted = title_of(noun, self.titles)
        if wanted is None:
            return None
        head, proper, office = wanted
        positions = self.by_head.get(head, [])
        ends = bisect.bisect_right(self.people_starts, noun.idx)  # people starting before it
        for position in reversed(positions[: bisect.bisect_left(positions, ends)]):
            m = self.people[position]
            if m.end_char > noun.idx:
                continue
            if any(h == head and proper <= p and office == o for h, p, o in self.titled[m.cluster]):
                return m
        return None

    # --- pronouns ------------------------------------------------------------------------

    def person_before(self, token: Token, window: int) -> Mention | None:
        """The person a personal pronoun refers back to (module docstring)."""
        earliest = self._window_start(token, window)
        candidates = self.people[
            bisect.bisect_left(self.people_starts, earliest) : bisect.bisect_left(
                self.people_starts, token.idx
            )
        ]
        if not candidates:
            return None
        subjects = [m for m in candidates if self._is_subject(m)]
        return (subjects or candidates)[-1]

    def group_before(self, token: Token, window: int) -> Mention | None:
        """The named group a plural pronoun refers back to, if its antecedent is named."""
        earliest = self._window_start(token, window)
        for candidate in reversed(self.doc[: token.i]):
            if candidate.idx < earliest:
                return None
            if candidate.dep_ not in SUBJECTS or candidate.lower_ in PLURAL_PRONOUNS:
                continue
            mention = self.at(candidate)
            if (
                mention is not None
                and mention.label in GROUP_LABELS
                and (mention.label != "NORP" or mention.text.endswith("s"))
            ):
                return mention
            if candidate.tag_ in {"NNS", "NNPS"}:
                return None  # a plural common noun: "they" are not a named group
        return None

    def pronoun(self, token: Token, window: int) -> Mention | None:
        """The mention a pronoun refers to, if it can be resolved."""
        if token.lower_ in PERSONAL_PRONOUNS:
            return self.person_before(token, window)
        if token.lower_ in PLURAL_PRONOUNS:
            return self.group_before(token, window)
        return None

    def _is_subject(self, mention: Mention) -> bool:
        root = self.span_root(mention)
        return root is not None and root.dep_ in SUBJECTS
