"""How a release is laid out and how its CSV cells are written.

Shared by the publish stage, which writes a release, and `pipeline.load`, which reads one
without importing any stage.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    import pandera.pandas as pandera


def csv_path(table: str) -> str:
    """Path of a table's CSV copy, relative to the outputs folder."""
    return f"csv/{table}.csv"


def parquet_path(table: str) -> str:
    """Path of a table's Parquet file, relative to the outputs folder."""
    return f"{table}.parquet"


def allowed_values(column: pandera.Column) -> list[str] | None:
    """The column's `isin` values, if it has that check."""
    for check in column.checks:
        if check.name == "isin":
            return list(check.statistics["allowed_values"])
    return None


CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection).

    Cells starting with = + - @ TAB or CR get a leading single quote. So do cells whose
    leading quotes are followed by one of those, which keeps the change reversible (`restore`).
    """
    return "'" + text if text.lstrip("'").startswith(CSV_TRIGGERS) else text


def restore(text: str) -> str:
    """The exact value of a CSV text cell written by `neutralise`."""
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(CSV_TRIGGERS) else text


def csv_cell(value: Any) -> str:
    """One CSV cell: lists as JSON arrays, dates as ISO 8601, nulls empty, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


FORMULA_START = r"^'*[=+\-@\t\r]"
"""`neutralise`'s rule as a regular expression (leading quotes, then a trigger character)."""


def csv_column(array: pa.Array) -> list[str]:
    """A column's CSV cells, as `csv_cell` makes them (before CSV quoting)."""
    return csv_array(array).to_pylist()


def csv_array(array: pa.Array) -> pa.Array:
    """A column's CSV cells as an Arrow string array, computed column-wise.

    Every type is converted by Arrow compute; only values whose text Arrow writes differently
    from `csv_cell` (lists holding a character JSON escapes or a null, floats outside
    [1e-4, 1e9)) go through `csv_cell` one value at a time.
    """
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        array = prefix_where(array, FORMULA_START, "'", "")
        return array.fill_null("").cast(pa.string())
    if pa.types.is_integer(array.type) or pa.types.is_date32(array.type):
        return array.cast(pa.string()).fill_null("")
    if pa.types.is_boolean(array.type):
        return pc.if_else(array, "true", "false").fill_null("")
    if pa.types.is_floating(array.type):
        return _float_cells(array)
    if pa.types.is_list(array.type) and pa.types.is_string(array.type.value_type):
        return _string_list_cells(array)
    return _python_cells(array)


def _python_cells(array: pa.Array) -> pa.Array:
    """The cells made by `csv_cell`, one value at a time (types Arrow cannot render alike)."""
    return pa.array([csv_cell(value) for value in array.to_pylist()], pa.string())


JSON_ESCAPED = r'[\x00-\x1f\\"]'
"""Characters `json.dumps(..., ensure_ascii=False)` writes as an escape sequence."""


def _string_list_cells(array: pa.Array) -> pa.Array:
    """Lists of text as JSON arrays (`["a", "b"]`), joined by Arrow.

    A list holding a null or a character JSON escapes goes through `csv_cell`, so the bytes
    stay those of `json.dumps`.
    """
    joined = pc.binary_join_element_wise('["', pc.binary_join(array, '", "'), '"]', "")
    cells = pc.if_else(pc.equal(pc.list_value_length(array), 0), "[]", joined).fill_null("")
    items = pc.list_flatten(array)
    escaped = pc.or_kleene(pc.is_null(items), pc.match_substring_regex(items, JSON_ESCAPED))
    rows = pc.unique(pc.filter(pc.list_parent_indices(array), escaped))
    if not len(rows):
        return plain_array(cells)
    mask = pc.is_in(pa.array(range(len(array)), pa.int64()), value_set=rows.cast(pa.int64()))
    exact = pa.array([csv_cell(array[i].as_py()) for i in sorted(rows.to_pylist())], pa.string())
    return plain_array(pc.replace_with_mask(cells, mask, exact))


def plain_array(cells: pa.Array) -> pa.Array:
    """`cells` as a plain string array (Arrow compute may hand back a chunked one)."""
    return cells.combine_chunks() if isinstance(cells, pa.ChunkedArray) else cells


def _float_cells(array: pa.Array) -> pa.Array:
    """Floats as Python's `repr` writes them.

    Arrow writes the same shortest digits for 0 and for magnitudes in [1e-4, 1e9), less the
    ".0" of a whole number; other values (exponents, inf, nan) go through `csv_cell`.
    """
    magnitude = pc.abs(array)
    plain = pc.or_(
        pc.equal(magnitude, 0), pc.and_(pc.greater_equal(magnitude, 1e-4), pc.less(magnitude, 1e9))
    )
    if pc.any(pc.invert(plain)).as_py():
        return _python_cells(array)
    text = array.cast(pa.string())
    whole = pc.invert(pc.match_substring(text, "."))
    return pc.if_else(whole, pc.binary_join_element_wise(text, ".0", ""), text).fill_null("")


