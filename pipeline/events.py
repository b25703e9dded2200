"""Stage 4, events: a dated event for each predicate that a temporal expression anchors.

From each dated temporal expression we climb the dependency parse to the verb (or event noun)
it modifies: that is the trigger, its clause is the event's text, and its arguments (subject,
object, places in its prepositional phrases) are the participants. Participants are linked to
named-entity mentions directly, through a pronoun, a relative pronoun, an apposition or an
"X of Y" phrase; the entities stage then turns mentions into entity ids.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import spacy
from spacy.tokens import Doc, Span, Token

from pipeline import ids
from pipeline.config import EventParams, Params
from pipeline.io import read_table, write_frame, write_table
from pipeline.mentions import Mention, from_spans, resolve_document
from pipeline.nlp import docs_dir, load_doc, spans_path
from pipeline.stage import log, main, stage_dir, table_path, write_report
from schemas import TABLES

LEXICON = Path(__file__).parent / "lexicons" / "event_nouns.txt"

LIGHT_VERBS = frozenset({"be", "have"})
"""Verbs that carry no event of their own ("the invasion in 1961 was a turning point")."""

PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
"""Pronouns that refer back to a person; 'they' and 'it' are left unresolved for now."""

RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

SUBJECTS = frozenset({"nsubj", "csubj"})
OBJECTS = frozenset({"dobj", "obj"})
INHERITS_SUBJECT = frozenset({"xcomp", "conj", "advcl", "pcomp", "prep", "dobj", "pobj"})
"""Dependencies through which a subject-less verb takes the subject of the verb above it
("Khrushchev had failed to remove...": remove takes failed's subject)."""


def load_event_nouns(path: Path = LEXICON) -> frozenset[str]:
    """Event-noun lemmas from the lexicon file (one per line, '#' comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s for line in lines if (s := line.split("#")[0].strip().lower()))


@dataclass(frozen=True)
class Argument:
    """A participant found in the parse, before it is linked to an entity id."""

    role: str
    start_char: int
    end_char: int
    text: str
    mention_id: str | None
    resolution: str


class MentionIndex:
    """A document's mentions, looked up by token and by position (for pronouns)."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start_char)
        self.starts = [m.start_char for m in self.mentions]

    def at(self, token: Token) -> Mention | None:
        """The mention that covers `token`, if any (mentions never overlap)."""
        position = bisect.bisect_right(self.starts, token.idx) - 1
        if position >= 0 and token.idx < self.mentions[position].end_char:
            return self.mentions[position]
        return None

    def person_before(self, token: Token, window: int) -> Mention | None:
        """The person a pronoun refers back to.

        The latest person mentioned within `window` sentences before it, preferring one that
        was a clause subject (the salient one).
        """
        doc = token.doc
        sents = list(doc.sents)
        index = next(i for i, s in enumerate(sents) if s.start <= token.i < s.end)
        earliest = sents[max(0, index - window)].start_char
        candidates = [m for m in self.mentions if m.label == "PERSON"
                      and earliest <= m.start_char < token.idx]
        if not candidates:
            return None
        subjects = [m for m in candidates if _is_subject(doc, m)]
        return (subjects or candidates)[-1]


def _is_subject(doc: Doc, mention: Mention) -> bool:
    span = doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
    return span is not None and span.root.dep_ in SUBJECTS | {"nsubjpass"}


# --- the trigger -----------------------------------------------------------------------------

def is_verb(token: Token) -> bool:
    """Verbs, and auxiliaries heading their clause ("By 1962 he was leader": trigger 'be')."""
    return token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT")


def nearest_event_noun(token: Token, event_nouns: frozenset[str],
                       exclude: Span) -> Token | None:
    """An event noun in the noun phrase headed by `token` ("Bay of Pigs invasion"), if any."""
    if token.pos_ in {"NOUN", "PROPN"} and token.lemma_.lower() in event_nouns:
        return token
    for child in token.subtree:
        if child.i in range(exclude.start, exclude.end) or is_verb(child):
            continue
        if child.pos_ == "NOUN" and child.lemma_.lower() in event_nouns:
            return child
    return None


def find_trigger(span: Span, event_nouns: frozenset[str]) -> Token | None:
    """The predicate a temporal expression anchors.

    Climb from the expression through prepositions to the first verb. An event noun on the way
    is the trigger when the noun phrase is not itself inside a prepositional phrase of a real
    verb: "the invasion in April 1961 was a turning point" is an invasion event, while "tried
    to browbeat the president at a summit in June 1961" is a browbeating event.
    """
    token = span.root
    noun: Token | None = None
    via_prep = False
    for _ in range(len(span.doc)):
        head = token.head
        if head.i == token.i:
            break
        via_prep = token.dep_ in {"prep", "pobj", "agent", "pcomp"}
        token = head
        if span.start <= token.i < span.end or token.pos_ in {"ADP", "ADV", "PART", "NUM"}:
            continue
        if is_verb(token):
            if noun is not None and (token.lemma_ in LIGHT_VERBS or not via_prep):
                return noun
            return token
        if noun is None:
            noun = nearest_event_noun(token, event_nouns, span)
    if noun is not None:
        return noun
    return token if is_verb(token) else None


def clause_of(trigger: Token, span: Span) -> tuple[int, int]:
    """Character extent of the trigger's clause, stretched to include the date expression.

    For a verb it is the subtree of the clause head (climbing xcomp chains, so "failed to
    remove ..." is one clause); for an event noun, the noun phrase around it.
    """
    head = trigger
    if trigger.pos_ in {"NOUN", "PROPN"}:
        while head.dep_ in {"pobj", "prep", "compound", "nmod", "poss"} and head.head.i != head.i \
                and not is_verb(head.head):
            head = head.head
    else:
        while head.dep_ == "xcomp" and head.head.i != head.i:
            head = head.head
    tokens = [t for t in head.subtree if not (t.is_punct and t.i in (head.left_edge.i,
                                                                       head.right_edge.i))]
    tokens = [t for t in tokens if not t.is_space] or [head]
    start = min(tokens[0].idx, span.start_char)
    end = max(tokens[-1].idx + len(tokens[-1].text), span.end_char)
    return start, end


# --- participants ----------------------------------------------------------------------------

def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Brezhnev and Kosygin")."""
    return [token, *[t for t in token.conjuncts if t.i > token.i]]


def subject_of(verb: Token) -> list[Token]:
    """Subjects of a verb, or of the verb it depends on when it has none of its own."""
    token = verb
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in SUBJECTS]
        if subjects:
            return conjuncts(subjects[0])
        if any(c.dep_ == "nsubjpass" for c in token.children):
            return []
        if token.dep_ not in INHERITS_SUBJECT or token.head.i == token.i:
            return []
        token = token.head
    return []


