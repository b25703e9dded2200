"""One document's events: its corrected mentions, then an event for each dated trigger.

Pure functions of the nlp stage's parse of a document (`pipeline.nlp.store`) and its rows of
the timexes table; the stage (`pipeline.events.stage`) reads those from the caches and saves
what comes out. For each document:

1. the model's entity spans become corrected mentions (`pipeline.events.mentions`);
2. each dated temporal expression gives its triggers and their clauses
   (`pipeline.events.triggers`), unless it sits in a section heading (it names a part of the
   text, "Western Front 1916-1917"; the tagger still let it set the narrative's clock) or in
   a publisher's notice at the end of the document (`pipeline.events.boilerplate`);
3. the main verbs of sentences with no date of their own become events dated by the story's
   clock or the publication date (`pipeline.events.basis`), each with its `date_basis`;
4. each event gets its modality and polarity (`pipeline.events.modality`) and its PLOVER type
   (`pipeline.events.event_types`);
5. its participants are the trigger's arguments, linked to mentions
   (`pipeline.events.arguments`).

A very long document is parsed in segments: each segment's Doc is handled on its own
(`segment_events`), with offsets shifted into the whole text.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, TypeVar

from spacy.tokens import Doc, Span, Token

from pipeline.core import ids
from pipeline.core.config import EventParams
from pipeline.events.arguments import Argument, arguments, text_of
from pipeline.events.basis import (
    Clock,
    clock_triggers,
    paragraph_starts,
    tells_aside,
    tells_the_present,
    with_sections,
)
from pipeline.events.boilerplate import Cues, boilerplate_start, load_cues
from pipeline.events.coref import Coref
from pipeline.events.event_types import Lexicon, load_lexicon
from pipeline.events.kb import KnowledgeBase
from pipeline.events.mentions import Mention, correct_document, load_titles
from pipeline.events.modality import modality_of
from pipeline.events.triggers import (
    clause_of,
    duration_dates_nothing,
    find_triggers,
    is_verb,
    load_event_nouns,
    same_time,
)
from schemas import TABLES
from schemas.vocabularies import PRECISIONS

NO_BASIS = "predicate_without_basis"
"""The key of `skipped` counting predicates of dateless sentences that found no date either."""


@dataclass(frozen=True)
class Resources:
    """The lexicons the events stage reads once: event nouns, event types, titles, cues."""

    event_nouns: frozenset[str]
    lexicon: Lexicon
    titles: frozenset[str]
    cues: Cues

    @classmethod
    def load(cls) -> Resources:
        """Read every lexicon from the events package's `lexicons/` folder."""
        return cls(load_event_nouns(), load_lexicon(), load_titles(), load_cues())


# --- events of one Doc ------------------------------------------------------------------------


def event_key(doc_id: str, trigger_start_char: int, timex_id: str | None, basis: str) -> str:
    """An event's id: its document, trigger and date (its timex, or its basis when none)."""
    return ids.make_id("event", doc_id, trigger_start_char, timex_id or basis)


def event_row(
    doc: Doc,
    doc_id: str,
    trigger: Token,
    span: Span,
    date: SimpleNamespace,
    dating: tuple[str, str],
    resources: Resources,
) -> dict:
    """One row of the events table: a trigger dated by a timex, typed and qualified.

    `date` has a timex's date fields (`pipeline.events.basis.publication` for the publication
    date); `dating` is the event's (date_basis, sentence_id).
    """
    start, end = clause_of(trigger, span)
    told = modality_of(trigger)
    typing = resources.lexicon.classify(trigger, told)
    basis, sentence_id = dating
    return {
        "event_id": event_key(doc_id, trigger.idx, date.timex_id, basis),
        "doc_id": doc_id,
        "sentence_id": sentence_id,
        "start_char": start,
        "end_char": end,
        "text": text_of(doc)[start:end],
        "trigger": trigger.lemma_.lower() if trigger.pos_ != "PROPN" else trigger.lemma_,
        "trigger_text": trigger.text,
        "trigger_start_char": trigger.idx,
        "trigger_end_char": trigger.idx + len(trigger.text),
        "trigger_pos": "VERB" if is_verb(trigger) else "NOUN",
        "timex_id": date.timex_id,
        "date_basis": basis,
        "date_start": date.date_start,
        "date_end": date.date_end,
        "year_start": date.year_start,
        "year_end": date.year_end,
        "precision": date.precision,
        "event_type": typing.plover if typing else None,
        "cameo_code": typing.cameo if typing and typing.plover else None,
        "modality": told.modality,
        "polarity": told.polarity,
    }


