"""End-to-end: code pages, the paper page's code sections and code diagnostics in real builds."""

from __future__ import annotations

import os

import pytest
from mkdocs.exceptions import Abort

ATTENTION_PY = '''\
"""Scaled dot-product attention, for the tests."""

import math


def softmax(xs):
    """Softmax of a list of numbers."""
    exps = [math.exp(x) for x in xs]
    total = sum(exps)
    return [e / total for e in exps]


def scaled_dot_product_attention(q, k, v):
    """Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V.

    Args:
        q: One query.
        k: The keys.
        v: The values.
    """
    scores = [sum(a * b for a, b in zip(q, key)) / math.sqrt(len(q)) for key in k]
    weights = softmax(scores)
    return [sum(w * val[i] for w, val in zip(weights, v)) for i in range(len(v[0]))]


class MultiHeadAttention:
    """Several heads side by side."""

    def forward(self, x):
        """Run every head."""
        return x


TRICKY = "</div><script>alert(1)</script> ``` $x$"
__version__ = "1.0"
'''

NOTE = """
title: Attention Is All You Need
year: 2017
status: implemented
topics: [transformers]
pseudocode:
  - name: Scaled dot-product attention
    steps:
      - text: "Scores $QK^T / \\\\sqrt{d_k}$"
        code: attention.py#L21-L21
      - text: Softmax over the keys
        code: attention.softmax
      - text: Weighted sum of the values
        code: attention.py#L23
      - text: Dropout on the attention weights
implementations:
  - code: attention.MultiHeadAttention
    note: Plain Python, *no* numpy.
  - repo: https://github.com/tensorflow/tensor2tensor
    official: true
  - code: attention.__version__
results:
  - {metric: BLEU en-de, reported: 28.4, reproduced: 27.1, setup: "toy copy task, `seed=0`"}
  - {metric: Perplexity, reported: 4.92, reproduced: 6.0, higher_is_better: false}
  - {metric: Accuracy, reported: 0.5, reproduced: 0.9}
  - {metric: BLEU en-fr, reported: 41.0}
"""

LAYERNORM_NOTE = """
title: Layer Normalization
year: 2016
status: to-read
topics: [transformers]
results:
  - {metric: something, reported: 1.0}
"""


def code_site(**extra: str | bytes) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "notes/code/attention.py": ATTENTION_PY,
        "notes/code/helpers/__init__.py": "",
        "notes/code/helpers/shapes.py": '"""Shape helpers."""\n\nWIDTH = 4\n',
        "notes/papers/vaswani2017attention.yaml": NOTE,
        "notes/papers/ba2016layer.yaml": LAYERNORM_NOTE,
    }
    files.update(extra)
    return files


def test_code_page_has_api_docs_source_anchors_and_backlinks(make_site):
    site = make_site(code_site(), strict=True)
    assert site.warnings == []
    page = site.html("code/attention/")
    article = page.select_one("article")
    assert article.h1.get_text(strip=True) == "attention"
    assert "notes/code/attention.py" in article.select_one(".pl-code-meta").get_text()
    # API documentation, rendered by mkdocstrings from the docstrings.
    api = article.find(id="api")
    assert api is not None
    assert article.find(id="attention.scaled_dot_product_attention") is not None
    assert article.find(id="attention.MultiHeadAttention.forward") is not None
    assert "Run every head." in article.get_text()
    # The whole source, every line with a stable anchor.
    source = article.select_one(".pl-source-code #pl-src")
    anchors = [a["id"] for a in source.select("a[id]")]
    assert anchors == [f"__codelineno-pl-src-{n}" for n in range(1, ATTENTION_PY.count("\n") + 1)]
    assert source.select_one("code").get_text().split("\n")[20].strip().startswith("scores = ")
    # Source text is data: the string with markup stays a string.
    assert article.find("script") is None
    assert "</div><script>alert(1)</script>" in source.get_text()
    # Backlinks to the paper that implements it.
    implements = article.find(id="implements").find_next("ul")
    assert implements.a["href"] == "../../papers/vaswani2017attention/"
    assert implements.a.get_text() == "Attention Is All You Need"
    assert "3 pseudo-code steps" in implements.get_text()
    item = implements.li
    targets = {a.get_text(): a["href"] for a in item.select("a")[1:]}
    assert targets["MultiHeadAttention"] == "#__codelineno-pl-src-26"
    assert targets["softmax"] == "#__codelineno-pl-src-6"
    assert targets["21"] == "#__codelineno-pl-src-21" and targets["23"] == "#__codelineno-pl-src-23"
    assert (
        "Attention Is All You Need (2017): softmax, MultiHeadAttention, __version__; lines 21, 23; 3 pseudo-code steps"
        in item.get_text()
    )
    # A module no note names still gets a page, saying so.
    shapes = site.html("code/helpers.shapes/")
    assert "No note points to this module yet" in shapes.get_text()
    assert "Shape helpers." in shapes.select_one(".doc-contents").get_text()