def verb_arguments(trigger: Token) -> list[tuple[str, Token]]:
    """(role, head token) of a verb's agent and patient, handling passives and xcomps."""
    children = list(trigger.children)
    passive_subjects = [c for c in children if c.dep_ == "nsubjpass"]
    roles: list[tuple[str, Token]] = []
    if passive_subjects:
        for agent in (c for c in children if c.dep_ == "agent"):
            roles += [("agent", t) for p in agent.children if p.dep_ == "pobj"
                      for t in conjuncts(p)]
        roles += [("patient", t) for t in conjuncts(passive_subjects[0])]
        return roles
    roles += [("agent", t) for t in subject_of(trigger)]
    objects = [c for c in children if c.dep_ in OBJECTS]
    if not objects:  # "decided to install missiles": the object of the complement
        objects = [c for x in children if x.dep_ == "xcomp" for c in x.children
                   if c.dep_ in OBJECTS]
    roles += [("patient", t) for o in objects[:1] for t in conjuncts(o)]
    return roles


def noun_arguments(trigger: Token) -> list[tuple[str, Token]]:
    """Agent ('invasion by exiles', "Khrushchev's visit") and patient ('invasion of Cuba')."""
    roles: list[tuple[str, Token]] = []
    for holder in {trigger, trigger.head} if trigger.dep_ == "compound" else {trigger}:
        for child in holder.children:
            if child.dep_ == "poss":
                roles.append(("agent", child))
            elif child.dep_ == "prep" and child.lower_ in {"by", "of"}:
                role = "agent" if child.lower_ == "by" else "patient"
                roles += [(role, p) for p in child.children if p.dep_ == "pobj"]
    return roles


