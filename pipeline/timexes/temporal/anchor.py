"""Reference-time bookkeeping and the tense hint used to place bare weekdays and months.

"Friday" in a news story dated Saturday is yesterday if the nearest verb is past
("met on Friday") and next Friday if it is future ("will meet on Friday"); the
hint comes from POS tokens when given, else from a small word list.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from typing import Protocol

from pipeline.timexes.temporal import values
from pipeline.timexes.temporal.normalise import RANK, Ref


class TokenLike(Protocol):
    """The parts of a parser token the tagger reads."""

    start: int
    end: int
    pos: str
    tag: str
    lemma: str


_PAST_WORDS = {
    "said", "was", "were", "had", "did", "told", "made", "took", "came", "went", "gave",
    "got", "found", "left", "met", "held", "began", "won", "lost", "fell", "rose",
    "sent", "saw", "knew", "thought", "became", "brought", "bought", "sold", "paid",
    "spent", "ran", "led", "built", "struck", "hit", "put", "set", "cut", "shot",
}  # fmt: skip
_NOT_PAST_ED = {"scheduled", "expected", "planned", "need", "indeed", "speed", "seed", "feed"}
_WORD_RE = re.compile(r"[A-Za-z']+")
_SENT_END_RE = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")


def sentence_bounds(text: str, pos: int, ends: Sequence[int]) -> tuple[int, int]:
    """Start and end of the sentence around `pos`, from precomputed sentence ends."""
    i = bisect.bisect_right(ends, pos)
    start = ends[i - 1] if i > 0 else 0
    end = ends[i] if i < len(ends) else len(text)
    return start, end


def sentence_ends(text: str) -> list[int]:
    """Offsets where sentences end (cheap regex split, good enough for a tense hint)."""
    return [m.end() for m in _SENT_END_RE.finditer(text)]


_FUTURE_MODALS = {"will", "'ll", "shall", "wo", "would", "'d", "may", "might", "should", "must"}
# Verbs whose infinitive complement is in the future: "is expected to meet", "plans to leave".
_FUTURE_HEADS = {
    "expected", "scheduled", "set", "due", "plans", "plan", "planned", "going", "is", "are",
    "intends", "intend", "hopes", "hope", "wants", "want", "agreed", "promised", "likely",
    "ready", "prepared", "decided", "aims", "vowed", "threatened", "agreement", "offer",
    "proposal", "bid", "pact", "deal",
}  # fmt: skip
_FUTURE_CUES = (
    "until",
    "till",
    "as soon as",
    "payable",
    "effective",
    "starting",
    "due",
    "next",
    " by",
)
_PAST_CUES = ("since",)


def _token_vote(toks: Sequence[TokenLike], k: int, text: str) -> str | None:
    tok = toks[k]
    word = text[tok.start : tok.end].lower()
    prev = text[toks[k - 1].start : toks[k - 1].end].lower() if k > 0 else ""
    if tok.tag == "MD":
        return "future" if word in _FUTURE_MODALS else None
    if tok.tag == "VBD":
        return "past"
    if tok.tag == "VB" and prev == "to" and k > 1:
        head = text[toks[k - 2].start : toks[k - 2].end].lower()
        if head in _FUTURE_HEADS:
            return "future"
    if tok.tag == "VBN":
        near = {toks[j].tag for j in range(max(0, k - 3), k)}
        return None if "MD" in near or prev == "be" else "past"
    if tok.pos in ("VERB", "AUX") and tok.tag in ("VBP", "VBZ"):
        return "present"
    return None


def _word_vote(word: str, prev: str) -> str | None:
    w = word.lower()
    if w in ("will", "'ll", "shall", "won't", "gonna", "would", "may", "might"):
        return "future"
    if prev == "to" and w not in _PAST_WORDS and not w.endswith(("ed", "ing", "s")):
        return "future"
    if w in _PAST_WORDS:
        return "past"
    if w.endswith("ed") and len(w) > 4 and w not in _NOT_PAST_ED:
        return "past"
    return None


_HAD_DONE = re.compile(
    r"\bhad\s+(?:(?:not|never|already|just|earlier|previously|\w+ly)\s+)?(?:been\s+)?"
    r"(?!to\b|a\b|an\b|the\b|no\b|his\b|her\b|its\b|their\b|some\b)[a-z]+",
    re.IGNORECASE,
)
"""The past perfect, "had left", "had already been taken": an earlier time than the story's."""
_BACK_WORDS = re.compile(r"\b(?:earlier|previously|before then|before that)\b", re.IGNORECASE)


