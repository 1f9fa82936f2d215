"""Keep a processor out of a conversion whose text cannot trigger it.

Python-Markdown tries every inline pattern on every piece of text of a page and
asks every block processor about every block. Math needs a `$` (or `\\(`, `\\[`)
and a citation an `@`, and most pages (listings, author and topic pages) hold
neither: there our processors are taken out of the page's Markdown instance
for that conversion, which spares Python-Markdown a call per text or block.

The decision is made by one preprocessor that runs after all the others, on
the text the block parser will read and on the Markdown inside HTML blocks
that md_in_html set aside (it parses that later): every block and text a
processor is ever given is cut out of those, so a marker absent from both is
absent from all of them. A processor taken out is registered again, at its
priority, by the next conversion that needs it (MkDocs gives each page a new
instance; mkdocstrings converts many docstrings with one).
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


@functools.lru_cache(maxsize=None)
def _search(marker: str) -> Callable[[str], re.Match[str] | None]:
    # For two characters the regex engine is about three times as fast as `in`.
    return re.compile(re.escape(marker)).search


class _Gated:
    __slots__ = ("item", "markers", "name", "priority", "registry")

    def __init__(self, registry: Registry[Any], item: Any, name: str, priority: float, markers: tuple[str, ...]) -> None:
        self.registry, self.item, self.name, self.priority, self.markers = registry, item, name, priority, markers


class Gate(Preprocessor):
    """Registers each gated processor for a conversion only when one of its markers is in the text."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.gated: list[_Gated] = []

    def run(self, lines: list[str]) -> list[str]:
        parts = ["\n".join(lines)]
        for stashed in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(stashed, etree.Element):  # md_in_html: Markdown it parses later
                parts.extend(stashed.itertext())
                if stashed.tail:
                    parts.append(stashed.tail)
        # Joined by a line break: no marker is made of two parts.
        text = parts[0] if len(parts) == 1 else "\n".join(parts)
        found: dict[str, bool] = {}

        def holds(marker: str) -> bool:
            hit = found.get(marker)
            if hit is None:
                if len(marker) == 1:
                    hit = marker in text
                else:  # most pages lack the first character, found much faster
                    hit = holds(marker[0]) and _search(marker)(text) is not None
                found[marker] = hit
            return hit

        for gated in self.gated:
            wanted = any(holds(marker) for marker in gated.markers)
            registry = gated.registry
            if wanted:
                if gated.name not in registry:
                    registry.register(gated.item, gated.name, gated.priority)
            elif gated.name in registry:
                registry.deregister(gated.name)
        return lines


def register_gated(
    md: Markdown, registry: Registry[Any], item: Any, name: str, priority: float, markers: tuple[str, ...]
) -> None:
    """Register `item` in `registry` as usual, and let the gate take it out of conversions
    whose text holds none of `markers`."""
    registry.register(item, name, priority)
    gate = md.preprocessors[NAME] if NAME in md.preprocessors else None
    if not isinstance(gate, Gate):
        gate = Gate(md)
        md.preprocessors.register(gate, NAME, PRIORITY)
    gate.gated = [g for g in gate.gated if g.name != name or g.registry is not registry]
    gate.gated.append(_Gated(registry, item, name, priority, markers))
