"""The repository's own demo site (mkdocs.yml, notes/, docs/) builds clean and shows its notes.

The demo is what the README's first command builds and what a user forks as a
template, so a broken note or link in it must fail the suite, not the deploy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO, BuiltSite, build
from paperlog.cli import main
from paperlog.model import STATUS_LABELS, STATUSES

NOTES = sorted((REPO / "notes" / "papers").glob("*.yaml"))


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo site, so the build writes nothing into the checkout."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("notes", "docs"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def demo(demo_root: Path) -> BuiltSite:
    # Built once for the module: the assertions below only read the output.
    return build(demo_root, strict=True)


def _note(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _title(page: BeautifulSoup) -> str:
    """The page's h1 as a reader sees it, without the demo's permalink anchor."""
    h1 = page.select_one("article h1")
    for anchor in h1.select("a.headerlink"):
        anchor.decompose()
    return h1.get_text(strip=True)


def test_demo_builds_strict_without_warnings(demo: BuiltSite) -> None:
    assert demo.warnings == []
    for url in ("", "papers/", "topics/", "topics/attention/", "topics/normalization/"):
        assert demo.exists(url), url


def test_every_note_has_a_page_with_its_title(demo: BuiltSite) -> None:
    assert len(NOTES) >= 6
    for path in NOTES:
        page = demo.html(f"papers/{path.stem}/")
        assert _title(page) == _note(path)["title"], path.name


def test_papers_index_shows_every_status(demo: BuiltSite) -> None:
    table = demo.html("papers/").select_one("article .pl-table table")
    badges = {badge.get_text(strip=True) for badge in table.select("tbody .pl-status")}
    assert badges == {STATUS_LABELS[s] for s in STATUSES}
    assert len(table.select("tbody tr")) == len(NOTES)


def test_attention_topic_lists_its_papers(demo: BuiltSite) -> None:
    page = demo.html("topics/attention/")
    assert _title(page) == "Attention and Transformers"
    rows = page.select("article .pl-table tbody tr")
    assert len(rows) >= 6
    expected = {p.stem for p in NOTES if "attention" in (_note(p).get("topics") or [])}
    linked = {
        a["href"].strip("./").split("/")[-1]
        for row in rows
        for a in row.select("td:first-child > a")
    }
    assert linked == expected


def test_math_renders_and_references_resolve(demo: BuiltSite) -> None:
    # Every formula in the notes converts to MathML, and every `cites` entry
    # names a note, so it renders as a link rather than as a bare key.
    for path in NOTES:
        article = demo.html(f"papers/{path.stem}/").select_one("article")
        assert article.select(".pl-math-error") == [], path.name
        cites = article.find(id="cites")
        if cites is not None:
            items = cites.find_next("ul").find_all("li")
            assert len(items) == len(_note(path)["cites"])
            assert all(item.a is not None for item in items), path.name


def test_home_page_links_into_the_reading_log(demo: BuiltSite) -> None:
    hrefs = {a["href"] for a in demo.html("").select("article a[href]")}
    assert {"papers/", "topics/", "topics/attention/", "guide/"} <= hrefs


def test_paperlog_check_is_clean(demo_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--strict", "-f", str(demo_root / "mkdocs.yml")]) == 0
    assert f"checked {len(NOTES)} notes in notes/: 0 errors, 0 warnings" in capsys.readouterr().err
