"""Render paper pages in a second process while this one renders the other pages.

MkDocs converts pages one at a time in one process, so a one-off build uses one
CPU. Paper pages are about half of paperlog's rendering, and they depend only on
the linked library, which is ready before any page is rendered: a forked child
(see paperlog.forked) renders them from its copy of the library while the parent
renders the rest, and sends the pages back through a pipe. At 1,000 notes that
takes about 1.7 s off a build on two CPUs.

Forking is done only where it is safe and pays: where `can_fork()` says so, and
for at least MIN_PAPERS papers. Anything that goes wrong in the child (an
exception, a crash, a signal) makes the parent render those pages itself, so a
failure shows exactly as it would without the child.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..forked import ForkedCall, available_cpus, can_fork, fork_call

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from . import OutputFile, RenderContext

    Producer = Callable[[RenderContext], Iterable[OutputFile]]

__all__ = ["MIN_PAPERS", "available_cpus", "can_fork", "produce_pages"]

MIN_PAPERS = 200
"""Below this the child would save a few tenths of a second at most: not worth a second process."""


def _fork(produce: Producer, ctx: RenderContext) -> ForkedCall | None:
    """Start a child running `produce(ctx)`; None if the system refused to fork."""

    def work() -> tuple[list[OutputFile], list[Diagnostic]]:
        own = replace(ctx, diags=type(ctx.diags)())  # to send only what it reports
        files = list(produce(own))
        return files, own.diags.sorted()

    return fork_call(work)


def produce_pages(
    producers: list[Producer],
    ctx: RenderContext,
    *,
    fork_first: bool,
    stats: dict[str, int] | None = None,
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
        child_files, diagnostics = got[0]
        files.extend(child_files)
        if stats is not None:
            stats["second_process"] = len(child_files)
        ctx.diags.extend(diagnostics)
    return files
