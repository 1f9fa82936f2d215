"""Validate parsed YAML against the JSON Schemas shipped in the package.

The schemas in paperlog/schemas/ are the single description of the file
formats: they drive validation here, editor completion through
yaml-language-server, and the format reference on the site. This module turns
jsonschema's errors into diagnostics a person can act on, at the line of the
offending value.

Validation uses jsonschema alone (about 1 ms per note, paid once per file under
`mkdocs serve`, where parsed notes are kept by content).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import jsonschema

from ..diagnostics import Diagnostics, did_you_mean
from ..model import Location

SCHEMA_NAMES = ("note", "topics", "glossary", "readers", "sessions", "authors")

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


@functools.cache
def schema_text(name: str) -> str:
    """The JSON text of a shipped schema ('note', 'topics', 'glossary', 'readers')."""
    return resources.files("paperlog").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")


@functools.cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads(schema_text(name))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def is_valid(name: str, value: Any) -> bool:
    """True when `value` passes schema `name`."""
    return bool(_validator(name).is_valid(value))


def describe(value: Any) -> str:
    """A short, safe description of a value for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _field_name(path: list[str | int]) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else "value"


def _where(path: list[str | int]) -> str:
    return "/".join(str(p) for p in path)


def validate(
    name: str,
    value: Any,
    rel: str,
    locations: dict[str, Location],
    diags: Diagnostics,
    *,
    codes: tuple[str, str] = ("PL103", "PL104"),
) -> bool:
    """Check `value` against schema `name`; report each problem; True when valid.

    `codes` are the diagnostic codes for an unknown field and for a wrong
    value: notes use 1xx, site files may use their own range.
    """
    ok = True
    errors = sorted(
        _validator(name).iter_errors(value), key=lambda e: [str(p) for p in e.absolute_path]
    )
    for error in errors:
        ok = False
        for key, message, hint in _explain(error):
            loc = _locate(locations, key, rel)
            code = codes[0] if message.startswith("unknown field") else codes[1]
            diags.error(loc.path, loc.line, loc.col, code, message, hint)
    return ok


def _locate(locations: dict[str, Location], key: str, rel: str) -> Location:
    while key:
        if key in locations:
            return locations[key]
        key = key.rpartition("/")[0]
    return Location(rel, 1, 1)


def _explain(error: jsonschema.ValidationError) -> list[tuple[str, str, str]]:
    """(location key, message, hint) for one schema error."""
    path = list(error.absolute_path)
    key = _where(path)
    field = _field_name(path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = list(schema.get("properties", {}))
        out = []
        for extra in sorted(set(error.instance) - set(known)):
            hint = did_you_mean(extra, known) or "known fields: " + ", ".join(known)
            out.append((_where([*path, extra]), f"unknown field '{extra}'", hint))
        return out
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        shown = error.instance if isinstance(error.instance, str) else describe(error.instance)
        return [(key, f"unknown {field} '{shown}'; expected one of: {allowed}", "")]
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names if n != "null")
        hint = ""
        if "string" in names and isinstance(error.instance, (int, float)):
            hint = f'quote it: {field}: "{error.instance}"'
        elif "array" in names and isinstance(error.instance, str):
            hint = f"write a list: {field}: [{error.instance}]"
        return [(key, f"'{field}' must be {wanted}, but got {describe(error.instance)}", hint)]
    if kind == "required":
        missing = [r for r in error.validator_value if r not in (error.instance or {})]
        return [(key, f"'{field}' entry is missing required field '{m}'", "") for m in missing]
    if kind == "pattern" and not path and isinstance(error.instance, str):
        # A mapping key failed `propertyNames`: point at the key itself.
        return [
            (
                error.instance,
                f"'{error.instance}' is not a valid slug",
                "use lower-case letters, digits and '-', e.g. 'self-attention'",
            )
        ]
    if kind == "pattern" and "propertyNames" in error.relative_schema_path:
        # A key inside a note that is not a valid id (`by:` reader ids).
        return [
            (
                key,
                f"{describe(error.instance)} is not a valid id in '{field}'",
                "use lower-case letters, digits, '-' and '_', e.g. ada",
            )
        ]
    if kind == "pattern":
        example = {
            "arxiv": 'e.g. arxiv: "1706.03762"',
            "doi": "e.g. doi: 10.48550/arXiv.1706.03762",
            "date": "e.g. date: 2026-01-05",
            "id": "letters, digits, '.', '_', ':' and '-', starting with a letter or digit",
        }.get(field, f"expected the pattern {error.validator_value}")
        return [(key, f"'{field}' is not valid: {describe(error.instance)}", example)]
    if kind in ("minimum", "maximum"):
        low, high = schema.get("minimum"), schema.get("maximum")
        return [(key, f"'{field}' must be between {low} and {high}, but got {error.instance}", "")]
    if kind == "uniqueItems":
        return [(key, f"'{field}' lists the same value twice", "remove the repeated value")]
    if kind == "minLength":
        return [(key, f"'{field}' must not be empty", "")]
    if kind in ("anyOf", "oneOf"):
        return [
            (
                key,
                f"'{field}' must be text or a mapping with 'text' (and optionally 'code'), but got {describe(error.instance)}",
                "",
            )
        ]
    if kind == "propertyNames":
        return [
            (
                key,
                f"name {describe(error.instance)} is not a valid slug",
                "use lower-case letters, digits and '-'",
            )
        ]
    return [(key, f"'{field}': {error.message}", "")]
