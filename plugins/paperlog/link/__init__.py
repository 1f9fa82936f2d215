"""The link layer: merge metadata, check every reference, compute backlinks.

Runs once per build over the whole library, after loading and before
rendering. The result is read-only for the renderers.
"""

from __future__ import annotations

import dataclasses

from ..diagnostics import Diagnostics, did_you_mean
from ..model import Library, Paper, Topic
from ..settings import Settings
from .metadata import merge_metadata

__all__ = ["link_library"]


def link_library(lib: Library, settings: Settings, diags: Diagnostics) -> Library:
    """Return the linked library: merged metadata, checked references, backlinks."""
    papers = {pid: merge_metadata(p, lib, diags) for pid, p in lib.papers.items()}
    topics = dict(lib.topics)
    topics_declared = bool(topics)
    terms = term_index(lib)
    for paper in papers.values():
        _check_topics(paper, topics, topics_declared, diags)
        _check_papers(paper, papers, lib, diags)
        _check_terms(paper, lib, terms, diags)
        _check_readers(paper, lib, diags)
    linked = dataclasses.replace(lib, papers=papers, topics=topics)
    linked.cited_by, linked.related_to = _backlinks(papers)
    return linked


def _check_topics(paper: Paper, topics: dict[str, Topic], declared: bool, diags: Diagnostics) -> None:
    for i, slug in enumerate(paper.topics):
        if slug in topics:
            continue
        if not declared:
            # Without a topics.yaml, topics named in notes define themselves.
            topics[slug] = Topic(slug, slug.replace("-", " ").capitalize())
            continue
        loc = paper.where(f"topics/{i}")
        diags.error(
            loc.path,
            loc.line,
            loc.col,
            "PL202",
            f"unknown topic '{slug}'",
            did_you_mean(slug, topics) or "define it in topics.yaml",
        )


def _check_papers(paper: Paper, papers: dict[str, Paper], lib: Library, diags: Diagnostics) -> None:
    for field in ("cites", "related"):
        for i, ref in enumerate(getattr(paper, field)):
            if ref in papers or ref in lib.bib:
                continue
            loc = paper.where(f"{field}/{i}")
            hint = did_you_mean(ref, list(papers) + list(lib.bib)) or (
                "name a note's id or a BibTeX key"
            )
            diags.error(loc.path, loc.line, loc.col, "PL201", f"'{field}' names '{ref}', which is neither a note nor a BibTeX key", hint)


def _check_terms(paper: Paper, lib: Library, known: dict[str, str], diags: Diagnostics) -> None:
    for i, term in enumerate(paper.terms):
        if term.lower() in known:
            continue
        loc = paper.where(f"terms/{i}")
        hint = did_you_mean(term, list(lib.terms)) or "define it in glossary.yaml"
        diags.error(loc.path, loc.line, loc.col, "PL203", f"unknown glossary term '{term}'", hint)


def term_index(lib: Library) -> dict[str, str]:
    """Every way to name a term (slug, name, alias; lower case) -> its slug."""
    index: dict[str, str] = {}
    for slug, term in lib.terms.items():
        for name in (slug, term.name, *term.aliases):
            index.setdefault(name.lower(), slug)
    return index


def _check_readers(paper: Paper, lib: Library, diags: Diagnostics) -> None:
    if not lib.readers:
        return  # a personal site has no readers.yaml; names are then free text
    names = [(f"readers/{i}", r) for i, r in enumerate(paper.readers)]
    names += [(f"log/{i}/reader", e.reader) for i, e in enumerate(paper.log) if e.reader]
    for key, reader in names:
        if reader in lib.readers:
            continue
        loc = paper.where(key)
        diags.error(loc.path, loc.line, loc.col, "PL204", f"unknown reader '{reader}'", did_you_mean(reader, lib.readers) or "add them to readers.yaml")


def _backlinks(papers: dict[str, Paper]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    cited_by: dict[str, set[str]] = {}
    related: dict[str, set[str]] = {}
    for paper in papers.values():
        for ref in paper.cites:
            cited_by.setdefault(ref, set()).add(paper.id)
        for ref in paper.related:
            if ref == paper.id:
                continue
            related.setdefault(paper.id, set()).add(ref)
            if ref in papers:
                related.setdefault(ref, set()).add(paper.id)
    return (
        {k: tuple(sorted(v)) for k, v in sorted(cited_by.items())},
        {k: tuple(sorted(v)) for k, v in sorted(related.items())},
    )
