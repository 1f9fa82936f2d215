"""`mkdocs serve` rebuilds of the big listings: runs of rows, objects the linker hands back
again, and what the cache forgets. Every rebuild is checked byte for byte against a render
without a cache (test_render_cache.Site.rebuild); counts say what was reused, no timing."""

# ruff: noqa: F811

from __future__ import annotations

import pytest
import yaml

from paperlog.diagnostics import Diagnostics
from paperlog.link import link_library
from paperlog.link.graph import _same_node
from paperlog.load import load_library
from paperlog.model import GraphNode
from paperlog.render import RenderCache
from paperlog.render.fragments import _RUN, chunked

# test_render_cache's fixtures: the same synthetic site, copied and built for each test
# (tests taking them as arguments look like redefinitions to the linter).
from test_render_cache import Site, site, synthetic  # noqa: F401


def _cold_keys(site: Site) -> set[object]:
    """The outputs a cache holds after rendering the site's current files from nothing."""
    cold = RenderCache()
    site.render(cold)
    return set(cold._entries)


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


# --- objects the linker hands back


def _linked(site: Site):  # type: ignore[no-untyped-def]
    diags = Diagnostics()
    return link_library(load_library(site.settings, diags, site.caches), site.settings, diags)


def test_a_rebuild_hands_back_the_unchanged_derived_objects(site: Site) -> None:
    before = _linked(site)
    site.update(3, status="abandoned")
    after = _linked(site)
    assert all(after.people[s] is p for s, p in before.people.items() if s in after.people)
    unchanged = [n for n in after.graph.nodes if n.id != "paper00003"]
    old = {n.id: n for n in before.graph.nodes}
    assert all(old[n.id] is n for n in unchanged)
    assert all(before.external[k] is w for k, w in after.external.items())
    # The paper whose status changed has a new node, with the new status.
    assert next(n for n in after.graph.nodes if n.id == "paper00003").status == "abandoned"
    events = [e for m in after.timeline for e in m.events if e.paper != "paper00003"]
    old_events = {(e.paper, e.index): e for m in before.timeline for e in m.events}
    assert all(old_events[(e.paper, e.index)] is e for e in events)


def test_a_changed_log_entry_gives_a_new_event_with_the_new_minutes(site: Site) -> None:
    note = yaml.safe_load(site.note(12).read_text("utf-8"))
    log = note.get("log") or [{"date": "2026-01-05", "pass": "skim", "minutes": 10}]
    site.update(12, log=log)
    _linked(site)
    changed = [{**log[0], "minutes": 99}, *log[1:]]
    site.update(12, log=changed)
    after = _linked(site)
    minutes = [
        e.entry.minutes
        for m in after.timeline
        for e in m.events
        if e.paper == "paper00012" and e.index == 0
    ]
    assert minutes == [99]
    site.rebuild()


def test_nodes_that_print_differently_are_not_the_same() -> None:
    node = GraphNode("a", "A", 2020, "read", (), True, 1, 0.0, 1.0)
    assert _same_node(node, GraphNode("a", "A", 2020, "read", (), True, 1, 0.0, 1.0))
    assert not _same_node(node, GraphNode("a", "A", 2020, "read", (), True, 1, -0.0, 1.0))
    assert not _same_node(node, GraphNode("a", "A", 2020, "read", (), True, 1, 0.0, 1))
    assert not _same_node(node, GraphNode("a", "A", 2020.0, "read", (), True, 1, 0.0, 1.0))  # type: ignore[arg-type]


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
