"""Helpers for the tests of work done in forked children (paperlog.forked and its users)."""

from __future__ import annotations

import os
from typing import Any

import pytest


def record_forks(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Wrap `owner.name`, a function that starts a child (or returns None), to record the
    pids of the children it starts, as the parent sees them."""
    started: list[int] = []
    real = getattr(owner, name)

    def spy(*args: Any) -> Any:
        child = real(*args)
        if child is not None:
            started.append(child.pid)
        return child

    monkeypatch.setattr(owner, name, spy)
    return started


def reaped(pid: int) -> bool:
    """Whether the child `pid` is gone (no zombie left behind)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False
