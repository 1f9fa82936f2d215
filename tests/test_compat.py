"""Every private internal paperlog relies on (mkdocs/compat.py), checked against the installed
versions: each test fails, saying which internal changed, instead of the silent fallback the
plugin takes at run time.

The suite runs this file against the highest versions pyproject.toml allows (the test
environment) and the lowest ones (tests/test_lowest_versions.py).
"""

from __future__ import annotations

import json
import re
import sys
from importlib.metadata import version
from pathlib import Path

import jinja2
import jinja2.runtime
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from conftest import REPO, Serving, build, write_tree
from paperlog import compat
from paperlog.render.environment import make_environment

SITE = {
    "mkdocs.yml": """
        site_name: t
        theme: {name: material}
        plugins: [search, paperlog]
    """,
    "docs/index.md": "# Home\n\n## Part\n\nSee [a](papers/a.md) and [its part](guide.md#part).\n",
    "docs/guide.md": "# Guide\n\n## Part\n\nText.\n",
    "notes/papers/a.yaml": "title: Attention\nsummary: |\n  ## Method\n\n  Words.\n",
    "notes/papers/b.yaml": "title: BERT\ncites: [a]\n",
}


# --- Jinja and markupsafe


class _Html:
    def __html__(self) -> str:
        return "<b>own</b>"


PRINTED = (
    st.text(alphabet=st.sampled_from(list("ab <>&'\"é")), max_size=10)
    | st.builds(Markup, st.text(max_size=6))
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.none()
    | st.just(_Html())
)


@given(PRINTED)
def test_templates_print_values_as_markupsafe_escape_does(value: object) -> None:
    escaped = compat.escape(value)
    assert escaped == escape(value) and type(escaped) is Markup
    template = make_environment([]).from_string("{{ v }}|{{ [v][0] }}")
    assert template.render(v=value) == f"{escape(value)}|{escape(value)}"


def test_templates_escape_through_paperlogs_escape(monkeypatch) -> None:
    assert compat._ESCAPE_TEXT is not None, "markupsafe has no _escape_inner any more"
    assert hasattr(jinja2.Template, "_from_namespace"), "Jinja has no Template._from_namespace"
    calls: list[object] = []

    def spy(value: object) -> Markup:
        calls.append(value)
        return escape(value)

    monkeypatch.setattr(compat, "escape", spy)
    template = make_environment([]).from_string("{{ v }}")
    assert template.render(v="<a>") == "&lt;a&gt;" and calls == ["<a>"]


def test_direct_calls_give_what_jinjas_context_gives() -> None:
    source = """{% macro m(x) %}<{{ x }}>{% endmacro %}{% macro n() %}[{{ caller() }}]{% endmacro %}
{% for i in items %}{{ m(i) }}{{ f(i, k=loop.index) }}{% set y = g(i) %}{{ y }}{% endfor %}
{% call n() %}body{% endcall %}{{ items|map("upper")|join }}{{ h() }}"""

    def f(i: str, k: int) -> str:
        return f"{i}{k}"

    values = {"items": ["a", "b"], "f": f, "g": str.upper, "h": lambda: "h"}
    plain = make_environment([])
    plain.context_class = jinja2.runtime.Context
    assert make_environment([]).context_class is compat.DirectCallContext
    assert make_environment([]).from_string(source).render(values) == plain.from_string(
        source
    ).render(values)
    # The arguments Jinja adds to calls inside loops and blocks, which DirectCallContext removes.
    compiler = Path(jinja2.__file__).with_name("compiler.py").read_text("utf-8")
    assert "_loop_vars" in compiler and "_block_vars" in compiler


# --- MkDocs


