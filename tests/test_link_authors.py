"""Author merging (link/authors.py): which spellings become one person, as tables."""

from __future__ import annotations

import pytest

from paperlog.diagnostics import Diagnostics
from paperlog.link.authors import compatible, fold, merge_authors, name_key, person_slug, words
from paperlog.load.notes import split_name
from paperlog.model import AuthorAlias, Paper


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Łukasz Kaiser", "lukasz kaiser"),
        ("Müller", "muller"),
        ("Ærøskøbing", "aeroskobing"),
        ("GARCÍA", "garcia"),
        ("李飞飞", "李飞飞"),  # no ASCII form: kept, so it still compares with itself
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jean-Pierre", ["jean", "pierre"]),
        ("J.-P.", ["j", "p"]),
        ("G. E.", ["g", "e"]),
        ("O'Brien", ["obrien"]),
        ("", []),
    ],
)
def test_words(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("a",), ("ashish",), True),
        (("ashish",), ("ashish",), True),
        (("geoffrey",), ("g", "e"), True),  # missing middle names are allowed
        (("geoffrey", "e"), ("geoffrey", "everest"), True),
        (("john",), ("jane",), False),
        (("j", "a"), ("john", "b"), False),
        (("y",), ("yoshua",), True),
        (("b",), ("yoshua",), False),
    ],
)
def test_compatible_given_names(a, b, same):
    assert compatible(a, b) is same
    assert compatible(b, a) is same


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Ashish Vaswani", "vaswani", ("ashish",)),
        ("Vaswani, A.", "vaswani", ("a",)),
        ("Laurens van der Maaten", "maaten", ("laurens",)),
        ("van der Maaten, Laurens", "maaten", ("laurens",)),
        ("Łukasz Kaiser", "kaiser", ("lukasz",)),
        ("OpenAI", "openai", ()),
    ],
)
def test_name_key(name, family, given):
    key = name_key(split_name(name))
    assert (key.family, key.given) == (family, given)


def _papers(*author_lists: list[str]) -> dict[str, Paper]:
    return {
        f"p{i}": Paper(
            id=f"p{i}",
            source=f"notes/p{i}.yaml",
            title=f"Paper {i}",
            authors=tuple(split_name(a) for a in names),
        )
        for i, names in enumerate(author_lists)
    }


def _merge(*author_lists: list[str], aliases: dict[str, list[str]] | None = None):
    diags = Diagnostics()
    entries = {
        k: AuthorAlias(k, tuple(v), "notes/authors.yaml", 1, tuple(range(2, 2 + len(v))))
        for k, v in (aliases or {}).items()
    }
    papers = _papers(*author_lists)
    people, linked = merge_authors(papers, entries, {pid: i for i, pid in enumerate(papers)}, diags)
    return people, linked, diags


# Each case: author lists of some papers -> the people they make, as
# {shown name: sorted spellings}.
MERGE_CASES = [
    (
        "initial and full first name",
        [["A. Vaswani"], ["Ashish Vaswani"]],
        {"Ashish Vaswani": ["A. Vaswani", "Ashish Vaswani"]},
    ),
    (
        "accents and case",
        [["Lukasz Kaiser"], ["Łukasz Kaiser"], ["KAISER, Ł."]],
        {"Łukasz Kaiser": ["Lukasz Kaiser", "Ł. KAISER", "Łukasz Kaiser"]},
    ),
    ("last, first form", [["Shazeer, Noam"], ["Noam Shazeer"]], {"Noam Shazeer": ["Noam Shazeer"]}),
    (
        "middle initial",
        [["Geoffrey E. Hinton"], ["Geoffrey Hinton"], ["G. Hinton"]],
        {"Geoffrey E. Hinton": ["G. Hinton", "Geoffrey E. Hinton", "Geoffrey Hinton"]},
    ),
    (
        "different first names stay apart",
        [["John Smith"], ["Jane Smith"]],
        {"Jane Smith": ["Jane Smith"], "John Smith": ["John Smith"]},
    ),
    (
        "ambiguous initial stays apart",
        [["John Smith"], ["Jane Smith"], ["J. Smith"]],
        {"J. Smith": ["J. Smith"], "Jane Smith": ["Jane Smith"], "John Smith": ["John Smith"]},
    ),
    (
        "different family names stay apart",
        [["Ashish Vaswani"], ["Ashish Kumar"]],
        {"Ashish Kumar": ["Ashish Kumar"], "Ashish Vaswani": ["Ashish Vaswani"]},
    ),
    (
        "family name alone joins the only person",
        [["Vaswani"], ["Ashish Vaswani"]],
        {"Ashish Vaswani": ["Ashish Vaswani", "Vaswani"]},
    ),
    (
        "particles",
        [["Laurens van der Maaten"], ["van der Maaten, L."]],
        {"Laurens van der Maaten": ["L. van der Maaten", "Laurens van der Maaten"]},
    ),
]


