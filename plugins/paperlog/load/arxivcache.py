"""Load the arXiv cache (notes/arxiv.json) that `paperlog add`/`refresh` write.

The build reads only this file: it never asks arXiv. A corrupt file or record
is a diagnostic (PL401, PL402) with the line it stands on; the usable records
are still loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..arxiv.records import record_problems
from ..diagnostics import Diagnostics
from ..safety import control_characters, strip_controls

_HINT = "run `paperlog refresh --all` to fetch the records again, or restore the file from git"


def load_arxiv_cache(
    path: Path | None,
    rel: str,
    diags: Diagnostics,
    memo: dict[str, object] | None = None,
) -> dict[str, Mapping[str, Any]]:
    """Records by bare id; an absent file is an empty cache, not a problem."""
    if path is None or not path.is_file():
        return {}
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(rel, 0, 0, "PL401", f"cannot read the arXiv cache: {exc.strerror or exc}")
        return {}
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    key = f"arxiv:{rel}"
    if memo is not None:
        found = memo.get(key)
        if isinstance(found, tuple) and found[0] == digest:
            diags.extend(found[2])
            return dict(found[1])
    local = Diagnostics()
    records = _parse(data, rel, local)
    if memo is not None:
        memo[key] = (digest, records, tuple(local.sorted()))
    diags.extend(local.sorted())
    return records


def _parse(data: bytes, rel: str, diags: Diagnostics) -> dict[str, Mapping[str, Any]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        diags.error(
            rel,
            1,
            1,
            "PL401",
            f"the arXiv cache is not UTF-8 text ({exc.reason} at byte {exc.start})",
            _HINT,
        )
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        diags.error(
            rel,
            exc.lineno,
            exc.colno,
            "PL401",
            f"the arXiv cache is not valid JSON: {exc.msg}",
            _HINT,
        )
        return {}
    except RecursionError:
        # json recurses once per level: '[[[[...' thousands deep exhausts the stack.
        diags.error(rel, 1, 1, "PL401", "the arXiv cache is nested too deeply to be records", _HINT)
        return {}
    if not isinstance(value, dict):
        diags.error(
            rel,
            1,
            1,
            "PL401",
            "the arXiv cache must be a JSON object of records keyed by arXiv id",
            _HINT,
        )
        return {}
    lines = text.splitlines()
    records: dict[str, Mapping[str, Any]] = {}
    for raw_id, raw_record in value.items():
        found: list[str] = []
        arxiv_id, record = _clean(raw_id, found), _clean(raw_record, found)
        if found:
            line, col = _key_position(lines, raw_id)
            names = ", ".join(dict.fromkeys(found))
            diags.warning(
                rel,
                line,
                col,
                "PL404",
                f"the record for '{arxiv_id}' holds invisible control characters ({names}); they were removed",
                _HINT,
            )
        problems = record_problems(arxiv_id, record)
        if problems:
            line, col = _key_position(lines, raw_id)
            diags.error(rel, line, col, "PL402", "; ".join(problems), _HINT)
            continue
        records[arxiv_id] = record
    return records


def _clean(value: Any, found: list[str]) -> Any:
    """`value` with control characters removed from every string in it."""
    if isinstance(value, str):
        names = control_characters(value)
        if not names:
            return value
        found.extend(names)
        return strip_controls(value)
    if isinstance(value, list):
        return [_clean(v, found) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v, found) for k, v in value.items()}
    return value


def _key_position(lines: list[str], key: str) -> tuple[int, int]:
    """Where `"key":` stands in the file (we write one key per line)."""
    pattern = re.compile(r"^(\s*)" + re.escape(json.dumps(key)) + r"\s*:")
    for number, line in enumerate(lines, 1):
        match = pattern.match(line)
        if match:
            return number, len(match.group(1)) + 1
    return 1, 1
