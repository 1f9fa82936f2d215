"""One build of a site: load -> link -> render, the one sequence every adapter runs.

The MkDocs plugin, `paperlog render --out` and the benchmark all call
`build_site`. Its result depends on its arguments only: the files under the
site's folder (through `settings`), the site's options, and the hand-written
pages. A `mkdocs serve` session passes `BuildCaches`, what it keeps from one
rebuild to the next; a one-off build passes none and keeps nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostics
from .link import LayoutCache, link_library
from .load import LoadCaches, load_library
from .markdown.citesyntax import scan_citations
from .model import LinkedLibrary, frozen_mapping
from .render import OutputFile, RenderCache, render_site, template_folders
from .render.cache import template_fingerprint
from .render.citations import CitationIndex, build_citation_index, page_title
from .render.options import SiteOptions, render_options
from .render.urls import SiteUrls
from .settings import Settings

__all__ = ["BuildCaches", "HandWrittenPage", "SiteBuild", "SiteOptions", "build_site"]


@dataclass(frozen=True)
class HandWrittenPage:
    """A page of the site's docs folder, as the build sees it: for `[@key]` citations."""

    path: str
    """Docs-relative source path, in POSIX form: 'guide/index.md'."""
    text: str


class BuildCaches:
    """What a `mkdocs serve` session keeps from one build to the next, for the core.

    Each one hands back what an earlier build made from equal inputs (checked, not
    assumed), and is measured in docs/guide/performance.md:
    - parsed notes, .bib files and code modules by file content (load.LoadCaches);
    - graph layouts by the graph's shape (link.LayoutCache);
    - rendered pages and fragments with the values they read (render.RenderCache).
    """

    def __init__(self) -> None:
        self.load = LoadCaches()
        self.layouts = LayoutCache()
        self.render = RenderCache()


@dataclass(frozen=True)
class SiteBuild:
    """What one build made."""

    library: LinkedLibrary
    outputs: tuple[OutputFile, ...]
    """Every generated page and file, sorted by path."""
    citation_index: CitationIndex
    template_dirs: tuple[Path, ...]
    timings: Mapping[str, float] = field(default_factory=frozen_mapping)
    """Seconds spent in load, link and render."""
    counts: Mapping[str, int] = field(default_factory=frozen_mapping)
    """Pages rendered and reused (with caches), work done in a second process."""


def build_site(
    settings: Settings,
    options: SiteOptions,
    diags: Diagnostics,
    *,
    pages: Iterable[HandWrittenPage] = (),
    caches: BuildCaches | None = None,
) -> SiteBuild:
    """Load, link and render the site; every problem goes to `diags`."""
    start = time.perf_counter()
    loaded = load_library(settings, diags, caches.load if caches is not None else None)
    after_load = time.perf_counter()
    counts: dict[str, int] = {}
    lib = link_library(
        loaded,
        settings,
        diags,
        caches.layouts if caches is not None else None,
        parallel=options.parallel,
        stats=counts,
    )
    after_link = time.perf_counter()
    template_dirs = template_folders(settings, options.templates, diags)
    urls = SiteUrls(directory_urls=options.use_directory_urls)
    index = build_citation_index(lib, urls)
    rendering = render_options(options, citation_index=index, cited_in=cited_in(pages, index))
    render_cache = caches.render if caches is not None else None
    outputs = render_site(
        lib,
        settings,
        diags,
        options=rendering,
        template_dirs=template_dirs,
        cache=render_cache,
        templates=template_fingerprint(template_dirs) if render_cache is not None else "",
        parallel=options.parallel,
        stats=counts,
    )
    if render_cache is not None:
        counts.update(reused=render_cache.build_hits, rendered=render_cache.build_misses)
    done = time.perf_counter()
    return SiteBuild(
        library=lib,
        outputs=tuple(outputs),
        citation_index=index,
        template_dirs=tuple(template_dirs),
        timings=frozen_mapping(
            {
                "load": after_load - start,
                "link": after_link - after_load,
                "render": done - after_link,
            }
        ),
        counts=frozen_mapping(counts),
    )


def cited_in(
    pages: Iterable[HandWrittenPage], index: CitationIndex
) -> Mapping[str, tuple[tuple[str, str], ...]]:
    """Paper id -> (page path, title) of each hand-written page citing it, by title."""
    found: dict[str, dict[str, str]] = {}
    for page in pages:
        if "@" not in page.text:
            continue
        for key, _ in scan_citations(page.text, index.known):
            work = index.works.get(key)
            if work is not None and work.paper_id:
                found.setdefault(work.paper_id, {})[page.path] = page_title(page.text, page.path)
    return frozen_mapping(
        {
            pid: tuple(sorted(by_page.items(), key=lambda kv: (kv[1].lower(), kv[0])))
            for pid, by_page in sorted(found.items())
        }
    )
