"""Glossary links: every name of every term, and which notes use each term."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..diagnostics import Diagnostics
from ..model import Paper, Term


def term_index(terms: Mapping[str, Term], diags: Diagnostics | None = None) -> dict[str, str]:
    """Every way to name a term (slug, name, alias; lower case) -> its slug.

    A name two terms claim stays with the first term (in glossary order) and,
    when `diags` is given, is reported once (PL610).
    """
    index: dict[str, str] = {}
    for slug, term in terms.items():
        for name in dict.fromkeys(n.strip().lower() for n in (slug, term.name, *term.aliases)):
            if not name:
                continue
            owner = index.setdefault(name, slug)
            if owner != slug and diags is not None:
                diags.warning(
                    term.source, term.line, 1, "PL610",
                    f"glossary terms '{owner}' and '{slug}' are both called '{name}'; it links to '{owner}'",
                    "give each term its own names and aliases",
                )  # fmt: skip
    return index


def term_users(papers: Iterable[Paper], index: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Term slug -> ids of the notes whose `terms` name it (by slug, name or alias).

    Ids keep the order of `papers` (pass them in listing order).
    """
    users: dict[str, dict[str, None]] = {}
    for paper in papers:
        for name in paper.terms:
            slug = index.get(name.strip().lower())
            if slug is not None:
                users.setdefault(slug, {})[paper.id] = None
    return {slug: tuple(ids) for slug, ids in sorted(users.items())}
