"""Resolve the code targets notes name to modules, symbols and line ranges.

A target is a dotted name (`attention`, `attention.MultiHeadAttention.split_heads`)
or a path under a code root (`attention.py`, `pkg/mod.py#L10-L24`); a module or a
path may carry a line range. Every target that does not resolve is a diagnostic
at the note's line, with the closest known names as a hint. Paths are checked
before the file system is asked anything, and a path that leads out of the
code roots (`..`, absolute, or through a symbolic link) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..diagnostics import Diagnostics, did_you_mean
from ..model import CodeModule, CodeRef, Paper
from ..settings import Settings

__all__ = ["code_targets", "link_code", "resolve_target"]

_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
_LINES = re.compile(r"^L(\d+)(?:-L?(\d+))?$")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class TargetError:
    """Why a target does not resolve: a code, a message and a hint."""

    code: str
    message: str
    hint: str = ""


def code_targets(paper: Paper) -> list[tuple[str, str]]:
    """Every code target in a note, with its location key ('implementations/0/code')."""
    found = [
        (f"implementations/{i}/code", impl.code)
        for i, impl in enumerate(paper.implementations)
        if impl.code
    ]
    for a, alg in enumerate(paper.pseudocode):
        found += [
            (f"pseudocode/{a}/steps/{s}/code", step.code)
            for s, step in enumerate(alg.steps)
            if step.code
        ]
    return found


@dataclass(frozen=True)
class CodeLinks:
    refs: dict[str, CodeRef]
    """Every code target a note names that resolved -> where it points."""
    module_papers: dict[str, tuple[str, ...]]
    """Module name -> ids of the papers whose notes point into it."""


def link_code(
    papers: Mapping[str, Paper],
    modules: Mapping[str, CodeModule],
    settings: Settings,
    diags: Diagnostics,
) -> CodeLinks:
    """Resolve every note's code targets; each one that does not resolve is a diagnostic."""
    refs: dict[str, CodeRef | TargetError] = {}
    papers_of: dict[str, set[str]] = {}
    by_file = {m.file: m for m in modules.values()}
    for paper in papers.values():
        _check_implementations(paper, diags)
        for key, target in code_targets(paper):
            if target not in refs:
                refs[target] = resolve_target(target, modules, by_file, settings)
            ref = refs[target]
            if isinstance(ref, TargetError):
                loc = paper.where(key)
                diags.error(loc.path, loc.line, loc.col, ref.code, ref.message, ref.hint)
                continue
            papers_of.setdefault(ref.module, set()).add(paper.id)
    return CodeLinks(
        refs={t: r for t, r in sorted(refs.items()) if isinstance(r, CodeRef)},
        module_papers={m: tuple(sorted(ids)) for m, ids in sorted(papers_of.items())},
    )


def _check_implementations(paper: Paper, diags: Diagnostics) -> None:
    for i, impl in enumerate(paper.implementations):
        loc = paper.where(f"implementations/{i}")
        if not impl.code and not impl.repo:
            diags.warning(
                loc.path,
                loc.line,
                loc.col,
                "PL508",
                "an implementation needs `code:` (your code) or `repo:` (a link to someone else's)",
                "e.g. `- code: attention.MultiHeadAttention` or `- repo: https://github.com/...`",
            )
        elif impl.repo and not impl.repo.strip().lower().startswith(("http://", "https://")):
            loc = paper.where(f"implementations/{i}/repo")
            diags.warning(
                loc.path,
                loc.line,
                loc.col,
                "PL508",
                f"repo '{impl.repo}' is not an http(s) URL; it is shown as text, not linked",
                "write the repository's web address, e.g. https://github.com/owner/name",
            )


def resolve_target(
    target: str,
    modules: Mapping[str, CodeModule],
    by_file: dict[str, CodeModule],
    settings: Settings,
) -> CodeRef | TargetError:
    """Where a target points, or why it points nowhere."""
    text = target.strip()
    base, sep, fragment = text.partition("#")
    lines: tuple[int, int] | None = None
    if sep:
        match = _LINES.match(fragment)
        if not match:
            return TargetError(
                "PL504",
                f"expected a line range like #L10 or #L10-L24 after '#', but got '#{fragment}' in '{target}'",
                "write e.g. attention.py#L10-L24",
            )
        first = int(match.group(1))
        lines = (first, int(match.group(2) or first))
    if not base:
        return TargetError(
            "PL504",
            f"code target '{target}' names no module or file",
            "write e.g. attention.MultiHeadAttention",
        )
    if not settings.code_dirs:
        return TargetError(
            "PL501",
            f"code target '{target}' cannot resolve: this site has no code folder",
            "keep your code in notes_dir/code, or set the plugin option code_dirs",
        )
    if base.endswith(".py") or "/" in base or "\\" in base or not _DOTTED.match(base):
        found = _resolve_path(target, base, modules, by_file, settings)
        if isinstance(found, TargetError):
            return found
        module, symbol = found, None
    else:
        found_dotted = _resolve_dotted(target, base, modules)
        if isinstance(found_dotted, TargetError):
            return found_dotted
        module, symbol = found_dotted
    if symbol is not None:
        if lines is not None:
            return TargetError(
                "PL504",
                f"'{target}': a line range goes with a module or a file, not with a symbol",
                f"write {module.name}#L{lines[0]}-L{lines[1]} or {module.rel}#L{lines[0]}-L{lines[1]}",
            )
        sym = module.symbols[symbol]
        return CodeRef(target, module.name, symbol, sym.start, sym.end, sym.kind)
    if lines is None:
        return CodeRef(target, module.name, "", 1, max(module.line_count, 1), "module")
    start, end = lines
    if start < 1 or end < start or end > module.line_count:
        return TargetError(
            "PL504",
            f"lines {start}-{end} of '{target}' are not in {module.rel}, which has {module.line_count} lines",
            "line ranges are 1-based and inclusive, first line first: #L10-L24",
        )
    return CodeRef(target, module.name, "", start, end, "lines")


