"""The render cache of `mkdocs serve`: what is reused, and that reuse never goes stale.

The reference is always a build without caches: after any edit, the cached
build must be byte-identical to it. Counts say what was reused; no timing. (The
core keeps no state of its own between builds, so both can run in this process;
tests/test_differential.py also compares with builds in a process of their own.)
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from paperlog.bench.synth import generate_site
from paperlog.build import BuildCaches, SiteOptions, build_site
from paperlog.diagnostics import Diagnostics
from paperlog.model import CitationGraph, GraphEdge, GraphNode, LinkedLibrary
from paperlog.render import RenderCache
from paperlog.render.cache import MISSING, Step, TrackedMapping, _Session
from paperlog.render.graphview import graph_export, graph_json
from paperlog.render.urls import SiteUrls
from paperlog.settings import Settings

N = 40


class Site:
    """A synthetic site built the way `mkdocs serve` does: caches kept between builds."""

    def __init__(self, root: Path, templates: str = "") -> None:
        self.root = root
        # With a site_url, as the synthetic mkdocs.yml has: the feed is written, and checked too.
        self.settings = Settings.for_root(root, site_url="https://example.org/synthetic/")
        self.caches = BuildCaches()
        self.templates = templates

    @property
    def cache(self) -> RenderCache:
        return self.caches.render

    def render(self, caches: BuildCaches | None) -> dict[str, str | None]:
        options = SiteOptions(
            site_name="Synthetic", generate_home=True, glossary_links=True, templates=self.templates
        )
        built = build_site(self.settings, options, Diagnostics(), caches=caches)
        return {f.path: f.content if f.source is None else str(f.source) for f in built.outputs}

    def rebuild(self) -> dict[str, str | None]:
        """A cached rebuild, checked against a fresh build of the same files."""
        cached = self.render(self.caches)
        fresh = self.render(None)
        assert sorted(cached) == sorted(fresh)
        stale = [path for path in fresh if cached[path] != fresh[path]]
        assert stale == []
        return cached

    def note(self, i: int) -> Path:
        return self.root / "notes" / "papers" / f"paper{i:05d}.yaml"

    def update(self, i: int, **fields: object) -> None:
        """Change fields of a note (the synthetic notes are JSON, which is YAML)."""
        note = yaml.safe_load(self.note(i).read_text("utf-8"))
        note.update(fields)
        self.note(i).write_text(yaml.safe_dump(note, sort_keys=False), "utf-8")

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), "utf-8")

    def pages(self) -> set[str]:
        """Paths of the pages (not fragments) the last build rendered."""
        return {key[2] for key in self.cache.rendered if key[0] == "page"}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_site(tmp_path_factory.mktemp("synthetic"), N)


@pytest.fixture
def site(synthetic: Path, tmp_path: Path) -> Site:
    root = tmp_path / "site"
    shutil.copytree(synthetic, root)
    built = Site(root)
    built.rebuild()
    return built


def test_an_unchanged_site_reuses_every_output(site: Site) -> None:
    assert site.cache.build_hits == 0  # the fixture's build filled the cache
    before = site.render(site.caches)
    assert site.cache.build_misses == 0
    assert site.cache.build_hits > 2 * N  # a page per paper, author, topic, ... plus memos
    assert site.render(site.caches) == before


def test_a_title_renders_again_the_pages_that_show_it(site: Site) -> None:
    site.edit(site.note(1), "title: ", "title: Revised ")
    site.rebuild()
    pages = site.pages()
    # paper00001 is cited by later notes: their pages show its title.
    citing = [p for p in pages if p.startswith("papers/") and p != "papers/paper00001.md"]
    assert "papers/paper00001.md" in pages
    assert citing
    assert {"papers.md", "log.md", "graph.md"} <= pages
    # A paper page that shows nothing of paper00001 is reused.
    out = site.render(None)
    unrelated = [
        p
        for p in out
        if p.startswith("papers/") and p.endswith(".md") and "paper00001" not in (out[p] or "")
    ]
    assert unrelated
    assert not set(unrelated) & pages
    # The listing was rendered again, but of its rows only the changed one, inside the
    # run of rows that holds it (render.fragments.chunked); the other runs were reused.
    rows = [k for k in site.cache.rendered if k[0] == "fragment" and k[1] == "papers.md"]
    row_line = next(k[2] for k in rows if k[3] == "paper00001" and k is rows[-1])
    assert [k[3] for k in rows if k[2] == row_line] == ["paper00001"]
    assert len([k for k in rows if k[2] != row_line]) == 1


EDITS: dict[str, Callable[[Site], None]] = {
    "status": lambda s: s.update(3, status="abandoned"),
    "year": lambda s: s.update(2, year=1999),
    "topics of a note": lambda s: s.update(5, topics=["topic-000"]),
    "new cite": lambda s: s.update(7, cites=["paper00002", "paper00003"]),
    "authors": lambda s: s.update(9, authors=["Grace Hopper", "A. Turing"]),
    "terms": lambda s: s.update(4, terms=["term-07"]),
    "log": lambda s: s.update(6, log=[{"date": "2026-03-03", "pass": "second", "minutes": 5}]),
    "implementation": lambda s: s.update(8, implementations=[{"code": "metrics.MetricsModel"}]),
    "removed note": lambda s: s.note(11).unlink(),
    "new note": lambda s: s.note(N + 1).write_text(
        "title: A new one\ncites: [paper00001]\ntopics: [topic-001]\n", "utf-8"
    ),
    "topic name": lambda s: s.edit(
        s.root / "notes" / "topics.yaml", "name: Topic 001", "name: Topic One"
    ),
    "glossary": lambda s: s.edit(
        s.root / "notes" / "glossary.yaml", "definition: A term about", "definition: A word about"
    ),
    "reader name": lambda s: s.edit(
        s.root / "notes" / "readers.yaml", "name: Alan", "name: Alan M."
    ),
    "code": lambda s: s.edit(
        s.root / "notes" / "code" / "attention.py",
        "def step_1(",
        "def step_one(values):\n    return values\n\n\ndef step_1(",
    ),
}


def _title(site: Site, i: int) -> str:
    return str(yaml.safe_load(site.note(i).read_text("utf-8"))["title"])


def test_a_cited_papers_new_title_shows_on_the_pages_citing_it(site: Site) -> None:
    # paper00002 cites paper00001: its page lists the cited work by title.
    assert "paper00001" in yaml.safe_load(site.note(2).read_text("utf-8"))["cites"]
    site.update(1, title="A Retitled Classic")
    out = site.rebuild()
    assert "A Retitled Classic" in (out["papers/paper00002.md"] or "")
    assert "papers/paper00002.md" in site.pages()


def test_a_new_cite_shows_as_a_backlink_on_the_cited_papers_page(site: Site) -> None:
    cited = site.render(None)["papers/paper00030.md"] or ""
    title = _title(site, 31)
    assert title not in cited
    site.update(31, cites=["paper00030"])
    out = site.rebuild()
    assert title in (out["papers/paper00030.md"] or "")


def test_a_renamed_author_shows_on_every_page_listing_their_papers(site: Site) -> None:
    authors = yaml.safe_load(site.note(3).read_text("utf-8"))["authors"]
    site.update(3, authors=["Zelda Quixote", *authors[1:]])
    out = site.rebuild()
    assert "authors/zelda-quixote.md" in out
    assert "Quixote, Zelda" in (out["authors.md"] or "")
    assert "Quixote" in (out["papers/paper00003.md"] or "")


def test_a_renamed_topic_shows_in_the_rows_of_the_listings(site: Site) -> None:
    site.edit(site.root / "notes" / "topics.yaml", "name: Topic 001", "name: Topic One")
    out = site.rebuild()
    assert "Topic One" in (out["papers.md"] or "")  # the rows of the papers table
    assert "papers.md" in site.pages()


def test_a_new_cite_moves_the_graph_layout_and_every_view_of_it_follows(site: Site) -> None:
    before = site.render(None)
    site.update(20, cites=["paper00001", "paper00002", "paper00003", "paper00004"])
    after = site.rebuild()
    assert after["graph.json"] != before["graph.json"]
    assert after["graph.md"] != before["graph.md"]


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_after_any_edit_the_cached_site_equals_a_fresh_render(site: Site, edit: str) -> None:
    EDITS[edit](site)
    site.rebuild()  # asserts equality with a fresh render
    assert site.cache.build_misses > 0
    assert site.cache.build_hits > 0


def test_code_change_renders_its_module_page_and_the_papers_that_point_into_it(site: Site) -> None:
    site.edit(
        site.root / "notes" / "code" / "attention.py",
        "    shifted = [v * scale + 0",
        "    shifted = [v * scale * 1.0 + 0",
    )
    site.rebuild()
    pages = site.pages()
    assert "code/attention.md" in pages
    assert "code/metrics.md" not in pages


def test_a_changed_template_renders_everything_again(synthetic: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(synthetic, root)
    overrides = root / "templates"
    overrides.mkdir()
    (overrides / "topic.md.j2").write_text("# {{ topic.name|md_text }}\n", "utf-8")
    site = Site(root, "templates")
    site.rebuild()
    site.render(site.caches)
    assert site.cache.build_misses == 0
    (overrides / "topic.md.j2").write_text("# Topic: {{ topic.name|md_text }}\n", "utf-8")
    out = site.rebuild()
    assert site.cache.build_hits == 0
    assert out["topics/topic-000.md"] == "# Topic: Topic 000\n"


def test_settings_are_part_of_the_site_key(site: Site) -> None:
    site.settings = Settings.for_root(site.root, tolerance=0.2)
    site.rebuild()
    assert site.cache.build_hits == 0


def test_a_deleted_note_leaves_the_cache(site: Site) -> None:
    before = len(site.cache)
    site.note(11).unlink()
    site.rebuild()
    assert ("page", "paper.md.j2", "papers/paper00011.md") not in site.cache._entries
    assert len(site.cache) < before


def test_paths_no_kept_output_reads_are_forgotten(site: Site) -> None:
    paths = len(site.cache._index.nodes)
    for i in range(3):
        site.note(N + 1 + i).write_text(f"title: Passing note {i}\ncites: [paper00001]\n", "utf-8")
        site.rebuild()
        site.note(N + 1 + i).unlink()
        site.rebuild()
    assert len(site.cache._index.nodes) <= paths


def test_a_plain_build_keeps_no_cache(synthetic: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(synthetic, root)
    site = Site(root)
    site.render(None)
    assert len(site.cache) == 0 and site.cache.hits == site.cache.misses == 0


# --- the recording proxies


def _session(roots: dict[str, object]) -> _Session:
    from paperlog.render.cache import Recorder

    session = _Session(roots, ())
    session.stack.append(Recorder())
    return session


def _seen(session: _Session) -> dict[Step, object]:
    return {node.path[-1]: node.value for node in session.stack[-1].nodes}


def test_a_mapping_records_lookups_not_the_whole() -> None:
    data = {"a": 1, "b": 2}
    session = _session({"d": data})
    view = session.tracked["d"]
    assert isinstance(view, TrackedMapping)
    assert view["a"] == 1
    assert view.get("zzz", 5) == 5
    assert "b" in view
    assert len(view) == 2
    assert _seen(session) == {
        ("item", "a"): 1,
        ("item", "zzz"): MISSING,
        ("in", "b"): True,
        ("len",): 2,
    }
    assert sorted(view) == ["a", "b"]  # iterating depends on the whole mapping
    assert _seen(session)[("all",)] == (("a", 1), ("b", 2))


def _reused(first: dict[str, object], then: dict[str, object], read: Callable[..., object]) -> bool:
    """Whether an output that did `read(**roots)` in a build with `first` is reused with `then`."""
    cache = RenderCache()
    cache.begin("site", first)
    cache.run("out", {}, read)
    cache.end()
    cache.begin("site", then)
    cache.run("out", {}, read)
    cache.end()
    return cache.build_hits == 1


def test_a_recorded_lookup_is_checked_against_the_next_build() -> None:
    def read(d: Mapping[str, int]) -> object:
        return d.get("a")

    assert _reused({"d": {"a": 1, "b": 2}}, {"d": {"a": 1, "b": 3}}, read)  # b was not read
    assert not _reused({"d": {"a": 1, "b": 2}}, {"d": {"a": 2, "b": 2}}, read)
    assert not _reused({"d": {"a": 1, "b": 2}}, {"d": {"b": 2}}, read)
    assert not _reused(
        {"d": {"a": 1, "b": 2}}, {"d": {"a": 1.0, "b": 2}}, read
    )  # 1 and 1.0 print differently

    def deep(d: Mapping[str, object]) -> object:
        inner = d.get("x")
        return inner.get("a") if isinstance(inner, Mapping) else inner

    assert _reused({"d": {"x": {"a": 1}}}, {"d": {"x": {"a": 1, "b": 2}}}, deep)
    assert not _reused({"d": {"x": {"a": 1}}}, {"d": {"x": 5}}, deep)  # the path leads nowhere now


def test_a_method_result_is_recorded_once_per_build_and_returned_fresh() -> None:
    calls = []

    class Lib:
        def listing(self) -> list[int]:
            calls.append(1)
            return [3, 1, 2]

    session = _session({"lib": Lib()})
    first = session.tracked["lib"].listing()
    first.append(99)  # the caller may change what it got
    assert session.tracked["lib"].listing() == [3, 1, 2]
    assert len(calls) == 1


def test_unhashable_arguments_are_never_reused() -> None:
    class Lib:
        def pick(self, items: list[int] | tuple[int, ...]) -> int:
            return items[0]

    lib = Lib()
    assert not _reused({"lib": lib}, {"lib": lib}, lambda lib: lib.pick([4]))
    assert _reused({"lib": lib}, {"lib": lib}, lambda lib: lib.pick((4,)))  # a tuple is a key


def test_a_changed_row_renders_again_the_outputs_holding_it() -> None:
    """A page that read nothing itself is still stale when a fragment inside it is."""
    cache = RenderCache()

    def page(d: Mapping[str, int]) -> str:
        rows = [cache.run(("row", k), (k,), lambda d, k=k: f"{k}={d[k]}") for k in ("a", "b")]
        return ",".join(rows)

    def build(d: dict[str, int]) -> str:
        cache.begin("site", {"d": d})
        try:
            return str(cache.run("page", {}, page))
        finally:
            cache.end()

    assert build({"a": 1, "b": 2}) == "a=1,b=2"
    assert build({"a": 1, "b": 2}) == "a=1,b=2" and cache.rendered == []
    assert build({"a": 1, "b": 3}) == "a=1,b=3"
    assert cache.rendered == ["page", ("row", "b")]  # the page, and only the changed row
    assert build({"a": 1, "b": 3}) == "a=1,b=3" and cache.rendered == []


def test_a_row_that_read_something_unkeyable_is_produced_every_build() -> None:
    cache = RenderCache()

    class Lib:
        def pick(self, items: list[int]) -> int:
            return items[0]

    def page(lib: Lib) -> str:
        return str(cache.run("row", (), lambda lib: lib.pick([7])))

    for _ in range(2):
        cache.begin("site", {"lib": Lib()})
        cache.run("page", {}, page)
        cache.end()
    assert cache.rendered == ["page", "row"]


def test_a_fragment_reading_the_outer_loop_is_never_kept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "t").mkdir()
    (site / "t" / "papers.md.j2").write_text(
        "{% for p in papers %}{% cached p.id, p %}{{ loop.index }}. {{ p.id }}\n{% endcached %}{% endfor %}",
        "utf-8",
    )
    notes = site / "notes" / "papers"
    notes.mkdir(parents=True)
    for name in ("b", "c"):
        (notes / f"{name}.yaml").write_text(f"title: {name.upper()}\nyear: 2020\n", "utf-8")
    built = Site(site, "t")
    assert built.rebuild()["papers.md"] == "1. b\n2. c\n"
    (notes / "a.yaml").write_text(
        "title: A\nyear: 2020\n", "utf-8"
    )  # comes first: every number moves
    assert built.rebuild()["papers.md"] == "1. a\n2. b\n3. c\n"


# --- graph.json, put together from kept pieces


@given(
    titles=st.lists(st.text(max_size=12), max_size=4),
    coords=st.lists(
        st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=2, max_size=2
    ),
)
def test_graph_json_is_the_json_module_output(titles: list[str], coords: list[float]) -> None:
    nodes = tuple(
        GraphNode(
            f"n{i}",
            t,
            2000 + i if i % 2 else None,
            "skimmed" if i % 3 else "",
            ("a", "b")[: i % 3],
            i % 2 == 0,
            i,
            *coords,
        )
        for i, t in enumerate(titles)
    )
    edges = tuple(
        GraphEdge(a.id, b.id, "cites" if i % 2 else "related")
        for i, (a, b) in enumerate(itertools.pairwise(nodes))
    )
    lib = LinkedLibrary(graph=CitationGraph(nodes=nodes, edges=edges))
    urls = SiteUrls()
    expected = json.dumps(graph_export(lib, urls), ensure_ascii=False, sort_keys=True, indent=1)
    assert graph_json(lib, urls) == expected
