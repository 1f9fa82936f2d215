"""The render layer: a linked Library -> generated Markdown pages and files.

Each page producer is a function `(RenderContext) -> Iterable[OutputFile]`,
listed in PRODUCERS; adding a page kind means adding a module and a line.
The adapters decide what to do with the files: the MkDocs plugin injects them
as virtual files, `paperlog render --out DIR` writes them to disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..diagnostics import Diagnostics
from ..model import Library
from ..settings import Settings
from .environment import make_environment
from .frontmatter import escape_front_matter
from .urls import SiteUrls


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


@dataclass
class RenderContext:
    lib: Library
    settings: Settings
    env: jinja2.Environment
    urls: SiteUrls
    diags: Diagnostics
    options: dict[str, object] = field(default_factory=dict)

    def page(self, template: str, path: str, **values: object) -> str:
        """Render a page template for the page at `path`."""
        text = self.env.get_template(template).render(
            lib=self.lib,
            settings=self.settings,
            url=lambda target: self.urls.relative(path, target),
            href=lambda target: self.urls.href(path, target),
            urls=self.urls,
            page_path=path,
            options=self.options,
            **values,
        )
        return escape_front_matter(text)


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
        paper.produce,
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
    lib: Library,
    settings: Settings,
    diags: Diagnostics,
    *,
    template_dirs: list[Path] | None = None,
    options: dict[str, object] | None = None,
) -> list[OutputFile]:
    """Every generated page and file for one site, sorted by path."""
    env = make_environment(template_dirs or [], allow_html=settings.allow_html)
    defaults: dict[str, object] = {"site_name": "Reading log", "generate_home": False, "tags_plugin": False}
    options = {**defaults, **(options or {})}
    urls = SiteUrls(directory_urls=bool(options.get("use_directory_urls", True)))
    ctx = RenderContext(lib, settings, env, urls, diags, options)
    files: list[OutputFile] = []
    for produce in _producers():
        files.extend(produce(ctx))
    return sorted(files, key=lambda f: f.path)
