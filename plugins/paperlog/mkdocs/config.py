"""The plugin's options. Each docstring is the option's documentation."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class PaperlogConfig(base.Config):
    # Where the notes are (paths are relative to mkdocs.yml)
    notes_dir = c.Type(str, default="notes")
    """Folder of paper notes: every `*.yaml` below it is a note, except topics.yaml, glossary.yaml and readers.yaml at its top."""
    bibliography = c.ListOfItems(c.Type(str), default=[])
    """BibTeX files to read. Default: every `.bib` file under notes_dir."""
    code_dirs = c.ListOfItems(c.Type(str), default=[])
    """Folders holding your implementation code. Default: notes_dir/code when it exists. Every Python module in them gets a page at /code/<module>/ (API documentation by mkdocstrings, source with line anchors); it is parsed, never imported or run."""
    arxiv_cache = c.Optional(c.Type(str))
    """The arXiv metadata cache that `paperlog add` and `paperlog refresh` fill. Default: notes_dir/arxiv.json."""

    # Pages
    papers_in_nav = c.Type(bool, default=False)
    """Put every paper page in the navigation. Off by default: Material renders the whole navigation into every page, so one entry per paper makes builds grow with the square of the number of notes."""
    templates = c.Optional(c.Type(str))
    """A folder of Jinja templates that override paperlog's own, one file at a time (e.g. paper.md.j2)."""
    generate_home = c.Optional(c.Type(bool))
    """Generate the home page (index.md). Default: only when docs/ has no index.md."""
    graph_depth = c.Choice((1, 2), default=1)
    """How far the citation graph on each paper page reaches: 1 shows the papers it cites, is cited by and is related to; 2 adds their neighbours (at most 24 nodes either way)."""

    # Timeline, feed and glossary
    feed_entries = c.Type(int, default=50)
    """How many of the newest reading sessions /feed.xml (Atom) holds; 0 turns the feed off. The feed needs `site_url` (its links are absolute): without it, no feed is written and the build says so once (info PL650)."""
    glossary_links = c.Type(bool, default=True)
    """Link the first mention of each glossary term in a note's summary and reading passes to the glossary, with the definition as a tooltip (shown styled with Material's `content.tooltips`)."""

    # Content
    allow_html = c.Type(bool, default=True)
    """Let note Markdown contain raw HTML. Turn off for team sites where notes come from many people: HTML and attribute lists in notes are then shown as text. Markdown links to javascript:, data: or vbscript: URLs are never made, whatever this says."""
    tolerance = c.Type(float, default=0.05)
    """Relative difference under which a reproduced result counts as matching the reported one (0.05 = 5 %); the absolute difference when the paper reports 0."""
    citation_style = c.Choice(("author-year", "numeric"), default="author-year")
    """How `[@key]` citations are shown."""
    parallel = c.Type(bool, default=True)
    """Let `mkdocs build` render the paper pages in a second process while it renders paperlog's other pages: on Linux, with two or more CPUs and at least 200 papers (about 1.7 s less at 1,000 notes). Turn off to keep a build in one process; `mkdocs serve` always renders in one process."""
    markdown_extensions = c.Type(bool, default=True)
    """Turn on the Markdown extensions paperlog's pages need (admonition, tabs, attr_list, md_in_html, math, ...) when the site has not."""
