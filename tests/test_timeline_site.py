"""End-to-end: /log/, /feed.xml, /stats/, /glossary/ and /authors/ in real MkDocs + Material builds."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import html5lib
import pytest
import yaml
from lxml import etree

from conftest import BuiltSite, build, write_tree
from paperlog.diagnostics import Diagnostics
from paperlog.link import link_library
from paperlog.load import load_library
from paperlog.render import render_site
from paperlog.render.options import SiteOptions, render_options
from paperlog.settings import Settings

SITE_URL = "https://example.org/notes/"
ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"

ATTENTION = """
title: Attention Is All You Need
authors: [Ashish Vaswani, "Shazeer, Noam", Łukasz Kaiser]
year: 2017
status: implemented
topics: [transformers]
terms: [self-attention]
log:
  - {date: 2026-01-05, pass: skim, minutes: 15}
  - {date: 2026-01-07, pass: first, minutes: 90, note: "sections 1-3 <script>alert(1)</script> & more"}
  - {date: 2026-02-02, pass: second, minutes: 120, reader: ada}
summary: |
  Self-attention replaces recurrence; `self-attention` in code stays code, and softmax is normalised.
passes:
  first: Self-attention again, and [softmax](https://example.org/softmax) is a link.
"""

TRICKY = """
title: "Tricky <b>title</b> & \\"quotes\\""
authors: [A. Vaswani, Lukasz Kaiser, "Bengio, Y."]
year: 2018
status: first-pass
topics: [transformers, rnn]
terms: [intra-attention]
log:
  - {date: 2025-12-30, pass: abstract, minutes: 10}
  - {date: 2025-12-30, pass: abstract, minutes: 5}
"""

BAHDANAU = """
title: Neural Machine Translation by Jointly Learning to Align and Translate
authors: [Dzmitry Bahdanau, Kyunghyun Cho, Yoshua Bengio, Yann LeCun]
year: 2014
status: to-read
topics: [rnn]
"""

OTHER = """
title: A paper by Y. Le Cun
authors: [Y. Le Cun]
year: 2010
status: skimmed
"""

GLOSSARY = """
softmax:
  name: Softmax
  definition: Exponentials normalised to *sum to one*.
self-attention:
  name: Self-attention
  definition: Attention of a sequence over **itself** ("intra").
  aliases: [intra-attention]
  links:
    - {title: Illustrated, url: "https://example.org/illustrated"}
    - {title: Evil, url: "javascript:alert(1)"}
"""

TOPICS = """
transformers: {name: Transformers}
rnn: {name: Recurrent networks}
"""

READERS = """
ada: {name: Ada Lovelace}
"""

AUTHORS = """
Yann LeCun: [Y. Le Cun]
"""


def files() -> dict[str, str | bytes]:
    return {
        "notes/papers/vaswani2017attention.yaml": ATTENTION,
        "notes/papers/tricky.yaml": TRICKY,
        "notes/papers/bahdanau2014neural.yaml": BAHDANAU,
        "notes/papers/lecun.yaml": OTHER,
        "notes/glossary.yaml": GLOSSARY,
        "notes/topics.yaml": TOPICS,
        "notes/readers.yaml": READERS,
        "notes/authors.yaml": AUTHORS,
    }


def make(
    root: Path,
    tree: dict[str, str | bytes],
    site_url: str | None = SITE_URL,
    strict: bool = True,
    **plugin: object,
) -> BuiltSite:
    config: dict[str, object] = {
        "site_name": "Test reading log",
        "theme": {"name": "material", "font": False, "features": ["content.tooltips"]},
        "plugins": ["search", {"paperlog": plugin} if plugin else "paperlog"],
    }
    if site_url:
        config["site_url"] = site_url
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    write_tree(root, tree)
    return build(root, strict=strict)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    return make(tmp_path_factory.mktemp("timeline"), files())


def article(site: BuiltSite, url: str):
    return site.html(url).select_one("article")


def assert_unique_ids(page) -> None:
    ids = Counter(el["id"] for el in page.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []


def test_builds_strict_and_puts_the_index_pages_in_the_nav(site):
    assert site.warnings == []
    nav = [
        a.get_text(strip=True)
        for a in site.html("log/").select("nav.md-nav--primary a.md-nav__link")
    ]
    for label in ("Reading log", "Stats", "Glossary", "Authors"):
        assert label in nav
    assert "Ashish Vaswani" not in nav
    for url in (
        "log/",
        "stats/",
        "glossary/",
        "authors/",
        "authors/ashish-vaswani/",
        "papers/vaswani2017attention/",
    ):
        assert_unique_ids(site.html(url))
        # The WHATWG parser reports every markup error (bad nesting, stray end tags, ...).
        parser = html5lib.HTMLParser()
        parser.parse(site.text(url + "index.html"))
        assert parser.errors == [], url


# /log/ ------------------------------------------------------------------


def test_log_lists_sessions_newest_first_by_month(site):
    page = article(site, "log/")
    assert [(h["id"], h.get_text(strip=True)) for h in page.find_all("h2")] == [
        ("2026-02", "February 2026"),
        ("2026-01", "January 2026"),
        ("2025-12", "December 2025"),
    ]
    items = page.select(".pl-log li")
    dates = [li.time["datetime"] for li in items]
    assert dates == sorted(dates, reverse=True)
    assert len(items) == 5
    first = items[0]
    assert first.a["href"] == "../papers/vaswani2017attention/"
    assert first.select_one(".pl-chip").get_text() == "Second pass"
    assert "2 h" in first.get_text() and "Ada Lovelace" in first.get_text()
    # The month summary counts sessions and time.
    assert page.find(id="2026-01").find_next("p").get_text() == "2 sessions · 1 h 45 min"


def test_log_escapes_notes_and_titles(site):
    page = article(site, "log/")
    assert page.find("script") is None
    assert "sections 1-3 <script>alert(1)</script> & more" in page.get_text()
    assert page.find("b") is None
    assert 'Tricky <b>title</b> & "quotes"' in [a.get_text() for a in page.select(".pl-log li a")]


def test_log_links_the_feed_and_every_page_announces_it(site):
    assert article(site, "log/").select_one("a.pl-feed-link")["href"] == "../feed.xml"
    for url in ("log/", "papers/vaswani2017attention/", "authors/"):
        links = site.html(url).select('head link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1
        assert links[0]["href"].endswith("feed.xml")


# /feed.xml ----------------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:[\w/.:~%!$&'()*+,;=@-]*$")


def parse_feed(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def assert_valid_atom(feed: etree._Element) -> None:
    """RFC 4287's must-haves: feed id/title/updated, an author for every entry, entry id/title/updated/link."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert RFC3339.match(feed.findtext(f"{ATOM}updated"))
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert feed_has_author or entry.find(f"{ATOM}author") is not None
        alternate = entry.findall(f"{ATOM}link[@rel='alternate']")
        assert len(alternate) == 1 and alternate[0].get("href").startswith("https://")


def test_feed_is_valid_atom_with_absolute_links_and_tag_ids(site):
    feed = parse_feed(site.text("feed.xml"))
    assert_valid_atom(feed)
    assert feed.findtext(f"{ATOM}id") == SITE_URL + "feed.xml"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == SITE_URL + "log/"
    assert feed.findtext(f"{ATOM}updated") == "2026-02-02T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 5
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert all(TAG_URI.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids)
    assert ids[0] == "tag:example.org,2026-02-02:/notes/papers/vaswani2017attention/log/second/ada"
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title") == "Second pass: Attention Is All You Need"
    assert newest.find(f"{ATOM}link").get("href") == SITE_URL + "papers/vaswani2017attention/"
    assert newest.findtext(f"{ATOM}author/{ATOM}name") == "Ada Lovelace"
    # Two abstract sessions on one day get distinct ids.
    assert {i for i in ids if "tricky" in i} == {
        "tag:example.org,2025-12-30:/notes/papers/tricky/log/abstract",
        "tag:example.org,2025-12-30:/notes/papers/tricky/log/abstract/2",
    }


def test_feed_escapes_titles_and_notes(site):
    text = site.text("feed.xml")
    assert "<b>" not in text and "<script>" not in text
    titles = [e.findtext(f"{ATOM}title") for e in parse_feed(text).iter(f"{ATOM}entry")]
    assert 'Abstract: Tricky <b>title</b> & "quotes"' in titles
    summaries = [e.findtext(f"{ATOM}summary") for e in parse_feed(text).iter(f"{ATOM}entry")]
    assert any("<script>alert(1)</script> & more" in s for s in summaries)


def _feed(root: Path, tree: dict[str, str | bytes], **options: object) -> str:
    """feed.xml through the core alone (load -> link -> render), without MkDocs."""
    write_tree(root, tree)
    settings = Settings.for_root(root, site_url=SITE_URL)
    diags = Diagnostics()
    lib = link_library(load_library(settings, diags), settings, diags)
    outputs = render_site(
        lib, settings, diags, options=render_options(SiteOptions(site_name="T", **options))
    )
    return next(o.content for o in outputs if o.path == "feed.xml")


def test_feed_ids_are_stable_and_output_deterministic(tmp_path):
    tree = files()
    before = _feed(tmp_path / "a", tree)
    assert _feed(tmp_path / "b", tree) == before
    tree["notes/papers/new.yaml"] = (
        "title: New\nlog:\n  - {date: 2026-03-01, pass: skim}\n  - {date: 2025-01-01, pass: skim}\n"
    )
    tree["notes/papers/tricky.yaml"] = (
        TRICKY + "  - {date: 2025-12-30, pass: abstract, minutes: 1}\n"
    )
    after = _feed(tmp_path / "c", tree)
    old = {
        e.findtext(f"{ATOM}id"): e.findtext(f"{ATOM}title")
        for e in parse_feed(before).iter(f"{ATOM}entry")
    }
    new = {
        e.findtext(f"{ATOM}id"): e.findtext(f"{ATOM}title")
        for e in parse_feed(after).iter(f"{ATOM}entry")
    }
    assert old.items() <= new.items()  # every old entry keeps its id
    assert len(new) == len(old) + 3


def test_feed_entries_limit_and_illegal_characters(tmp_path):
    tree = files()
    tree["notes/papers/ctrl.yaml"] = (
        'title: "Bell\\a and \\x01 null"\nlog:\n  - {date: 2027-01-01, pass: skim, note: "a\\x0bb"}\n'
    )
    feed = parse_feed(_feed(tmp_path, tree, feed_entries=2))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert entries[0].findtext(f"{ATOM}title") == "Skim: Bell and  null"


def test_without_site_url_there_is_no_feed_and_the_build_says_so(tmp_path):
    built = make(tmp_path, files(), site_url=None)
    assert not built.exists("feed.xml")
    assert built.warnings == []
    assert any("PL650" in m and "site_url" in m for m in built.messages())
    assert built.html("log/").select('link[type="application/atom+xml"]') == []
    assert article(built, "log/").select_one("a.pl-feed-link") is None


# /stats/ ------------------------------------------------------------------


def svgs(site: BuiltSite, url: str) -> list[etree._Element]:
    return [
        etree.fromstring(str(svg).encode("utf-8")) for svg in article(site, url).find_all("svg")
    ]


def test_stats_charts_are_valid_accessible_svg(site):
    charts = svgs(site, "stats/")
    titles = [c.findtext(f"{SVG}title") for c in charts]
    assert titles == [
        "Papers by status",
        "Papers read per month",
        "Time per pass",
        "Topics' progress",
    ]
    for chart in charts:
        assert chart.get("role") == "img"
        assert chart.get("aria-labelledby") == chart.find(f"{SVG}title").get("id")
        assert chart.findtext(f"{SVG}desc")
    status, months, passes, topics = charts
    assert "Implemented: 1 paper;" in status.findtext(f"{SVG}desc")
    assert [r.findtext(f"{SVG}title") for r in months.iter(f"{SVG}rect")] == [
        "December 2025: 1 paper",
        "January 2026: 1 paper",
        "February 2026: 1 paper",
    ]
    assert "Skim: 15 min in 1 session" in passes.findtext(f"{SVG}desc")
    assert "Recurrent networks: 0 of 2 papers read" in topics.findtext(f"{SVG}desc")
    cards = [
        c.get_text(" ", strip=True) for c in article(site, "stats/").select(".pl-stats .pl-stat")
    ]
    assert cards[0] == "4 papers" and cards[2] == "5 reading sessions"


# /glossary/ and term links ---------------------------------------------------


def test_glossary_lists_terms_alphabetically_with_users(site):
    page = article(site, "glossary/")
    assert [(h["id"], h.get_text(strip=True)) for h in page.find_all("h2")] == [
        ("self-attention", "Self-attention"),
        ("softmax", "Softmax"),
    ]
    entry = page.find(id="self-attention")
    assert entry.find_next("strong").get_text() == "itself"
    assert "intra-attention" in page.select_one(".pl-term__aliases").get_text()
    link_texts = [a.get_text() for a in page.select(".pl-term__links a")]
    assert link_texts == ["Illustrated"]  # the javascript: link is dropped
    users = page.select_one(".pl-term__users")
    assert sorted(a["href"] for a in users.find_all("a")) == [
        "../papers/tricky/",
        "../papers/vaswani2017attention/",
    ]
    assert [(a.get_text(), a["href"]) for a in page.select(".pl-az a")] == [
        ("S", "#self-attention")
    ]


def test_first_mention_of_a_term_links_to_the_glossary_with_a_tooltip(site):
    page = article(site, "papers/vaswani2017attention/")
    terms = page.select("a.pl-term")
    assert [(a.get_text(), a["href"]) for a in terms] == [
        ("Self-attention", "../../glossary/#self-attention"),
        ("softmax", "../../glossary/#softmax"),
    ]
    assert terms[0]["title"] == 'Attention of a sequence over itself ("intra").'
    assert terms[1]["title"] == "Exponentials normalised to sum to one."
    assert page.find("code", string="self-attention") is not None  # code stays code
    passes = page.select_one(".tabbed-block")
    assert passes.select("a.pl-term") == []  # already linked in the summary
    assert passes.find("a", string="softmax")["href"] == "https://example.org/softmax"
    assert page.select_one("[data-pl-gloss]") is None
    # The Terms section links each declared term too.
    assert page.find(id="terms").find_next("ul").a["href"] == "../../glossary/#self-attention"


def test_glossary_links_can_be_turned_off(tmp_path):
    built = make(tmp_path, files(), glossary_links=False)
    assert article(built, "papers/vaswani2017attention/").select("a.pl-term") == []


# /authors/ ------------------------------------------------------------------


def test_authors_index_sorted_by_family_name_with_counts(site):
    page = article(site, "authors/")
    entries = [
        (a.get_text(), a.find_next("span", class_="pl-count").get_text())
        for a in page.select(".pl-author-list a")
    ]
    assert entries == [
        ("Bahdanau, Dzmitry", "1"),
        ("Bengio, Yoshua", "2"),
        ("Cho, Kyunghyun", "1"),
        ("Kaiser, Łukasz", "2"),
        ("LeCun, Yann", "2"),
        ("Shazeer, Noam", "1"),
        ("Vaswani, Ashish", "2"),
    ]
    assert [h.get_text(strip=True) for h in page.find_all("h2")] == ["B", "C", "K", "L", "S", "V"]


def test_variants_merge_into_one_author_page(site):
    page = article(site, "authors/ashish-vaswani/")
    assert page.h1.get_text(strip=True) == "Ashish Vaswani"
    assert "A. Vaswani" in page.select_one(".pl-author__variants").get_text()
    rows = page.select(".pl-table tbody tr")
    assert [r.a.get_text() for r in rows] == [
        'Tricky <b>title</b> & "quotes"',
        "Attention Is All You Need",
    ]  # newest first
    assert [r.select_one(".pl-status").get_text() for r in rows] == ["First pass", "Implemented"]
    assert "Lukasz Kaiser" in article(site, "authors/lukasz-kaiser/").get_text()
    lecun = article(site, "authors/yann-lecun/")  # merged through notes/authors.yaml
    assert "Y. Le Cun" in lecun.select_one(".pl-author__variants").get_text()
    assert len(lecun.select(".pl-table tbody tr")) == 2
    assert not site.exists("authors/y-le-cun/")


def test_paper_header_links_authors_to_their_pages(site):
    byline = article(site, "papers/tricky/").select_one(".pl-byline")
    assert [(a.get_text(), a["href"]) for a in byline.find_all("a")] == [
        ("A. Vaswani", "../../authors/ashish-vaswani/"),
        ("Lukasz Kaiser", "../../authors/lukasz-kaiser/"),
        ("Y. Bengio", "../../authors/yoshua-bengio/"),
    ]


def test_bad_authors_file_is_reported_with_file_and_line(tmp_path):
    tree = files()
    tree["notes/authors.yaml"] = (
        "Yann LeCun: [Y. Le Cun]\nSomeone: Y. Le Cun\nOther Person: [Y. Le Cun]\n"
    )
    built = make(tmp_path, tree, strict=False)
    warnings = built.warnings
    assert any("notes/authors.yaml:2:" in w and "PL104" in w for w in warnings), warnings
    assert any("notes/authors.yaml:3:" in w and "PL630" in w for w in warnings), warnings
    assert built.exists("authors/yann-lecun/")


def test_a_site_without_logs_terms_or_topics_still_gets_sensible_pages(tmp_path):
    built = make(tmp_path, {"notes/papers/one.yaml": "title: One\nauthors: [Ada Lovelace]\n"})
    assert built.warnings == []
    assert "No reading session is logged yet" in article(built, "log/").get_text()
    feed = parse_feed(built.text("feed.xml"))  # the feed's URL exists from the start, empty
    assert_valid_atom(feed)
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"  # no build time: deterministic
    titles = [svg.findtext(f"{SVG}title") for svg in svgs(built, "stats/")]
    assert titles == ["Papers by status"]
    assert not built.exists("glossary/")  # no glossary.yaml, no page
    assert built.exists("authors/ada-lovelace/")


def test_every_generated_file_is_deterministic(tmp_path):
    def render(root: Path) -> dict[str, str | None]:
        write_tree(root, files())
        settings = Settings.for_root(root, site_url=SITE_URL)
        diags = Diagnostics()
        lib = link_library(load_library(settings, diags), settings, diags)
        return {
            o.path: o.content
            for o in render_site(
                lib, settings, diags, options=render_options(SiteOptions(site_name="T"))
            )
        }

    first, second = render(tmp_path / "a"), render(tmp_path / "b")
    assert first == second
    assert {
        "log.md",
        "stats.md",
        "glossary.md",
        "authors.md",
        "feed.xml",
        "authors/yann-lecun.md",
    } <= set(first)
