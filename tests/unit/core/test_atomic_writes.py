"""Atomic writes under a real SIGKILL: the old file stays whole, the leftover temp is swept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core import io
from pipeline.core.io import TableWriter, atomic_open, write_json

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from pipeline.core.io import atomic_open
    with atomic_open(Path(sys.argv[1])) as handle:
        handle.write("half of the new content")
        handle.flush()
        print("writing", flush=True)
        time.sleep(60)
        handle.write(" and the rest")
""")


def test_a_writer_killed_mid_write_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "table.json"
    write_json({"rows": 1}, target)
    before = target.read_bytes()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)],
        text=True,
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    assert target.read_bytes() == before  # readers never see the half-written content
    leftovers = list(tmp_path.glob(".table.json.*.tmp"))
    assert len(leftovers) == 1  # hidden, but there: SIGKILL skips every cleanup
    write_json({"rows": 2}, target)  # the next write of the same target sweeps it
    assert list(tmp_path.glob(".*.tmp")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.json"]


def test_an_exception_mid_write_keeps_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write("new")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_other_targets_temps_are_not_touched(tmp_path):
    other = tmp_path / ".b.txt.abc123.tmp"
    other.write_text("another write in progress", encoding="utf-8")
    write_json({}, tmp_path / "a.txt")
    assert other.exists()


def test_a_row_group_closes_once_its_text_is_large(tmp_path, monkeypatch):
    # Rows are held until written: a group of long documents is cut by its characters, not
    # only by its row count, so memory stays bounded whatever the documents' length.
    monkeypatch.setattr(io, "BYTES_PER_GROUP", 1000)
    schema = pa.schema(
        [
            ("doc_id", pa.string()),
            ("text", pa.large_string()),
            ("paths", pa.list_(pa.string())),
            ("n", pa.int64()),
        ]
    )
    target = tmp_path / "texts.parquet"
    with TableWriter(schema, target) as out:
        out.write(
            [
                {"doc_id": f"d{i}", "text": "x" * 300, "paths": ["y" * 900], "n": i}
                for i in range(10)
            ]
        )
    meta = pq.ParquetFile(target).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [4, 4, 2]
    assert pq.read_table(target).column("n").to_pylist() == list(range(10))
