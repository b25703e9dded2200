"""A look before reading: `outputs/report.html`, one self-contained page, and the timeline SVG.

The page has no script and loads nothing: styles and the SVG timeline are inline, and a
Content-Security-Policy forbids every fetch and script. Every value that comes from the data
(titles, paths, names, reject details) goes through `esc`, so a document containing `<script>`
shows as text. The output depends only on its inputs (no clock), so re-runs are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.publish.contract import contract_fingerprint
from pipeline.publish.dataset import DATASET_TITLE, DATASET_VERSION
from pipeline.publish.provenance import Provenance
from pipeline.publish.report_happenings import happenings_section
from pipeline.publish.summary import DocumentSummary, Interval, Summary
from schemas import TABLES
from schemas.fields import PRECISIONS
from schemas.vocabularies import DATE_BASES

PRECISION_COLOURS = dict(
    zip(
        PRECISIONS,
        (
            "#7f3b08",
            "#b35806",
            "#e08214",
            "#d7301f",
            "#ef6548",
            "#1d91c0",
            "#41b6c4",
            "#7fcdbb",
            "#225ea8",
            "#6a51a3",
            "#807dba",
            "#9e9ac8",
        ),
        strict=True,
    )
)
"""One colour per precision lane, in the order of PRECISIONS (finest warm, coarsest cool)."""

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
"""No script, no fetch, no external anything: the page must work offline and cannot run data."""

YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000)
MONTH_STEPS = (1, 2, 3, 6)
MAX_TICKS = 10
AXIS_HEIGHT = 34
"""Pixels under the lanes for the tick labels."""


def esc(value: object) -> str:
    """Text from the data, escaped for HTML (and SVG); None shows as a dash."""
    return "—" if value is None else html.escape(str(value), quote=True)


def _num(value: float) -> str:
    """Coordinates with one decimal: stable text, byte-identical across runs."""
    return f"{value:.1f}"


# --- the timeline ---------------------------------------------------------------------------


def _domain(intervals: Iterable[Interval]) -> tuple[int, int]:
    """Ordinal days [lo, hi) covering every interval, at least a year wide, with a margin."""
    items = list(intervals)
    lo = min(start.toordinal() for start, _, _ in items)
    hi = max(end.toordinal() for _, end, _ in items) + 1
    if hi - lo < 366:
        middle = (lo + hi) // 2
        lo, hi = middle - 183, middle + 183
    margin = max(1, (hi - lo) // 50)
    return max(1, lo - margin), min(dt.date.max.toordinal(), hi + margin)


def _ticks(lo: int, hi: int) -> list[tuple[int, str]]:
    """(ordinal day, label) of axis ticks: years, or months for a short span."""
    first, last = dt.date.fromordinal(lo), dt.date.fromordinal(hi)
    span_years = last.year - first.year
    if span_years <= 2:
        months = (last.year - first.year) * 12 + last.month - first.month
        step = next((s for s in MONTH_STEPS if months / s <= MAX_TICKS * 1.2), 12)
        ticks, year, month = [], first.year, first.month
        while (year, month) <= (last.year, last.month):
            day = dt.date(year, month, 1)
            if lo <= day.toordinal() <= hi and (month - 1) % step == 0:
                ticks.append((day.toordinal(), day.strftime("%Y-%m")))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return ticks
    step = next((s for s in YEAR_STEPS if span_years / s <= MAX_TICKS), YEAR_STEPS[-1])
    start = -(-first.year // step) * step  # the first multiple of step from first.year
    years = range(max(start, 1), min(last.year, dt.MAXYEAR) + 1, step)
    return [
        (dt.date(year, 1, 1).toordinal(), str(year))
        for year in years
        if lo <= dt.date(year, 1, 1).toordinal() <= hi
    ]


OUTLIER_SHARE = 0.01
"""At most this share of events, the earliest and the latest, may be left off the timeline so
that a few stray dates (a year 1 or 2099 from a misread number) do not squash the rest."""


def split_outliers(
    intervals: Counter[Interval], share: float = OUTLIER_SHARE
) -> tuple[Counter[Interval], Counter[Interval]]:
    """(drawn, left off): the earliest and latest intervals holding at most `share` of events."""
    limit = sum(intervals.values()) * share
    earliest_first = sorted(intervals.items())
    latest_first = sorted(
        intervals.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2]), reverse=True
    )
    outside: Counter[Interval] = Counter()
    for ranked in (earliest_first, latest_first):
        dropped = 0
        for key, n in ranked:
            if key in outside:
                continue
            if dropped + n > limit:
                break
            outside[key] = n
            dropped += n
    drawn = Counter({k: n for k, n in intervals.items() if k not in outside})
    return drawn, outside


CLOSEUP_SHARES = (0.8, 0.5)
"""Shares of the events a close-up must hold, tried in turn. Most of a corpus in one short
stretch gets a close-up of 80% of its events; a corpus spanning centuries with a crowded
decade (a war's history with a long background) gets one of the half in that decade."""


def densest_stretch(intervals: Counter[Interval], share: float) -> tuple[dt.date, dt.date]:
    """The shortest stretch of start dates holding at least `share` of the events.

    Of several stretches as short, the earliest: the SVG must not depend on ties.
    """
    counts = _starts(intervals)
    starts = sorted(counts)
    need = share * sum(intervals.values())
    best: tuple[int, dt.date, dt.date] | None = None
    held, right = 0, 0
    for first in starts:
        while held < need and right < len(starts):
            held += counts[starts[right]]
            right += 1
        if held < need:
            break
        last = starts[right - 1]
        if best is None or (last - first).days < best[0]:
            best = ((last - first).days, first, last)
        held -= counts[first]
    assert best is not None  # share <= 1: the whole range holds every event
    return best[1], best[2]


def _starts(intervals: Counter[Interval]) -> Counter[dt.date]:
    """Events by start date."""
    counts: Counter[dt.date] = Counter()
    for (start, _, _), n in intervals.items():
        counts[start] += n
    return counts


def closeup(
    intervals: Counter[Interval], ratio: int = 8
) -> tuple[Counter[Interval], dt.date, dt.date] | None:
    """The busiest stretch of the timeline, when it is much narrower than the whole.

    The shortest stretch holding 80% of the events, or else 50% (`CLOSEUP_SHARES`), if it is
    at most 1/`ratio` of the drawn range; None when no such stretch is (no close-up needed)
    or there are too few events for the shares to mean much.
    """
    if sum(intervals.values()) < 20:
        return None
    lo, hi = _domain(split_outliers(intervals)[0])
    for share in CLOSEUP_SHARES:
        first, last = densest_stretch(intervals, share)
        if (last.toordinal() - first.toordinal() + 1) * ratio <= hi - lo:
            inside = Counter({k: n for k, n in intervals.items() if first <= k[0] and k[1] <= last})
            return inside, first, last
    return None


@dataclass(frozen=True)
class Axes:
    """Where the timeline's lanes and days fall in the SVG, in pixels."""

    width: int
    lanes: tuple[str, ...]
    lo: int
    hi: int
    left: int = 110
    right: int = 20
    top: int = 10
    lane_height: int = 34

    @property
    def scale(self) -> float:
        """Pixels per day."""
        return (self.width - self.left - self.right) / (self.hi - self.lo)

    @property
    def base(self) -> int:
        """Height of the time axis, under the last lane."""
        return self.top + self.lane_height * len(self.lanes)

    def x(self, ordinal: int) -> float:
        """Horizontal position of the start of a day."""
        return self.left + (ordinal - self.lo) * self.scale


def _empty_timeline(width: int) -> str:
    """The timeline of a release without dated events: a line of text saying so."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'width="{width}" height="40" viewBox="0 0 {width} 40">'
        '<title>No dated events</title><text x="10" y="24">No dated events.</text></svg>'
    )


def _lanes(axes: Axes, intervals: Counter[Interval]) -> list[str]:
    """A lane per precision, shaded every other one, labelled with its number of events."""
    per_lane: Counter[str] = Counter()
    for (_, _, precision), n in intervals.items():
        per_lane[precision] += n
    parts = []
    for i, precision in enumerate(axes.lanes):
        y = axes.top + i * axes.lane_height
        parts.append(
            f'<rect x="{axes.left}" y="{y}" width="{axes.width - axes.left - axes.right}" '
            f'height="{axes.lane_height}" fill="{"#f6f6f6" if i % 2 else "#ffffff"}"/>'
        )
        parts.append(
            f'<text x="{axes.left - 8}" y="{_num(y + axes.lane_height / 2 + 4)}" '
            f'text-anchor="end">{esc(precision)} ({per_lane[precision]})</text>'
        )
    return parts


def _ticks_drawn(axes: Axes) -> list[str]:
    """A vertical grid line and a label for each tick of the time axis."""
    parts = []
    for ordinal, label in _ticks(axes.lo, axes.hi):
        tx = _num(axes.x(ordinal))
        parts.append(
            f'<line x1="{tx}" x2="{tx}" y1="{axes.top}" y2="{axes.base + 4}" stroke="#d0d0d0"/>'
        )
        parts.append(
            f'<text x="{tx}" y="{axes.base + 18}" text-anchor="middle">{esc(label)}</text>'
        )
    return parts


def _bars_drawn(axes: Axes, intervals: Counter[Interval]) -> list[str]:
    """A bar per distinct interval, in its precision's lane, taller when more events share it."""
    most = max(intervals.values())
    parts = []
    for (start, end, precision), n in sorted(
        intervals.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])
    ):
        lane = axes.lanes.index(precision)
        bar = (axes.lane_height - 8) * (0.35 + 0.65 * n / most)
        y = axes.top + lane * axes.lane_height + (axes.lane_height - bar) / 2
        x0 = axes.x(start.toordinal())
        w = max(2.0, axes.x(end.toordinal() + 1) - x0)
        span = start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"
        parts.append(
            f'<rect class="mark" data-precision="{esc(precision)}" data-count="{n}" '
            f'x="{_num(x0)}" y="{_num(y)}" width="{_num(w)}" height="{_num(bar)}" '
            f'fill="{PRECISION_COLOURS[precision]}" fill-opacity="0.7">'
            f"<title>{esc(span)} ({esc(precision)}): {n} event(s)</title></rect>"
        )
    return parts


