"""The per-page work done inside MkDocs: shortcuts that must not change what it finds,
and rendered citations kept between `mkdocs serve` rebuilds that must never be stale."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown
from hypothesis import given
from hypothesis import strategies as st

from conftest import BuiltSite, Serving, _Collect, write_tree
from paperlog.markdown import gate
from paperlog.markdown.citations import CitationExtension, CitationRegistry
from paperlog.markdown.glossary import Glossary
from paperlog.markdown.math import MathExtension
from paperlog.markdown.safety import URL_ATTRIBUTES, unsafe_attributes
from paperlog.mkdocs.code import anchor_ids
from paperlog.render.citations import CitationMemo
from paperlog.safety import is_safe_url

# The rule as first written: every attribute looked at on its own.
_WHITESPACE_ID = re.compile(r"""\sid=["']([^"'<>]+)["']""")


def _unsafe_by_rule(element: etree.Element) -> list[str]:
    bad = []
    for name, value in element.attrib.items():
        lower = name.lower()
        urls = (
            [c.strip().split(" ")[0] for c in value.split(",") if c.strip()]
            if lower == "srcset"
            else [value]
        )
        if (
            lower.startswith("on")
            or lower == "srcdoc"
            or (lower in URL_ATTRIBUTES and not all(is_safe_url(u) for u in urls))
        ):
            bad.append(name)
    return bad


_HTMLISH = st.sampled_from([*" \t\u00a0\"'<>=xdi-", "id=", " id=", 'id="', "data-id='"])


@given(st.lists(_HTMLISH, max_size=30).map("".join))
def test_anchor_ids_are_those_the_whitespace_regex_finds(html: str) -> None:
    assert anchor_ids(html) == set(_WHITESPACE_ID.findall(html))


_NAMES = st.sampled_from(
    [
        "class",
        "id",
        "title",
        "alt",
        "Class",
        "href",
        "HREF",
        "src",
        "srcset",
        "srcdoc",
        "SrcDoc",
        "onclick",
        "ONLOAD",
        "onx",
        "data-x",
        "style",
        "poster",
        "xlink:href",
        "loading",
    ]
)
_VALUES = st.sampled_from(
    [
        "",
        "x",
        "../a/",
        "#top",
        "https://example.org/",
        "javascript:alert(1)",
        "java\tscript:x",
        "javascript&#58;x",
        "a.png 1x, javascript:x 2x",
        "a.png 1x, b.png 2x",
        "data:text/html,x",
        "mailto:a@b.c",
    ]
)


@given(st.dictionaries(_NAMES, _VALUES, max_size=6))
def test_unsafe_attributes_follow_the_rule_for_every_attribute(attrib: dict[str, str]) -> None:
    element = etree.Element("a", attrib)
    assert unsafe_attributes(element) == _unsafe_by_rule(element)


def test_citation_memo_renders_each_citation_once() -> None:
    memo = CitationMemo()
    calls: list[str] = []

    def render(text: str):  # type: ignore[no-untyped-def]
        return lambda: calls.append(text) or text

    assert memo.get("a", render("A")) == "A"
    assert memo.get("a", render("A again")) == "A"
    assert memo.get("b", render("B")) == "B"
    assert calls == ["A", "B"] and len(memo) == 2


SERVED = {
    "mkdocs.yml": """
        site_name: t
        theme: {name: material}
        plugins:
          - search
          - paperlog:
              templates: overrides
    """,
    "docs/index.md": "# Home\n\nAs [@a, p. 3] shows, and @b too.\n",
    "docs/other.md": "# Other\n\nSee [@a].\n",
    "notes/papers/a.yaml": "title: Attention\nyear: 2017\nauthors: [Ada Lovelace]\n",
    "notes/papers/b.yaml": "title: BERT\nyear: 2018\nauthors: [Alan Turing]\n",
    "overrides/.keep": "",
}


def _citations(site: BuiltSite, url: str) -> list[tuple[str, str, str]]:
    page = site.html(url)
    return [(a.get_text(), a["title"], a["href"]) for a in page.select(".pl-cite a")]


def test_serve_rebuild_shows_a_changed_work_and_template_in_citations(
    tmp_path: Path, serving
) -> None:
    write_tree(tmp_path, SERVED)
    session = serving(tmp_path)
    session.build()
    site = session.site()
    assert _citations(site, "")[0][0] == "Lovelace, 2017"
    assert "Attention" in _citations(site, "other/")[0][1]
    # The cited work changes: its citations and References entries follow.
    (tmp_path / "notes/papers/a.yaml").write_text(
        "title: Attention, revised\nyear: 2019\nauthors: [Ada Lovelace]\n"
    )
    session.build()
    site = session.site()
    index = _citations(site, "")
    assert index[0][0] == "Lovelace, 2019"
    assert "Attention, revised" in index[0][1]
    assert "Attention, revised" in site.html("other/").select_one(".pl-references").get_text()
    assert index[1][0] == "Turing (2018)"
    # A template override: every citation is rendered with it on the next build.
    (tmp_path / "overrides/citations").mkdir()
    (tmp_path / "overrides/citations/cite.html.j2").write_text(
        '<span class="pl-cite"><a href="{{ items[0].href }}" title="t">CITED {{ items[0].item.key }}</a></span>'
    )
    session.build()
    site = session.site()
    assert [c[0] for c in _citations(site, "")] == ["CITED a", "CITED b"]
    assert [c[0] for c in _citations(site, "other/")] == ["CITED a"]


# --- Processors kept out of conversions that cannot use them (markdown/gate.py) ---

_KNOWN = frozenset({"a", "b"})


def _markdown(gated: bool) -> markdown.Markdown:
    registry = CitationRegistry()
    registry.known = _KNOWN
    md = markdown.Markdown(
        extensions=[
            "md_in_html",
            "attr_list",
            "admonition",
            "pymdownx.superfences",
            MathExtension(),
            CitationExtension(registry=registry),
        ]
    )
    if not gated:  # every processor registered for every conversion
        for item in md.preprocessors[gate.NAME].gated:
            item.registry.register(item.item, item.name, item.priority)
        md.preprocessors.deregister(gate.NAME)
    return md


_PIECES = st.sampled_from(
    [
        "$x$",
        "$$",
        "$$\na^2\n$$",
        "\\(y\\)",
        "\\[z\\]",
        "\\",
        "[@a]",
        "[see @b, p. 3]",
        "@a",
        "@c",
        "@",
        "`$x$`",
        "text",
        " ",
        "\n",
        "\n\n",
        "<div markdown>\n\n",
        "\n\n</div>",
        "!!! note\n    ",
        "- ",
        "> ",
        "```\n$$q$$\n```\n",
        "$5 and $6",
    ]
)


@given(st.lists(st.lists(_PIECES, max_size=12).map("".join), min_size=1, max_size=4))
def test_gated_processors_convert_exactly_like_always_registered_ones(documents: list[str]) -> None:
    # One instance for several documents, as mkdocstrings uses it: a processor taken
    # out for one document must be back for the next that needs it.
    gated, always = _markdown(True), _markdown(False)
    for text in documents:
        assert gated.reset().convert(text) == always.reset().convert(text)


def test_gate_takes_math_and_citations_out_of_pages_without_them() -> None:
    md = _markdown(True)
    md.convert("Plain *text* only.")
    for name in (
        "paperlog-math-dollar",
        "paperlog-math-paren",
        "paperlog-cite",
        "paperlog-cite-intext",
    ):
        assert name not in md.inlinePatterns
    assert "paperlog-math-block" not in md.parser.blockprocessors
    # Math inside an HTML block that md_in_html parses later still counts.
    html = md.reset().convert("<div markdown>\n\n$$\na^2\n$$\n\nAs [@a] shows.\n\n</div>")
    assert "<math" in html and 'data-pl-cite="' in html
    assert "paperlog-math-block" in md.parser.blockprocessors


# --- The glossary's finder (markdown/glossary.py) ---

_NAME_CHARS = st.sampled_from([*"abs -+.", "ſ", "K", "İ", "ß", "é"])
_TEXT_CHARS = st.sampled_from(
    [*"abs -+.\nAB", "ſ", "K", "İ", "ß", "é", "É", "x", "\x02", "\x03", "1"]
)


@given(
    st.lists(st.lists(_NAME_CHARS, min_size=1, max_size=5).map("".join), min_size=1, max_size=6),
    st.lists(_TEXT_CHARS, max_size=40).map("".join),
)
def test_glossary_finder_finds_what_the_names_pattern_finds(names: list[str], text: str) -> None:
    glossary = Glossary.build({n.lower(): f"t{i}" for i, n in enumerate(names)}, {})
    if glossary.pattern is None:
        return
    assert glossary.finder is not None
    reference = Glossary(glossary.pattern, glossary.slug_of, glossary.tooltips)  # no finder
    assert [m.span() for m in glossary.mentions(text)] == [
        m.span() for m in reference.mentions(text)
    ]
    assert glossary.may_mention(text) or glossary.pattern.search(text) is None


# --- Anchor ids kept with a page's resolved citations while serving ---

ANCHORED = {
    "mkdocs.yml": """
        site_name: t
        theme: {name: material}
        validation: {anchors: warn}
        plugins:
          - search
          - paperlog
    """,
    "docs/index.md": "# Home\n\nSee [line 2](papers/a.md#__codelineno-0-2).\n",
    "notes/papers/b.yaml": "title: BERT\nyear: 2018\nauthors: [Alan Turing]\n",
}


def _note_a(lines: int) -> str:
    code = "\n".join(f"  x = {n}" for n in range(lines))
    return f"title: Attention\nyear: 2017\nauthors: [Ada Lovelace]\nsummary: |\n  As [@b] shows:\n\n  ```python\n{code}\n  ```\n"


def _serve_warnings(session: Serving) -> list[str]:
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        session.build()
    finally:
        logger.removeHandler(handler)
    return [r.getMessage() for r in handler.records if r.levelno >= logging.WARNING]


def test_serve_rebuild_sees_anchor_ids_of_a_changed_page_with_citations(
    tmp_path: Path, serving
) -> None:
    write_tree(tmp_path, {**ANCHORED, "notes/papers/a.yaml": _note_a(1)})
    session = serving(tmp_path)
    assert any("__codelineno-0-2" in w for w in _serve_warnings(session))
    (tmp_path / "notes/papers/a.yaml").write_text(_note_a(3), "utf-8")
    assert not any("__codelineno-0-2" in w for w in _serve_warnings(session))
    (tmp_path / "notes/papers/a.yaml").write_text(_note_a(1), "utf-8")
    assert any("__codelineno-0-2" in w for w in _serve_warnings(session))
