"""Stage 6, validate: every table against its schema and every link between tables.

Nothing is published unless all of it holds. A failure prints a report naming the table, the
column, the check and the first failing rows, and the stage exits non-zero so DVC stops before
publish and `outputs/` is left untouched.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.config import Params
from pipeline.io import read_table, write_json
from pipeline.stage import StageError, log, main, stage_dir, table_path
from schemas import SCHEMA_VERSION, TABLES, Table

MAX_EXAMPLES = 5
"""Failing rows shown per problem; the count says how many there are in all."""


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
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    else:
        return []
    failures = []
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=True):
        examples = []
        for case in group.head(MAX_EXAMPLES).itertuples():
            label = _row_label(frame, table, case.index) if pd.notna(case.index) else "table"
            examples.append(f"{label}: {column}={case.failure_case!r}")
        failures.append(Failure(table.name, None if pd.isna(column) else str(column),
                                str(check), len(group), examples))
    return failures


def _failure(table: Table, frame: pd.DataFrame, mask: pd.Series, column: str | None,
             check: str) -> list[Failure]:
    """A Failure for the rows where `mask` is True, or nothing when there are none."""
    bad = frame[mask]
    if bad.empty:
        return []
    examples = [_row_label(frame, table, i) + (f": {column}={bad.at[i, column]!r}"
                                                if column else "")
                for i in bad.index[:MAX_EXAMPLES]]
    return [Failure(table.name, column, check, len(bad), examples)]


def key_failures(tables: dict[str, pd.DataFrame]) -> list[Failure]:
    """Primary keys unique and non-null; every non-null foreign key resolves."""
    failures = []
    for name, frame in tables.items():
        table = TABLES[name]
        pk = list(table.primary_key)
        failures += _failure(table, frame, frame[pk].isna().any(axis=1) |
                             frame.duplicated(pk, keep=False), pk[0], "primary key unique, "
                             "not null")
        for fk in table.foreign_keys:
            known = set(tables[fk.ref_table][fk.ref_column])
            values = frame[fk.column]
            dangling = values.notna() & ~values.isin(known)
            failures += _failure(table, frame, dangling, fk.column,
                                 f"foreign key -> {fk.ref_table}.{fk.ref_column}")
    return failures


def span_failures(tables: dict[str, pd.DataFrame]) -> list[Failure]:
    """Every span's offsets lie inside its document and its text is the text at those offsets."""
    texts = dict(zip(tables["documents"]["doc_id"], tables["documents"]["text"], strict=True))
    failures = []
    for name, frame in tables.items():
        table = TABLES[name]
        pairs = [("start_char", "end_char", "text")] if table.spans_text else []
        if name == "events":
            pairs.append(("trigger_start_char", "trigger_end_char", "trigger_text"))
        for start, end, text in pairs:
            matches = [texts.get(d, "")[s:e] == t for d, s, e, t in
                       zip(frame["doc_id"], frame[start], frame[end], frame[text], strict=True)]
            failures += _failure(table, frame, ~pd.Series(matches, index=frame.index, dtype=bool),
                                 text, f"{text} == documents.text[{start}:{end}]")
    return failures


def consistency_failures(tables: dict[str, pd.DataFrame]) -> list[Failure]:
    """Cross-table facts: events carry their timex's interval; entity counts match mentions."""
    failures = []
    events, timexes = tables["events"], tables["timexes"].set_index("timex_id")
    if len(events):
        joined = timexes.reindex(events["timex_id"])
        same = [(a == b) or (pd.isna(a) and pd.isna(b)) for a, b in
                zip(events["date_start"], joined["date_start"], strict=True)]
        failures += _failure(TABLES["events"], events, ~pd.Series(same, index=events.index),
                             "date_start", "date_start equals its timex's date_start")
    counts = tables["mentions"]["entity_id"].value_counts()
    entities = tables["entities"]
    wrong = entities["n_mentions"] != entities["entity_id"].map(counts).fillna(0)
    failures += _failure(TABLES["entities"], entities, wrong, "n_mentions",
                         "n_mentions equals the number of mentions with this entity_id")
    return failures


def row_count_failures(tables: dict[str, pd.DataFrame], min_rows: dict[str, int]) -> list[Failure]:
    """Tables with fewer rows than expected: a run that yields nothing should fail loudly."""
    return [Failure(name, None, f"at least {n} row(s) (validate.min_rows)", len(tables[name]))
            for name, n in sorted(min_rows.items()) if name in tables and len(tables[name]) < n]


def validate(tables: dict[str, pd.DataFrame], min_rows: dict[str, int]) -> list[Failure]:
    """All failures, schema first; an empty list means the tables may be published."""
    failures = [f for name, frame in tables.items() for f in schema_failures(TABLES[name], frame)]
    failures += key_failures(tables)
    failures += span_failures(tables)
    failures += consistency_failures(tables)
    failures += row_count_failures(tables, min_rows)
    return failures


def load_tables(params: Params) -> dict[str, pd.DataFrame]:
    """Every table as its producing stage wrote it."""
    return {name: read_table(table_path(params, name), table) for name, table in TABLES.items()}


def report_path(params: Params) -> Path:
    """The validation report, written only when everything passed."""
    return stage_dir(params, "validate") / "report.json"


def run(params: Params) -> None:
    """Validate every table; on failure print the report and stop before publish."""
    unknown = sorted(set(params.validate.min_rows) - set(TABLES))
    if unknown:
        raise StageError(f"params.yaml: validate.min_rows names unknown table {unknown[0]}")
    tables = load_tables(params)
    failures = validate(tables, params.validate.min_rows)
    if failures:
        report = "\n".join(str(f) for f in failures)
        print(f"Validation failed: {len(failures)} problem(s); nothing was published.\n\n"
              f"{report}\n", file=sys.stderr)
        report_path(params).unlink(missing_ok=True)
        sys.exit(1)
    write_json({"ok": True, "schema_version": SCHEMA_VERSION,
                "rows": {name: len(frame) for name, frame in tables.items()}},
               report_path(params))
    log.info("validate: %d tables passed (%s rows)", len(tables),
             sum(len(frame) for frame in tables.values()))


if __name__ == "__main__":
    main(run)
