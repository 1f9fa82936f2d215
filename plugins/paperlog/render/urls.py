"""Where generated pages live (docs-relative source paths) and links between them.

URLs are a contract (DESIGN.md): /papers/<id>/, /topics/<slug>/, ... Source
paths are what MkDocs turns into those URLs; links between pages are written
relative to the source path so MkDocs validates and rewrites them, and a site
served under a sub-path keeps working.
"""

from __future__ import annotations

import posixpath


class SiteUrls:
    """Source paths of generated pages."""

    home = "index.md"
    papers_index = "papers.md"
    topics_index = "topics.md"
    bibliography = "bibliography.md"
    papers_bib = "papers.bib"

    def paper(self, paper_id: str) -> str:
        return f"papers/{paper_id}.md"

    def topic(self, slug: str) -> str:
        return f"topics/{slug}.md"

    def paper_asset(self, paper_id: str, name: str) -> str:
        return f"papers/{paper_id}/{name}"

    def relative(self, from_path: str, to_path: str) -> str:
        """A link from the page at `from_path` to `to_path` ('#anchor' allowed)."""
        target, _, anchor = to_path.partition("#")
        rel = posixpath.relpath(target, posixpath.dirname(from_path) or ".") if target else ""
        if rel and not rel.startswith("../"):
            # './' keeps an id with a colon ('a:b.md') from reading as a URL scheme.
            rel = "./" + rel
        return rel + (f"#{anchor}" if anchor else "")
