"""Stage 6: happenings, the real-world events that several documents tell."""
