"""Internal links: every href/src of the built demo reaches a file, every #anchor an id."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .pltest.links import SiteLinks
from .pltest.server import SiteServer


def test_demo_has_no_broken_link_or_anchor(demo_site: Path, demo_server: SiteServer) -> None:
    links = SiteLinks(demo_site, demo_server.base_url)
    pages = links.pages()
    # The crawl covers the generated pages, not just Material's shell.
    assert any(p.startswith("papers/") and p != "papers/index.html" for p in pages), pages
    assert "topics/index.html" in pages
    problems = links.check_all()
    assert not problems, "broken links:\n" + "\n".join(map(str, problems))


def test_sitemap_lists_only_pages_that_exist(demo_site: Path, demo_server: SiteServer) -> None:
    links = SiteLinks(demo_site, demo_server.base_url)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [
        loc.text or ""
        for loc in ET.parse(demo_site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)
    ]
    assert len(locs) >= len([p for p in links.pages() if p != "404.html"])
    broken = [
        f"{loc}: {reason}" for loc in locs if (reason := links.check_url("", "index.html", loc))
    ]
    assert not broken, broken


def _tiny_site(root: Path) -> SiteLinks:
    pages = {
        "index.html": '<h1 id="top">Home</h1><a href="a/">a</a><a href="a/#here">here</a><img src="img/x.png">',
        "a/index.html": (
            '<h2 id="here">A</h2><a href="../">home</a><a href="../b/">missing page</a>'
            '<a href="../#nowhere">missing anchor</a><a href="/other/a/">outside the prefix</a>'
            '<a href="https://example.org/x">elsewhere</a><a href="https://user.github.io/repo/a/">canonical</a>'
            '<a href="https://user.github.io/repo/zzz/">canonical, missing</a><a href="#here">self</a>'
            '<a href="../a">no slash</a><a href="../../up/">above the root</a><script src="../app.js"></script>'
        ),
    }
    for rel, html in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"<html><body>{html}</body></html>", "utf-8")
    (root / "img").mkdir()
    (root / "img/x.png").write_bytes(b"")
    return SiteLinks(root, "https://user.github.io/repo/")


def test_link_checker_reports_each_kind_of_broken_link(tmp_path: Path) -> None:
    # The checker is what the demo test relies on: prove it catches what it should, and only that.
    problems = {(p.page, p.value): p.reason for p in _tiny_site(tmp_path).check_all()}
    assert problems == {
        ("a/", "../b/"): "no file at b/",
        ("a/", "../#nowhere"): "no id 'nowhere' on /",
        ("a/", "/other/a/"): "root-absolute path outside the site's path /repo/",
        ("a/", "https://user.github.io/repo/zzz/"): "no file at zzz/",
        ("a/", "../a"): "no file at a",
        ("a/", "../../up/"): "goes above the site's root",
        ("a/", "../app.js"): "no file at app.js",
    }
