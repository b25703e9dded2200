"""Triggers: the predicate a temporal expression dates, and the clause that is the event's text.

From each dated expression we climb the dependency parse to the verb or event noun it
modifies: that is the trigger ("the Bay of Pigs invasion by Cuban exiles in April 1961" is an
invasion event; "at a summit in June 1961" dates both the summit and the verb the summit is an
argument of). Event nouns come from `lexicons/event_nouns.txt`.
"""

from __future__ import annotations

from pathlib import Path

from spacy.tokens import Span, Token

LEXICON = Path(__file__).parent / "lexicons" / "event_nouns.txt"

LIGHT_VERBS = frozenset({"be", "have"})
"""Verbs that carry no event of their own ("the invasion in 1961 was a turning point")."""


def load_event_nouns(path: Path = LEXICON) -> frozenset[str]:
    """Event-noun lemmas from the lexicon file (one per line, '#' comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s for line in lines if (s := line.split("#")[0].strip().lower()))


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
    (docs/quality.md): dating the noun as well as the verb raised recall; also dating the verbs
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
