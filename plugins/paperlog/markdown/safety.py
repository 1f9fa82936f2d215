"""Links that Markdown itself makes never run script.

Markdown links any destination: `[x](javascript:alert(1))`, a reference
definition `[r]: data:text/html,...`, an entity-encoded `javascript&#58;`,
and attr_list can set `href` or `onclick` on any element. This tree
processor runs after attr_list (priority 8) on every page and removes URL
attributes whose scheme is not http, https or mailto (relative URLs stay)
and every event-handler attribute. Raw HTML is not in the tree: paperlog's
`allow_html: false` escapes it in note Markdown before Markdown sees it.

The paperlog plugin adds this extension to every site, whatever its
`markdown_extensions` option says; for another generator fed by
`paperlog render --out`, add `paperlog.markdown.safety` to its extensions.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from ..safety import is_safe_url

URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "srcset",
        "action",
        "formaction",
        "poster",
        "cite",
        "data",
        "background",
        "xlink:href",
        "ping",
    }
)
"""Attributes a browser follows or loads as a URL."""
_DROPPED = frozenset({"srcdoc"})


# Attribute names (as written, lower case) that are neither event handlers,
# nor dropped, nor URLs: an element that has only these is safe without a
# closer look, which is most elements of a page (a set test in C).
_INERT = frozenset(
    {
        "class",
        "id",
        "title",
        "alt",
        "name",
        "lang",
        "dir",
        "style",
        "width",
        "height",
        "align",
        "colspan",
        "rowspan",
        "type",
        "value",
        "rel",
        "target",
        "role",
        "tabindex",
        "hidden",
        "loading",
        "markdown",
        "start",
        "for",
        "data-linenos",
        "aria-label",
        "aria-hidden",
        "checked",
        # paperlog's own markers and pymdownx.tabbed's
        "data-pl-cite",
        "data-pl-table",
        "data-tabs",
    }
)
_INERT_LINK = _INERT | {"href"}
assert not any(n.startswith("on") or n in URL_ATTRIBUTES or n in _DROPPED for n in _INERT)


def unsafe_attributes(element: etree.Element) -> list[str]:
    """The attributes of `element` that could run script."""
    attrib = element.attrib
    if _INERT.issuperset(attrib):
        return []
    bad = []
    for name, value in attrib.items():
        if name in _INERT:
            continue
        lower = name.lower()
        if lower.startswith("on") or lower in _DROPPED:
            bad.append(name)
        elif lower in URL_ATTRIBUTES:
            if lower == "srcset":
                if not all(is_safe_url(part) for part in _urls(lower, value)):
                    bad.append(name)
            elif not is_safe_url(value):
                bad.append(name)
    return bad


def _urls(name: str, value: str) -> list[str]:
    if name == "srcset":
        # "a.png 1x, b.png 2x": every candidate's URL counts.
        return [
            candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()
        ]
    return [value]


class SafeLinks(Treeprocessor):
    """Remove script URLs and event handlers from every element of the page.

    A link or image whose URL is refused becomes plain text (a `span`; an
    image shows its alt text): MkDocs expects every `a` to have an href and
    every `img` a src.
    """

    def run(self, root: etree.Element) -> None:
        inert, link = _INERT, _INERT_LINK
        for element in root.iter():
            attrib = element.attrib
            if not attrib or inert.issuperset(attrib):  # most elements: nothing to check
                continue
            if link.issuperset(attrib) and is_safe_url(attrib["href"]):
                continue  # a link (its href is the one attribute outside the inert set)
            bad = unsafe_attributes(element)
            if not bad:
                continue
            for name in bad:
                del element.attrib[name]
            if element.tag == "a" and "href" in bad:
                element.tag = "span"
            elif element.tag == "img" and "src" in bad:
                alt = element.attrib.get("alt", "")
                element.attrib.clear()
                element.tag = "span"
                element.text = alt


class SafetyExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After attr_list (8) and toc (5), before the unescaping of code (0).
        md.treeprocessors.register(SafeLinks(md), "paperlog-safe-links", 1)


def makeExtension(**kwargs: object) -> SafetyExtension:
    return SafetyExtension(**kwargs)
