"""Merge the ways notes, BibTeX and arXiv write an author's name into people.

The rule (also in docs/guide/authors.md, keep both in step):

1. Names compare ASCII-folded, ignoring case, dots and hyphens: 'Łukasz
   Kaiser' = 'Lukasz Kaiser', 'Kaiser, L.' = 'L. Kaiser'.
2. authors.yaml comes first: a variant listed there is read as its canonical
   name, which is then also the name shown.
3. Two names can be one person only when their family names match: the last
   word of the family name, without particles ('van der Maaten' -> 'maaten').
4. Given names are compared word by word from the first ('Jean-Pierre' ->
   jean, pierre): each pair is equal or one is the initial of the other, and
   words missing at the end are allowed. 'A. Vaswani' ~ 'Ashish Vaswani',
   'Geoffrey Hinton' ~ 'G. E. Hinton', but not 'John Smith' ~ 'Jane Smith'.
5. The most complete names go first; each later name joins the one person it
   fits. A name that fits two people who do not fit each other ('J. Smith'
   next to 'John Smith' and 'Jane Smith') stays apart and is reported (PL632).
6. A family name alone ('Vaswani') joins the family's only person, if any.
7. Shown name: the canonical one from authors.yaml, else the most complete
   spelling (most full given names, then accents kept, then most used).

Work is linear in the number of author mentions, plus, per family name and
first initial, the comparisons between the distinct spellings found there.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics
from ..load.notes import split_name
from ..model import Author, AuthorAlias, Paper, Person, slugify

PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "das",
        "dos",
        "du",
        "la",
        "le",
        "ter",
        "ten",
        "zu",
        "y",
    }
)
"""Lower-case words that belong to a family name but do not identify it."""

# Letters NFKD does not decompose to ASCII.
_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
     "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"}
)  # fmt: skip
_WORD_SPLIT = re.compile(r"[\s.\-‐‑–]+")
_NON_LETTERS = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII letters for comparison; scripts without ASCII forms are kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    ascii_text = (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .encode("ascii", "ignore")
        .decode()
    )
    if not ascii_text.strip() and text.strip():
        return unicodedata.normalize("NFKC", text).casefold()
    return ascii_text.lower()


def words(text: str) -> list[str]:
    """Folded words of a name part: 'Jean-Pierre' -> ['jean', 'pierre'], 'J.-P.' -> ['j', 'p']."""
    out = []
    for raw in _WORD_SPLIT.split(fold(text)):
        word = _NON_LETTERS.sub("", raw) if raw.isascii() else raw
        if word:
            out.append(word)
    return out


@dataclass(frozen=True, order=True)
class NameKey:
    """What two spellings of one name have in common once folded."""

    family: str
    given: tuple[str, ...]


def name_key(author: Author) -> NameKey:
    family_words = words(author.family) if author.family else []
    given_words = words(author.given) if author.family else []
    if not family_words:
        family_words = words(author.name)[-1:]
        given_words = words(author.name)[:-1]
    core = [w for w in family_words if w not in PARTICLES] or family_words
    given = tuple(w for w in given_words if w not in PARTICLES)
    return NameKey(core[-1] if core else "", given)


def compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Given names that may belong to one person (rule 4)."""
    for x, y in zip(a, b, strict=False):  # missing words at the end are allowed
        if x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            continue
        return False
    return True


def completeness(key: NameKey) -> tuple[int, int]:
    return (sum(len(w) > 1 for w in key.given), len(key.given))


@dataclass
class _Variant:
    key: NameKey
    spellings: Counter[str] = field(default_factory=Counter)
    authors: dict[str, Author] = field(default_factory=dict)
    papers: set[str] = field(default_factory=set)
    first_seen: tuple[str, int] | None = None
    canonical: str = ""

    def best_spelling(self) -> str:
        if self.canonical:
            return self.canonical
        return min(
            self.spellings, key=lambda s: (-sum(not c.isascii() for c in s), -self.spellings[s], s)
        )


@dataclass
class _Cluster:
    seed: _Variant
    members: list[_Variant]
    ambiguous: bool = False


def person_slug(name: str) -> str:
    """A URL slug for a person: 'Łukasz Kaiser' -> 'lukasz-kaiser'.

    Names in scripts without an ASCII form get a short stable hash instead.
    """
    folded = fold(name)
    slug = slugify(folded)
    if slug == "x" and folded.strip() != "x":
        slug = "author-" + hashlib.blake2b(name.encode("utf-8"), digest_size=4).hexdigest()
    return slug


