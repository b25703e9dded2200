"""Triggers: the predicate a temporal expression dates, and the clause that is the event's text.

From each dated expression we climb the dependency parse to the verb or event noun it
modifies: that is the trigger ("the Bay of Pigs invasion by Cuban exiles in April 1961" is an
invasion event; "at a summit in June 1961" dates both the summit and the verb the summit is an
argument of). Event nouns come from `lexicons/event_nouns.txt`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from spacy.tokens import Span, Token

LEXICON = Path(__file__).parent / "lexicons" / "event_nouns.txt"
DOCUMENTS = Path(__file__).parent / "lexicons" / "document_nouns.txt"

LIGHT_VERBS = frozenset({"be", "become", "have"})
"""Verbs that carry no event of their own ("the invasion in 1961 was a turning point", "they
had an army of 20,000"): the event is their noun or complement, or there is none."""

SUPPORT_VERBS = frozenset(
    {"make", "take", "give", "hold", "stage", "mount", "conduct"}
    | {"undergo", "suffer", "cause", "lead"}
)
"""Verbs whose event is their object when that is an event noun ("made an attack", "held
talks", "mounted an invasion", "suffered a defeat", "caused a collapse"); with another object
they are events of their own."""

OCCURRENCE_VERBS = frozenset({"happen", "occur"})
"""Verbs that say an event took place: the event is their subject ("the surrender happened
the same day"), like "take place"."""

TIME_TELLING_VERBS = frozenset({"come", "see", "witness", "arrive"})
"""Verbs of a clause that only tells the time when their subject is a time ("the time had come
for an assault", "October saw the rebels retreat", "the day arrived to sail")."""

STATE_VERBS = frozenset(
    {"outnumber", "remain", "contain", "consist", "comprise", "include", "number", "own"}
    | {"possess", "resemble", "lack", "belong", "seem", "know", "last", "appear", "stay"}
    | {"exist", "matter", "deserve", "depend", "involve", "mean", "look", "sound", "feel"}
    | {"constitute", "represent", "mark", "signal", "stipulate", "keep", "retain", "oppose"}
    | {"face", "control", "dominate", "maintain", "rank", "outrank", "exemplify", "typify"}
    | {"epitomize", "epitomise", "embody"}
)
"""Verbs of states and relations, not events ("they outnumbered the garrison", "the army
numbered 20,000", "known as the Battle of the Amber Straits", "the commune lasted until July",
"this marked the beginning of the war", "the pact stipulated that...", "the rebels
controlled the south": holding is a state, taking control the event; "maintained a
neutrality pact"; "was out-ranked by a general"; "the rout was exemplified by the loss of the
fort": the instance is the happening, not its being an example)."""

MAKEUP_VERBS = frozenset({("compose", ""), ("make", "up")})
"""Verbs (with their particle) that, passive with "of", tell what a thing is made of ("the
team was composed of officers", "the force was made up of volunteers"): a state, not an
event."""

MENTAL_VERBS = frozenset(
    {"think", "believe", "want", "need", "wish", "hope", "like", "love", "hate", "prefer"}
    | {"expect", "consider", "regard", "remember", "desire", "understand"}
)
"""States of mind ("he hoped for peace", "they regarded the treaty as void"): not events. A
date beside one dates no event; the clock dates none either."""

NAMING_VERBS = frozenset({"call", "name", "know", "term", "dub", "style", "title", "nickname"})
"""Verbs that give a name ("a town called Riverton", "the rising, dubbed the March Revolt",
"known as the Battle of the Ford"): with a proper name as complement they name, they do not
tell an event."""

GENERAL_VERBS = frozenset(
    {"go", "get", "let", "do", "use", "come", "see", "seek", "lie", "stand"}
    | {"begin", "start", "continue", "fail", "try", "attempt"}
)
"""Verbs too general to stand for an event without a date of their own: in a dateless
sentence they mostly carry another verb ("began to retreat": the retreat is the event;
"failed to take the town": no event) or tell little ("it came to nothing"), so the story's
clock dates none of them (`pipeline.events.basis`). A date of their own still dates them
("In 1850 the army came to the city")."""

CONTENT_VERBS = frozenset(
    {"detail", "offer", "describe", "state", "call", "provide", "say", "claim", "argue"}
    | {"assert", "outline", "propose", "list", "specify", "promise", "envisage", "envision"}
    | {"declare", "demand", "require", "guarantee", "recommend", "urge", "predict", "show"}
    | {"reveal", "suggest", "indicate", "mention", "note", "explain", "recount", "depict"}
    | {"portray", "document", "report", "put", "estimate", "give", "set", "lay", "forbid"}
    | {"prohibit", "permit", "allow", "grant", "recognise", "recognize", "affirm", "read"}
)
"""Verbs that, with a document or text as subject (`lexicons/document_nouns.txt`), tell what
the text says ("the letter offered the promise of reform", "the history detailed a series of
deceptions", "the plan called for an offensive", "another report put the total at 10,000"):
its content, not a happening. Publishing, signing or issuing it is an event: those verbs are
not here."""

RESULT_VERBS = frozenset(
    {"cause", "force", "compel", "rupture", "transform", "bring", "spark", "trigger", "provoke"}
    | {"prompt", "shatter", "undermine", "weaken", "strengthen", "convince", "persuade"}
    | {"encourage", "deprive", "cost", "demonstrate", "show", "prove", "pave", "open", "doom"}
    | {"deal", "plunge", "galvanize", "galvanise", "unite", "divide", "test", "challenge"}
)
"""Verbs of cause and result: with a happening or a thing as subject ("the murder of the
president ruptured the country", "the defeat forced the king to flee", "the victories
transformed the war", "the revolt tested the council") they state a consequence, not a
happening of their own, and so in the passive with such a "by" phrase ("was tested by the
revolt"); "leave" and "make" with a state as complement ("left Japan overconfident", "made
the road impassable"), "lead to", "result in" and "give rise to" do too
(`states_consequence`)."""

NON_AGENT_PRONOUNS = frozenset({"this", "that", "these", "those", "which"})
"""Pronouns that stand for what was just told ("this forced the king to flee"): a happening,
not a doer."""

FORMING_VERBS = frozenset({"form", "make"})
"""Verbs that, with a part of a whole as object (`PART_NOUNS`), tell what a thing is within
it ("the guards formed the rearguard", "the clerks made up the bulk of the council")."""

PART_NOUNS = frozenset(
    {"part", "core", "basis", "backbone", "bulk", "majority", "minority", "nucleus"}
    | {"executive", "heart", "mainstay", "vanguard", "rearguard", "remainder", "rest"}
)
"""Nouns of a part or a role within a whole: "formed the core of the army" is what the unit
was, not its founding ("formed a new army" is)."""

LIGHT_OBJECTS = frozenset({"place", "part", "step", "action", "progress", "effort", "attempt"})
"""Objects that make their verb light: "took place", "made progress", "took part"."""

TIME_NOUNS = frozenset(
    {"time", "moment", "hour", "day", "week", "month", "year", "decade", "century", "season"}
    | {"spring", "summer", "autumn", "fall", "winter", "morning", "evening", "night", "period"}
)
"""Nouns that name a time: as a subject they make "come" or "see" tell the time."""

SCHEDULING_VERBS = frozenset(
    {"plan", "schedule", "set", "fix", "slate", "postpone", "delay", "defer", "reschedule"}
    | {"arrange", "call", "adjourn", "move", "bring"}
)
"""Verbs whose "for"/"until"/"to" date is the date of what is planned, not of the planning ("the
congress was planned for May 1815" dates the congress)."""

SCHEDULED_PREPOSITIONS = frozenset({"for", "until", "till", "to"})

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})

CLAUSE_HEADS = frozenset({"ROOT", "relcl", "advcl", "ccomp", "xcomp", "acl", "conj", "pcomp"})
"""Dependencies of a word that heads a clause of its own (a copula there is the clause's verb)."""

PREMODIFIERS = frozenset({"nummod", "compound", "amod", "nmod", "poss"})
"""Dependencies of a date written before the noun it qualifies ("the 2010 raid", "Thursday's
ruling", "third-quarter loss")."""

OBJECTS = frozenset({"dobj", "attr", "dative", "oprd"})

NOT_SIMULTANEOUS = frozenset({"before", "after", "since", "until", "till", "following", "prior"})
"""Prepositions that put the verb's event apart in time from the event noun they take ("shortly
before the fall of the city on 17 July, the tsar was executed": the date is the fall's)."""


CARRIERS = frozenset(
    {"begin", "start", "stop", "continue", "cease", "resume", "finish"}
    | {"decline", "refuse", "vote", "help", "agree"}
)
"""Aspectual verbs and verbs of deciding or helping: they happen when their complement does,
so a date of the complement dates them too ("began to crumble in mid-1850", "voted to
support the republic on Friday", "declined to comment on Saturday"). Not "fail", "try" or
"manage": the complement's modality says it (`pipeline.events.modality`)."""


