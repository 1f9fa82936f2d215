"""Citations, the bibliography page and papers.bib, in real MkDocs + Material builds."""

from __future__ import annotations

import bibtexparser
import pytest

from paperlog.markdown.citesyntax import CiteItem, find_line, parse_group, scan_citations

REFERENCES = r"""
@string{neurips = "Advances in Neural Information Processing Systems"}

@inproceedings{vaswani2017attention,
  title     = {Attention Is All You Need},
  author    = {Vaswani, Ashish and Shazeer, Noam and Parmar, Niki and Kaiser, {\L}ukasz},
  booktitle = neurips # " 30",
  pages     = {5998--6008},
  year      = {2017},
  eprint    = {1706.03762},
  archiveprefix = {arXiv}
}

@article{ba2016layer,
  title   = {Layer Normalization},
  author  = {Ba, Jimmy Lei and Kiros, Jamie Ryan and Hinton, Geoffrey E.},
  journal = {arXiv preprint arXiv:1607.06450},
  year    = {2016}
}

@inproceedings{he2016deep,
  title     = {Deep Residual Learning for Image Recognition},
  author    = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  booktitle = {Proceedings of the {IEEE} Conference on Computer Vision and Pattern Recognition},
  pages     = {770--778},
  year      = {2016},
  doi       = {10.1109/CVPR.2016.90}
}

@article{kingma2014adam,
  title   = {Adam: A Method for Stochastic Optimization},
  author  = {Kingma, Diederik P. and Ba, Jimmy},
  journal = {arXiv preprint arXiv:1412.6980},
  year    = {2014}
}

@article{dosovitskiy2020image,
  title  = {An Image is Worth $16\times16$ Words},
  author = {Dosovitskiy, Alexey and Beyer, Lucas},
  year   = {2021}
}
"""

# vaswani2017attention has a note and takes everything from BibTeX (same key, no bibkey).
ATTENTION_NOTE = """
status: implemented
summary: Builds on [@ba2016layer] and cites [@nosuchpaper].
"""

OWN_NOTE = """
title: Notes on my own idea
authors: [Ada Lovelace]
year: 2026
venue: Workshop on Reading
"""

INDEX = """
# Reading notes

Attention [@vaswani2017attention] changed everything, as @he2016deep showed for depth.
Several at once [@kingma2014adam, p. 3; @ba2016layer]; see [see @he2016deep, sec. 4]; year only [-@ba2016layer].
Write to ada@example.org; `[@vaswani2017attention]` in code stays as written; so does \\@he2016deep.

```text
[@he2016deep] in a fence
```

Unknown: [@doesnotexist2020].
"""

OTHER = """
# Other page

Only [@dosovitskiy2020image] here, and [@vaswani2017attention].
"""


def files(extra: dict[str, str] | None = None) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {
        "notes/references.bib": REFERENCES,
        "notes/papers/vaswani2017attention.yaml": ATTENTION_NOTE,
        "notes/papers/mine2026idea.yaml": OWN_NOTE,
        "docs/index.md": INDEX,
        "docs/other.md": OTHER,
    }
    out.update(extra or {})
    return out


TOOLTIP_CONFIG = {
    "theme": {
        "name": "material",
        "font": False,
        "features": ["content.tooltips", "content.code.copy"],
    }
}


@pytest.fixture
def author_year(make_site):
    return make_site(files(), config=TOOLTIP_CONFIG)


def cites(page) -> list:
    return page.select("article .pl-cite")


def test_author_year_citations_link_to_notes_or_bibliography(author_year):
    page = author_year.html("")
    texts = [c.get_text() for c in cites(page)]
    assert texts[:6] == [
        "(Vaswani et al., 2017)",
        "He et al. (2016)",
        "(Kingma and Ba, 2014, p. 3; Ba et al., 2016)",
        "(see He et al., 2016, sec. 4)",
        "(2016)",
        "(doesnotexist2020?)",
    ]
    first = cites(page)[0].a
    assert first["href"] == "papers/vaswani2017attention/"  # a note exists
    assert "Attention Is All You Need" in first["title"] and "Łukasz Kaiser" in first["title"]
    in_text = cites(page)[1].a
    assert in_text["href"] == "bibliography/#he2016deep"  # no note: its bibliography entry
    assert in_text["title"].startswith(
        "Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun (2016). Deep Residual"
    )


