"""End-to-end: real MkDocs + Material builds of small sites, asserting on the HTML."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import Abort

ATTENTION = """
title: Attention Is All You Need
authors: [Ashish Vaswani, "Shazeer, Noam"]
year: 2017
venue: NeurIPS
arxiv: "1706.03762"
doi: 10.5555/3295222.3295349
status: implemented
topics: [transformers]
tags: [attention, nlp]
rating: 4
log:
  - {date: 2026-01-05, pass: skim, minutes: 15}
  - {date: 2026-01-07, pass: first, minutes: 90}
summary: |
  Attention only: $\\mathrm{softmax}(QK^T)V$ and `code`.
passes:
  first: Sections 1 to 3.
  second: |
    ```python
    x = 1
    ```
highlights:
  - {quote: "We propose a new simple network architecture", page: 1, note: "the *claim*"}
figures:
  - {src: fig/heads.png, caption: "Attention heads", page: 13}
questions:
  - {q: "Why divide by sqrt(d_k)?", a: "Large dot products saturate the softmax."}
resources:
  - {kind: blog, title: Illustrated, url: "https://example.org/illustrated"}
  - {kind: video, title: Evil, url: "javascript:alert(1)"}
cites: [bahdanau2014neural]
related: [ba2016layer]
"""

BAHDANAU = """
title: Neural Machine Translation by Jointly Learning to Align and Translate
authors: [Dzmitry Bahdanau]
year: 2014
status: second-pass
topics: [transformers]
"""

LAYERNORM = """
title: Layer Normalization
year: 2016
status: to-read
"""

TOPICS = """
transformers:
  name: Transformers
  description: From *alignment* to attention everywhere.
