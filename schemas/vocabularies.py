"""Controlled vocabularies that pipeline code checks values against, without pandas or pandera.

A stage that streams Arrow rows never imports pandas or pandera (see `schemas/__init__.py`), and
`schemas.fields` needs both: a vocabulary such a stage reads lives here, and `schemas.fields`
imports it from here for the models, so it is still defined once.
"""

ANCHOR_MODES = ("news", "narrative")
"""How a document's relative dates anchor: its publication date (news) or its own timeline."""
