"""Property-based: whatever a server answers, the fetcher gives one clean outcome per id.

Real arXiv responses (recorded in 2026) are mutated — cut, spliced with
random bytes, fields replaced with junk (dates, ids, huge or control-laden
text, entities), entries duplicated or dropped — and served by the local
replay server; random statuses, headers and bodies are served too. The
property: `fetch` never raises, every requested id gets exactly one outcome,
and an outcome is either a record the cache accepts or a non-empty message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arxiv_replay import ArxivReplay, Reply
from conftest import shared_data
from paperlog.arxiv.fetch import ArxivFetcher, FetchPolicy
from paperlog.arxiv.ids import parse_arxiv_id
from paperlog.arxiv.records import record_problems

POLICY = FetchPolicy(delay=0.0, retries=0, backoff=0.0, timeout=2.0, deadline=4.0)
FUZZ = settings(max_examples=200, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
IDS = ["1605.08386", "1707.08567"]
COUNT: dict[str, int] = {}


@pytest.fixture(scope="module")
def server() -> Iterator[ArxivReplay]:
    replay = ArxivReplay().start()
    yield replay
    replay.stop()


@pytest.fixture(scope="module")
def recorded() -> bytes:
    folder = shared_data("arxiv", "arxiv.py-2026-recorded")
    [path] = sorted(folder.glob("id_0808.05394_1707.08567_*.xml"))
    two = Path(path).read_bytes()
    [one] = sorted(folder.glob("id_1605.08386_*.xml"))
    # One feed with both ids asked for: the second feed's entries spliced in.
    entry = re.search(rb"<entry>.*</entry>", Path(one).read_bytes(), re.S)
    assert entry is not None
    return two.replace(b"</feed>", entry.group(0) + b"\n</feed>")


def check(server: ArxivReplay, reply: Reply, kind: str) -> None:
    COUNT[kind] = COUNT.get(kind, 0) + 1
    server.routes[",".join(IDS)] = reply
    wanted = [parse_arxiv_id(i) for i in IDS]
    with ArxivFetcher(POLICY, server.url, sleep=lambda s: None) as fetcher:
        outcomes = [o for batch in fetcher.fetch(wanted) for o in batch]
    assert [o.requested.bare for o in outcomes] == IDS
    for outcome in outcomes:
        if outcome.record is not None:
            assert record_problems(outcome.record["id"], outcome.record) == []
            assert outcome.record["id"] == outcome.requested.bare
        else:
            assert outcome.error and "Traceback" not in outcome.error


JUNK = st.sampled_from(
    [
        b"",
        b"not a date",
        b"2026-13-45T99:99:99Z",
        b"0000-00-00T00:00:00Z",
        b"&#0;",
        b"&bogus;",
        b"<![CDATA[</entry></feed>]]>",
        b"<x xmlns:y='z'/>",
        b"\xff\xfe",
        b"A" * 200_000,
        b"http://arxiv.org/abs/../../etc/passwd",
        b"http://arxiv.org/abs/1605.08386v999999999999999999999",
        "\u202e\u0000\ud7ff".encode("utf-8", "surrogatepass"),
        b"<!DOCTYPE feed [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>",
    ]
)
ELEMENTS = st.sampled_from(
    [
        b"id",
        b"title",
        b"published",
        b"updated",
        b"summary",
        b"name",
        b"arxiv:doi",
        b"arxiv:journal_ref",
        b"opensearch:totalResults",
    ]
)


@FUZZ
@given(body=st.data())
def test_mutated_recorded_feeds(server: ArxivReplay, recorded: bytes, body: st.DataObject) -> None:
    data = recorded
    for _ in range(body.draw(st.integers(1, 4))):
        how = body.draw(st.sampled_from(["cut", "splice", "field", "entry"]))
        if how == "cut":
            data = data[: body.draw(st.integers(0, len(data)))]
        elif how == "splice":
            at = body.draw(st.integers(0, len(data)))
            data = (
                data[:at]
                + body.draw(st.binary(max_size=40))
                + data[at + body.draw(st.integers(0, 40)) :]
            )
        elif how == "field":
            tag, junk = body.draw(ELEMENTS), body.draw(JUNK)
            data = re.sub(
                rb"(<" + tag + rb"[^>]*>)[^<]*",
                lambda m, junk=junk: m.group(1) + junk,
                data,
                count=body.draw(st.integers(0, 3)),
            )
        else:
            entries = re.findall(rb"<entry>.*?</entry>", data, re.S)
            if entries:
                extra = body.draw(st.sampled_from(entries))
                data = data.replace(extra, b"" if body.draw(st.booleans()) else extra + extra, 1)
    check(server, Reply(200, data), "mutated recorded feed")


@FUZZ
@given(
    status=st.sampled_from([200, 200, 200, 204, 301, 400, 404, 418, 429, 500, 503]),
    content_type=st.sampled_from(
        ["application/atom+xml", "text/html", "application/json", "", "text/plain; charset=latin-1"]
    ),
    body=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.just(b"<feed xmlns='http://www.w3.org/2005/Atom'/>"),
    ),
    retry_after=st.sampled_from(
        [None, "0", "-5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "99999999999999999999"]
    ),
)
def test_random_answers(
    server: ArxivReplay, status: int, content_type: str, body: bytes, retry_after: str | None
) -> None:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    check(server, Reply(status, body, headers, content_type=content_type), "random answer")


def test_report_counts(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\nAtom fuzz cases run: {COUNT}")
