"""A BibTeX entry for an arXiv record, as arXiv's own export writes one.

`@misc` with eprint, archivePrefix and primaryClass is what biblatex and
natbib styles know how to print as a preprint; a journal reference or DOI,
when arXiv has one, is kept too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..bibtex_write import escape_text, format_entry


def entry_for_record(key: str, record: Mapping[str, Any]) -> str:
    """The entry text for one cache record, ready to append to a .bib file."""
    names = [escape_text(str(n)) for n in record.get("authors") or []]
    published = str(record.get("published") or "")
    fields = {
        "title": escape_text(str(record.get("title") or "")),
        # BibTeX splits "First von Last" itself; " and " separates people.
        "author": " and ".join(names),
        "year": published[:4] if published[:4].isdigit() else "",
        "eprint": escape_text(str(record.get("id") or "")),
        "archiveprefix": "arXiv",
        # Every value from arXiv is text to escape, even a category (a server could send anything).
        "primaryclass": escape_text(str(record.get("primary_category") or "")),
        "doi": escape_text(str(record.get("doi") or "")),
        "note": escape_text(str(record.get("journal_ref") or "")),
        "url": f"https://arxiv.org/abs/{record.get('id')}",
    }
    return format_entry(key, "misc", fields)
