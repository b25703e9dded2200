"""The grouping rules: which tellings are the same real-world event (docs/happenings.md).

An event (one telling) joins a happening already formed when all of these hold:

- **trigger:** its lemma is in the happening's family (`lexicons/families.csv`: "invasion"
  and "invade" are one family; a lemma not listed is a family of its own);
- **polarity:** both are told as positive, or both as denied ("no invasion" is not an invasion);
- **evidence**, one at least: the dates overlap (both at most `date_evidence_max_days` long: a
  decade tells no two events apart); a participant entity has the same role in both; or the
  context: the same document, or documents that name at least `min_shared_entities` of the
  same entities (the same story);
- **no contrary evidence:** the participants do not tell two acts apart (different agents,
  or one's agent the other's patient) unless a party other than a place is shared; and the
  dates do not exclude each other, unless all are at month precision or finer, less than
  `date_evidence_max_days` apart, and a participant is shared: then the sources disagree on
  the date of one event, and the happening keeps the disagreement (`date_conflict`).

Events are taken in a fixed order (earliest published report first, then document and
offset), and each joins the candidate with the strongest evidence (a shared participant,
then an explicit date, then any date, then the same lemma; ties: the oldest happening) or
starts a happening of its own. Within one document the same rules join the tellings of one
event. Candidates come from blocks, never from every pair: the happenings of the same family
in the same month or year of date, or sharing one of the event's entities (`Blocks`). Since
a happening never splits or merges with another, a document added later (published later)
only joins or starts the happenings of its blocks; the others keep their members and ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from pipeline.core import ids
from schemas.vocabularies import EVENT_TYPES, GROUPING_EVIDENCE, PRECISIONS, subset

FAMILIES = Path(__file__).parent / "lexicons" / "families.csv"

CONFLICT_PRECISIONS = frozenset(PRECISIONS[: PRECISIONS.index("month") + 1])
"""Precisions at which two dates that do not overlap cannot both be true of one event (a
year-precision date is too coarse for a writer's slip to show)."""

MONTH_LABELLED = subset(PRECISIONS, "month", "season", "quarter")
"""Precisions whose dates are written as months (1961-06, 1961-06/1961-08)."""

SLACK_DAYS = 1
"""Days this far apart agree: reports of one event differ by a day across time zones and
deadlines ("late on Tuesday" in Washington is Wednesday in Tokyo)."""

DAYS_PER_YEAR = 365.2425
LAST_DAY = dt.date.max.toordinal()


@cache
def load_families(path: Path = FAMILIES) -> dict[str, str]:
    """The lexicon: lemma -> family name (comment lines start with #)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["lemma"].strip().lower(): row["family"].strip().lower() for row in rows}


INFLECTIONS = ("s", "es", "d", "ed", "ing")
"""Endings a lemma may keep when the tagger took its word for a name ("Apple Unveils",
"Bombs Kill 12" in a headline): the stem is tried against the lexicon."""


def family_of(lemma: str, families: dict[str, str]) -> str:
    """The family a trigger lemma belongs to: the lexicon's, else the lemma itself.

    A lemma the lexicon lacks that is a lexicon entry plus an inflection ("unveils",
    "injured") takes that entry's family.
    """
    key = lemma.lower().replace(" ", "_")
    if key in families:
        return families[key]
    for ending in INFLECTIONS:
        stem = key.removesuffix(ending)
        if stem != key and stem in families:
            return families[stem]
    return key


def day_number(year: int, day: dt.date | None, end: bool) -> int:
    """A point on one axis for every date: the day's ordinal.

    Years outside the calendar (before 1 AD: years but no dates) count 365.2425 days a year.
    """
    if day is not None:
        return day.toordinal()
    if 1 <= year <= 9999:
        return (dt.date(year, 12, 31) if end else dt.date(year, 1, 1)).toordinal()
    return round((year - 1 + end) * DAYS_PER_YEAR) + (0 if end else 1)


@dataclass(frozen=True)
class Telling:
    """One row of the events table, as the rules see it."""

    event_id: str
    doc_id: str
    trigger: str
    family: str
    event_type: str | None
    polarity: str
    date_basis: str
    precision: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    year_start: int | None
    year_end: int | None
    published: dt.date | None
    trigger_start_char: int
    entities: frozenset[tuple[str, str]] = frozenset()
    """(role, entity_id) of its participants linked to an entity."""
    context: frozenset[str] = frozenset()
    """The entities its document names (mentions.entity_id)."""

    @property
    def span(self) -> tuple[int, int] | None:
        """The date interval as day numbers, or None when undated."""
        if self.year_start is None or self.year_end is None:
            return None
        return (
            day_number(self.year_start, self.date_start, False),
            day_number(self.year_end, self.date_end, True),
        )

    def order(self) -> tuple:
        """Processing order: earliest published report first (unpublished last), then by place."""
        return (
            self.published is None,
            self.published or dt.date.min,
            self.doc_id,
            self.trigger_start_char,
            self.event_id,
        )

    def ids_in(self, role: str) -> frozenset[str]:
        """The entities it has in one role."""
        return frozenset(e for r, e in self.entities if r == role)


def is_precise(event: Telling) -> bool:
    """Dated at month precision or finer: precise enough for two dates to conflict."""
    return event.precision in CONFLICT_PRECISIONS


def overlap(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """Two intervals share a day (undated overlaps nothing)."""
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def agree(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """Two dates of one event agree: they overlap, or are single days `SLACK_DAYS` apart."""
    if a is None or b is None:
        return False
    days = a[0] == a[1] and b[0] == b[1]
    return overlap(a, b) or (days and abs(a[0] - b[0]) <= SLACK_DAYS)


@dataclass
class Happening:
    """A happening being formed: its members and what the rules compare against."""

    family: str
    index: int
    members: list[Telling] = field(default_factory=list)
    evidence: list[tuple[str, ...]] = field(default_factory=list)
    spans: set[tuple[int, int]] = field(default_factory=set)
    """The members' distinct dates, as day numbers."""
    precise: bool = True
    """All its members are dated at month precision or finer."""
    lemmas: set[str] = field(default_factory=set)
    roles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    documents: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)
    """The entities named by the documents that tell it."""

    def add(self, event: Telling, evidence: tuple[str, ...]) -> None:
        """Take a member in, with the evidence that joined it."""
        self.members.append(event)
        self.evidence.append(evidence)
        if event.span is not None:
            self.spans.add(event.span)
        self.precise = self.precise and is_precise(event)
        self.lemmas.add(event.trigger)
        for role, entity in event.entities:
            self.roles[role].add(entity)
        if event.doc_id not in self.documents:
            self.documents.add(event.doc_id)
            self.context |= event.context

    @property
    def happening_id(self) -> str:
        """Hash of the family and the first telling's event id."""
        return ids.make_id("happening", self.family, self.members[0].event_id)


