"""Fetch arXiv records politely, through the `arxiv` client library.

arXiv asks API users for at most one request every three seconds. We batch
ids with `id_list`, wait `delay` seconds between requests, back off on HTTP
429/503 (honouring Retry-After), and turn every fault into a per-id message:
the callers write nothing for an id that failed.

The client library does the query building and Atom parsing; we own the retry
policy (its own retries have no backoff and ignore Retry-After), the timeout
(its session has none) and the endpoint (`PAPERLOG_ARXIV_URL`).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import arxiv as arxiv_client
import requests
import urllib3
from lxml import etree

from .ids import ArxivId, split_versioned
from .records import record_from_result, record_problems

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_UNREADABLE = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
    etree.LxmlError,
)
_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class FetchPolicy:
    """How hard and how fast to ask arXiv; every number can be set from the environment."""

    delay: float = 3.0
    """Seconds between two requests (arXiv's terms of use ask for 3)."""
    retries: int = 3
    """Tries after the first for a request that failed in a way that may pass."""
    backoff: float = 5.0
    """Seconds before the first retry; doubles with each retry."""
    max_wait: float = 120.0
    """Longest single wait, whatever Retry-After says."""
    timeout: float = 30.0
    """Seconds to wait for arXiv to connect or to send the next bytes."""
    deadline: float = 120.0
    """Seconds for one whole answer: a server that sends a byte now and then cannot hold us forever."""
    batch_size: int = 50
    """Ids per request (id_list); long lists would make very long URLs."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FetchPolicy:
        """Defaults overridden by PAPERLOG_ARXIV_DELAY, _RETRIES, _BACKOFF, _MAX_WAIT, _TIMEOUT, _DEADLINE, _BATCH."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, var, kind in _ENV_VARS:
            raw = env.get(var, "").strip()
            if not raw:
                continue
            try:
                value = kind(raw)
            except ValueError:
                raise ValueError(f"{var}={raw!r} is not a number") from None
            if value < 0 or (name == "batch_size" and value < 1):
                raise ValueError(f"{var}={raw!r} is out of range")
            values[name] = value
        return cls(**values)


_ENV_VARS: tuple[tuple[str, str, type], ...] = (
    ("delay", "PAPERLOG_ARXIV_DELAY", float),
    ("retries", "PAPERLOG_ARXIV_RETRIES", int),
    ("backoff", "PAPERLOG_ARXIV_BACKOFF", float),
    ("max_wait", "PAPERLOG_ARXIV_MAX_WAIT", float),
    ("timeout", "PAPERLOG_ARXIV_TIMEOUT", float),
    ("deadline", "PAPERLOG_ARXIV_DEADLINE", float),
    ("batch_size", "PAPERLOG_ARXIV_BATCH", int),
)


def api_url(environ: Mapping[str, str] | None = None) -> str:
    """The API endpoint: PAPERLOG_ARXIV_URL (a mirror, a local server) or arXiv's own."""
    env = os.environ if environ is None else environ
    return env.get("PAPERLOG_ARXIV_URL", "").strip() or DEFAULT_API_URL


@dataclass(frozen=True)
class Outcome:
    """What happened to one requested id: a cache record, or an error message."""

    requested: ArxivId
    record: dict[str, Any] | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.record is not None


MAX_RESPONSE_BYTES = 64 * 1024 * 1024
"""Largest answer we read (50 records are about 100 KB): memory stays bounded."""


class TooSlow(requests.exceptions.Timeout):
    """The answer kept coming, but did not finish within the policy's deadline."""


class TooLarge(requests.exceptions.RequestException):
    """The answer is larger than MAX_RESPONSE_BYTES."""


class _Recording(requests.Session):
    """A session with a timeout and a deadline that keeps the last response.

    The client raises `arxiv.HTTPError` with the status only; Retry-After and
    the error feed's text are in the response, which we keep here. requests'
    timeout bounds each wait for bytes, not the whole answer: the body is
    read here, in chunks, against a deadline and a size limit.
    """

    def __init__(self, timeout: float, deadline: float = 120.0) -> None:
        super().__init__()
        self.default_timeout = timeout
        self.deadline = deadline
        self.last: requests.Response | None = None

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("timeout", self.default_timeout)
        kwargs["stream"] = True
        self.last = None
        start = time.monotonic()
        response = super().request(method, url, *args, **kwargs)
        try:
            chunks, size = [], 0
            for chunk in _chunks(response):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise TooLarge(f"more than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB")
                if time.monotonic() - start > self.deadline:
                    raise TooSlow(f"not complete within {self.deadline:g} s")
            response._content = b"".join(chunks)
        finally:
            response.close()
        self.last = response
        return response


def _chunks(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives: read1 returns what came, where read(n) waits for all n bytes."""
    raw = response.raw
    read1 = getattr(raw, "read1", None)
    if read1 is None:  # urllib3 1.x
        yield from response.iter_content(1024)
        return
    while True:
        try:
            chunk = read1(64 * 1024, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise requests.exceptions.ReadTimeout(exc) from exc
        except urllib3.exceptions.DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(exc) from exc
        except urllib3.exceptions.ProtocolError as exc:
            raise requests.exceptions.ChunkedEncodingError(exc) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise requests.exceptions.ConnectionError(exc) from exc
        if not chunk:
            return
        yield chunk


class _Retry(Exception):
    """A failure that may pass: wait and try again (up to the policy's retries)."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.wait = wait


class _GiveUp(Exception):
    """A failure that will not pass by retrying (e.g. arXiv rejects the id)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ArxivFetcher:
    """Fetch records for ids, one polite request per batch.

    `sleep` and `clock` are parameters so tests can check the waits without
    waiting.
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        url: str | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or FetchPolicy.from_env()
        self.url = url or api_url()
        self.sleep = sleep
        self.clock = clock
        self.requests = 0
        self.waits: list[float] = []
        self._last_request: float | None = None
        self._session = _Recording(self.policy.timeout, self.policy.deadline)
        # We pace and retry ourselves (the client's own retries have no
        # backoff); a batch is one page (page_size >= ids asked), so every
        # request the client makes goes through `_pace`.
        self._client = arxiv_client.Client(
            page_size=max(100, self.policy.batch_size), delay_seconds=0, num_retries=0
        )
        # The library's documented endpoint format; an instance attribute
        # points this client (only) at a mirror or a local server.
        endpoint = self.url.replace("{", "{{").replace("}", "}}")
        self._client.query_url_format = endpoint + ("&" if "?" in self.url else "?") + "{}"
        self._client._session = self._session
        # The library logs skipped entries (e.g. arXiv's "Error" entries) as
        # warnings; we report those ourselves, per id.
        logging.getLogger("arxiv").setLevel(logging.ERROR)

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> ArxivFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, ids: Sequence[ArxivId]) -> Iterator[list[Outcome]]:
        """Outcomes for `ids`, one list per batch, in the order given."""
        size = max(1, self.policy.batch_size)
        for start in range(0, len(ids), size):
            yield self._batch(list(ids[start : start + size]))

    def _batch(self, ids: list[ArxivId]) -> list[Outcome]:
        try:
            results, body = self._request(ids)
        except _GiveUp as exc:
            if exc.status == 400 and len(ids) > 1:
                # arXiv rejects a whole id_list for one id it dislikes: ask
                # for each alone so the others still arrive.
                return [outcome for one in ids for outcome in self._batch([one])]
            # Every id of the batch gets its outcome: a caller counts on one per id.
            return [Outcome(i, error=str(exc)) for i in ids]
        except _Retry as exc:
            return [Outcome(i, error=exc.message) for i in ids]
        found: dict[str, Any] = {}
        for result in results:
            bare, _ = split_versioned(result.get_short_id())
            found.setdefault(bare, result)
        feed_error = _error_entry(body)
        now = dt.datetime.now(dt.timezone.utc)
        outcomes = []
        for requested in ids:
            result = found.get(requested.bare)
            record = _record(result, now) if result is not None else None
            if isinstance(record, dict):
                outcomes.append(Outcome(requested, record))
            elif record is not None:
                outcomes.append(
                    Outcome(requested, error=f"arXiv's record cannot be used: {record}")
                )
            elif feed_error:
                outcomes.append(
                    Outcome(requested, error=f"arXiv answered with an error: {feed_error}")
                )
            else:
                outcomes.append(
                    Outcome(requested, error="not found on arXiv (no paper has this id)")
                )
        return outcomes

    def _request(self, ids: list[ArxivId]) -> tuple[list[Any], bytes]:
        search = arxiv_client.Search(id_list=[i.query for i in ids], max_results=len(ids))
        attempt = 0
        while True:
            self._pace()
            try:
                return self._try_once(search)
            except _Retry as exc:
                if attempt >= self.policy.retries:
                    tries = attempt + 1
                    raise _Retry(
                        f"{exc.message} (gave up after {tries} tr{'ies' if tries > 1 else 'y'})"
                    ) from None
                wait = self.policy.backoff * (2**attempt)
                if exc.wait is not None:
                    wait = max(wait, exc.wait)
                self._wait(min(wait, self.policy.max_wait))
                attempt += 1

    def _try_once(self, search: arxiv_client.Search) -> tuple[list[Any], bytes]:
        host = urlsplit(self.url).netloc or self.url
        self.requests += 1
        try:
            results = list(self._client.results(search))
        except arxiv_client.HTTPError as exc:
            response = self._session.last
            if exc.status in RETRY_STATUSES:
                wait = (
                    _retry_after(response.headers.get("Retry-After"))
                    if response is not None
                    else None
                )
                reason = (
                    "too many requests"
                    if exc.status == 429
                    else "service unavailable"
                    if exc.status == 503
                    else "server error"
                )
                raise _Retry(f"arXiv answered HTTP {exc.status} ({reason})", wait) from None
            detail = _error_entry(response.content) if response is not None else ""
            raise _GiveUp(
                f"arXiv answered HTTP {exc.status}" + (f": {detail}" if detail else ""), exc.status
            ) from None
        except TooSlow:
            raise _Retry(
                f"{host} answered too slowly: the answer was not complete within {self.policy.deadline:g} s"
            ) from None
        except TooLarge:
            raise _GiveUp(
                f"{host} sent an answer larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB; is PAPERLOG_ARXIV_URL an arXiv API?",
                0,
            ) from None
        except requests.exceptions.Timeout:
            raise _Retry(
                f"no answer from {host} within {self.policy.timeout:g} s (timeout)"
            ) from None
        except requests.exceptions.ConnectionError as exc:
            if _is_dns_failure(exc):
                raise _Retry(
                    f"cannot resolve the host name {urlsplit(self.url).hostname} (DNS failure; are you offline?)"
                ) from None
            raise _Retry(f"cannot connect to {host} (network down or server unreachable)") from None
        except requests.exceptions.RequestException as exc:
            raise _Retry(f"the response from {host} was cut off ({type(exc).__name__})") from None
        except _UNREADABLE as exc:
            # The client's parser raises these for a feed it cannot read (a
            # date that is no date, a number that is no number).
            raise _Retry(
                f"arXiv's response is not a valid Atom feed (a field cannot be read: {exc})"
            ) from None
        finally:
            self._last_request = self.clock()
        body = self._session.last.content if self._session.last is not None else b""
        problem = _atom_problem(body)
        if problem:
            raise _Retry(f"arXiv's response is not a valid Atom feed ({problem})")
        return results, body

    def _pace(self) -> None:
        if self._last_request is None:
            return
        remaining = self.policy.delay - (self.clock() - self._last_request)
        if remaining > 0:
            self._wait(remaining)

    def _wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.sleep(seconds)


def _record(result: Any, now: dt.datetime) -> dict[str, Any] | str:
    """The cache record for a result, or what is wrong with it."""
    try:
        record = record_from_result(result, now)
    except _UNREADABLE as exc:
        return str(exc)
    problems = record_problems(record["id"], record)
    return "; ".join(problems) if problems else record


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())


def _is_dns_failure(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = type(current).__name__
        text = str(current)
        if (
            name in ("NameResolutionError", "gaierror")
            or "Name or service not known" in text
            or "nodename nor servname" in text
            or "Temporary failure in name resolution" in text
        ):
            return True
        nested = (
            current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        )
        current = (
            getattr(current, "reason", None) or nested or current.__cause__ or current.__context__
        )
    return False


def _parse_strict(body: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    return etree.fromstring(body, parser=parser)


def _atom_problem(body: bytes) -> str:
    """Why `body` is not a complete Atom feed ('' when it is).

    The client's parser recovers from broken XML, so a truncated response
    could yield a partial record; we refuse it instead.
    """
    if not body.strip():
        return "empty body"
    try:
        root = _parse_strict(body)
    except etree.XMLSyntaxError as exc:
        return f"malformed or truncated XML: {exc.msg}"
    if root is None or root.tag != f"{_ATOM}feed":
        return "the document is not an Atom <feed>"
    return ""


def _error_entry(body: bytes) -> str:
    """The text of arXiv's "Error" entry in a feed, if it has one."""
    try:
        root = _parse_strict(body)
    except etree.XMLSyntaxError:
        return ""
    if root is None:
        return ""
    for entry in root.iterfind(f"{_ATOM}entry"):
        entry_id = entry.findtext(f"{_ATOM}id") or ""
        title = (entry.findtext(f"{_ATOM}title") or "").strip()
        if "/api/errors" in entry_id or title == "Error":
            return " ".join((entry.findtext(f"{_ATOM}summary") or title).split())
    return ""
