"""BibTeX loading: decoding, macros, crossrefs, names, bad input, encodings, the cache."""

from __future__ import annotations

import pytest

from paperlog.diagnostics import Diagnostics
from paperlog.load.bibtex import BibCache, load_sources
from paperlog.load.latex import LatexDecoder


def load(*files: tuple[str, str | bytes]) -> tuple[dict, list]:
    diags = Diagnostics()
    sources = [
        (name, text.encode("utf-8") if isinstance(text, str) else text) for name, text in files
    ]
    entries = load_sources(sources, diags, BibCache())
    return entries, list(diags)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"Bj{\"o}rn", "Björn"),
        (r"Bj\"{o}rn", "Björn"),
        (r"Erd{\H{o}}s", "Erdős"),
        (r"{\'\i}", "í"),
        (r"Garc{\'\i}a", "García"),
        (r"{\L}ukasz", "Łukasz"),
        (r"Fran\c{c}ois", "François"),
        (r"Gro\ss e", "Große"),
        (r"{\AA}ngstr{\"o}m", "Ångström"),
        (r"The {BERT} Model", "The BERT Model"),
        (r"{{Deep}} {R}esidual Learning", "Deep Residual Learning"),
        (r"Pages 12--34", "Pages 12–34"),
        (r"A---B", "A—B"),
        (r"Attention with $O(n^2)$ cost", "Attention with $O(n^2)$ cost"),
        (
            r"An Image is Worth $16\times16$ Words -- {ViT}",
            "An Image is Worth $16\\times16$ Words – ViT",
        ),
        (r"50\% \& more", "50% & more"),
        (r"50% off", "50% off"),
        (r"``Quoted''", "“Quoted”"),
        (r"\emph{Deep} \textbf{Learning}", "Deep Learning"),
        (r"\mbox{IEEE} Trans.", "IEEE Trans."),
        (r"A \ldots\ B \textendash{} C", "A … B – C"),
        ("Several\n   lines   of text", "Several lines of text"),
    ],
)
def test_latex_is_decoded_to_unicode(latex, text):
    decoded, problem = LatexDecoder().decode(latex)
    assert (decoded, problem) == (text, "")


@pytest.mark.parametrize(
    ("latex", "text", "problem"),
    [
        (r"\foo{Bar} baz", "Bar baz", "unknown LaTeX command \\foo"),
        (r"Unbalanced {brace", "Unbalanced brace", "unbalanced braces"),
    ],
)
def test_undecodable_latex_is_readable_and_reported(latex, text, problem):
    assert LatexDecoder().decode(latex) == (text, problem)


def test_undecodable_latex_is_reported_once_with_file_and_line():
    bib = "@article{a,\n  title = {A \\foo{new} idea},\n  year = 2020\n}\n@article{b, crossref = {a}}\n"
    entries, diags = load(("refs.bib", bib))
    assert entries["a"].fields["title"] == "A new idea"
    assert entries["b"].fields["title"] == "A new idea"  # inherited, not reported again
    reported = [d for d in diags if d.code == "PL307"]
    assert [(d.path, d.line) for d in reported] == [("refs.bib", 2)]
    assert "\\foo" in reported[0].message


def test_string_macros_months_and_concatenation_are_expanded():
    bib = """
@string{jmlr = "Journal of Machine Learning Research"}
@string{vol = {Vol. } # "12"}
@article{x,
  journal = jmlr,
  note = vol # " (" # jan # ")",
  month = dec,
  year = 2011,
}
"""
    entries, diags = load(("refs.bib", bib))
    fields = entries["x"].fields
    assert fields["journal"] == "Journal of Machine Learning Research"
    assert fields["note"] == "Vol. 12 (January)"
    assert fields["month"] == "December"
    assert fields["year"] == "2011"
    assert diags == []


def test_macros_defined_in_another_file_are_used():
    entries, diags = load(
        ("a-papers.bib", "@article{x, journal = pami, title = {T}}"),
        (
            "z-journals.bib",
            '@string{pami = "IEEE Transactions on Pattern Analysis and Machine Intelligence"}',
        ),
    )
    assert entries["x"].fields["journal"].startswith("IEEE Transactions")
    assert diags == []


