"""Time and memory stay bounded on hostile input: bombs, deep nesting, 10 MB files.

Each case is a whole site checked by `paperlog check` in a fresh process
that reports its peak memory (resource.getrusage) when it ends. The
properties: the check finishes (a generous timeout guards against a hang,
no timing is asserted), prints diagnostics rather than a traceback, and
stays under a memory ceiling far below what the input could blow up to
(a billion-laughs YAML expands to 10^9 values).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_tree

TEN_MB = 10 * 1024 * 1024
CEILING_MB = 1024
"""Peak resident memory allowed for one check (imports take about 165 MB; 260,000 tiny .bib entries about 570 MB)."""

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
)

CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "billion laughs in a note": (
        {"notes/papers/a.yaml": "title: A\nextra:\n  " + BILLION_LAUGHS.replace("\n", "\n  ")},
        "PL107",
    ),
    "billion laughs in topics.yaml": ({"notes/topics.yaml": BILLION_LAUGHS}, "PL107"),
    "self-referencing alias": ({"notes/papers/a.yaml": "a: &a [*a]\n"}, "PL10"),
    "10,000 levels of nesting in sessions.yaml": (
        {"notes/sessions.yaml": "- " + "[" * 10_000 + "]" * 10_000 + "\n"},
        "PL10",
    ),
    "10 MB note": ({"notes/papers/a.yaml": "title: " + "x" * TEN_MB + "\n"}, "PL107"),
    "10 MB of notes in one list": (
        {"notes/papers/a.yaml": "title: A\ntags:\n" + "- t\n" * (TEN_MB // 4)},
        "PL107",
    ),
    "10 MB .bib field": (
        {"notes/references.bib": "@misc{a, title = {" + "x" * TEN_MB + "}}\n"},
        "",
    ),
    "10 MB .bib of entries": (
        {
            "notes/references.bib": "".join(
                f"@misc{{k{i}, title = {{T {i}}}, year = 2020}}\n" for i in range(TEN_MB // 40)
            )
        },
        "",
    ),
    "100,000 nested braces in a .bib": (
        {"notes/references.bib": "@misc{a, title = " + "{" * 100_000 + "x" + "}" * 100_000 + "}\n"},
        "",
    ),
    "unclosed .bib entry of 10 MB": (
        {"notes/references.bib": "@misc{a, title = {" + "x" * TEN_MB},
        "PL302",
    ),
    "10 MB arXiv cache of records": (
        {
            "notes/arxiv.json": json.dumps(
                {
                    f"2401.{i:05d}": {
                        "id": f"2401.{i:05d}",
                        "title": "T" * 40,
                        "authors": ["A"],
                        "published": "2024-01-01",
                    }
                    for i in range(TEN_MB // 120)
                }
            )
        },
        "",
    ),
    "200,000 nested arrays in the arXiv cache": (
        {"notes/arxiv.json": "[" * 200_000 + "]" * 200_000},
        "PL401",
    ),
    "invalid UTF-8, NUL, CRLF and BOM": (
        {
            "notes/papers/a.yaml": b"title: caf\xe9\n",
            "notes/papers/b.yaml": b"title: nul\x00here\n",
            "notes/papers/c.yaml": b"\xef\xbb\xbftitle: C\r\nstatus: skimmed\r\n",
            "notes/references.bib": b"\xef\xbb\xbf@misc{x,\r\n title = {\xff\xfe caf\xe9},\r\n}\r\n",
            "notes/arxiv.json": b'\xef\xbb\xbf{"x": \x00}',
        },
        "PL100",
    ),
}

pytestmark = pytest.mark.slow  # see README: `pytest -m "not slow"` for a quick loop

SCRIPT = """
import resource, sys
from paperlog.cli import main
code = main(["check", "--format", "parsable", "--quiet"])
sys.stdout.flush()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"PEAK_MB={peak}", file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize("case", sorted(CASES))
def test_bounded(tmp_path: Path, case: str) -> None:
    files, code = CASES[case]
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: Bounds\nplugins: [paperlog]\n",
            "notes/papers/ok.yaml": "title: Fine\n",
            **files,
        },
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr[-2000:]
    assert done.returncode in (0, 1, 2), done.stderr[-2000:]
    peak = int(done.stderr.rsplit("PEAK_MB=", 1)[1].split()[0])
    assert peak < CEILING_MB, f"{case}: {peak} MB"
    if code:
        assert f"[{code}" in done.stdout, done.stdout[:2000]
    print(f"{case}: exit {done.returncode}, peak {peak} MB")