CHANGE_VERBS = frozenset(
    {"increase", "grow", "rise", "decline", "decrease", "fall", "drop", "expand", "shrink"}
    | {"intensify", "escalate", "worsen", "improve", "deteriorate", "diminish", "dwindle"}
    | {"swell", "mount", "climb", "spread", "strengthen", "weaken", "harden", "soften"}
)
"""Verbs of gradual change: over a stretch ("throughout 1850", "in the course of 1850") they
tell a trend, not one happening ("attacks increased in ferocity throughout 1850", "in the
course of 1850 the corps grew to 60,000")."""

STRETCH_WORDS = frozenset({"throughout", "course", "during", "between"})
"""Words of the climb from a date that make it a stretch the verb goes on over ("throughout
1850", "in the course of 1850", "during the fighting of 1850", "between 1850 and 1855")."""

LEVEL_NOUNS = frozenset(
    {"low", "high", "peak", "level", "average", "figure", "total", "record", "rate", "mark"}
)
"""Nouns of a level a change starts from ("rose from a low in January", "fell from its 1850
highs"): the date is the level's, not the change's."""

NEGATIVE_DETERMINERS = frozenset({"no", "neither", "none", "nobody", "nothing", "never"})

TOPIC_PREPOSITIONS = frozenset({"for", "about", "over", "against", "with"})
"""Prepositions of cause or topic: the verb is about the event noun, not at its time ("Israel
apologised for the 2010 raid", "charged with murder in the 1995 shooting")."""


