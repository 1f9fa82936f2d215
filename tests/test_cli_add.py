"""`paperlog add`: real arXiv responses replayed locally, asserting on the files written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time

import bibtexparser
import pytest
import yaml

from arxiv_replay import Reply, fixture
from clihelp import PAPERLOG, new_site, run, snapshot
from conftest import build


@pytest.fixture
def site(tmp_path, monkeypatch):
    root = new_site(tmp_path / "site")
    monkeypatch.chdir(root)
    return root


def test_add_writes_note_bibtex_and_cache(site, recorded_arxiv, monkeypatch):
    monkeypatch.setenv("PAPERLOG_ARXIV_BATCH", "1")  # the recordings are single-id lookups
    old_bib = (site / "notes/references.bib").read_bytes()
    result = run(
        "add",
        "1605.08386",
        "arXiv:astro-ph/0601001",
        "https://arxiv.org/abs/hep-ex/0406020v1",
        "2104.12255v1",
        "--topic",
        "transformers",
        "--tag",
        "walks",
        "--tag",
        "two words",
        "--status",
        "skimmed",
    )
    assert result.exit_code == 0, result.output
    assert recorded_arxiv.requests == [
        "1605.08386",
        "astro-ph/0601001",
        "hep-ex/0406020v1",
        "2104.12255v1",
    ]
    assert (
        "added    1605.08386v1 -> notes/papers/stanley2016heat.yaml: Heat-bath random walks with Markov bases"
        in result.stdout
    )
    assert "added    astro-ph/0601001v1 -> notes/papers/gould2006frequency.yaml" in result.stdout
    assert "added    hep-ex/0406020v1 -> notes/papers/tricomi2004sparticle.yaml" in result.stdout
    assert "added    2104.12255v1 -> notes/papers/nguyen2021.yaml: 0" in result.stdout
    assert "4 ids: 4 papers added, 0 skipped, 0 failed" in result.stderr

    note = (site / "notes/papers/stanley2016heat.yaml").read_text("utf-8")
    assert (
        note.splitlines()[0]
        == "# yaml-language-server: $schema=https://paperlog.invalid/schemas/note.schema.json"
    )
    assert yaml.safe_load(note) == {
        "bibkey": "stanley2016heat",
        "arxiv": "1605.08386",
        "status": "skimmed",
        "topics": ["transformers"],
        "tags": ["walks", "two words"],
        "log": [],
    }
    # A version asked for is kept in the note.
    assert (
        yaml.safe_load((site / "notes/papers/tricomi2004sparticle.yaml").read_text())["arxiv"]
        == "hep-ex/0406020v1"
    )

    bib = (site / "notes/references.bib").read_bytes()
    assert bib.startswith(old_bib)  # every old byte kept, in place
    library = bibtexparser.parse_string(bib.decode("utf-8"))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert sorted(entries) == [
        "gould2006frequency",
        "nguyen2021",
        "stanley2016heat",
        "tricomi2004sparticle",
        "vaswani2017attention",
    ]
    gould = entries["gould2006frequency"]
    assert gould.entry_type == "misc"
    assert (
        gould["author"] == "Andrew Gould and Susan Dorsher and B. Scott Gaudi and Andrzej Udalski"
    )
    assert (gould["year"], gould["eprint"], gould["archiveprefix"], gould["primaryclass"]) == (
        "2006",
        "astro-ph/0601001",
        "arXiv",
        "astro-ph",
    )
    assert gould["note"] == "ActaAstron.56:1-50,2006"

    text = (site / "notes/arxiv.json").read_text("utf-8")
    cache = json.loads(text)
    assert text == json.dumps(cache, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert sorted(cache) == ["1605.08386", "2104.12255", "astro-ph/0601001", "hep-ex/0406020"]
    record = cache["astro-ph/0601001"]
    assert record["authors"][:2] == ["Andrew Gould", "Susan Dorsher"]
    assert (record["version"], record["published"], record["primary_category"]) == (
        1,
        "2006-01-02",
        "astro-ph",
    )

    # The new notes pass `paperlog check` and build strict, offline, with arXiv's metadata.
    assert run("check", "--strict").exit_code == 0
    built = build(site, strict=True)
    page = built.html("papers/gould2006frequency/")
    assert "Frequency of Hot Jupiters" in page.find("h1").get_text()
    assert "Andrew Gould" in page.get_text()


def test_batch_with_an_unknown_id_adds_the_other_and_fails(site, recorded_arxiv):
    before = (site / "notes/references.bib").read_bytes()
    result = run("add", "0808.05394", "1707.08567")
    assert result.exit_code == 1
    assert recorded_arxiv.requests == ["0808.05394,1707.08567"]  # one batched request
    assert "failed   0808.05394: not found on arXiv (no paper has this id)" in result.stderr
    assert "2 ids: 1 paper added, 0 skipped, 1 failed" in result.stderr
    [added] = [
        p.name for p in (site / "notes/papers").iterdir() if p.name != "vaswani2017attention.yaml"
    ]
    assert added.endswith(".yaml") and (site / "notes/references.bib").read_bytes().startswith(
        before
    )
    assert list(json.loads((site / "notes/arxiv.json").read_text())) == ["1707.08567"]


def test_existing_paper_is_skipped_and_nothing_changes(site, recorded_arxiv):
    assert run("add", "1605.08386").exit_code == 0
    before = snapshot(site)
    result = run("add", "https://arxiv.org/pdf/1605.08386v1.pdf")
    assert result.exit_code == 0
    assert (
        "skipped  1605.08386v1: already has a note, notes/papers/stanley2016heat.yaml (id 'stanley2016heat')"
        in result.stdout
    )
    assert snapshot(site) == before
    assert recorded_arxiv.requests == ["1605.08386"]  # not asked again


def test_taken_keys_get_a_letter_and_nothing_is_overwritten(site, recorded_arxiv):
    mine = "title: My own notes on something else\n"
    (site / "notes/papers/stanley2016heat.yaml").write_text(mine)
    with (site / "notes/references.bib").open("a") as bib:
        bib.write("\n@book{stanley2016heatb, title = {Taken too}, year = {2016}}\n")
    result = run("add", "1605.08386")
    assert result.exit_code == 0, result.output
    assert "-> notes/papers/stanley2016heatc.yaml" in result.stdout
    assert (site / "notes/papers/stanley2016heat.yaml").read_text() == mine
    note = yaml.safe_load((site / "notes/papers/stanley2016heatc.yaml").read_text())
    assert note["bibkey"] == "stanley2016heatc"
    keys = [
        e.key
        for e in bibtexparser.parse_string((site / "notes/references.bib").read_text()).entries
    ]
    assert keys == ["vaswani2017attention", "stanley2016heatb", "stanley2016heatc"]


def test_invalid_ids_fail_without_a_request(site, arxiv_api):
    before = snapshot(site)
    result = run("add", "abc", "1706.376")
    assert result.exit_code == 1
    assert (
        "failed   abc: not an arXiv id (expected e.g. 1706.03762, arXiv:2010.11929v2, hep-th/9901001 or https://arxiv.org/abs/1706.03762)"
        in result.stderr
    )
    assert arxiv_api.requests == [] and snapshot(site) == before


FAULTS = {
    "503": (
        Reply(503, b"busy"),
        "arXiv answered HTTP 503 (service unavailable) (gave up after 3 tries)",
    ),
    "429": (
        Reply(429, b"", {"Retry-After": "0"}),
        "arXiv answered HTTP 429 (too many requests) (gave up after 3 tries)",
    ),
    "timeout": (Reply(200, b"", delay=1.0), "within 0.2 s (timeout)"),
    "truncated": (
        Reply(200, b"<?xml version='1.0'?>" + b" " * 400, truncate_to=100),
        "was cut off",
    ),
    "malformed": ("cut_off.xml", "not a valid Atom feed (malformed or truncated XML"),
    "error-400": ("error_400.xml", "arXiv answered HTTP 400: incorrect id format for 9999.99999"),
    "empty": ("empty.xml", "not found on arXiv (no paper has this id)"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_faults_leave_every_file_as_it_was(site, arxiv_api, monkeypatch, fault):
    reply, message = FAULTS[fault]
    if isinstance(reply, str):
        reply = fixture(reply, status=400 if fault == "error-400" else 200)
    arxiv_api.routes["9999.99999"] = reply
    monkeypatch.setenv("PAPERLOG_ARXIV_TIMEOUT", "0.2")
    before = snapshot(site)
    result = run("add", "9999.99999", "--topic", "transformers")
    assert result.exit_code == 1
    assert "failed   9999.99999: " in result.stderr and message in result.stderr
    assert "1 id: 0 papers added, 0 skipped, 1 failed" in result.stderr
    assert snapshot(site) == before


def test_network_down_and_dns(site, monkeypatch):
    import socket

    before = snapshot(site)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("PAPERLOG_ARXIV_URL", f"http://127.0.0.1:{port}/api/query")
    monkeypatch.setenv("PAPERLOG_ARXIV_RETRIES", "0")
    result = run("add", "1706.03762")
    assert result.exit_code == 1 and "(network down or server unreachable)" in result.stderr

    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    monkeypatch.setenv("PAPERLOG_ARXIV_URL", "https://export.arxiv.example/api/query")
    result = run("add", "1706.03762")
    assert result.exit_code == 1
    assert (
        "failed   1706.03762: cannot resolve the host name export.arxiv.example (DNS failure; are you offline?)"
        in result.stderr
    )
    assert snapshot(site) == before


def test_corrupt_cache_is_never_overwritten(site, arxiv_api):
    (site / "notes/arxiv.json").write_text('{"1706.03762": {"id": ')
    before = snapshot(site)
    result = run("add", "1605.08386")
    assert result.exit_code == 1
    assert "cannot read the arXiv cache" in result.stderr and "Nothing was changed" in result.stderr
    assert arxiv_api.requests == [] and snapshot(site) == before


def _wait_for(predicate, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_add_leaves_valid_files_and_resumes(site, recorded_arxiv, how):
    """Stop `paperlog add` while it waits for arXiv's second answer."""
    release = threading.Event()
    second = recorded_arxiv.routes["astro-ph/0601001"]
    recorded_arxiv.routes["astro-ph/0601001"] = [
        Reply(second.status, second.body, hang=release),
        second,
    ]
    env = dict(os.environ, PAPERLOG_ARXIV_BATCH="1")
    # Ctrl-C must reach it even when the suite runs with SIGINT ignored (a shell's background
    # job inherits that, and so would every process it starts).
    process = subprocess.Popen(
        [str(PAPERLOG), "add", "1605.08386", "astro-ph/0601001"],
        cwd=site,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        _wait_for(lambda: len(recorded_arxiv.requests) == 2)
        process.send_signal(how)
        _, err = process.communicate(timeout=20)
    finally:
        release.set()
        if process.poll() is None:
            process.kill()
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert "interrupted: 1 paper added, 0 skipped, 0 failed; every file is whole" in err
    else:
        assert process.returncode == -signal.SIGKILL
    # What the first batch wrote is whole and consistent; nothing of the second.
    cache = json.loads((site / "notes/arxiv.json").read_text())
    assert list(cache) == ["1605.08386"]
    keys = [
        e.key
        for e in bibtexparser.parse_string((site / "notes/references.bib").read_text()).entries
    ]
    assert keys == ["vaswani2017attention", "stanley2016heat"]
    assert (
        yaml.safe_load((site / "notes/papers/stanley2016heat.yaml").read_text())["arxiv"]
        == "1605.08386"
    )
    assert not [p for p in site.rglob("*.tmp")]
    # Running it again adds the rest.
    result = run("add", "1605.08386", "astro-ph/0601001")
    assert result.exit_code == 0
    assert "skipped  1605.08386" in result.stdout and "added    astro-ph/0601001v1" in result.stdout
    assert run("check", "--strict").exit_code == 0


def test_bib_option_and_undeclared_topic(site, recorded_arxiv):
    result = run("add", "1605.08386", "--bib", "notes/arxiv-papers.bib", "--topic", "walks")
    assert result.exit_code == 0
    assert "warning: topic 'walks' is not in topics.yaml" in result.stderr
    text = (site / "notes/arxiv-papers.bib").read_text()
    assert text.startswith("@misc{stanley2016heat,\n")  # a new file starts with the entry
    assert "stanley2016heat" not in (site / "notes/references.bib").read_text()
    # check reports the undeclared topic, as the warning said.
    assert "error[PL202] unknown topic 'walks'" in run("check", "--format", "parsable").stdout
