"""`paperlog check` through its entry point: output formats and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_tree
from paperlog.cli import main

GOOD = {"notes/papers/a.yaml": "title: A\nstatus: skimmed\n"}


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme: material\nplugins: [search, paperlog]\n", "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_clean_site_exits_zero(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(site, GOOD)
    assert main(["check"]) == 0
    assert "checked 1 note in notes/: 0 errors, 0 warnings" in capsys.readouterr().err


def test_errors_exit_one_with_caret_and_hint(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(site, {"notes/papers/a.yaml": "title: A\nstatus: red\nstatuss: x\n"})
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "notes/papers/a.yaml:2:1: error[PL104] unknown status 'red'" in out
    assert "    status: red\n    ^\n" in out
    assert "hint: did you mean 'status'?" in out


def test_warnings_exit_two_only_with_strict(site: Path) -> None:
    write_tree(site, {"notes/papers/a.yaml": "status: skimmed\n"})  # no title: a warning
    assert main(["check"]) == 0
    assert main(["check", "--strict"]) == 2


def test_parsable_and_github_formats(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(site, {"notes/papers/a.yaml": "title: A\nrating: 9\n"})
    assert main(["check", "--format", "parsable"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "notes/papers/a.yaml:2:1: error[PL104] 'rating' must be between 0 and 5, but got 9"
    ]
    assert main(["check", "--format", "github"]) == 1
    assert capsys.readouterr().out.strip() == (
        "::error file=notes/papers/a.yaml,line=2,col=1,title=PL104::'rating' must be between 0 and 5, but got 9"
    )


def test_options_come_from_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme: {name: material}\nplugins:\n  - paperlog:\n      notes_dir: reading\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        "utf-8",
    )
    write_tree(tmp_path, {"reading/x.yaml": "title: X\nstatus: bogus\n"})
    monkeypatch.chdir(tmp_path / "reading")  # found from a subfolder, like git
    assert main(["check", "-q"]) == 1


def test_console_script_runs(site: Path) -> None:
    write_tree(site, GOOD)
    exe = Path(sys.executable).with_name("paperlog")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "paperlog.cli"]
    result = subprocess.run(
        [*cmd, "check"], cwd=site, capture_output=True, text=True, env=os.environ, check=False
    )
    assert result.returncode == 0, result.stderr
    bad = subprocess.run(
        [*cmd, "check"], cwd=site / "notes", capture_output=True, text=True, check=False
    )
    assert bad.returncode == 0
    assert "Traceback" not in result.stderr + bad.stderr
