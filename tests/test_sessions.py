"""Reading-group meetings: sessions.yaml, /sessions/, /sessions.ics, and paper pages."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import icalendar
import pytest

from conftest import write_tree
from paperlog.diagnostics import CODES, Diagnostics
from paperlog.link import link_library
from paperlog.load import load_library
from paperlog.render import render_site
from paperlog.render.options import SiteOptions, render_options
from paperlog.settings import Settings

READERS = """
ada: {name: Ada Lovelace}
alan: {name: Alan Turing}
"""

PAPERS = {
    "notes/papers/attention.yaml": "title: Attention Is All You Need\nyear: 2017\nstatus: implemented\n",
    "notes/papers/bert.yaml": "title: 'BERT: Pre-training of Deep Bidirectional Transformers'\nyear: 2018\n",
    "notes/papers/resnet.yaml": "title: Deep Residual Learning\nyear: 2015\n",
}

SESSIONS = """
- date: 2026-01-10
  time: "16:00"
  duration: 90
  presenter: ada
  papers: [attention]
  slides: https://example.org/slides.pdf
  notes: We covered *scaled* dot-product attention.
- id: bert-kickoff
  date: 2026-03-12
  time: 10:30
  timezone: Europe/London
  presenter: alan
  papers: [bert, attention]
  location: "Room 2; building B, floor 3"
  title: "BERT, part 1; then questions"
  notes: |
    Bring questions.
    END:VEVENT
    BEGIN:VEVENT
    SUMMARY:injected
- date: 2026-03-01
  papers: [resnet]
- date: 2026-03-01
  title: Second meeting that day
"""

TODAY = dt.date(2026, 3, 1)
"""The build date of these tests: one meeting past, three upcoming (today's counts)."""


def site_files() -> dict[str, str | bytes]:
    return {**PAPERS, "notes/readers.yaml": READERS, "notes/sessions.yaml": SESSIONS}


def build_library(tmp_path: Path, files: dict[str, str | bytes], **options: object):
    write_tree(tmp_path, files)
    settings = Settings.for_root(tmp_path, today=TODAY, **options)
    diags = Diagnostics()
    lib = link_library(load_library(settings, diags), settings, diags)
    return lib, settings, diags


def calendar_text(tmp_path: Path, files: dict[str, str | bytes], **options: object) -> str:
    lib, settings, diags = build_library(tmp_path, files, **options)
    outputs = {
        f.path: f
        for f in render_site(
            lib, settings, diags, options=render_options(SiteOptions(site_name="Lab"))
        )
    }
    return outputs["sessions.ics"].content or ""


@pytest.fixture
def epoch(monkeypatch):
    """Build "today" for real MkDocs builds, through the reproducible-builds variable."""
    stamp = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.timezone.utc).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stamp)))


# Loading -------------------------------------------------------------------------


def test_sessions_load_sorted_with_stable_keys(tmp_path):
    lib, _, diags = build_library(tmp_path, site_files())
    assert not list(diags), [d.format() for d in diags]
    assert [s.uid for s in lib.sessions] == [
        "2026-01-10-1600",
        "2026-03-01",
        "2026-03-01-2",
        "bert-kickoff",
    ]
    first, _, _, bert = lib.sessions
    assert first.time == dt.time(16, 0) and first.duration == 90
    # An unquoted 10:30 is a base-60 number in YAML 1.1; it still means 10:30.
    assert bert.time == dt.time(10, 30) and bert.timezone == "Europe/London"
    assert bert.papers == ("bert", "attention")
    assert bert.where("papers/1").line == 13


def test_keys_do_not_depend_on_other_meetings(tmp_path):
    """Adding a meeting on another day must not change existing UIDs and anchors."""
    lib, _, _ = build_library(tmp_path, site_files())
    before = {s.uid for s in lib.sessions}
    more = SESSIONS + "- date: 2026-02-01\n  title: Inserted later\n"
    lib2, _, _ = build_library(tmp_path, {**site_files(), "notes/sessions.yaml": more})
    assert before < {s.uid for s in lib2.sessions}


