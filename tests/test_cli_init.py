"""`paperlog init`: a scaffold that builds at once, and never clobbers a file."""

from __future__ import annotations

import tomllib
import yaml

from clihelp import run, snapshot
from conftest import REPO, build


def test_init_scaffold_builds_strict(tmp_path, monkeypatch):
    root = tmp_path / "my-papers"
    result = run("init", str(root), "--site-name", 'Ada\'s "papers"')
    assert result.exit_code == 0, result.output
    files = sorted(snapshot(root))
    assert files == [
        ".github/workflows/pages.yml",
        ".gitignore",
        "docs/index.md",
        "mkdocs.yml",
        "notes/papers/vaswani2017attention.yaml",
        "notes/references.bib",
        "notes/topics.yaml",
        "requirements.txt",
    ]
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    assert config["site_name"] == 'Ada\'s "papers"'
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    assert any(isinstance(p, dict) and "paperlog" in p for p in config["plugins"])
    assert (root / "requirements.txt").read_text().splitlines()[-1] == "paperlog~=0.1.0"

    site = build(root, strict=True)
    assert site.warnings == []
    assert site.html("").find("h1").get_text(strip=True) == 'Ada\'s "papers"'
    page = site.html("papers/vaswani2017attention/")
    assert page.find("h1").get_text(strip=True) == "Attention Is All You Need"
    assert page.find("math") is not None  # the summary's $...$ became MathML
    assert site.exists("topics/transformers/") and site.exists("papers/")

    # The scaffold passes its own check, as the workflow runs it.
    monkeypatch.chdir(root)
    assert run("check", "--strict").exit_code == 0


def test_workflow_builds_strict_and_deploys_with_pages_actions(tmp_path):
    run("init", str(tmp_path))
    workflow = yaml.safe_load((tmp_path / ".github/workflows/pages.yml").read_text())
    build_steps = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in build_steps]
    uses = [s.get("uses", "").split("@")[0] for s in build_steps]
    assert "mkdocs build --strict" in runs and "paperlog check --format github" in runs
    assert "pip install -r requirements.txt" in runs
    assert [u for u in uses if "pages" in u] == [
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["steps"][0]["uses"].startswith(
        "actions/deploy-pages@"
    )
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert "site/" in (tmp_path / ".gitignore").read_text().splitlines()


def test_init_refuses_to_overwrite_then_force(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes/topics.yaml").write_text("mine: {name: Mine}\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Mine\n")
    result = run("init", str(tmp_path))
    assert result.exit_code == 1
    assert (
        "2 files already exist; nothing was written" in result.stderr and "--force" in result.stderr
    )
    assert sorted(snapshot(tmp_path)) == ["mkdocs.yml", "notes/topics.yaml"]
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: Mine\n"

    result = run("init", str(tmp_path), "--force")
    assert result.exit_code == 0
    assert f"replaced  {tmp_path / 'mkdocs.yml'}" in result.stdout
    assert "paperlog" in (tmp_path / "mkdocs.yml").read_text()


def test_pre_commit_hook_runs_paperlog_check():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    [hook] = hooks
    assert (
        hook["id"] == "paperlog-check"
        and hook["language"] == "python"
        and hook["pass_filenames"] is False
    )
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    command, subcommand, *_ = hook["entry"].split()
    assert command in scripts and subcommand == "check"


def test_every_command_has_help_with_examples():
    for command in ("init", "add", "refresh", "check", "export", "render"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Examples:" in result.stdout and f"paperlog {command}" in result.stdout
