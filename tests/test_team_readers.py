"""Team sites: readers.yaml, per-reader sections (`by:`), /readers/ and /readers/<id>/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import write_tree
from paperlog.diagnostics import Diagnostics
from paperlog.link import link_library
from paperlog.load import load_library
from paperlog.model import LogEntry, Paper, ReaderNotes
from paperlog.settings import Settings

READERS = """
ada: {name: Ada Lovelace, url: "https://example.org/ada", avatar: "https://example.org/ada.png"}
alan: {name: Alan Turing}
grace: {name: "Grace <b>Hopper</b>"}
"""

ATTENTION = """
title: Attention Is All You Need
year: 2017
status: implemented
readers: [ada, alan]
summary: The shared summary.
log:
  - {date: 2026-01-07, pass: first, minutes: 90, reader: alan}
  - {date: 2026-01-05, pass: skim, minutes: 15, reader: ada}
  - {date: 2026-01-09, pass: second, minutes: 30, reader: ada, note: "with *code*"}
by:
  ada:
    summary: |
      Attention is *all* you need: $O(n^2)$ in the length.
    rating: 5
    passes:
      first: Read sections 1 to 3.
      second: |
        ```python
        scores = q @ k.T
        ```
  alan:
    summary: "Not convinced <script>alert(1)</script> about positional encodings."
    rating: 2
"""

SOLO = """
title: Layer Normalization
year: 2016
status: first-pass
readers: [alan]
log:
  - {date: 2026-02-01, pass: first, minutes: 45}
  - {date: 2026-02-03, pass: review, minutes: 20}
"""

UNREAD = """
title: Deep Residual Learning
year: 2015
"""


def team_files() -> dict[str, str | bytes]:
    return {
        "notes/readers.yaml": READERS,
        "notes/papers/attention.yaml": ATTENTION,
        "notes/papers/layernorm.yaml": SOLO,
        "notes/papers/resnet.yaml": UNREAD,
    }


def load(tmp_path: Path, files: dict[str, str | bytes]):
    write_tree(tmp_path, files)
    settings = Settings.for_root(tmp_path)
    diags = Diagnostics()
    lib = link_library(load_library(settings, diags), settings, diags)
    return lib, diags


# Model -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("readers", "entry_reader", "expected"),
    [
        ((), None, None),
        (("ada",), None, "ada"),
        (("ada",), "alan", "alan"),
        (("ada", "alan"), None, None),
        (("ada", "alan"), "alan", "alan"),
    ],
)
def test_log_entry_is_attributed_to_its_reader_or_the_only_one(readers, entry_reader, expected):
    entry = LogEntry(dt.date(2026, 1, 1), "skim", reader=entry_reader)
    paper = Paper("p", "p.yaml", readers=readers, log=(entry,))
    assert paper.reader_of(entry) == expected


def test_reader_ids_collects_every_reader_once_in_order():
    paper = Paper(
        "p",
        "p.yaml",
        readers=("ada",),
        by=(ReaderNotes("grace"), ReaderNotes("ada")),
        log=(LogEntry(dt.date(2026, 1, 1), "skim", reader="alan"),),
    )
    assert paper.reader_ids == ("ada", "grace", "alan")


# Loading and checking ----------------------------------------------------------


def test_by_sections_load_in_note_order(tmp_path):
    lib, diags = load(tmp_path, team_files())
    assert not diags.has_errors, [d.format() for d in diags]
    by = lib.papers["attention"].by
    assert [n.reader for n in by] == ["ada", "alan"]
    assert by[0].rating == 5 and set(by[0].passes) == {"first", "second"}
    assert "positional encodings" in by[1].summary


def test_unknown_readers_are_reported_at_their_line(tmp_path):
    files = team_files()
    files["notes/papers/typo.yaml"] = """
title: Typo
log:
  - {date: 2026-03-02, pass: skim, reader: alna}
  - {date: 2026-03-01, pass: skim, reader: ada}
by:
  ada: {summary: fine}
  adda: {summary: misspelt}
