"""Metadata precedence: the note's own fields, then its BibTeX entry, then arXiv.

A conflict between sources is not an error: a note may override any field.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from ..diagnostics import Diagnostic, Diagnostics, did_you_mean
from ..load.notes import split_name
from ..model import Author, BibEntry, Library, Paper
from .reuse import last_build_memo

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


def merge_metadata(paper: Paper, lib: Library, diags: Diagnostics) -> Paper:
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
    changes: dict[str, object] = {}
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


@dataclasses.dataclass(frozen=True)
class _Merged:
    """One note's merge and what it was computed from (compared by identity)."""

    paper: Paper
    entry: BibEntry | None
    default_reader: str
    arxiv_key: str
    record: object
    result: Paper
    diagnostics: tuple[Diagnostic, ...]


_LAST_MERGED: dict[str, _Merged] = last_build_memo({})
"""Note id -> its merge in the last build of this process (`mkdocs serve` rebuilds)."""


def merge_papers(lib: Library, diags: Diagnostics, default_reader: str = "") -> dict[str, Paper]:
    """merge_metadata for every note, then the default reader for notes naming none.

    A `mkdocs serve` rebuild re-reads only the notes that changed: the others come
    back from the load cache as the very same (immutable) objects, and so do
    unchanged BibTeX entries. A note whose note and entry are those of the last
    build, with the same arXiv record and default reader, gets the last result
    back (and its diagnostics again) instead of being merged anew. Notes whose
    `bibkey` names no entry are always merged: that warning's hint looks at
    every key of the .bib files.
    """
    merged: dict[str, Paper] = {}
    memo: dict[str, _Merged] = {}
    for pid, paper in lib.papers.items():
        entry = lib.bib.get(paper.bibkey or paper.id)
        last = _LAST_MERGED.get(pid)
        if (
            last is not None
            and last.paper is paper
            and last.entry is entry
            and last.default_reader == default_reader
            and lib.arxiv.get(last.arxiv_key) == last.record
        ):
            diags.extend(last.diagnostics)
            merged[pid] = last.result
            memo[pid] = last
            continue
        local = Diagnostics()
        out = merge_metadata(paper, lib, local)
        if default_reader and not out.readers:
            out = dataclasses.replace(out, readers=(default_reader,))
        found = tuple(local)
        diags.extend(found)
        merged[pid] = out
        if entry is not None or not paper.bibkey:
            key = _arxiv_key(paper, entry)
            memo[pid] = _Merged(paper, entry, default_reader, key, lib.arxiv.get(key), out, found)
    _LAST_MERGED.clear()
    _LAST_MERGED.update(memo)
    return merged


def _arxiv_key(paper: Paper, entry: BibEntry | None) -> str:
    """The arXiv cache key merge_metadata looks up for this note ('' for none)."""
    arxiv_id = paper.arxiv or (arxiv_id_of(entry.fields) if entry is not None else "")
    return bare_arxiv_id(arxiv_id) if arxiv_id else ""
