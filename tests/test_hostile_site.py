"""One hostile site: every hostile string in every field of every kind of input.

The site is built for real (MkDocs + Material), twice: as a team site
(`allow_html: false`: nothing in any field may become markup) and as a
personal site (raw HTML allowed in Markdown fields, so those get the
Markdown-only attacks; every other field gets everything). The built files
are read with the parsers a reader's software uses: html5lib for pages,
json for the search index, lxml for XML, icalendar for the calendar.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

from conftest import BuiltSite, build, write_tree
from hostile import HOSTILE, MARKDOWN_SAFE, html_problems, search_index_problems
from paperlog.bibtex_write import escape_text, format_entry
from paperlog.safety import strip_controls

pytestmark = pytest.mark.slow  # see README: `pytest -m "not slow"` for a quick loop

# The smallest valid PNG, for a figure.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
# Material's own inline scripts (the page's scope and its configuration).
MATERIAL_SCRIPTS = (
    "__md_scope",
    "var palette=__md_get",
    "var target=document.getElementById(location.hash",
    '{"annotate"',
)
SINKS: Counter[str] = Counter()
"""How many hostile strings reached each sink (printed by test_report_counts)."""


def shown(text: str) -> str:
    """How a text field reads on the page: no control characters, one line."""
    return " ".join(strip_controls(text).split())


def note(i: int, s: str, md: str) -> dict[str, Any]:
    """A paper note with `s` in every text field (`md` in the Markdown ones)."""
    fields: dict[str, Any] = {
        "title": s,
        "authors": [s, f"Family, {s}"],
        "venue": s,
        "volume": s,
        "pages": s,
        "url": s,
        "pdf": s,
        "doi": '10.1234/x"onmouseover=pwn()',
        "arxiv": f"2401.{i:05d}",
        "status": "first-pass",
        "topics": [f"t{i:02d}", s],
        "tags": [s],
        "rating": 3,
        "readers": [f"r{i:02d}"],
        "log": [
            {"date": "2026-01-05", "pass": "first", "minutes": 5, "reader": f"r{i:02d}", "note": s}
        ],
        "passes": {"abstract": md, "first": md, "second": f"As [@b{i:02d}, p. 3] shows."},
        "highlights": [{"quote": s, "page": s, "note": md}],
        "figures": [{"src": "fig.png", "caption": md, "page": s}],
        "questions": [{"q": s, "a": md}, {"q": s}],
        "terms": [f"g{i:02d}", s],
        "implementations": [
            {"repo": s, "note": md},
            {"code": s, "note": md},
            {"code": f"hostile.f{i:02d}", "note": md},
        ],
        "results": [{"metric": s, "reported": 1.0, "reproduced": 0.5, "setup": md}],
        "resources": [{"kind": "blog", "title": s, "url": s}],
        "cites": [s, "h00", f"b{i:02d}"],
        "related": [s],
        "pseudocode": [
            {
                "name": s,
                "steps": [md, {"text": md, "code": s}, {"text": md, "code": f"hostile.f{i:02d}"}],
            }
        ],
        "by": {f"r{i:02d}": {"summary": md, "passes": {"first": md}, "rating": 2}},
    }
    if i % 2 == 0:
        # Odd notes keep no summary, so their abstract is shown instead.
        fields["summary"] = md
    fields["abstract"] = md
    return fields


def arxiv_record(i: int, s: str) -> dict[str, Any]:
    return {
        "id": f"2401.{i:05d}",
        "version": 1,
        "title": s,
        "authors": [s, "Ada Lovelace"],
        "published": "2024-01-02",
        "updated": "2024-01-03",
        "summary": s,
        "doi": s,
        "journal_ref": s,
        "comment": s,
        "primary_category": s,
        "categories": [s],
        "pdf_url": s,
        "abs_url": s,
        "fetched": "2026-01-01T00:00:00Z",
    }


def bib_entry(i: int, s: str) -> str:
    """A BibTeX entry with `s` in every field (TeX specials escaped, as a .bib would have them)."""
    text = escape_text(strip_controls(s))
    fields = {
        "title": text,
        "author": f"{text} and Lovelace, Ada",
        "journal": text,
        "year": "2020",
        "volume": text,
        "pages": text,
        "publisher": text,
        "doi": text,
        "url": text,
        "note": text,
        "abstract": text,
    }
    return format_entry(f"b{i:02d}", "article", fields)


def hostile_code() -> str:
    """A module whose docstrings, comments and strings are the hostile strings.

    Docstrings are Markdown rendered by mkdocstrings; like hand-written pages
    they may hold raw HTML, so they get the Markdown-only attacks (links,
    math, attribute lists); comments and string literals get everything.
    """
    lines = [
        'r"""Hostile module: [md link](javascript:pwn()) and $\\href{javascript:pwn()}{x}$."""',
        "",
    ]
    for i, s in enumerate(HOSTILE):
        text = strip_controls(s) if s in MARKDOWN_SAFE else "A plain docstring."
        lines += [
            "",
            f"def f{i:02d}() -> str:",
            f"    {_docstring(text)}",
            f"    # {' '.join(strip_controls(s).split())}",
            f"    return {strip_controls(s)!r}",
            "",
        ]
    return "\n".join(lines) + "\n"


def _docstring(text: str) -> str:
    body = text.replace('"""', "'''")
    return f'r"""{body}"""' if not body.endswith("\\") else f'r"""{body} """'


