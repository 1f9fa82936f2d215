"""`$...$` and `$$...$$` math rendered to MathML when the page is built.

Browsers display MathML natively, so pages need no script and no CDN. The
syntax follows pymdownx.arithmatex: inline `$x$` or `\\(x\\)` (a `$` followed
by a space or a digit after the closing `$` is not math, so "$5 and $6" stays
text); display `$$...$$` or `\\[...\\]` as its own block.

Enable it with `markdown_extensions: [paperlog.markdown.math]`; the paperlog
plugin adds it unless the site already uses pymdownx.arithmatex.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree

from latex2mathml.converter import convert
from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor

from ..safety import is_safe_url
from .gate import register_gated

INLINE_DOLLAR = r"(?<![\\$])\$(?![\s$])((?:\\.|[^\\$\n])+?)(?<!\s)\$(?![0-9$])"
INLINE_PAREN = r"(?<!\\)\\\((.+?)(?<!\\)\\\)"
_BLOCK = re.compile(r"^\s*(?:\$\$(?P<d>.+?)\$\$|\\\[(?P<b>.+?)\\\])\s*$", re.S)


MATHML_ELEMENTS = frozenset(
    [
        "math",
        "mi",
        "mn",
        "mo",
        "ms",
        "mspace",
        "mtext",
        "mrow",
        "mfrac",
        "msqrt",
        "mroot",
        "mstyle",
        "merror",
        "mpadded",
        "mphantom",
        "mfenced",
        "menclose",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mmultiscripts",
        "mprescripts",
        "none",
        "mtable",
        "mtr",
        "mtd",
        "mlabeledtr",
        "maligngroup",
        "malignmark",
        "maction",
        "semantics",
        "annotation",
    ]
)
MATHML_ATTRIBUTES = frozenset(
    [
        "accent",
        "accentunder",
        "align",
        "bevelled",
        "close",
        "columnalign",
        "columnlines",
        "columnspacing",
        "columnspan",
        "depth",
        "display",
        "displaystyle",
        "equalcolumns",
        "equalrows",
        "fence",
        "form",
        "frame",
        "framespacing",
        "height",
        "largeop",
        "linebreak",
        "linethickness",
        "lspace",
        "mathbackground",
        "mathcolor",
        "mathsize",
        "mathvariant",
        "maxsize",
        "minsize",
        "movablelimits",
        "notation",
        "open",
        "rowalign",
        "rowlines",
        "rowspacing",
        "rowspan",
        "rspace",
        "scriptlevel",
        "separator",
        "separators",
        "stretchy",
        "symmetric",
        "voffset",
        "width",
        "xmlns",
        "href",
    ]
)
"""What latex2mathml writes. Anything else in its output came from the formula's text."""
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*=\"[^\"<]*\")*)\s*(/?)>")
_ATTRIBUTE = re.compile(r"([A-Za-z_:][\w:.-]*)=\"([^\"<]*)\"")
_BARE_AMP = re.compile(r"&(?!#[0-9]+;|#x[0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")


# Pages repeat formulas, and latex2mathml takes about 0.2 ms a formula: at 1,000 notes this
# saves about 250 ms of a build (1,116 of 1,120 conversions are repeats).
@functools.lru_cache(maxsize=4096)
def to_mathml(latex: str, display: bool) -> str:
    """MathML for a LaTeX formula; the formula as code when it cannot be converted."""
    try:
        return safe_mathml(convert(latex.strip(), display="block" if display else "inline"))
    except Exception:  # latex2mathml raises many kinds of errors on bad input
        tag = "pre" if display else "code"
        return f'<{tag} class="pl-math-error" title="Formula could not be rendered">{html.escape(latex)}</{tag}>'


def _text(text: str) -> str:
    return _BARE_AMP.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def safe_mathml(mathml: str) -> str:
    """latex2mathml's output with nothing but MathML in it.

    A formula is data, but latex2mathml copies `\\text{...}` into its output
    unescaped and `\\href{...}` into an attribute: `<` that starts no tag is
    escaped here, attributes MathML does not have (and hrefs that are not
    http, https or mailto) are dropped, and a tag that is not MathML, or tags
    that do not nest, raise ValueError (the caller shows the formula as code).
    """
    out: list[str] = []
    open_tags: list[str] = []
    pos = 0
    for match in _TAG.finditer(mathml):
        out.append(_text(mathml[pos : match.start()]))
        pos = match.end()
        closing, name, attributes, empty = match.groups()
        if name not in MATHML_ELEMENTS:
            raise ValueError(f"<{name}> is not MathML")
        if closing:
            if not open_tags or open_tags.pop() != name:
                raise ValueError(f"</{name}> closes no open <{name}>")
            out.append(f"</{name}>")
            continue
        kept = [
            f' {key}="{value}"'
            for key, value in _ATTRIBUTE.findall(attributes)
            if key in MATHML_ATTRIBUTES and (key != "href" or is_safe_url(value))
        ]
        out.append(f"<{name}{''.join(kept)}{' /' if empty else ''}>")
        if not empty:
            open_tags.append(name)
    out.append(_text(mathml[pos:]))
    if open_tags:
        raise ValueError(f"<{open_tags[-1]}> is not closed")
    return "".join(out)


class _InlineMath(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str):
        placeholder = self.md.htmlStash.store(to_mathml(m.group(1), display=False))
        return placeholder, m.start(0), m.end(0)


class _BlockMath(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        # Asked of every block of every page: most hold neither `$$` nor `\\[`.
        return ("$$" in block or "\\[" in block) and bool(_BLOCK.match(block))

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
        # Each only in the conversions whose text can hold what it matches (see .gate).
        inline = md.inlinePatterns
        register_gated(
            md, inline, _InlineMath(INLINE_DOLLAR, md), "paperlog-math-dollar", 185, ("$",)
        )
        register_gated(
            md, inline, _InlineMath(INLINE_PAREN, md), "paperlog-math-paren", 184, ("\\(",)
        )
        blocks = md.parser.blockprocessors
        register_gated(md, blocks, _BlockMath(md.parser), "paperlog-math-block", 185, ("$$", "\\["))


def makeExtension(**kwargs: object) -> MathExtension:
    return MathExtension(**kwargs)
