"""Paper notes: one YAML file per paper, validated and turned into `Paper`s."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics
from ..model import (
    Algorithm,
    Author,
    Figure,
    Highlight,
    Implementation,
    LogEntry,
    Paper,
    PseudoStep,
    Question,
    ReaderNotes,
    Resource,
    Result,
)
from . import schema
from .yamlsource import YamlDocument, decode_text, parse_yaml

VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")

SITE_FILES = frozenset({"topics", "glossary", "readers", "sessions", "authors"})
"""YAML files directly under notes_dir that hold site data, not a paper."""


def split_name(name: str) -> Author:
    """'Last, First' or 'First Last' -> Author (BibTeX names get the full rules)."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        family, given = family.strip(), given.strip()
        return Author(f"{given} {family}".strip(), given, family)
    given, _, family = name.rpartition(" ")
    return Author(name, given, family or name)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def _page(value: Any) -> str | None:
    return None if value is None else str(value)


class NoteCache:
    """Parsed notes by file content, so a rebuild re-reads only what changed."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, str], tuple[Paper | None, tuple[Diagnostic, ...]]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, str, str]) -> tuple[Paper | None, tuple[Diagnostic, ...]] | None:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(
        self, key: tuple[str, str, str], value: tuple[Paper | None, tuple[Diagnostic, ...]]
    ) -> None:
        self._entries[key] = value


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # bytes as they are on Windows too


def _read_bytes(path: Path | str) -> bytes:
    """The file's bytes, read without a Python file object: half the time of `open` for
    a small note, which every `mkdocs serve` rebuild reads (a thousand of them)."""
    fd = os.open(path, _READ_FLAGS)
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def load_note(
    path: Path | str,
    rel: str,
    notes_dir: Path,
    diags: Diagnostics,
    cache: NoteCache | None = None,
) -> Paper | None:
    """One note file -> a Paper (None when it cannot be read at all)."""
    try:
        data = _read_bytes(path)
    except OSError as exc:
        diags.error(rel, 0, 0, "PL100", f"cannot read file: {exc.strerror or exc}")
        return None
    key = (rel, str(notes_dir), hashlib.blake2b(data, digest_size=16).hexdigest())
    if cache is not None:
        found = cache.get(key)
        if found is not None:
            diags.extend(found[1])
            return found[0]
    local = Diagnostics()
    # Parse the very bytes the key was made of, so the cache never pairs a
    # content hash with what a later read found.
    paper = _parse_note(data, Path(path), rel, notes_dir, local)
    if cache is not None:
        cache.put(key, (paper, tuple(local.sorted())))
    diags.extend(local.sorted())
    return paper


def _parse_note(
    data: bytes, path: Path, rel: str, notes_dir: Path, diags: Diagnostics
) -> Paper | None:
    text = decode_text(data, rel, diags)
    if text is None:
        return None
    doc = parse_yaml(text, rel, diags)
    if doc is None:
        return None
    if not isinstance(doc.value, dict):
        diags.error(
            rel,
            1,
            1,
            "PL102",
            f"a note must be a YAML mapping of fields, but this file holds {schema.describe(doc.value)}",
            hint="start with a field, e.g. `title: Attention Is All You Need`",
        )
        return None
    valid = schema.validate("note", doc.value, rel, doc.locations, diags)
    if not valid:
        # Keep what is usable: drop the fields that failed, so a non-strict
        # build still shows the rest of the note.
        _drop_invalid(doc)
    return build_paper(doc, rel, path, notes_dir, diags)


def _drop_invalid(doc: YamlDocument) -> None:
    """Remove the values that failed validation: whole fields, or single list items."""
    value = dict(doc.value)
    for field_name in list(value):
        field_value = value[field_name]
        if schema.is_valid("note", {field_name: field_value}):
            continue
        if isinstance(field_value, list):
            kept = [item for item in field_value if schema.is_valid("note", {field_name: [item]})]
            if schema.is_valid("note", {field_name: kept}):
                value[field_name] = kept
                continue
        del value[field_name]
    doc.value = value


def build_paper(
    doc: YamlDocument, rel: str, path: Path, notes_dir: Path, diags: Diagnostics
) -> Paper:
    """A validated note mapping -> Paper."""
    v: dict[str, Any] = doc.value
    paper_id = _text(v.get("id")) or path.stem
    if "id" not in v and not VALID_ID.match(paper_id):
        diags.error(
            rel,
            1,
            1,
            "PL104",
            f"the file name '{path.name}' does not make a valid paper id",
            "rename the file (letters, digits, '.', '_', ':', '-') or set `id:` in the note",
        )
        paper_id = re.sub(r"[^A-Za-z0-9._:-]+", "-", paper_id).strip("-") or "paper"
    log = []
    for i, entry in enumerate(v.get("log", [])):
        try:
            date = dt.date.fromisoformat(entry["date"])
        except ValueError:
            loc = doc.locations.get(f"log/{i}/date") or doc.locations.get(f"log/{i}")
            diags.error(
                rel,
                loc.line if loc else 0,
                loc.col if loc else 0,
                "PL109",
                f"'{entry['date']}' is not a real date",
            )
            continue
        log.append(
            LogEntry(
                date,
                entry["pass"],
                entry.get("minutes"),
                entry.get("reader"),
                _text(entry.get("note")),
                i,
            )
        )
    figures = []
    for i, fig in enumerate(v.get("figures", [])):
        target = (path.parent / fig["src"]).resolve()
        loc = doc.locations.get(f"figures/{i}/src") or doc.locations.get(f"figures/{i}")
        line, col = (loc.line, loc.col) if loc else (0, 0)
        if not target.is_relative_to(notes_dir.resolve()):
            diags.error(
                rel,
                line,
                col,
                "PL110",
                f"figure '{fig['src']}' lies outside the notes folder",
                "keep images next to the note",
            )
            continue
        if not target.is_file():
            diags.error(
                rel,
                line,
                col,
                "PL110",
                f"figure '{fig['src']}' does not exist",
                f"looked for {target.relative_to(notes_dir.resolve().parent).as_posix()}",
            )
            continue
        figures.append(
            Figure(fig["src"], _text(fig.get("caption")), _page(fig.get("page")), str(target))
        )
    pseudocode = tuple(
        Algorithm(
            _text(alg["name"]),
            tuple(
                PseudoStep(s) if isinstance(s, str) else PseudoStep(_text(s["text"]), s.get("code"))
                for s in alg["steps"]
            ),
        )
        for alg in v.get("pseudocode", [])
    )
    return Paper(
        id=paper_id,
        source=rel,
        title=_text(v.get("title")),
        authors=tuple(split_name(a) for a in v.get("authors", [])),
        year=v.get("year"),
        venue=_text(v.get("venue")),
        volume=_text(v.get("volume")),
        pages=_text(v.get("pages")),
        doi=_text(v.get("doi")),
        url=_text(v.get("url")),
        pdf=_text(v.get("pdf")),
        arxiv=_text(v.get("arxiv")).removeprefix("arXiv:"),
        bibkey=_text(v.get("bibkey")),
        abstract=_text(v.get("abstract")),
        status=v.get("status", "to-read"),
        topics=tuple(v.get("topics", ())),
        tags=tuple(v.get("tags", ())),
        rating=v.get("rating"),
        readers=tuple(v.get("readers", ())),
        log=tuple(sorted(log, key=lambda e: e.date)),
        summary=_text(v.get("summary")),
        passes={k: _text(t) for k, t in v.get("passes", {}).items() if t},
        highlights=tuple(
            Highlight(_text(h["quote"]), _page(h.get("page")), _text(h.get("note")))
            for h in v.get("highlights", [])
        ),
        figures=tuple(figures),
        questions=tuple(Question(_text(q["q"]), _text(q.get("a"))) for q in v.get("questions", [])),
        terms=tuple(v.get("terms", ())),
        pseudocode=pseudocode,
        implementations=tuple(
            Implementation(
                i.get("code"), i.get("repo"), bool(i.get("official", False)), _text(i.get("note"))
            )
            for i in v.get("implementations", [])
        ),
        results=tuple(
            Result(
                _text(r["metric"]),
                r.get("reported"),
                r.get("reproduced"),
                _text(r.get("setup")),
                bool(r.get("higher_is_better", True)),
            )
            for r in v.get("results", [])
        ),
        resources=tuple(
            Resource(_text(r.get("kind", "other")), _text(r["title"]), _text(r.get("url")))
            for r in v.get("resources", [])
        ),
        cites=tuple(v.get("cites", ())),
        related=tuple(v.get("related", ())),
        by=tuple(
            ReaderNotes(
                rid,
                _text(section.get("summary")),
                {k: _text(t) for k, t in (section.get("passes") or {}).items() if t},
                section.get("rating"),
            )
            for rid, section in (v.get("by") or {}).items()
        ),
        locations=dict(doc.locations),
    )


def find_note_files(notes_dir: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Every paper note under notes_dir, in a stable order."""
    return [path for path, _ in note_files(notes_dir, exclude)]


