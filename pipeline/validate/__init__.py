"""Stage 7: every interim table checked against its pandera model and cross-table rules."""
