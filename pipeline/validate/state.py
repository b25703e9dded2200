"""What the last passing validation saw, so that a re-run checks only what changed.

Each table's rows are grouped by document (`doc_id`), or by primary key for tables that are
not per document (entities, happenings, rejects), and each group gets a 64-bit digest of its
rows, computed by DuckDB over the Parquet file: no Python per row. One row of the state is a
group's digest (`table`, `grp`, `digest`); the file's metadata holds the version stamp and
each table's Arrow schema, hashed.

A group whose digest is new or differs from the last passing run's is *changed*: its rows go
through pandera and the span check again. A table whose schema changed, a missing or damaged
state, or a state written by other code or params, makes every group changed. The state is
written only after a run that passed, so a failure is checked again on the next run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import version as installed_version
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.cache import version_of
from pipeline.core.codedeps import code_paths
from pipeline.core.config import Params
from pipeline.core.io import PARQUET_OPTIONS, atomic_path
from pipeline.core.stage import log
from schemas import TABLES

STATE_FILE = "digests.parquet"
"""The one file of the state folder (`<paths.cache>/validate/`)."""

STATE_SCHEMA = pa.schema([("table", pa.string()), ("grp", pa.string()), ("digest", pa.uint64())])


def state_path(params: Params) -> Path:
    """Where the digests of the last passing run are kept."""
    return params.paths.cache / "validate" / STATE_FILE


def state_version(params: Params) -> str:
    """The stamp of the code, params and libraries that digest and validate the rows."""
    settings = {
        "validate": params.validate,
        "duckdb": duckdb.__version__,
        "pandera": installed_version("pandera"),
        "pyarrow": pa.__version__,
    }
    return version_of(*code_paths("pipeline.validate"), settings=settings)


def group_column(name: str, path: Path) -> str:
    """The column rows are grouped by: doc_id where the table has it, else the primary key."""
    return "doc_id" if "doc_id" in pq.read_schema(path).names else TABLES[name].primary_key[0]


def schema_digest(path: Path) -> str:
    """A hash of a Parquet file's Arrow schema (names, types, nullability)."""
    schema = pq.read_schema(path).remove_metadata()
    return hashlib.sha256(str(schema).encode()).hexdigest()[:16]


@dataclass
class Digests:
    """Every group's digest in the tables now, with the tables' schema hashes."""

    rows: pa.Table
    schemas: dict[str, str]


def current_digests(con: duckdb.DuckDBPyConnection, paths: dict[str, Path]) -> Digests:
    """Each group's digest: a hash of its row count and the sum of its rows' hashes.

    One table at a time, so that DuckDB holds one table's groups, not all of them.
    """
    cursor = con.cursor()  # its own results: the caller's open results stay as they are
    parts = []
    for name, path in paths.items():
        quoted = str(path).replace("'", "''")
        parts.append(
            cursor.sql(
                f"select '{name}' as \"table\", {group_column(name, path)}::varchar as grp, "
                f"hash(count(*), sum(hash(t)::hugeint)) as digest "
                f"from read_parquet('{quoted}') t group by grp"
            )
            .to_arrow_table()
            .cast(STATE_SCHEMA)
        )
    rows = pa.concat_tables(parts).combine_chunks()
    return Digests(rows, {name: schema_digest(path) for name, path in paths.items()})


def load_state(path: Path, version: str) -> Digests | None:
    """The last passing run's digests, or None (with one log line) if unusable."""
    if not path.exists():
        log.info("validate: no state from a passing run; checking every row")
        return None
    try:
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        if meta.get(b"version", b"").decode() != version:
            log.info("validate: code, params or libraries changed; checking every row")
            return None
        schemas = json.loads(meta[b"schemas"])
        return Digests(table.cast(STATE_SCHEMA).replace_schema_metadata(None), schemas)
    except (OSError, ValueError, KeyError, pa.ArrowException) as err:
        log.info("validate: state %s unreadable (%s); checking every row", path, err)
        return None


def save_state(digests: Digests, path: Path, version: str) -> None:
    """Record a passing run's digests (atomically: a crash leaves the last state whole)."""
    meta = {"version": version, "schemas": json.dumps(digests.schemas, sort_keys=True)}
    table = digests.rows.replace_schema_metadata(meta)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, **PARQUET_OPTIONS)


Changed = dict[str, set[str | None] | None]
"""Per table, the groups to check again; None means every row of the table."""


def changed_groups(con: duckdb.DuckDBPyConnection, now: Digests, before: Digests | None) -> Changed:
    """The groups of each table whose digest is not the one the last passing run saw."""
    if before is None:
        return dict.fromkeys(now.schemas)
    cursor = con.cursor()
    cursor.register("now_digests", now.rows)
    cursor.register("before_digests", before.rows)
    new = cursor.sql(
        'select n."table", n.grp from now_digests n left join before_digests b '
        'on b."table" = n."table" and b.grp = n.grp and b.digest = n.digest '
        "where b.digest is null"
    ).fetchall()
    changed: Changed = {
        name: (None if before.schemas.get(name) != digest else set())
        for name, digest in now.schemas.items()
    }
    for name, grp in new:
        groups = changed[name]
        if groups is not None:
            groups.add(grp)
    return changed
