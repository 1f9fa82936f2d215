"""The benchmark command works (at a tiny size; timing is never asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import build
from paperlog.bench.synth import generate_site


def test_synthetic_site_builds(tmp_path: Path) -> None:
    generate_site(tmp_path, 30)
    site = build(tmp_path)
    assert len(list((tmp_path / "notes" / "papers").glob("*.yaml"))) == 30
    assert site.exists("papers/paper00029/")
    assert len(site.html("papers/").select(".pl-table tbody tr")) == 30


def test_benchmark_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "paperlog.bench", "--sizes", "15,30", "--runs", "1", "--workdir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line for line in result.stdout.splitlines() if re.match(r"\s+(15|30)\s", line)]
    assert len(rows) == 2
    assert "growth 15->30 with paperlog" in result.stdout
    # The plain baseline really is the same pages without the plugin.
    plain = (tmp_path / "n15-plain" / "mkdocs.yml").read_text("utf-8")
    assert "paperlog" not in plain.split("plugins:")[1].split("markdown_extensions:")[0]
    assert (tmp_path / "n15-plain" / "docs" / "papers" / "paper00014.md").is_file()
