"""`mkdocs serve` support: watched paths, and the session that keeps caches between rebuilds."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from conftest import build, write_tree
from paperlog.mkdocs import memory

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


def test_rebuild_reparses_only_the_changed_note(tmp_path: Path, serving) -> None:
    write_tree(tmp_path, SITE)
    session = serving(tmp_path)
    session.build()
    cache = session.plugin.session.core.load.notes
    assert (cache.hits, cache.misses) == (0, 2)
    (tmp_path / "notes/papers/b.yaml").write_text("title: B, revised\n", "utf-8")
    session.build()
    assert (cache.hits, cache.misses) == (1, 3)
    assert session.site().html("papers/b/").h1.get_text(strip=True) == "B, revised"


def test_a_one_off_build_has_no_session(tmp_path: Path) -> None:
    # `mkdocs build` runs once: parsed notes and .bib files kept after it would only
    # add to its peak memory.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    write_tree(tmp_path, SITE)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    assert config.plugins["paperlog"].session is None
    config.plugins.on_shutdown()


def test_a_session_belongs_to_one_site_and_ends_with_serve(tmp_path: Path, serving) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write_tree(one, SITE)
    write_tree(two, SITE)
    session = serving(one)
    session.build()
    first = session.plugin.session
    assert first is not None and first.root == one.resolve()
    session.build()
    assert session.plugin.session is first
    # The same process serving another site (the plugin instance is MkDocs' one per process).
    session.root = two
    session.build()
    assert session.plugin.session is not first and session.plugin.session.root == two.resolve()
    plugin = session.plugin
    session.close()
    assert plugin.session is None


def test_no_cache_switch_keeps_nothing_between_rebuilds(
    tmp_path: Path, serving, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERLOG_NO_CACHE", "1")
    write_tree(tmp_path, SITE)
    session = serving(tmp_path)
    session.build()
    kept = session.plugin.session
    assert kept.core is None and kept.conversions is None
    (tmp_path / "notes/papers/b.yaml").write_text("title: B, revised\n", "utf-8")
    session.build()
    assert "reused" not in session.plugin.render_counts
    assert session.site().html("papers/b/").h1.get_text(strip=True) == "B, revised"


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


def test_serve_rebuild_reuses_pages_and_shows_the_change(tmp_path: Path, serving) -> None:
    write_tree(tmp_path, SERVED)
    session = serving(tmp_path)
    session.build()
    assert session.plugin.render_counts["reused"] == 0
    (tmp_path / "notes/papers/a.yaml").write_text("title: Attention, revised\n", "utf-8")
    session.build()
    counts = session.plugin.render_counts
    assert counts["reused"] > 0  # c's page, for one
    assert counts["rendered"] >= 3  # a, b (cites a) and the papers index
    site = session.site()
    assert site.html("papers/a/").h1.get_text(strip=True) == "Attention, revised"
    assert "Attention, revised" in site.html("papers/b/").get_text()
    assert "Attention, revised" in site.html("papers/").get_text()


CODE_PAGE = {
    **SITE,
    # An API section on the code page: mkdocstrings renders it with its templates.
    "src/impl.py": '"""The implementation."""\n\n\ndef step(x: int) -> int:\n    """One step."""\n    return x + 1\n',
}


def test_serve_lets_go_of_earlier_builds(tmp_path: Path, serving) -> None:
    # Each `mkdocs serve` build is a new configuration, handlers and pages; without the
    # idle collection every earlier one stayed alive (about 50 MiB a rebuild at 1,000 notes).
    write_tree(tmp_path, CODE_PAGE)
    session = serving(tmp_path)
    builds = []
    for i in range(3):
        (tmp_path / "notes/papers/b.yaml").write_text(f"title: B, revision {i}\n", "utf-8")
        builds.append(weakref.ref(session.build()))
        assert memory.IDLE_COLLECTION.pending
        # The session holds the build just made, as MkDocs does until the next one.
        memory.IDLE_COLLECTION.run_now()  # what the pause after a save does
        assert not memory.IDLE_COLLECTION.pending
    assert session.site().html("code/impl/").select(".doc-function")  # mkdocstrings rendered
    assert [ref() is None for ref in builds] == [True, True, False]


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
def test_only_serve_schedules_an_idle_collection(tmp_path: Path, command: str, serving) -> None:
    write_tree(tmp_path, SERVED)
    memory.IDLE_COLLECTION.cancel()
    if command == "build":
        build(tmp_path)
        assert not memory.IDLE_COLLECTION.pending
    else:
        session = serving(tmp_path)
        session.build()
        assert memory.IDLE_COLLECTION.pending
        session.close()
        assert not memory.IDLE_COLLECTION.pending