def datable(timex: SimpleNamespace, params: EventParams) -> bool:
    """Whether a timex can date an event: a type in `events.dated_types`, and an interval.

    An interval before 1 AD has years but no dates: it dates events too.
    """
    return timex.type in params.dated_types and timex.year_start is not None


def join_ranges(timexes: list[SimpleNamespace], skipped: Counter) -> list[SimpleNamespace]:
    """The timexes with each range ("between 1848 and 1851") made one, over its whole interval.

    The range keeps its first end's timex_id and start, and takes its last end's end, so the
    event it dates runs from 1848-01-01 to 1851-12-31, at the coarser of the ends' precisions;
    the dates are null if either end has none (before 1 AD). Its last end dates no event of
    its own (counted as `range_end`).
    """
    by_id = {t.timex_id: t for t in timexes}
    out = []
    for t in timexes:
        other = by_id.get(t.range_timex_id) if t.range_timex_id else None
        if other is None:
            out.append(t)
        elif t.range_role == "end":
            skipped["range_end"] += 1
        else:
            dated = t.date_start is not None and other.date_end is not None
            coarser = max(t.precision, other.precision, key=PRECISIONS.index)
            whole = {
                "end_char": other.end_char,
                "date_start": t.date_start if dated else None,
                "date_end": other.date_end if dated else None,
                "year_end": other.year_end,
                "precision": coarser,
            }
            out.append(SimpleNamespace(**{**vars(t), **whole}))
    return out


def timex_records(rows: Iterable[dict]) -> list[SimpleNamespace]:
    """Rows of the timexes table as records with attribute access.

    A missing value, in any of its spellings (None, NaN, NaT), becomes None.
    """
    return [
        SimpleNamespace(**{k: None if v is None or v != v else v for k, v in row.items()})
        for row in rows
    ]


def document_events(
    doc: Doc,
    doc_id: str,
    timexes: Iterable[SimpleNamespace],
    mentions: list[Mention],
    resources: Resources,
    params: EventParams,
    skipped: Counter,
    clock: Clock | None = None,
) -> Iterator[tuple[dict, list[dict]]]:
    """(event row, participant rows) for each dated expression of one document.

    `timexes` are the document's rows of the timexes table, as records (`timex_records`);
    `skipped` counts, by reason, the expressions that date no event. With a `clock`, the
    events of the sentences with no date follow (`clock_events`).
    """
    coref = Coref(doc, mentions, resources.titles)
    taken: set[int] = set()
    cut = boilerplate_start([(s.start_char, s.text) for s in doc.sents], resources.cues)
    found = dated_expressions(doc, timexes, cut, resources, params, skipped, clock)
    finer = finer_dates(found)
    joined = coordinated_dates(found, finer)
    for timex, span, triggers in found:
        if not triggers:
            skipped["no_predicate"] += 1
            continue
        for trigger in triggers:
            if (trigger.i, timex.timex_id) in finer:
                skipped["finer_date_of_same_trigger"] += 1
                continue
            date, where = timex, span
            if (trigger.i, timex.timex_id) in joined:
                whole = joined[trigger.i, timex.timex_id]
                if whole is None:
                    skipped["coordinated_date"] += 1
                    continue
                date, where = whole
            taken.add(trigger.i)
            event = event_row(
                doc, doc_id, trigger, where, date, ("explicit", date.sentence_id), resources
            )
            yield event, participant_rows(event, arguments(trigger, where, coref, params))
    if clock is not None:
        yield from clock_events(doc, doc_id, clock, cut, taken, coref, resources, params, skipped)


