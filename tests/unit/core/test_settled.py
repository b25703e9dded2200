"""Shards whose entries are known fresh from seals alone: a re-run asks nothing of them.

A later stage's entry is made from an earlier stage's entries of the same key and from what
the stage reads of the document. These tests run a two-store pipeline (an upstream store and
a stage keeping fragments) and check which documents a re-run asks about and which it redoes.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.core.cache import DocCache, Shards, dump_json
from tests.unit.core.test_fragments import FRAGMENTS, words

TEXTS = {
    "doc_0a02": "first in its shard",
    "doc_0a11": "second in the same shard",
    "doc_3f00": "the middle of the alphabet",
    "doc_ff01": "the last shard",
}


def upstream(root: Path, texts: dict[str, str]) -> Shards:
    """An earlier stage's store holding these texts (rewritten where they changed)."""
    store = DocCache(root, "up")
    for key, text in texts.items():
        if store.fresh(key, {"text": text}):
            continue
        store.write(key, [dump_json({"inputs": {"text": text}}), dump_json(text)])
    store.keep_only(set(texts))
    store.pack()
    return Shards(root)


def run(
    tmp_path: Path,
    texts: dict[str, str],
    own: dict[str, str] | None = None,
    verify: bool = False,
    version: str = "v1",
) -> tuple[list[str], list[str]]:
    """One run of the later stage: (documents redone, documents whose inputs were asked)."""
    up = upstream(tmp_path / "up", texts)
    store = DocCache(tmp_path / "down", version, FRAGMENTS)
    own = own or {}
    asked: list[str] = []

    def inputs(key: str, mine: str | None) -> dict:
        asked.append(key)
        return {"up": up.digest(key), "own": mine}

    documents = [(key, own.get(key)) for key in sorted(texts)]
    stale = store.stale_keys(documents, [up], inputs, verify)
    for key, mine in stale:
        header = {"inputs": {"up": up.digest(key), "own": mine}}
        store.write(key, [dump_json(header), dump_json(words(key, texts[key]))])
    store.keep_only(set(texts))
    store.pack()
    store.check_covers(sorted(texts))
    store.record_settled()
    return [key for key, _ in stale], asked


def test_a_rerun_with_nothing_changed_asks_about_no_document(tmp_path):
    assert run(tmp_path, TEXTS) == (sorted(TEXTS), sorted(TEXTS))
    assert run(tmp_path, TEXTS) == ([], [])


def test_an_upstream_change_unsettles_its_shard_only(tmp_path):
    run(tmp_path, TEXTS)
    redone, asked = run(tmp_path, {**TEXTS, "doc_0a11": "an edited text"})
    assert redone == ["doc_0a11"]
    assert asked == ["doc_0a02", "doc_0a11"]


def test_a_change_in_what_the_stage_reads_of_a_document_unsettles_its_shard(tmp_path):
    run(tmp_path, TEXTS)
    redone, asked = run(tmp_path, TEXTS, own={"doc_3f00": "published 1999"})
    assert (redone, asked) == (["doc_3f00"], ["doc_3f00"])


def test_added_and_removed_documents_unsettle_their_shards(tmp_path):
    run(tmp_path, TEXTS)
    texts = {k: v for k, v in TEXTS.items() if k != "doc_ff01"} | {"doc_3f77": "a new one"}
    redone, asked = run(tmp_path, texts)
    assert redone == ["doc_3f77"]
    assert asked == ["doc_3f00", "doc_3f77"]
    assert run(tmp_path, texts) == ([], [])


def test_verify_asks_about_every_document(tmp_path):
    run(tmp_path, TEXTS)
    assert run(tmp_path, TEXTS, verify=True) == ([], sorted(TEXTS))


def test_a_missing_damaged_or_other_versions_record_settles_nothing(tmp_path):
    run(tmp_path, TEXTS)
    record = tmp_path / "runs" / "down-settled.json"
    record.write_text("{not json")
    assert run(tmp_path, TEXTS) == ([], sorted(TEXTS))
    record.unlink()
    assert run(tmp_path, TEXTS) == ([], sorted(TEXTS))
    assert run(tmp_path, TEXTS, version="v2") == (sorted(TEXTS), sorted(TEXTS))


def test_a_shard_changed_behind_the_stages_back_is_not_settled(tmp_path):
    """A copy or checkout changes a shard's mtime: its entries are read and asked again."""
    run(tmp_path, TEXTS)
    shard = tmp_path / "down" / "shards" / "3f.pack"
    os.utime(shard, ns=(shard.stat().st_atime_ns, shard.stat().st_mtime_ns - 10**9))
    assert run(tmp_path, TEXTS) == ([], ["doc_3f00"])


def test_a_shard_missing_an_entry_is_not_settled(tmp_path):
    """A document the stage could not make (a file it could not read) is asked again."""
    up = upstream(tmp_path / "up", TEXTS)
    store = DocCache(tmp_path / "down", "v1", FRAGMENTS)
    documents = [(key, None) for key in sorted(TEXTS)]
    stale = store.stale_keys(documents, [up], lambda key, _: {"up": up.digest(key)}, False)
    for key, _ in stale:
        if key != "doc_0a11":
            header = {"inputs": {"up": up.digest(key), "own": None}}
            store.write(key, [dump_json(header), dump_json(words(key, TEXTS[key]))])
    store.pack()
    store.record_settled()
    redone, asked = run(tmp_path, TEXTS)
    assert redone == ["doc_0a11"]
    assert asked == ["doc_0a02", "doc_0a11"]
