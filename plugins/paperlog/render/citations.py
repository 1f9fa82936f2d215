"""Citations: what each key shows (label, year, full reference, link target), and the
late pass that turns a rendered page's citation placeholders into links and a
References list.

The Markdown extension (`paperlog.markdown.citations`) only marks citations;
this module decides how they look, in the `citation_style` the site chose:
author-year, "(Vaswani et al., 2017)", or numeric, "[1]", numbered in the
order a page first cites each work.
"""

from __future__ import annotations

import dataclasses
import html
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import jinja2
from markupsafe import Markup, escape

from ..link.metadata import bib_fields
from ..markdown.citations import PLACEHOLDER, read_placeholder
from ..markdown.citesyntax import CiteItem
from ..markdown.math import to_mathml
from ..model import Author, BibEntry, LinkedLibrary, Location, Paper, frozen_mapping, slugify
from .urls import SiteUrls

_MATH = re.compile(r"(?<!\\)\$(?:\\.|[^$\\])+?(?<!\\)\$")
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]+")


@dataclass(frozen=True)
class Work:
    """What a reference shows, from a note (merged metadata) or a BibTeX entry alone."""

    key: str
    title: str
    authors: tuple[Author, ...]
    year: str
    venue: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    target: str = ""
    """Docs source path the citation links to ('papers/x.md' or 'bibliography.md#key')."""
    paper_id: str = ""
    label: str = ""
    """Authors as cited: 'Vaswani et al.'"""
    year_label: str = ""
    """Year as cited, with a letter when one author label has two works that year: '2017a'."""

    @property
    def reference(self) -> str:
        """The full reference as one line of plain text (the hover text of a citation)."""
        parts = [
            f"{names_text(self.authors)} ({self.year_label})."
            if self.authors
            else f"({self.year_label})."
        ]
        parts.append(self.title.rstrip(".") + ".")
        details = ", ".join(
            p for p in (self.venue, self.volume, f"pp. {self.pages}" if self.pages else "") if p
        )
        if details:
            parts.append(details + ".")
        if self.doi:
            parts.append(f"doi:{self.doi}")
        return " ".join(parts)


def names_text(authors: tuple[Author, ...], limit: int = 10) -> str:
    names = [a.name for a in authors]
    if len(names) > limit:
        return ", ".join(names[: limit - 1]) + ", et al."
    if len(names) > 1:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return names[0] if names else ""


def author_label(authors: tuple[Author, ...], fallback: str) -> str:
    families = [a.family or a.name for a in authors]
    if not families:
        return fallback
    if len(families) == 1:
        return families[0]
    if len(families) == 2:
        return f"{families[0]} and {families[1]}"
    return f"{families[0]} et al."


def bib_anchors(keys: Iterable[str]) -> dict[str, str]:
    """An HTML id for each BibTeX key: the key itself when safe, else a cleaned form, unique."""
    anchors: dict[str, str] = {}
    used: set[str] = {"references"}
    for key in sorted(keys):
        base = _ANCHOR_UNSAFE.sub("-", key).strip("-.:") or "entry"
        if not base[0].isalpha():
            base = "bib-" + base
        anchor, n = base, 2
        while anchor.lower() in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor.lower())
        anchors[key] = anchor
    return anchors


@dataclass(frozen=True)
class CitationIndex:
    """Every citable key (note ids and BibTeX keys) -> the work it names.

    Compared by value: the render cache compares the one a kept output read with this
    build's."""

    works: Mapping[str, Work] = field(default_factory=frozen_mapping)
    anchors: Mapping[str, str] = field(default_factory=frozen_mapping)
    """BibTeX key -> id of its entry on the bibliography page."""
    paper_pages: Mapping[str, str] = field(default_factory=frozen_mapping)
    """Source path of each paper page -> the paper's id."""
    known: frozenset[str] = frozenset()
    """Every citable key."""


def build_citation_index(lib: LinkedLibrary, urls: SiteUrls) -> CitationIndex:
    """Every citable key's work."""
    anchors = bib_anchors(lib.bib)
    works: dict[str, Work] = {}
    for paper in lib.papers.values():
        work = _paper_work(paper, urls.paper(paper.id))
        works[paper.id] = work
        if paper.bibkey and paper.bibkey in lib.bib:
            works.setdefault(paper.bibkey, work)
    for key, entry in lib.bib.items():
        if key not in works:
            works[key] = _bib_work(entry, f"{urls.bibliography}#{anchors[key]}")
    _label(works)
    return CitationIndex(
        frozen_mapping(works),
        frozen_mapping(anchors),
        frozen_mapping({urls.paper(p): p for p in lib.papers}),
        frozenset(works),
    )


