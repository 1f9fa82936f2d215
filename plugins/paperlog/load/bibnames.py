"""BibTeX name lists (`Knuth, Donald E. and van Beethoven, Ludwig`) -> `Author`s.

bibtexparser implements BibTeX's name rules (first / von / last / jr parts,
braces protecting a corporate name such as `{Barnes and Noble}`); each part is
then decoded from LaTeX. The family name keeps the von part ("van Beethoven"),
which is how BibTeX's standard styles cite and sort it.
"""

from __future__ import annotations

import re

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts, split_multiple_persons_names

from ..model import Author
from .latex import LatexDecoder


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_WORDS = re.compile(r"[ \t\r\n~]+")


def simple_name_parts(person: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """(first, von, last, jr) words of a name without braces or commands, else None.

    The common case, done without bibtexparser's general (and ten times
    slower) parser; tests check that both agree on every name of the
    real-world .bib files.
    """
    parts = [p.strip() for p in person.split(",")]
    if len(parts) > 3 or not all(parts) and len(parts) > 1:
        return None
    words = [_WORDS.split(p) for p in parts]
    for group in words:
        for word in group:
            if not word or not word[0].isalpha():
                return None
    if len(words) == 1:
        head = words[0]
        lower = [i for i, w in enumerate(head[:-1]) if w[0].islower()]
        if not lower:
            return head[:-1], [], head[-1:], []
        if lower[0] == 0:
            return None  # a name that starts in lower case: BibTeX's special rules apply
        return head[: lower[0]], head[lower[0] : lower[-1] + 1], head[lower[-1] + 1 :], []
    head = words[0]
    lower = [i for i, w in enumerate(head[:-1]) if w[0].islower()]
    cut = lower[-1] + 1 if lower else 0
    von, last = head[:cut], head[cut:]
    if len(words) == 2:
        return words[1], von, last, []
    return words[2], von, last, words[1]


class NameSplitter:
    """Splits and decodes name fields, remembering each field (authors recur across entries)."""

    def __init__(self, decoder: LatexDecoder) -> None:
        self._decoder = decoder
        self._memo: dict[str, tuple[tuple[Author, ...], str]] = {}

    def split(self, value: str) -> tuple[tuple[Author, ...], str]:
        """The people a name field lists ('and others' dropped), and a problem ('' if none)."""
        found = self._memo.get(value)
        if found is None:
            if len(self._memo) > 200_000:
                self._memo.clear()
            found = self._memo[value] = self._split(value)
        return found

    def _split(self, value: str) -> tuple[tuple[Author, ...], str]:
        authors: list[Author] = []
        problems: list[str] = []
        simple = "{" not in value and "\\" not in value
        persons = _AND.split(value.strip()) if simple else split_multiple_persons_names(value)
        for person in persons:
            if person.strip().lower() == "others":
                continue
            found = simple_name_parts(person) if simple else None
            if found is None:
                try:
                    parts = parse_single_name_into_parts(person, strict=False)
                except InvalidNameError as exc:
                    problems.append(exc.reason)
                    text, _ = self._decoder.decode(person)
                    authors.append(Author(text, "", text))
                    continue
                found = (parts.first, parts.von, parts.last, parts.jr)
            first, von, last, jr = (self._text(words, problems) for words in found)
            family = f"{von} {last}".strip()
            name = " ".join(p for p in (first, family, jr) if p)
            if name:
                authors.append(Author(name, first, family))
        return tuple(authors), (problems[0] if problems else "")

    def _text(self, words: list[str], problems: list[str]) -> str:
        if not words:
            return ""
        text, problem = self._decoder.decode(" ".join(words))
        if problem:
            problems.append(problem)
        return text
