"""A rebuild equals a fresh build, byte for byte: random edits to the demo, checked one by one.

A seeded random sequence of edits (tests/differential.py: note fields, citations, new,
deleted, renamed and broken notes, topics, glossary, readers, reading sessions, meetings,
.bib entries with LaTeX, code, a hand-written page citing notes, template and theme
overrides, plugin options in mkdocs.yml) is applied to a copy of the demo site. After
each edit the copy is built again the way `mkdocs serve` does: in this process, the
plugin and its session kept from one build to the next, once plainly and once with
`--dirty` (two copies, the same sequence). Each result is compared, every file of the
site, with `mkdocs build` of the same sources in a process of its own: nothing it read
can come from this process's history.

Normalisations, both builds alike (none is applied to the files):
- SOURCE_DATE_EPOCH is set for every build, so the sitemap's dates, the gzip header
  of sitemap.xml.gz and "today" (upcoming meetings) are the same;
- `site_url` stays the one in mkdocs.yml: `mkdocs serve` replaces it with the local
  server's address, which is MkDocs' doing, not paperlog's, and would change every
  canonical link.

The short run is in the quick loop (`-m "not slow"`); the long one (`-m slow`) runs two
more sequences, each with every kind of edit. PAPERLOG_DIFF_SEEDS=5,6,7 and
PAPERLOG_DIFF_LENGTH=40 choose others (more, longer, or a failure's seed to replay it).
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import Serving
from differential import EDITS, apply, copy_demo, sequence, sources

EPOCH = "1772366400"  # 2026-03-01T12:00:00Z


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def differences(expected: Path, actual: Path) -> list[str]:
    """What differs between two built sites: missing, extra and differing files, with a diff
    of the first differing text file."""
    want, got = _tree(expected), _tree(actual)
    out = [f"missing: {p}" for p in sorted(want.keys() - got.keys())]
    out += [f"extra: {p}" for p in sorted(got.keys() - want.keys())]
    differing = sorted(p for p in want.keys() & got.keys() if want[p] != got[p])
    out += [f"differs: {p}" for p in differing]
    for path in differing[:1]:
        try:
            a, b = want[path].decode("utf-8"), got[path].decode("utf-8")
        except UnicodeDecodeError:
            continue
        diff = difflib.unified_diff(
            a.splitlines(), b.splitlines(), "fresh/" + path, "rebuilt/" + path, lineterm="", n=1
        )
        out.extend(list(diff)[:40])
    return out


def fresh_build(root: Path, site: Path) -> None:
    """`mkdocs build` of `root` into `site`, in a process of its own."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PAPERLOG_NO_CACHE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def run_sequence(
    tmp_path: Path, seed: int, length: int, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Apply one sequence; after each edit compare a plain and a --dirty rebuild with a fresh
    build. Returns the edits made (for the test's own checks)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    names = sequence(seed, length)
    base = copy_demo(tmp_path / "base")
    # The sources after each edit, each built afresh in the background while this process
    # rebuilds its copies.
    driver = tmp_path / "driver"
    shutil.copytree(base, driver)
    snapshots = [tmp_path / "snap" / "0"]
    shutil.copytree(driver, snapshots[0])
    made = []
    for step, name in enumerate(names):
        made.append(f"{step}: {name}: {apply(name, driver, seed, step)}")
        snapshots.append(tmp_path / "snap" / str(step + 1))
        shutil.copytree(driver, snapshots[-1])
    with ThreadPoolExecutor(max_workers=1) as pool:
        fresh: list[Future[None]] = [
            pool.submit(fresh_build, snap, tmp_path / "fresh" / snap.name) for snap in snapshots
        ]
        for dirty in (False, True):
            root = tmp_path / ("dirty" if dirty else "plain")
            shutil.copytree(base, root)
            with Serving(root, dirty=dirty) as session:
                for step in range(len(names) + 1):
                    if step:
                        apply(names[step - 1], root, seed, step - 1)
                    assert sources(root) == sources(snapshots[step]), "edits are not deterministic"
                    session.build()
                    fresh[step].result()
                    found = differences(tmp_path / "fresh" / str(step), root / "site")
                    mode = "--dirty" if dirty else "plain"
                    assert found == [], (
                        f"seed {seed}, {mode} rebuild after:\n  "
                        + "\n  ".join(made[:step])
                        + "\n"
                        + "\n".join(found[:60])
                    )
    return made


def test_rebuilds_equal_fresh_builds_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = run_sequence(tmp_path, seed=1, length=6, monkeypatch=monkeypatch)
    assert len(made) >= 6


@pytest.mark.slow
@pytest.mark.parametrize(
    "seed",
    [int(s) for s in os.environ.get("PAPERLOG_DIFF_SEEDS", "2,3").split(",")],
)
def test_rebuilds_equal_fresh_builds_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    length = int(os.environ.get("PAPERLOG_DIFF_LENGTH", str(len(EDITS))))
    made = run_sequence(tmp_path, seed=seed, length=length, monkeypatch=monkeypatch)
    kinds = {line.split(": ")[1] for line in made}
    assert kinds >= set(EDITS) | {"repair"}


def test_sequences_cover_every_kind_and_repair_what_they_break() -> None:
    names = sequence(7, 2 * len(EDITS))
    assert set(names) == set(EDITS) | {"repair"}
    assert names.count("repair") == names.count("broken note")
    for i, name in enumerate(names):
        if name == "broken note":
            assert "repair" in names[i + 1 : i + 5]
