"""End-to-end: /graph/, /graph.json, /next/, reading order and read next on topic pages,
and the local graph on paper pages, from real MkDocs + Material builds."""

from __future__ import annotations

import json
import logging
from urllib.parse import unquote, urljoin, urlparse

import pytest
from lxml import etree

NOTES = {
    "notes/topics.yaml": """
        attention:
          name: Attention
        optim:
          name: Optimisation
    """,
    "notes/papers/bahdanau2014.yaml": """
        title: Neural Machine Translation by Jointly Learning to Align and Translate
        year: 2014
        status: implemented
        topics: [attention]
        cites: [sutskever2014]
    """,
    "notes/papers/sutskever2014.yaml": """
        title: Sequence to Sequence Learning with Neural Networks
        year: 2014
        status: second-pass
        topics: [attention]
        cites: [hochreiter1997]
    """,
    "notes/papers/vaswani2017.yaml": """
        title: Attention Is All You Need
        year: 2017
        status: first-pass
        topics: [attention]
        cites: [bahdanau2014, kingma2014, ba2016, hochreiter1997]
        related: [luong2015]
    """,
    "notes/papers/luong2015.yaml": """
        title: Effective Approaches to Attention-based Neural Machine Translation
        year: 2015
        status: skimmed
        topics: [attention]
        cites: [bahdanau2014, hochreiter1997]
    """,
    "notes/papers/kingma2014.yaml": """
        title: "Adam: A Method for Stochastic Optimization"
        year: 2014
        status: to-read
        topics: [optim]
        cites: [robbins1951]
    """,
}


def page_links_resolve(site, page_url: str, hrefs: list[str]) -> list[str]:
    """Site paths that hrefs on the page at `page_url` point to, checked to exist."""
    out = []
    for href in hrefs:
        target = urlparse(urljoin("http://site/" + page_url, href)).path.lstrip("/")
        target = unquote(target)
        assert site.exists(target), f"{href} on {page_url} -> {target} does not exist"
        out.append(target)
    return out


@pytest.fixture
def site(make_site):
    built = make_site(NOTES)
    # Works cited without a note (no .bib here) are bare ids: reported, then listed to read next.
    assert all("PL201" in w for w in built.warnings), built.warnings
    return built


def graph_data(site, url: str = "graph/") -> dict:
    return json.loads(site.html(url).find(id="pl-graph-data")["data-json"])


def test_graph_page_has_canvas_data_script_and_fallback_list(site):
    page = site.html("graph/")
    root = page.find(id="pl-graph")
    assert root.has_attr("data-pl-graph") and root.find("canvas", id="pl-graph-canvas")
    for control in (
        "pl-graph-color",
        "pl-graph-topic",
        "pl-graph-status",
        "pl-graph-unnoted",
        "pl-graph-reset",
    ):
        assert root.find(id=control) is not None, control
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert any(src.endswith("assets/paperlog/graph.js") for src in scripts)
    assert site.exists("assets/paperlog/graph.js") and site.exists("assets/paperlog/graph.css")
    data = graph_data(site)
    ids = [n["id"] for n in data["nodes"]]
    assert (
        ids
        == sorted(ids)
        == [
            "ba2016",
            "bahdanau2014",
            "hochreiter1997",
            "kingma2014",
            "luong2015",
            "robbins1951",
            "sutskever2014",
            "vaswani2017",
        ]
    )
    noted = {n["id"]: n for n in data["nodes"] if n["noted"]}
    page_links_resolve(site, "graph/", [n["url"] for n in noted.values()])
    assert data["topics"] == [["attention", "Attention"], ["optim", "Optimisation"]]
    assert ["implemented", "Implemented"] in data["statuses"]
    # The fallback list names every noted paper, linked, with what it cites.
    listing = page.find("details", id="pl-graph-list")
    links = {a.get_text(): a["href"] for a in listing.find_all("a")}
    assert len(listing.find_all("li")) == 5
    page_links_resolve(site, "graph/", list(links.values()))
    vaswani = next(
        li for li in listing.find_all("li") if li.a.get_text() == "Attention Is All You Need"
    )
    assert "cites" in vaswani.get_text() and "ba2016 (not noted)" in vaswani.get_text()
    # The graph page is in the navigation; paper pages are not.
    nav = [a.get_text(strip=True) for a in page.select("nav.md-nav--primary a.md-nav__link")]
    assert "Graph" in nav and "Read next" in nav