def dated_expressions(
    doc: Doc,
    timexes: Iterable[SimpleNamespace],
    cut: int | None,
    resources: Resources,
    params: EventParams,
    skipped: Counter,
    clock: Clock | None,
) -> list[tuple[SimpleNamespace, Span | None, list[Token]]]:
    """Each timex that may date an event, with its span and the predicates it dates.

    A word of another date is no predicate of this one (the "March" of "March 3 of that
    year"); predicates told at the same time as a dated one are added (`same_time`).
    """
    found = []
    for timex in timexes:
        if not datable(timex, params):
            skipped["no_interval_or_type"] += 1
            continue
        if cut is not None and timex.start_char >= cut:
            skipped["in_boilerplate"] += 1
            continue
        span = doc.char_span(timex.start_char, timex.end_char, alignment_mode="expand")
        triggers = find_triggers(span, resources.event_nouns) if span is not None else []
        if clock is not None and span is not None and tells_aside(span, triggers):
            clock.aside.add(timex.timex_id)
        if timex.type == "DURATION" and span is not None and duration_dates_nothing(span, triggers):
            triggers = []  # a stretch or a deadline, not a date
        found.append((timex, span, triggers))
    dated = {t.i for _, span, _ in found if span is not None for t in span}
    direct = {t.i for _, _, triggers in found for t in triggers}
    for n, (timex, span, triggers) in enumerate(found):
        if span is not None:
            others = dated - set(range(span.start, span.end))
            triggers = [t for t in triggers if t.i not in others]
            more = same_time(triggers, resources.event_nouns, others)
            found[n] = (timex, span, triggers + [t for t in more if t.i not in direct])
    return found


def _interval(timex: SimpleNamespace) -> tuple | None:
    """A timex's interval for containment: its dates, or its years before 1 AD (no dates)."""
    if timex.date_start is not None and timex.date_end is not None:
        return ("date", timex.date_start, timex.date_end)
    if timex.year_start is not None and timex.year_end is not None:
        return ("year", timex.year_start, timex.year_end)
    return None


def finer_dates(found: list[tuple[SimpleNamespace, Span | None, list[Token]]]) -> set:
    """(trigger index, timex_id) pairs whose date holds a finer date of the same trigger.

    "On March 3 of that year the assembly passed the law", "On 2 June 1712 the garrison, cut
    off since 1712, surrendered": one passing, one surrender. The year adds nothing to the day
    it holds, so the trigger is dated by the day alone, not once by each. Dates that do not
    hold one another ("at Tarvik on June 2 and at Omsel on July 9") stay apart.
    """
    by_trigger: dict[int, list[SimpleNamespace]] = {}
    for timex, _, triggers in found:
        for trigger in triggers:
            by_trigger.setdefault(trigger.i, []).append(timex)
    coarser = set()
    for i, timexes in by_trigger.items():
        for a in timexes:
            outer = _interval(a)
            for b in timexes:
                inner = _interval(b)
                if (
                    outer is not None
                    and inner is not None
                    and outer[0] == inner[0]
                    and outer != inner
                    and outer[1] <= inner[1]
                    and inner[2] <= outer[2]
                ):
                    coarser.add((i, a.timex_id))
    return coarser


