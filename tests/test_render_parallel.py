"""Paper pages rendered in a forked process (render/parallel.py): same site, and safe when it fails."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

import paperlog.render as render
from forkutil import reaped, record_forks
from paperlog.bench.synth import generate_site
from paperlog.diagnostics import Diagnostics, Level
from paperlog.link.layout import MIN_NODES_BESIDE
from paperlog.render import OutputFile, parallel

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not hasattr(os, "fork") or not sys.platform.startswith("linux"),
        reason="forking is used on Linux only",
    ),
    pytest.mark.skipif(
        parallel.available_cpus() < 2, reason="a render child is started with two or more CPUs only"
    ),
]


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
    return record_forks(monkeypatch, parallel, "_fork")


def test_first_producer_runs_in_a_child_and_reports_through_the_parent(forks: list[int]) -> None:
    def papers(ctx: _Context) -> Iterable[OutputFile]:
        ctx.diags.warning("notes/papers/a.yaml", 3, 1, "PL999", "reported in the child")
        yield from _pid_page("papers")(ctx)

    ctx = _Context()
    files = parallel.produce_pages([papers, _pid_page("index")], ctx, fork_first=True)

    assert len(forks) == 1 and reaped(forks[0])
    by_path = {f.path: f.content for f in files}
    assert by_path == {
        "papers.md": f"rendered by {forks[0]}",
        "index.md": f"rendered by {os.getpid()}",
    }
    [diagnostic] = list(ctx.diags)
    assert (diagnostic.path, diagnostic.line, diagnostic.code, diagnostic.level) == (
        "notes/papers/a.yaml",
        3,
        "PL999",
        Level.WARNING,
    )


def test_without_fork_first_everything_stays_in_this_process(forks: list[int]) -> None:
    files = parallel.produce_pages(
        [_pid_page("papers"), _pid_page("index")], _Context(), fork_first=False
    )
    assert forks == []
    assert {f.content for f in files} == {f"rendered by {os.getpid()}"}


def test_a_child_that_fails_leaves_its_pages_to_the_parent(forks: list[int]) -> None:
    parent = os.getpid()

    def papers(ctx: _Context) -> Iterable[OutputFile]:
        if os.getpid() != parent:
            raise RuntimeError("only in the child")
        yield OutputFile("papers.md", "rendered by the parent")

    files = parallel.produce_pages([papers, _pid_page("index")], _Context(), fork_first=True)
    assert len(forks) == 1 and reaped(forks[0])
    assert sorted(f.path for f in files) == ["index.md", "papers.md"]
    assert {f.path: f.content for f in files}["papers.md"] == "rendered by the parent"


def test_a_child_killed_by_a_signal_leaves_its_pages_to_the_parent(forks: list[int]) -> None:
    parent = os.getpid()

    def papers(ctx: _Context) -> Iterable[OutputFile]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        yield OutputFile("papers.md", "rendered by the parent")

    files = parallel.produce_pages([papers, _pid_page("index")], _Context(), fork_first=True)
    assert len(forks) == 1 and reaped(forks[0])
    assert {f.path: f.content for f in files}["papers.md"] == "rendered by the parent"


def test_an_error_in_the_child_shows_as_the_parents_own(forks: list[int]) -> None:
    def papers(ctx: _Context) -> Iterable[OutputFile]:
        raise ValueError(f"broken template, raised in {os.getpid()}")
        yield  # pragma: no cover

    with pytest.raises(ValueError, match=f"raised in {os.getpid()}$"):
        parallel.produce_pages([papers, _pid_page("index")], _Context(), fork_first=True)
    assert len(forks) == 1 and reaped(forks[0])


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
    assert len(forks) == 1 and reaped(forks[0])


def test_a_child_reaped_by_someone_elses_handler_still_counts(forks: list[int]) -> None:
    """Some programs reap every child in a SIGCHLD handler: the pages that came through still count."""

    def reap_all(signum: int, frame: object) -> None:
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass

    previous = signal.signal(signal.SIGCHLD, reap_all)
    try:
        files = parallel.produce_pages(
            [_pid_page("papers"), _pid_page("index")], _Context(), fork_first=True
        )
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert len(forks) == 1 and reaped(forks[0])
    assert {f.path: f.content for f in files}["papers.md"] == f"rendered by {forks[0]}"


def _python(script: str) -> str:
    """Run `script` in a new interpreter: no thread of this test session in it."""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_no_fork_while_another_thread_runs() -> None:
    out = _python(
        "import threading\n"
        "from paperlog.render import parallel\n"
        "print(parallel.can_fork())\n"
        "release = threading.Event()\n"
        "other = threading.Thread(target=release.wait)\n"
        "other.start()\n"
        "print(parallel.can_fork())\n"
        "release.set()\n"
        "other.join()\n"
        "print(parallel.can_fork())\n"
    )
    assert out.split() == ["True", "False", "True"]


def _built_files(site_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site_dir)): p.read_bytes()
        for p in sorted(site_dir.rglob("*"))
        if p.is_file()
    }


def _mkdocs_build(root: Path, site_dir: str, *, parallel_option: bool) -> str:
    """`mkdocs build -v`, as a user runs it; returns what it printed."""
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text("utf-8"))
    plugins = [
        p
        for p in config["plugins"]
        if p != "paperlog" and not (isinstance(p, dict) and "paperlog" in p)
    ]
    plugins.append({"paperlog": {"parallel": parallel_option}})
    config_file.write_text(yaml.safe_dump({**config, "plugins": plugins}), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-v", "-d", site_dir],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


SECOND_PROCESS = re.compile(r"paper pages: (\d+) files rendered in a second process")
LAYOUT_BESIDE = re.compile(r"graph layout: (\d+) nodes laid out in a second process")


def test_a_parallel_build_writes_the_same_site(tmp_path: Path) -> None:
    """A synthetic log of MIN_PAPERS notes, built with the paper pages and the graph's layout in
    second processes and in one process: every file of the two sites is the same (graph.json
    holds every node's position)."""
    root = generate_site(tmp_path / "site", render.MIN_PAPERS)

    two_log = _mkdocs_build(root, str(tmp_path / "two"), parallel_option=True)
    one_log = _mkdocs_build(root, str(tmp_path / "one"), parallel_option=False)

    [count] = SECOND_PROCESS.findall(two_log)
    assert int(count) >= render.MIN_PAPERS
    assert SECOND_PROCESS.findall(one_log) == []
    [nodes] = LAYOUT_BESIDE.findall(two_log)
    assert int(nodes) >= MIN_NODES_BESIDE
    assert LAYOUT_BESIDE.findall(one_log) == []
    two_files, one_files = _built_files(tmp_path / "two"), _built_files(tmp_path / "one")
    assert sorted(two_files) == sorted(one_files)
    assert [p for p in one_files if two_files[p] != one_files[p]] == []
    papers = [p for p in one_files if p.startswith("papers/") and p.endswith("/index.html")]
    assert len(papers) >= render.MIN_PAPERS


def test_a_small_log_is_rendered_in_one_process(tmp_path: Path) -> None:
    root = generate_site(tmp_path / "site", 12)
    assert render.MIN_PAPERS > 12
    log = _mkdocs_build(root, str(tmp_path / "out"), parallel_option=True)
    assert SECOND_PROCESS.findall(log) == []
    assert LAYOUT_BESIDE.findall(log) == []
    assert (tmp_path / "out" / "papers" / "paper00011" / "index.html").is_file()
