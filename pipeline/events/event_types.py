"""PLOVER event types for triggers, from a lexicon kept as data in `lexicons/plover/`.

The lexicon (CC BY-SA 4.0, see its LICENSE.md) has seven files:

- `verbs.csv` (verb, particle, block, cameo, plover): every verb of PETRARCH-2's CAMEO verb
  dictionary with the CAMEO code it has on its own (its line's code, else its block's) and the
  PLOVER type of that code; an empty type means "no PLOVER event" (CAMEO 01/02, or `---`);
- `patterns.csv` (block, subject, object, preps, cameo, plover, verb): the dictionary's
  patterns, which refine a verb by the head nouns around it ("rush aid" is AID, "rush troops
  to the border" MOBILIZE); `&NAME` refers to a synonym set;
- `synsets.csv` (synset, member): the dictionary's synonym sets;
- `nouns.csv` (noun, cameo, plover, note): event nouns ("invasion", "summit", "sanctions"),
  curated here with the CAMEO code whose name fits;
- `complements.csv` (verb, frames, cameo, plover, note): verbs whose type wins over the type
  of the verb they govern ("agreed to hold talks" is AGREE, "threatened to invade" THREATEN),
  following CAMEO's "express intent to", "threaten to" and "demand that" categories;
- `verbs_extra.csv` (verb, cameo, plover, note): verbs PETRARCH-2 types only through patterns,
  or does not know, although a CAMEO category names what they do ("reject", "suspend",
  "retake");
- `military.csv` (lemma, cameo, plover, note): the military sense of verbs and nouns that
  soldiers do ("the army pressed southward" is a troop movement, not a demand).

The first three are generated offline by `python tools/build_plover_lexicon.py` from
`../shared/data/events/` (PETRARCH-2's `CAMEO.2.0.txt`, MIT, and PLOVER's
`CAMEO2PLOVER-2021.txt`, CC BY-SA 4.0); the other three are written by hand.

Typing a trigger token (from a spaCy parse):
1. if it is the to-infinitive complement of a verb in `complements.csv`, or is such a verb
   with a complement of a listed kind, that verb's type;
2. its military sense (`military.csv`) when a military body does it, or a verb of it has a
   direction and no object ("pushed north");
3. a noun: its `nouns.csv` entry;
4. a support verb whose object is a typed event noun ("held talks", "mounted an invasion"):
   the noun's type;
5. a verb: its most specific matching pattern (subject, object head, prepositional phrases,
   particle), else its own code from `verbs.csv`;
6. then how the event is told changes the type, as PLOVER codes statements about actions
   rather than actions (`classify`): a denied cooperative act is REJECT ("will not accept
   refugees"); an act someone "must" do is REQUEST ("said Sudan must return the
   helicopter"); a future or intended cooperative act is AGREE ("will provide food aid", "said they
   would meet") and a future or intended hostile act THREATEN ("would blockade Paris"); a
   "would" counts as future unless an "if" makes the act hypothetical.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from spacy.tokens import Token

from pipeline.events.modality import Modality, deontic, modality_of
from schemas.vocabularies import EVENT_TYPES, subset

LEXICON = Path(__file__).parent / "lexicons" / "plover"

PLOVER_TYPES = EVENT_TYPES
"""The PLOVER event types a trigger may be given (the schema's EVENT_TYPES)."""

OBJECT_DEPS = frozenset(
    {
        "dobj",
        "obj",
        "prt",
        "advmod",
        "acomp",
        "oprd",
        "attr",
        "dative",
        "nsubjpass",
        "npadvmod",
        "xcomp",
        "ccomp",
    }
)
"""Children of a verb that a pattern's post-verb word can name (its object, particle...)."""

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})

DIRECTIONS = frozenset({"north", "south", "east", "west", "forward", "ahead", "inland", "on"})
"""Adverbs of direction: "pushed north", "pressed on" (with "-ward(s)": "southward")."""

MILITARY_AGENTS = frozenset(
    {"army", "troop", "force", "soldier", "fleet", "navy", "division", "corps", "regiment"}
    | {"brigade", "battalion", "cavalry", "infantry", "militia", "column", "unit", "tank"}
    | {"rebel", "guerrilla", "insurgent", "fighter", "garrison"}
)
"""Head nouns of armed bodies: what they press, push or march is a troop movement, and their
surrender a military one."""