def _resolve_dotted(
    target: str, base: str, modules: Mapping[str, CodeModule]
) -> tuple[CodeModule, str | None] | TargetError:
    parts = base.split(".")
    for cut in range(len(parts), 0, -1):
        name = ".".join(parts[:cut])
        if name not in modules:
            continue
        module = modules[name]
        symbol = ".".join(parts[cut:])
        if not symbol:
            return module, None
        if symbol in module.symbols:
            return module, symbol
        hint = did_you_mean(base, _known_names(modules))
        return TargetError(
            "PL501",
            f"code target '{target}': module '{name}' ({module.path}) has no '{symbol}'",
            hint or f"it defines: {', '.join(sorted(module.symbols)[:8]) or 'nothing'}",
        )
    hint = did_you_mean(base, _known_names(modules))
    return TargetError(
        "PL501",
        f"code target '{target}': no module '{parts[0]}' in the code folders",
        hint or f"modules: {', '.join(sorted(modules)[:8]) or 'none'}",
    )


def _resolve_path(
    target: str,
    base: str,
    modules: Mapping[str, CodeModule],
    by_file: dict[str, CodeModule],
    settings: Settings,
) -> CodeModule | TargetError:
    posix = base.replace("\\", "/")
    if posix.startswith(("/", "~")) or _WINDOWS_DRIVE.match(posix):
        return TargetError(
            "PL502",
            f"code target '{target}' is an absolute path; only paths inside the code folders are allowed",
            "write the path relative to the code folder, e.g. attention.py#L10-L24",
        )
    parts = [p for p in PurePosixPath(posix).parts if p != "."]
    if ".." in parts:
        return TargetError(
            "PL502",
            f"code target '{target}' leaves the code folder with '..'",
            "write the path relative to the code folder, without '..'",
        )
    # Relative to a code folder first; then, as written in DESIGN-style notes
    # ('code/attention.py'), relative to the notes folder or the site root, as
    # long as the file lies in a code folder.
    real_roots = [root.resolve() for root in settings.code_dirs]
    bases: list[tuple[Path, Path | None]] = [(r, r.resolve()) for r in settings.code_dirs]
    bases += [(settings.notes_dir, None), (settings.root, None)]
    for folder, real_root in bases:
        candidate = folder.joinpath(*parts)
        if not candidate.exists() and not candidate.is_symlink():
            continue
        real = candidate.resolve()
        inside = (
            real.is_relative_to(real_root)
            if real_root
            else any(real.is_relative_to(r) for r in real_roots)
        )
        if not inside:
            if real_root is None and not candidate.is_symlink():
                return TargetError(
                    "PL502",
                    f"code target '{target}' is not inside a code folder",
                    "keep the code in a code folder (code_dirs) and name it relative to that folder",
                )
            return TargetError(
                "PL502",
                f"code target '{target}' leads outside the code folder through a symbolic link",
                "copy the file into the code folder instead of linking to it",
            )
        return _file_module(target, real, by_file)
    choices = [m.rel for m in modules.values()]
    return TargetError(
        "PL501",
        f"code target '{target}': no file '{'/'.join(parts)}' in the code folders",
        did_you_mean("/".join(parts), choices)
        or f"files: {', '.join(sorted(choices)[:8]) or 'none'}",
    )


def _file_module(
    target: str, real: Path, by_file: dict[str, CodeModule]
) -> CodeModule | TargetError:
    """The module of a file already checked to lie inside a code folder."""
    if real.is_dir():
        init = real / "__init__.py"
        if str(init) in by_file:
            return by_file[str(init)]
        return TargetError(
            "PL504", f"code target '{target}' is a folder, not a Python file", "name a .py file"
        )
    if real.suffix != ".py":
        return TargetError(
            "PL504",
            f"code target '{target}' is not a Python file (.py)",
            "code pages show Python modules",
        )
    if str(real) in by_file:
        return by_file[str(real)]
    return TargetError(
        "PL501",
        f"code target '{target}' names a file that has no code page",
        "see the problem reported for that file (not valid UTF-8 or Python, or not a module name)",
    )


def _known_names(modules: Mapping[str, CodeModule]) -> list[str]:
    names = list(modules)
    for module in modules.values():
        names += [f"{module.name}.{s}" for s in module.symbols]
    return names
