"""Where generated pages live (docs-relative source paths) and links between them.

URLs are a contract (users link to them; docs/guide/index.md lists them):
/papers/<id>/, /topics/<slug>/, ... Source paths are what MkDocs turns into those
URLs; links between pages are written relative to the source path so MkDocs
validates and rewrites them, and a site
served under a sub-path keeps working.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote


class SiteUrls:
    """Source paths of generated pages."""

    home = "index.md"
    papers_index = "papers.md"
    topics_index = "topics.md"
    bibliography = "bibliography.md"
    papers_bib = "papers.bib"
    code_index = "code.md"
    readers_index = "readers.md"
    sessions_index = "sessions.md"
    sessions_ics = "sessions.ics"
    graph_index = "graph.md"
    graph_json = "graph.json"
    next_index = "next.md"
    log = "log.md"
    stats = "stats.md"
    glossary = "glossary.md"
    authors_index = "authors.md"
    feed = "feed.xml"

    def __init__(self, directory_urls: bool = True) -> None:
        self.directory_urls = directory_urls
        # The pages of a folder link to the same pages (listings), and listings and graphs
        # ask for the same pages' URLs many times: each is worked out once per build.
        self._links: dict[tuple[str, str], str] = {}
        self._page_urls: dict[str, str] = {}

    def author(self, slug: str) -> str:
        return f"authors/{slug}.md"

    def term(self, slug: str) -> str:
        return f"{self.glossary}#{slug}"

    def paper(self, paper_id: str) -> str:
        return f"papers/{paper_id}.md"

    def topic(self, slug: str) -> str:
        return f"topics/{slug}.md"

    def code_module(self, module: str) -> str:
        return f"code/{module}.md"

    def reader(self, reader_id: str) -> str:
        return f"readers/{reader_id}.md"

    def paper_asset(self, paper_id: str, name: str) -> str:
        return f"papers/{paper_id}/{name}"

    def relative(self, from_path: str, to_path: str) -> str:
        """A link from the page at `from_path` to `to_path` ('#anchor' allowed)."""
        key = (from_path.rpartition("/")[0], to_path)
        link = self._links.get(key)
        if link is None:
            link = self._links[key] = _relative(*key)
        return link

    def page_url(self, src: str) -> str:
        """The URL MkDocs gives the page at source path `src`, relative to the site root."""
        url = self._page_urls.get(src)
        if url is None:
            url = self._page_urls[src] = _page_url(src, self.directory_urls)
        return url

    def href(self, from_src: str, to_src: str) -> str:
        """A final URL from one page to another, for raw HTML that MkDocs does not rewrite
        (SVG links, data for scripts). Relative, so a site under a sub-path works."""
        here, there = self.page_url(from_src), self.page_url(to_src)
        base = here if here.endswith("/") or not here else posixpath.dirname(here)
        rel = _relpath(there or ".", base or ".")
        if there.endswith("/") or not there:
            rel = "./" if rel == "." else rel + "/"
        return rel


def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for the relative URL paths of pages, without its path normalisation."""
    if path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    if ".." in to or ".." in base:
        return posixpath.relpath(path, start)
    common = 0
    while common < len(to) and common < len(base) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def _page_url(src: str, directory_urls: bool) -> str:
    if not src.endswith(".md"):
        return quote(src)
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")]
        url = folder if directory_urls else folder + "index.html"
    else:
        url = stem + "/" if directory_urls else stem + ".html"
    return quote(url)


def _relative(from_folder: str, to_path: str) -> str:
    """A link from a page in `from_folder` ('' at the top) to `to_path`."""
    target, _, anchor = to_path.partition("#")
    rel = ""
    if target:
        # Both are normalised docs-relative paths, so a common-prefix walk does
        # what posixpath.relpath does, several times faster (indexes link to
        # every paper).
        from_dirs = from_folder.split("/") if from_folder else []
        parts = target.split("/")
        common = 0
        while (
            common < len(from_dirs)
            and common < len(parts) - 1
            and from_dirs[common] == parts[common]
        ):
            common += 1
        rel = "/".join([".."] * (len(from_dirs) - common) + parts[common:])
        if not rel.startswith("../"):
            # './' keeps an id with a colon ('a:b.md') from reading as a URL scheme.
            rel = "./" + rel
    return rel + (f"#{anchor}" if anchor else "")
