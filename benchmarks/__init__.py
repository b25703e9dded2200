"""Benchmarks: scripts that measure speed and memory (not tests; see README)."""
