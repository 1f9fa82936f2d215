"""No data loss: `paperlog add`, `refresh` and `init` killed with SIGKILL at random points.

Each run starts from a copy of the same site, is killed after a random
delay (half of them late in the run, where the writes are), and the files
are then checked: every file is its old version or a whole new one, a .bib
keeps every old byte as an exact prefix and parses, the arXiv cache parses
and keeps every old record, a new note is complete. Leftover temporary files
(`.name.XXXX.tmp`) are allowed: nothing reads them, which `paperlog check`
confirms. Finally the command is run again and completes. A local replay of
the arXiv API answers, a little slowly so that kills land between batches.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import pytest
import yaml

from arxiv_replay import ArxivReplay, Reply, fixture
from clihelp import PAPERLOG, new_site, snapshot
from paperlog.arxiv.records import record_problems
from paperlog.cli.init import scaffold_files

pytestmark = pytest.mark.slow  # see README: `pytest -m "not slow"` for a quick loop

IDS = [f"2401.{n:05d}" for n in range(1, 5)]
RUNS = {"add": 18, "refresh": 9, "init": 9}
STATS: dict[str, int] = {
    "kills": 0,
    "aimed_at_a_write": 0,
    "corrupted": 0,
    "leftover_tmp": 0,
    "finished_before_kill": 0,
}
# An old .bib written by hand: odd spacing, a comment, no final newline.
OLD_BIB_TAIL = "\n%  my own comment, kept as it is\n@misc{mine,   title={Mine},\n year = 2001 }   % no newline at the end"


def feed_for(arxiv_id: str, version: int = 2) -> bytes:
    body = fixture("heatbath_v2.xml").body.replace(b"1605.08386", arxiv_id.encode())
    body = body.replace(b"10.9999/test.2017.012", f"10.9999/test.{arxiv_id}".encode())
    return body.replace(
        b"Heat-bath random walks", f"Walk number {arxiv_id[-1]} of the heat bath".encode()
    ).replace(b"v2<", f"v{version}<".encode())


@pytest.fixture(scope="module")
def server() -> ArxivReplay:
    replay = ArxivReplay().start()
    for arxiv_id in IDS:
        # A little slow, so that a kill often lands between two batches.
        replay.routes[arxiv_id] = Reply(200, feed_for(arxiv_id), delay=0.03)
    yield replay
    replay.stop()


def environment(server: ArxivReplay) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PAPERLOG_ARXIV_URL=server.url,
        PAPERLOG_ARXIV_BATCH="1",
        PAPERLOG_ARXIV_DELAY="0",
        PAPERLOG_ARXIV_RETRIES="0",
        PAPERLOG_ARXIV_TIMEOUT="5",
    )
    return env


def run_to_end(cwd: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PAPERLOG), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def kill_at_random(
    cwd: Path,
    args: list[str],
    env: dict[str, str],
    full: float,
    rng: random.Random,
    watch: Path | None = None,
) -> None:
    """Kill after a random delay, or (one run in three) the moment a temporary file appears under `watch`."""
    mode = (
        rng.choice(["any", "late", "write"]) if watch is not None else rng.choice(["any", "late"])
    )
    process = subprocess.Popen(
        [str(PAPERLOG), *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if mode == "write":
        # Mid-write: between the temporary file's creation and its rename.
        end = time.monotonic() + 3 * full
        folders = (
            [watch, *(d for d in watch.rglob("*") if d.is_dir())] if watch.is_dir() else [watch]
        )
        while process.poll() is None and time.monotonic() < end and not _temporary_file_in(folders):
            time.sleep(0.0002)
        STATS["aimed_at_a_write"] += 1
    else:
        time.sleep(rng.uniform(0, full) if mode == "any" else rng.uniform(0.6 * full, full))
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
        STATS["kills"] += 1
    else:
        STATS["finished_before_kill"] += 1
    process.wait(timeout=30)


def _temporary_file_in(folders: list[Path]) -> bool:
    for folder in folders:
        try:
            if any(name.endswith(".tmp") for name in os.listdir(folder)):
                return True
        except OSError:
            continue
    return False


def problems_after(
    root: Path, before: dict[str, bytes], new_file_ok: Callable[[str, bytes], bool]
) -> list[str]:
    """What is wrong with the files under root, compared with `before`."""
    found: list[str] = []
    now = snapshot(root)
    leftovers = [rel for rel in now if rel.endswith(".tmp")]
    STATS["leftover_tmp"] += len(leftovers)
    for rel, old in before.items():
        data = now.get(rel)
        if data is None:
            found.append(f"{rel}: deleted")
        elif rel.endswith(".bib"):
            if not data.startswith(old):
                found.append(f"{rel}: old bytes changed")
            library = bibtexparser.parse_string(data.decode("utf-8"))
            if library.failed_blocks or "mine" not in [e.key for e in library.entries]:
                found.append(f"{rel}: does not parse")
        elif rel.endswith("arxiv.json"):
            found += cache_problems(rel, data, json.loads(old))
        elif data != old:
            found.append(f"{rel}: changed")
    for rel, data in now.items():
        if rel not in before and rel not in leftovers and not new_file_ok(rel, data):
            found.append(f"{rel}: new file is not whole")
    STATS["corrupted"] += len(found)
    return found


def cache_problems(rel: str, data: bytes, old: dict) -> list[str]:
    try:
        cache = json.loads(data)
    except ValueError:
        return [f"{rel}: truncated or not JSON"]
    bad = [key for key, record in cache.items() if record_problems(key, record)]
    lost = [key for key in old if key not in cache]
    return [f"{rel}: bad records {bad}, lost records {lost}"] if bad or lost else []


def whole_note(rel: str, data: bytes) -> bool:
    if rel.endswith("arxiv.json"):
        return not cache_problems(rel, data, {})
    if not rel.startswith("notes/papers/") or not rel.endswith(".yaml"):
        return False
    note = yaml.safe_load(data)
    return data.endswith(b"log: []\n") and isinstance(note, dict) and note.get("arxiv") in IDS


def check_clean(root: Path, env: dict[str, str]) -> None:
    """Leftover temporary files are never read: the site still checks clean."""
    done = run_to_end(root, ["check", "--strict"], env)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def base_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_site(tmp_path_factory.mktemp("kill") / "base")
    bib = root / "notes/references.bib"
    bib.write_bytes(bib.read_bytes().rstrip(b"\n") + OLD_BIB_TAIL.encode())
    record = json.loads(
        json.dumps(
            {
                "id": "1706.03762",
                "title": "Attention Is All You Need",
                "authors": ["Ashish Vaswani"],
                "published": "2017-06-12",
                "fetched": "2020-01-01T00:00:00Z",
            }
        )
    )
    (root / "notes/arxiv.json").write_text(json.dumps({"1706.03762": record}, indent=2) + "\n")
    return root


def test_kill_add(base_site: Path, server: ArxivReplay, tmp_path: Path) -> None:
    env = environment(server)
    rng = random.Random(9)
    args = ["add", *IDS, "--topic", "transformers"]
    probe = tmp_path / "probe"
    shutil.copytree(base_site, probe)
    start = time.monotonic()
    assert run_to_end(probe, args, env).returncode == 0
    full = time.monotonic() - start
    for n in range(RUNS["add"]):
        root = tmp_path / f"add{n}"
        shutil.copytree(base_site, root)
        before = snapshot(root)
        kill_at_random(root, args, env, full, rng, watch=root / "notes")
        assert problems_after(root, before, whole_note) == [], n
        if n % 7 == 0:
            check_clean(root, env)
            # Running it again completes the job: every id has its note.
            assert run_to_end(root, args, env).returncode == 0
            assert {
                yaml.safe_load(p.read_text()).get("arxiv")
                for p in (root / "notes/papers").glob("*.yaml")
            } >= set(IDS)


def test_kill_refresh(base_site: Path, server: ArxivReplay, tmp_path: Path) -> None:
    env = environment(server)
    rng = random.Random(10)
    stale = tmp_path / "stale"
    shutil.copytree(base_site, stale)
    assert run_to_end(stale, ["add", *IDS], env).returncode == 0
    cache_path = stale / "notes/arxiv.json"
    cache = json.loads(cache_path.read_text())
    for record in cache.values():
        record["fetched"] = "2020-01-01T00:00:00Z"
        record["version"] = 1
    cache_path.write_text(json.dumps(cache, indent=2, sort_keys=True) + "\n")
    start = time.monotonic()
    probe = tmp_path / "probe"
    shutil.copytree(stale, probe)
    assert run_to_end(probe, ["refresh"], env).returncode == 0
    full = time.monotonic() - start
    for n in range(RUNS["refresh"]):
        root = tmp_path / f"refresh{n}"
        shutil.copytree(stale, root)
        before = snapshot(root)
        kill_at_random(root, ["refresh"], env, full, rng, watch=root / "notes")
        assert problems_after(root, before, lambda rel, data: False) == [], n
    # The last one resumes and finishes.
    assert run_to_end(root, ["refresh"], env).returncode == 0
    assert {
        r["version"]
        for r in json.loads((root / "notes/arxiv.json").read_text()).values()
        if r["id"] in IDS
    } == {2}


def test_kill_init(server: ArxivReplay, tmp_path: Path) -> None:
    env = environment(server)
    rng = random.Random(11)
    expected = scaffold_files("My reading log")
    start = time.monotonic()
    assert run_to_end(tmp_path, ["init", "probe"], env).returncode == 0
    full = time.monotonic() - start
    for n in range(RUNS["init"]):
        target = tmp_path / f"init{n}"
        target.mkdir()
        kill_at_random(tmp_path, ["init", target.name], env, full, rng, watch=target)
        found = []
        for rel, data in (snapshot(target) if target.exists() else {}).items():
            if rel.endswith(".tmp"):
                STATS["leftover_tmp"] += 1
            elif expected.get(rel) != data:
                found.append(f"{rel}: not the scaffold's file")
        STATS["corrupted"] += len(found)
        assert found == [], n
        # What is there is never overwritten; --force completes it.
        assert run_to_end(tmp_path, ["init", target.name, "--force"], env).returncode == 0
        assert {k: v for k, v in snapshot(target).items() if not k.endswith(".tmp")} == expected


def test_report(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\nkill test: {STATS}")
    if STATS["kills"]:
        assert STATS["corrupted"] == 0
