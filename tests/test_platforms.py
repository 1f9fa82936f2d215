"""The same notes under MkDocs 1.6, ProperDocs, and Zensical (through `paperlog render --out`).

ProperDocs and Zensical are installed by these tests into their own virtual
environments (so ProperDocs never replaces MkDocs in the environment that runs
the suite), pinned to the versions of every package this environment has, so
the only difference between two builds is the generator. The environments are
kept between runs in PAPERLOG_PLATFORM_VENVS (default: .platform-venvs/ in the
checkout) and rebuilt when pyproject.toml or the pins change.

Without network access the tests skip, saying so; with PAPERLOG_REQUIRE_PLATFORMS=1
(set by .ci/run) a failed install fails the test instead.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import REPO

pytestmark = pytest.mark.slow  # see README: `pytest -m "not slow"` for a quick loop

VENVS = Path(os.environ.get("PAPERLOG_PLATFORM_VENVS") or REPO / ".platform-venvs")
REQUIRED = os.environ.get("PAPERLOG_REQUIRE_PLATFORMS") == "1"
EPOCH = "1772366400"  # 2026-03-01T12:00:00Z: both builds agree on "today"
BUILD_ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}

# What legitimately differs between an MkDocs and a ProperDocs build of the same site.
# Each entry: (what, why, pattern, replacement).
NORMALISATIONS = [
    (
        "generator meta tag",
        "Material writes the generator's name and version into every page: "
        "'mkdocs-1.6.1' under MkDocs, 'mkdocs-ProperDocs 1.6.7' under ProperDocs",
        re.compile(rb'<meta name="generator" content="mkdocs-[^"]*?, (mkdocs-material-[^"]*)">'),
        rb'<meta name="generator" content="GENERATOR, \1">',
    ),
]


def _pins() -> str:
    """This environment's exact versions (editable installs excluded) as pip constraints."""
    out = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return "".join(
        line + "\n" for line in out.splitlines() if line and not line.startswith(("-e ", "#"))
    )


def platform_python(name: str, requirements: list[str], *, editable_deps: bool = True) -> Path:
    """The Python of a virtual environment with `requirements` and this checkout installed."""
    pins = _pins()
    home = VENVS / name
    python = home / "bin" / "python"
    key = hashlib.sha256(
        "\n".join(
            [
                sys.version,
                (REPO / "pyproject.toml").read_text("utf-8"),
                pins,
                *requirements,
                str(editable_deps),
            ]
        ).encode()
    ).hexdigest()
    stamp = home / ".paperlog-key"
    if python.exists() and stamp.is_file() and stamp.read_text() == key:
        return python
    shutil.rmtree(home, ignore_errors=True)
    venv.EnvBuilder(with_pip=True).create(home)
    (home / "constraints.txt").write_text(pins, "utf-8")
    steps = [
        [*requirements, "-c", str(home / "constraints.txt")],
        [
            "-e",
            str(REPO),
            *([] if editable_deps else ["--no-deps"]),
            "-c",
            str(home / "constraints.txt"),
        ],
    ]
    for args in steps:
        result = subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--timeout",
                "60",
                *args,
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            message = f"cannot install {' '.join(args[:-2])} into {home} (offline?): {result.stderr.strip()[-600:]}"
            if REQUIRED:
                pytest.fail(message)
            pytest.skip(message)
    stamp.write_text(key)
    return python


