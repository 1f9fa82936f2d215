"""The link layer: merge metadata, check every reference, derive the connections.

Runs once per build over the whole library, after loading and before
rendering: backlinks, the citation graph and its layout, local graphs, reading
orders, read-next suggestions, merged authors, the reading timeline, stats and
glossary use are all derived here, in one pass, and the renderers only read
them. No step is quadratic in the number of notes.
"""

from __future__ import annotations

from collections.abc import Callable

from ..diagnostics import Diagnostics, Suggestions, did_you_mean
from ..forked import can_fork
from ..model import LinkedLibrary, LoadedLibrary, Paper, Topic, listing_order
from ..settings import Settings
from . import glossary
from .authors import merge_authors
from .backlinks import compute_backlinks
from .code import link_code
from .graph import local_graphs, start_graph
from .layout import LayoutCache
from .metadata import merge_papers
from .nextreads import rank_suggestions, suggestions_by_topic
from .order import reading_orders
from .refs import Resolver
from .stats import compute_stats
from .team import check_duplicates, check_sessions, default_reader
from .timeline import build_timeline

__all__ = ["LayoutCache", "link_library"]


def link_library(
    lib: LoadedLibrary,
    settings: Settings,
    diags: Diagnostics,
    layouts: LayoutCache | None = None,
    *,
    layout: bool = True,
    parallel: bool = False,
    stats: dict[str, int] | None = None,
) -> LinkedLibrary:
    """Return the linked library: merged metadata, checked references, connections.

    `layouts` (kept by a `mkdocs serve` session) holds graph layouts by the graph's
    shape; without it the layout is computed. `layout=False` skips the layout
    (every node at 0, 0), for callers that only want the diagnostics, such as
    `paperlog check`. `parallel` lets a one-off build compute the layout in a
    second process while the rest is linked here (where `forked.can_fork()`
    allows); `stats["layout_beside"]` then says whether it did (1 or 0).
    """
    papers = merge_papers(lib, diags, default_reader(lib))
    topics = dict(lib.topics)
    topics_declared = bool(topics)
    resolver = Resolver(papers)
    terms = glossary.term_index(lib.terms, diags)
    keys = _LazySuggestions(lambda: [*resolver.papers, *lib.bib])
    for paper in papers.values():
        _check_topics(paper, topics, topics_declared, diags)
        _check_papers(paper, resolver, lib, keys, diags)
        _check_terms(paper, lib, terms, diags)
        _check_readers(paper, lib, diags)
    check_duplicates(papers, diags)
    check_sessions(lib.sessions, papers, lib.readers, diags)
    links = compute_backlinks(papers, lib, resolver)
    # The layout is most of linking at thousands of notes, and only the graph and the
    # local graphs need it: what follows, up to them, runs meanwhile.
    pending = start_graph(papers, links, layouts, layout=layout, beside=parallel and can_fork())
    if stats is not None:
        stats["layout_beside"] = int(pending.beside)
    try:
        slugs = sorted(topics)
        orders = reading_orders(papers, slugs, links.cites, diags, resolver.resolve)
        read_next = rank_suggestions(links.cited_by, links.external, papers)
        code = link_code(papers, lib.code_modules, settings, diags)
        listing = listing_order(papers.values())
        order = {p.id: i for i, p in enumerate(listing)}
        # People are made from every spelling of a name; each paper's authors then
        # name the person they belong to (the listing order does not change).
        people, papers = merge_authors(papers, lib.author_aliases, order, diags)
        listing = tuple(papers[p.id] for p in listing)
        timeline = build_timeline(papers.values())
        graph = pending.graph()
    except BaseException:  # an error here, or Ctrl-C: the layout is not wanted
        pending.discard()
        raise
    return LinkedLibrary(
        papers=papers,
        topics=topics,
        terms=lib.terms,
        readers=lib.readers,
        sessions=lib.sessions,
        bib=lib.bib,
        arxiv=lib.arxiv,
        code_modules=lib.code_modules,
        author_aliases=lib.author_aliases,
        listing=listing,
        cited_by=links.cited_by,
        related_to=links.related_to,
        cites_resolved=links.cites,
        external=links.external,
        code_refs=code.refs,
        module_papers=code.module_papers,
        graph=graph,
        local_graphs=local_graphs(graph, papers, settings.graph_depth),
        reading_order=orders,
        read_next=read_next,
        read_next_by_topic=suggestions_by_topic(read_next, papers, slugs),
        people=people,
        timeline=timeline,
        stats=compute_stats(papers.values(), topics, timeline),
        term_users=glossary.term_users(listing, terms),
    )


def _check_topics(
    paper: Paper, topics: dict[str, Topic], declared: bool, diags: Diagnostics
) -> None:
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


class _LazySuggestions:
    """Suggestions over every note id and BibTeX key, indexed on the first unknown reference."""

    def __init__(self, choices: Callable[[], list[str]]) -> None:
        self._choices = choices
        self._suggest: Suggestions | None = None

    def __call__(self, word: str) -> str:
        if self._suggest is None:
            self._suggest = Suggestions(self._choices())
        return self._suggest(word)


def _check_papers(
    paper: Paper, resolver: Resolver, lib: LoadedLibrary, keys: _LazySuggestions, diags: Diagnostics
) -> None:
    for field in ("cites", "related"):
        for i, ref in enumerate(getattr(paper, field)):
            if resolver.is_note(ref) or ref in lib.bib:
                continue
            loc = paper.where(f"{field}/{i}")
            hint = keys(ref) or "name a note's id or a BibTeX key"
            diags.error(
                loc.path,
                loc.line,
                loc.col,
                "PL201",
                f"'{field}' names '{ref}', which is neither a note nor a BibTeX key",
                hint,
            )


def _check_terms(
    paper: Paper, lib: LoadedLibrary, known: dict[str, str], diags: Diagnostics
) -> None:
    for i, term in enumerate(paper.terms):
        if term.lower() in known:
            continue
        loc = paper.where(f"terms/{i}")
        hint = did_you_mean(term, list(lib.terms)) or "define it in glossary.yaml"
        diags.error(loc.path, loc.line, loc.col, "PL203", f"unknown glossary term '{term}'", hint)


def term_index(lib: LoadedLibrary | LinkedLibrary) -> dict[str, str]:
    """Every way to name a term (slug, name, alias; lower case) -> its slug."""
    return glossary.term_index(lib.terms)


def _check_readers(paper: Paper, lib: LoadedLibrary, diags: Diagnostics) -> None:
    if not lib.readers:
        return  # a personal site has no readers.yaml; names are then free text
    names = [(f"readers/{i}", r) for i, r in enumerate(paper.readers)]
    names += [(f"log/{e.index}/reader", e.reader) for e in paper.log if e.reader]
    names += [(f"by/{n.reader}", n.reader) for n in paper.by]
    for key, reader in names:
        if reader in lib.readers:
            continue
        loc = paper.where(key)
        diags.error(
            loc.path,
            loc.line,
            loc.col,
            "PL204",
            f"unknown reader '{reader}'",
            did_you_mean(reader, lib.readers) or "add them to readers.yaml",
        )