def looks_back(
    text: str, sent: tuple[int, int], tokens: Sequence[TokenLike] | None, reached: bool = False
) -> bool:
    """Whether a narrative sentence steps back from the story's clock.

    A story told in the past tense moves forward, so a month without a year is the next such
    month; in the past perfect ("it had left the capital in February") or after "earlier" it
    goes back, and the month is the last such month. A date `reached` by the story ("by
    January", `reached_by`) is the time the past perfect is told from: "the raid had
    been beaten off by January" is done by the next January, not the last one.
    """
    s0, s1 = sent
    if _BACK_WORDS.search(text, s0, s1):
        return True
    if reached:
        return False
    if not tokens:
        return _HAD_DONE.search(text, s0, s1) is not None
    inside = tokens_inside(tokens, sent)
    return any(
        text[a.start : a.end].lower() == "had" and b.tag == "VBN"
        for a, b in itertools.pairwise(inside)
    ) or any(
        text[a.start : a.end].lower() == "had" and b.tag == "RB" and c.tag == "VBN"
        for a, b, c in zip(inside, inside[1:], inside[2:], strict=False)
    )


_REACHED_BY = re.compile(r"\bby\s+$", re.IGNORECASE)


def reached_by(text: str, start: int) -> bool:
    """Whether a date follows "by": the time by which something was done ("by June").

    With the past perfect it tells the state the story has reached at that date, a step
    forward: "By June the army had taken the province" (`looks_back`).
    """
    return _REACHED_BY.search(text, max(0, start - 8), start) is not None


_PLANNED = re.compile(
    r"\b(?:plann?ed|scheduled|projected|expected|intended|proposed|due|slated|deadline"
    r"|timetable|(?!(?:the|a|an|this|that|same|to|up|any|no|which|what)\b)[a-z]+\s+date)"
    r"(?:\s+[\w-]+){0,3}\s+$",
    re.IGNORECASE,
)
"""A plan's word a few words before a date: "planned for", "a withdrawal date in late 2008",
"a deadline of 1 May". A date a text names as a plan's ("a target date", "a handover date")
is set ahead, not reached."""


_DEICTIC_NEXT = re.compile(r"(?i:next\s)")
_THE_BEFORE = re.compile(r"(?i:\bthe\s+)$")


def looks_ahead(text: str, start: int) -> bool:
    """Whether a date is one the story looks ahead to, not the story's present.

    A plan's date (`_PLANNED`): "the push planned for 1976", "a campaign scheduled in 1976",
    "a final handover date sometime in early 2031"; and "next"
    with no article ("troops home by next summer"), which counts from a speaker's or a
    planner's now: a story tells its own next step as "the next summer"; and the end of a
    stretch that "lasted until" it (`_LASTED`: "lasted until the surrender of the port in
    March 1712"). A date after
    "by" or "until" is not one: in a story it is where the story has got to ("by early 1941
    the British had retreated").
    """
    if _DEICTIC_NEXT.match(text, start) and not _THE_BEFORE.search(text, max(0, start - 8), start):
        return True
    if _LASTED.search(text, max(0, start - 70), start):
        return True
    return _PLANNED.search(text, max(0, start - 40), start) is not None


_LASTED = re.compile(
    r"\b(?:lasted|lasting|lasts)\s+(?:[\w,-]+\s+){0,4}?(?:until|till)\b[^.;:!?]*$",
    re.IGNORECASE,
)
"""A stretch that lasted until a date: "a blockade that lasted until the surrender of Tarvik in
March 1712" tells where the stretch ended, ahead of the story, which goes on from where
it was. A stretch told from one date to another ("lasting 64 days from 21 November to 31
January") is the story's own, and moves it on."""


_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|this|that)\s+$", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"\s+(?!(?:of|and|or|to|in|on|at|by|for|with|as|when|that|which)\b)[a-z]")


def names_a_thing(text: str, start: int, end: int) -> bool:
    """Whether a written-out date is a modifier before a noun: "the May 2007 high".

    "Surpassing the May 2007 high", "unlike the 1976 campaign": the date names which thing
    the story compares or refers to, told aside from where the story is, so it leaves the
    story's clock as it was.
    """
    return (
        _DETERMINER_BEFORE.search(text, max(0, start - 8), start) is not None
        and _NOUN_AFTER.match(text, end) is not None
    )


_STRETCH_START = re.compile(r"\b(?:since|as\s+of)\s+(?:the\s+)?$", re.IGNORECASE)


def starts_a_stretch(text: str, start: int) -> bool:
    """Whether a date is the start of a stretch the story looks back along, not its present.

    "the first incursion since 1995", "41% of claims (as of March 8, 2019)": what the
    story tells next is not at that date, so a month after it ("withdrew on February 29")
    keeps the story's year.
    """
    return _STRETCH_START.search(text, max(0, start - 16), start) is not None


def _cue(text: str, start: int) -> str | None:
    head = text[max(0, start - 16) : start].lower()
    words = head.split()
    tail = " ".join(words[-3:])
    if any(tail.endswith(c) for c in _FUTURE_CUES):
        return "future"
    if any(tail.endswith(c) for c in _PAST_CUES):
        return "past"
    return None


_PRESENT_TAGS = frozenset({"VBZ", "VBP"})


def tells_the_present(text: str, sent: tuple[int, int], tokens: Sequence[TokenLike] | None) -> bool:
    """Whether a sentence is told in the present ("the Castros still rule Cuba"), not the past.

    A present-tense verb (or auxiliary: "has outlasted") and no past-tense one. Without parser
    tokens it cannot tell, and says no.
    """
    inside = tokens_inside(tokens or (), sent)
    return any(t.tag in _PRESENT_TAGS for t in inside) and not any(t.tag == "VBD" for t in inside)


