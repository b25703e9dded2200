"""An event's participants: the arguments of its trigger, linked to the document's mentions.

The subject and object of a verb (through passives and to-infinitives), the agent and
patient of an event noun ("invasion of Cuba by exiles"), places and other names in the
trigger's prepositional phrases. Each argument's head token is then linked to a mention
directly, through a pronoun or a title (`pipeline.events.coref`), a relative pronoun, an
apposition or an "X of Y" phrase; the entities stage later turns mentions into entity ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.core.config import EventParams
from pipeline.events.basis import names_an_event
from pipeline.events.coref import PERSONAL_PRONOUNS, PLURAL_PRONOUNS, Coref
from pipeline.events.mentions import Mention, load_titles
from pipeline.events.modality import negative_quantifier, noun_phrase
from pipeline.events.triggers import (
    LIGHT_OBJECTS,
    NON_AGENT_PRONOUNS,
    is_event_noun,
    is_light_or_state,
    is_verb,
)
from schemas.vocabularies import ENTITY_LABELS, subset

RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})

PLACE_LABELS = frozenset(subset(ENTITY_LABELS, "GPE", "LOC", "FAC"))
OTHER_LABELS = frozenset(subset(ENTITY_LABELS, "PERSON", "ORG", "NORP", "GPE"))
"""Named participants in a prepositional phrase that is not a place: "talks with Soviet
Ambassador Anatoly Dobrynin", "aid to Cuba"."""

SUBJECTS = frozenset({"nsubj", "csubj"})
OBJECTS = frozenset({"dobj", "obj"})
NOT_PLACES = frozenset({"as", "like", "than", "against"})
"""Prepositions whose phrase is a role or a comparison, not a place: "entered the war as an
ally of France" happened nowhere near France, "fought against Spain"."""

VERB_PREFIXES = frozenset({"counter", "co", "re", "pre", "cross", "out", "over", "under"})
"""Prefixes written apart from their verb, which the parser may take for a subject noun: in
"The Austrian counter attacked" the Austrians attacked, not a "counter"."""

MEASURE_NOUNS = frozenset(
    {"vote", "majority", "margin", "plurality", "percent", "percentage", "point", "factor"}
)
"""Nouns of a count or measure: in "approved by 212 votes" or "won by a margin of ten" the
"by" phrase tells how much, not who did it."""

INHERITS_SUBJECT = frozenset({"xcomp", "conj", "advcl", "pcomp", "prep", "dobj", "pobj", "acomp"})
"""Dependencies through which a subject-less verb takes the subject of the verb above it
("Khrushchev had failed to remove...": remove takes failed's subject)."""


@dataclass(frozen=True)
class Argument:
    """A participant found in the parse, before it is linked to an entity id."""

    role: str
    start_char: int
    end_char: int
    text: str
    mention_id: str | None
    resolution: str


# --- argument heads in the parse --------------------------------------------------------------


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens coordinated with it ("Brezhnev and Kosygin")."""
    return [token, *[t for t in token.conjuncts if t.i > token.i]]


def stray_subject(verb: Token) -> Token | None:
    """The subject of a coordinated verb that the parser joined to the object before it.

    In "the guilds refused the duke's offer and the duke condemned the guilds" the parser
    may read "the duke" as a second object of "refused" ("the offer and the duke"): the noun
    just before a past-tense verb of its own is that verb's subject, not the first verb's.
    """
    if verb.dep_ != "conj" or verb.tag_ != "VBD" or verb.i == verb.sent.start:
        return None
    noun = verb.doc[verb.i - 1]
    if noun.dep_ == "compound" and noun.head.i < verb.i:
        noun = noun.head
    if noun.pos_ not in {"NOUN", "PROPN"} or noun.dep_ != "conj":
        return None
    return noun if noun.head.dep_ in OBJECTS | {"pobj"} and noun.head.i < verb.i else None


def is_stray_subject(noun: Token) -> bool:
    """A noun read as a second object that is the next verb's subject (`stray_subject`)."""
    after = noun.i + 1
    return after < len(noun.doc) and stray_subject(noun.doc[after]) == noun


