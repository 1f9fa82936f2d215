"""What the plugin changes in MkDocs' configuration, and what it reads from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..build import SiteOptions
from ..render.assets import GRAPH_SCRIPT, GRAPH_STYLESHEET, SCRIPT, STYLESHEET
from ..render.feed import feed_enabled
from ..settings import Settings
from .code import configure_code
from .config import PaperlogConfig

# Extensions our generated pages use, with the options they need.
REQUIRED_EXTENSIONS: dict[str, dict[str, Any]] = {
    "admonition": {},
    "attr_list": {},
    "md_in_html": {},
    "tables": {},
    "toc": {"permalink": True},
    "pymdownx.details": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.highlight": {"anchor_linenums": True},
    "pymdownx.inlinehilite": {},
}
MATH_EXTENSION = "paperlog.markdown.math"
SAFETY_EXTENSION = "paperlog.markdown.safety"
"""Removes script URLs and event handlers that Markdown syntax would create; always on."""


def prepare_config(
    config: MkDocsConfig, options: PaperlogConfig, settings: Settings, extensions: list[Any]
) -> dict[str, Any]:
    """Everything on_config changes: Markdown extensions (paperlog's own `extensions` among
    them), assets, mkdocstrings for code pages, the feed's link; returns the code options."""
    if options.markdown_extensions:
        add_extensions(config)
    if SAFETY_EXTENSION not in config.markdown_extensions:
        config.markdown_extensions.append(SAFETY_EXTENSION)
    config.markdown_extensions.extend(extensions)
    code = configure_code(config, settings)
    add_assets(config)
    if config.theme.name == "material" and feed_enabled(
        settings, {"feed_entries": options.feed_entries}
    ):
        add_feed_head_link(config)
    return code


def site_settings(config: MkDocsConfig, options: PaperlogConfig) -> Settings:
    """The core's settings from mkdocs.yml and the plugin's options."""
    root = Path(config.config_file_path or ".").resolve().parent
    return Settings.for_root(
        root,
        notes_dir=options.notes_dir,
        bibliography=options.bibliography,
        code_dirs=options.code_dirs,
        arxiv_cache=options.arxiv_cache,
        site_url=config.site_url or "",
        papers_in_nav=options.papers_in_nav,
        tolerance=options.tolerance,
        citation_style=options.citation_style,
        allow_html=options.allow_html,
        graph_depth=options.graph_depth,
    )


def site_options(
    config: MkDocsConfig,
    options: PaperlogConfig,
    code: dict[str, Any],
    *,
    generate_home: bool,
    parallel: bool,
) -> SiteOptions:
    """What the pages need to know about the site besides `Settings`."""
    return SiteOptions(
        site_name=config.site_name,
        site_author=config.site_author or "",
        use_directory_urls=config.use_directory_urls,
        feed_entries=options.feed_entries,
        glossary_links=options.glossary_links,
        generate_home=generate_home,
        tags_plugin=has_tags_plugin(config),
        snippets=bool(code.get("snippets")),
        api_docs=bool(code.get("api_docs")),
        line_anchors=str(code.get("line_anchors") or SiteOptions.line_anchors),
        templates=options.templates or "",
        parallel=parallel,
    )


def has_tags_plugin(config: MkDocsConfig) -> bool:
    return any(name.split("/")[-1] == "tags" for name in config.plugins)


def add_extensions(config: MkDocsConfig) -> None:
    """Turn on the Markdown extensions generated pages use, where the site has not."""
    present = {name.split("(")[0] for name in config.markdown_extensions if isinstance(name, str)}
    for name, options in REQUIRED_EXTENSIONS.items():
        if name not in present:
            config.markdown_extensions.append(name)
            if options:
                config.mdx_configs.setdefault(name, dict(options))
        elif name == "pymdownx.tabbed":
            config.mdx_configs.setdefault(name, {}).setdefault("alternate_style", True)
    if "pymdownx.arithmatex" not in present and MATH_EXTENSION not in present:
        config.markdown_extensions.append(MATH_EXTENSION)


def add_assets(config: MkDocsConfig) -> None:
    for css in (STYLESHEET, GRAPH_STYLESHEET):
        if css not in config.extra_css:
            config.extra_css.append(css)
    for script in (SCRIPT, GRAPH_SCRIPT):
        if script not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(script)


def add_feed_head_link(config: MkDocsConfig) -> None:
    """Put our main.html (it adds <link rel="alternate"> for feed.xml) before the theme's.

    A main.html in the user's custom_dir comes first and wins; the user guide
    shows the line to add to it.
    """
    ours = str(Path(__file__).resolve().parent.parent / "theme")
    dirs = config.theme.dirs
    if ours not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, ours)
