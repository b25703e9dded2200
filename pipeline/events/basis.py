"""Dating basis: the events whose clause has no date, dated by the story or the publication.

An explicit event's date sits in its own clause (`pipeline.events.triggers`). A story tells
most of its events without one: "On 3 March 1863 the army crossed the river. It reached the
town at dusk." has two events and one date. This module finds such events and their date:

- which predicates count (`clock_triggers`): the main verbs of a sentence that has no date
  of its own, told as having happened, with a subject; not a state, a light or a general verb
  (`pipeline.events.triggers.is_light_or_general`, the one list of such verbs); in a story,
  with a doer as subject (`agentive_subject`). Being conservative keeps the table a list of
  events rather than of every verb;
- which date (`Clock.dating_at`): in narrative mode the story's clock, the last date told
  before the predicate in the same paragraph (`paragraph_starts`), else the date of its
  section's heading ("The winter campaign of 1863"); basis `narrative`, `timex_id` the
  clock's timex. A paragraph is where a story keeps its clock: a new paragraph with no date
  of its own often moves on, so only a heading carries a date across paragraphs. The
  event's interval is a window (`Clock.window`), not the clock date itself; see below. In
  news mode, the publication date (`documents.published`),
  for the events a report tells in the present ("says", "are fighting"; `PRESENT_TAGS`);
  basis `document`, `timex_id` null (the publication date is not a timex of the text). A
  predicate with neither gives no event (counted in the stage report).

Which dates set the clock: every timex that may date an event (`events.dated_types`, with
an interval), ranges as one; a date in a heading sets its section's clock. A date the story
tells aside from its own point (a bound, a look back, a plan's date) stops the clock instead
(`tells_aside`, `looks_back`), and so does a date written without its year that the tagger
read as falling before the story's last date (`Clock._guessed_back`): the sentences after
it get no `narrative` date until the next date, since a wrong date is worse than none.

The narrative window (the maintainer's design decision). A story moves forward between the
dates it tells: an event told after "On 1 October 1949 ..." without a date of its own
happened on or after that day, often weeks later ("Chiang retreated to Taiwan": in
December), and before the next date the story tells. So a `narrative` event's interval runs
from the start of the clock date to the end of the next date told after the event in the
same section (`Clock.window`); a date that looks back (ends before the clock's start) or
is told aside does not close it, the next forward one on the story's line does. With no
later date in the section, the window ends at the end of the year the clock date ends in
(for a year or coarser date, its own end): a story that says nothing more does not license
more. Its precision is the finest unit whose length covers the window, never finer than the
clock date's (`window_precision`). Stamping the clock date itself at its own precision, as
before, put such events too early: the largest class of wrong `narrative` events in the
hand-judged WikiWars samples (docs/quality.md).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from spacy.tokens import Span, Token

from pipeline.events.mentions import load_titles
from pipeline.events.modality import modality_of
from pipeline.events.triggers import (
    NON_AGENT_PRONOUNS,
    NOT_SIMULTANEOUS,
    TIME_NOUNS,
    TOPIC_PREPOSITIONS,
    condition_changes,
    is_event_noun,
    is_light_or_general,
    is_verb,
    load_event_nouns,
    verb_lemmas,
)
from schemas.vocabularies import ENTITY_LABELS, PRECISIONS, subset

PAST_TAGS = frozenset({"VBD"})
"""The past ("crossed", "was taken"): the tense a story tells its events at its clock in."""

PRESENT_TAGS = frozenset({"VBZ", "VBP"})
"""The present ("says", "are fighting"): what a news report tells as going on when published.
Its past tense tells what happened before, on a day it does not give: of the past-tense
events of dateless sentences that TempEval-3's training set links to the publication date,
about 7 in 10 are BEFORE it, so they get no date here."""


def is_main_verb(token: Token) -> bool:
    """The sentence's root verb, or a verb coordinated with it ("crossed ... and took")."""
    if token.pos_ != "VERB":
        return False
    return token.dep_ == "ROOT" or (token.dep_ == "conj" and token.head.dep_ == "ROOT")


def has_subject(verb: Token) -> bool:
    """A doer or undergoer as its subject; a coordinated verb shares its head's."""
    subjects = {"nsubj", "nsubjpass"}
    if any(c.dep_ in subjects for c in verb.children):
        return True
    return verb.dep_ == "conj" and any(c.dep_ in subjects for c in verb.head.children)


def finite_tag(verb: Token) -> str | None:
    """The tag of the verb's finite form: its own, or its auxiliary's ("was taken": VBD).

    None for a perfect ("had crossed", "has said"): it tells what happened before the time
    the text is at, so that time is not its date.
    """
    auxiliaries = [c for c in verb.children if c.dep_ in {"aux", "auxpass"} and c.i < verb.i]
    if any(a.lemma_.lower() == "have" for a in auxiliaries):
        return None
    return auxiliaries[0].tag_ if auxiliaries else verb.tag_


def in_quotation(verb: Token) -> bool:
    """Inside quoted speech: a speaker's words, not the story's own telling."""
    before = verb.doc[verb.sent.start : verb.i].text  # not doc.text: rebuilt at each call
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


CLOCK_SHIFTERS = frozenset(
    {"later", "subsequently", "afterwards", "afterward", "eventually", "thereafter", "soon"}
    | {"earlier", "previously", "formerly", "ultimately", "throughout", "meanwhile"}
    | {"already", "once", "before", "after", "since"}
)
"""Words that move an event off the story's clock: "later", "eventually" put it at some time
after the last date told, "earlier" before it, "meanwhile" beside another thread of the story,
"throughout" over a stretch of which the last date is one point ("kept a low profile
throughout the rest of the war"), "then" at the next step of a sequence whose first step
the last date dated ("attacked in the spring, then was defeated")."""

HABITUAL_ADVERBS = frozenset(
    {"often", "frequently", "usually", "regularly", "repeatedly", "routinely", "sometimes"}
    | {"occasionally", "always", "constantly", "continually", "generally", "typically"}
    | {"increasingly", "gradually", "steadily", "progressively", "seldom", "rarely"}
    | {"altogether", "overall"}
)
"""Adverbs of frequency, of gradual change and of a total: the sentence tells what kept
happening or changing over a stretch, or sums it up ("raids were often launched at night",
"support steadily grew", "altogether 300 leaders were captured"), which one point of the
clock does not date."""

RELATIVE_PREPOSITIONS = NOT_SIMULTANEOUS
"""Prepositions and subordinators that place the event by another event rather than at the
clock ("after the fall of the city", "a short time after", "before the armistice was
signed"): the story's last date is not its date."""

STRETCH_PREPOSITIONS = frozenset({"during", "throughout", "for", "over", "within", "by"})
"""Prepositions that, with a stretch of time or a whole war, make the sentence a summary
("during the war", "for three years", "over the following months", "by the end of the
siege")."""

