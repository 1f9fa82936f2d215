"""Link the first mention of each glossary term to its entry, with the definition as a tooltip.

Works on Python-Markdown's element tree after inline parsing, inside the
elements a page marks with `data-pl-gloss="<link to the glossary page>"`
(paper pages mark the note's summary and passes). So it never looks inside
raw HTML, code, links, headings, math (stashed or in MathML), tab labels or
admonition titles, and never rewrites HTML text. The first mention on a page
wins, across all marked parts; matching is case-insensitive on whole words,
longest name first ('multi-head attention' before 'attention').

The link is written relative to the page's source (`../glossary.md#slug`),
so MkDocs checks and rewrites it like any other link; Material's
`content.tooltips` shows the `title` as a styled tooltip.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString

SCOPE_ATTR = "data-pl-gloss"
TOOLTIP_CHARS = 300
_SKIP_TAGS = frozenset(
    {
        "a",
        "code",
        "pre",
        "kbd",
        "samp",
        "script",
        "style",
        "math",
        "svg",
        "label",
        "summary",
        "abbr",
        "button",
        "time",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
_SKIP_CLASSES = frozenset(
    {"admonition-title", "arithmatex", "pl-math", "highlight", "katex", "MathJax"}
)
_PLACEHOLDER = re.compile(f"{STX}[^{ETX}]*{ETX}")
_MATH = re.compile(r"\$\$?([^$]+?)\$\$?")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(source: str, limit: int = TOOLTIP_CHARS) -> str:
    """A Markdown definition as one line of plain text, for a title attribute."""
    parser = _TextOnly()
    # A tooltip cannot show MathML: keep the formula's source, without its dollars.
    parser.feed(markdown.markdown(_MATH.sub(r"\1", source)))
    parser.close()
    text = " ".join("".join(parser.parts).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Glossary:
    """What the extension needs: a matcher over every name and each term's tooltip."""

    pattern: re.Pattern[str] | None
    slug_of: dict[str, str]
    tooltips: dict[str, str]
    finder: re.Pattern[str] | None = None
    """Finds every place `pattern` matches, and maybe more, much faster (see `_finder`)."""

    @classmethod
    def build(cls, names: dict[str, str], definitions: dict[str, str]) -> Glossary:
        """`names`: lower-case name or alias -> slug; `definitions`: slug -> Markdown."""
        usable = {n: s for n, s in names.items() if n.strip()}
        if not usable:
            return cls(None, {}, {})
        alternatives = "|".join(re.escape(n) for n in sorted(usable, key=lambda n: (-len(n), n)))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        tooltips = {slug: plain_text(text) for slug, text in definitions.items()}
        return cls(pattern, usable, tooltips, _finder(usable))

    def mentions(self, text: str) -> Iterable[re.Match[str]]:
        """Matches outside Python-Markdown's placeholders for stashed HTML and math."""
        if self.pattern is None:
            return
        if STX not in text:  # nothing stashed in this text (the usual case)
            yield from self._matches(text, 0, len(text))
            return
        start = 0
        for stash in [*_PLACEHOLDER.finditer(text), None]:
            end = stash.start() if stash else len(text)
            yield from self._matches(text, start, end)
            if stash:
                start = stash.end()

    def may_mention(self, text: str) -> bool:
        """False when `pattern` matches nowhere in `text`."""
        finder = self.finder or self.pattern
        return finder is not None and finder.search(text) is not None

    def _matches(self, text: str, start: int, end: int) -> Iterable[re.Match[str]]:
        """What `pattern.finditer(text, start, end)` finds.

        The finder proposes the places to try: every place `pattern` matches is
        one of them, so trying `pattern` there alone finds the same matches.
        """
        assert self.pattern is not None
        if self.finder is None:
            yield from self.pattern.finditer(text, start, end)
            return
        search, match, pos = self.finder.search, self.pattern.match, start
        while (found := search(text, pos, end)) is not None:
            at = found.start()
            m = match(text, at, end)  # the look-behind still sees text before `at`
            if m is None:
                pos = at + 1
                continue
            yield m
            pos = m.end()  # names are not empty: a match always moves on


