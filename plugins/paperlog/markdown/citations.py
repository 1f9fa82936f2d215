"""Pandoc citations in Markdown: `[@key]`, `[@a; @b]`, `[see @key, p. 3]`, `[-@key]`, `@key`.

While a page renders, each citation becomes a placeholder that carries what
was cited; once the whole page is HTML (docstrings rendered by mkdocstrings
included), `paperlog.render.citations.resolve_citations` turns placeholders
into links, numbers them in reading order and appends the References list.
That late pass is what makes numbering, the References list and links
relative to the page work wherever the citation was written.

The paperlog plugin registers this extension and tells it the known keys.
Used without the plugin (`markdown_extensions: [paperlog.markdown.citations]`)
it marks bracketed citations only, as it knows no keys for `@key`.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor

from .citesyntax import BRACKET, IN_TEXT, CiteItem, clean_key, parse_group
from .gate import register_gated

PLACEHOLDER_ATTR = "data-pl-cite"
PLACEHOLDER = re.compile(r'<span data-pl-cite="([^"]*)"></span>')
"""How a placeholder looks in the page's HTML (the attribute is HTML-escaped JSON)."""


class CitationRegistry:
    """What the extension needs to know about the site; filled by the plugin in on_files."""

    def __init__(self) -> None:
        self.known: frozenset[str] = frozenset()
        """Every key a citation may name: note ids and BibTeX keys."""


def placeholder(mode: str, items: list[CiteItem]) -> etree.Element:
    """A citation's placeholder: `mode` is 'p' (in brackets) or 't' (in the text)."""
    span = etree.Element("span")
    span.set(PLACEHOLDER_ATTR, _payload(mode, tuple(items)))
    return span


def _payload(mode: str, items: tuple[CiteItem, ...]) -> str:
    payload = {
        "m": mode,
        "i": [[i.key, i.prefix, i.locator, int(i.suppress_author)] for i in items],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def read_placeholder(payload: str) -> tuple[str, list[CiteItem]]:
    """The inverse of `placeholder` (given the attribute's unescaped value)."""
    data = json.loads(payload)
    return data["m"], [
        CiteItem(key, prefix, locator, bool(suppress))
        for key, prefix, locator, suppress in data["i"]
    ]


class _Bracketed(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str):
        items = parse_group(m.group(1))
        if items is None:
            return None, None, None
        return placeholder("p", items), m.start(0), m.end(0)


class _InText(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown | None, registry: CitationRegistry) -> None:
        super().__init__(pattern, md)
        self.registry = registry

    def handleMatch(self, m: re.Match[str], data: str):
        key = clean_key(m.group(1))
        if key not in self.registry.known:
            return None, None, None  # `@name` that is no key: leave it alone
        return placeholder("t", [CiteItem(key)]), m.start(0), m.end(0)


class CitationExtension(Extension):
    def __init__(self, registry: CitationRegistry | None = None, **kwargs: object) -> None:
        # Not a Markdown config option: those are coerced to booleans when their default is None.
        self.registry = registry or CitationRegistry()
        super().__init__(**kwargs)
        # Both patterns keep nothing of a page (the keys are read from the registry at each
        # match): one pair serves every page's Markdown instance (MkDocs makes one per page).
        self._bracketed = _Bracketed(BRACKET)
        self._in_text = _InText(IN_TEXT, None, self.registry)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # `\@key` stays text.
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")
        # Before links (160) so `[@key]` is not read as a reference link; after
        # code spans (190) and escapes (180), so code is never touched. Only in the
        # conversions whose text has an `@` (see .gate).
        inline = md.inlinePatterns
        register_gated(md, inline, self._bracketed, "paperlog-cite", 175, ("@",))
        register_gated(md, inline, self._in_text, "paperlog-cite-intext", 100, ("@",))


def makeExtension(**kwargs: Any) -> CitationExtension:
    return CitationExtension(**kwargs)
