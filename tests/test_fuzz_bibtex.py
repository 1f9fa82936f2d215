"""Property-based: .bib files, however broken, load as entries and diagnostics.

Random bytes, mutated real .bib text and generated entries with hostile
values go through the BibTeX loader (bibtexparser 2 underneath) and the
linker: nothing raises, every problem is a Diagnostic on the file. The
writer side is checked too: an entry `paperlog add` makes from any arXiv
record appends to any .bib without touching its bytes, and parses back.
"""

from __future__ import annotations

from pathlib import Path

import bibtexparser
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from paperlog.arxiv.bibtex import entry_for_record
from paperlog.diagnostics import Diagnostic, Diagnostics
from paperlog.load.bibtex import load_sources
from paperlog.model import BibEntry

REPO = Path(__file__).resolve().parents[1]
DEMO_BIB = (REPO / "notes" / "references.bib").read_text("utf-8")
FUZZ = settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
SPECIAL = '@{}(),="#%\\~$^_&\n\r\t \x00\u202e'
COUNT: dict[str, int] = {}


def load(data: bytes, kind: str) -> dict[str, BibEntry]:
    COUNT[kind] = COUNT.get(kind, 0) + 1
    diags = Diagnostics()
    entries = load_sources([("notes/fuzz.bib", data)], diags)
    for d in diags.sorted():
        assert isinstance(d, Diagnostic) and d.message and d.path == "notes/fuzz.bib"
        assert d.code.startswith("PL3"), d
    for key, entry in entries.items():
        assert isinstance(entry, BibEntry) and entry.key == key
        assert all(isinstance(v, str) for v in entry.fields.values())
    return entries


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    load(data, "random bytes")


@FUZZ
@given(st.text(alphabet=st.sampled_from(SPECIAL) | st.characters(), max_size=600))
def test_random_text(text: str) -> None:
    load(text.encode("utf-8", "surrogatepass"), "random text")


@FUZZ
@given(st.data())
def test_mutated_real_bib(data: st.DataObject) -> None:
    text = DEMO_BIB
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 30))
        insert = data.draw(st.text(alphabet=st.sampled_from(SPECIAL + "abcxyz0123"), max_size=12))
        text = text[:at] + insert + text[at + cut :]
    load(text.encode("utf-8", "surrogatepass"), "mutated real .bib")


value = st.text(
    alphabet=st.sampled_from(SPECIAL + "aé\\{}$\\alpha")
    | st.characters(blacklist_categories=["Cs"]),
    max_size=40,
)
field_name = st.sampled_from(
    [
        "title",
        "author",
        "editor",
        "year",
        "month",
        "journal",
        "doi",
        "url",
        "crossref",
        "eprint",
        "note",
        "Title",
        "x-y",
    ]
)
entry = st.tuples(
    st.sampled_from(
        [
            "article",
            "misc",
            "book",
            "inproceedings",
            "string",
            "comment",
            "preamble",
            "ARTICLE",
            "x",
        ]
    ),
    st.text(alphabet="abcxyz019:_-{}@ ,", min_size=0, max_size=10),
    st.lists(st.tuples(field_name, value, st.sampled_from(["{}", '""', "", "#"])), max_size=6),
)


def write(entries: list) -> str:
    out = []
    for kind, key, fields in entries:
        body = []
        for name, text, quote in fields:
            if quote == "{}":
                body.append(f"{name} = {{{text}}}")
            elif quote == '""':
                body.append(f'{name} = "{text}"')
            elif quote == "#":
                body.append(f'{name} = "a" # {text or "jan"} # {{b}}')
            else:
                body.append(f"{name} = {text}")
        out.append(f"@{kind}{{{key},\n  " + ",\n  ".join(body) + "\n}\n")
    return "\n".join(out)


@FUZZ
@given(st.lists(entry, max_size=6))
def test_generated_entries(entries: list) -> None:
    load(write(entries).encode("utf-8"), "generated entries")


record_text = st.text(
    alphabet=st.sampled_from(SPECIAL + "abcé$\\{}")
    | st.characters(blacklist_categories=["Cs", "Cc"]),
    max_size=60,
)


@FUZZ
# Found by this test: a category with a brace made add raise, a trailing backslash escaped the
# entry's closing brace (the entry swallowed the rest of the file).
@example(old="", title="", authors=[], doi="", journal_ref="", category="{")
@example(
    old="@misc{x, title = {y}}\n",
    title="end\\",
    authors=["A\\"],
    doi="\\",
    journal_ref="",
    category="\\",
)
@given(
    old=st.sampled_from(
        [DEMO_BIB, "", "% only a comment", "@misc{x, title = {No final newline}}", "\n\n\n"]
    ),
    title=record_text,
    authors=st.lists(record_text, max_size=4),
    doi=record_text,
    journal_ref=record_text,
    category=record_text,
)
def test_appended_entries_keep_the_file_and_parse(
    old: str, title: str, authors: list[str], doi: str, journal_ref: str, category: str
) -> None:
    """What `paperlog add` appends: any arXiv text makes an entry that parses alone."""
    COUNT["appended entries"] = COUNT.get("appended entries", 0) + 1
    record = {
        "id": "2401.00001",
        "title": title,
        "authors": authors,
        "published": "2024-01-02",
        "doi": doi,
        "journal_ref": journal_ref,
        "primary_category": category,
    }
    text = entry_for_record("new2024key", record)
    combined = old + ("\n\n" if old.strip() else "") + text
    assert combined.startswith(old)
    library = bibtexparser.parse_string(combined)
    assert [e.key for e in library.entries][-1] == "new2024key", combined
    assert not library.failed_blocks
    new = library.entries[-1]
    assert new["eprint"] == "2401.00001" and new["year"] == "2024"
    assert len(library.entries) == len(bibtexparser.parse_string(old).entries) + 1
    load(combined.encode("utf-8"), "appended entries (loaded)")


def test_report_counts(capsys) -> None:  # type: ignore[no-untyped-def]
    with capsys.disabled():
        print(f"\nBibTeX fuzz cases run: {COUNT}")
