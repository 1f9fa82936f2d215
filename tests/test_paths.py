"""Paths stay inside their roots: '..', absolute paths and symbolic links out are refused.

Code targets have their own table in test_code_targets.py (PL502); this file
covers the rest: figures and note files (inside the notes folder), the
site files, and every path option (inside the site folder): notes_dir,
bibliography (given or found), code_dirs, arxiv_cache and templates. Each
refusal is a diagnostic, the file is never read, and nothing of it is
published.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from clihelp import run
from conftest import build, write_tree

SECRET = "TOKEN-do-not-publish"
needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink"), reason="no symbolic links on this system"
)


def site(root: Path, options: dict | None = None, files: dict | None = None) -> Path:
    """A site in root/site with a secret next to it (root/outside/...) that nothing may read."""
    outside = root / "outside"
    write_tree(
        outside,
        {
            "secret.png": SECRET.encode(),
            "secret.yaml": f"title: {SECRET}\n",
            "secret.bib": f"@misc{{leak, title = {{{SECRET}}}}}\n",
            "secret.json": json.dumps(
                {
                    "1706.03762": {
                        "id": "1706.03762",
                        "title": SECRET,
                        "authors": ["A"],
                        "published": "2017-01-01",
                    }
                }
            ),
            "code/leak.py": f'"""{SECRET}"""\n',
            "templates/paper.md.j2": f"# {SECRET}\n",
        },
    )
    config = {
        "site_name": "Paths",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"paperlog": options or {}}],
    }
    write_tree(
        root / "site",
        {
            "mkdocs.yml": yaml.safe_dump(config),
            "docs/.keep": "",
            "notes/papers/a.yaml": 'title: A paper\narxiv: "1706.03762"\nbibkey: leak\n',
            **(files or {}),
        },
    )
    return root / "site"


def check(root: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(root)
    return run("check", "--format", "parsable").stdout


def assert_not_published(site_root: Path) -> None:
    built = build(site_root)
    for path in built.site_dir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


@pytest.mark.parametrize(
    "src",
    [
        "../../../outside/secret.png",
        "/etc/passwd",
        "{outside}/secret.png",
        "sub/../../../../outside/secret.png",
    ],
)
def test_figure_outside_the_notes_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, src: str
) -> None:
    src = src.format(outside=tmp_path / "outside")
    root = site(
        tmp_path,
        files={"notes/papers/b.yaml": yaml.safe_dump({"title": "B", "figures": [{"src": src}]})},
    )
    assert f"error[PL110] figure '{src}' lies outside the notes folder" in check(root, monkeypatch)
    assert_not_published(root)


@needs_symlinks
def test_figure_symlinked_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = site(tmp_path, files={"notes/papers/b.yaml": "title: B\nfigures: [{src: fig.png}]\n"})
    (root / "notes/papers/fig.png").symlink_to(tmp_path / "outside/secret.png")
    assert (
        "notes/papers/b.yaml:2:12: error[PL110] figure 'fig.png' lies outside the notes folder"
        in check(root, monkeypatch)
    )
    assert_not_published(root)


@needs_symlinks
@pytest.mark.parametrize(
    "name", ["papers/linked.yaml", "topics.yaml", "glossary.yaml", "readers.yaml", "sessions.yaml"]
)
def test_note_and_site_files_symlinked_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    root = site(tmp_path)
    (root / "notes" / name).symlink_to(tmp_path / "outside/secret.yaml")
    out = check(root, monkeypatch)
    assert (
        f"notes/{name}:0:0: error[PL100] 'notes/{name}' is a symbolic link to a file outside the notes folder; it is not read"
        in out
    )
    assert SECRET not in out
    assert_not_published(root)


@pytest.mark.parametrize(
    ("option", "value", "shown"),
    [
        ("bibliography", ["../outside/secret.bib"], "../outside/secret.bib"),
        ("bibliography", ["{outside}/secret.bib"], "{outside}/secret.bib"),
        ("arxiv_cache", "../outside/secret.json", "../outside/secret.json"),
        ("code_dirs", ["../outside/code"], "../outside/code"),
        ("notes_dir", "../outside", "../outside"),
        ("templates", "../outside/templates", "../outside/templates"),
    ],
)
def test_path_options_outside_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, value, shown: str
) -> None:
    outside = str(tmp_path / "outside")
    value = [v.format(outside=outside) for v in value] if isinstance(value, list) else value
    shown = shown.format(outside=outside)
    root = site(tmp_path, {option: value})
    if option == "templates":
        # Templates matter when rendering: the build reports and ignores them.
        built = build(root)
        assert any(
            f"error[PL600] `templates`: '{shown}' leads outside the site folder" in w
            for w in built.warnings
        )
    else:
        out = check(root, monkeypatch)
        assert (
            f"{shown}:0:0: error[PL600] `{option}`: '{shown}' leads outside the site folder" in out
        )
        assert SECRET not in out
    assert_not_published(root)


@needs_symlinks
def test_found_bib_and_cache_symlinked_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = site(tmp_path)
    (root / "notes/refs.bib").symlink_to(tmp_path / "outside/secret.bib")
    (root / "notes/arxiv.json").symlink_to(tmp_path / "outside/secret.json")
    out = check(root, monkeypatch)
    assert (
        "notes/refs.bib:0:0: error[PL600] `bibliography`: 'notes/refs.bib' leads outside the site folder"
        in out
    )
    assert (
        "notes/arxiv.json:0:0: error[PL600] `arxiv_cache`: 'notes/arxiv.json' leads outside the site folder"
        in out
    )
    assert_not_published(root)


def test_add_refuses_a_cache_outside_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arxiv_api
) -> None:
    root = site(tmp_path, {"arxiv_cache": "../outside/secret.json"})
    before = (tmp_path / "outside/secret.json").read_bytes()
    monkeypatch.chdir(root)
    result = run("add", "1605.08386")
    assert result.exit_code == 1
    assert (
        "the arXiv cache '../outside/secret.json' (option arxiv_cache) leads outside the site folder"
        in result.stderr
    )
    assert arxiv_api.requests == [] and (tmp_path / "outside/secret.json").read_bytes() == before