def hostile_files(markdown_strings: tuple[str, ...]) -> dict[str, str | bytes]:
    """The notes folder: for each string, a note, an arXiv-only note, a topic, a term, a reader, a meeting."""
    files: dict[str, str | bytes] = {"notes/papers/fig.png": PNG}
    topics, glossary, readers, sessions, cache, bib = {}, {}, {}, [], {}, []
    for i, s in enumerate(HOSTILE):
        md = s if s in markdown_strings else "[md link](javascript:pwn()) *attr*{ onclick=pwn() }"
        files[f"notes/papers/h{i:02d}.yaml"] = yaml.safe_dump(note(i, s, md), allow_unicode=True)
        # A note with only an arXiv id shows the cached record's fields.
        files[f"notes/papers/a{i:02d}.yaml"] = yaml.safe_dump(
            {"arxiv": f"2401.{i:05d}", "topics": [f"t{i:02d}"]}
        )
        # And one with only a BibTeX key shows the entry's fields.
        files[f"notes/papers/b{i:02d}.yaml"] = yaml.safe_dump(
            {"bibkey": f"b{i:02d}", "topics": [f"t{i:02d}"]}
        )
        bib.append(bib_entry(i, s))
        topics[f"t{i:02d}"] = {"name": s, "description": md}
        glossary[f"g{i:02d}"] = {
            "name": s,
            "definition": md,
            "aliases": [s],
            "links": [{"kind": "blog", "title": s, "url": s}],
        }
        readers[f"r{i:02d}"] = {"name": s, "url": s, "avatar": s}
        sessions.append(
            {
                "date": (dt.date(2026, 3, 1) + dt.timedelta(days=i)).isoformat(),
                "time": "18:00",
                "duration": 60,
                "timezone": "Europe/Berlin",
                "title": s,
                "presenter": f"r{i:02d}",
                "papers": [f"h{i:02d}", s],
                "slides": s,
                "location": s,
                "notes": md,
            }
        )
        cache[f"2401.{i:05d}"] = arxiv_record(i, s)
    files["notes/code/hostile.py"] = hostile_code()
    files["notes/references.bib"] = "\n".join(bib)
    files["notes/topics.yaml"] = yaml.safe_dump(topics, allow_unicode=True)
    files["notes/glossary.yaml"] = yaml.safe_dump(glossary, allow_unicode=True)
    files["notes/readers.yaml"] = yaml.safe_dump(readers, allow_unicode=True)
    files["notes/sessions.yaml"] = yaml.safe_dump(sessions, allow_unicode=True)
    files["notes/arxiv.json"] = json.dumps(cache, indent=2, ensure_ascii=False)
    return files


