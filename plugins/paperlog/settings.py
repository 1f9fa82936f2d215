"""The core's view of a site's configuration, independent of MkDocs.

The MkDocs adapter and the command line both build a `Settings` from what the
user wrote (plugin options in mkdocs.yml) and hand it to load, link and render.
"""

from __future__ import annotations

import datetime as dt
import functools
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
    refused: tuple[tuple[str, str], ...] = ()
    """(option, path as written) of paths that lead outside the site folder: never read or written."""

    @property
    def build_date(self) -> dt.date:
        """`today` when given (tests), else SOURCE_DATE_EPOCH's date, else the current date."""
        return self.today or build_date_from_env()

    def rel(self, path: Path, *, resolved: Path | None = None) -> str:
        """A path as shown to the user: relative to the site root when inside it.

        The link itself, not its target: a symbolic link is named where it is.
        `resolved`: `path.resolve()` when the caller has it already.
        """
        root = self._resolved_root
        try:
            return Path(os.path.normpath(path.absolute())).relative_to(root).as_posix()
        except ValueError:
            pass
        try:
            return (resolved or path.resolve()).relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    @functools.cached_property
    def _resolved_root(self) -> Path:
        return self.root.resolve()

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
        refused: list[tuple[str, str]] = []

        def inside(option: str, written: str | Path, path: Path) -> bool:
            # '..', an absolute path or a symbolic link out of the site: refused.
            if path.resolve().is_relative_to(root):
                return True
            refused.append((option, str(written)))
            return False

        notes = (root / notes_dir).resolve()
        if not inside("notes_dir", notes_dir, notes):
            notes = root / ".paperlog-refused-notes-dir"  # reads nothing: load reports PL600
        if bibliography:
            bibs = tuple(
                (root / b).resolve() for b in bibliography if inside("bibliography", b, root / b)
            )
        else:
            found = sorted(notes.rglob("*.bib")) if notes.is_dir() else []
            bibs = tuple(b for b in found if inside("bibliography", b.relative_to(root), b))
        if code_dirs:
            codes = tuple(
                (root / c).resolve() for c in code_dirs if inside("code_dirs", c, root / c)
            )
        else:
            default_code = notes / "code"
            codes = (
                (default_code,)
                if default_code.is_dir()
                and inside("code_dirs", default_code.relative_to(root), default_code)
                else ()
            )
        cache: Path | None = notes / "arxiv.json"
        if arxiv_cache:
            cache = (root / arxiv_cache).resolve()
        if cache is not None and (cache.exists() or cache.is_symlink() or arxiv_cache):
            written = arxiv_cache or cache.relative_to(root)
            cache = cache if inside("arxiv_cache", written, cache) else None
        return cls(
            root=root,
            notes_dir=notes,
            bibliography=bibs,
            code_dirs=codes,
            arxiv_cache=cache,
            refused=tuple(refused),
            **options,  # type: ignore[arg-type]
        )

    def outside(self, path: Path, root: Path | None = None) -> bool:
        """True when `path`, symbolic links followed, lies outside `root` (default: the site folder)."""
        return not path.resolve().is_relative_to((root or self.root).resolve())
