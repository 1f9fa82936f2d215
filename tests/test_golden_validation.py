"""Golden cases: a folder of bad notes -> the exact diagnostics, one per line.

Each folder under tests/golden/validation/ is a site root with a notes/ folder
and an `expected.txt` holding the expected `path:line:col: level[code] message`
lines, each followed by its hint when there is one. To add a case, create the folder, run
`PAPERLOG_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_validation.py`,
and read the new expected.txt before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paperlog.diagnostics import Diagnostics
from paperlog.link import link_library
from paperlog.load import load_library
from paperlog.settings import Settings

CASES = Path(__file__).parent / "golden" / "validation"


def diagnose(root: Path) -> str:
    settings = Settings.for_root(root)
    diags = Diagnostics()
    link_library(load_library(settings, diags), settings, diags)
    return "".join(d.format() + "\n" + (f"    hint: {d.hint}\n" if d.hint else "") for d in diags)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_case(case: str) -> None:
    root = CASES / case
    actual = diagnose(root)
    expected_file = root / "expected.txt"
    if os.environ.get("PAPERLOG_UPDATE_GOLDEN"):
        expected_file.write_text(actual, "utf-8")
    assert expected_file.is_file(), f"{case}: no expected.txt (run with PAPERLOG_UPDATE_GOLDEN=1)"
    assert actual == expected_file.read_text("utf-8")
