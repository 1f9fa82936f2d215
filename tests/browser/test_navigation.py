"""A reader's walk: home -> topic -> paper -> a paper it cites -> back through "cited by",
with Material's instant navigation on (the demo) and off; our scripts re-initialise
after every page change either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pltest import data as sitedata
from .pltest.server import SiteServer
from .pltest.ui import CONTENT, document_kept, follow, mark_document, open_page, wait_for_page

MODES = {"instant": "demo_server", "classic": "classic_server"}


@pytest.mark.parametrize("mode", list(MODES))
def test_walk_from_home_through_citations_and_back(
    mode, request, page, watch, demo_site: Path
) -> None:
    server: SiteServer = request.getfixturevalue(MODES[mode])
    citing, cited, topic = sitedata.citation_walk(demo_site)
    open_page(page, server.url(""))
    mark_document(page)

    follow(page, server.url("topics/"), sitedata.heading(demo_site, "topics/"))
    follow(page, server.url(topic), sitedata.heading(demo_site, topic), within=CONTENT)
    # Our table script ran on a page reached by a link: it has its filter box.
    page.locator("[data-pl-table][data-pl-ready] .pl-table__tools input").first.wait_for()
    follow(page, server.url(citing.url), citing.title, within=CONTENT)
    follow(page, server.url(cited.url), cited.title, within=f"{CONTENT} #cites + ul")
    follow(page, server.url(citing.url), citing.title, within=f"{CONTENT} #cited-by + ul")
    page.go_back()
    wait_for_page(page, server.prefix + cited.url, cited.title)

    # Instant navigation keeps one document for the whole walk; without it every click loads a page.
    assert document_kept(page) is (mode == "instant")
    watch.assert_clean()


@pytest.mark.parametrize("mode", list(MODES))
def test_papers_table_works_after_navigating_to_it(
    mode, request, page, watch, demo_site: Path
) -> None:
    server: SiteServer = request.getfixturevalue(MODES[mode])
    paper = sitedata.papers(demo_site)[0]
    open_page(page, server.url(paper.url))
    mark_document(page)
    follow(page, server.url("papers/"), sitedata.heading(demo_site, "papers/"))
    assert document_kept(page) is (mode == "instant")

    rows = page.locator("[data-pl-table] tbody tr")
    total = rows.count()
    assert total == len(sitedata.papers(demo_site))
    page.locator(".pl-table__tools input[type=search]").fill(paper.title)
    visible = page.locator("[data-pl-table] tbody tr:visible")
    assert 1 <= visible.count() < total or total == 1
    assert paper.title in visible.all_inner_texts()[0] or any(
        paper.title in t for t in visible.all_inner_texts()
    )
    watch.assert_clean()
