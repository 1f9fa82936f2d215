"""The benchmark command works (at a tiny size; timing is never asserted)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import build
from paperlog.bench.synth import CODE_MODULES, generate_site
from paperlog.cli.render import generate_pages

pytestmark = pytest.mark.slow  # see README: `pytest -m "not slow"` for a quick loop


def test_synthetic_site_is_realistic_and_builds(tmp_path: Path) -> None:
    generate_site(tmp_path, 30)
    notes = [
        yaml.safe_load(p.read_text("utf-8"))
        for p in sorted((tmp_path / "notes" / "papers").glob("*.yaml"))
    ]
    assert len(notes) == 30
    assert {len(n["authors"]) for n in notes} <= set(range(1, 7))
    assert max(len(n["authors"]) for n in notes) >= 4
    assert all(len(n["cites"]) in (2, 3) for n in notes[2:])  # two earlier notes may coincide
    assert all(n["topics"] and n["tags"] and n["log"] and n["terms"] for n in notes)
    assert any("implementations" in n for n in notes) and any("pseudocode" in n for n in notes)
    bib = (tmp_path / "notes" / "references.bib").read_text("utf-8")
    assert bib.count("@inproceedings{") == 45  # 1.5 N
    site = build(tmp_path)
    assert site.exists("papers/paper00029/")
    assert len(site.html("papers/").select(".pl-table tbody tr")) == 30
    for module in CODE_MODULES:
        assert site.exists(f"code/{module}/")
    # Pseudo-code steps link into the code pages, by symbol and by line range.
    links = [a["href"] for a in site.html("papers/paper00005/").select("a[href*='code/']")]
    assert any("#__codelineno-pl-src-16" in href for href in links), links
    assert site.exists("readers/ada/")


def test_benchmark_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "paperlog.bench",
            "--sizes",
            "15,30",
            "--runs",
            "1",
            "--workdir",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    rows = [line for line in out.splitlines() if re.match(r"\s+(15|30)\s", line)]
    assert len(rows) == 2
    assert "growth 15->30 with paperlog" in out
    phase_rows = [
        line.split()
        for line in out.splitlines()
        if re.match(r"\s+(build|rebuild|dirty)\s+(15|30)\s", line)
    ]
    assert [r[0] for r in phase_rows] == ["build", "rebuild", "dirty"] * 2
    assert "load average" in out
    figures = json.loads(out[out.index("[\n") :])
    assert [r["n"] for r in figures] == [15, 30]
    for r in figures:
        assert set(r["phases"]) >= {"load", "link", "render", "hooks", "total"}
        assert set(r["rebuild_paperlog"]) >= {"load", "link", "render", "hooks", "total"}
        assert r["rebuild_pages"]["reused"] > 0  # the serve rebuild reused pages
        # ... and handed MkDocs the kept conversion of most generated pages.
        assert 0 < r["rebuild_pages"]["converted"] < r["rebuild_pages"]["conversions_reused"]
        # Five rebuilds in one session, each after a new title; their medians are reported.
        assert len(r["rebuild_runs"]) == len(r["dirty_runs"]) == 5
        assert min(r["rebuild_runs"]) <= r["rebuild_paperlog"]["total"] <= max(r["rebuild_runs"])
        # With --dirty most generated pages keep their HTML; the changed note's page does not.
        assert 0 < r["dirty_pages"]["kept"] < r["pages"]
    assert len([line for line in out.splitlines() if "total of each rebuild:" in line]) == 4
    memory = [line for line in out.splitlines() if "serve peak" in line]
    assert len(memory) == 2 and all("after 5 rebuilds" in line for line in memory), memory
    assert all(0 < r["rebuild_first_peak_mib"] <= r["rebuild_peak_mib"] for r in figures)
    # The baseline is the same pages without the plugin: what `paperlog render` writes.
    plain = yaml.safe_load((tmp_path / "n15-plain" / "mkdocs.yml").read_text("utf-8"))
    names = [p if isinstance(p, str) else next(iter(p)) for p in plain["plugins"]]
    assert names == ["search", "mkdocstrings"]
    assert plain["nav"][0] == "index.md" and "papers.md" in plain["nav"]
    assert not any(entry.startswith("papers/") for entry in plain["nav"])
    floor = yaml.safe_load((tmp_path / "n15-floor" / "mkdocs.yml").read_text("utf-8"))
    assert floor["nav"] == ["index.md"]
    outputs, _ = generate_pages(str(tmp_path / "n15-paperlog" / "mkdocs.yml"))
    for output in outputs:
        if output.is_page:
            written = (tmp_path / "n15-plain" / "docs" / output.path).read_text("utf-8")
            assert written == output.content, output.path


def test_memory_option_builds_once_and_reports_peak(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "paperlog.bench",
            "--memory",
            "20",
            "--workdir",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    # Memory alone: no comparison table, no plain or floor site.
    assert "a plugin" not in out and not (tmp_path / "n20-plain").exists()
    assert "peak memory of one build with paperlog" in out
    (row,) = [line.split() for line in out.splitlines() if re.match(r"\s+20\s", line)]
    figures = json.loads(out[out.index("[\n") :])
    assert figures[0]["n"] == 20 and figures[0]["pages"] > 20
    assert int(row[1]) == figures[0]["pages"] and figures[0]["peak_mib"] > 10
    assert set(figures[0]["phases"]) >= {"load", "link", "render", "hooks", "total"}


def test_paired_runs_build_a_beside_b_then_beside_c(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "paperlog.bench",
            "--sizes",
            "12",
            "--runs",
            "2",
            "--paired",
            "--rebuilds",
            "2",
            "--workdir",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    (figures,) = json.loads(out[out.index("[\n") :])
    assert figures["paired"] is True
    # a is built twice per run (beside b, then beside c); each ratio divides a pair's two builds.
    assert [len(figures["runs"][k]) for k in "abc"] == [4, 2, 2]
    a, b, c = (figures["runs"][k] for k in "abc")
    assert figures["ratios_ab"] == [a[0] / b[0], a[2] / b[1]]
    assert figures["ratios_ac"] == [a[1] / c[0], a[3] / c[1]]
    (runs_row,) = [line for line in out.splitlines() if re.match(r"\s+runs\s+12\s", line)]
    shown = ["a/b", *(f"{x:.3f}" for x in figures["ratios_ab"])]
    shown += ["a/c", *(f"{x:.3f}" for x in figures["ratios_ac"])]
    assert runs_row.split()[2:] == shown
    assert "--paired" in out and "run 2/2 (ab+ac)" in result.stderr
    # --rebuilds sets how many serve rebuilds are measured in the session.
    assert len(figures["rebuild_runs"]) == len(figures["dirty_runs"]) == 2
