"""The arXiv cache: one JSON record per paper, keyed by the bare id.

The file (option `arxiv_cache`, default notes/arxiv.json) is a JSON object
with sorted keys, so it diffs well in git:

    {"1706.03762": {"id": "1706.03762", "version": 7, "title": "...",
                    "authors": ["Ashish Vaswani", ...], "published": "2017-06-12",
                    "updated": "2023-08-02", "summary": "...", "doi": "",
                    "journal_ref": "", "primary_category": "cs.CL",
                    "categories": ["cs.CL", "cs.LG"], "pdf_url": "...",
                    "abs_url": "...", "comment": "...", "fetched": "2026-...Z"}}

`link.metadata.arxiv_fields` reads these records; `load.arxivcache` checks them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .ids import split_versioned

REQUIRED_FIELDS: Mapping[str, type] = {
    "id": str,
    "title": str,
    "authors": list,
    "published": str,
}
"""Fields a record must have, with their JSON types (the rest are optional)."""

OPTIONAL_FIELDS: Mapping[str, type | tuple[type, ...]] = {
    "version": (int, type(None)),
    "updated": str,
    "summary": str,
    "doi": str,
    "journal_ref": str,
    "primary_category": str,
    "categories": list,
    "pdf_url": str,
    "abs_url": str,
    "comment": str,
    "fetched": str,
}


class CacheError(Exception):
    """The cache file exists but cannot be used; commands refuse to overwrite it."""


def _clean(text: str | None) -> str:
    # arXiv wraps titles and abstracts at fixed columns; the breaks mean nothing.
    return " ".join((text or "").split())


def _iso_date(value: dt.datetime | None) -> str:
    if value is None or value.year <= 1:
        return ""
    return value.date().isoformat()


def record_from_result(result: Any, fetched: dt.datetime | None = None) -> dict[str, Any]:
    """An `arxiv.Result` -> a cache record (plain JSON data)."""
    bare, version = split_versioned(result.get_short_id())
    versioned = f"{bare}v{version}" if version else bare
    stamp = (fetched or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    return {
        "id": bare,
        "version": version,
        "title": _clean(result.title),
        "authors": [_clean(a.name) for a in result.authors if _clean(a.name)],
        "published": _iso_date(result.published),
        "updated": _iso_date(result.updated),
        "summary": _clean(result.summary),
        "doi": _clean(result.doi),
        "journal_ref": _clean(result.journal_ref),
        "primary_category": result.primary_category or "",
        "categories": list(result.categories),
        "pdf_url": result.pdf_url or f"https://arxiv.org/pdf/{versioned}",
        "abs_url": f"https://arxiv.org/abs/{versioned}",
        "comment": _clean(result.comment),
        "fetched": stamp.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }


def record_problems(key: str, record: object) -> list[str]:
    """What is wrong with one cache record (empty when it is usable)."""
    if not isinstance(record, dict):
        return [f"the record for '{key}' is not a JSON object"]
    problems = []
    for name, kind in REQUIRED_FIELDS.items():
        if name not in record:
            problems.append(f"the record for '{key}' has no '{name}'")
        elif not isinstance(record[name], kind):
            problems.append(f"'{name}' of the record for '{key}' has the wrong type")
    for name, kinds in OPTIONAL_FIELDS.items():
        if name in record and record[name] is not None and not isinstance(record[name], kinds):
            problems.append(f"'{name}' of the record for '{key}' has the wrong type")
    if isinstance(record.get("authors"), list) and not all(
        isinstance(a, str) for a in record["authors"]
    ):
        problems.append(f"'authors' of the record for '{key}' must be a list of names")
    if isinstance(record.get("id"), str) and record["id"] != key:
        problems.append(f"the record stored under '{key}' has the id '{record['id']}'")
    return problems


def read_cache(path: Path) -> dict[str, dict[str, Any]]:
    """The cache's records for a command that will write it back.

    Raises CacheError when the file is unreadable or not a JSON object, so a
    command never replaces a file it could not understand.
    """
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CacheError(f"cannot read the arXiv cache {path}: {exc}") from None
    except RecursionError:
        raise CacheError(
            f"cannot read the arXiv cache {path}: nested too deeply to be records"
        ) from None
    if not isinstance(data, dict):
        raise CacheError(f"the arXiv cache {path} is not a JSON object of records")
    return data


def record_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[str]:
    """What a refresh changed, in words: new version, journal ref, DOI, title."""
    if old is None:
        return ["new record"]
    changes = []
    if old.get("version") != new.get("version"):
        changes.append(f"v{old.get('version') or '?'} -> v{new.get('version') or '?'}")
    for name, label in (("journal_ref", "journal ref"), ("doi", "DOI"), ("title", "title")):
        if (old.get(name) or "") != (new.get(name) or "") and new.get(name):
            changes.append(f"{label}: {new[name]}")
    return changes
