"""Text repairs: changes to a document's text that a reader would agree with, each one counted.

Cleaning is limited to undoing damage that text picks up on its way into an archive: Unicode
in decomposed form, Windows or old Mac newlines, invisible control characters, quotes doubled
by a CSV export, words hyphenated across a line break, and spaces lost between two words
("Even thenUnited States President"). Every repair is counted per document (the documents
`repairs` column) and a few examples of each kind are kept for the ingest report, so nothing
changes silently. Repairs that need an English dictionary are applied only to text that is
English or too short to tell; other languages are never touched by them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_EXAMPLES = 3
"""Examples of each kind of repair kept per document (the count says how many there were)."""

MIN_PREFIX_COUNT = 1000
"""A glued word's first part must be at least this frequent in the word list (a common word)."""

KNOWN_CAMEL_CASE = frozenset({"easyJet", "airBaltic", "wikiHow", "arXiv", "bioRxiv", "medRxiv"})
"""Names spelled with an inner capital on purpose that the dictionary test alone would split."""


@dataclass
class Cleaned:
    """Text after cleaning, the count of each repair applied, and a few examples of each."""

    text: str
    repairs: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def count(self, name: str, n: int) -> None:
        """Record `n` applications of repair `name` (zero counts are not recorded)."""
        if n:
            self.repairs[name] = self.repairs.get(name, 0) + n

    def example(self, name: str, before: str, after: str) -> None:
        """Keep one example of repair `name`, up to MAX_EXAMPLES per kind."""
        kept = self.examples.setdefault(name, [])
        if len(kept) < MAX_EXAMPLES:
            kept.append(f"{before!r} -> {after!r}")


@functools.cache
def english_words() -> dict[str, int]:
    """English word list with frequencies (pyspellchecker's, shipped in the wheel: no download).

    The keys are lower-case words; the values are counts in its subtitle corpus, so common
    words ("then", "of") have large counts and rare spellings small ones.
    """
    from spellchecker import SpellChecker

    return dict(SpellChecker(language="en", distance=1).word_frequency.dictionary)


# --- characters ------------------------------------------------------------------------------