STRETCHES = TIME_NOUNS | frozenset(
    {"war", "campaign", "conflict", "reign", "rule", "presidency", "occupation", "siege"}
    | {"end", "rest", "remainder", "course", "meantime", "interim", "aftermath", "wake"}
    | {"all", "total", "general", "series", "operation"}
)
"""Nouns of a stretch of time, or of a point the clock has not reached ("the end"), or that
sum up ("in all", "in total", "in general", "in a series of engagements", "in the nine-day
operation")."""

QUANTIFIERS = frozenset(
    {"some", "many", "most", "several", "few", "numerous", "various", "other", "others"}
    | {"all", "any", "much", "each", "every"}
)
"""Quantifiers of a subject ("some supporters", "others", "many soldiers"): the sentence
tells what a part of a group did at various times, not one happening."""

GRADUAL_VERBS = frozenset(
    {"increase", "decrease", "reduce", "grow", "rise", "slump", "expand", "shrink"}
    | {"worsen", "improve", "intensify", "escalate", "dwindle", "deteriorate", "diminish"}
    | {"result", "contribute", "allow", "enable", "ensure", "prove", "serve"}
    | {"cause", "compound", "attribute", "demoralize", "confuse", "discourage", "embolden"}
)
"""Verbs of a change of degree ("support deteriorated", "desertions increased") and of a
consequence told in summary ("the reforms allowed the growth of trade", "this action caused
the leaders to harden", "the orders demoralized the officers", "the gains were attributed
to the surge"): they tell a change or an outcome over a stretch, not a happening at the
clock's point."""

FEELING_VERBS = frozenset(
    {"shock", "stun", "dismay", "alarm", "anger", "outrage", "horrify", "appal", "appall"}
    | {"frighten", "disappoint", "astonish", "enrage", "frustrate", "bewilder", "sadden"}
)
"""Verbs of a feeling caused ("the voters were shocked by the verdict", "the news dismayed
the court"): a state of mind that a happening brought about, not a happening of its own
("surprise" is not here: a garrison surprised by a raid was attacked)."""


STANCE_VERBS = frozenset(
    {"support", "back", "favour", "favor", "endorse", "champion", "advocate", "sympathise"}
    | {"sympathize", "aid", "assist", "cooperate", "collaborate"}
)
"""Verbs of a stance, of aid or of a cooperation kept up ("the socialists supported the
peasants' fight", "the rebels were backed by foreign pilots", "were aided in the attempt by
the allies", "the army cooperated with the partisans in the north"): held over a stretch,
not a happening at the clock's point."""

STANCE_NOUNS = frozenset({"support", "aid", "assistance", "backing", "help", "protection"})

PAYMENTS_KEPT_UP = frozenset(
    {"salary", "wage", "wages", "pension", "subsidy", "subsidies", "stipend", "allowance"}
)
"""Payments made over and over: "was paid a salary by the government", "granted the chiefs
a subsidy" tell support kept up, as aid given does."""

GIVING_VERBS = frozenset({"provide", "give", "lend", "extend", "furnish"})
"""Verbs that with a noun of aid (`STANCE_NOUNS`) tell aid kept up, as `STANCE_VERBS` do
("provided little support to the rebels", "gave military aid to the regime")."""

RECEIVING_VERBS = frozenset({"receive", "enjoy", "get", "obtain", "draw"})
"""Verbs that with a noun of aid tell aid kept up from the other side ("received support from
the United States", "enjoyed the backing of the army")."""

BUILDING_VERBS = frozenset({"establish", "build", "develop", "consolidate", "institute"})

SYSTEMS_OF_RULE = frozenset(
    {"democracy", "dictatorship", "autocracy", "regime", "rule", "order", "control"}
    | {"hegemony", "dominance", "presence", "influence", "system", "authority", "power"}
)
"""Objects that make a verb of building (`BUILDING_VERBS`) a summary of a rule or a hold
set up over time ("established a liberal democracy", "built up its presence in the south",
"consolidated control over the provinces")."""


GRADUAL_PHRASES = frozenset({("step", "up"), ("build", "up"), ("wind", "down"), ("die", "down")})
"""Phrasal verbs of a change of degree ("stepped up its attacks"), as `GRADUAL_VERBS`."""


def _heads(verb: Token) -> list[Token]:
    """The verb, and the verb it is coordinated with: a conjunct shares its head's modifiers."""
    return [verb, verb.head] if verb.dep_ == "conj" else [verb]


def moves_off_clock(verb: Token) -> bool:
    """The verb (or the verb it is coordinated with) has its own time that is not the clock.

    A `CLOCK_SHIFTERS` or `HABITUAL_ADVERBS` word, a measure of time ("a short time after",
    "the day before"), a phrase placing it by another event (`RELATIVE_PREPOSITIONS`, "after
    the city fell") or a stretch (`STRETCH_PREPOSITIONS` with one of `STRETCHES`), or
    spreading it over a whole area or several units of time (`spreads_over`).
    """
    for head in _heads(verb):
        for child in head.children:
            word = child.lower_
            if child.dep_ in {"advmod", "prep", "mark"} and word in CLOCK_SHIFTERS:
                return True
            if child.dep_ == "advmod" and word in HABITUAL_ADVERBS | RELATIVE_PREPOSITIONS:
                return True
            if child.dep_ == "npadvmod" and child.lemma_.lower() in TIME_NOUNS:
                return True
            if places_by_another_event(child) or spreads_over(child):
                return True
    return False


WIDE_ADJECTIVES = frozenset({"whole", "entire", "all"})

SPREAD_PREPOSITIONS = frozenset({"across", "over", "throughout"})


def spreads_over(child: Token) -> bool:
    """A phrase spreading the verb over a whole area or over several units of time.

    "Fought the army all across the province", "all over the country", "across the whole
    front": what happened at many places, at many times, summed up. "In four years of war",
    "in three months": a count of units of time is a stretch, not the clock's point (a
    plain "in May" or "in the spring" is a point).
    """
    if child.dep_ != "prep":
        return False
    objects = [o for o in child.children if o.dep_ == "pobj"]
    if child.lower_ in SPREAD_PREPOSITIONS:
        if any(c.dep_ == "advmod" and c.lower_ == "all" for c in child.children):
            return True
        if any(a.lower_ in WIDE_ADJECTIVES for o in objects for a in o.children):
            return True
    if child.lower_ in {"in", "over", "within"}:
        return any(
            o.tag_ == "NNS"
            and o.lemma_.lower() in TIME_NOUNS
            and any(c.dep_ == "nummod" for c in o.children)
            for o in objects
        )
    return False


