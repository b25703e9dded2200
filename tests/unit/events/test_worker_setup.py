"""The knowledge base an events worker loads: a worker outlives one run on Dask.

`dask worker tcp://...` processes serve run after run (docs/scaling.md, "A Dask cluster"),
and the stage's version changes when the user edits the knowledge base, so every document is
extracted again: with the edited knowledge base, not the one a worker loaded last run.
"""

from __future__ import annotations

from pipeline.events.stage import _loaded, _worker_setup

HEADER = "alias,canonical,label,qid\n"


def test_a_worker_uses_the_knowledge_base_as_edited_since_its_last_task(tmp_path):
    kb = tmp_path / "kb.csv"
    kb.write_text(HEADER + "Old Harbour Company,Old Harbour Company,ORG,\n")
    _loaded.cache_clear()
    before = _worker_setup(kb)[1]
    assert before.lookup("Old Harbour Company").label == "ORG"
    kb.write_text(HEADER + "Old Harbour Company,Old Harbour,GPE,\n")  # the user's edit
    after = _worker_setup(kb)[1]
    assert after.lookup("Old Harbour Company").label == "GPE"