def subject_of(verb: Token) -> list[Token]:
    """Subjects of a verb, or of the verb it depends on when it has none of its own."""
    token = verb
    stray = stray_subject(verb)
    if stray is not None and not any(c.dep_ in SUBJECTS for c in verb.children):
        return [stray]
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in SUBJECTS]
        if subjects:
            return conjuncts(subjects[0])
        if any(c.dep_ in {"nsubjpass", "expl"} for c in token.children):
            return []  # "when there were clashes": the clause's own, empty, subject
        if token.dep_ not in INHERITS_SUBJECT or token.head.i == token.i:
            return []
        token = token.head
    return []


def prefix_repaired(subject: Token, verb: Token) -> list[Token]:
    """The subject, or its modifiers when it is a verb prefix written apart (`VERB_PREFIXES`).

    "The Austrian counter attacked": the agent is "Austrian"; a bare prefix gives no agent.
    """
    if subject.lower_ not in VERB_PREFIXES or subject.i + 1 != verb.i:
        return [subject]
    return [c for c in subject.children if c.dep_ in {"amod", "compound", "nmod"}]


PERCEPT_NOUNS = frozenset(
    {"roar", "sound", "noise", "din", "rumble", "thunder", "echo", "whine", "hum", "sight"}
)
"""Nouns of what is heard or seen of a thing ("the roar of the engines"): the noise does
nothing; the thing that makes it is the doer."""