def coordinated_dates(
    found: list[tuple[SimpleNamespace, Span | None, list[Token]]], finer: set
) -> dict[tuple[int, str], tuple[SimpleNamespace, Span] | None]:
    """Dates joined by "and" that run on one from the other, made one span for a trigger.

    "The feud smouldered in late 1850 and early 1851", "the siege went on in the winter of
    1850 and the spring of 1851": one stretch, from the first date's start to the last's end,
    not an event at each end. Dates with a gap between them ("on 3 May and 9 June") stay
    apart (`runs_on`): each may be a happening of its own. Maps (trigger index, timex_id)
    to the joined date and its span for the first date, to None for the others, which date
    nothing.
    """
    by_trigger: dict[int, list[tuple[SimpleNamespace, Span]]] = {}
    for timex, span, triggers in found:
        for trigger in triggers:
            if span is not None and (trigger.i, timex.timex_id) not in finer:
                by_trigger.setdefault(trigger.i, []).append((timex, span))
    joined: dict[tuple[int, str], tuple[SimpleNamespace, Span] | None] = {}
    for i, dates in by_trigger.items():
        dates.sort(key=lambda pair: pair[0].start_char)
        groups: list[list[tuple[SimpleNamespace, Span]]] = [dates[:1]]
        for pair in dates[1:]:
            last = groups[-1][-1]
            if runs_on(last, pair):
                groups[-1].append(pair)
            else:
                groups.append([pair])
        for group in (g for g in groups if len(g) > 1):
            (first, first_span), (last, last_span) = group[0], group[-1]
            whole = {
                "end_char": last.end_char,
                "date_end": last.date_end,
                "year_end": last.year_end,
                "precision": max((t.precision for t, _ in group), key=PRECISIONS.index),
            }
            doc = first_span.doc
            joined[i, first.timex_id] = (
                SimpleNamespace(**{**vars(first), **whole}),
                doc[first_span.start : last_span.end],
            )
            joined.update({(i, t.timex_id): None for t, _ in group[1:]})
    return joined


def runs_on(before: tuple[SimpleNamespace, Span], after: tuple[SimpleNamespace, Span]) -> bool:
    """Two dates joined by "and", the second starting the day after the first, at a told seam.

    "Late 1850 and early 1851", "the winter of 1850 and the spring of 1851". Bare years,
    months or days ("in 1850 and 1851") may each hold a happening of their own: they stay
    apart.
    """
    (a, a_span), (b, b_span) = before, after
    if a.date_end is None or b.date_start is None or a.date_start is None:
        return False
    if b_span.root not in a_span.root.conjuncts:
        return False
    if b.date_start != a.date_end + dt.timedelta(days=1):
        return False
    return a.mod == "END" or b.mod == "START" or a.precision == b.precision == "season"


def clock_events(
    doc: Doc,
    doc_id: str,
    clock: Clock,
    cut: int | None,
    taken: set[int],
    coref: Coref,
    resources: Resources,
    params: EventParams,
    skipped: Counter,
) -> Iterator[tuple[dict, list[dict]]]:
    """(event row, participant rows) for the events of sentences with no date of their own.

    Dated by the story's clock or the publication date (`pipeline.events.basis`); never in a
    heading, in a publisher's notice, or on a trigger an explicit date already took.
    `skipped` counts the predicates that found no date, as `NO_BASIS`.
    """
    for sent in doc.sents:
        if cut is not None and sent.start_char >= cut:
            break
        sentence = clock.sentence_at(sent.root.idx)
        if sentence["is_heading"] or clock.is_dated(sentence):
            continue
        for trigger in clock_triggers(sent, clock.tags()):
            if trigger.i in taken:
                continue
            found = clock.dating_at(trigger.idx)
            if found is None:
                skipped[NO_BASIS] += 1
                continue
            basis, date = found
            own = doc[trigger.i : trigger.i + 1]
            event = event_row(
                doc, doc_id, trigger, own, date, (basis, sentence["sentence_id"]), resources
            )
            yield event, participant_rows(event, arguments(trigger, own, coref, params))


