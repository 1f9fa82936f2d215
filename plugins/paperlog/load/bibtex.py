"""BibTeX files -> `BibEntry`s: read, parse, expand macros, inherit crossrefs, decode.

The rules a user can rely on (documented in docs/guide/citations.md):

- Files are read in the order of the `bibliography` option (default: every
  .bib under notes_dir, sorted by path), as UTF-8 unless the file names its
  encoding on a first-lines comment (`% Encoding: windows-1252`, as JabRef
  writes, or Emacs' `-*- coding: latin-1 -*-`). A file that is neither is
  read as Latin-1, with a warning: nothing is lost and nothing crashes.
- `@string` macros are shared by all files (a lab's journals.bib serves its
  other files) and a later definition replaces an earlier one; the month
  macros jan..dec are predefined.
- When two entries have the same key, in one file or across files, the first
  one read wins (as with BibTeX) and the other is reported with both places.
- A broken block is reported with its line; every other entry still loads.

Parsing is the expensive part, so each file's parse is cached by its content,
and the whole result by the content of every file: a `mkdocs serve` rebuild
after a note changed reuses it all.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable, Mapping

from ..diagnostics import Diagnostic, Diagnostics
from ..model import BibEntry
from ..settings import Settings
from .bibnames import NameSplitter
from .bibparse import ParsedBib, RawEntry, Value, parse_bib_text
from .latex import LatexDecoder, verbatim

__all__ = ["BibCache", "decode_bib_bytes", "load_bibliography", "resolve_bibliography"]

MONTHS: Mapping[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April",
    "may": "May", "jun": "June", "jul": "July", "aug": "August",
    "sep": "September", "oct": "October", "nov": "November", "dec": "December",
}  # fmt: skip
"""BibTeX's predefined macros (every standard style defines these)."""

VERBATIM_FIELDS = frozenset(
    {"url", "doi", "eprint", "file", "pdf", "isbn", "issn", "archiveprefix", "primaryclass",
     "eprinttype", "eprintclass", "urldate", "ids", "crossref", "xref", "xdata", "date",
     "timestamp", "bibsource", "langid", "pmid", "pmcid", "date-added", "date-modified"}
)  # fmt: skip
"""Fields that are identifiers, not text: only braces and backslash escapes are removed.
So are fields whose name ends in 'url' or 'uri' (`local-url`, `biburl`, Papers' `uri`)."""

NOT_INHERITED = frozenset({"crossref", "ids", "xref", "entryset", "key", "label", "shorthand"})
"""Fields an entry does not take from the entry its `crossref` names."""

CONTAINER_TYPES = frozenset({"proceedings", "book", "collection", "mvbook", "mvproceedings", "mvcollection", "reference"})

_ENCODING_HINT = re.compile(rb"(?:%\s*Encoding:\s*|-\*-\s*coding:\s*)([A-Za-z0-9_.-]+)", re.I)


