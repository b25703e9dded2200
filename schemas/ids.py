"""The form of every id in the published tables: a kind's prefix and a short sha256.

Part of the contract (a changed form is a breaking change), so it lives here; the hashing
itself is `pipeline.core.ids`.
"""

from __future__ import annotations

ID_HEX_CHARS = 16
"""Hex characters kept from the sha256: 64 bits, collision-free far beyond any corpus we expect."""

PREFIXES = {
    "document": "doc",
    "sentence": "sen",
    "mention": "men",
    "entity": "ent",
    "timex": "tmx",
    "event": "evt",
    "participant": "par",
    "happening": "hap",
}

ID_PATTERN = {kind: rf"^{prefix}_[0-9a-f]{{{ID_HEX_CHARS}}}$" for kind, prefix in PREFIXES.items()}
"""Regular expression each kind of id matches; the schemas check ids against it."""
