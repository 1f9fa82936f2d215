"""Metadata precedence: the note's own fields, then its BibTeX entry, then arXiv.

A conflict between sources is not an error: a note may override any field.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from ..diagnostics import Diagnostics, did_you_mean
from ..load.notes import split_name
from ..model import Author, BibEntry, LoadedLibrary, Paper

_ARXIV_VERSION = re.compile(r"v\d+$")
_ARXIV_IN_TEXT = re.compile(
    r"(?:arXiv:\s*|arxiv\.org/(?:abs|pdf)/)((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)",
    re.I,
)


def bare_arxiv_id(arxiv_id: str) -> str:
    """'arXiv:1706.03762v5' -> '1706.03762' (the cache's key)."""
    return _ARXIV_VERSION.sub("", arxiv_id.removeprefix("arXiv:").strip())


def bib_fields(entry: BibEntry) -> dict[str, object]:
    """Paper fields from a decoded BibTeX entry."""
    f = entry.fields
    out: dict[str, object] = {
        "title": f.get("title", ""),
        "authors": entry.authors,
        "venue": f.get("journal")
        or f.get("journaltitle")
        or f.get("booktitle")
        or f.get("howpublished")
        or f.get("school")
        or f.get("institution")
        or f.get("publisher")
        or "",
        "volume": f.get("volume", ""),
        "pages": f.get("pages", ""),
        "doi": f.get("doi", ""),
        "url": f.get("url", ""),
        "abstract": f.get("abstract", ""),
    }
    year = f.get("year") or f.get("date", "")[:4]
    if year and str(year)[:4].isdigit():
        out["year"] = int(str(year)[:4])
    arxiv = arxiv_id_of(f)
    if arxiv:
        out["arxiv"] = arxiv
    return out


def arxiv_id_of(f: Mapping[str, str]) -> str:
    """The arXiv id of an entry: `eprint` (BibTeX's archivePrefix or biblatex's eprinttype),
    else one written in `journal`, `note`, `url` or `howpublished` ('arXiv:1607.06450')."""
    eprint = f.get("eprint", "").strip()
    prefix = (f.get("archiveprefix") or f.get("eprinttype") or "arxiv").lower()
    if eprint and prefix == "arxiv":
        return eprint.removeprefix("arXiv:").removeprefix("arxiv:")
    for name in ("journal", "note", "url", "howpublished", "eprint"):
        m = _ARXIV_IN_TEXT.search(f.get(name, ""))
        if m:
            return m.group(1)
    return ""


def arxiv_fields(record: Mapping[str, object]) -> dict[str, object]:
    """Paper fields from a cached arXiv record (format: paperlog.arxiv.records)."""
    names = record.get("authors") or []
    published = str(record.get("published") or "")
    out: dict[str, object] = {
        "title": " ".join(str(record.get("title") or "").split()),
        "authors": tuple(split_name(str(n)) for n in names) if isinstance(names, list) else (),
        "doi": str(record.get("doi") or ""),
        "venue": str(record.get("journal_ref") or "") or "arXiv preprint",
        "abstract": str(record.get("summary") or ""),
    }
    if published[:4].isdigit():
        out["year"] = int(published[:4])
    return out


def merge_metadata(paper: Paper, lib: LoadedLibrary, diags: Diagnostics) -> Paper:
    """Fill the fields a note leaves empty from its BibTeX entry, then arXiv."""
    sources: list[dict[str, object]] = []
    entry = lib.bib.get(paper.bibkey or paper.id)
    if entry is not None:
        sources.append(bib_fields(entry))
    elif paper.bibkey:
        loc = paper.where("bibkey")
        hint = (
            did_you_mean(paper.bibkey, lib.bib)
            if lib.bib
            else "no .bib file was found: set the plugin option `bibliography`, or put one under notes_dir"
        )
        diags.warning(
            loc.path,
            loc.line,
            loc.col,
            "PL301",
            f"bibkey '{paper.bibkey}' is not in any .bib file",
            hint,
        )
    arxiv_id = paper.arxiv
    if not arxiv_id and entry is not None:
        arxiv_id = str(sources[0].get("arxiv", ""))
    if arxiv_id:
        record = lib.arxiv.get(bare_arxiv_id(arxiv_id))
        if record is not None:
            sources.append(arxiv_fields(record))
        else:
            loc = paper.where("arxiv") if paper.arxiv else paper.where("bibkey")
            diags.info(
                loc.path,
                loc.line,
                loc.col,
                "PL403",
                f"arXiv {arxiv_id} is not in the arXiv cache yet",
                "run `paperlog refresh` to fetch its metadata; the build itself never goes online",
            )
    changes: dict[str, Any] = {}
    for name in ("title", "authors", "year", "venue", "volume", "pages", "doi", "url", "abstract"):
        if getattr(paper, name):
            continue
        for source in sources:
            value = source.get(name)
            if value:
                changes[name] = value
                break
    if arxiv_id and not paper.arxiv:
        changes["arxiv"] = arxiv_id
    bare = bare_arxiv_id(arxiv_id) if arxiv_id else ""
    if bare:
        changes.setdefault("url", paper.url or f"https://arxiv.org/abs/{bare}")
        if not paper.pdf:
            changes["pdf"] = f"https://arxiv.org/pdf/{bare}"
    if entry is not None and not paper.bibkey:
        changes["bibkey"] = entry.key
    merged = dataclasses.replace(paper, **changes) if changes else paper
    if not merged.title:
        loc = paper.where("title")
        diags.warning(
            loc.path,
            loc.line,
            loc.col,
            "PL108",
            f"paper '{paper.id}' has no title",
            "add `title:`, or a `bibkey:`/`arxiv:` whose metadata has one",
        )
    return merged


def author_names(authors: tuple[Author, ...]) -> list[str]:
    return [a.name for a in authors]


def merge_papers(
    lib: LoadedLibrary, diags: Diagnostics, default_reader: str = ""
) -> dict[str, Paper]:
    """merge_metadata for every note, then the default reader for notes naming none."""
    merged: dict[str, Paper] = {}
    for pid, paper in lib.papers.items():
        out = merge_metadata(paper, lib, diags)
        if default_reader and not out.readers:
            out = dataclasses.replace(out, readers=(default_reader,))
        merged[pid] = out
    return merged