CSV_NEEDS_QUOTES = '[",\r\n]'
"""A cell holding a comma, a double quote, a CR or a LF is written between double quotes.

Python's `csv.writer` quotes a cell holding a character of *its* line terminator: with "\n"
as terminator, a bare CR went unquoted on some Pythons, and readers took it as a line end
(an empty macOS `Icon\r` file added a row to rejects.csv). The rule is applied here, so every
Python writes the same bytes.
"""


def quote_csv(cells: pa.Array) -> pa.Array:
    """CSV fields of text cells (RFC 4180): quoted, inner quotes doubled, when needed."""
    return prefix_where(cells, CSV_NEEDS_QUOTES, '"', '"', double_quotes=True)


PATTERN_CHARACTERS = {FORMULA_START: "=+-@\t\r", CSV_NEEDS_QUOTES: '",\r\n'}
"""Characters without one of which in a column no cell can match the pattern."""


def value_bytes(array: pa.Array) -> memoryview:
    """The UTF-8 bytes of a string array's values, one after another (none for nulls)."""
    _, offsets, data = array.buffers()
    if data is None or not len(array):
        return memoryview(b"")
    width = pa.int64() if pa.types.is_large_string(array.type) else pa.int32()
    ends = pa.Array.from_buffers(width, len(array) + 1, [None, offsets], offset=array.offset)
    return memoryview(data)[ends[0].as_py() : ends[-1].as_py()]


def may_match(cells: pa.Array, pattern: str) -> bool:
    """False when no cell can match `pattern`: the column holds none of its characters.

    One search of the column's bytes per character (as fast as copying them), where a
    regular expression cell by cell cost several times more on columns of ids and labels.
    """
    characters = PATTERN_CHARACTERS.get(pattern)
    if characters is None:
        return True
    values = value_bytes(cells).tobytes()
    return any(c.encode() in values for c in characters)


def prefix_where(
    cells: pa.Array, pattern: str, before: str, after: str, double_quotes: bool = False
) -> pa.Array:
    """`cells` with the ones matching `pattern` wrapped in `before` and `after`.

    Only the matching cells are rewritten (most cells need nothing, and rewriting every cell
    of a text column cost more than finding the few).
    """
    if not may_match(cells, pattern):
        return cells
    flagged = pc.match_substring_regex(cells, pattern).fill_null(False)
    if not pc.any(flagged).as_py():
        return cells
    chosen = pc.filter(cells, flagged)
    if double_quotes:
        chosen = pc.replace_substring(chosen, '"', '""')
    wrapped = pc.binary_join_element_wise(before, chosen, after, "")
    return pc.replace_with_mask(cells, flagged, wrapped.cast(cells.type))


UNQUOTED_TYPES = (
    pa.types.is_integer,
    pa.types.is_date32,
    pa.types.is_boolean,
    pa.types.is_floating,
)
"""Types whose cells never hold a character that needs quotes."""


def csv_field(column: pa.Array) -> pa.Array:
    """A column's CSV fields: its cells, quoted where RFC 4180 needs it.

    A dictionary column's few values are rendered once and taken for each row.
    """
    if pa.types.is_dictionary(column.type):
        fields = csv_field(plain_array(column.dictionary))
        return plain_array(fields.take(column.indices).fill_null(""))
    cells = csv_array(column)
    if any(is_type(column.type) for is_type in UNQUOTED_TYPES):
        return cells
    return plain_array(quote_csv(cells))


def csv_bytes(rows: pa.RecordBatch | pa.Table) -> memoryview:
    """The UTF-8 bytes of the CSV lines (LF-terminated) of a batch's rows, as `csv_lines`.

    Each row's line is joined by Arrow, and the lines lie one after another in the result's
    data buffer, which is handed over as it is: no Python per row, and no copy as text.
    """
    if not rows.num_rows:
        return memoryview(b"")
    fields = [csv_field(plain_array(column)) for column in rows.columns]
    lines = plain_array(
        pc.binary_join_element_wise(pc.binary_join_element_wise(*fields, ","), "\n", "")
    )
    if lines.null_count:  # every field is rendered, never null; a null line would be lost
        raise ValueError("a CSV line came out null")
    return value_bytes(lines)


def csv_lines(rows: pa.RecordBatch | pa.Table) -> str:
    """The CSV lines (LF-terminated) of a batch's rows, cells as `csv_cell` makes them."""
    return bytes(csv_bytes(rows)).decode("utf-8")


def csv_header(names: list[str]) -> str:
    """The header line of a CSV copy."""
    return ",".join(quote_csv(pa.array(names, pa.string())).to_pylist()) + "\n"
