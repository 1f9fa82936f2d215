"""The render layer: a LinkedLibrary -> generated Markdown pages and files.

Each page producer is a function `(RenderContext) -> Iterable[OutputFile]`,
listed in PRODUCERS; adding a page kind means adding a module and a line.
The adapters decide what to do with the files: the MkDocs plugin injects them
as virtual files, `paperlog render --out DIR` writes them to disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2

from ..diagnostics import Diagnostics
from ..model import CitationGraph, LinkedLibrary
from ..settings import Settings
from .cache import RenderCache
from .environment import make_environment
from .frontmatter import escape_front_matter
from .parallel import MIN_PAPERS, can_fork, produce_pages
from .urls import SiteUrls

__all__ = ["OutputFile", "RenderCache", "RenderContext", "render_site"]

T = TypeVar("T")


@dataclass(frozen=True)
class OutputFile:
    """One generated file, at a path relative to the docs root.

    A page has Markdown `content`; an asset has text `content` or a `source`
    file to copy. Index pages go in the navigation; item pages (one per paper,
    topic, ...) do not, unless the user opts in.
    """

    path: str
    content: str | None = None
    source: Path | None = None
    title: str = ""
    in_nav: bool = False

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


@dataclass(frozen=True)
class RenderContext:
    """What every page producer gets: the library, the site's settings and options."""

    lib: LinkedLibrary
    settings: Settings
    env: jinja2.Environment
    urls: SiteUrls
    diags: Diagnostics
    options: Mapping[str, object] = field(default_factory=dict)
    cache: RenderCache | None = None

    def page(
        self,
        template: str,
        path: str,
        /,
        derive: Callable[[LinkedLibrary, dict[str, Any]], dict[str, object]] | None = None,
        **values: object,
    ) -> str:
        """Render a page template for the page at `path` with `values`.

        Templates read the library and the options; with a cache (mkdocs serve)
        they read them through recording proxies, and the page is rendered again
        only when `values` or something it read has changed (see render.cache).
        `derive(lib, values)` returns more template values; it runs only when the
        page is rendered, and may use only its arguments (`values` also holds
        `settings`).
        """

        def render(lib: LinkedLibrary, options: object) -> str:
            more = derive(lib, {**values, "settings": self.settings}) if derive is not None else {}
            text = self.env.get_template(template).render(
                lib=lib,
                settings=self.settings,
                url=lambda target: self.urls.relative(path, target),
                href=lambda target: self.urls.href(path, target),
                urls=self.urls,
                page_path=path,
                options=options,
                **values,
                **more,
            )
            return escape_front_matter(text)

        if self.cache is None:
            return render(self.lib, self.options)
        return self.cache.run(("page", template, path), values, render)

    def memo(self, key: str, inputs: dict[str, object], compute: Callable[..., T]) -> T:
        """`compute(lib=..., options=...)`, reused while what it reads is unchanged.

        For expensive outputs that are not a template (graph data, feeds).
        `compute` must read the site only through its two arguments; whatever
        else it uses goes in `inputs`.
        """
        if self.cache is None:
            return compute(lib=self.lib, options=self.options)
        return self.cache.run(("memo", key), inputs, compute)


def template_folders(settings: Settings, templates: str | None, diags: Diagnostics) -> list[Path]:
    """The `templates` option as a folder list; one outside the site folder is refused (PL600)."""
    if not templates:
        return []
    folder = settings.root / templates
    if settings.outside(folder):
        diags.error(
            templates,
            0,
            0,
            "PL600",
            f"`templates`: '{templates}' leads outside the site folder ('..', an absolute path or a symbolic link); paperlog's own templates are used",
            "keep template overrides inside the folder of mkdocs.yml",
        )
        return []
    return [folder]


Producer = Callable[[RenderContext], Iterable[OutputFile]]


def _producers() -> list[Producer]:
    from . import (
        assets,
        authors,
        bibliography,
        code,
        glossary,
        graph,
        indexes,
        nextreads,
        paper,
        readers,
        sessions,
        stats,
        timeline,
    )

    return [
        paper.produce,  # first: render.parallel may run it in a child process
        indexes.produce,
        timeline.produce,
        stats.produce,
        glossary.produce,
        authors.produce,
        code.produce,
        readers.produce,
        sessions.produce,
        graph.produce,
        nextreads.produce,
        bibliography.produce,
        assets.produce,
    ]


def render_site(
    lib: LinkedLibrary,
    settings: Settings,
    diags: Diagnostics,
    *,
    options: Mapping[str, object],
    template_dirs: list[Path] | None = None,
    cache: RenderCache | None = None,
    templates: str = "",
    parallel: bool = False,
    stats: dict[str, int] | None = None,
) -> list[OutputFile]:
    """Every generated page and file for one site, sorted by path.

    `options` is read-only (paperlog.build makes it); `cache` keeps outputs between
    the builds of one `mkdocs serve` session, and `templates` is then the
    fingerprint of the template folders (`template_fingerprint(template_dirs)`).
    `parallel` lets a one-off render put the paper pages in a second process
    (render.parallel says when it does); `stats` then gets how many files that
    process made, as "second_process".
    """
    template_dirs = template_dirs or []
    env = make_environment(template_dirs, allow_html=settings.allow_html)
    urls = SiteUrls(directory_urls=bool(options.get("use_directory_urls", True)))
    ctx = RenderContext(lib, settings, env, urls, diags, options, cache)
    # {% cached %} fragments: kept between serve builds, else shared by the pages of one build.
    env.fragment_cache = cache  # type: ignore[attr-defined]
    env.fragment_memo = {} if cache is None else None  # type: ignore[attr-defined]
    if cache is not None:
        # What pages see besides the library and the options: when it changes, nothing is reused.
        site_key = (templates, settings, settings.build_date, urls.directory_urls)
        # Paper pages read a few nodes of the graph each: record those, not the whole graph.
        cache.begin(site_key, {"lib": lib, "options": options}, descend=(CitationGraph,))
    # Under `mkdocs serve` a rebuild renders a few pages: nothing to share out.
    fork_papers = parallel and cache is None and len(lib.papers) >= MIN_PAPERS and can_fork()
    try:
        files = produce_pages(_producers(), ctx, fork_first=fork_papers, stats=stats)
    finally:
        if cache is not None:
            cache.end()
        # The environment is cyclic garbage once rendering is done: dropped here, a build's
        # fragments (a copy of every listing row) are freed now, not at the next collection.
        env.fragment_memo = None  # type: ignore[attr-defined]
        env.fragment_cache = None  # type: ignore[attr-defined]
    return sorted(files, key=lambda f: f.path)
