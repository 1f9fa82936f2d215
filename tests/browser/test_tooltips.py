"""Previews: hovering a glossary term (or a citation) shows its text in Material's tooltip,
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
}
TOOLTIP = "[class*='md-tooltip'][class*='--active']"


def _first_preview(site: Path, selector: str) -> tuple[str, int, str]:
    """(page URL, index among the page's `selector` links, title) of the first paper page
    with such a link that has a title."""
    for paper in sitedata.papers(site):
        links = sitedata.soup(site, paper.url).select(f"{CONTENT} {selector}")
        for index, link in enumerate(links):
            if link.get("title"):
                return paper.url, index, link["title"]
    raise AssertionError(f"no paper page of the demo has a {selector} with a title")


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
    paper = sitedata.paper(demo_site, url)
    open_page(page, demo_server.url("papers/"))
    mark_document(page)
    follow(page, demo_server.url(url), paper.title, within=CONTENT)
    assert document_kept(page)
    _hover_shows(page, PREVIEWS[kind], index, text)
    watch.assert_clean()