def _outside_note(axes: Axes, outside: Counter[Interval], height: int) -> list[str]:
    """Under the axis, how many events were left off and between which dates."""
    if not outside:
        return []
    first = min(start for start, _, _ in outside).isoformat()
    last = max(end for _, end, _ in outside).isoformat()
    return [
        f'<text class="outside" x="{axes.left}" y="{height - 6}" fill="#555555">'
        f"Not drawn: {sum(outside.values())} event(s) dated outside this range, "
        f"between {esc(first)} and {esc(last)}.</text>"
    ]


def timeline_svg(intervals: Counter[Interval], width: int = 960, trim: bool = True) -> str:
    """Events drawn on a time axis: one lane per precision, one bar per distinct interval.

    A bar spans the interval's days (at least 2 px); its height grows with the number of
    events dated by that interval, which its tooltip states. The earliest and latest 1% of
    events may be left off (`split_outliers`); a note under the axis says how many and when.
    """
    intervals, outside = split_outliers(intervals) if trim else (intervals, Counter())
    lanes = tuple(p for p in PRECISIONS if any(q == p for _, _, q in intervals))
    if not lanes:
        return _empty_timeline(width)
    axes = Axes(width, lanes, *_domain(intervals))
    height = axes.base + AXIS_HEIGHT + (20 if outside else 0)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="sans-serif" font-size="12">',
            f"<title>Timeline of {sum(intervals.values())} dated events by precision</title>",
            f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
            *_lanes(axes, intervals),
            *_ticks_drawn(axes),
            *_bars_drawn(axes, intervals),
            f'<line x1="{axes.left}" x2="{width - axes.right}" y1="{axes.base}" '
            f'y2="{axes.base}" stroke="#333333"/>',
            *_outside_note(axes, outside, height),
            "</svg>",
        ]
    )


