"""The link layer in `mkdocs serve` rebuilds: what it reuses from the last build, and when not.

Unchanged notes come back from the load cache as the very same objects; the
linker then reuses their metadata merge and author linking. Every test here
compares a relink against a link from scratch: reuse must never change a result.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from linkutil import bib, paper
from paperlog.diagnostics import Diagnostics
from paperlog.link import LayoutCache, authors, graph, link_library, metadata
from paperlog.link import layout as L
from paperlog.link.reuse import forget_last_build
from paperlog.load.notes import split_name
from paperlog.model import AuthorAlias, Library, Location, Reader
from paperlog.settings import Settings

SETTINGS = Settings(root=Path("/site"), notes_dir=Path("/site/notes"))


def _forget() -> None:
    """Clear what the linker keeps between builds, as in a fresh process."""
    metadata._LAST_MERGED.clear()
    authors._LAST.clear()
    graph._LAST_LOCAL.clear()
    forget_last_build()  # and every other module's memo


def _link(lib: Library) -> tuple[Library, list[str]]:
    diags = Diagnostics()
    out = link_library(dataclasses.replace(lib), SETTINGS, diags, LayoutCache())
    return out, [f"{d.path}:{d.line} {d.code} {d.message}" for d in diags.sorted()]


def _fresh(lib: Library) -> tuple[Library, list[str]]:
    _forget()
    return _link(lib)


def _library() -> Library:
    def names(*written: str) -> tuple:
        return tuple(split_name(n) for n in written)

    papers = [
        paper("a", authors=names("Ashish Vaswani", "Noam Shazeer"), cites=("b", "k")),
        paper("b", authors=names("A. Vaswani"), bibkey="k2", readers=("ann",)),
        paper("c", title="", arxiv="1706.03762", authors=names("John Smith")),
        paper("d", authors=names("Jane Smith", "J. Smith"), related=("a",)),
        paper("e", bibkey="missing"),
    ]
    papers[3] = dataclasses.replace(
        papers[3], locations={**papers[3].locations, "authors/1": Location("notes/d.yaml", 7, 5)}
    )
    return Library(
        papers={p.id: p for p in papers},
        bib={
            "k": bib("k", "A book", "1999"),
            "k2": bib("k2", "Entry title", "2016", eprint="1607.06450"),
        },
        arxiv={
            "1706.03762": {
                "title": "Attention Is All You Need",
                "authors": ["Ashish Vaswani"],
                "published": "2017-06-12",
            }
        },
        readers={"ann": Reader("ann", "Ann"), "bob": Reader("bob", "Bob", default=True)},
        author_aliases={
            "Noam Shazeer": AuthorAlias(
                "Noam Shazeer", ("N. M. Shazeer",), "notes/authors.yaml", 1, (2,)
            )
        },
    )


def _same(got: tuple[Library, list[str]], want: tuple[Library, list[str]]) -> None:
    (lib, found), (expected, expected_found) = got, want
    assert lib.papers == expected.papers
    assert lib.people == expected.people
    assert lib.local_graphs == expected.local_graphs
    assert lib.external == expected.external
    assert lib.reading_order == expected.reading_order
    assert found == expected_found


def test_relink_of_the_same_notes_reuses_them_and_changes_nothing():
    lib = _library()
    first = _fresh(lib)
    again = _link(lib)
    _same(again, first)
    # Reused, not merged anew: the very same Paper objects come back, except for the
    # note whose bibkey names no entry (its warning's hint looks at the whole .bib).
    reused = {pid for pid in lib.papers if again[0].papers[pid] is first[0].papers[pid]}
    assert reused == {"a", "b", "c", "d"}
    # The diagnostics of reused notes are reported again (PL108, PL301, PL632).
    assert {"PL301", "PL632"} <= {line.split()[1] for line in again[1]}


def test_a_changed_note_is_linked_anew_and_the_rest_still_reused():
    lib = _library()
    first = _fresh(lib)
    changed = dataclasses.replace(
        lib, papers={**lib.papers, "b": dataclasses.replace(lib.papers["b"], title="Renamed")}
    )
    again = _link(changed)
    _same(again, _fresh(changed))
    assert again[0].papers["b"].title == "Renamed"
    assert again[0].papers["c"] is first[0].papers["c"]


def test_a_changed_bib_entry_or_arxiv_record_is_merged_again():
    lib = _library()
    _fresh(lib)
    new_bib = dataclasses.replace(lib, bib={**lib.bib, "k2": bib("k2", "Entry title", "2019")})
    again = _link(new_bib)
    _same(again, _fresh(new_bib))
    assert again[0].papers["b"].year == 2019
    new_arxiv = dataclasses.replace(
        lib,
        arxiv={"1706.03762": {"title": "Another title", "authors": [], "published": "2018-01-01"}},
    )
    _fresh(lib)
    again = _link(new_arxiv)
    _same(again, _fresh(new_arxiv))
    assert again[0].papers["c"].title == "Another title"


def test_a_cited_work_without_a_note_follows_its_bib_entry():
    lib = _library()
    first = _fresh(lib)
    assert first[0].external["k"].title == "A book"
    again = _link(lib)
    assert again[0].external["k"] is first[0].external["k"]
    renamed = dataclasses.replace(lib, bib={**lib.bib, "k": bib("k", "A revised book", "2001")})
    changed = _link(renamed)
    _same(changed, _fresh(renamed))
    assert (changed[0].external["k"].title, changed[0].external["k"].year) == (
        "A revised book",
        2001,
    )
    # A new but equal entry (the .bib file saved again) gives back the same work.
    kept = _link(lib)[0].external["k"]
    saved_again = dataclasses.replace(lib, bib={**lib.bib, "k": bib("k", "A book", "1999")})
    assert _link(saved_again)[0].external["k"] is kept


def test_a_new_default_reader_reaches_reused_notes():
    lib = _library()
    _fresh(lib)
    readers = {"ann": Reader("ann", "Ann", default=True), "bob": Reader("bob", "Bob")}
    again = _link(dataclasses.replace(lib, readers=readers))
    assert again[0].papers["a"].readers == ("ann",)
    _same(again, _fresh(dataclasses.replace(lib, readers=readers)))


def test_authors_relinked_when_a_name_changes():
    lib = _library()
    first = _fresh(lib)
    assert "jane-smith" in first[0].people
    written = (split_name("Janet Smith"), split_name("J. Smith"))
    changed = dataclasses.replace(
        lib, papers={**lib.papers, "d": dataclasses.replace(lib.papers["d"], authors=written)}
    )
    again = _link(changed)
    _same(again, _fresh(changed))
    assert "janet-smith" in again[0].people and "jane-smith" not in again[0].people


def test_ambiguous_author_is_reported_where_the_note_now_writes_it():
    lib = _library()
    first = _fresh(lib)
    assert any(line.startswith("notes/d.yaml:7 PL632") for line in first[1])
    # Lines moved (a comment added above), names unchanged: the clustering is reused,
    # the message follows the name to its new line.
    moved = dataclasses.replace(
        lib.papers["d"],
        locations={**lib.papers["d"].locations, "authors/1": Location("notes/d.yaml", 9, 5)},
    )
    again = _link(dataclasses.replace(lib, papers={**lib.papers, "d": moved}))
    assert any(line.startswith("notes/d.yaml:9 PL632") for line in again[1])
    assert not any(line.startswith("notes/d.yaml:7 PL632") for line in again[1])


def test_listing_order_change_reorders_a_persons_papers():
    lib = _library()
    first = _fresh(lib)
    # Newest first: b has its year (2016) from BibTeX, a has none.
    assert first[0].people["ashish-vaswani"].papers == ("b", "a")
    newer = dataclasses.replace(lib.papers["a"], year=2030)
    changed = dataclasses.replace(lib, papers={**lib.papers, "a": newer})
    again = _link(changed)
    _same(again, _fresh(changed))
    assert again[0].people["ashish-vaswani"].papers == ("a", "b")


def test_a_kept_plan_stays_accurate_while_nodes_move_less_than_a_cell():
    rng = np.random.default_rng(7)
    n = 600
    x, y = rng.normal(size=n) * 12, rng.normal(size=n) * 12
    plan = L._Plan(x, y)
    # Every node moves up to the drift the layout allows before it plans again.
    angle = rng.uniform(0, 2 * np.pi, n)
    step = rng.uniform(0, L._DRIFT * plan.cell, n)
    x2, y2 = x + step * np.cos(angle), y + step * np.sin(angle)
    fx, fy = plan.forces(x2, y2)
    dx, dy = x2[:, None] - x2[None, :], y2[:, None] - y2[None, :]
    d2 = dx * dx + dy * dy
    np.fill_diagonal(d2, 1.0)
    ex, ey = (dx / d2).sum(axis=1), (dy / d2).sum(axis=1)
    error = np.hypot(fx - ex, fy - ey) / np.hypot(ex, ey).mean()
    assert error.max() < 0.1
