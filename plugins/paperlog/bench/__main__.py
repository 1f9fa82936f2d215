"""paperlog's build benchmark: `python -m paperlog.bench [--sizes 1000,5000] [--runs 3]`.

For each size N it generates a synthetic site and times, alternating, in
separate processes:

  (a) `mkdocs build` of the site with paperlog;
  (b) the baseline: a plain site made of exactly the same Markdown pages
      (written out the way `paperlog render --out` writes them) with the same
      navigation and Markdown extensions, built without the plugin;
  (c) the floor: the same pages with only the home page in the navigation;

and a `mkdocs serve`-style rebuild after one note changes. It prints medians,
the ratios a/b and a/c, growth between sizes, peak memory and paperlog's own
time per phase.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .synth import generate_site


def write_plain_site(plugin_site: Path, out: Path, nav_pages: list[str] | None) -> None:
    """The generated pages as a plain MkDocs site (no paperlog plugin)."""
    from paperlog.diagnostics import Diagnostics
    from paperlog.link import link_library
    from paperlog.load import load_library
    from paperlog.mkdocs.plugin import MATH_EXTENSION, REQUIRED_EXTENSIONS
    from paperlog.render import render_site
    from paperlog.render.assets import SCRIPT, STYLESHEET
    from paperlog.settings import Settings

    settings = Settings.for_root(plugin_site)
    diags = Diagnostics()
    lib = link_library(load_library(settings, diags), settings, diags)
    files = render_site(lib, settings, diags, options={"site_name": "Synthetic reading log"})
    docs = out / "docs"
    shutil.copytree(plugin_site / "docs", docs, dirs_exist_ok=True)
    in_nav = ["index.md"]
    for f in files:
        target = docs / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.source is not None:
            shutil.copyfile(f.source, target)
        else:
            target.write_text(f.content or "", "utf-8")
        if f.is_page and f.in_nav and f.path != "index.md":
            in_nav.append(f.path)
    extensions: list[object] = [{name: opts} if opts else name for name, opts in REQUIRED_EXTENSIONS.items()]
    extensions.append(MATH_EXTENSION)
    config = {
        "site_name": "Synthetic reading log",
        "theme": {"name": "material", "font": False},
        "plugins": ["search"],
        "markdown_extensions": extensions,
        "extra_css": [STYLESHEET],
        "extra_javascript": [SCRIPT],
        "nav": nav_pages if nav_pages is not None else in_nav,
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")


def run_child(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "paperlog.bench.child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark build failed: {' '.join(args)}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(n: int, runs: int, work: Path) -> dict[str, object]:
    site_a, site_b, site_c = work / f"n{n}-paperlog", work / f"n{n}-plain", work / f"n{n}-floor"
    t0 = time.perf_counter()
    generate_site(site_a, n)
    write_plain_site(site_a, site_b, None)
    write_plain_site(site_a, site_c, ["index.md"])
    print(f"  N={n}: sites generated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    a, b, c, peaks = [], [], [], []
    phases: list[dict[str, float]] = []
    for i in range(runs):
        ra = run_child("build", str(site_a))
        rb = run_child("build", str(site_b))
        rc = run_child("build", str(site_c))
        a.append(float(ra["build_s"]))
        b.append(float(rb["build_s"]))
        c.append(float(rc["build_s"]))
        peaks.append(float(ra["peak_mib"]))
        phases.append(ra["paperlog"])  # type: ignore[arg-type]
        print(f"  N={n} run {i + 1}/{runs}: a={a[-1]:.2f}s b={b[-1]:.2f}s c={c[-1]:.2f}s", file=sys.stderr)
    rebuild = run_child("rebuild", str(site_a), str(site_a / "notes" / "papers" / "paper00001.yaml"))
    phase_median = {k: statistics.median(p.get(k, 0.0) for p in phases) for k in phases[0]}
    return {
        "n": n,
        "a": statistics.median(a),
        "b": statistics.median(b),
        "c": statistics.median(c),
        "ratio_ab": statistics.median(x / y for x, y in zip(a, b, strict=True)),
        "ratio_ac": statistics.median(x / y for x, y in zip(a, c, strict=True)),
        "peak_mib": max(peaks),
        "phases": phase_median,
        "rebuild_s": rebuild["rebuild_s"],
        "rebuild_paperlog": rebuild["paperlog"],
    }


def report(results: list[dict[str, object]]) -> str:
    lines = [
        "paperlog build benchmark (medians; seconds; each build in its own process)",
        "",
        f"{'N':>6} {'a plugin':>9} {'b plain':>8} {'c floor':>8} {'a/b':>6} {'a/c':>6} {'peak MiB':>9}"
        f" {'load':>6} {'link':>6} {'render':>7} {'hooks':>6} {'rebuild':>8} {'rb paperlog':>12}",
    ]
    for r in results:
        p = r["phases"]  # type: ignore[index]
        rb = r["rebuild_paperlog"]  # type: ignore[index]
        lines.append(
            f"{r['n']:>6} {r['a']:>9.2f} {r['b']:>8.2f} {r['c']:>8.2f} {r['ratio_ab']:>6.3f} {r['ratio_ac']:>6.3f}"
            f" {r['peak_mib']:>9.0f} {p.get('load', 0):>6.2f} {p.get('link', 0):>6.2f} {p.get('render', 0):>7.2f}"
            f" {p.get('other_hooks', 0):>6.2f} {r['rebuild_s']:>8.2f} {rb.get('total', 0):>12.3f}"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        size_ratio = last["n"] / first["n"]  # type: ignore[operator]
        for key, label in (("a", "with paperlog"), ("b", "plain baseline")):
            growth = (last[key] / first[key]) / size_ratio  # type: ignore[operator]
            lines.append(f"growth {first['n']}->{last['n']} {label}: {growth:.3f} x linear")
    lines.append("")
    lines.append("a: mkdocs build with paperlog; b: the same pages without the plugin, same nav; c: same pages, only the home page in the nav")
    lines.append("rb paperlog: paperlog's own seconds in a rebuild after one note changed (caches warm)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m paperlog.bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated numbers of notes (default: 1000,5000)")
    parser.add_argument("--runs", type=int, default=3, help="timed builds of each kind per size (default: 3)")
    parser.add_argument("--workdir", type=Path, help="where to write the sites (default: a temporary folder, removed)")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON after the table")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="paperlog-bench-"))
    try:
        results = [measure(n, args.runs, work) for n in sizes]
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(report(results))
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
