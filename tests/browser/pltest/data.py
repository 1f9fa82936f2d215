"""What the built demo shows a reader, read from its HTML: the tests choose their
papers, words and paths from it instead of hard-coding the demo's content.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup, Tag

WORD = re.compile(r"[A-Za-z]{5,}")


@dataclass(frozen=True)
class PaperPage:
    url: str  # site path, e.g. 'papers/x/'
    title: str
    authors: tuple[str, ...]
    summary: str
    cites: tuple[str, ...]  # site paths of cited paper pages
    cited_by: tuple[str, ...]
    topics: tuple[str, ...]  # site paths of topic pages


def soup(site: Path, url: str) -> BeautifulSoup:
    path = site / url / "index.html" if url.endswith("/") or not url else site / url
    return BeautifulSoup(path.read_text("utf-8"), "lxml")


def resolve(page_url: str, href: str) -> str:
    """The site path a relative href on the page at `page_url` points to."""
    target = href.split("#")[0]
    joined = posixpath.normpath(
        posixpath.join(posixpath.dirname(page_url.rstrip("/") + "/x"), target)
    )
    return (
        ""
        if joined == "."
        else joined + ("/" if target.endswith("/") or target in ("", ".") else "")
    )


def _section_links(article: Tag, heading_id: str, page_url: str) -> tuple[str, ...]:
    heading = article.find(id=heading_id)
    if heading is None:
        return ()
    listing = heading.find_next_sibling(["ul", "ol"])
    if listing is None:
        return ()
    return tuple(
        resolve(page_url, a["href"])
        for a in listing.select("a[href]")
        if a["href"].startswith("..")
    )


def _section_text(article: Tag, heading_id: str) -> str:
    heading = article.find(id=heading_id)
    if heading is None:
        return ""
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h1", "h2"):
            break
        parts.append(sibling.get_text(" ", strip=True))
    return " ".join(parts)


@cache
def papers(site: Path) -> tuple[PaperPage, ...]:
    """Every paper page of the built site, sorted by URL."""
    found = []
    for index in sorted((site / "papers").glob("*/index.html")):
        url = f"papers/{index.parent.name}/"
        article = soup(site, url).select_one("article")
        assert article is not None, f"{url} has no <article>"
        h1 = article.h1
        byline = article.select_one(".pl-byline")
        found.append(
            PaperPage(
                url=url,
                title=h1.get_text(strip=True).rstrip("¶") if h1 else "",
                authors=tuple(a.strip() for a in byline.get_text().split(",")) if byline else (),
                summary=_section_text(article, "summary"),
                cites=_section_links(article, "cites", url),
                cited_by=_section_links(article, "cited-by", url),
                topics=tuple(
                    resolve(url, a["href"]) for a in article.select(".pl-badges a[href*='topics/']")
                ),
            )
        )
    return tuple(found)


def paper(site: Path, url: str) -> PaperPage:
    return next(p for p in papers(site) if p.url == url)


def html_pages(site: Path) -> list[str]:
    """Site paths of every HTML page (directory URLs for index.html), sorted."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "index.html":
            urls.append("")
        elif rel.endswith("/index.html"):
            urls.append(rel[: -len("index.html")])
        else:
            urls.append(rel)
    return urls


def search_docs(site: Path) -> list[dict[str, str]]:
    return json.loads((site / "search/search_index.json").read_text("utf-8"))["docs"]


def rare_summary_word(site: Path, page: PaperPage) -> str | None:
    """A word of the paper's summary, not in its title, found on the fewest other pages."""
    docs = search_docs(site)
    page_texts: dict[str, str] = {}
    for doc in docs:
        url = doc["location"].split("#")[0]
        page_texts[url] = page_texts.get(url, "") + " " + (doc["title"] + " " + doc["text"]).lower()
    title_words = {w.lower() for w in WORD.findall(page.title)}
    candidates = sorted({w.lower() for w in WORD.findall(page.summary)} - title_words)
    if not candidates:
        return None
    return min(candidates, key=lambda w: (sum(w in text for text in page_texts.values()), w))


def heading(site: Path, url: str) -> str:
    """The page's <h1> as a reader sees it (without the permalink sign)."""
    h1 = soup(site, url).select_one("article h1")
    return h1.get_text().replace("¶", "").strip() if h1 else ""


def citation_walk(site: Path) -> tuple[PaperPage, PaperPage, str]:
    """A paper with a topic that cites another paper whose "cited by" lists it back.

    Returns (citing paper, cited paper, topic URL): the reader's walk
    home -> topic -> paper -> cited paper -> back through "cited by".
    """
    for citing in papers(site):
        for cited_url in citing.cites:
            cited = next((p for p in papers(site) if p.url == cited_url), None)
            if cited and citing.url in cited.cited_by and citing.topics:
                return citing, cited, citing.topics[0]
    raise AssertionError(
        "the demo has no paper in a topic citing a paper that lists it under 'cited by'"
    )


def richest_paper(site: Path) -> PaperPage:
    """The paper page with the most HTML: it shows the most of what a paper page can hold."""
    return max(papers(site), key=lambda p: ((site / p.url / "index.html").stat().st_size, p.url))
