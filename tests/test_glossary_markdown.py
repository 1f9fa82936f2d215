"""The glossary-link treeprocessor (markdown/glossary.py) on real Python-Markdown output."""

from __future__ import annotations

import markdown
import pytest
from lxml import html as lxml_html

from paperlog.markdown.glossary import Glossary, GlossaryExtension, plain_text
from paperlog.markdown.math import MathExtension

NAMES = {
    "attention": "attention",
    "self-attention": "self-attention",
    "intra-attention": "self-attention",
    "multi-head attention": "mha",
    "c++": "cpp",
    "softmax": "softmax",
}
DEFINITIONS = {
    "attention": "Weighting values by *similarity*.",
    "self-attention": 'Attention of a sequence over itself, "quoted" & <b>bold</b>.',
    "mha": "Many heads.",
    "cpp": "A language.",
    "softmax": "Normalised exponentials.",
}


def render(
    text: str, scoped: bool = True, glossary: Glossary | None = None
) -> lxml_html.HtmlElement:
    gloss = glossary or Glossary.build(NAMES, DEFINITIONS)
    md = markdown.Markdown(
        extensions=[
            "md_in_html",
            "attr_list",
            "admonition",
            "pymdownx.superfences",
            MathExtension(),
            GlossaryExtension(lambda: gloss),
        ]
    )
    source = (
        f'<div data-pl-gloss="../glossary.md" markdown>\n\n{text}\n\n</div>' if scoped else text
    )
    return lxml_html.fragment_fromstring(md.convert(source), create_parent="body")


def links(root) -> list[tuple[str, str]]:
    return [(a.text, a.get("href")) for a in root.iter("a") if "pl-term" in (a.get("class") or "")]


# Markdown -> the (text, href) of the term links it gets.
CASES = [
    (
        "first mention only",
        "Attention here, attention there.",
        [("Attention", "../glossary.md#attention")],
    ),
    (
        "longest name first",
        "Multi-head attention uses attention.",
        [("Multi-head attention", "../glossary.md#mha"), ("attention", "../glossary.md#attention")],
    ),
    (
        "alias",
        "Intra-attention is self-attention.",
        [("Intra-attention", "../glossary.md#self-attention")],
    ),
    ("whole words only", "Attentional softmaxing, attentions.", []),
    ("names with symbols", "Written in C++, fast.", [("C++", "../glossary.md#cpp")]),
    ("not in code", "`attention` then attention", [("attention", "../glossary.md#attention")]),
    (
        "not in links",
        "[attention](https://x.org) then attention",
        [("attention", "../glossary.md#attention")],
    ),
    ("not in headings", "## Attention\n\nattention", [("attention", "../glossary.md#attention")]),
    ("not in math", "$softmax(x)$ and softmax", [("softmax", "../glossary.md#softmax")]),
    (
        "not in fenced code",
        "```\nattention\n```\n\nattention",
        [("attention", "../glossary.md#attention")],
    ),
    (
        "not in admonition titles",
        '!!! note "Attention"\n\n    softmax',
        [("softmax", "../glossary.md#softmax")],
    ),
    (
        "inside emphasis and lists",
        "- *attention* is\n- softmax",
        [("attention", "../glossary.md#attention"), ("softmax", "../glossary.md#softmax")],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_term_links(case, text, expected):
    assert links(render(text)) == expected


def test_raw_html_attributes_are_left_alone():
    root = render('<span title="attention">x</span> and attention')
    assert root.xpath("//span/@title") == ["attention"]
    assert links(root) == [("attention", "../glossary.md#attention")]


def test_text_around_links_is_kept_in_order():
    root = render("Before attention middle softmax after.")
    assert root.text_content().strip() == "Before attention middle softmax after."


def test_only_marked_parts_get_links_and_the_mark_is_removed():
    root = render("attention", scoped=False)
    assert links(root) == []
    scoped = render("attention")
    assert not scoped.xpath("//@data-pl-gloss")


def test_first_mention_counts_across_marked_parts():
    gloss = Glossary.build(NAMES, DEFINITIONS)
    md = markdown.Markdown(extensions=["md_in_html", GlossaryExtension(lambda: gloss)])
    out = md.convert(
        '<div data-pl-gloss="g.md" markdown>\n\nattention\n\n</div>\n\n<div data-pl-gloss="g.md" markdown>\n\nattention softmax\n\n</div>'
    )
    root = lxml_html.fragment_fromstring(out, create_parent="body")
    assert [a.text for a in root.iter("a")] == ["attention", "softmax"]


def test_tooltip_is_plain_text_escaped_in_the_attribute():
    root = render("self-attention")
    (a,) = root.iter("a")
    assert a.get("title") == 'Attention of a sequence over itself, "quoted" & bold.'
    assert a.get("class") == "pl-term"


def test_plain_text_keeps_formulas_without_dollars():
    assert (
        plain_text("Adding the input, $y = x + F(x)$, **back**.")
        == "Adding the input, y = x + F(x), back."
    )


def test_plain_text_truncates():
    assert plain_text("word " * 200).endswith("…")
    assert len(plain_text("word " * 200)) == 300


def test_no_glossary_does_nothing():
    root = render("attention", glossary=Glossary.build({}, {}))
    assert links(root) == []