def load_event_nouns(path: Path = LEXICON) -> frozenset[str]:
    """Event-noun lemmas from the lexicon file (one per line, '#' comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s for line in lines if (s := line.split("#")[0].strip().lower()))


@cache
def default_event_nouns() -> frozenset[str]:
    """The event-noun lexicon, read once per process."""
    return load_event_nouns()


def is_verb(token: Token) -> bool:
    """Verbs, and auxiliaries heading their clause ("By 1962 he was leader": trigger 'be').

    A copula heads a clause wherever the clause stands: as the sentence's root, or as a
    relative, adverbial or complement clause ("the novelty they were for most of the
    decade": the date stays in the relative clause).
    """
    return token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ in CLAUSE_HEADS)


def _children(token: Token, deps: frozenset[str] | set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


INSTITUTION_NOUNS = frozenset({"congress"})
"""Event nouns that, capitalised with no "of" phrase, name a body, not a meeting: "a speech
to Congress" (the legislature), against "the Congress of Vienna"."""


def _is_event_noun(token: Token, event_nouns: frozenset[str]) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ not in {"NOUN", "PROPN"} or lemma not in event_nouns:
        return False
    if lemma in INSTITUTION_NOUNS and token.text[:1].isupper() and token.i > token.sent.start:
        return any(p.lower_ == "of" for p in _children(token, {"prep"}))
    return True


@cache
def document_nouns() -> frozenset[str]:
    """The lexicon of nouns for documents and texts, read once per process."""
    return load_event_nouns(DOCUMENTS)


def active_subjects(verb: Token) -> list[Token]:
    """The active subjects of a verb, or of the verb it is coordinated with ("... and left")."""
    heads = [verb, verb.head] if verb.dep_ == "conj" else [verb]
    return [c for h in heads for c in h.children if c.dep_ == "nsubj"]


def tells_content(verb: Token) -> bool:
    """A verb of content whose subject is a document or text: what the text says.

    "The letter offered the promise of reform", "the treaty's article stated that...": no event
    (`CONTENT_VERBS`, `lexicons/document_nouns.txt`).
    """
    if verb.lemma_.lower() not in CONTENT_VERBS or _children(verb, {"auxpass"}):
        return False
    return any(s.lemma_.lower() in document_nouns() for s in active_subjects(verb))


def states_consequence(verb: Token, event_nouns: frozenset[str]) -> bool:
    """A verb of result whose subject is a happening or a thing: a consequence, not an event.

    A subject that is an event noun ("the murder", "the victories"), a pronoun for what was
    just told ("this", `NON_AGENT_PRONOUNS`) or a text, with a verb of `RESULT_VERBS`, "lead
    to", "result in", "give rise to", or "leave"/"make" with a state as complement: one
    event causing another is a relation, as "X followed Y" is (`orders_events`). "The war
    ended in 1945" tells an event: "end" is no verb of result.
    """
    lemma = verb.lemma_.lower()
    if lemma in RESULT_VERBS and any(_is_event_noun(d, event_nouns) for d in passive_doers(verb)):
        return True  # "the reform was tested by the revolt": the revolt is the event
    if leads_to(verb):
        return True  # "the feud led to a split": whatever led, a relation between the two
    subjects = active_subjects(verb)
    if not any(
        _is_event_noun(s, event_nouns)
        or s.lower_ in NON_AGENT_PRONOUNS
        or s.lemma_.lower() in document_nouns()
        for s in subjects
    ):
        return False
    if lemma in RESULT_VERBS:
        return True
    if leads_to(verb):
        return True
    if lemma == "result":  # "which resulted in the fall of the ministry"
        return _causes_event(verb, "in", event_nouns)
    if lemma == "give" and any(o.lower_ == "rise" for o in _children(verb, {"dobj"})):
        return _causes_event(verb, "to", event_nouns)  # "gave rise to a revolt"
    return lemma in {"leave", "make"} and bool(_children(verb, {"oprd", "ccomp", "xcomp"}))


def leads_to(verb: Token) -> bool:
    """A "lead to" with no object: a cause and its result, a relation, not a happening.

    "The feud between the houses led to a split", "a dispute that led to war": whatever the
    subject (a happening, a state such as a rivalry, or a person's deed), the result is the
    event, dated as its own. "Led the column to the coast" has an object and is a deed.
    """
    if verb.lemma_.lower() != "lead" or _children(verb, {"dobj", "auxpass", "nsubjpass"}):
        return False
    return any(p.lower_ == "to" for p in _children(verb, {"prep"}))


REFLEXIVE_PRONOUNS = frozenset(
    {"itself", "themselves", "himself", "herself", "ourselves", "myself", "yourself"}
)
"""Pronouns that make "find" tell where its subject stood ("found themselves at war")."""


def finds_itself(verb: Token) -> bool:
    """A "find oneself" in a state: where the subject stood, not something it did.

    "The two fleets found themselves at war by the autumn", "the garrison found itself cut
    off": the state is told as reached, and no one found anything.
    """
    if verb.lemma_.lower() != "find":
        return False
    objects = _children(verb, {"dobj"})
    objects += [  # the parser may make "itself" the subject of "cut off"
        s for c in _children(verb, {"ccomp", "xcomp", "oprd"}) for s in _children(c, SUBJECTS)
    ]
    return any(o.lower_ in REFLEXIVE_PRONOUNS for o in objects)


def passive_doers(verb: Token) -> list[Token]:
    """The nouns of a passive verb's "by" phrase: its doers ("was tested by the revolt")."""
    if not _children(verb, {"auxpass"}):
        return []
    return [o for a in _children(verb, {"agent"}) for o in _children(a, {"pobj"})]


def _causes_event(verb: Token, preposition: str, event_nouns: frozenset[str]) -> bool:
    """The verb's `preposition` phrase names an event: "resulted in the fall of the ministry".

    One event causing another is a relation; "will result in lower earnings" tells an
    outcome that is no event noun, and stays.
    """
    for prep in _children(verb, {"prep"}):
        if prep.lower_ != preposition:
            continue
        for obj in _children(prep, {"pobj"}):
            for noun in [obj, *obj.conjuncts]:
                if _is_event_noun(noun, event_nouns) or noun.lower_.endswith("ing"):
                    return True
    return False


ORDER_VERBS = frozenset({"follow", "precede"})
"""Verbs that put two events in order ("the riots followed the vote", "this preceded the
siege"): with a happening as subject and object they tell when one came, not a happening of
their own; the object is the event, at its own date."""


def orders_events(verb: Token, event_nouns: frozenset[str]) -> bool:
    """An order verb with a happening as subject and as object: a relation, not an event.

    The subject is an event noun or a pronoun for what was just told ("this",
    `NON_AGENT_PRONOUNS`), the object an event noun: "This followed the general strike",
    "the mutiny preceded the landing". "The scouts followed the river" is a happening.
    """
    if verb.lemma_.lower() not in ORDER_VERBS or _children(verb, {"auxpass"}):
        return False
    subjects = active_subjects(verb)
    if not any(_is_event_noun(s, event_nouns) or s.lower_ in NON_AGENT_PRONOUNS for s in subjects):
        return False
    return any(_is_event_noun(o, event_nouns) for o in _children(verb, {"dobj"}))


def is_event_noun(token: Token) -> bool:
    """Whether a token is a noun of the event-noun lexicon ("the battle", "the revolt")."""
    return _is_event_noun(token, default_event_nouns())


def tells_time(verb: Token) -> bool:
    """The verb's subject is a time ("the time had come", "October saw"): the clause tells when."""
    return any(
        s.lemma_.lower() in TIME_NOUNS or s.ent_type_ in {"DATE", "TIME"}
        for s in _children(verb, SUBJECTS)
    )


def takes_place(verb: Token) -> bool:
    """An occurrence verb: "happen", "occur", "take place"."""
    lemma = verb.lemma_.lower()
    return lemma in OCCURRENCE_VERBS or (
        lemma == "take" and any(o.lower_ == "place" for o in _children(verb, {"dobj"}))
    )


def verb_lemmas(verb: Token) -> frozenset[str]:
    """The verb's lemma, and for a past form in "-ed" the stem ending in "e" as well.

    The model's lemmatiser reads some such forms as a doubled-consonant verb's ("hoped" as
    "hop", which would write "hopped"): a verb whose stem ends in "e" adds only "d", so the
    form without its "d" ("hope") is the other reading. Both are looked up in the word lists.
    """
    lemma = verb.lemma_.lower()
    form = verb.lower_
    if verb.tag_ in {"VBD", "VBN"} and form.endswith("ed") and form[:-1] != lemma:
        return frozenset({lemma, form[:-1]})
    return frozenset({lemma})


def is_light_or_state(token: Token, event_nouns: frozenset[str] | None = None) -> bool:
    """Whether a verb carries no event of its own (module docstring).

    A copula or "have", a state verb or a verb of a state of mind, a naming verb with a name
    (`names`), a passive verb of make-up with "of" (`makes_up`), a text's content
    (`tells_content`), a consequence (`states_consequence`), an order of two events
    (`orders_events`), a support verb with an
    event noun as object, an occurrence verb ("happen", "take place") or a verb whose
    subject is a time.
    """
    if not is_verb(token):
        return False
    nouns = default_event_nouns() if event_nouns is None else event_nouns
    lemma = token.lemma_.lower()
    if verb_lemmas(token) & (LIGHT_VERBS | STATE_VERBS | MENTAL_VERBS):
        return True
    if takes_place(token) or names(token):
        return True
    if lemma == "go" and _children(token, {"auxpass"}):
        return True  # "the troops were gone by April": absent, a state
    if lemma == "accord" and any(c.lower_ == "to" for c in _children(token, {"prep"})):
        return True  # "according to a report of 1850": who tells it, no happening
    if lemma in FORMING_VERBS and any(
        o.lemma_.lower() in PART_NOUNS for o in _children(token, {"dobj"})
    ):
        return True  # "the committee formed the executive": a part of the whole, a state
    if tells_a_share(token):
        return True  # "exports accounted for a third of the revenue": a figure, a state
    if finds_itself(token):
        return True  # "the fleets found themselves at war by October": a state
    if makes_up(token) or tells_content(token) or states_consequence(token, nouns):
        return True
    if orders_events(token, nouns):
        return True
    if lemma in SUPPORT_VERBS:
        return any(_is_event_noun(o, nouns) for o in _children(token, {"dobj"}))
    return lemma in TIME_TELLING_VERBS and tells_time(token)


def makes_up(verb: Token) -> bool:
    """A passive verb of make-up with "of" (`MAKEUP_VERBS`): "was composed of officers"."""
    particle = next((c.lower_ for c in _children(verb, {"prt"})), "")
    if (verb.lemma_.lower(), particle) not in MAKEUP_VERBS or not _children(verb, {"auxpass"}):
        return False
    return any(p.lower_ == "of" for p in _children(verb, {"prep"}))


SHARE_VERBS = frozenset({("account", "for"), ("amount", "to"), ("total", ""), ("make", "up")})
"""Verbs (with their preposition or particle) that, with an amount as complement, tell a
figure or a share ("exports accounted for a third of the revenue", "the debt amounted to
$4 million", "the losses totalled 900 men", "farmers made up 60 percent of the vote"): a
statistic, a state, not a happening."""

SHARE_NOUNS = frozenset(
    {"percent", "%", "share", "proportion", "fraction", "half", "third", "quarter", "fifth"}
    | {"bulk", "majority", "minority", "total", "sum"}
)
"""Nouns of a share or an amount of a whole (`SHARE_VERBS`)."""


def is_amount(token: Token) -> bool:
    """A number, a share or a noun counted by a number: "40 percent", "$4 million", "900 men"."""
    if token.pos_ == "NUM" or token.like_num or token.lemma_.lower() in SHARE_NOUNS:
        return True
    return any(c.dep_ in {"nummod", "quantmod"} for c in token.children)


def tells_a_share(verb: Token) -> bool:
    """A verb of `SHARE_VERBS` with an amount as complement: a figure, no event."""
    lemma = verb.lemma_.lower()
    for c in verb.children:
        word = c.lower_ if c.dep_ in {"prep", "prt"} else ""
        if (lemma, word) not in SHARE_VERBS:
            continue
        amounts = [o for o in c.children if o.dep_ == "pobj"] if c.dep_ == "prep" else []
        if c.dep_ == "prt":
            amounts = _children(verb, {"dobj"})
        if any(is_amount(o) for o in amounts):
            return True
    if (lemma, "") in SHARE_VERBS:
        return any(is_amount(o) for o in _children(verb, {"dobj"}))
    return False


def names(verb: Token) -> bool:
    """A naming verb with a proper name as its complement (`NAMING_VERBS`).

    Also a naming participle set off by a comma with a proper name as object ("the river
    police, termed the Harbour Watch, patrolled the docks"), which the parser often takes
    for a past tense: it names its noun, it tells no event.
    """
    if verb.lemma_.lower() not in NAMING_VERBS:
        return False
    set_off = verb.i > 0 and verb.doc[verb.i - 1].text == "," and verb.tag_ in {"VBN", "VBD"}
    if set_off and any(o.pos_ == "PROPN" for o in _children(verb, {"dobj", "oprd"})):
        return True
    named = _children(verb, {"oprd", "attr"}) + [
        p for prep in _children(verb, {"prep"}) if prep.lower_ == "as" for p in prep.children
    ]
    return any(n.pos_ == "PROPN" for n in named)


def named_subject_predicate(verb: Token) -> Token | None:
    """The predicate of a subject whose name the parser took for the sentence's verb.

    "Another force called the Don Army attacked into the valley": "called the Don Army"
    names the force (a participle), but the parser makes "called" the main verb and hangs
    the real one, "attacked", under it. A naming verb (`NAMING_VERBS`) with a proper name as
    object and a later past-tense verb of its own with no subject gives that verb; "the
    king called Parliament into session" has none and stays an event.
    """
    if verb.lemma_.lower() not in NAMING_VERBS or not any(
        o.pos_ == "PROPN" for o in _children(verb, {"dobj"})
    ):
        return None
    named = max(o.i for o in _children(verb, {"dobj"}))
    return next(
        (
            c
            for c in _children(verb, {"advcl", "oprd", "conj", "ccomp", "xcomp"})
            if c.i > named and c.tag_ == "VBD" and not _children(c, SUBJECTS)
        ),
        None,
    )


def is_light_or_general(verb: Token) -> bool:
    """A verb the story's clock dates no event of (`pipeline.events.basis`).

    Light or a state (`is_light_or_state`), a general verb (`GENERAL_VERBS`), or made light by
    its object ("took part", "made an effort": `LIGHT_OBJECTS`).
    """
    if is_light_or_state(verb) or verb.lemma_.lower() in GENERAL_VERBS:
        return True
    return any(c.lemma_.lower() in LIGHT_OBJECTS for c in _children(verb, {"dobj"}))


def promoted_event(token: Token, event_nouns: frozenset[str] | None = None) -> Token | None:
    """The event a light verb stands for, if any: its event noun or clausal complement.

    "took place"/"happened": the noun subject (what occurs is an event: "the blast occurred");
    "made progress", "held talks", "there was a battle": the event-noun object or attribute;
    "the fall of the city, on 2 September, was a turning point": the event-noun subject of a
    copula;
    "had to fight": the complement of "have to"; "were able to advance": the complement of
    "able" (being able to is doing, here); "saw the
    rebels retreat": the complement verb of a time-telling verb, or the event noun of its "for"
    phrase ("the time had come for an assault"). A promoted verb that is light itself is
    promoted in turn. A state, or a light verb with nothing to promote, gives None.
    """
    nouns = default_event_nouns() if event_nouns is None else event_nouns
    verb: Token | None = token
    for _ in range(4):
        if verb is None or not is_light_or_state(verb, nouns):
            return verb
        lemma = verb.lemma_.lower()
        if takes_place(verb):
            subject = next(iter(_children(verb, SUBJECTS)), None)
            if subject is None:
                return None  # "and ... happened the same day": what happened is not told
            return subject if subject.pos_ in {"NOUN", "PROPN"} else verb
        if lemma in STATE_VERBS | MENTAL_VERBS or names(verb) or tells_content(verb):
            return None
        roles = {"dobj", "attr"} | (SUBJECTS if lemma in {"be", "become"} else set())
        noun = next((c for c in _children(verb, roles) if _is_event_noun(c, nouns)), None)
        if noun is not None:
            return noun
        if lemma in TIME_TELLING_VERBS:
            return _for_event(verb, nouns) or _clause(verb)
        if lemma == "have":  # "she had to fight the Monitor"
            verb = next((c for c in _children(verb, {"xcomp"}) if is_verb(c)), None)
            continue
        able = [c for c in _children(verb, {"acomp"}) if c.lower_ == "able"]
        verb = next((c for a in able for c in _children(a, {"xcomp"}) if is_verb(c)), None)
    return None


def _for_event(verb: Token, event_nouns: frozenset[str]) -> Token | None:
    """The event noun of the verb's "for" phrase ("the time had come for an assault")."""
    return next(
        (
            p
            for prep in _children(verb, {"prep"})
            if prep.lower_ == "for"
            for p in _children(prep, {"pobj"})
            if _is_event_noun(p, event_nouns)
        ),
        None,
    )


def _clause(verb: Token) -> Token | None:
    """The verb of the clause a verb governs ("saw the rebels retreat", "came to attack")."""
    return next((c for c in _children(verb, {"xcomp", "ccomp", "advcl"}) if is_verb(c)), None)


def nearest_event_noun(token: Token, event_nouns: frozenset[str], exclude: Span) -> Token | None:
    """An event noun in the noun phrase headed by `token` ("Bay of Pigs invasion"), if any.

    Not one in a clause that modifies the phrase: in "the mutiny of April 1850, aimed at
    ending the talks", the talks are the clause's, begun before; the date is the mutiny's. A
    "when" or "where" clause tells what happened at the date (`_tells_then`): its event noun
    stays.
    """
    if token.pos_ in {"NOUN", "PROPN"} and token.lemma_.lower() in event_nouns:
        return token
    conjuncts = {t.i for c in _children(token, {"conj"}) for t in c.subtree}
    clauses = {
        t.i
        for c in token.subtree
        if c.i != token.i and is_verb(c) and not _tells_then(c)
        for t in c.subtree
    }
    for child in token.subtree:
        if child.i in range(exclude.start, exclude.end) or child.i in conjuncts | clauses:
            continue
        if child.pos_ == "NOUN" and child.lemma_.lower() in event_nouns:
            return child
    return None


def _tells_then(verb: Token) -> bool:
    """A relative clause brought in by "when" or "where": what happened at the date.

    "May 1850, when the rebels attacked", "the 1850 affair where two officers were arrested
    for the murder": the clause tells the dated time or affair itself.
    """
    return verb.dep_ == "relcl" and any(
        c.lower_ in {"when", "where"} for c in _children(verb, {"advmod"})
    )


DESIGNATING_VERBS = frozenset(
    {"proclaim", "declare", "designate", "name", "choose", "select", "pick", "set", "fix"}
    | {"make", "appoint", "nominate", "adopt", "propose", "recognise", "recognize"}
)
"""Verbs that make a thing something ("proclaimed 4 May a holiday", "chose 9 June as the
day of the vote"): with a date as what they make something, the date is not when they
happened."""


def subject_of_designation(span: Span) -> bool:
    """A date followed by the "be" of a designating passive with no subject of its own.

    "would propose 1 May be declared a holiday": the parser hangs the date on "propose" and
    leaves "declared" without a subject; the date is that subject, the day declared.
    """
    if span.end >= len(span.doc):
        return False
    after = span.doc[span.end]
    verb = after.head
    return (
        after.dep_ == "auxpass"
        and verb.lemma_.lower() in DESIGNATING_VERBS
        and not _children(verb, SUBJECTS)
    )


def names_a_day(span: Span) -> bool:
    """A date that is what a designating verb makes something, not the time of the verb.

    "The regent proclaimed 4 May, the king's birthday, as a day of mourning": the date is
    the object, with an "as" phrase after it in the verb's clause; the parser may hang the
    date on the verb as an adverb when it follows the verb at once. "1 May was declared a
    holiday", "would propose 1 May be declared a holiday": the date is the passive's subject
    (`subject_of_designation`). "The regent proclaimed a holiday on 4 May"
    dates the proclaiming.
    """
    passives = {
        t.head
        for t in span
        if t.head.lemma_.lower() in DESIGNATING_VERBS and _children(t.head, {"auxpass"})
    }
    if any(
        span.start - 1 <= s.i <= span.end for v in passives for s in _children(v, {"nsubjpass"})
    ):
        return True  # the subject, or its day number beside a month the tagger read alone
    if subject_of_designation(span):
        return True
    root = span.root
    verb = root.head
    if verb.i == root.i or verb.lemma_.lower() not in DESIGNATING_VERBS:
        return False
    object_like = root.dep_ == "dobj" or (
        root.dep_ in {"npadvmod", "dep"} and span.start == verb.i + 1
    )
    if not object_like:
        return False
    return any(t.lower_ == "as" and t.i >= span.end for t in verb.subtree)


def find_triggers(span: Span, event_nouns: frozenset[str]) -> list[Token]:
    """The predicates a temporal expression anchors, the one it modifies first.

    Climb from the expression through prepositions to the first verb. An event noun on the way
    is a trigger: alone when its noun phrase is the verb's subject or object, or the verb is
    light, or the phrase puts the verb before or after it ("before the fall of the city on 17
    July"); together with the verb when the noun phrase is in the verb's prepositional phrase
    ("tried to browbeat the president at a summit in June 1961": the summit, and the
    browbeating at it). Measured on TempEval-3 (docs/quality.md): dating the noun as well as
    the verb raised recall; also dating the verbs coordinated with the trigger did not pay
    (precision fell more than recall rose). A light verb gives the event it stands for
    (`promoted_event`), a scheduling verb the event it schedules (`scheduled_event`).

    A date written before a verb's object dates that object alone, if it is an event
    ("reported Friday's attack"), else nothing ("reported third-quarter earnings"); a
    phrase of cause or topic keeps the verb apart from its event noun ("apologised for the
    1850 raid": `TOPIC_PREPOSITIONS`); a date in a reported clause set before its reporting
    verb is the clause's (`reported_clause`); an aspectual or implicative verb is dated with
    its complement (`CARRIERS`); an event noun just before the date, or of the verb's
    occasion ("at a ceremony"), is dated with the verb (`adjacent_event_noun`, `occasions`).
    A date of a compared sum or share dates nothing ("up from $85 million in 1850":
    `compares`). A perfect with a "by" date or a date before its subject ("by April 1942
    Japan had conquered Burma", "in 1850 the army had taken the town") tells only that the
    event was over by then: no event; so too a date of a state a noun names ("a trend since
    1850": `STATE_SINCE`).
    """
    if names_a_day(span) or (
        premodifies(span) and not _is_event_noun(span.root.head, event_nouns)
    ):  # "proclaimed 4 May as a holiday": the day named; "reported third-quarter earnings"
        return []
    if premodifies_within_object(span, event_nouns):
        return []  # "reported a drop in third-quarter earnings": nor is the report dated
    token = span.root
    noun: Token | None = None
    path: list[Token] = []
    for _ in range(len(span.doc)):
        head = token.head
        if head.i == token.i:
            break
        child, token = token, head
        if span.start <= token.i < span.end:
            continue
        if compares(token, child) or (noun is None and names_a_state(token, child, event_nouns)):
            return []  # "up from $90 million a year ago", "a trend since 1850": no event's date
        path.append(token)
        if token.pos_ == "ADP" and noun is None:
            noun = object_beside(token, child, event_nouns)
        if token.pos_ in {"ADP", "ADV", "PART", "NUM"}:
            continue
        if is_verb(token):
            return _at_verb(token, child, noun, path, event_nouns, span)
        if noun is None:
            noun = nearest_event_noun(token, event_nouns, span)
    if noun is not None:
        return [noun]
    return [token] if is_verb(token) else []


def object_beside(prep: Token, child: Token, event_nouns: frozenset[str]) -> Token | None:
    """The event noun a preposition governs, when the date hangs on the preposition beside it.

    "In composite trading Friday, the shares fell": the parser hangs "Friday" on "in", next
    to "trading"; the date is the trading's, as in "in Friday's trading".
    """
    if child.dep_ == "pobj":
        return None
    return next((o for o in _children(prep, {"pobj"}) if _is_event_noun(o, event_nouns)), None)


def _at_verb(
    token: Token,
    child: Token,
    noun: Token | None,
    path: list[Token],
    event_nouns: frozenset[str],
    span: Span,
) -> list[Token]:
    """The triggers when the climb from the date reaches a verb (`find_triggers`).

    The verb is the reported clause's or the quotation's if the date is in one, the named
    subject's own if the parser took a name for the verb; a trend, a time the event was
    over by and a compared level date no verb.
    """
    verb = reported_clause(token, span) or quoted_verb(token, span) or token
    verb = reporter_of_date(verb, child, span) or verb
    verb = named_subject_predicate(verb) or verb
    if over_a_stretch(verb, path, span) or nearly_done(verb) or condition_changes(verb):
        return [noun] if noun is not None else []  # a trend, or what nearly happened
    if any(t.lower_ == "by" for t in path) and verb_lemmas(verb) & DEADLINE_VERBS:
        return []  # "envisioned a withdrawal by next summer": the withdrawal's deadline
    if from_on(path) or from_until(verb, span, event_nouns):
        return [noun] if noun is not None else []  # "from 1850 onward the war dragged on"
    if sums_over_a_stretch(verb, span, path) or at_a_rate(verb):
        return []  # a total, a practice or a rate: no noun of it happened at one point either
    if kept_up(verb, path, span):
        return [noun] if noun is not None else []  # "kept on under a June agreement"
    if noun is None and (
        done_by_then(verb, child, span) or of_a_level(child) or figure_reached_by(verb, child)
    ):
        return []  # "rose from a low in January": the parser hung the low's date on "rose"
    return _verb_triggers(verb, child, noun, event_nouns, span)


COMPARING = frozenset({"than", "versus", "vs", "vs."})
"""Prepositions that bring in a term of comparison ("higher than a year earlier")."""


def compares(token: Token, child: Token) -> bool:
    """Whether the climb from a date reached a sum or a share, or a term of comparison.

    "Sales fell to $41 million from $47 million a year earlier", "rents were 6 percent
    above the level a year before": the date is when the compared amount held, not when the
    verb's event happened. A "from" whose object is the date itself starts a span ("from
    1850 the king ruled"): it climbs on.
    """
    if token.ent_type_ in {"MONEY", "PERCENT"} or compared_with(token):
        return True
    word = token.lower_
    if word == "from" and child.lemma_.lower() in LEVEL_NOUNS:
        return True  # "rose from a low in January": the low's date
    return word in COMPARING or (word == "from" and child.dep_ != "pobj")


def of_a_level(child: Token) -> bool:
    """The date's phrase follows a level noun after "from" ("from a low in January")."""
    if child.dep_ != "prep" or child.i == 0:
        return False
    before = child.doc[child.i - 1]
    return (
        before.lemma_.lower() in LEVEL_NOUNS
        and before.dep_ == "pobj"
        and before.head.lower_ == "from"
    )


def compared_with(token: Token) -> bool:
    """A bare participle "compared" ("calm weeks compared to the riots of 1850").

    It works as a preposition bringing in a term of comparison: a date in that term is the
    compared thing's, and "compared" is no event. With an auxiliary ("the two were compared
    in 1850") it is a verb like any other.
    """
    return (
        token.lemma_.lower() == "compare"
        and token.tag_ == "VBN"
        and not _children(token, {"aux", "auxpass"})
    )


def _is_progressive(verb: Token) -> bool:
    """A past progressive ("was advancing"): with a "by" date, what was going on by then."""
    return verb.tag_ == "VBG" and any(
        c.dep_ == "aux" and c.lower_ in {"was", "were"} for c in verb.children
    )


def _is_perfect(verb: Token) -> bool:
    """A perfect ("had conquered"): with a "by" date it tells what was done by then."""
    return any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children)