def percept_source(subject: Token) -> Token:
    """The thing whose sound or sight the subject is ("the roar of the engines" -> engines).

    "The distant rumble of the guns firing on the ridge": the guns fire, not the rumble.
    """
    if subject.lemma_.lower() not in PERCEPT_NOUNS:
        return subject
    for prep in subject.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            objects = [c for c in prep.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return subject


APPOINTING_VERBS = frozenset({"proclaim", "declare", "appoint", "elect", "name", "crown"})
"""Verbs that make someone something ("was proclaimed the Supreme Ruler", "was elected
president"): their passive's subject is the one made it."""

TITLES_OF_RULE = frozenset({"ruler", "regent", "head", "chief", "commander", "governor"})
"""Nouns of an office besides the titles of people (`pipeline.events.mentions.load_titles`)."""


ABSOLUTE_PREPOSITIONS = frozenset({"with", "without"})
"""Prepositions of an absolute phrase: "with" a noun and a past participle ("with the papers
signed", "with the bridge destroyed") tells what was done to the noun."""


def undergoes(verb: Token) -> bool:
    """Whether the verb's subject undergoes it though the parser read the verb as active.

    A past participle in an absolute phrase after "with" (`ABSOLUTE_PREPOSITIONS`: "with the
    treaty signed in May", which the parser reads as an active past with its subject); a
    past participle set off by commas right after its noun ("the army, checked at last,
    returned home": the army was checked), which the parser takes for the main verb (after
    an apposition, "the general, a veteran, resigned", the comma closes it); or an
    appointing verb coordinated with a passive, whose auxiliary the coordination leaves out,
    with an office as its only object ("the ministers were arrested and the admiral
    proclaimed the Supreme Ruler": the admiral was proclaimed it); or a bare past participle
    heading an adverbial clause (`reduced_passive`).
    """
    if verb.tag_ not in {"VBD", "VBN"} or any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if reduced_passive(verb, subjects):
        return True
    if subjects and verb.dep_ == "pcomp" and verb.head.lower_ in ABSOLUTE_PREPOSITIONS:
        return True  # "with the papers signed at Evora": the papers were signed
    doc = verb.doc
    if subjects and verb.i >= 2 and doc[verb.i - 1].text == ",":
        words = [t for t in subjects[0].subtree if t.i < verb.i - 1]
        # a comma inside the subject closes a phrase of its own ("Lee, the general, died")
        set_off = bool(words) and words[-1].i == verb.i - 2 and "," not in {t.text for t in words}
        if set_off and any(c.dep_ == "conj" and is_verb(c) for c in verb.children):
            return True
    if verb.dep_ != "conj" or verb.lemma_.lower() not in APPOINTING_VERBS:
        return False
    if not any(c.dep_ == "auxpass" for c in verb.head.children):
        return False
    objects = [c for c in verb.children if c.dep_ in OBJECTS | {"oprd", "dative", "ccomp"}]
    offices = load_titles() | TITLES_OF_RULE
    return len(objects) == 1 and objects[0].lemma_.lower() in offices


def reduced_passive(verb: Token, subjects: list[Token]) -> bool:
    """A bare past participle heading an adverbial clause: a passive without its auxiliary.

    "Defeated at the ford on 3 May, the brigade withdrew": the brigade was defeated, it did
    not defeat; "a letter from the consul (printed in the Gazette on 3 May)": the clause's
    subject is not the printer. The subject it borrows undergoes it, and no one is its doer
    but a "by" phrase of its own.
    """
    if verb.tag_ != "VBN" or verb.dep_ != "advcl" or subjects:
        return False
    return not any(c.dep_ in OBJECTS | {"mark"} for c in verb.children)


CAUSATIVE_VERBS = frozenset({"have", "get"})
"""Verbs that have something done by another ("had him jailed", "got the prisoners
released"): their subject causes the participle's event, their object undergoes it."""


def causative(trigger: Token) -> tuple[list[Token], list[Token]] | None:
    """(agents, patients) of a past participle a causative verb governs, or None.

    "The duke had him arrested": the parser makes "him" the subject of "arrested", but the
    duke is the one who had it done and "him" the one arrested; in "got the prisoners
    released" the participle hangs on the object. The agent is the causative verb's subject.
    """
    if trigger.tag_ != "VBN" or any(c.dep_ in {"aux", "auxpass"} for c in trigger.children):
        return None
    head = trigger.head
    if trigger.dep_ in {"ccomp", "xcomp", "oprd"} and head.lemma_.lower() in CAUSATIVE_VERBS:
        undergoers = [c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}]
        undergoers += [c for c in head.children if c.dep_ in OBJECTS]
    elif (
        trigger.dep_ == "acl"
        and head.dep_ in OBJECTS
        and head.head.lemma_.lower() in CAUSATIVE_VERBS
    ):
        undergoers, head = [head], head.head
    else:
        return None
    if not undergoers or not is_verb(head):
        return None
    return subject_of(head), conjuncts(undergoers[0])


PHRASE_OBJECTS = frozenset({"effect", "priority", "shape", "hold", "root", "precedence"})
"""Objects that make a phrase of their verb ("took effect", "took shape"): its subject is what
the phrase tells of, as with a light object (`LIGHT_OBJECTS`)."""


def is_measure(token: Token) -> bool:
    """The object of a "by" phrase that is a count or measure, no doer.

    "Elected by 212 votes", "rejected by a majority of twelve", "passed by 60 to 40".
    """
    return token.lemma_.lower() in MEASURE_NOUNS or token.pos_ == "NUM" or token.text == "%"


def by_doers(by: Token, coordinated: bool = True) -> list[Token]:
    """The doers a "by" phrase names: its objects (and their conjuncts), less counts."""
    objects = [p for p in by.children if p.dep_ == "pobj"]
    if coordinated:
        objects = [t for p in objects for t in conjuncts(p)]
    return [t for t in objects if not is_measure(t)]


def holder_of_event(subject: Token, verb: Token) -> list[Token]:
    """The doer of an event noun that is the subject of a deed: its holder, else none.

    "A sudden assault drove the companies out": an assault is no doer, and giving none is
    better than a wrong one; "the duke's assault" and "an assault by the duke" name the duke.
    Only with an object, a deed done to something: "the siege ended", "the war began" tell
    what the event itself did, and their subject stays. A noun of a body that acts
    (`lexicons/agentive_nouns.txt`) stays the doer.
    """
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if not names_an_event(subject) or not objects:
        return [subject]
    if any(o.lemma_.lower() in LIGHT_OBJECTS | PHRASE_OBJECTS for o in objects):
        return [subject]  # "the truce took effect", "the battle took place"
    holders = [c for c in subject.children if c.dep_ == "poss"]
    holders += [
        o
        for p in subject.children
        if p.dep_ == "prep" and p.lower_ == "by"
        for o in by_doers(p, False)
    ]
    return holders[:1]


