"""Escaping in each context, as tables: filters, Markdown safety, math.

The hostile site (test_hostile_site.py) proves the whole build; these pin
down each rule on its own, with the Markdown extensions the plugin enables.
"""

from __future__ import annotations

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from jinja2 import Environment

from hostile import HOSTILE, html_problems, url_scheme
from paperlog.markdown.math import to_mathml
from paperlog.render.environment import (
    escape_raw_html,
    html_attr,
    make_environment,
    md_code,
    to_json,
)
from paperlog.render.frontmatter import escape_front_matter
from paperlog.safety import control_characters, is_safe_url, strip_controls

EXTENSIONS = [
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "pymdownx.superfences",
    "paperlog.markdown.math",
    "paperlog.markdown.safety",
]


def render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.mark.parametrize(
    ("url", "scheme", "safe"),
    [
        ("https://arxiv.org/abs/1706.03762", "https", True),
        ("mailto:ada@example.org", "mailto", True),
        ("../papers/a/", "", True),
        ("#anchor", "", True),
        ("javascript:alert(1)", "javascript", False),
        (" JaVaScRiPt:alert(1)", "javascript", False),
        ("java\tscript:alert(1)", "javascript", False),
        ("java\nscript:alert(1)", "javascript", False),
        ("javascript&#58;alert(1)", "javascript", False),
        ("&#106;avascript:alert(1)", "javascript", False),
        ("\x00javascript:alert(1)", "javascript", False),
        ("data:text/html,<script>", "data", False),
        ("vbscript:msgbox(1)", "vbscript", False),
        (
            "j\u0430vascript:alert(1)",
            "",
            True,
        ),  # a Cyrillic a (U+0430): no scheme at all, a relative URL
        ("file:///etc/passwd", "file", False),
    ],
)
def test_url_schemes_as_a_browser_reads_them(url: str, scheme: str, safe: bool) -> None:
    assert url_scheme(url) == scheme
    assert is_safe_url(url) is safe


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](javascript&#58;alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](<java\tscript:alert(1)>)",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "[x][r]\n\n[r]: vbscript:msgbox(1)",
        '[x](https://example.org){ href="javascript:alert(1)" }',
        '*x*{ onclick="alert(1)" onmouseover="alert(2)" }',
    ],
)
def test_markdown_never_links_a_script(source: str) -> None:
    html = render(source)
    soup = BeautifulSoup(html, "html5lib")
    assert soup.select("a[href], img[src], [onclick], [onmouseover], [srcset]") == [], html
    assert "x" in soup.get_text()  # the link text stays, as text


def test_srcset_with_a_script_url_is_dropped() -> None:
    soup = BeautifulSoup(
        render('![x](https://example.org/a.png){ srcset="javascript:alert(1) 2x" }'), "html5lib"
    )
    assert soup.select_one("img").attrs == {"alt": "x", "src": "https://example.org/a.png"}


def test_safe_links_are_kept() -> None:
    soup = BeautifulSoup(
        render("[a](https://example.org) [b](../x/) [c](mailto:a@b.org) ![d](pic.png)"), "html5lib"
    )
    assert [a["href"] for a in soup.select("a")] == [
        "https://example.org",
        "../x/",
        "mailto:a@b.org",
    ]
    assert soup.select_one("img")["src"] == "pic.png"


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("plain", "<code>plain</code>"),
        ("x` [a](javascript:alert(1)) `", "<code>x` [a](javascript:alert(1)) `</code>"),
        ("``a`b", "<code>``a`b</code>"),
        ("<b onclick=x>|</b>", "<code>&lt;b onclick=x&gt;|&lt;/b&gt;</code>"),
        ("multi\nline", "<code>multi line</code>"),
    ],
)
def test_md_code_cannot_be_closed_from_inside(text: str, rendered: str) -> None:
    assert render(f"a {md_code(text)}") == f"<p>a {rendered}</p>"


@pytest.mark.parametrize("text", HOSTILE)
def test_front_matter_values_are_escaped_html(text: str) -> None:
    """Material prints page.title, the description and tags as HTML: they hold escaped text."""
    clean = strip_controls(text)
    page = f"---\ntitle: {to_json(clean)}\ndescription: {to_json(clean)}\ntags: {to_json([clean, 'ok'])}\nhide: [toc]\npaperlog: {to_json({'kind': 'paper', 'id': 'a'})}\n---\n\n# Body {{ #x }}\n"
    escaped = escape_front_matter(page)
    assert escaped.endswith("\n---\n\n# Body { #x }\n")
    meta = yaml.safe_load(escaped.split("---\n")[1])
    for value in (meta["title"], meta["description"], meta["tags"][0]):
        assert "<" not in value and '"' not in value
        assert BeautifulSoup(f"<p>{value}</p>", "html5lib").p.get_text() == clean.replace(
            "\r", "\n"
        )
    assert (
        meta["hide"] == ["toc"]
        and meta["paperlog"] == {"kind": "paper", "id": "a"}
        and meta["tags"][1] == "ok"
    )