HABITUAL_MARKS = frozenset({"once", "whenever"})
"""Subordinators of a clause that tells what followed each time ("once a raid was called
off, the bandits melted into the hill villages"): a habit, not one happening. A
"when" clause does too when its subject is generic ("when smugglers' boats were seized,
they were sold": `generic_subject`)."""

STATE_PASSIVES = frozenset(
    {"engage", "preoccupy", "occupy", "involve", "absorb", "embroil", "concern", "interest"}
    | {"immerse", "mire", "entangle", "busy", "tie", "vest"}
)
"""Verbs whose passive with "in" or "with" names a state, an adjective in all but form ("the
partisans were engaged in delaying actions", "the main forces were preoccupied with the
siege", "the regiment was mired in the marshes"; "authority was vested in the council",
where power lay): what they were busy with or held over a stretch, not a happening at the
clock. With a doer ("were engaged by the cavalry") the
passive tells an event."""

STATE_PASSIVE_PREPOSITIONS = frozenset({"in", "with"})

PURPOSE_PASSIVES = frozenset(
    {"intend", "mean", "design", "aim", "plan", "calculate", "suppose", "expect", "schedule"}
    | {"leave"}
)
"""Verbs whose passive with a to-infinitive tells a purpose, an expectation or a situation
("the raids were intended to force a truce", "the fort was meant to guard the pass", "the
talks were expected to last a week", "the garrison was left to defend itself"): what
something was for or how it stood, not a happening."""


LEADING_PASSIVES = frozenset(
    {"lead", "head", "command", "chair", "direct", "run", "govern", "rule", "captain"}
)
"""Verbs whose passive with a doer names who led a body or an event: "the group was led by
two former ministers", "the fleet was commanded by an admiral" is a state over the body's
life, not a happening. With an event as subject ("the attack was led by the colonel") it
tells who led the event as a whole: the event is one the story has told or goes back to,
begun before the clock's point as often as after it, so its time is the event's, not the
clock's."""


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children)


def tells_a_state_or_purpose(verb: Token) -> bool:
    """A passive that is a state (`STATE_PASSIVES`, `LEADING_PASSIVES`) or a purpose.

    "Were engaged in delaying efforts", "was intended to force the enemy to yield": no event
    of the story's clock. Only for a story: a news report's present state ("the ads are
    meant to do more") holds when it is published, which dates it.
    """
    if not _is_passive(verb):
        return False
    lemmas = verb_lemmas(verb)
    children = list(verb.children)
    if lemmas & STATE_PASSIVES and not any(c.dep_ == "agent" for c in children):
        return any(c.dep_ == "prep" and c.lower_ in STATE_PASSIVE_PREPOSITIONS for c in children)
    if verb.lemma_.lower() in LEADING_PASSIVES and any(c.dep_ == "agent" for c in children):
        return any(c.dep_ == "nsubjpass" for c in children)
    if lemmas & PURPOSE_PASSIVES:
        return any(
            c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            for c in children
        )
    return False


RELATIVE_ADJECTIVES = frozenset(
    {"subsequent", "later", "eventual", "ensuing", "earlier", "previous", "prior", "former"}
)
"""Adjectives that place an event noun before or after the story's point ("took part in the
subsequent invasion", "avenged the earlier defeat"): the verb goes with that event, not
with the clock."""


def places_by_another_event(child: Token) -> bool:
    """A modifier of the verb that times it by another event or a stretch (`moves_off_clock`).

    A phrase after "after", "before"...; a clause after one of them; a stretch after
    "during", "for"...; an object, or a phrase's object, with an adjective like
    "subsequent".
    """
    word = child.lower_
    objects = [child] if child.dep_ == "dobj" else []
    if child.dep_ == "prep":
        objects = [o for o in child.children if o.dep_ == "pobj"]
    if any(a.lower_ in RELATIVE_ADJECTIVES for o in objects for a in o.children):
        return True
    if child.dep_ == "prep" and word in RELATIVE_PREPOSITIONS:
        return True
    if child.dep_ == "advcl":
        words = clause_marks(child)
        if words & (RELATIVE_PREPOSITIONS | HABITUAL_MARKS):
            return True
        return "when" in words and generic_subject(child)
    if child.dep_ == "prep" and word in STRETCH_PREPOSITIONS | {"in", "at"}:
        objects = [o for o in child.children if o.dep_ == "pobj"]
        stretches = STRETCHES if word in STRETCH_PREPOSITIONS else STRETCHES - TIME_NOUNS
        return any(o.lemma_.lower() in stretches for o in objects)
    return False


def clause_marks(clause: Token) -> set[str]:
    """The words that introduce an adverbial clause: its subordinators, and an adverb before it.

    The parser takes "once" and "when" for adverbs as often as for subordinators ("Once the
    ford was taken, ..."): an adverb at the clause's left edge introduces it all the same.
    """
    return {
        m.lower_
        for m in clause.children
        if m.dep_ == "mark" or (m.dep_ == "advmod" and m.i == clause.left_edge.i)
    }


def generic_subject(verb: Token) -> bool:
    """Whether its subject is a quantified group or a bare plural: many did it, at many times.

    "Some supporters criticised him", "others deserted", "soldiers looted farms": a summary
    of what a part of a group did, not one happening. A bound plural is particular ("the
    soldiers", "Union troops", `BOUND`).
    """
    subjects = [c for h in _heads(verb) for c in h.children if c.dep_ in {"nsubj", "nsubjpass"}]
    for subject in subjects:
        if subject.lower_ in QUANTIFIERS or any(
            c.dep_ in {"det", "amod"} and c.lower_ in QUANTIFIERS for c in subject.children
        ):
            return True
        if generic_plural(subject):
            return True
    return False


INDEPENDENT_BODIES = frozenset(
    {"country", "state", "nation", "government", "province", "city", "town", "tribe"}
    | {"party", "republic", "kingdom", "colony", "region"}
)
"""Bodies that each act on their own: "only four kingdoms recognized the breakaway duchy",
"seven states seceded" tell several acts, one by each body, at their own times."""


def several_bodies(verb: Token) -> bool:
    """Whether the active subject is several bodies that each act on their own.

    A plural of `INDEPENDENT_BODIES` counted by a number or bare ("five countries
    recognized", "southern states seceded"): a summary of separate acts. "The two
    countries signed a treaty" acts together, once: a determiner binds it.
    """
    subjects = [c for h in _heads(verb) for c in h.children if c.dep_ == "nsubj"]
    return any(
        s.tag_ == "NNS"
        and s.lemma_.lower() in INDEPENDENT_BODIES
        and not any(c.dep_ in {"det", "poss"} for c in s.children)
        for s in subjects
    )


