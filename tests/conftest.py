"""Shared fixtures: build real MkDocs sites in temporary folders."""

from __future__ import annotations

import logging
import os
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from paperlog.mkdocs.memory import IDLE_COLLECTION

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

REPO = Path(__file__).resolve().parents[1]


def _find_shared_data() -> Path:
    # PAPERLOG_SHARED_DATA names it; else ../shared/data beside the checkout, or
    # beside a folder above it (a git worktree sits one folder deeper).
    if os.environ.get("PAPERLOG_SHARED_DATA"):
        return Path(os.environ["PAPERLOG_SHARED_DATA"])
    for folder in (REPO, *REPO.parents):
        candidate = folder.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "data"


SHARED_DATA = _find_shared_data()


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; skips the test (saying why) when absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"real-world fixture {path} is absent (../shared/data is not next to this checkout)"
        )
    return path


@dataclass
class BuiltSite:
    root: Path
    site_dir: Path
    logs: list[logging.LogRecord] = field(default_factory=list)

    def html(self, url_path: str) -> BeautifulSoup:
        """The parsed page at a site URL path such as 'papers/x/'."""
        path = self.site_dir / url_path
        if url_path.endswith("/") or not url_path:
            path = path / "index.html"
        return BeautifulSoup(path.read_text("utf-8"), "lxml")

    def text(self, url_path: str) -> str:
        return (self.site_dir / url_path).read_text("utf-8")

    def exists(self, url_path: str) -> bool:
        path = self.site_dir / url_path
        return (
            (path / "index.html").is_file()
            if url_path.endswith("/") or not url_path
            else path.is_file()
        )

    @property
    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.logs if r.levelno >= logging.WARNING]

    def messages(self, level: int = logging.INFO) -> list[str]:
        return [r.getMessage() for r in self.logs if r.levelno >= level]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), "utf-8")


def build(root: Path, strict: bool = False) -> BuiltSite:
    """Run a real `mkdocs build` of the site in `root`, in this process (startup, build, shutdown,
    as the command does)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        config = load_config(str(root / "mkdocs.yml"), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
        return BuiltSite(root, Path(config.site_dir), handler.records)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@pytest.fixture(autouse=True)
def _no_idle_collection_after_the_test() -> Iterator[None]:
    # A serve build schedules a full collection two seconds later (mkdocs/memory.py); a
    # test that wants it runs it itself, the others do not leave it to a later test.
    yield
    IDLE_COLLECTION.cancel()


class Serving:
    """One `mkdocs serve` session in this process, as MkDocs runs it: plugins started once,
    a fresh configuration for each build (the plugin instances are kept), the site folder
    kept between builds, shut down at the end. Use it as a context manager.

    `site_url` stays as mkdocs.yml writes it (the real command points it at the local
    server), so that a rebuild can be compared with a `mkdocs build`.
    """

    def __init__(self, root: Path, *, dirty: bool = False) -> None:
        self.root, self.dirty = root, dirty
        self.plugins = None
        self.config = None

    def build(self):  # type: ignore[no-untyped-def]
        """One build; returns its configuration."""
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        config = load_config(str(self.root / "mkdocs.yml"))
        if self.plugins is None:
            config.plugins.on_startup(command="serve", dirty=self.dirty)
        self.plugins, self.config = config.plugins, config
        mkdocs_build(config, dirty=self.dirty)
        return config

    @property
    def plugin(self):  # type: ignore[no-untyped-def]
        assert self.plugins is not None, "build() first"
        return self.plugins["paperlog"]

    def site(self) -> BuiltSite:
        assert self.config is not None
        return BuiltSite(self.root, Path(self.config.site_dir))

    def close(self) -> None:
        if self.plugins is not None:
            self.plugins.on_shutdown()
            self.plugins = None

    def __enter__(self) -> Serving:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@pytest.fixture
def serving() -> Iterator[Callable[..., Serving]]:
    """Start `mkdocs serve` sessions (`serving(root, dirty=...)`), shut down after the test."""
    sessions: list[Serving] = []

    def start(root: Path, *, dirty: bool = False) -> Serving:
        sessions.append(Serving(root, dirty=dirty))
        return sessions[-1]

    yield start
    for session in sessions:
        session.close()


MakeSite = Callable[..., BuiltSite]


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write a site (mkdocs.yml + files) into tmp_path and build it.

    `files` maps paths to text (dedented); `config` is merged into a minimal
    Material mkdocs.yml with the search and paperlog plugins.
    """

    def make(
        files: dict[str, str | bytes], config: dict | None = None, strict: bool = False
    ) -> BuiltSite:
        base = {
            "site_name": "Test reading log",
            "theme": {"name": "material", "font": False},
            "plugins": ["search", "paperlog"],
        }
        base.update(config or {})
        (tmp_path / "docs").mkdir(exist_ok=True)
        (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(base, sort_keys=False), "utf-8")
        write_tree(tmp_path, files)
        return build(tmp_path, strict=strict)

    return make


# --- arXiv: a local replay of the API (no test touches the real network) ---

FAST_ARXIV_ENV = {
    "PAPERLOG_ARXIV_DELAY": "0.01",
    "PAPERLOG_ARXIV_BACKOFF": "0.01",
    "PAPERLOG_ARXIV_RETRIES": "2",
    "PAPERLOG_ARXIV_TIMEOUT": "5",
}


@pytest.fixture
def arxiv_api(monkeypatch: pytest.MonkeyPatch):
    """A local arXiv API on 127.0.0.1 with no routes; PAPERLOG_ARXIV_URL points at it."""
    from arxiv_replay import ArxivReplay

    replay = ArxivReplay().start()
    monkeypatch.setenv("PAPERLOG_ARXIV_URL", replay.url)
    for name, value in FAST_ARXIV_ENV.items():
        monkeypatch.setenv(name, value)
    yield replay
    replay.stop()


@pytest.fixture
def recorded_arxiv(arxiv_api):
    """The local API, answering with the real responses recorded from arXiv in 2026."""
    from arxiv_replay import recorded_routes

    arxiv_api.routes.update(recorded_routes(shared_data("arxiv", "arxiv.py-2026-recorded")))
    return arxiv_api