STATE_SINCE = frozenset({"since", "until", "till"})
"""Prepositions that, on a noun, make the date the start or end of a state or a bound ("a
downward trend since 1850", "a ban until 1850", "the first raid since 1850"): neither the noun
nor the verb is at that date."""


def names_a_state(token: Token, child: Token, event_nouns: frozenset[str]) -> bool:
    """The climb reached a noun through `STATE_SINCE` ("a trend since 1850").

    An event noun too: "the first raid since 1850" was not in 1850, and "the occupation
    until 1850" ended then; the date bounds the noun's time, it does not date it.
    """
    return child.lower_ in STATE_SINCE and token.pos_ == "NOUN"


def done_by_then(verb: Token, child: Token, span: Span) -> bool:
    """The date is not when the verb's event happened, only a time it was over by.

    A perfect with a "by" date or a date before its subject ("by 1850 the army had taken
    the town", "in 1850 the army had taken the town": `fronted`), a past progressive with a
    "by" date ("by May the rebels were running short of food": going on by then), a passive
    of state with a "by" date ("the front was deadlocked by 1850": a state reached by then,
    `in_a_state`; "by 1850 the garrison surrendered" and "by May the town was taken" are the
    surrender and the taking, dated by their bound); a simple past with a "since" date,
    which a point in the past cannot last from ("the reports showed a trend since 1850": the
    date is the object's); a progressive or negated perfect with a "since" date, which
    bounds a span up to the story's time ("had been shelling the town since 1850": going on
    since then; "had not met the envoys since 1850": the last meeting was then, none is
    told), where "has fought since 1850" is dated by the start of the fighting. A negated
    verb's "until" date is its own ("did not move until May", "not until May did they
    move").
    """
    if _is_perfect(verb):
        if child.lower_ == "since" and (verb.tag_ == "VBG" or negated(verb)):
            return True  # "had been shelling the town since 1850", "had not met since 1850"
        return child.lower_ == "by" or (fronted(span, verb) and sets_the_time(verb))
    if child.lower_ == "by" and _is_progressive(verb):
        return True  # "by May the army was advancing on the capital": going on by then
    if child.lower_ == "by" and _START_OF.match(span.text):
        return True  # "by the start of 1850 the rebels were defeated": before 1850
    if child.lower_ == "by" and span.root.head.i == child.i and in_a_state(verb):
        return True  # "the siege was deadlocked by May": a state reached by then
    if child.lower_ in {"until", "till"}:
        return not (negated(verb) or _children(child, {"neg"}))  # "not until May did they"
    return child.lower_ == "since" and verb.tag_ == "VBD"


