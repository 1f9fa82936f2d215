"""axe-core on the pages a reader lands on: no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pltest import data as sitedata
from .pltest.chromium import blocking, run_axe
from .pltest.server import SiteServer
from .pltest.ui import open_page


def _url(kind: str, site: Path) -> str:
    paper = sitedata.richest_paper(site)
    fixed = {
        "home": "",
        "paper": paper.url,
        "topic": paper.topics[0] if paper.topics else "topics/",
        "papers index": "papers/",
        "topics index": "topics/",
        "stats": "stats/",
        "log": "log/",
        "glossary": "glossary/",
        "bibliography": "bibliography/",
    }
    if kind == "code page":
        # The implementation page with the most on it.
        pages = sorted(
            (site / "code").glob("*/index.html"), key=lambda p: (-p.stat().st_size, p.as_posix())
        )
        assert pages, "the demo has no implementation page under code/"
        return f"code/{pages[0].parent.name}/"
    return fixed[kind]


# (The graph page is checked in test_graph.py, in both palettes.)
KINDS = [
    "home",
    "paper",
    "topic",
    "papers index",
    "topics index",
    "stats",
    "log",
    "glossary",
    "bibliography",
    "code page",
]


@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_accessibility_violation(
    kind, page, watch, axe_js: Path, demo_site: Path, demo_server: SiteServer
) -> None:
    url = _url(kind, demo_site)
    open_page(page, demo_server.url(url))
    violations = run_axe(page, axe_js)
    problems = blocking(violations)
    assert not problems, f"axe-core on {url or '/'}:\n" + "\n".join(problems)
    watch.assert_clean()


def test_axe_reports_what_it_must(page, axe_js: Path, demo_server: SiteServer) -> None:
    # The checks above pass only if axe runs: a page with an unlabeled field and
    # grey-on-grey text must fail them.
    page.route(
        demo_server.url("axe-test-page.html"),
        lambda route: route.fulfill(
            content_type="text/html",
            body="<html lang='en'><title>t</title><main><input type='text'>"
            "<p style='color:#777;background:#888'>faint</p></main></html>",
        ),
    )
    page.goto(demo_server.url("axe-test-page.html"))
    rules = {line.split("] ")[1].split(":")[0] for line in blocking(run_axe(page, axe_js))}
    assert {"label", "color-contrast"} <= rules, rules