def test_pages_without_front_matter_are_left_alone() -> None:
    for page in ("# Title\n", "---\nnot closed", "---\n- a list\n---\n"):
        assert escape_front_matter(page) == page


@pytest.mark.parametrize("text", HOSTILE)
def test_attribute_text_inside_markdown_blocks(text: str) -> None:
    """`markdown="span"` runs inline Markdown over attribute values: html_attr hides it."""
    env = Environment(autoescape=True)
    env.filters["html_attr"] = html_attr
    page = env.from_string(
        '<p markdown="span"><span title="{{ t|html_attr }}">x</span> *y*</p>'
    ).render(t=text)
    soup = BeautifulSoup(render(page), "html5lib")
    [span] = soup.select("p > span")
    assert list(span.attrs) == ["title"]
    assert span["title"] == " ".join(text.split()).replace("\x00", "\ufffd")
    assert soup.select_one("p > em").get_text() == "y"


@pytest.mark.parametrize(
    ("source", "visible"),
    [
        ("<b>bold</b> `<i>` kept", "<b>bold</b> <i> kept"),
        ("<div\nonclick=x>split</div>", "<div onclick=x>split</div>"),
        ("<img src=x onerror=alert(1)", "<img src=x onerror=alert(1)"),
        ("<!-- open comment", "<!-- open comment"),
        ("*x*{ data-x onclick=y }", "x{ data-x onclick=y }"),
        ("# title {#__config}", "title {#__config}"),
        ("see <https://example.org>", "see https://example.org"),
        ("$a<b$ and $\\frac{1}{2}$", None),
        ("```\n<b>fenced</b>\n```", "<b>fenced</b>"),
    ],
)
def test_no_html_mode_shows_html_as_text(source: str, visible: str | None) -> None:
    html = render(escape_raw_html(source))
    soup = BeautifulSoup(html, "html5lib")
    assert (
        soup.select("b, i, div:not(.highlight), img, [data-x], [onclick], [id='__config']") == []
    ), html
    if visible is not None:
        assert " ".join(soup.body.get_text().split()) == " ".join(visible.split())
    if "$" in source:
        assert len(soup.select("math")) == 2 and not soup.select(".pl-math-error")


def test_markdown_filter_follows_allow_html() -> None:
    for allow, expect_element in ((True, True), (False, False)):
        env = make_environment([], allow_html=allow)
        out = env.from_string("{{ x|markdown }}").render(
            x="<kbd>Ctrl</kbd> [a](javascript:alert(1))"
        )
        soup = BeautifulSoup(render(out), "html5lib")
        assert (soup.select_one("kbd") is not None) is expect_element
        assert soup.select("a") == []


@pytest.mark.parametrize(
    "latex",
    [
        r"\href{javascript:alert(1)}{x}",
        r"\text{<img src=x onerror=alert(1)>}",
        r"\text{<b data-pwn>x</b>}",
        r"\text{<mi onclick=\"alert(1)\">x</mi>}",
        r"\text{</mtext></math><script data-pwn>alert(1)</script>}",
        r"\style{position:fixed;inset:0}{x}",
        r"\color{red\" onclick=\"alert(1)}{x}",
    ],
)
def test_math_is_mathml_and_nothing_else(latex: str) -> None:
    html = to_mathml(latex, display=False)
    assert html_problems(html, latex) == []
    soup = BeautifulSoup(html, "html5lib")
    for element in soup.find_all(True):
        assert not any(a.startswith("on") or a == "style" for a in element.attrs), html
        if element.get("href"):
            assert is_safe_url(element["href"])


def test_math_keeps_safe_links_and_comparisons() -> None:
    assert 'href="https://example.org"' in to_mathml(r"\href{https://example.org}{x}", False)
    soup = BeautifulSoup(to_mathml(r"a < b \text{ if } c > d", False), "html5lib")
    assert soup.select_one("math") is not None and "<" in soup.get_text()


@pytest.mark.parametrize(
    ("text", "names", "kept"),
    [
        ("plain text\twith tab\r\n", [], "plain text\twith tab\r\n"),
        ("nul\x00 esc\x1b bell\x07", ["U+0000", "U+001B", "U+0007"], "nul esc bell"),
        (
            "rtl \u202eevil\u202c iso \u2067x\u2069",
            ["U+202E", "U+202C", "U+2067", "U+2069"],
            "rtl evil iso x",
        ),
        ("C1 \x85 del \x7f", ["U+0085", "U+007F"], "C1  del "),
        ("lone \ud800 surrogate", ["U+D800"], "lone  surrogate"),
        (
            "zero\u200bwidth joiner\u200d emoji \U0001f600 é",
            [],
            "zero\u200bwidth joiner\u200d emoji \U0001f600 é",
        ),
    ],
)
def test_control_characters(text: str, names: list[str], kept: str) -> None:
    assert control_characters(text) == names
    assert strip_controls(text) == kept
