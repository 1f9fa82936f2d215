"""Paper pages (/papers/<id>/) and the figures they show."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..link import term_index
from ..model import LinkedLibrary, Paper
from . import OutputFile, RenderContext
from .codeviews import DEFAULT_LINE_ANCHORS, paper_code_view
from .environment import safe_url

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class FigureView:
    asset: str
    caption: str
    page: str | None


def paper_links(paper: Paper) -> list[tuple[str, str]]:
    """Buttons under the title: (label, URL), most useful first."""
    links: list[tuple[str, str]] = []
    if paper.arxiv:
        bare = paper.arxiv.removeprefix("arXiv:")
        links.append(("arXiv", f"https://arxiv.org/abs/{bare}"))
    if paper.pdf:
        links.append(("PDF", paper.pdf))
    if paper.doi:
        links.append(("DOI", f"https://doi.org/{paper.doi}"))
    if paper.url and not paper.url.startswith("https://arxiv.org/abs/"):
        links.append(("Web", paper.url))
    return [(label, safe_url(href)) for label, href in links if safe_url(href)]


def description(paper: Paper) -> str:
    text = paper.summary or paper.abstract
    text = " ".join(re.sub(r"[`*_#>\[\]$]", "", text).split())
    return text[:197] + "..." if len(text) > 200 else text


def _paper_values(lib: LinkedLibrary, values: dict[str, Any]) -> dict[str, object]:
    """What a paper page shows besides the note: computed only when the page is rendered
    (under `mkdocs serve` most pages are reused)."""
    paper: Paper = values["paper"]
    names: dict[str, str] = values["term_names"]
    return {
        "description": description(paper),
        "links": paper_links(paper),
        "terms": [lib.terms[names[t.lower()]] for t in paper.terms if t.lower() in names],
        "code": paper_code_view(lib, paper, values["settings"].tolerance, values["line_anchors"]),
    }


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    terms = term_index(ctx.lib)
    # Scope marks for the glossary-link Markdown extension (markdown/glossary.py).
    gloss = bool(ctx.lib.terms) and bool(ctx.options.get("glossary_links", True))
    anchors = str(ctx.options.get("line_anchors") or DEFAULT_LINE_ANCHORS)
    for paper in ctx.lib.papers.values():
        path = ctx.urls.paper(paper.id)
        figures = []
        for i, fig in enumerate(paper.figures, start=1):
            name = f"{i}-{_UNSAFE_NAME.sub('-', posixpath.basename(fig.src))}"
            asset = ctx.urls.paper_asset(paper.id, name)
            figures.append(FigureView(asset, fig.caption, fig.page))
            yield OutputFile(asset, source=Path(fig.file))

        content = ctx.page(
            "paper.md.j2",
            path,
            _paper_values,
            paper=paper,
            figures=tuple(figures),  # most often (), the same object in every build
            gloss=gloss,
            term_names=terms,
            line_anchors=anchors,
        )
        yield OutputFile(
            path, content, title=paper.display_title, in_nav=ctx.settings.papers_in_nav
        )
