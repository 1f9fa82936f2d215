"""Paper pages rendered in a forked process (render/parallel.py): same site, and safe when it fails."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

import paperlog.render as render
from conftest import build
from paperlog.bench.synth import generate_site
from paperlog.diagnostics import Diagnostics, Level
from paperlog.render import OutputFile, parallel

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork") or not sys.platform.startswith("linux"), reason="forking is used on Linux only"),
    pytest.mark.skipif(parallel.available_cpus() < 2, reason="a render child is started with two or more CPUs only"),
]


def _no_other_threads() -> None:
    """A thread an earlier test left to finish (a cancelled timer) would rightly stop the fork."""
    deadline = time.monotonic() + 10
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == 1, f"threads still running: {threading.enumerate()}"


@dataclass
class _Context:
    """What produce_pages needs of a RenderContext."""

    diags: Diagnostics = field(default_factory=Diagnostics)


def _pid_page(name: str):  # type: ignore[no-untyped-def]
    """A producer whose page says which process rendered it."""

    def produce(ctx: _Context) -> Iterable[OutputFile]:
        yield OutputFile(f"{name}.md", f"rendered by {os.getpid()}")

    return produce


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the render children started, as the parent sees them."""
    started: list[int] = []
    real = parallel._fork

    def spy(produce, ctx):  # type: ignore[no-untyped-def]
        child = real(produce, ctx)
        if child is not None:
            started.append(child.pid)
        return child

    monkeypatch.setattr(parallel, "_fork", spy)
    _no_other_threads()
    return started


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_first_producer_runs_in_a_child_and_reports_through_the_parent(forks: list[int]) -> None:
    def papers(ctx: _Context) -> Iterable[OutputFile]:
        ctx.diags.warning("notes/papers/a.yaml", 3, 1, "PL999", "reported in the child")
        yield from _pid_page("papers")(ctx)

    ctx = _Context()
    files = parallel.produce_pages([papers, _pid_page("index")], ctx, fork_first=True)

    assert len(forks) == 1 and _reaped(forks[0])
    by_path = {f.path: f.content for f in files}
    assert by_path == {"papers.md": f"rendered by {forks[0]}", "index.md": f"rendered by {os.getpid()}"}
    [diagnostic] = list(ctx.diags)
    assert (diagnostic.path, diagnostic.line, diagnostic.code, diagnostic.level) == (
        "notes/papers/a.yaml",
        3,
        "PL999",
        Level.WARNING,
    )


def test_without_fork_first_everything_stays_in_this_process(forks: list[int]) -> None:
    files = parallel.produce_pages([_pid_page("papers"), _pid_page("index")], _Context(), fork_first=False)
    assert forks == []
    assert {f.content for f in files} == {f"rendered by {os.getpid()}"}


def test_a_child_that_fails_leaves_its_pages_to_the_parent(forks: list[int]) -> None:
    parent = os.getpid()

    def papers(ctx: _Context) -> Iterable[OutputFile]:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        yield OutputFile("papers.md", "rendered by the parent")

    files = parallel.produce_pages([papers, _pid_page("index")], _Context(), fork_first=True)
    assert len(forks) == 1 and _reaped(forks[0])
    assert sorted(f.path for f in files) == ["index.md", "papers.md"]
    assert {f.path: f.content for f in files}["papers.md"] == "rendered by the parent"


def test_a_child_killed_by_a_signal_leaves_its_pages_to_the_parent(forks: list[int]) -> None:
    parent = os.getpid()

    def papers(ctx: _Context) -> Iterable[OutputFile]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        yield OutputFile("papers.md", "rendered by the parent")

    files = parallel.produce_pages([papers, _pid_page("index")], _Context(), fork_first=True)
    assert len(forks) == 1 and _reaped(forks[0])
    assert {f.path: f.content for f in files}["papers.md"] == "rendered by the parent"


def test_an_error_in_the_child_shows_as_the_parents_own(forks: list[int]) -> None:
    def papers(ctx: _Context) -> Iterable[OutputFile]:
        raise ValueError(f"broken template, raised in {os.getpid()}")
        yield  # pragma: no cover

    with pytest.raises(ValueError, match=f"raised in {os.getpid()}$"):
        parallel.produce_pages([papers, _pid_page("index")], _Context(), fork_first=True)
    assert len(forks) == 1 and _reaped(forks[0])


def test_an_error_in_the_parent_stops_and_reaps_the_child(forks: list[int]) -> None:
    def papers(ctx: _Context) -> Iterable[OutputFile]:
        time.sleep(30)  # killed long before
        yield OutputFile("papers.md", "late")

    def index(ctx: _Context) -> Iterable[OutputFile]:
        raise KeyError("index")
        yield  # pragma: no cover

    start = time.monotonic()
    with pytest.raises(KeyError):
        parallel.produce_pages([papers, index], _Context(), fork_first=True)
    assert time.monotonic() - start < 20
    assert len(forks) == 1 and _reaped(forks[0])


def test_a_child_reaped_by_someone_elses_handler_still_counts(forks: list[int]) -> None:
    """Some programs reap every child in a SIGCHLD handler: the pages that came through still count."""

    def reap_all(signum: int, frame: object) -> None:
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass

    previous = signal.signal(signal.SIGCHLD, reap_all)
    try:
        files = parallel.produce_pages([_pid_page("papers"), _pid_page("index")], _Context(), fork_first=True)
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert len(forks) == 1 and _reaped(forks[0])
    assert {f.path: f.content for f in files}["papers.md"] == f"rendered by {forks[0]}"


def test_no_fork_while_another_thread_runs() -> None:
    _no_other_threads()
    assert parallel.can_fork()
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not parallel.can_fork()
    finally:
        release.set()
        other.join()
    assert parallel.can_fork()


def _built_files(site_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site_dir)): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}


def test_a_parallel_build_writes_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    """A synthetic log built with the paper pages in a child, and in one process: every file the same."""
    root = generate_site(tmp_path / "site", 24)
    monkeypatch.setattr(render, "MIN_PAPERS", 20)
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text("utf-8"))

    def build_with(parallel_option: bool, site_dir: str) -> Path:
        plugins = [p for p in config["plugins"] if p != "paperlog" and "paperlog" not in p]
        plugins.append({"paperlog": {"parallel": parallel_option}})
        config_file.write_text(yaml.safe_dump({**config, "plugins": plugins, "site_dir": site_dir}), "utf-8")
        built = build(root)
        assert built.warnings == []
        return built.site_dir

    two = build_with(True, "site-two")
    assert len(forks) == 1 and _reaped(forks[0])
    one = build_with(False, "site-one")
    assert len(forks) == 1

    two_files, one_files = _built_files(two), _built_files(one)
    assert sorted(two_files) == sorted(one_files)
    assert [p for p in one_files if two_files[p] != one_files[p]] == []
    papers = [p for p in one_files if p.startswith("papers/") and p.endswith("/index.html")]
    assert len(papers) >= 24


def test_a_small_log_is_rendered_in_one_process(tmp_path: Path, forks: list[int]) -> None:
    root = generate_site(tmp_path / "site", 12)
    assert render.MIN_PAPERS > 12
    build(root)
    assert forks == []
