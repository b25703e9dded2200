"""The report's first section: happenings the sources disagree on, then the most-told ones.

Kept apart from `report.py` (the rest of the page): a reader doing source criticism looks
here first, and the section reads only the summary's happenings.
"""

from __future__ import annotations

from html import escape

from pipeline.publish.summary import HappeningSummary, Summary


def _date(h: HappeningSummary) -> str:
    if h.date_start is None or h.date_end is None:
        return ""
    start, end = h.date_start.isoformat(), h.date_end.isoformat()
    return escape(start if start == end else f"{start} to {end}") + (
        f' <span class="muted">({escape(h.precision)})</span>' if h.precision else ""
    )


def _told(item: str, titles: dict[str, str]) -> str:
    """'1961-06: doc_a doc_b' with each document's title where the report lists it."""
    date, _, docs = item.partition(": ")
    named = [f"{escape(titles[d])} ({d})" if d in titles else d for d in docs.split()]
    return f"<b>{escape(date)}</b>: " + "; ".join(named)


def _table(
    rows: list[HappeningSummary], with_conflict: bool, titles: dict[str, str] | None = None
) -> str:
    head = (
        '<tr><th>happening</th><th>agreed date</th><th class="n">documents</th>'
        '<th class="n">events</th>'
        + ("<th>dates given, by document</th>" if with_conflict else "")
        + "</tr>"
    )
    body = "".join(
        f'<tr><td><b>{escape(h.trigger)}</b><br><span class="muted">{h.happening_id}</span>'
        f'</td><td>{_date(h)}</td><td class="n">{h.n_documents}</td>'
        f'<td class="n">{h.n_events}</td>'
        + (
            "<td>" + "<br>".join(_told(item, titles or {}) for item in h.date_conflict) + "</td>"
            if with_conflict
            else ""
        )
        + "</tr>"
        for h in rows
    )
    return f"<table><thead>{head}</thead><tbody>{body}</tbody></table>"


def happenings_section(summary: Summary) -> str:
    """Date conflicts first, then the happenings told by the most documents."""
    titles = {d.doc_id: d.title or d.path for d in summary.documents}
    conflicts = (
        f"<h3>Date conflicts ({summary.happenings_in_conflict})</h3>"
        '<p class="muted">Documents that tell one event with dates that cannot all be true '
        "(explicit dates at month or day precision that do not overlap). The agreed date is "
        "the one the most documents allow.</p>"
        + (_table(summary.conflicts, True, titles) if summary.conflicts else "<p>None.</p>")
    )
    told = f"<h3>Told by several documents ({summary.happenings_told_twice})</h3>" + (
        _table(summary.happenings, False) if summary.happenings else "<p>None.</p>"
    )
    return (
        '<section id="happenings"><h2>Happenings</h2><p class="muted">One real-world event '
        "told by one or more events (table <code>happenings</code>; rules: "
        "docs/happenings.md).</p>" + conflicts + told + "</section>"
    )
