"""Tables written from Arrow columns are the files `TableWriter` writes row by row."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core import columnar, io
from schemas import TABLES, arrow_schema

ROWS = [
    {
        "mention_id": f"men_{n:04d}",
        "doc_id": f"doc_{n // 3}",
        "sentence_id": "sen_0",
        "start_char": n,
        "end_char": n + 5,
        "text": "x" * (n % 7),
        "label": ["GPE", "PERSON", "ORG"][n % 3],
        "model_label": None if n % 4 == 0 else "GPE",
        "source": "model",
        "entity_id": f"ent_{n % 5}",
        "resolution": ["name", "surname"][n % 2],
    }
    for n in range(50)
]


@pytest.mark.parametrize(
    ("rows_per_group", "bytes_per_group"), [(20_000, 2**26), (7, 2**26), (20, 200)]
)
def test_the_same_bytes_as_row_by_row(tmp_path, monkeypatch, rows_per_group, bytes_per_group):
    monkeypatch.setattr(io, "BYTES_PER_GROUP", bytes_per_group)
    monkeypatch.setattr(columnar, "BYTES_PER_GROUP", bytes_per_group)
    schema = arrow_schema(TABLES["mentions"])
    with io.TableWriter(schema, tmp_path / "rows.parquet", rows_per_group=rows_per_group) as out:
        out.write(ROWS)
    # columns in another order, dictionaries as plain strings: conformed to the schema
    table = pa.Table.from_pylist(ROWS).select(list(reversed(schema.names)))
    columnar.write_table_groups(table, schema, tmp_path / "columns.parquet", rows_per_group)
    written = pq.ParquetFile(tmp_path / "columns.parquet")
    assert (
        written.metadata.num_row_groups
        == pq.ParquetFile(tmp_path / "rows.parquet").metadata.num_row_groups
    )
    assert (tmp_path / "columns.parquet").read_bytes() == (tmp_path / "rows.parquet").read_bytes()


def test_no_rows_is_an_empty_table(tmp_path):
    schema = arrow_schema(TABLES["mentions"])
    with io.TableWriter(schema, tmp_path / "rows.parquet"):
        pass
    columnar.write_table_groups(schema.empty_table(), schema, tmp_path / "columns.parquet")
    assert (tmp_path / "columns.parquet").read_bytes() == (tmp_path / "rows.parquet").read_bytes()


@pytest.mark.parametrize("batch", [1, 6, 13, 50])
def test_batches_written_as_they_come_are_the_same_bytes(tmp_path, monkeypatch, batch):
    monkeypatch.setattr(io, "BYTES_PER_GROUP", 200)
    monkeypatch.setattr(columnar, "BYTES_PER_GROUP", 200)
    schema = arrow_schema(TABLES["mentions"])
    with io.TableWriter(schema, tmp_path / "rows.parquet", rows_per_group=9) as out:
        out.write(ROWS)
    table = pa.Table.from_pylist(ROWS)
    with columnar.GroupWriter(schema, tmp_path / "batches.parquet", rows_per_group=9) as out:
        for start in range(0, len(ROWS), batch):
            out.write(table.slice(start, batch))
    assert (tmp_path / "batches.parquet").read_bytes() == (tmp_path / "rows.parquet").read_bytes()