def _finder(names: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern that matches, at least, wherever a name starts a word.

    The glossary's pattern tries each name in turn at every place of a text;
    this one holds the names as a tree of their common beginnings
    (`a(?:ttention|lignment)`), so a place costs about one comparison. It
    matches wherever the glossary's pattern does (the same names, the same
    case-insensitive comparison, the same look-behind), and may match where a
    name is followed by a letter.
    """
    tree: dict[str, dict] = {}
    for name in names:
        node = tree
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def alternatives(node: dict) -> str:
        branches = [
            re.escape(char) + alternatives(child) for char, child in sorted(node.items()) if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    try:
        return re.compile(rf"(?<!\w)(?:{alternatives(tree)})", re.IGNORECASE)
    except (RecursionError, re.error):  # a name thousands of characters long: no shortcut
        return None


class _ScopeSniffer(Preprocessor):
    """Notes whether the page's source marks any scope at all (most pages do not)."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.found = True

    def run(self, lines: list[str]) -> list[str]:
        self.found = SCOPE_ATTR in "\n".join(lines)
        return lines


class GlossaryTreeprocessor(Treeprocessor):
    def __init__(
        self,
        md: Markdown,
        source: Callable[[], Glossary | None],
        sniffer: _ScopeSniffer | None = None,
    ) -> None:
        super().__init__(md)
        self.source = source
        self.sniffer = sniffer

    def run(self, root: etree.Element) -> None:
        if self.sniffer is not None and not self.sniffer.found:
            return  # no element can carry the attribute: skip walking the page
        glossary = self.source()
        scopes = [el for el in root.iter() if SCOPE_ATTR in el.attrib]
        seen: set[str] = set()
        for scope in scopes:
            base = scope.attrib.pop(SCOPE_ATTR)
            if (
                glossary is not None
                and glossary.pattern is not None
                and base
                and _may_mention(glossary, scope)
            ):
                _Linker(glossary, base, seen).walk(scope)


def _may_mention(glossary: Glossary, scope: etree.Element) -> bool:
    """Whether any text in `scope` matches a name: one search instead of walking each text.

    Every text and tail inside the scope, skipped elements' included, joined
    by a line break: not a word character, so a name that matches within one
    text still matches in the joined text, and this holds whenever a walk
    would link something.
    """
    texts = []
    for el in scope.iter():
        if el.text:
            texts.append(el.text)
        if el.tail and el is not scope:
            texts.append(el.tail)
    return glossary.may_mention("\n".join(texts))


class _Linker:
    def __init__(self, glossary: Glossary, base: str, seen: set[str]) -> None:
        self.glossary = glossary
        self.base = base
        self.seen = seen

    def walk(self, el: etree.Element) -> None:
        if el.text:
            el.text = self._link(el.text, el, 0)
        children = list(el)
        if not children:
            return
        # Linking a tail inserts elements after its child: positions are
        # counted from the end, which insertions before them do not move.
        total = len(children)
        for n, child in enumerate(children):
            if not _skipped(child):
                self.walk(child)
            if child.tail:
                child.tail = self._link(child.tail, el, len(el) - (total - n - 1))

    def _link(self, text: str, parent: etree.Element, index: int) -> str:
        """Link first mentions in `text`; new elements go into `parent` at `index`. Returns the leading text."""
        pieces: list[etree.Element] = []
        lead, cursor = text, 0
        for match in self.glossary.mentions(text):
            slug = self.glossary.slug_of.get(match.group(0).lower())
            if slug is None or slug in self.seen:
                continue
            self.seen.add(slug)
            link = etree.Element("a", {"href": f"{self.base}#{slug}", "class": "pl-term"})
            if self.glossary.tooltips.get(slug):
                link.set("title", self.glossary.tooltips[slug])
            link.text = AtomicString(match.group(0))
            if pieces:
                pieces[-1].tail = text[cursor : match.start()]
            else:
                lead = text[: match.start()]
            pieces.append(link)
            cursor = match.end()
        if not pieces:
            return text
        pieces[-1].tail = text[cursor:]
        for offset, link in enumerate(pieces):
            parent.insert(index + offset, link)
        return lead


def _skipped(el: etree.Element) -> bool:
    if el.tag in _SKIP_TAGS:
        return True
    classes = el.get("class")
    return classes is not None and not _SKIP_CLASSES.isdisjoint(classes.split())


class GlossaryExtension(Extension):
    """Register with a callable that returns the current site's Glossary (None: do nothing)."""

    def __init__(self, source: Callable[[], Glossary | None], **kwargs: object) -> None:
        self.source = source
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # First of the preprocessors, on the page source as written.
        sniffer = _ScopeSniffer(md)
        md.preprocessors.register(sniffer, "paperlog-glossary-scopes", 100)
        # After inline parsing (20) and before MkDocs checks and rewrites links (relpath, 0).
        md.treeprocessors.register(
            GlossaryTreeprocessor(md, self.source, sniffer), "paperlog-glossary", 3
        )