def generic_plural(noun: Token) -> bool:
    """A bare plural ("soldiers"), or one whose only bound is a bare plural possessor.

    "Violators' ships were seized" is about any violator's ship: a possessor that is itself
    generic binds nothing. "The rebels' ships", "Lee's men" are particular.
    """
    if noun.tag_ != "NNS":
        return False
    bounds = [c for c in noun.children if c.dep_ in BOUND]
    return all(c.dep_ == "poss" and generic_plural(c) for c in bounds)


BOUND = frozenset({"det", "poss", "nummod", "compound", "amod", "prep", "appos", "relcl"})
"""Modifiers that make a plural subject a particular group ("the soldiers", "Union troops",
"3,000 men", "veterans of the war")."""


def summarises(verb: Token) -> bool:
    """Whether a story's past tense tells a summary, not one happening at the clock.

    A gradual change or a consequence (`GRADUAL_VERBS`, `GRADUAL_PHRASES`, "led to the
    defeat"), a feeling caused (`FEELING_VERBS`), a state of affairs changing
    (`pipeline.events.triggers.condition_changes`), a total (`counts_a_total`,
    `suffers_a_toll`), a role taken (`takes_a_role`), an effort kept up (`strives`), a
    stretch spent (`spends_a_stretch`), a practice (`in_practice`), a habit
    (`habitual_object`), a generic subject
    (`generic_subject`) or several bodies acting each on their own
    (`several_bodies`), a series (`many_objects`), or a verb coordinated with a summary or a
    series.
    Only for a story: a news report's present tells what is going on at publication in the
    same forms ("officials say", "prices rise").
    """
    lemma = verb.lemma_.lower()
    particles = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    if lemma in GRADUAL_VERBS or any((lemma, p) in GRADUAL_PHRASES for p in particles):
        return True
    if lemma in FEELING_VERBS or condition_changes(verb):
        return True  # "the public was shocked", "things changed": a state, a trend
    if lemma == "lead" and any(c.lower_ == "to" for c in verb.children):
        return True
    if counts_a_total(verb) or takes_a_role(verb) or strives(verb):
        return True
    if suffers_a_toll(verb) or spends_a_stretch(verb) or in_practice(verb):
        return True
    if habitual_object(verb) or several_bodies(verb):
        return True
    if verb.dep_ == "conj" and is_verb(verb.head) and summarises(verb.head):
        return True  # "won victories in the south and bombed the port": one summary
    if any(c.dep_ == "conj" and is_verb(c) and many_things(c) for c in verb.children):
        return True  # "planted documents, spread rumours": a list of what was done
    return generic_subject(verb) or many_objects(verb)


TOTAL_WORDS = frozenset({"total", "totals", "tally", "toll"})
"""Nouns of a sum ("lost a total of 2,000 men", "the death toll reached 10,000")."""

ROLE_NOUNS = frozenset({"role", "position", "posture", "stance", "footing"})
"""Nouns of a part played: "was pushed into a far larger role" tells a change of
situation, kept up after it, not one happening."""


def counts_a_total(verb: Token) -> bool:
    """Whether its subject or object is a total ("a total of 3,000 men", "total losses").

    A sum over a stretch ("the army lost a total of 40,000 men in the campaign"), not what
    happened at the clock's point.
    """
    for noun in (c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}):
        if noun.lower_ in TOTAL_WORDS:
            return True
        if noun.tag_ == "NNS" and any(
            c.dep_ in {"amod", "compound"} and c.lower_ in TOTAL_WORDS for c in noun.children
        ):
            return True  # "total losses"; not "a total victory", "total war"
    return False


SUFFERING_VERBS = frozenset({"suffer", "sustain", "incur"})

TOLL_NOUNS = frozenset({"casualty", "casualties", "loss", "losses", "death", "deaths"})
"""Nouns of a toll ("suffered heavy casualties", "sustained losses")."""


def suffers_a_toll(verb: Token) -> bool:
    """Whether the verb tells a toll suffered, or a state suffered from.

    "Lee's army suffered 28,000 casualties", "the army sustained heavy losses": the sum of
    what a battle or a war cost, told after it, not a happening at the clock's point. A
    counted object is a toll too ("suffered 260,000 killed"). "Suffered from the recession"
    is a state over a stretch.
    """
    if verb.lemma_.lower() not in SUFFERING_VERBS:
        return False
    children = list(verb.children)
    if any(c.dep_ == "prep" and c.lower_ == "from" for c in children):
        return True
    return any(
        c.dep_ == "dobj" and (c.lower_ in TOLL_NOUNS or c.tag_ == "CD" or counted(c))
        for c in children
    )


def counted(noun: Token) -> bool:
    """Whether a noun is counted by a number ("260,000 killed", "three hundred men")."""
    return any(n.dep_ == "nummod" for n in noun.children)


def spends_a_stretch(verb: Token) -> bool:
    """Whether the verb spends a stretch of time ("spent the winter rebuilding the fleet").

    What was done over the stretch, summed up: not one happening at the clock's point.
    """
    return verb.lemma_.lower() == "spend" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in TIME_NOUNS | {"time"} for c in verb.children
    )


def in_practice(verb: Token) -> bool:
    """Whether a participle set off after the verb tells a series ("..., conducting raids").

    "The patrols trailed the convoy, staging roadside searches and snap arrests":
    the participle's indefinite plural object (`many_objects`) makes the sentence a
    practice kept up, of which the main verb is a part.
    """
    return any(
        c.dep_ in {"advcl", "xcomp"} and c.tag_ == "VBG" and c.i > verb.i and many_objects(c)
        for c in verb.children
    )


def takes_a_role(verb: Token) -> bool:
    """Whether the verb puts its subject into a role ("were forced into a more active role")."""
    return any(
        c.dep_ == "prep"
        and c.lower_ == "into"
        and any(o.dep_ == "pobj" and o.lemma_.lower() in ROLE_NOUNS for o in c.children)
        for c in verb.children
    )


EFFORT_VERBS = frozenset(
    {"work", "strive", "labour", "labor", "endeavour", "endeavor", "struggle", "campaign"}
)
"""Verbs of an effort kept up towards an end ("worked to curb the power of the guilds",
"strove to unite the provinces"): a policy over a stretch, not one happening."""


def strives(verb: Token) -> bool:
    """Whether the verb is an effort (`EFFORT_VERBS`) towards a to-infinitive."""
    return verb.lemma_.lower() in EFFORT_VERBS and any(
        c.dep_ in {"xcomp", "advcl"}
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        for c in verb.children
    )