class BibCache:
    """Parsed files by content, and the last result, kept across `mkdocs serve` rebuilds."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, str], ParsedBib] = {}
        self.result: tuple[tuple[tuple[str, str], ...], dict[str, BibEntry], tuple[Diagnostic, ...]] | None = None
        self.decoder = LatexDecoder()
        self.names = NameSplitter(self.decoder)
        self.hits = 0
        self.misses = 0


_Field = tuple[str, str, int]
"""(value with macros expanded, still LaTeX; file; line): a tuple, as there are many."""


def load_bibliography(settings: Settings, diags: Diagnostics, cache: BibCache | None = None) -> dict[str, BibEntry]:
    """Every entry of every configured .bib file, by key (the winner of duplicates)."""
    sources: list[tuple[str, bytes]] = []
    for path in settings.bibliography:
        rel = settings.rel(path)
        try:
            sources.append((rel, path.read_bytes()))
        except OSError as exc:
            hint = "fix the path in the plugin option `bibliography`" if not path.exists() else ""
            diags.error(rel, 0, 0, "PL300", f"cannot read BibTeX file: {exc.strerror or exc}", hint)
    return load_sources(sources, diags, cache)


def load_sources(sources: Iterable[tuple[str, bytes]], diags: Diagnostics, cache: BibCache | None = None) -> dict[str, BibEntry]:
    """Like `load_bibliography`, for (path as shown, file content) pairs."""
    cache = cache or BibCache()
    sources = list(sources)
    digests = tuple((rel, hashlib.blake2b(data, digest_size=16).hexdigest()) for rel, data in sources)
    if cache.result is not None and cache.result[0] == digests:
        cache.hits += 1
        diags.extend(cache.result[2])
        return dict(cache.result[1])
    cache.misses += 1
    parsed: list[tuple[str, ParsedBib]] = []
    for (rel, data), file_key in zip(sources, digests):
        found = cache.files.get(file_key)
        if found is None:
            found = cache.files[file_key] = parse_bib_bytes(data, rel)
        parsed.append((rel, found))
    # Drop the parses of files that changed or went away.
    live = set(digests)
    for stale in [k for k in cache.files if k not in live]:
        del cache.files[stale]
    local = Diagnostics()
    entries = resolve_bibliography(parsed, local, cache)
    found_diags = tuple(local.sorted()) + tuple(d for _, p in parsed for d in p.diagnostics)
    cache.result = (digests, entries, found_diags)
    diags.extend(found_diags)
    return dict(entries)


def parse_bib_bytes(data: bytes, rel: str) -> ParsedBib:
    """One file's bytes -> its parse, with encoding problems among its diagnostics."""
    local = Diagnostics()
    text = decode_bib_bytes(data, rel, local)
    parsed = parse_bib_text(text, rel)
    if len(local):
        return ParsedBib(parsed.entries, parsed.strings, tuple(local.sorted()) + parsed.diagnostics, parsed.blocks)
    return parsed


def decode_bib_bytes(data: bytes, rel: str, diags: Diagnostics) -> str:
    """A .bib file's text: UTF-8, or the encoding it names, else Latin-1 with a warning."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    text: str | None = None
    hint = _ENCODING_HINT.search(data[:2048])
    if hint is not None:
        name = hint.group(1).decode("ascii").lower().removesuffix("-unix").removesuffix("-dos")
        try:
            text = data.decode(_codec(name))
        except LookupError:
            line = data.count(b"\n", 0, hint.start()) + 1
            diags.warning(rel, line, 1, "PL308", f"unknown encoding '{name}' named in the file; reading it as UTF-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            diags.warning(rel, line, 1, "PL308", f"the file says it is {name}, but this line is not; reading it as UTF-8")
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            diags.warning(
                rel,
                line,
                col,
                "PL308",
                f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); read as Latin-1, so non-ASCII letters may look wrong",
                "save the file as UTF-8, or name its encoding in a comment on the first line, e.g. % Encoding: windows-1252",
            )
            text = data.decode("latin-1")
    # Lines are counted on '\n'; an entry's raw text is shown with '\n' endings.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _codec(name: str) -> str:
    """Python's name for an encoding as editors write it ('latin-9' is Python's 'latin9')."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return codecs.lookup(name.replace("-", "")).name


def resolve_bibliography(parsed: list[tuple[str, ParsedBib]], diags: Diagnostics, cache: BibCache) -> dict[str, BibEntry]:
    """Expand macros, pick duplicate winners, apply crossrefs and decode, over all files at once."""
    macros = _macros(parsed, diags)
    chosen: dict[str, tuple[str, RawEntry, dict[str, _Field]]] = {}
    for rel, bib in parsed:
        for entry in bib.entries:
            first = chosen.get(entry.key)
            if first is not None:
                diags.warning(
                    rel,
                    entry.line,
                    1,
                    "PL303",
                    f"duplicate key '{entry.key}': also at {first[0]}:{first[1].line}; the first one is used",
                    "rename or delete one of the two entries",
                )
                continue
            fields = {}
            for name, value, line in entry.fields:
                if not isinstance(value, str):
                    value = _evaluate(value, macros, rel, line, diags)
                fields[name] = (value, rel, line)
            chosen[entry.key] = (rel, entry, fields)
    _apply_crossrefs(chosen, diags)
    return {key: _build(rel, entry, fields, cache, diags) for key, (rel, entry, fields) in chosen.items()}


