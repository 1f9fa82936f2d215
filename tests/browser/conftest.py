"""Fixtures for the browser tests: the demo site built once, served on 127.0.0.1,
and one Chromium for the whole session driven through Playwright's sync API.

Without Chromium or Playwright the browser tests skip and say why;
PAPERLOG_REQUIRE_BROWSER=1 (set by .ci/run) turns that skip into a failure.
PAPERLOG_DEMO_ROOT points the tests at another site folder (mkdocs.yml,
notes/, docs/) than the repository's demo.

When a test fails, a screenshot of each page it had open, and any screenshot it
took itself, is kept under test-artifacts/<test>/ (git-ignored;
PAPERLOG_ARTIFACTS moves it; PAPERLOG_KEEP_ARTIFACTS=1 keeps the screenshots
of passing tests too, to look at the pages). The folder is emptied when a
session starts, so what it holds is from the last run.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from .pltest.build import (
    SUBPATH_PREFIX,
    SUBPATH_SITE_URL,
    BuildFailed,
    build,
    copy_demo,
    read_config,
    write_variant,
)
from .pltest.chromium import AXE_INSTALL, LAUNCH_ARGS, PageWatch, axe_script, chromium_path
from .pltest.server import SiteServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page


REPO = Path(__file__).resolve().parents[2]


def browser_required() -> bool:
    return os.environ.get("PAPERLOG_REQUIRE_BROWSER", "") not in ("", "0")


def unavailable(reason: str) -> None:
    """Skip, saying why; fail instead when the browser tests are required."""
    if browser_required():
        pytest.fail(
            f"{reason} (PAPERLOG_REQUIRE_BROWSER is set, so this is a failure)", pytrace=False
        )
    pytest.skip(f"{reason}; set PAPERLOG_REQUIRE_BROWSER=1 to make this a failure")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "browser: drives Chromium through Playwright (skipped without it unless PAPERLOG_REQUIRE_BROWSER=1)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Mark what needs Chromium, so `-m "not browser"` runs the rest; a browser and a built
    # site are slow for the quick loop (`-m "not slow"`).
    here = Path(__file__).parent
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if Path(str(item.path)).is_relative_to(here):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Remember each phase's outcome on the item, so fixtures can tell a failed test at teardown.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    return any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )


# --- the sites ------------------------------------------------------------------------------


class DemoBuilds:
    """The demo copied once; each variant built on first use, then reused."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._failed: dict[str, str] = {}

    def site_dir(self, name: str) -> Path:
        return self.root / f"site-{name}"

    def build(self, name: str, overrides: dict[str, Any]) -> Path:
        if name in self._failed:
            pytest.fail(self._failed[name], pytrace=False)
        try:
            build(write_variant(self.root, name, overrides), self.site_dir(name))
        except BuildFailed as exc:
            self._failed[name] = str(exc)
            pytest.fail(str(exc), pytrace=False)
        return self.site_dir(name)


@pytest.fixture(scope="session")
def demo_builds(tmp_path_factory: pytest.TempPathFactory) -> DemoBuilds:
    source = Path(os.environ.get("PAPERLOG_DEMO_ROOT") or REPO)
    root = tmp_path_factory.mktemp("demo")
    try:
        copy_demo(source, root)
    except BuildFailed as exc:
        pytest.fail(str(exc), pytrace=False)
    return DemoBuilds(root)


@pytest.fixture(scope="session")
def demo_config(demo_builds: DemoBuilds) -> dict[str, Any]:
    """The demo's mkdocs.yml as plain data."""
    return read_config(demo_builds.root)