DEADLINE_VERBS = frozenset(
    {"plan", "envisage", "envision", "propose", "expect", "intend", "promise", "pledge"}
    | {"vow", "foresee", "predict", "forecast", "aim", "target", "project"}
)
"""Verbs of planning, proposing or foreseeing: a "by" date on them is the deadline of what
is planned ("proposed a cut in the fleet by 1875"), not the time the plan was told."""


STATE_PARTICIPLES = frozenset(
    {"stalemate", "deadlock", "exhaust", "poise", "bog", "mire", "stall", "entrench"}
    | {"paralyse", "paralyze", "deplete", "isolate", "trap", "strand", "confine", "cripple"}
)
"""Participles that, after "be" or "become", tell a state the subject is in ("the war was
stalemated", "the garrison was exhausted", "the column was bogged down"), not a deed done to
it: with a "by" date they tell the state reached by then."""


def in_a_state(verb: Token) -> bool:
    """A passive of state (`STATE_PARTICIPLES`): "was deadlocked", "had become exhausted"."""
    if verb.lemma_.lower() not in STATE_PARTICIPLES or verb.tag_ != "VBN":
        return False
    return bool(_children(verb, {"auxpass"})) or verb.dep_ in {"acomp", "oprd"}


_START_OF = re.compile(r"(?i:(?:the\s+)?(?:start|beginning|outset|dawn)\s+of\b)")
"""A date that is the start of a time: "by" it, an event was over before that time."""


def negated(verb: Token) -> bool:
    """The verb is negated ("did not attack", "neither side attacked", "no army moved").

    "Neither side attacked until April 1850" tells that the attack came in April: an
    "until" date of a negated verb is the verb's own.
    """
    while verb.dep_ in {"xcomp", "ccomp"} and not _children(verb, {"neg"} | SUBJECTS):
        verb = verb.head  # "the plant was not to begin turning out cars until 1850"
    if _children(verb, {"neg"}):
        return True
    subjects = _children(verb, SUBJECTS)
    return any(
        s.lower_ in NEGATIVE_DETERMINERS
        or any(d.lower_ in NEGATIVE_DETERMINERS for d in _children(s, {"det"}))
        for s in subjects
    ) or any(a.lower_ == "never" for a in _children(verb, {"advmod"}))


NEARLY = frozenset({"nearly", "almost"})


CONDITION_NOUNS = frozenset(
    {"situation", "thing", "condition", "circumstance", "relation", "relationship", "mood"}
    | {"morale", "climate", "atmosphere", "outlook", "prospect", "fortune", "picture"}
)
"""Nouns of a state of affairs: "the situation worsened", "things changed" tell a change of
how matters stood, with no point at which it happened."""


DEGREE_VERBS = frozenset(
    {"intensify", "escalate", "worsen", "deteriorate", "improve", "abate", "subside"}
    | {"deepen", "heighten", "ease"}
)
"""Verbs of a change in degree: with a strife or an event as subject ("the fighting
intensified", "the feud escalated") they tell how fierce it was becoming, not a happening."""

STRIFE_NOUNS = frozenset(
    {"conflict", "violence", "tension", "hostility", "unrest", "struggle", "rivalry"}
    | {"dispute", "feud", "quarrel", "crisis", "insurgency", "fighting", "war", "combat"}
)
"""Nouns of a strife going on, whose degree can change (`DEGREE_VERBS`)."""


DEGREE_NOUNS = frozenset({"level", "degree", "intensity", "scale", "pitch", "height"})
"""Nouns of a degree reached: a strife that "spread to a new level" or "grew to an
unheard-of scale" changed in degree, where one that "spread to the coast" reached a place."""

QUANTITY_NOUNS = frozenset(
    {"size", "number", "strength", "budget", "amount", "volume", "proportion"}
    | {"percentage", "quota", "ceiling", "output", "production", "spending", "expenditure"}
)
"""Nouns of a quantity: "the size of the navy was increased", "the number of troops was
raised" tell a quantity changing, a trend, not one happening. Not "share", which is also
stock ("the shares were cut in price")."""

QUANTITY_CHANGES = frozenset(
    {"raise", "reduce", "enlarge", "boost", "double", "triple", "treble", "halve", "cut"}
)
"""Verbs that, passive with a quantity as subject, tell it changed ("was raised", "was
doubled"), as the change verbs do (`CHANGE_VERBS`)."""