def test_graph_json_export(site):
    data = json.loads(site.text("graph.json"))
    assert set(data) == {"nodes", "edges"}
    nodes = {n["id"]: n for n in data["nodes"]}
    assert [n["id"] for n in data["nodes"]] == sorted(nodes)
    assert {"id", "title", "status", "topics", "noted"} <= set(nodes["vaswani2017"])
    assert nodes["vaswani2017"]["status"] == "first-pass" and nodes["vaswani2017"]["topics"] == [
        "attention"
    ]
    assert nodes["vaswani2017"]["url"] == "papers/vaswani2017/"
    assert nodes["hochreiter1997"] == {
        **nodes["hochreiter1997"],
        "noted": False,
        "status": None,
        "topics": [],
        "url": None,
        "in_degree": 3,
    }
    edges = [(e["source"], e["target"], e["kind"]) for e in data["edges"]]
    assert edges == sorted(edges)
    assert ("vaswani2017", "bahdanau2014", "cites") in edges
    assert ("luong2015", "vaswani2017", "related") in edges  # related: once, source < target
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])


def test_output_is_deterministic(make_site, tmp_path):
    first = make_site(NOTES)
    before = {
        p: first.text(p)
        for p in (
            "graph.json",
            "graph/index.html",
            "next/index.html",
            "topics/attention/index.html",
        )
    }
    second = make_site(NOTES)
    assert {p: second.text(p) for p in before} == before


def test_topic_page_reading_order_and_read_next(site):
    page = site.html("topics/attention/")
    heading = page.find("h2", id="reading-order")
    assert heading.get_text(strip=True).startswith("Reading order")
    items = heading.find_next("ol").find_all("li", recursive=False)
    titles = [li.a.get_text() for li in items]
    # Sutskever before Bahdanau, which cites it (same year); then by year.
    assert titles == [
        "Sequence to Sequence Learning with Neural Networks",
        "Neural Machine Translation by Jointly Learning to Align and Translate",
        "Effective Approaches to Attention-based Neural Machine Translation",
        "Attention Is All You Need",
    ]
    page_links_resolve(site, "topics/attention/", [li.a["href"] for li in items])
    assert items[0].select_one(".pl-status").get_text() == "Second pass"
    nexts = page.find("h2", id="read-next").find_next("ol").find_all("li", recursive=False)
    assert [li.select_one("[data-key]")["data-key"] for li in nexts] == ["hochreiter1997", "ba2016"]
    assert nexts[0].select_one("[data-count]")["data-count"] == "3"
    assert "robbins1951" not in page.get_text()  # cited only from another topic


def test_read_next_page_ranks_and_lists_citing_notes(site):
    page = site.html("next/")
    items = page.select_one("article ol").find_all("li", recursive=False)
    assert [li.select_one("[data-key]")["data-key"] for li in items] == [
        "hochreiter1997",
        "ba2016",
        "robbins1951",
    ]
    citing = [a.get_text() for a in items[0].find_all("a")]
    assert citing == [
        "Attention Is All You Need",
        "Effective Approaches to Attention-based Neural Machine Translation",
        "Sequence to Sequence Learning with Neural Networks",
    ]
    page_links_resolve(site, "next/", [a["href"] for a in items[0].find_all("a")])


