"""The fetcher against a local arXiv API: real recordings and every fault case."""

from __future__ import annotations

import socket

import pytest

from arxiv_replay import Reply, fixture
from paperlog.arxiv.fetch import ArxivFetcher, FetchPolicy
from paperlog.arxiv.ids import ArxivId, parse_arxiv_id

FAST = FetchPolicy(delay=0.0, retries=2, backoff=0.5, timeout=5.0)


class Sleeps:
    """Records the waits the fetcher asks for instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fetch_all(url: str, ids: list[str], policy: FetchPolicy = FAST, sleep: Sleeps | None = None):
    parsed = [parse_arxiv_id(i) or ArxivId(i) for i in ids]
    with ArxivFetcher(policy, url, sleep=sleep or Sleeps()) as fetcher:
        return [o for batch in fetcher.fetch(parsed) for o in batch]


@pytest.mark.parametrize(
    ("requested", "bare", "version", "title", "fields"),
    [
        (
            "1605.08386",
            "1605.08386",
            1,
            "Heat-bath random walks with Markov bases",
            {
                "primary_category": "math.CO",
                "comment": "20 pages, 3 figures",
                "categories": ["math.CO", "math.ST"],
            },
        ),
        (
            "astro-ph/0601001",
            "astro-ph/0601001",
            1,
            "Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III Transit Surveys Toward the Galactic Bulge and Carina",
            {"journal_ref": "ActaAstron.56:1-50,2006", "published": "2006-01-02"},
        ),
        (
            "hep-ex/0406020v1",
            "hep-ex/0406020",
            1,
            "Sparticle Reconstruction at LHC",
            {"primary_category": "hep-ex"},
        ),
        ("quant-ph/0201082v1", "quant-ph/0201082", 1, None, {}),
        ("2104.12255v1", "2104.12255", 1, "0", {"authors": ["Quan Thoi Minh Nguyen"]}),
    ],
)
def test_recorded_lookups_become_cache_records(
    recorded_arxiv, requested, bare, version, title, fields
):
    [outcome] = fetch_all(recorded_arxiv.url, [requested])
    assert outcome.ok, outcome.error
    record = outcome.record
    assert record["id"] == bare and record["version"] == version
    if title is not None:
        assert record["title"] == title
    for name, value in fields.items():
        assert record[name] == value
    assert record["abs_url"] == f"https://arxiv.org/abs/{bare}v{version}"
    assert record["pdf_url"].startswith("https://arxiv.org/pdf/")
    assert record["published"][:4].isdigit() and record["fetched"].endswith("Z")
    assert "  " not in record["summary"] and record["summary"] == record["summary"].strip()
    assert recorded_arxiv.requests == [requested]


def test_one_unknown_id_in_a_batch_does_not_hide_the_other(recorded_arxiv):
    outcomes = fetch_all(recorded_arxiv.url, ["0808.05394", "1707.08567"])
    assert recorded_arxiv.requests == ["0808.05394,1707.08567"]  # one request for the batch
    missing, found = outcomes
    assert not missing.ok and "not found on arXiv" in missing.error
    assert found.ok and found.record["title"].startswith("Proceedings of Workshop AEW10")


@pytest.mark.parametrize("unknown", ["0000.0000", "0808.05394"])
def test_empty_result_is_not_found(recorded_arxiv, unknown):
    [outcome] = fetch_all(recorded_arxiv.url, [unknown])
    assert outcome.record is None and outcome.error == "not found on arXiv (no paper has this id)"


def test_http_400_error_feed_splits_the_batch_and_names_the_bad_id(recorded_arxiv):
    # The real recording: arXiv rejects "abc" with HTTP 400 and an "Error" entry.
    recorded_arxiv.routes["1605.08386,abc"] = recorded_arxiv.routes["abc"]
    good, bad = fetch_all(recorded_arxiv.url, ["1605.08386", "abc"])
    assert recorded_arxiv.requests == ["1605.08386,abc", "1605.08386", "abc"]
    assert good.ok
    assert bad.error == "arXiv answered HTTP 400: incorrect id format for abc"


def test_own_error_fixture_is_not_retried(arxiv_api):
    arxiv_api.routes["9999.99999"] = fixture("error_400.xml", status=400)
    sleeps = Sleeps()
    [outcome] = fetch_all(arxiv_api.url, ["9999.99999"], sleep=sleeps)
    assert outcome.error == "arXiv answered HTTP 400: incorrect id format for 9999.99999"
    assert arxiv_api.requests == ["9999.99999"] and sleeps.calls == []


def test_429_honours_retry_after_then_succeeds(recorded_arxiv):
    real = recorded_arxiv.routes["1605.08386"]
    recorded_arxiv.routes["1605.08386"] = [Reply(429, b"slow down", {"Retry-After": "7"}), real]
    sleeps = Sleeps()
    [outcome] = fetch_all(recorded_arxiv.url, ["1605.08386"], sleep=sleeps)
    assert outcome.ok
    assert sleeps.calls == [7.0]  # Retry-After beats the 0.5 s backoff
    assert recorded_arxiv.requests == ["1605.08386", "1605.08386"]


def test_503_backs_off_exponentially_then_gives_up(arxiv_api):
    arxiv_api.routes["1605.08386"] = Reply(503, b"<html>down</html>")
    sleeps = Sleeps()
    [outcome] = fetch_all(arxiv_api.url, ["1605.08386"], sleep=sleeps)
    assert sleeps.calls == [0.5, 1.0]
    assert outcome.error == "arXiv answered HTTP 503 (service unavailable) (gave up after 3 tries)"
    assert len(arxiv_api.requests) == 3


def test_retry_after_is_capped(arxiv_api):
    arxiv_api.routes["1605.08386"] = Reply(429, b"", {"Retry-After": "86400"})
    sleeps = Sleeps()
    policy = FetchPolicy(delay=0, retries=1, backoff=0.5, max_wait=30)
    [outcome] = fetch_all(arxiv_api.url, ["1605.08386"], policy, sleeps)
    assert sleeps.calls == [30] and "HTTP 429 (too many requests)" in outcome.error


def test_requests_are_spaced_by_the_delay(recorded_arxiv):
    sleeps = Sleeps()
    policy = FetchPolicy(delay=3.0, batch_size=1)
    # clock() is read after each request and before the next one.
    clock_values = iter([0.0, 0.5, 0.6, 10.0, 10.0])
    ids = [ArxivId("1605.08386"), ArxivId("1707.08567"), ArxivId("astro-ph/0601001")]
    with ArxivFetcher(
        policy, recorded_arxiv.url, sleep=sleeps, clock=lambda: next(clock_values)
    ) as fetcher:
        outcomes = [o for batch in fetcher.fetch(ids) for o in batch]
    assert all(o.ok for o in outcomes)
    # Second request came 0.5 s after the first: wait the remaining 2.5 s;
    # the third came long after the second: no wait.
    assert sleeps.calls == [2.5]


def test_timeout(arxiv_api):
    arxiv_api.routes["1605.08386"] = Reply(200, b"", delay=1.0)
    policy = FetchPolicy(delay=0, retries=0, timeout=0.2)
    [outcome] = fetch_all(arxiv_api.url, ["1605.08386"], policy)
    assert (
        outcome.error.startswith("no answer from 127.0.0.1:")
        and "within 0.2 s (timeout) (gave up after 1 try)" in outcome.error
    )


def test_truncated_body(recorded_arxiv):
    real = recorded_arxiv.routes["1605.08386"]
    recorded_arxiv.routes["1605.08386"] = Reply(200, real.body, truncate_to=len(real.body) // 2)
    [outcome] = fetch_all(recorded_arxiv.url, ["1605.08386"], FetchPolicy(delay=0, retries=0))
    assert outcome.record is None and "was cut off" in outcome.error


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("cut_off.xml", "malformed or truncated XML"),
        ("not_atom.html", "the document is not an Atom <feed>"),
        ("empty_body", "empty body"),
    ],
)
def test_malformed_atom_is_refused_not_half_read(arxiv_api, name, problem):
    reply = Reply(200, b"") if name == "empty_body" else fixture(name)
    arxiv_api.routes["2401.00002"] = reply
    [outcome] = fetch_all(arxiv_api.url, ["2401.00002"], FetchPolicy(delay=0, retries=1, backoff=0))
    assert outcome.record is None
    assert (
        f"not a valid Atom feed ({problem}" in outcome.error
        and "gave up after 2 tries" in outcome.error
    )


def test_non_atom_xml_is_refused(arxiv_api):
    arxiv_api.routes["2401.00002"] = Reply(200, b"<?xml version='1.0'?><rss><channel/></rss>")
    [outcome] = fetch_all(arxiv_api.url, ["2401.00002"], FetchPolicy(delay=0, retries=0))
    assert "the document is not an Atom <feed>" in outcome.error


def test_network_down():
    # A port nobody listens on: the connection is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    [outcome] = fetch_all(
        f"http://127.0.0.1:{port}/api/query",
        ["1605.08386"],
        FetchPolicy(delay=0, retries=1, backoff=0),
    )
    assert (
        outcome.error
        == f"cannot connect to 127.0.0.1:{port} (network down or server unreachable) (gave up after 2 tries)"
    )


def test_dns_failure(monkeypatch):
    # The resolver fails as it does offline; no lookup leaves the machine.
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    [outcome] = fetch_all(
        "http://export.arxiv.example/api/query", ["1605.08386"], FetchPolicy(delay=0, retries=0)
    )
    assert (
        outcome.error
        == "cannot resolve the host name export.arxiv.example (DNS failure; are you offline?) (gave up after 1 try)"
    )


def test_policy_from_environment():
    policy = FetchPolicy.from_env(
        {"PAPERLOG_ARXIV_DELAY": "0.5", "PAPERLOG_ARXIV_BATCH": "7", "PAPERLOG_ARXIV_RETRIES": "1"}
    )
    assert (policy.delay, policy.batch_size, policy.retries, policy.timeout) == (0.5, 7, 1, 30.0)
    with pytest.raises(ValueError, match="PAPERLOG_ARXIV_DELAY='soon' is not a number"):
        FetchPolicy.from_env({"PAPERLOG_ARXIV_DELAY": "soon"})
    with pytest.raises(ValueError, match="out of range"):
        FetchPolicy.from_env({"PAPERLOG_ARXIV_BATCH": "0"})


def test_endpoint_with_a_query_string_and_braces(recorded_arxiv):
    # A mirror URL that already has a query string keeps it.
    [outcome] = fetch_all(recorded_arxiv.url + "?mirror={eu}", ["1605.08386"])
    assert outcome.ok
