"""What one `mkdocs serve` keeps from one rebuild to the next.

A one-off `mkdocs build` has no session and keeps nothing. Under `mkdocs serve`
the plugin makes one `ServeSession` at startup and passes it to each build; all
that survives a rebuild is in it, each part keyed by what it was made from (see
ARCHITECTURE.md). `PAPERLOG_NO_CACHE=1` turns every cache off: each rebuild is
then made as a fresh build would be (`--dirty` still writes only what changed).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..build import BuildCaches
from .conversions import PageConversions
from .dirty import DirtyPages
from .search import SearchEntries

NO_CACHE_VARIABLE = "PAPERLOG_NO_CACHE"


def caches_enabled() -> bool:
    return os.environ.get(NO_CACHE_VARIABLE, "").strip().lower() not in ("1", "true", "yes")


class ServeSession:
    """The caches of one `mkdocs serve` session for one site."""

    def __init__(self, root: Path, *, dirty: bool, cached: bool = True) -> None:
        self.root = root
        """The folder of mkdocs.yml: a session belongs to one site."""
        self.core = BuildCaches() if cached else None
        """Parsed files, graph layouts and rendered pages (paperlog.build)."""
        self.conversions = PageConversions() if cached else None
        """The last conversion to HTML of each generated page (conversions.py)."""
        self.dirty = DirtyPages(keep_pages=cached) if dirty else None
        """`--dirty`: what each page's HTML in the site folder was made from (dirty.py)."""
        self.search = SearchEntries() if dirty else None
        """`--dirty`: each page's search entries (search.py)."""
