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
import re
from typing import Any

import yaml

HTML_KEYS = ("title", "description", "tags")
"""Front matter keys whose values the theme prints as HTML."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The front matter paperlog's templates write: one `key: <JSON>` per line.
_LINE = re.compile(r"([a-z][a-z0-9_]*): (\S.*)")
# Where YAML and JSON could read the same text differently: characters YAML
# refuses or reads as line breaks (NEL, U+2028/9), tabs, a BOM, surrogate escapes.
_NOT_PLAIN = re.compile(
    r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|\\u[dD][89a-fA-F]"
)
# Plain keys YAML 1.1 reads as something other than a string.
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _same_in_yaml(value: Any) -> bool:
    """Whether YAML reads this JSON value's text as the same value (no floats: '1e5' is text in YAML 1.1)."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, list):
        return all(_same_in_yaml(v) for v in value)
    if isinstance(value, dict):
        return all(_same_in_yaml(v) for v in value.values())
    return False


def _load(block: str) -> Any:
    """`yaml.load(block)`, without YAML's parser when the block is JSON lines YAML reads alike."""
    if not _NOT_PLAIN.search(block):
        data: dict[str, Any] = {}
        for line in block.split("\n"):
            match = _LINE.fullmatch(line)
            if match is None or match.group(1) in _YAML_WORDS:
                break
            try:
                value = json.loads(match.group(2))
            except ValueError:
                break
            if not _same_in_yaml(value):
                break
            data[match.group(1)] = value
        else:
            return data
    return yaml.load(block, Loader=_Loader)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


# One encoder for every page (json.dumps with options makes one per call).
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str).encode


def _json(value: Any) -> str:
    # JSON is YAML; '<', '>' and '&' as escapes keep the block plain text.
    text = _ENCODE(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def escape_front_matter(page: str) -> str:
    """`page` with its title, description and tags HTML-escaped in the front matter."""
    if not page.startswith("---\n"):
        return page
    end = page.find("\n---\n", 3)
    if end < 0:
        return page
    data = _load(page[4:end])
    if not isinstance(data, dict) or not any(key in data for key in HTML_KEYS):
        return page
    lines = [
        f"{key}: {_json(_escaped(value) if key in HTML_KEYS else value)}"
        for key, value in data.items()
    ]
    return "---\n" + "\n".join(lines) + page[end:]
