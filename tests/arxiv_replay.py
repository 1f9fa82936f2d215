"""A local arXiv API for tests: replays recorded responses on 127.0.0.1.

Routes are keyed by the request's `id_list` parameter (as sent, comma-joined).
A route is a `Reply` or a list of them (served in turn, the last one repeats),
so a test can script "503, then 200". Unknown routes answer HTTP 599 so a
test that asks for something unplanned fails loudly.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (longer than the client's timeout = a timeout)."""
    truncate_to: int | None = None
    """Announce the full length but send only this many bytes, then close."""
    hang: threading.Event | None = None
    """Block until this event is set (for interrupting a command mid-request)."""
    content_type: str = "application/atom+xml; charset=utf-8"
    drip: float = 0.0
    """Seconds between the bytes of the body (a server that answers, but ever so slowly)."""


def fixture(name: str, status: int = 200, **kwargs: object) -> Reply:
    return Reply(status, (FIXTURES / name).read_bytes(), **kwargs)  # type: ignore[arg-type]


def recorded_routes(folder: Path) -> dict[str, Reply]:
    """Every recorded id_list lookup in `folder` (the .json gives url and status)."""
    routes: dict[str, Reply] = {}
    for path in sorted(folder.glob("id_*.json")):
        data = json.loads(path.read_text("utf-8"))
        query = parse_qs(urlsplit(data["url"]).query, keep_blank_values=True)
        body = path.with_suffix(".xml").read_bytes()
        assert body == data["body"].encode("latin-1")
        routes[query["id_list"][0]] = Reply(int(data["status_code"]), body)
    return routes


class ArxivReplay:
    """A threaded HTTP server that answers like the arXiv API."""

    def __init__(self) -> None:
        self.routes: dict[str, Reply | list[Reply]] = {}
        self.requests: list[str] = []
        """The id_list of every request, in order."""
        self.times: list[float] = []
        self.stopping = threading.Event()
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
                id_list = query.get("id_list", [""])[0]
                replay.requests.append(id_list)
                replay.times.append(time.monotonic())
                reply = replay._next(id_list)
                if reply.hang is not None:
                    reply.hang.wait(30)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    if reply.drip:
                        for i in range(len(body)):
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            if replay.stopping.wait(reply.drip):
                                break
                    elif reply.truncate_to is not None:
                        self.wfile.write(body[: reply.truncate_to])
                        self.wfile.flush()
                        self.close_connection = True
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A client that hangs up mid-answer (a timeout test) is not an error here.
        self.server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/api/query"

    def _next(self, id_list: str) -> Reply:
        route = self.routes.get(id_list)
        if route is None:
            return Reply(599, f"no route for id_list={id_list!r}".encode())
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route

    def start(self) -> ArxivReplay:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
