"""Write BibTeX entries as text, for appending to a user's .bib file.

We never rewrite a user's file: new entries are formatted here and appended
byte for byte (see fileio.append_bytes), so nothing already there changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

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
