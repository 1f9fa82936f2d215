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
import dataclasses
import gc
import hashlib
import re
from collections.abc import Iterable, Mapping

from bibtexparser.model import Entry

from ..diagnostics import Diagnostic, Diagnostics
from ..model import Author, BibEntry
from ..settings import Settings
from .bibnames import NameSplitter
from .bibparse import ParsedBib, Value, bad_value_hint, field_value, parse_bib_text
from .latex import LatexDecoder, needs_decoding, verbatim

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

CONTAINER_TYPES = frozenset(
    {"proceedings", "book", "collection", "mvbook", "mvproceedings", "mvcollection", "reference"}
)

_ENCODING_HINT = re.compile(rb"(?:%\s*Encoding:\s*|-\*-\s*coding:\s*)([A-Za-z0-9_.-]+)", re.I)


class BibCache:
    """Parsed files by content, and the last result, kept across `mkdocs serve` rebuilds."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, str], ParsedBib] = {}
        self.result: (
            tuple[tuple[tuple[str, str], ...], dict[str, BibEntry], tuple[Diagnostic, ...]] | None
        ) = None
        self.decoder = LatexDecoder()
        self.names = NameSplitter(self.decoder)
        self.field_kinds: dict[str, tuple[str, bool]] = {}
        """Field name as written -> (lower-case name, whether it is verbatim): a few dozen names."""
        self.hits = 0
        self.misses = 0


def load_bibliography(
    settings: Settings, diags: Diagnostics, cache: BibCache | None = None
) -> dict[str, BibEntry]:
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


def load_sources(
    sources: Iterable[tuple[str, bytes]], diags: Diagnostics, cache: BibCache | None = None
) -> dict[str, BibEntry]:
    """Like `load_bibliography`, for (path as shown, file content) pairs."""
    cache = cache or BibCache()
    sources = list(sources)
    digests = tuple(
        (rel, hashlib.blake2b(data, digest_size=16).hexdigest()) for rel, data in sources
    )
    if cache.result is not None and cache.result[0] == digests:
        cache.hits += 1
        diags.extend(cache.result[2])
        return dict(cache.result[1])
    cache.misses += 1
    # Parsing makes hundreds of thousands of small objects without cycles; the
    # cyclic collector would scan them again and again (about 10% of the time).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(sources, digests, diags, cache)
    finally:
        if paused:
            gc.enable()


def _load(
    sources: list[tuple[str, bytes]],
    digests: tuple[tuple[str, str], ...],
    diags: Diagnostics,
    cache: BibCache,
) -> dict[str, BibEntry]:
    parsed: list[tuple[str, ParsedBib]] = []
    for (rel, data), file_key in zip(sources, digests, strict=True):
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
        return ParsedBib(
            parsed.entries,
            parsed.strings,
            tuple(local.sorted()) + parsed.diagnostics,
            parsed.blocks,
        )
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
            diags.warning(
                rel,
                line,
                1,
                "PL308",
                f"unknown encoding '{name}' named in the file; reading it as UTF-8",
            )
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            diags.warning(
                rel,
                line,
                1,
                "PL308",
                f"the file says it is {name}, but this line is not; reading it as UTF-8",
            )
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


def resolve_bibliography(
    parsed: list[tuple[str, ParsedBib]], diags: Diagnostics, cache: BibCache
) -> dict[str, BibEntry]:
    """Expand macros, pick duplicate winners, decode, then apply crossrefs, over all files at once."""
    macros = _macros(parsed, diags)
    built: dict[str, BibEntry] = {}
    for rel, bib in parsed:
        for entry in bib.entries:
            first = built.get(entry.key)
            if first is not None:
                diags.warning(
                    rel,
                    (entry.start_line or 0) + 1,
                    1,
                    "PL303",
                    f"duplicate key '{entry.key}': also at {first.source}:{first.line}; the first one is used",
                    "rename or delete one of the two entries",
                )
                continue
            built[entry.key] = _build(rel, entry, macros, cache, diags)
    _apply_crossrefs(built, diags)
    return built


def _macros(parsed: list[tuple[str, ParsedBib]], diags: Diagnostics) -> dict[str, str]:
    macros = dict(MONTHS)
    defined: dict[str, tuple[str, int]] = {}
    for rel, bib in parsed:
        for string in bib.strings:
            value = (
                string.value
                if isinstance(string.value, str)
                else _evaluate(string.value, macros, rel, string.line, diags)
            )
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
    if len(value) == 1 and value[0][1] in macros:
        return macros[value[0][1]]  # `month = jan`, `journal = pami`: the usual case
    out = []
    for is_macro, text in value:
        if not is_macro:
            out.append(text)
        elif text in macros:
            out.append(macros[text])
        else:
            diags.warning(
                rel,
                line,
                1,
                "PL305",
                f"undefined @string macro '{text}'; shown as written",
                "define it with @string, or put the value in braces",
            )
            out.append(text)
    return "".join(out)


def _apply_crossrefs(built: dict[str, BibEntry], diags: Diagnostics) -> None:
    """Give each entry the fields it lacks from the entry its `crossref` names (cascading)."""
    lower = {key.lower(): key for key in built}
    done: set[str] = set()

    def resolve(key: str, trail: tuple[str, ...]) -> None:
        if key in done:
            return
        done.add(key)
        entry = built[key]
        ref = entry.fields.get("crossref")
        if not ref:
            return
        parent_key = ref if ref in built else lower.get(ref.lower(), "")
        if not parent_key:
            diags.warning(
                entry.source,
                entry.line,
                1,
                "PL306",
                f"entry '{key}' has crossref '{ref}', which is in no .bib file",
                "add that entry, or remove the crossref",
            )
        elif parent_key in trail or parent_key == key:
            diags.warning(
                entry.source,
                entry.line,
                1,
                "PL306",
                f"crossref cycle: {' -> '.join((*trail, key, parent_key))}",
            )
        else:
            resolve(parent_key, (*trail, key))
            built[key] = _inherit(entry, built[parent_key])

    for key in list(built):
        resolve(key, ())


def _inherit(child: BibEntry, parent: BibEntry) -> BibEntry:
    fields, latex = dict(child.fields), dict(child.latex_fields)
    if parent.entry_type in CONTAINER_TYPES and "booktitle" not in fields:
        # A paper in proceedings gets the proceedings' title as its booktitle.
        name = "booktitle" if "booktitle" in parent.fields else "title"
        if name in parent.fields:
            fields["booktitle"], latex["booktitle"] = (
                parent.fields[name],
                parent.latex_fields.get(name, ""),
            )
    for name, value in parent.fields.items():
        if name not in fields and name not in NOT_INHERITED:
            fields[name], latex[name] = value, parent.latex_fields.get(name, "")
    has_people = "author" in child.fields or "editor" in child.fields
    authors = child.authors if has_people else parent.authors
    return dataclasses.replace(child, fields=fields, latex_fields=latex, authors=authors)


def _is_verbatim(name: str) -> bool:
    return name in VERBATIM_FIELDS or name.endswith(("url", "uri"))


def _build(
    rel: str, entry: Entry, macros: dict[str, str], cache: BibCache, diags: Diagnostics
) -> BibEntry:
    # This loop runs for every field of every entry: it is written for speed
    # (locals, the common `{...}` value and plain text handled inline).
    decode = cache.decoder.decode
    kinds = cache.field_kinds
    decoded: dict[str, str] = {}
    latex: dict[str, str] = {}
    people = None
    for field in entry.fields:
        kind = kinds.get(field.key)
        if kind is None:
            lower = field.key.lower()
            kind = kinds[field.key] = (lower, _is_verbatim(lower))
        name, is_verbatim = kind
        if name in latex:
            continue  # a repeated field (reported when parsed): BibTeX keeps the first
        raw = field.value
        first = raw[:1]
        if (
            (first == "{" or first == '"')
            and raw[-1:] == ("}" if first == "{" else '"')
            and "#" not in raw
        ):
            value = raw[1:-1]
        else:
            line = field.start_line + 1
            parsed = field_value(raw)
            if parsed is None:
                diags.error(
                    rel,
                    line,
                    1,
                    "PL302",
                    f"cannot read the value of '{name}' in entry '{entry.key}'",
                    bad_value_hint(name),
                )
                value = str(raw)
            elif isinstance(parsed, str):
                value = parsed
            else:
                value = _evaluate(parsed, macros, rel, line, diags)
        latex[name] = value
        if is_verbatim:
            decoded[name] = verbatim(value)
        elif value.isdigit() or not needs_decoding(value):
            decoded[name] = (
                " ".join(value.split()) if "\n" in value or "  " in value else value.strip()
            )
        else:
            text, problem = decode(value)
            if problem:
                line = field.start_line + 1
                diags.warning(
                    rel,
                    line,
                    1,
                    "PL307",
                    f"cannot decode the LaTeX in '{name}' ({problem}); shown as plain text",
                )
            decoded[name] = text
        if name == "author" or (name == "editor" and people is None):
            people = (value, field.start_line + 1)
    authors: tuple[Author, ...] = ()
    if people is not None:
        authors, problem = cache.names.split(people[0])
        if problem:
            diags.warning(
                rel,
                people[1],
                1,
                "PL307",
                f"cannot split the names in this field ({problem}); shown as written",
            )
    return BibEntry(
        key=entry.key,
        entry_type=entry.entry_type.lower(),
        fields=decoded,
        source=rel,
        line=(entry.start_line or 0) + 1,
        raw=(entry.raw or "").strip(),
        authors=authors,
        latex_fields=latex,
    )