def _converted(tmp_path: Path) -> tuple[Page, object, object]:
    """A page of a real build's configuration, converted by MkDocs itself."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    write_tree(tmp_path, SITE)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = get_files(config)
    page = Page(None, files.get_file_from_path("index.md"), config)
    page.read_source(config)
    return page, config, files


def test_page_render_sets_exactly_the_attributes_paperlog_restores(tmp_path: Path) -> None:
    page, config, files = _converted(tmp_path)
    before = set(vars(page))
    compat.convert(page, config, files)
    set_by_render = set(vars(page)) - before
    assert set_by_render <= compat.SET_BY_CONVERSION, (
        "MkDocs' Page.render sets attributes paperlog does not restore: "
        f"{sorted(set_by_render - compat.SET_BY_CONVERSION)}"
    )
    assert {"content", "toc", "present_anchor_ids", "_title_from_render"} <= set(vars(page))
    assert page.content and "<h2" in page.content


def test_a_kept_conversion_restores_what_mkdocs_set(tmp_path: Path) -> None:
    page, config, files = _converted(tmp_path)
    compat.convert(page, config, files)
    state = compat.conversion_state(page)
    again = Page(None, page.file, config)
    again.read_source(config)
    assert compat.restore_conversion(again, state, files)
    for name in compat.SET_BY_CONVERSION:
        if name == "toc":
            assert [t.id for t in again.toc] == [t.id for t in page.toc]
        elif hasattr(page, name):
            assert getattr(again, name) == getattr(page, name), name
    assert again.title == page.title


def test_mkdocs_converts_a_page_through_its_render_attribute(tmp_path: Path) -> None:
    # route_conversion replaces `page.render` on the page object: MkDocs must call it there.
    page, config, files = _converted(tmp_path)
    calls: list[str] = []

    def render(p: Page, c: object, f: object) -> None:
        calls.append(p.file.src_uri)
        compat.convert(p, c, f)

    compat.route_conversion(page, render)
    from mkdocs.commands.build import _populate_page

    _populate_page(page, config, files)
    assert calls == ["index.md"] and page.content


def test_dirty_builds_ask_each_file_whether_it_is_modified(tmp_path: Path) -> None:
    # KeptPage and RebuiltPage (mkdocs/dirty.py) answer MkDocs' `File.is_modified`.
    from mkdocs.commands import build as build_module

    assert "is_modified" in vars(File)
    source = Path(build_module.__file__).read_text("utf-8")
    assert source.count("is_modified()") >= 2, "MkDocs' --dirty no longer asks File.is_modified"


def test_materials_search_index_is_where_paperlog_reads_it(tmp_path: Path) -> None:
    write_tree(tmp_path, SITE)
    with Serving(tmp_path, dirty=True) as session:
        config = session.build()
        index = compat.search_index(config)
        assert index is not None, "Material's search plugin has no search_index.entries"
        written = json.loads((tmp_path / "site/search/search_index.json").read_text("utf-8"))
        entries = compat.search_entries(index)
        assert entries == written["docs"] and entries
        # The index Material would write for these entries is the file paperlog writes.
        assert json.loads(compat.search_index_json(index, list(entries))) == written
        plugin = config.plugins["material/search"]
        assert hasattr(plugin, "search_index_prev")


def test_mkdocstrings_python_keeps_its_template_memo_where_paperlog_empties_it(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            **SITE,
            "mkdocs.yml": SITE["mkdocs.yml"].replace(
                "plugins: [search, paperlog]", "plugins: [search, {paperlog: {code_dirs: [src]}}]"
            ),
            "src/impl.py": '"""Impl."""\n\n\ndef step(x: int) -> int:\n    """One step."""\n    return x\n',
        },
    )
    build(tmp_path)
    rendering = sys.modules.get(compat.MKDOCSTRINGS_RENDERING)
    assert rendering is not None, f"{compat.MKDOCSTRINGS_RENDERING} was not imported by the build"
    installed = tuple(int(p) for p in version("mkdocstrings-python").split(".")[:3])
    if installed < (2, 0, 8):
        # The memo came with 2.0.8; before it, builds were let go of without help.
        assert not hasattr(rendering, "_test_existing_template")
        return
    memo = rendering._test_existing_template
    assert memo.cache_info().currsize > 0
    compat.forget_mkdocstrings_templates()
    assert memo.cache_info().currsize == 0


PRIVATE = re.compile(
    r"_title_from_render|search_index_prev|\"search_index\"|_test_existing_template|"
    r"_escape_inner|_from_namespace|_block_vars|_loop_vars|\bPage\.render\b"
)


def test_no_other_module_reaches_into_these_internals() -> None:
    package = REPO / "plugins" / "paperlog"
    offenders = [
        f"{path.relative_to(package)}:{n}"
        for path in sorted(package.rglob("*.py"))
        if path != package / "compat.py"
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if PRIVATE.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []
