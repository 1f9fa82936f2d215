"""Benchmark the BibTeX loader against bibtexparser's own parse, on the same input, in one run.

    python -m paperlog.bench.bibtex [--entries 10000] [--runs 5] [--file PATH ...]

Inputs: a generated file of --entries entries, the --file paths, and the large
real-world files under ../shared/data/bibtex/b-large when present. For each it
prints the median CPU time (this process's, so that other work on a shared
machine counts less) of --runs runs of:

- bibtexparser: `bibtexparser.parse_string(text)` (its default parse stack);
- cold: paperlog's load with an empty cache (decode bytes, split, expand
  macros and crossrefs, decode LaTeX, split names, build entries);
- warm: the same load with the cache of an earlier build (a `mkdocs serve` rebuild).

Targets: cold <= bibtexparser + 25%; warm < 10% of cold.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import bibtexparser

from ..diagnostics import Diagnostics
from ..load.bibtex import BibCache, load_sources
from .bibgen import generate_bib


def shared_data() -> Path | None:
    """../shared/data next to the checkout (or next to a folder above it, for worktrees)."""
    for folder in Path(__file__).resolve().parents[3:]:
        candidate = folder.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def _median(fn: Callable[[], object], runs: int) -> float:
    # CPU time of this process: on a shared machine wall time mostly measures the neighbours.
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def measure(name: str, data: bytes, runs: int) -> dict[str, float | int | str]:
    text = data.decode("utf-8", errors="replace")
    sources = [(name, data)]
    warm_cache = BibCache()
    entries = len(load_sources(sources, Diagnostics(), warm_cache))
    bp_times, cold_times, warm_times = [], [], []
    # Interleaved, so a busy machine slows all three alike.
    for _ in range(runs):
        bp_times.append(_median(lambda: bibtexparser.parse_string(text), 1))
        cold_times.append(_median(lambda: load_sources(sources, Diagnostics(), BibCache()), 1))
        warm_times.append(_median(lambda: load_sources(sources, Diagnostics(), warm_cache), 1))
    return {
        "name": name,
        "entries": entries,
        "bibtexparser": statistics.median(bp_times),
        "cold": statistics.median(cold_times),
        "warm": statistics.median(warm_times),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m paperlog.bench.bibtex", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--entries", type=int, default=10_000, help="entries in the generated file (0: none)"
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per measurement; the median is shown"
    )
    parser.add_argument(
        "--file", action="append", default=[], type=Path, help="also measure this .bib file"
    )
    args = parser.parse_args(argv)
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)  # it warns about each broken block
    inputs: list[tuple[str, bytes]] = []
    if args.entries:
        inputs.append(
            (f"generated ({args.entries} entries)", generate_bib(args.entries).encode("utf-8"))
        )
    files = list(args.file)
    shared = shared_data()
    if shared is not None and (shared / "bibtex" / "b-large").is_dir():
        files += sorted((shared / "bibtex" / "b-large").glob("*.bib"))
    inputs += [(path.name, path.read_bytes()) for path in files]
    print(
        f"{'input':44} {'entries':>7} {'bibtexparser':>12} {'cold':>8} {'warm':>8} {'cold/bp':>8} {'warm/cold':>9}"
    )
    ok = True
    for name, data in inputs:
        r = measure(name, data, args.runs)
        cold_ratio = float(r["cold"]) / float(r["bibtexparser"])
        warm_ratio = float(r["warm"]) / float(r["cold"])
        ok = ok and cold_ratio <= 1.25 and warm_ratio < 0.10
        print(
            f"{name[:44]:44} {r['entries']:>7} {r['bibtexparser']:>11.3f}s {r['cold']:>7.3f}s {r['warm']:>7.4f}s"
            f" {cold_ratio:>7.2f}x {warm_ratio:>8.1%}"
        )
    print("targets: cold <= 1.25x bibtexparser, warm < 10% of cold:", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
