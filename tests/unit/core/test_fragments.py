"""Tables kept per shard as Arrow fragments: concatenated in doc_id order, the bytes of a
row-by-row write, remade when damaged or when a shard changed behind the stage's back.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core import io
from pipeline.core.cache import CorruptEntryError, DocCache, Fragments, dump_json, load_json
from pipeline.core.io import TableWriter, plain_schema

SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("word", pa.string()),
        ("kind", pa.dictionary(pa.int32(), pa.string())),
        ("n", pa.int64()),
    ]
)
PLAIN = plain_schema(SCHEMA)


def rows_of(key: str, parts) -> dict[str, list[dict]]:
    _, raw = parts
    return {"words": load_json(raw)}


FRAGMENTS = Fragments({"words": PLAIN}, rows_of)


def words(key: str, text: str) -> list[dict]:
    kinds = ["long" if len(w) > 4 else "short" if w else None for w in text.split(" ")]
    return [
        {"doc_id": key, "word": w or None, "kind": k, "n": i}
        for i, (w, k) in enumerate(zip(text.split(" "), kinds, strict=True))
    ]


TEXTS = {
    "doc_ff01": "the last shard",
    "doc_0a11": "an edited  text with an empty word",
    "doc_0a02": "first in its shard",
    "doc_3f00": "the middle of the alphabet",
}


def filled(root: Path, texts: dict[str, str] = TEXTS) -> DocCache:
    store = DocCache(root, "v1", FRAGMENTS)
    for key, text in texts.items():
        store.write(key, [dump_json({"inputs": {"text": text}}), dump_json(words(key, text))])
    store.pack()
    return store


def table_of(store: DocCache) -> pa.Table:
    return pa.concat_tables([f["words"] for f in store.tables()])


def test_fragments_concatenate_to_the_rows_in_doc_id_order(tmp_path):
    store = filled(tmp_path / "c")
    expected = [row for key in sorted(TEXTS) for row in words(key, TEXTS[key])]
    assert table_of(store).to_pylist() == expected
    assert store.keys() == sorted(TEXTS)
    store.check_covers(sorted(TEXTS))
    with pytest.raises(CorruptEntryError, match="does not hold the documents"):
        store.check_covers([*sorted(TEXTS), "doc_ff99"])


def test_a_table_written_from_fragments_is_the_bytes_of_one_written_row_by_row(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(io, "BYTES_PER_GROUP", 30)  # row groups cut by text too
    texts = {f"doc_{k:02x}{k:02x}": " ".join(["word"] * (k % 7 + 1)) for k in range(0, 256, 5)}
    store = filled(tmp_path / "c", texts)
    with TableWriter(SCHEMA, tmp_path / "rows.parquet", rows_per_group=9) as out:
        for key in sorted(texts):
            out.write(words(key, texts[key]))
    with TableWriter(SCHEMA, tmp_path / "fragments.parquet", rows_per_group=9) as out:
        for fragments in store.tables():
            out.write_table(fragments["words"])
    rows, frags = (tmp_path / "rows.parquet"), (tmp_path / "fragments.parquet")
    assert pq.ParquetFile(rows).num_row_groups > 10
    assert hashlib.sha256(rows.read_bytes()).digest() == hashlib.sha256(frags.read_bytes()).digest()


def test_an_edit_remakes_only_its_shards_fragments(tmp_path):
    root = tmp_path / "c"
    filled(root)
    before = {p.name: p.stat().st_ino for p in (root / "shards").iterdir()}
    store = DocCache(root, "v1", FRAGMENTS)
    store.write(
        "doc_0a11", [dump_json({"inputs": {"text": "x"}}), dump_json(words("doc_0a11", "x"))]
    )
    store.pack()
    after = {p.name: p.stat().st_ino for p in (root / "shards").iterdir()}
    assert [name for name in after if after[name] != before[name]] == ["0a.pack"]
    assert [r["word"] for r in table_of(store).to_pylist()][:5] == [
        "first",
        "in",
        "its",
        "shard",
        "x",
    ]


def test_a_damaged_fragment_is_made_again_from_its_entries(tmp_path, caplog):
    root = tmp_path / "c"
    store = filled(root)
    where = store.shards.shard_index("3f").fragments["words"]
    path = root / "shards" / "3f.pack"
    raw = bytearray(path.read_bytes())
    raw[where.offset + where.length // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING):
        table = table_of(store)
    assert "does not match its checksum" in caplog.text
    assert table.to_pylist() == [row for key in sorted(TEXTS) for row in words(key, TEXTS[key])]


def test_a_shard_changed_since_packed_is_read_whole_and_its_damaged_entry_dropped(tmp_path, caplog):
    root = tmp_path / "c"
    store = filled(root)
    located = store.shards.index("0a")["doc_0a11"]
    path = root / "shards" / "0a.pack"
    raw = bytearray(path.read_bytes())
    raw[located.offset + located.length - 40] ^= 0xFF  # in the rows part, headers intact
    path.write_bytes(bytes(raw))
    with caplog.at_level(logging.WARNING):
        again = DocCache(root, "v1", FRAGMENTS)
    assert "doc_0a11" in caplog.text and "corrupt" in caplog.text
    assert again.keys() == ["doc_0a02", "doc_3f00", "doc_ff01"]  # the stage recomputes it
    assert not again.fresh("doc_0a11", {"text": TEXTS["doc_0a11"]})


def test_an_unchanged_store_is_not_rewritten_when_opened(tmp_path):
    root = tmp_path / "c"
    filled(root)
    before = {p.name: p.stat().st_ino for p in (root / "shards").iterdir()}
    DocCache(root, "v1", FRAGMENTS)
    assert {p.name: p.stat().st_ino for p in (root / "shards").iterdir()} == before
