"""Stage 3: temporal expressions found and normalised to TimeML values and intervals."""
