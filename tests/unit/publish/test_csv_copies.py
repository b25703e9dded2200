"""The CSV copies: every cell comes back, whatever characters it holds and however long it is."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli import chronicle
from pipeline.core.io import write_table
from pipeline.core.release import csv_cell, csv_header, csv_lines, parquet_path
from pipeline.load import load
from pipeline.publish import stage
from pipeline.publish.stage import publish_table
from pipeline.publish.summary import Summary
from schemas import TABLES, arrow_schema


def rejects(paths: list[str], details: list[str]) -> pd.DataFrame:
    """A rejects table with one row per path."""
    return pd.DataFrame(
        {
            "path": paths,
            "sha256": ["0" * 64] * len(paths),
            "reason": ["empty"] * len(paths),
            "detail": details,
        }
    )


def publish_rejects(frame: pd.DataFrame, folder):
    """Publish a rejects table to folder/out as Parquet and CSV; returns folder/out."""
    source = folder / "interim" / "rejects.parquet"
    write_table(frame, TABLES["rejects"], source)
    out = folder / "out"
    publish_table(
        source,
        TABLES["rejects"],
        out / "rejects.parquet",
        out / "csv" / "rejects.csv",
        2,
        Summary(),
    )
    return out


def test_a_carriage_return_in_a_cell_is_quoted_and_adds_no_row(tmp_path):
    frame = rejects(["Icon\r", "a\r\nb.txt", "c.txt"], ["empty file\r", 'say "hi"\nbye', "ok"])
    out = publish_rejects(frame, tmp_path)
    text = (out / "csv" / "rejects.csv").read_bytes().decode("utf-8")
    assert '"Icon\r"' in text
    assert '"a\r\nb.txt"' in text
    with open(out / "csv" / "rejects.csv", encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == 4  # the header and three rows
    pd.testing.assert_frame_equal(load("rejects", out, format="csv"), load("rejects", out))


@given(st.lists(st.tuples(st.text(), st.one_of(st.none(), st.text())), min_size=1, max_size=5))
def test_any_text_round_trips_through_the_csv_lines(rows):
    batch = pa.table(
        {"a": [a for a, _ in rows], "b": [b for _, b in rows]},
        schema=pa.schema([("a", pa.string()), ("b", pa.string())]),
    )
    text = csv_header(["a", "b"]) + csv_lines(batch)
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read == [["a", "b"]] + [[csv_cell(a), csv_cell(b)] for a, b in rows]


def test_a_cell_longer_than_the_csv_modules_default_limit_reads_back(tmp_path):
    long_detail = "x" * 300_000  # Python's csv refuses fields over 131,072 characters by default
    out = publish_rejects(rejects(["big.txt"], [long_detail]), tmp_path)
    loaded = load("rejects", out, format="csv")
    assert loaded["detail"][0] == long_detail


def test_validate_reads_a_csv_copy_with_a_long_document(tmp_path, monkeypatch):
    out = publish_rejects(rejects(["big.txt"], ["x" * 300_000]), tmp_path)
    (out / "rejects.parquet").unlink()  # only the CSV copy is left to read
    for name, table in TABLES.items():
        if name != "rejects":
            pq.write_table(arrow_schema(table).empty_table(), out / parquet_path(name))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(chronicle, ["validate", "out"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("out: valid (documents 0, rejects 1")


def test_a_batch_written_in_pieces_gives_the_csv_of_the_whole_batch(tmp_path, monkeypatch):
    details = [f"line {i}, with a comma" if i % 3 else "=1+1" for i in range(40)]
    frame = rejects([f"file{i:02}.txt" for i in range(40)], details)
    whole = publish_rejects(frame, tmp_path / "whole")
    pieces = []
    original = stage.csv_bytes

    def counted(rows: pa.RecordBatch) -> memoryview:
        pieces.append(rows.num_rows)
        return original(rows)

    monkeypatch.setattr(stage, "CSV_PIECE_BYTES", 200)
    monkeypatch.setattr(stage, "csv_bytes", counted)
    cut = publish_rejects(frame, tmp_path / "cut")
    assert max(pieces) < 2 and sum(pieces) == 40  # publish_rejects reads 2 rows a batch
    assert (cut / "csv" / "rejects.csv").read_bytes() == (
        whole / "csv" / "rejects.csv"
    ).read_bytes()


def test_csv_pieces_cover_a_batch_in_order_and_never_cut_a_row(monkeypatch):
    monkeypatch.setattr(stage, "CSV_PIECE_BYTES", 3000)
    batch = pa.record_batch({"text": ["x" * 1000] * 10 + ["short"] * 5})
    pieces = list(stage.csv_pieces(batch))
    assert len(pieces) == 4
    assert pa.Table.from_batches(pieces).column("text").to_pylist() == batch.column(0).to_pylist()


@pytest.mark.parametrize(
    "cells, quoted",
    [
        (["sen_0a1b", "sen_ffee"], ["sen_0a1b", "sen_ffee"]),  # no character to act on
        (["PERSON", "=SUM(A1)"], ["PERSON", "'=SUM(A1)"]),
        (["ok", "a,b"], ["ok", '"a,b"']),
        (["x", "''-1"], ["x", "'''-1"]),
        (["tab\tinside", "\tfirst"], ["tab\tinside", "'\tfirst"]),
    ],
)
def test_cells_are_neutralised_and_quoted_whether_or_not_the_column_needs_it(cells, quoted):
    batch = pa.record_batch({"a": pa.array(cells), "b": pa.array(cells).dictionary_encode()})
    assert csv_lines(batch) == "".join(f"{field},{field}\n" for field in quoted)
    assert csv_lines(batch.slice(1)) == f"{quoted[1]},{quoted[1]}\n"
