"""Stage 1: files in raw/ become documents (decoded, cleaned, with their metadata) or rejects."""
