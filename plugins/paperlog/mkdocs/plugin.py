"""The MkDocs plugin: a thin coordinator between MkDocs' events and the core.

on_config  resolve options, turn on the Markdown extensions our pages need,
           add the feed's <link> to the page head (Material)
on_files   load -> link -> render, inject the generated pages as virtual files
on_page_markdown  `mkdocs serve`: convert again only the generated pages whose Markdown changed
on_page_content  turn citation placeholders into links, append the References list
on_env           `mkdocs serve --dirty`: titles for the navigation, of pages MkDocs left alone
on_post_build    remember which generated pages were written (`mkdocs serve --dirty`);
                 `mkdocs serve`: let go of the previous build once idle (memory.py)
on_build_error   the same, after a build that failed
on_serve   watch the notes, .bib files and code folders
"""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from ..diagnostics import Diagnostics, Level
from ..link import link_library, term_index
from ..link.reuse import forget_last_build
from ..load import LoadCaches, load_library
from ..markdown.citations import CitationExtension, CitationRegistry
from ..markdown.citesyntax import find_line, scan_citations
from ..markdown.glossary import Glossary, GlossaryExtension
from ..model import Library, Location
from ..render import OutputFile, RenderCache, render_site, template_folders
from ..render.assets import GRAPH_SCRIPT, GRAPH_STYLESHEET, SCRIPT, STYLESHEET
from ..render.cache import template_fingerprint
from ..render.citations import (
    CitationIndex,
    CitationMemo,
    ResolvedPage,
    build_citation_index,
    locate_citation,
    page_title,
    resolve_citations,
)
from ..render.environment import kept_environment, make_environment
from ..render.feed import feed_enabled
from ..render.urls import SiteUrls
from ..settings import Settings
from .code import configure_code, record_anchor_ids
from .config import PaperlogConfig
from .conversions import PageConversions
from .dirty import DirtyPages, KeptPage, site_digest
from .files import GeneratedFiles, generated_file
from .memory import IDLE_COLLECTION, freeze, gc_paused

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

# Caches live at module level, by notes folder: they must survive the rebuilds
# of `mkdocs serve` whatever MkDocs does with plugin objects. They are kept only
# while serving; a one-off build starts empty and keeps nothing (see render.cache
# for the rendered pages).
_CACHES: dict[str, LoadCaches] = {}
_RENDER_CACHES: dict[str, RenderCache] = {}
_CITATION_MEMOS: dict[str, CitationMemo] = {}
_DIRTY_PAGES: dict[str, DirtyPages] = {}
_CONVERSIONS: dict[str, PageConversions] = {}
_ANCHOR_IDS: dict[str, dict[str, tuple[str, frozenset[str]]]] = {}
_FILES: dict[str, GeneratedFiles] = {}


