"""Real .bib files from ../shared/data/bibtex: every entry loads or is reported, none vanish."""

from __future__ import annotations

import logging
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
)

from conftest import SHARED_DATA, shared_data
from paperlog.diagnostics import Diagnostics
from paperlog.load.bibnames import _persons, _plain_person, simple_name_parts
from paperlog.load.bibtex import BibCache, decode_bib_bytes, load_sources

SUFFIXES = (".bib", ".bibtex", ".biblatex")


def _real_files() -> list[Path]:
    root = SHARED_DATA / "bibtex"
    return sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES) if root.is_dir() else []


@pytest.fixture(autouse=True)
def _quiet_bibtexparser():
    # bibtexparser logs each broken block; these files have some on purpose.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.mark.parametrize("path", _real_files() or [None], ids=lambda p: p.name if p else "absent")
def test_every_block_of_a_real_file_loads_or_is_reported(path):
    if path is None:
        shared_data("bibtex")  # skips, saying the folder is absent
    data = path.read_bytes()
    diags = Diagnostics()
    entries = load_sources([("x.bib", data)], diags, BibCache())
    text = decode_bib_bytes(data, "x.bib", Diagnostics())
    reference = bibtexparser.parse_string(text, parse_stack=[])
    reported = {(d.code, d.line) for d in diags}

    expected_keys = set()
    for block in reference.blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateFieldKeyBlock):
            block = block.ignore_error_block
            assert ("PL304", line) in reported
        if isinstance(block, DuplicateBlockKeyBlock):
            inner = block.ignore_error_block
            if isinstance(inner, Entry):
                assert inner.key.strip() in entries, f"duplicate {inner.key} vanished"
                assert ("PL303", line) in reported, (
                    f"duplicate {inner.key} at line {line} not reported"
                )
            continue
        if isinstance(block, ParsingFailedBlock):
            assert ("PL302", line) in reported, f"broken block at line {line} not reported"
            continue
        if isinstance(block, Entry):
            if block.key.strip() in entries:
                expected_keys.add(block.key.strip())
            else:
                assert ("PL302", line) in reported, f"entry {block.key!r} at line {line} vanished"
    # No more and no fewer entries than bibtexparser found (minus reported bad keys).
    assert set(entries) == expected_keys
    for entry in entries.values():
        assert entry.raw.startswith("@")
        title = entry.fields.get("title", "")
        assert "{" not in title or "$" in title or "\\(" in title, (
            title
        )  # braces stay only inside math


def test_counts_match_bibtexparser_on_the_large_files():
    folder = shared_data("bibtex", "b-large")
    for path in sorted(folder.glob("*.bib")):
        data = path.read_bytes()
        diags = Diagnostics()
        entries = load_sources([(path.name, data)], diags, BibCache())
        reference = bibtexparser.parse_string(data.decode("utf-8"), parse_stack=[])
        broken = [b for b in reference.failed_blocks if type(b) is ParsingFailedBlock]
        duplicate_entries = [
            b
            for b in reference.failed_blocks
            if isinstance(b, DuplicateBlockKeyBlock) and isinstance(b.ignore_error_block, Entry)
        ]
        codes = [d.code for d in diags]
        bad_keys = len(reference.entries) - len(entries)
        assert codes.count("PL303") == len(duplicate_entries)
        assert codes.count("PL302") == len(broken) + bad_keys
        assert len(entries) + bad_keys == len(reference.entries)


def test_a_lab_bibliography_split_across_files_resolves_macros_and_crossrefs():
    folder = shared_data("bibtex", "a-medium", "iridia-references")
    sources = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.bib"))]
    diags = Diagnostics()
    entries = load_sources(sources, diags, BibCache())
    codes = {d.code for d in diags}
    assert "PL305" not in codes  # every @string used is defined in one of the files
    assert "PL306" not in codes  # every crossref target exists
    with_crossref = [e for e in entries.values() if "crossref" in e.fields]
    assert len(with_crossref) > 800
    assert all(e.fields.get("booktitle") or e.fields.get("journal") for e in with_crossref)


def test_non_utf8_fixtures_load_with_a_clear_warning():
    gbk = shared_data("bibtex", "d-parser-testsuites", "bibtexparser-v2-main", "gbk_test.bib")
    latin9 = shared_data("bibtex", "d-parser-testsuites", "biber-t-tdata", "encoding1.bib")
    diags = Diagnostics()
    entries = load_sources([("gbk.bib", gbk.read_bytes())], diags, BibCache())
    assert len(entries) == 1
    assert [d.code for d in diags] == ["PL308"]
    diags = Diagnostics()
    entries = load_sources([("latin9.bib", latin9.read_bytes())], diags, BibCache())
    (entry,) = entries.values()
    assert entry.fields["title"] == "Šome title"  # `-*- coding: latin-9 -*-` was honoured
    assert list(diags) == []


def test_quick_name_paths_agree_with_bibtexparser_on_every_real_name():
    files = [p for p in _real_files() if p.suffix == ".bib"] or [shared_data("bibtex", "b-large")]
    checked = 0
    for path in files:
        text = decode_bib_bytes(path.read_bytes(), path.name, Diagnostics())
        for entry in bibtexparser.parse_string(text).entries:
            for name in ("author", "editor"):
                value = entry.get(name)
                if value is None or not isinstance(value.value, str):
                    continue
                persons = split_multiple_persons_names(value.value)
                assert _persons(value.value) == persons
                for person in persons:
                    reference = parse_single_name_into_parts(person, strict=False)
                    quick = simple_name_parts(person)
                    if quick is not None:
                        assert quick == (
                            reference.first,
                            reference.von,
                            reference.last,
                            reference.jr,
                        ), person
                        checked += 1
                    plain = (
                        _plain_person(person) if not any(c in person for c in "{}\\~-") else None
                    )
                    if plain is not None and not reference.jr:
                        assert (plain.given, plain.family) == (
                            " ".join(reference.first),
                            " ".join(reference.von + reference.last),
                        ), person
    assert checked > 1000