def participant_rows(event: dict, found: Iterable[Argument]) -> list[dict]:
    """Rows of the interim arguments table for one event: its participants, before entity ids."""
    return [
        {
            "participant_id": ids.make_id(
                "participant", event["event_id"], a.role, a.start_char, a.end_char
            ),
            "event_id": event["event_id"],
            "doc_id": event["doc_id"],
            "role": a.role,
            "mention_id": a.mention_id,
            "start_char": a.start_char,
            "end_char": a.end_char,
            "text": a.text,
            "resolution": a.resolution,
        }
        for a in found
    ]


# --- segments of very long documents ----------------------------------------------------------


def _shift(row: dict, offset: int, *columns: str) -> dict:
    return {**row, **{c: row[c] + offset for c in columns}}


def segment_events(
    doc: Doc,
    offset: int,
    doc_id: str,
    timexes: list[SimpleNamespace],
    mentions: list[Mention],
    resources: Resources,
    params: EventParams,
    skipped: Counter,
    clock: Clock | None = None,
) -> Iterator[tuple[dict, list[dict]]]:
    """`document_events` on one segment of a long document, offsets into the whole text.

    The segment's Doc counts characters from its own start, so its timexes and mentions are
    shifted in, and the events and participants (and the ids hashed from their offsets)
    shifted back out. Pronouns do not reach back across a segment boundary.
    """
    end = offset + len(text_of(doc))
    local_timexes = [
        SimpleNamespace(
            **{**vars(t), "start_char": t.start_char - offset, "end_char": t.end_char - offset}
        )
        for t in timexes
        if offset <= t.start_char and t.end_char <= end
    ]
    local_mentions = [
        dataclasses.replace(m, start_char=m.start_char - offset, end_char=m.end_char - offset)
        for m in mentions
        if offset <= m.start_char and m.end_char <= end
    ]
    local_clock = dataclasses.replace(clock, offset=offset) if clock is not None else None
    for event, participants in document_events(
        doc, doc_id, local_timexes, local_mentions, resources, params, skipped, local_clock
    ):
        yield shifted_out(event, participants, offset)


def shifted_out(event: dict, participants: list[dict], offset: int) -> tuple[dict, list[dict]]:
    """An event and its participants found in a segment, as they are in the whole document.

    Offsets move by the segment's `offset`, and the ids hashed from them are made again.
    """
    event = _shift(
        event, offset, "start_char", "end_char", "trigger_start_char", "trigger_end_char"
    )
    event["event_id"] = event_key(
        event["doc_id"], event["trigger_start_char"], event["timex_id"], event["date_basis"]
    )
    rows = []
    for row in participants:
        row = _shift(row, offset, "start_char", "end_char")
        row["event_id"] = event["event_id"]
        row["participant_id"] = ids.make_id(
            "participant", event["event_id"], row["role"], row["start_char"], row["end_char"]
        )
        rows.append(row)
    return event, rows


# --- a whole document -------------------------------------------------------------------------


def _sorted(rows: list[dict], table: str) -> list[dict]:
    """Rows of one document in the table's order (its sort key after doc_id)."""
    keys = [k for k in TABLES[table].sort_by if k != "doc_id"]
    return sorted(rows, key=lambda r: tuple(r[k] for k in keys))


def document_mentions(
    segments: Iterable[dict], text: str, kb: KnowledgeBase | None, counts: Counter
) -> list[Mention]:
    """One document's corrected mentions (`pipeline.events.mentions.correct_document`).

    `segments` are the nlp stage's rows of each segment: of a sentence, mentions need only
    where it starts and its id. `counts` gains the corrections made.
    """
    sentences: list[dict] = []
    spans: list[dict] = []
    for data in segments:
        sentences += [
            {"sentence_id": row["sentence_id"], "start_char": row["start_char"]}
            for row in data["sentences"]
        ]
        spans += data["spans"]
    mentions, found = correct_document(spans, text, kb, sentences)
    counts.update(found)
    return mentions


def heading_sentences(segments: Iterable[dict]) -> set[str]:
    """Ids of the sentences that are section headings (`pipeline.nlp.headings`)."""
    return {
        row["sentence_id"] for data in segments for row in data["sentences"] if row["is_heading"]
    }