class PaperlogPlugin(BasePlugin[PaperlogConfig]):
    """Build a reading-log site from per-paper YAML notes."""

    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self._reset()

    def _reset(self) -> None:
        """Forget the previous build: MkDocs keeps one instance for every build of the process."""
        self.settings: Settings | None = None
        self.diagnostics = Diagnostics()
        self.timings: dict[str, float] = {}
        self.render_counts: dict[str, int] = {}
        # Citations: the Markdown extension knows the keys through the registry,
        # filled in on_files (the library is loaded only then).
        self.citations = CitationRegistry()
        self.citation_index = CitationIndex()
        self.library = Library()
        self.files: Files | None = None
        self._cite_env: Any = None
        self._cite_memo = CitationMemo()
        self._links: dict[tuple[str, str], str] = {}
        self.code_options: dict[str, Any] = {}
        self.glossary: Glossary | None = None
        self.dirty_pages: DirtyPages | None = None
        self.conversions: PageConversions | None = None
        self._anchor_ids: dict[str, tuple[str, frozenset[str]]] | None = None
        self._templates = ""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook also makes MkDocs keep this instance across the
        # rebuilds of `mkdocs serve`.
        self.serving = command == "serve"
        # `mkdocs serve --dirty`: MkDocs writes again only the pages reported modified.
        self.dirty = self.serving and dirty

    def on_shutdown(self) -> None:
        IDLE_COLLECTION.cancel()
        # The end of `mkdocs serve` (or build): the rendered pages are not needed any more.
        if self.serving and self.settings is not None:
            _CACHES.pop(str(self.settings.notes_dir), None)
            _RENDER_CACHES.pop(str(self.settings.notes_dir), None)
            _CITATION_MEMOS.pop(str(self.settings.notes_dir), None)
            _DIRTY_PAGES.pop(str(self.settings.notes_dir), None)
            _CONVERSIONS.pop(str(self.settings.notes_dir), None)
            _ANCHOR_IDS.pop(str(self.settings.notes_dir), None)
            _FILES.pop(str(self.settings.notes_dir), None)
        self.serving = self.dirty = False

    # Before mkdocstrings' on_config, which creates its handlers from the
    # configuration that configure_code completes with the code roots.
    @event_priority(60)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.serving:
            IDLE_COLLECTION.cancel()  # a save came first: collect after this build instead
        self._reset()
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
        # An instance, not a name: it shares the registry with this plugin, and
        # mkdocstrings renders docstrings with the same extension list.
        config.markdown_extensions.append(CitationExtension(registry=self.citations))  # type: ignore[arg-type]
        self.code_options = configure_code(config, self.settings)
        for css in (STYLESHEET, GRAPH_STYLESHEET):
            if css not in config.extra_css:
                config.extra_css.append(css)
        for script in (SCRIPT, GRAPH_SCRIPT):
            if script not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(script)
        if self.config.glossary_links:
            # An instance, like mkdocstrings does: it reads the glossary this
            # plugin loads in on_files, before any page is rendered.
            config.markdown_extensions.append(GlossaryExtension(lambda: self.glossary))  # type: ignore[arg-type]
        if feed_enabled(self.settings, self._options(config)) and config.theme.name == "material":
            _add_feed_head_link(config)
        return config

    def _options(self, config: MkDocsConfig, **more: object) -> dict[str, object]:
        """Options the render layer reads (see render.RenderContext.options)."""
        return {
            "site_name": config.site_name,
            "site_author": config.site_author or "",
            "use_directory_urls": config.use_directory_urls,
            "feed_entries": self.config.feed_entries,
            "glossary_links": self.config.glossary_links,
            **more,
        }

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        settings = self.settings
        if self.serving:
            caches = _CACHES.setdefault(str(settings.notes_dir), LoadCaches())
        else:
            # One build and done: nothing to keep for a next one. The parsed .bib
            # files alone are about 25 MiB at 10,000 notes.
            caches = LoadCaches()
        diags = self.diagnostics = Diagnostics()
        outputs = self._generate(files, config, settings, caches, diags)
        _report(diags)
        # Material's tags plugin lists each page under its tags as the page is converted:
        # a page left alone would drop out of the tags index.
        if self.dirty and not _has_tags_plugin(config):
            self.dirty_pages = self._begin_dirty(files, config, outputs)
        made = None
        if self.serving:
            made = _FILES.setdefault(str(settings.notes_dir), GeneratedFiles())
            made.begin(config)
        for output in outputs:
            _inject(files, output, config, self.dirty_pages, made)
        if self.serving:
            self.conversions = _CONVERSIONS.setdefault(str(settings.notes_dir), PageConversions())
            self.conversions.begin(self._conversion_state())
            self._anchor_ids = _ANCHOR_IDS.setdefault(str(settings.notes_dir), {})
        if self.dirty_pages is not None:
            self.render_counts["kept"] = sum(isinstance(f, KeptPage) for f in files)
        return files

    def _conversion_state(self) -> list[str]:
        """What paperlog's Markdown extensions read, besides a page's Markdown."""
        return [repr(sorted(self.citations.known)), repr(self._glossary_terms())]

    def _glossary_terms(self) -> object:
        """The glossary as its links and tooltips show it (None without glossary links)."""
        if self.glossary is None:
            return None
        return (sorted(self.glossary.slug_of.items()), sorted(self.glossary.tooltips.items()))

    def _begin_dirty(
        self, files: Files, config: MkDocsConfig, outputs: list[OutputFile]
    ) -> DirtyPages:
        assert self.settings is not None
        pages = _DIRTY_PAGES.setdefault(str(self.settings.notes_dir), DirtyPages())
        nav = [
            (o.path, (o.content or "").partition("\n---\n")[0])
            for o in outputs
            if o.is_page and o.in_nav
        ]
        nav += [(f.src_uri, "") for f in files.documentation_pages() if not f.generated_by]
        pages.begin(
            site_digest(
                config.config_file_path,
                self._templates,
                self.settings.citation_style,
                self.settings.allow_html,
                self.citation_index,
                self._glossary_terms(),
                nav,
            ),
            self.citation_index,
        )
        return pages

    def _generate(
        self,
        files: Files,
        config: MkDocsConfig,
        settings: Settings,
        caches: LoadCaches,
        diags: Diagnostics,
    ) -> list[OutputFile]:
        """load -> link -> render, timed per phase."""
        start = time.perf_counter()
        with gc_paused():
            lib = load_library(settings, diags, caches)
            loaded = time.perf_counter()
            # Under `mkdocs serve` other threads run: no second process (see paperlog.forked).
            link_stats: dict[str, int] = {}
            lib = link_library(
                lib,
                settings,
                diags,
                parallel=self.config.parallel and not self.serving,
                stats=link_stats,
            )
        linked = time.perf_counter()
        generate_home = self.config.generate_home
        if generate_home is None:
            generate_home = files.get_file_from_path("index.md") is None
        options = self._options(
            config,
            generate_home=generate_home,
            tags_plugin=_has_tags_plugin(config),
            **self.code_options,
        )
        template_dirs = template_folders(settings, self.config.templates, diags)
        index = build_citation_index(lib, SiteUrls(directory_urls=config.use_directory_urls))
        self.citations.known = index.known
        self.citation_index, self.library, self.files = index, lib, files
        if self.serving:
            self._templates = template_fingerprint(template_dirs)
            self._cite_env = kept_environment(
                "citations", template_dirs, settings.allow_html, self._templates
            )
            # Rendered citations stay valid while the templates and the style do.
            self._cite_memo = _CITATION_MEMOS.setdefault(str(settings.notes_dir), CitationMemo())
            self._cite_memo.begin((self._templates, settings.allow_html, settings.citation_style))
        else:
            self._cite_env = make_environment(template_dirs, allow_html=settings.allow_html)
        options["citation_index"] = index
        options["cited_in"] = _cited_in(files, index)
        render_cache = None
        if self.serving:
            render_cache = _RENDER_CACHES.setdefault(str(settings.notes_dir), RenderCache())
        # Rendering leaves cyclic garbage (template contexts); with the library frozen,
        # collecting it as it comes only walks young objects, and keeps the peak down
        # (about 130 MiB less at 3,000 notes than collecting none until the end).
        render_stats: dict[str, int] = {}
        outputs = render_site(
            lib,
            settings,
            diags,
            template_dirs=template_dirs,
            options=options,
            cache=render_cache,
            parallel=self.config.parallel,
            stats=render_stats,
            templates=self._templates if self.serving else "",
        )
        if link_stats.get("layout_beside"):
            log.debug(f"graph layout: {len(lib.graph.nodes)} nodes laid out in a second process")
        if render_stats.get("second_process"):
            log.debug(
                f"paper pages: {render_stats['second_process']} files rendered in a second process"
            )
        if not self.serving:
            forget_last_build()  # no next build in this process to reuse them
        freeze()
        rendered = time.perf_counter()
        self.timings = {
            "load": loaded - start,
            "link": linked - loaded,
            "render": rendered - linked,
        }
        if render_cache is not None:
            self.render_counts = {
                "reused": render_cache.build_hits,
                "rendered": render_cache.build_misses,
            }
        if self.config.glossary_links and lib.terms:
            self.glossary = Glossary.build(
                term_index(lib), {slug: t.definition for slug, t in lib.terms.items()}
            )
        return outputs

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        file = page.file
        if file.generated_by != "paperlog":
            return None
        # MkDocs keeps every page's Markdown (without its front matter) until the end of the
        # build; the generated text we handed it would be a second copy of each page, about
        # 250 MiB at 10,000 notes. Nothing reads a page's file again once its source is read.
        source = file.content_string
        file.content_string = ""
        return source

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.conversions is not None and page.file.generated_by == "paperlog":
            self.conversions.attach(page)
        return None

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        resolved = None
        kept = self._anchor_ids.get(page.file.src_uri) if self._anchor_ids is not None else None
        if kept is not None and kept[0] is html:
            pass  # the very HTML of a page that cited nothing in an earlier build (mkdocs serve)
        elif 'data-pl-cite="' in html and self.settings is not None:
            resolved = self._resolve_citations(html, page, files)
            html = resolved.html
        record_anchor_ids(page, html, resolved, self._anchor_ids)
        if self.dirty_pages is not None and page.file.generated_by == "paperlog":
            # The keys the page's citations name, known or not (a key that becomes
            # known changes every page's inputs: see dirty.site_digest).
            cited = [*resolved.cited, *resolved.unknown] if resolved is not None else []
            self.dirty_pages.converted(page.file.src_uri, cited)
        return html

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.dirty:
            # MkDocs does not read a page that --dirty leaves alone, so the navigation
            # of the pages written again would name it "None" (mkdocs#4047). Reading
            # its source (not converting it) gives it its title back.
            for file in files.documentation_pages():
                page = file.page
                if page is not None and page.markdown is None and not isinstance(file, KeptPage):
                    page.read_source(config)
        return env

    def on_post_build(self, /, *, config: MkDocsConfig) -> None:
        if self.conversions is not None:
            self.render_counts["converted"] = self.conversions.converted
            self.render_counts["conversions_reused"] = self.conversions.reused
            log.debug(
                f"{self.conversions.converted} generated pages converted to HTML, "
                f"{self.conversions.reused} unchanged ones given their last conversion"
            )
        if self.dirty_pages is not None:
            self.dirty_pages.finish()
        if self.serving:
            # Let go of the previous build once the reader has this one (see memory.py).
            IDLE_COLLECTION.schedule()

    def on_build_error(self, *, error: Exception) -> None:
        if self.serving:
            IDLE_COLLECTION.schedule()

    def _resolve_citations(self, html: str, page: Page, files: Files) -> ResolvedPage:
        assert self.settings is not None

        links, base = self._links, page.file.url

        def link(target: str) -> str:
            href = links.get((base, target))
            if href is None:
                path, _, anchor = target.partition("#")
                file = files.src_uris.get(path)  # SiteUrls paths: posix already
                href = _relative_url(file.url, base) if file is not None else path
                href = links[base, target] = href + (f"#{anchor}" if anchor else "")
            return href

        resolved = resolve_citations(
            html,
            self.citation_index,
            self.settings.citation_style,
            link,
            self._cite_env,
            self._cite_memo,
            page=base if self.serving else "",  # whole pages are kept only for the next rebuild
        )
        for key in resolved.unknown:
            loc = self._citation_location(page, key)
            log.warning(
                f"{loc.path}:{loc.line}:{loc.col}: warning[PL310] citation of '{key}', "
                "which is neither a note nor a BibTeX key (hint: check the key, or add the entry to a .bib file)"
            )
        if resolved.references_id:
            _add_to_toc(page, resolved.references_id)
        return resolved

    def _citation_location(self, page: Page, key: str) -> Location:
        assert self.settings is not None
        paper_id = self.citation_index.paper_pages.get(page.file.src_uri)
        if page.file.generated_by == "paperlog" and paper_id in self.library.papers:
            return locate_citation(self.library.papers[paper_id], key)
        path = (
            self.settings.rel(Path(page.file.abs_src_path))
            if page.file.abs_src_path
            else page.file.src_uri
        )
        return Location(path, find_line(page.markdown or "", key), 1)

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


