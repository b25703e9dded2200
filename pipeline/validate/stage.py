"""Stage 7, validate: every table against its schema and every link between tables.

Nothing is published unless all of it holds. A failure prints a report naming the table, the
column, the check and the first failing rows, and the stage exits non-zero so DVC stops before
publish and `outputs/` is left untouched.

Column checks run the pandera models a batch of rows at a time; checks across rows and tables
(unique keys, foreign keys, offsets against the document text, counts) run as SQL in DuckDB
over the Parquet files, which spills to disk rather than holding a large corpus in memory.
"""

from __future__ import annotations

import bisect
import shutil
import sys
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.core.config import Params
from pipeline.core.io import from_arrow, to_arrow, write_json
from pipeline.core.stage import StageError, log, stage_dir, table_path, write_run_log
from pipeline.validate.state import (
    Changed,
    changed_groups,
    current_digests,
    group_column,
    load_state,
    save_state,
    state_path,
    state_version,
)
from schemas import SCHEMA_VERSION, TABLES, Table

MAX_EXAMPLES = 5
"""Failing rows shown per problem; the count says how many there are in all."""

BATCH_ROWS = 50_000
"""Rows validated by pandera at a time."""


@dataclass
class Failure:
    """One check that failed on some rows of one table."""

    table: str
    column: str | None
    check: str
    n_rows: int
    examples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = f"table {self.table}" + (f", column {self.column}" if self.column else "")
        lines = [f"{where}, check {self.check}: {self.n_rows} row(s) fail"]
        lines += [f"    {example}" for example in self.examples]
        return "\n".join(lines)


def _merge(failures: list[Failure]) -> list[Failure]:
    """Combine the failures of one check found in several batches."""
    merged: dict[tuple[str, str | None, str], Failure] = {}
    for f in failures:
        key = (f.table, f.column, f.check)
        if key in merged:
            merged[key].n_rows += f.n_rows
            merged[key].examples = (merged[key].examples + f.examples)[:MAX_EXAMPLES]
        else:
            merged[key] = f
    return list(merged.values())


# --- column checks (pandera) ---------------------------------------------------------------


def _row_label(frame: pd.DataFrame, table: Table, index: object) -> str:
    """Name a row by its primary key (users can find it), falling back to its position."""
    try:
        row = frame.loc[index]
    except (KeyError, TypeError):
        return f"row {index}"
    return ", ".join(f"{k}={row[k]}" for k in table.primary_key)


def schema_failures(table: Table, frame: pd.DataFrame) -> list[Failure]:
    """Run the table's pandera model lazily and group its failure cases by column and check."""
    try:
        table.model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
    else:
        return []
    failures = []
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=True):
        examples = []
        for case in group.head(MAX_EXAMPLES).itertuples():
            label = _row_label(frame, table, case.index) if pd.notna(case.index) else "table"
            examples.append(f"{label}: {column}={case.failure_case!r}")
        failures.append(
            Failure(
                table.name,
                None if pd.isna(column) else str(column),
                str(check),
                len(group),
                examples,
            )
        )
    return failures


def batches(path: Path) -> Iterator[pd.DataFrame]:
    """A Parquet table as pandas frames of at most BATCH_ROWS rows (an empty table: one)."""
    parquet = pq.ParquetFile(path)
    empty = True
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        empty = False
        yield from_arrow(pa.Table.from_batches([batch]))
    if empty:
        yield from_arrow(parquet.schema_arrow.empty_table())


def row_groups_holding(parquet: pq.ParquetFile, column: str, groups: set[str | None]) -> list[int]:
    """The row groups whose min/max statistics of `column` admit one of `groups`.

    The stages write their tables document by document, so an edit's rows sit in one or two
    row groups and the others are never read. A row group without statistics is kept.
    """
    wanted = sorted(g for g in groups if g is not None)
    index = parquet.schema_arrow.get_field_index(column)
    kept = []
    for i in range(parquet.metadata.num_row_groups):
        stats = parquet.metadata.row_group(i).column(index).statistics
        if None in groups or stats is None or not stats.has_min_max:
            kept.append(i)
            continue
        first = bisect.bisect_left(wanted, stats.min)
        if first < len(wanted) and wanted[first] <= stats.max:
            kept.append(i)
    return kept


def rows_in_groups(
    path: Path, column: str, groups: set[str | None], columns: list[str] | None = None
) -> Iterator[pa.Table]:
    """The rows whose `column` is one of `groups`, a batch at a time, filtered by Arrow."""
    if not groups:
        return
    wanted = pa.array(list(groups), pa.string())
    parquet = pq.ParquetFile(path)
    row_groups = row_groups_holding(parquet, column, groups)
    if not row_groups:
        return
    for batch in parquet.iter_batches(BATCH_ROWS, row_groups=row_groups, columns=columns):
        kept = batch.filter(pc.is_in(batch.column(column), value_set=wanted, skip_nulls=False))
        if kept.num_rows:
            yield pa.Table.from_batches([kept])


