"""Stage 4: dated events, their mentions, arguments and types, one document at a time."""
