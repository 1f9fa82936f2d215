"""Read next: works cited but not noted, ranked by citing notes, then year (link/nextreads.py)."""

from __future__ import annotations

import pytest

from linkutil import bib, linked, paper

BIBS = [
    bib("old", "An old classic", "1990"),
    bib("new", "A new result", "2020"),
    bib("mid", "A middle one", "2005"),
    bib("same", "Same year B", "2005"),
]

CASES = [
    pytest.param(
        [
            paper("a", cites=("new",)),
            paper("b", cites=("new", "old")),
            paper("c", cites=("old", "new")),
        ],
        [("new", ("a", "b", "c")), ("old", ("b", "c"))],
        id="most-cited-first",
    ),
    pytest.param(
        [paper("a", cites=("new", "old", "mid"))],
        [("old", ("a",)), ("mid", ("a",)), ("new", ("a",))],
        id="ties-oldest-first",
    ),
    pytest.param(
        [paper("a", cites=("same", "mid"))],
        [("mid", ("a",)), ("same", ("a",))],
        id="same-year-by-title",
    ),
    pytest.param(
        [paper("a", cites=("b", "undated")), paper("b", cites=("mid",))],
        [("mid", ("b",)), ("undated", ("a",))],
        id="noted-works-excluded-undated-last",
    ),
    pytest.param(
        [paper("a", related=("old",)), paper("b", cites=("b",))],
        [],
        id="related-and-self-citations-are-not-suggestions",
    ),
    pytest.param(
        [
            paper("x", year=2001, cites=("old",)),
            paper("y", year=2019, cites=("old", "old")),
            paper("z", cites=("old",)),
        ],
        [("old", ("y", "x", "z"))],
        id="citing-notes-newest-first-counted-once",
    ),
]


@pytest.mark.parametrize(("papers", "expected"), CASES)
def test_read_next_ranking(papers, expected):
    lib, _ = linked(papers, BIBS)
    assert [(s.work.key, s.cited_by) for s in lib.read_next] == expected


def test_topic_counts_only_its_own_papers_and_keeps_five():
    keys = [f"w{i}" for i in range(7)]
    papers = [
        paper("t1", topics=("t",), cites=tuple(keys)),
        paper("t2", topics=("t",), cites=("w6",)),
        paper("u1", topics=("u",), cites=("w0",)),
        paper("u2", topics=("u",), cites=("w0",)),
    ]
    lib, _ = linked(
        papers,
        [bib(k, f"Work {k}", str(2000 + i)) for i, k in enumerate(keys)],
        topics=["t", "u", "empty"],
    )
    top = [(s.work.key, s.cited_by) for s in lib.read_next_by_topic["t"]]
    assert top == [
        ("w6", ("t1", "t2")),
        ("w0", ("t1",)),
        ("w1", ("t1",)),
        ("w2", ("t1",)),
        ("w3", ("t1",)),
    ]
    assert [(s.work.key, s.cited_by) for s in lib.read_next_by_topic["u"]] == [("w0", ("u1", "u2"))]
    assert lib.read_next_by_topic["empty"] == ()
    assert lib.read_next[0].work.key == "w0"  # site-wide: cited by three notes
