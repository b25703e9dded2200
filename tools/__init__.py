"""Offline tools, run by hand: they build data the pipeline reads, and are no part of it."""
