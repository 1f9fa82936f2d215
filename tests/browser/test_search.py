"""Material's search finds a paper by its title, an author's last name and a word of its
summary, and clicking the result opens the paper's page."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pltest import data as sitedata
from .pltest.server import SiteServer
from .pltest.ui import search, wait_for_page


@pytest.fixture(scope="module")
def target(demo_site: Path) -> sitedata.PaperPage:
    """A paper of the demo with authors and a summary (the demo has several).

    Its first author's last name has four letters or more: a reader who types two
    letters ('Ba') gets every word that starts with them, the paper among many."""
    for paper in sitedata.papers(demo_site):
        last_name = paper.authors[0].split()[-1] if paper.authors else ""
        if len(last_name) >= 4 and sitedata.rare_summary_word(demo_site, paper):
            return paper
    pytest.fail("the demo has no paper with authors and a summary to search for", pytrace=False)


def _queries(site: Path, paper: sitedata.PaperPage) -> dict[str, str]:
    return {
        "title": paper.title,
        "author": paper.authors[0].split()[-1],
        "summary": sitedata.rare_summary_word(site, paper) or "",
    }


@pytest.mark.parametrize("kind", ["title", "author", "summary"])
def test_search_finds_the_paper_and_opens_it(
    kind, page, watch, demo_site, demo_server: SiteServer, target
) -> None:
    query = _queries(demo_site, target)[kind]
    page.goto(demo_server.url(""))
    paper_path = demo_server.prefix + target.url
    search(page, query, paper_path).click()
    wait_for_page(page, paper_path, target.title)
    watch.assert_clean()
