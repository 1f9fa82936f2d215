"""Faults from outside: a slow or wrong server, read-only folders, a full disk.

Each gives a clear message and a non-zero exit, never a traceback, and
leaves every file as it was. Network faults the fetcher already covers
(timeouts, 429/503, truncated and malformed bodies) are in
test_arxiv_fetch.py and test_cli_add.py; this file fills the gaps. Disk
faults run twice: with the system calls made to fail (always), and for real
on a tiny or read-only tmpfs (when this process may mount one, e.g. as root).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from arxiv_replay import Reply, fixture
from clihelp import PAPERLOG, new_site, run, snapshot
from paperlog.arxiv.fetch import ArxivFetcher, FetchPolicy
from paperlog.arxiv.ids import ArxivId
from paperlog.cli import main


def paperlog(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run the console entry point in-process (its error handling included)."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = new_site(tmp_path / "site")
    monkeypatch.chdir(root)
    return root


# --- the server ---


def test_slow_drip_is_cut_off_at_the_deadline(site: Path, arxiv_api, monkeypatch, capsys) -> None:
    """A server that sends one byte a second never trips the per-read timeout; the deadline stops it."""
    arxiv_api.routes["2401.00001"] = fixture("empty.xml", drip=1.0)
    monkeypatch.setenv("PAPERLOG_ARXIV_RETRIES", "0")
    monkeypatch.setenv("PAPERLOG_ARXIV_DEADLINE", "2")
    before = snapshot(site)
    code, output = paperlog(capsys, "add", "2401.00001")
    assert code == 1
    assert (
        "failed   2401.00001: 127.0.0.1:" in output
        and "answered too slowly: the answer was not complete within 2 s" in output
    )
    assert "Traceback" not in output and snapshot(site) == before


def test_deadline_from_the_environment() -> None:
    assert FetchPolicy.from_env({"PAPERLOG_ARXIV_DEADLINE": "7.5"}).deadline == 7.5
    with pytest.raises(ValueError, match="out of range"):
        FetchPolicy.from_env({"PAPERLOG_ARXIV_DEADLINE": "-1"})


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        (
            "text/html; charset=utf-8",
            b"<!doctype html><title>Wi-Fi login</title><form>Sign in</form>",
            "not a valid Atom feed",
        ),
        (
            "application/json",
            b'{"error": "use the Atom API"}',
            "not a valid Atom feed (malformed or truncated XML",
        ),
        ("", b"\x89PNG\r\n\x1a\n\x00\x00", "not a valid Atom feed"),
    ],
)
def test_wrong_content_type(
    site: Path, arxiv_api, monkeypatch, capsys, content_type: str, body: bytes, message: str
) -> None:
    arxiv_api.routes["2401.00001"] = Reply(200, body, content_type=content_type)
    monkeypatch.setenv("PAPERLOG_ARXIV_RETRIES", "0")
    before = snapshot(site)
    code, output = paperlog(capsys, "add", "2401.00001")
    assert code == 1 and message in output and "Traceback" not in output
    assert snapshot(site) == before


def test_atom_under_another_content_type_is_read(site: Path, recorded_arxiv, capsys) -> None:
    """The body decides: a proxy that relabels arXiv's answer does not lose it."""
    real = recorded_arxiv.routes["1605.08386"]
    recorded_arxiv.routes["1605.08386"] = Reply(200, real.body, content_type="text/plain")
    code, output = paperlog(capsys, "add", "1605.08386")
    assert code == 0, output
    assert "added    1605.08386v1" in output


@pytest.mark.parametrize("status", [500, 502, 504])
def test_server_errors_with_an_http_date_retry_after(arxiv_api, status: int) -> None:
    waits: list[float] = []
    body = fixture("empty.xml").body
    arxiv_api.routes["2401.00001"] = [
        Reply(status, b"oops", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}),
        Reply(200, body),
    ]
    policy = FetchPolicy(delay=0, retries=1, backoff=0.25, timeout=5)
    with ArxivFetcher(policy, arxiv_api.url, sleep=waits.append) as fetcher:
        [[outcome]] = list(fetcher.fetch([ArxivId("2401.00001")]))
    # A date in the past means "now": the backoff alone decides the wait.
    assert waits == [0.25]
    assert outcome.error == "not found on arXiv (no paper has this id)"


def test_a_failed_batch_reports_every_id(arxiv_api) -> None:
    """A status that will not pass (e.g. 404) fails the whole batch, each id by name."""
    arxiv_api.routes["2401.00001,2401.00002,2401.00003"] = Reply(404, b"gone")
    ids = [ArxivId("2401.00001"), ArxivId("2401.00002"), ArxivId("2401.00003")]
    with ArxivFetcher(FetchPolicy(delay=0, retries=0), arxiv_api.url) as fetcher:
        outcomes = [o for batch in fetcher.fetch(ids) for o in batch]
    assert [o.requested.bare for o in outcomes] == [i.bare for i in ids]
    assert all(o.error == "arXiv answered HTTP 404" for o in outcomes)


