"""Stage 5: mentions and participants linked to canonical entities, places geocoded."""
