"""Keep a processor out of a conversion whose text cannot trigger it.

Python-Markdown tries every inline pattern on every piece of text of a page and
asks every block processor about every block. Math needs a `$` (or `\\(`, `\\[`)
and a citation an `@`, and most pages (listings, author and topic pages) hold
neither: there our processors are not in the page's Markdown instance at all,
which spares Python-Markdown a call per text or block.

The decision is made by one preprocessor that runs after all the others, on
the text the block parser will read and on the Markdown inside HTML blocks
that md_in_html set aside (it parses that later): every block and text a
processor is ever given is cut out of those, so a marker absent from both is
absent from all of them. A gated processor is registered, at its priority,
by the first conversion that needs it, and taken out again by the next one
that does not (MkDocs gives each page a new instance; mkdocstrings converts
many docstrings with one). Registered that late, it comes after any other
processor of exactly the same priority, whenever that one was registered.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from markdown.util import Registry

NAME = "paperlog-gate"
PRIORITY = -1000
"""Below every preprocessor Python-Markdown, pymdownx and MkDocs register: it sees the final text."""


@functools.cache
def _search(marker: str) -> Callable[[str], re.Match[str] | None]:
    # For two characters the regex engine is about three times as fast as `in`.
    return re.compile(re.escape(marker)).search


@functools.cache
def _marker_order(markers: frozenset[str]) -> tuple[str, ...]:
    """Every marker and the first character of each, single characters first."""
    return tuple(sorted(markers | {m[0] for m in markers}, key=lambda m: (len(m), m)))


class _Gated:
    __slots__ = ("item", "markers", "name", "priority", "registered", "registry")

    def __init__(
        self,
        registry: Registry[Any],
        item: Any,
        name: str,
        priority: float,
        markers: frozenset[str],
    ) -> None:
        self.registry, self.item, self.name, self.priority, self.markers = (
            registry,
            item,
            name,
            priority,
            markers,
        )
        self.registered = False


class Gate(Preprocessor):
    """Registers each gated processor for a conversion only when one of its markers is in the text."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.gated: list[_Gated] = []
        self._markers: tuple[str, ...] | None = None
        """`_marker_order` of the gated processors' markers; None until the first run
        after an `add` (MkDocs makes a Markdown instance, and so a gate, per page)."""

    def add(self, gated: _Gated) -> None:
        self.gated = [
            g for g in self.gated if g.name != gated.name or g.registry is not gated.registry
        ]
        self.gated.append(gated)
        self._markers = None

    def run(self, lines: list[str]) -> list[str]:
        parts = ["\n".join(lines)]
        for stashed in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(stashed, etree.Element):  # md_in_html: Markdown it parses later
                parts.extend(stashed.itertext())
                if stashed.tail:
                    parts.append(stashed.tail)
        # Joined by a line break: no marker is made of two parts.
        text = parts[0] if len(parts) == 1 else "\n".join(parts)
        markers = self._markers
        if markers is None:
            markers = self._markers = _marker_order(
                frozenset().union(*(g.markers for g in self.gated))
            )
        found: set[str] = set()
        for marker in markers:
            if len(marker) == 1:
                if marker in text:
                    found.add(marker)
            elif marker[0] in found and _search(marker)(text) is not None:
                found.add(marker)  # most pages lack the first character, found much faster
        for gated in self.gated:
            registry = gated.registry
            if not found.isdisjoint(gated.markers):
                if gated.name not in registry:
                    registry.register(gated.item, gated.name, gated.priority)
                gated.registered = True
            elif gated.registered:
                if gated.name in registry:
                    registry.deregister(gated.name)
                gated.registered = False
        return lines


def register_gated(
    md: Markdown,
    registry: Registry[Any],
    item: Any,
    name: str,
    priority: float,
    markers: tuple[str, ...],
) -> None:
    """Have `item` registered in `registry` at `priority` for the conversions whose text holds
    one of `markers` (each conversion decides for itself)."""
    gate = md.preprocessors[NAME] if NAME in md.preprocessors else None  # noqa: SIM401 (a Registry has no get)
    if not isinstance(gate, Gate):
        gate = Gate(md)
        md.preprocessors.register(gate, NAME, PRIORITY)
    gate.add(_Gated(registry, item, name, priority, frozenset(markers)))
