"""What a reference in `cites` or `related` points at: a note, or a work without one.

A note can be named by its id, by its BibTeX key or by its arXiv id, so the same
paper is one node of the graph however a note names it. Anything else stays as
written: a BibTeX key with no note (metadata from the .bib file) or a bare id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..model import BibEntry, ExternalWork, LoadedLibrary, Paper
from .metadata import arxiv_fields, bare_arxiv_id, bib_fields

_ARXIV_ID = re.compile(r"^(arXiv:)?(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$", re.I)

SortKey = tuple[int, str, str]


class Resolver:
    """Resolves references to note ids; built once per linking pass (O(notes))."""

    def __init__(self, papers: Mapping[str, Paper]) -> None:
        self.papers = papers
        self._alias: dict[str, str] = {}
        # Sorted, so that two notes claiming one BibTeX key resolve the same way every build.
        for pid in sorted(papers):
            paper = papers[pid]
            if paper.bibkey and paper.bibkey != pid:
                self._alias.setdefault(paper.bibkey, pid)
            if paper.arxiv:
                self._alias.setdefault(bare_arxiv_id(paper.arxiv), pid)

    def resolve(self, ref: str) -> str:
        """The note id that `ref` names, or `ref` itself when no note matches."""
        if ref in self.papers:
            return ref
        if ref in self._alias:
            return self._alias[ref]
        if _ARXIV_ID.match(ref):
            return self._alias.get(bare_arxiv_id(ref), ref)
        return ref

    def is_note(self, ref: str) -> bool:
        return self.resolve(ref) in self.papers


def external_work(key: str, lib: LoadedLibrary) -> ExternalWork:
    """What the BibTeX entry or arXiv record of a key without a note says about it."""
    entry: BibEntry | None = lib.bib.get(key)
    fields: dict[str, object] = {}
    if entry is not None:
        fields = bib_fields(entry)
    elif _ARXIV_ID.match(key) and bare_arxiv_id(key) in lib.arxiv:
        fields = arxiv_fields(lib.arxiv[bare_arxiv_id(key)])
        fields["arxiv"] = bare_arxiv_id(key)
    year = fields.get("year")
    authors = fields.get("authors") or ()
    return ExternalWork(
        key=key,
        title=str(fields.get("title") or ""),
        year=year if isinstance(year, int) else None,
        authors=tuple(authors) if isinstance(authors, tuple) else (),
        url=_work_url(fields),
    )


def _work_url(fields: Mapping[str, object]) -> str:
    if fields.get("doi"):
        return f"https://doi.org/{fields['doi']}"
    if fields.get("url"):
        return str(fields["url"])
    if fields.get("arxiv"):
        return f"https://arxiv.org/abs/{bare_arxiv_id(str(fields['arxiv']))}"
    return ""


def paper_key(paper: Paper) -> SortKey:
    """Newest first, then by title: the order of every listing (as model.listing_order)."""
    return (-(paper.year or 0), paper.display_title.lower(), paper.id)


def work_key(work: ExternalWork) -> SortKey:
    return (-(work.year or 0), work.display_title.lower(), work.key)


def ref_key(ref: str, papers: Mapping[str, Paper], external: Mapping[str, ExternalWork]) -> SortKey:
    """The listing order of a resolved reference, note or not."""
    if ref in papers:
        return paper_key(papers[ref])
    if ref in external:
        return work_key(external[ref])
    return (0, ref.lower(), ref)