def verb_arguments(trigger: Token) -> list[tuple[str, Token]]:
    """(role, head token) of a verb's agent and patient, handling passives and xcomps.

    A passive verb coordinated with another shares its subject as what undergoes it, not as
    its doer: in "the guild lost its charter and was replaced by the council" the guild is
    replaced, the council replaces it. A subject that names no one ("neither side", "none of
    the envoys", `negative_quantifier`) is no doer: the deed did not happen.
    """
    children = list(trigger.children)
    passive_subjects = [c for c in children if c.dep_ == "nsubjpass"]
    roles: list[tuple[str, Token]] = []
    if undergoes(trigger):  # "defeated by the rebels, the brigade withdrew"
        roles = [("agent", t) for a in children if a.dep_ == "agent" for t in by_doers(a)]
        return roles + [("patient", t) for s in subject_of(trigger) for t in conjuncts(s)]
    caused = causative(trigger)
    if caused is not None:
        agents, patients = caused
        return [("agent", t) for t in agents] + [("patient", t) for t in patients]
    if passive_subjects or any(c.dep_ == "auxpass" for c in children):
        for agent in (c for c in children if c.dep_ == "agent"):
            roles += [("agent", t) for t in by_doers(agent)]
        undergoers = conjuncts(passive_subjects[0]) if passive_subjects else subject_of(trigger)
        roles += [("patient", t) for t in undergoers]
        return roles
    subjects = subject_of(trigger)
    if subjects and negative_quantifier(subjects[0]):
        subjects = []  # "neither side attacked", "none of the envoys signed": no doer
    roles += [
        ("agent", t)
        for s in subjects
        for h in holder_of_event(s, trigger)
        for t in prefix_repaired(percept_source(h), trigger)
    ]
    objects = [c for c in children if c.dep_ in OBJECTS]
    if not objects:  # "decided to install missiles": the object of the complement
        objects = [
            c for x in children if x.dep_ == "xcomp" for c in x.children if c.dep_ in OBJECTS
        ]
    roles += [("patient", t) for o in objects[:1] for t in conjuncts(o) if not is_stray_subject(t)]
    return roles


def is_happening(token: Token) -> bool:
    """A subject that stands for a happening: an event noun or "this", "that"... for one.

    "This followed the vote", "the mutiny preceded the landing": what the light verb's noun
    says happened was done by nobody the subject names.
    """
    return token.lower_ in NON_AGENT_PRONOUNS or is_event_noun(token)