SUPPORT_VERBS = frozenset(
    {"make", "take", "give", "hold", "stage", "mount", "conduct", "carry", "launch", "begin"}
    | {"start", "continue", "resume", "open", "impose"}
)
"""Verbs whose event is their object: "held talks" is CONSULT, "mounted an invasion" as the
invasion, "imposed an embargo" as the embargo, "launched a mediation effort" as the mediation
(an untyped object takes the type of its noun modifier)."""

OBJECT_RULES = (
    (
        frozenset({"end", "halt", "suspend", "break", "cut", "stop", "freeze", "sever"}),
        frozenset(subset(EVENT_TYPES, "CONSULT", "COOPERATE", "AID")),
        ("SANCTION", "160"),
    ),
    (
        frozenset({"accept", "grant", "meet", "satisfy", "heed"}),
        frozenset(subset(EVENT_TYPES, "REQUEST")),
        ("CONCEDE", "083"),
    ),
)
"""Verbs whose type is set by what they do to a typed object: ending talks, mediation, aid or
ties is reducing relations, CAMEO 16 (SANCTION: 161 break relations, 162 stop aid, 164-165
halt negotiations or mediation); accepting or granting demands is acceding to them (CONCEDE,
083). With another object the verb keeps its own type."""

COOPERATIVE = frozenset(
    subset(EVENT_TYPES, "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT")
)
"""PLOVER's verbal and material cooperation types."""