def note_files(notes_dir: Path, exclude: tuple[Path, ...] = ()) -> list[tuple[Path, Path]]:
    """(path, resolved path) of every paper note under notes_dir, in a stable order."""
    return [(found.path, found.resolved) for found in walk_notes(notes_dir, exclude)]


class NoteFile:
    """A note found under notes_dir: where it is, where it leads, and how it got there.

    Paths are made on demand: a rebuild that finds a note unchanged needs only
    its name and bytes, and making Path objects was a good part of the walk.
    """

    __slots__ = ("_folder", "_path", "is_link", "os_path", "parts")

    def __init__(self, os_path: str, parts: tuple[str, ...], is_link: bool, folder: Path) -> None:
        self.os_path = os_path
        self.parts = parts
        """Its path below notes_dir, one name per folder."""
        self.is_link = is_link
        self._folder = folder  # its folder, resolved
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.os_path)
        return self._path

    @property
    def resolved(self) -> Path:
        """The file it leads to (only links lead elsewhere: their folder is resolved)."""
        if self.is_link:
            return self.path.resolve()
        return self._folder / self.parts[-1]


def walk_notes(notes_dir: Path, exclude: tuple[Path, ...] = ()) -> list[NoteFile]:
    """Every paper note under notes_dir, in a stable order (that of sorted paths).

    The `.yaml`/`.yml` files (symbolic links to files included) under notes_dir,
    without hidden files and folders, the site files at its top, and files in
    `exclude` (the code folders). Symbolic links to folders are not followed.
    Only the links are resolved: no other path below a resolved folder can lead
    elsewhere, and resolving each file was most of the walk's time.
    """
    if not notes_dir.is_dir():
        return []
    excluded = [e.resolve() for e in exclude]
    # A code folder given as a file's path excludes that file; only then need
    # each plain file's resolved path be made.
    excluded_files = {e for e in excluded if e.suffix in (".yaml", ".yml")}
    found: list[NoteFile] = []
    # (folder on disk, its parts below notes_dir, its resolved path)
    folders: list[tuple[str, tuple[str, ...], Path]] = [(str(notes_dir), (), notes_dir.resolve())]
    while folders:
        folder, parts, resolved_folder = folders.pop()
        excluded_folder = any(resolved_folder.is_relative_to(e) for e in excluded)
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except PermissionError:
            continue  # as pathlib's walk: a folder we may not read holds nothing
        for entry in listed:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, (*parts, name), resolved_folder / name))
                    continue
            except OSError:
                continue
            stem, dot, suffix = name.rpartition(".")
            if not dot or not stem or suffix not in ("yaml", "yml"):
                continue
            if not parts and stem in SITE_FILES:
                continue
            note = NoteFile(entry.path, (*parts, name), is_link, resolved_folder)
            if is_link:
                if not entry.is_file():
                    continue  # a link to a folder, or a broken link
                resolved = note.resolved
                if any(resolved.is_relative_to(e) for e in excluded):
                    continue
            else:
                if excluded_folder or not entry.is_file(follow_symlinks=False):
                    continue
                if excluded_files and note.resolved in excluded_files:
                    continue
            found.append(note)
    # The order of sorted Paths: by their names, compared as Path compares them.
    found.sort(key=(lambda f: f.parts) if os.name == "posix" else (lambda f: f.path))
    return found
