"""Write BibTeX: one entry as text, an entry made from a note, appending to a file's text.

Used by the `/papers.bib` export and by the commands that add entries to a
user's .bib (`paperlog add`). Appending never reformats what is already there:
`appended(existing, entry)` returns the old text byte for byte, then the entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import Author, Library, Paper

FIELD_ORDER = (
    "author", "editor", "title", "booktitle", "journal", "year", "month", "volume", "number",
    "pages", "publisher", "address", "school", "institution", "organization", "series", "edition",
    "howpublished", "note", "doi", "url", "eprint", "archiveprefix", "primaryclass", "isbn", "issn",
    "abstract", "keywords",
)  # fmt: skip
"""Fields in the order people expect to read them; others follow alphabetically."""

VERBATIM = frozenset({"url", "doi", "eprint", "file", "isbn", "issn"})

_MATH = re.compile(r"(?<!\\)\$(?:\\.|[^$\\])+?(?<!\\)\$")
_TEXT_SPECIALS = re.compile(r"([&%#_])")
_CONFERENCE = re.compile(
    r"conference|proceedings|workshop|symposium|NeurIPS|NIPS|ICML|ICLR|CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|AAAI|IJCAI|KDD|SIGIR|Interspeech",
    re.I,
)


def format_entry(key: str, entry_type: str, fields: Mapping[str, str]) -> str:
    """An entry as BibTeX text: `@type{key,`, one `name = {value},` per line, `}` and a newline.

    Values are LaTeX as they should appear between braces; unbalanced braces
    (which would break the file) are removed. Empty values are left out.
    """
    names = [n for n in FIELD_ORDER if fields.get(n)]
    names += sorted(n for n in fields if n not in FIELD_ORDER and fields[n])
    width = max((len(n) for n in names), default=0)
    lines = [f"@{entry_type.lower()}{{{key},"]
    for name in names:
        value = " ".join(str(fields[name]).split()) if name != "abstract" else str(fields[name]).strip()
        lines.append(f"  {name.ljust(width)} = {{{_balanced(value)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def appended(existing: str, entry: str) -> str:
    """`existing` unchanged, then a blank line and `entry` (no blank line in an empty file)."""
    if not existing.strip():
        return existing + entry
    sep = "" if existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    return existing + sep + entry


def text_to_latex(text: str) -> str:
    """Plain Unicode text (a note's title) as a BibTeX value: specials escaped, `$math$` kept."""
    out, pos = [], 0
    for m in _MATH.finditer(text):
        out.append(_TEXT_SPECIALS.sub(r"\\\1", text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_TEXT_SPECIALS.sub(r"\\\1", text[pos:]))
    return "".join(out)


def names_to_latex(authors: tuple[Author, ...]) -> str:
    """`Family, Given and Family, Given`; a one-part name is braced so 'and' in it stays."""
    parts = []
    for a in authors:
        if a.given and a.family:
            parts.append(f"{a.family}, {a.given}")
        else:
            parts.append("{" + (a.family or a.name) + "}")
    return " and ".join(text_to_latex(p) for p in parts)


def paper_entry(paper: Paper) -> tuple[str, dict[str, str]]:
    """(entry type, LaTeX fields) for a note without a BibTeX entry, from its merged fields."""
    fields: dict[str, str] = {"title": "{" + text_to_latex(paper.display_title) + "}"}
    if paper.authors:
        fields["author"] = names_to_latex(paper.authors)
    if paper.year:
        fields["year"] = str(paper.year)
    entry_type = "misc"
    if paper.venue and paper.venue != "arXiv preprint":
        if _CONFERENCE.search(paper.venue):
            entry_type, fields["booktitle"] = "inproceedings", text_to_latex(paper.venue)
        else:
            entry_type, fields["journal"] = "article", text_to_latex(paper.venue)
    for name in ("volume", "pages"):
        value = getattr(paper, name)
        if value:
            fields[name] = text_to_latex(value).replace("\u2013", "--")
    if paper.doi:
        fields["doi"] = paper.doi
    if paper.url:
        fields["url"] = paper.url
    if paper.arxiv:
        fields["eprint"] = paper.arxiv
        fields["archiveprefix"] = "arXiv"
    return entry_type, fields


def paper_bibtex(paper: Paper, lib: Library) -> tuple[str, bool]:
    """A note's BibTeX: its entry as written in the .bib file, or (True) one made from the note."""
    entry = lib.bib.get(paper.bibkey or paper.id)
    if entry is not None and entry.raw:
        return entry.raw, False
    entry_type, fields = paper_entry(paper)
    return format_entry(paper.id, entry_type, fields).rstrip("\n"), True


def export_entry(paper: Paper, lib: Library) -> str:
    """A note's entry for an exported .bib: self-contained (macros expanded, crossref applied)."""
    entry = lib.bib.get(paper.bibkey or paper.id)
    if entry is not None:
        return format_entry(entry.key, entry.entry_type, entry.latex_fields or {})
    entry_type, fields = paper_entry(paper)
    return format_entry(paper.id, entry_type, fields)


def _balanced(value: str) -> str:
    depth = 0
    for c in value:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                break
    if depth != 0:
        return value.replace("{", "").replace("}", "")
    return value
