"""Finding the notes: the quick walk finds exactly what a plain `rglob` would.

`walk_notes` resolves only symbolic links (resolving every file was most of
a rebuild's load time). The reference below is the obvious, slow version;
both must agree on a tree holding every kind of entry: links to files inside
and outside, links to folders, broken links, hidden files and folders, site
files at the top and deeper, `.yml`, code folders (also reached through a
link) and a file with an odd name.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paperlog.load.notes import SITE_FILES, note_files, walk_notes

needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink"), reason="no symbolic links on this system"
)


def reference(notes_dir: Path, exclude: tuple[Path, ...] = ()) -> list[tuple[Path, Path]]:
    excluded = [e.resolve() for e in exclude]
    found = []
    for path in sorted(notes_dir.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        rel_parts = path.relative_to(notes_dir).parts
        if any(part.startswith(".") for part in rel_parts):
            continue
        if len(rel_parts) == 1 and path.stem in SITE_FILES:
            continue
        resolved = path.resolve()
        if any(resolved.is_relative_to(e) for e in excluded):
            continue
        found.append((path, resolved))
    return found


def tree(root: Path) -> Path:
    notes = root / "site" / "notes"
    files = [
        "papers/a.yaml",
        "papers/b.yml",
        "papers/c.txt",
        "papers/a-b.yaml",
        "papers/a/b.yaml",
        "papers/.hidden.yaml",
        ".drafts/x.yaml",
        "topics.yaml",
        "glossary.yml",
        "sub/topics.yaml",
        "top.yaml",
        "x.y.yaml",
        "Z.yaml",
        "code/module.py",
        "code/data.yaml",
        "code/deep/more.yaml",
        "folder.yaml/inner.yaml",
        "notyaml",
        ".yaml",
    ]
    for name in files:
        (notes / name).parent.mkdir(parents=True, exist_ok=True)
        (notes / name).write_text("title: x\n", "utf-8")
    (root / "outside").mkdir()
    (root / "outside" / "secret.yaml").write_text("title: secret\n", "utf-8")
    (root / "outside" / "dir").mkdir()
    (root / "outside" / "dir" / "n.yaml").write_text("title: n\n", "utf-8")
    return notes


@pytest.mark.parametrize("code", ["", "code", "papers/a.yaml"])
def test_the_walk_finds_what_rglob_finds(tmp_path: Path, code: str) -> None:
    notes = tree(tmp_path)
    exclude = (notes / code,) if code else ()
    assert note_files(notes, exclude) == reference(notes, exclude)
    assert [f.path for f in walk_notes(notes, exclude)] == [p for p, _ in reference(notes, exclude)]


@needs_symlinks
@pytest.mark.parametrize("with_code", [False, True])
def test_the_walk_treats_symbolic_links_as_rglob_does(tmp_path: Path, with_code: bool) -> None:
    notes = tree(tmp_path)
    links = {
        "papers/inside.yaml": notes / "papers" / "a.yaml",
        "papers/out.yaml": tmp_path / "outside" / "secret.yaml",
        "papers/broken.yaml": tmp_path / "nowhere.yaml",
        "papers/dirlink": tmp_path / "outside" / "dir",
        "papers/dirlink.yaml": tmp_path / "outside" / "dir",
        "papers/to-code.yaml": notes / "code" / "data.yaml",
        "code/out-of-code.yaml": notes / "papers" / "b.yml",
        "codelink": notes / "code",
        "topics.yaml.yaml": notes / "topics.yaml",
        "readers.yaml": tmp_path / "outside" / "secret.yaml",
    }
    for name, target in links.items():
        (notes / name).symlink_to(target, target_is_directory=target.is_dir())
    exclude = (notes / "code",) if with_code else ()
    found = note_files(notes, exclude)
    assert found == reference(notes, exclude)
    assert [f.is_link for f in walk_notes(notes, exclude)] == [p.is_symlink() for p, _ in found]
    # The same through a notes folder that is itself reached by a link.
    (tmp_path / "linked-notes").symlink_to(notes, target_is_directory=True)
    assert note_files(tmp_path / "linked-notes", exclude) == reference(
        tmp_path / "linked-notes", exclude
    )


def test_a_missing_notes_folder_holds_nothing(tmp_path: Path) -> None:
    assert note_files(tmp_path / "missing") == reference(tmp_path / "missing") == []
