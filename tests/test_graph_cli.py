"""`paperlog check` reports citation cycles as information, like the build."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import write_tree
from paperlog.cli import cli


def test_check_reports_cycle_as_info_and_exits_clean(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "mkdocs.yml": "site_name: T\nplugins: [paperlog]\n",
            "notes/papers/a.yaml": "title: A\nyear: 2016\ntopics: [t]\ncites: [b]\n",
            "notes/papers/b.yaml": "title: B\nyear: 2017\ntopics: [t]\ncites: [a]\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--strict", "--format", "parsable"])
    assert result.exit_code == 0, result.output
    assert "notes/papers/a.yaml:4:9: info[PL205] citation cycle 'a' -> 'b' -> 'a'" in result.output
