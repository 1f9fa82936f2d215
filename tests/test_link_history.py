"""The link layer's result depends on its arguments only, whatever it linked before.

`mkdocs serve` links the whole library again after every edit, in the same
process. Nothing the linker made for one build may show in the next: each test
links a library after linking others, and compares with linking it first.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from linkutil import bib, paper
from paperlog.diagnostics import Diagnostics
from paperlog.link import LayoutCache, link_library
from paperlog.link import layout as L
from paperlog.load.notes import split_name
from paperlog.model import AuthorAlias, LinkedLibrary, LoadedLibrary, Location, Reader
from paperlog.settings import Settings

SETTINGS = Settings(root=Path("/site"), notes_dir=Path("/site/notes"))


def _link(
    lib: LoadedLibrary, layouts: LayoutCache | None = None
) -> tuple[LinkedLibrary, list[str]]:
    diags = Diagnostics()
    out = link_library(lib, SETTINGS, diags, layouts)
    return out, [f"{d.path}:{d.line} {d.code} {d.message}" for d in diags.sorted()]


def _library() -> LoadedLibrary:
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
    return LoadedLibrary(
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


def _same(got: tuple[LinkedLibrary, list[str]], want: tuple[LinkedLibrary, list[str]]) -> None:
    (lib, found), (expected, expected_found) = got, want
    assert lib.papers == expected.papers
    assert lib.people == expected.people
    assert lib.local_graphs == expected.local_graphs
    assert lib.external == expected.external
    assert lib.reading_order == expected.reading_order
    assert lib.graph == expected.graph
    assert lib.timeline == expected.timeline
    assert lib.stats == expected.stats
    assert found == expected_found


def _edits(lib: LoadedLibrary) -> list[LoadedLibrary]:
    """The library after each of a few edits a reader makes between two saves."""
    papers = lib.papers
    return [
        dataclasses.replace(
            lib, papers={**papers, "b": dataclasses.replace(papers["b"], title="Renamed")}
        ),
        dataclasses.replace(lib, bib={**lib.bib, "k2": bib("k2", "Entry title", "2019")}),
        dataclasses.replace(
            lib,
            arxiv={
                "1706.03762": {"title": "Another title", "authors": [], "published": "2018-01-01"}
            },
        ),
        dataclasses.replace(lib, readers={"ann": lib.readers["ann"]}),
        dataclasses.replace(
            lib,
            papers={
                **papers,
                "c": dataclasses.replace(
                    papers["c"], authors=(split_name("Jane Smith"), split_name("J. Smith"))
                ),
            },
        ),
        dataclasses.replace(
            lib, papers={**papers, "a": dataclasses.replace(papers["a"], year=2030)}
        ),
        dataclasses.replace(lib, papers={k: v for k, v in papers.items() if k != "d"}),
    ]


def test_linking_after_other_libraries_gives_what_linking_first_gives():
    lib = _library()
    edits = _edits(lib)
    first = {i: _link(e) for i, e in enumerate([lib, *edits])}
    # Every library again, in another order and after all the others: the same results.
    layouts = LayoutCache()
    for i, edited in reversed(list(enumerate([lib, *edits]))):
        _same(_link(edited, layouts), first[i])
        _same(_link(edited, layouts), first[i])  # the layout from the cache this time


def test_each_edit_shows_in_the_result():
    lib = _library()
    renamed, new_bib, new_arxiv, *_ = _edits(lib)
    assert _link(renamed)[0].papers["b"].title == "Renamed"
    assert _link(new_bib)[0].papers["b"].year == 2019
    assert _link(new_arxiv)[0].papers["c"].title == "Another title"
    # The diagnostics of every note are reported on every build (PL301, PL632).
    assert {"PL301", "PL632"} <= {line.split()[1] for line in _link(lib)[1]}


def test_the_linked_library_cannot_be_changed():
    import pytest

    linked, _ = _link(_library())
    with pytest.raises(dataclasses.FrozenInstanceError):
        linked.papers = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        linked.papers["x"] = linked.papers["a"]  # type: ignore[index]
    with pytest.raises(TypeError):
        linked.people["x"] = next(iter(linked.people.values()))  # type: ignore[index]


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