def changed_frames(name: str, path: Path, groups: set[str | None] | None) -> Iterator[pd.DataFrame]:
    """The rows pandera must check: those of the changed groups (None: every row)."""
    if groups is None:
        yield from batches(path)
        return
    for table in rows_in_groups(path, group_column(name, path), groups):
        yield from_arrow(table)


# --- checks across rows and tables (SQL) ---------------------------------------------------


def _sql_failure(
    con: duckdb.DuckDBPyConnection, table: Table, column: str | None, check: str, where_sql: str
) -> list[Failure]:
    """A Failure for the rows of `table` selected by the SQL `where_sql` (a FROM ... clause)."""
    pk = ", ".join(f"t.{k}" for k in table.primary_key)
    shown = f", t.{column}" if column else ""
    n_rows = con.execute(f"select count(*) {where_sql}").fetchone()[0]
    if not n_rows:
        return []
    rows = con.execute(
        f"select {pk}{shown} {where_sql} order by {pk} limit {MAX_EXAMPLES}"
    ).fetchall()
    keys = len(table.primary_key)
    examples = [
        ", ".join(f"{k}={v}" for k, v in zip(table.primary_key, r[:keys], strict=True))
        + (f": {column}={r[keys]!r}" if column else "")
        for r in rows
    ]
    return [Failure(table.name, column, check, n_rows, examples)]