def copy_demo(dest: Path) -> Path:
    """A copy of the repository's demo site, so builds write nothing into the checkout."""
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("notes", "docs"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def site_tree(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def normalise(path: str, content: bytes) -> bytes:
    if not path.endswith(".html"):
        return content
    for _, _, pattern, replacement in NORMALISATIONS:
        content = pattern.sub(replacement, content)
    return content


# ProperDocs ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def properdocs_python() -> Path:
    return platform_python("properdocs", ["properdocs>=1.6,<2"])


def test_demo_builds_the_same_with_mkdocs_and_properdocs(tmp_path, properdocs_python):
    mkdocs_root = copy_demo(tmp_path / "mkdocs")
    properdocs_root = copy_demo(tmp_path / "properdocs")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=mkdocs_root,
        env=BUILD_ENV,
        check=True,
    )
    result = subprocess.run(
        [str(properdocs_python), "-m", "properdocs", "build", "--strict", "-q"],
        cwd=properdocs_root,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    ours = site_tree(mkdocs_root / "site")
    theirs = site_tree(properdocs_root / "site")
    # It really was ProperDocs, with our plugin: its name in the page, our pages in the site.
    home = theirs["index.html"].decode()
    assert 'content="mkdocs-ProperDocs' in home
    assert "papers/index.html" in theirs and "assets/paperlog/paperlog.css" in theirs
    assert sorted(ours) == sorted(theirs)
    pages = [p for p in ours if p.endswith(".html")]
    assert len(pages) > 10
    differing = [p for p in ours if normalise(p, ours[p]) != normalise(p, theirs[p])]
    assert differing == []


def test_properdocs_finds_the_plugin_under_its_own_entry_point(properdocs_python):
    script = (
        "from importlib.metadata import entry_points;"
        "print(sorted(e.value for e in entry_points(group='properdocs.plugins') if e.name == 'paperlog'))"
    )
    out = subprocess.run(
        [str(properdocs_python), "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "['paperlog.mkdocs.plugin:PaperlogPlugin']"


# Zensical ------------------------------------------------------------------------

ZENSICAL_TOML = """
[project]
site_name = "paperlog demo under Zensical"
docs_dir = "build/docs"
site_dir = "site"
extra_css = ["assets/paperlog/paperlog.css"]
extra_javascript = ["assets/paperlog/paperlog.js"]
nav = [
  { "Home" = "index.md" },
  { "Papers" = "papers.md" },
  { "Topics" = "topics.md" },
]

[project.markdown_extensions]
admonition = {}
attr_list = {}
md_in_html = {}
tables = {}
toc.permalink = true
"pymdownx.details" = {}
"pymdownx.superfences" = {}
"pymdownx.tabbed".alternate_style = true
"pymdownx.highlight" = {}
"pymdownx.inlinehilite" = {}
"paperlog.markdown.math" = {}
"paperlog.markdown.safety" = {}
"""

# Markdown and template syntax that must never reach a reader as text.
LEFTOVERS = re.compile(
    r'\{\{|\{%|\{ ?[.#][\w-]|markdown="|^=== "|^[!?]{3}\+? |\]\(\.?/?[^)\s]*\.md\)', re.M
)


@pytest.fixture(scope="module")
def zensical_python() -> Path:
    # paperlog itself is installed without its dependencies: only its Markdown
    # extension for math is used (no MkDocs, no plugin).
    return platform_python("zensical", ["zensical", "latex2mathml>=3.77,<4"], editable_deps=False)


def render_out(root: Path, out: Path) -> None:
    """`paperlog render --out`, run from the site's folder (home page only when docs/ has none)."""
    from paperlog.cli import cli

    if "render" in cli.commands:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "paperlog"), "render", "--out", str(out)],
            cwd=root,
            env=BUILD_ENV,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return
    # Until the `render` command lands (branch arxiv-cli), write what it writes: render_site's files.
    from paperlog.diagnostics import Diagnostics
    from paperlog.link import link_library
    from paperlog.load import load_library
    from paperlog.render import render_site
    from paperlog.render.options import SiteOptions, render_options
    from paperlog.settings import Settings

    settings = Settings.for_root(root, site_url="https://paperlog.github.io/paperlog/")
    diags = Diagnostics()
    lib = link_library(load_library(settings, diags), settings, diags)
    home = not (root / "docs" / "index.md").is_file()
    options = render_options(SiteOptions(site_name="paperlog demo", generate_home=home))
    for output in render_site(lib, settings, diags, options=options):
        target = out / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if output.source is not None:
            target.write_bytes(output.source.read_bytes())
        else:
            target.write_text(output.content or "", "utf-8")


def test_rendered_markdown_builds_with_zensical_into_a_readable_site(tmp_path, zensical_python):
    """The workflow of the guide (platforms.md): docs/ plus `paperlog render --out`, built by Zensical."""
    demo = copy_demo(tmp_path / "demo")
    project = tmp_path / "zensical"
    docs = project / "build" / "docs"
    shutil.copytree(demo / "docs", docs)
    own = {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    render_out(demo, docs)
    (project / "zensical.toml").write_text(ZENSICAL_TOML.lstrip(), "utf-8")
    result = subprocess.run(
        [str(zensical_python), "-m", "zensical", "build", "--clean"],
        cwd=project,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    pages = sorted(
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*.md")
        if p.relative_to(docs).as_posix() not in own
    )
    assert "papers.md" in pages and any(p.startswith("papers/") for p in pages)
    assert (site / "index.html").is_file() and (site / "guide/index.html").is_file()
    for page in pages:
        stem = page.removesuffix(".md")
        html_path = site / (
            "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"
        )
        assert html_path.is_file(), page
        soup = BeautifulSoup(html_path.read_text("utf-8"), "lxml")
        article = soup.select_one("article") or soup.body
        assert article.h1 is not None and article.h1.get_text(strip=True), page
        # Code blocks show text verbatim (a BibTeX entry has `{{`): look at the prose only.
        prose = BeautifulSoup(str(article), "lxml")
        for code in prose.select("pre, code"):
            code.decompose()
        text = prose.get_text("\n")
        assert not LEFTOVERS.search(text), (page, LEFTOVERS.search(text).group(0))
        # Every link between pages resolves to a file in the built site.
        for a in article.select("a[href]"):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("#", "mailto:")):
                continue
            target = (html_path.parent / unquote(parts.path)).resolve()
            if target.is_dir() or not target.suffix:
                target = target / "index.html"
            assert target.is_file(), (page, href)
    # The paper page a reader opens first: tabs for passes, math as MathML, styles applied.
    paper = BeautifulSoup(
        (site / "papers/vaswani2017attention/index.html").read_text("utf-8"), "lxml"
    )
    assert paper.select_one("article .tabbed-set") is not None
    assert paper.select_one("article math") is not None
    assert paper.select_one("article .pl-status") is not None
    assert any(
        "paperlog.css" in link.get("href", "") for link in paper.select("link[rel=stylesheet]")
    )
    assert (site / "assets/paperlog/paperlog.css").is_file()
