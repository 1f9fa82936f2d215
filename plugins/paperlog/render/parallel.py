"""Render paper pages in a second process while this one renders the other pages.

MkDocs converts pages one at a time in one process, so a one-off build uses one
CPU. Paper pages are about half of paperlog's rendering, and they depend only on
the linked library, which is ready before any page is rendered: a forked child
renders them from its copy of the library while the parent renders the rest, and
sends the pages back through a pipe. At 1,000 notes that takes about 1.7 s off
a build on two CPUs.

Forking is done only where it is safe and pays: on Linux (macOS and Windows
have no usable `fork`), with two or more CPUs, with no other thread running (a
thread holding a lock at the fork would leave it held for ever in the child),
and for at least MIN_PAPERS papers. Anything that goes wrong in the child (an
exception, a crash, a signal) makes the parent render those pages itself, so a
failure shows exactly as it would without the child.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import OutputFile, RenderContext

    Producer = Callable[[RenderContext], Iterable[OutputFile]]

MIN_PAPERS = 200
"""Below this the child would save a few tenths of a second at most: not worth a second process."""


def available_cpus() -> int:
    """CPUs this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a render child is possible here at all (see the module docstring)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and available_cpus() >= 2
        and threading.active_count() == 1
    )


@dataclass
class _Child:
    pid: int
    reader: int
    reaped: bool = False

    def result(self) -> tuple[list[OutputFile], list[object]] | None:
        """The child's pages and diagnostics; None if it failed (the caller renders them)."""
        try:
            with os.fdopen(self.reader, "rb") as pipe:
                data = pipe.read()
        finally:
            self.reader = -1  # closed: the number may be reused
        # Someone else's SIGCHLD handler may have reaped it already.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.reaped = True  # its pid may now be reused
        # The child writes only once it has every page: a whole payload is a success,
        # a missing or cut one (an exception, a crash, a kill) is not.
        try:
            files, diagnostics = pickle.loads(data)
        except Exception:
            return None
        return files, diagnostics

    def discard(self) -> None:
        """Stop the child and reap it: the parent failed, its pages are not needed."""
        if self.reaped:
            return
        self.reaped = True
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        if self.reader >= 0:
            with contextlib.suppress(OSError):
                os.close(self.reader)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _fork(produce: Producer, ctx: RenderContext) -> _Child | None:
    """Start a child running `produce(ctx)`; None if the system refused to fork."""
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
            own = replace(ctx, diags=type(ctx.diags)())  # to send only what it reports
            files = list(produce(own))
            payload = pickle.dumps((files, own.diags.sorted()), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
            code = 0
        except BaseException:  # the parent renders these pages again, and reports what fails
            pass
        finally:
            # Never back into MkDocs: no atexit handlers, no flushing of buffers the parent owns.
            os._exit(code)
    os.close(writer)
    return _Child(pid, reader)


def produce_pages(
    producers: list[Producer], ctx: RenderContext, *, fork_first: bool, stats: dict[str, int] | None = None
) -> list[OutputFile]:
    """Every producer's files; with `fork_first`, the first producer runs in a child process.

    `stats["second_process"]` is set to the number of files the child made (0 without one).
    """
    files: list[OutputFile] = []
    if stats is not None:
        stats["second_process"] = 0
    child = _fork(producers[0], ctx) if fork_first else None
    if child is None:
        for produce in producers:
            files.extend(produce(ctx))
        return files
    try:
        for produce in producers[1:]:
            files.extend(produce(ctx))
        got = child.result()
    except BaseException:  # an error here, or Ctrl-C: the child's pages are not wanted
        child.discard()
        raise
    if got is None:
        files.extend(producers[0](ctx))
    else:
        child_files, diagnostics = got
        files.extend(child_files)
        if stats is not None:
            stats["second_process"] = len(child_files)
        ctx.diags.extend(diagnostics)  # type: ignore[arg-type]
    return files
