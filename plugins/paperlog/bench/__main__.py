"""paperlog's build benchmark: `python -m paperlog.bench [--sizes 1000,5000] [--runs 3]`.

For each size N it generates a synthetic site (see synth.py) and times, in
separate processes, alternating (the order rotates from run to run):

  (a) `mkdocs build` of the site with paperlog;
  (b) the baseline: a plain site made of exactly the pages `paperlog render
      --out` writes, with the same navigation, Markdown extensions, assets and
      mkdocstrings setup, built without the plugin;
  (c) the floor: the same pages with only the home page in the navigation;

then `mkdocs serve` rebuilds after one note changes (five in one session by default, a
new title each time; their medians), and the same with `mkdocs serve --dirty`
(unchanged pages are not written again).

With --paired, each run builds (a) and (b) at the same time, in two processes,
then (a) and (c). A drift of the machine's speed over minutes then hits both
builds of a pair; but the two compete for the cores' shared caches, and the
build that finishes last runs its last seconds alone, a little faster. It needs
two free cores; compare the spread of the runs rows either way.

It prints medians, the
ratios a/b and a/c (each run's ratio, then the median), growth between the
smallest and largest size, peak memory, paperlog's own seconds per phase
(load, link, render, hooks) for the build and the rebuild, and the targets.

Sizes: 1,000 and 5,000 by default. `--memory 10000` checks the memory target
alone: one build with paperlog of a 10,000-note site (about 12,000 pages; a
full comparison at that size takes the better part of an hour).
The site's notes cite BibTeX keys; when the .bib is not loaded those are
dangling references, reported as errors: the builds are never strict.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from .synth import generate_site

TARGETS = {
    "ratio_ab": 1.10,  # paperlog adds at most 10% to what MkDocs spends anyway
    "ratio_ac": 1.30,  # ... and at most 30% to the floor (only the home page in the nav)
    "growth": 1.15,  # from the smallest to the largest size, times linear
    "peak_mib_10000": 1536.0,  # peak memory of a build of 10,000 notes
    "rebuild_paperlog_1000": 1.0,  # paperlog's seconds in a serve rebuild at 1,000 notes
}
Result = dict[str, Any]


def write_plain_site(plugin_site: Path, out: Path, nav_pages: list[str] | None) -> None:
    """The pages `paperlog render --out` writes for plugin_site, as a plain MkDocs site."""
    from paperlog.cli.render import generate_pages, write_outputs
    from paperlog.mkdocs.setup import MATH_EXTENSION, REQUIRED_EXTENSIONS
    from paperlog.render.assets import GRAPH_SCRIPT, GRAPH_STYLESHEET, SCRIPT, STYLESHEET
    from paperlog.settings import Settings

    outputs, _ = generate_pages(str(plugin_site / "mkdocs.yml"))
    docs = out / "docs"
    shutil.copytree(plugin_site / "docs", docs, dirs_exist_ok=True)
    write_outputs(outputs, docs)
    # The order MkDocs gives pages in a navigation it builds itself: home first, then by path.
    in_nav = [
        "index.md",
        *sorted(f.path for f in outputs if f.is_page and f.in_nav and f.path != "index.md"),
    ]
    extensions: list[object] = [
        {name: opts} if opts else name for name, opts in REQUIRED_EXTENSIONS.items()
    ]
    extensions.append(MATH_EXTENSION)
    site_config = yaml.safe_load((plugin_site / "mkdocs.yml").read_text("utf-8"))
    plugins: list[object] = ["search"]
    code_roots = [str(d) for d in Settings.for_root(plugin_site).code_dirs if d.is_dir()]
    if code_roots:
        # Code pages hold `::: module` blocks: the plugin sets mkdocstrings up the same way.
        python = {
            "paths": code_roots,
            "options": {"docstring_options": {"warn_missing_types": False}},
        }
        plugins.append({"mkdocstrings": {"handlers": {"python": python}}})
    theme_dir = Path(__file__).resolve().parent.parent / "theme"
    config = {
        "site_name": site_config.get("site_name", "Synthetic reading log"),
        "site_url": site_config.get("site_url", ""),
        # The plugin adds this folder for the feed's <link> in the page head.
        "theme": {"name": "material", "font": False, "custom_dir": str(theme_dir)},
        "plugins": plugins,
        "markdown_extensions": extensions,
        "extra_css": [STYLESHEET, GRAPH_STYLESHEET],
        "extra_javascript": [SCRIPT, GRAPH_SCRIPT],
        "nav": nav_pages if nav_pages is not None else in_nav,
    }
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")


def run_children(*commands: tuple[str, ...]) -> list[Result]:
    """Run measured builds at the same time, each in its own process; their results in order."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "paperlog.bench.child", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    outputs = [proc.communicate() for proc in procs]
    results = []
    for args, proc, (out, err) in zip(commands, procs, outputs, strict=True):
        if proc.returncode != 0:
            raise SystemExit(f"benchmark build failed: {' '.join(args)}\n{err[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def run_child(*args: str) -> Result:
    return run_children(args)[0]


def _median_phases(samples: list[dict[str, Any]]) -> dict[str, float]:
    keys = [k for k in samples[0] if k != "detail"]
    return {k: statistics.median(float(s.get(k, 0.0)) for s in samples) for k in keys}


def largest_pages(docs: Path, count: int = 5) -> list[tuple[str, int]]:
    pages = [(p.relative_to(docs).as_posix(), p.stat().st_size) for p in docs.rglob("*.md")]
    return sorted(pages, key=lambda kv: -kv[1])[:count]


def measure(
    n: int,
    runs: int,
    work: Path,
    profile_dir: Path | None = None,
    paired: bool = False,
    rebuilds: int = 5,
) -> Result:
    site_a, site_b, site_c = work / f"n{n}-paperlog", work / f"n{n}-plain", work / f"n{n}-floor"
    for site in (site_a, site_b, site_c):
        shutil.rmtree(site, ignore_errors=True)
    t0 = time.perf_counter()
    generate_site(site_a, n)
    write_plain_site(site_a, site_b, None)
    write_plain_site(site_a, site_c, ["index.md"])
    pages = sum(1 for _ in (site_b / "docs").rglob("*.md"))
    print(
        f"  N={n}: sites generated in {time.perf_counter() - t0:.1f} s ({pages} pages)",
        file=sys.stderr,
    )
    sites = {"a": site_a, "b": site_b, "c": site_c}
    times: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    cpu: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    # Each ratio divides two builds of the same run: (wall, cpu) of a and of b or c.
    pairs: dict[str, list[tuple[Result, Result]]] = {"b": [], "c": []}
    peaks: list[float] = []
    phases: list[dict[str, Any]] = []

    def record(kind: str, r: Result) -> Result:
        times[kind].append(float(r["build_s"]))
        cpu[kind].append(float(r["build_cpu_s"]))
        if kind == "a":
            peaks.append(float(r["peak_mib"]))
            phases.append(r["paperlog"])
        return r

    for i in range(runs):
        if paired:
            order = "ab+ac"
            for other in "bc":
                ra, ro = run_children(("build", str(site_a)), ("build", str(sites[other])))
                pairs[other].append((record("a", ra), record(other, ro)))
        else:
            order = "abc"[i % 3 :] + "abc"[: i % 3]
            built = {kind: record(kind, run_child("build", str(sites[kind]))) for kind in order}
            for other in "bc":
                pairs[other].append((built["a"], built[other]))
        print(
            f"  N={n} run {i + 1}/{runs} ({order}): "
            + " ".join(f"{k}={times[k][-1]:.2f}s" for k in "abc"),
            file=sys.stderr,
        )
    note = str(site_a / "notes" / "papers" / "paper00001.yaml")
    repeat = ("--repeat", str(rebuilds))
    rebuild = run_child("rebuild", str(site_a), note, *repeat)
    dirty = run_child("rebuild", str(site_a), note, "--dirty", *repeat)
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        run_child("build", str(site_a), "--profile", str(profile_dir / f"build-{n}.prof"))
        run_child("rebuild", str(site_a), note, "--profile", str(profile_dir / f"rebuild-{n}.prof"))
        print(f"  N={n}: profiles in {profile_dir}/", file=sys.stderr)

    def ratios(other: str, key: str) -> list[float]:
        return [float(ra[key]) / float(ro[key]) for ra, ro in pairs[other]]

    return {
        "n": n,
        "pages": pages,
        "paired": paired,
        "a": statistics.median(times["a"]),
        "b": statistics.median(times["b"]),
        "c": statistics.median(times["c"]),
        "runs": times,
        "ratio_ab": statistics.median(ratios("b", "build_s")),
        "ratio_ac": statistics.median(ratios("c", "build_s")),
        "ratios_ab": ratios("b", "build_s"),
        "ratios_ac": ratios("c", "build_s"),
        # CPU seconds of the build process: less disturbed by other work on the machine.
        "cpu": {k: statistics.median(v) for k, v in cpu.items()},
        "cpu_ratio_ab": statistics.median(ratios("b", "build_cpu_s")),
        "cpu_ratio_ac": statistics.median(ratios("c", "build_cpu_s")),
        "peak_mib": max(peaks),
        "phases": _median_phases(phases),
        "rebuild_s": rebuild["rebuild_s"],
        "rebuild_paperlog": {k: v for k, v in rebuild["paperlog"].items() if k != "detail"},
        "rebuild_detail": rebuild["paperlog"].get("detail", {}),
        "rebuild_peak_mib": rebuild["peak_mib"],
        "rebuild_first_peak_mib": rebuild.get("first_peak_mib", 0.0),
        "rebuild_pages": rebuild.get("pages", {}),
        "rebuild_runs": rebuild.get("rebuild_runs_s", []),
        "dirty_s": dirty["rebuild_s"],
        "dirty_paperlog": {k: v for k, v in dirty["paperlog"].items() if k != "detail"},
        "dirty_pages": dirty.get("pages", {}),
        "dirty_runs": dirty.get("rebuild_runs_s", []),
        "largest_pages": largest_pages(site_b / "docs"),
    }


def measure_memory(n: int, work: Path) -> Result:
    """One build with paperlog of an n-note site: its peak memory and time."""
    site = work / f"n{n}-memory"
    shutil.rmtree(site, ignore_errors=True)
    generate_site(site, n)
    print(f"  N={n}: site generated; one build with paperlog for its peak memory", file=sys.stderr)
    r = run_child("build", str(site))
    return {
        "n": n,
        "pages": sum(1 for _ in (site / "site").rglob("index.html")),
        "build_s": float(r["build_s"]),
        "peak_mib": float(r["peak_mib"]),
        "phases": {k: v for k, v in r["paperlog"].items() if k != "detail"},
    }


def memory_report(results: list[Result]) -> str:
    limit = TARGETS["peak_mib_10000"]
    lines = [
        "",
        "peak memory of one build with paperlog",
        f"{'N':>6} {'pages':>6} {'build s':>8} {'peak MiB':>9}",
    ]
    for r in results:
        lines.append(f"{r['n']:>6} {r['pages']:>6} {r['build_s']:>8.2f} {r['peak_mib']:>9.0f}")
    for r in results:
        if r["n"] == 10000:
            lines.append(
                f"  peak memory at 10000: {r['peak_mib']:.0f} MiB (target < {limit:.0f}) {_verdict(r['peak_mib'] < limit)}"
            )
    return "\n".join(lines)


def growth(results: list[Result], key: str) -> float | None:
    if len(results) < 2:
        return None
    first, last = results[0], results[-1]
    return float((last[key] / first[key]) / (last["n"] / first["n"]))


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def targets(results: list[Result]) -> list[str]:
    lines = []
    for r in results:
        if r["n"] in (1000, 5000):
            lines.append(
                f"a/b at {r['n']}: {r['ratio_ab']:.3f} (target <= {TARGETS['ratio_ab']}) {_verdict(r['ratio_ab'] <= TARGETS['ratio_ab'])}"
            )
            lines.append(
                f"a/c at {r['n']}: {r['ratio_ac']:.3f} (target <= {TARGETS['ratio_ac']}) {_verdict(r['ratio_ac'] <= TARGETS['ratio_ac'])}"
            )
        if r["n"] == 1000:
            own = r["rebuild_paperlog"]["total"]
            limit = TARGETS["rebuild_paperlog_1000"]
            lines.append(
                f"paperlog's share of a serve rebuild at 1000: {own:.3f} s (target < {limit}) {_verdict(own < limit)}"
            )
            if "dirty_paperlog" in r:
                own = r["dirty_paperlog"]["total"]
                lines.append(
                    f"  the same with `mkdocs serve --dirty`: {own:.3f} s {_verdict(own < limit)};"
                    f" the whole rebuild {r['dirty_s']:.2f} s against {r['rebuild_s']:.2f} s"
                )
        if r["n"] == 10000:
            limit = TARGETS["peak_mib_10000"]
            lines.append(
                f"peak memory at 10000: {r['peak_mib']:.0f} MiB (target < {limit:.0f}) {_verdict(r['peak_mib'] < limit)}"
            )
    g = growth(results, "a")
    if g is not None:
        lines.append(
            f"growth {results[0]['n']}->{results[-1]['n']} with paperlog: {g:.3f} x linear (target <= {TARGETS['growth']}) {_verdict(g <= TARGETS['growth'])}"
        )
    return lines


def _phase_row(label: str, n: int, p: dict[str, float]) -> str:
    return f"{label:>8} {n:>6} {p.get('load', 0):>7.3f} {p.get('link', 0):>7.3f} {p.get('render', 0):>7.3f} {p.get('hooks', 0):>7.3f} {p.get('total', 0):>7.3f}"


def report(
    results: list[Result], load: tuple[tuple[float, ...], tuple[float, ...]] | None = None
) -> str:
    lines = ["paperlog build benchmark (seconds, medians; each build in its own process)", ""]
    lines.append(
        f"{'N':>6} {'pages':>6} {'a plugin':>9} {'b plain':>8} {'c floor':>8} {'a/b':>6} {'a/c':>6} {'peak MiB':>9} {'rebuild':>8} {'dirty':>7}"
    )
    for r in results:
        lines.append(
            f"{r['n']:>6} {r['pages']:>6} {r['a']:>9.2f} {r['b']:>8.2f} {r['c']:>8.2f} {r['ratio_ab']:>6.3f} {r['ratio_ac']:>6.3f}"
            f" {r['peak_mib']:>9.0f} {r['rebuild_s']:>8.2f} {r.get('dirty_s', 0.0):>7.2f}"
        )
    for r in results:
        c = r["cpu"]
        lines.append(
            f"{'cpu':>6} {r['n']:>6} {c['a']:>9.2f} {c['b']:>8.2f} {c['c']:>8.2f} {r['cpu_ratio_ab']:>6.3f} {r['cpu_ratio_ac']:>6.3f}"
        )
    for r in results:
        lines.append(
            f"{'runs':>6} {r['n']:>6}  a/b "
            + " ".join(f"{x:.3f}" for x in r["ratios_ab"])
            + "   a/c "
            + " ".join(f"{x:.3f}" for x in r["ratios_ac"])
        )
    for key, label in (("a", "with paperlog"), ("b", "plain baseline"), ("c", "floor")):
        g = growth(results, key)
        if g is not None:
            lines.append(f"growth {results[0]['n']}->{results[-1]['n']} {label}: {g:.3f} x linear")
    lines += [
        "",
        "paperlog's own seconds",
        f"{'':>8} {'N':>6} {'load':>7} {'link':>7} {'render':>7} {'hooks':>7} {'total':>7}",
    ]
    for r in results:
        lines.append(_phase_row("build", r["n"], r["phases"]))
        pages = r.get("rebuild_pages") or {}
        lines.append(
            _phase_row("rebuild", r["n"], r["rebuild_paperlog"])
            + (
                f"   ({pages.get('rendered', 0)} pages rendered, {pages.get('reused', 0)} reused;"
                f" {pages.get('converted', 0)} converted, {pages.get('conversions_reused', 0)} conversions kept)"
                if pages
                else ""
            )
        )
        if "dirty_paperlog" in r:
            kept = (r.get("dirty_pages") or {}).get("kept", 0)
            lines.append(
                _phase_row("dirty", r["n"], r["dirty_paperlog"])
                + f"   ({kept} pages kept as they were)"
            )
    for r in results:
        for kind in ("rebuild", "dirty"):
            if r.get(f"{kind}_runs"):
                each = " ".join(f"{t:.3f}" for t in r[f"{kind}_runs"])
                lines.append(f"{'each':>8} {r['n']:>6} {kind} total of each rebuild: {each}")
    for r in results:
        if r.get("rebuild_first_peak_mib"):
            lines.append(
                f"{'memory':>8} {r['n']:>6} serve peak {r['rebuild_first_peak_mib']:.0f} MiB after the first build,"
                f" {r['rebuild_peak_mib']:.0f} MiB after {len(r.get('rebuild_runs') or [])} rebuilds"
            )
    lines += ["", "largest generated pages"]
    for r in results:
        lines.append(
            f"  N={r['n']}: "
            + ", ".join(f"{path} {size / 1024:.0f} KiB" for path, size in r["largest_pages"])
        )
    lines += ["", "targets"] + [f"  {line}" for line in targets(results)]
    lines += [
        "",
        "a: mkdocs build with paperlog; b: the same pages without the plugin, same nav; c: same pages, only the home page in the nav",
        "rebuild: a `mkdocs serve` rebuild after one note's title changed (caches warm; median of those in one session: --rebuilds, 5 by default); hooks: paperlog's other hooks and its Markdown extensions",
        "dirty: the same rebuild with `mkdocs serve --dirty`: generated pages that would come out the same are not converted or written again",
        "cpu rows: CPU seconds (user + system) of the same builds, less disturbed by other work on a shared machine",
        "runs rows: the ratio of each run, "
        + (
            "a built at the same time as b, then as c (--paired)"
            if any(r.get("paired") for r in results)
            else "builds alternating one after the other"
        ),
    ]
    if load is not None:
        before, after = load
        lines.append(
            "load average (1, 5, 15 min) at start: "
            + ", ".join(f"{x:.2f}" for x in before)
            + "; at end: "
            + ", ".join(f"{x:.2f}" for x in after)
            + f"; {os.cpu_count()} CPUs"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m paperlog.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        default=None,
        help="comma-separated numbers of notes (default: 1000,5000, unless only --memory is given)",
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="timed builds of each kind per size (default: 3)"
    )
    parser.add_argument(
        "--rebuilds",
        type=int,
        default=5,
        help="serve rebuilds measured in one session per size, with and without --dirty (default: 5)",
    )
    parser.add_argument(
        "--memory",
        default="",
        metavar="SIZES",
        help="comma-separated numbers of notes to build once each, for peak memory alone (e.g. 10000)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to write the sites (default: a temporary folder, removed)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="also write cProfile statistics of one build and one rebuild per size into DIR",
    )
    parser.add_argument(
        "--paired",
        action="store_true",
        help="build a at the same time as b, then as c (two processes; needs two free cores)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the raw figures as JSON after the table"
    )
    args = parser.parse_args(argv)
    memory_sizes = [int(s) for s in args.memory.split(",") if s.strip()]
    # `--memory` alone measures memory alone.
    sizes_text = args.sizes if args.sizes is not None else ("" if memory_sizes else "1000,5000")
    sizes = [int(s) for s in sizes_text.split(",") if s.strip()]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="paperlog-bench-"))
    load_before = os.getloadavg()
    try:
        rebuilds = max(1, args.rebuilds)
        results = [measure(n, args.runs, work, args.profile, args.paired, rebuilds) for n in sizes]
        memory = [measure_memory(n, work) for n in memory_sizes]
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    if results:
        print(report(results, (load_before, os.getloadavg())))
    if memory:
        print(memory_report(memory))
    if args.json:
        print(json.dumps(results + memory, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
