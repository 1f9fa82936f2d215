"""Two notes for the same paper (merged from two branches) are caught by `paperlog check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_tree
from paperlog.cli import cli
from paperlog.diagnostics import CODES, Diagnostics
from paperlog.link import link_library
from paperlog.link.team import normalize_doi, normalize_title
from paperlog.model import BibEntry, LoadedLibrary, Paper
from paperlog.settings import Settings

MKDOCS_YML = "site_name: Lab\nplugins: [search, paperlog]\n"


def check(tmp_path: Path, notes: dict[str, str], extra: dict[str, str] | None = None):
    files = {
        "mkdocs.yml": MKDOCS_YML,
        **{f"notes/papers/{k}": v for k, v in notes.items()},
        **(extra or {}),
    }
    write_tree(tmp_path, files)
    result = CliRunner().invoke(
        cli, ["check", "--format", "parsable", "-f", str(tmp_path / "mkdocs.yml")]
    )
    lines = [ln for ln in result.output.splitlines() if "[PL111]" in ln]
    return result.exit_code, lines


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Attention Is All You Need", "attention is all you need"),
        ("  Attention   is all you need.  ", "attention is all you need"),
        ("ATTENTION IS ALL YOU NEED!", "attention is all you need"),
        ("Schrödinger's Cat", "schrodinger s cat"),
        ("Schro\u0308dinger\u2019s cat", "schrodinger s cat"),
        ("Straße", "strasse"),
        ("ﬁne-tuning — BERT", "fine tuning bert"),
        ("BERT: Pre-training", "bert pre training"),
        ("", ""),
    ],
)
def test_normalize_title(title, expected):
    assert normalize_title(title) == expected


@pytest.mark.parametrize(
    ("doi", "expected"),
    [
        ("10.5555/ABC.1", "10.5555/abc.1"),
        ("https://doi.org/10.5555/abc.1", "10.5555/abc.1"),
        ("doi:10.5555/abc.1", "10.5555/abc.1"),
    ],
)
def test_normalize_doi(doi, expected):
    assert normalize_doi(doi) == expected


def test_same_arxiv_id_is_an_error_naming_both_files(tmp_path):
    code, lines = check(
        tmp_path,
        {
            "vaswani2017.yaml": 'title: Attention Is All You Need\narxiv: "1706.03762"\n',
            "attention.yaml": 'title: Transformers paper\narxiv: "arXiv:1706.03762v5"\n',
        },
    )
    assert code == 1
    assert lines == [
        "notes/papers/vaswani2017.yaml:2:1: error[PL111] notes/papers/attention.yaml and "
        "notes/papers/vaswani2017.yaml describe the same paper (arXiv id '1706.03762') "
        "[hint: keep one note per paper: merge the two files (per-reader notes go under `by:`)]"
    ]
    assert "PL111" in CODES


def test_same_doi_in_any_spelling_is_an_error(tmp_path):
    code, lines = check(
        tmp_path,
        {
            "a.yaml": "title: One\ndoi: 10.1145/ABC.123\n",
            "b.yaml": "title: Other\ndoi: 10.1145/abc.123\n",
        },
    )
    assert code == 1
    assert len(lines) == 1 and "error[PL111]" in lines[0]
    assert lines[0].startswith("notes/papers/b.yaml:2:1:")
    assert (
        "notes/papers/a.yaml and notes/papers/b.yaml" in lines[0]
        and "(DOI '10.1145/abc.123')" in lines[0]
    )


def test_same_normalized_title_is_a_warning(tmp_path):
    code, lines = check(
        tmp_path,
        {
            "ada/bert.yaml": "title: 'BERT: Pre-training of Deep Bidirectional Transformers'\n",
            "alan/devlin2018.yaml": "year: 2018\ntitle: bert -- pre-training of deep bidirectional transformers\n",
        },
    )
    assert code == 0  # a warning: exit 2 only with --strict
    assert len(lines) == 1
    assert lines[0].startswith(
        "notes/papers/alan/devlin2018.yaml:2:1: warning[PL111] notes/papers/ada/bert.yaml and notes/papers/alan/devlin2018.yaml"
    )


def test_same_title_with_different_identifiers_is_not_a_duplicate(tmp_path):
    _, lines = check(
        tmp_path,
        {
            "a.yaml": "title: Introduction\ndoi: 10.1000/a\n",
            "b.yaml": "title: Introduction\ndoi: 10.1000/b\n",
            "c.yaml": 'title: Introduction\narxiv: "2101.00001"\n',
        },
    )
    # a and b are different works; c has no DOI to tell it apart from a.
    assert len(lines) == 1 and "notes/papers/a.yaml and notes/papers/c.yaml" in lines[0]


def test_identifier_from_bibtex_counts():
    """Duplicates are found after metadata merging: an arXiv id may come from a .bib entry."""
    entry = BibEntry(
        "vaswani2017",
        "article",
        {"title": "Attention Is All You Need", "eprint": "1706.03762", "archiveprefix": "arXiv"},
        "notes/references.bib",
        1,
    )
    lib = LoadedLibrary(
        papers={
            "vaswani2017": Paper(
                "vaswani2017", "notes/papers/vaswani2017.yaml", bibkey="vaswani2017"
            ),
            "transformer": Paper(
                "transformer",
                "notes/papers/transformer.yaml",
                title="The Transformer",
                arxiv="1706.03762",
            ),
        },
        bib={"vaswani2017": entry},
    )
    diags = Diagnostics()
    link_library(lib, Settings(root=Path("/site"), notes_dir=Path("/site/notes")), diags)
    (found,) = [d for d in diags if d.code == "PL111"]
    assert found.path == "notes/papers/vaswani2017.yaml"
    assert "notes/papers/transformer.yaml and notes/papers/vaswani2017.yaml" in found.message
    assert "arXiv id '1706.03762'" in found.message


def test_three_notes_are_each_reported_once(tmp_path):
    _, lines = check(
        tmp_path,
        {
            "a.yaml": 'title: Same\narxiv: "1706.03762"\n',
            "b.yaml": 'title: Same\narxiv: "1706.03762"\n',
            "c.yaml": 'title: same\narxiv: "1706.03762"\n',
        },
    )
    assert [ln.split(":")[0] for ln in lines] == ["notes/papers/b.yaml", "notes/papers/c.yaml"]


def test_duplicate_fails_a_strict_mkdocs_build(make_site):
    from mkdocs.exceptions import Abort

    files = {
        "notes/papers/a.yaml": 'title: A\narxiv: "1706.03762"\n',
        "notes/papers/b.yaml": 'title: B\narxiv: "1706.03762"\n',
    }
    with pytest.raises(Abort):
        make_site(files, strict=True)
