"""`$...$` and `$$...$$` math rendered to MathML when the page is built.

Browsers display MathML natively, so pages need no script and no CDN. The
syntax follows pymdownx.arithmatex: inline `$x$` or `\\(x\\)` (a `$` followed
by a space or a digit after the closing `$` is not math, so "$5 and $6" stays
text); display `$$...$$` or `\\[...\\]` as its own block.

Enable it with `markdown_extensions: [paperlog.markdown.math]`; the paperlog
plugin adds it unless the site already uses pymdownx.arithmatex.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from latex2mathml.converter import convert
from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

INLINE_DOLLAR = r"(?<![\\$])\$(?![\s$])((?:\\.|[^\\$\n])+?)(?<!\s)\$(?![0-9$])"
INLINE_PAREN = r"(?<!\\)\\\((.+?)(?<!\\)\\\)"
_BLOCK = re.compile(r"^\s*(?:\$\$(?P<d>.+?)\$\$|\\\[(?P<b>.+?)\\\])\s*$", re.S)


def to_mathml(latex: str, display: bool) -> str:
    """MathML for a LaTeX formula; the formula as code when it cannot be converted."""
    try:
        return convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds of errors on bad input
        tag = "pre" if display else "code"
        return f'<{tag} class="pl-math-error" title="Formula could not be rendered">{html.escape(latex)}</{tag}>'


class _InlineMath(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str):  # type: ignore[no-untyped-def]
        placeholder = self.md.htmlStash.store(to_mathml(m.group(1), display=False))
        return placeholder, m.start(0), m.end(0)


class _BlockMath(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_BLOCK.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0)
        m = _BLOCK.match(block)
        assert m is not None
        latex = m.group("d") if m.group("d") is not None else m.group("b")
        div = etree.SubElement(parent, "div")
        div.set("class", "pl-math")
        div.text = self.parser.md.htmlStash.store(to_mathml(latex, display=True))
        return True


class MathExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.ESCAPED_CHARS.append("$")
        md.inlinePatterns.register(_InlineMath(INLINE_DOLLAR, md), "paperlog-math-dollar", 185)
        md.inlinePatterns.register(_InlineMath(INLINE_PAREN, md), "paperlog-math-paren", 184)
        md.parser.blockprocessors.register(_BlockMath(md.parser), "paperlog-math-block", 185)


def makeExtension(**kwargs: object) -> MathExtension:
    return MathExtension(**kwargs)
