"""Backlinks: cites resolved to notes, cited by, related in both directions (link/backlinks.py)."""

from __future__ import annotations

import pytest

from linkutil import bib, linked, paper

CASES = [
    pytest.param(
        [paper("a", cites=("b",)), paper("b")],
        [],
        {"cites": {"a": ("b",)}, "cited_by": {"b": ("a",)}, "related_to": {}, "external": []},
        id="note-cites-note",
    ),
    pytest.param(
        [paper("a", cites=("vaswani2017",)), paper("attention", bibkey="vaswani2017")],
        [bib("vaswani2017", "Attention Is All You Need", "2017")],
        {
            "cites": {"a": ("attention",)},
            "cited_by": {"attention": ("a",)},
            "related_to": {},
            "external": [],
        },
        id="bibtex-key-of-a-note-resolves-to-the-note",
    ),
    pytest.param(
        [paper("a", cites=("arXiv:1706.03762v5",)), paper("attention", arxiv="1706.03762")],
        [],
        {
            "cites": {"a": ("attention",)},
            "cited_by": {"attention": ("a",)},
            "related_to": {},
            "external": [],
        },
        id="arxiv-id-with-prefix-and-version-resolves-to-the-note",
    ),
    pytest.param(
        [paper("a", cites=("lecun1998",)), paper("b", cites=("lecun1998",))],
        [bib("lecun1998", "Gradient-based learning", "1998")],
        {
            "cites": {"a": ("lecun1998",), "b": ("lecun1998",)},
            "cited_by": {"lecun1998": ("a", "b")},
            "related_to": {},
            "external": ["lecun1998"],
        },
        id="bibtex-key-without-note-is-cited-by-key",
    ),
    pytest.param(
        [paper("a", cites=("someday2020",))],
        [],
        {
            "cites": {"a": ("someday2020",)},
            "cited_by": {"someday2020": ("a",)},
            "related_to": {},
            "external": ["someday2020"],
        },
        id="bare-id-is-kept-as-written",
    ),
    pytest.param(
        [paper("a", cites=("b", "bk", "b", "a")), paper("b", bibkey="bk")],
        [bib("bk", "B")],
        {"cites": {"a": ("b",)}, "cited_by": {"b": ("a",)}, "related_to": {}, "external": []},
        id="duplicates-and-self-citation-dropped",
    ),
    pytest.param(
        [paper("a", related=("b",)), paper("b"), paper("c", related=("a", "c"))],
        [],
        {
            "cites": {},
            "cited_by": {},
            "related_to": {"a": ("b", "c"), "b": ("a",), "c": ("a",)},
            "external": [],
        },
        id="related-both-directions-self-dropped",
    ),
    pytest.param(
        [paper("a", related=("k",))],
        [bib("k", "Some book")],
        {"cites": {}, "cited_by": {}, "related_to": {"a": ("k",)}, "external": ["k"]},
        id="related-to-a-work-without-note-one-direction",
    ),
    pytest.param(
        [
            paper("x", cites=("t",), year=2001),
            paper("y", cites=("t",), year=2020),
            paper("z", cites=("t",)),
            paper("t"),
        ],
        [],
        {
            "cites": {"x": ("t",), "y": ("t",), "z": ("t",)},
            "cited_by": {"t": ("y", "x", "z")},
            "related_to": {},
            "external": [],
        },
        id="cited-by-lists-newest-first-undated-last",
    ),
]


@pytest.mark.parametrize(("papers", "bibs", "expected"), CASES)
def test_backlinks(papers, bibs, expected):
    lib, _ = linked(papers, bibs)
    assert lib.cites_resolved == expected["cites"]
    assert lib.cited_by == expected["cited_by"]
    assert lib.related_to == expected["related_to"]
    assert sorted(lib.external) == expected["external"]


def test_external_work_takes_metadata_from_bibtex():
    lib, _ = linked([paper("a", cites=("k",))], [bib("k", "Deep Learning", "2016", doi="10.1/x")])
    work = lib.external["k"]
    assert (work.title, work.year, work.url) == ("Deep Learning", 2016, "https://doi.org/10.1/x")


def test_citing_a_note_by_its_arxiv_id_is_not_an_error():
    _, diags = linked([paper("a", cites=("1706.03762",)), paper("attention", arxiv="1706.03762")])
    assert [d for d in diags if d.code == "PL201"] == []


def test_unknown_reference_is_still_reported():
    _, diags = linked([paper("a", cites=("nothere",))])
    assert [(d.code, d.line) for d in diags if d.code == "PL201"] == [("PL201", 10)]
