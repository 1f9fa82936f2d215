"""`mkdocs serve` support: watched paths and caches that survive rebuilds."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from conftest import BuiltSite, build, serve_build, write_tree
from paperlog.link import reuse
from paperlog.mkdocs import memory
from paperlog.mkdocs import plugin as plugin_module

SITE = {
    "mkdocs.yml": """
        site_name: t
        theme: {name: material}
        plugins:
          - search
          - paperlog:
              code_dirs: [src]
    """,
    "docs/index.md": "# Home\n",
    "notes/papers/a.yaml": "title: A\n",
    "notes/papers/b.yaml": "title: B\n",
    "notes/refs.bib": "@article{x, title={X}}\n",
    "src/impl.py": "x = 1\n",
}


class RecordingServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_notes_bib_and_code(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    write_tree(tmp_path, SITE)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    config = config.plugins.on_config(config)
    server = RecordingServer()
    config.plugins["paperlog"].on_serve(server, config=config, builder=lambda: None)
    assert set(server.watched) >= {
        str(tmp_path / "notes"),
        str(tmp_path / "notes" / "refs.bib"),
        str(tmp_path / "src"),
    }


def test_rebuild_reparses_only_the_changed_note(tmp_path: Path) -> None:
    write_tree(tmp_path, SITE)
    plugin_module._CACHES.clear()
    serve_build(tmp_path)
    cache = plugin_module._CACHES[str(tmp_path / "notes")].notes
    assert (cache.hits, cache.misses) == (0, 2)
    (tmp_path / "notes/papers/b.yaml").write_text("title: B, revised\n", "utf-8")
    serve_build(tmp_path)
    assert (cache.hits, cache.misses) == (1, 3)
    site = BuiltSite(tmp_path, tmp_path / "site")
    assert site.html("papers/b/").h1.get_text(strip=True) == "B, revised"


def test_a_one_off_build_keeps_no_load_cache(tmp_path: Path) -> None:
    # `mkdocs build` runs once: parsed notes and .bib files kept after it would only
    # add to its peak memory.
    write_tree(tmp_path, SITE)
    plugin_module._CACHES.clear()
    site = build(tmp_path)
    assert plugin_module._CACHES == {}
    assert site.html("papers/b/").h1.get_text(strip=True) == "B"


def test_a_one_off_build_forgets_what_it_kept_for_a_next_build(tmp_path: Path) -> None:
    # Under `mkdocs serve` the modules keep the last build's merged notes, people, layout
    # and bibliography views for the next rebuild; `mkdocs build` has no next build.
    # A topic and a cited BibTeX entry, so that every memo has something to keep
    # (reading orders are by topic, works without a note come from their citations).
    write_tree(
        tmp_path, {**SITE, "notes/papers/a.yaml": "title: A\ntopics: [vision]\ncites: [x]\n"}
    )
    config = serve_build(tmp_path)
    assert all(reuse._MEMOS), [type(m).__name__ for m in reuse._MEMOS if not m]
    config.plugins.on_shutdown()
    site = build(tmp_path)
    assert not any(reuse._MEMOS)
    assert site.html("papers/b/").h1.get_text(strip=True) == "B"


SERVED = {
    "mkdocs.yml": """
        site_name: t
        theme: {name: material}
        plugins: [search, paperlog]
    """,
    "docs/index.md": "# Home\n",
    "notes/papers/a.yaml": "title: Attention\n",
    "notes/papers/b.yaml": "title: BERT\ncites: [a]\n",
    "notes/papers/c.yaml": "title: CLIP\n",
}


def test_serve_rebuild_reuses_pages_and_shows_the_change(tmp_path: Path) -> None:
    write_tree(tmp_path, SERVED)
    config = serve_build(tmp_path)
    plugin = config.plugins["paperlog"]
    assert plugin.render_counts["reused"] == 0
    (tmp_path / "notes/papers/a.yaml").write_text("title: Attention, revised\n", "utf-8")
    config = serve_build(tmp_path)
    plugin = config.plugins["paperlog"]
    assert plugin.render_counts["reused"] > 0  # c's page, for one
    assert plugin.render_counts["rendered"] >= 3  # a, b (cites a) and the papers index
    site = BuiltSite(tmp_path, Path(config.site_dir))
    assert site.html("papers/a/").h1.get_text(strip=True) == "Attention, revised"
    assert "Attention, revised" in site.html("papers/b/").get_text()
    assert "Attention, revised" in site.html("papers/").get_text()
    config.plugins.on_shutdown()
    assert str(tmp_path / "notes") not in plugin_module._RENDER_CACHES


def test_a_build_keeps_no_rendered_pages(tmp_path: Path) -> None:
    write_tree(tmp_path, SERVED)
    build(tmp_path)
    assert str(tmp_path / "notes") not in plugin_module._RENDER_CACHES


CODE_PAGE = {
    **SITE,
    # An API section on the code page: mkdocstrings renders it with its templates.
    "src/impl.py": '"""The implementation."""\n\n\ndef step(x: int) -> int:\n    """One step."""\n    return x + 1\n',
}


def test_serve_lets_go_of_earlier_builds(tmp_path: Path) -> None:
    # Each `mkdocs serve` build is a new configuration, handlers and pages; without the
    # idle collection every earlier one stayed alive (about 50 MiB a rebuild at 1,000 notes).
    write_tree(tmp_path, CODE_PAGE)
    builds = []
    for i in range(3):
        (tmp_path / "notes/papers/b.yaml").write_text(f"title: B, revision {i}\n", "utf-8")
        config = serve_build(tmp_path)
        assert memory.IDLE_COLLECTION.pending
        builds.append(weakref.ref(config))
        # `config` holds the build just made, as MkDocs does until the next one.
        memory.IDLE_COLLECTION.run_now()  # what the pause after a save does
        assert not memory.IDLE_COLLECTION.pending
    site = BuiltSite(tmp_path, tmp_path / "site")
    assert site.html("code/impl/").select(".doc-function")  # mkdocstrings did render the API
    assert [ref() is None for ref in builds] == [True, True, False]
    config.plugins.on_shutdown()


def test_the_idle_collection_runs_on_its_own_and_a_new_build_postpones_it() -> None:
    idle = memory.IdleCollection(delay=0.01)
    idle.schedule()
    timer = idle._timer
    assert timer is not None
    timer.join(timeout=30)
    assert (idle.runs, idle.pending) == (1, False)
    assert gc.isenabled()

    idle = memory.IdleCollection(delay=60)
    idle.schedule()
    idle.cancel()  # what on_config does when a save comes first
    assert (idle.runs, idle.pending) == (0, False)


@pytest.mark.parametrize("command", ["build", "serve"])
def test_only_serve_schedules_an_idle_collection(tmp_path: Path, command: str) -> None:
    write_tree(tmp_path, SERVED)
    memory.IDLE_COLLECTION.cancel()
    if command == "build":
        build(tmp_path)
        assert not memory.IDLE_COLLECTION.pending
    else:
        config = serve_build(tmp_path)
        assert memory.IDLE_COLLECTION.pending
        config.plugins.on_shutdown()
        assert not memory.IDLE_COLLECTION.pending