def test_undefined_macro_is_reported_with_its_line():
    entries, diags = load(("refs.bib", "@article{x,\n  title = {T},\n  journal = nosuchjournal\n}"))
    assert entries["x"].fields["journal"] == "nosuchjournal"
    assert [(d.code, d.line) for d in diags] == [("PL305", 3)]


def test_crossref_inherits_missing_fields_and_maps_the_title_to_booktitle():
    bib = """
@inproceedings{paper, title = {Paper}, author = {Doe, Jane}, crossref = {proc}, pages = {1--10}}
@proceedings{proc, title = {Proceedings of {ICML} 2020}, year = 2020, publisher = {PMLR}, editor = {Roe, Rick}}
@inproceedings{chained, title = {Chained}, crossref = {paper}}
"""
    entries, diags = load(("refs.bib", bib))
    paper = entries["paper"].fields
    assert paper["booktitle"] == "Proceedings of ICML 2020"
    assert paper["year"] == "2020"
    assert paper["publisher"] == "PMLR"
    assert paper["title"] == "Paper"
    assert entries["paper"].latex_fields["booktitle"] == "Proceedings of {ICML} 2020"
    assert [a.name for a in entries["paper"].authors] == ["Jane Doe"]
    assert entries["chained"].fields["publisher"] == "PMLR"  # cascades through paper to proc
    assert diags == []


def test_crossref_to_a_missing_entry_or_a_cycle_is_reported():
    bib = "@article{a, crossref = {nowhere}}\n@article{b, crossref = {c}}\n@article{c, crossref = {b}}\n"
    entries, diags = load(("refs.bib", bib))
    assert set(entries) == {"a", "b", "c"}
    messages = [d.message for d in diags if d.code == "PL306"]
    assert any("nowhere" in m for m in messages)
    assert any("cycle" in m for m in messages)


@pytest.mark.parametrize(
    ("field", "names"),
    [
        ("Ludwig van Beethoven", [("Ludwig", "van Beethoven")]),
        ("van Beethoven, Ludwig", [("Ludwig", "van Beethoven")]),
        ("King, Jr., Martin Luther", [("Martin Luther", "King")]),
        ("de la Fontaine, Jean", [("Jean", "de la Fontaine")]),
        ("{Barnes and Noble}", [("", "Barnes and Noble")]),
        (
            'Bj{\\"o}rn Smith and Erd{\\H{o}}s, Paul and others',
            [("Björn", "Smith"), ("Paul", "Erdős")],
        ),
        ("Knuth, Donald E. AND Lamport, Leslie", [("Donald E.", "Knuth"), ("Leslie", "Lamport")]),
        ("Jean-Paul Sartre", [("Jean-Paul", "Sartre")]),
        ("{\\L}ukasz Kaiser", [("Łukasz", "Kaiser")]),
    ],
)
def test_names_are_split_into_given_and_family(field, names):
    entries, diags = load(("refs.bib", f"@book{{x, author = {{{field}}}, title = {{T}}}}"))
    assert [(a.given, a.family) for a in entries["x"].authors] == names
    assert diags == []


def test_jr_part_is_kept_in_the_display_name():
    entries, _ = load(("refs.bib", "@book{x, author = {King, Jr., Martin Luther}}"))
    assert entries["x"].authors[0].name == "Martin Luther King Jr."


def test_editors_stand_in_for_missing_authors():
    entries, _ = load(("refs.bib", "@book{x, editor = {Roe, Rick and Poe, Paula}}"))
    assert [a.family for a in entries["x"].authors] == ["Roe", "Poe"]


