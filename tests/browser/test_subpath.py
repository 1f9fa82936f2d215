"""The demo built for a GitHub Pages project site (site_url https://user.github.io/repo/)
and served under /repo/: every link, asset, search index, feed and export works there."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .pltest import data as sitedata
from .pltest.build import SUBPATH_SITE_URL
from .pltest.links import SiteLinks
from .pltest.server import SiteServer
from .pltest.ui import load_all, search, wait_for_page

SITE_HOST_URL = re.compile(r"https?://user\.github\.io[^\s\"'<>)\\]*")
# Machine-readable files a site publishes: sitemap, search index, feeds, JSON/BibTeX exports,
# schemas, calendars.
DATA_SUFFIXES = (".xml", ".json", ".bib", ".txt", ".ics")
# iCalendar folds long lines: a line that starts with a space or tab continues the one before.
ICS_FOLD = re.compile(r"\r?\n[ \t]")


def _published_files(site: Path) -> list[str]:
    """Pages and data files, not the theme's bundled assets."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file()
        and p.suffix in (".html", *DATA_SUFFIXES)
        and not p.relative_to(site).as_posix().startswith("assets/")
    )


def test_every_link_resolves_under_the_sub_path(demo_site_subpath: Path) -> None:
    links = SiteLinks(demo_site_subpath, SUBPATH_SITE_URL)
    problems = links.check_all()
    assert not problems, "broken under /repo/:\n" + "\n".join(map(str, problems))
    # Canonical links name the page at its sub-path URL.
    home = sitedata.soup(demo_site_subpath, "")
    assert home.select_one("link[rel=canonical]")["href"] == SUBPATH_SITE_URL


def test_absolute_urls_in_pages_feeds_and_exports_stay_under_site_url(
    demo_site_subpath: Path,
) -> None:
    links = SiteLinks(demo_site_subpath, SUBPATH_SITE_URL)
    checked = []
    problems = []
    for rel in _published_files(demo_site_subpath):
        text = (demo_site_subpath / rel).read_text("utf-8", errors="replace")
        if rel.endswith(".ics"):
            text = ICS_FOLD.sub("", text)
        for url in sorted(set(SITE_HOST_URL.findall(text))):
            checked.append(url)
            reason = links.check_url("", "index.html", url)
            if not url.startswith(SUBPATH_SITE_URL) or reason:
                problems.append(f"{rel}: {url}: {reason or 'not under ' + SUBPATH_SITE_URL}")
    assert not problems, "\n".join(problems)
    # The sitemap at least names every page by its absolute URL: the scan saw them.
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {
        loc.text
        for loc in ET.parse(demo_site_subpath / "sitemap.xml").getroot().findall("s:url/s:loc", ns)
    }
    assert locs and locs <= set(checked)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_every_page_and_data_file_is_served_under_the_prefix(
    demo_site_subpath: Path, subpath_server: SiteServer
) -> None:
    files = _published_files(demo_site_subpath)
    assert "search/search_index.json" in files and "sitemap.xml" in files
    failures = [
        f"{rel}: HTTP {status}"
        for rel in files
        if (status := _get(subpath_server.url(rel))[0]) != 200
    ]
    assert not failures, failures
    # The server keeps to its prefix, like GitHub Pages does for another repository's path.
    assert _get(subpath_server.origin + "/index.html")[0] == 404


def _one_page_of_each_kind(site: Path) -> list[str]:
    """The first page under each top-level folder (papers/x/, topics/x/, ...) and every
    top-level page: pages of one kind run the same scripts with the same URLs."""
    seen: dict[str, str] = {}
    for url in sitedata.html_pages(site):
        parts = url.strip("/").split("/")
        seen.setdefault(parts[0] if len(parts) > 1 else url, url)
    return sorted(seen.values())


def test_pages_load_cleanly_under_the_prefix(
    context, watch, demo_site_subpath: Path, subpath_server: SiteServer
) -> None:
    # What scripts build at run time (search worker, index, sitemap, graph data) must also use
    # the prefix. Every file is fetched over HTTP above; here one page of each kind runs.
    urls = [subpath_server.url(u) for u in _one_page_of_each_kind(demo_site_subpath)]
    assert len(urls) > 5
    load_all(context, urls)
    assert any(u.startswith(subpath_server.url("search/")) for u in watch.requested)
    watch.assert_clean()


def test_search_finds_and_opens_a_paper_under_the_prefix(
    page, watch, demo_site_subpath: Path, subpath_server: SiteServer
) -> None:
    papers = sitedata.papers(demo_site_subpath)
    if not papers:
        pytest.fail("the demo has no paper pages", pytrace=False)
    paper = papers[0]
    page.goto(subpath_server.url(""))
    path = subpath_server.prefix + paper.url
    search(page, paper.title, path).click()
    wait_for_page(page, path, paper.title)
    watch.assert_clean()


def test_graph_export_names_pages_served_under_the_prefix(
    demo_site_subpath: Path, subpath_server: SiteServer
) -> None:
    graph = json.loads((demo_site_subpath / "graph.json").read_text("utf-8"))
    urls = [node["url"] for node in graph["nodes"] if node.get("url")]
    assert urls, "graph.json names no page"
    # Node URLs are relative to the site's root, wherever that is served.
    failures = [
        f"{u}: HTTP {status}" for u in urls if (status := _get(subpath_server.url(u))[0]) != 200
    ]
    assert not failures, failures


ATOM = {"a": "http://www.w3.org/2005/Atom"}


def test_feed_links_resolve_under_the_sub_path(demo_site_subpath: Path) -> None:
    feed = ET.parse(demo_site_subpath / "feed.xml").getroot()
    links = SiteLinks(demo_site_subpath, SUBPATH_SITE_URL)
    hrefs = [link.get("href", "") for link in feed.iter(f"{{{ATOM['a']}}}link")]
    assert len(hrefs) > 2, "the feed has no entries"
    assert feed.findtext("a:id", namespaces=ATOM) == SUBPATH_SITE_URL + "feed.xml"
    broken = [
        f"{h}: {r}"
        for h in hrefs
        if not h.startswith(SUBPATH_SITE_URL) or (r := links.check_url("", "index.html", h))
    ]
    assert not broken, broken
    # Every page announces the feed at the sub-path.
    home = (demo_site_subpath / "index.html").read_text("utf-8")
    assert 'type="application/atom+xml"' in home