def test_code_index_lists_modules_and_papers_in_nav(make_site):
    site = make_site(code_site(), strict=True)
    index = site.html("code/")
    rows = {r.td.a.get_text(): r for r in index.select("article table tbody tr")}
    assert list(rows) == ["attention", "helpers", "helpers.shapes"]
    assert rows["attention"].td.a["href"] == "attention/"
    assert (
        rows["attention"].find("a", string="Attention Is All You Need")["href"]
        == "../papers/vaswani2017attention/"
    )
    assert "Scaled dot-product attention, for the tests." in rows["attention"].get_text()
    nav = [a.get_text(strip=True) for a in index.select("nav.md-nav--primary a.md-nav__link")]
    assert "Code" in nav and "attention" not in nav


def test_paper_page_maps_pseudo_code_to_lines(make_site):
    site = make_site(code_site(), strict=True)
    article = site.html("papers/vaswani2017attention/").select_one("article")
    assert "3 of 4 steps implemented" in article.select_one(".pl-steps-total").get_text(
        " ", strip=True
    )
    assert article.select_one(".pl-algo__count").get_text(strip=True) == "3 of 4 steps implemented"
    steps = article.select(".pl-algo .pl-step")
    assert [s["class"][1] for s in steps] == ["pl-step--done"] * 3 + ["pl-step--todo"]
    # Left column: the paper's step (Markdown, with math); right column: the code.
    assert steps[0].select_one(".pl-step__text math") is not None
    links = [s.select_one(".pl-step__code a") for s in steps[:3]]
    assert [a["href"] for a in links] == [
        "../../code/attention/#__codelineno-pl-src-21",
        "../../code/attention/#__codelineno-pl-src-6",
        "../../code/attention/#__codelineno-pl-src-23",
    ]
    assert links[1].get_text(" ", strip=True) == "attention.softmax · lines 6–10"
    # The embedded code starts at the right line number and holds the right lines.
    softmax_code = steps[1].select_one(".pl-step__code .highlight")
    assert softmax_code.select_one(".linenos").get_text().split()[0] == "6"
    assert "def softmax(xs):" in softmax_code.select_one("code").get_text()
    assert "return [e / total" in softmax_code.select_one("code").get_text()
    assert "Not yet implemented" in steps[3].select_one(".pl-step__code").get_text()
    # Every line a paper page links to exists on the code page.
    code_page = site.html("code/attention/")
    for a in links:
        assert code_page.find(id=a["href"].split("#")[1]) is not None


def test_paper_page_lists_implementations(make_site):
    site = make_site(code_site(), strict=True)
    article = site.html("papers/vaswani2017attention/").select_one("article")
    mine = article.select_one(".pl-impl")
    assert mine.a["href"] == "../../code/attention/#__codelineno-pl-src-26"
    assert "class · lines 26–31 of attention.py" in mine.get_text(" ", strip=True).replace(
        " .", "."
    )
    assert article.find("em", string="no") is not None  # the note is Markdown
    # Dunder names are code, not Markdown emphasis.
    assert [c.get_text() for c in article.select(".pl-impl a code")] == [
        "attention.MultiHeadAttention",
        "attention.__version__",
    ]
    assert article.select_one(".pl-impl strong") is None
    embedded = article.select_one("details.example")
    assert "class MultiHeadAttention:" in embedded.get_text()
    repos = article.find(id="implementations").find_next("ul")
    official = repos.find("a", string="github.com/tensorflow/tensor2tensor")
    assert official["href"] == "https://github.com/tensorflow/tensor2tensor"
    assert official.find_next_sibling("span").get_text() == "official"


