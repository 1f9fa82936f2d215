"""Front matter values that themes print as HTML, escaped once for all pages.

MkDocs and Material insert `page.title`, `page.meta.description` and tag
names into every page without escaping them (a title taken from a heading is
HTML already), so a paper titled `<img src=x onerror=...>` would run script
in the header and a quote in a summary would end the description's
attribute. Templates write these values as plain text (JSON); this module
HTML-escapes them in the rendered page, so no template can forget to.
"""

from __future__ import annotations

import html
import json
from typing import Any

import yaml

HTML_KEYS = ("title", "description", "tags")
"""Front matter keys whose values the theme prints as HTML."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def _json(value: Any) -> str:
    # JSON is YAML; '<', '>' and '&' as escapes keep the block plain text.
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def escape_front_matter(page: str) -> str:
    """`page` with its title, description and tags HTML-escaped in the front matter."""
    if not page.startswith("---\n"):
        return page
    end = page.find("\n---\n", 3)
    if end < 0:
        return page
    data = yaml.load(page[4:end], Loader=_Loader)
    if not isinstance(data, dict) or not any(key in data for key in HTML_KEYS):
        return page
    lines = [f"{key}: {_json(_escaped(value) if key in HTML_KEYS else value)}" for key, value in data.items()]
    return "---\n" + "\n".join(lines) + page[end:]
