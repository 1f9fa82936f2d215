"""The bibliography page (/bibliography/) and the notes' BibTeX export (/papers.bib)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..export import select, to_bibtex
from ..model import BibEntry, LinkedLibrary
from . import OutputFile, RenderContext
from .citations import CitationIndex, Work, build_citation_index, slug_letter


@dataclass(frozen=True)
class BibView:
    key: str
    anchor: str
    work: Work
    entry: BibEntry


def groups(ctx: RenderContext) -> list[tuple[str, list[BibView]]]:
    """Entries grouped by the first letter of the first author's family name (or the title)."""
    if isinstance(ctx.options.get("citation_index"), CitationIndex):
        # The plugin's index (render_site adds one under `mkdocs serve`), read through the
        # options: `mkdocs serve` keeps the groups while no entry and no citation label changes.
        return ctx.memo(
            "bibliography-groups", {}, lambda lib, options: _groups(lib, options["citation_index"])
        )
    return _groups(ctx.lib, build_citation_index(ctx.lib, ctx.urls))  # `paperlog render`


def _groups(lib: LinkedLibrary, index: CitationIndex) -> list[tuple[str, list[BibView]]]:
    rows = []
    for key, entry in lib.bib.items():
        work = index.works[key]
        name = _sort_name(work)
        order = (slug_letter(name), name.lower(), work.year, work.title.lower(), key)
        rows.append((order, BibView(key, index.anchors[key], work, entry)))
    # The keys are unique: the order never compares two views.
    rows.sort(key=lambda row: row[0])
    grouped: dict[str, list[BibView]] = {}
    for order, view in rows:
        grouped.setdefault(order[0], []).append(view)
    return sorted(grouped.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def _sort_name(work: Work) -> str:
    return (work.authors[0].family or work.authors[0].name) if work.authors else work.title


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
            ctx.memo(
                f"papers.bib:{p.id}", {"paper": p}, lambda lib, options, p=p: to_bibtex(lib, [p])
            )
            for p in papers
        ]
        yield OutputFile(urls.papers_bib, header + "\n".join(entries))
