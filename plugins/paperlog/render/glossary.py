"""/glossary/: every term of notes/glossary.yaml, alphabetically, with the notes that use it."""

from __future__ import annotations

from collections.abc import Iterable

from ..link.authors import fold
from ..model import Term
from . import OutputFile, RenderContext


def initial(text: str) -> str:
    """The letter a name is filed under in an A-Z index ('#' for digits and other scripts)."""
    first = fold(text).strip()[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def sorted_terms(terms: Iterable[Term]) -> list[Term]:
    return sorted(terms, key=lambda t: (fold(t.name).strip(), t.slug))


def letters(items: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(letter, anchor of its first item) for an A-Z jump bar, from (name, anchor) in order."""
    seen: dict[str, str] = {}
    for name, anchor in items:
        seen.setdefault(initial(name), anchor)
    return list(seen.items())


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    if not ctx.lib.terms:
        return
    terms = sorted_terms(ctx.lib.terms.values())
    path = ctx.urls.glossary
    jump = letters((t.name, t.slug) for t in terms)
    content = ctx.page("glossary.md.j2", path, terms=terms, jump=jump)
    yield OutputFile(path, content, title="Glossary", in_nav=True)
