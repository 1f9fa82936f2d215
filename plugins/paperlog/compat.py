"""Every place paperlog reaches into another package's private internals.

Jinja, markupsafe, MkDocs, Material and mkdocstrings give no public way to do the
few things below. Each hook here names what it relies on; tests/test_compat.py
checks each one against the installed versions and fails loudly when one changes
(the suite runs it against the lowest and the highest versions pyproject.toml
allows: tests/test_lowest_versions.py). At run time a hook whose internal is
missing falls back to the public way, or does nothing, and says so.

- Jinja and markupsafe: how a template escapes `{{ ... }}` (`EscapingTemplate`).
  Measured at 1,000 notes: about 0.4 s of a 3 s render (docs/guide/performance.md).
- MkDocs: a page's conversion to HTML (`Page.render` and the attributes it sets),
  replaced under `mkdocs serve` so an unchanged page gets its last conversion back.
- Material's search plugin: the index's entries, so that `mkdocs serve --dirty`
  writes the same search index a full build writes.
- mkdocstrings-python: a memo keyed by Jinja environment that keeps every build
  of a `mkdocs serve` session alive.

MkDocs is imported inside the functions that need it: the render layer uses this
module too, and runs without MkDocs (see tests/test_layers.py).
"""

from __future__ import annotations

import logging
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.runtime
import markupsafe
from jinja2.utils import internalcode
from markupsafe import Markup

if TYPE_CHECKING:
    from mkdocs.structure.pages import Page
    from mkdocs.structure.toc import AnchorLink

log = logging.getLogger("mkdocs.plugins.paperlog")

# --- Jinja and markupsafe: escaping in templates -------------------------------------

# markupsafe's own inner escaper (its C speedup when built); without it, its public `escape`.
_ESCAPE_TEXT: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)
_new_str = str.__new__


def escape(value: Any) -> Markup:
    """markupsafe.escape, quicker for the values pages print most.

    Every `{{ ... }}` of a page goes through it (some 360,000 a build at 1,000 notes):
    a Markup value (a filter's output) is returned as it is, where `escape` copies it
    after looking up `__html__` twice; text is escaped without that lookup, and so are
    numbers (their text holds nothing to escape). The result is equal, and of the same
    type, in every case.
    """
    kind = type(value)
    if kind is Markup:
        return value
    if kind is str and _ESCAPE_TEXT is not None:
        return _new_str(Markup, _ESCAPE_TEXT(value))
    if kind is int or kind is float:
        # Digits, '.', '-', 'e', 'inf', 'nan': nothing to escape.
        return _new_str(Markup, str(value))
    return markupsafe.escape(value)


class EscapingTemplate(jinja2.Template):
    """A template whose `{{ ... }}` escape with `escape` above.

    Compiled code imports `escape` into the template's own namespace (Jinja's private
    `Template._from_namespace`); replacing it there, before the template first runs,
    changes nothing else (the compiled code, and so the bytecode cache, stay Jinja's).
    """

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: Any, globals: Any) -> Any:
        if "escape" in namespace:
            namespace["escape"] = escape
        return super()._from_namespace(environment, namespace, globals)


# --- Jinja: calls from templates ---------------------------------------------------------

# Callables that take no context, environment or eval context unless marked so.
_PLAIN_CALLABLES = (
    types.FunctionType,
    types.MethodType,
    types.BuiltinFunctionType,
    types.BuiltinMethodType,
    jinja2.runtime.Macro,
)


class DirectCallContext(jinja2.runtime.Context):
    """Jinja's template context, calling plain functions and macros directly.

    Overrides `Context.call` and the arguments Jinja passes it (`_block_vars`,
    `_loop_vars`); measured with EscapingTemplate (together about 0.4 s at 1,000 notes).

    Every call in a template goes through `Context.call`, which looks on the
    callable and on its `__call__` for a `pass_context`-style mark each time;
    pages make some 200,000 calls (`url(...)`, macros, helpers). A function or
    macro without the mark is called as Jinja would call it; anything else
    takes Jinja's own way.
    """

    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if type(__obj) in _PLAIN_CALLABLES and not hasattr(__obj, "jinja_pass_arg"):
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


# --- MkDocs: a page's conversion -------------------------------------------------

SET_BY_CONVERSION = frozenset(
    {"content", "toc", "_title_from_render", "present_anchor_ids", "links_to_anchors"}
)
"""The attributes `Page.render` sets (MkDocs 1.6); a conversion that sets others is never kept."""


