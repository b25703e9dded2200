"""Attacks on settled shards: can a re-run reuse an entry made from other inputs?

Each test runs the two-store pipeline of `test_settled` through a sequence a user can cause
(a killed run, a restored snapshot, an upstream shard lost, documents out of key order) and
checks that the later stage redoes exactly the documents whose inputs changed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.core.cache import CorruptEntryError, DocCache, dump_json
from tests.unit.core.test_fragments import FRAGMENTS, words
from tests.unit.core.test_settled import TEXTS, run, upstream


def entry_inputs(root: Path, key: str) -> dict:
    """The inputs an entry of the later stage's store was made from, as its index holds them."""
    return DocCache(root, "v1", FRAGMENTS).shards.index(key.rpartition("_")[2][:2])[key].inputs


def test_a_run_killed_between_pack_and_record_settled_leaves_nothing_settled(tmp_path):
    """The record of the run before names the old shard: the packed one is asked again."""
    run(tmp_path, TEXTS)
    edited = {**TEXTS, "doc_0a11": "an edited text"}
    up = upstream(tmp_path / "up", edited)
    store = DocCache(tmp_path / "down", "v1", FRAGMENTS)
    stale = store.stale_keys(
        [(key, None) for key in sorted(edited)], [up], lambda k, _: {"up": up.digest(k)}, False
    )
    for key, _ in stale:
        header = {"inputs": {"up": up.digest(key), "own": None}}
        store.write(key, [dump_json(header), dump_json(words(key, edited[key]))])
    store.pack()  # killed here: no record_settled
    redone, _ = run(tmp_path, TEXTS)  # the edit undone upstream
    assert redone == ["doc_0a11"]
    assert entry_inputs(tmp_path / "down", "doc_0a11") == {
        "up": upstream(tmp_path / "up", TEXTS).digest("doc_0a11"),
        "own": None,
    }


def test_an_older_snapshot_of_the_store_with_the_newer_record_is_asked_again(tmp_path):
    """`cp -a` of an older store and its shards record (same mtimes), the settled record newer."""
    run(tmp_path, TEXTS)
    shutil.copytree(tmp_path / "down", tmp_path / "old-down")
    shutil.copy2(tmp_path / "runs" / "down-shards.json", tmp_path / "old-shards.json")
    edited = {**TEXTS, "doc_3f00": "a changed middle"}
    assert run(tmp_path, edited)[0] == ["doc_3f00"]
    shutil.rmtree(tmp_path / "down")
    shutil.copytree(tmp_path / "old-down", tmp_path / "down")
    shutil.copy2(tmp_path / "old-shards.json", tmp_path / "runs" / "down-shards.json")
    redone, asked = run(tmp_path, edited)
    assert redone == ["doc_3f00"]
    assert asked == ["doc_3f00"]


def test_an_upstream_shard_that_disappears_and_comes_back_unsettles_its_shard(tmp_path):
    run(tmp_path, TEXTS)
    (tmp_path / "up" / "shards" / "3f.pack").unlink()
    redone, _ = run(tmp_path, TEXTS)  # the upstream store makes it again
    assert redone == []  # the same bytes again: the same seal, the same entry
    up = DocCache(tmp_path / "up", "up")
    up.keep_only({k for k in TEXTS if k != "doc_3f00"})
    up.pack()
    store = DocCache(tmp_path / "down", "v1", FRAGMENTS)
    documents = [(key, None) for key in sorted(TEXTS)]
    stale = store.stale_keys(
        documents, [up.shards], lambda k, _: {"up": up.shards.digest(k)}, False
    )
    assert [key for key, _ in stale] == ["doc_3f00"]


def test_documents_out_of_key_order_never_settle_a_stale_entry(tmp_path):
    """A shard split in two groups by the order: each group is checked against one record."""
    up = upstream(tmp_path / "up", TEXTS)
    order = ["doc_0a02", "doc_3f00", "doc_0a11", "doc_ff01"]

    def one_run(own: dict[str, str]) -> list[str]:
        store = DocCache(tmp_path / "down", "v1", FRAGMENTS)
        documents = [(key, own.get(key)) for key in order]
        stale = store.stale_keys(
            documents, [up], lambda k, mine: {"up": up.digest(k), "own": mine}, False
        )
        for key, mine in stale:
            header = {"inputs": {"up": up.digest(key), "own": mine}}
            store.write(key, [dump_json(header), dump_json(words(key, TEXTS[key]))])
        store.pack()
        store.record_settled()
        return [key for key, _ in stale]

    assert one_run({}) == order
    assert one_run({"doc_0a11": "x"}) == ["doc_0a11"]
    assert one_run({"doc_0a11": "x", "doc_0a02": "y"}) == ["doc_0a02"]
    assert one_run({"doc_0a02": "y"}) == ["doc_0a11"]


def test_a_stale_entry_the_stage_did_not_remake_is_not_settled(tmp_path):
    """stale_keys named doc_0a11 stale; the run ends without remaking it (a document a stage
    skips, a worker that returned nothing for it): the next run must still ask about it."""
    run(tmp_path, TEXTS)
    edited = {**TEXTS, "doc_0a11": "an edited text"}
    up = upstream(tmp_path / "up", edited)
    store = DocCache(tmp_path / "down", "v1", FRAGMENTS)
    documents = [(key, None) for key in sorted(edited)]
    inputs = lambda k, _: {"up": up.digest(k), "own": None}  # noqa: E731
    stale = store.stale_keys(documents, [up], inputs, False)
    assert [key for key, _ in stale] == ["doc_0a11"]
    store.keep_only(set(edited))
    store.pack()
    with pytest.raises(CorruptEntryError, match="doc_0a11"):
        store.check_covers(sorted(edited))  # the stale entry went at `pack`
    store.record_settled()
    record = json.loads((tmp_path / "runs" / "down-settled.json").read_text())
    assert "0a" not in record["shards"]
    assert run(tmp_path, edited)[0] == ["doc_0a11"]


def test_a_settled_rerun_parses_each_index_at_most_once(tmp_path, monkeypatch):
    from collections import Counter

    import pipeline.core.cache as cache

    texts = {f"doc_{i:02x}{i:02x}": f"text {i}" for i in range(40)}
    run(tmp_path, texts)
    read = cache.read_shard_index
    calls: Counter[str] = Counter()

    def counting(path: Path) -> cache.ShardIndex:
        calls[path.parent.parent.name] += 1
        return read(path)

    monkeypatch.setattr(cache, "read_shard_index", counting)
    assert run(tmp_path, texts) == ([], [])
    assert calls["down"] <= 40
