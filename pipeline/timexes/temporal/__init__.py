"""Chronicle temporal tagger: find and normalise time expressions (TimeML TIMEX3).

Rule-based and deterministic. `tag()` returns `Timex` records with a TimeML
value, a calendar interval, its precision, an EDTF rendering and which
reference time (document date or narrative) a relative expression used.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace

from pipeline.timexes.temporal import engine
from pipeline.timexes.temporal.anchor import Anchors
from pipeline.timexes.temporal.model import Timex, Token
from pipeline.timexes.temporal.normalise import Ref
from pipeline.timexes.temporal.values import edtf, interval, is_valid_value, precision_of
from schemas.vocabularies import ANCHOR_MODES

__all__ = [
    "Timex",
    "Token",
    "edtf",
    "interval",
    "is_valid_value",
    "normalise",
    "precision_of",
    "tag",
    "tag_segments",
]


def tag(
    text: str,
    *,
    dct: dt.date | None = None,
    mode: str = "news",
    tokens: Sequence[Token] | None = None,
    candidate_spans: Sequence[tuple[int, int]] = (),
) -> list[Timex]:
    """Find and normalise temporal expressions in `text`, sorted by start, non-overlapping.

    mode="news": relative expressions resolve against `dct`; anaphoric ones
    ("the following year") against the last date mentioned. Without a dct,
    resolution falls back to the narrative reference.
    mode="narrative": relative expressions resolve against the most recent
    absolute date before them (at its precision), falling back to `dct`.
    `tokens` are optional POS hints; `candidate_spans` are extra spans (e.g. spaCy
    DATE/TIME entities) kept when they do not overlap a rule match and normalise.
    Never raises; pure and deterministic.
    """
    if not isinstance(text, str) or not text:
        return []
    if isinstance(dct, dt.datetime):
        dct = dct.date()
    if mode not in ANCHOR_MODES:
        mode = "news"
    try:
        return engine.run(text, dct, mode, tokens, candidate_spans)
    except Exception as err:  # a rule bug must not take the pipeline down, nor pass unseen
        logging.getLogger("chronicle.temporal").warning(
            "temporal tagger failed on a %d-character text: %r", len(text), err
        )
        return []


def tag_segments(
    segments: Iterable[tuple[int, str, Sequence[Token] | None, Sequence[tuple[int, int]]]],
    *,
    dct: dt.date | None = None,
    mode: str = "news",
) -> list[Timex]:
    """Tag a long document cut into segments, as if it were tagged whole.

    Each segment is (offset, text, tokens, candidate_spans) with offsets local to the segment;
    the returned timexes have offsets into the whole document. The running reference times
    (the narrative's last date) carry over from one segment to the next.
    """
    if mode not in ANCHOR_MODES:
        mode = "news"
    anchors = Anchors(Ref.from_date(dct) if dct else None)
    found: list[Timex] = []
    for offset, text, tokens, spans in segments:
        try:
            tagged = engine.run(text, dct, mode, tokens, spans, anchors=anchors)
        except Exception as err:  # as in tag(): never fatal, never unseen
            logging.getLogger("chronicle.temporal").warning(
                "temporal tagger failed on a segment at %d: %r", offset, err
            )
            continue
        found += [replace(t, start=t.start + offset, end=t.end + offset) for t in tagged]
    return found


def normalise(expression: str, *, reference: str | None = None) -> Timex | None:
    """Normalise one expression on its own against a TimeML `reference` value ("2013-03-22").

    Returns the longest timex found in `expression`, or None. Handy in tests and notebooks.
    """
    ref = Ref.from_value(reference) if reference else None
    dct = ref.date if ref is not None and ref.precision == "day" else None
    mode = "news" if dct is not None else "narrative"
    if ref is not None and dct is None:
        expression_pad = f"{reference}: "
        found = tag(expression_pad + expression, dct=None, mode=mode)
        found = [t for t in found if t.start >= len(expression_pad)]
        return max(found, key=lambda t: t.end - t.start, default=None)
    found = tag(expression, dct=dct, mode=mode)
    return max(found, key=lambda t: t.end - t.start, default=None)