def test_citations_never_touch_code_or_email_addresses(author_year):
    article = author_year.html("").select_one("article")
    assert article.find("code", string="[@vaswani2017attention]") is not None
    assert "[@he2016deep] in a fence" in article.select_one("pre").get_text()
    paragraph = next(p for p in article.find_all("p") if "ada@example.org" in p.get_text())
    assert "so does @he2016deep" in paragraph.get_text()
    assert all("ada" not in c.get_text() for c in cites(author_year.html("")))


def test_each_citing_page_ends_with_its_references(author_year):
    page = author_year.html("")
    heading = page.select_one("article h2#references")
    assert heading is not None
    items = page.select("article ul.pl-references li")
    assert [li.a.get_text() for li in items] == [
        "Layer Normalization",
        "Deep Residual Learning for Image Recognition",
        "Adam: A Method for Stochastic Optimization",
        "Attention Is All You Need",
    ]
    assert items[1].select_one("a.pl-doi")["href"] == "https://doi.org/10.1109/CVPR.2016.90"
    # The References heading is in the page's table of contents.
    toc = [a.get_text(strip=True) for a in page.select("nav.md-nav--secondary a")]
    assert "References" in toc
    # Math in a title is rendered in the References list.
    other = author_year.html("other/")
    assert other.select_one("article ul.pl-references math") is not None


def test_unknown_keys_warn_with_page_or_note_and_line(author_year):
    warnings = author_year.warnings
    assert any(
        "docs/index.md:11:1: warning[PL310]" in w and "doesnotexist2020" in w for w in warnings
    )
    assert any(
        "notes/papers/vaswani2017attention.yaml:2:" in w and "nosuchpaper" in w for w in warnings
    )


def test_numeric_style_numbers_by_first_citation(make_site):
    config = {**TOOLTIP_CONFIG, "plugins": ["search", {"paperlog": {"citation_style": "numeric"}}]}
    site = make_site(files(), config=config)
    page = site.html("")
    texts = [c.get_text() for c in cites(page)]
    assert texts[:5] == ["[1]", "He et al. [2]", "[3, p. 3; 4]", "[see 2, sec. 4]", "[4]"]
    items = page.select("article ol.pl-references li")
    assert [(li["value"], li.a.get_text()) for li in items] == [
        ("1", "Attention Is All You Need"),
        ("2", "Deep Residual Learning for Image Recognition"),
        ("3", "Adam: A Method for Stochastic Optimization"),
        ("4", "Layer Normalization"),
    ]
    assert cites(page)[0].a["title"].startswith("Ashish Vaswani")


def test_paper_page_shows_bibtex_metadata_entry_and_cited_in(author_year):
    page = author_year.html("papers/vaswani2017attention/")
    article = page.select_one("article")
    assert (
        article.h1.get_text(strip=True) == "Attention Is All You Need"
    )  # from BibTeX, no bibkey needed
    assert (
        "Advances in Neural Information Processing Systems 30"
        in article.select_one(".pl-venue").get_text()
    )
    assert "5998–6008" in article.select_one(".pl-venue").get_text()
    code = article.find(id="bibtex").find_next("pre").get_text()
    assert code.startswith("@inproceedings{vaswani2017attention,")
    assert 'booktitle = neurips # " 30",' in code  # exactly as written
    cited_in = article.find(id="cited-in").find_next("ul")
    assert sorted(a.get_text() for a in cited_in.find_all("a")) == ["Other page", "Reading notes"]
    assert {a["href"] for a in cited_in.find_all("a")} == {"../../", "../../other/"}
    # The summary's own citation links to the entry (no note for it) and gets a References list.
    assert article.select_one(".pl-cite a")["href"] == "../../bibliography/#ba2016layer"
    assert article.select_one("h2#references") is not None


def test_note_without_entry_gets_a_generated_one(author_year):
    article = author_year.html("papers/mine2026idea/").select_one("article")
    code = article.find(id="bibtex").find_next("pre").get_text()
    assert code.startswith("@article{mine2026idea,")
    assert "journal = {Workshop on Reading}" in code