def test_a_record_with_a_broken_date_is_refused_not_a_crash(arxiv_api) -> None:
    body = fixture("heatbath_v2.xml").body
    arxiv_api.routes["1605.08386"] = Reply(
        200, body.replace(b"<published>2016-05-26T17:59:46Z", b"<published>yesterday", 1)
    )
    with ArxivFetcher(FetchPolicy(delay=0, retries=0), arxiv_api.url) as fetcher:
        [[outcome]] = list(fetcher.fetch([ArxivId("1605.08386")]))
    assert outcome.record is None
    assert outcome.error.startswith(
        "arXiv's response is not a valid Atom feed (a field cannot be read: Invalid isoformat string: 'yesterday')"
    )


# --- the disk, simulated ---


def _fail(code: int):  # type: ignore[no-untyped-def]
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("call", "code", "reason"),
    [
        ("fsync", errno.ENOSPC, "No space left on device"),
        ("replace", errno.ENOSPC, "No space left on device"),
        ("mkstemp", errno.EROFS, "Read-only file system"),
        ("mkstemp", errno.EACCES, "Permission denied"),
    ],
)
def test_add_when_the_disk_says_no(
    site: Path, recorded_arxiv, monkeypatch, capsys, call: str, code: int, reason: str
) -> None:
    before = snapshot(site)
    if call == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", _fail(code))
    else:
        monkeypatch.setattr(os, call, _fail(code))
    status, output = paperlog(capsys, "add", "1605.08386")
    assert status == 1
    assert (
        f"Error: cannot write {site / 'notes/arxiv.json'}: {reason}; the file was left as it was"
        in output
    )
    assert "interrupted: 0 papers added" in output and "Traceback" not in output
    assert snapshot(site) == before  # no temporary file left behind either


def test_refresh_and_init_when_the_disk_says_no(
    site: Path, recorded_arxiv, monkeypatch, capsys
) -> None:
    assert run("add", "1605.08386").exit_code == 0
    before = snapshot(site)
    monkeypatch.setattr(os, "replace", _fail(errno.ENOSPC))
    status, output = paperlog(capsys, "refresh", "--max-age", "0")
    assert status == 1 and "No space left on device; the file was left as it was" in output
    assert (
        "interrupted: the cache holds every batch fetched so far" in output
        and "Traceback" not in output
    )
    assert snapshot(site) == before
    status, output = paperlog(capsys, "init", str(site.parent / "other"))
    assert status == 1 and "cannot write" in output and "Traceback" not in output


def test_unreadable_config_is_a_message(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "mkdocs.yml").mkdir()  # a folder where the file should be
    monkeypatch.chdir(tmp_path)
    status, output = paperlog(capsys, "check")
    assert status != 0 and "Traceback" not in output


# --- the disk, for real ---


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({done.stderr.strip() or 'mount failed'}); the simulated disk tests cover this"
        )
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def run_process(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PAPERLOG), *args],
        cwd=cwd,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_full_tmpfs(tmp_path: Path, recorded_arxiv) -> None:
    with tmpfs(tmp_path / f"mnt-{uuid.uuid4().hex[:6]}", "256k") as mount:
        root = new_site(mount / "site")
        # Fill the disk, leaving less than the new cache needs.
        filler = mount / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        os.close(fd)
        before = snapshot(root)
        done = run_process(root, "add", "1605.08386")
        assert done.returncode == 1, done.stdout + done.stderr
        assert "No space left on device; the file was left as it was" in done.stderr
        assert "Traceback" not in done.stdout + done.stderr
        assert snapshot(root) == before
        filler.unlink()
        done = run_process(root, "add", "1605.08386")  # room again: it completes
        assert done.returncode == 0, done.stderr
        assert (
            json.loads((root / "notes/arxiv.json").read_text())["1605.08386"]["id"] == "1605.08386"
        )


def test_read_only_tmpfs(tmp_path: Path, recorded_arxiv) -> None:
    with tmpfs(tmp_path / f"mnt-{uuid.uuid4().hex[:6]}", "1m") as mount:
        root = new_site(mount / "site")
        before = snapshot(root)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        for args in (("add", "1605.08386"), ("init", "elsewhere"), ("export", "-o", "papers.bib")):
            done = run_process(root, *args)
            assert done.returncode == 1, (args, done.stderr)
            assert (
                "Read-only file system" in done.stderr
                and "Traceback" not in done.stdout + done.stderr
            ), args
        assert snapshot(root) == before
