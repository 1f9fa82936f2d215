"""`paperlog export` (BibTeX, JSON, CSL-JSON) and `paperlog render --out`."""

from __future__ import annotations

import json

import bibtexparser
import pytest

from clihelp import run
from conftest import write_tree

RECORD = {
    "id": "1605.08386",
    "version": 2,
    "title": "Heat-bath random walks with Markov bases",
    "authors": ["Caprice Stanley", "Tobias Windisch"],
    "published": "2016-05-26",
    "summary": "Graphs on lattice points & moves.",
    "doi": "10.9999/test.2017.012",
    "primary_category": "math.CO",
}

FILES = {
    "mkdocs.yml": "site_name: Export test\ntheme: {name: material, font: false}\nplugins: [search, paperlog]\n",
    "notes/papers/walks.yaml": 'arxiv: "1605.08386"\nstatus: implemented\ntopics: [graphs]\nlog:\n  - {date: 2026-02-01, pass: first, minutes: 30}\n',
    "notes/papers/attention.yaml": """
        title: "Attention Is All You Need: 100% & more"
        authors: [Ashish Vaswani, "Shazeer, Noam"]
        year: 2017
        venue: NeurIPS
        pages: 5998-6008
        status: to-read
        topics: [transformers]
        cites: [walks]
        summary: Uses $\\sqrt{d_k}$.
    """,
    "notes/papers/old.yaml": "title: An Old Preprint\nauthors: [Ada Lovelace]\narxiv: hep-th/9901001\nstatus: skimmed\n",
    "notes/arxiv.json": json.dumps({"1605.08386": RECORD}, indent=2, sort_keys=True),
}


@pytest.fixture
def site(tmp_path, monkeypatch):
    write_tree(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_export_json_merges_metadata_and_reading_state(site):
    result = run("export", "--format", "json")
    assert result.exit_code == 0
    papers = {p["id"]: p for p in json.loads(result.stdout)}
    assert list(papers) == ["attention", "old", "walks"]
    walks = papers["walks"]
    assert walks["title"] == "Heat-bath random walks with Markov bases"  # from the arXiv cache
    assert walks["authors"] == ["Caprice Stanley", "Tobias Windisch"] and walks["year"] == 2016
    assert (walks["status"], walks["topics"], walks["last_read"], walks["minutes"]) == (
        "implemented",
        ["graphs"],
        "2026-02-01",
        30,
    )
    assert walks["cited_by"] == ["attention"] and walks["doi"] == "10.9999/test.2017.012"
    assert papers["attention"]["authors"] == ["Ashish Vaswani", "Noam Shazeer"]


def test_export_filters(site):
    def ids(*args):
        return [p["id"] for p in json.loads(run("export", "--format", "json", *args).stdout)]

    assert ids("--status", "implemented") == ["walks"]
    assert ids("--status", "implemented", "--status", "skimmed") == ["old", "walks"]
    assert ids("--topic", "transformers") == ["attention"]
    assert ids("--topic", "transformers", "--status", "implemented") == []


def test_export_csl_json(site):
    items = {i["id"]: i for i in json.loads(run("export", "--format", "csl-json").stdout)}
    assert items["walks"]["type"] == "article" and items["walks"]["number"] == "arXiv:1605.08386"
    assert items["walks"]["author"][0] == {"family": "Stanley", "given": "Caprice"}
    assert (
        items["walks"]["issued"] == {"date-parts": [[2016]]}
        and items["walks"]["DOI"] == "10.9999/test.2017.012"
    )
    assert (
        items["attention"]["type"] == "article-journal"
        and items["attention"]["container-title"] == "NeurIPS"
    )
    assert items["attention"]["page"] == "5998-6008"


def test_export_bibtex_parses_back(site):
    result = run("export")
    assert result.exit_code == 0
    library = bibtexparser.parse_string(result.stdout)
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert sorted(entries) == ["attention", "old", "walks"]
    assert entries["attention"].entry_type == "article"
    assert entries["attention"]["title"] == "Attention Is All You Need: 100\\% \\& more"
    assert entries["attention"]["author"] == "Ashish Vaswani and Noam Shazeer"
    assert (
        entries["walks"].entry_type,
        entries["walks"]["eprint"],
        entries["walks"]["archiveprefix"],
    ) == ("misc", "1605.08386", "arXiv")
    assert entries["old"]["eprint"] == "hep-th/9901001"


def test_export_to_a_file(site):
    result = run("export", "--format", "csl-json", "--status", "to-read", "-o", "out/papers.json")
    assert result.exit_code == 0 and result.stdout == ""
    assert "wrote 1 paper to out/papers.json" in result.stderr
    assert [i["id"] for i in json.loads((site / "out/papers.json").read_text())] == ["attention"]


def test_render_writes_plain_markdown_pages_and_assets(site):
    result = run("render", "--out", "generated")
    assert result.exit_code == 0, result.output
    out = site / "generated"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    for expected in (
        "index.md",
        "papers.md",
        "topics.md",
        "papers/walks.md",
        "papers/attention.md",
        "topics/graphs.md",
        "assets/paperlog/paperlog.css",
        "assets/paperlog/paperlog.js",
        "schemas/note.schema.json",
    ):
        assert expected in written
    assert "Heat-bath random walks with Markov bases" in (out / "papers/walks.md").read_text()
    assert "wrote " in result.stderr and "pages" in result.stderr
    # Rendering again replaces the files; --no-home leaves the home page out.
    (out / "index.md").unlink()
    assert run("render", "--out", "generated", "--no-home").exit_code == 0
    assert not (out / "index.md").exists()


def test_render_pages_build_without_the_plugin(site, tmp_path):
    """The rendered Markdown is a docs folder a plugin-less MkDocs builds."""
    from conftest import build

    assert run("render", "--out", "plain/docs").exit_code == 0
    plain = site / "plain"
    (plain / "mkdocs.yml").write_text(
        "site_name: Plain\ntheme: {name: material, font: false}\n"
        "markdown_extensions: [attr_list, md_in_html, admonition, tables, pymdownx.details, pymdownx.superfences]\n"
    )
    built = build(plain)
    assert (
        built.html("papers/walks/").find("h1").get_text(strip=True)
        == "Heat-bath random walks with Markov bases"
    )


def test_render_exit_code_on_errors(site):
    (site / "notes/papers/bad.yaml").write_text("status: reading\n")
    result = run("render", "--out", "generated")
    assert result.exit_code == 1 and "error[PL104]" in result.stderr
    assert (site / "generated/papers/walks.md").exists()
