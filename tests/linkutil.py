"""Builders for link-layer unit tests: small libraries without files on disk."""

from __future__ import annotations

from pathlib import Path

from paperlog.diagnostics import Diagnostics
from paperlog.link import LayoutCache, link_library
from paperlog.model import BibEntry, LinkedLibrary, LoadedLibrary, Location, Paper, Topic
from paperlog.settings import Settings


def paper(pid: str, **fields: object) -> Paper:
    """A note with a title, and locations for its `cites` entries (line = 10 + index)."""
    fields.setdefault("title", f"Title of {pid}")
    locations = {
        f"cites/{i}": Location(f"notes/{pid}.yaml", 10 + i, 5)
        for i, _ in enumerate(fields.get("cites", ()))
    }
    return Paper(id=pid, source=f"notes/{pid}.yaml", locations=locations, **fields)  # type: ignore[arg-type]


def bib(key: str, title: str = "", year: str = "", **extra: str) -> BibEntry:
    fields = {"title": title, **({"year": year} if year else {}), **extra}
    return BibEntry(key=key, entry_type="article", fields=fields, source="refs.bib", line=1)


def linked(
    papers: list[Paper],
    bibs: list[BibEntry] = (),  # type: ignore[assignment]
    topics: list[str] = (),  # type: ignore[assignment]
    depth: int = 1,
) -> tuple[LinkedLibrary, Diagnostics]:
    lib = LoadedLibrary(
        papers={p.id: p for p in papers},
        bib={b.key: b for b in bibs},
        topics={t: Topic(t, t.title()) for t in topics},
    )
    settings = Settings(root=Path("/site"), notes_dir=Path("/site/notes"), graph_depth=depth)
    diags = Diagnostics()
    return link_library(lib, settings, diags, LayoutCache()), diags