def test_malformed_entries_are_reported_with_lines_and_the_rest_loads():
    bib = """@article{good1, title = {One}}

@article{broken title = {No comma after the key}}

@article{good2,
  title = {Two},
  author = {Doe, Jane
}

@article{good3, title = {Three}}
@misc{, title = {No key}}
@article{good4, title = {Four}, title = {Again}}
"""
    entries, diags = load(("refs.bib", bib))
    assert {"good1", "good3", "good4"} <= set(entries)
    errors = [(d.code, d.line) for d in diags if d.code == "PL302"]
    assert ("PL302", 3) in errors
    assert ("PL302", 5) in errors  # the unclosed brace
    assert ("PL302", 11) in errors  # the entry without a key
    assert entries["good4"].fields["title"] == "Four"
    assert [(d.code, d.line) for d in diags if d.code == "PL304"] == [("PL304", 12)]
    # Nothing vanished silently: each entry-like block is loaded or reported.
    assert len(entries) + len(errors) >= 6


def test_duplicate_keys_across_files_name_both_places_and_the_first_wins():
    entries, diags = load(
        ("a.bib", "@article{same, title = {First}}\n"),
        ("b.bib", "\n\n@book{same, title = {Second}}\n"),
    )
    assert entries["same"].fields["title"] == "First"
    assert entries["same"].source == "a.bib"
    (dup,) = [d for d in diags if d.code == "PL303"]
    assert (dup.path, dup.line) == ("b.bib", 3)
    assert "a.bib:1" in dup.message


def test_duplicate_keys_in_one_file_are_reported():
    entries, diags = load(("a.bib", "@article{k, title = {One}}\n@article{k, title = {Two}}\n"))
    assert entries["k"].fields["title"] == "One"
    assert [(d.code, d.line) for d in diags] == [("PL303", 2)]


def test_raw_text_is_kept_exactly_as_written():
    raw = "@Article{Key1,\n  Title  = {{The} Raw   Text},\n  Author = {Doe, J.},\n}"
    entries, _ = load(("a.bib", "% comment\n" + raw + "\n\n@misc{other}\n"))
    assert entries["Key1"].raw == raw
    assert entries["Key1"].entry_type == "article"
    assert entries["Key1"].line == 2


def test_latin1_file_falls_back_with_a_warning_naming_the_line():
    data = "@book{k,\n  title = {Caf\u00e9 and Cr\u00e8me},\n}\n".encode("latin-1")
    entries, diags = load(("latin.bib", data))
    assert entries["k"].fields["title"] == "Café and Crème"
    assert [(d.code, d.line) for d in diags] == [("PL308", 2)]


def test_an_encoding_named_in_the_file_is_used():
    data = "% Encoding: windows-1252\n@book{k, title = {\u201cSmart\u201d quotes}}\n".encode(
        "cp1252"
    )
    entries, diags = load(("jabref.bib", data))
    assert entries["k"].fields["title"] == "“Smart” quotes"
    assert diags == []


def test_utf8_bom_and_crlf_are_accepted():
    data = b"\xef\xbb\xbf@book{k,\r\n  title = {Na\xc3\xafve},\r\n}\r\n"
    entries, diags = load(("bom.bib", data))
    assert entries["k"].fields["title"] == "Naïve"
    assert entries["k"].raw == "@book{k,\n  title = {Naïve},\n}"
    assert diags == []


def test_cache_reuses_the_result_until_a_file_changes():
    cache = BibCache()
    sources = [("a.bib", b"@book{a, title = {A \\foo{x}}}"), ("b.bib", b"@book{b, title = {B}}")]
    first_diags, again_diags = Diagnostics(), Diagnostics()
    first = load_sources(sources, first_diags, cache)
    again = load_sources(sources, again_diags, cache)
    assert again == first and again["a"] is first["a"]
    assert list(again_diags) == list(first_diags) != []  # cached problems are reported again
    assert (cache.hits, cache.misses) == (1, 1)
    changed = [sources[0], ("b.bib", b"@book{b, title = {B2}}")]
    third = load_sources(changed, Diagnostics(), cache)
    assert third["b"].fields["title"] == "B2"
    assert ("a.bib", next(k for r, k in cache.files if r == "a.bib")) in cache.files
    assert cache.misses == 2 and len(cache.files) == 2
