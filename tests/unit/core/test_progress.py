"""Progress: a tqdm bar on a terminal, plain log lines when stderr is a file or a pipe."""

from __future__ import annotations

import io
import logging
import re
import sys
from pathlib import Path

import pytest

from pipeline.core.progress import progress


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def log(caplog) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="chronicle.progress")
    return caplog


def test_a_terminal_gets_a_bar_and_no_log_lines(monkeypatch, log):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert list(progress(range(3), 3, "nlp", "segment", interval=0)) == [0, 1, 2]
    assert "nlp: 100%" in terminal.getvalue() and "3/3" in terminal.getvalue()
    assert log.messages == []


def test_elsewhere_it_logs_plain_lines_and_draws_no_bar(capsys, log):
    assert list(progress(range(4), 4, "nlp", "segment", interval=0)) == [0, 1, 2, 3]
    assert capsys.readouterr().err == ""
    assert len(log.messages) == 4
    assert re.fullmatch(r"nlp: 1/4 segments \(25%\) after \d+ s", log.messages[0])
    assert log.messages[-1].startswith("nlp: 4/4 segments (100%) after ")


def test_it_logs_at_most_one_line_per_interval(log):
    assert sum(progress(range(1000), 1000, "timexes", "document", interval=3600)) == 499500
    assert log.messages == []


def test_an_item_can_count_for_several_units(log):
    chunks = [16, 16, 3]  # documents per chunk
    assert list(progress(chunks, 35, "timexes", "document", weight=int, interval=0)) == chunks
    assert [m.split(" after")[0] for m in log.messages] == [
        "timexes: 16/35 documents (45%)",
        "timexes: 32/35 documents (91%)",
        "timexes: 35/35 documents (100%)",
    ]


def test_without_a_total_it_counts(log):
    list(progress(iter("ab"), None, "adding", "file", interval=0))
    assert log.messages[-1].startswith("adding: 2 files after ")


def test_no_other_module_draws_a_tqdm_bar():
    # A bar drawn outside `progress` would print its carriage-return lines into a log file.
    pipeline = Path(__file__).resolve().parents[3] / "pipeline"
    drawing = [
        str(path.relative_to(pipeline))
        for path in pipeline.rglob("*.py")
        if "tqdm" in path.read_text(encoding="utf-8") and path.name != "progress.py"
    ]
    assert drawing == []
