"""The BibTeX writer used by /papers.bib and by commands that append to a user's .bib."""

from __future__ import annotations

import bibtexparser
import pytest

from paperlog.bibtex_write import appended, format_entry, paper_entry, text_to_latex
from paperlog.diagnostics import Diagnostics
from paperlog.load.bibtex import BibCache, load_sources
from paperlog.model import Author, Paper


def test_format_entry_round_trips_through_bibtexparser_and_our_loader():
    fields = {
        "title": "{BERT}: Pre-training with $\\alpha$ -- 50\\% better",
        "author": "Devlin, Jacob and M{\\\"u}ller, J{\\\"o}rg",
        "year": "2019",
        "pages": "4171--4186",
        "url": "https://example.org/a_b%20c",
        "zzz": "",
    }
    text = format_entry("devlin2018bert", "InProceedings", fields)
    assert text.startswith("@inproceedings{devlin2018bert,\n  author")
    assert text.endswith("}\n")
    library = bibtexparser.parse_string(text)
    (entry,) = library.entries
    assert entry["title"] == fields["title"]
    assert "zzz" not in entry
    loaded = load_sources([("x.bib", text.encode())], Diagnostics(), BibCache())["devlin2018bert"]
    assert loaded.fields["title"] == "BERT: Pre-training with $\\alpha$ – 50% better"
    assert [a.family for a in loaded.authors] == ["Devlin", "Müller"]


def test_unbalanced_braces_cannot_break_the_file():
    text = format_entry("k", "misc", {"title": "A } B { C"})
    assert not bibtexparser.parse_string(text + format_entry("k2", "misc", {"title": "ok"})).failed_blocks


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        ("", "@misc{k,\n}\n"),
        ("@misc{a}\n", "@misc{a}\n\n@misc{k,\n}\n"),
        ("@misc{a}", "@misc{a}\n\n@misc{k,\n}\n"),
        ("% c\r\n@misc{a}\r\n\n", "% c\r\n@misc{a}\r\n\n@misc{k,\n}\n"),
    ],
)
def test_appended_keeps_every_existing_byte(existing, expected):
    result = appended(existing, format_entry("k", "misc", {}))
    assert result == expected and result.startswith(existing)


def test_text_to_latex_escapes_specials_outside_math():
    assert text_to_latex("R&D 100% #1 a_b $x_1$") == "R\\&D 100\\% \\#1 a\\_b $x_1$"


def test_paper_entry_from_a_note():
    paper = Paper(
        id="me2026", source="n.yaml", title="Learning & Reading", authors=(Author("Ada Lovelace", "Ada", "Lovelace"), Author("ACME Lab", "", "ACME Lab")),
        year=2026, venue="Proceedings of the Reading Workshop", pages="1–9", arxiv="2601.00001",
    )
    entry_type, fields = paper_entry(paper)
    assert entry_type == "inproceedings"
    assert fields["author"] == "Lovelace, Ada and {ACME Lab}"
    assert fields["title"] == "{Learning \\& Reading}"
    assert fields["pages"] == "1--9"
    assert (fields["eprint"], fields["archiveprefix"]) == ("2601.00001", "arXiv")
    assert bibtexparser.parse_string(format_entry("me2026", entry_type, fields)).entries[0]["year"] == "2026"
