"""Backlinks: what each note cites (resolved), who cites it, what it is related to.

One pass over the notes; every reference is resolved to a note id when one
matches (see refs.Resolver), so a note cited by its BibTeX key still lists the
citing note under "Cited by". Works without a note keep their key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..model import ExternalWork, LoadedLibrary, Paper
from .refs import Resolver, external_work, ref_key


@dataclass(frozen=True)
class Backlinks:
    cites: dict[str, tuple[str, ...]]
    """Note id -> resolved `cites`, in the note's order, without duplicates or itself."""
    cited_by: dict[str, tuple[str, ...]]
    """Note id or key of a work without a note -> ids of the notes citing it, in listing order."""
    related_to: dict[str, tuple[str, ...]]
    """Note id -> related notes and works, both directions, in listing order."""
    external: dict[str, ExternalWork]
    """Every work named in `cites` or `related` that has no note, by key."""


def compute_backlinks(
    papers: Mapping[str, Paper], lib: LoadedLibrary, resolver: Resolver
) -> Backlinks:
    cites: dict[str, tuple[str, ...]] = {}
    cited_by: dict[str, set[str]] = {}
    related: dict[str, set[str]] = {}
    for pid in sorted(papers):
        paper = papers[pid]
        targets: dict[str, None] = {}  # an ordered set
        for ref in paper.cites:
            target = resolver.resolve(ref)
            if target != pid:  # a note citing itself says nothing about connections
                targets.setdefault(target)
        if targets:
            cites[pid] = tuple(targets)
        for target in targets:
            cited_by.setdefault(target, set()).add(pid)
        for ref in paper.related:
            target = resolver.resolve(ref)
            if target == pid:
                continue
            related.setdefault(pid, set()).add(target)
            if target in papers:
                related.setdefault(target, set()).add(pid)
    named = set(cited_by) | {t for targets in related.values() for t in targets}
    external = {key: external_work(key, lib) for key in sorted(named) if key not in papers}

    # Each reference's place in listings, worked out once: many lists name the same ones.
    rank: dict[str, int] = {}
    everyone = {pid for ids in cited_by.values() for pid in ids}
    everyone.update(t for targets in related.values() for t in targets)
    for i, ref in enumerate(sorted(everyone, key=lambda ref: ref_key(ref, papers, external))):
        rank[ref] = i

    def ordered(ids: set[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=rank.__getitem__))

    return Backlinks(
        cites=cites,
        cited_by={k: ordered(v) for k, v in sorted(cited_by.items())},
        related_to={k: ordered(v) for k, v in sorted(related.items())},
        external=external,
    )
