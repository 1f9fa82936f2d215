"""Helpers for command-line tests: run paperlog in-process, snapshot a site."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner, Result

from paperlog.cli import cli

PAPERLOG = Path(sys.executable).parent / "paperlog"
"""The installed console script, for tests that need a real process."""


def run(*args: str) -> Result:
    """`paperlog ARGS` through click's test runner (stdout and stderr apart)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root (but the built site) with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(root).parts[:1]
    }


def new_site(root: Path) -> Path:
    """A fresh site from `paperlog init` (the example note, bib and topics)."""
    result = run("init", str(root))
    assert result.exit_code == 0, result.output
    return root
