"""Benchmarks, run as `python -m paperlog.bench.<name>` (see README, Development)."""
