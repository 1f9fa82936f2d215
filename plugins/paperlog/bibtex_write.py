"""Write BibTeX entries as text, for appending to a user's .bib file and for exports.

We never rewrite a user's file: new entries are formatted here and appended
byte for byte (see fileio.append_bytes, or `appended` for text), so nothing
already there changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import BibEntry

_KEY = re.compile(r"^[^\s,{}()\"#%'=\\~]+$")
_TYPE = re.compile(r"^[A-Za-z]+$")
_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9_:+.-]*$")
_UNESCAPED = re.compile(r"(?<!\\)([&%#])")


def braces_balanced(text: str) -> bool:
    """True when every `{` has its `}` (escaped braces `\\{` do not count)."""
    depth = 0
    for i, char in enumerate(text):
        if i and text[i - 1] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def escape_text(text: str) -> str:
    """Plain text (e.g. from arXiv) as a BibTeX value: `&`, `%`, `#` escaped.

    TeX math and commands (`$\\alpha$`, `\\"o`) are kept: arXiv metadata is
    written in TeX conventions. Unbalanced braces would end the value early,
    so they are escaped too.
    """
    text = _UNESCAPED.sub(r"\\\1", " ".join(text.split()))
    # A backslash at the very end would escape the value's closing brace.
    text = re.sub(r"\\+$", lambda m: "\\textbackslash{}" * len(m.group(0)), text)
    if not braces_balanced(text):
        text = re.sub(r"(?<!\\)([{}])", r"\\\1", text)
    return text


def format_entry(key: str, entry_type: str, fields: Mapping[str, str]) -> str:
    """One entry, `@type{key,` then one `  name = {value},` per field, then `}`.

    Field values are BibTeX text (see `escape_text`) and are written in
    braces, in the order given; empty values are left out. Raises ValueError
    for a key, type or field name BibTeX cannot read, or unbalanced braces.
    """
    if not _KEY.match(key):
        raise ValueError(f"{key!r} cannot be a BibTeX key")
    if not _TYPE.match(entry_type):
        raise ValueError(f"{entry_type!r} is not a BibTeX entry type")
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields.items():
        if not _FIELD.match(name):
            raise ValueError(f"{name!r} is not a BibTeX field name")
        value = str(value).strip()
        if not value:
            continue
        if not braces_balanced(value):
            raise ValueError(f"the value of {name!r} has unbalanced braces: {value!r}")
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


FIELD_ORDER = (
    "author", "editor", "title", "booktitle", "journal", "year", "month", "volume", "number",
    "pages", "publisher", "address", "school", "institution", "organization", "series", "edition",
    "howpublished", "note", "doi", "url", "eprint", "archiveprefix", "primaryclass", "isbn", "issn",
    "abstract", "keywords",
)  # fmt: skip
"""Fields in the order people read them; `standalone_entry` puts others after, alphabetically."""


def appended(existing: str, entry: str) -> str:
    """`existing` unchanged, byte for byte, then a blank line and `entry`."""
    if not existing.strip():
        return existing + entry
    separator = "" if existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    return existing + separator + entry


def standalone_entry(entry: BibEntry) -> str:
    """An entry that needs no other entry or @string: macros expanded, crossref fields in.

    Written from the entry's LaTeX fields (`BibEntry.latex_fields`), so braces,
    accents and math stay as the user wrote them. Falls back to the entry as
    written when its key, type or a field name cannot be written back.
    """
    fields = entry.latex_fields or {}
    names = [n for n in FIELD_ORDER if n in fields]
    names += sorted(n for n in fields if n not in FIELD_ORDER and n != "crossref")
    values = {
        n: fields[n] if braces_balanced(fields[n]) else escape_text(fields[n].replace("\\", ""))
        for n in names
    }
    try:
        return format_entry(entry.key, entry.entry_type, values)
    except ValueError:
        return entry.raw.strip() + "\n"
