"""The load layer: read the user's files into a `Library`, collecting problems.

Nothing here imports MkDocs; the adapters call `load_library`.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Library, Paper
from ..settings import Settings
from .arxivcache import load_arxiv_cache
from .bibtex import BibCache, load_bibliography
from .code import CodeCache, load_code
from .notes import NoteCache, load_note, note_files
from .sessions import load_sessions
from .sitefiles import load_author_aliases, load_glossary, load_readers, load_topics

__all__ = ["LoadCaches", "load_library"]


class LoadCaches:
    """Caches that survive between builds of one `mkdocs serve` session."""

    def __init__(self) -> None:
        self.notes = NoteCache()
        self.bib = BibCache()
        self.code = CodeCache()
        self.extra: dict[str, object] = {}


def load_library(settings: Settings, diags: Diagnostics, caches: LoadCaches | None = None) -> Library:
    """Read every note and site file under settings.notes_dir."""
    caches = caches or LoadCaches()
    lib = Library()
    notes_dir = settings.notes_dir
    if not notes_dir.is_dir():
        diags.error(
            settings.rel(notes_dir),
            0,
            0,
            "PL100",
            f"notes folder '{settings.rel(notes_dir)}' does not exist",
            "create it, or set the plugin option notes_dir",
        )
        return lib
    first_file: dict[str, Paper] = {}
    for path, resolved in note_files(notes_dir, exclude=settings.code_dirs):
        rel = settings.rel(path, resolved=resolved)
        paper = load_note(path, rel, notes_dir, diags, caches.notes)
        if paper is None:
            continue
        if paper.id in first_file:
            other = first_file[paper.id]
            loc = paper.where("id")
            diags.error(
                rel,
                loc.line,
                loc.col,
                "PL106",
                f"two notes have the id '{paper.id}': {other.source} and {rel}",
                "rename one file, or give one an explicit `id:`",
            )
            continue
        first_file[paper.id] = paper
        lib.papers[paper.id] = paper
    lib.topics = load_topics(notes_dir / "topics.yaml", settings.rel(notes_dir / "topics.yaml"), diags)
    lib.terms = load_glossary(notes_dir / "glossary.yaml", settings.rel(notes_dir / "glossary.yaml"), diags)
    lib.readers = load_readers(notes_dir / "readers.yaml", settings.rel(notes_dir / "readers.yaml"), diags)
    lib.bib = load_bibliography(settings, diags, caches.bib)
    lib.code_modules = load_code(settings, diags, caches.code)
    lib.sessions = load_sessions(notes_dir / "sessions.yaml", settings.rel(notes_dir / "sessions.yaml"), diags)
    lib.author_aliases = load_author_aliases(notes_dir / "authors.yaml", settings.rel(notes_dir / "authors.yaml"), diags)
    cache = settings.arxiv_cache
    lib.arxiv = load_arxiv_cache(cache, settings.rel(cache) if cache else "", diags, caches.extra)
    return lib
