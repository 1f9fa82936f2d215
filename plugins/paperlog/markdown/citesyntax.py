"""Pandoc citation syntax: `[@key]`, `[see @a, p. 3; -@b]`, and in-text `@key`.

Shared by the Markdown extension (which renders citations) and the scanner
that finds, before any page is rendered, which hand-written pages cite which
keys (for the "Cited in" section of paper pages).
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass

# A key starts with a letter, digit or '_' and may hold internal punctuation
# (`DBLP:journals/corr/abs-1706-03762`), as in Pandoc; `@{...}` takes anything.
KEY = r"(?:\{[^{}\s]+\}|[\w](?:[\w:.#$%&+?~/-]*[\w])?)"
BRACKET = r"\[((?:[^\[\]\n]|\n(?!\s*\n))*?-?@(?:[^\[\]\n]|\n(?!\s*\n))*?)\](?![(\[:])"
"""`[...]` holding at least one `@`, not followed by `(` or `[` (that would be a link)."""
IN_TEXT = r"(?<![\w@.:/+\\`-])@(" + KEY + r")"
"""`@key` after a space or punctuation: never the `@` of an e-mail address."""

_ITEM = re.compile(
    r"^(?P<prefix>(?:.*?\s)?)(?P<suppress>-?)@(?P<key>" + KEY + r")(?P<suffix>.*)$", re.S
)
_BRACKET = re.compile(BRACKET)
_IN_TEXT = re.compile(IN_TEXT)


@dataclass(frozen=True)
class CiteItem:
    """One cited work inside a citation: `see @key, p. 3` -> prefix 'see', locator 'p. 3'."""

    key: str
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False


def clean_key(key: str) -> str:
    return key[1:-1] if key.startswith("{") and key.endswith("}") else key


def parse_group(inner: str) -> list[CiteItem] | None:
    """The items of a bracketed citation's inside, or None when it is not a citation."""
    items = _parse_group(inner)
    return list(items) if items is not None else None


def _parse_group(inner: str) -> tuple[CiteItem, ...] | None:
    items = []
    for part in inner.split(";"):
        m = _ITEM.match(part.strip())
        if m is None:
            return None
        suffix = " ".join(m.group("suffix").split())
        items.append(
            CiteItem(
                key=clean_key(m.group("key")),
                prefix=" ".join(m.group("prefix").split()),
                locator=suffix.lstrip(",").strip(),
                suppress_author=bool(m.group("suppress")),
            )
        )
    return tuple(items) or None


_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def scan_citations(markdown: str, known: Container[str]) -> Iterator[tuple[str, int]]:
    """(key, line) of every citation in a page's Markdown, outside code and comments.

    Bracketed citations count whatever their key (an unknown one is reported
    later); in-text `@key` only for known keys, as an `@name` may be anything.
    """
    for line_no, text in _prose_lines(markdown):
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
        taken = []
        for m in _BRACKET.finditer(text):
            items = parse_group(m.group(1))
            if items:
                taken.append((m.start(), m.end()))
                for item in items:
                    yield item.key, line_no
        for m in _IN_TEXT.finditer(text):
            if any(start <= m.start() < end for start, end in taken):
                continue
            key = clean_key(m.group(1))
            if key in known:
                yield key, line_no


def find_line(markdown: str, key: str) -> int:
    """The first line where `key` is cited in a page's Markdown (0 when not found)."""
    for cited, line in scan_citations(markdown, {key}):
        if cited == key:
            return line
    return 0


def _prose_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """Lines outside fenced code blocks, HTML comments blanked out.

    Indented text is kept: in Material sites it is far more often the body of
    an admonition or a tab than an indented code block.
    """
    markdown = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)
    fence = ""
    for number, line in enumerate(markdown.split("\n"), start=1):
        m = _FENCE.match(line)
        if fence:
            if m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence):
                fence = ""
            continue
        if m:
            fence = m.group("fence")
            continue
        yield number, line
