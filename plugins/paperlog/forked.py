"""Work done in a forked child process while this one goes on, its result sent back.

MkDocs builds in one process, so a one-off build leaves a second CPU idle.
paperlog hands two pieces of its own work to a forked child: the paper pages
(render.parallel) and the layout of the citation graph (link.layout). Each needs
only data that is complete when the child starts, and its result is small to send
back through a pipe, pickled.

A child is started only where it is safe (see `can_fork`), and anything that goes
wrong in it (an exception, a crash, a signal) makes `result()` say so, so that the
caller does the work itself and an error shows exactly as it would without the child.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def available_cpus() -> int:
    """CPUs this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a child is possible here at all: Linux (macOS and Windows have no usable
    `fork`), two or more CPUs, and no other thread running (a thread holding a lock at
    the fork would leave it held for ever in the child)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and available_cpus() >= 2
        and threading.active_count() == 1
    )


@dataclass
class ForkedCall:
    """A child process running one call; `result()` waits for it."""

    pid: int
    reader: int
    reaped: bool = False

    def result(self) -> tuple[Any] | None:
        """`(value,)` of the call; None if it failed (the caller then does the work itself)."""
        try:
            with os.fdopen(self.reader, "rb") as pipe:
                data = pipe.read()
        finally:
            self.reader = -1  # closed: the number may be reused
        # Someone else's SIGCHLD handler may have reaped it already.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.reaped = True  # its pid may now be reused
        # The child writes only once it has the whole result: a whole payload is a
        # success, a missing or cut one (an exception, a crash, a kill) is not.
        try:
            value = pickle.loads(data)
        except Exception:
            return None
        return value if isinstance(value, tuple) and len(value) == 1 else None

    def discard(self) -> None:
        """Stop the child and reap it: the parent failed, its result is not needed."""
        if self.reaped:
            return
        self.reaped = True
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        if self.reader >= 0:
            with contextlib.suppress(OSError):
                os.close(self.reader)
            self.reader = -1
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def fork_call(work: Callable[[], object]) -> ForkedCall | None:
    """Start a child running `work()`; None if the system refused to fork.

    The caller checks `can_fork()` first, and must end with `result()` or `discard()`.
    """
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        code = 1
        try:
            os.close(reader)
            payload = pickle.dumps((work(),), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
            code = 0
        except BaseException:  # the parent does the work again, and reports what fails
            pass
        finally:
            # Never back into MkDocs: no atexit handlers, no flushing of buffers the parent owns.
            os._exit(code)
    os.close(writer)
    return ForkedCall(pid, reader)
