"""Table-driven tests: arXiv ids, the citation key rule, BibTeX writing, atomic files."""

from __future__ import annotations

import os

import bibtexparser
import pytest

from paperlog import fileio
from paperlog.arxiv.ids import ArxivId, parse_arxiv_id
from paperlog.bibtex_write import escape_text, format_entry
from paperlog.citekeys import base_key, unique_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1706.03762", ArxivId("1706.03762")),
        ("1706.03762v5", ArxivId("1706.03762", 5)),
        ("arXiv:2010.11929v2", ArxivId("2010.11929", 2)),
        ("ARXIV: 2010.11929", ArxivId("2010.11929")),
        ("0704.0001", ArxivId("0704.0001")),
        ("hep-th/9901001", ArxivId("hep-th/9901001")),
        ("math.GT/0309136v3", ArxivId("math.GT/0309136", 3)),
        ("https://arxiv.org/abs/hep-th/9901001", ArxivId("hep-th/9901001")),
        ("http://arxiv.org/abs/1706.03762v7", ArxivId("1706.03762", 7)),
        ("https://arxiv.org/pdf/1706.03762v7.pdf", ArxivId("1706.03762", 7)),
        ("https://arxiv.org/pdf/1706.03762", ArxivId("1706.03762")),
        (
            "https://export.arxiv.org/abs/astro-ph/0601001?context=astro-ph",
            ArxivId("astro-ph/0601001"),
        ),
        ("  www.arxiv.org/abs/2104.12255v1/ ", ArxivId("2104.12255", 1)),
        ("abc", None),
        ("1706.376", None),
        ("1706.03762v0", None),
        ("hep-th/990100", None),
        ("https://example.org/abs/1706.03762", None),
        ("", None),
    ],
)
def test_parse_arxiv_id(text, expected):
    assert parse_arxiv_id(text) == expected


def test_query_form_keeps_the_version():
    assert ArxivId("1706.03762", 5).query == "1706.03762v5"
    assert str(ArxivId("hep-th/9901001")) == "hep-th/9901001"


@pytest.mark.parametrize(
    ("authors", "year", "title", "key"),
    [
        (
            ["Ashish Vaswani", "Noam Shazeer"],
            "2017",
            "Attention Is All You Need",
            "vaswani2017attention",
        ),
        (
            ["Jacob Devlin"],
            2018,
            "BERT: Pre-training of Deep Bidirectional Transformers",
            "devlin2018bert",
        ),
        (
            ["Erwin Schrödinger"],
            1926,
            "An Undulatory Theory of the Mechanics of Atoms",
            "schrodinger1926undulatory",
        ),
        (["Łukasz Kaiser"], 2017, "One Model To Learn Them All", "kaiser2017one"),
        (["Martin Luther King Jr."], 1963, "On the $\\alpha$-nets of a dream", "king1963nets"),
        (["Gomez, Aidan N."], 2017, "The 2nd Look", "gomez2017look"),
        (["Quan Thoi Minh Nguyen"], 2021, "0", "nguyen2021"),
        ([], 2020, "A Survey", "anon2020survey"),
        (["李 小龙"], 2020, "", "anon2020"),
    ],
)
def test_key_rule(authors, year, title, key):
    assert base_key(authors, year, title) == key


def test_unique_key_adds_letters():
    taken = {"vaswani2017attention", "vaswani2017attentionb"}
    assert unique_key("vaswani2017attention", taken.__contains__) == "vaswani2017attentionc"
    assert unique_key("devlin2018bert", taken.__contains__) == "devlin2018bert"
    many = {"k"} | {f"k{c}" for c in "bcdefghijklmnopqrstuvwxyz"}
    assert unique_key("k", many.__contains__) == "kaa"


def test_format_entry_round_trips_through_bibtexparser():
    text = format_entry(
        "gould2006frequency",
        "misc",
        {
            "title": escape_text("Hot Jupiters & $\\alpha$ 100% {sure"),
            "author": "Andrew Gould and B. Scott Gaudi",
            "year": "2006",
            "doi": "",
        },
    )
    assert text.startswith("@misc{gould2006frequency,\n  title = {") and text.endswith("}\n")
    assert "doi" not in text  # empty fields are left out
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry.key == "gould2006frequency"
    assert entry["title"] == "Hot Jupiters \\& $\\alpha$ 100\\% \\{sure"
    assert entry["author"] == "Andrew Gould and B. Scott Gaudi"


@pytest.mark.parametrize(
    ("key", "entry_type", "fields"),
    [
        ("a b", "misc", {}),
        ("k", "mi sc", {}),
        ("k", "misc", {"ti tle": "x"}),
        ("k", "misc", {"title": "{x"}),
    ],
)
def test_format_entry_refuses_what_bibtex_cannot_read(key, entry_type, fields):
    with pytest.raises(ValueError):
        format_entry(key, entry_type, fields)


def test_atomic_writes(tmp_path):
    target = tmp_path / "sub" / "cache.json"
    fileio.write_json(target, {"b": 1, "a": [1, "é"]})
    assert target.read_text("utf-8") == '{\n  "a": [\n    1,\n    "é"\n  ],\n  "b": 1\n}\n'
    os.chmod(target, 0o640)
    fileio.write_text(target, "new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640
    assert fileio.create_new(tmp_path / "n.yaml", b"one") is True
    assert fileio.create_new(tmp_path / "n.yaml", b"two") is False
    assert (tmp_path / "n.yaml").read_bytes() == b"one"
    old = fileio.append_bytes(tmp_path / "n.yaml", b"+more")
    assert old == b"one" and (tmp_path / "n.yaml").read_bytes() == b"one+more"
    # No temporary file is left behind.
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["cache.json", "n.yaml", "sub"]


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "refs.bib"
    target.write_bytes(b"@misc{a,}\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        fileio.write_bytes(target, b"something else")
    assert target.read_bytes() == b"@misc{a,}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]
