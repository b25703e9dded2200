"""The dataset card (outputs/README.md) shows text from the manifest as written, never as markup."""

from __future__ import annotations

import re

import pyarrow as pa

from pipeline.publish.card import dataset_card
from pipeline.publish.provenance import Provenance
from pipeline.publish.summary import Summary
from schemas import SCHEMA_VERSION

HOSTILE_LICENCE = '<script>alert("x")</script> [click](https://evil.example) *CC*'


def test_a_licence_from_the_manifest_is_escaped_in_the_card():
    summary = Summary()
    summary.add(
        "documents",
        pa.table(
            {
                "doc_id": ["doc_x"],
                "path": ["a.txt"],
                "title": [None],
                "published": pa.array([None], pa.date32()),
                "licence": [HOSTILE_LICENCE],
                "n_chars": [100],
                "n_sentences": [2],
                "source_url": [None],
                "model": ["en_core_web_sm-3.8.0"],
            }
        ),
    )
    provenance = Provenance("0.1.0", SCHEMA_VERSION, ("en_core_web_sm-3.8.0",), {})
    card = dataset_card(summary, provenance, "Tester")
    assert "<script" not in card
    assert not re.search(r"(?<!\\)\]\(https://evil", card)  # no link
    assert (
        '  - &lt;script&gt;alert("x")&lt;/script&gt; \\[click\\](https://evil.example) '
        "\\*CC\\*: 1 document(s)"
    ) in card
