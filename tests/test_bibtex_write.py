"""Writing BibTeX: appending keeps every byte, exported entries stand alone."""

from __future__ import annotations

import bibtexparser
import pytest

from paperlog.bibtex_write import appended, format_entry, standalone_entry
from paperlog.diagnostics import Diagnostics
from paperlog.load.bibtex import BibCache, load_sources


def loaded(text: str) -> dict:
    return load_sources([("refs.bib", text.encode())], Diagnostics(), BibCache())


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


def test_standalone_entry_expands_macros_and_crossrefs_and_keeps_latex():
    text = r"""
@string{neurips = "Advances in Neural Information Processing Systems"}
@proceedings{proc, title = {Proc. of {NeurIPS}}, year = 2017, publisher = {Curran}}
@inproceedings{vaswani2017attention,
  title = {Attention Is All You Need: $O(n^2)$},
  author = {Vaswani, Ashish and Kaiser, {\L}ukasz},
  booktitle = neurips # " 30",
  crossref = {proc},
  pages = {5998--6008},
}
"""
    out = standalone_entry(loaded(text)["vaswani2017attention"])
    (entry,) = bibtexparser.parse_string(out).entries
    assert entry.key == "vaswani2017attention"
    assert entry["booktitle"] == "Advances in Neural Information Processing Systems 30"
    assert entry["year"] == "2017" and entry["publisher"] == "Curran"  # from the crossref
    assert "crossref" not in entry
    assert entry["author"] == "Vaswani, Ashish and Kaiser, {\\L}ukasz"
    assert entry["title"] == "Attention Is All You Need: $O(n^2)$"
    assert out.index("author") < out.index("title") < out.index("booktitle")
    # And it reads back to the same decoded fields.
    again = loaded(out)["vaswani2017attention"]
    assert again.fields["title"] == "Attention Is All You Need: $O(n^2)$"
    assert [a.name for a in again.authors] == ["Ashish Vaswani", "Łukasz Kaiser"]