def holds_a_stance(verb: Token) -> bool:
    """Whether a story's past tense tells a stance or a rule kept up over a stretch.

    A verb of stance or aid (`STANCE_VERBS`: "the socialists supported the peasants",
    "they were backed by foreign pilots"), or a verb of building with a system of rule as
    object (`SYSTEMS_OF_RULE`: "established a liberal democracy"), aid given (`GIVING_VERBS`
    with a noun of `STANCE_NOUNS`: "provided little support") or weight thrown behind a
    side ("threw its weight behind the front"), or received (`RECEIVING_VERBS`: "received
    support from the United States"), or a payment kept up (`PAYMENTS_KEPT_UP`: "was paid
    a salary"). Unlike a summary it
    does not carry over to a verb coordinated with it ("was supported by the mutiny, but
    put down by the guards": the putting down happened).
    """
    if verb_lemmas(verb) & STANCE_VERBS:
        return True
    children = list(verb.children)
    weights = [c for c in children if c.dep_ == "dobj" and c.lemma_.lower() == "weight"]
    if weights and any(
        t.dep_ == "prep" and t.lower_ == "behind" for c in children for t in c.subtree
    ):
        return True  # "threw its full weight behind the front": support kept up
    if verb.lemma_.lower() in GIVING_VERBS | RECEIVING_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in STANCE_NOUNS for c in verb.children
    ):
        return True
    if any(c.dep_ in {"dobj", "dative"} and c.lower_ in PAYMENTS_KEPT_UP for c in children):
        return True  # "was paid a salary", "granted them a subsidy"
    return verb.lemma_.lower() in BUILDING_VERBS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in SYSTEMS_OF_RULE for c in verb.children
    )


HABITUAL_ADJECTIVES = frozenset(
    {"occasional", "frequent", "periodic", "repeated", "sporadic", "constant", "continual"}
    | {"regular", "routine", "recurrent", "intermittent", "incessant"}
)
"""Adjectives of frequency: "extended the penalty to the occasional deserter", "made
frequent raids on the coast" tell what was done each time, as `HABITUAL_ADVERBS` do."""


def habitual_object(verb: Token) -> bool:
    """Whether an object of the verb, or of its phrase, has an adjective of frequency."""
    nouns = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass"}]
    nouns += [o for c in verb.children if c.dep_ in {"prep", "dative"} for o in c.children]
    return any(
        a.dep_ == "amod" and a.lower_ in HABITUAL_ADJECTIVES for n in nouns for a in n.children
    )


def many_things(verb: Token) -> bool:
    """Whether its object is an indefinite plural of things (`many_objects`), not of doers.

    "Spread false rumours" is a series; "turned back Japanese naval forces" is one group
    met once (`agentive`).
    """
    return many_objects(verb) and not any(c.dep_ == "dobj" and agentive(c) for c in verb.children)


def many_objects(verb: Token) -> bool:
    """Whether its object is an indefinite plural: many happenings told as one.

    "Bombers destroyed Japanese cities", "won naval victories", "targeted army patrols": an
    indefinite plural object ("cities", "some towns") makes the verb a series over a stretch.
    A definite or counted one is one happening ("burned the bridges", "took two forts").
    """
    for obj in (c for c in verb.children if c.dep_ == "dobj" and c.tag_ == "NNS"):
        determiners = [c for c in obj.children if c.dep_ in {"det", "poss", "nummod"}]
        if all(d.lower_ in QUANTIFIERS for d in determiners):
            return True
    return False


AGENTS = Path(__file__).parent / "lexicons" / "agentive_nouns.txt"

AGENT_TYPES = frozenset(subset(ENTITY_LABELS, "PERSON", "ORG", "GPE", "NORP", "FAC"))
"""Named entities that act: people, organisations, states, peoples, and the forts and ships
spaCy tags as facilities."""

PERSONAL_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "who"})
"""Pronouns for people or groups; "it" is a doer when what it stands for is one."""


@cache
def agentive_nouns() -> frozenset[str]:
    """Head nouns of doers (`lexicons/agentive_nouns.txt`) and titles of people (`titles.txt`)."""
    titles = {t.split()[-1].rstrip(".") for t in load_titles()}
    return load_event_nouns(AGENTS) | titles


def agentive(noun: Token) -> bool:
    """Whether a subject names a doer: a person, a group, an army, a state, a ship.

    A name of `AGENT_TYPES` (or a name spaCy gave no type) unless it names an event
    (`names_an_event`), a personal pronoun, "it" standing for a doer (`antecedent`), or a
    common noun of `agentive_nouns`.
    """
    if noun.pos_ == "PROPN":
        if names_an_event(noun):
            return False
        return noun.ent_type_ in AGENT_TYPES or not noun.ent_type_
    if noun.ent_type_ in AGENT_TYPES:
        return True
    if noun.pos_ == "PRON":
        if noun.lower_ in PERSONAL_PRONOUNS:
            return True
        found = antecedent(noun) if noun.lower_ == "it" else None
        return found is not None and agentive(found)
    return noun.lemma_.lower() in agentive_nouns()


def names_an_event(noun: Token) -> bool:
    """Whether a name's head is an event noun: "the Mukden Incident", "the Tet Offensive".

    The model often tags such names as organisations; what they name happened, it did not
    act. A head that is also a noun of a body that acts ("Congress") stays a doer.
    """
    return is_event_noun(noun) and noun.lemma_.lower() not in agentive_nouns()


def stands_for_event(noun: Token) -> bool:
    """Whether a subject is a happening: an event noun, or "it" or "this" standing for one."""
    if noun.lower_ in NON_AGENT_PRONOUNS:
        return True
    found = antecedent(noun) if noun.lower_ == "it" else noun
    return found is not None and is_event_noun(found)


IT_CHAIN = 3
"""How many sentences back "it" is followed through subjects that are "it" too."""


def antecedent(pronoun: Token) -> Token | None:
    """What "it" stands for: the subject of the sentence before ("The army crossed. It ...").

    Through a chain of sentences whose subject is "it" ("It burned the bridge. It seized
    the ford."), up to `IT_CHAIN` sentences back. "It" stands for no person: after a
    subject that is one ("He signed the treaty. It stated ..."), the object is what it
    stands for. A clause set before it in its own sentence names it first: "Though the
    letter was no plan of reform, it offered hope" (`subject_before`).
    """
    before = subject_before(pronoun)
    if before is not None:
        return before
    found: Token | None = pronoun
    for _ in range(IT_CHAIN):
        if found is None or found.lower_ != "it" or found.sent.start == 0:
            return None
        root = found.doc[found.sent.start - 1].sent.root
        found = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if found is not None and (
            found.lower_ in PERSONAL_PRONOUNS
            or found.ent_type_ == "PERSON"
            or found.lemma_.lower() in load_titles()
        ):
            found = next((c for c in root.children if c.dep_ == "dobj"), None)
        if found is not None and found.lower_ != "it":
            return found
    return None