"""
    _, diags = load(tmp_path, files)
    found = {(d.code, d.line, d.message) for d in diags}
    # The log is sorted by date, but the line is where the entry was written.
    assert ("PL204", 3, "unknown reader 'alna'") in found
    assert ("PL204", 7, "unknown reader 'adda'") in found
    hints = {d.hint for d in diags if d.code == "PL204"}
    assert "did you mean 'alan'?" in hints and "did you mean 'ada'?" in hints


@pytest.mark.parametrize(
    ("by", "code", "fragment"),
    [
        ("{ada: {summary: x, ratng: 3}}", "PL103", "unknown field 'ratng'"),
        ("{ada: {rating: 7}}", "PL104", "between 0 and 5"),
        ("{ada: {passes: {third: x}}}", "PL103", "unknown field 'third'"),
        (
            "{Ada Lovelace: {summary: x}}",
            "PL104",
            "the text 'Ada Lovelace' is not a valid id in 'by'",
        ),
        ("[ada]", "PL104", "must be a mapping"),
    ],
)
def test_malformed_by_sections_are_diagnostics(tmp_path, by, code, fragment):
    _, diags = load(tmp_path, {"notes/papers/p.yaml": f"title: P\nby: {by}\n"})
    assert any(d.code == code and fragment in d.message and d.line == 2 for d in diags), [
        d.format() for d in diags
    ]


def test_without_readers_yaml_names_are_free_text(tmp_path):
    _, diags = load(tmp_path, {"notes/papers/p.yaml": "title: P\nby: {someone: {summary: x}}\n"})
    assert not list(diags)


# Pages -------------------------------------------------------------------------


def test_paper_page_shows_readers_notes_side_by_side(make_site):
    site = make_site(team_files(), strict=True)
    article = site.html("papers/attention/").select_one("article")
    readers_line = article.select_one(".pl-team__readers")
    assert [a.get_text() for a in readers_line.select("a")] == ["Ada Lovelace", "Alan Turing"]
    assert readers_line.a["href"] == "../../readers/ada/"
    grid = article.select_one(".grid.pl-reader-notes")
    cards = grid.select(":scope > .card.pl-reader-note")
    assert [c["id"] for c in cards] == ["by-ada", "by-alan"]
    ada, alan = cards
    assert ada.select_one(".pl-reader-note__by a").get_text() == "Ada Lovelace"
    assert ada.select_one(".pl-rating")["aria-label"] == "Rating: 5 of 5"
    assert ada.select_one("img.pl-avatar")["src"] == "https://example.org/ada.png"
    assert ada.find("em").get_text() == "all" and ada.find("math") is not None
    # Passes are collapsible, code inside them highlighted.
    assert [s.get_text(strip=True) for s in ada.select("details summary")] == [
        "First pass",
        "Second pass",
    ]
    assert ada.select_one("details .highlight") is not None
    # Without an avatar: initials, not an image.
    assert alan.select_one(".pl-avatar--initials").get_text() == "AT"
    assert "Not convinced" in alan.get_text()
    # The reading log names each session's reader.
    rows = article.find(id="reading-log").find_next("table").tbody.find_all("tr")
    assert [[td.get_text(strip=True) for td in r.find_all("td")][:3] for r in rows] == [
        ["2026-01-05", "Ada Lovelace", "Skim"],
        ["2026-01-07", "Alan Turing", "First pass"],
        ["2026-01-09", "Ada Lovelace", "Second pass"],
    ]


def test_single_reader_paper_attributes_the_log_to_them(make_site):
    site = make_site(team_files(), strict=True)
    rows = (
        site.html("papers/layernorm/")
        .find(id="reading-log")
        .find_next("table")
        .tbody.find_all("tr")
    )
    assert {r.find_all("td")[1].get_text(strip=True) for r in rows} == {"Alan Turing"}
    # A paper nobody read has no readers line and no Reader column.
    resnet = site.html("papers/resnet/")
    assert resnet.select_one(".pl-team") is None


def test_per_reader_text_is_escaped_when_html_is_off(make_site):
    site = make_site(
        team_files(),
        config={"plugins": ["search", {"paperlog": {"allow_html": False}}]},
        strict=True,
    )
    card = site.html("papers/attention/").select_one("#by-alan")
    assert card.find("script") is None
    assert "<script>alert(1)</script>" in card.get_text()


def test_readers_index_and_reader_pages(make_site):
    site = make_site(team_files(), strict=True)
    nav = [
        a.get_text(strip=True)
        for a in site.html("papers/").select("nav.md-nav--primary a.md-nav__link")
    ]
    assert "Readers" in nav
    index = site.html("readers/")
    cards = index.select(".pl-reader-cards > .card")
    # By name; a name with markup stays text.
    names = [c.select_one(".pl-reader-card__head a").get_text() for c in cards]
    assert names == ["Ada Lovelace", "Alan Turing", "Grace <b>Hopper</b>"]
    assert index.select_one(".pl-reader-cards b") is None
    assert "2 papers · 3 reading sessions · 2 h 35 min" in cards[1].get_text()

    alan = site.html("readers/alan/").select_one("article")
    stats = {s.strong.get_text(): s.get_text(" ", strip=True) for s in alan.select(".pl-stat")}
    assert stats["2"].endswith("papers") and stats["3"].endswith("reading sessions")
    assert "2 h 35 min" in stats
    legend = alan.select_one(".pl-progress__legend").get_text(" ", strip=True)
    assert "First pass 1" in legend and "Implemented 1" in legend
    assert [r.a.get_text() for r in alan.select(".pl-table tbody tr")] == [
        "Attention Is All You Need",
        "Layer Normalization",
    ]
    log_rows = alan.find(id="reading-log").find_next("table").tbody.find_all("tr")
    assert [r.td.get_text() for r in log_rows] == ["2026-02-03", "2026-02-01", "2026-01-07"]
    notes = alan.find(id="notes").find_next("ul")
    assert notes.a["href"] == "../../papers/attention/#by-alan"
    ada = site.html("readers/ada/")
    assert ada.select_one(".pl-reader-header a.md-button")["href"] == "https://example.org/ada"
    assert "No papers yet" in site.html("readers/grace/").select_one("article").get_text()


def test_no_reader_pages_without_readers_yaml(make_site):
    files = team_files()
    del files["notes/readers.yaml"]
    site = make_site(files, strict=True)
    assert not site.exists("readers/")
    nav = [
        a.get_text(strip=True)
        for a in site.html("papers/").select("nav.md-nav--primary a.md-nav__link")
    ]
    assert "Readers" not in nav
    # Names stay plain text, still attributed.
    card = site.html("papers/attention/").select_one("#by-ada .pl-reader-note__by")
    assert card.a is None and "ada" in card.get_text()


def test_default_reader_owns_notes_that_name_no_reader(tmp_path):
    files = team_files()
    files["notes/readers.yaml"] = "me: {name: Site author, default: true}\nguest: {name: Guest}\n"
    files["notes/papers/attention.yaml"] = (
        "title: A\nby: {guest: {summary: mine}}\nlog:\n  - {date: 2026-01-01, pass: skim}\n"
    )
    files["notes/papers/layernorm.yaml"] = "title: L\nreaders: [guest]\n"
    lib, diags = load(tmp_path, files)
    assert not diags.has_errors, [d.format() for d in diags]
    attention = lib.papers["attention"]
    assert attention.readers == ("me",) and attention.reader_ids == ("me", "guest")
    assert attention.reader_of(attention.log[0]) == "me"
    assert lib.papers["layernorm"].readers == ("guest",)  # a note that names its reader keeps it


def test_only_one_reader_can_be_the_default(tmp_path):
    files = {
        "notes/readers.yaml": "a: {name: A, default: true}\nb:\n  name: B\n  default: true\n",
        "notes/papers/p.yaml": "title: P\n",
    }
    lib, diags = load(tmp_path, files)
    (problem,) = [d for d in diags if d.code == "PL104"]
    assert (problem.path, problem.line) == ("notes/readers.yaml", 4)
    assert "'a' is already the default reader" in problem.message
    assert lib.papers["p"].readers == ("a",)
