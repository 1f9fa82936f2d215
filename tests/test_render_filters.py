"""Escaping filters and URL helpers of the render layer, as tables."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from paperlog.render.environment import md_text, one_line, safe_url, to_json
from paperlog.render.urls import SiteUrls

EXTENSIONS = ["tables", "attr_list", "md_in_html", "paperlog.markdown.math"]


def render_inline(text: str) -> str:
    return markdown.markdown(str(md_text(text)), extensions=EXTENSIONS)


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("Attention Is All You Need", "Attention Is All You Need"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a *b* _c_ `d`", "a *b* _c_ `d`"),
        ("[link](http://x)", "[link](http://x)"),
        ("Costs $5 and $6", "Costs $5 and $6"),
        ("$x$ is math", "$x$ is math"),
        ("# not a heading", "# not a heading"),
        ("1. not a list", "1. not a list"),
        ("a | b", "a | b"),
        ('He said "hi" & left', "He said &quot;hi&quot; &amp; left"),
        ("\\(x\\)", "\\(x\\)"),
    ],
)
def test_md_text_shows_text_literally(text: str, visible: str) -> None:
    html = render_inline(text)
    paragraph = BeautifulSoup(html, "html.parser").p
    assert paragraph.find() is None, html  # no element: nothing became markup
    assert paragraph.get_text() == text
    assert html.replace("&#91;", "[").replace("&#93;", "]") == f"<p>{visible}</p>"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://arxiv.org/abs/1706.03762", True),
        ("http://example.org", True),
        ("mailto:ada@example.org", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("vbscript:x", False),
        ("https://example.org/a b", False),
        ("//evil.example", False),
        ("", False),
    ],
)
def test_safe_url(url: str, allowed: bool) -> None:
    assert (safe_url(url) != "") is allowed


def test_json_cannot_close_a_script_tag() -> None:
    text = str(to_json({"title": "</script><script>alert(1)</script>", "a": "&"}))
    assert "</script>" not in text and "<" not in text and "&" not in text


def test_one_line_flattens_and_replaces_quotes() -> None:
    assert str(one_line('Why "scale"\nby sqrt?')) == "Why \u201dscale\u201d by sqrt?"


@pytest.mark.parametrize(
    ("source", "target", "link"),
    [
        ("papers/a.md", "papers/b.md", "./b.md"),
        ("papers/a.md", "topics/t.md", "../topics/t.md"),
        ("papers.md", "papers/a:b.md", "./papers/a:b.md"),
        ("index.md", "papers.md", "./papers.md"),
        ("papers/a.md", "glossary.md#self-attention", "../glossary.md#self-attention"),
    ],
)
def test_relative_links_between_generated_pages(source: str, target: str, link: str) -> None:
    assert SiteUrls().relative(source, target) == link


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("papers/a.md", "papers/b.md"),
        ("a/b/c.md", "a/d/e.md"),
        ("a/b/c.md", "x.md"),
        ("x.md", "a/b/c.md"),
        ("a/b.md", "a/b/c.md"),
        ("a/b/c.md", "a/b.md"),
        ("index.md", "index.md"),
    ],
)
def test_relative_matches_posixpath(source: str, target: str) -> None:
    import posixpath

    expected = posixpath.relpath(target, posixpath.dirname(source) or ".")
    assert SiteUrls().relative(source, target).removeprefix("./") == expected
