"""Two essays on the Cuban missile crisis through the real stages: the same events grouped
across them, and the month one of them gets wrong shown as a conflict.

`raw/cuban-missile-crisis-reconsidered.txt` is the sample; `tests/fixtures/happenings/
khrushchevs-gamble.txt` was written for this test. It tells four of the sample's events (the
U2 downed on 1 May 1960, the Bay of Pigs invasion in April 1961, the Vienna summit, the
missiles removed) and dates the Vienna summit in July 1961, where the sample says June.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys

import pandas as pd
import pytest

from tests.support.helpers import PROJECT, make_repo, run

pytestmark = pytest.mark.slow

FIXTURES = PROJECT / "tests" / "fixtures" / "happenings"
STAGES = ("ingest", "nlp", "timexes", "events", "entities", "happenings")


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The happenings and events tables of the two essays, with each event's essay title."""
    repo = make_repo(tmp_path_factory.mktemp("happenings") / "chronicle")
    for name in ("khrushchevs-gamble.txt", "manifest.csv"):
        shutil.copy(FIXTURES / name, repo / "raw" / name)
    for stage in STAGES:
        run(repo, sys.executable, "-m", f"pipeline.{stage}")
    interim = repo / "data" / "interim"
    documents = pd.read_parquet(interim / "nlp" / "documents.parquet")
    events = pd.read_parquet(interim / "happenings" / "events.parquet")
    events["essay"] = events["doc_id"].map(
        dict(zip(documents.doc_id, documents.title, strict=True))
    )
    return {
        "happenings": pd.read_parquet(interim / "happenings" / "happenings.parquet"),
        "events": events,
        "documents": documents,
    }


def told_by_both(grouped: dict[str, pd.DataFrame]) -> pd.DataFrame:
    happenings = grouped["happenings"]
    return happenings[happenings.n_documents == 2].set_index("trigger")


def test_the_events_both_essays_tell_are_grouped(grouped):
    both = told_by_both(grouped)
    assert sorted(both.index) == ["down", "invade", "meet"]
    assert (both.loc["down", "date_start"], both.loc["down", "precision"]) == (
        dt.date(1960, 5, 1),
        "day",
    )
    assert (both.loc["invade", "date_start"], both.loc["invade", "precision"]) == (
        dt.date(1961, 4, 1),
        "month",
    )


def test_the_summit_dated_a_month_apart_is_the_one_conflict(grouped):
    conflicts = grouped["happenings"][grouped["happenings"].date_conflict.map(len) > 0]
    assert list(conflicts.trigger) == ["meet"]
    titles = dict(zip(grouped["documents"].doc_id, grouped["documents"].title, strict=True))
    told = [item.split(": ") for item in conflicts.iloc[0].date_conflict]
    assert [(date, titles[doc]) for date, doc in told] == [
        ("1961-06", "The Cuban Missile Crisis Reconsidered"),
        ("1961-07", "Khrushchev's Gamble"),
    ]


def test_each_event_says_what_joined_it(grouped):
    events = grouped["events"]
    summit = events[
        (events.trigger == "summit") & (events.essay == "The Cuban Missile Crisis Reconsidered")
    ]
    assert list(summit.iloc[0].grouped_by) == ["trigger", "participants", "context"]
    first = events.groupby("happening_id").head(1)
    assert all(len(g) == 0 for g in first.grouped_by)


def test_khrushchev_removed_from_office_is_not_the_missiles_removed(grouped):
    events = grouped["events"]
    removals = events[events.trigger == "remove"]
    assert removals.happening_id.nunique() == len(removals)
