"""The offline builder of the PLOVER lexicon (tools/build_plover_lexicon.py)."""

import csv
import io

import pytest

from pipeline.events.event_types import LEXICON
from tools.build_plover_lexicon import build_rows, plover_type, read_dictionary, read_plover_table


def test_plover_table_falls_back_to_the_parent_code():
    table = {"03": "AGREE", "030": "AGREE", "16": "SANCTION", "163": "COERCE", "01": None}
    assert plover_type("0311", table) == "AGREE"
    assert plover_type("1631", table) == "COERCE"
    assert plover_type("161", table) == "SANCTION"
    assert plover_type("010", table) is None


def test_generated_lexicon_matches_the_reference_files(shared_data):
    """verbs.csv/patterns.csv are what the build step makes from the reference data."""
    source = shared_data / "events"
    if not (source / "petrarch2" / "CAMEO.2.0.txt").is_file():
        pytest.skip(f"reference data not found under {source}")
    verbs, patterns, _ = build_rows(
        read_dictionary(source / "petrarch2" / "CAMEO.2.0.txt"),
        read_plover_table(source / "plover" / "CAMEO2PLOVER-2021.txt"),
    )
    lines = [
        line
        for line in (LEXICON / "verbs.csv").read_text().splitlines()
        if not line.startswith("#")
    ]
    stored = list(csv.DictReader(io.StringIO("\n".join(lines))))
    assert stored == verbs
    assert len(patterns) > 4000
    by_verb = {(v["verb"], v["particle"]): v for v in verbs}
    assert by_verb[("invade", "")]["plover"] == "COERCE"  # CAMEO 192, occupy territory
    assert by_verb[("say", "")]["plover"] == ""  # CAMEO 010: no PLOVER event
