"""Chromium through Playwright: launch options, a watch on what pages do, axe-core.

Playwright's own browser download needs the network, so the tests drive the
system's Chromium (Debian's package) through `executable_path`.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Route

DEFAULT_CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The one host a page of the site may talk to: the test server.
LOCAL_HOSTS = frozenset({"127.0.0.1"})
# axe-core is pinned in tests/browser/package.json; `npm install --prefix tests/browser`
# puts it in that folder's git-ignored node_modules/.
BROWSER_TESTS = Path(__file__).resolve().parents[1]
AXE_INSTALL = "npm install --no-package-lock --no-audit --no-fund --prefix tests/browser"
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class ThemeIssue:
    """A violation that Material itself causes, which paperlog neither writes nor styles.

    It matches a node of that rule only by what is given: its selector, a piece of
    its HTML, its text and background colours (color-contrast). Kept narrow, so the
    same rule on our own elements still fails; an entry goes when the theme fixes it.
    """

    rule: str
    reason: str
    target: str | None = None
    html: str | None = None
    colours: tuple[str, str] | None = None

    def matches(self, rule: str, node: Node) -> bool:
        return (
            rule == self.rule
            and (self.target is None or node.target == self.target)
            and (self.html is None or self.html in node.html)
            and (self.colours is None or self.colours == node.colours)
        )


THEME_ISSUES = (
    ThemeIssue(
        "aria-dialog-name",
        "Material's search box is role=dialog without a name",
        target=".md-search",
    ),
    ThemeIssue("color-contrast", "Material's footer text: 4.47:1", target=".md-copyright"),
    # Material's code highlighting palette, a hair under 4.5:1.
    ThemeIssue(
        "color-contrast",
        "Material's light code colour for comments, docstrings, operator words and line numbers: 4.47:1",
        colours=("#717171", "#f5f5f5"),
    ),
    ThemeIssue(
        "color-contrast",
        "Material's dark code colour for builtins: 4.48:1",
        colours=("#9383e2", "#272a35"),
    ),
    ThemeIssue(
        "color-contrast",
        "Material's dark code colour for numbers: 4.44:1",
        colours=("#e6695b", "#272a35"),
    ),
    ThemeIssue(
        "color-contrast",
        "Material's dark link colour on its code background, for line-number anchors: 4.12:1",
        html='href="#__codelineno',
        colours=("#5488e8", "#272a35"),
    ),
)


def chromium_path() -> Path | None:
    """The Chromium to drive: $PAPERLOG_CHROMIUM when set, else /usr/bin/chromium or `chromium` on PATH."""
    override = os.environ.get("PAPERLOG_CHROMIUM")
    candidates = [override] if override else [DEFAULT_CHROMIUM, shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def axe_script() -> Path | None:
    """axe.min.js from $PAPERLOG_AXE_JS or tests/browser/node_modules."""
    for candidate in (
        os.environ.get("PAPERLOG_AXE_JS"),
        BROWSER_TESTS / "node_modules/axe-core/axe.min.js",
    ):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _page_of(request: Request) -> str:
    try:
        return request.frame.page.url
    except Exception:  # requests from a worker have no frame
        return ""


@dataclass
class PageWatch:
    """Everything that went wrong in a browser context, as readable lines.

    Console errors, uncaught exceptions, failed requests, HTTP errors, and any
    request for a host other than the test server (which is blocked: the site
    must work offline). Each line names the page it happened on when known.
    """

    found: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, what, page URL)
    requested: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.on("console", self._console)
        context.on(
            "weberror",
            lambda error: self._add(
                "uncaught exception", str(error.error), error.page.url if error.page else ""
            ),
        )
        context.on("requestfailed", self._failed)
        context.on("response", self._response)

    def _add(self, kind: str, what: str, page_url: str = "") -> None:
        self.found.append((kind, what, page_url))

    def _route(self, route: Route) -> None:
        url = route.request.url
        self.requested.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self._add("request leaving 127.0.0.1 (blocked)", url, _page_of(route.request))
            route.abort("blockedbyclient")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            source = (message.location or {}).get("url", "")
            self._add(
                "console error",
                message.text + (f" [{source}]" if source else ""),
                message.page.url if message.page else "",
            )

    def _failed(self, request: Request) -> None:
        failure = request.failure or ""
        if urlsplit(request.url).hostname not in LOCAL_HOSTS:
            return  # blocked by _route, reported there
        # A navigation away cancels the previous page's pending requests; that is not a failure.
        if "ERR_ABORTED" in failure:
            return
        self._add("failed request", f"{request.url}: {failure}", _page_of(request))

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self._add(
                "HTTP error", f"{response.url}: HTTP {response.status}", _page_of(response.request)
            )

    def problems(self) -> list[str]:
        """One line per problem; empty when every page behaved."""
        return [
            f"{kind}: {what}" + (f" (on {page})" if page else "") for kind, what, page in self.found
        ]

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the browser saw problems:\n" + "\n".join(problems)

    def clear(self) -> None:
        self.found.clear()
        self.requested.clear()


@dataclass(frozen=True)
class Node:
    """One element a rule flags: its selector, HTML, and for contrast its colours."""

    target: str
    html: str = ""
    colours: tuple[str, str] | None = None


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    nodes: tuple[Node, ...]

    def __str__(self) -> str:
        targets = [
            n.target + (f" ({n.colours[0]} on {n.colours[1]})" if n.colours else "")
            for n in self.nodes
        ]
        where = "; ".join(targets[:5]) + (
            f" (+{len(targets) - 5} more)" if len(targets) > 5 else ""
        )
        return f"[{self.impact}] {self.rule}: {self.help} at {where}"


def _node(raw: dict[str, Any]) -> Node:
    data = (
        next(
            (
                check.get("data")
                for check in raw.get("any", [])
                if isinstance(check.get("data"), dict)
            ),
            None,
        )
        or {}
    )
    colours = (
        (data["fgColor"], data["bgColor"]) if data.get("fgColor") and data.get("bgColor") else None
    )
    return Node(" ".join(map(str, raw["target"])), raw.get("html", ""), colours)


def run_axe(page: Page, script: Path, options: dict[str, Any] | None = None) -> list[Violation]:
    """Run axe-core on the page as it is now; every violation, most severe first."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=script.read_text("utf-8"))
    result = page.evaluate("options => axe.run(document, options)", options or {})
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    violations = [
        Violation(
            v["id"],
            v.get("impact") or "minor",
            v["help"],
            tuple(_node(n) for n in v["nodes"]),
        )
        for v in result["violations"]
    ]
    return sorted(violations, key=lambda v: (order.get(v.impact, 9), v.rule))


def blocking(violations: list[Violation]) -> list[str]:
    """The serious and critical violations, less the theme's own (THEME_ISSUES), as readable lines."""
    lines = []
    for v in violations:
        nodes = tuple(
            n for n in v.nodes if not any(issue.matches(v.rule, n) for issue in THEME_ISSUES)
        )
        if v.impact in BLOCKING_IMPACTS and nodes:
            lines.append(str(Violation(v.rule, v.impact, v.help, nodes)))
    return lines
