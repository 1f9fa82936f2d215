"""The bibliography page (/bibliography/) and the notes' BibTeX export (/papers.bib)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..export import select, to_bibtex
from ..model import BibEntry, Library
from . import OutputFile, RenderContext
from .citations import CitationIndex, Work, build_citation_index, slug_letter


@dataclass(frozen=True)
class BibView:
    key: str
    anchor: str
    work: Work
    entry: BibEntry


def citation_index(ctx: RenderContext) -> CitationIndex:
    """The index the plugin built for this build, or a new one (e.g. `paperlog render`)."""
    index = ctx.options.get("citation_index")
    if isinstance(index, CitationIndex):
        return index
    index = build_citation_index(ctx.lib, ctx.urls)
    ctx.options["citation_index"] = index
    return index


def groups(ctx: RenderContext) -> list[tuple[str, list[BibView]]]:
    """Entries grouped by the first letter of the first author's family name (or the title)."""
    citation_index(ctx)
    # Reused by `mkdocs serve` while no entry and no citation label changes.
    return ctx.memo("bibliography-groups", {}, lambda lib, options: _groups(lib, options["citation_index"]))


def _groups(lib: Library, index: CitationIndex) -> list[tuple[str, list[BibView]]]:
    views = []
    for key, entry in lib.bib.items():
        work = index.works[key]
        views.append(BibView(key, index.anchors[key], work, entry))

    def sort_name(v: BibView) -> str:
        return (v.work.authors[0].family or v.work.authors[0].name) if v.work.authors else v.work.title

    views.sort(key=lambda v: (slug_letter(sort_name(v)), sort_name(v).lower(), v.work.year, v.work.title.lower(), v.key))
    grouped: dict[str, list[BibView]] = {}
    for view in views:
        grouped.setdefault(slug_letter(sort_name(view)), []).append(view)
    return sorted(grouped.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    urls = ctx.urls
    if ctx.lib.bib:
        files = sorted({e.source for e in ctx.lib.bib.values()})
        content = ctx.page("bibliography.md.j2", urls.bibliography, groups=groups(ctx), files=files)
        yield OutputFile(urls.bibliography, content, title="Bibliography", in_nav=True)
    if ctx.lib.papers:
        papers = select(ctx.lib)
        header = f"% BibTeX entries of the {len(papers)} papers in this reading log (paperlog export).\n\n"
        # One entry per paper, each kept by `mkdocs serve` until its paper or .bib entry changes.
        entries = [
            ctx.memo(f"papers.bib:{p.id}", {"paper": p}, lambda lib, options, p=p: to_bibtex(lib, [p]))
            for p in papers
        ]
        yield OutputFile(urls.papers_bib, header + "\n".join(entries))