def key_failures(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Primary keys unique and non-null; every non-null foreign key resolves.

    A foreign key is checked by an anti join against the referenced table's distinct keys:
    DuckDB ran the same check written as a correlated `not exists` several times slower, and
    its share of the stage grew with the corpus.
    """
    failures = []
    for name, table in TABLES.items():
        pk = ", ".join(table.primary_key)
        nulls = " or ".join(f"t.{k} is null" for k in table.primary_key)
        failures += _sql_failure(
            con,
            table,
            table.primary_key[0],
            "primary key unique, not null",
            f"from {name} t where {nulls} or ({pk}) in (select {pk} "
            f"from {name} group by {pk} having count(*) > 1)",
        )
        for fk in table.foreign_keys:
            failures += _sql_failure(
                con,
                table,
                fk.column,
                f"foreign key -> {fk.ref_table}.{fk.ref_column}",
                f"from {name} t anti join (select distinct {fk.ref_column} as k from "
                f"{fk.ref_table}) r on r.k = t.{fk.column} where t.{fk.column} is not null",
            )
    return failures


class DocumentTexts:
    """Each document's text by doc_id, read a row group at a time from the documents table.

    Span tables list their rows document by document, so each row group is read about once
    per table, and only one is held in memory, however large the corpus.
    """

    def __init__(self, documents: pa.Table | Path) -> None:
        self.source = documents
        if isinstance(documents, pa.Table):
            self.groups = [documents]
        else:
            parquet = pq.ParquetFile(documents)
            self.groups = list(range(parquet.num_row_groups))
        self.where: dict[str, tuple[int, int]] = {}
        for group in range(len(self.groups)):
            for row, doc_id in enumerate(self._read(group, "doc_id")):
                self.where[doc_id] = (group, row)
        self._group: int | None = None
        self._texts: list[str] = []

    def _read(self, group: int, column: str) -> list[str]:
        if isinstance(self.source, pa.Table):
            return self.source.column(column).to_pylist()
        return pq.ParquetFile(self.source).read_row_group(group, [column]).column(0).to_pylist()

    def get(self, doc_id: str) -> str | None:
        """The document's text, or None if there is no such document."""
        if doc_id not in self.where:
            return None
        group, row = self.where[doc_id]
        if group != self._group:
            self._texts, self._group = self._read(group, "text"), group
        return self._texts[row]


SPAN_COLUMNS = {
    "events": [
        ("start_char", "end_char", "text"),
        ("trigger_start_char", "trigger_end_char", "trigger_text"),
    ]
}


def span_check_columns(name: str) -> list[str]:
    """The columns `span_failures` reads: document, key (for examples) and span columns."""
    pairs = SPAN_COLUMNS.get(name, [("start_char", "end_char", "text")])
    wanted = ["doc_id", *TABLES[name].primary_key, *(c for pair in pairs for c in pair)]
    return list(dict.fromkeys(wanted))


def span_failures(name: str, rows: Iterable[dict], texts: DocumentTexts) -> list[Failure]:
    """Every span's offsets lie inside its document and its text is the text at those offsets.

    Checked in Python, a row at a time: slicing a string by character is instant there, while
    SQL must walk a long text from its start for every span.
    """
    table = TABLES[name]
    pairs = SPAN_COLUMNS.get(name, [("start_char", "end_char", "text")])
    bad: dict[tuple[str, str, str], list[dict]] = {pair: [] for pair in pairs}
    counts = dict.fromkeys(pairs, 0)
    for row in rows:
        text = texts.get(row["doc_id"])
        for pair in pairs:
            start, end, column = row[pair[0]], row[pair[1]], row[pair[2]]
            if text is None or not 0 <= start <= end <= len(text) or text[start:end] != column:
                counts[pair] += 1
                if len(bad[pair]) < MAX_EXAMPLES:
                    bad[pair].append(row)
    failures = []
    for (start, end, column), n in counts.items():
        if n:
            examples = [
                ", ".join(f"{k}={r[k]}" for k in table.primary_key) + f": {column}={r[column]!r}"
                for r in bad[(start, end, column)]
            ]
            failures.append(
                Failure(name, column, f"{column} == documents.text[{start}:{end}]", n, examples)
            )
    return failures


def consistency_failures(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Cross-table facts: events carry their timex's interval; counts match their rows."""
    failures = _sql_failure(
        con,
        TABLES["events"],
        "date_start",
        "date_start equals its timex's date_start",
        "from events t join timexes x on x.timex_id = t.timex_id "
        "where t.date_start is distinct from x.date_start",
    )
    failures += _sql_failure(
        con,
        TABLES["events"],
        "date_start",
        "a document-basis event is dated by its document's publication date",
        "from events t join documents d on d.doc_id = t.doc_id "
        "where t.date_basis = 'document' and t.date_start is distinct from d.published",
    )
    failures += _sql_failure(
        con,
        TABLES["entities"],
        "n_mentions",
        "n_mentions equals the number of mentions with this entity_id",
        "from entities t left join (select entity_id, count(*) as n from mentions "
        "group by entity_id) m on m.entity_id = t.entity_id "
        "where t.n_mentions is distinct from coalesce(m.n, 0)",
    )
    failures += _sql_failure(
        con,
        TABLES["happenings"],
        "n_events",
        "n_events equals the number of events with this happening_id",
        "from happenings t left join (select happening_id, count(*) as n from events "
        "group by happening_id) e on e.happening_id = t.happening_id "
        "where t.n_events is distinct from coalesce(e.n, 0)",
    )
    return failures


def row_count_failures(con: duckdb.DuckDBPyConnection, min_rows: dict[str, int]) -> list[Failure]:
    """Tables with fewer rows than expected: a run that yields nothing should fail loudly."""
    failures = []
    for name, n in sorted(min_rows.items()):
        count = con.execute(f"select count(*) from {name}").fetchone()[0]
        if count < n:
            failures.append(Failure(name, None, f"at least {n} row(s) (validate.min_rows)", count))
    return failures


def relational_failures(con: duckdb.DuckDBPyConnection, min_rows: dict[str, int]) -> list[Failure]:
    """Checks across rows and tables in SQL; `con` has a view or table per published table."""
    return key_failures(con) + consistency_failures(con) + row_count_failures(con, min_rows)


SPAN_TABLES = [name for name, table in TABLES.items() if table.spans_text]


# --- entry points --------------------------------------------------------------------------


DUCKDB_MEMORY = "64MB"
"""What DuckDB may hold before it spills to disk. Its hash tables (key checks, digests) grow
with the corpus: with a gigabyte allowed, validate's peak grew with every document added, so
it spills early instead, at the cost of some speed on a large corpus."""


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection on one thread that spills to a temporary folder beyond a small budget.

    One thread, since each thread holds its own hash tables; the folder goes with the
    connection.
    """
    spill = tempfile.mkdtemp(prefix="chronicle-duckdb-")
    con = duckdb.connect(
        config={
            "memory_limit": DUCKDB_MEMORY,
            "threads": 1,
            "preserve_insertion_order": False,
            "temp_directory": spill,
        }
    )
    weakref.finalize(con, shutil.rmtree, spill, True)
    return con


def validate(tables: dict[str, pd.DataFrame], min_rows: dict[str, int]) -> list[Failure]:
    """All failures for tables held in memory (small corpora, tests); empty means valid."""
    failures = [f for name, frame in tables.items() for f in schema_failures(TABLES[name], frame)]
    con = connect()
    arrow = {name: to_arrow(frame, TABLES[name]) for name, frame in tables.items()}
    for name, table in arrow.items():
        con.register(name, table)
    texts = DocumentTexts(arrow["documents"])
    failures += [
        f for name in SPAN_TABLES for f in span_failures(name, arrow[name].to_pylist(), texts)
    ]
    return _merge(failures + relational_failures(con, min_rows))


def span_docs(changed: Changed, name: str) -> set[str | None] | None:
    """Documents whose spans in `name` are checked: their rows or their text changed."""
    rows, texts = changed[name], changed["documents"]
    return None if rows is None or texts is None else rows | texts


def file_span_failures(paths: dict[str, Path], changed: Changed) -> list[Failure]:
    """Span failures of the span tables' rows in the documents `span_docs` selects."""
    docs = {name: span_docs(changed, name) for name in SPAN_TABLES}
    wanted = [d for d in docs.values() if d is None or d]
    if not wanted:
        return []
    texts = DocumentTexts(
        paths["documents"] if None in wanted else changed_texts(paths["documents"], docs)
    )
    failures: list[Failure] = []
    for name in SPAN_TABLES:
        columns = span_check_columns(name)
        if docs[name] is None:
            chunks = pq.ParquetFile(paths[name]).iter_batches(columns=columns)
        else:
            chunks = rows_in_groups(paths[name], "doc_id", docs[name], columns)
        rows = (row for batch in chunks for row in batch.to_pylist())
        failures += span_failures(name, rows, texts)
    return failures


def changed_texts(documents: Path, docs: dict[str, set[str | None] | None]) -> pa.Table:
    """The doc_id and text of the documents whose spans are checked (and only those)."""
    every = set().union(*(d for d in docs.values() if d))
    schema = pq.read_schema(documents)
    parts = list(rows_in_groups(documents, "doc_id", every, ["doc_id", "text"]))
    empty = pa.schema([schema.field("doc_id"), schema.field("text")]).empty_table()
    return pa.concat_tables([empty, *parts]) if parts else empty


def table_views(paths: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view per table over its Parquet file."""
    missing = [f"{name} ({path})" for name, path in paths.items() if not path.exists()]
    if missing:
        raise StageError(f"validate: tables missing: {', '.join(missing)}; run their stages")
    con = connect()
    for name, path in paths.items():
        quoted = str(path).replace("'", "''")
        con.execute(f"create view {name} as select * from read_parquet('{quoted}')")
    return con


def validate_files(
    paths: dict[str, Path],
    min_rows: dict[str, int],
    changed: Changed | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> list[Failure]:
    """All failures for tables stored as Parquet, read a batch at a time.

    Pandera and the span check see only the `changed` groups (all rows if None); the checks
    across rows and tables always see every row.
    """
    con = con or table_views(paths)
    changed = changed if changed is not None else dict.fromkeys(paths)
    found = [
        f
        for name, path in paths.items()
        for frame in changed_frames(name, path, changed[name])
        for f in schema_failures(TABLES[name], frame)
    ]
    order = list(TABLES)  # batch boundaries differ between full and incremental runs
    failures = sorted(_merge(found), key=lambda f: (order.index(f.table), f.column or "", f.check))
    failures += file_span_failures(paths, changed)
    return _merge(failures + relational_failures(con, min_rows))


def report_path(params: Params) -> Path:
    """The validation report, written only when everything passed."""
    return stage_dir(params, "validate") / "report.json"


def run(params: Params) -> None:
    """Validate what changed since the last pass; on failure print the report and stop."""
    report_path(params).unlink(missing_ok=True)  # a stale pass must never license publish
    unknown = sorted(set(params.validate.min_rows) - set(TABLES))
    if unknown:
        raise StageError(f"params.yaml: validate.min_rows names unknown table {unknown[0]}")
    paths = {name: table_path(params, name) for name in TABLES}
    con = table_views(paths)
    version = state_version(params)
    now = current_digests(con, paths)
    changed = changed_groups(con, now, load_state(state_path(params), version))
    failures = validate_files(paths, params.validate.min_rows, changed, con)
    checked = {name: "all" if g is None else len(g) for name, g in changed.items()}
    write_run_log(params, "validate", {"groups_checked": checked, "groups": now.rows.num_rows})
    if failures:
        report = "\n".join(str(f) for f in failures)
        print(
            f"Validation failed: {len(failures)} problem(s); nothing was published.\n\n{report}\n",
            file=sys.stderr,
        )
        sys.exit(1)
    save_state(now, state_path(params), version)
    rows = {name: pq.ParquetFile(path).metadata.num_rows for name, path in paths.items()}
    write_json({"ok": True, "schema_version": SCHEMA_VERSION, "rows": rows}, report_path(params))
    log.info("validate: %d tables passed (%s rows)", len(rows), sum(rows.values()))