def test_repo_links_are_only_http(make_site):
    files = code_site()
    extra = '    official: true\n  - repo: "javascript:alert(1)"\n  - note: nothing else\n'
    files["notes/papers/vaswani2017attention.yaml"] = NOTE.replace("    official: true\n", extra)
    site = make_site(files)
    assert any(
        "yaml:20:5: warning[PL508] repo 'javascript:alert(1)' is not an http(s) URL" in w
        for w in site.warnings
    )
    assert any(
        "yaml:21:5: warning[PL508] an implementation needs `code:`" in w for w in site.warnings
    )
    article = site.html("papers/vaswani2017attention/").select_one("article")
    assert "javascript:alert(1)" in article.find(id="implementations").find_next("ul").get_text()
    assert "javascript:" not in str(article.select("a[href]"))


def test_results_table_shows_differences_and_tolerance(make_site):
    site = make_site(code_site(), strict=True)
    article = site.html("papers/vaswani2017attention/").select_one("article")
    table = article.select_one(".pl-results table")
    header = [th.get_text(strip=True) for th in table.thead.select("th")]
    assert header == ["Metric", "Reported", "Reproduced", "Difference", "Match"]
    rows = {
        tr.select_one(".pl-result__metric").get_text(): [
            td.get_text(" ", strip=True) for td in tr.select("td")
        ]
        for tr in table.tbody.select("tr")
    }
    bleu = rows["BLEU en-de"]
    assert bleu[1:5] == ["28.4", "27.1", "\u22121.3 \u22124.6\u202f%", "\u2713 within 5\u202f%"]
    assert table.tbody.tr.select_one(".pl-diff__relative").get_text() == "\u22124.6\u202f%"
    setup = table.tbody.tr.select_one(".pl-result__setup")
    assert setup.get_text() == "toy copy task, seed=0" and setup.code.get_text() == "seed=0"
    perplexity = rows["Perplexity"]
    assert "lower is better" in perplexity[0]
    assert perplexity[3:5] == ["+1.08 +22\u202f%", "\u2717 outside 5\u202f%"]
    assert rows["Accuracy"][4] == "\u25b2 outside 5\u202f%, better"
    assert rows["BLEU en-fr"][2:5] == ["–", "–", "not reproduced"]
    verdicts = [s["class"][1] for s in table.select(".pl-verdict")]
    assert verdicts == [
        "pl-verdict--within",
        "pl-verdict--worse",
        "pl-verdict--better",
        "pl-verdict--not-reproduced",
    ]
    assert table.select_one(".pl-diff--bad").get_text() == "+1.08"


def test_tolerance_option_changes_the_verdict(make_site):
    config = {"plugins": ["search", {"paperlog": {"tolerance": 0.01}}]}
    site = make_site(code_site(), config=config, strict=True)
    article = site.html("papers/vaswani2017attention/").select_one("article")
    assert article.select_one(".pl-verdict").get_text() == "\u2717 outside 1\u202f%"


def test_reproduced_chip_on_papers_index_and_topic_page(make_site):
    site = make_site(code_site(), strict=True)
    for url in ("papers/", "topics/transformers/"):
        rows = {r.a.get_text(): r for r in site.html(url).select(".pl-table tbody tr")}
        chip = rows["Attention Is All You Need"].select_one(".pl-chip--results")
        assert chip.get_text() == "reproduced"
        assert chip["title"] == "3 results reproduced, 2 within tolerance of the paper or better"
        # Results with only a reported number are not a reproduction.
        assert rows["Layer Normalization"].select_one(".pl-chip--results") is None
    topic = site.html("topics/transformers/").select_one("article").get_text(" ", strip=True)
    assert "1 with reproduced results" in topic


def test_line_anchor_links_pass_mkdocs_anchor_validation(make_site):
    site = make_site(code_site(), config={"validation": {"anchors": "warn"}}, strict=True)
    assert site.warnings == []


def test_user_mkdocstrings_config_gets_the_code_roots(make_site):
    config = {
        "plugins": [
            "search",
            {
                "mkdocstrings": {
                    "handlers": {
                        "python": {"options": {"docstring_options": {"warn_missing_types": False}}}
                    }
                }
            },
            "paperlog",
        ]
    }
    site = make_site(code_site(), config=config, strict=True)
    article = site.html("code/attention/").select_one("article")
    assert article.find(id="attention.softmax") is not None


