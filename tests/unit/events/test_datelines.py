"""A news dateline, taken out by the real ingest, is no argument of the first event."""

import datetime as dt

from pipeline.core.config import IngestParams
from pipeline.ingest.stage import ingest
from tests.unit.ingest.test_ingest import make_raw


def test_the_dateline_place_is_not_the_agent_and_both_countries_are(tmp_path, run_stages):
    story = (
        "TALLINN, Estonia - The prime ministers of Estonia and Finland signed an agreement "
        "on a rail tunnel on Monday."
    )
    raw = make_raw(tmp_path, {"tunnel.txt": story.encode()})
    doc = ingest(raw, IngestParams()).texts.iloc[0]
    assert doc["dateline"] == "TALLINN, Estonia"
    _, out = run_stages(doc["text"], "news", dt.date(2024, 3, 4))
    (signed,) = [e["event_id"] for e in out["events"] if e["trigger_text"] == "signed"]
    agents = [
        p["text"] for p in out["arguments"] if p["event_id"] == signed and p["role"] == "agent"
    ]
    assert agents == ["The prime ministers of Estonia and Finland"]