T = TypeVar("T", bound=Any)


def by_start(rows: list[T]) -> Callable[[int, int], list[T]]:
    """A function giving the rows that start within [start, end], in their order.

    A long document's segments each took the rows within them from all of its rows, which
    made the work grow with the square of its length; rows sorted by start (as the tables
    give them) are cut with a binary search instead. Unsorted rows are all given.
    """
    starts = [row.start_char for row in rows]
    if any(a > b for a, b in itertools.pairwise(starts)):
        return lambda start, end: rows
    return lambda start, end: rows[
        bisect.bisect_left(starts, start) : bisect.bisect_right(starts, end)
    ]


def dating_timexes(
    timexes: list[SimpleNamespace], headings: set[str], anchor_mode: str, skipped: Counter
) -> list[SimpleNamespace]:
    """The timexes that may date an event of their own sentence, ranges joined.

    A heading's date is structure, not an event's date (counted as `in_heading`). In a story
    "now" or "today" dates no event (`tells_the_present`: it repeats the clock or means the
    writer's present, "the now-isolated colony", "what is now termed"), counted as
    `present_in_story`.
    """
    skipped["in_heading"] += sum(t.sentence_id in headings for t in timexes)
    timexes = [t for t in timexes if t.sentence_id not in headings]
    if anchor_mode == "narrative":
        told = [t for t in timexes if not tells_the_present(t)]
        skipped["present_in_story"] += len(timexes) - len(told)
        timexes = told
    return join_ranges(timexes, skipped)


def extract_parsed(
    doc_id: str,
    text: str,
    segments: Iterable[dict],
    docs: Callable[[], Iterable[tuple[dict, Doc]]],
    timex_rows: list[dict],
    resources: Resources,
    kb: KnowledgeBase | None,
    params: EventParams,
    *,
    published: dt.date | None,
    anchor_mode: str,
) -> dict:
    """One document's corrected mentions, events and participants, and what was skipped.

    `segments` is the nlp stage's data for each segment of the document; `docs()` gives them
    again with their parsed Docs; `timex_rows` are its rows of the timexes table;
    `published` and `anchor_mode` are the document's (`documents`), for the events of
    sentences with no date (`pipeline.events.basis`). In a story "now" or "today" dates no
    event (`tells_the_present`: it repeats the clock or means the writer's present, "the
    now-isolated colony", "what is now termed"), counted as `present_in_story`.
    """
    counts: Counter = Counter()
    skipped: Counter = Counter()
    segments = list(segments)  # rows only (no Docs): read twice, for mentions and headings
    found = document_mentions(segments, text, kb, counts)
    timexes = [t for t in timex_records(timex_rows) if datable(t, params)]
    skipped["no_interval_or_type"] += len(timex_rows) - len(timexes)
    headings = heading_sentences(segments)
    clock = Clock(
        join_ranges(timexes, Counter()),
        with_sections(segments),
        paragraph_starts(text),
        anchor_mode,
        published,
    )
    timexes = dating_timexes(timexes, headings, anchor_mode, skipped)
    events: list[dict] = []
    participants: list[dict] = []
    if timexes or clock.can_date():  # else no Docs loaded
        in_timexes, in_found = by_start(timexes), by_start(found)
        for data, doc in docs():
            start, end = data["offset"], data["offset"] + len(text_of(doc))
            ts, ms = in_timexes(start, end), in_found(start, end)
            for event, rows in segment_events(
                doc, start, doc_id, ts, ms, resources, params, skipped, clock
            ):
                events.append(event)
                participants.extend(rows)
    return {
        "events": _sorted(events, "events"),
        "arguments": sorted(
            participants,
            key=lambda r: (r["event_id"], r["start_char"], r["role"], r["participant_id"]),
        ),
        "mentions": [dict(vars(m)) for m in found],  # shallow: fields are plain values
        "skipped": dict(skipped),
        "corrections": dict(counts),
    }