def merge_authors(
    papers: Mapping[str, Paper],
    aliases: Mapping[str, AuthorAlias],
    order: dict[str, int],
    diags: Diagnostics,
) -> tuple[dict[str, Person], dict[str, Paper]]:
    """People by slug (sorted by family name) and the papers with `Author.person` set.

    `order` gives each paper id its place in listings, so a person's papers
    come newest first like everywhere else.
    """
    clustering = _clusters(papers, aliases)
    drafts = _drafts(clustering.clusters)
    diags.extend(_diagnostics(clustering, papers))
    people, slug_of = _people(drafts, order)
    return people, _link(papers, clustering.mention_keys, slug_of)


def _link(
    papers: Mapping[str, Paper],
    mention_keys: dict[tuple[str, int], NameKey],
    slug_of: dict[NameKey, str],
) -> dict[str, Paper]:
    """The papers with each author's person slug set."""
    linked = {}
    nobody = NameKey("", ())
    for pid, paper in papers.items():
        slugs = tuple(
            slug_of.get(mention_keys.get((pid, i), nobody), "") for i in range(len(paper.authors))
        )
        authors = tuple(
            a if a.person == slug else dataclasses.replace(a, person=slug)
            for a, slug in zip(paper.authors, slugs, strict=True)
        )
        linked[pid] = (
            dataclasses.replace(paper, authors=authors) if authors != paper.authors else paper
        )
    return linked


@dataclass
class _Clustering:
    clusters: list[_Cluster]
    mention_keys: dict[tuple[str, int], NameKey]
    alias_diagnostics: tuple[Diagnostic, ...]
    ambiguous: list[tuple[str, int, str]]


def _clusters(papers: Mapping[str, Paper], aliases: Mapping[str, AuthorAlias]) -> _Clustering:
    variants: dict[NameKey, _Variant] = {}
    local = Diagnostics()
    redirect = _alias_redirects(aliases, variants, local)
    mention_keys: dict[tuple[str, int], NameKey] = {}
    for paper in papers.values():
        for i, author in enumerate(paper.authors):
            key = name_key(author)
            if not key.family:
                continue
            key = redirect.get(key, key)
            variant = variants.setdefault(key, _Variant(key))
            variant.spellings[author.name] += 1
            variant.authors.setdefault(author.name, author)
            variant.papers.add(paper.id)
            if variant.first_seen is None or (paper.id, i) < variant.first_seen:
                variant.first_seen = (paper.id, i)
            mention_keys[(paper.id, i)] = key
    _report_unused(aliases, variants, redirect, local)
    ambiguous: list[tuple[str, int, str]] = []
    clusters = _cluster(variants.values(), ambiguous)
    return _Clustering(clusters, mention_keys, tuple(local), ambiguous)


def _diagnostics(clustering: _Clustering, papers: Mapping[str, Paper]) -> list[Diagnostic]:
    """authors.yaml's problems and ambiguous names, placed where they are written now."""
    local = Diagnostics()
    local.extend(clustering.alias_diagnostics)
    for pid, i, message in clustering.ambiguous:
        loc = papers[pid].where(f"authors/{i}")
        local.info(
            loc.path, loc.line, loc.col, "PL632", message,
            "list it under the right name in notes/authors.yaml",
        )  # fmt: skip
    return local.sorted()


def _alias_redirects(
    aliases: Mapping[str, AuthorAlias], variants: dict[NameKey, _Variant], diags: Diagnostics
) -> dict[NameKey, NameKey]:
    """Variant key -> canonical key, from authors.yaml (rule 2)."""
    redirect: dict[NameKey, NameKey] = {}
    owner: dict[NameKey, str] = {}
    for alias in aliases.values():
        canonical_author = split_name(alias.name)
        canonical = name_key(canonical_author)
        variant = variants.setdefault(canonical, _Variant(canonical))
        variant.canonical = alias.name
        variant.authors.setdefault(canonical_author.name, canonical_author)
        owner.setdefault(canonical, alias.name)
        for text, line in zip(
            alias.variants, alias.variant_lines or (alias.line,) * len(alias.variants), strict=True
        ):
            key = name_key(split_name(text))
            if key == canonical:
                continue
            if key in owner and owner[key] != alias.name:
                diags.warning(
                    alias.source, line, 1, "PL630",
                    f"'{text}' is listed under '{alias.name}' but already means '{owner[key]}'",
                    "keep each variant under one canonical name",
                )  # fmt: skip
                continue
            owner[key] = alias.name
            redirect[key] = canonical
    return redirect


