"""The validate stage re-checks only the documents that changed since its last pass.

Three documents' tables are written as Parquet where the stages put them, and the real stage
runs over them (pandera, DuckDB, the state file): an edit that breaks one document must fail
exactly as a run from scratch fails, and a failed run must not make the next one skip it.
"""

import json
import logging
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.core.config import Params, Paths
from pipeline.core.io import to_arrow
from pipeline.core.stage import report_path, run_log_path, table_path
from pipeline.validate.stage import run
from pipeline.validate.state import state_path
from schemas import TABLES
from tests.unit.validate.corpus import document_tables

DOCUMENTS = [  # names of 10 characters: the offsets in `document_tables` fit every text
    ("In 1964, Khrushchev was replaced.", "Khrushchev", "a.txt"),
    ("In 1964, Gorbachyov was replaced.", "Gorbachyov", "b.txt"),
    ("In 1964, Mikoyanova was replaced.", "Mikoyanova", "c.txt"),
]


@pytest.fixture
def params(tmp_path: Path) -> Params:
    return Params(paths=Paths(interim=tmp_path / "interim", cache=tmp_path / "cache"))


def corpus() -> dict[str, pd.DataFrame]:
    """The three documents' tables, concatenated."""
    parts = [document_tables(*document) for document in DOCUMENTS]
    return {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in TABLES}


def write(params: Params, tables: dict[str, pd.DataFrame]) -> None:
    for name, frame in tables.items():
        path = table_path(params, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(to_arrow(frame, TABLES[name]), path, row_group_size=1)  # one a document


def validate(params: Params, capsys: pytest.CaptureFixture) -> str | None:
    """Run the stage; the failure report it prints, or None if it passed."""
    try:
        run(params)
    except SystemExit:
        return capsys.readouterr().err
    assert json.loads(report_path(params, "validate").read_text())["ok"]
    return None


def checked(params: Params) -> dict:
    """Groups (documents, or keys) each table had checked by pandera in the last run."""
    return json.loads(run_log_path(params, "validate").read_text())["groups_checked"]


def break_second_mention(tables: dict[str, pd.DataFrame]) -> None:
    """The second document's mention starts before the text does."""
    tables["mentions"].loc[1, "start_char"] = -1


def test_nothing_changed_checks_no_rows(params, capsys):
    write(params, corpus())
    assert validate(params, capsys) is None
    assert set(checked(params).values()) == {"all"}
    assert validate(params, capsys) is None
    assert set(checked(params).values()) == {0}


def test_a_bad_row_in_an_edited_document_is_caught_as_from_scratch(params, capsys):
    tables = corpus()
    write(params, tables)
    assert validate(params, capsys) is None
    break_second_mention(tables)
    write(params, tables)
    incremental = validate(params, capsys)
    assert checked(params)["mentions"] == 1  # the edited document, not the other two
    assert checked(params)["documents"] == 0
    assert "table mentions, column start_char, check greater_than_or_equal_to(0)" in incremental
    state_path(params).unlink()
    assert validate(params, capsys) == incremental  # from scratch: the same report
    assert checked(params)["mentions"] == "all"


def test_a_failed_run_leaves_the_failure_to_the_next_run(params, capsys):
    tables = corpus()
    write(params, tables)
    assert validate(params, capsys) is None
    break_second_mention(tables)
    write(params, tables)
    first = validate(params, capsys)
    assert validate(params, capsys) == first  # the state still holds the last pass
    assert not report_path(params, "validate").exists()


def test_an_edited_text_rechecks_the_spans_into_it(params, capsys):
    tables = corpus()
    write(params, tables)
    assert validate(params, capsys) is None
    tables["documents"].loc[2, "text"] = "In 1964, Mikoyanov was replaced, a."  # same length
    write(params, tables)
    report = validate(params, capsys)
    assert "table mentions, column text, check text == documents.text[start_char:end_char]" in (
        report
    )
    assert checked(params)["mentions"] == 0  # the mention rows did not change; the text did


def test_a_damaged_state_means_checking_everything(params, capsys, caplog):
    caplog.set_level(logging.INFO, logger="chronicle")
    write(params, corpus())
    assert validate(params, capsys) is None
    state_path(params).write_bytes(b"not parquet")
    assert validate(params, capsys) is None
    assert set(checked(params).values()) == {"all"}
    assert "unreadable" in caplog.text