def _paper_work(paper: Paper, target: str) -> Work:
    return Work(
        key=paper.id,
        title=paper.display_title,
        authors=paper.authors,
        year=str(paper.year or ""),
        venue=paper.venue,
        volume=paper.volume,
        pages=paper.pages,
        doi=paper.doi,
        url=paper.url,
        target=target,
        paper_id=paper.id,
    )


def _bib_work(entry: BibEntry, target: str) -> Work:
    f = bib_fields(entry)
    return Work(
        key=entry.key,
        title=str(f.get("title") or entry.key),
        authors=entry.authors,
        year=str(f.get("year") or ""),
        venue=str(f.get("venue") or ""),
        volume=str(f.get("volume") or ""),
        pages=str(f.get("pages") or ""),
        doi=str(f.get("doi") or ""),
        url=str(f.get("url") or ""),
        target=target,
    )


def _label(works: dict[str, Work]) -> None:
    """Fill label and year_label; 'a', 'b'... tell apart one label's works of one year."""
    distinct: dict[int, Work] = {}
    for work in works.values():
        distinct.setdefault(id(work), work)
    groups: dict[tuple[str, str], list[Work]] = {}
    for work in distinct.values():
        groups.setdefault((author_label(work.authors, work.title), work.year), []).append(work)
    labelled: dict[int, Work] = {}
    for (label, year), group in groups.items():
        group.sort(key=lambda w: (w.title.lower(), w.key))
        for i, work in enumerate(group):
            suffix = string.ascii_lowercase[i % 26] if len(group) > 1 else ""
            year_label = (year or "n.d.") + suffix
            labelled[id(work)] = dataclasses.replace(work, label=label, year_label=year_label)
    for key, work in works.items():
        works[key] = labelled[id(work)]


def math_text(text: str) -> Markup:
    """Text as HTML, with `$...$` rendered as MathML (for titles in References lists)."""
    out, pos = [], 0
    for m in _MATH.finditer(text):
        out.append(str(escape(text[pos : m.start()])))
        out.append(to_mathml(m.group(0)[1:-1], display=False))
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


@dataclass
class ResolvedPage:
    html: str
    cited: list[str]
    """Known keys, in the order the page first cites them."""
    unknown: list[str]
    references_id: str = ""
    """The id of the References heading ('' when nothing was cited)."""
    anchor_ids: frozenset[str] | None = None
    """The ids in `html`, once someone needed them (kept with the page by `mkdocs serve`)."""


class CitationMemo:
    """Rendered citations and References lists of one build, keyed by everything they show.

    A site cites the same works from many pages: each distinct citation (its
    items, the works they name by value, numbers and link targets) is rendered
    once per build.
    """

    def __init__(self) -> None:
        self._rendered: dict[object, str] = {}

    def get(self, key: object, render: Callable[[], str]) -> str:
        value = self._rendered.get(key)
        if value is None:
            value = self._rendered[key] = render()
        return value

    def __len__(self) -> int:
        return len(self._rendered)


def _read(raw: str) -> tuple[str, tuple[CiteItem, ...]]:
    """A placeholder's mode and items, from its attribute as written in the page (pages repeat them)."""
    mode, items = read_placeholder(html.unescape(raw))
    return mode, tuple(items)


