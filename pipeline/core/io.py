"""Reading and writing tables and files: atomic, typed by the schemas, deterministic.

Every write goes to a temporary file beside the target and is renamed into place, so a run
killed half-way never leaves a half-written file where a reader (or DVC) would take it as done.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import importlib.abc
import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core.stage import StageError
from schemas import Table, arrow_schema

if TYPE_CHECKING:  # pandas is imported where a frame is made: stages that stream rows skip it
    import pandas as pd


def hide_pandas_from_pyarrow() -> None:
    """Spare a process that never hands pandas objects to pyarrow the import of pandas.

    pyarrow imports pandas (0.25 s, half of a small stage's run) the first time it converts
    Python values (`pa.array`, `Table.from_pylist`), only to ask whether they are pandas
    objects. A streaming stage's rows never are. With pandas hidden during that first
    conversion, pyarrow takes it as absent and stops asking. Converting to or from pandas
    still works if the process imports pandas later: pyarrow retries the import for those.
    """
    if "pandas" in sys.modules:
        return
    sys.meta_path.insert(0, _NoPandas())
    try:
        pa.array([None])
    finally:
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _NoPandas)]


class _NoPandas(importlib.abc.MetaPathFinder):
    """An import finder that makes `import pandas` fail (see `hide_pandas_from_pyarrow`)."""

    def find_spec(self, name: str, *args: object) -> None:
        if name == "pandas":
            raise ImportError("pandas hidden from pyarrow")


PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "write_statistics": True,
    "use_dictionary": True,
}


def remove_stale_temps(target: Path) -> None:
    """Delete temporary files that an earlier, killed write of `target` left beside it.

    A process killed with SIGKILL never runs its cleanup, so its hidden ``.<name>.*.tmp`` stays.
    DVC deletes a stage's declared outputs before re-running it, but not such siblings, so the
    next write of the same target removes them. (Runs never write one target concurrently: DVC
    locks the repository.)
    """
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(target: Path, clean: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it onto `target` if the block succeeds.

    `clean=False` skips looking for stale temporaries: a folder of many small files (a
    stage's cache) clears them once per run instead of once per file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if clean:
        remove_stale_temps(target)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o644)  # mkstemp makes 0600 files; published data should be world-readable
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as err:
        if disk_full(err):
            raise StageError(
                f"{target}: the disk is full (no space left on device); free some space "
                "and run again"
            ) from err
        raise
    finally:
        tmp.unlink(missing_ok=True)


def disk_full(err: OSError) -> bool:
    """Whether an error says the disk is full (Arrow's I/O errors carry no errno, only text)."""
    return err.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(err)


@contextlib.contextmanager
def atomic_open(target: Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file for writing that replaces `target` when closed without error."""
    if mode not in {"w", "wb"}:
        raise ValueError("atomic_open only writes")
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "\n")
    with atomic_path(target) as tmp, open(tmp, mode, **kwargs) as handle:
        yield handle


def write_json(data: Any, target: Path) -> None:
    """Write JSON with sorted keys and a final newline: stable diffs, byte-identical re-runs."""
    with atomic_open(target) as handle:
        json.dump(data, handle, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        handle.write("\n")


def skip_evaluation(gold: Path, *outs: Path | None) -> int:
    """Say that the gold data is absent and return exit code 0, keeping earlier results.

    Evaluation stages read gold data that may not be on every machine; they skip cleanly
    rather than fail `dvc repro`. A result already in place (the committed metrics) is left
    as it is, so `dvc repro -f` on a machine without the gold data changes nothing; only a
    missing file gets a `{"skipped": true}` note (DVC needs the stage's outputs to exist).
    """
    reason = f"gold data not found at {gold}"
    kept = [str(out) for out in outs if out is not None and out.exists()]
    print(f"skipped: {reason}" + (f"; kept {', '.join(kept)}" if kept else ""))
    for out in outs:
        if out is not None and not out.exists():
            write_json({"skipped": True, "reason": reason}, out)
    return 0


def detail_path(out: Path) -> Path:
    """The detail file that goes with a metrics file: metrics/x.json -> metrics/x-detail.json."""
    return out.with_name(f"{out.stem}-detail.json")


def split_detail(result: dict, keys: Sequence[str]) -> tuple[dict, dict]:
    """(headline, detail): `result` without the entries named `keys` at any depth, and them.

    `dvc metrics show` prints every number of a metrics file in one table; per-document or
    per-type figures made it hundreds of thousands of characters wide. The headline keeps the
    figures a person reads; the detail keeps the same nesting for the rest.
    """
    headline: dict = {}
    detail: dict = {}
    for key, value in result.items():
        if key in keys:
            detail[key] = value
        elif isinstance(value, dict):
            headline[key], inner = split_detail(value, keys)
            if inner:
                detail[key] = inner
        else:
            headline[key] = value
    return headline, detail


def write_metrics(result: dict, out: Path, detail_keys: Sequence[str]) -> None:
    """Write the headline figures to `out` and the entries named `detail_keys` beside it."""
    headline, detail = split_detail(result, detail_keys)
    write_json(headline, out)
    write_json(detail, detail_path(out))


def to_arrow(frame: pd.DataFrame, table: Table, drop: Sequence[str] = ()) -> pa.Table:
    """Convert a frame to Arrow with the table's published types, columns in schema order.

    `drop` leaves out columns a later stage adds (an interim table that is not yet complete).
    """
    schema = arrow_schema(table)
    for name in drop:
        schema = schema.remove(schema.get_field_index(name))
    missing = [name for name in schema.names if name not in frame.columns]
    if missing:
        raise ValueError(f"table {table.name}: frame lacks columns {missing}")
    return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)


def write_table(frame: pd.DataFrame, table: Table, target: Path, drop: Sequence[str] = ()) -> None:
    """Write one table as Parquet, sorted by its key so re-runs give identical bytes."""
    ordered = frame.sort_values(list(table.sort_by), kind="stable").reset_index(drop=True)
    arrow = to_arrow(ordered, table, drop)
    with atomic_path(target) as tmp:
        pq.write_table(arrow, tmp, **PARQUET_OPTIONS)


def write_rows(rows: Sequence[dict], table: Table, target: Path) -> None:
    """Write a small table given as rows, sorted by its key (nulls last), atomically."""
    keys = list(table.sort_by)
    ordered = sorted(rows, key=lambda row: [(row.get(k) is None, row.get(k)) for k in keys])
    arrow = pa.Table.from_pylist(ordered, schema=arrow_schema(table))
    with atomic_path(target) as tmp:
        pq.write_table(arrow, tmp, **PARQUET_OPTIONS)


def read_table(path: Path, table: Table | None = None) -> pd.DataFrame:
    """Read a Parquet table into pandas with plain dtypes (categoricals decoded to strings).

    With `table`, a missing file is reported by table name, which reads better than a stack trace.
    """
    if not path.exists():
        name = f"table '{table.name}'" if table else "table"
        raise FileNotFoundError(f"{name} not found at {path}: run the stage that produces it")
    return from_arrow(pq.read_table(path))


def from_arrow(arrow: pa.Table) -> pd.DataFrame:
    """Arrow to pandas as the stages use it: categoricals as strings, lists as Python lists."""
    import pandas as pd

    decoded = [
        field.with_type(field.type.value_type) if pa.types.is_dictionary(field.type) else field
        for field in arrow.schema
    ]
    arrow = arrow.cast(pa.schema(decoded, metadata=arrow.schema.metadata))
    frame = arrow.to_pandas()
    for field in arrow.schema:
        if pa.types.is_list(field.type):
            frame[field.name] = pd.Series(
                [None if v is None else list(v) for v in frame[field.name]],
                index=frame.index,
                dtype=object,
            )
    return frame


ROWS_PER_GROUP = 20_000
"""Rows per Parquet row group when streaming: bounds memory, and fixed so files are identical."""

BYTES_PER_GROUP = 64 * 2**20
"""A row group is also closed once its text reaches this size (documents can be huge)."""


def plain_schema(schema: pa.Schema) -> pa.Schema:
    """The schema with categoricals (Arrow dictionaries) as their plain values.

    Fragments of a table keep rows so, since one fragment's dictionary is not another's.
    """
    return pa.schema(
        [f.with_type(f.type.value_type) if pa.types.is_dictionary(f.type) else f for f in schema],
        metadata=schema.metadata,
    )


class TableWriter:
    """Write a table's rows as they come, one Parquet row group at a time, atomically.

    Memory is bounded by the row group (`rows_per_group` rows or `BYTES_PER_GROUP` of text),
    not by the size of the corpus. The file appears at `target` only when the writer closes
    without error. Pass a published `Table` (its Arrow schema is used) or an Arrow schema.
    """

    def __init__(
        self,
        table: Table | pa.Schema,
        target: Path,
        drop: Sequence[str] = (),
        rows_per_group: int = ROWS_PER_GROUP,
    ) -> None:
        self.schema = table if isinstance(table, pa.Schema) else arrow_schema(table)
        for name in drop:
            self.schema = self.schema.remove(self.schema.get_field_index(name))
        self.plain_schema = plain_schema(self.schema)
        self.rows_per_group = rows_per_group
        self._text_fields = [
            f.name
            for f in self.schema
            if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
        ]
        self.buffer: list[dict] = []
        self.buffer_bytes = 0
        self._slices: list[pa.Table] = []
        """Arrow rows waiting for the row group, before `buffer` (see `write_table`)."""
        self._slices_rows = 0
        self.n_rows = 0
        self._atomic = atomic_path(target)
        self._writer = pq.ParquetWriter(self._atomic.__enter__(), self.schema, **PARQUET_OPTIONS)

    def write(self, rows: Sequence[dict]) -> None:
        """Add rows; a full row group is written out."""
        for row in rows:
            self.buffer.append(row)
            self.buffer_bytes += sum(map(len, filter(None, map(row.get, self._text_fields))))
            if self._held() >= self.rows_per_group or self.buffer_bytes >= BYTES_PER_GROUP:
                self._flush()

    def write_table(self, table: pa.Table) -> None:
        """Add an Arrow table's rows (this writer's schema), grouped exactly as `write` would.

        Row groups close at the same rows as if each row came through `write`, so a table
        written from Arrow fragments has the bytes of one written row by row.
        """
        if not table.schema.equals(self.plain_schema):
            raise ValueError(f"table schema differs from the writer's: {table.schema}")
        if self.buffer:  # rows given as dicts come first
            self._slices.append(pa.Table.from_pylist(self.buffer, schema=self.plain_schema))
            self._slices_rows += len(self.buffer)
            self.buffer = []
        sizes = np.zeros(table.num_rows + 1, dtype=np.int64)
        for name in self._text_fields:
            lengths = pc.fill_null(pc.utf8_length(table.column(name)), 0)
            sizes[1:] += lengths.to_numpy(zero_copy_only=False)
        cumulative = np.cumsum(sizes)  # cumulative[k]: characters in the first k rows
        start = 0
        while start < table.num_rows:
            by_rows = start + self.rows_per_group - self._slices_rows
            needed = BYTES_PER_GROUP - self.buffer_bytes + cumulative[start]
            by_bytes = int(np.searchsorted(cumulative, needed, side="left"))
            end = min(by_rows, max(by_bytes, start + 1))
            if end > table.num_rows:
                self._slices.append(table.slice(start))
                self._slices_rows += table.num_rows - start
                self.buffer_bytes += int(cumulative[-1] - cumulative[start])
                return
            self._slices.append(table.slice(start, end - start))
            self._slices_rows += end - start
            self._flush()
            start = end

    def _held(self) -> int:
        return self._slices_rows + len(self.buffer)

    def _flush(self) -> None:
        group = None
        if self._slices:  # Arrow rows: categoricals are encoded here, in order of appearance
            parts = list(self._slices)
            if self.buffer:
                parts.append(pa.Table.from_pylist(self.buffer, schema=self.plain_schema))
            group = pa.concat_tables(parts).combine_chunks()
            for k, field in enumerate(self.schema):
                if pa.types.is_dictionary(field.type):
                    group = group.set_column(k, field, pc.dictionary_encode(group.column(k)))
        else:
            columns = {name: [row.get(name) for row in self.buffer] for name in self.schema.names}
            group = pa.Table.from_pydict(columns, schema=self.schema)
        self._writer.write_table(group)
        self.n_rows += group.num_rows
        self.buffer, self.buffer_bytes = [], 0
        self._slices, self._slices_rows = [], 0

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: Any) -> None:
        try:
            if kind is None and self._held():
                self._flush()
            self._writer.close()  # a full disk can fail here, on the last row group
        except BaseException as err:
            self._atomic.__exit__(type(err), err, err.__traceback__)  # removes the temp file
            raise
        self._atomic.__exit__(kind, *rest)  # renames into place only on success


ITER_BATCH_ROWS = 256
"""Rows turned into Python dicts at a time by `iter_rows`. A row can hold a whole document:
4096 rows of texts held all of BBC as Python strings in the nlp stage's parent, and its forked
workers counted those pages again. 64 rows made reading 100k small rows 3x slower; 256 did
not."""


def iter_rows(
    path: Path, columns: Sequence[str] | None = None, batch_size: int = ITER_BATCH_ROWS
) -> Iterator[dict]:
    """Rows of a Parquet file as dicts, read a batch at a time (dates stay datetime.date)."""
    parquet = pq.ParquetFile(path)
    for batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
        yield from batch.to_pylist()
