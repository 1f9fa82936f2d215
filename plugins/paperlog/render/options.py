"""What the pages need to know about the site besides `Settings`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from ..model import frozen_mapping
from .codeviews import DEFAULT_LINE_ANCHORS


@dataclass(frozen=True)
class SiteOptions:
    """What a build needs to know about the site besides `Settings` (mkdocs.yml and the theme)."""

    site_name: str = "Reading log"
    site_author: str = ""
    use_directory_urls: bool = True
    feed_entries: int = 50
    glossary_links: bool = True
    """Whether term links are added to pages (by the MkDocs plugin's Markdown extension)."""
    generate_home: bool = False
    tags_plugin: bool = False
    """Material's tags plugin is on: pages carry their tags in front matter."""
    snippets: bool = False
    """pymdownx.snippets is on: code pages include their source with it."""
    api_docs: bool = False
    """mkdocstrings is set up for the code roots: code pages show API documentation."""
    line_anchors: str = DEFAULT_LINE_ANCHORS
    templates: str = ""
    """The `templates` option: a folder of template overrides, relative to the site root."""
    parallel: bool = False
    """Let a one-off build use a second process (see paperlog.forked); never under serve."""


def render_options(site: SiteOptions, **more: object) -> Mapping[str, object]:
    """The read-only options every page producer and template sees (`options.site_name`, ...):
    the site's options and `more` (the citation index, the pages citing each paper)."""
    values = {f.name: getattr(site, f.name) for f in dataclasses.fields(site)}
    return frozen_mapping({**values, **more})
