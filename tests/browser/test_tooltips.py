"""Previews: hovering a glossary term or a citation shows its text in Material's tooltip,
on a page loaded directly and on one reached by instant navigation."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pltest import data as sitedata
from .pltest.server import SiteServer
from .pltest.ui import CONTENT, document_kept, follow, mark_document, open_page

# What carries a preview in the page, by kind: links whose `title` Material shows.
PREVIEWS = {
    "glossary term": "a.pl-term",
    "citation": ".pl-cite a",
}
TOOLTIP = "[class*='md-tooltip'][class*='--active']"


def _first_preview(site: Path, selector: str) -> tuple[str, int, str]:
    """(page URL, index among the page's `selector` links, title) of the first page with
    such a link that has a title: paper pages first, then the others."""
    paper_urls = [p.url for p in sitedata.papers(site)]
    others = [u for u in sitedata.html_pages(site) if u not in paper_urls and u.endswith("/")]
    for url in [*paper_urls, *others]:
        links = sitedata.soup(site, url).select(f"{CONTENT} {selector}")
        for index, link in enumerate(links):
            if link.get("title"):
                return url, index, link["title"]
    raise AssertionError(f"no page of the demo has a {selector} with a title")


def _hover_shows(page, selector: str, index: int, text: str) -> None:
    # By position: Material rewrites every relative href to an absolute one as it loads.
    page.locator(f"{CONTENT} {selector}").nth(index).hover()
    tooltip = page.locator(TOOLTIP)
    tooltip.wait_for()
    shown = " ".join(tooltip.inner_text().split())
    assert shown == " ".join(text.split()), shown


@pytest.mark.parametrize("kind", list(PREVIEWS))
def test_hover_shows_the_preview(
    kind, page, watch, demo_site: Path, demo_server: SiteServer
) -> None:
    url, index, text = _first_preview(demo_site, PREVIEWS[kind])
    open_page(page, demo_server.url(url))
    _hover_shows(page, PREVIEWS[kind], index, text)
    watch.assert_clean()


@pytest.mark.parametrize("kind", list(PREVIEWS))
def test_preview_after_instant_navigation(
    kind, page, watch, demo_site: Path, demo_server: SiteServer
) -> None:
    url, index, text = _first_preview(demo_site, PREVIEWS[kind])
    # A reader comes from the papers index to a paper, from the navigation to other pages.
    start, within = ("papers/", CONTENT) if url.startswith("papers/") else ("", "body")
    open_page(page, demo_server.url(start))
    mark_document(page)
    follow(page, demo_server.url(url), sitedata.heading(demo_site, url), within=within)
    assert document_kept(page)
    _hover_shows(page, PREVIEWS[kind], index, text)
    watch.assert_clean()
