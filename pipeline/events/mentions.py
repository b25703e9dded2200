"""Rules for named-entity mentions: which model spans to keep, their extent, label and cluster.

Mention detection and correction belong to the events stage, not to the entities stage: events
needs corrected mentions to link an event's participants (directly, or through pronouns and
titles) before any entity exists. It writes the corrected mentions and the participants as
the interim `mentions` and `arguments` files (`pipeline.core.stage.mentions_path`,
`arguments_path`); the entities stage only clusters those mentions into entities across
documents and links the participants to them.

Pure functions over plain rows and the document text. `correct_document` is the one entry
point: the events stage applies it to each document, and the NER evaluation applies it to the
model's output on gold text, so what is measured is what is published. The corrections, in
order:

0. a ruler's territorial designation is part of the ruler's name: "Ivan III of Moscow",
   "Prince Yaroslav of Tver", "Emperor Francis II of Austria" are each one PERSON mention
   (the title is trimmed at step 2), never a person beside a place (`designated_people`);
1. drop spans that contain no name-like token (the model's "Seemingly" PERSON);
2. trim the extent: a leading lower-case article ("the Battle of Antietam"; a capitalised
   "The" only at the start of a sentence, since mid-sentence it is part of a name such as
   "The Used"), a possessive ending, trailing numbers and punctuation ("Astle 9-0-53-1"), and
   leading titles of a person ("President Dwight Eisenhower");
3. known names: a mention whose name is in the alias table or the user's knowledge base takes
   the label given there;
4. document-level consistency: mentions with the same name form a cluster with one label (the
   majority); a one-word name joins the only full person name ending in it, and a name joins
   the only designated name starting with it ("Ivan III" joins "Ivan III of Moscow"); such a
   cluster is a PERSON whatever the votes ("Khrushchev" tagged NORP once);
5. propagation: a name the model found once is also a mention where it recurs in the document
   without a label, as long as the occurrence is capitalised and is not part of a longer name
   ("Reading" is not propagated into "the Reading Railroad"), and the name is not also used
   in lower case in the document (a "Film" the model tagged once is not every "Film" that
   starts a sentence when the text also says "film").

Each step raised entity-level F1 on both WikiGold and CoNLL-2003 (docs/quality.md).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core import ids
from schemas.vocabularies import ENTITY_LABELS, subset

if TYPE_CHECKING:  # pragma: no cover
    from pipeline.events.kb import KnowledgeBase

TITLES_FILE = Path(__file__).parent / "lexicons" / "titles.txt"

NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "NUM", "X", "SYM"})
"""A mention must contain a token with one of these parts of speech. The small model sometimes
tags a sentence-initial adverb as a PERSON ("Seemingly, ..."); such spans name nothing."""

LABEL_PRIORITY = subset(
    ENTITY_LABELS,
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "FAC",
    "NORP",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
)
"""Tie-break between labels with equal votes: a name is more often a person than a group."""

SURNAME_LABELS = frozenset(subset(ENTITY_LABELS, "PERSON", "NORP", "ORG"))
"""One-word mentions with these model labels may be a person's last name; a one-word GPE or
LOC ("Washington") is left alone, as it is more often the place than the person."""

_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_LOWER_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_CAPITAL_ARTICLE = re.compile(r"^(?:The|A|An)\s+")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_TRAILING = re.compile(r"(?:\s*(?:'s|’s|'|’)|\s+[\d.,:;/+\-–%]+|\s*[,;:!?\-–(\"“”]+)+$")
_SENTENCE_END = frozenset('.!?\n"“”')
_WORD_BEFORE = re.compile(r"([\w'’.\-]+)[ \t]+$")
_FIRST_WORD = re.compile(r"[A-Za-z]+[ \t]+")
_WORD_AFTER = re.compile(r"^[ \t]+([\w'’\-]+)")


@dataclass(frozen=True)
class Mention:
    """A named-entity mention with its document-level cluster and corrected label."""

    mention_id: str
    doc_id: str
    sentence_id: str
    start_char: int
    end_char: int
    text: str
    model_label: str | None
    """The model's label; None for a propagated mention (the model did not tag it)."""
    label: str = ""
    name: str = ""
    """Display form of the name: no leading article or possessive ending."""
    cluster: str = ""
    """Key shared by the mentions of one entity within the document."""
    source: str = "model"


