"""Stage 4, events: a dated event for each predicate that a temporal expression anchors.

Per document (`document_mentions`, `document_events`, both pure):

1. the model's entity spans become corrected mentions (`pipeline.events.mentions.correct_document`),
   saved for the entities stage, so that both stages see the same mentions;
2. from each dated temporal expression we climb the dependency parse to the verb or event
   noun it modifies: that is the trigger, its clause is the event's text ("the Bay of Pigs
   invasion by Cuban exiles in April 1961" is an invasion event; "at a summit in June 1961"
   dates both the summit and the verb the summit is an argument of);
3. each event gets its modality and polarity (`pipeline.events.modality`) and PLOVER type
   (`pipeline.events.event_types`);
4. its arguments (subject, object, places and other names in its prepositional phrases) are
   the participants, linked to mentions directly, through a pronoun or a title
   (`pipeline.events.coref`), a relative pronoun, an apposition or an "X of Y" phrase; the entities
   stage then turns mentions into entity ids.

Dates inside a publisher's notice at the end of a document (`pipeline.events.boilerplate`) give no
event; they are counted in the stage report.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pyarrow as pa_arrow
import spacy
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from pipeline.core import cache, ids
from pipeline.core.codedeps import code_paths
from pipeline.core.config import EventParams, Params
from pipeline.core.io import TableWriter, iter_rows
from pipeline.core.parallel import map_chunks
from pipeline.core.stage import (
    arguments_path,
    cache_path,
    log,
    mentions_path,
    table_path,
    write_report,
    write_run_log,
)
from pipeline.events.boilerplate import Cues, boilerplate_start, load_cues
from pipeline.events.coref import PERSONAL_PRONOUNS, PLURAL_PRONOUNS, Coref
from pipeline.events.event_types import Lexicon, load_lexicon
from pipeline.events.kb import KnowledgeBase, load_knowledge_base
from pipeline.events.mentions import Mention, correct_document, load_titles
from pipeline.events.modality import modality_of, noun_phrase
from pipeline.nlp.stage import read_parse
from schemas import TABLES

LEXICON = Path(__file__).parent / "lexicons" / "event_nouns.txt"

LIGHT_VERBS = frozenset({"be", "have"})
"""Verbs that carry no event of their own ("the invasion in 1961 was a turning point")."""

RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
OTHER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
"""Named participants in a prepositional phrase that is not a place: "talks with Soviet
Ambassador Anatoly Dobrynin", "aid to Cuba"."""

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
class Resources:
    """The lexicons the events stage reads once: event nouns, event types, titles, cues."""

    event_nouns: frozenset[str]
    lexicon: Lexicon
    titles: frozenset[str]
    cues: Cues

    @classmethod
    def load(cls) -> Resources:
        """Read every lexicon from pipeline/lexicons."""
        return cls(load_event_nouns(), load_lexicon(), load_titles(), load_cues())


@dataclass(frozen=True)
class Argument:
    """A participant found in the parse, before it is linked to an entity id."""

    role: str
    start_char: int
    end_char: int
    text: str
    mention_id: str | None
    resolution: str


# --- the trigger -----------------------------------------------------------------------------


def is_verb(token: Token) -> bool:
    """Verbs, and auxiliaries heading their clause ("By 1962 he was leader": trigger 'be')."""
    return token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT")


def nearest_event_noun(token: Token, event_nouns: frozenset[str], exclude: Span) -> Token | None:
    """An event noun in the noun phrase headed by `token` ("Bay of Pigs invasion"), if any."""
    if token.pos_ in {"NOUN", "PROPN"} and token.lemma_.lower() in event_nouns:
        return token
    for child in token.subtree:
        if child.i in range(exclude.start, exclude.end) or is_verb(child):
            continue
        if child.pos_ == "NOUN" and child.lemma_.lower() in event_nouns:
            return child
    return None


