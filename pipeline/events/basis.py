"""Dating basis: the events whose clause has no date, dated by the story or the publication.

An explicit event's date sits in its own clause (`pipeline.events.triggers`). A story tells
most of its events without one: "On 3 March 1863 the army crossed the river. It reached the
town at dusk." has two events and one date. This module finds such events and their date:

- which predicates count (`clock_triggers`): the main verbs of a sentence that has no date
  of its own, told as having happened, with a subject; not a state, a light or a general verb
  (`pipeline.events.triggers.is_light_or_general`, the one list of such verbs). Being
  conservative keeps the table a list of events rather than of every verb;
- which date (`Clock.dating_at`): in narrative mode the story's clock, the last date told
  before the predicate in the same paragraph (`paragraph_starts`), else the date of its
  section's heading ("The winter campaign of 1863"), at that date's interval and precision;
  basis `narrative`, `timex_id` the date's timex. A paragraph is where a story keeps its
  clock: a new paragraph with no date of its own often moves on, so only a heading carries
  a date across paragraphs. In news mode, the publication date (`documents.published`),
  for the events a report tells in the present ("says", "are fighting"; `PRESENT_TAGS`);
  basis `document`, `timex_id` null (the publication date is not a timex of the text). A
  predicate with neither gives no event (counted in the stage report).

Which dates set the clock: every timex that may date an event (`events.dated_types`, with
an interval), ranges as one; a date in a heading sets its section's clock.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from spacy.tokens import Span, Token

from pipeline.events.modality import modality_of
from pipeline.events.triggers import NOT_SIMULTANEOUS, TIME_NOUNS, is_light_or_general

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
    before = verb.sent.doc.text[verb.sent.start_char : verb.idx]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


CLOCK_SHIFTERS = frozenset(
    {"later", "subsequently", "afterwards", "afterward", "eventually", "thereafter", "soon"}
    | {"earlier", "previously", "formerly", "ultimately", "throughout", "meanwhile"}
    | {"already", "once", "before", "after", "since"}
)
"""Words that move an event off the story's clock: "later", "eventually" put it at some time
after the last date told, "earlier" before it, "meanwhile" beside another thread of the story,
"throughout" over a stretch of which the last date is one point ("kept a low profile
throughout the rest of the war")."""

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
    | {"all", "total", "general"}
)
"""Nouns of a stretch of time, or of a point the clock has not reached ("the end"), or that
sum up ("in all", "in total", "in general")."""

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
)
"""Verbs of a change of degree ("support deteriorated", "desertions increased") and of a
consequence told in summary ("the reforms allowed the
growth of trade"): they tell a change or an outcome over a stretch, not a happening at the
clock's point."""


def _heads(verb: Token) -> list[Token]:
    """The verb, and the verb it is coordinated with: a conjunct shares its head's modifiers."""
    return [verb, verb.head] if verb.dep_ == "conj" else [verb]


def moves_off_clock(verb: Token) -> bool:
    """The verb (or the verb it is coordinated with) has its own time that is not the clock.

    A `CLOCK_SHIFTERS` or `HABITUAL_ADVERBS` word, a measure of time ("a short time after",
    "the day before"), a phrase placing it by another event (`RELATIVE_PREPOSITIONS`, "after
    the city fell") or a stretch (`STRETCH_PREPOSITIONS` with one of `STRETCHES`).
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
            if places_by_another_event(child):
                return True
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
    "during", "for"...; an object, or a phrase's object, with an adjective like "subsequent".
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
        return any(m.dep_ == "mark" and m.lower_ in RELATIVE_PREPOSITIONS for m in child.children)
    if child.dep_ == "prep" and word in STRETCH_PREPOSITIONS | {"in", "at"}:
        objects = [o for o in child.children if o.dep_ == "pobj"]
        stretches = STRETCHES if word in STRETCH_PREPOSITIONS else STRETCHES - TIME_NOUNS
        return any(o.lemma_.lower() in stretches for o in objects)
    return False


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
        if subject.tag_ == "NNS" and not any(c.dep_ in BOUND for c in subject.children):
            return True
    return False


BOUND = frozenset({"det", "poss", "nummod", "compound", "amod", "prep", "appos", "relcl"})
"""Modifiers that make a plural subject a particular group ("the soldiers", "Union troops",
"3,000 men", "veterans of the war")."""


def summarises(verb: Token) -> bool:
    """Whether a story's past tense tells a summary, not one happening at the clock.

    A gradual change or a consequence (`GRADUAL_VERBS`, "led to the defeat") or a generic
    subject (`generic_subject`). Only for a story: a news report's present tells what is
    going on at publication in the same forms ("officials say", "prices rise").
    """
    lemma = verb.lemma_.lower()
    if lemma in GRADUAL_VERBS or (lemma == "lead" and any(c.lower_ == "to" for c in verb.children)):
        return True
    return generic_subject(verb) or many_objects(verb)


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
        if tags == PAST_TAGS and summarises(token):
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


CLOCK_REACH = {"second": 1, "minute": 1, "hour": 1, "day": 1, "week": 2, "month": 2}
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

        None when that date is out of its reach (`CLOCK_REACH`): the story has moved on.
        """
        before = bisect.bisect_left(self._told, position) - 1
        if before >= 0 and self._paragraph(self._told[before]) == self._paragraph(position):
            date = self._setters[before]
            return date if self._within_reach(date, position) else None
        return self.headings.get(section)

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
        date = self.narrative_date(local + self.offset, sentence["section_index"])
        return ("narrative", date) if date is not None else None

    def can_date(self) -> bool:
        """Whether any dateless event of the document could find a date."""
        return bool(self.published) if self.mode == "news" else bool(self._setters)

    def tags(self) -> frozenset[str]:
        """The finite verb tags a dateless event may have in this document's mode."""
        return PRESENT_TAGS if self.mode == "news" else PAST_TAGS


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
