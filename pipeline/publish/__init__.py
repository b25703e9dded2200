"""Stage 8: the release: tables, CSV copies, metadata, data dictionary, card and report."""
