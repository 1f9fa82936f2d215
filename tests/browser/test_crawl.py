"""Every page of the demo loads in Chromium without a console error or a failed request,
and nothing a page asks for leaves 127.0.0.1: the site works offline."""

from __future__ import annotations

from pathlib import Path

from .pltest import data as sitedata
from .pltest.server import SiteServer
from .pltest.ui import load_all


def test_every_page_loads_cleanly_and_offline(
    context, watch, demo_site: Path, demo_server: SiteServer
) -> None:
    pages = sitedata.html_pages(demo_site)
    load_all(context, [demo_server.url(url) for url in pages])
    assert len(watch.requested) > len(pages), "the crawl did not load the pages' assets"
    watch.assert_clean()


def test_the_watch_sees_what_it_must_report(page, watch, demo_server: SiteServer) -> None:
    # The crawl above is only as good as the watch: a page that errs, fetches a missing
    # file and calls another host must produce one line for each.
    page.route(
        demo_server.url("broken-test-page.html"),
        lambda route: route.fulfill(
            content_type="text/html",
            body="<script>console.error('boom')</script>"
            "<img src='missing-image.png'><script src='https://cdn.example.org/x.js'></script>",
        ),
    )
    page.goto(demo_server.url("broken-test-page.html"))
    page.wait_for_load_state("networkidle")
    problems = "\n".join(watch.problems())
    assert "console error: boom" in problems
    assert "missing-image.png: HTTP 404" in problems
    assert "request leaving 127.0.0.1 (blocked): https://cdn.example.org/x.js" in problems
