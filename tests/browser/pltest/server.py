"""A static file server for built sites, on 127.0.0.1, optionally under a URL prefix.

GitHub Pages serves a project site under /<repo>/; serving a build under the
same kind of prefix here shows every absolute or miscomputed URL as a 404.
"""

from __future__ import annotations

import functools
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import ClassVar
from urllib.parse import urlsplit


class _Handler(SimpleHTTPRequestHandler):
    prefix = "/"

    # A JS module or JSON served with the wrong type is a real failure in a
    # browser; say what the types are rather than trust the host's mimetypes.
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".xml": "application/xml",
        ".svg": "image/svg+xml",
        ".wasm": "application/wasm",
    }

    def send_head(self):  # type: ignore[no-untyped-def]
        path = urlsplit(self.path).path
        if not path.startswith(self.prefix):
            # Outside the prefix nothing exists, as on GitHub Pages for another repo.
            self.send_error(HTTPStatus.NOT_FOUND, "outside the site's prefix")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        split = urlsplit(path)
        inner = "/" + split.path[len(self.prefix) :]
        return super().translate_path(inner)

    def log_message(self, format: str, *args: object) -> None:
        # The browser side records failures; the server's access log is noise.
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that navigates away cancels its pending requests: the socket closes
        # under the handler. That is not a failure of the site; anything else is printed.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteServer:
    """Serve `directory` at http://127.0.0.1:<free port><prefix> from a thread."""

    def __init__(self, directory: Path, prefix: str = "/") -> None:
        if not (prefix.startswith("/") and prefix.endswith("/")):
            raise ValueError(f"prefix must start and end with '/', got {prefix!r}")
        handler = type("Handler", (_Handler,), {"prefix": prefix})
        self._httpd = _Server(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
        )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="site-server", daemon=True
        )
        self.prefix = prefix
        self.directory = directory

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        """The site's root URL, ending with '/'."""
        return self.origin + self.prefix

    def url(self, path: str = "") -> str:
        """The URL of a site path such as 'papers/x/'."""
        return self.base_url + path.lstrip("/")

    def start(self) -> SiteServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
