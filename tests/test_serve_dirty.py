"""`mkdocs serve --dirty`: pages whose HTML would come out the same are not written again.

Each test builds the way `mkdocs serve --dirty` does (one session, the plugin's
state kept, the site folder kept), marks the HTML already written, changes an
input and builds again: a kept page still has the mark, a rebuilt one has not
and shows the change. tests/test_differential.py compares whole sites.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import Serving, write_tree

MARK = "<!-- kept by --dirty -->"

SITE = {
    "mkdocs.yml": """
        site_name: t
        theme: {name: material}
        plugins: [search, paperlog]
    """,
    "docs/index.md": "# Home\n",
    "notes/papers/a.yaml": "title: Attention\nauthors: [Ada Lovelace]\nyear: 2017\n",
    "notes/papers/b.yaml": "title: BERT\ncites: [a]\n",
    "notes/papers/c.yaml": "title: CLIP\nsummary: Builds on [@a].\n",
    "notes/papers/d.yaml": "title: DINO\nsummary: A transformer with no labels.\n",
    "notes/glossary.yaml": "transformer:\n  name: Transformer\n  definition: Attention all the way down.\n",
}


class Session(Serving):
    """One `mkdocs serve --dirty` session, with marks on the pages it wrote."""

    def __init__(self, root: Path, dirty: bool = True) -> None:
        super().__init__(root, dirty=dirty)

    @property
    def pages(self):  # type: ignore[no-untyped-def]
        return self.plugin.session.dirty

    def none_kept_after_a_rebuild(self) -> bool:
        """Build, mark every paper page, build again: whether none kept its HTML."""
        self.build()
        self.mark(*PAPERS)
        self.build()
        return not any(self.kept(url) for url in PAPERS)

    def page(self, url: str) -> Path:
        return self.root / "site" / url / "index.html"

    def mark(self, *urls: str) -> None:
        for url in urls:
            path = self.page(url)
            path.write_text(path.read_text("utf-8") + MARK, "utf-8")

    def kept(self, url: str) -> bool:
        return MARK in self.page(url).read_text("utf-8")

    def html(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.page(url).read_text("utf-8"), "lxml")


@pytest.fixture
def session(tmp_path: Path):  # type: ignore[no-untyped-def]
    write_tree(tmp_path, SITE)
    with Session(tmp_path) as session:
        session.build()
        yield session


PAPERS = ("papers/a/", "papers/b/", "papers/c/", "papers/d/")


def test_only_the_pages_that_change_are_written_again(session: Session) -> None:
    session.mark(*PAPERS, "papers/")
    pages = session.pages
    citing_before = pages.written["papers/c.md"]
    note = session.root / "notes/papers/a.yaml"
    note.write_text(note.read_text("utf-8").replace("Attention", "Attention, revised"), "utf-8")
    session.build()

    # Its own page, the page listing it in its citations, the page citing it in
    # its summary (the References list shows the title) and the index are new.
    assert session.html("papers/a/").h1.get_text(strip=True) == "Attention, revised"
    assert "Attention, revised" in session.html("papers/b/").get_text()
    assert "Attention, revised" in session.html("papers/c/").get_text()
    assert "Attention, revised" in session.html("papers/").get_text()
    assert not any(session.kept(url) for url in ("papers/a/", "papers/b/", "papers/c/", "papers/"))
    # The citing page's Markdown did not change (a citation is a placeholder until
    # after conversion): what it cites did.
    citing_after = pages.written["papers/c.md"]
    assert citing_after.text == citing_before.text and citing_after.keys == ("a",)
    assert citing_after.works != citing_before.works
    # The page that shows nothing of it keeps its HTML.
    assert session.kept("papers/d/")


def test_nothing_changed_keeps_every_page(session: Session) -> None:
    session.mark(*PAPERS, "papers/", "authors/ada-lovelace/")
    session.build()
    assert all(session.kept(url) for url in (*PAPERS, "papers/", "authors/ada-lovelace/"))
    # The navigation of the pages written again still names the kept pages (mkdocs#4047).
    assert "None" not in [a.get_text(strip=True) for a in session.html("").select("nav a")]


def test_a_new_title_of_a_page_of_yours_in_the_navigation_rebuilds_every_page(
    session: Session,
) -> None:
    session.mark(*PAPERS)
    (session.root / "docs/index.md").write_text("# Welcome home\n", "utf-8")
    session.build()
    assert not any(session.kept(url) for url in PAPERS)
    assert "Welcome home" in session.html("papers/d/").get_text()


def test_a_glossary_change_rebuilds_every_page(session: Session) -> None:
    # Glossary links are made while each page is converted, from the glossary.
    session.mark(*PAPERS)
    glossary = session.root / "notes/glossary.yaml"
    glossary.write_text(
        glossary.read_text("utf-8") + "labels:\n  name: Labels\n  definition: Answers.\n", "utf-8"
    )
    session.build()
    assert not any(session.kept(url) for url in PAPERS)
    assert session.html("papers/d/").find("a", href="../../glossary/#labels") is not None


def test_a_new_citable_key_rebuilds_pages_that_may_cite_it(session: Session) -> None:
    session.mark(*PAPERS)
    (session.root / "notes/papers/e.yaml").write_text("title: ELMo\n", "utf-8")
    session.build()
    assert not any(session.kept(url) for url in PAPERS)


def test_a_page_deleted_from_the_site_folder_is_written_again(session: Session) -> None:
    session.page("papers/d/").unlink()
    session.build()
    assert session.html("papers/d/").h1.get_text(strip=True) == "DINO"


def test_without_dirty_every_page_is_written_again(tmp_path: Path) -> None:
    write_tree(tmp_path, SITE)
    with Session(tmp_path, dirty=False) as session:
        assert session.none_kept_after_a_rebuild()


def test_a_dirty_rebuild_writes_the_site_a_clean_build_writes(tmp_path: Path) -> None:
    """Every page of a dirty session after an edit is byte for byte what a clean build writes."""
    import filecmp
    import shutil

    from paperlog.bench.synth import generate_site

    served, clean = tmp_path / "served", tmp_path / "clean"
    generate_site(served, 30)
    with Session(served) as session:
        session.build()
        note = served / "notes/papers/paper00007.yaml"
        text = note.read_text("utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title:"))
        note.write_text(text.replace(title, title + " (revised)"), "utf-8")
        session.build()
        kept = session.plugin.render_counts["kept"]
    assert kept > 30  # most pages were kept...
    shutil.copytree(served, clean, ignore=shutil.ignore_patterns("site"))
    with Session(clean, dirty=False) as clean_session:
        clean_session.build()
    pages = sorted(p.relative_to(clean / "site") for p in (clean / "site").rglob("index.html"))
    assert len(pages) > kept
    # ...and the site is the one a clean build writes (tests/test_differential.py compares
    # every file, the search index included).
    _, mismatch, errors = filecmp.cmpfiles(
        clean / "site", served / "site", [str(p) for p in pages], shallow=False
    )
    assert mismatch == [] and errors == []


def test_with_materials_tags_plugin_every_page_is_written_again(tmp_path: Path) -> None:
    # The tags index lists a page only when the page is converted.
    write_tree(
        tmp_path,
        {
            **SITE,
            "mkdocs.yml": SITE["mkdocs.yml"].replace(
                "[search, paperlog]", "[search, tags, paperlog]"
            ),
        },
    )
    with Session(tmp_path) as session:
        assert session.none_kept_after_a_rebuild()