def subject_before(pronoun: Token) -> Token | None:
    """The noun subject of an adverbial clause set before "it" in its own sentence.

    "Though the letter was no plan of reform, it offered hope", "When the fleet sailed, it
    met the storm": English names the thing in the fronted clause and goes on with "it".
    """
    head = pronoun.head
    if pronoun.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    for clause in head.children:
        if clause.dep_ != "advcl" or clause.i > pronoun.i:
            continue
        for subject in clause.children:
            if subject.dep_ in {"nsubj", "nsubjpass"} and subject.pos_ in {"NOUN", "PROPN"}:
                return subject
    return None


PHASE_VERBS = frozenset({"end", "conclude", "erupt", "collapse", "break"})
"""Verbs of an event's own phase: with an event noun as subject and no object they tell a
happening ("the battle ended in a draw", "the revolt collapsed"), as "the war ended in 1945"
does. With an object the event ends something else ("the incident ended the truce"): a
consequence."""


def agentive_subject(verb: Token) -> bool:
    """Whether the verb (or the verb it is coordinated with) has a doer as its subject.

    The story's clock is a promise that the event happened at its point; a clause whose
    subject is a thing, a text or an abstraction ("the history detailed...", "the victories
    transformed the war") is rarely a happening there, and stays undated rather than
    wrongly dated. An event's own phase is a happening (`PHASE_VERBS`). A passive's subject
    undergoes the event: its doer is its "by" phrase ("was accompanied by an outpouring of
    gratitude" has none; an event there is the means, "killed by a series of attacks");
    with no doer named ("the bridge was burned") someone did it, and it stays. A passive
    whose subject is an event and whose "by" phrase is one too relates two events ("the
    rising was supported by a mutiny of the cadets"): no doer, no event of the clock.
    """
    own = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass", "agent"}]
    heads = [verb] if own else _heads(verb)
    subjects = [c for h in heads for c in h.children if c.dep_ == "nsubj"]
    own_phase = not any(c.dep_ == "dobj" for c in verb.children)
    if own_phase and verb.lemma_.lower() in PHASE_VERBS and any(is_event_noun(s) for s in subjects):
        return True
    doers = subjects + [
        o
        for h in heads
        for a in h.children
        if a.dep_ == "agent"
        for o in a.children
        if not is_event_noun(o)
    ]
    if doers:
        return any(agentive(d) for d in doers)
    undergoers = [c for h in heads for c in h.children if c.dep_ == "nsubjpass"]
    causes = [o for h in heads for a in h.children if a.dep_ == "agent" for o in a.children]
    if causes and any(stands_for_event(u) for u in undergoers):
        return False  # "the rising was supported by a mutiny": two events related
    return bool(undergoers)


def clock_triggers(sentence: Span, tags: frozenset[str]) -> Iterator[Token]:
    """The predicates of a dateless sentence that count as events (module docstring).

    `tags` are the finite verb tags the basis admits: a story's past (`PAST_TAGS`) or a news
    report's present (`PRESENT_TAGS`). Asserted, affirmed events only: the clock dates
    what the text tells as happening then, not what was planned, feared or denied.
    """
    for token in sentence:
        if not is_main_verb(token) or is_light_or_general(token) or not has_subject(token):
            continue
        if finite_tag(token) not in tags or in_quotation(token) or moves_off_clock(token):
            continue
        if tags == PAST_TAGS and (
            summarises(token)
            or holds_a_stance(token)
            or tells_a_state_or_purpose(token)
            or not agentive_subject(token)
        ):
            continue
        told = modality_of(token)
        if told.modality == "asserted" and told.polarity == "positive":
            yield token


# --- the clock ------------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_LINE_BREAK = re.compile(r"\n\s*")

WRAP_WIDTH = 100
"""Longer than any line of a text wrapped to a width: a line this long is a paragraph."""


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of the text starts, the first at 0.

    A paragraph ends at a blank line; in a text with no blank line at all, at every line
    break (a text written one paragraph to a line). A line longer than `WRAP_WIDTH` ends its
    paragraph too: a text may set off its headings with blank lines and still write a
    paragraph to a line (as Wikipedia exports do), and a wrapped text's lines never are that
    long.
    """
    if not _BLANK_LINE.search(text):
        return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    starts = [0, *(m.end() for m in _BLANK_LINE.finditer(text))]
    line_start = 0
    for m in _LINE_BREAK.finditer(text):
        if m.start() - line_start > WRAP_WIDTH:
            starts.append(m.end())
        line_start = m.end()
    return sorted(set(starts))


PRESENT_WORDS = frozenset({"now", "today", "currently", "nowadays", "presently", "at present"})
"""Timexes that set no clock: in a story they repeat the clock's time or mean the writer's
present ("Tsaritsyn, now Volgograd"); they tell no new date."""


def tells_the_present(timex: SimpleNamespace) -> bool:
    """Whether a timex is one of `PRESENT_WORDS`: in a story it tells no date of its own."""
    return (timex.text or "").lower() in PRESENT_WORDS


STRETCH_BOUNDS = frozenset({"by", "until", "till", "since", "throughout", "before"})
"""Words before a date that make it the bound of a stretch, not the story's point: "by 1958
the chiefs had been killed", "numbered 30,000 by October", "since 1950", "the capture of the
city before 1 May". What the story tells next may come before that bound or long after it."""


CONSEQUENCE_VERBS = frozenset({"force", "compel", "cause", "prompt", "lead", "trigger"})
"""Verbs whose participle after a dated clause tells its consequence ("bombarded the fort on
April 12, forcing its surrender"): the story has moved on past the date."""


def tells_aside(span: Span, triggers: list[Token]) -> bool:
    """Whether a date is told aside from the story's point, so it must not set the clock.

    The bound of a stretch (`STRETCH_BOUNDS`), a date in parentheses ("(posted on April
    30)"), a plan's date (`planned_for`: "the offensive planned for 1976"), a date in a
    sentence telling how long something lasted or what it led to (`moves_past`: the story
    goes on after it), or a date whose predicates are all told from
    another time (`told_from_elsewhere`; or the verb it hangs on, when it dates none): a
    flashback, a look ahead, or an event the sentence only refers to.
    """
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in STRETCH_BOUNDS:
        return True
    before = [t.text for t in doc[span.sent.start : span.start]]
    if before.count("(") > before.count(")"):
        return True
    if any(moves_past(t) for t in span.sent):
        return True
    if planned_for(span):
        return True
    predicates = triggers or governor(span)
    return bool(predicates) and all(told_from_elsewhere(t) for t in predicates)


PLAN_WORDS = frozenset(
    {"plan", "project", "schedule", "slate", "set", "intend", "target", "earmark", "fix"}
    | {"envisage", "envision", "propose", "expect", "timetable", "deadline"}
)
"""Verbs and nouns of a plan: a date "for" them is the plan's, not the story's point ("the
offensive planned for 1976", "projected for the dry season", "set for 1 May")."""