def test_bibliography_page_lists_every_entry_with_anchors(author_year):
    page = author_year.html("bibliography/")
    entries = page.select("article .pl-bib-entry")
    assert {e["id"] for e in entries} == {
        "vaswani2017attention",
        "ba2016layer",
        "he2016deep",
        "kingma2014adam",
        "dosovitskiy2020image",
    }
    order = [e["id"] for e in entries]
    assert order == [
        "ba2016layer",
        "dosovitskiy2020image",
        "he2016deep",
        "kingma2014adam",
        "vaswani2017attention",
    ]
    noted = page.select_one("#vaswani2017attention a")
    assert noted["href"] == "../papers/vaswani2017attention/"
    assert page.select_one("#dosovitskiy2020image math") is not None
    assert [a.get_text() for a in page.select("article .pl-jump a")] == ["B", "D", "H", "K", "V"]
    nav = [a.get_text(strip=True) for a in page.select("nav.md-nav--primary a.md-nav__link")]
    assert "Bibliography" in nav


def test_papers_bib_parses_back(author_year):
    library = bibtexparser.parse_string(author_year.text("papers.bib"))
    assert not library.failed_blocks
    assert sorted(e.key for e in library.entries) == ["mine2026idea", "vaswani2017attention"]
    attention = next(e for e in library.entries if e.key == "vaswani2017attention")
    assert (
        attention["booktitle"] == "Advances in Neural Information Processing Systems 30"
    )  # macro expanded
    assert attention["author"].startswith("Vaswani, Ashish and")


def test_clean_site_builds_strict(make_site):
    clean = files({"docs/index.md": "# Home\n\nSee [@vaswani2017attention] and @he2016deep.\n"})
    clean["notes/papers/vaswani2017attention.yaml"] = (
        "status: implemented\nsummary: After [@ba2016layer].\n"
    )
    site = make_site(clean, strict=True)
    assert site.warnings == []


def test_bibkey_matching_nothing_warns_with_its_line(make_site):
    site = make_site(files({"notes/papers/x.yaml": "title: X\nbibkey: vaswani2017atention\n"}))
    assert any(
        "notes/papers/x.yaml:2:" in w and "PL301" in w and "vaswani2017attention" in w
        for w in site.warnings
    )


def test_citations_work_inside_mkdocstrings_docstrings(make_site):
    pytest.importorskip(
        "mkdocstrings_handlers.python", reason="mkdocstrings[python] is not installed"
    )
    module = '''
def attend(q, k, v):
    """Scaled dot-product attention, as in [@vaswani2017attention].

    Residual connections follow @he2016deep.
    """
'''
    config = {
        **TOOLTIP_CONFIG,
        "plugins": [
            "search",
            "paperlog",
            {"mkdocstrings": {"handlers": {"python": {"paths": ["src"]}}}},
        ],
    }
    site = make_site(
        files({"src/attention.py": module, "docs/api.md": "# API\n\n::: attention.attend\n"}),
        config=config,
    )
    page = site.html("api/")
    links = [(c.get_text(), c.a["href"]) for c in page.select("article .pl-cite")]
    assert links == [
        ("(Vaswani et al., 2017)", "../papers/vaswani2017attention/"),
        ("He et al. (2016)", "../bibliography/#he2016deep"),
    ]
    assert page.select_one("article h2#references") is not None


@pytest.mark.parametrize(
    ("inner", "items"),
    [
        ("@a", [CiteItem("a")]),
        ("@a; @b", [CiteItem("a"), CiteItem("b")]),
        ("@a, p. 3", [CiteItem("a", locator="p. 3")]),
        ("-@a", [CiteItem("a", suppress_author=True)]),
        ("see @a, pp. 1-2; also @b", [CiteItem("a", "see", "pp. 1-2"), CiteItem("b", "also")]),
        ("@DBLP:journals/corr/abs-1706-03762", [CiteItem("DBLP:journals/corr/abs-1706-03762")]),
        ("@{weird key}", None),
        ("@{weird.key}", [CiteItem("weird.key")]),
        ("mail ada@example.org", None),
        ("a link", None),
    ],
)
def test_citation_groups_parse_like_pandoc(inner, items):
    assert parse_group(inner) == items


def test_scanner_skips_code_and_comments_and_finds_lines():
    text = "# T\n\n[@a] and @b.\n\n```\n[@c]\n```\n\n`[@d]` <!-- [@e] -->\nx@b.org and @unknown\n"
    assert list(scan_citations(text, {"a", "b", "c", "d", "e"})) == [("a", 3), ("b", 3)]
    assert find_line(text, "b") == 3
    assert find_line(text, "c") == 0
