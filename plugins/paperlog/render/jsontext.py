"""The `json` filter: JSON that is safe wherever a template puts it."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

# json.dumps with options builds an encoder per call; pages call this thousands of times.
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def to_json(value: Any) -> Markup:
    """JSON safe to embed in HTML, in a single-quoted attribute and in YAML front matter
    (no '<', '>', '&' or "'")."""
    text = _JSON(value)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return Markup(text)
