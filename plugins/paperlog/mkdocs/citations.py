"""The late pass over each page's HTML: citation placeholders become links and a References list."""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from ..build import SiteBuild
from ..markdown.citesyntax import find_line
from ..model import Location
from ..render.citations import CitationMemo, ResolvedPage, locate_citation, resolve_citations
from ..render.environment import make_environment
from ..settings import Settings

log = get_plugin_logger("paperlog")


class PageCitations:
    """Resolves the citations of every page of one build."""

    def __init__(self, built: SiteBuild, settings: Settings, files: Files) -> None:
        self.built = built
        self.settings = settings
        self.files = files
        self.env = make_environment(list(built.template_dirs), allow_html=settings.allow_html)
        self.memo = CitationMemo()
        self._links: dict[tuple[str, str], str] = {}

    def resolve(self, html: str, page: Page) -> ResolvedPage:
        """The page's HTML with its citations; unknown keys are reported (PL310)."""
        links, base, files = self._links, page.file.url, self.files

        def link(target: str) -> str:
            href = links.get((base, target))
            if href is None:
                path, _, anchor = target.partition("#")
                file = files.src_uris.get(path)  # SiteUrls paths: posix already
                href = get_relative_url(file.url, base) if file is not None else path
                href = links[base, target] = href + (f"#{anchor}" if anchor else "")
            return href

        resolved = resolve_citations(
            html,
            self.built.citation_index,
            self.settings.citation_style,
            link,
            self.env,
            self.memo,
        )
        for key in resolved.unknown:
            loc = self._location(page, key)
            log.warning(
                f"{loc.path}:{loc.line}:{loc.col}: warning[PL310] citation of '{key}', "
                "which is neither a note nor a BibTeX key (hint: check the key, or add the entry to a .bib file)"
            )
        if resolved.references_id:
            _add_to_toc(page, resolved.references_id)
        return resolved

    def _location(self, page: Page, key: str) -> Location:
        paper_id = self.built.citation_index.paper_pages.get(page.file.src_uri)
        papers = self.built.library.papers
        if page.file.generated_by == "paperlog" and paper_id is not None and paper_id in papers:
            return locate_citation(papers[paper_id], key)
        file = page.file
        path = self.settings.rel(Path(file.abs_src_path)) if file.abs_src_path else file.src_uri
        return Location(path, find_line(page.markdown or "", key), 1)


def _add_to_toc(page: Page, anchor: str) -> None:
    link = AnchorLink("References", anchor, 2)
    items = page.toc.items
    if len(items) == 1 and items[0].level == 1:
        items[0].children.append(link)  # h2s live under the page's single h1
    else:
        items.append(link)
