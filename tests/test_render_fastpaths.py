"""The render layer's shortcuts give exactly what the plain way gives.

Each shortcut (one-pass escaping, front matter read without YAML, rows shared
between pages, relative URLs without posixpath, compiled templates kept on
disk) is checked against the plain computation it replaces.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import jinja2
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from paperlog.bench.synth import generate_site
from paperlog.diagnostics import Diagnostics
from paperlog.link import link_library
from paperlog.load import load_library
from paperlog.render import render_site
from paperlog.render.environment import make_environment, md_text
from paperlog.render.fragments import FragmentCache
from paperlog.render.frontmatter import _load, _Loader, escape_front_matter
from paperlog.render.graphview import graph_page_json, json_items, local_graph_svg, local_graph_view
from paperlog.render.jsontext import to_json
from paperlog.render.options import SiteOptions, render_options
from paperlog.render.urls import SiteUrls, _relpath
from paperlog.settings import Settings

_SPECIAL = re.compile(r"([\\`*_{}#+\-.!|$<>&])")


def md_text_by_substitution(value: object) -> str:
    """md_text as a chain of substitutions (the definition the one-pass table follows)."""
    text = " ".join(str(value or "").split())
    text = _SPECIAL.sub(r"\\\1", text).replace("[", "&#91;").replace("]", "&#93;")
    return (
        text.replace("\\<", "&lt;")
        .replace("\\>", "&gt;")
        .replace("\\&", "&amp;")
        .replace('"', "&quot;")
    )


MARKDOWN_CHARS = st.text(
    alphabet=st.sampled_from(list("ab \\`*_{}#+-.!|$<>&[]\"'()\n\té")), max_size=20
)


@given(MARKDOWN_CHARS)
def test_md_text_in_one_pass_equals_the_substitutions(text: str) -> None:
    assert md_text(text) == md_text_by_substitution(text)


def test_the_md_text_filter_escapes_each_string_once_and_alike() -> None:
    env = make_environment([])
    template = env.from_string("{{ a|md_text }} {{ a|md_text }} {{ n|md_text }} {{ m|md_text }}")
    out = template.render(a="*x* <b>", n=3, m=Markup("<i>"))
    assert out == f"{md_text('*x* <b>')} {md_text('*x* <b>')} 3 {md_text(Markup('<i>'))}"


class _Html:
    def __html__(self) -> str:
        return "<b>own</b>"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
KEYS = st.sampled_from(
    ["title", "description", "tags", "paperlog", "hide", "on", "yes", "null", "x_1"]
)


def _yaml_or_error(block: str) -> str:
    try:
        return repr(yaml.load(block, Loader=_Loader))
    except yaml.YAMLError:
        return "error"


def _fast_or_error(block: str) -> str:
    try:
        return repr(_load(block))
    except yaml.YAMLError:
        return "error"


@settings(max_examples=300)
@given(st.lists(st.tuples(KEYS, JSON_VALUES, st.booleans()), min_size=1, max_size=4))
def test_front_matter_of_json_lines_reads_as_yaml_reads_it(
    lines: list[tuple[str, object, bool]],
) -> None:
    block = "\n".join(
        f"{key}: {json.dumps(value, ensure_ascii=ascii)}" for key, value, ascii in lines
    )
    assert _fast_or_error(block) == _yaml_or_error(block)


@pytest.mark.parametrize(
    "block",
    [
        'title: "a\\u2028b"',  # a YAML line break inside the string
        'title: "x\u0085y"',
        'title: "\\ud83d\\ude00"',  # surrogate escapes: YAML refuses them
        "title: 1e5",  # a number in JSON, text in YAML 1.1
        'title: "x" # comment',
        "on: 1",
        'title:\t"x"',
        "title: [1,\n  2]",
    ],
)
def test_front_matter_that_yaml_reads_differently_goes_to_yaml(block: str) -> None:
    assert _fast_or_error(block) == _yaml_or_error(block)


def test_escape_front_matter_escapes_the_theme_keys() -> None:
    page = '---\ntitle: "<b>x</b>"\npaperlog: {"kind": "paper"}\n---\n\n# x\n'
    assert escape_front_matter(page) == (
        '---\ntitle: "\\u0026lt;b\\u0026gt;x\\u0026lt;/b\\u0026gt;"\npaperlog: {"kind": "paper"}\n---\n\n# x\n'
    )


URL_PARTS = st.lists(st.sampled_from(["a", "b", "..", ".", "", "x.md", "%20"]), max_size=4).map(
    "/".join
)


@given(URL_PARTS, URL_PARTS)
def test_relpath_equals_posixpath(path: str, start: str) -> None:
    assert _relpath(path or ".", start or ".") == posixpath.relpath(path or ".", start or ".")


GRAPH_TEXT = st.text(
    st.sampled_from(["a", "é", "<", ">", "&", "'", '"', "\\", "\n", "\u2028", " "]), max_size=6
)
GRAPH_ITEM = st.dictionaries(
    st.sampled_from(["id", "title", "url", "x", "label"]),
    st.one_of(GRAPH_TEXT, st.floats(allow_nan=False), st.none()),
)


@given(
    st.lists(st.lists(GRAPH_ITEM, max_size=3), max_size=4),
    st.lists(st.lists(GRAPH_TEXT, min_size=3, max_size=3), max_size=3),
    st.lists(st.tuples(GRAPH_TEXT, GRAPH_TEXT), max_size=2),
)
def test_graph_page_json_is_the_json_filter_of_the_data(
    runs: list[list[dict[str, object]]], edges: list[list[str]], topics: list[tuple[str, str]]
) -> None:
    # The graph page writes its data from each run's kept text instead of encoding it whole.
    data = {
        "nodes": [item for run in runs for item in run],
        "edges": edges,
        "topics": [list(t) for t in topics],
        "statuses": [["read", "Read"]],
    }
    text = graph_page_json(data, [json_items(run) for run in runs])
    assert text == to_json(data)
    assert json.loads(str(text)) == json.loads(str(to_json(data)))


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Settings]:
    root = tmp_path_factory.mktemp("fast") / "site"
    generate_site(root, 60)
    settings = Settings.for_root(root)
    diags = Diagnostics()
    lib = link_library(load_library(settings, diags), settings, diags)
    return lib, settings


@pytest.mark.parametrize("directory_urls", [True, False])
def test_shared_rows_render_as_rows_rendered_in_place(
    small_site: tuple[object, Settings], directory_urls: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, settings = small_site
    options = render_options(SiteOptions(use_directory_urls=directory_urls))
    shared = {f.path: f.content for f in render_site(lib, settings, Diagnostics(), options=options)}  # type: ignore[arg-type]
    monkeypatch.setattr(FragmentCache, "_lookup", lambda self, *args: None)  # each row in place
    in_place = {
        f.path: f.content for f in render_site(lib, settings, Diagnostics(), options=options)
    }  # type: ignore[arg-type]
    assert shared == in_place
    assert any(path.startswith("authors/") for path in shared)


def test_a_row_that_reads_the_page_url_is_not_shared_between_pages(tmp_path: Path) -> None:
    (tmp_path / "row.md.j2").write_text(
        '{% cached "k", x %}{{ href("authors/b.md") }}|{{ url("authors/b.md") }}{% endcached %}'
    )
    env = make_environment([tmp_path])
    env.fragment_memo = {}  # type: ignore[attr-defined]
    urls = SiteUrls(directory_urls=True)
    template = env.get_template("row.md.j2")

    def render(page: str) -> str:
        return template.render(
            x=1,
            page_path=page,
            urls=urls,
            url=lambda t: urls.relative(page, t),
            href=lambda t: urls.href(page, t),
        )

    assert render("authors/a.md") == "../b/|./b.md"
    assert render("authors/b.md") == "./|./b.md"


def test_compiled_templates_are_reused_from_disk_by_a_new_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    (tmp_path / "t.md.j2").write_text("{{ x|md_text }}")
    compiled: list[str] = []
    real = jinja2.Environment._compile

    def counting(self: jinja2.Environment, source: str, filename: str) -> object:
        compiled.append(filename)
        return real(self, source, filename)

    monkeypatch.setattr(jinja2.Environment, "_compile", counting)
    for _ in range(2):  # each a new environment, as in a new process
        env = make_environment([tmp_path])
        assert env.get_template("t.md.j2").render(x="*a*") == "\\*a\\*"
    assert len(compiled) == 1
    assert list(tmp_path.glob("_jinja2-cache-*/__paperlog_*.cache"))
    (tmp_path / "t.md.j2").write_text("[{{ x|md_text }}]")  # an edited template is compiled again
    env = make_environment([tmp_path])
    assert env.get_template("t.md.j2").render(x="*a*") == "[\\*a\\*]"
    assert len(compiled) == 2


LOCAL_GRAPH_LOOPS = """<g class="pl-local-graph__edges">
{% for e in view.edges %}
<line class="pl-edge pl-edge--{{ e.kind }}" x1="{{ e.x1 }}" y1="{{ e.y1 }}" x2="{{ e.x2 }}" y2="{{ e.y2 }}"{% if e.kind == "cites" %} marker-end="url(#pl-arrow)"{% endif %}/>
{% endfor %}
</g>
<g class="pl-local-graph__nodes">
{% for n in view.nodes %}
{% if n.href %}<a xlink:href="{{ n.href }}" class="pl-node pl-status--{{ n.status }}" data-id="{{ n.id }}">{% else %}<g class="pl-node{% if n.center %} pl-node--center{% endif %}{% if n.status %} pl-status--{{ n.status }}{% else %} pl-node--external{% endif %}" data-id="{{ n.id }}">{% endif %}
<title>{{ n.title }}</title>
<circle cx="{{ n.x }}" cy="{{ n.y }}" r="{{ n.r }}"/>
{% if n.show_label %}<text x="{{ n.label_x }}" y="{{ n.label_y }}" text-anchor="{{ n.anchor }}">{{ n.label }}</text>{% endif %}
{% if n.href %}</a>{% else %}</g>{% endif %}
{% endfor %}
</g>
"""


def test_local_graph_svg_prints_what_the_template_loops_printed(
    small_site: tuple[object, Settings],
) -> None:
    lib, _ = small_site
    urls = SiteUrls()
    loops = make_environment([]).from_string(LOCAL_GRAPH_LOOPS)
    views = [local_graph_view(lib, urls, pid, urls.paper(pid)) for pid in lib.papers]  # type: ignore[attr-defined]
    views = [v for v in views if v is not None]
    assert any(not n.href and not n.center for v in views for n in v.nodes)  # works without a note
    for view in views:
        assert local_graph_svg(view) == loops.render(view=view)


def test_a_one_off_render_lets_go_of_its_shared_rows(
    small_site: tuple[object, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The plugin freezes what is left after rendering (see mkdocs/plugin.py); the environment
    # is cyclic garbage by then, so rows it still held would stay to the end of the build.
    import paperlog.render as render_module

    made: list[jinja2.Environment] = []

    def recording(*args: object, **kwargs: object) -> jinja2.Environment:
        made.append(make_environment(*args, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(render_module, "make_environment", recording)
    lib, settings = small_site
    shared: list[dict[object, object]] = []
    original = FragmentCache._render

    def keeping(self: FragmentCache, pending: object, caller: object) -> object:
        if pending.memo is not None and not shared:  # type: ignore[attr-defined]
            shared.append(pending.memo)  # type: ignore[attr-defined]
        return original(self, pending, caller)  # type: ignore[arg-type]

    monkeypatch.setattr(FragmentCache, "_render", keeping)
    render_site(lib, settings, Diagnostics(), options=render_options(SiteOptions()))  # type: ignore[arg-type]
    assert shared and shared[0], "no row was shared between pages"
    assert [env.fragment_memo for env in made] == [None]  # type: ignore[attr-defined]