def condition_changes(verb: Token) -> bool:
    """A state of affairs changing (`CONDITION_NOUNS` as the subject of a change verb).

    "In late March the situation worsened for the governor", "things changed with the
    drought": a trend told in summary, not a happening, whatever date is beside it. So is a
    strife or an event changing in degree ("the feud between the clans intensified in
    May", "the war escalated in 1850": `DEGREE_VERBS`); the happening, if any, is the one a
    "when" clause tells. A change verb with an object ("changed the law", "the army
    escalated the raids") is something done. A quantity made to change, in the passive ("the
    size of the fleet was greatly increased", "the number of posts was raised":
    `QUANTITY_NOUNS`), is a trend too; an active one ("spending rose in May") is left to the
    other rules, as news tells such a figure moving as an event.
    """
    lemma = verb.lemma_.lower()
    changes = CHANGE_VERBS | DEGREE_VERBS | QUANTITY_CHANGES | {"change"}
    if lemma not in changes or _children(verb, {"dobj"}):
        return False
    if any(s.lemma_.lower() in QUANTITY_NOUNS for s in _children(verb, {"nsubjpass"})):
        return bool(_children(verb, {"auxpass"}))
    if lemma in QUANTITY_CHANGES:
        return False
    subjects = _children(verb, {"nsubj"})
    if any(s.lemma_.lower() in CONDITION_NOUNS for s in subjects):
        return True
    to_degree = lemma in CHANGE_VERBS and reaches_a_degree(verb)
    return (lemma in DEGREE_VERBS or to_degree) and any(
        s.lemma_.lower() in STRIFE_NOUNS or _is_event_noun(s, default_event_nouns())
        for s in subjects
    )


def reaches_a_degree(verb: Token) -> bool:
    """A change verb whose "to" phrase is a degree (`DEGREE_NOUNS`): "spread to a new level"."""
    return any(
        o.lemma_.lower() in DEGREE_NOUNS
        for p in _children(verb, {"prep"})
        if p.lower_ == "to"
        for o in _children(p, {"pobj"})
    )


SPAN_STARTS = frozenset({"from", "between"})
"""Prepositions that make their date the start of a span ("from March 1905 to May 1908",
"between 1931 and 1933")."""

SPAN_PREPOSITIONS = frozenset({"during", "throughout", "over"})
"""Prepositions that make a span of two or more dates joined by "and" ("during 1922 and
1923")."""


def spans_dates(span: Span) -> bool:
    """The date is the start of a span, or one of several dates a stretch runs over.

    "From May to July", "between 1931 and 1933", "during 1922 and 1923": the time named
    runs over more than the one date. "During the quarter", "over the weekend" are one
    unit of time, in which a report's totals are dated.
    """
    root = span.root
    joined = bool(_children(root, {"conj"}))
    while root.dep_ == "conj" and root.head.i != root.i:
        root, joined = root.head, True  # "1957" in "during 1956 and 1957"
    if root.dep_ != "pobj":
        return False
    word = root.head.lower_
    return word in SPAN_STARTS or (word in SPAN_PREPOSITIONS and joined)


SERIES_NOUNS = frozenset({"series", "string", "wave", "spate", "succession", "chain", "number"})
"""Nouns that gather many happenings into one phrase ("a series of raids", "a wave of
strikes"): over a stretch they sum the happenings up."""


def sums_over_a_stretch(verb: Token, span: Span, path: list[Token] | None = None) -> bool:
    """A total or a practice over a span of dates: many happenings told as one.

    "From March 1905 to May 1908 the rebels killed 3,400 soldiers" sums up a span, "during
    1922 and 1923 the bandits raided border farms" tells a practice kept up, "throughout the
    spring a series of raids was launched" gathers many: no single happening at a point of
    the span. The date spans dates (`spans_dates`) or is reached through "throughout", and
    the object is counted by a number, is a bare plural or a series (`SERIES_NOUNS`);
    "between 1850 and 1855 the army built the fort" and "throughout the summer the rebels
    besieged the fort" are one happening, however long.
    """
    if not (spans_dates(span) or any(t.lower_ == "throughout" for t in path or [])):
        return False
    for noun in _children(verb, {"dobj", "nsubjpass"}):
        if noun.tag_ == "CD" or _children(noun, {"nummod"}):
            return True
        if noun.tag_ == "NNS" and not _children(noun, {"det", "poss"}):
            return True
        if noun.lemma_.lower() in SERIES_NOUNS and any(
            p.lower_ == "of" for p in _children(noun, {"prep"})
        ):
            return True
    return False


RATE_UNITS = frozenset({"hour", "day", "night", "week", "month", "year"})
"""Units of time a pace is counted in ("nine farms a day")."""

RATE_DETERMINERS = frozenset({"a", "an", "each", "every", "per"})
"""Words that make a unit of time the measure of a pace ("a day", "each week", "per day")."""


def at_a_rate(verb: Token) -> bool:
    """The verb's object is a rate or an average: many happenings told as a measure.

    "Burned an average of nine farms a day", "fired 400 shells per day", "blew up three
    bridges each week": a pace kept up over the date, not one happening at it.
    """
    for noun in _children(verb, {"dobj", "nsubjpass"}):
        if noun.lemma_.lower() in {"average", "rate"}:
            return True
        for t in _phrase(noun):
            if t.lemma_.lower() not in RATE_UNITS or t.tag_ != "NN":
                continue  # "within a few days" is a time, not a pace
            if t.head.lower_ == "per" or any(d.lower_ in RATE_DETERMINERS for d in t.children):
                return True
    return False


PHRASE_DEPS = frozenset({"prep", "pobj", "npadvmod", "nmod", "nummod", "quantmod", "det"})
"""Dependencies that stay within a noun's own phrase (`_phrase`), not a clause within it."""


def _phrase(noun: Token) -> list[Token]:
    """The tokens of a noun's own phrase, without the clauses told within it."""
    out, todo = [], [c for c in noun.children if c.dep_ in PHRASE_DEPS]
    while todo:
        token = todo.pop()
        out.append(token)
        todo.extend(c for c in token.children if c.dep_ in PHRASE_DEPS)
    return out


OPEN_ENDS = frozenset({"on", "onward", "onwards", "forward", "forth"})
"""Words that leave a "from" stretch open ("from May on", "from 1850 onward")."""


def from_on(path: list[Token]) -> bool:
    """The date starts an open stretch ("from 1850 onward", "from May on").

    What the verb tells goes on or recurs from then on ("from 1850 onward the war sank into
    stalemate", "from May on the council met in secret"), with no point at which it happened.
    """
    for t in path:
        if t.lower_ in {"onward", "onwards"}:
            return True
        if t.lower_ == "from" and any(
            c.lower_ in {"onward", "onwards"} or (c.dep_ == "advmod" and c.lower_ in OPEN_ENDS)
            for c in t.children
        ):
            return True
    return False


def from_until(verb: Token, span: Span, event_nouns: frozenset[str]) -> bool:
    """The verb holds over a span told by both its ends ("from its founding ... until ...").

    "The council held power from its founding on 2 May until the elections", "vested itself
    with authority from its inception on 2 May until its dissolution": a state or an
    activity over the span, dated by neither end, as "ruled from 2 May until 9 June" is not.
    The ends, if event nouns ("founding", "dissolution"), keep their dates. The "from" phrase
    starts a span when it holds the date, an event or a time noun; a "from" of a place
    ("marched from Oran on 2 May until nightfall") is no end of a span.
    """
    preps = _children(verb, {"prep"})
    if not any(p.lower_ in {"until", "till"} for p in preps):
        return False
    return any(
        o.lemma_.lower() in TIME_NOUNS or _is_event_noun(o, event_nouns) or span.root in o.subtree
        for p in preps
        if p.lower_ == "from"
        for o in _children(p, {"pobj"})
    )


FIGURE_PREPOSITIONS = frozenset({"to", "from"})
"""Prepositions of the figure a change reaches or starts from ("increased to 9,000")."""


def figure_reached_by(verb: Token, child: Token) -> bool:
    """A change to a figure by a date: the level reached by then, a trend.

    "The garrison was increased to 9,000 by December", "the militia grew from 300 to 5,000
    men by May": a change verb (`CHANGE_VERBS`, `QUANTITY_CHANGES`) with a "to" or "from"
    figure, dated by a "by" date, tells how far it had come by then, not one happening.
    Without the figure ("by May the town was taken"), the "by" date dates the verb.
    """
    if child.lower_ != "by" or verb.lemma_.lower() not in CHANGE_VERBS | QUANTITY_CHANGES:
        return False
    return any(
        o.tag_ == "CD" or _children(o, {"nummod"})
        for p in _children(verb, {"prep"})
        if p.lower_ in FIGURE_PREPOSITIONS
        for o in _children(p, {"pobj"})
    )


KEPT_UP_WORDS = STRETCH_WORDS | {"through"}
"""Words of the climb from a date that make it a stretch an activity is kept up over
("continued to shell the port through late 1850")."""

DAY_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
    | {"day", "yesterday", "today", "tonight", "morning", "afternoon", "evening", "night"}
    | {"weekend"}
)
"""Words of a date that tell one day or two ("on Friday", "the next morning", "over the
weekend"): short enough for what was kept up to be one happening."""


