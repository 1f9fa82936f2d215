"""LaTeX in BibTeX fields -> Unicode text, through pylatexenc.

BibTeX values are LaTeX: `Bj{\\"o}rn`, `Erd{\\H{o}}s`, `{BERT}`, `1--10`,
`$\\alpha$`. Readers expect `Björn`, `Erdős`, `BERT`, an en dash and math kept as
math (`$...$` stays, our Markdown math extension renders it).

pylatexenc does the conversion, but a full parse costs about half a
millisecond per string, more than bibtexparser spends on a whole entry. Most
values hold nothing but protective braces and a few accent commands, so a
single regular-expression pass handles those: each accent or symbol command
it finds (a handful of distinct ones per library) is converted once by
pylatexenc and remembered. Anything else (`\\emph{}`, math, unbalanced braces,
unknown commands) takes the full pylatexenc path, also remembered.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import (
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexWalker,
    LatexWalkerError,
)
from pylatexenc.macrospec import MacroSpec

# Accent commands with one argument: `\"o`, `\"{o}`, `\'\i`, `\H{o}`, `\c c`, `\t{oo}`.
_ACCENT = r"""\\[`'^"~=.](?:\s*\{\s*(?:\\[ij]|[A-Za-z])?\s*\}|\s*\\[ij](?![A-Za-z])|[A-Za-z])"""
_LETTER_ACCENT = r"""\\[HckuvrdbtG](?:\s*\{\s*(?:\\[ij]|[A-Za-z]{1,2})?\s*\}|\s+[A-Za-z])"""
_MATH = re.compile(r"(?<!\\)(\$\$?)(?!\s)(?:\\.|[^$\\])+?(?<!\\)\1", re.S)
# Text-style commands whose argument is the text: drop the command, keep the braces.
_FORMATTING = re.compile(
    r"\\(?:emph|textit|textbf|textsl|textsc|texttt|textsf|textrm|textup|textmd|textnormal|mbox|hbox"
    r"|uppercase|lowercase|MakeUppercase|MakeLowercase|NoCaseChange|mkbibemph|mkbibitalic|mkbibbold|textsuperscript|textsubscript)\s*(?=\{)"
)
_SPACES = re.compile(r"[ \t\r\n]+")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_VERBATIM_ESCAPE = re.compile(r"\\([&%_#$~])")

# Applied in this order after the commands are converted: longest dash first.
_SIMPLE = (
    ("{", ""),
    ("}", ""),
    ("---", "\u2014"),
    ("--", "\u2013"),
    ("~", "\u00a0"),
    ("``", "\u201c"),
    ("''", "\u201d"),
)

# Commands common in .bib files that pylatexenc's text converter does not
# know; without these it would drop `\mbox{IEEE}` and its argument.
_PASS_THROUGH = (
    "texttt", "textsf", "textup", "textmd", "textnormal", "path", "textsuperscript", "textsubscript",
    "uppercase", "lowercase", "MakeUppercase", "MakeLowercase", "NoCaseChange", "mkbibemph", "mkbibitalic", "mkbibbold",
)  # fmt: skip
_SWITCHES = (
    "tt",
    "it",
    "bf",
    "em",
    "sc",
    "rm",
    "sf",
    "sl",
    "itshape",
    "bfseries",
    "scshape",
    "upshape",
    "normalfont",
)
_WORDS = {
    "slash": "/", "hyphen": "-", "textunderscore": "_", "textbar": "|", "textless": "<", "textgreater": ">",
    "textquotedbl": '"', "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e",
}  # fmt: skip
_BIBTEX_MACROS = [
    *(MacroTextSpec(name, "%s") for name in _PASS_THROUGH),
    *(MacroTextSpec(name, "") for name in _SWITCHES),
    *(MacroTextSpec(name, text) for name, text in _WORDS.items()),
    MacroTextSpec("enquote", "\u201c%s\u201d"),
    MacroTextSpec("mkbibquote", "\u201c%s\u201d"),
    MacroTextSpec("mbox", "%s"),
    MacroTextSpec("hbox", "%s"),
    MacroTextSpec("relax", ""),
    MacroTextSpec("protect", ""),
    MacroTextSpec("noopsort", discard=True),
    MacroTextSpec("natexlab", "%s"),
    MacroTextSpec("bibinfo", "%(2)s"),
]
_BIBTEX_MACRO_ARGS = [
    *(MacroSpec(name, "{") for name in (*_PASS_THROUGH, "enquote", "mkbibquote")),
    MacroSpec("mbox", "{"),
    MacroSpec("hbox", "{"),
    MacroSpec("noopsort", "{"),
    MacroSpec("natexlab", "{"),
    MacroSpec("bibinfo", "{{"),
]


Decoded = tuple[str, str]
"""A value as Unicode text, and what could not be decoded ('' when all went well).

A plain tuple: tens of thousands are made per library, and tuples cost least."""


_ATOM_TEXT: dict[str, str] = {}
"""pylatexenc's text for each accent or symbol command met so far (`{\\"o}` -> 'ö'), for
the whole process: like a compiled regular expression, it depends on nothing else."""


@dataclass(frozen=True)
class _Tables:
    l2t: LatexNodes2Text
    parse_db: object
    known: frozenset[str]
    atoms: re.Pattern[str]


@functools.lru_cache(maxsize=1)
def _tables() -> _Tables:
    """pylatexenc's converter and, from its tables, the commands the quick path may convert."""
    from pylatexenc.latexwalker import get_default_latex_context_db as walker_db

    text_db = get_default_latex_context_db().filter_context()
    text_db.add_context_category("paperlog-bibtex", macros=_BIBTEX_MACROS, prepend=True)
    # Unknown commands keep the text of their arguments instead of vanishing.
    text_db.set_unknown_macro_spec(MacroTextSpec("", discard=False))
    parse_db = walker_db().filter_context()
    parse_db.add_context_category("paperlog-bibtex", macros=_BIBTEX_MACRO_ARGS, prepend=True)
    # Commands without arguments that stand for fixed text (`\ss`, `\ldots`,
    # `\textendash`): the quick path converts each once through pylatexenc.
    words, others = [], []
    for spec in text_db.iter_macro_specs():
        name, repl = spec.macroname, spec.simplify_repl
        if not isinstance(repl, str) or "%" in repl or name in ("{", "}"):
            continue
        parse_spec = parse_db.get_macro_spec(name)
        if parse_spec is not None and getattr(parse_spec.args_parser, "argspec", "") != "":
            continue
        if name.isalpha():
            words.append(name)
        elif len(name) == 1:
            others.append(name)
    words.sort(key=lambda w: (-len(w), w))
    # LaTeX eats the spaces after a command word; `{}` after it is often written to stop that.
    symbol = r"\\(?:" + "|".join(words) + r")(?![A-Za-z])(?:\s*\{\}|[ \t\n]*)"
    escape = r"\\[" + re.escape("".join(sorted({*others, *"&%_#$"}))) + "]"
    atoms = re.compile(f"{_ACCENT}|{_LETTER_ACCENT}|{symbol}|{escape}")
    known = frozenset(spec.macroname for spec in text_db.iter_macro_specs())
    return _Tables(
        LatexNodes2Text(latex_context=text_db, math_mode="verbatim"), parse_db, known, atoms
    )


class LatexDecoder:
    """Converts field values, remembering every result (values repeat a lot)."""

    def __init__(self) -> None:
        tables = _tables()
        self._l2t, self._parse_db, self._known, self._atoms_re = (
            tables.l2t,
            tables.parse_db,
            tables.known,
            tables.atoms,
        )
        self._memo: dict[str, Decoded] = {}
        self._atoms = _ATOM_TEXT

    def __len__(self) -> int:
        return len(self._memo)

    def decode(self, value: str) -> Decoded:
        """Unicode text for a LaTeX value: braces gone, accents and dashes converted, math kept."""
        if not needs_decoding(value):
            return (_squeeze(value), "")
        found = self._memo.get(value)
        if found is None:
            if len(self._memo) > 500_000:
                self._memo.clear()  # a long `mkdocs serve` session must not grow forever
            found = self._memo[value] = self._convert(value)
        return found

    def _convert(self, value: str) -> Decoded:
        if value.count("{") != value.count("}"):
            return self._full(value)
        if "$" not in value:
            text = self._text(value)
            return self._full(value) if text is None else (_normalize(text), "")
        # Math stays as written (the Markdown math extension renders it); the
        # text around it is converted.
        out: list[str] = []
        pos = 0
        for m in _MATH.finditer(value):
            text = self._text(value[pos : m.start()])
            if text is None:
                return self._full(value)
            out.append(text)
            out.append(m.group(0))
            pos = m.end()
        text = self._text(value[pos:])
        if text is None:
            return self._full(value)
        out.append(text)
        return (_normalize("".join(out)), "")

    def _text(self, value: str) -> str | None:
        """Text without math, converted by the quick path; None when it needs pylatexenc."""
        if "$" in value and "$" in value.replace("\\$", ""):
            return None  # a lone dollar sign: let pylatexenc decide
        if "\\" in value:
            value = _FORMATTING.sub("", value)
            if "\\" in self._atoms_re.sub("", value):
                return None
            value = self._atoms_re.sub(self._atom, value)
        for old, new in _SIMPLE:
            if old in value:
                value = value.replace(old, new)
        return value

    def _atom(self, m: re.Match[str]) -> str:
        atom = m.group(0)
        found = self._atoms.get(atom)
        if found is None:
            # A command word may have eaten the spaces after it; `\ ` is a space itself.
            found = self._atoms[atom] = self._l2t.latex_to_text(
                atom.rstrip() if atom[1:2].isalpha() else atom
            )
        return found

    def _full(self, value: str) -> Decoded:
        # In .bib data a bare % is a percent sign, not the start of a TeX comment.
        latex = _BARE_PERCENT.sub(r"\\%", value)
        problem = ""
        try:
            nodes = LatexWalker(
                latex, latex_context=self._parse_db, tolerant_parsing=False
            ).get_latex_nodes()[0]
        except LatexWalkerError as exc:
            problem = (
                "unbalanced braces"
                if value.count("{") != value.count("}")
                else _first_line(str(exc))
            )
            try:
                nodes = LatexWalker(
                    latex, latex_context=self._parse_db, tolerant_parsing=True
                ).get_latex_nodes()[0]
            except (
                LatexWalkerError
            ):  # pragma: no cover - tolerant parsing does not raise in practice
                return (_normalize(latex.replace("{", "").replace("}", "")), problem)
        unknown = sorted(self._unknown_macros(nodes))
        if unknown and not problem:
            problem = (
                "unknown LaTeX command"
                + ("s " if len(unknown) > 1 else " ")
                + ", ".join(f"\\{m}" for m in unknown)
            )
        try:
            text = self._l2t.nodelist_to_text(nodes)
        except Exception as exc:  # pylatexenc raises assorted errors on odd input
            problem = problem or _first_line(str(exc)) or type(exc).__name__
            text = latex.replace("{", "").replace("}", "")
        return (_normalize(text), problem)

    def _unknown_macros(self, nodes: list[object]) -> set[str]:
        found: set[str] = set()
        stack = list(nodes)
        while stack:
            node = stack.pop()
            if node is None or isinstance(node, (LatexCommentNode, LatexMathNode)):
                continue
            if isinstance(node, LatexMacroNode):
                if node.macroname not in self._known:
                    found.add(node.macroname)
                args = getattr(node.nodeargd, "argnlist", None) or []
                stack.extend(args)
            elif isinstance(node, (LatexGroupNode, LatexEnvironmentNode)):
                stack.extend(node.nodelist)
        return found


def needs_decoding(value: str) -> bool:
    """Whether a value holds anything LaTeX-ish; most do not.

    A chain of `in` tests: about four times faster than a regular expression
    with alternatives, and it runs for every field of every entry.
    """
    return (
        "{" in value
        or "\\" in value
        or "$" in value
        or "~" in value
        or "--" in value
        or "``" in value
        or "''" in value
        or "}" in value
    )


def verbatim(value: str) -> str:
    """A URL, DOI or file field: protective braces and backslash escapes removed, nothing else."""
    if "{" in value or "\\" in value:
        value = _VERBATIM_ESCAPE.sub(r"\1", value.replace("{", "").replace("}", ""))
    return value.strip()


def _squeeze(text: str) -> str:
    """Runs of spaces and line breaks as one space (fields often wrap), ends stripped."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        return _SPACES.sub(" ", text).strip()
    return text.strip()


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFC", _squeeze(text))


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