def plan_word(token: Token) -> bool:
    """Whether a word is one of `PLAN_WORDS` (an "-ed" form read either way: `verb_lemmas`)."""
    lemmas = verb_lemmas(token) if token.pos_ == "VERB" else {token.lemma_.lower()}
    return bool(lemmas & PLAN_WORDS)


def planned_for(span: Span) -> bool:
    """Whether a date is the date of a plan: "planned for 1976", "scheduled to open in May".

    The date hangs, through "for", on a word of `PLAN_WORDS` ("the big push planned for
    1976", "the plans for 1976"), or on a verb that a plan word governs ("was scheduled to
    begin in March 1976"). When it happened, if at all, the story tells after; the plan
    itself was made before.
    """
    token = span.root
    while token.head.i != token.i:
        head = token.head
        if plan_word(head):
            return (token.dep_ == "prep" and token.lower_ == "for") or token.dep_ == "xcomp"
        if head.pos_ in {"VERB", "AUX"}:
            return head.dep_ == "xcomp" and plan_word(head.head) and head.head.lemma_ != "set"
        token = head
    return False


def governor(span: Span) -> list[Token]:
    """The verb a date hangs on, when it dates no event; empty when it hangs on none.

    "There had been no battle since the spring the previous year": "been".
    """
    token = span.root
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in {"VERB", "AUX"}:
            return [token]
    return []


def moves_past(token: Token) -> bool:
    """A verb that carries its sentence past its date.

    "Lasted" ("a march which lasted nine days"), or a participle of consequence
    (`CONSEQUENCE_VERBS`, "forcing Lee to evacuate the city").
    """
    if token.pos_ != "VERB":
        return False
    lemma = token.lemma_.lower()
    return lemma == "last" or (lemma in CONSEQUENCE_VERBS and token.tag_ == "VBG")


def told_from_elsewhere(trigger: Token) -> bool:
    """A predicate told from a time other than the story's point.

    A past perfect ("had been initiated in 1961": before the story's point) or a "would"
    ("who would write in the 1890s": after it), or an event noun in a phrase of topic or
    of another time ("charged the men with the murders in November 2005", "after the 1998
    bombing": `TOPIC_PREPOSITIONS`, `NOT_SIMULTANEOUS`), which the story only refers to.
    """
    if trigger.pos_ in {"VERB", "AUX"}:
        auxiliaries = {c.lower_ for c in trigger.children if c.dep_ in {"aux", "auxpass"}}
        return bool(auxiliaries & {"had", "would", "'d"})
    head = trigger.head
    return head.dep_ == "prep" and head.lower_ in TOPIC_PREPOSITIONS | NOT_SIMULTANEOUS


def looks_back(date: SimpleNamespace, last: SimpleNamespace) -> bool:
    """Whether a date ends before the last date told: the story looks back, its clock stops.

    "The government took office on 20 May 2006. This followed the election in December
    2005. It succeeded ...": what comes after the look back is not at its date.
    """
    if date.date_end is not None and last.date_start is not None:
        return date.date_end < last.date_start
    return (date.year_end or 0) < (last.year_start or 0)


CLOCK_REACH = {"second": 1, "minute": 1, "hour": 1, "day": 1, "week": 2, "month": 2, "season": 2}
"""How many sentences after its own a date of each precision dates (a year or coarser: the
rest of its paragraph). A story tells a day's events and moves to the next day within a
sentence or two ("On 27 April the army shelled the airport. It forced the airport's
closure. Two days later..." is often written without "two days later"); a year holds a
paragraph."""