def kept_up(verb: Token, path: list[Token], span: Span) -> bool:
    """An activity kept up over a stretch of dates: a practice, not one happening.

    "Continued to shell the port through late 1850", "kept raiding the barges in 1850": a
    keeping verb (`KEEPING_VERBS`) with a verb as complement, dated by a stretch
    (`KEPT_UP_WORDS`) or by a date coarser than a day. "On 4 June the brigade continued to
    advance" is what the brigade did that day, and stays.
    """
    keeping = verb if _children(verb, {"xcomp"}) else None
    if verb.dep_ == "xcomp" and verb.head.i != verb.i:
        keeping = verb.head
    if keeping is None or keeping.lemma_.lower() not in KEEPING_VERBS:
        return False
    if any(t.lower_ in KEPT_UP_WORDS for t in path):
        return True
    return not tells_a_day(span)


def tells_a_day(span: Span) -> bool:
    """Whether a date names one day: a day of the month ("4 June"), a weekday, "the next day"."""
    return any((t.text.isdigit() and int(t.text) <= 31) or t.lower_ in DAY_WORDS for t in span)


def nearly_done(verb: Token) -> bool:
    """A verb told as nearly done ("the fleet nearly provoked a war"): it did not happen."""
    return any(c.lower_ in NEARLY for c in _children(verb, {"advmod"}))


def over_a_stretch(verb: Token, path: list[Token], span: Span | None = None) -> bool:
    """A verb of gradual change over a stretch of time: a trend, not an event.

    "Attacks increased in ferocity throughout 1850", "in the course of 1850 the corps grew
    to 60,000", "trade improved in 1907-08": `CHANGE_VERBS` with a date reached through
    `STRETCH_WORDS` or written as a range of years (`year_range`), or told as going on
    (`gradual`). With a plain date ("prices rose in March 1850") the change is dated as
    any event.
    """
    if verb.lemma_.lower() not in CHANGE_VERBS:
        return False
    if any(t.lower_ in STRETCH_WORDS for t in path):
        return True
    if span is not None and year_range(span):
        return True
    return gradual(verb)


YEAR_RANGE = re.compile(r"(\d{4})\s*[-\u2013\u2014/]\s*(\d{2}|\d{4})")


def year_range(span: Span) -> bool:
    """A date written as a range of years ("1907-08", "1907-1909", "1907/08").

    The second year is later than the first, so that an ISO month ("1907-05") is not one.
    """
    match = YEAR_RANGE.fullmatch(span.text.strip())
    if match is None:
        return False
    first, second = match.group(1), match.group(2)
    return int(second) > int(first[-len(second) :])


GRADUAL_ADVERBS = frozenset(
    {"steadily", "gradually", "slowly", "progressively", "continually", "continuously"}
    | {"constantly", "increasingly"}
)
"""Adverbs that spread a change over time ("grew steadily", "slowly declined")."""

KEEPING_VERBS = frozenset({"continue", "keep"})
"""Verbs that carry a change on ("continued to rise", "kept growing")."""


def gradual(verb: Token) -> bool:
    """A change told as going on: a trend, even with a plain date.

    "The debt grew steadily in 1850", "prices continued to rise in 1850": an adverb of
    gradual change (`GRADUAL_ADVERBS`) or a verb that carries the change on
    (`KEEPING_VERBS`), on the verb or on the one it completes.
    """
    holders = [verb]
    if verb.dep_ in {"xcomp", "conj"} and verb.head.i != verb.i:
        holders.append(verb.head)
    if any(c.lower_ in GRADUAL_ADVERBS for h in holders for c in _children(h, {"advmod"})):
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in KEEPING_VERBS


def sets_the_time(verb: Token) -> bool:
    """A fronted date is the time a perfect is seen from, not the time of its event.

    "In 301 BC the league had gained mastery", "since 1983 the firm has sold 70
    businesses", "eight days after the crash the index had fallen 4%": done by then, or
    over the stretch since. With "just" the event is at that time ("on 7 August they had
    just ended the talks").
    """
    return not any(c.dep_ == "advmod" and c.lower_ == "just" for c in verb.children)


def fronted(span: Span, verb: Token) -> bool:
    """The date is written before the verb's subject ("In 1850 the army had taken the town").

    A date set first in front of a perfect tells the time the story is at, by which the
    event was done, not when it happened.
    """
    subjects = _children(verb, SUBJECTS)
    return bool(subjects) and span.end <= min(s.left_edge.i for s in subjects)


def premodifies(span: Span) -> bool:
    """The date is written before a common noun that is a verb's object ("issued Friday's ruling").

    The date qualifies the thing, not the verb's event: "reported a third-quarter loss" is not
    a report in the third quarter. So too after a preposition that sets the verb apart in time
    or makes the noun its cause or topic ("left after Thursday's ruling", "apologised for
    the 1850 raid": `NOT_SIMULTANEOUS`, `TOPIC_PREPOSITIONS`). As a subject the thing's time
    is the verb's ("third-quarter profit rose"), and in a phrase of place or manner the verb
    happens at it ("in Sunday's debate, he attacked"): those dates climb on.
    """
    root = span.root
    head = root.head
    if not (root.dep_ in PREMODIFIERS and head.pos_ == "NOUN" and span.end <= head.i):
        return False
    return head.dep_ in OBJECTS or (
        head.dep_ == "pobj" and head.head.lower_ in NOT_SIMULTANEOUS | TOPIC_PREPOSITIONS
    )


def premodifies_within_object(span: Span, event_nouns: frozenset[str]) -> bool:
    """The date is written before a noun deeper in a verb's object, and no event noun is on the way.

    "Reported a sharp decline in third-quarter earnings", "posted a gain in fourth-quarter
    sales": the date qualifies the earnings, inside what was reported, as it does when the
    earnings are the object themselves (`premodifies`); the report is not dated by it. The
    nouns from the date's to the object are linked by prepositions; an event noun among them
    ("reported an attack on the 1850 convoy") is left to the climb.
    """
    root = span.root
    noun = root.head
    if not (root.dep_ in PREMODIFIERS and noun.pos_ == "NOUN" and span.end <= noun.i):
        return False
    nested = False
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "NOUN":
        if _is_event_noun(noun, event_nouns):
            return False
        noun = noun.head.head
        nested = True
    return nested and noun.dep_ in OBJECTS and not _is_event_noun(noun, event_nouns)


def reported_clause(verb: Token, span: Span) -> Token | None:
    """The reported clause a date before the reporting verb's subject belongs to, if any.

    "In 2003 the firm invested $8bn, the company said": the clause comes first, its reporter
    after; a date before the reporter's subject is inside what is reported, wherever the
    parser hung it.
    """
    clause = next((c for c in _children(verb, {"ccomp"}) if c.i < verb.i and is_verb(c)), None)
    if clause is None or _children(clause, {"cc"}) or _children(verb, {"auxpass"}):
        return None  # "X had held and, on May 9, Tarvik was taken": two clauses
    subjects = [s.left_edge.i for s in _children(verb, SUBJECTS) if s.i < verb.i]
    reporter = min([verb.i, *subjects])
    return clause if span.end <= reporter and clause.i < reporter else None


def reporter_of_date(verb: Token, child: Token, span: Span) -> Token | None:
    """The reporting verb a date right after it belongs to, when the parser gave it the clause.

    "Wardens said on Sunday they had detained nine poachers", "the firm said Friday its profit
    fell": the date stands between the reporting verb and the reported clause's subject, so
    it tells when the saying was; the parser often hangs it on the clause's verb. A date
    after "that" or after the clause's subject is the clause's own.
    """
    head = verb.head
    if verb.dep_ != "ccomp" or not is_verb(head) or not head.i < verb.i:
        return None
    if child.left_edge.i != head.i + 1 or _children(verb, {"mark"}):
        return None
    subjects = [s.left_edge.i for s in _children(verb, SUBJECTS)]
    return head if subjects and span.end <= min(subjects) else None


QUOTES = frozenset({'"', "``", "''", "\u201c", "\u201d"})
"""Quotation marks, straight, curly and in the doubled-backtick form of news corpora."""


def quoted_verb(verb: Token, span: Span) -> Token | None:
    """The verb of the quotation a date is in, when the climb left the quotation.

    '"In 1850 the firm invested $8m," the owner said': the date is in what is quoted, so it
    dates a verb of the quotation (the one highest in the parse), not the reporting verb,
    however the parser hung it.
    """
    sent = span.sent
    marks = [t.i for t in sent if t.text in QUOTES]
    for open_, close in zip(marks[::2], marks[1::2], strict=False):
        if not (open_ < span.start and span.end <= close):
            continue
        if open_ < verb.i < close:
            return None
        inside = [t for t in sent.doc[open_ + 1 : close] if is_verb(t)]
        return min(inside, key=lambda t: len(list(t.ancestors)), default=None)
    return None