def shares_a_party(event: Telling, happening: Happening) -> bool:
    """Whether an entity other than a place has the same role in both.

    A place hosts many events; a shared agent, patient or other party outweighs a parse that
    found different agents ("X killed Y" and "Z killed Y" most often tell one killing).
    """
    return any(
        entity in happening.roles.get(role, ())
        for role, entity in event.entities
        if role != "location"
    )


def participants_differ(event: Telling, happening: Happening) -> bool:
    """Whether the participants tell two acts apart (who did it to whom).

    They do when both name agents and no agent is the same (two doers, two acts), or, with no
    agent in common, when one's agent is the other's patient. Patients alone do not: one act
    has many ("killed a man and his son", "the missiles and the bombers").
    """
    agents, patients = event.ids_in("agent"), event.ids_in("patient")
    their_agents = happening.roles.get("agent", set())
    their_patients = happening.roles.get("patient", set())
    if agents & their_agents:
        return False
    if agents and their_agents:
        return True
    return bool(agents & their_patients or patients & their_agents)


@dataclass(frozen=True)
class Settings:
    """The rules' two numbers (params.yaml, section `happenings`)."""

    date_evidence_max_days: int = 366
    """Dates longer than this (a decade, a century) overlap too much to join two events."""
    min_shared_entities: int = 2
    """Documents naming at least this many of the same entities tell the same story."""


