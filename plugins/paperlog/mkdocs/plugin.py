"""The MkDocs plugin: translates MkDocs' events into one build of the core (paperlog.build).

on_startup       `mkdocs serve`: start a session (session.py) that keeps caches between rebuilds
on_config        resolve options, turn on the Markdown extensions our pages need
on_files         build the site (load -> link -> render) and add its pages to MkDocs' files
on_page_markdown `mkdocs serve`: a generated page's conversion may be the last one (conversions.py)
on_page_content  turn citation placeholders into links, append the References list
on_page_context  `mkdocs serve --dirty`: keep each page's search entries (search.py)
on_env           `mkdocs serve --dirty`: titles for the navigation, of pages MkDocs left alone
on_post_build    `--dirty`: write the whole search index, remove what is gone; serve: collect garbage
on_serve         watch the notes, .bib files, code folders and caches
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from ..build import SiteBuild, build_site
from ..diagnostics import Diagnostics, Level
from ..link import term_index
from ..markdown.citations import CitationExtension, CitationRegistry
from ..markdown.glossary import Glossary, GlossaryExtension
from ..settings import Settings
from .citations import PageCitations
from .code import record_anchor_ids
from .config import PaperlogConfig
from .dirty import decide_pages
from .files import add_outputs, hand_written_pages
from .memory import IDLE_COLLECTION, freeze, gc_paused
from .session import ServeSession, caches_enabled
from .setup import prepare_config, site_options, site_settings

log = get_plugin_logger("paperlog")


class PaperlogPlugin(BasePlugin[PaperlogConfig]):
    """Build a reading-log site from per-paper YAML notes."""

    def __init__(self) -> None:
        self.serving = False
        self.dirty = False
        self.session: ServeSession | None = None
        self._begin()

    def _begin(self) -> None:
        """Forget the previous build: MkDocs keeps one instance for every build of the process."""
        self.settings: Settings | None = None
        self.code_options: dict[str, Any] = {}
        # The Markdown extension knows the citable keys through the registry, filled in
        # on_files (the library is built only then).
        self.citations = CitationRegistry()
        self.glossary: Glossary | None = None
        self.built: SiteBuild | None = None
        self.page_citations: PageCitations | None = None
        self.files: Files | None = None
        self.timings: dict[str, float] = {}
        self.render_counts: dict[str, int] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook also makes MkDocs keep this instance across the rebuilds of
        # `mkdocs serve`; the session starts with the first build, which knows the site.
        self.serving = command == "serve"
        self.dirty = self.serving and dirty
        self.session = None

    def on_shutdown(self) -> None:
        IDLE_COLLECTION.cancel()
        self.session = None
        self.serving = self.dirty = False

    # Before mkdocstrings' on_config, which creates its handlers from the
    # configuration that configure_code completes with the code roots.
    @event_priority(60)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.serving:
            IDLE_COLLECTION.cancel()  # a save came first: collect after this build instead
        self._begin()
        settings = self.settings = site_settings(config, self.config)
        if self.serving and (self.session is None or self.session.root != settings.root):
            self.session = ServeSession(settings.root, dirty=self.dirty, cached=caches_enabled())
        # The Markdown extensions are instances, not names: they read what this plugin builds
        # in on_files, and mkdocstrings renders docstrings with the same extension list.
        extensions = [CitationExtension(registry=self.citations)]
        if self.config.glossary_links:
            extensions.append(GlossaryExtension(lambda: self.glossary))
        self.code_options = prepare_config(config, self.config, settings, extensions)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        settings, session = self.settings, self.session
        generate_home = self.config.generate_home
        if generate_home is None:
            generate_home = files.get_file_from_path("index.md") is None
        options = site_options(
            config,
            self.config,
            self.code_options,
            generate_home=generate_home,
            # Under `mkdocs serve` other threads run: no second process (see paperlog.forked).
            parallel=self.config.parallel and not self.serving,
        )
        diags = Diagnostics()
        with gc_paused():
            built = build_site(
                settings,
                options,
                diags,
                pages=hand_written_pages(files),
                caches=session.core if session is not None else None,
            )
        _report(diags)
        self.built, self.files = built, files
        self.timings, self.render_counts = dict(built.timings), dict(built.counts)
        if built.counts.get("layout_beside"):
            log.debug(
                f"graph layout: {len(built.library.graph.nodes)} nodes laid out in a second process"
            )
        if built.counts.get("second_process"):
            log.debug(
                f"paper pages: {built.counts['second_process']} files rendered in a second process"
            )
        self.citations.known = built.citation_index.known
        lib = built.library
        if self.config.glossary_links and lib.terms:
            definitions = {slug: t.definition for slug, t in lib.terms.items()}
            self.glossary = Glossary.build(term_index(lib), definitions)
        add_outputs(files, built.outputs, config)
        self.page_citations = PageCitations(built, settings, files)
        if session is not None:
            if session.conversions is not None:
                session.conversions.begin(self._conversion_inputs())
            if session.dirty is not None:
                kept = decide_pages(
                    session.dirty, files, config, built, settings, self._glossary_names()
                )
                self.render_counts["kept"] = kept
                if session.search is not None:
                    session.search.begin(config)
        # Rendering made many objects that live to the end of the build: keep them out of
        # the collector's way (memory.py).
        freeze()
        return files

    def _conversion_inputs(self) -> list[str]:
        """What paperlog's Markdown extensions read, besides a page's Markdown."""
        return [repr(sorted(self.citations.known)), repr(self._glossary_names())]

    def _glossary_names(self) -> object:
        if self.glossary is None:
            return None
        return (sorted(self.glossary.slug_of.items()), sorted(self.glossary.tooltips.items()))

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        file = page.file
        if file.generated_by != "paperlog":
            return None
        # MkDocs keeps every page's Markdown until the end of the build; the generated text we
        # handed it would be a second copy of each page (about 250 MiB at 10,000 notes).
        source = file.content_string
        file.content_string = ""
        return source

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        session = self.session
        if session is not None and session.conversions is not None and page.file.generated_by:
            session.conversions.attach(page)
        return None

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        cited: list[str] = []
        if 'data-pl-cite="' in html and self.page_citations is not None:
            resolved = self.page_citations.resolve(html, page)
            html, cited = resolved.html, [*resolved.cited, *resolved.unknown]
        record_anchor_ids(page, html)
        if self.session is not None and self.session.dirty is not None:
            # The keys the page's citations name, known or not (a key that becomes
            # known changes every page's inputs: see dirty.site_digest).
            self.session.dirty.converted(page.file.src_uri, cited)
        return html

    @event_priority(-100)  # after the search plugin has indexed the page
    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> Any:
        if self.session is not None and self.session.search is not None:
            self.session.search.page_indexed(page)
        return context

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        if self.dirty:
            # MkDocs does not read a page that --dirty leaves alone, so the navigation of the
            # pages written again would name it "None" (mkdocs#4047). Reading its source (not
            # converting it) gives it its title back.
            for file in files.documentation_pages():
                page = file.page
                if (
                    page is not None
                    and page.markdown is None
                    and not file.inclusion.is_not_in_nav()
                ):
                    page.read_source(config)
        return env

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, /, *, config: MkDocsConfig) -> None:
        session = self.session
        if session is None:
            return
        if session.conversions is not None:
            self.render_counts["converted"] = session.conversions.converted
            self.render_counts["conversions_reused"] = session.conversions.reused
            log.debug(
                f"{session.conversions.converted} generated pages converted to HTML, "
                f"{session.conversions.reused} unchanged ones given their last conversion"
            )
        if session.dirty is not None and self.files is not None:
            session.dirty.finish(self.files, config.site_dir)
            if session.search is not None:
                session.search.write(config, self.files)
        # Let go of the previous build once the reader has this one (see memory.py).
        IDLE_COLLECTION.schedule()

    def on_build_error(self, *, error: Exception) -> None:
        if self.serving:
            IDLE_COLLECTION.schedule()

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


def _report(diags: Diagnostics) -> None:
    for d in diags:
        text = d.format() + (f" (hint: {d.hint})" if d.hint else "")
        if d.level is Level.INFO:
            log.info(text)
        else:
            log.warning(text)
