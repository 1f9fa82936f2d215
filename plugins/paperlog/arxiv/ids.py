"""arXiv identifiers in every form a user pastes them.

New style (since April 2007): `YYMM.NNNN` or `YYMM.NNNNN`, e.g. 1706.03762.
Old style: `archive[.SUBJECT]/YYMMNNN`, e.g. hep-th/9901001, math.GT/0309136.
Either may carry a version (`v2`), an `arXiv:` prefix, or come as an
arxiv.org abs/pdf URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]{2})?/\d{7}"
_ID = re.compile(rf"^(?P<bare>{_NEW}|{_OLD})(?:v(?P<version>[1-9]\d*))?$")
_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<rest>[^?#]+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)

EXAMPLES = "1706.03762, arXiv:2010.11929v2, hep-th/9901001 or https://arxiv.org/abs/1706.03762"


@dataclass(frozen=True, order=True)
class ArxivId:
    """A parsed arXiv id: the bare id (the cache's key) and an optional version."""

    bare: str
    version: int | None = None

    @property
    def query(self) -> str:
        """The id as sent to the API: with its version when one was asked for."""
        return f"{self.bare}v{self.version}" if self.version else self.bare

    def __str__(self) -> str:
        return self.query


def parse_arxiv_id(text: str) -> ArxivId | None:
    """The id in `text` (a bare id, `arXiv:` id, or abs/pdf URL), or None."""
    value = text.strip()
    match = _URL.match(value)
    if match:
        value = match.group("rest")
    elif value[:6].lower() == "arxiv:":
        value = value[6:].strip()
    found = _ID.match(value)
    if not found:
        return None
    version = found.group("version")
    return ArxivId(found.group("bare"), int(version) if version else None)


def split_versioned(short_id: str) -> tuple[str, int | None]:
    """'1706.03762v7' -> ('1706.03762', 7); ids arXiv returns always parse."""
    parsed = parse_arxiv_id(short_id)
    if parsed is None:
        return short_id, None
    return parsed.bare, parsed.version