# --- the page -------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222;
       padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #eee; padding: 0.25rem 0.6rem; text-align: left;
         vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { background: #1d91c0; height: 0.8rem; display: inline-block; vertical-align: middle; }
.muted { color: #666; font-size: 0.85rem; }
.warn { color: #a40; }
.cards { display: flex; flex-wrap: wrap; gap: 0.6rem; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 0.4rem 0.8rem; min-width: 6rem; }
.card b { display: block; font-size: 1.3rem; }
code { background: #f3f3f3; padding: 0 0.2rem; }
svg.timeline { max-width: 100%; height: auto; }
section { overflow-x: auto; }
"""


def _bars(rows: list[tuple[str, int]], caption: str) -> str:
    """A two-column table of counts with proportional bars."""
    if not rows:
        return f'<p class="muted">No {esc(caption)}.</p>'
    most = max(n for _, n in rows) or 1
    body = "".join(
        f'<tr><td>{esc(label)}</td><td class="n">{n}</td><td><span class="bar" '
        f'style="width:{_num(240 * n / most)}px"></span></td></tr>'
        for label, n in rows
    )
    return (
        f'<table><thead><tr><th>{esc(caption)}</th><th class="n">rows</th><th></th></tr>'
        f"</thead><tbody>{body}</tbody></table>"
    )


def _overview(summary: Summary, provenance: Provenance) -> str:
    cards = "".join(
        f'<div class="card"><b>{summary.rows[name]}</b>{esc(name)}</div>' for name in TABLES
    )
    span = summary.date_range
    dated = (
        f"Dated events run from {esc(span[0].isoformat())} to {esc(span[1].isoformat())}."
        if span
        else "No event is dated."
    )
    late = sum(after_publication(d) for d in summary.documents)
    if late:
        dated += (
            f' <span class="warn">{late} of the documents listed have events dated after their '
            "publication date, so the span may end too late: a plan, a forecast or a misread "
            "date (marked under Documents).</span>"
        )
    inputs = esc(provenance.inputs_sha256[:12]) or "none"
    models = ", ".join(esc(m) for m in provenance.models) or "none"
    return (
        f'<section id="overview"><div class="cards">{cards}</div><p>{dated}</p>'
        f'<p class="muted">Dataset version {esc(DATASET_VERSION)} (contract '
        f"<code>{esc(contract_fingerprint())}</code>), pipeline "
        f"{esc(provenance.pipeline_version)}, model {models}, raw inputs digest {inputs}. "
        'Column meanings: <a href="DATA_DICTIONARY.md">DATA_DICTIONARY.md</a>; licences, '
        'provenance and citation: <a href="README.md">README.md</a>.</p></section>'
    )


def _timeline(summary: Summary) -> str:
    precision = [(p, n) for p, n in summary.counts("events", "precision").items()]
    precision.sort(key=lambda pn: PRECISIONS.index(pn[0]) if pn[0] in PRECISIONS else 99)
    return (
        '<section id="timeline"><h2>Timeline of events</h2><p class="muted">One lane per '
        "precision of the date; a bar covers the days its date denotes (a month, a year...) "
        "and is taller when more events share it. Hover a bar for its dates and count.</p>"
        f"{timeline_svg(summary.intervals)}"
        f"{_bars(precision, 'precision')}</section>{_closeup(summary)}"
    )


def _closeup(summary: Summary) -> str:
    found = closeup(summary.intervals)
    if found is None:
        return ""
    inside, first, last = found
    return (
        '<section id="timeline-closeup"><h2>Close-up of the busiest stretch</h2>'
        f'<p class="muted">{sum(inside.values())} events dated within {esc(first)} to '
        f"{esc(last)}, where most of the events are.</p>"
        f"{timeline_svg(inside, trim=False)}</section>"
    )


def _entities(summary: Summary) -> str:
    if not summary.entities:
        return '<section id="entities"><h2>Most-mentioned entities</h2><p>None.</p></section>'
    most = summary.entities[0].n_mentions or 1
    rows = "".join(
        f'<tr><td>{esc(e.name)}</td><td>{esc(e.label)}</td><td class="n">{e.n_mentions}</td>'
        f'<td><span class="bar" style="width:{_num(200 * e.n_mentions / most)}px"></span></td>'
        f'<td class="n">{e.n_documents}</td><td class="muted">'
        f"{esc('; '.join(e.aliases[:6]) + (' …' if len(e.aliases) > 6 else ''))}</td></tr>"
        for e in summary.entities
    )
    return (
        '<section id="entities"><h2>Most-mentioned entities</h2><table><thead><tr>'
        '<th>entity</th><th>label</th><th class="n">mentions</th><th></th>'
        '<th class="n">documents</th><th>written as</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f"{_bars(list(summary.counts('entities', 'label').items()), 'entity label')}"
        "</section>"
    )


def after_publication(document: DocumentSummary) -> bool:
    """Whether a document's dated events run past its publication date.

    A text cannot report what happened after it was published: such a date is a plan, a
    forecast or a misreading, and the report flags it rather than state it as a span.
    """
    return (
        document.published is not None
        and document.last_date is not None
        and document.last_date > document.published
    )


def _dated_span(document: DocumentSummary) -> str:
    """The days a document's events cover, flagged when they end after its publication."""
    span = esc(
        f"{document.first_date.isoformat()} to {document.last_date.isoformat()}"
        if document.first_date and document.last_date
        else None
    )
    if after_publication(document):
        span += ' <span class="warn">(ends after its publication date)</span>'
    return span


def _documents(summary: Summary) -> str:
    shown = summary.documents
    total = summary.rows["documents"]
    note = (
        f'<p class="muted">Showing the first {len(shown)} of {total} documents by path '
        "(params <code>publish.report_max_documents</code>).</p>"
        if len(shown) < total
        else ""
    )
    rows = []
    for d in shown:
        cells = [
            f'<b>{esc(d.title)}</b><br><span class="muted">{esc(d.path)}</span>',
            esc(d.published.isoformat() if d.published else None),
            esc(d.licence),
        ]
        numbers = [d.n_chars, d.n_sentences] + [
            d.counts[t] for t in ("mentions", "timexes", "events", "participants")
        ]
        rows.append(
            "<tr>"
            + "".join(f"<td>{c}</td>" for c in cells)
            + "".join(f'<td class="n">{n}</td>' for n in numbers)
            + f"<td>{_dated_span(d)}</td></tr>"
        )
    head = (
        '<tr><th>document</th><th>published</th><th>licence</th><th class="n">chars</th>'
        '<th class="n">sentences</th><th class="n">mentions</th><th class="n">timexes</th>'
        '<th class="n">events</th><th class="n">participants</th><th>events dated</th></tr>'
    )
    return (
        f'<section id="documents"><h2>Documents</h2>{note}<table><thead>{head}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _events_per_type(summary: Summary) -> str:
    types = list(summary.counts("events", "event_type", null="(not typed)").items())
    return f'<section id="event-types"><h2>Events per type</h2>{_bars(types, "type")}</section>'


def _events_per_basis(summary: Summary) -> str:
    """precision@basis: how many events each date basis gave, in the vocabulary's order.

    The scorer's precision per basis is in docs/quality.md, not here: the page is made from
    the published tables alone, so the same tables give the same page.
    """
    counts = summary.counts("events", "date_basis")
    rows = [(basis, counts.get(basis, 0)) for basis in DATE_BASES]
    note = (
        "<p class=\"muted\">explicit: a date in the event's clause; narrative: the story's "
        "clock (from the last date told before it to the next date told); document: the "
        "publication date. Precision "
        "per basis on TimeML gold: docs/quality.md.</p>"
    )
    return (
        '<section id="precision-at-basis"><h2>Events per date basis</h2>'
        f"{_bars(rows if any(n for _, n in rows) else [], 'date basis')}{note}</section>"
    )


def _rejects(summary: Summary) -> str:
    total = summary.rows["rejects"]
    if not total:
        return (
            '<section id="rejects"><h2>Rejected files</h2><p>No input file was rejected.'
            "</p></section>"
        )
    rows = "".join(
        f"<tr><td>{esc(path)}</td><td>{esc(reason)}</td><td>{esc(detail)}</td></tr>"
        for path, reason, detail in summary.rejects
    )
    note = (
        f'<p class="muted">Showing the first {len(summary.rejects)} of {total} by path.</p>'
        if len(summary.rejects) < total
        else ""
    )
    return (
        f'<section id="rejects"><h2>Rejected files</h2>'
        f"{_bars(list(summary.counts('rejects', 'reason').items()), 'reason')}{note}"
        "<table><thead><tr><th>path</th><th>reason</th><th>detail</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def render(summary: Summary, provenance: Provenance) -> str:
    """The whole report page as one HTML string (no scripts, no external resources)."""
    body = "".join(
        [
            _overview(summary, provenance),
            happenings_section(summary),
            _timeline(summary),
            _entities(summary),
            _events_per_type(summary),
            _events_per_basis(summary),
            _documents(summary),
            _rejects(summary),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(DATASET_TITLE)}: report</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{esc(DATASET_TITLE)}</h1>\n{body}\n</body>\n</html>\n"
    )