def resolve_citations(
    page_html: str,
    index: CitationIndex,
    style: str,
    link: Callable[[str], str],
    env: jinja2.Environment,
    memo: CitationMemo | None = None,
) -> ResolvedPage:
    """Replace the placeholders of a rendered page and append its References list.

    `memo` (one per build) renders each distinct citation once.
    """
    if memo is None:
        memo = CitationMemo()
    found = [(m, *_read(m.group(1))) for m in PLACEHOLDER.finditer(page_html)]
    cited: list[str] = []
    unknown: list[str] = []
    for _, _, items in found:
        for item in items:
            target = cited if item.key in index.works else unknown
            if item.key not in target:
                target.append(item.key)
    numbers = {
        index.works[key].key: i for i, key in enumerate(_distinct_works(cited, index), start=1)
    }
    numeric = style == "numeric"
    out, pos = [], 0
    for m, mode, items in found:
        out.append(page_html[pos : m.start()])
        out.append(_render_cite(env, mode, items, index, numeric, numbers, link, memo))
        pos = m.end()
    out.append(page_html[pos:])
    result = "".join(out)
    if not cited:
        return ResolvedPage(result, cited, unknown)
    ref_id = _free_id("references", result)
    works = [index.works[k] for k in _distinct_works(cited, index)]
    if not numeric:
        works.sort(key=lambda w: (w.label.lower(), w.year_label, w.title.lower()))
    # What the template shows of each work: the work, its number, its link.
    shown = tuple((w, numbers.get(w.key), link(w.target)) for w in works)

    def render() -> str:
        return env.get_template("citations/references.html.j2").render(
            works=works,
            numbered=numeric,
            numbers=numbers,
            heading_id=ref_id,
            link=link,
            math_text=math_text,
        )

    references = memo.get(("references", numeric, ref_id, shown), render)
    return ResolvedPage(result + references, cited, unknown, ref_id)


def link_of(work: Work | None, link: Callable[[str], str]) -> str:
    return link(work.target) if work is not None else ""


def _distinct_works(keys: list[str], index: CitationIndex) -> list[str]:
    """Keys naming distinct works (a note's id and its bibkey are one work)."""
    seen: set[str] = set()
    out = []
    for key in keys:
        work_key = index.works[key].key
        if work_key not in seen:
            seen.add(work_key)
            out.append(key)
    return out


def _render_cite(
    env: jinja2.Environment,
    mode: str,
    items: tuple[CiteItem, ...],
    index: CitationIndex,
    numeric: bool,
    numbers: dict[str, int],
    link: Callable[[str], str],
    memo: CitationMemo,
) -> str:
    views = []
    for item in items:
        work = index.works.get(item.key)
        number = numbers.get(work.key) if work is not None else None
        views.append((item, work, number, link(work.target) if work else ""))
    key = ("cite", mode, numeric, tuple(views))

    def render() -> str:
        template = env.get_template("citations/cite.html.j2")
        return template.render(
            mode=mode,
            items=[{"item": i, "work": w, "number": n, "href": h} for i, w, n, h in views],
            numeric=numeric,
        ).strip()

    return memo.get(key, render)


def _free_id(base: str, page_html: str) -> str:
    anchor, n = base, 2
    while f'id="{anchor}"' in page_html:
        anchor, n = f"{base}-{n}", n + 1
    return anchor


def locate_citation(paper: Paper, key: str) -> Location:
    """Where a note's Markdown fields cite `key` (the note's file when no field does)."""
    fields = [("summary", paper.summary)]
    fields += [(f"passes/{name}", text) for name, text in paper.passes.items()]
    fields += [(f"highlights/{i}/note", h.note) for i, h in enumerate(paper.highlights)]
    fields += [(f"questions/{i}/a", q.a) for i, q in enumerate(paper.questions)]
    fields += [(f"log/{i}/note", e.note) for i, e in enumerate(paper.log)]
    for path, text in fields:
        if text and "@" + key in text:
            return paper.where(path)
    return Location(paper.source, 1, 1)


def page_title(markdown: str, fallback: str) -> str:
    """A hand-written page's title before MkDocs reads it: front matter, first `# ` heading, file name."""
    lines = markdown.lstrip("\ufeff").split("\n")
    if lines and lines[0].strip() == "---":
        for line in lines[1:]:
            if line.strip() in ("---", "..."):
                break
            if line.startswith("title:"):
                return line[6:].strip().strip("'\"") or fallback
    for line in lines:
        if line.startswith("# "):
            return line[2:].strip().rstrip("#").strip() or fallback
    name = fallback.rsplit("/", 1)[-1].removesuffix(".md")
    if name == "index":
        parts = fallback.rsplit("/", 2)
        name = parts[-2] if len(parts) > 1 else "Home"
    return name.replace("-", " ").replace("_", " ").capitalize()


def slug_letter(name: str) -> str:
    """The group letter of a family name on the bibliography page ('#' for non-letters)."""
    letter = slugify(name)[:1].upper()
    return letter if letter.isalpha() else "#"
