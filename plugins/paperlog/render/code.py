"""Implementation pages: /code/<module>/ for every module under the code roots, and /code/.

A module page shows the API documentation (rendered by mkdocstrings from a
`:::` block, so it is parsed statically by griffe, never imported), the whole
source with line numbers and line anchors that paper pages link to, and the
papers whose notes point into the module. Every module gets a page, not only
the ones notes name: the code roots hold what the reader chose to publish,
and helper modules are worth reading next to the code that uses them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..link.code import code_targets
from ..model import CodeModule, Paper
from . import OutputFile, RenderContext
from .codeviews import DEFAULT_LINE_ANCHORS, SOURCE_BLOCK_ID, CodeLink, code_link, fence


@dataclass(frozen=True)
class PaperUse:
    """How one paper's note points into a module: the targets and the steps."""

    paper: Paper
    links: tuple[CodeLink, ...]
    """Distinct targets into the module, in the order the note names them."""
    steps: int
    """Pseudo-code steps mapped into the module."""


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    lib, urls = ctx.lib, ctx.urls
    if not lib.code_modules:
        return
    anchors = str(ctx.options.get("line_anchors") or DEFAULT_LINE_ANCHORS)
    snippets = bool(ctx.options.get("snippets"))
    api_docs = bool(ctx.options.get("api_docs", True))
    uses = _uses(ctx, anchors)
    for module in lib.code_modules.values():
        path = urls.code_module(module.name)
        source = fence(module.source, block_id=SOURCE_BLOCK_ID, title=module.rel, snippets=snippets)
        content = ctx.page(
            "code_module.md.j2",
            path,
            module=module,
            uses=uses.get(module.name, []),
            source=source,
            api_docs=api_docs and _documentable(module, lib.code_modules),
        )
        yield OutputFile(path, content, title=module.name)
    index = [(m, uses.get(m.name, [])) for m in lib.code_modules.values()]
    yield OutputFile(
        urls.code_index,
        ctx.page("code.md.j2", urls.code_index, modules=index),
        title="Code",
        in_nav=True,
    )


def _uses(ctx: RenderContext, anchors: str) -> dict[str, list[PaperUse]]:
    """Module name -> the papers pointing into it, in the papers' listing order."""
    found: dict[str, list[PaperUse]] = {}
    for paper in ctx.lib.sorted_papers():
        links: dict[str, dict[str, CodeLink]] = {}
        steps: dict[str, int] = {}
        for key, target in code_targets(paper):
            link = code_link(ctx.lib, target, anchors)
            if link is None:
                continue
            links.setdefault(link.module.name, {}).setdefault(link.label + link.lines, link)
            if key.startswith("pseudocode/"):
                steps[link.module.name] = steps.get(link.module.name, 0) + 1
        for name, by_label in links.items():
            found.setdefault(name, []).append(
                PaperUse(paper, tuple(by_label.values()), steps.get(name, 0))
            )
    return found


def _documentable(module: CodeModule, modules: Mapping[str, CodeModule]) -> bool:
    """Whether mkdocstrings can load the module: griffe loads its parent packages
    first, so a parent whose __init__.py did not parse (reported already) breaks it.
    A parent folder without __init__.py is a namespace package and is fine."""
    parts = module.name.split(".")
    folder = Path(module.file).parent
    if module.rel.endswith("__init__.py"):
        folder = folder.parent
    for depth in range(len(parts) - 1, 0, -1):
        parent = ".".join(parts[:depth])
        if parent not in modules and (folder / "__init__.py").exists():
            return False
        folder = folder.parent
    return True