def site_prefix(site_url: str) -> str:
    """The path a site is served under: the path of its site_url, as on GitHub Pages."""
    path = urlsplit(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


def _served_build(
    builds: DemoBuilds, name: str, prefix: str, overrides: dict[str, Any]
) -> Iterator[SiteServer]:
    """Start a server, then build the site for it, as `mkdocs serve` does.

    The site_url is the server's own address: Material's instant navigation
    only takes over links listed in sitemap.xml, and it matches them on
    protocol, host and port, so a sitemap naming another origin (or the same
    host without this port) quietly turns instant navigation off.
    """
    with SiteServer(builds.site_dir(name), prefix) as server:
        builds.build(name, {**overrides, "site_url": server.base_url})
        yield server


@pytest.fixture(scope="session")
def demo_server(demo_builds: DemoBuilds, demo_config: dict[str, Any]) -> Iterator[SiteServer]:
    """The demo as the repository configures it (navigation.instant on), under its site_url's path."""
    yield from _served_build(demo_builds, "demo", site_prefix(demo_config.get("site_url", "")), {})


@pytest.fixture(scope="session")
def demo_site(demo_server: SiteServer) -> Path:
    """The folder of the built demo (`mkdocs build --strict`)."""
    return demo_server.directory


@pytest.fixture(scope="session")
def classic_server(demo_builds: DemoBuilds, demo_config: dict[str, Any]) -> Iterator[SiteServer]:
    """The demo without Material's instant navigation: every link is a full page load."""
    theme = demo_config.get("theme") or {}
    features = [
        f for f in theme.get("features") or [] if not str(f).startswith("navigation.instant")
    ]
    yield from _served_build(
        demo_builds,
        "classic",
        site_prefix(demo_config.get("site_url", "")),
        {"theme": {"features": features}},
    )


@pytest.fixture(scope="session")
def demo_site_subpath(demo_builds: DemoBuilds) -> Path:
    """The demo built for a GitHub Pages project site: site_url https://user.github.io/repo/."""
    return demo_builds.build("subpath", {"site_url": SUBPATH_SITE_URL})


@pytest.fixture(scope="session")
def subpath_server(demo_site_subpath: Path) -> Iterator[SiteServer]:
    """The sub-path build served under /repo/ (the port differs from the site_url's, so
    instant navigation stays off there: links are plain page loads)."""
    with SiteServer(demo_site_subpath, SUBPATH_PREFIX) as server:
        yield server


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        unavailable(
            "no Chromium at $PAPERLOG_CHROMIUM or /usr/bin/chromium (apt-get install -y chromium)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(executable), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_js() -> Path:
    script = axe_script()
    if script is None:
        unavailable(
            f"axe-core is not installed: run `{AXE_INSTALL}` in the repository, or set PAPERLOG_AXE_JS"
        )
    return script


class Artifacts:
    """Screenshots a test takes; kept under test-artifacts/ only when the test fails."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch

    def screenshot(self, page: Page, name: str, full_page: bool = True) -> Path:
        path = self.scratch / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def artifacts(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Artifacts]:
    scratch = tmp_path / "artifacts"
    scratch.mkdir()
    yield Artifacts(scratch)
    if (_failed(request) or os.environ.get("PAPERLOG_KEEP_ARTIFACTS")) and any(scratch.iterdir()):
        keep = _artifact_dir(request)
        for shot in scratch.iterdir():
            shutil.copy2(shot, keep / shot.name)


def _artifacts_base() -> Path:
    return Path(os.environ.get("PAPERLOG_ARTIFACTS") or REPO / "test-artifacts")


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts() -> None:
    base = _artifacts_base()
    if base.is_dir():
        # Only what this run's tests wrote: folders named after tests, with .png/.txt inside.
        for folder in base.iterdir():
            if folder.is_dir() and all(f.suffix in (".png", ".txt") for f in folder.iterdir()):
                shutil.rmtree(folder)


def _artifact_dir(request: pytest.FixtureRequest) -> Path:
    folder = _artifacts_base() / re.sub(
        r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1]
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def watch() -> PageWatch:
    """What went wrong in this test's browser context (console errors, failed or external requests)."""
    return PageWatch()


def _new_context(browser: Browser, watch: PageWatch, **options: Any) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    # Waits are bounded so a missing element fails in seconds, not minutes.
    context.set_default_timeout(15_000)
    watch.attach(context)
    return context


@pytest.fixture
def context(
    request: pytest.FixtureRequest, browser: Browser, watch: PageWatch
) -> Iterator[BrowserContext]:
    """A fresh browser context (no storage shared between tests), blocking every request off 127.0.0.1."""
    ctx = _new_context(browser, watch)
    yield ctx
    if _failed(request):
        keep = _artifact_dir(request)
        for i, open_page in enumerate(ctx.pages):
            try:
                open_page.screenshot(path=str(keep / f"page-{i}.png"), full_page=True)
            except Exception as exc:  # a crashed page must not hide the test's own failure
                (keep / f"page-{i}.txt").write_text(
                    f"no screenshot of {open_page.url}: {exc}\n", "utf-8"
                )
        (keep / "problems.txt").write_text("\n".join(watch.problems()) + "\n", "utf-8")
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
