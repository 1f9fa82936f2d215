"""Property-based: no note, however broken, makes the loader raise.

Random text, mutated valid notes and random YAML structures go through the
whole load -> link path; every problem must come back as a Diagnostic.
"""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperlog.diagnostics import Diagnostic, Diagnostics
from paperlog.link import link_library
from paperlog.load import load_library
from paperlog.settings import Settings

VALID = """title: Attention Is All You Need
authors: [Ashish Vaswani, "Shazeer, Noam"]
year: 2017
arxiv: "1706.03762"
status: implemented
topics: [transformers]
log:
  - {date: 2026-01-05, pass: skim, minutes: 15}
summary: |
  Attention: $QK^T$.
highlights:
  - {quote: "x", page: 3}
pseudocode:
  - name: Attention
    steps: [scores, {text: softmax, code: attention.softmax}]
results:
  - {metric: BLEU, reported: 28.4, reproduced: 27.1}
cites: [other]
"""

FUZZ = settings(
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_note(tmp_path: Path, data: bytes) -> list[Diagnostic]:
    papers = tmp_path / "notes" / "papers"
    papers.mkdir(parents=True, exist_ok=True)
    (papers / "fuzz.yaml").write_bytes(data)
    (papers / "other.yaml").write_text("title: Other\n", "utf-8")
    settings_ = Settings.for_root(tmp_path)
    diags = Diagnostics()
    link_library(load_library(settings_, diags), settings_, diags)
    items = diags.sorted()
    for d in items:
        assert isinstance(d, Diagnostic) and d.message
        assert d.path.startswith("notes/")
    return items


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    check_note(tmp_path, data)


@FUZZ
@given(st.text(alphabet=string.printable + "äé–\u2028\ufeff\x00", max_size=400))
def test_random_text(tmp_path: Path, text: str) -> None:
    check_note(tmp_path, text.encode("utf-8"))


@FUZZ
@given(st.integers(0, len(VALID) - 1), st.integers(0, 40), st.text(max_size=8))
def test_mutated_valid_note(tmp_path: Path, at: int, cut: int, insert: str) -> None:
    mutated = VALID[:at] + insert + VALID[at + cut :]
    check_note(tmp_path, mutated.encode("utf-8"))


json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=25,
)
FIELDS = [
    "title",
    "authors",
    "year",
    "status",
    "topics",
    "log",
    "passes",
    "highlights",
    "figures",
    "questions",
    "pseudocode",
    "implementations",
    "results",
    "resources",
    "cites",
    "related",
    "rating",
    "id",
    "terms",
]


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS), json_like, max_size=6))
def test_random_structures_in_known_fields(tmp_path: Path, note: dict) -> None:
    check_note(tmp_path, yaml.safe_dump(note, allow_unicode=True).encode("utf-8"))


def test_deep_nesting_and_huge_values_are_bounded(tmp_path: Path) -> None:
    for depth in (100, 5000):  # ours stops at 64 levels, libyaml's own guard at 1,000
        deep = check_note(tmp_path, b"title: " + b"[" * depth + b"]" * depth + b"\n")
        assert (
            len(deep) == 1 and deep[0].code in ("PL101", "PL107") and "nesting" in deep[0].message
        )
    huge = check_note(tmp_path, b"title: " + b"x" * 9_000_000 + b"\n")
    assert [d.code for d in huge] == ["PL107"]
    crlf_bom = check_note(tmp_path, b"\xef\xbb\xbftitle: A\r\nstatus: skimmed\r\n")
    assert crlf_bom == []