def test_snippets_markers_in_code_are_shown_not_followed(make_site):
    code = 'SECRET = 1\n# --8<-- [start:part]\nX = 2\n# --8<-- [end:part]\n--8<-- "secret.txt"\n'
    files = code_site(**{"notes/code/snip.py": "A = 0\n", "secret.txt": "do-not-publish\n"})
    files["notes/code/snip.py"] = code.replace(
        '--8<-- "secret.txt"\n', 'B = """\n--8<-- "secret.txt"\n"""\n'
    )
    config = {
        "markdown_extensions": ["pymdownx.snippets", "pymdownx.superfences", "pymdownx.highlight"]
    }
    site = make_site(files, config=config, strict=True)
    source = site.html("code/snip/").select_one("#pl-src code").get_text()
    assert "# --8<-- [start:part]" in source and '--8<-- "secret.txt"' in source
    assert "do-not-publish" not in site.text("code/snip/index.html")
    assert len(site.html("code/snip/").select("#pl-src code a[id]")) == 7


def test_missing_symbol_fails_strict_with_note_line_and_suggestion(make_site):
    files = code_site()
    files["notes/papers/vaswani2017attention.yaml"] = NOTE.replace(
        "code: attention.softmax", "code: attention.softmx"
    )
    with pytest.raises(Abort):
        make_site(files, strict=True)
    site = make_site(files)
    problems = [w for w in site.warnings if "PL501" in w]
    assert len(problems) == 1
    assert "notes/papers/vaswani2017attention.yaml:11:9: error[PL501]" in problems[0]
    assert "'attention.softmx'" in problems[0] and "did you mean 'attention.softmax'" in problems[0]
    # The page still builds, showing the step as not found.
    step = site.html("papers/vaswani2017attention/").select(".pl-step")[1]
    assert "pl-step--missing" in step["class"]
    assert "attention.softmx" in step.get_text()


@pytest.mark.parametrize(
    ("target", "code", "text"),
    [
        ("../secret.py", "PL502", "leaves the code folder with '..'"),
        ("/etc/passwd", "PL502", "absolute path"),
        ("attention.py#L99", "PL504", "not in attention.py"),
        ("nonexistent.py", "PL501", "no file 'nonexistent.py'"),
    ],
)
def test_bad_targets_are_diagnosed_at_their_line(make_site, target, code, text):
    files = code_site(**{"secret.py": "TOKEN = 'do-not-publish'\n"})
    files["notes/papers/vaswani2017attention.yaml"] = NOTE.replace(
        "code: attention.py#L23", f"code: '{target}'"
    )
    site = make_site(files)
    problems = [w for w in site.warnings if f"[{code}]" in w]
    assert len(problems) == 1 and text in problems[0]
    assert f"notes/papers/vaswani2017attention.yaml:13:9: error[{code}]" in problems[0]
    assert "do-not-publish" not in "".join(
        p.read_text("utf-8", "ignore") for p in site.site_dir.rglob("*.html")
    )


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_symlink_out_of_code_folder_is_not_published(make_site, tmp_path):
    files = code_site(**{"secret.py": "TOKEN = 'do-not-publish'\n"})
    files["notes/papers/vaswani2017attention.yaml"] = NOTE.replace(
        "code: attention.py#L23", "code: leak.py"
    )
    (tmp_path / "notes" / "code").mkdir(parents=True)
    (tmp_path / "notes" / "code" / "leak.py").symlink_to(tmp_path / "secret.py")
    site = make_site(files)
    assert any("notes/code/leak.py:0:0: warning[PL502]" in w for w in site.warnings)
    assert any(
        "vaswani2017attention.yaml:13:9: error[PL502]" in w and "symbolic link" in w
        for w in site.warnings
    )
    assert not site.exists("code/leak/")
    assert "do-not-publish" not in "".join(
        p.read_text("utf-8", "ignore") for p in site.site_dir.rglob("*.html")
    )


def test_broken_code_files_are_reported_and_skipped(make_site):
    files = code_site(
        **{"notes/code/latin.py": b"# caf\xe9\n", "notes/code/broken.py": "def f(:\n"}
    )
    with pytest.raises(Abort):
        make_site(files, strict=True)
    site = make_site(files)
    assert any("notes/code/latin.py:1:6: error[PL503]" in w and "UTF-8" in w for w in site.warnings)
    assert any(
        "notes/code/broken.py:1:7: error[PL503]" in w and "not valid Python" in w
        for w in site.warnings
    )
    assert not site.exists("code/latin/") and not site.exists("code/broken/")
    assert site.exists("code/attention/")
