"""Validate's DuckDB connection: a small memory budget, spilling to a folder that goes with it."""

from __future__ import annotations

import gc
from pathlib import Path

from pipeline.validate.stage import connect


def test_a_key_check_larger_than_the_budget_spills_and_holds():
    con = connect()
    duplicates = con.execute(
        "select count(*) from (select 'key ' || i::varchar as k from range(2000000) t(i)) "
        "group by k having count(*) > 1"
    ).fetchall()
    assert duplicates == []
    assert con.execute("select current_setting('threads')").fetchone()[0] == 1


def test_the_spill_folder_goes_with_the_connection():
    con = connect()
    folder = Path(con.execute("select current_setting('temp_directory')").fetchone()[0])
    assert folder.is_dir()
    del con
    gc.collect()
    assert not folder.exists()
