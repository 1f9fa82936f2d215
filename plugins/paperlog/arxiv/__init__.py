"""arXiv: identifiers, the metadata cache's record format, and polite fetching.

`ids` and `records` are pure and used by the build (which never touches the
network); `fetch` talks to the arXiv API through the `arxiv` client library and
is used only by the `paperlog add` and `paperlog refresh` commands.
"""

from __future__ import annotations

from .ids import ArxivId, parse_arxiv_id

__all__ = ["ArxivId", "parse_arxiv_id"]
