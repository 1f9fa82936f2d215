"""Benchmarks: synthetic sites and timed builds (`python -m paperlog.bench --help`), and the
BibTeX loader against bibtexparser (`python -m paperlog.bench.bibtex --help`)."""
