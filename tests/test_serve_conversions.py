"""`mkdocs serve`: generated pages whose Markdown did not change are not converted again.

Each test builds as `mkdocs serve` does (the plugin's state kept between
builds), changes an input, builds again, and compares every page with a
one-off `mkdocs build` of the same files: a kept conversion must give exactly
the HTML a fresh conversion gives.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import Serving, build, write_tree
from test_serve_dirty import SITE as DIRTY_SITE

# test_serve_dirty's site, with a summary that has a heading and math, and a .bib file.
SITE = {
    **DIRTY_SITE,
    "notes/papers/b.yaml": "title: BERT\ncites: [a]\nsummary: |\n  ## Method\n\n  Masks words, then $p(x)$.\n",
    "notes/refs.bib": "@article{x, title={X}, year={2020}}\n",
}


class Serve(Serving):
    """One `mkdocs serve` session: every build's messages, and the plugin's counts."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.messages: list[str] = []
        self.counts: dict[str, int] = {}

    def build(self):  # type: ignore[no-untyped-def]
        records: list[logging.LogRecord] = []
        handler = logging.Handler(logging.INFO)
        handler.emit = records.append  # type: ignore[method-assign]
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        old_level = logger.level
        logger.setLevel(logging.INFO)  # as `mkdocs serve` runs
        try:
            config = super().build()
        finally:
            logger.removeHandler(handler)
            logger.setLevel(old_level)
        self.messages = [r.getMessage() for r in records]
        self.counts = dict(self.plugin.render_counts)
        return config


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    root = tmp_path / "served"
    write_tree(root, SITE)
    with Serve(root) as session:
        session.build()
        yield session


def same_as_a_fresh_build(served: Path, tmp_path: Path) -> list[str]:
    """Pages (and JSON files: graph, search index) whose content differs from a one-off
    build of the same files (none, we hope)."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(served, fresh, ignore=shutil.ignore_patterns("site"))
    build(fresh)

    def written(site: Path) -> list[Path]:
        return sorted(
            p.relative_to(site) for p in site.rglob("*") if p.suffix in (".html", ".json")
        )

    pages = written(fresh / "site")
    assert len(pages) > 10 and Path("graph.json") in pages
    assert written(served / "site") == pages
    return [
        str(page)
        for page in pages
        if (served / "site" / page).read_bytes() != (fresh / "site" / page).read_bytes()
    ]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_a_rebuild_converts_again_only_the_pages_whose_markdown_changed(
    serve: Serve, tmp_path: Path
) -> None:
    first = serve.counts
    assert first["conversions_reused"] == 0 and first["converted"] > 10
    edit(serve.root / "notes/papers/a.yaml", "Attention", "Attention, revised")
    serve.build()
    # The paper's own page, the listings showing its title, the page listing it
    # among its citations: their Markdown changed. CLIP cites it in its summary,
    # but a citation is a placeholder until after conversion: CLIP is kept.
    assert 0 < serve.counts["converted"] < first["converted"] // 2
    assert serve.counts["converted"] + serve.counts["conversions_reused"] == first["converted"]
    assert same_as_a_fresh_build(serve.root, tmp_path) == []


def test_kept_pages_get_their_own_table_of_contents(serve: Serve, tmp_path: Path) -> None:
    # paperlog adds "References" to the contents of a page with citations, after
    # conversion: a kept conversion must not collect one more on each rebuild.
    for _ in range(2):
        edit(serve.root / "notes/papers/d.yaml", "DINO", "DINO v")
        serve.build()
    assert serve.counts["conversions_reused"] > 0
    assert same_as_a_fresh_build(serve.root, tmp_path) == []


def test_a_glossary_change_converts_every_page_again(serve: Serve, tmp_path: Path) -> None:
    edit(serve.root / "notes/glossary.yaml", "all the way down", "and nothing else")
    serve.build()
    assert serve.counts["conversions_reused"] == 0
    assert same_as_a_fresh_build(serve.root, tmp_path) == []


def test_a_new_citable_key_converts_every_page_again(serve: Serve, tmp_path: Path) -> None:
    # "[@e]" is plain text while no note or BibTeX entry has the key e; an entry
    # added to a .bib file adds no page, so the site's files are the same.
    edit(serve.root / "notes/papers/d.yaml", "no labels.", "no labels, unlike [@e].")
    serve.build()
    assert any("'e'" in m for m in serve.messages)
    edit(serve.root / "notes/refs.bib", "\n", "\n@article{e, title={EfficientNet}, year={2019}}\n")
    serve.build()
    assert serve.counts["conversions_reused"] == 0
    assert same_as_a_fresh_build(serve.root, tmp_path) == []


def test_a_page_whose_conversion_warns_warns_again(serve: Serve, tmp_path: Path) -> None:
    edit(
        serve.root / "notes/papers/d.yaml", "no labels.", "no labels; see [the setup](missing.md)."
    )
    serve.build()
    warned = [m for m in serve.messages if "missing.md" in m]
    assert warned
    edit(serve.root / "notes/papers/a.yaml", "Attention", "Attention, revised")
    serve.build()
    assert [m for m in serve.messages if "missing.md" in m] == warned
    assert serve.counts["conversions_reused"] > 0


def test_an_edited_mkdocs_yml_converts_every_page_again(serve: Serve, tmp_path: Path) -> None:
    edit(
        serve.root / "mkdocs.yml",
        "site_name: t",
        "site_name: t\nmarkdown_extensions: [pymdownx.keys]",
    )
    write_tree(
        serve.root, {"notes/papers/d.yaml": "title: DINO\nsummary: Press ++ctrl+c++ to stop.\n"}
    )
    serve.build()
    assert serve.counts["conversions_reused"] == 0
    assert same_as_a_fresh_build(serve.root, tmp_path) == []
    assert (
        serve.root.joinpath("site/papers/d/index.html").read_text("utf-8").count('class="keys"')
        == 1
    )


def test_snippets_appended_to_every_page_turn_kept_conversions_off(
    serve: Serve, tmp_path: Path
) -> None:
    # auto_append adds a file to every page: the file can change while no page's Markdown does.
    snippets = (
        f"  - pymdownx.snippets:\n      base_path: ['{serve.root}']\n      auto_append: [abbr.txt]"
    )
    edit(
        serve.root / "mkdocs.yml", "site_name: t", f"site_name: t\nmarkdown_extensions:\n{snippets}"
    )
    write_tree(serve.root, {"abbr.txt": "Transformers are everywhere.\n"})
    serve.build()
    edit(serve.root / "abbr.txt", "everywhere", "all around")
    serve.build()
    assert serve.counts["conversions_reused"] == 0
    assert "all around" in serve.root.joinpath("site/papers/d/index.html").read_text("utf-8")
    assert same_as_a_fresh_build(serve.root, tmp_path) == []
