"""The graph's layout computed in a forked child (link/layout.py `start_layout`): the same
positions as here, and the parent lays it out itself when the child fails."""

from __future__ import annotations

import os
import random
import sys

import pytest

from forkutil import reaped, record_forks
from paperlog import forked
from paperlog.link import layout as L

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not sys.platform.startswith("linux"),
    reason="forking is used on Linux only",
)


def _graph(n: int, seed: int = 3) -> tuple[list[str], list[tuple[str, str]]]:
    rng = random.Random(seed)
    ids = [f"p{i:04d}" for i in range(n)]
    pairs = sorted({tuple(sorted(rng.sample(ids, 2))) for _ in range(2 * n)})  # type: ignore[misc]
    return ids, pairs  # type: ignore[return-value]


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children started for a layout."""
    return record_forks(monkeypatch, L, "fork_call")


def test_a_child_lays_out_the_same_positions(children: list[int]) -> None:
    ids, pairs = _graph(L.MIN_NODES_BESIDE + 50)
    here = L.layout(ids, pairs, L.LayoutCache())
    cache = L.LayoutCache()
    pending = L.start_layout(ids, pairs, cache, beside=True)
    assert pending.beside and len(children) == 1
    assert (pending.key, pending.positions()) == here  # float for float: the same arithmetic
    assert reaped(children[0])
    # Kept in the cache like a layout made here: the next build finds it.
    again = L.start_layout(ids, pairs, cache, beside=True)
    assert not again.beside and again.positions() is pending.positions()
    assert len(children) == 1


def test_small_graphs_and_beside_off_start_no_child(children: list[int]) -> None:
    ids, pairs = _graph(L.MIN_NODES_BESIDE - 1)
    assert not L.start_layout(ids, pairs, L.LayoutCache(), beside=True).beside
    ids, pairs = _graph(L.MIN_NODES_BESIDE)
    assert not L.start_layout(ids, pairs, L.LayoutCache(), beside=False).beside
    assert children == []


def test_a_failing_child_leaves_the_layout_to_the_parent(
    children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ids, pairs = _graph(L.MIN_NODES_BESIDE + 10)
    expected = L.layout(ids, pairs, L.LayoutCache())
    parent = os.getpid()
    real = L.force_layout

    def fails_in_the_child(*args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)  # a crash, not an exception: nothing is sent back
        return real(*args, **kwargs)

    monkeypatch.setattr(L, "force_layout", fails_in_the_child)
    pending = L.start_layout(ids, pairs, L.LayoutCache(), beside=True)
    assert pending.beside
    assert pending.positions() == expected[1]
    assert reaped(children[0])


def test_a_discarded_layout_stops_its_child(
    children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When linking fails before the positions are asked for, the child is killed and reaped."""
    ids, pairs = _graph(L.MIN_NODES_BESIDE + 10)

    def sleeps(*args, **kwargs):  # type: ignore[no-untyped-def]
        import time

        time.sleep(60)

    monkeypatch.setattr(L, "force_layout", sleeps)
    pending = L.start_layout(ids, pairs, L.LayoutCache(), beside=True)
    pending.discard()
    assert len(children) == 1 and reaped(children[0])
    assert not pending.beside


def test_forked_call_reports_a_failed_call_as_none() -> None:
    def raises() -> object:
        raise ValueError("in the child")

    child = forked.fork_call(raises)
    assert child is not None
    assert child.result() is None
    child = forked.fork_call(lambda: None)
    assert child is not None
    assert child.result() == (None,)  # a call may return None: that is not a failure
