"""Golden bad sites: whole sites -> the exact output of `paperlog check --format parsable`.

Each folder under tests/fixtures/bad-sites/ is a site (mkdocs.yml, notes,
and whatever else it breaks: .bib files, the arXiv cache, code, sessions,
path options) with `expected.txt`: the exit code on the first line, then
the diagnostics exactly as `check` prints them. tests/golden/validation/
holds single-note cases run through load and link; these run the command a
user runs, on every kind of input at once, so a change anywhere is checked
against all of them. To add a case, create the folder, run
`PAPERLOG_UPDATE_GOLDEN=1 python -m pytest tests/test_bad_sites.py`, and
read the new expected.txt before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clihelp import run

CASES = Path(__file__).parent / "fixtures" / "bad-sites"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_site(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    root = CASES / case
    monkeypatch.chdir(root)
    result = run("check", "--format", "parsable", "--quiet")
    assert "Traceback" not in result.output
    actual = f"exit {result.exit_code}\n{result.stdout}"
    expected_file = root / "expected.txt"
    if os.environ.get("PAPERLOG_UPDATE_GOLDEN"):
        expected_file.write_text(actual, "utf-8")
    assert expected_file.is_file(), f"{case}: no expected.txt (run with PAPERLOG_UPDATE_GOLDEN=1)"
    assert actual == expected_file.read_text("utf-8")