def evidence_for(
    event: Telling, happening: Happening, settings: Settings = Settings()
) -> tuple[str, ...] | None:
    """The evidence that joins `event` to `happening`, or None when the rules keep it out."""
    if event.polarity != happening.members[0].polarity:
        return None
    shared = any(entity in happening.roles.get(role, ()) for role, entity in event.entities)
    if not shares_a_party(event, happening) and participants_differ(event, happening):
        return None
    by_date = dates_agree(event, happening, shared, settings.date_evidence_max_days)
    if by_date is None:
        return None
    context = event.doc_id in happening.documents or (
        len(event.context & happening.context) >= settings.min_shared_entities
    )
    if not (by_date or shared or context):
        return None
    found = {
        "trigger" if event.trigger in happening.lemmas else "family",
        *(["date"] if by_date else []),
        *(["participants"] if shared else []),
        *(["context"] if context else []),
    }
    return tuple(e for e in GROUPING_EVIDENCE if e in found)


def dates_agree(event: Telling, happening: Happening, shared: bool, max_days: int) -> bool | None:
    """True when the dates are evidence, False when they are none, None when they forbid.

    Dates overlapping one member's are evidence if both are at most `max_days` long. Dates
    excluding every member's forbid, unless all are at month precision or finer, less than
    `max_days` apart, and a participant is shared: then the sources disagree on the date of
    one event (the happening's `date_conflict`).
    """
    span = event.span
    dated = [s for s in happening.spans if agree(span, s)]
    if happening.spans and span is not None and not dated:
        if not (shared and happening.precise and is_precise(event)):
            return None
        if min(max(span[0] - s[1], s[0] - span[1]) for s in happening.spans) > max_days:
            return None
    datable = span is not None and span[1] - span[0] < max_days
    return datable and any(s[1] - s[0] < max_days for s in dated)


def strength(evidence: tuple[str, ...], event: Telling) -> tuple[int, ...]:
    """How strongly evidence ties an event to a candidate (compared in this order).

    A shared participant, then an explicit date, then any date, then the same lemma.
    """
    return (
        "participants" in evidence,
        "date" in evidence and event.date_basis == "explicit",
        "date" in evidence,
        "trigger" in evidence,
    )


MONTH_DAYS = 62
"""An interval at most this long is blocked by month; longer ones by year."""

YEAR_BLOCKS = 3
"""An interval over more years than this is blocked by decade; over more decades, `wide`."""


def year_of(day: int) -> int:
    """The year a day number falls in (before 1 AD, as `day_number` counts them)."""
    if 1 <= day <= LAST_DAY:
        return dt.date.fromordinal(day).year
    return math.floor((day - 1) / DAYS_PER_YEAR) + 1


SPANS_CACHED = 1 << 14
"""Distinct dates whose blocks are remembered: a corpus repeats its dates, and working out
the blocks of each event's date was a third of the time grouping took."""


