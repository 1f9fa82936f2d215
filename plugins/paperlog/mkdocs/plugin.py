"""The MkDocs plugin: a thin coordinator between MkDocs' events and the core.

on_config  resolve options, turn on the Markdown extensions our pages need
on_files   load -> link -> render, inject the generated pages as virtual files
on_serve   watch the notes, .bib files and code folders
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..diagnostics import Diagnostics, Level
from ..link import link_library
from ..load import LoadCaches, load_library
from ..render import OutputFile, render_site
from ..render.assets import GRAPH_SCRIPT, GRAPH_STYLESHEET, SCRIPT, STYLESHEET
from ..settings import Settings
from .code import configure_code, record_anchor_ids
from .config import PaperlogConfig

log = get_plugin_logger("paperlog")

# Extensions our generated pages use, with the options they need.
REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.highlight": {"anchor_linenums": True},
    "pymdownx.inlinehilite": {},
}
MATH_EXTENSION = "paperlog.markdown.math"
SAFETY_EXTENSION = "paperlog.markdown.safety"
"""Removes script URLs and event handlers that Markdown syntax would create; always on."""

# Caches live at module level: `mkdocs serve` makes new plugin objects on
# every rebuild, and the point of the caches is to survive rebuilds.
_CACHES: dict[str, LoadCaches] = {}


class PaperlogPlugin(BasePlugin[PaperlogConfig]):
    """Build a reading-log site from per-paper YAML notes."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.diagnostics = Diagnostics()
        self.timings: dict[str, float] = {}
        self.code_options: dict[str, Any] = {}

    # Before mkdocstrings' on_config, which creates its handlers from the
    # configuration that configure_code completes with the code roots.
    @event_priority(60)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        root = Path(config.config_file_path or ".").resolve().parent
        self.settings = Settings.for_root(
            root,
            notes_dir=self.config.notes_dir,
            bibliography=self.config.bibliography,
            code_dirs=self.config.code_dirs,
            arxiv_cache=self.config.arxiv_cache,
            site_url=config.site_url or "",
            papers_in_nav=self.config.papers_in_nav,
            tolerance=self.config.tolerance,
            citation_style=self.config.citation_style,
            allow_html=self.config.allow_html,
            graph_depth=self.config.graph_depth,
        )
        if self.config.markdown_extensions:
            _add_extensions(config)
        if SAFETY_EXTENSION not in config.markdown_extensions:
            config.markdown_extensions.append(SAFETY_EXTENSION)
        self.code_options = configure_code(config, self.settings)
        for css in (STYLESHEET, GRAPH_STYLESHEET):
            if css not in config.extra_css:
                config.extra_css.append(css)
        for script in (SCRIPT, GRAPH_SCRIPT):
            if script not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(script)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        settings = self.settings
        caches = _CACHES.setdefault(str(settings.notes_dir), LoadCaches())
        diags = self.diagnostics = Diagnostics()
        start = time.perf_counter()
        lib = load_library(settings, diags, caches)
        loaded = time.perf_counter()
        lib = link_library(lib, settings, diags)
        linked = time.perf_counter()
        generate_home = self.config.generate_home
        if generate_home is None:
            generate_home = files.get_file_from_path("index.md") is None
        options = {
            "site_name": config.site_name,
            "generate_home": generate_home,
            "tags_plugin": any(name.split("/")[-1] == "tags" for name in config.plugins),
            **self.code_options,
            "use_directory_urls": config.use_directory_urls,
        }
        template_dirs = [settings.root / self.config.templates] if self.config.templates else []
        outputs = render_site(lib, settings, diags, template_dirs=template_dirs, options=options)
        rendered = time.perf_counter()
        self.timings = {"load": loaded - start, "link": linked - loaded, "render": rendered - linked}
        _report(diags)
        for output in outputs:
            _inject(files, output, config)
        return files

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        record_anchor_ids(page, html)
        return html

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        assert self.settings is not None
        watched = [self.settings.notes_dir, *self.settings.bibliography, *self.settings.code_dirs]
        if self.settings.arxiv_cache is not None:
            # `paperlog refresh` in another terminal updates it; rebuild then.
            watched.append(self.settings.arxiv_cache)
        if self.config.templates:
            watched.append(self.settings.root / self.config.templates)
        for path in watched:
            if path.exists():
                server.watch(str(path))
        return server


def _add_extensions(config: MkDocsConfig) -> None:
    present = {name.split("(")[0] for name in config.markdown_extensions if isinstance(name, str)}
    for name, options in REQUIRED_EXTENSIONS.items():
        if name not in present:
            config.markdown_extensions.append(name)
            if options:
                config.mdx_configs.setdefault(name, dict(options))
        elif name == "pymdownx.tabbed":
            config.mdx_configs.setdefault(name, {}).setdefault("alternate_style", True)
    if "pymdownx.arithmatex" not in present and MATH_EXTENSION not in present:
        config.markdown_extensions.append(MATH_EXTENSION)


def _report(diags: Diagnostics) -> None:
    for d in diags:
        text = d.format() + (f" (hint: {d.hint})" if d.hint else "")
        if d.level is Level.INFO:
            log.info(text)
        else:
            log.warning(text)


def _inject(files: Files, output: OutputFile, config: MkDocsConfig) -> None:
    existing = files.get_file_from_path(output.path)
    if existing is not None and not existing.generated_by:
        log.warning(
            f"docs/{output.path} hides the page paperlog generates at the same path; "
            "rename or remove it to see paperlog's page"
        )
        return
    if existing is not None:
        files.remove(existing)
    if output.source is not None:
        file = File.generated(config, output.path, abs_src_path=str(output.source))
    else:
        # Pages as text; other files as bytes, written as they are: MkDocs opens text
        # files in text mode, which would turn the CRLF line ends iCalendar requires
        # into CR CR LF on Windows.
        content = output.content or ""
        file = File.generated(config, output.path, content=content if output.is_page else content.encode("utf-8"))
    file.generated_by = "paperlog"
    if output.is_page and not output.in_nav:
        file.inclusion = InclusionLevel.NOT_IN_NAV
    files.append(file)
