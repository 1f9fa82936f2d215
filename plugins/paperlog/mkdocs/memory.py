"""Garbage collection around paperlog's phases, and memory across `mkdocs serve` rebuilds.

Loading and linking make many small objects and free almost none, so the collector
is paused while they run, and what a build made is then frozen: left out of later
collections, which would otherwise walk the whole library again and again to find
nothing.

Under `mkdocs serve` that has a price. A previous build is garbage once the next one
starts, but most of it was frozen, so it is never collected; and mkdocstrings-python
keeps every build alive anyway: it memoises, without bound and keyed by Jinja
environment, whether a template exists (see paperlog.compat), and each build's
environment holds that build's handlers, configuration and pages. Together they made
`mkdocs serve` grow by about 50 MiB per rebuild at 1,000 notes.

So after each serve build, once the reader is looking at the page rather than
waiting for it, `IdleCollection` forgets that memo and collects everything: a full
collection takes 0.4-0.6 s at 1,000 notes, more than all of paperlog's share of a
rebuild, so it never runs inside one. A save before it runs postpones it.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Iterator

from mkdocs.plugins import get_plugin_logger

from ..compat import forget_mkdocstrings_templates

log = get_plugin_logger("paperlog")

IDLE_SECONDS = 2.0
"""How long after a serve build the collection waits: the browser has reloaded by then."""

# Freezing, unfreezing and the idle collection run in different threads; one at a time.
_LOCK = threading.Lock()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; what it made is frozen after it.

    Reference counting still frees what is dropped. What the previous build froze is
    handed back to the collector first, so that the idle collection after this build
    can collect the previous build's garbage.
    """
    with _LOCK:
        enabled = gc.isenabled()
        gc.disable()
        gc.unfreeze()
        try:
            yield
        finally:
            if enabled:
                gc.freeze()
                gc.enable()


def freeze() -> None:
    """Leave everything alive now out of later collections (unless collection is off)."""
    with _LOCK:
        if gc.isenabled():
            gc.freeze()


class IdleCollection:
    """A full collection run a little after a serve build, unless another build starts first."""

    def __init__(self, delay: float = IDLE_SECONDS) -> None:
        self.delay = delay
        self.runs = 0
        self._timer: threading.Timer | None = None

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def schedule(self) -> None:
        self.cancel()
        timer = threading.Timer(self.delay, self._fire)
        timer.daemon = True  # never keeps `mkdocs serve` from exiting
        timer.name = "paperlog-idle-collection"
        self._timer = timer
        timer.start()

    def cancel(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()

    def _fire(self) -> None:
        if self._timer is threading.current_thread():
            self._timer = None
        self.run()

    def run(self) -> None:
        with _LOCK:
            forget_mkdocstrings_templates()
            if not gc.isenabled():
                return  # switched off by whoever runs MkDocs: theirs to decide
            start = time.perf_counter()
            gc.unfreeze()
            found = gc.collect()
            gc.freeze()
            self.runs += 1
        log.debug(
            f"idle after the build: {found} unreachable objects collected in {time.perf_counter() - start:.2f} s"
        )

    def run_now(self) -> None:
        """Run a pending collection at once (what the pause after a save does)."""
        if self._timer is not None:
            self.cancel()
            self.run()


IDLE_COLLECTION = IdleCollection()