def places(trigger: Token, mentions: MentionIndex, extra: Iterable[Token] = ()) -> list[Token]:
    """Places named in prepositional phrases of the trigger or of the date.

    Two levels deep ("during a visit to Bulgaria"); `extra` holds the date's tokens, which the
    parser sometimes gives the place ("on May 1, 1960, over Sverdlovsk").
    """
    found: list[Token] = []
    frontier = [c for t in (trigger, *extra) for c in t.children if c.dep_ == "prep"]
    for _depth in range(2):
        objects = [p for prep in frontier for p in prep.children if p.dep_ == "pobj"]
        for obj in objects:
            for candidate in conjuncts(obj):
                m = mentions.at(candidate)
                if m is not None and m.label in PLACE_LABELS and candidate not in found:
                    found.append(candidate)
        frontier = [c for obj in objects for c in obj.children if c.dep_ == "prep"]
    if not found and trigger.pos_ in {"NOUN", "PROPN"}:  # "the Bay of Pigs invasion"
        np_head = trigger.head if trigger.dep_ in {"pobj", "compound"} else trigger
        for t in np_head.head.subtree if np_head.dep_ == "prep" else np_head.subtree:
            m = mentions.at(t)
            if t.i < trigger.i and m is not None and m.label in PLACE_LABELS \
                    and t == _span_root(t.doc, m):
                found.append(t)
    return found


def _span_root(doc: Doc, mention: Mention) -> Token | None:
    span = doc.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
    return span.root if span is not None else None


def link(token: Token, role: str, mentions: MentionIndex, window: int) -> Argument:
    """Link an argument's head token to a mention, saying how the link was made."""
    doc = token.doc
    direct = mentions.at(token)
    if direct is not None:
        return Argument(role, direct.start_char, direct.end_char, direct.text,
                        direct.mention_id, "mention")
    own = (token.idx, token.idx + len(token.text), token.text)
    lower = token.lower_
    if lower in PERSONAL_PRONOUNS:
        antecedent = mentions.person_before(token, window)
        return Argument(role, *own, antecedent.mention_id if antecedent else None,
                        "pronoun" if antecedent else "none")
    if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        noun = token.head.head
        if noun.dep_ == "attr":  # "Khrushchev was a personality who ..."
            noun = next((c for c in noun.head.children if c.dep_ in SUBJECTS), noun)
        m = mentions.at(noun)
        return Argument(role, *own, m.mention_id if m else None,
                        "relative_pronoun" if m else "none")
    for dep, resolution in (("appos", "apposition"), ("prep", "of_phrase")):
        for child in token.children:
            target = child
            if dep == "prep":
                if child.dep_ != "prep" or child.lower_ != "of":
                    continue
                target = next((p for p in child.children if p.dep_ == "pobj"), child)
            elif child.dep_ != "appos":
                continue
            m = mentions.at(target)
            if m is not None:
                start, end = _phrase(token)
                return Argument(role, start, end, doc.text[start:end], m.mention_id, resolution)
    start, end = _phrase(token)
    return Argument(role, start, end, doc.text[start:end], None, "none")


def apposed_conjuncts(token: Token, mentions: MentionIndex) -> list[Token]:
    """Names coordinated inside an apposition: "the leader Brezhnev and Kosygin" gives Kosygin.

    The parser hangs the second name on the first, so without this only Brezhnev would be
    linked.
    """
    if mentions.at(token) is not None:
        return []
    return [c for child in token.children if child.dep_ == "appos"
            and mentions.at(child) is not None for c in conjuncts(child)[1:]]


def _phrase(token: Token) -> tuple[int, int]:
    """Extent of the noun phrase headed by `token`: its left modifiers and 'of' phrases."""
    for chunk in token.doc.noun_chunks:
        if chunk.root.i == token.i:
            start, end = chunk.start_char, chunk.end_char
            break
    else:
        start, end = token.idx, token.idx + len(token.text)
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            end = max(end, child.right_edge.idx + len(child.right_edge.text))
        if child.dep_ == "appos":  # up to the apposed name, not the names joined to it
            end = max(end, child.idx + len(child.text))
    return start, end


def arguments(trigger: Token, date: Span, mentions: MentionIndex,
              params: EventParams) -> list[Argument]:
    """Every participant of the event: agents, patients and places, linked where possible."""
    heads = verb_arguments(trigger) if is_verb(trigger) else noun_arguments(trigger)
    heads += [("location", t) for t in places(trigger, mentions, extra=date)]
    if not any(role == "location" for role, _ in heads) and is_verb(trigger):
        complements = [c for c in trigger.children if c.dep_ == "xcomp"]
        heads += [("location", t) for c in complements for t in places(c, mentions)]
    heads += [(role, t) for role, token in heads for t in apposed_conjuncts(token, mentions)]
    seen: set[tuple[str, int, int]] = set()
    out = []
    for role, token in heads:
        if date.start <= token.i < date.end:
            continue
        argument = link(token, role, mentions, params.pronoun_window)
        # Two heads inside one mention ("Open Water, Napoleon Dynamite") are one participant.
        if (role, argument.start_char, argument.end_char) not in seen:
            seen.add((role, argument.start_char, argument.end_char))
            out.append(argument)
    return out