HOSTILE_ACTS = frozenset(
    subset(EVENT_TYPES, "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
)
"""PLOVER's material conflict types: announcing one is a threat."""


@dataclass(frozen=True)
class Typing:
    """The type of a trigger and the lexicon entry that gave it."""

    plover: str | None
    cameo: str | None
    rule: str


@dataclass(frozen=True)
class Pattern:
    """A verb pattern: constraints on the verb's neighbours, and the code it gives."""

    subject: str
    object: str
    preps: tuple[tuple[str, str], ...]
    cameo: str
    plover: str | None

    @property
    def specificity(self) -> int:
        """Weight of the constraints: a head noun counts 2, a bare preposition 1."""
        return (
            2 * bool(self.subject)
            + 2 * bool(self.object)
            + len(self.preps)
            + 2 * sum(bool(noun) for _, noun in self.preps)
        )


def _read(path: Path) -> list[dict]:
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    ]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@dataclass
class Lexicon:
    """The PLOVER lexicon, indexed for lookup by lemma."""

    verbs: dict[str, list[dict]]
    patterns: dict[str, list[Pattern]]
    synsets: dict[str, frozenset[str]]
    nouns: dict[str, dict]
    complements: dict[str, dict]
    extra: dict[str, dict] = field(default_factory=dict)
    military: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path = LEXICON) -> Lexicon:
        """Read the lexicon files."""
        verbs: dict[str, list[dict]] = defaultdict(list)
        for row in _read(folder / "verbs.csv"):
            verbs[row["verb"]].append(row)
        patterns: dict[str, list[Pattern]] = defaultdict(list)
        for row in _read(folder / "patterns.csv"):
            preps = tuple(tuple(p.split(":", 1)) for p in row["preps"].split(";") if p)
            patterns[row["block"]].append(
                Pattern(row["subject"], row["object"], preps, row["cameo"], row["plover"] or None)
            )
        synsets: dict[str, set[str]] = defaultdict(set)
        for row in _read(folder / "synsets.csv"):
            synsets[row["synset"]].add(row["member"].split()[-1])
        return cls(
            dict(verbs),
            dict(patterns),
            {k: frozenset(v) for k, v in synsets.items()},
            {row["noun"]: row for row in _read(folder / "nouns.csv")},
            {row["verb"]: row for row in _read(folder / "complements.csv")},
            {row["verb"]: row for row in _read(folder / "verbs_extra.csv")},
            {row["lemma"]: row for row in _read(folder / "military.csv")},
        )

    def matches(self, word: str, token: Token | None) -> bool:
        """True if a pattern word (or &SYNSET) names this token (by lemma or form)."""
        if token is None:
            return False
        forms = {token.lemma_.lower(), token.lower_}
        if word.startswith("&"):
            return bool(forms & self.synsets.get(word, frozenset()))
        return word in forms

    def pattern_matches(self, pattern: Pattern, verb: Token) -> bool:
        """All of a pattern's constraints hold around `verb`."""
        children = list(verb.children)
        if pattern.subject and not any(
            self.matches(pattern.subject, c) for c in children if c.dep_ in SUBJECT_DEPS
        ):
            return False
        objects = [c for c in children if c.dep_ in OBJECT_DEPS]
        if pattern.object and not any(self.matches(pattern.object, o) for o in objects):
            return False
        holders = [verb, *objects]
        for prep, noun in pattern.preps:
            phrases = [
                c
                for h in holders
                for c in h.children
                if c.dep_ in {"prep", "agent", "dative"} and c.lower_ == prep
            ]
            if not phrases:
                return False
            if noun and not any(
                self.matches(noun, p)
                for phrase in phrases
                for p in phrase.children
                if p.dep_ == "pobj"
            ):
                return False
        return True

    def verb_type(self, verb: Token) -> Typing | None:
        """A verb's type from its most specific matching pattern, else its own code."""
        entries = self.verbs.get(verb.lemma_.lower(), [])
        children = {c.lower_ for c in verb.children}
        entries = [e for e in entries if not e["particle"] or e["particle"] in children] or [
            e for e in entries if not e["particle"]
        ]
        if not entries:
            return self.extra_type(verb)
        entry = max(entries, key=lambda e: bool(e["particle"]))
        matching = [
            p for p in self.patterns.get(entry["block"], []) if self.pattern_matches(p, verb)
        ]
        if matching:
            best = max(matching, key=lambda p: p.specificity)
            return Typing(best.plover, best.cameo or None, f"pattern:{entry['block']}")
        if not entry["cameo"] and verb.lemma_.lower() in self.extra:
            return self.extra_type(verb)
        return Typing(entry["plover"] or None, entry["cameo"] or None, f"verb:{entry['block']}")

    def extra_type(self, verb: Token) -> Typing | None:
        """A verb's row in `verbs_extra.csv`, if it has one."""
        row = self.extra.get(verb.lemma_.lower())
        return Typing(row["plover"] or None, row["cameo"] or None, "verb_extra") if row else None

    def takes_complement(self, verb: Token) -> bool:
        """The verb is in complements.csv and has one of the complements listed for it."""
        row = self.complements.get(verb.lemma_.lower())
        if row is None:
            return False
        frames = set(row["frames"].split())
        return any(
            c.dep_ in frames or (c.dep_ == "prep" and f"prep:{c.lower_}" in frames)
            for c in verb.children
        )

    def governor(self, trigger: Token) -> Token | None:
        """The verb whose to-infinitive complement the trigger is, if it is in complements."""
        head = trigger
        for _ in range(3):
            if head.dep_ != "xcomp" or head.head.i == head.i:
                return None
            head = head.head
            if head.lemma_.lower() in self.complements:
                return head
        return None

    def type_of(self, trigger: Token) -> Typing | None:
        """The PLOVER type of a trigger token (module docstring); None if nothing matches."""
        governor = self.governor(trigger)
        if governor is not None:
            row = self.complements[governor.lemma_.lower()]
            return Typing(
                row["plover"] or None, row["cameo"] or None, f"complement:{governor.lemma_.lower()}"
            )
        if trigger.lemma_.lower() in self.military and military_sense(trigger):
            row = self.military[trigger.lemma_.lower()]
            return Typing(row["plover"] or None, row["cameo"] or None, "military")
        if trigger.pos_ in {"NOUN", "PROPN"}:
            return self.noun_type(trigger)
        supported = self.supported_noun(trigger)
        if supported is not None:
            return supported
        if self.takes_complement(trigger):
            row = self.complements[trigger.lemma_.lower()]
            return Typing(row["plover"] or None, row["cameo"] or None, "complement")
        return self.verb_type(trigger)

    def noun_type(self, noun: Token, rule: str = "noun") -> Typing | None:
        """A noun's entry in `nouns.csv`."""
        row = self.nouns.get(noun.lemma_.lower())
        return Typing(row["plover"] or None, row["cameo"] or None, rule) if row else None

    def supported_noun(self, verb: Token) -> Typing | None:
        """The type of a support verb's typed object noun ("held talks"), if it has one.

        A verb of `OBJECT_RULES` with an object of the types it acts on has the rule's type.
        """
        lemma = verb.lemma_.lower()
        rule = f"support:{lemma}"
        objects = [c for c in verb.children if c.dep_ in {"dobj", "obj"}]
        found = next((t for o in objects if (t := self.object_type(o, rule))), None)
        for verbs, acted_on, (plover, cameo) in OBJECT_RULES:
            if lemma in verbs and found is not None and found.plover in acted_on:
                return Typing(plover, cameo, f"object:{lemma}")
        return found if lemma in SUPPORT_VERBS else None

    def object_type(self, noun: Token, rule: str) -> Typing | None:
        """A noun's type, else its noun modifier's ("a mediation effort", "aid deliveries")."""
        modifiers = [c for c in noun.children if c.dep_ == "compound"]
        return next(
            (t for n in [noun, *modifiers] if (t := self.noun_type(n, rule))),
            None,
        )

    def classify(self, trigger: Token, told: Modality | None = None) -> Typing | None:
        """The PLOVER type of an event trigger, adjusted for how the event is told."""
        return adjust(self.type_of(trigger), told or modality_of(trigger), deontic(trigger))