def display_name(text: str) -> str:
    """The name without a leading article, possessive ending or extra spaces."""
    name = " ".join(text.split())
    name = _LEADING_ARTICLE.sub("", name)
    return _POSSESSIVE.sub("", name).strip() or name


NAME_KEYS_CACHED = 1 << 16
"""Distinct names whose keys are remembered: entities looks up each mention's name four times,
and a corpus repeats its names, so this halves the stage's time at bounded memory."""


@lru_cache(maxsize=NAME_KEYS_CACHED)
def name_key(text: str) -> str:
    """Case- and punctuation-insensitive key of a name ("the U.S." and "U.S" agree)."""
    return " ".join(display_name(text).casefold().replace(".", " ").split())


def is_name(pos_tags: str) -> bool:
    """True if the span's parts of speech can form a name (see NAME_POS)."""
    return any(tag in NAME_POS for tag in pos_tags.split())


@cache
def load_titles(path: Path = TITLES_FILE) -> frozenset[str]:
    """Title words (lower case) from the lexicon file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s for line in lines if (s := line.split("#")[0].strip().lower()))


def _starts_sentence(text: str, start: int) -> bool:
    i = start  # walk back over blanks: copying text[:start] made each mention cost O(start)
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] in _SENTENCE_END


def trim_span(
    start: int, end: int, label: str, text: str, titles: frozenset[str] = frozenset()
) -> tuple[int, int]:
    """The extent of a model span without what is not part of the name.

    Articles, possessives, trailing numbers or punctuation and (for people) leading titles
    are removed; the span is left unchanged where nothing would be left.
    """
    span = text[start:end]
    article = _LOWER_ARTICLE.match(span)
    if article is None and _starts_sentence(text, start):
        article = _CAPITAL_ARTICLE.match(span)
    if article is not None and article.end() < len(span):
        start += article.end()
    if label == "PERSON" and titles:
        words = list(re.finditer(r"\S+", text[start:end]))
        leading = 0
        while leading < len(words) - 1 and words[leading].group().lower() in titles:
            leading += 1
        if leading:
            start += words[leading].start()
    trailing = _TRAILING.search(text[start:end])
    if trailing is not None and trailing.start() > 0:
        end = start + trailing.start()
    return start, end


def past_opening_adverb(start: int, end: int, pos_tags: str, text: str) -> int:
    """Where a span starts without the sentence's opening adverb the model glued to a name.

    A capitalised adverb that opens a sentence reads like a first name to the small model
    ("Simultaneously Nixon pressured Thieu", "Meanwhile Grant moved south"): when the span
    starts the sentence and its first token is an adverb, the name starts at the next word.
    """
    tags = pos_tags.split()
    first = _FIRST_WORD.match(text, start, end)
    if len(tags) < 2 or tags[0] != "ADV" or first is None or not _starts_sentence(text, start):
        return start
    return first.end() if first.end() < end else start


def from_spans(
    rows: Iterable[dict], text: str | None = None, titles: frozenset[str] = frozenset()
) -> tuple[list[Mention], Counter]:
    """Mentions from the model's spans, and counts of the spans dropped or trimmed.

    Spans are trimmed (`trim_span`) when the document `text` is given.
    """
    kept: list[Mention] = []
    counts: Counter = Counter()
    for row in rows:
        if not is_name(row.get("pos", "PROPN")):
            counts["dropped_not_a_name"] += 1
            continue
        start, end = int(row["start_char"]), int(row["end_char"])
        if text is not None:
            start = past_opening_adverb(start, end, row.get("pos", ""), text)
            start, end = trim_span(start, end, row["label"], text, titles)
            counts["trimmed"] += (start, end) != (row["start_char"], row["end_char"])
        surface = text[start:end] if text is not None else row["text"]
        kept.append(
            Mention(
                mention_id=ids.span_id("mention", row["doc_id"], start, end),
                doc_id=row["doc_id"],
                sentence_id=row["sentence_id"],
                start_char=start,
                end_char=end,
                text=surface,
                model_label=row["label"],
                label=row["label"],
                name=display_name(surface),
            )
        )
    return kept, counts


def surname_targets(keys: Iterable[str]) -> dict[str, str]:
    """Map a short name to the one longer person name it stands for; ambiguous ones to nothing.

    A last name stands for the one full name ending in it ("khrushchev"), a name for the one
    designated name starting with it ("ivan iii" for "ivan iii of moscow").
    """
    by_short: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        name, designated, _ = key.partition(" of ")
        if designated:
            by_short[name].add(key)
        elif len(key.split()) > 1:
            by_short[key.split()[-1]].add(key)
    return {short: next(iter(full)) for short, full in by_short.items() if len(full) == 1}


RULER_TITLES = frozenset(
    {
        "king",
        "queen",
        "prince",
        "princess",
        "emperor",
        "empress",
        "tsar",
        "czar",
        "tsarina",
        "tsaritsa",
        "archduke",
        "archduchess",
        "duke",
        "duchess",
        "count",
        "countess",
        "earl",
        "margrave",
        "elector",
        "khan",
        "sultan",
        "shah",
        "emir",
        "saint",
        "st.",
    }
)
"""Titles of rulers, nobles and saints, whose "of PLACE" names the person, not a place."""
_NAME = r"[A-Z][a-z][\w'’-]*"
_PLACE = r"(?P<place>[A-Z][\w'’-]*(?:[ \t][A-Z][\w'’-]*){0,2})\b"
_RULER_TITLE = "|".join(
    re.escape(t.capitalize()) for t in sorted(RULER_TITLES, key=lambda t: (-len(t), t))
)
_DESIGNATED = (
    re.compile(
        rf"\b(?:{_RULER_TITLE})[ \t]+(?P<name>{_NAME}(?:[ \t]{_NAME})?(?:[ \t][IVXL]+)?)"
        rf" of {_PLACE}"
    ),
    re.compile(rf"\b(?P<name>{_NAME}(?:[ \t]{_NAME})?[ \t][IVXL]+) of {_PLACE}"),
)
"""A ruler's title, one or two names and maybe a regnal number, or names and a regnal number,
then "of" and one to three capitalised words."""


def designated_people(
    spans: Sequence[dict], text: str, sentence_of: Callable[[int], str]
) -> tuple[list[dict], int]:
    """The spans with each ruler's "NAME of PLACE" made one PERSON span, and how many were made.

    The place of "Ivan III of Moscow" (a regnal number), "Prince Yaroslav of Tver" or
    "Emperor Francis II of Austria" (a ruler's title) says who the person is, not where an
    event happened: it is not a mention of its own, so it is neither an entity nor a location.
    The span runs from the name to the place (the title is left out, as step 2 would trim it);
    the model's spans inside the title, name and place give way to it, and the name is a
    mention even where the model missed it.
    """
    found: dict[tuple[int, int], int] = {}
    for pattern in _DESIGNATED:
        for m in pattern.finditer(text):
            name = m.start("name")
            title, _, rest = m["name"].partition(" ")
            if rest and title.lower() in RULER_TITLES:  # "Emperor Francis II" as two names
                name += len(title) + 1
            key = (name, m.end("place"))
            found[key] = min(m.start(), found.get(key, m.start()))
    if not found:
        return list(spans), 0
    kept = [
        r
        for r in spans
        if not any(s < r["end_char"] and r["start_char"] < e for (_, e), s in found.items())
    ]
    people = [
        {
            "doc_id": spans[0]["doc_id"],
            "sentence_id": sentence_of(start),
            "start_char": start,
            "end_char": end,
            "text": text[start:end],
            "label": "PERSON",
            "pos": "PROPN",
        }
        for start, end in found
    ]
    return sorted(kept + people, key=lambda r: (r["start_char"], r["end_char"])), len(people)


def majority_label(labels: Iterable[str]) -> str:
    """Most frequent label; ties go to the label earliest in LABEL_PRIORITY."""
    votes = Counter(labels)
    return min(
        votes,
        key=lambda lab: (
            -votes[lab],
            LABEL_PRIORITY.index(lab) if lab in LABEL_PRIORITY else len(LABEL_PRIORITY),
        ),
    )


def resolve_document(mentions: list[Mention]) -> list[Mention]:
    """Cluster one document's mentions and give each cluster one label.

    Mentions with the same name key form a cluster whatever their labels (the small model tags
    "Khrushchev" NORP once among a dozen PERSONs), labelled by majority vote of their (already
    corrected) labels. A one-word name joins the cluster of the only multi-word person name
    ending in it ("Khrushchev" joins "Nikita Khrushchev"), and that cluster is a PERSON; when
    two people share the last name it stays apart, since the text does not say which is meant.
    """
    keys = {m.mention_id: name_key(m.text) for m in mentions}
    person_keys = [keys[m.mention_id] for m in mentions if m.label == "PERSON"]
    surnames = surname_targets(person_keys)
    cluster_of = {
        m.mention_id: surnames.get(keys[m.mention_id], keys[m.mention_id])
        if m.label in SURNAME_LABELS
        else keys[m.mention_id]
        for m in mentions
    }
    members: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        members[cluster_of[m.mention_id]].append(m)
    label_of = {}
    for key, group in members.items():
        joined = any(keys[m.mention_id] != key for m in group)
        label_of[key] = "PERSON" if joined else majority_label(m.label for m in group)
    return [
        replace(m, cluster=cluster_of[m.mention_id], label=label_of[cluster_of[m.mention_id]])
        for m in mentions
    ]


def apply_knowledge_base(mentions: list[Mention], kb: KnowledgeBase | None) -> list[Mention]:
    """Mentions whose name is a known alias or KB name take the label given there.

    A nationality (NORP) keeps its label unless the user's own knowledge base names it.
    """
    if kb is None:
        return mentions
    out = []
    for m in mentions:
        entry = kb.lookup(m.text)
        applies = entry is not None and (m.label != "NORP" or entry.source == "kb")
        out.append(replace(m, label=entry.label) if applies else m)
    return out


def _name_like(word: str, match_is_upper: bool) -> bool:
    """A neighbouring word that would make an occurrence part of a longer name."""
    if not word or not word[0].isupper():
        return False
    return not (word.isupper() and match_is_upper)  # all-caps headlines: every word is upper


def name_pattern_spans(keys: Sequence[str], text: str) -> Iterator[tuple[int, int]]:
    """Where any of `keys` occurs as a whole word, case-insensitively: one regex, left to right.

    At each place the first key in `keys` order that fits wins (so pass the longest first).
    """
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)", re.IGNORECASE)
    return (match.span() for match in pattern.finditer(text))


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches, for ASCII


def find_names(keys: Sequence[str], text: str) -> Iterator[tuple[int, int]]:
    """The spans `name_pattern_spans` gives, found in one pass over the text's words.

    Compiling one alternation of a document's names cost a fifth of the events stage, and
    searching the text once per name made long documents quadratic (their names grow with
    them). On ASCII text a case-insensitive match is a match in the lower-cased text, and a
    name that begins with a word character can only match where a word of the text equals
    its first word: so the text's words are read once, each looked up among the names'
    first words, and the regex's left-to-right, first-key-wins scan is replayed. Other text
    goes through the regex.
    """
    if not (text.isascii() and all(k.isascii() for k in keys)):
        yield from name_pattern_spans(keys, text)
        return
    lower = text.lower()
    by_first: dict[str, list[str]] = defaultdict(list)
    others: list[str] = []  # names that begin with a non-word character: rare, searched alone
    for key in keys:
        first = _WORD.match(key)
        (by_first[first.group()] if first else others).append(key)
    candidates = [
        (m.start(), by_first[m.group()]) for m in _WORD.finditer(lower) if m.group() in by_first
    ]
    candidates += [(at, others) for at in _occurrences(others, lower)]
    done = 0
    for start, tried in sorted(candidates, key=lambda c: c[0]):
        if start < done or (start > 0 and _word_char(lower[start - 1])):
            continue
        for key in tried:
            end = start + len(key)
            if lower.startswith(key, start) and not (end < len(lower) and _word_char(lower[end])):
                yield start, end
                done = end
                break


_WORD = re.compile(r"[a-z0-9_]+")
"""A run of word characters in lower-cased ASCII text (what \\w matches there)."""


def _occurrences(keys: Sequence[str], lower: str) -> set[int]:
    """Every place one of `keys` occurs in `lower` (a search per key: for the few odd keys)."""
    starts: set[int] = set()
    for key in keys:
        at = lower.find(key)
        while at != -1:
            starts.add(at)
            at = lower.find(key, at + 1)
    return starts


def propagated_names(mentions: list[Mention], text: str) -> dict[str, Mention]:
    """The names that may be propagated, case-folded, each with the mention it comes from.

    A name of three characters or more, with a letter, that the text never uses in lower
    case; the longest mention (then the first) of a name is its source.
    """
    by_key: dict[str, Mention] = {}
    words = set(re.findall(r"\b[a-z][a-z'’\-]*\b", text))  # lower-case words of the text
    for m in sorted(mentions, key=lambda m: (-len(m.text), m.start_char)):
        key = m.text.casefold()
        if len(key) >= 3 and any(c.isalpha() for c in key) and key not in words:
            by_key.setdefault(key, m)
    return by_key


def in_longer_name(text: str, start: int, end: int) -> bool:
    """Whether the name at `text[start:end]` is part of a longer one ("the Reading Railroad").

    A name-like word right before or after it says so.
    """
    upper = text[start:end].isupper()
    before = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    after = _WORD_AFTER.search(text[end : end + 40])
    return bool(
        (before and _name_like(before.group(1), upper))
        or (after and _name_like(after.group(1), upper))
    )


def propagate(
    mentions: list[Mention], text: str, doc_id: str, sentence_of: Callable[[int], str]
) -> list[Mention]:
    """New mentions where a found name recurs unlabelled (see the module docstring, step 5)."""
    taken = sorted((m.start_char, m.end_char) for m in mentions)
    starts = [s for s, _ in taken]
    by_key = propagated_names(mentions, text)
    if not by_key:
        return []
    added: list[Mention] = []
    for start, end in find_names(sorted(by_key, key=lambda k: (-len(k), k)), text):
        surface = text[start:end]
        position = bisect.bisect_right(starts, end - 1) - 1
        if not surface[0].isupper() or (position >= 0 and taken[position][1] > start):
            continue
        if in_longer_name(text, start, end):
            continue
        source = by_key[surface.casefold()]
        added.append(
            Mention(
                mention_id=ids.span_id("mention", doc_id, start, end),
                doc_id=doc_id,
                sentence_id=sentence_of(start),
                start_char=start,
                end_char=end,
                text=surface,
                model_label=None,
                label=source.label,
                name=display_name(surface),
                cluster=source.cluster,
                source="propagated",
            )
        )
    return added


def correct_document(
    spans: Sequence[dict],
    text: str,
    kb: KnowledgeBase | None = None,
    sentences: Sequence[dict] | None = None,
) -> tuple[list[Mention], Counter]:
    """One document's mentions after every correction (module docstring), sorted by offset.

    `spans` are the nlp stage's entity-span rows for the document; `sentences` its sentence
    rows (for the sentence id of new mentions; the first span's sentence otherwise).
    """
    if not spans:
        return [], Counter()
    doc_id = spans[0]["doc_id"]
    if sentences:
        ordered = sorted(sentences, key=lambda s: s["start_char"])
        starts = [s["start_char"] for s in ordered]

        def sentence_of(offset: int) -> str:
            return ordered[max(0, bisect.bisect_right(starts, offset) - 1)]["sentence_id"]
    else:

        def sentence_of(offset: int) -> str:
            return spans[0]["sentence_id"]

    spans, designated = designated_people(spans, text, sentence_of)
    mentions, counts = from_spans(spans, text, load_titles())
    counts["designated_people"] += designated
    mentions = resolve_document(apply_knowledge_base(mentions, kb))
    added = propagate(mentions, text, doc_id, sentence_of)
    counts["propagated"] += len(added)
    counts["relabelled"] += sum(m.label != m.model_label for m in mentions)
    return sorted(mentions + added, key=lambda m: (m.start_char, m.end_char)), counts