def _macros(parsed: list[tuple[str, ParsedBib]], diags: Diagnostics) -> dict[str, str]:
    macros = dict(MONTHS)
    defined: dict[str, tuple[str, int]] = {}
    for rel, bib in parsed:
        for string in bib.strings:
            value = string.value if isinstance(string.value, str) else _evaluate(string.value, macros, rel, string.line, diags)
            before = defined.get(string.name)
            if before is not None and macros[string.name] != value:
                diags.warning(
                    rel,
                    string.line,
                    1,
                    "PL305",
                    f"@string '{string.name}' is redefined with another value (first at {before[0]}:{before[1]}); this value is used",
                )
            defined[string.name] = (rel, string.line)
            macros[string.name] = value
    return macros


def _evaluate(value: Value, macros: dict[str, str], rel: str, line: int, diags: Diagnostics) -> str:
    if isinstance(value, str):
        return value
    out = []
    for is_macro, text in value:
        if not is_macro:
            out.append(text)
        elif text in macros:
            out.append(macros[text])
        else:
            diags.warning(rel, line, 1, "PL305", f"undefined @string macro '{text}'; shown as written", "define it with @string, or put the value in braces")
            out.append(text)
    return "".join(out)


def _apply_crossrefs(chosen: dict[str, tuple[str, RawEntry, dict[str, _Field]]], diags: Diagnostics) -> None:
    lower = {key.lower(): key for key in chosen}
    done: set[str] = set()

    def resolve(key: str, trail: tuple[str, ...]) -> None:
        if key in done:
            return
        rel, entry, fields = chosen[key]
        ref = fields.get("crossref")
        if ref is not None:
            parent_key = ref[0].strip().strip("{}")
            parent_key = parent_key if parent_key in chosen else lower.get(parent_key.lower(), "")
            if not parent_key:
                diags.warning(ref[1], ref[2], 1, "PL306", f"crossref names '{ref[0]}', which is in no .bib file", "add that entry, or remove the crossref")
            elif parent_key in trail or parent_key == key:
                diags.warning(ref[1], ref[2], 1, "PL306", f"crossref cycle: {' -> '.join((*trail, key, parent_key))}")
            else:
                resolve(parent_key, (*trail, key))
                _inherit(fields, chosen[parent_key][1].entry_type, chosen[parent_key][2])
        done.add(key)

    for key in chosen:
        resolve(key, ())


def _inherit(fields: dict[str, _Field], parent_type: str, parent: dict[str, _Field]) -> None:
    if parent_type in CONTAINER_TYPES and "booktitle" not in fields:
        # A paper in proceedings gets the proceedings' title as its booktitle.
        source = parent.get("booktitle") or parent.get("title")
        if source is not None:
            fields["booktitle"] = source
    for name, value in parent.items():
        if name not in fields and name not in NOT_INHERITED:
            fields[name] = value


def _build(rel: str, entry: RawEntry, fields: dict[str, _Field], cache: BibCache, diags: Diagnostics) -> BibEntry:
    decoder = cache.decoder
    decoded: dict[str, str] = {}
    for name, (value, path, line) in fields.items():
        if name in VERBATIM_FIELDS or name.endswith(("url", "uri")):
            decoded[name] = verbatim(value)
            continue
        text, problem = decoder.decode(value)
        if problem:
            diags.warning(path, line, 1, "PL307", f"cannot decode the LaTeX in '{name}' ({problem}); shown as plain text")
        decoded[name] = text
    people = fields.get("author") or fields.get("editor")
    authors = ()
    if people is not None:
        authors, problem = cache.names.split(people[0])
        if problem:
            diags.warning(people[1], people[2], 1, "PL307", f"cannot split the names in this field ({problem}); shown as written")
    return BibEntry(
        key=entry.key,
        entry_type=entry.entry_type,
        fields=decoded,
        source=rel,
        line=entry.line,
        raw=entry.raw.strip(),
        authors=authors,
        latex_fields={name: value for name, (value, _, _) in fields.items()},
    )
