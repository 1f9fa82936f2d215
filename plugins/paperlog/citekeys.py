"""The citation key rule used by `paperlog add`, e.g. `vaswani2017attention`.

key = first author's family name + year + first significant title word, each
reduced to ASCII lower-case letters and digits. Family name: the last word of
the name, skipping suffixes (Jr., III). Significant word: the first title
word that is not a short function word ("a", "the", "on", ...) and does
not start with a digit (it would run into the year: "3D Gaussian" keys on
"gaussian"). A part that is missing is left out ("anon" stands in for no author).
When the key is taken by another paper, the letters b, c, ... z, then
aa, ab, ... are appended (vaswani2017attentionb), as bibliographies do.
"""

from __future__ import annotations

import itertools
import re
import string
import unicodedata
from collections.abc import Callable, Iterator, Sequence

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "and",
        "or",
        "with",
        "from",
        "by",
        "at",
        "is",
        "are",
        "as",
        "via",
        "into",
        "onto",
        "towards",
        "toward",
        "about",
        "using",
        "do",
        "does",
        "what",
        "how",
        "why",
        "when",
        "can",
        "we",
        "our",
        "your",
        "its",
        "this",
        "that",
    ]
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def ascii_word(text: str) -> str:
    """ASCII lower-case letters and digits of `text` ('Schrödinger' -> 'schrodinger')."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode("ascii").lower())


def family_name(name: str) -> str:
    words = [w for w in re.split(r"[\s,]+", name.strip()) if w]
    if "," in name:
        # 'Family, Given'
        return ascii_word(name.split(",")[0])
    while len(words) > 1 and ascii_word(words[-1]) in _SUFFIXES:
        words.pop()
    return ascii_word(words[-1]) if words else ""


def title_word(title: str) -> str:
    # Drop TeX math and commands: '$\alpha$-nets' keys on 'nets'.
    plain = re.sub(r"\$[^$]*\$|\\[A-Za-z]+", " ", title)
    for word in re.split(r"[\s\-–—/:;,.!?()\[\]{}\"'`]+", plain):
        cleaned = ascii_word(word)
        if cleaned and cleaned not in STOP_WORDS and not cleaned[0].isdigit():
            return cleaned
    return ""


def base_key(authors: Sequence[str], year: int | str | None, title: str) -> str:
    family = family_name(authors[0]) if authors else ""
    return f"{family or 'anon'}{year or ''}{title_word(title)}"


def _suffixes() -> Iterator[str]:
    letters = string.ascii_lowercase
    yield from letters[1:]
    for size in itertools.count(2):
        for combo in itertools.product(letters, repeat=size):
            yield "".join(combo)


def unique_key(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base` + the first suffix for which `taken(key)` is false."""
    if not taken(base):
        return base
    for suffix in _suffixes():
        if not taken(base + suffix):
            return base + suffix
    raise AssertionError("unreachable")  # pragma: no cover
