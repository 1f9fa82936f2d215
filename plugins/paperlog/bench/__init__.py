"""Benchmarks: synthetic sites and timed builds. Run `python -m paperlog.bench --help`."""
