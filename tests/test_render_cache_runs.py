"""`mkdocs serve` rebuilds of the big listings: runs of rows, values that print differently,
and what the cache forgets. Every rebuild is checked byte for byte against a build without
caches (test_render_cache.Site.rebuild); counts say what was reused, no timing."""

# ruff: noqa: F811

from __future__ import annotations

import pytest

from paperlog.build import BuildCaches
from paperlog.model import GraphNode, Result
from paperlog.render.cache import _Session
from paperlog.render.fragments import _RUN, chunked

# test_render_cache's fixtures: the same synthetic site, copied and built for each test
# (tests taking them as arguments look like redefinitions to the linter).
from test_render_cache import Site, site, synthetic  # noqa: F401


def _cold_keys(site: Site) -> set[object]:
    """The outputs a cache holds after rendering the site's current files from nothing."""
    cold = BuildCaches()
    site.render(cold)
    return set(cold.render._entries)


# --- runs


def test_runs_put_every_item_back_in_order_and_end_after_the_same_items() -> None:
    items = [f"paper{i:05d}" for i in range(500)]
    runs = chunked(items)
    assert [x for run in runs for x in run] == items
    assert 1 < len(runs) < len(items)
    ends = {run[-1] for run in runs[:-1]}
    # An item moved elsewhere ends a run there too: the runs it leaves and joins change, no other.
    moved = [*items[:10], items[300], *items[10:300], *items[301:]]
    assert {run[-1] for run in chunked(moved)[:-1]} == ends
    assert len(chunked(items[:5])) >= 1 and chunked([]) == []
    assert _RUN > 1


def test_runs_key_items_by_a_dotted_path() -> None:
    class Item:
        def __init__(self, key: str) -> None:
            self.id = key

    pairs = [(Item(f"p{i}"), i) for i in range(200)]
    assert [[p[0].id for p in run] for run in chunked(pairs, "0.id")] == [
        [p.id for p in run] for run in chunked([p for p, _ in pairs], "id")
    ]


def test_a_title_that_moves_a_row_renders_only_the_runs_it_leaves_and_joins(site: Site) -> None:
    # 'AAA' sorts the paper first among the papers of its year: its row moves up the table.
    site.edit(site.note(30), "title: ", "title: AAA ")
    site.rebuild()
    rendered = [k for k in site.cache.rendered if k[0] == "fragment" and k[1] == "papers.md"]
    rows = {k[3] for k in rendered if k[3] == "paper00030"}
    assert rows == {"paper00030"}
    # Of N rows in runs of about _RUN, at most the two runs the row left and joined.
    assert len(rendered) <= 3


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.update(12, log=[{"date": "2026-03-03", "pass": "second", "minutes": 5}]),
        lambda s: s.update(12, log=[{"date": "2019-01-01", "pass": "skim", "minutes": 7.5}]),
        lambda s: s.update(13, title="Zzz last of its year"),
        lambda s: s.edit(s.root / "notes" / "readers.yaml", "name: Alan", "name: Alan M."),
    ],
    ids=["new log entry", "log entry moves to another month", "title", "reader name"],
)
def test_log_reader_and_graph_listings_follow_an_edit(site: Site, edit: object) -> None:
    edit(site)  # type: ignore[operator]
    out = site.rebuild()
    assert out["log.md"] and out["graph.md"]


# --- values that print differently


def test_values_that_print_differently_are_not_the_same() -> None:
    same = _Session({}, ()).same
    node = GraphNode("a", "A", 2020, "read", (), True, 1, 0.0, 1.0)
    assert same(node, GraphNode("a", "A", 2020, "read", (), True, 1, 0.0, 1.0))
    assert not same(node, GraphNode("a", "A", 2020, "read", (), True, 1, -0.0, 1.0))
    assert not same(node, GraphNode("a", "A", 2020, "read", (), True, 1, 0.0, 1))
    assert not same(node, GraphNode("a", "A", 2020.0, "read", (), True, 1, 0.0, 1.0))  # type: ignore[arg-type]
    # Inside tuples and mappings too: a reproduced result of 90 is not one of 90.0.
    assert not same((Result("BLEU", 90),), (Result("BLEU", 90.0),))
    assert same({"x": (Result("BLEU", 90.5),)}, {"x": (Result("BLEU", 90.5),)})
    assert not same({"x": 1}, {"x": True})


def test_a_bibtex_entrys_new_title_shows_in_the_bibliography(site: Site) -> None:
    bib = next((site.root / "notes").rglob("*.bib"))
    text = bib.read_text("utf-8")
    # A work without a note: its title is the BibTeX entry's (a note's title wins over it).
    start = text.index("title", text.index("{work"))
    old = text[start : text.index("\n", start)]
    bib.write_text(text.replace(old, "title = {A Retitled Work},", 1), "utf-8")
    out = site.rebuild()
    assert "A Retitled Work" in (out["bibliography.md"] or "")


# --- what the cache forgets


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.note(11).unlink(),
        lambda s: s.edit(s.note(30), "title: ", "title: AAA "),
        lambda s: s.update(5, topics=["topic-000"]),
        lambda s: s.update(9, authors=["Grace Hopper", "A. Turing"]),
    ],
    ids=["removed note", "moved row", "topics", "authors"],
)
def test_after_an_edit_the_cache_holds_what_a_cold_render_would(site: Site, edit: object) -> None:
    edit(site)  # type: ignore[operator]
    site.rebuild()
    assert set(site.cache._entries) == _cold_keys(site)