def noun_arguments(trigger: Token) -> list[tuple[str, Token]]:
    """Agent, patient and backers of an event noun.

    The noun of a light verb takes the verb's subject as agent ("the allies made progress").
    Agent: 'invasion by exiles', "Khrushchev's visit"; patient: 'invasion of Cuba'; other:
    'backed by the CIA'. The parser may hang these on the head of the noun's phrase rather
    than on the noun ("the abortive Bay of Pigs invasion by Cuban exiles": "by" depends on
    "Bay").
    """
    roles: list[tuple[str, Token]] = []
    if trigger.dep_ in {"dobj", "attr"} and is_light_or_state(trigger.head):
        roles += [  # "the allies made progress"; "this followed the vote": no doer
            ("agent", t) for t in subject_of(trigger.head) if not is_happening(t)
        ]
    inside = {t.i for t in trigger.subtree}
    for holder in noun_phrase(trigger):
        for child in holder.children:
            if child.i in inside and holder.i != trigger.i:
                continue
            if child.dep_ == "poss":
                roles.append(("agent", child))
            elif child.dep_ == "prep" and child.lower_ == "by":
                roles += [("agent", p) for p in by_doers(child, False) if p.i != trigger.i]
            elif child.dep_ == "prep" and child.lower_ == "of":
                roles += [
                    ("patient", p) for p in child.children if p.dep_ == "pobj" and p.i != trigger.i
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


def _pp_objects(
    holders: Iterable[Token], depth: int = 2, skip: frozenset[str] = frozenset()
) -> list[tuple[Token, Token]]:
    """(preposition, object) pairs of prepositional phrases under `holders`.

    `depth` levels deep ("during a visit to Bulgaria" gives visit and Bulgaria), with the
    objects' conjuncts; prepositions in `skip` are not followed.
    """
    found = []
    frontier = [c for t in holders for c in t.children if c.dep_ == "prep" and c.lower_ not in skip]
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
    for _, candidate in _pp_objects((trigger, *extra), skip=NOT_PLACES):
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


# --- linking to mentions ----------------------------------------------------------------------


def link(token: Token, role: str, coref: Coref, window: int) -> Argument:
    """Link an argument's head token to a mention, saying how the link was made.

    The first rule that applies: the token is in a mention; a pronoun's antecedent
    (`pipeline.events.coref`); a relative pronoun's noun; a mention in the token's phrase or
    a title (`phrase_mention`).
    """
    direct = coref.at(token)
    if direct is not None:
        return Argument(
            role, direct.start_char, direct.end_char, direct.text, direct.mention_id, "mention"
        )
    own = (token.idx, token.idx + len(token.text), token.text)
    if token.lower_ in PERSONAL_PRONOUNS | PLURAL_PRONOUNS:
        antecedent = coref.pronoun(token, window)
        return Argument(
            role,
            *own,
            antecedent.mention_id if antecedent else None,
            "pronoun" if antecedent else "none",
        )
    if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
        m = coref.at(relative_noun(token))
        return Argument(
            role, *own, m.mention_id if m else None, "relative_pronoun" if m else "none"
        )
    start, end = _phrase(token)
    found, resolution = phrase_mention(token, coref)
    text = text_of(token.doc)[start:end]
    return Argument(role, start, end, text, found.mention_id if found else None, resolution)


def relative_noun(pronoun: Token) -> Token:
    """The noun a relative pronoun stands for: the one its clause modifies.

    Through a copula, the copula's subject ("Khrushchev was a personality who ...").
    """
    noun = pronoun.head.head
    if noun.dep_ == "attr":
        noun = next((c for c in noun.head.children if c.dep_ in SUBJECTS), noun)
    return noun


def phrase_mention(token: Token, coref: Coref) -> tuple[Mention | None, str]:
    """The mention a noun phrase names, and how: an apposition, an "of" phrase or a title.

    "the leader, Brezhnev" (apposition), "the government of Cuba" (of_phrase), "the Soviet
    leader" (title, `Coref.by_title`); (None, "none") when none applies.
    """
    appositions = [c for c in token.children if c.dep_ == "appos"]
    of_objects = [
        next((p for p in c.children if p.dep_ == "pobj"), c)
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "of" and not names_a_person(token, coref)
    ]
    for targets, resolution in ((appositions, "apposition"), (of_objects, "of_phrase")):
        for target in targets:
            m = coref.at(target)
            if m is not None:
                return m, resolution
    titled = coref.by_title(token) if token.pos_ in {"NOUN", "PROPN"} else None
    if titled is not None:
        return titled, "title"
    return None, "none"


def names_a_person(token: Token, coref: Coref) -> bool:
    """Whether the phrase names a person by name or title, so its "of" phrase is not the actor.

    In "Emperor Francis II of Austria" or "the king of France" the "of" phrase says where the
    person is from: the participant is the person, not the place.
    """
    return token.pos_ == "PROPN" or token.lemma_.lower() in coref.titles


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


# --- extents of text --------------------------------------------------------------------------


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


# --- an event's participants ------------------------------------------------------------------


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