def military_sense(trigger: Token) -> bool:
    """Whether the trigger is meant in its military sense (`military.csv`).

    A military body does it ("the army pressed", "a march by Union troops"), or a verb of
    movement has a direction and no object ("pushed north").
    """
    if trigger.pos_ in {"NOUN", "PROPN"}:
        agents = [c for c in trigger.children if c.dep_ == "poss"] + [
            p for c in trigger.children if c.lower_ == "by" for p in c.children if p.dep_ == "pobj"
        ]
    else:
        agents = [c for c in trigger.children if c.dep_ in SUBJECT_DEPS]
        directed = any(
            c.dep_ == "advmod" and (c.lower_.endswith(("ward", "wards")) or c.lower_ in DIRECTIONS)
            for c in trigger.children
        )
        if directed and not any(c.dep_ in {"dobj", "obj"} for c in trigger.children):
            return True
    return any(a.lemma_.lower() in MILITARY_AGENTS for a in agents)


def adjust(typing: Typing | None, told: Modality, must: bool) -> Typing | None:
    """The type of what is said about an act (module docstring, step 4)."""
    if typing is None or typing.plover is None or typing.rule.startswith("complement"):
        return typing
    kind = typing.plover
    if told.polarity == "negative" and kind in COOPERATIVE:
        return Typing("REJECT", "120", f"negated:{typing.rule}")
    if must and kind != "REQUEST":
        return Typing("REQUEST", "100", f"must:{typing.rule}")
    announced = told.modality in {"future", "intended"} or (
        told.modality == "hypothetical" and "would" in told.cues and "if" not in told.cues
    )
    if announced and kind in COOPERATIVE - {"AGREE"}:
        return Typing("AGREE", "030", f"{told.modality}:{typing.rule}")
    if announced and kind in HOSTILE_ACTS:
        return Typing("THREATEN", "130", f"{told.modality}:{typing.rule}")
    return typing


@cache
def load_lexicon(folder: Path = LEXICON) -> Lexicon:
    """The lexicon, read once per process."""
    return Lexicon.load(folder)


REPORTING_VERBS = frozenset({"say", "tell", "report", "add", "announce", "state", "claim"})
"""Verbs that report an event told before them ("Tanks fired at the town, witnesses said"): the
report is how the news came, the clause is the event."""


def typed_tokens(root: Token, lexicon: Lexicon) -> Iterator[tuple[Token, Typing]]:
    """Predicates under `root`, breadth first (main clause first), with their types.

    A reporting verb comes after the clause it reports when that clause is told before it
    (`REPORTING_VERBS`); a participle used as an adjective ("Vietnamese-led forces") is no
    predicate.
    """
    queue = [root]
    seen: set[int] = set()
    put_off: set[int] = set()
    while queue:
        token = queue.pop(0)
        if token.i in seen:
            continue
        told_first = reported_before(token)
        if told_first and token.i not in put_off:
            put_off.add(token.i)
            queue = [*told_first, token, *queue]
            continue
        seen.add(token.i)
        if token.pos_ in {"VERB", "NOUN", "PROPN", "AUX"} and token.dep_ not in {
            "amod",
            "compound",
        }:
            typing = lexicon.classify(token)
            if typing is not None:
                yield token, typing
        queue.extend(token.children)


def reported_before(verb: Token) -> list[Token]:
    """The clauses a reporting verb reports that come before it, if it is one."""
    if verb.lemma_.lower() not in REPORTING_VERBS:
        return []
    return [c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i]


def sentence_type(root: Token, lexicon: Lexicon) -> tuple[Token | None, Typing | None]:
    """The event of a sentence: its highest predicate with a PLOVER type."""
    return next(
        ((t, typing) for t, typing in typed_tokens(root, lexicon) if typing.plover is not None),
        (None, None),
    )