def test_paper_page_local_graph_is_valid_svg_with_links(site):
    page = site.html("papers/bahdanau2014/")
    figure = page.find("figure", id="pl-local-graph")
    svg = etree.fromstring(str(figure.find("svg")).encode())  # well-formed XML, or this raises
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    ids = sorted(n.get("data-id") for n in svg.iterfind(".//*[@data-id]", ns))
    assert ids == ["bahdanau2014", "luong2015", "sutskever2014", "vaswani2017"]  # neighbours only
    xlink = "{http://www.w3.org/1999/xlink}href"
    links = {a.get("data-id"): a.get(xlink) for a in svg.iterfind(".//s:a", ns)}
    assert set(links) == {
        "luong2015",
        "sutskever2014",
        "vaswani2017",
    }  # not itself, not unnoted works
    page_links_resolve(site, "papers/bahdanau2014/", list(links.values()))
    assert (
        svg.find("s:title", ns).text
        == "Citation graph around Neural Machine Translation by Jointly Learning to Align and Translate"
    )
    assert len(svg.findall(".//s:line", ns)) >= 4
    # Cited by and Related read the same backlinks.
    cited_by = page.find(id="cited-by").find_next("ul")
    assert [a.get_text() for a in cited_by.find_all("a")] == [
        "Attention Is All You Need",
        "Effective Approaches to Attention-based Neural Machine Translation",
    ]


def test_embedded_data_and_svg_escape_titles(make_site):
    evil = 'Evil </script><script>alert(1)</script> & <b>"bold"</b> it\'s'
    files = {
        "notes/papers/evil.yaml": f"title: {json.dumps(evil)}\ncites: [good]\n",
        "notes/papers/good.yaml": "title: Good\n",
    }
    site = make_site(files, strict=True)
    raw = site.text("graph/index.html")
    assert "alert(1)</script>" not in raw and "<b>" not in raw
    tree = etree.fromstring(raw.encode(), etree.HTMLParser())
    holders = tree.xpath("//*[@id='pl-graph-data']")
    assert len(holders) == 1 and not tree.xpath("//script[contains(., 'alert')]")
    data = json.loads(holders[0].get("data-json"))
    assert next(n for n in data["nodes"] if n["id"] == "evil")["title"] == evil
    assert json.loads(site.text("graph.json"))["nodes"][0]["title"] == evil
    svg = site.html("papers/good/").find("figure", id="pl-local-graph").find("svg")
    parsed = etree.fromstring(str(svg).encode())
    titles = [t.text for t in parsed.iter("{http://www.w3.org/2000/svg}title")]
    assert f"{evil}" in titles


def test_links_work_under_a_sub_path_without_directory_urls(make_site):
    config = {"site_url": "https://example.org/sub/", "use_directory_urls": False}
    site = make_site(NOTES, config=config)
    data = graph_data(site, "graph.html")
    urls = [n["url"] for n in data["nodes"] if n["noted"]]
    assert "papers/vaswani2017.html" in urls
    page_links_resolve(site, "graph.html", urls)
    svg = site.html("papers/vaswani2017.html").find("figure", id="pl-local-graph")
    hrefs = [a["xlink:href"] for a in svg.find_all("a")]
    assert len(hrefs) == 3  # bahdanau, kingma, luong; the unnoted works are no links
    page_links_resolve(site, "papers/vaswani2017.html", hrefs)
    more = site.html("papers/vaswani2017.html").select_one("a.pl-local-graph__more")
    page_links_resolve(site, "papers/vaswani2017.html", [more["href"]])
    assert json.loads(site.text("graph.json"))["nodes"][1]["url"] == "papers/bahdanau2014.html"


def test_citation_cycle_is_info_not_a_warning(make_site):
    files = {
        "notes/papers/a.yaml": "title: A\nyear: 2016\ntopics: [t]\ncites: [b]\n",
        "notes/papers/b.yaml": "title: B\nyear: 2017\ntopics: [t]\ncites: [a]\n",
    }
    site = make_site(files, strict=True)  # an INFO never fails a strict build
    infos = [m for m in site.messages(logging.INFO) if "PL205" in m]
    assert len(infos) == 1 and "notes/papers/a.yaml:4:9: info[PL205]" in infos[0]
    order = site.html("topics/t/").find("h2", id="reading-order").find_next("ol")
    assert [a.get_text() for a in order.find_all("a")] == ["A", "B"]


def test_empty_site_has_graph_and_next_pages(make_site):
    site = make_site({"notes/.keep": ""})
    assert "No notes yet" in site.html("graph/").select_one("article").get_text()
    assert json.loads(site.text("graph.json")) == {"nodes": [], "edges": []}
    assert "Every work your notes cite" in site.html("next/").select_one("article").get_text()
