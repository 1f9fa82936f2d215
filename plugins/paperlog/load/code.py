"""The reader's code: every Python module under the code roots, parsed but never run.

Files are found by walking each root without following symbolic links out of
it, read as UTF-8 and parsed with `ast` for their classes, functions and
assignments with their line ranges. Nothing is imported, so building a site
never executes the reader's code. A file that cannot be used is reported and
left out; nothing outside the roots is read.
"""

from __future__ import annotations

import ast
import hashlib
import os
import warnings
from pathlib import Path

from ..diagnostics import Diagnostics
from ..model import CodeModule, CodeSymbol
from ..settings import Settings

__all__ = ["CodeCache", "load_code", "module_name"]

MAX_CODE_BYTES = 1024 * 1024
"""Larger files are reported and left out: a code page shows the whole file."""

_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules"})


class CodeCache:
    """Parsed modules by file content, so `mkdocs serve` re-parses only what changed."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[dict[str, CodeSymbol], str] | SyntaxError] = {}

    def parse(self, rel: str, text: str) -> tuple[dict[str, CodeSymbol], str] | SyntaxError:
        key = (rel, hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest())
        if key not in self._entries:
            self._entries[key] = _parse(text, rel)
        return self._entries[key]


def module_name(rel_parts: tuple[str, ...]) -> str | None:
    """'pkg/mod.py' (as parts) -> 'pkg.mod'; None when not an importable name."""
    *dirs, filename = rel_parts
    stem = filename[: -len(".py")]
    parts = [*dirs] if stem == "__init__" else [*dirs, stem]
    if not parts or not all(p.isidentifier() for p in parts):
        return None
    return ".".join(parts)


def load_code(
    settings: Settings, diags: Diagnostics, cache: CodeCache | None = None
) -> dict[str, CodeModule]:
    """Every usable module under the code roots, by dotted name (first root wins)."""
    cache = cache or CodeCache()
    modules: dict[str, CodeModule] = {}
    for root in settings.code_dirs:
        if not root.is_dir():
            diags.error(
                settings.rel(root),
                0,
                0,
                "PL505",
                f"code folder '{settings.rel(root)}' does not exist",
                "create it, or fix the plugin option code_dirs",
            )
            continue
        for path, rel_parts in _python_files(root, settings, diags):
            name = module_name(rel_parts)
            shown = _shown(path, settings)
            if name is None:
                diags.info(
                    shown,
                    0,
                    0,
                    "PL507",
                    f"'{'/'.join(rel_parts)}' is not an importable module name; it gets no code page",
                    "use letters, digits and '_' in file and folder names",
                )
                continue
            if name in modules:
                diags.warning(
                    shown,
                    0,
                    0,
                    "PL506",
                    f"module '{name}' is also defined by {modules[name].path}; that one is used",
                    "rename one of them, or drop a code root",
                )
                continue
            module = _load_module(path, shown, name, "/".join(rel_parts), diags, cache)
            if module is not None:
                modules[name] = module
    return dict(sorted(modules.items()))


def _python_files(
    root: Path, settings: Settings, diags: Diagnostics
) -> list[tuple[Path, tuple[str, ...]]]:
    """The .py files under root, sorted, refusing symbolic links that lead out of it."""
    found: list[tuple[Path, tuple[str, ...]]] = []
    real_root = root.resolve()
    # os.walk does not follow directory symlinks (followlinks=False), so a link
    # to a folder elsewhere is never descended into; it is reported below.
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        kept = []
        for d in sorted(dirnames):
            if d.startswith(".") or d in _SKIPPED_DIRS:
                continue
            if (here / d).is_symlink():
                _check_link(here / d, real_root, settings, diags)
                continue
            kept.append(d)
        dirnames[:] = kept
        for f in sorted(filenames):
            if not f.endswith(".py") or f.startswith("."):
                continue
            path = here / f
            if path.is_symlink() and not _check_link(path, real_root, settings, diags):
                continue
            found.append((path, path.relative_to(root).parts))
    return sorted(found, key=lambda item: item[1])


def _check_link(path: Path, real_root: Path, settings: Settings, diags: Diagnostics) -> bool:
    """True when a symbolic link stays inside its code root; reported otherwise."""
    target = path.resolve()
    if target.is_relative_to(real_root):
        # A linked folder inside the root is walked once, under its own name.
        return not target.is_dir()
    shown = _shown(path, settings)
    diags.warning(
        shown,
        0,
        0,
        "PL502",
        f"'{shown}' is a symbolic link that leads outside the code folder; it is not read or published",
        "copy the file into the code folder instead of linking to it",
    )
    return False


def _shown(path: Path, settings: Settings) -> str:
    """The path as the user wrote it: a symbolic link by its own name, not its target's."""
    return f"{settings.rel(path.parent)}/{path.name}"


def _load_module(
    path: Path, shown: str, name: str, rel: str, diags: Diagnostics, cache: CodeCache
) -> CodeModule | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(shown, 0, 0, "PL503", f"cannot read code file: {exc.strerror or exc}")
        return None
    if len(data) > MAX_CODE_BYTES:
        diags.error(
            shown,
            1,
            1,
            "PL503",
            f"code file is {len(data):,} bytes; code pages are limited to {MAX_CODE_BYTES:,}",
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(
            shown,
            line,
            col,
            "PL503",
            f"code file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8",
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parsed = cache.parse(rel, text)
    if isinstance(parsed, SyntaxError):
        diags.error(
            shown,
            parsed.lineno or 0,
            parsed.offset or 0,
            "PL503",
            f"code file is not valid Python: {parsed.msg}",
            "fix the syntax error; the module gets no code page until then",
        )
        return None
    symbols, docstring = parsed
    return CodeModule(name, shown, rel, text, symbols, docstring, str(path.resolve()))


def _parse(text: str, rel: str) -> tuple[dict[str, CodeSymbol], str] | SyntaxError:
    try:
        with warnings.catch_warnings():
            # Invalid escape sequences in the reader's code are theirs to fix, not a build error.
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(text, filename=rel)
    except SyntaxError as exc:
        return exc
    except (ValueError, RecursionError) as exc:  # a NUL byte, or nesting too deep for the parser
        return SyntaxError(str(exc) or type(exc).__name__)
    symbols: dict[str, CodeSymbol] = {}
    _collect(tree.body, "", False, symbols)
    return symbols, ast.get_docstring(tree) or ""


def _collect(body: list[ast.stmt], prefix: str, in_class: bool, out: dict[str, CodeSymbol]) -> None:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            name = prefix + node.name
            if isinstance(node, ast.ClassDef):
                kind = "class"
            else:
                kind = "method" if in_class else "function"
            # setdefault: the first definition wins, as in `if/else` fallbacks.
            out.setdefault(name, CodeSymbol(name, kind, start, node.end_lineno or node.lineno))
            if isinstance(node, ast.ClassDef):
                _collect(node.body, name + ".", True, out)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    name = prefix + target.id
                    out.setdefault(
                        name,
                        CodeSymbol(name, "attribute", node.lineno, node.end_lineno or node.lineno),
                    )
        elif isinstance(node, (ast.If, ast.Try, ast.With)) and not in_class:
            # Definitions under `if TYPE_CHECKING:` or `try: ... except ImportError:`
            # are still the module's.
            for block in _blocks(node):
                _collect(block, prefix, in_class, out)


def _blocks(node: ast.If | ast.Try | ast.With) -> list[list[ast.stmt]]:
    if isinstance(node, ast.If):
        return [node.body, node.orelse]
    if isinstance(node, ast.Try):
        return [node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody]
    return [node.body]