@dataclass
class Clock:
    """One document's dates that set the story's clock, and what dates a dateless event.

    Offsets are into the whole document; `offset` is where the segment being read starts
    (`sentence_at` and `dating_at` take offsets into that segment).
    """

    timexes: list[SimpleNamespace]
    """Datable timexes (ranges joined), headings' included. Those that tell the present
    (`PRESENT_WORDS`) date their sentence but set no clock."""
    sentences: list[dict]
    """The document's sentence rows in order, each with `section_index` added."""
    paragraphs: list[int]
    """`paragraph_starts` of the text."""
    mode: str
    """The document's `anchor_mode`."""
    published: dt.date | None
    offset: int = 0
    aside: set[str] = field(default_factory=set)
    """The timex ids of dates told aside (`tells_aside`): they stop the clock and close no
    window. Shared by the copies of the clock for each segment, and filled as the segments'
    explicit dates are read, before their dateless sentences: in a document parsed in
    segments, a date told aside in the next segment is not yet known as one, and may close
    the window of an event at the end of the segment before."""
    headings: dict[int, SimpleNamespace] = field(init=False, default_factory=dict)
    """Each section's heading date (its last), by section index, when `within_a_year`."""

    def __post_init__(self) -> None:
        self._dated = {t.sentence_id for t in self.timexes}
        told = [t for t in self.timexes if not tells_the_present(t)]
        self._setters = sorted(told, key=lambda t: t.start_char)
        heading_ids = {
            s["sentence_id"]: s["section_index"] for s in self.sentences if s["is_heading"]
        }
        for t in self._setters:
            if t.sentence_id in heading_ids and within_a_year(t):
                self.headings[heading_ids[t.sentence_id]] = t
        self._starts = [s["start_char"] for s in self.sentences]
        self._told = [t.start_char for t in self._setters]
        self._order = {s["sentence_id"]: i for i, s in enumerate(self.sentences)}
        self._section_of = {s["sentence_id"]: s["section_index"] for s in self.sentences}

    def sentence_at(self, local: int) -> dict:
        """The sentence row holding a segment offset."""
        index = bisect.bisect_right(self._starts, local + self.offset) - 1
        return self.sentences[max(index, 0)]

    def is_dated(self, sentence: dict) -> bool:
        """Whether the sentence has a date of its own: its events are explicit ones."""
        return sentence["sentence_id"] in self._dated

    def _paragraph(self, position: int) -> int:
        return bisect.bisect_right(self.paragraphs, position)

    def narrative_date(self, position: int, section: int) -> SimpleNamespace | None:
        """The last date told before `position` in its paragraph, else its section heading's.

        None when that date is out of its reach (`CLOCK_REACH`): the story has moved on; or
        told aside (`aside`), or a look back (`_looks_back`).
        """
        before = bisect.bisect_left(self._told, position) - 1
        if before >= 0 and self._paragraph(self._told[before]) == self._paragraph(position):
            date = self._setters[before]
            if date.timex_id in self.aside or self._off_the_line(before):
                return None
            return date if self._within_reach(date, position) else None
        return self.headings.get(section)

    def _looks_back(self, index: int) -> bool:
        """Whether the date `_setters[index]` is a look back (`looks_back`).

        It is compared with the last date before it in its paragraph that set the clock.
        """
        date = self._setters[index]
        paragraph = self._paragraph(date.start_char)
        for i in range(index - 1, -1, -1):  # back to the paragraph's start at most
            last = self._setters[i]
            if self._paragraph(last.start_char) != paragraph:
                return False
            if last.timex_id not in self.aside:
                return looks_back(date, last)
        return False

    def _off_the_line(self, index: int) -> bool:
        """Whether `_setters[index]` looks back or took a year that falls back (`_guessed_back`)."""
        return self._looks_back(index) or self._guessed_back(index)

    def _guessed_back(self, index: int) -> bool:
        """Whether `_setters[index]` took its year from the story and still falls before it.

        A date written without its year ("In May", "on 30 April") takes it from the story's
        last date (`timexes.anchor` "narrative"). When it ends before the last date told
        before it in its section ("In May" after "26 October 1955", read as May 1955), the
        text either looks back within the year or has moved on to a later year the tagger
        cannot know: the story's point is unknown, so it stops the clock and closes no
        window. Dates told aside are passed over ("7 April" after "before 1 May" is on the
        story's line).
        """
        date = self._setters[index]
        if getattr(date, "anchor", None) != "narrative":
            return False
        section = self._section_of[date.sentence_id]
        for last in reversed(self._setters[:index]):
            if self._section_of[last.sentence_id] != section:
                return False
            if last.timex_id not in self.aside:
                return looks_back(date, last)
        return False

    def _within_reach(self, date: SimpleNamespace, position: int) -> bool:
        reach = CLOCK_REACH.get(date.precision)
        here = bisect.bisect_right(self._starts, position) - 1
        return reach is None or here - self._order[date.sentence_id] <= reach

    def dating_at(self, local: int) -> tuple[str, SimpleNamespace] | None:
        """(basis, date) of a dateless event at a segment offset; None when it has none.

        The date has a timex's fields (`timex_id`, `date_start`, ...); the publication date's
        `timex_id` is None.
        """
        if self.mode == "news":
            return ("document", publication(self.published)) if self.published else None
        sentence = self.sentence_at(local)
        position, section = local + self.offset, sentence["section_index"]
        date = self.narrative_date(position, section)
        return ("narrative", self.window(date, position, section)) if date is not None else None

    def window(self, clock: SimpleNamespace, position: int, section: int) -> SimpleNamespace:
        """A narrative event's date: from the clock date's start to the next date's end.

        The next date is the first told after `position` in the same section that does not
        look back (`looks_back`: it ends before the clock starts); with none, the window
        ends at the end of the year the clock date ends in (module docstring). `timex_id`
        stays the clock's. Before 1 AD the dates are null and the years carry the window.
        """
        closing = self._next_forward(clock, position, section)
        if closing is not None:
            date_end, year_end = closing.date_end, closing.year_end
        else:
            date_end = dt.date(clock.date_end.year, 12, 31) if clock.date_end else None
            year_end = clock.year_end
        date_start = clock.date_start
        if date_start is None or date_end is None:
            date_start = date_end = None
        return SimpleNamespace(
            timex_id=clock.timex_id,
            date_start=date_start,
            date_end=date_end,
            year_start=clock.year_start,
            year_end=year_end,
            precision=window_precision(
                date_start, date_end, (clock.year_start, year_end), clock.precision
            ),
        )

    def _next_forward(
        self, clock: SimpleNamespace, position: int, section: int
    ) -> SimpleNamespace | None:
        """The first date told after `position` in its section on the story's line.

        Not a look back (`looks_back`), nor a date told aside (`aside`): "who had spent the
        spring organizing" after "1919" tells a time before the event, not the story's
        next point.
        """
        first = bisect.bisect_left(self._told, position)
        for index, date in enumerate(self._setters[first:], first):
            if self._section_of[date.sentence_id] != section:
                return None
            if date.timex_id in self.aside or looks_back(date, clock):
                continue
            if not self._guessed_back(index):
                return date
        return None

    def can_date(self) -> bool:
        """Whether any dateless event of the document could find a date."""
        return bool(self.published) if self.mode == "news" else bool(self._setters)

    def tags(self) -> frozenset[str]:
        """The finite verb tags a dateless event may have in this document's mode."""
        return PRESENT_TAGS if self.mode == "news" else PAST_TAGS


WINDOW_UNITS = {
    "day": 1,
    "week": 7,
    "month": 31,
    "season": 92,
    "quarter": 92,
    "year": 366,
    "decade": 3653,
    "century": 36525,
    "millennium": 365250,
}
"""The longest a unit of each precision can be, in days: a window no longer than a unit's
length is told at that precision."""

STORY_UNITS = subset(
    PRECISIONS, "day", "month", "season", "year", "decade", "century", "millennium"
)
"""The units a story's window is told in: a week or a quarter only when the clock date was
one (a story tells its dates in days, months, seasons and years, not in weeks or quarters
of the calendar)."""


def window_precision(
    start: dt.date | None, end: dt.date | None, years: tuple[int, int], clock: str
) -> str:
    """The finest unit whose length covers the window, never finer than the clock date's.

    A window of 17 days is a month, even across a month's end: the precision says how wide
    the window is, as a range's does. Before 1 AD (null dates) the window is whole years.
    """
    if start is not None and end is not None:
        days = (end - start).days + 1
    else:
        days = (years[1] - years[0] + 1) * WINDOW_UNITS["year"]
    floor = PRECISIONS.index(clock)
    for unit in PRECISIONS[floor:]:
        if (unit in STORY_UNITS or unit == clock) and days <= WINDOW_UNITS[unit]:
            return unit
    return PRECISIONS[-1]


def within_a_year(date: SimpleNamespace) -> bool:
    """A date within one year: the only heading date that may date a section's events.

    A heading's span of years ("Presidency (1911-1913)", "The 1860s") names the period the
    section is about; its paragraphs tell background from before it and outcomes after it,
    and an event anywhere in a span of years is too coarse a promise for the story's clock.
    """
    return date.year_start is not None and date.year_start == date.year_end


def publication(published: dt.date) -> SimpleNamespace:
    """The publication date as a date an event can take: one day, no timex."""
    return SimpleNamespace(
        timex_id=None,
        date_start=published,
        date_end=published,
        year_start=published.year,
        year_end=published.year,
        precision="day",
    )


def with_sections(segments: Iterable[dict]) -> list[dict]:
    """The document's sentence rows, in order, each with its `section_index`.

    Numbered as the nlp stage numbers them (`pipeline.nlp.stage`): 0 before the first
    heading, then one more at each heading.
    """
    rows, section = [], 0
    for data in segments:
        for row in data["sentences"]:
            section += bool(row["is_heading"])
            rows.append({**row, "section_index": section})
    return rows
