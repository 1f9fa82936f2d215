"""Set MkDocs up for the code pages: mkdocstrings for the API, line anchors for links.

Code pages render their API documentation with a `::: module` block, so the
mkdocstrings plugin must run and its Python handler must search the code
roots. When the site does not list mkdocstrings, paperlog adds it (the way
mkdocstrings itself adds autorefs); when it does, paperlog adds the code roots
to the handler's `paths`. Either way griffe reads the code statically.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.pages import Page

from ..render.codeviews import DEFAULT_LINE_ANCHORS
from ..settings import Settings

log = get_plugin_logger("paperlog")

HIGHLIGHT = "pymdownx.highlight"
# `id="..."` after white space. The regex starts with the literal "id=", which
# the regex engine finds quickly, and only then looks behind it for the white space.
_ID = re.compile(r"""id=(?<=\sid=)["']([^"'<>]+)["']""")


def configure_code(config: MkDocsConfig, settings: Settings) -> dict[str, Any]:
    """Prepare mkdocstrings and pymdownx.highlight; return the render options for code."""
    roots = [str(r) for r in settings.code_dirs if r.is_dir()]
    names = {ext for ext in config.markdown_extensions if isinstance(ext, str)}
    options: dict[str, Any] = {
        "snippets": "pymdownx.snippets" in names,
        "api_docs": bool(roots) and _configure_mkdocstrings(config, roots),
        "line_anchors": DEFAULT_LINE_ANCHORS,
    }
    if roots and HIGHLIGHT in names:
        highlight = config.mdx_configs.setdefault(HIGHLIGHT, {})
        if highlight.setdefault("anchor_linenums", True) is False:
            log.warning(
                f"{HIGHLIGHT} has anchor_linenums: false, so links from paper pages to lines "
                "of code pages have no target; remove the option to get line anchors"
            )
        options["line_anchors"] = highlight.get("line_anchors") or DEFAULT_LINE_ANCHORS
    return options


def _configure_mkdocstrings(config: MkDocsConfig, roots: list[str]) -> bool:
    """Whether API documentation can be rendered, after enabling mkdocstrings if needed."""
    try:
        from mkdocstrings import MkdocstringsPlugin
    except ImportError:  # pragma: no cover - a dependency, but a broken install should not crash
        log.warning(
            "mkdocstrings is not installed; code pages show the source without API documentation"
        )
        return False
    existing: Any = config.plugins.get("mkdocstrings")
    if existing is None:
        plugin = MkdocstringsPlugin()
        # Study code is often unannotated; griffe's warnings about missing
        # types would fail every --strict build of it.
        python = {"paths": roots, "options": {"docstring_options": {"warn_missing_types": False}}}
        errors, warnings = plugin.load_config(
            {"handlers": {"python": python}}, config_file_path=config.config_file_path
        )
        for _key, problem in [*errors, *warnings]:  # pragma: no cover - our own options are valid
            log.warning(f"mkdocstrings: {problem}")
        # Registering it here, while on_config events run, appends its on_config
        # to the running list (paperlog's on_config has a higher priority).
        config.plugins["mkdocstrings"] = plugin
        return True
    if not existing.config.enabled:
        return False
    python = existing.config.handlers.setdefault("python", {})
    if python.get("paths") is None:
        # The handler's default search path is the folder of mkdocs.yml; keep it.
        python["paths"] = [str(Path(config.config_file_path or ".").resolve().parent)]
    paths = python["paths"]
    for root in roots:
        if root not in paths:
            paths.append(root)
    return True


def record_anchor_ids(page: Page, html: str) -> None:
    """Tell MkDocs' anchor check about every id in a generated page's final HTML.

    Line anchors come from Pygments inside HTML that Markdown extensions
    stash away, which MkDocs does not look into; without this, every link to
    a line of code would be reported as pointing to a missing anchor.
    """
    if page.file.generated_by != "paperlog" or page.present_anchor_ids is None:
        return
    page.present_anchor_ids |= anchor_ids(html)


def anchor_ids(html: str) -> set[str]:
    """The values of `id` attributes in `html` (what `\\sid=["']([^"'<>]+)["']` finds)."""
    return set(_ID.findall(html))
