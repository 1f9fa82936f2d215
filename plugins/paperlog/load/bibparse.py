"""One .bib file's text -> its blocks, through bibtexparser 2, without losing any.

bibtexparser splits the text into blocks and keeps going after a broken one
(a `ParsingFailedBlock`), which is what we need: every other entry still
loads. We run it without middlewares (an empty parse stack) and evaluate the
values ourselves, because `@string` macros may be defined in another file
(lab bibliographies keep journals.bib and authors.bib apart) and BibTeX's `#`
concatenation (`jan # " 1"`) is not resolved by the stock middleware. What
this module returns depends on the file alone, so it is cached by content.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import (
    Block,
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    String,
)

from ..diagnostics import Diagnostic, Diagnostics

Piece = tuple[bool, str]
"""A part of a value: (True, macro name) or (False, literal LaTeX text)."""
Value = str | tuple[Piece, ...]
"""A field value: literal LaTeX text, or the parts of a `#` concatenation / macro use."""


@dataclass(frozen=True)
class RawString:
    name: str
    value: Value
    line: int


@dataclass(frozen=True)
class ParsedBib:
    """Everything one file holds, in file order, with the problems found in it."""

    entries: tuple[Entry, ...]
    """bibtexparser's entries with a usable key, values as written (see `field_value`); kept
    as they are because copying tens of thousands of fields costs more than it brings."""
    strings: tuple[RawString, ...]
    diagnostics: tuple[Diagnostic, ...]
    blocks: int
    """How many blocks bibtexparser found (entries, strings, comments, failures)."""


_BAD_KEY = re.compile(r"[\s\"{}(),='#%]")


class _Quiet(logging.Filter):
    # bibtexparser logs every broken block as a warning; we report them as diagnostics.
    def filter(self, record: logging.LogRecord) -> bool:
        return False


_splitter_log = logging.getLogger("bibtexparser.splitter")
_splitter_log.addFilter(_Quiet())


def parse_bib_text(text: str, rel: str) -> ParsedBib:
    """Split a .bib file's text into entries and @string macros; report broken blocks."""
    diags = Diagnostics()
    library = bibtexparser.parse_string(text, parse_stack=[])
    entries: list[Entry] = []
    strings: list[RawString] = []
    for found in library.blocks:
        line = (found.start_line or 0) + 1
        block: Block | None = found
        if isinstance(found, DuplicateBlockKeyBlock):
            # A second entry (or @string) with a key already used in this file:
            # keep it, the loader reports duplicates across all files at once.
            block = found.ignore_error_block
        elif isinstance(found, DuplicateFieldKeyBlock):
            block = found.ignore_error_block
            names = ", ".join(sorted(found.duplicate_keys))
            diags.warning(
                rel,
                line,
                1,
                "PL304",
                f"entry '{getattr(block, 'key', '?')}' sets {names} more than once; the first value is used",
                "delete the repeated field",
            )
        elif isinstance(block, ParsingFailedBlock):
            diags.error(
                rel,
                line,
                1,
                "PL302",
                _failure_message(block),
                "check the braces, quotes and commas of this entry; the other entries are loaded",
            )
            continue
        if isinstance(block, Entry):
            entry_value = _entry(block, rel, line, diags)
            if entry_value is not None:
                entries.append(entry_value)
        elif isinstance(block, String):
            value = parse_value(block.value)
            if value is None:
                diags.error(
                    rel,
                    line,
                    1,
                    "PL302",
                    f"cannot read the value of @string '{block.key}'",
                    'write it as {...} or "..."',
                )
                continue
            strings.append(RawString(block.key.strip().lower(), value, line))
    return ParsedBib(tuple(entries), tuple(strings), tuple(diags.sorted()), len(library.blocks))


def _failure_message(block: ParsingFailedBlock) -> str:
    reason = getattr(block.error, "abort_reason", "") or str(block.error)
    reason = " ".join(reason.split())
    head = (block.raw or "").lstrip().split("\n", 1)[0][:60]
    return (
        f"malformed BibTeX block '{head}': {reason}"
        if head
        else f"malformed BibTeX block: {reason}"
    )


def _entry(block: Entry, rel: str, line: int, diags: Diagnostics) -> Entry | None:
    key = block.key.strip()
    if not key or _BAD_KEY.search(key):
        diags.error(
            rel,
            line,
            1,
            "PL302",
            f"@{block.entry_type} entry has no usable key ('{key}')",
            "write the key right after the opening brace: @article{smith2020,",
        )
        return None
    return block


def field_value(raw: object) -> Value | None:
    """A field's value as bibtexparser split it -> literal LaTeX or pieces (None if malformed)."""
    if not isinstance(raw, str):
        return str(raw)
    # The common `{...}` without `#` first: this runs for every field of every entry.
    if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw:
        return raw[1:-1]
    return parse_value(raw)


def bad_value_hint(name: str) -> str:
    if name.startswith("%"):
        return "a % does not comment out a line inside an entry; delete the line"
    return 'write it as {...} or "...", joined with # to macros'


def parse_value(value: str) -> Value | None:
    """`{a}`, `"a"`, `1999`, `jan` or `"a" # jan # {b}` -> a literal or its pieces (None if malformed)."""
    value = value.strip()
    if "#" not in value and len(value) >= 2:
        first = value[0]
        if (first == "{" and value[-1] == "}") or (first == '"' and value[-1] == '"'):
            return value[1:-1]
    if value.isdigit():
        return value
    pieces: list[Piece] = []
    i, n = 0, len(value)
    while i < n:
        c = value[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c == "{" or c == '"':
            end = _closing(value, i)
            if end < 0:
                return None
            pieces.append((False, value[i + 1 : end]))
            i = end + 1
        else:
            j = i
            while j < n and value[j] not in ' \t\r\n#{"':
                j += 1
            word = value[i:j]
            pieces.append((False, word) if word.isdigit() else (True, word.lower()))
            i = j
        while i < n and value[i] in " \t\r\n":
            i += 1
        if i < n:
            if value[i] != "#":
                return None
            i += 1
            if i >= n or not value[i:].strip():
                return None
    if not pieces:
        return ""
    if len(pieces) == 1 and not pieces[0][0]:
        return pieces[0][1]
    return tuple(pieces)


def _closing(value: str, start: int) -> int:
    """Index of the delimiter that closes the one at `start` ('{' or '"'), or -1."""
    depth = 0
    quote = value[start] == '"'
    for i in range(start + 1 if quote else start, len(value)):
        c = value[i]
        # BibTeX counts every brace, escaped or not, so neither do we skip `\{`.
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0 and not quote:
                return i
            if depth < 0:
                return -1
        elif c == '"' and quote and depth == 0:
            return i
    return -1