def tokens_inside(tokens: Sequence[TokenLike], sent: tuple[int, int]) -> Sequence[TokenLike]:
    """The tokens (sorted by start) that start inside a sentence, found by bisection."""
    lo = bisect.bisect_left(tokens, sent[0], key=lambda t: t.start)
    hi = bisect.bisect_left(tokens, sent[1], key=lambda t: t.start)
    return tokens[lo:hi]


def tense_near(
    text: str,
    start: int,
    end: int,
    sent: tuple[int, int],
    tokens: Sequence[TokenLike] | None,
) -> str | None:
    """Tense of the verb nearest to text[start:end] in its sentence, or None if unsure.

    A preposition right before the expression wins ("until Tuesday" is future).
    """
    cue = _cue(text, start)
    if cue:
        return cue
    s0, s1 = sent
    left: tuple[int, str] | None = None
    right: tuple[int, str] | None = None
    for pos, vote in _votes(text, s0, s1, start, end, tokens):
        if pos < start:
            left = (start - pos, vote)  # later ones are nearer
        elif right is None:
            right = (pos - end, vote)
    # The verb an adverbial attaches to usually comes first ("rose 30 cents on Monday to end").
    best = left if left is not None and (right is None or left[0] <= 3 * right[0] + 40) else right
    if best is None or best[1] == "present":
        return None
    return best[1]


def _votes(
    text: str, s0: int, s1: int, start: int, end: int, tokens: Sequence[TokenLike] | None
) -> list[tuple[int, str]]:
    """(offset, tense) for every tense-bearing word of the sentence outside the expression."""
    out: list[tuple[int, str]] = []
    if tokens:
        lo = bisect.bisect_left([t.start for t in tokens], s0)
        for k in range(lo, len(tokens)):
            tok = tokens[k]
            if tok.start >= s1:
                break
            if start <= tok.start < end:
                continue
            vote = _token_vote(tokens, k, text)
            if vote:
                out.append((tok.start, vote))
        return out
    prev = ""
    for m in _WORD_RE.finditer(text, s0, s1):
        word = m.group()
        if not start <= m.start() < end:
            vote = _word_vote(word, prev)
            if vote:
                out.append((m.start(), vote))
        prev = word.lower()
    return out


class Anchors:
    """Running references while the text is scanned left to right.

    `clock` is the story's time in narrative mode: the latest date told, whether it was
    written out or resolved ("3 March", "nine days later" after it); `last_any` is the latest
    date of news text that needed no other date or the document's, used for anaphora such as
    "the quarter" or "a year earlier".
    """

    def __init__(self, dct: Ref | None) -> None:
        self.dct = dct
        self.clock: Ref | None = None
        self.last_any: Ref | None = None
        self.last_quarter: Ref | None = None
        self.main_years: dict[int, int] = {}
        """How often each year was told on the story's main line, in the order first told."""

    def count_main_line(self, ref: Ref) -> None:
        """Count the year of a date written out on the story's main line (not looking back)."""
        if ref.shift == 0 and RANK[ref.precision] <= RANK["year"]:
            self.main_years[ref.date.year] = self.main_years.get(ref.date.year, 0) + 1

    def focus(self) -> Ref | None:
        """The story's focus so far: the year its main line tells most often, the first of equals.

        Dates told in the past perfect or after "earlier" step back from the story (a
        background "had failed in 1961"), so they are not counted.
        """
        if not self.main_years:
            return None
        year = max(self.main_years, key=lambda y: self.main_years[y])  # first of equals
        return Ref.from_value(f"{year:04d}")

    def note(self, value: str) -> None:
        """Record a date of news text that was just output."""
        ref = Ref.from_value(value)
        if ref is None:
            return
        self.last_any = ref
        if ref.precision == "quarter" and "-Q" in value:
            self.last_quarter = ref

    def tell(
        self, value: str, counted: bool = False, ahead: bool = False, aside: bool = False
    ) -> None:
        """Move the story's clock to a date just told (narrative mode).

        A coarser date around the clock ("that year" told on 3 March 1863) names the same
        time less precisely: the clock keeps its day, so "two days later" can still be dated.
        A date `counted` back from the clock ("the previous year", "two decades earlier") is
        the text looking back from the story's present, which stays where it was; so does a
        date the text looks `ahead` to ("a push planned for 1976"), and one told `aside` as
        the start of a stretch ("since 1995": `starts_a_stretch`).
        """
        ref = Ref.from_value(value)
        if ref is None:
            return
        self.last_any = ref
        now = self.clock
        if aside and now is not None:
            return
        if now is None or now.shift != ref.shift:
            self.clock = ref
            return
        if (counted and ref.date < now.date) or (ahead and ref.date > now.date):
            return
        if RANK[ref.precision] > RANK[now.precision]:
            span = values.interval((ref.shift and values.shift_bc(value)) or value)
            if span is not None and span[0] <= now.date <= span[1]:
                return
        self.clock = ref
