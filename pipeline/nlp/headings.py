"""Section headings: lines that name a part of a document instead of telling it.

Wikipedia-style articles and reports carry headings ("Western Front 1916-1917", "The regency
(1811-1820)"). spaCy's parser glues such a line to the sentence after it, so the heading's
date would date that sentence's event. The nlp stage finds the headings here, before parsing,
makes each one a sentence of its own (`mark_boundaries`), flags it (`sentences.is_heading`)
and numbers the sections it opens (`sentences.section_index`, `sentences.section`).

Why in nlp and not in ingest: the rules below read the cleaned text, which nlp receives
unchanged, and their result is about sentences, which nlp makes. Ingest only has to keep a
heading on a line of its own followed by a blank line; it does so for HTML ``<h1>``-``<h6>``
(`pipeline.ingest.decoding.html_to_text` puts paragraph breaks around every block) and leaves
Markdown as written. So the same rule serves text, Markdown and HTML, and the published
documents text is never changed to mark a heading.

A line is a heading when it is

- a Markdown ATX heading: one to six ``#`` then a space, outside a fenced code block; or
- a paragraph of one short line: a blank line (or the start of the text) before it, a blank
  line after it, at most ``nlp.heading_max_words`` words, starting with a capital letter or
  a digit, holding a letter (or only a year or a range of years: "1917", "1921-1923"; other
  lines of digits are page numbers), and not ending like a sentence or a cut-off clause
  (``. ! ? : ; , …`` or a dash).

and it is not a bullet item, a news dateline ("WASHINGTON (AP) --", "LONDON, March 3"), a
byline or credit line ("By Jane Smith", "Reporting by ..."), nor the first part of a sentence
that a stray blank line cut (the next paragraph starts in lower case), and prose (a line
that does not look like a heading) comes after it: the short lines that end a text (a
closing "Copyright 2013", "Follow us") are never headings.

The first line of a text counts like any other: a news article's headline is a heading,
so every sentence of the article is in its section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.core.config import NlpParams

if TYPE_CHECKING:
    from spacy.tokens import Doc

HEADING_MAX_WORDS = NlpParams.heading_max_words
"""Default of ``nlp.heading_max_words``: longer one-line paragraphs are prose."""

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(?P<name>.*?)(?:[ \t]+#+)?[ \t]*$")
"""A Markdown ATX heading, with its optional closing hashes."""
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_SENTENCE_END = re.compile(r"[.!?:;,\u2026\u2013\u2014-][\"'\u201d\u2019)\]]*$")
"""Final punctuation of a sentence or of a clause that goes on (a dateline's dash)."""
_YEARS = re.compile(r"^\d{4}(?:\s*[-\u2013/]\s*\d{2,4})?$")
"""A heading of years alone ("1917", "1921-1923"); other lines of digits are page numbers."""
_NEXT_CHARACTER = re.compile(r"\S")
_BULLET = re.compile(r"^([-*+\u2022\u00b7\u25aa\u25e6>]|\(?[0-9a-z]{1,3}\))\s")
"""A list item or quotation line: "- item", "• item", "a) item", "(3) item", "> quote"."""
_DATELINE = re.compile(r"^[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+)*(?:,| \([A-Za-z])")
"""A news dateline: a place in capitals, then a comma or an agency ("PARIS, May 3")."""
_CREDIT = re.compile(
    r"^(?i:by|(?:\w+ )?(?:reporting|writing|editing|photos?|photographs?|words|text) by)"
    r"(?: (?:[A-Z][\w.'\u2019-]*|and|de|van|von|der|la|le|al|bin|ibn))+$"
)
"""A byline or credit line: "By Jane Smith", "Additional reporting by Li Wei and Ana Cruz"."""


@dataclass(frozen=True)
class Heading:
    """A heading line: where it is in the text, and the section name it gives."""

    start: int
    end: int
    name: str
    """The heading without Markdown's ``#`` marks: the value of `sentences.section`."""


def heading_name(line: str) -> str:
    """The name a heading line gives its section: the line without Markdown's ``#`` marks."""
    match = _ATX.match(line)
    return match.group("name").strip() if match else line.strip()


def is_plain_heading(line: str, max_words: int) -> bool:
    """Whether a one-line paragraph reads as a heading (its place is checked by the caller)."""
    text = line.strip()
    return (
        0 < len(text.split()) <= max_words
        and (text[0].isupper() or text[0].isdigit())
        and (any(c.isalpha() for c in text) or _YEARS.match(text) is not None)
        and not _SENTENCE_END.search(text)
        and not _BULLET.match(text)
        and not _DATELINE.match(text)
        and not _CREDIT.match(text)
    )


def _paragraph_lines(text: str) -> Iterator[tuple[int, int, bool]]:
    """Each non-blank line outside fenced code, as (start, end, alone).

    A line is alone when a blank line (or the start of the text) is before it and a blank
    line after it: it is a paragraph of its own.
    """
    in_fence = False
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        if _FENCE.match(match.group()):
            in_fence = not in_fence
            continue
        if in_fence or not match.group().strip():
            continue
        blank_before = start == 0 or text.startswith("\n\n", start - 2)
        yield start, end, blank_before and text.startswith("\n\n", end)


def continues_a_sentence(text: str, end: int) -> bool:
    """Whether the text after offset `end` goes on with a sentence begun before it.

    A paragraph that starts in lower case or with punctuation ("stretched her record...",
    ". We want") is the rest of a sentence cut by a stray blank line, so the short line
    before it is part of that sentence, not a heading.
    """
    after = _NEXT_CHARACTER.search(text, end)
    return after is not None and (after.group().islower() or after.group() in ".,;:!?)]")


def find_headings(text: str, max_words: int = HEADING_MAX_WORDS) -> list[Heading]:
    """The headings of a cleaned text, in order (the rules are in the module docstring)."""
    found: list[Heading] = []
    last_prose = -1
    for start, end, alone in _paragraph_lines(text):
        line = text[start:end]
        shaped = is_plain_heading(line, max_words)
        if _ATX.match(line) or (alone and shaped and not continues_a_sentence(text, end)):
            found.append(Heading(start, end, heading_name(line)))
        elif not shaped:
            last_prose = start
    return [h for h in found if h.start < last_prose]


def mark_boundaries(doc: Doc, headings: Iterable[tuple[int, int]]) -> Doc:
    """Make each heading span (offsets into `doc.text`) one sentence of its own.

    Set before the parser runs, which keeps sentence starts it is given: a heading's first
    token starts a sentence, its other tokens and the blank line after it do not, and the
    first token after that starts the next sentence.
    """
    for start, end in headings:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        for token in span:
            token.is_sent_start = token.i == span.start
        after = span.end
        while after < len(doc) and doc[after].is_space:
            doc[after].is_sent_start = False
            after += 1
        if after < len(doc):
            doc[after].is_sent_start = True
    return doc
