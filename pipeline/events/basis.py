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
from pipeline.events.triggers import is_light_or_general

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
    | {"earlier", "previously", "formerly", "ultimately", "throughout"}
)
"""Words that move an event off the story's clock: "later", "eventually" put it at some time
after the last date told, "earlier" before it, "throughout" over a stretch of which the last
date is one point ("kept a low profile throughout the rest of the war")."""


def moves_off_clock(verb: Token) -> bool:
    """The verb (or the verb it is coordinated with) has a `CLOCK_SHIFTERS` word of its own."""
    heads = [verb, verb.head] if verb.dep_ == "conj" else [verb]
    words = [c.lower_ for h in heads for c in h.children if c.dep_ in {"advmod", "prep"}]
    return any(w in CLOCK_SHIFTERS for w in words)


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


@dataclass
class Clock:
    """One document's dates that set the story's clock, and what dates a dateless event.

    Offsets are into the whole document; `offset` is where the segment being read starts
    (`sentence_at` and `dating_at` take offsets into that segment).
    """

    timexes: list[SimpleNamespace]
    """Datable timexes (ranges joined), in text order (by start), headings' included."""
    sentences: list[dict]
    """The document's sentence rows in order, each with `section_index` added."""
    paragraphs: list[int]
    """`paragraph_starts` of the text."""
    mode: str
    """The document's `anchor_mode`."""
    published: dt.date | None
    offset: int = 0
    headings: dict[int, SimpleNamespace] = field(init=False, default_factory=dict)
    """Each section's heading date (its last), by section index."""

    def __post_init__(self) -> None:
        self.timexes = sorted(self.timexes, key=lambda t: t.start_char)
        heading_ids = {
            s["sentence_id"]: s["section_index"] for s in self.sentences if s["is_heading"]
        }
        for t in self.timexes:
            if t.sentence_id in heading_ids:
                self.headings[heading_ids[t.sentence_id]] = t
        self._starts = [s["start_char"] for s in self.sentences]
        self._dated = {t.sentence_id for t in self.timexes}
        self._told = [t.start_char for t in self.timexes]

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
        """The last date told before `position` in its paragraph, else its section heading's."""
        before = bisect.bisect_left(self._told, position) - 1
        if before >= 0 and self._paragraph(self._told[before]) == self._paragraph(position):
            return self.timexes[before]
        return self.headings.get(section)

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
        return bool(self.published) if self.mode == "news" else bool(self.timexes)

    def tags(self) -> frozenset[str]:
        """The finite verb tags a dateless event may have in this document's mode."""
        return PRESENT_TAGS if self.mode == "news" else PAST_TAGS


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
