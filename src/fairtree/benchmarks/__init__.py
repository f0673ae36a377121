"""Benchmarks behind `fairtree bench ...` (each prints one JSON line)."""
