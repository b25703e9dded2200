"""The sharded per-document store: entries packed into shards, read by key, damage recovered.

Real files throughout: entries are written as the stages write them, packed, read back and
damaged byte by byte.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pipeline.core import cache
from pipeline.core.cache import DocCache, dump_json, load_json

KEYS = ["doc_0a11", "doc_0a22", "doc_3f00", "doc_ff00"]
"""Four documents in three shards (0a, 3f, ff)."""


def entry(key: str, text: str = "first") -> list[bytes]:
    """A two-part entry as the stages write it: a header with its inputs, then the rows."""
    return [dump_json({"inputs": {"text": text}}), dump_json({"doc_id": key, "text": text})]


def filled(root: Path, keys: list[str] = KEYS) -> DocCache:
    store = DocCache(root, "v1")
    for key in keys:
        store.write(key, entry(key))
    store.pack()
    return store


def shard_files(root: Path) -> dict[str, int]:
    """Each shard file's inode: a rewritten shard (atomic replace) has a new one."""
    return {p.name: p.stat().st_ino for p in sorted((root / "shards").iterdir())}


def flip(path: Path, where: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[where] ^= 0xFF
    path.write_bytes(bytes(raw))


def test_entries_are_packed_into_their_shards_and_read_by_key(tmp_path):
    store = filled(tmp_path / "c")
    assert list(shard_files(tmp_path / "c")) == ["0a.pack", "3f.pack", "ff.pack"]
    assert not list((tmp_path / "c" / "pending").iterdir())
    assert load_json(store.read("doc_0a22")[1]) == {"doc_id": "doc_0a22", "text": "first"}
    assert store.fresh("doc_3f00", {"text": "first"})
    assert not store.fresh("doc_3f00", {"text": "edited"})
    assert not store.fresh("doc_3f01", {"text": "first"})
    # the digest that names an entry is the same as an entry file's trailer
    cache.write_entry(tmp_path / "alone.spacy", entry("doc_ff00"))
    trailer = (tmp_path / "alone.spacy").read_bytes()[-32:].hex()
    assert cache.reader(tmp_path / "c").digest("doc_ff00") == trailer


def test_a_shard_is_its_entries_byte_for_byte_in_key_order_then_its_index(tmp_path):
    store = filled(tmp_path / "c", ["doc_0a22", "doc_0a11"])
    for key in ("doc_0a11", "doc_0a22"):
        cache.write_entry(tmp_path / f"{key}.spacy", entry(key))
    shard = store.shards.shard_path("0a").read_bytes()
    alone = [(tmp_path / f"{key}.spacy").read_bytes() for key in ("doc_0a11", "doc_0a22")]
    assert shard.startswith(cache.SHARD_MAGIC + alone[0] + alone[1])
    index = cache.read_index(store.shards.shard_path("0a"))
    assert [index[k].offset for k in ("doc_0a11", "doc_0a22")] == [
        len(cache.SHARD_MAGIC),
        len(cache.SHARD_MAGIC) + len(alone[0]),
    ]


def test_an_edit_or_a_removal_rewrites_only_its_shard(tmp_path):
    root = tmp_path / "c"
    filled(root)
    before = shard_files(root)
    store = DocCache(root, "v1")
    store.write("doc_3f00", entry("doc_3f00", "edited"))
    store.pack()
    after = shard_files(root)
    assert [name for name in after if after[name] != before[name]] == ["3f.pack"]
    assert load_json(store.read("doc_3f00")[1])["text"] == "edited"
    assert load_json(store.read("doc_0a11")[1])["text"] == "first"  # copied, unchanged

    store.keep_only({"doc_0a11", "doc_3f00", "doc_ff00"})
    store.pack()
    final = shard_files(root)
    assert [name for name in final if final[name] != after[name]] == ["0a.pack"]
    assert store.stale_removed == 1 and not store.fresh("doc_0a22", {"text": "first"})
    store.keep_only({"doc_0a11", "doc_3f00"})
    store.pack()
    assert list(shard_files(root)) == ["0a.pack", "3f.pack"]  # an empty shard is deleted


def test_a_damaged_entry_in_a_shard_is_detected_dropped_and_recomputed(tmp_path, caplog):
    store = filled(tmp_path / "c")
    where = cache.read_index(store.shards.shard_path("0a"))["doc_0a22"]
    flip(store.shards.shard_path("0a"), where.offset + where.length - 40)  # in its rows
    assert store.fresh("doc_0a22", {"text": "first"})  # the index is whole: trusted at first
    with pytest.raises(cache.CorruptEntryError, match="checksum"):
        store.read("doc_0a22")
    with caplog.at_level(logging.WARNING, "chronicle.cache"):
        assert not store.usable("doc_0a22", {"text": "first"}, verify=True)
    assert "doc_0a22" in caplog.text and store.corrupt == 1
    store.write("doc_0a22", entry("doc_0a22"))  # what the stage does: recompute it
    store.pack()
    assert store.check("doc_0a22") and store.check("doc_0a11")


def test_a_damaged_index_gives_up_its_shard_only(tmp_path, caplog):
    store = filled(tmp_path / "c")
    flip(store.shards.shard_path("0a"), -45)  # in the index
    store = DocCache(tmp_path / "c", "v1")
    with caplog.at_level(logging.WARNING, "chronicle.cache"):
        assert not store.fresh("doc_0a11", {"text": "first"})
    assert "0a.pack is damaged" in caplog.text
    assert store.fresh("doc_3f00", {"text": "first"}) and store.corrupt == 1
    store.write("doc_0a11", entry("doc_0a11"))
    store.pack()  # the shard is rebuilt from what was recomputed
    assert list(cache.read_index(store.shards.shard_path("0a"))) == ["doc_0a11"]


def test_a_killed_runs_whole_entries_are_packed_and_half_written_ones_removed(tmp_path):
    root = tmp_path / "c"
    store = filled(root)
    store.write("doc_3f11", entry("doc_3f11"))  # whole, but killed before `pack`
    half = store.writer("doc_ff11")
    half.add(b"the start of a long parse")  # killed mid-entry: only a temporary exists
    assert [p.name for p in (root / "pending").iterdir() if not p.name.startswith(".")] == [
        "doc_3f11.spacy"
    ]
    store = DocCache(root, "v1")  # the next run
    assert store.fresh("doc_3f11", {"text": "first"})
    assert not store.fresh("doc_ff11", {"text": "first"})
    assert list((root / "pending").iterdir()) == []


def test_a_run_killed_while_packing_leaves_the_old_shard_whole(tmp_path, monkeypatch):
    root = tmp_path / "c"
    old = filled(root).shards.shard_path("3f").read_bytes()
    store = DocCache(root, "v1")
    store.write("doc_3f00", entry("doc_3f00", "edited"))

    def killed(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cache, "_copy", killed)
    with pytest.raises(KeyboardInterrupt):
        store.pack()
    monkeypatch.undo()
    assert store.shards.shard_path("3f").read_bytes() == old
    assert sorted(p.name for p in (root / "shards").iterdir()) == ["0a.pack", "3f.pack", "ff.pack"]
    store = DocCache(root, "v1")  # the next run packs the edit
    assert store.fresh("doc_3f00", {"text": "edited"})


def test_a_new_version_starts_the_store_afresh(tmp_path):
    filled(tmp_path / "c")
    store = DocCache(tmp_path / "c", "v2")
    assert not store.fresh("doc_3f00", {"text": "first"})
    assert not (tmp_path / "c" / "shards").exists()