@pytest.mark.parametrize(
    ("text", "code", "line", "fragment"),
    [
        ("{date: 2026-01-01}\n", "PL640", 1, "must be a list of meetings"),
        ("- date: 2026-01-01\n  room: 3\n", "PL641", 2, "unknown field 'room'"),
        ("- date: 2026-01-01\n  duration: long\n", "PL641", 2, "'duration' must be a whole number"),
        ("- time: '10:00'\n", "PL641", 1, "missing required field 'date'"),
        ("- date: 2026-02-30\n", "PL642", 1, "'2026-02-30' is not a real date"),
        ("- date: 2026-01-01\n  time: '25:00'\n", "PL641", 2, "'time' is not valid"),
        ("- date: 2026-01-01\n  time: 14\n", "PL642", 2, "'time' must be HH:MM"),
        (
            "- date: 2026-01-01\n  time: '10:00'\n  timezone: Mars/Olympus\n",
            "PL642",
            3,
            "unknown time zone 'Mars/Olympus'",
        ),
        ("- date: 2026-01-01\n  duration: 60\n", "PL642", 2, "'duration' needs a start 'time'"),
        ("- date: 2026-01-01\n  papers: [atention]\n", "PL643", 2, "unknown paper 'atention'"),
        (
            "- date: 2026-01-01\n  presenter: adda\n",
            "PL644",
            2,
            "presenter 'adda' is not in readers.yaml",
        ),
        (
            "- {id: a, date: 2026-01-01}\n- {id: a, date: 2026-01-02}\n",
            "PL645",
            2,
            "two meetings have the id 'a'",
        ),
    ],
)
def test_problems_in_sessions_yaml_are_6xx_diagnostics_with_lines(
    tmp_path, text, code, line, fragment
):
    files = {**PAPERS, "notes/readers.yaml": READERS, "notes/sessions.yaml": text}
    _, _, diags = build_library(tmp_path, files)
    assert code in CODES
    matches = [d for d in diags if d.code == code and fragment in d.message]
    assert matches, [d.format() for d in diags]
    assert matches[0].path == "notes/sessions.yaml" and matches[0].line == line


def test_hints_name_the_closest_paper_and_reader(tmp_path):
    text = "- date: 2026-01-01\n  presenter: adda\n  papers: [atention]\n"
    _, _, diags = build_library(
        tmp_path, {**PAPERS, "notes/readers.yaml": READERS, "notes/sessions.yaml": text}
    )
    assert {d.hint for d in diags} == {"did you mean 'ada'?", "did you mean 'attention'?"}


def test_duplicate_ids_keep_both_meetings_with_distinct_keys(tmp_path):
    text = "- {id: a, date: 2026-01-01}\n- {id: a, date: 2026-01-02}\n"
    lib, _, _ = build_library(tmp_path, {**PAPERS, "notes/sessions.yaml": text})
    assert [s.uid for s in lib.sessions] == ["a", "a-2"]


# The calendar ------------------------------------------------------------------


def test_calendar_holds_upcoming_meetings_and_parses_back(tmp_path):
    text = calendar_text(tmp_path, site_files(), site_url="https://lab.example.org/reading/")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    # Today's two meetings and the one in March; the January one is past.
    assert [str(e["uid"]) for e in events] == [
        "2026-03-01@lab.example.org/reading",
        "2026-03-01-2@lab.example.org/reading",
        "bert-kickoff@lab.example.org/reading",
    ]
    for event in events:
        assert event.decoded("dtstamp") == dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    # All-day meeting (no time); its title defaults to the paper's title.
    assert events[0].decoded("dtstart") == dt.date(2026, 3, 1)
    assert str(events[0]["summary"]) == "Deep Residual Learning"
    assert str(events[1]["summary"]) == "Second meeting that day"
    bert = events[2]
    assert bert.decoded("dtstart") == dt.datetime(
        2026, 3, 12, 10, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London")
    )
    assert str(bert["dtstart"].params["TZID"]) == "Europe/London"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    # Text with iCalendar's special characters comes back exactly, in its property.
    assert str(bert["summary"]) == "BERT, part 1; then questions"
    assert str(bert["location"]) == "Room 2; building B, floor 3"
    description = str(bert["description"])
    assert "Presenter: Alan Turing" in description
    assert "Paper: BERT: Pre-training of Deep Bidirectional Transformers" in description
    assert "END:VEVENT\nBEGIN:VEVENT\nSUMMARY:injected" in description
    assert str(bert["url"]) == "https://lab.example.org/reading/sessions/#session-bert-kickoff"
    assert "\r\nSUMMARY:injected" not in text


def test_calendar_times_without_zone_are_floating(tmp_path):
    text = "- date: 2026-04-02\n  time: '18:00'\n  duration: 45\n"
    cal = icalendar.Calendar.from_ical(
        calendar_text(tmp_path, {**PAPERS, "notes/sessions.yaml": text})
    )
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime(
        2026, 4, 2, 18, 0
    )  # naive: local wherever opened
    assert event.decoded("duration") == dt.timedelta(minutes=45)
    assert not list(cal.walk("VTIMEZONE"))
    # Without a site_url the UID still names the site, not a machine.
    assert str(event["uid"]) == "2026-04-02-1800@lab.paperlog.invalid"
    assert "url" not in event