@pytest.mark.parametrize(
    ("case", "lists", "expected"), MERGE_CASES, ids=[c[0] for c in MERGE_CASES]
)
def test_merge_rule(case, lists, expected):
    people, _, _ = _merge(*lists)
    found = {p.name: sorted({p.name, *p.variants}) for p in people.values()}
    assert found == expected


def test_ambiguous_name_is_reported_as_info():
    _, _, diags = _merge(["John Smith"], ["Jane Smith"], ["J. Smith"])
    (problem,) = [d for d in diags if d.code == "PL632"]
    assert problem.path == "notes/p2.yaml"
    assert (
        "'J. Smith'" in problem.message
        and "'Jane Smith'" in problem.message
        and "'John Smith'" in problem.message
    )
    assert str(problem.level) == "info"


def test_aliases_merge_what_the_rule_cannot_and_choose_the_shown_name():
    people, _, diags = _merge(
        ["Yann LeCun"], ["Y. Le Cun"], ["Jane Doe"], ["Jane Roe"],
        aliases={"Yann LeCun": ["Y. Le Cun"], "Jane Doe-Roe": ["Jane Doe", "Jane Roe"]},
    )  # fmt: skip
    found = {p.name: sorted(p.variants) for p in people.values()}
    assert found == {"Jane Doe-Roe": ["Jane Doe", "Jane Roe"], "Yann LeCun": ["Y. Le Cun"]}
    assert list(diags) == []


def test_alias_problems_are_diagnostics():
    _, _, diags = _merge(
        ["Ashish Vaswani"],
        aliases={
            "Ashish Vaswani": ["A. V."],
            "Someone Else": ["A. V."],
            "Nobody Here": ["N. Here"],
        },
    )
    codes = {(d.code, str(d.level)) for d in diags}
    assert ("PL630", "warning") in codes  # 'A. V.' under two canonical names
    assert ("PL631", "info") in codes  # 'Nobody Here' names no author


def test_people_sorted_by_family_with_papers_in_listing_order_and_authors_linked():
    people, linked, _ = _merge(["Zoë Zhang", "Ashish Vaswani"], ["A. Vaswani", "Émile Abel"])
    assert [p.name for p in people.values()] == ["Émile Abel", "Ashish Vaswani", "Zoë Zhang"]
    vaswani = people["ashish-vaswani"]
    assert vaswani.papers == ("p0", "p1")
    assert [a.person for a in linked["p1"].authors] == ["ashish-vaswani", "emile-abel"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Łukasz Kaiser", "lukasz-kaiser"), ("Zoë Müller", "zoe-muller"), ("X", "x")],
)
def test_person_slug(name, slug):
    assert person_slug(name) == slug


def test_person_slug_for_names_without_ascii_form_is_stable():
    assert person_slug("李飞飞") == person_slug("李飞飞")
    assert person_slug("李飞飞").startswith("author-")
    assert person_slug("李飞飞") != person_slug("王小明")


def test_same_slug_gets_a_number():
    people, _, _ = _merge(["John Smith"], ["Jane Smith"], ["J. Smith"], ["J Smith-Jones"])
    assert len({p.slug for p in people.values()}) == len(people)