def build_hostile(root: Path, allow_html: bool, monkeypatch: pytest.MonkeyPatch) -> BuiltSite:
    config = {
        "site_name": "Hostile",
        "site_url": "https://example.org/log/",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", "tags", {"paperlog": {"allow_html": allow_html}}],
    }
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), "utf-8")
    write_tree(root, hostile_files(MARKDOWN_SAFE if allow_html else HOSTILE))
    # Every meeting is upcoming, so every one is in the calendar.
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).timestamp()))
    )
    return build(root)


@pytest.fixture(scope="module", params=[False, True], ids=["team-no-html", "personal-html"])
def hostile_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> BuiltSite:
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = tmp_path_factory.mktemp("hostile-html" if request.param else "hostile-team")
        return build_hostile(root, request.param, monkeypatch)


def test_no_page_holds_markup_or_script_urls_from_the_data(hostile_site: BuiltSite) -> None:
    pages = sorted(hostile_site.site_dir.rglob("*.html"))
    generated = [
        p
        for p in pages
        if p.relative_to(hostile_site.site_dir).parts[0]
        in ("papers", "topics", "readers", "sessions")
    ]
    assert len(generated) >= 3 * len(HOSTILE)
    problems: list[str] = []
    for page in pages:
        rel = page.relative_to(hostile_site.site_dir).as_posix()
        problems += html_problems(page.read_text("utf-8"), rel, known_scripts=MATERIAL_SCRIPTS)
    assert problems == []
    SINKS["HTML pages (text, attributes, titles, meta)"] = len(HOSTILE)


def test_text_is_shown_literally(hostile_site: BuiltSite) -> None:
    """Escaped, not dropped: each title reads as written, in the page and in <title>."""
    for i, s in enumerate(HOSTILE):
        page = BeautifulSoup(
            (hostile_site.site_dir / f"papers/h{i:02d}/index.html").read_text("utf-8"), "html5lib"
        )
        h1 = page.select_one("article h1")
        assert h1 is not None
        assert " ".join(h1.get_text().split()) == shown(s).replace("¶", ""), i
        assert page.title is not None and " ".join(page.title.get_text().split()).startswith(
            shown(s)
        ), i
        header = page.select_one(".md-header__topic:last-child .md-ellipsis")
        assert header is not None and " ".join(header.get_text().split()) == shown(s), i
        byline = page.select_one(".pl-byline")
        assert byline is not None and shown(s) in " ".join(byline.get_text().split()), i


def test_arxiv_records_are_data(hostile_site: BuiltSite) -> None:
    for i, s in enumerate(HOSTILE):
        page = BeautifulSoup(
            (hostile_site.site_dir / f"papers/a{i:02d}/index.html").read_text("utf-8"), "html5lib"
        )
        h1 = page.select_one("article h1")
        assert h1 is not None and " ".join(h1.get_text().split()) == shown(s), i
    SINKS["arXiv cache records -> pages"] = len(HOSTILE)


def test_graph_data_and_svg_are_data(hostile_site: BuiltSite) -> None:
    soup = BeautifulSoup(hostile_site.text("graph/index.html"), "html5lib")
    data = json.loads(soup.select_one("#pl-graph-data")["data-json"])
    titles = json.dumps(data, ensure_ascii=False)
    for s in HOSTILE:
        assert json.dumps(shown(s), ensure_ascii=False)[1:-1] in titles, s
    svgs = 0
    for i in range(len(HOSTILE)):
        text = (hostile_site.site_dir / f"papers/h{i:02d}/index.html").read_text("utf-8")
        for match in re.finditer(r"<svg\b.*?</svg>", text, re.S):
            svg = etree.fromstring(match.group(0).encode("utf-8"))  # well-formed XML
            assert not [e for e in svg.iter() if isinstance(e.tag, str) and "pwn" in e.tag]
            assert not [a for e in svg.iter() for a in e.attrib if "pwn" in a or a.startswith("on")]
            svgs += 1
    assert svgs >= len(HOSTILE)
    SINKS["graph JSON (data attribute)"] = len(HOSTILE)
    SINKS["SVG (local citation graphs)"] = len(HOSTILE)


