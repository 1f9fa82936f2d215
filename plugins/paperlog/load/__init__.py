"""The load layer: read the user's files into a `LoadedLibrary`, collecting problems.

Nothing here imports MkDocs; the adapters call `load_library`.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostics
from ..model import LoadedLibrary, Paper
from ..settings import Settings
from .arxivcache import load_arxiv_cache
from .bibtex import BibCache, load_bibliography
from .code import CodeCache, load_code
from .notes import NoteCache, load_note, walk_notes
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


def load_library(
    settings: Settings, diags: Diagnostics, caches: LoadCaches | None = None
) -> LoadedLibrary:
    """Read every note and site file under settings.notes_dir.

    `caches` (kept by a `mkdocs serve` session) hands back what an earlier build
    parsed from files whose content is the same; without it everything is parsed.
    """
    caches = caches or LoadCaches()
    papers: dict[str, Paper] = {}
    notes_dir = settings.notes_dir
    for option, written in settings.refused:
        diags.error(
            written,
            0,
            0,
            "PL600",
            f"`{option}`: '{written}' leads outside the site folder ('..', an absolute path or a symbolic link); it is not read",
            "keep notes, .bib files, code and the arXiv cache inside the folder of mkdocs.yml",
        )
    if any(option == "notes_dir" for option, _ in settings.refused):
        return LoadedLibrary()
    if not notes_dir.is_dir():
        diags.error(
            settings.rel(notes_dir),
            0,
            0,
            "PL100",
            f"notes folder '{settings.rel(notes_dir)}' does not exist",
            "create it, or set the plugin option notes_dir",
        )
        return LoadedLibrary()
    first_file: dict[str, Paper] = {}
    # A note's name as shown: that of the notes folder and the names below it
    # (what `settings.rel` gives, without its per-file path arithmetic).
    prefix = settings.rel(notes_dir)
    plain = not Path(prefix).is_absolute() and Path(prefix).as_posix() == prefix
    for found in walk_notes(notes_dir, exclude=settings.code_dirs):
        if plain and not found.is_link:
            rel = "/".join((prefix, *found.parts)) if prefix != "." else "/".join(found.parts)
        else:
            rel = settings.rel(found.path, resolved=found.resolved)
        if found.is_link and _links_out(found.path, notes_dir, rel, diags):
            continue
        paper = load_note(found.os_path, rel, notes_dir, diags, caches.notes)
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
        papers[paper.id] = paper
    site = {
        name: notes_dir / f"{name}.yaml"
        for name in ("topics", "glossary", "readers", "sessions", "authors")
    }
    # A site file that is a link out of the notes folder is read as absent.
    site = {
        name: path
        if not _links_out(path, notes_dir, settings.rel(path), diags)
        else notes_dir / f".{name}.refused"
        for name, path in site.items()
    }
    cache = settings.arxiv_cache
    return LoadedLibrary(
        papers=papers,
        topics=load_topics(site["topics"], settings.rel(site["topics"]), diags),
        terms=load_glossary(site["glossary"], settings.rel(site["glossary"]), diags),
        readers=load_readers(site["readers"], settings.rel(site["readers"]), diags),
        bib=load_bibliography(settings, diags, caches.bib),
        code_modules=load_code(settings, diags, caches.code),
        sessions=load_sessions(site["sessions"], settings.rel(site["sessions"]), diags),
        author_aliases=load_author_aliases(site["authors"], settings.rel(site["authors"]), diags),
        arxiv=load_arxiv_cache(cache, settings.rel(cache) if cache else "", diags, caches.extra),
    )


def _links_out(path: Path, root: Path, rel: str, diags: Diagnostics) -> bool:
    """True (with a diagnostic) for a symbolic link that leads outside `root`."""
    if not path.is_symlink() or path.resolve().is_relative_to(root.resolve()):
        return False
    diags.error(
        rel,
        0,
        0,
        "PL100",
        f"'{rel}' is a symbolic link to a file outside the notes folder; it is not read",
        "copy the file into the notes folder instead of linking to it",
    )
    return True
