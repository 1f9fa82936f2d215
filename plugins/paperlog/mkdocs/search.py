"""`mkdocs serve --dirty`: the search index a full build would write.

Material's search plugin indexes the pages a build writes. Under `--dirty` it
merges them into the last build's index, assuming a build writes one page (the
one you saved): with the many pages paperlog writes again it drops or doubles
entries (395 -> 608 -> 821 entries on the demo in three rebuilds). So paperlog
keeps each page's entries from the build that last wrote it, and after each
build writes the index of every page of the site, in the order of a full build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .. import compat


class SearchEntries:
    """Each page's search entries, as the build that last wrote it made them."""

    def __init__(self) -> None:
        self._entries: dict[str, list[dict[str, Any]]] = {}
        self._index: Any = None
        self._seen = 0

    def begin(self, config: MkDocsConfig) -> None:
        """Start a build (after the search plugin's on_config has made its index)."""
        self._index = compat.search_index(config)
        self._seen = 0

    def page_indexed(self, page: Page) -> None:
        """The search plugin has just indexed `page` (call after its on_page_context)."""
        if self._index is None:
            return
        entries = compat.search_entries(self._index)
        self._entries[page.file.src_uri] = entries[self._seen :]
        self._seen = len(entries)

    def write(self, config: MkDocsConfig, files: Files) -> None:
        """Write the whole index (after the search plugin has written its own)."""
        if self._index is None:
            return
        # Every page, drafts included: one that was not written has no entries.
        pages = [f.src_uri for f in files if f.is_documentation_page()]
        self._entries = {path: self._entries.get(path, []) for path in pages}
        everything = [entry for path in pages for entry in self._entries[path]]
        data = compat.search_index_json(self._index, everything)
        path = Path(config.site_dir) / "search" / "search_index.json"
        path.write_bytes(data.encode("utf-8"))
        compat.forget_previous_search_index(config, self._index)
        self._index = None
