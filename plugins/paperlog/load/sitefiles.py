"""Site-wide YAML files under notes_dir: topics.yaml, glossary.yaml, readers.yaml, authors.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..model import AuthorAlias, Reader, Resource, Term, Topic
from . import schema
from .yamlsource import YamlDocument, load_yaml_file


def _load_mapping(name: str, path: Path, rel: str, diags: Diagnostics) -> YamlDocument | None:
    if not path.is_file():
        return None
    doc = load_yaml_file(path, rel, diags)
    if doc is None:
        return None
    if not isinstance(doc.value, dict):
        diags.error(
            rel,
            1,
            1,
            "PL102",
            f"{path.name} must be a mapping from slug to entry, but holds {schema.describe(doc.value)}",
        )
        return None
    if not schema.validate(name, doc.value, rel, doc.locations, diags):
        doc.value = {
            k: v
            for k, v in doc.value.items()
            if isinstance(v, dict) and schema.is_valid(name, {k: v})
        }
    return doc


def _line(doc: YamlDocument, key: str) -> int:
    loc = doc.locations.get(key)
    return loc.line if loc else 0


def load_topics(path: Path, rel: str, diags: Diagnostics) -> dict[str, Topic]:
    doc = _load_mapping("topics", path, rel, diags)
    if doc is None:
        return {}
    out: dict[str, Topic] = {}
    for slug, entry in doc.value.items():
        entry = entry or {}
        out[slug] = Topic(
            slug,
            str(entry.get("name") or slug.replace("-", " ").capitalize()),
            str(entry.get("description") or ""),
            rel,
            _line(doc, slug),
        )
    return out


def load_glossary(path: Path, rel: str, diags: Diagnostics) -> dict[str, Term]:
    doc = _load_mapping("glossary", path, rel, diags)
    if doc is None:
        return {}
    out: dict[str, Term] = {}
    for slug, value in doc.value.items():
        entry: dict[str, Any] = value or {}
        links = tuple(
            Resource(str(x.get("kind") or "other"), str(x["title"]), str(x.get("url") or ""))
            for x in entry.get("links", [])
        )
        out[slug] = Term(
            slug,
            str(entry.get("name") or slug.replace("-", " ")),
            str(entry.get("definition") or ""),
            tuple(str(a) for a in entry.get("aliases", [])),
            links,
            rel,
            _line(doc, slug),
        )
    return out


def load_readers(path: Path, rel: str, diags: Diagnostics) -> dict[str, Reader]:
    doc = _load_mapping("readers", path, rel, diags)
    if doc is None:
        return {}
    readers: dict[str, Reader] = {}
    default = ""
    for rid, e in doc.value.items():
        is_default = bool(e.get("default", False))
        if is_default and default:
            loc = doc.locations.get(f"{rid}/default")
            diags.error(
                rel,
                loc.line if loc else _line(doc, rid),
                loc.col if loc else 1,
                "PL104",
                f"'{default}' is already the default reader; only one reader can be",
                "remove `default: true` from one of them",
            )
            is_default = False
        default = default or (rid if is_default else "")
        readers[rid] = Reader(
            rid,
            str(e["name"]),
            str(e.get("url") or ""),
            str(e.get("avatar") or ""),
            rel,
            _line(doc, rid),
            is_default,
        )
    return readers


def load_author_aliases(path: Path, rel: str, diags: Diagnostics) -> dict[str, AuthorAlias]:
    """authors.yaml: canonical name -> variants (see link.authors for how they are used)."""
    if not path.is_file():
        return {}
    doc = load_yaml_file(path, rel, diags)
    if doc is None:
        return {}
    if not isinstance(doc.value, dict):
        diags.error(
            rel, 1, 1, "PL102",
            f"{path.name} must map each canonical name to a list of variants, but holds {schema.describe(doc.value)}",
            'e.g. `Ashish Vaswani: ["A. Vaswani", "Vaswani, A."]`',
        )  # fmt: skip
        return {}
    schema.validate("authors", doc.value, rel, doc.locations, diags)
    out: dict[str, AuthorAlias] = {}
    for name, variants in doc.value.items():
        if not name.strip():
            diags.error(rel, _line(doc, name), 1, "PL104", "an author name must not be empty")
            continue
        if not isinstance(variants, list):
            continue  # reported by the schema; the name alone changes nothing
        kept = [(i, v) for i, v in enumerate(variants) if isinstance(v, str) and v.strip()]
        out[name] = AuthorAlias(
            name,
            tuple(v for _, v in kept),
            rel,
            _line(doc, name),
            tuple(_line(doc, f"{name}/{i}") for i, _ in kept),
        )
    return out
