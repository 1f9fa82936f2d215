"""The arXiv cache in the build and in `paperlog check`: offline metadata, PL401-PL403."""

from __future__ import annotations

import json

import pytest

from clihelp import run

RECORD = {
    "id": "1605.08386",
    "version": 1,
    "title": "Heat-bath random walks with Markov bases",
    "authors": ["Caprice Stanley", "Tobias Windisch"],
    "published": "2016-05-26",
    "updated": "2016-05-26",
    "summary": "Graphs on lattice points are studied.",
    "doi": "",
    "journal_ref": "",
    "primary_category": "math.CO",
    "categories": ["math.CO", "math.ST"],
    "pdf_url": "https://arxiv.org/pdf/1605.08386v1",
    "abs_url": "https://arxiv.org/abs/1605.08386v1",
    "comment": "20 pages",
    "fetched": "2026-11-20T10:00:00Z",
}


def cache_text(records: dict) -> str:
    return json.dumps(records, sort_keys=True, indent=2) + "\n"


def test_build_takes_metadata_from_the_cache_and_stays_offline(make_site, monkeypatch):
    # Any request would fail: the build must not make one.
    monkeypatch.setenv("PAPERLOG_ARXIV_URL", "http://127.0.0.1:9/never")
    site = make_site(
        {
            "notes/papers/walks.yaml": 'arxiv: "arXiv:1605.08386v1"\nstatus: skimmed\n',
            "notes/papers/missing.yaml": 'title: Not cached yet\narxiv: "1706.03762"\n',
            "notes/arxiv.json": cache_text({"1605.08386": RECORD}),
        },
        strict=True,
    )
    page = site.html("papers/walks/")
    assert page.find("h1").get_text(strip=True) == "Heat-bath random walks with Markov bases"
    text = page.get_text(" ")
    assert "Caprice Stanley" in text and "2016" in text
    infos = [m for m in site.messages() if "PL403" in m]
    assert infos == [
        "paperlog: notes/papers/missing.yaml:2:1: info[PL403] arXiv 1706.03762 is not in the arXiv cache yet "
        "(hint: run `paperlog refresh` to fetch its metadata; the build itself never goes online)"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{\n  "1605.08386": {\n    "id": \n}',
            "notes/arxiv.json:4:1: error[PL401] the arXiv cache is not valid JSON: Expecting value",
        ),
        (
            "[1, 2]\n",
            "notes/arxiv.json:1:1: error[PL401] the arXiv cache must be a JSON object of records keyed by arXiv id",
        ),
        (b"\xff\xfe{}", "notes/arxiv.json:1:1: error[PL401] the arXiv cache is not UTF-8 text"),
        (
            cache_text(
                {
                    "1605.08386": RECORD,
                    "1706.03762": {"id": "1706.03762", "title": 3, "published": "2017"},
                }
            ),
            "notes/arxiv.json:25:3: error[PL402] 'title' of the record for '1706.03762' has the wrong type; the record for '1706.03762' has no 'authors'",
        ),
        (
            cache_text({"1706.03762": dict(RECORD)}),
            "notes/arxiv.json:2:3: error[PL402] the record stored under '1706.03762' has the id '1605.08386'",
        ),
    ],
)
def test_check_reports_a_corrupt_cache(tmp_path, monkeypatch, content, expected):
    (tmp_path / "notes/papers").mkdir(parents=True)
    (tmp_path / "notes/papers/walks.yaml").write_text('title: Walks\narxiv: "1605.08386"\n')
    path = tmp_path / "notes/arxiv.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    monkeypatch.chdir(tmp_path)
    result = run("check", "--format", "parsable")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "PL40" in line]
    assert any(line.startswith(expected) for line in lines), lines
    assert "run `paperlog refresh --all`" in result.stdout


def test_missing_record_is_info_not_a_failure(tmp_path, monkeypatch):
    (tmp_path / "notes/papers").mkdir(parents=True)
    (tmp_path / "notes/papers/attention.yaml").write_text('title: Attention\narxiv: "1706.03762"\n')
    monkeypatch.chdir(tmp_path)
    result = run("check", "--strict", "--format", "github")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "::notice file=notes/papers/attention.yaml,line=2,col=1,title=PL403::arXiv 1706.03762 is not in the arXiv cache yet"
    )