_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Soft hyphens, zero-width spaces, word joiners, stray byte-order marks and the bidi controls
(marks, embeddings, overrides, isolates) that can make text display in a different order than
it reads and hide the names next to them. Zero-width (non-)joiners stay: Persian and Indic
scripts need them."""
ODD_SPACES = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)
"""Tabs and Unicode spaces (no-break, en, em, thin, ideographic...): each becomes a plain space."""
_ODD_SPACES = re.compile(f"[ {ODD_SPACES}]{{2,}}|[{ODD_SPACES}]")
_LINE_EDGES = re.compile(r" \n ?|\n ")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_DOUBLED_QUOTES = re.compile(r'(?<!")""([^"\n]{1,200}?)""(?!")')


def normalise_unicode(out: Cleaned) -> None:
    """Compose characters (NFC): "e" + combining acute becomes "é", as a reader sees it."""
    if unicodedata.is_normalized("NFC", out.text):
        return
    composed = unicodedata.normalize("NFC", out.text)
    out.count("unicode_nfc", max(1, len(out.text) - len(composed)))
    out.text = composed


def _holds_any(text: str, needles: Iterable[str]) -> bool:
    """Whether `text` contains any of `needles`: a fast test that lets a repair skip its regex.

    `str.__contains__` scans at memory speed, several times faster than a regular expression
    that finds nothing, and most texts need most repairs nowhere.
    """
    return any(needle in text for needle in needles)


def normalise_newlines(out: Cleaned) -> None:
    r"""Windows (\r\n), old Mac (\r) and Unicode line separators become \n."""
    if _holds_any(out.text, "\r\u2028\u2029\x85"):
        out.text, n = _NEWLINES.subn("\n", out.text)
        out.count("newlines", n)


def remove_control_characters(out: Cleaned) -> None:
    """Drop control characters (C0 and C1, except tab and newline) and invisible format marks."""
    out.text, n = _CONTROL.subn("", out.text)
    out.count("control_characters", n)
    out.text, n = _INVISIBLE.subn("", out.text)
    out.count("invisible_characters", n)


def halve_doubled_quotes(out: Cleaned) -> None:
    """Repair CSV-style doubled quotes: ``""saved""`` becomes ``"saved"``.

    They come from text exported through a CSV cell: the quote was escaped by doubling and never
    unescaped. Inside running prose a doubled quote is never meant, so halving it is safe. Runs
    of three or more quotes are ambiguous and left as they are.
    """

    def halve(match: re.Match[str]) -> str:
        after = f'"{match.group(1)}"'
        out.example("doubled_quotes", match.group(0), after)
        return after

    if '""' not in out.text:
        return
    out.text, n = _DOUBLED_QUOTES.subn(halve, out.text)
    out.count("doubled_quotes", n)


def normalise_whitespace(out: Cleaned) -> None:
    """One space between words, no spaces at line ends, at most one blank line in a row."""
    if _holds_any(out.text, ("  ", *ODD_SPACES)):
        out.text, n = _ODD_SPACES.subn(" ", out.text)
        out.count("whitespace", n)
    if _holds_any(out.text, (" \n", "\n ")):
        out.text, n = _LINE_EDGES.subn("\n", out.text)
        out.count("whitespace", n)
    if "\n\n\n" in out.text:
        out.text, n = _MANY_NEWLINES.subn("\n\n", out.text)
        out.count("whitespace", n)
    out.text = out.text.strip()


# --- words (English only) --------------------------------------------------------------------

_HYPHEN_BREAK = re.compile(r"(?<![\w-])([A-Za-z]+)-\n([a-z]+)(?![\w-])")
_GLUED = re.compile(r"(?<![\w.@/#\\-])([a-z]{2,})([A-Z][a-z]+)(?![\w@/]|\.\w)")


def join_hyphenated_lines(out: Cleaned, words: dict[str, int]) -> None:
    r"""Undo hyphenation at line breaks: "inter-\nnational" -> "international".

    The dictionary decides: when the joined word is a word, the hyphen was the typesetter's and
    goes; when only the two halves are words ("well-\nknown"), the hyphen is the author's and
    stays, without the line break. When neither is a word, the text is left as it is.
    """

    def repair(match: re.Match[str]) -> str:
        first, second = match.groups()
        if (first + second).lower() in words:
            after = first + second
        elif first.lower() in words and second in words:
            after = f"{first}-{second}"
        else:
            return match.group(0)
        out.count("hyphenation", 1)
        out.example("hyphenation", match.group(0), after)
        return after

    if "-\n" in out.text:
        out.text = _HYPHEN_BREAK.sub(repair, out.text)


def split_glued_words(out: Cleaned, words: dict[str, int]) -> None:
    """Put back a space lost between a word and a capitalised one: "thenUnited" -> "then United".

    The split point is where the case changes, so the only question is whether to split at all;
    the dictionary answers it. A token is split only when its lower-case first part is a common
    word of two letters or more, its capitalised second part is a word (in the dictionary or used
    on its own elsewhere in this document), the whole token is not itself a word, and the token
    appears only once in the document (a spelling used twice, like "easyJet", is deliberate).
    Names such as "McDonald", "PowerPoint" and "YouTube" start with a capital and never match;
    "iPhone" and "eBay" have a one-letter first part. A short list of known camel-case names
    covers the rest. When the first part is a prefix written with a hyphen before a capital
    ("pro", "anti", "non"...), a hyphen is restored instead: "proUnited" -> "pro-United".
    """
    counts = Counter(m.group(0) for m in _GLUED.finditer(out.text))  # holds distinct tokens
    if not counts:
        return

    @functools.cache
    def used_alone(word: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", out.text) is not None

    def repair(match: re.Match[str]) -> str:
        token, first, second = match.group(0), match.group(1), match.group(2)
        if (
            counts[token] > 1
            or token in KNOWN_CAMEL_CASE
            or token.lower() in words
            or words.get(first, 0) < MIN_PREFIX_COUNT
            or not (second.lower() in words or used_alone(second))
        ):
            return token
        after = f"{first}-{second}" if first in HYPHEN_PREFIXES else f"{first} {second}"
        out.count("glued_words", 1)
        out.example("glued_words", token, after)
        return after

    if any(n == 1 for n in counts.values()):
        out.text = _GLUED.sub(repair, out.text)


HYPHEN_PREFIXES = frozenset(
    {
        "anti",
        "counter",
        "ex",
        "mid",
        "neo",
        "non",
        "pan",
        "post",
        "pre",
        "pro",
        "pseudo",
        "quasi",
        "semi",
        "sub",
        "trans",
        "ultra",
        "un",
    }
)
"""Prefixes English joins to a capitalised word with a hyphen: pro-American, anti-Soviet."""


def clean_characters(text: str) -> Cleaned:
    """The repairs that hold in any language, in an order where each sees the previous output."""
    out = Cleaned(text)
    normalise_newlines(out)
    remove_control_characters(out)
    halve_doubled_quotes(out)
    normalise_whitespace(out)
    normalise_unicode(out)  # last: removing a character can bring a mark next to its letter
    return out


def repair_english_words(out: Cleaned) -> None:
    """The repairs that need the English dictionary: glued words, then line-break hyphens.

    In that order because splitting a glued word can end the second half of a hyphenated one
    (found by fuzzing), while joining a hyphenated word never creates a glued one; so cleaning
    twice gives the same text as cleaning once.
    """
    if out.text:
        words = english_words()
        split_glued_words(out, words)
        join_hyphenated_lines(out, words)


def clean_text(text: str, *, english: bool = True) -> Cleaned:
    """Apply every repair; `english=False` leaves the words of other languages as written."""
    out = clean_characters(text)
    if english:
        repair_english_words(out)
    return out