def test_code_pages(hostile_site: BuiltSite) -> None:
    assert hostile_site.exists("code/hostile/")
    source = " ".join(
        BeautifulSoup(hostile_site.text("code/hostile/index.html"), "html5lib").get_text().split()
    )
    for s in HOSTILE:
        assert shown(s) in source, s
    SINKS["code pages (docstrings, comments, strings)"] = len(HOSTILE)


def test_feed_is_atom_with_the_text(hostile_site: BuiltSite) -> None:
    feed = etree.fromstring(
        (hostile_site.site_dir / "feed.xml").read_bytes()
    )  # well-formed, or this raises
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.tag == f"{atom}feed"
    titles = " ".join(" ".join((t.text or "").split()) for t in feed.iter(f"{atom}title"))
    for s in HOSTILE:
        assert shown(s) in titles, s
    assert not [e for e in feed.iter() if isinstance(e.tag, str) and "pwn" in e.tag]
    SINKS["Atom feed (feed.xml)"] = len(HOSTILE)


def test_stats_charts_are_well_formed_svg(hostile_site: BuiltSite) -> None:
    text = hostile_site.text("stats/index.html")
    svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
    assert svgs
    for svg in svgs:
        root = etree.fromstring(svg.encode("utf-8"))
        assert not [a for e in root.iter() for a in e.attrib if "pwn" in a or a.startswith("on")]
    SINKS["SVG charts (stats)"] = len(HOSTILE)


def test_bibtex_entries_are_data(hostile_site: BuiltSite) -> None:
    assert hostile_site.exists("bibliography/")
    for i in range(len(HOSTILE)):
        assert hostile_site.exists(f"papers/b{i:02d}/")
    SINKS["BibTeX entries -> paper pages, bibliography, citations"] = len(HOSTILE)


def test_search_index_is_json_without_markup(hostile_site: BuiltSite) -> None:
    assert search_index_problems(hostile_site.text("search/search_index.json")) == []
    SINKS["search index (JSON rendered as HTML by Material)"] = len(HOSTILE)


def test_xml_files_parse(hostile_site: BuiltSite) -> None:
    sitemap = etree.fromstring((hostile_site.site_dir / "sitemap.xml").read_bytes())
    locations = [loc.text for loc in sitemap.iter("{*}loc")]
    assert all(loc.startswith("https://example.org/log/") for loc in locations)
    assert len(locations) >= 2 * len(HOSTILE)


def test_calendar_holds_the_text_and_nothing_else(hostile_site: BuiltSite) -> None:
    data = (hostile_site.site_dir / "sessions.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(HOSTILE)
    allowed = {"UID", "DTSTAMP", "DTSTART", "DURATION", "SUMMARY", "DESCRIPTION", "LOCATION", "URL"}
    for event in events:
        assert set(event.keys()) <= allowed, set(event.keys()) - allowed
        start = event.decoded("DTSTART")
        i = (start.date() - dt.date(2026, 3, 1)).days
        s = HOSTILE[i]
        assert str(event["SUMMARY"]) == strip_controls(s)
        assert str(event["LOCATION"]) == strip_controls(s)
        assert f"Slides: {strip_controls(s)}" in str(event["DESCRIPTION"])
    assert not [
        line
        for line in data.split(b"\r\n")
        if re.match(rb"^(BEGIN|END):(?!VCALENDAR|VEVENT|VTIMEZONE|STANDARD|DAYLIGHT)", line)
    ]
    SINKS["iCalendar (sessions.ics)"] = len(HOSTILE)


def test_build_reports_problems_and_never_crashes(hostile_site: BuiltSite) -> None:
    warnings = "\n".join(hostile_site.warnings)
    assert "Traceback" not in warnings
    assert "PL112" in warnings and "PL404" in warnings  # control characters removed, and said so
    assert "PL104" in warnings  # a topic that is no slug is refused


def test_report_counts(capsys: pytest.CaptureFixture[str]) -> None:
    fields = len(note(0, "x", "y")) + 1  # + every list item and sub-field kind
    with capsys.disabled():
        print(f"\nhostile strings: {len(HOSTILE)}; note fields: {fields}; sinks: {dict(SINKS)}")
