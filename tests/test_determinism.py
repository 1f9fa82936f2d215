"""Same input, same bytes: merge-friendly output for sites kept in git by several people.

What can legitimately change between two builds of the same input, and why it
does not here:
- the build date: MkDocs writes it into sitemap.xml (<lastmod>) and into the
  gzip header of sitemap.xml.gz (mtime); paperlog uses it for "upcoming" vs
  "past" meetings and the calendar's DTSTAMP. All of them honour
  SOURCE_DATE_EPOCH (reproducible builds), which the builds below set. The gzip
  header's file name is the base name, so the site's location does not leak.
- Python's per-process string hashing: set iteration order differs between
  processes, so the builds run in two processes with different PYTHONHASHSEEDs.
- the file system: the two copies are written in opposite orders, in folders
  with different names.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import write_tree
from paperlog.diagnostics import Diagnostics
from paperlog.link import link_library
from paperlog.load import load_library
from paperlog.render import render_site
from paperlog.render.options import SiteOptions, render_options
from paperlog.settings import Settings
from test_platforms import copy_demo
from test_sessions import SESSIONS
from test_site_build import site_files as basic_files
from test_team_readers import team_files

EPOCH = "1772366400"  # 2026-03-01T12:00:00Z

MKDOCS_YML = """
site_name: Determinism
site_url: https://lab.example.org/reading/
theme: {name: material, font: false}
plugins: [search, tags, paperlog]
"""


def rich_site() -> dict[str, str | bytes]:
    """Every kind of page: papers with figures, topics, readers, by: sections, meetings."""
    files: dict[str, str | bytes] = {**basic_files(), **team_files()}
    # One note per paper: the team's copy of the Transformer paper gets its own title.
    files["notes/papers/attention.yaml"] = str(files["notes/papers/attention.yaml"]).replace(
        "Attention Is All You Need", "Attention, revisited"
    )
    files["notes/sessions.yaml"] = SESSIONS.replace(
        "[bert, attention]", "[attention, layernorm]"
    ).replace("[resnet]", "[resnet, vaswani2017attention]")
    files["notes/topics.yaml"] += "normalization:\n  name: Normalization\n"
    files["mkdocs.yml"] = MKDOCS_YML
    files["docs/about.md"] = "# About\n\nCites [the paper](papers/attention.md).\n"
    return files


def build_in_subprocess(root: Path, hash_seed: str) -> Path:
    env = {
        **os.environ,
        "PYTHONHASHSEED": hash_seed,
        "SOURCE_DATE_EPOCH": EPOCH,
        "NO_MKDOCS_2_WARNING": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml")],
        check=True,
        env=env,
        cwd=root,
        capture_output=True,
    )
    return root / "site"


def tree(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path):
    files = rich_site()
    first, second = tmp_path / "alice-clone", tmp_path / "bob"
    write_tree(first, files)
    write_tree(second, dict(reversed(list(files.items()))))
    a = tree(build_in_subprocess(first, "1"))
    b = tree(build_in_subprocess(second, "2"))
    assert sorted(a) == sorted(b)
    differing = [path for path in a if a[path] != b[path]]
    assert differing == []
    # The check is not vacuous: every team page and the calendar were built.
    for page in (
        "readers/index.html",
        "readers/ada/index.html",
        "sessions/index.html",
        "sessions.ics",
        "sitemap.xml.gz",
    ):
        assert page in a, page
    # Nothing about where the site was built ends up in it.
    for content in a.values():
        assert b"alice-clone" not in content and str(tmp_path).encode() not in content


def test_generated_json_has_sorted_keys(tmp_path):
    """Every JSON file paperlog generates sorts its keys (schemas are shipped files, kept as written)."""
    write_tree(tmp_path, rich_site())
    settings = Settings.for_root(tmp_path)
    diags = Diagnostics()
    lib = link_library(load_library(settings, diags), settings, diags)
    outputs = render_site(
        lib,
        settings,
        diags,
        options=render_options(SiteOptions(site_name="Determinism", tags_plugin=True)),
    )
    generated = [
        f for f in outputs if f.path.endswith(".json") and not f.path.startswith("schemas/")
    ]

    def check(value: object, where: str) -> None:
        if isinstance(value, dict):
            assert list(value) == sorted(value), where
            for key, item in value.items():
                check(item, f"{where}/{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                check(item, f"{where}/{i}")

    for output in generated:
        assert output.content is not None
        check(json.loads(output.content), output.path)
    # Front matter JSON in every page goes through the same sorted encoder.
    for page in (f for f in outputs if f.is_page):
        for line in (page.content or "").splitlines():
            if line.startswith("paperlog: "):
                check(json.loads(line.removeprefix("paperlog: ")), page.path)


def test_outputs_do_not_depend_on_the_order_notes_were_read(tmp_path):
    write_tree(tmp_path, rich_site())
    settings = Settings.for_root(tmp_path)
    runs = []
    for reverse in (False, True):
        diags = Diagnostics()
        lib = load_library(settings, diags)
        if reverse:
            lib = dataclasses.replace(lib, papers=dict(reversed(list(lib.papers.items()))))
        lib = link_library(lib, settings, diags)
        options = render_options(SiteOptions(site_name="D"))
        runs.append(
            [(f.path, f.content) for f in render_site(lib, settings, diags, options=options)]
        )
    assert [p for p, _ in runs[0]] == sorted(p for p, _ in runs[0])
    assert runs[0] == runs[1]


def test_demo_site_builds_the_same_twice(tmp_path):
    """The repository's own study site, in two folders, in two processes."""
    sites = []
    for seed, name in (("1", "one"), ("2", "two")):
        root = copy_demo(tmp_path / name)
        sites.append(tree(build_in_subprocess(root, seed)))
    a, b = sites
    assert len(a) > 20 and sorted(a) == sorted(b)
    assert [p for p in a if a[p] != b[p]] == []
