"""Export a linked library as BibTeX, JSON or CSL-JSON (no MkDocs involved).

Used by `paperlog export`; the output is deterministic (papers by id).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .arxiv.ids import parse_arxiv_id
from .bibtex_write import braces_balanced, escape_text, format_entry, standalone_entry
from .citekeys import ascii_word
from .model import LinkedLibrary, Paper

FORMATS = ("bibtex", "json", "csl-json")


def select(
    lib: LinkedLibrary, statuses: Iterable[str] = (), topics: Iterable[str] = ()
) -> list[Paper]:
    """Papers by id, kept when they match any given status and any given topic."""
    statuses, topics = set(statuses), set(topics)
    return [
        p
        for _, p in sorted(lib.papers.items())
        if (not statuses or p.status in statuses) and (not topics or topics & set(p.topics))
    ]


def export(lib: LinkedLibrary, papers: list[Paper], fmt: str) -> str:
    if fmt == "bibtex":
        return to_bibtex(lib, papers)
    if fmt == "json":
        return (
            json.dumps(
                [paper_json(lib, p) for p in papers], indent=2, ensure_ascii=False, sort_keys=True
            )
            + "\n"
        )
    if fmt == "csl-json":
        return (
            json.dumps([paper_csl(p) for p in papers], indent=2, ensure_ascii=False, sort_keys=True)
            + "\n"
        )
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def paper_json(lib: LinkedLibrary, paper: Paper) -> dict[str, Any]:
    """The paper's merged metadata and reading state, as plain JSON data."""
    return {
        "id": paper.id,
        "title": paper.display_title,
        "authors": [a.name for a in paper.authors],
        "year": paper.year,
        "venue": paper.venue,
        "volume": paper.volume,
        "pages": paper.pages,
        "doi": paper.doi,
        "url": paper.url,
        "pdf": paper.pdf,
        "arxiv": paper.arxiv,
        "bibkey": paper.bibkey,
        "status": paper.status,
        "topics": list(paper.topics),
        "tags": list(paper.tags),
        "rating": paper.rating,
        "readers": list(paper.readers),
        "last_read": paper.last_read.isoformat() if paper.last_read else None,
        "minutes": sum(e.minutes or 0 for e in paper.log),
        "cites": list(paper.cites),
        "cited_by": list(lib.cited_by.get(paper.id, ())),
        "abstract": paper.abstract,
    }


def paper_csl(paper: Paper) -> dict[str, Any]:
    """CSL-JSON (the input format of citeproc, Pandoc and Zotero)."""
    arxiv = parse_arxiv_id(paper.arxiv) if paper.arxiv else None
    preprint = bool(arxiv) and (not paper.venue or paper.venue == "arXiv preprint")
    item: dict[str, Any] = {
        "id": paper.bibkey or paper.id,
        "type": "article" if preprint else "article-journal" if paper.venue else "document",
        "title": paper.display_title,
        "author": [
            {"family": a.family, "given": a.given} if a.family else {"literal": a.name}
            for a in paper.authors
        ],
    }
    if paper.year:
        item["issued"] = {"date-parts": [[paper.year]]}
    if preprint and arxiv:
        item["publisher"] = "arXiv"
        item["number"] = f"arXiv:{arxiv.bare}"
    elif paper.venue:
        item["container-title"] = paper.venue
    for key, value in (
        ("volume", paper.volume),
        ("page", paper.pages),
        ("DOI", paper.doi),
        ("URL", paper.url),
        ("abstract", paper.abstract),
    ):
        if value:
            item[key] = str(value)
    return item


def to_bibtex(lib: LinkedLibrary, papers: list[Paper]) -> str:
    """The BibTeX entry of each paper: from the user's .bib (made standalone: @string macros
    expanded, crossref fields copied in), else made from its metadata."""
    chunks = []
    for paper in papers:
        entry = lib.bib.get(paper.bibkey or paper.id)
        if entry is not None:
            chunks.append(standalone_entry(entry))
        else:
            chunks.append(_made_entry(paper))
    return "\n".join(chunks)


def paper_bibtex(paper: Paper, lib: LinkedLibrary) -> tuple[str, bool]:
    """What a paper page shows: its entry exactly as written in the .bib file, or (True)
    the entry `paperlog export` makes from the note when there is none."""
    entry = lib.bib.get(paper.bibkey or paper.id)
    if entry is not None and entry.raw:
        return entry.raw.strip(), False
    return _made_entry(paper).strip(), True


def _made_entry(paper: Paper) -> str:
    arxiv = parse_arxiv_id(paper.arxiv) if paper.arxiv else None
    preprint = bool(arxiv) and (not paper.venue or paper.venue == "arXiv preprint")
    fields = {
        "title": escape_text(paper.display_title),
        "author": " and ".join(escape_text(a.name) for a in paper.authors),
        "year": str(paper.year or ""),
    }
    if preprint and arxiv:
        entry_type = "misc"
        fields.update({"eprint": arxiv.bare, "archiveprefix": "arXiv"})
    else:
        entry_type = "article" if paper.venue else "misc"
        fields["journal" if paper.venue else "howpublished"] = escape_text(paper.venue)
    fields.update(
        {
            "volume": escape_text(str(paper.volume)),
            "pages": escape_text(str(paper.pages)),
            "doi": escape_text(paper.doi),
            "url": paper.url if braces_balanced(paper.url) else "",
        }
    )
    key = paper.bibkey or paper.id
    if not all(c.isalnum() or c in "-_:." for c in key):
        key = ascii_word(key) or "paper"
    return format_entry(key, entry_type, fields)
