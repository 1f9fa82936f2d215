"""Problems found in a user's input, as data.

Every layer collects problems instead of raising them, so a build or a
`paperlog check` reports all of them at once. A problem prints on one
parsable line, `path:line:col: level[CODE] message`, optionally followed by
a hint and the offending source line with a caret.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


class Level(enum.IntEnum):
    """How bad a problem is; the order matters for exit codes and sorting."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


# Stable codes a user can look up in the guide (docs/guide/diagnostics.md).
# The hundreds group them: 1xx notes, 2xx references, 3xx BibTeX, 4xx arXiv,
# 5xx code, 6xx site files (topics, glossary, readers, authors; 64x sessions) and site output.
CODES: dict[str, str] = {
    "PL100": "file cannot be read or decoded",
    "PL101": "YAML syntax error",
    "PL102": "file is empty or not a mapping",
    "PL103": "unknown field",
    "PL104": "value has the wrong type or is not allowed",
    "PL105": "duplicate key in a mapping",
    "PL106": "two notes have the same id",
    "PL107": "YAML too large or too deeply nested (aliases)",
    "PL108": "paper has no title",
    "PL109": "invalid date",
    "PL110": "figure file is missing or outside the notes folder",
    "PL111": "two notes describe the same paper (same arXiv id, DOI or normalized title)",
    "PL112": "text holds invisible control characters (NUL, escape, bidirectional override, ...); they were removed",
    "PL201": "reference to an unknown paper",
    "PL202": "reference to an unknown topic",
    "PL203": "reference to an unknown glossary term",
    "PL204": "reference to an unknown reader",
    "PL205": "citation cycle (info)",
    "PL300": "BibTeX file cannot be read",
    "PL301": "bibkey names no entry of any .bib file",
    "PL302": "malformed BibTeX block or field (the other entries still load)",
    "PL303": "duplicate BibTeX key (the first one read wins)",
    "PL304": "field repeated in a BibTeX entry (the first value wins)",
    "PL305": "undefined or redefined @string macro",
    "PL306": "crossref to a missing entry, or a crossref cycle",
    "PL307": "LaTeX that cannot be decoded (shown as plain text)",
    "PL308": ".bib file is not UTF-8 (read as Latin-1 or its declared encoding)",
    "PL310": "citation of an unknown key ([@key] in a page or note)",
    "PL401": "arXiv cache cannot be read or is not a JSON object",
    "PL402": "arXiv cache record is malformed",
    "PL403": "arXiv id not in the cache yet (info: run `paperlog refresh`)",
    "PL404": "arXiv cache record holds invisible control characters; they were removed",
    "PL501": "code target names a module, symbol or file that does not exist",
    "PL502": "code path leads outside the code folders ('..', absolute, symbolic link)",
    "PL503": "code file cannot be read, is not valid UTF-8 or not valid Python",
    "PL504": "malformed code target or line range outside the file",
    "PL505": "code folder does not exist",
    "PL506": "two code folders define the same module",
    "PL507": "code file name is not an importable module name (info)",
    "PL508": "implementation without code or repo, or repo that is not an http(s) URL",
    "PL600": "a path in the plugin options leads outside the site folder ('..', absolute, symbolic link); it is not read",
    "PL640": "sessions.yaml is not a list of meetings",
    "PL641": "meeting has an unknown field or a value of the wrong type",
    "PL642": "meeting has an invalid date, time or time zone",
    "PL643": "meeting names an unknown paper",
    "PL644": "meeting's presenter is not in readers.yaml",
    "PL645": "two meetings have the same id",
    "PL610": "two glossary terms share a name or alias (the first one keeps it)",
    "PL630": "authors.yaml lists a name under two canonical names",
    "PL631": "authors.yaml names an author no note has (info)",
    "PL632": "an author name fits two different people and is not merged (info)",
    "PL650": "the Atom feed is not written: the site has no site_url (info)",
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, at a line and column (both 1-based; 0 = unknown)."""

    path: str
    line: int
    col: int
    level: Level
    code: str
    message: str
    hint: str = field(default="", compare=False)

    def format(self) -> str:
        """The one-line, compiler-style form: `path:line:col: level[code] message`."""
        # One line, whatever the message quotes from the input (tools split on lines).
        message = (
            " ".join(self.message.splitlines())
            if "\n" in self.message or "\r" in self.message
            else self.message
        )
        return f"{self.path}:{self.line}:{self.col}: {self.level}[{self.code}] {message}"

    def format_github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the file."""
        kind = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}[self.level]
        message = self.message + (f" ({self.hint})" if self.hint else "")
        return (
            f"::{kind} file={_gh_property(self.path)},line={self.line},col={self.col},"
            f"title={self.code}::{_gh_data(message)}"
        )

    def format_human(self, source_lines: Sequence[str] | None = None) -> str:
        """The one-line form, then the hint and the offending line with a caret."""
        out = [self.format()]
        if source_lines and 0 < self.line <= len(source_lines):
            text = source_lines[self.line - 1].rstrip("\r\n")
            col = min(max(self.col - 1, 0), len(text))
            if len(text) > _SHOWN:
                # A 10 MB line (minified JSON, a generated file) is shown around the column.
                start = max(0, min(col - _SHOWN // 2, len(text) - _SHOWN))
                text, col = (
                    ("..." if start else "") + text[start : start + _SHOWN] + "...",
                    col - start + (3 if start else 0),
                )
            out.append(f"    {text}")
            out.append("    " + " " * col + "^")
        if self.hint:
            out.append(f"    hint: {self.hint}")
        return "\n".join(out)


_SHOWN = 160
"""Characters of an offending line shown under a problem."""


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


class Diagnostics:
    """A growing list of problems, shared by the layers of one build."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def add(
        self,
        path: str,
        line: int,
        col: int,
        code: str,
        message: str,
        *,
        hint: str = "",
        level: Level = Level.ERROR,
    ) -> None:
        self._items.append(Diagnostic(path, line, col, level, code, message, hint))

    def error(
        self, path: str, line: int, col: int, code: str, message: str, hint: str = ""
    ) -> None:
        self.add(path, line, col, code, message, hint=hint, level=Level.ERROR)

    def warning(
        self, path: str, line: int, col: int, code: str, message: str, hint: str = ""
    ) -> None:
        self.add(path, line, col, code, message, hint=hint, level=Level.WARNING)

    def info(self, path: str, line: int, col: int, code: str, message: str, hint: str = "") -> None:
        self.add(path, line, col, code, message, hint=hint, level=Level.INFO)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    def sorted(self) -> list[Diagnostic]:
        """Every problem, deduplicated, by file then position."""
        return sorted(set(self._items))

    def __iter__(self):
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self._items)

    @property
    def has_errors(self) -> bool:
        return any(d.level is Level.ERROR for d in self._items)

    @property
    def has_warnings(self) -> bool:
        return any(d.level is Level.WARNING for d in self._items)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest choices to a misspelt word, or an empty string."""
    return Suggestions(choices)(word)


class Suggestions:
    """`did_you_mean` over one set of choices, indexed once for many misspelt words.

    A site with thousands of notes and many unknown references would otherwise
    scan every key once per reference: quadratic.
    """

    LARGE = 200
    """Above this many choices only those with the same first letter and a similar length are compared."""

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = list(choices)
        self._by_first: dict[str, list[str]] | None = None

    def candidates(self, word: str) -> list[str]:
        if len(self.choices) <= self.LARGE:
            return self.choices
        # Keep suggestions cheap on large sites: a close match shares the
        # first letter and has a similar length.
        if self._by_first is None:
            self._by_first = {}
            for c in self.choices:
                self._by_first.setdefault(c[:1].lower(), []).append(c)
        size = len(word)
        return [c for c in self._by_first.get(word[:1].lower(), ()) if abs(len(c) - size) <= 3]

    def __call__(self, word: str) -> str:
        close = difflib.get_close_matches(word, self.candidates(word), n=3, cutoff=0.6)
        if not close:
            return ""
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
