"""The core's view of a site's configuration, independent of MkDocs.

The MkDocs adapter and the command line both build a `Settings` from what the
user wrote (plugin options in mkdocs.yml) and hand it to load, link and render.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path


def build_date_from_env() -> dt.date:
    """The build's date: SOURCE_DATE_EPOCH (reproducible builds) in UTC, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


@dataclass(frozen=True)
class Settings:
    """Resolved paths and options for one site. Paths are absolute."""

    root: Path
    """The folder that holds mkdocs.yml; diagnostics print paths relative to it."""
    notes_dir: Path
    bibliography: tuple[Path, ...] = ()
    code_dirs: tuple[Path, ...] = ()
    arxiv_cache: Path | None = None
    site_url: str = ""
    papers_in_nav: bool = False
    tolerance: float = 0.05
    citation_style: str = "author-year"
    allow_html: bool = True
    graph_depth: int = 1
    """How far a paper page's local graph reaches: 1 (neighbours) or 2 (their neighbours too)."""
    today: dt.date | None = None
    """The date pages are built for ("upcoming" vs "past" meetings); None: see build_date."""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def build_date(self) -> dt.date:
        """`today` when given (tests), else SOURCE_DATE_EPOCH's date, else the current date."""
        return self.today or build_date_from_env()

    def rel(self, path: Path) -> str:
        """A path as shown to the user: relative to the site root when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    @classmethod
    def for_root(
        cls,
        root: Path,
        notes_dir: str = "notes",
        bibliography: list[str] | None = None,
        code_dirs: list[str] | None = None,
        arxiv_cache: str | None = None,
        **options: object,
    ) -> Settings:
        """Apply the documented defaults to options given relative to `root`."""
        root = root.resolve()
        notes = (root / notes_dir).resolve()
        if bibliography:
            bibs = tuple((root / b).resolve() for b in bibliography)
        else:
            bibs = tuple(sorted(notes.rglob("*.bib"))) if notes.is_dir() else ()
        if code_dirs:
            codes = tuple((root / c).resolve() for c in code_dirs)
        else:
            default_code = notes / "code"
            codes = (default_code,) if default_code.is_dir() else ()
        cache = (root / arxiv_cache).resolve() if arxiv_cache else notes / "arxiv.json"
        return cls(
            root=root,
            notes_dir=notes,
            bibliography=bibs,
            code_dirs=codes,
            arxiv_cache=cache,
            **options,  # type: ignore[arg-type]
        )