@lru_cache(maxsize=SPANS_CACHED)
def date_keys(span: tuple[int, int] | None) -> tuple[tuple, ...]:
    """The date blocks an interval falls in: its months, years or decades, else `wide`."""
    if span is None:
        return (("undated",),)
    if span[1] - span[0] <= MONTH_DAYS and span[0] >= 1 and span[1] <= LAST_DAY:
        first, last = dt.date.fromordinal(span[0]), dt.date.fromordinal(span[1])
        months = range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
        return tuple(("month", m) for m in months)
    years = range(year_of(span[0]), year_of(span[1]) + 1)
    if len(years) <= YEAR_BLOCKS:
        return tuple(("year", y) for y in years)
    decades = range(years[0] // 10, years[-1] // 10 + 1)
    if len(decades) <= YEAR_BLOCKS:
        return tuple(("decade", d) for d in decades)
    return (("wide",),)


def entity_keys(span: tuple[int, int] | None) -> tuple[tuple, ...]:
    """The date blocks a happening is filed under beside each of its entities.

    Years rather than months (a shared participant joins dates up to a year apart); longer
    dates as `date_keys` files them.
    """
    own = date_keys(span)
    if own[0][0] == "month":
        return tuple(("year", y) for y in sorted({m // 12 for _, m in own}))
    return own


@lru_cache(maxsize=SPANS_CACHED)
def entity_lookup_keys(span: tuple[int, int] | None) -> tuple[tuple, ...]:
    """The entity blocks an event looks in: those of its date widened by a year each side.

    None for an undated event, which meets every happening of its family anyway.
    """
    if span is None:
        return ()
    widened = (span[0] - 366, span[1] + 366)
    return tuple(key for key in lookup_keys(widened) if key[0] != "month")


@lru_cache(maxsize=SPANS_CACHED)
def lookup_keys(span: tuple[int, int] | None) -> tuple[tuple, ...]:
    """The date blocks whose happenings an interval may overlap.

    Its own, and the blocks of coarser and finer intervals around it: the years and decades
    of a month, the months and decade of a year, the years and months of a decade, and
    `wide` and `undated`. An undated event looks in `any`, where every happening of its
    family is filed.
    """
    own = date_keys(span)
    kind = own[0][0]
    if kind == "undated":
        return (("any",),)  # an undated event may join any happening of its family
    if kind == "wide":
        return (*own, ("undated",))
    if kind == "month":
        years = sorted({m // 12 for _, m in own})
    elif kind == "year":
        years = [y for _, y in own]
    else:
        years = [y for _, d in own for y in range(d * 10, d * 10 + 10)]
    around = [("year", y) for y in years] + [
        ("decade", d) for d in sorted({y // 10 for y in years})
    ]
    around += [("month", y * 12 + m) for y in years for m in range(12)] if kind != "month" else []
    return tuple(dict.fromkeys([*own, *around, ("wide",), ("undated",)]))


@dataclass
class Blocks:
    """Happenings indexed by (family, date block) and (family, entity): the candidates."""

    by_key: dict[tuple, list[Happening]] = field(default_factory=lambda: defaultdict(list))
    indexed: set[tuple[int, tuple]] = field(default_factory=set)

    def candidates(self, event: Telling) -> list[Happening]:
        """Happenings an event may join, oldest first, each once."""
        keys = [(event.family, *k) for k in lookup_keys(event.span)]
        years = entity_lookup_keys(event.span)
        keys += [(event.family, "entity", e, *y) for _, e in sorted(event.entities) for y in years]
        found = {h.index: h for k in keys for h in self.by_key.get(k, ())}
        return [found[i] for i in sorted(found)]

    def index(self, happening: Happening, event: Telling) -> None:
        """File a happening under the blocks of its new member."""
        keys = [(happening.family, *k) for k in [*date_keys(event.span), ("any",)]]
        years = entity_keys(event.span)
        keys += [(happening.family, "entity", e, *y) for _, e in event.entities for y in years]
        for key in keys:
            if (happening.index, key) not in self.indexed:
                self.indexed.add((happening.index, key))
                self.by_key[key].append(happening)


def group(events: Iterable[Telling], settings: Settings = Settings()) -> list[Happening]:
    """Group the corpus's events into happenings (see the module's docstring)."""
    blocks = Blocks()
    happenings: list[Happening] = []
    for event in sorted(events, key=Telling.order):
        best: tuple[tuple[int, ...], Happening, tuple[str, ...]] | None = None
        for candidate in blocks.candidates(event):
            evidence = evidence_for(event, candidate, settings)
            if evidence is not None and (best is None or strength(evidence, event) > best[0]):
                best = (strength(evidence, event), candidate, evidence)
        if best is None:
            happening, evidence = Happening(event.family, len(happenings)), ()
            happenings.append(happening)
        else:
            _, happening, evidence = best
        happening.add(event, evidence)
        blocks.index(happening, event)
    return happenings


# --- a happening's row ------------------------------------------------------------------------


def date_label(event: Telling) -> str:
    """The event's date at its precision: 1962-10-22, 1962-10, 1962 (a range: a/b)."""
    if event.date_start is None or event.date_end is None:
        return (
            f"{event.year_start}"
            if event.year_start == event.year_end
            else (f"{event.year_start}/{event.year_end}")
        )
    if event.precision in MONTH_LABELLED:
        first, last = event.date_start.isoformat()[:7], event.date_end.isoformat()[:7]
    elif event.precision in CONFLICT_PRECISIONS:
        first, last = event.date_start.isoformat(), event.date_end.isoformat()
    else:
        first, last = str(event.date_start.year), str(event.date_end.year)
    return first if first == last else f"{first}/{last}"


def date_conflict(members: list[Telling]) -> list[str]:
    """The members' dates that cannot all be true, with the documents giving each; else empty.

    Only explicit dates at month precision or finer count: two such that do not overlap
    make every distinct one of them listed.
    """
    dated = [
        m
        for m in members
        if m.date_basis == "explicit" and m.precision in CONFLICT_PRECISIONS and m.span
    ]
    clash = any(not agree(a.span, b.span) for i, a in enumerate(dated) for b in dated[i + 1 :])
    if not clash:
        return []
    by_date: dict[tuple, set[str]] = defaultdict(set)
    for m in dated:
        by_date[(m.span, date_label(m))].add(m.doc_id)
    return [f"{label}: {' '.join(sorted(docs))}" for (_, label), docs in sorted(by_date.items())]


def agreed(members: list[Telling]) -> Telling | None:
    """The member whose date stands for the happening.

    Among the explicit members (else all), the one whose date overlaps the dates of the most
    documents; ties: the narrowest date, then the earliest.
    """
    dated = [m for m in members if m.span is not None]
    explicit = [m for m in dated if m.date_basis == "explicit"]
    pool = explicit or dated
    if not pool:
        return None

    def support(m: Telling) -> tuple:
        docs = {o.doc_id for o in pool if overlap(m.span, o.span)}
        return (-len(docs), m.span[1] - m.span[0], m.span, m.order())  # type: ignore[index]

    return min(pool, key=support)


def majority_type(members: list[Telling]) -> str | None:
    """The PLOVER type most members have; ties go to the vocabulary's order."""
    counts = Counter(m.event_type for m in members if m.event_type is not None)
    if not counts:
        return None
    return min(counts, key=lambda t: (-counts[t], EVENT_TYPES.index(t)))


def happening_row(happening: Happening) -> dict:
    """One row of the happenings table."""
    members = happening.members
    date = agreed(members)
    published = sorted({m.published for m in members if m.published is not None})
    roles = happening.roles
    return {
        "happening_id": happening.happening_id,
        "trigger": happening.family,
        "event_type": majority_type(members),
        "date_start": date.date_start if date else None,
        "date_end": date.date_end if date else None,
        "year_start": date.year_start if date else None,
        "year_end": date.year_end if date else None,
        "precision": date.precision if date else None,
        "agent_ids": sorted(roles.get("agent", ())),
        "patient_ids": sorted(roles.get("patient", ())),
        "location_ids": sorted(roles.get("location", ())),
        "other_ids": sorted(roles.get("other", ())),
        "n_events": len(members),
        "n_documents": len({m.doc_id for m in members}),
        "first_published": published[0] if published else None,
        "last_published": published[-1] if published else None,
        "date_conflict": date_conflict(members),
    }


def memberships(happenings: Iterable[Happening]) -> Iterator[tuple[str, str, list[str]]]:
    """(event_id, happening_id, grouped_by) of every member."""
    for happening in happenings:
        for member, evidence in zip(happening.members, happening.evidence, strict=True):
            yield member.event_id, happening.happening_id, list(evidence)