def _has_tags_plugin(config: MkDocsConfig) -> bool:
    return any(name.split("/")[-1] == "tags" for name in config.plugins)


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


def _cited_in(files: Files, index: CitationIndex) -> dict[str, list[tuple[str, str]]]:
    """Paper id -> (page path, title) of each hand-written page citing it, read before rendering."""
    found: dict[str, dict[str, str]] = {}
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        try:
            text = file.content_string
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports unreadable pages itself
        if "@" not in text:
            continue
        for key, _ in scan_citations(text, index.known):
            work = index.works.get(key)
            if work is not None and work.paper_id:
                found.setdefault(work.paper_id, {})[file.src_uri] = page_title(text, file.src_uri)
    return {
        pid: sorted(pages.items(), key=lambda kv: (kv[1].lower(), kv[0]))
        for pid, pages in found.items()
    }


@functools.lru_cache(maxsize=65536)
def _relative_url(url: str, base: str) -> str:
    """`url` relative to the page at `base` (MkDocs' File.url_relative_to, by URL): a
    rebuild of `mkdocs serve` links the same pages again."""
    return get_relative_url(url, base)


def _add_to_toc(page: Page, anchor: str) -> None:
    link = AnchorLink("References", anchor, 2)
    items = page.toc.items
    if len(items) == 1 and items[0].level == 1:
        items[0].children.append(link)  # h2s live under the page's single h1
    else:
        items.append(link)


