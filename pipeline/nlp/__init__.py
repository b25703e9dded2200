"""Stage 2: documents are split into sentences and parsed by the spaCy model."""
