"""Code roots and code targets without MkDocs: parsing, resolution, safety, results."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paperlog.diagnostics import CODES, Diagnostics
from paperlog.link.code import resolve_target
from paperlog.load.code import load_code, module_name
from paperlog.model import Result
from paperlog.render.codeviews import escape_snippets, fence, result_view
from paperlog.settings import Settings

ATTENTION = '''\
"""Attention."""

import numpy as np

SCALE = 2.0


def softmax(x):
    return x


@staticmethod
def scaled_dot_product_attention(q, k, v):
    """Attend."""
    return q


class MultiHeadAttention:
    heads: int = 8

    def forward(self, x):
        return x

    async def later(self):
        pass


try:
    from fast import kernel
except ImportError:
    def kernel():
        return None
'''


def make_roots(tmp_path: Path) -> Settings:
    code = tmp_path / "notes" / "code"
    (code / "pkg" / "sub").mkdir(parents=True)
    (code / "attention.py").write_text(ATTENTION, "utf-8")
    (code / "pkg" / "__init__.py").write_text('"""A package."""\n', "utf-8")
    (code / "pkg" / "mod.py").write_text("def f():\n    return 1\n", "utf-8")
    (code / "pkg" / "sub" / "deep.py").write_text("X = 1\n", "utf-8")  # namespace folder
    (code / "my-script.py").write_text("print(1)\n", "utf-8")
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "attention.py").write_text("nope\n", "utf-8")
    (tmp_path / "secret.py").write_text("TOKEN = 'do-not-publish'\n", "utf-8")
    return Settings.for_root(tmp_path)


def test_every_module_is_found_with_its_symbols_and_lines(tmp_path):
    diags = Diagnostics()
    modules = load_code(make_roots(tmp_path), diags)
    assert list(modules) == ["attention", "pkg", "pkg.mod", "pkg.sub.deep"]
    attention = modules["attention"]
    assert attention.path == "notes/code/attention.py" and attention.docstring == "Attention."
    spans = {name: (s.kind, s.start, s.end) for name, s in attention.symbols.items()}
    assert spans["SCALE"] == ("attribute", 5, 5)
    assert spans["softmax"] == ("function", 8, 9)
    # A decorated function starts at its first decorator.
    assert spans["scaled_dot_product_attention"] == ("function", 12, 15)
    assert spans["MultiHeadAttention"] == ("class", 18, 25)
    assert spans["MultiHeadAttention.heads"] == ("attribute", 19, 19)
    assert spans["MultiHeadAttention.forward"] == ("method", 21, 22)
    assert spans["MultiHeadAttention.later"] == ("method", 24, 25)
    assert spans["kernel"] == ("function", 31, 32)  # defined in an except block
    # my-script.py cannot be imported: reported as info, no module.
    assert [(d.code, d.path) for d in diags] == [("PL507", "notes/code/my-script.py")]


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (("a.py",), "a"),
        (("pkg", "__init__.py"), "pkg"),
        (("pkg", "m.py"), "pkg.m"),
        (("my-script.py",), None),
        (("2fast.py",), None),
        (("__init__.py",), None),
    ],
)
def test_module_names(parts, name):
    assert module_name(parts) == name


RESOLVED = [
    ("attention", "attention", "", 1, 32, "module"),
    ("attention.softmax", "attention", "softmax", 8, 9, "function"),
    (
        "attention.MultiHeadAttention.forward",
        "attention",
        "MultiHeadAttention.forward",
        21,
        22,
        "method",
    ),
    ("attention#L8-L9", "attention", "", 8, 9, "lines"),
    ("attention.py", "attention", "", 1, 32, "module"),
    ("attention.py#L12", "attention", "", 12, 12, "lines"),
    ("attention.py#L12-15", "attention", "", 12, 15, "lines"),
    ("./pkg/mod.py#L1-L2", "pkg.mod", "", 1, 2, "lines"),
    ("pkg", "pkg", "", 1, 1, "module"),
    ("pkg/", "pkg", "", 1, 1, "module"),
    ("pkg.mod.f", "pkg.mod", "f", 1, 2, "function"),
    ("pkg.sub.deep.X", "pkg.sub.deep", "X", 1, 1, "attribute"),
    # As the note format (docs/guide/code.md) writes them: relative to the notes folder or the site root.
    ("code/attention.py#L8-L9", "attention", "", 8, 9, "lines"),
    ("notes/code/pkg/mod.py", "pkg.mod", "", 1, 2, "module"),
]


@pytest.mark.parametrize(("target", "module", "symbol", "start", "end", "kind"), RESOLVED)
def test_targets_resolve(tmp_path, target, module, symbol, start, end, kind):
    settings = make_roots(tmp_path)
    modules = load_code(settings, Diagnostics())
    ref = resolve_target(target, modules, {m.file: m for m in modules.values()}, settings)
    assert (ref.module, ref.symbol, ref.start, ref.end, ref.kind) == (
        module,
        symbol,
        start,
        end,
        kind,
    )


BROKEN = [
    (
        "attention.scaled_dot_product_attn",
        "PL501",
        "did you mean 'attention.scaled_dot_product_attention'",
    ),
    ("attention.MultiHeadAttention.fwd", "PL501", "has no 'MultiHeadAttention.fwd'"),
    ("atention.softmax", "PL501", "did you mean 'attention.softmax'"),
    ("nothing.here", "PL501", "no module 'nothing'"),
    ("atention.py", "PL501", "did you mean 'attention.py'"),
    ("my-script.py", "PL501", "has no code page"),
    ("../secret.py", "PL502", "leaves the code folder with '..'"),
    ("pkg/../../../secret.py", "PL502", "'..'"),
    ("/etc/passwd", "PL502", "absolute path"),
    ("C:\\Windows\\win.ini", "PL502", "absolute path"),
    ("~/secret.py", "PL502", "absolute path"),
    ("secret.py", "PL502", "is not inside a code folder"),  # exists at the site root
    ("notes/code/../../secret.py", "PL502", "'..'"),
    ("attention.py#L40", "PL504", "which has 32 lines"),
    ("attention.py#L9-L8", "PL504", "not in attention.py"),
    ("attention.py#10", "PL504", "expected a line range like #L10"),
    ("attention.softmax#L1", "PL504", "not with a symbol"),
    ("pkg/sub", "PL504", "is a folder"),
    ("#L3", "PL504", "names no module or file"),
]


@pytest.mark.parametrize(("target", "code", "text"), BROKEN)
def test_broken_targets_explain_themselves(tmp_path, target, code, text):
    settings = make_roots(tmp_path)
    modules = load_code(settings, Diagnostics())
    error = resolve_target(target, modules, {m.file: m for m in modules.values()}, settings)
    assert error.code == code
    assert text in error.message + " " + error.hint
    assert code in CODES


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_symlinks_out_of_the_root_are_refused_and_never_read(tmp_path):
    settings = make_roots(tmp_path)
    code = settings.code_dirs[0]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "leak.py").write_text("TOKEN = 'do-not-publish'\n", "utf-8")
    (code / "leak.py").symlink_to(tmp_path / "secret.py")
    (code / "linked").symlink_to(outside, target_is_directory=True)
    (code / "inside.py").symlink_to(code / "pkg" / "mod.py")  # stays inside: fine
    diags = Diagnostics()
    modules = load_code(settings, diags)
    assert "leak" not in modules and "linked.leak" not in modules and "inside" in modules
    assert not any("do-not-publish" in m.source for m in modules.values())
    refused = sorted(d.path for d in diags if d.code == "PL502")
    assert refused == ["notes/code/leak.py", "notes/code/linked"]
    by_file = {m.file: m for m in modules.values()}
    for target in ("leak.py", "linked/leak.py"):
        error = resolve_target(target, modules, by_file, settings)
        assert error.code == "PL502" and "symbolic link" in error.message


def test_unreadable_code_is_reported_not_crashed_on(tmp_path):
    settings = make_roots(tmp_path)
    code = settings.code_dirs[0]
    (code / "latin.py").write_bytes(b"# caf\xe9\nX = 1\n")
    (code / "broken.py").write_text("def f(:\n    pass\n", "utf-8")
    (code / "nul.py").write_bytes(b"X = 1\x00\n")
    diags = Diagnostics()
    modules = load_code(settings, diags)
    assert not {"latin", "broken", "nul"} & set(modules)
    found = {d.path: d for d in diags if d.code == "PL503"}
    assert "not valid UTF-8 (byte 0xe9)" in found["notes/code/latin.py"].message
    assert (found["notes/code/latin.py"].line, found["notes/code/latin.py"].col) == (1, 6)
    assert "not valid Python" in found["notes/code/broken.py"].message
    assert found["notes/code/broken.py"].line == 1
    assert "notes/code/nul.py" in found


def test_missing_code_folder_is_reported(tmp_path):
    (tmp_path / "notes").mkdir()
    settings = Settings.for_root(tmp_path, code_dirs=["src"])
    diags = Diagnostics()
    assert load_code(settings, diags) == {}
    assert [(d.code, d.path) for d in diags] == [("PL505", "src")]


@pytest.mark.parametrize(
    ("result", "difference", "relative", "verdict"),
    [
        (Result("BLEU", 28.4, 27.1), "\u22121.3", "\u22124.6\u202f%", "within"),
        (Result("BLEU", 28.4, 25.0), "\u22123.4", "\u221212\u202f%", "worse"),
        (Result("BLEU", 28.4, 30.0), "+1.6", "+5.6\u202f%", "better"),
        (Result("error", 10, 12, higher_is_better=False), "+2", "+20\u202f%", "worse"),
        (Result("error", 10, 8, higher_is_better=False), "\u22122", "\u221220\u202f%", "better"),
        (Result("var", 64, 63.98), "\u22120.02", "\u22120.031\u202f%", "within"),
        (Result("mean", 0, 3.16e-16), "+3.16e-16", "", "within"),  # reported 0: absolute difference
        (Result("mean", 0, 0.2), "+0.2", "", "better"),
        (Result("BLEU", 27.3, None), "", "", "not-reproduced"),
        (Result("loss", None, 1.5), "", "", "no-reference"),
        (Result("x", 1.0, 1.05), "+0.05", "+5.0\u202f%", "within"),  # the boundary is inside
    ],
)
def test_result_differences_and_verdicts(result, difference, relative, verdict):
    view = result_view(result, 0.05)
    assert (view.difference, view.relative, view.verdict) == (difference, relative, verdict)


def test_fence_survives_backticks_and_snippet_markers():
    text = 'x = "```"\n# --8<-- [start:part]\n--8<-- "secret.txt"\ny = 1'
    block = str(fence(text, start=7, block_id="pl-src", title='a "b".py', snippets=True))
    first, *body, last = block.split("\n")
    assert first == '```` { .python #pl-src linenums="7" title="a \'b\'.py" }' and last == "````"
    assert body == ['x = "```"', "# ;--8<-- [start:part]", ';--8<-- "secret.txt"', "y = 1"]
    assert escape_snippets("s = '--8<--x'") == "s = '--8<--x'"