def _add_feed_head_link(config: MkDocsConfig) -> None:
    """Put our main.html (it adds <link rel="alternate"> for feed.xml) before the theme's.

    A main.html in the user's custom_dir comes first and wins; the user guide
    shows the line to add to it.
    """
    ours = str(Path(__file__).resolve().parent.parent / "theme")
    dirs = config.theme.dirs
    if ours not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, ours)


def _report(diags: Diagnostics) -> None:
    for d in diags:
        text = d.format() + (f" (hint: {d.hint})" if d.hint else "")
        if d.level is Level.INFO:
            log.info(text)
        else:
            log.warning(text)


def _inject(
    files: Files,
    output: OutputFile,
    config: MkDocsConfig,
    dirty: DirtyPages | None = None,
    made: GeneratedFiles | None = None,
) -> None:
    existing = files.src_uris.get(output.path)  # a posix path already
    if existing is not None and not existing.generated_by:
        log.warning(
            f"docs/{output.path} hides the page paperlog generates at the same path; "
            "rename or remove it to see paperlog's page"
        )
        return
    if existing is not None:
        files.remove(existing)
    file = made.file(output, config) if made is not None else generated_file(output, config)
    file.generated_by = "paperlog"
    if output.is_page and not output.in_nav:
        file.inclusion = InclusionLevel.NOT_IN_NAV
        if dirty is not None and dirty.keep(output.path, output.content or "", file.abs_dest_path):
            file.__class__ = KeptPage  # MkDocs leaves its HTML in the site folder as it is
    files.append(file)