def find_triggers(span: Span, event_nouns: frozenset[str]) -> list[Token]:
    """The predicates a temporal expression anchors, the one it modifies first.

    Climb from the expression through prepositions to the first verb. An event noun on the way
    is a trigger: alone when its noun phrase is the verb's subject or object, or the verb is a
    light one ("the invasion in April 1961 was a turning point"); together with the verb when
    the noun phrase is in the verb's prepositional phrase ("tried to browbeat the president at
    a summit in June 1961": the summit, and the browbeating at it). Measured on TempEval-3
    (README, Quality): dating the noun as well as the verb raised recall; also dating the verbs
    coordinated with the trigger did not pay (precision fell more than recall rose).
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
            if noun is None:
                return [token]
            if token.lemma_ in LIGHT_VERBS or not via_prep:
                return [noun]
            return [noun, token]
        if noun is None:
            noun = nearest_event_noun(token, event_nouns, span)
    if noun is not None:
        return [noun]
    return [token] if is_verb(token) else []


def clause_of(trigger: Token, span: Span) -> tuple[int, int]:
    """Character extent of the trigger's clause, stretched to include the date expression.

    For a verb it is the subtree of the clause head (climbing xcomp chains, so "failed to
    remove ..." is one clause); for an event noun, the noun phrase around it.
    """
    head = trigger
    if trigger.pos_ in {"NOUN", "PROPN"}:
        while (
            head.dep_ in {"pobj", "prep", "compound", "nmod", "poss"}
            and head.head.i != head.i
            and not is_verb(head.head)
        ):
            head = head.head
    else:
        while head.dep_ == "xcomp" and head.head.i != head.i:
            head = head.head
    tokens = [
        t for t in head.subtree if not (t.is_punct and t.i in (head.left_edge.i, head.right_edge.i))
    ]
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
            roles += [
                ("agent", t) for p in agent.children if p.dep_ == "pobj" for t in conjuncts(p)
            ]
        roles += [("patient", t) for t in conjuncts(passive_subjects[0])]
        return roles
    roles += [("agent", t) for t in subject_of(trigger)]
    objects = [c for c in children if c.dep_ in OBJECTS]
    if not objects:  # "decided to install missiles": the object of the complement
        objects = [
            c for x in children if x.dep_ == "xcomp" for c in x.children if c.dep_ in OBJECTS
        ]
    roles += [("patient", t) for o in objects[:1] for t in conjuncts(o)]
    return roles


def noun_arguments(trigger: Token) -> list[tuple[str, Token]]:
    """Agent, patient and backers of an event noun.

    Agent: 'invasion by exiles', "Khrushchev's visit"; patient: 'invasion of Cuba'; other:
    'backed by the CIA'. The parser may hang these on the head of the noun's phrase rather
    than on the noun ("the abortive Bay of Pigs invasion by Cuban exiles": "by" depends on
    "Bay").
    """
    roles: list[tuple[str, Token]] = []
    inside = {t.i for t in trigger.subtree}
    for holder in noun_phrase(trigger):
        for child in holder.children:
            if child.i in inside and holder.i != trigger.i:
                continue
            if child.dep_ == "poss":
                roles.append(("agent", child))
            elif child.dep_ == "prep" and child.lower_ in {"by", "of"}:
                role = "agent" if child.lower_ == "by" else "patient"
                roles += [
                    (role, p) for p in child.children if p.dep_ == "pobj" and p.i != trigger.i
                ]
            elif child.dep_ == "acl":  # "backed by the CIA"
                roles += [
                    ("other", p)
                    for agent in child.children
                    if agent.dep_ == "agent"
                    for p in agent.children
                    if p.dep_ == "pobj"
                ]
    return roles


def _pp_objects(holders: Iterable[Token], depth: int = 2) -> list[tuple[Token, Token]]:
    """(preposition, object) pairs of prepositional phrases under `holders`.

    `depth` levels deep ("during a visit to Bulgaria" gives visit and Bulgaria), with the
    objects' conjuncts.
    """
    found = []
    frontier = [c for t in holders for c in t.children if c.dep_ == "prep"]
    for _depth in range(depth):
        pairs = [(prep, p) for prep in frontier for p in prep.children if p.dep_ == "pobj"]
        found += [(prep, c) for prep, obj in pairs for c in conjuncts(obj)]
        frontier = [c for _, obj in pairs for c in obj.children if c.dep_ == "prep"]
    return found


def places(trigger: Token, coref: Coref, extra: Iterable[Token] = ()) -> list[Token]:
    """Places named in prepositional phrases of the trigger or of the date.

    Two levels deep ("during a visit to Bulgaria"); `extra` holds the date's tokens, which the
    parser sometimes gives the place ("on May 1, 1960, over Sverdlovsk").
    """
    found: list[Token] = []
    for _, candidate in _pp_objects((trigger, *extra)):
        m = coref.at(candidate)
        if m is not None and m.label in PLACE_LABELS and candidate not in found:
            found.append(candidate)
    if not found and trigger.pos_ in {"NOUN", "PROPN"}:  # "the Bay of Pigs invasion"
        np_head = trigger.head if trigger.dep_ in {"pobj", "compound"} else trigger
        for t in np_head.head.subtree if np_head.dep_ == "prep" else np_head.subtree:
            m = coref.at(t)
            if (
                t.i < trigger.i
                and m is not None
                and m.label in PLACE_LABELS
                and t == coref.span_root(m)
            ):
                found.append(t)
    return found


def others(trigger: Token, coref: Coref) -> list[Token]:
    """Other named participants in the trigger's prepositional phrases, places excepted.

    "averted the crisis through talks with Soviet Ambassador Anatoly Dobrynin".
    """
    skip = {"of", "by"} if trigger.pos_ in {"NOUN", "PROPN"} else {"by"}
    found = []
    for prep, candidate in _pp_objects((trigger,)):
        if prep.head.i == trigger.i and prep.lower_ in skip:
            continue
        m = coref.at(candidate)
        if m is not None and m.label in OTHER_LABELS - PLACE_LABELS and candidate not in found:
            found.append(candidate)
    return found


def link(token: Token, role: str, coref: Coref, window: int) -> Argument:
    """Link an argument's head token to a mention, saying how the link was made."""
    doc = token.doc
    direct = coref.at(token)
    if direct is not None:
        return Argument(
            role, direct.start_char, direct.end_char, direct.text, direct.mention_id, "mention"
        )
    own = (token.idx, token.idx + len(token.text), token.text)
    lower = token.lower_
    if lower in PERSONAL_PRONOUNS | PLURAL_PRONOUNS:
        antecedent = coref.pronoun(token, window)
        return Argument(
            role,
            *own,
            antecedent.mention_id if antecedent else None,
            "pronoun" if antecedent else "none",
        )
    if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        noun = token.head.head
        if noun.dep_ == "attr":  # "Khrushchev was a personality who ..."
            noun = next((c for c in noun.head.children if c.dep_ in SUBJECTS), noun)
        m = coref.at(noun)
        return Argument(
            role, *own, m.mention_id if m else None, "relative_pronoun" if m else "none"
        )
    for dep, resolution in (("appos", "apposition"), ("prep", "of_phrase")):
        for child in token.children:
            target = child
            if dep == "prep":
                if child.dep_ != "prep" or child.lower_ != "of":
                    continue
                target = next((p for p in child.children if p.dep_ == "pobj"), child)
            elif child.dep_ != "appos":
                continue
            m = coref.at(target)
            if m is not None:
                start, end = _phrase(token)
                return Argument(role, start, end, text_of(doc)[start:end], m.mention_id, resolution)
    start, end = _phrase(token)
    titled = coref.by_title(token) if token.pos_ in {"NOUN", "PROPN"} else None
    if titled is not None:
        return Argument(role, start, end, text_of(doc)[start:end], titled.mention_id, "title")
    return Argument(role, start, end, text_of(doc)[start:end], None, "none")


def apposed_conjuncts(token: Token, coref: Coref) -> list[Token]:
    """Names coordinated inside an apposition: "the leader Brezhnev and Kosygin" gives Kosygin.

    The parser hangs the second name on the first, so without this only Brezhnev would be
    linked.
    """
    if coref.at(token) is not None:
        return []
    return [
        c
        for child in token.children
        if child.dep_ == "appos" and coref.at(child) is not None
        for c in conjuncts(child)[1:]
    ]


def text_of(doc: Doc) -> str:
    """The Doc's text, kept: spaCy rebuilds `doc.text` from every token at each call."""
    text = doc.user_data.get("chronicle_text")
    if text is None:
        text = doc.user_data["chronicle_text"] = doc.text
    return text


def _chunks(doc: Doc) -> dict[int, tuple[int, int]]:
    """Character extent of each noun chunk by its root token, found once per Doc."""
    chunks = doc.user_data.get("chronicle_noun_chunks")
    if chunks is None:
        chunks = {c.root.i: (c.start_char, c.end_char) for c in doc.noun_chunks}
        doc.user_data["chronicle_noun_chunks"] = chunks
    return chunks


def _phrase(token: Token) -> tuple[int, int]:
    """Extent of the noun phrase headed by `token`: its left modifiers and 'of' phrases."""
    start, end = _chunks(token.doc).get(token.i, (token.idx, token.idx + len(token.text)))
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            end = max(end, child.right_edge.idx + len(child.right_edge.text))
        if child.dep_ == "appos":  # up to the apposed name, not the names joined to it
            end = max(end, child.idx + len(child.text))
    return start, end


def arguments(trigger: Token, date: Span, coref: Coref, params: EventParams) -> list[Argument]:
    """Every participant of the event: agents, patients, places and others, linked if possible."""
    heads = verb_arguments(trigger) if is_verb(trigger) else noun_arguments(trigger)
    heads += [("location", t) for t in places(trigger, coref, extra=date)]
    if not any(role == "location" for role, _ in heads) and is_verb(trigger):
        complements = [c for c in trigger.children if c.dep_ == "xcomp"]
        heads += [("location", t) for c in complements for t in places(c, coref)]
    taken = {t.i for _, t in heads}
    heads += [("other", t) for t in others(trigger, coref) if t.i not in taken]
    heads += [(role, t) for role, token in heads for t in apposed_conjuncts(token, coref)]
    seen: set[tuple[str, int, int]] = set()
    out = []
    for role, token in heads:
        if date.start <= token.i < date.end:
            continue
        argument = link(token, role, coref, params.pronoun_window)
        # Two heads inside one mention ("Open Water, Napoleon Dynamite") are one participant.
        if (role, argument.start_char, argument.end_char) not in seen:
            seen.add((role, argument.start_char, argument.end_char))
            out.append(argument)
    return out


# --- one document ----------------------------------------------------------------------------


def document_mentions(
    spans: list[dict], text: str, sentences: list[dict], kb: KnowledgeBase | None, counts: Counter
) -> list[Mention]:
    """One document's corrected mentions (`pipeline.events.mentions.correct_document`)."""
    mentions, found = correct_document(spans, text, kb, sentences)
    counts.update(found)
    return mentions


def event_row(
    doc: Doc, doc_id: str, trigger: Token, span: Span, timex: object, resources: Resources
) -> dict:
    """One row of the events table: a trigger dated by a timex, typed and qualified."""
    start, end = clause_of(trigger, span)
    told = modality_of(trigger)
    typing = resources.lexicon.classify(trigger, told)
    return {
        "event_id": ids.make_id("event", doc_id, trigger.idx, timex.timex_id),
        "doc_id": doc_id,
        "sentence_id": timex.sentence_id,
        "start_char": start,
        "end_char": end,
        "text": text_of(doc)[start:end],
        "trigger": trigger.lemma_.lower() if trigger.pos_ != "PROPN" else trigger.lemma_,
        "trigger_text": trigger.text,
        "trigger_start_char": trigger.idx,
        "trigger_end_char": trigger.idx + len(trigger.text),
        "trigger_pos": "VERB" if is_verb(trigger) else "NOUN",
        "timex_id": timex.timex_id,
        "date_start": timex.date_start,
        "date_end": timex.date_end,
        "precision": timex.precision,
        "event_type": typing.plover if typing else None,
        "cameo_code": typing.cameo if typing and typing.plover else None,
        "modality": told.modality,
        "polarity": told.polarity,
    }


def datable(timex: SimpleNamespace, params: EventParams) -> bool:
    """Whether a timex can date an event: a type in `events.dated_types`, and an interval."""
    return timex.type in params.dated_types and timex.date_start is not None


def timex_records(rows: Iterable[dict]) -> list[SimpleNamespace]:
    """Rows of the timexes table as records with attribute access.

    A missing value, in any of its spellings (None, NaN, NaT), becomes None.
    """
    return [
        SimpleNamespace(**{k: None if v is None or v != v else v for k, v in row.items()})
        for row in rows
    ]


def document_events(
    doc: Doc,
    doc_id: str,
    timexes: Iterable[SimpleNamespace],
    mentions: list[Mention],
    resources: Resources,
    params: EventParams,
    skipped: Counter,
) -> Iterator[tuple[dict, list[dict]]]:
    """(event row, participant rows) for each dated expression of one document.

    `timexes` are the document's rows of the timexes table, as records (`timex_records`).
    """
    coref = Coref(doc, mentions, resources.titles)
    cut = boilerplate_start([(s.start_char, s.text) for s in doc.sents], resources.cues)
    for timex in timexes:
        if not datable(timex, params):
            skipped["no_interval_or_type"] += 1
            continue
        if cut is not None and timex.start_char >= cut:
            skipped["in_boilerplate"] += 1
            continue
        span = doc.char_span(timex.start_char, timex.end_char, alignment_mode="expand")
        triggers = find_triggers(span, resources.event_nouns) if span is not None else []
        if not triggers:
            skipped["no_predicate"] += 1
            continue
        for trigger in triggers:
            event = event_row(doc, doc_id, trigger, span, timex, resources)
            participants = [
                {
                    "participant_id": ids.make_id(
                        "participant", event["event_id"], a.role, a.start_char, a.end_char
                    ),
                    "event_id": event["event_id"],
                    "doc_id": doc_id,
                    "role": a.role,
                    "mention_id": a.mention_id,
                    "start_char": a.start_char,
                    "end_char": a.end_char,
                    "text": a.text,
                    "resolution": a.resolution,
                }
                for a in arguments(trigger, span, coref, params)
            ]
            yield event, participants


ARGUMENT_SCHEMA = pa_arrow.schema(
    [
        (name, pa_arrow.int64() if name.endswith("_char") else pa_arrow.string())
        for name in (
            "participant_id",
            "event_id",
            "doc_id",
            "role",
            "mention_id",
            "start_char",
            "end_char",
            "text",
            "resolution",
        )
    ]
)
"""Interim participants (no entity ids yet); the entities stage adds them."""

MENTION_SCHEMA = pa_arrow.schema(
    [
        (f.name, pa_arrow.int64() if f.name.endswith("_char") else pa_arrow.string())
        for f in dataclasses.fields(Mention)
    ]
)
"""Interim corrected mentions, one column per `Mention` field."""


# --- segments of very long documents -------------------------------------------------------


def _shift(row: dict, offset: int, *columns: str) -> dict:
    return {**row, **{c: row[c] + offset for c in columns}}


def segment_events(
    doc: Doc,
    offset: int,
    doc_id: str,
    timexes: list[SimpleNamespace],
    mentions: list[Mention],
    resources: Resources,
    params: EventParams,
    skipped: Counter,
) -> Iterator[tuple[dict, list[dict]]]:
    """`document_events` on one segment of a long document, offsets into the whole text.

    The segment's Doc counts characters from its own start, so its timexes and mentions are
    shifted in, and the events and participants (and the ids hashed from their offsets)
    shifted back out. Pronouns do not reach back across a segment boundary.
    """
    end = offset + len(text_of(doc))
    local_timexes = [
        SimpleNamespace(
            **{**vars(t), "start_char": t.start_char - offset, "end_char": t.end_char - offset}
        )
        for t in timexes
        if offset <= t.start_char and t.end_char <= end
    ]
    local_mentions = [
        dataclasses.replace(m, start_char=m.start_char - offset, end_char=m.end_char - offset)
        for m in mentions
        if offset <= m.start_char and m.end_char <= end
    ]
    for event, participants in document_events(
        doc, doc_id, local_timexes, local_mentions, resources, params, skipped
    ):
        event = _shift(
            event, offset, "start_char", "end_char", "trigger_start_char", "trigger_end_char"
        )
        event["event_id"] = ids.make_id(
            "event", doc_id, event["trigger_start_char"], event["timex_id"]
        )
        rows = []
        for row in participants:
            row = _shift(row, offset, "start_char", "end_char")
            row["event_id"] = event["event_id"]
            row["participant_id"] = ids.make_id(
                "participant", event["event_id"], row["role"], row["start_char"], row["end_char"]
            )
            rows.append(row)
        yield event, rows


# --- the stage -------------------------------------------------------------------------------


def parsed_path(params: Params, doc_id: str) -> Path:
    """The nlp stage's cache entry for a document."""
    return cache_path(params, "nlp") / f"{doc_id}{cache.SUFFIX}"


def timexes_entry(params: Params, doc_id: str) -> Path:
    """The timexes stage's cache entry for a document."""
    return cache_path(params, "timexes") / f"{doc_id}{cache.SUFFIX}"


def stage_version(params: Params) -> str:
    """What cached events depend on besides each document's inputs.

    The code, lexicons, params and the user's knowledge base (it changes which mentions
    there are).
    """
    kb = params.entities.kb
    settings = {
        "events": params.events.__dict__,
        "kb": hashlib.sha256(kb.read_bytes()).hexdigest() if kb.exists() else None,
    }
    return cache.version_of(*code_paths("pipeline.events"), settings=settings)


def inputs_of(params: Params, doc_id: str) -> dict:
    """What one document's events are made from: its parse and its timexes."""
    return {
        "parse": cache.digest_of(parsed_path(params, doc_id)),
        "timexes": cache.digest_of(timexes_entry(params, doc_id)),
    }


def _sorted(rows: list[dict], table: str) -> list[dict]:
    """Rows of one document in the table's order (its sort key after doc_id)."""
    keys = [k for k in TABLES[table].sort_by if k != "doc_id"]
    return sorted(rows, key=lambda r: tuple(r[k] for k in keys))


def extract(
    params: Params,
    doc_id: str,
    text: str,
    resources: Resources,
    kb: KnowledgeBase | None,
    vocab: Vocab,
) -> dict:
    """One document's results, from the nlp and timexes stages' cache entries.

    The parse is read twice: its rows first (mentions need the whole document), then its
    Docs one segment at a time, so a very long document never has all its Docs in memory.
    """
    path = parsed_path(params, doc_id)
    _, rows = cache.read_entry(timexes_entry(params, doc_id))
    rows_only = (data for data, _ in read_parse(path))
    return extract_parsed(
        doc_id,
        text,
        rows_only,
        lambda: read_parse(path, vocab),
        cache.load_json(rows),
        resources,
        kb,
        params.events,
    )


def extract_parsed(
    doc_id: str,
    text: str,
    segments: Iterable[dict],
    docs: Callable[[], Iterable[tuple[dict, Doc]]],
    timex_rows: list[dict],
    resources: Resources,
    kb: KnowledgeBase | None,
    params: EventParams,
) -> dict:
    """One document's corrected mentions, events and participants, and what was skipped.

    `segments` is the nlp stage's data for each segment of the document; `docs()` gives them
    again with their parsed Docs; `timex_rows` are its rows of the timexes table.
    """
    sentences: list[dict] = []
    spans: list[dict] = []
    for data in segments:  # of a sentence, mentions need only where it starts and its id
        sentences += [
            {"sentence_id": row["sentence_id"], "start_char": row["start_char"]}
            for row in data["sentences"]
        ]
        spans += data["spans"]
    counts: Counter = Counter()
    skipped: Counter = Counter()
    found = document_mentions(spans, text, sentences, kb, counts)
    del sentences, spans
    timexes = [t for t in timex_records(timex_rows) if datable(t, params)]
    skipped["no_interval_or_type"] += len(timex_rows) - len(timexes)
    events: list[dict] = []
    participants: list[dict] = []
    if timexes:  # on BBC, 4 documents in 10 have no date for an event: no Docs loaded
        for data, doc in docs():
            for event, rows_ in segment_events(
                doc, data["offset"], doc_id, timexes, found, resources, params, skipped
            ):
                events.append(event)
                participants.extend(rows_)
    return {
        "events": _sorted(events, "events"),
        "arguments": sorted(
            participants,
            key=lambda r: (r["event_id"], r["start_char"], r["role"], r["participant_id"]),
        ),
        "mentions": [dict(vars(m)) for m in found],  # shallow: fields are plain values
        "skipped": dict(skipped),
        "corrections": dict(counts),
    }


@functools.cache
def _worker_setup(kb_path: Path) -> tuple[Resources, KnowledgeBase | None, Vocab]:
    """The lexicons, knowledge base and vocab, loaded once per process (not once per chunk)."""
    return Resources.load(), load_knowledge_base(kb_path), spacy.blank("en").vocab


def extract_and_store(params: Params, root: Path, documents: list[dict]) -> int:
    """Worker: extract documents and write their cache entries; returns how many."""
    resources, kb, vocab = _worker_setup(params.entities.kb)
    for document in documents:
        doc_id = document["doc_id"]
        data = extract(params, doc_id, document["text"], resources, kb, vocab)
        cache.write_entry(
            root / f"{doc_id}{cache.SUFFIX}",
            [cache.dump_json({"inputs": inputs_of(params, doc_id)}), cache.dump_json(data)],
        )
    return len(documents)


def run(params: Params) -> None:
    """Correct every document's mentions; extract dated events and their participants."""
    store = cache.DocCache(cache_path(params, "events"), stage_version(params))
    cache.build_with_recovery(lambda verify: build(params, store, verify), "events")


def build(params: Params, store: cache.DocCache, verify: bool) -> None:
    """Extract from the documents the cache lacks, then write the tables from the cache."""
    documents = table_path(params, "documents")
    doc_ids: set[str] = set()
    stale: list[str] = []
    for document in iter_rows(documents, ["doc_id"]):
        doc_id = document["doc_id"]
        doc_ids.add(doc_id)
        if not store.usable(doc_id, inputs_of(params, doc_id), verify):
            stale.append(doc_id)
    store.keep_only(doc_ids)
    todo = set(stale)
    work = (d for d in iter_rows(documents, ["doc_id", "text"]) if d["doc_id"] in todo)
    store.computed += sum(
        map_chunks(
            functools.partial(extract_and_store, params, store.root),
            work,
            len(stale),
            params.nlp.processes,
        )
    )
    store.reused = len(doc_ids) - store.computed
    skipped: Counter = Counter()
    counts: Counter = Counter()
    report: dict[str, Counter] = {"type": Counter(), "modality": Counter(), "polarity": Counter()}
    with (
        TableWriter(TABLES["events"], table_path(params, "events")) as events,
        TableWriter(ARGUMENT_SCHEMA, arguments_path(params)) as arguments,
        TableWriter(MENTION_SCHEMA, mentions_path(params)) as mentions,
    ):
        for document in iter_rows(documents, ["doc_id"]):
            _, raw = cache.read_entry(store.path(document["doc_id"]))
            data = cache.load_json(raw)
            events.write(data["events"])
            arguments.write(data["arguments"])
            mentions.write(data["mentions"])
            skipped.update(data["skipped"])
            counts.update(data["corrections"])
            for event in data["events"]:
                report["type"][event["event_type"]] += event["event_type"] is not None
                report["modality"][event["modality"]] += 1
                report["polarity"][event["polarity"]] += 1
    write_report(
        params,
        "events",
        {
            "timexes_not_dating_an_event": dict(sorted(skipped.items())),
            "mention_corrections": dict(sorted(counts.items())),
            "events_per_type": _counts(report["type"]),
            "events_per_modality": _counts(report["modality"]),
            "events_per_polarity": _counts(report["polarity"]),
        },
    )
    write_run_log(params, "events", {"cache": store.counts()})
    log.info(
        "events: %d events, %d participants, %d mentions (%d documents extracted, %d "
        "from cache); timexes not dating an event: %s",
        events.n_rows,
        arguments.n_rows,
        mentions.n_rows,
        store.computed,
        store.reused,
        dict(sorted(skipped.items())),
    )


def _counts(counter: Counter) -> dict[str, int]:
    return {
        str(k): int(v) for k, v in sorted((k, v) for k, v in counter.items() if k is not None and v)
    }