def _report_unused(
    aliases: Mapping[str, AuthorAlias],
    variants: dict[NameKey, _Variant],
    redirect: dict[NameKey, NameKey],
    diags: Diagnostics,
) -> None:
    for alias in aliases.values():
        canonical = name_key(split_name(alias.name))
        found = variants.get(canonical)
        if found is None or not found.papers:
            diags.info(
                alias.source, alias.line, 1, "PL631",
                f"authors.yaml: no note has an author named '{alias.name}' or one of its variants",
                "remove the entry, or check the spelling",
            )  # fmt: skip


def _cluster(found: Iterable[_Variant], ambiguous: list[tuple[str, int, str]]) -> list[_Cluster]:
    by_family: dict[str, list[_Variant]] = {}
    for variant in found:
        if variant.papers:
            by_family.setdefault(variant.key.family, []).append(variant)
    clusters: list[_Cluster] = []
    for family in sorted(by_family):
        ranked = sorted(
            by_family[family],
            key=lambda v: (*(-n for n in completeness(v.key)), not v.canonical, v.key),
        )
        by_initial: dict[str, list[_Cluster]] = {}
        family_clusters: list[_Cluster] = []
        bare: list[_Variant] = []
        for variant in ranked:
            if not variant.key.given:
                bare.append(variant)
                continue
            fits = []
            for cluster in by_initial.get(variant.key.given[0][0], ()):
                if not cluster.ambiguous and compatible(cluster.seed.key.given, variant.key.given):
                    fits.append(cluster)
                    if len(fits) == 2:
                        break
            if len(fits) == 1 and not (variant.canonical and fits[0].seed.canonical):
                fits[0].members.append(variant)
                continue
            cluster = _Cluster(variant, [variant], ambiguous=len(fits) > 1)
            if cluster.ambiguous:
                ambiguous.append(_ambiguity(variant, fits))
            by_initial.setdefault(variant.key.given[0][0], []).append(cluster)
            family_clusters.append(cluster)
        for variant in bare:
            clear = [c for c in family_clusters if not c.ambiguous]
            if len(clear) == 1 and len(family_clusters) == 1:
                clear[0].members.append(variant)
            else:
                family_clusters.append(_Cluster(variant, [variant]))
        clusters.extend(family_clusters)
    return clusters


def _ambiguity(variant: _Variant, fits: list[_Cluster]) -> tuple[str, int, str]:
    """Where an ambiguous name is first written (note id, author index), and the message."""
    assert variant.first_seen is not None
    pid, i = variant.first_seen
    names = " and ".join(f"'{c.seed.best_spelling()}'" for c in fits)
    return pid, i, f"author '{variant.best_spelling()}' could be {names}; kept apart"


def _drafts(clusters: list[_Cluster]) -> list[tuple[Any, ...]]:
    """Per person, what does not depend on the listing order, sorted as people are listed."""
    drafts = []
    for cluster in clusters:
        canonical = next((v for v in cluster.members if v.canonical), None)
        shown_variant = canonical or cluster.seed
        shown = shown_variant.best_spelling()
        author = shown_variant.authors.get(shown) or split_name(shown)
        spellings = {s for v in cluster.members for s in v.spellings}
        paper_ids = {p for v in cluster.members for p in v.papers}
        sort_key = (" ".join(words(author.family or shown)), " ".join(words(author.given)))
        others = tuple(sorted(spellings - {shown}))
        drafts.append((sort_key, shown, author, others, paper_ids, cluster, person_slug(shown)))
    drafts.sort(key=lambda d: (d[0], d[1]))
    return drafts


def _people(
    drafts: list[tuple[Any, ...]], order: dict[str, int]
) -> tuple[dict[str, Person], dict[NameKey, str]]:
    people: dict[str, Person] = {}
    slug_of: dict[NameKey, str] = {}
    unlisted = len(order)
    for draft in drafts:
        sort_key, shown, author, others, paper_ids, cluster, base = draft
        slug, n = base, 1
        while slug in people:
            n += 1
            slug = f"{base}-{n}"
        if len(paper_ids) == 1:
            ordered = tuple(paper_ids)
        else:
            ordered = tuple(sorted(paper_ids, key=lambda p: (order.get(p, unlisted), p)))
        people[slug] = Person(
            slug, shown, author.family or shown, author.given, others, ordered, sort_key
        )
        for variant in cluster.members:
            slug_of[variant.key] = slug
    return people, slug_of