def test_calendar_is_byte_identical_across_builds(tmp_path):
    first = calendar_text(tmp_path / "a", site_files(), site_url="https://x.org/")
    second = calendar_text(tmp_path / "b", site_files(), site_url="https://x.org/")
    assert first == second


# Pages -------------------------------------------------------------------------


def test_sessions_page_splits_upcoming_and_past(make_site, epoch):
    site = make_site(site_files(), config={"site_url": "https://lab.example.org/"}, strict=True)
    nav = [
        a.get_text(strip=True)
        for a in site.html("papers/").select("nav.md-nav--primary a.md-nav__link")
    ]
    assert "Reading group" in nav
    article = site.html("sessions/").select_one("article")
    upcoming = article.find(id="upcoming")
    past = article.find(id="past")
    ids_between = []
    for h3 in article.find_all("h3"):
        section = (
            "upcoming"
            if h3.find_previous("h2") is upcoming
            else "past"
            if h3.find_previous("h2") is past
            else "?"
        )
        ids_between.append((section, h3["id"]))
    assert ids_between == [
        ("upcoming", "session-2026-03-01"),
        ("upcoming", "session-2026-03-01-2"),
        ("upcoming", "session-bert-kickoff"),
        ("past", "session-2026-01-10-1600"),
    ]
    bert = article.find(id="session-bert-kickoff")
    assert bert.get_text().startswith("12 March 2026: BERT, part 1; then questions")
    when = bert.find_next("p", class_="pl-session__when")
    assert "Thu 12 March 2026, 10:30 (Europe/London)" in when.get_text()
    assert when.find("a", string="Alan Turing")["href"] == "../readers/alan/"
    papers = [a["href"] for a in bert.find_next("ul").find_all("a")]
    assert papers == ["../papers/bert/", "../papers/attention/"]
    past_meeting = article.find(id="session-2026-01-10-1600")
    when = past_meeting.find_next("p", class_="pl-session__when")
    assert "Sat 10 January 2026, 16:00–17:30" in when.get_text()
    assert when.find("a", string="Slides")["href"] == "https://example.org/slides.pdf"
    assert past_meeting.find_next("em").get_text() == "scaled"
    assert (
        article.find("a", string="Calendar of upcoming meetings (iCalendar)")["href"]
        == "../sessions.ics"
    )
    data = (site.site_dir / "sessions.ics").read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\r\n" not in data
    assert len(list(icalendar.Calendar.from_ical(data).walk("VEVENT"))) == 3


def test_paper_page_shows_when_it_was_discussed(make_site, epoch):
    site = make_site(site_files(), strict=True)
    lines = [
        p.get_text(" ", strip=True)
        for p in site.html("papers/attention/").select(".pl-team__session")
    ]
    assert lines == [
        "Discussed in the reading group on Sat 10 January 2026 , presented by Ada Lovelace · slides",
        "To be discussed in the reading group on Thu 12 March 2026 , presented by Alan Turing",
    ]
    link = site.html("papers/attention/").select_one(".pl-team__session a")
    assert link["href"] == "../../sessions/#session-2026-01-10-1600"
    assert (
        site.html("papers/resnet/").select_one(".pl-team__session a")["href"]
        == "../../sessions/#session-2026-03-01"
    )


def test_reader_page_lists_meetings_they_presented(make_site, epoch):
    site = make_site(site_files(), strict=True)
    presented = site.html("readers/alan/").find(id="presented-in-the-reading-group").find_next("ul")
    assert presented.a["href"] == "../../sessions/#session-bert-kickoff"


def test_no_sessions_page_without_sessions_yaml(make_site):
    site = make_site(PAPERS, strict=True)
    assert not site.exists("sessions/") and not site.exists("sessions.ics")
    assert site.html("papers/attention/").select_one(".pl-team") is None


def test_an_empty_list_gives_an_empty_page_and_a_valid_calendar(make_site, epoch):
    site = make_site({**PAPERS, "notes/sessions.yaml": "[]\n"}, strict=True)
    page = site.html("sessions/")
    assert "No meeting planned yet" in page.get_text()
    # No big button for an empty calendar, but its address for subscribers.
    assert page.select_one("article a.md-button") is None
    assert page.find("a", string="the calendar")["href"] == "../sessions.ics"
    cal = icalendar.Calendar.from_ical(site.text("sessions.ics"))
    assert not list(cal.walk("VEVENT"))
