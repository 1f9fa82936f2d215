"""Reading order: topological order per topic, ties by year then title, cycles broken (link/order.py)."""

from __future__ import annotations

import pytest

from linkutil import linked, paper
from paperlog.diagnostics import Level
from paperlog.link.order import topo_order

YEARS = {"a": 2001, "b": 2002, "c": 2003, "d": 2004, "e": 2005, "f": 2006}


def key(n: str) -> tuple[float, str, str]:
    return (YEARS.get(n, float("inf")), n, n)


# (ids, cites, expected order, expected broken (first, cited) pairs)
CASES = [
    pytest.param("abc", {}, "abc", [], id="no-citations-by-year"),
    pytest.param("abc", {"a": "c"}, "bca", [], id="cited-paper-first-even-if-newer"),
    pytest.param("abcd", {"a": "b", "b": "c", "c": "d"}, "dcba", [], id="chain"),
    pytest.param("abcd", {"d": "ab", "c": "a"}, "abcd", [], id="diamond-keeps-year-order"),
    pytest.param("ab", {"a": "b", "b": "a"}, "ab", [("a", "b")], id="two-cycle-oldest-first"),
    pytest.param("abc", {"a": "b", "b": "c", "c": "a"}, "acb", [("a", "b")], id="three-cycle"),
    pytest.param(
        "abcd", {"a": "b", "b": "a", "c": "d"}, "abdc", [("a", "b")], id="cycle-and-chain"
    ),
    pytest.param(
        "abcd",
        {"b": "c", "c": "b", "a": "d"},
        "bcda",
        [("b", "c")],
        id="cycle-before-paper-citing-nothing-newer",
    ),
    pytest.param(
        "abcdef",
        {"a": "b", "b": "a", "c": "d", "d": "c", "e": "ab"},
        "abcdef",
        [("a", "b"), ("c", "d")],
        id="two-cycles",
    ),
    pytest.param(
        "abcd",
        {"d": "ab", "a": "d", "b": "d"},
        "abdc",
        [("a", "d"), ("b", "d")],
        id="two-cycles-through-one-paper",
    ),
    pytest.param(
        "abcd",
        {"a": "b", "b": "a", "c": "a"},
        "abcd",
        [("a", "b")],
        id="paper-citing-a-cycle-comes-after-it",
    ),
    pytest.param("ab", {"a": "ax"}, "ab", [], id="self-citation-and-outside-paper-ignored"),
    pytest.param("abx", {"b": "x"}, "axb", [], id="undated-paper-last-unless-cited"),
]


@pytest.mark.parametrize(("ids", "cites", "order", "broken"), CASES)
def test_topo_order(ids, cites, order, broken):
    got, cycles = topo_order(list(ids), {k: list(v) for k, v in cites.items()}, key)
    assert "".join(got) == order
    assert [(c.first, c.cited) for c in cycles] == broken
    position = {n: i for i, n in enumerate(got)}
    kept = [
        (n, c)
        for n, cs in cites.items()
        for c in cs
        if c in position and c != n and (n, c) not in broken
    ]
    # Every citation that was not broken points backwards in the order.
    assert all(position[c] < position[n] for n, c in kept)


def test_cycle_members_trace_the_cycle():
    _, cycles = topo_order(list("abc"), {"a": ["b"], "b": ["c"], "c": ["a"]}, key)
    assert cycles[0].members == ("a", "b", "c")


def test_order_is_independent_of_input_order():
    cites = {"d": ["a"], "b": ["c"], "c": ["b"]}
    first, _ = topo_order(list("abcd"), cites, key)
    second, _ = topo_order(list("dcba"), cites, key)
    assert first == second


def test_long_chain_has_no_recursion_limit():
    ids = [f"n{i:05d}" for i in range(5000)]
    cites = {ids[i]: [ids[i + 1]] for i in range(len(ids) - 1)}
    cites[ids[-1]] = [ids[0]]  # one cycle through all of them
    order, cycles = topo_order(ids, cites, lambda n: (0, n, n))
    assert len(order) == 5000 and len(cycles) == 1


def test_reading_order_per_topic_with_year_and_title_ties():
    lib, diags = linked(
        [
            paper("attention", year=2017, topics=("nlp",), cites=("bahdanau",)),
            paper("bahdanau", year=2014, topics=("nlp",)),
            paper("seq2seq", year=2014, title="Sequence to Sequence", topics=("nlp",)),
            paper("adam", year=2014, title="Adam", topics=("optim",)),
            paper("bert", year=2018, topics=("nlp",), cites=("attention", "adam")),
        ],
        topics=["nlp", "optim"],
    )
    # Same year: by title ("Sequence to Sequence" < "Title of bahdanau").
    assert lib.reading_order["nlp"] == ("seq2seq", "bahdanau", "attention", "bert")
    assert lib.reading_order["optim"] == ("adam",)
    assert [d for d in diags if d.code == "PL205"] == []


def test_cycle_is_reported_once_as_info_at_the_citation():
    lib, diags = linked(
        [
            paper("early", year=2016, topics=("t", "u"), cites=("other", "late")),
            paper("late", year=2017, topics=("t", "u"), cites=("early",)),
            paper("other", year=2010),
        ],
        topics=["t", "u"],
    )
    assert lib.reading_order["t"] == ("early", "late")
    infos = [d for d in diags if d.code == "PL205"]
    assert len(infos) == 1
    info = infos[0]
    assert info.level is Level.INFO
    assert (info.path, info.line, info.col) == ("notes/early.yaml", 11, 5)  # cites/1 names 'late'
    assert "'early' -> 'late' -> 'early'" in info.message
    assert "topics 't', 'u'" in info.message


def test_each_build_orders_the_topics_an_edit_touched_and_only_those_change():
    notes = [
        paper("attention", year=2017, topics=("nlp",), cites=("bahdanau",)),
        paper("bahdanau", year=2014, topics=("nlp",)),
        paper("adam", year=2014, topics=("optim",)),
        paper("sgd", year=1951, topics=("optim",)),
    ]
    first, _ = linked(notes, topics=["nlp", "optim"])
    assert first.reading_order["optim"] == ("sgd", "adam")
    # A year edit moves a paper in its topic, and only there.
    edited = [*notes[:3], paper("sgd", year=2020, topics=("optim",))]
    second, _ = linked(edited, topics=["nlp", "optim"])
    assert second.reading_order["optim"] == ("adam", "sgd")
    assert second.reading_order["nlp"] == first.reading_order["nlp"]
    # A citation added inside a topic changes its order too.
    cited = [
        notes[0],
        paper("bahdanau", year=2014, topics=("nlp",), cites=("attention",)),
        *edited[2:],
    ]
    third, diags = linked(cited, topics=["nlp", "optim"])
    assert third.reading_order["nlp"] == ("bahdanau", "attention")
    assert [d.code for d in diags if d.code == "PL205"] == ["PL205"]
    assert third.reading_order["optim"] == second.reading_order["optim"]
    # And the cycle is reported again on the next build.
    _, again = linked(cited, topics=["nlp", "optim"])
    assert [d.code for d in again if d.code == "PL205"] == ["PL205"]
