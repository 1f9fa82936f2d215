"""Golden files of the demo's generated Markdown pages: a template change shows as a diff.

tests/golden/demo/ holds every Markdown page paperlog generates for the repository's demo
site, as the MkDocs plugin generates it (a real `mkdocs build`, the date fixed). After a
deliberate change to templates or pages, run
`PAPERLOG_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_demo.py` and read the diff
(`git diff tests/golden/demo`) before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from conftest import REPO

GOLDEN = Path(__file__).parent / "golden" / "demo"
EPOCH = "1772366400"  # 2026-03-01T12:00:00Z: the date that upcoming meetings are seen from


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("demo")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("notes", "docs"):
        shutil.copytree(REPO / folder, root / folder)
    os.environ["SOURCE_DATE_EPOCH"], before = EPOCH, os.environ.get("SOURCE_DATE_EPOCH")
    try:
        config = load_config(str(root / "mkdocs.yml"))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
            built = config.plugins["paperlog"].built
        finally:
            config.plugins.on_shutdown()
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    assert built is not None
    return {o.path: o.content or "" for o in built.outputs if o.is_page}


def test_generated_pages_match_the_golden_files(generated: dict[str, str]) -> None:
    if os.environ.get("PAPERLOG_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, text in generated.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8", newline="\n")
    kept = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert kept, "no golden files: run with PAPERLOG_UPDATE_GOLDEN=1"
    assert sorted(generated) == sorted(kept), "pages added or gone: update the golden files"
    differing = [p for p in sorted(generated) if (GOLDEN / p).read_text("utf-8") != generated[p]]
    assert differing == [], (
        "generated pages differ from tests/golden/demo/ (after a deliberate change: "
        "PAPERLOG_UPDATE_GOLDEN=1, then read `git diff tests/golden/demo`)"
    )