def _verb_triggers(
    verb: Token, child: Token, noun: Token | None, event_nouns: frozenset[str], span: Span
) -> list[Token]:
    """The triggers when the climb reaches `verb` from `child`, with `noun` met on the way."""
    if noun is not None:
        apart = NOT_SIMULTANEOUS | TOPIC_PREPOSITIONS
        via_prep = child.dep_ in {"prep", "agent"} and child.lower_ not in apart
        if via_prep and not is_light_or_state(verb, event_nouns):
            return [noun, verb]
        return [noun]
    if is_light_or_state(verb, event_nouns):
        promoted = promoted_event(verb, event_nouns)
        return [promoted] if promoted is not None else []
    scheduled = scheduled_event(verb, child, event_nouns)
    if scheduled is not None:
        return [scheduled]
    before = adjacent_event_noun(verb, min(child.left_edge.i, span.start), event_nouns)
    out = [before, verb] if before is not None else [verb]
    carried = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in CARRIERS
    if carried or completes_a_verb(verb, span, event_nouns):
        out.append(verb.head)
    gapped = gapped_with(verb, span)
    if gapped is not None:
        out.append(gapped)
    phase = phased_event(verb)
    if phase is not None and phase.i != child.i:
        out.append(phase)
    taken = {t.i for t in out}
    return out + [n for n in occasions(verb, child, event_nouns) if n.i not in taken]


def completes_a_verb(verb: Token, span: Span, event_nouns: frozenset[str]) -> bool:
    """The verb is a bare participle completing the verb before it, the date after both.

    "The boy was found clinging to a tube on 25 November": the participle tells the state the
    finding came upon, and a date closing the sentence is the finding's too; so "practised
    forming a chain on Monday" was practice on Monday. Only a complement of the verb: a
    participle that adds a clause of its own ("the alliance has grown, adding two members in
    1850") keeps its date. Not with a subject, an auxiliary or a conjunction of its own, nor
    after a state.
    """
    head = verb.head
    if verb.tag_ not in {"VBG", "VBN"} or verb.dep_ not in {"xcomp", "oprd"}:
        return False
    if _children(verb, SUBJECTS | {"aux", "auxpass", "mark"}) or not head.i < verb.i < span.start:
        return False
    return is_verb(head) and not is_light_or_state(head, event_nouns)


def gapped_with(verb: Token, span: Span) -> Token | None:
    """The earlier participle whose auxiliary a participle leaves out ("killed and 58 injured").

    "Six people were killed and 58 injured in the attack on Friday": the second clause
    leaves out the "were" of the first, and the phrase closing the sentence dates both. The
    parser joins the participles, or makes the second a modifier of its subject, joined to
    the first ("58" conj "killed", "injured" acl "58").
    """
    if verb.tag_ != "VBN" or not verb.i < span.start or _children(verb, {"aux", "auxpass"}):
        return None
    head = verb.head
    if verb.dep_ == "acl" and head.dep_ == "conj":
        head = head.head
    elif verb.dep_ != "conj":
        return None
    if head.tag_ != "VBN" or not _children(head, {"aux", "auxpass"}) or negated(head):
        return None
    return head


PHASE_VERBS = frozenset({"begin", "start", "resume", "complete", "conclude", "finish"})
"""Verbs that start an activity, take it up again or carry it through to its end."""


def phased_event(verb: Token) -> Token | None:
    """The activity a phase verb starts, resumes or carries through: its object.

    "The company completed the acquisition yesterday", "the inspectors resumed work on
    Friday", "began negotiations last week": the acquisition and the work took place then. A
    noun a phase verb takes names an activity, whether the event-noun lexicon has it or not.
    Not its subject ("the war began in 1914": a war is not at its first day), not "end"
    ("ended the war in 1918"), not a time ("began the season"), nor a verb with a clause
    ("began to fall", `CARRIERS`).
    """
    if verb.lemma_.lower() not in PHASE_VERBS or _children(verb, {"xcomp", "ccomp"}):
        return None
    found = next(iter(_children(verb, {"dobj"})), None)
    if found is None or found.pos_ != "NOUN" or found.lemma_.lower() in TIME_NOUNS:
        return None
    return found


OCCASION_PREPOSITIONS = frozenset({"at", "during"})
"""Prepositions of the occasion a verb's event is part of ("joined the alliance at a
ceremony", "announced it during a visit")."""


def occasions(verb: Token, child: Token, event_nouns: frozenset[str]) -> list[Token]:
    """The event nouns of the verb's occasion phrases: the verb's date is theirs too.

    "On Friday the three countries joined the alliance at a ceremony": the ceremony was on
    Friday. Not the phrase the date came up through (`child`), whose nouns the climb saw.
    """
    return [
        o
        for prep in _children(verb, {"prep"})
        if prep.lower_ in OCCASION_PREPOSITIONS and prep.i != child.i
        for o in _children(prep, {"pobj"})
        if _is_event_noun(o, event_nouns)
    ]


def adjacent_event_noun(verb: Token, start: int, event_nouns: frozenset[str]) -> Token | None:
    """The event noun ending the verb's phrase just before the date, if any.

    "praised the results at a press briefing Friday": the parser hangs "Friday" on the
    verb, but the conference is on Friday too.
    """
    if start == 0:
        return None
    last = verb.doc[start - 1]
    prep = last.head
    if last.dep_ != "pobj" or prep.head.i != verb.i or prep.dep_ != "prep":
        return None
    return last if _is_event_noun(last, event_nouns) else None


def scheduled_event(verb: Token, child: Token, event_nouns: frozenset[str]) -> Token | None:
    """The event noun a scheduling verb's date belongs to, if the date is its "for" phrase.

    "The congress was planned for May 1815", "they postponed the vote until June": the date is
    the congress's and the vote's, not the planning's.
    """
    if verb.lemma_.lower() not in SCHEDULING_VERBS or not (
        child.dep_ == "prep" and child.lower_ in SCHEDULED_PREPOSITIONS
    ):
        return None
    return next(
        (
            c
            for c in verb.children
            if c.dep_ in {"nsubjpass", "dobj"} and _is_event_noun(c, event_nouns)
        ),
        None,
    )


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


def _when_clause(verb: Token) -> bool:
    """The verb heads a clause brought in by "when" ("..., when the army attacked")."""
    return any(c.lower_ == "when" for c in _children(verb, {"advmod", "mark"}))


def same_time(triggers: list[Token], event_nouns: frozenset[str], dated: set[int]) -> list[Token]:
    """The events of "when" clauses on dated verbs: "when" puts them at the verb's time.

    "The old man was cooking dinner in May 1850 when he was shot": the shooting was in May
    1850 too. A negated verb, what nearly happened and a state are no events (a light verb
    gives the event it stands for, `promoted_event`), and a clause with a date of its own (a
    token in `dated`, the tokens of the document's other dates: "left in May when the rains
    came in June") keeps its own; a perfect in the clause ("when the food had run out")
    tells a state of things then. Measured on TempEval-3 (docs/quality.md): the main clause
    of a dated "when" clause, a "when" clause on the date itself ("in 1850, when the war
    broke out") and what a dated event noun did in its relative clause ("the 1850 blast that
    killed two guards") were tried as well and left out: TimeML links them to the date less
    often than the dates it links at all (precision fell).
    """
    taken = {t.i for t in triggers}
    out: list[Token] = []
    for trigger in triggers:
        if not is_verb(trigger):
            continue
        for clause in _children(trigger, {"advcl"}):
            if not _when_clause(clause) or dated & {t.i for t in clause.subtree}:
                continue
            if negated(clause) or nearly_done(clause) or _is_perfect(clause):
                continue
            event = promoted_event(clause, event_nouns)
            if event is not None and event.i not in taken:
                taken.add(event.i)
                out.append(event)
    return out


DURATION_STRETCHES = frozenset({"over", "for", "through", "throughout", "during"})
"""Prepositions that make a duration the stretch a thing went on over ("fell over the last two
weeks", "served as mayor for the past four years")."""

MEASURED_FROM = frozenset({"of", "after", "from", "since"})
"""Prepositions that measure a duration from an event ("within a week of the landing")."""


def _realised(verb: Token) -> bool:
    """A verb told as done: a simple past ("took"), a perfect, or a past passive ("was taken")."""
    if verb.tag_ == "VBD" or _is_perfect(verb):
        return True
    return verb.tag_ == "VBN" and any(
        a.lower_ in {"was", "were"} for a in _children(verb, {"auxpass"})
    )


def duration_dates_nothing(span: Span, triggers: list[Token]) -> bool:
    """Whether a duration ("the past two years", "a week") dates none of its predicates.

    A duration anchored in the text's time dates what happened in it ("sold three plants in
    the past two years", "the rebels took the town within two months"). Not when it is
    measured from an event ("within a week of the landing": the tagger cannot anchor it),
    when it is the stretch a thing went on over ("prices fell over the past two years",
    "served as mayor for the past four years": `DURATION_STRETCHES`), or when "within" sets
    a deadline for what is not yet done ("must repay the loan within five years"). A perfect
    in the stretch tells of events in it ("has sold three plants in the past two years"):
    dated.
    """
    if any(c.dep_ == "prep" and c.lower_ in MEASURED_FROM for c in span.root.children):
        return True
    head = span.root.head
    word = head.lower_ if span.root.dep_ == "pobj" and head.i != span.root.i else ""
    if word in DURATION_STRETCHES:
        return True
    verbs = [t for t in triggers if is_verb(t)]
    return word == "within" and not all(_realised(v) for v in verbs)