# --- one document ----------------------------------------------------------------------------

def document_events(doc: Doc, doc_id: str, timexes: pd.DataFrame, mentions: list[Mention],
                    event_nouns: frozenset[str], params: EventParams,
                    skipped: Counter) -> Iterator[tuple[dict, list[dict]]]:
    """(event row, participant rows) for each dated expression of one document."""
    index = MentionIndex(mentions)
    for timex in timexes.itertuples():
        if timex.type not in params.dated_types or pd.isna(timex.date_start):
            skipped["no_interval_or_type"] += 1
            continue
        span = doc.char_span(timex.start_char, timex.end_char, alignment_mode="expand")
        trigger = find_trigger(span, event_nouns) if span is not None else None
        if trigger is None:
            skipped["no_predicate"] += 1
            continue
        start, end = clause_of(trigger, span)
        event_id = ids.make_id("event", doc_id, trigger.idx, timex.timex_id)
        event = {
            "event_id": event_id, "doc_id": doc_id, "sentence_id": timex.sentence_id,
            "start_char": start, "end_char": end, "text": doc.text[start:end],
            "trigger": trigger.lemma_.lower() if trigger.pos_ != "PROPN" else trigger.lemma_,
            "trigger_text": trigger.text, "trigger_start_char": trigger.idx,
            "trigger_end_char": trigger.idx + len(trigger.text),
            "trigger_pos": "VERB" if is_verb(trigger) else "NOUN",
            "timex_id": timex.timex_id, "date_start": timex.date_start,
            "date_end": timex.date_end, "precision": timex.precision, "event_type": None,
        }
        participants = [{
            "participant_id": ids.make_id("participant", event_id, a.role, a.start_char,
                                          a.end_char),
            "event_id": event_id, "doc_id": doc_id, "role": a.role,
            "mention_id": a.mention_id, "start_char": a.start_char, "end_char": a.end_char,
            "text": a.text, "resolution": a.resolution,
        } for a in arguments(trigger, span, index, params)]
        yield event, participants


def arguments_path(params: Params) -> Path:
    """Participants before entity linking (input of the entities stage)."""
    return stage_dir(params, "events") / "arguments.parquet"


ARGUMENT_COLUMNS = ["participant_id", "event_id", "doc_id", "role", "mention_id", "start_char",
                    "end_char", "text", "resolution"]


def run(params: Params) -> None:
    """Extract dated events and their participants from every parsed document."""
    documents = read_table(table_path(params, "documents"), TABLES["documents"])
    timexes = read_table(table_path(params, "timexes"), TABLES["timexes"])
    spans = read_table(spans_path(params))
    vocab = spacy.blank("en").vocab
    event_nouns = load_event_nouns()
    events: list[dict] = []
    participants: list[dict] = []
    skipped: Counter = Counter()
    timexes_by_doc = dict(tuple(timexes.groupby("doc_id", sort=False)))
    spans_by_doc = dict(tuple(spans.groupby("doc_id", sort=False)))
    for doc_id in sorted(documents["doc_id"]):
        if doc_id not in timexes_by_doc:
            continue
        doc = load_doc(docs_dir(params) / f"{doc_id}.spacy", vocab)
        doc_spans = spans_by_doc.get(doc_id, spans.iloc[0:0]).to_dict("records")
        mentions = resolve_document(from_spans(doc_spans)[0])
        for event, rows in document_events(doc, doc_id, timexes_by_doc[doc_id], mentions,
                                           event_nouns, params.events, skipped):
            events.append(event)
            participants.extend(rows)
    write_table(pd.DataFrame(events, columns=list(TABLES["events"].schema.columns)),
                TABLES["events"], table_path(params, "events"))
    write_frame(pd.DataFrame(participants, columns=ARGUMENT_COLUMNS), arguments_path(params),
                sort_by=["doc_id", "event_id", "start_char", "role", "participant_id"])
    write_report(params, "events", {"timexes_not_dating_an_event": dict(sorted(skipped.items()))})
    log.info("events: %d events, %d participants; timexes not dating an event: %s",
             len(events), len(participants), dict(sorted(skipped.items())) or "none")


if __name__ == "__main__":
    main(run)
