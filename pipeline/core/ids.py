"""Stable identifiers.

Every id is a short hash of raw source values (content hash, character offsets, names), never of
row order, so ids survive re-runs, re-orderings and the addition of other documents
(the rule OpenSanctions' zavod follows). An id that changes is a breaking change.
"""

from __future__ import annotations

import hashlib

from schemas.ids import ID_HEX_CHARS, PREFIXES


def sha256_hex(data: bytes) -> str:
    """Full sha256 of raw bytes, as recorded in `documents.sha256`."""
    return hashlib.sha256(data).hexdigest()


def make_id(kind: str, *parts: object) -> str:
    """Hash `parts` into an id such as ``men_3f2a9c0d1e4b5a6c``.

    Parts are joined with a unit separator (never found in ids or offsets) so that
    ("ab", "c") and ("a", "bc") give different ids.
    """
    key = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return f"{PREFIXES[kind]}_{hashlib.sha256(key).hexdigest()[:ID_HEX_CHARS]}"


def document_id(raw_bytes: bytes) -> str:
    """A document is identified by its raw bytes: the same file under two names is one document."""
    return f"{PREFIXES['document']}_{sha256_hex(raw_bytes)[:ID_HEX_CHARS]}"


def span_id(kind: str, doc_id: str, start_char: int, end_char: int) -> str:
    """Ids of sentences, mentions and timexes: the document and the character span they cover."""
    return make_id(kind, doc_id, start_char, end_char)
