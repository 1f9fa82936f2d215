"""BibTeX name lists (`Knuth, Donald E. and van Beethoven, Ludwig`) -> `Author`s.

bibtexparser implements BibTeX's name rules (first / von / last / jr parts,
braces protecting a corporate name such as `{Barnes and Noble}`); each part is
then decoded from LaTeX. The family name keeps the von part ("van Beethoven"),
which is how BibTeX's standard styles cite and sort it.
"""

from __future__ import annotations

import re

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from ..model import Author
from .latex import LatexDecoder, needs_decoding

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_WORDS = re.compile(r"[ \t\r\n~]+")


def simple_name_parts(person: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """(first, von, last, jr) words of a plain name (braces only inside words), else None.

    The common case, done without bibtexparser's general (and ten times
    slower) parser; tests check that both agree on every name of the
    real-world .bib files.
    """
    if "{" in person and "," in person and _comma_in_braces(person):
        return None
    parts = [p.strip() for p in person.split(",")]
    if len(parts) > 3 or (not all(parts) and len(parts) > 1):
        return None
    words = [_WORDS.split(p) for p in parts]
    braces = "{" in person or "}" in person
    for group in words:
        for word in group:
            # A word must start with a letter (its case decides von or not);
            # braces may follow, balanced within the word: `M{\\"u}ller`.
            if not word or not word[0].isalpha():
                return None
            if braces and not _balanced_word(word):
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


def _balanced_word(word: str) -> bool:
    opened = word.count("{")
    return opened == word.count("}") and (not opened or word.index("{") < word.index("}"))


def _comma_in_braces(text: str) -> bool:
    depth = 0
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth > 0:
            return True
    return False


class NameSplitter:
    """Splits and decodes name fields, remembering each field (authors recur across entries)."""

    def __init__(self, decoder: LatexDecoder) -> None:
        self._decoder = decoder
        self._memo: dict[str, tuple[tuple[Author, ...], str]] = {}
        self._people: dict[str, tuple[Author | None, str]] = {}

    def split(self, value: str) -> tuple[tuple[Author, ...], str]:
        """The people a name field lists ('and others' dropped), and a problem ('' if none)."""
        found = self._memo.get(value)
        if found is None:
            if len(self._memo) > 200_000:
                self._memo.clear()
                self._people.clear()
            found = self._memo[value] = self._split(value)
        return found

    def _split(self, value: str) -> tuple[tuple[Author, ...], str]:
        authors: list[Author] = []
        problems: list[str] = []
        people = self._people
        # Any spelling of 'and' contains one of these pairs; without one, a field names one person.
        several = "nd" in value or "ND" in value or "Nd" in value or "nD" in value
        for person in _persons(value) if several else (value.strip(),):
            found = people.get(person)
            if found is None:
                found = people[person] = (
                    (None, "") if person.strip().lower() == "others" else self._person(person)
                )
            author, problem = found
            if problem:
                problems.append(problem)
            if author is not None:
                authors.append(author)
        return tuple(authors), (problems[0] if problems else "")

    def _person(self, person: str) -> tuple[Author | None, str]:
        if (
            "{" not in person
            and "}" not in person
            and "\\" not in person
            and "~" not in person
            and "-" not in person
        ):
            quick = _plain_person(person)
            if quick is not None:
                return quick, ""
        problems: list[str] = []
        found = simple_name_parts(person)
        if found is None:
            try:
                parts = parse_single_name_into_parts(person, strict=False)
            except InvalidNameError as exc:
                text, _ = self._decoder.decode(person)
                return Author(text, "", text), exc.reason
            found = (parts.first, parts.von, parts.last, parts.jr)
        first, von, last, jr = (self._text(words, problems) for words in found)
        family = f"{von} {last}".strip()
        name = " ".join(p for p in (first, family, jr) if p)
        return (Author(name, first, family) if name else None), (problems[0] if problems else "")

    def _text(self, words: list[str], problems: list[str]) -> str:
        if not words:
            return ""
        text = " ".join(words)
        if not needs_decoding(text):
            return text
        text, problem = self._decoder.decode(text)
        if problem:
            problems.append(problem)
        return text


def _plain_person(person: str) -> Author | None:
    """A name of plain words ('Knuth, Donald E.' or 'Donald E. Knuth') without a von part.

    The great majority of names, so worth a path of their own; None for anything else.
    """
    if "," in person:
        family, _, given = person.partition(",")
        if "," in given:
            return None
        family, given = family.strip(), " ".join(given.split())
        words = family.split()
        if not words or not given or not given[0].isalpha():
            return None
        for word in words:
            if not word[0].isupper():
                return None
        family = " ".join(words)
        return Author(f"{given} {family}", given, family)
    words = person.split()
    if not words:
        return None
    for word in words:
        if not word[0].isupper():
            return None
    family = words[-1]
    given = " ".join(words[:-1])
    return Author(f"{given} {family}" if given else family, given, family)


def _persons(value: str) -> list[str]:
    """The names of a field; 'and' inside braces (`{Barnes and Noble}`) does not split."""
    persons = _AND.split(value.strip())
    if "{" in value and any(p.count("{") != p.count("}") for p in persons):
        return split_multiple_persons_names(value)
    return persons
