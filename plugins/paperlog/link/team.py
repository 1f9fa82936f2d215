"""Checks for sites kept by several people: the same paper noted twice, meetings.

Two people on two branches can each add a note for the same paper under
different file names; git merges both without a conflict, so the check has to
happen here. Papers are compared after metadata merging, so an arXiv id or DOI
that comes from BibTeX counts too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from ..diagnostics import Diagnostics, Level, did_you_mean
from ..model import LoadedLibrary, Paper, Reader, Session
from .metadata import bare_arxiv_id

_NOT_WORD = re.compile(r"[\W_]+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)


def normalize_title(title: str) -> str:
    """A title reduced to what identifies it: NFKD, accents dropped, case-folded,
    punctuation and runs of whitespace collapsed to one space."""
    decomposed = unicodedata.normalize("NFKD", title)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", letters.casefold()).split())


def normalize_doi(doi: str) -> str:
    """DOIs are case-insensitive; a resolver prefix is not part of the DOI."""
    return _DOI_PREFIX.sub("", doi.strip()).casefold()


def _keys(paper: Paper) -> Iterable[tuple[str, str, str, str]]:
    """(kind, comparable key, shown value, note field) for each identity of a paper."""
    if paper.arxiv:
        yield (
            "arXiv id",
            bare_arxiv_id(paper.arxiv).casefold(),
            bare_arxiv_id(paper.arxiv),
            "arxiv",
        )
    if paper.doi:
        yield ("DOI", normalize_doi(paper.doi), paper.doi, "doi")
    title = normalize_title(paper.title)
    if title:
        yield ("title", title, paper.title, "title")


def _contradict(a: Paper, b: Paper) -> bool:
    """True when identifiers show two papers with one title are different works."""
    if (
        a.arxiv
        and b.arxiv
        and bare_arxiv_id(a.arxiv).casefold() != bare_arxiv_id(b.arxiv).casefold()
    ):
        return True
    return bool(a.doi and b.doi and normalize_doi(a.doi) != normalize_doi(b.doi))


def check_duplicates(papers: dict[str, Paper], diags: Diagnostics) -> None:
    """Report each note that describes a paper an earlier note already describes.

    A shared arXiv id or DOI is an error. A shared title alone is a warning
    (two works can share a title) and is not reported when their identifiers
    differ. The report stands in the later file (by path) and names both.
    """
    first: dict[tuple[str, str], Paper] = {}
    reported: set[tuple[str, str]] = set()
    for paper in sorted(papers.values(), key=lambda p: (p.source, p.id)):
        for kind, key, shown, field in _keys(paper):
            other = first.setdefault((kind, key), paper)
            if other is paper or (other.id, paper.id) in reported:
                continue
            if kind == "title" and _contradict(other, paper):
                continue
            reported.add((other.id, paper.id))
            loc = paper.where(field)
            level = Level.WARNING if kind == "title" else Level.ERROR
            diags.add(
                loc.path,
                loc.line,
                loc.col,
                "PL111",
                f"{other.source} and {paper.source} describe the same paper ({kind} {shown!r})",
                hint="keep one note per paper: merge the two files (per-reader notes go under `by:`)",
                level=level,
            )


def default_reader(lib: LoadedLibrary) -> str:
    """The default reader of readers.yaml ('' for none): notes naming no reader are theirs."""
    return next((r.id for r in lib.readers.values() if r.default), "")


def check_sessions(
    sessions: Iterable[Session],
    papers: Mapping[str, Paper],
    readers: Mapping[str, Reader],
    diags: Diagnostics,
) -> None:
    """Every meeting's papers are notes; its presenter is a reader (when readers.yaml exists)."""
    for session in sessions:
        for i, pid in enumerate(session.papers):
            if pid in papers:
                continue
            loc = session.where(f"papers/{i}")
            hint = did_you_mean(pid, papers) or "name a note's id (its file name without .yaml)"
            diags.error(
                loc.path,
                loc.line,
                loc.col,
                "PL643",
                f"meeting on {session.date.isoformat()} names an unknown paper '{pid}'",
                hint,
            )
        if session.presenter and readers and session.presenter not in readers:
            loc = session.where("presenter")
            hint = did_you_mean(session.presenter, readers) or "add them to readers.yaml"
            diags.error(
                loc.path,
                loc.line,
                loc.col,
                "PL644",
                f"presenter '{session.presenter}' is not in readers.yaml",
                hint,
            )