"""

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def site_files() -> dict[str, str | bytes]:
    return {
        "notes/papers/vaswani2017attention.yaml": ATTENTION,
        "notes/papers/fig/heads.png": PNG,
        "notes/papers/bahdanau2014neural.yaml": BAHDANAU,
        "notes/papers/ba2016layer.yaml": LAYERNORM,
        "notes/topics.yaml": TOPICS,
    }


def test_minimal_site_builds_strict_with_every_page(make_site):
    site = make_site(site_files(), strict=True)
    for url in ("papers/", "topics/", "topics/transformers/", "papers/vaswani2017attention/", ""):
        assert site.exists(url), url
    assert site.exists("schemas/note.schema.json")
    assert site.warnings == []


def test_paper_page_shows_what_a_reader_needs(make_site):
    site = make_site(site_files(), strict=True)
    page = site.html("papers/vaswani2017attention/")
    article = page.select_one("article")
    assert article.h1.get_text(strip=True) == "Attention Is All You Need"
    assert "Ashish Vaswani, Noam Shazeer" in article.select_one(".pl-byline").get_text()
    assert "NeurIPS" in article.select_one(".pl-venue").get_text()
    links = {a.get_text(strip=True): a["href"] for a in article.select(".pl-links a")}
    assert links["arXiv"] == "https://arxiv.org/abs/1706.03762"
    assert links["PDF"] == "https://arxiv.org/pdf/1706.03762"
    assert links["DOI"] == "https://doi.org/10.5555/3295222.3295349"
    assert article.select_one(".pl-status").get_text(strip=True) == "Implemented"
    assert article.select_one(".pl-rating")["aria-label"] == "Rating: 4 of 5"
    # Summary is Markdown with math rendered to MathML at build time.
    assert article.find("math") is not None
    assert article.find("code", string="code") is not None
    # Reading passes become tabs; code blocks inside them are highlighted.
    tabs = [label.get_text(strip=True) for label in article.select(".tabbed-labels label")]
    assert tabs == ["First pass", "Second pass"]
    assert article.select_one(".tabbed-block .highlight") is not None
    # Highlight with its page; question with its answer.
    quote = article.select_one(".admonition.quote")
    assert "Page 1" in quote.get_text() and "claim" in quote.em.get_text()
    question = article.select_one("details.question")
    assert "Why divide by sqrt(d_k)?" in question.summary.get_text()
    # Figure copied next to the page, with caption.
    figure = article.select_one("figure.pl-figure")
    assert "Attention heads" in figure.figcaption.get_text()
    assert site.exists("papers/vaswani2017attention/1-heads.png")
    # Resources: only http(s) URLs are links.
    resources = article.find(id="resources").find_next("ul")
    assert resources.find("a", string="Illustrated")["href"] == "https://example.org/illustrated"
    assert resources.find("a", string="Evil") is None
    assert "javascript:" not in str(article.select("a[href]"))
    # cites and related link to the other papers' pages.
    cites = article.find(id="cites").find_next("ul").a
    assert (
        cites.get_text() == "Neural Machine Translation by Jointly Learning to Align and Translate"
    )
    assert cites["href"] == "../bahdanau2014neural/"
    related = article.find(id="related").find_next("ul").a
    assert related["href"] == "../ba2016layer/"
    # The reading log lists both sessions.
    log_rows = article.find(id="reading-log").find_next("table").tbody.find_all("tr")
    assert [r.td.get_text() for r in log_rows] == ["2026-01-05", "2026-01-07"]


def test_cited_paper_lists_cited_by_and_related_both_ways(make_site):
    site = make_site(site_files(), strict=True)
    bahdanau = site.html("papers/bahdanau2014neural/")
    assert bahdanau.find(id="cited-by").find_next("ul").a["href"] == "../vaswani2017attention/"
    layernorm = site.html("papers/ba2016layer/")
    assert layernorm.find(id="related").find_next("ul").a["href"] == "../vaswani2017attention/"


def test_indexes_and_topic_progress(make_site):
    site = make_site(site_files(), strict=True)
    papers = site.html("papers/")
    rows = papers.select(".pl-table tbody tr")
    assert [r.a.get_text() for r in rows] == [
        "Attention Is All You Need",
        "Layer Normalization",
        "Neural Machine Translation by Jointly Learning to Align and Translate",
    ]
    topic = site.html("topics/transformers/")
    assert "alignment" in topic.select_one("article em").get_text()
    legend = topic.select_one(".pl-progress__legend").get_text(" ", strip=True)
    assert "Implemented 1" in legend and "Second pass 1" in legend
    assert len(topic.select(".pl-table tbody tr")) == 2
    home = site.html("")
    hrefs = [a["href"] for a in home.select("article a")]
    assert "papers/" in hrefs and "topics/" in hrefs


def test_navigation_holds_indexes_not_papers(make_site):
    site = make_site(site_files(), strict=True)
    nav_links = [
        a.get_text(strip=True)
        for a in site.html("papers/").select("nav.md-nav--primary a.md-nav__link")
    ]
    assert "Papers" in nav_links and "Topics" in nav_links
    assert "Attention Is All You Need" not in nav_links


def test_papers_in_nav_opt_in(make_site):
    site = make_site(
        site_files(), config={"plugins": ["search", {"paperlog": {"papers_in_nav": True}}]}
    )
    nav_links = [
        a.get_text(strip=True)
        for a in site.html("papers/").select("nav.md-nav--primary a.md-nav__link")
    ]
    assert "Attention Is All You Need" in nav_links


def test_broken_note_fails_strict_and_is_skipped_otherwise(make_site):
    files = site_files()
    files["notes/papers/broken.yaml"] = "title: [unclosed\n"
    files["notes/papers/typo.yaml"] = "title: Typo\nstatuss: to-read\n"
    with pytest.raises(Abort):
        make_site(files, strict=True)
    site = make_site(files)
    assert any("notes/papers/broken.yaml:2:1: error[PL101]" in w for w in site.warnings)
    assert any("typo.yaml:2:1" in w and "did you mean 'status'" in w for w in site.warnings)
    assert not site.exists("papers/broken/")
    assert site.exists("papers/typo/")
    assert site.exists("papers/vaswani2017attention/")


def test_user_markdown_extensions_are_kept(make_site):
    config = {"markdown_extensions": ["admonition", {"pymdownx.tabbed": {"alternate_style": True}}]}
    site = make_site(site_files(), config=config, strict=True)
    assert site.html("papers/vaswani2017attention/").select(".tabbed-set")


def test_tags_go_through_materials_tags_plugin_when_enabled(make_site):
    site = make_site(site_files(), config={"plugins": ["search", "tags", "paperlog"]}, strict=True)
    page = site.html("papers/vaswani2017attention/")
    assert sorted(t.get_text(strip=True) for t in page.select(".md-tag")) == ["attention", "nlp"]
    assert page.select(".pl-chip--tag") == []


def test_tags_shown_by_paperlog_without_the_tags_plugin(make_site):
    site = make_site(site_files(), strict=True)
    page = site.html("papers/vaswani2017attention/")
    assert [t.get_text() for t in page.select(".pl-chip--tag")] == ["#attention", "#nlp"]