def convert(page: Page, config: Any, files: Any) -> None:
    """MkDocs' own conversion of `page`."""
    from mkdocs.structure.pages import Page

    Page.render(page, config, files)


def route_conversion(page: Page, render: Callable[[Page, Any, Any], None]) -> None:
    """Have MkDocs' conversion of this page call `render(page, config, files)` instead.

    MkDocs gives no event around the conversion; the page object is new each build,
    so the replacement lives as long as the page does.
    """
    page.render = lambda config, files: render(page, config, files)  # type: ignore[method-assign]


def conversion_state(page: Page) -> dict[str, Any]:
    """What a conversion set on `page`, in a form that outlives this build's objects."""
    links = vars(page).get("links_to_anchors")
    return {
        "content": page.content,
        "toc": tuple(copy_anchor(link) for link in page.toc),
        "title": vars(page).get("_title_from_render"),
        "anchors": frozenset(page.present_anchor_ids)
        if page.present_anchor_ids is not None
        else None,
        # Links to anchors of other pages, by the linked file's path (files are new each build).
        "links": None if links is None else tuple((f.src_uri, dict(a)) for f, a in links.items()),
    }


def restore_conversion(page: Page, state: dict[str, Any], files: Any) -> bool:
    """Give `page` a kept conversion's results; False (and `page` untouched) if one cannot be."""
    links = None
    if state["links"] is not None:
        links = {}
        for path, anchors in state["links"]:
            target = files.src_uris.get(path)
            if target is None:
                return False
            links[target] = dict(anchors)
    from mkdocs.structure.toc import TableOfContents

    page.content = state["content"]
    page.toc = TableOfContents([copy_anchor(link) for link in state["toc"]])
    page._title_from_render = state["title"]
    page.present_anchor_ids = set(state["anchors"]) if state["anchors"] is not None else None
    if links is not None:
        page.links_to_anchors = links
    return True


def copy_anchor(link: AnchorLink) -> AnchorLink:
    """A deep copy of a table-of-contents entry (plugins add to a page's toc)."""
    copy = object.__new__(link.__class__)
    state = link.__dict__.copy()  # title, id, level, and `active` on the first one
    state["children"] = [copy_anchor(child) for child in link.children] if link.children else []
    copy.__dict__ = state
    return copy


# --- Material: the search index ------------------------------------------------------


def search_index(config: Any) -> Any | None:
    """Material's search index object of this build (None without Material's search)."""
    plugin = config.plugins.get("material/search")
    if plugin is None or not getattr(plugin.config, "enabled", True):
        return None
    index = getattr(plugin, "search_index", None)
    if index is None or not isinstance(getattr(index, "entries", None), list):
        _missing("Material's search index (search_index.entries)")
        return None
    return index


def search_entries(index: Any) -> list[dict[str, Any]]:
    return index.entries


def search_index_json(index: Any, entries: list[dict[str, Any]]) -> str:
    """The search index as Material writes it, holding `entries`."""
    index.entries = entries
    return index.generate_search_index(None)


def forget_previous_search_index(config: Any, index: Any) -> None:
    """Material merges a `--dirty` build's entries into the last build's; paperlog writes the
    whole index itself, so the plugin's memory of the last one is this build's."""
    plugin = config.plugins.get("material/search")
    if plugin is not None and hasattr(plugin, "search_index_prev"):
        plugin.search_index_prev = index


# --- mkdocstrings-python: its per-environment template memo --------------------------------

MKDOCSTRINGS_RENDERING = "mkdocstrings_handlers.python._internal.rendering"


def forget_mkdocstrings_templates() -> None:
    """Empty mkdocstrings-python's memo of which templates exist, keyed by Jinja environment
    (each build's environment holds that build's handlers, configuration and pages).

    mkdocstrings-python has had it since 2.0.8; before, there is nothing to forget."""
    rendering = sys.modules.get(MKDOCSTRINGS_RENDERING)
    memo = getattr(rendering, "_test_existing_template", None)
    clear = getattr(memo, "cache_clear", None)
    if callable(clear):
        clear()


def _missing(what: str) -> None:
    log.warning(
        f"{what} is not where this version of paperlog expects it; paperlog carries on without "
        "it (report it with your versions of mkdocs, mkdocs-material and mkdocstrings-python)"
    )
