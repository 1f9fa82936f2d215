"""`paperlog refresh`: new versions, journal refs and DOIs; polite and resumable."""

from __future__ import annotations

import json

import pytest

from arxiv_replay import Reply, fixture
from clihelp import new_site, run, snapshot


@pytest.fixture
def site(tmp_path, monkeypatch, recorded_arxiv):
    root = new_site(tmp_path / "site")
    monkeypatch.chdir(root)
    monkeypatch.setenv("PAPERLOG_ARXIV_BATCH", "1")
    assert run("add", "1605.08386", "astro-ph/0601001").exit_code == 0
    recorded_arxiv.requests.clear()
    return root


def cache(root):
    return json.loads((root / "notes/arxiv.json").read_text("utf-8"))


def test_refresh_stores_new_version_doi_and_journal_ref(site, recorded_arxiv):
    recorded_arxiv.routes["1605.08386"] = fixture("heatbath_v2.xml")
    files = {k: v for k, v in snapshot(site).items() if k != "notes/arxiv.json"}
    result = run("refresh", "--max-age", "0")
    assert result.exit_code == 0, result.output
    assert sorted(recorded_arxiv.requests) == [
        "1605.08386",
        "astro-ph/0601001",
    ]  # bare ids: the latest version
    assert (
        "updated  1605.08386: v1 -> v2; journal ref: Test Journal of Walks 12 (2017) 1-22; DOI: 10.9999/test.2017.012"
        in result.stdout
    )
    assert "2 ids: 1 updated, 1 unchanged, 0 fresh (fetched < 0 h ago), 0 failed" in result.stderr
    record = cache(site)["1605.08386"]
    assert (record["version"], record["doi"], record["updated"]) == (
        2,
        "10.9999/test.2017.012",
        "2017-03-01",
    )
    # Only the cache changes: notes and the .bib stay as the user has them.
    assert {k: v for k, v in snapshot(site).items() if k != "notes/arxiv.json"} == files
    # The refreshed DOI reaches the site through the cache.
    exported = json.loads(run("export", "--format", "json").stdout)
    assert {p["id"]: p["doi"] for p in exported}["stanley2016heat"] == "10.9999/test.2017.012"


def test_fresh_records_are_not_fetched_again(site, recorded_arxiv):
    result = run("refresh")
    assert result.exit_code == 0
    assert recorded_arxiv.requests == []
    assert "2 ids: 0 updated, 0 unchanged, 2 fresh (fetched < 12 h ago), 0 failed" in result.stderr


def make_stale(root):
    data = cache(root)
    for record in data.values():
        record["fetched"] = "2020-01-01T00:00:00Z"
    (root / "notes/arxiv.json").write_text(json.dumps(data, sort_keys=True, indent=2))


def test_interrupted_or_failed_refresh_keeps_progress_and_resumes(site, recorded_arxiv):
    make_stale(site)  # records fetched long ago: a plain `refresh` asks for both
    good = recorded_arxiv.routes["astro-ph/0601001"]
    recorded_arxiv.routes["1605.08386"] = fixture("heatbath_v2.xml")
    recorded_arxiv.routes["astro-ph/0601001"] = Reply(503, b"busy")
    old = cache(site)["astro-ph/0601001"]
    result = run("refresh")
    assert result.exit_code == 1
    assert (
        "failed   astro-ph/0601001: arXiv answered HTTP 503 (service unavailable) (gave up after 3 tries) (kept the cached record)"
        in result.stderr
    )
    after = cache(site)
    assert after["1605.08386"]["version"] == 2  # saved after its batch
    assert after["astro-ph/0601001"] == old  # the failed one is untouched
    # Run again: the batch already done is fresh, only what is left is asked for.
    recorded_arxiv.routes["astro-ph/0601001"] = good
    recorded_arxiv.requests.clear()
    result = run("refresh")
    assert result.exit_code == 0
    assert recorded_arxiv.requests == ["astro-ph/0601001"]
    assert "2 ids: 0 updated, 1 unchanged, 1 fresh (fetched < 12 h ago), 0 failed" in result.stderr


def test_refresh_named_ids_and_all(site, recorded_arxiv):
    result = run("refresh", "--max-age", "0", "arXiv:1605.08386v1")
    assert result.exit_code == 0
    assert recorded_arxiv.requests == ["1605.08386"]
    # --all also covers cached records no note uses.
    (site / "notes/papers/stanley2016heat.yaml").unlink()
    recorded_arxiv.requests.clear()
    assert run("refresh", "--max-age", "0").exit_code == 0
    assert recorded_arxiv.requests == ["astro-ph/0601001"]
    recorded_arxiv.requests.clear()
    assert run("refresh", "--max-age", "0", "--all").exit_code == 0
    assert sorted(recorded_arxiv.requests) == ["1605.08386", "astro-ph/0601001"]


def test_refresh_with_nothing_to_do(tmp_path, monkeypatch, arxiv_api):
    root = new_site(tmp_path / "empty")
    monkeypatch.chdir(root)
    result = run("refresh")
    assert result.exit_code == 0 and "no arXiv ids to refresh" in result.stderr
    assert arxiv_api.requests == []


def test_killed_refresh_leaves_a_valid_cache(site, recorded_arxiv):
    import os
    import signal
    import subprocess
    import threading
    import time

    from clihelp import PAPERLOG

    make_stale(site)
    release = threading.Event()
    recorded_arxiv.routes["1605.08386"] = fixture("heatbath_v2.xml")
    good = recorded_arxiv.routes["astro-ph/0601001"]
    recorded_arxiv.routes["astro-ph/0601001"] = [Reply(good.status, good.body, hang=release), good]
    process = subprocess.Popen(
        [str(PAPERLOG), "refresh"],
        cwd=site,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        end = time.monotonic() + 20
        while len(recorded_arxiv.requests) < 2 and time.monotonic() < end:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=20)
    finally:
        release.set()
    data = cache(site)  # parses: the file is whole
    assert data["1605.08386"]["version"] == 2
    assert data["astro-ph/0601001"]["fetched"] == "2020-01-01T00:00:00Z"
    assert not list(site.rglob("*.tmp"))
