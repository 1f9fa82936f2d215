"""The domain model: plain, typed data with no MkDocs or Jinja inside.

The loaders build a `LoadedLibrary` from the user's files, the linker makes a
`LinkedLibrary` from it (metadata merged from BibTeX and arXiv, backlinks, the
graph...), and the renderers only read that. Every type here is immutable.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")

STATUSES: tuple[str, ...] = (
    "to-read",
    "skimmed",
    "first-pass",
    "second-pass",
    "implemented",
    "abandoned",
)
"""Reading statuses, in the order a paper moves through them."""

STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "to-read": "To read",
        "skimmed": "Skimmed",
        "first-pass": "First pass",
        "second-pass": "Second pass",
        "implemented": "Implemented",
        "abandoned": "Abandoned",
    }
)

PASSES: tuple[str, ...] = (
    "skim",
    "abstract",
    "introduction",
    "first",
    "second",
    "implementation",
    "review",
)
"""Kinds of reading session in a note's `log`, following the reading method."""

PASS_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "skim": "Skim",
        "abstract": "Abstract",
        "introduction": "Introduction",
        "first": "First pass",
        "second": "Second pass",
        "implementation": "Implementation",
        "review": "Review",
    }
)

RESOURCE_KINDS: tuple[str, ...] = (
    "blog",
    "video",
    "code",
    "slides",
    "talk",
    "thread",
    "book",
    "other",
)


def slugify(text: str) -> str:
    """A stable, URL-safe slug: ASCII lower case, words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "x"


@dataclass(frozen=True)
class Location:
    """Where a value stands in a source file (1-based line and column)."""

    path: str
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Author:
    """A person who wrote a paper. `name` is how it is shown."""

    name: str
    given: str = ""
    family: str = ""
    person: str = ""
    """Slug of the merged person (/authors/<slug>/) this name belongs to; set by the linker."""

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class LogEntry:
    """One reading session."""

    date: dt.date
    pass_: str
    minutes: int | None = None
    reader: str | None = None
    note: str = ""
    index: int = -1
    """Position in the note's `log` list as written (the list is sorted by date), for diagnostics."""


@dataclass(frozen=True)
class Highlight:
    quote: str
    page: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Figure:
    """An image kept next to the note; `src` is relative to the note's folder."""

    src: str
    caption: str = ""
    page: str | None = None
    file: str = ""
    """The image's absolute path on disk, once checked to lie inside notes_dir."""


@dataclass(frozen=True)
class Question:
    q: str
    a: str = ""


@dataclass(frozen=True)
class Resource:
    kind: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class PseudoStep:
    text: str
    code: str | None = None


@dataclass(frozen=True)
class Algorithm:
    name: str
    steps: tuple[PseudoStep, ...] = ()


@dataclass(frozen=True)
class Implementation:
    """The reader's own code (`code`) or someone else's repository (`repo`)."""

    code: str | None = None
    repo: str | None = None
    official: bool = False
    note: str = ""


@dataclass(frozen=True)
class Result:
    """A number the paper reports next to the number the reader got."""

    metric: str
    reported: float | None = None
    reproduced: float | None = None
    setup: str = ""
    higher_is_better: bool = True


@dataclass(frozen=True)
class CodeSymbol:
    """A class, function, method or assignment found by parsing a code module."""

    name: str
    """Dotted inside the module: 'MultiHeadAttention.split_heads'."""
    kind: str
    """'class', 'function', 'method' or 'attribute'."""
    start: int
    """First line (its first decorator, if any), 1-based."""
    end: int
    """Last line, inclusive."""


@dataclass(frozen=True)
class CodeModule:
    """One Python file under a code root, read and parsed but never imported."""

    name: str
    """The dotted module name: 'attention', 'pkg.mod', 'pkg' for pkg/__init__.py."""
    path: str
    """The file as shown to the user (relative to the site root when inside it)."""
    rel: str
    """The file relative to its code root, in POSIX form: 'pkg/mod.py'."""
    source: str
    """The file's text, as published on its code page."""
    symbols: Mapping[str, CodeSymbol] = field(default_factory=dict)
    docstring: str = ""
    file: str = ""
    """The absolute path of the file, once checked to lie inside its code root."""

    @property
    def line_count(self) -> int:
        return len(self.source.splitlines())

    @property
    def summary(self) -> str:
        """The first line of the module docstring."""
        return self.docstring.strip().split("\n", 1)[0].strip()


@dataclass(frozen=True)
class CodeRef:
    """Where a note's code target (`code:` of an implementation or a step) points."""

    target: str
    """The target as written in the note."""
    module: str
    symbol: str = ""
    """The symbol inside the module ('' for a whole module or a line range)."""
    start: int = 1
    end: int = 1
    kind: str = "module"
    """'module', 'lines' or the symbol's kind."""

    @property
    def whole_module(self) -> bool:
        return self.kind == "module"


@dataclass(frozen=True)
class ReaderNotes:
    """One reader's own take on a paper: an entry of the note's `by:` mapping.

    Team sites keep several people's notes on the same paper in one file; the
    paper page shows them side by side, each attributed to its reader.
    """

    reader: str
    summary: str = ""
    passes: Mapping[str, str] = field(default_factory=dict)
    rating: int | None = None


@dataclass(frozen=True)
class Paper:
    """One paper and the reader's notes on it.

    Bibliographic fields hold the note's own values after loading and the
    merged values (note > BibTeX > arXiv) after linking.
    """

    id: str
    source: str
    """The note's path, relative to the site's root folder (as printed in diagnostics)."""
    title: str = ""
    authors: tuple[Author, ...] = ()
    year: int | None = None
    venue: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    pdf: str = ""
    arxiv: str = ""
    bibkey: str = ""
    abstract: str = ""
    status: str = "to-read"
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    rating: int | None = None
    readers: tuple[str, ...] = ()
    log: tuple[LogEntry, ...] = ()
    summary: str = ""
    passes: Mapping[str, str] = field(default_factory=dict)
    highlights: tuple[Highlight, ...] = ()
    figures: tuple[Figure, ...] = ()
    questions: tuple[Question, ...] = ()
    terms: tuple[str, ...] = ()
    pseudocode: tuple[Algorithm, ...] = ()
    implementations: tuple[Implementation, ...] = ()
    results: tuple[Result, ...] = ()
    resources: tuple[Resource, ...] = ()
    cites: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    by: tuple[ReaderNotes, ...] = ()
    """Per-reader sections (`by: {ada: {summary, passes, rating}}`), in the note's order."""
    locations: Mapping[str, Location] = field(default_factory=dict)
    """Where each value stood in the note, keyed by path: 'cites/2', 'status', ..."""

    def where(self, key: str) -> Location:
        """The location of a value, falling back to its parent, then the file."""
        while key:
            if key in self.locations:
                return self.locations[key]
            key = key.rpartition("/")[0]
        return Location(self.source, 1, 1)

    @property
    def display_title(self) -> str:
        return self.title or self.id

    @property
    def last_read(self) -> dt.date | None:
        return max((e.date for e in self.log), default=None)

    def reader_of(self, entry: LogEntry) -> str | None:
        """Who read in a log entry: its `reader`, else the note's only reader."""
        if entry.reader:
            return entry.reader
        return self.readers[0] if len(self.readers) == 1 else None

    @functools.cached_property
    def reader_ids(self) -> tuple[str, ...]:
        """Everyone who read the paper: `readers`, then `by:` sections, then the log."""
        # Kept on the note: a team's pages ask it of every note for every reader, and under
        # `mkdocs serve` an unchanged note is the very same object build after build.
        seen: dict[str, None] = {}
        for rid in (
            *self.readers,
            *(n.reader for n in self.by),
            *(e.reader for e in self.log if e.reader),
        ):
            seen.setdefault(rid, None)
        return tuple(seen)


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str = ""
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class Term:
    """A glossary entry."""

    slug: str
    name: str
    definition: str = ""
    aliases: tuple[str, ...] = ()
    links: tuple[Resource, ...] = ()
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class Reader:
    id: str
    name: str
    url: str = ""
    avatar: str = ""
    source: str = ""
    line: int = 0
    default: bool = False
    """Notes that name no reader are this reader's (readers.yaml `default: true`)."""


@dataclass(frozen=True)
class Session:
    """One reading-group meeting, from notes/sessions.yaml."""

    uid: str
    """Stable key: the meeting's `id`, else its date (and time), numbered when a day has several."""
    date: dt.date
    time: dt.time | None = None
    duration: int | None = None
    """Length in minutes."""
    timezone: str = ""
    """IANA zone name; empty means floating local time."""
    title: str = ""
    presenter: str = ""
    papers: tuple[str, ...] = ()
    slides: str = ""
    location: str = ""
    notes: str = ""
    source: str = ""
    line: int = 0
    locations: Mapping[str, Location] = field(default_factory=dict)
    """Where each value stood, keyed by path inside the meeting: 'papers/1', 'presenter'."""

    def where(self, key: str) -> Location:
        while key:
            if key in self.locations:
                return self.locations[key]
            key = key.rpartition("/")[0]
        return Location(self.source, self.line, 1)

    @property
    def anchor(self) -> str:
        """The HTML id of the meeting on the sessions page."""
        return "session-" + slugify(self.uid)


@dataclass(frozen=True)
class BibEntry:
    """One BibTeX entry, with fields decoded to Unicode text (see load.bibtex)."""

    key: str
    entry_type: str
    fields: Mapping[str, str]
    source: str
    line: int
    raw: str = ""
    """The entry as written in the .bib file, shown on the paper page."""
    authors: tuple[Author, ...] = ()
    """Names from the `author` field (or `editor`), split into given and family parts."""
    latex_fields: Mapping[str, str] = field(default_factory=dict)
    """The fields as LaTeX, with @string macros expanded and crossref fields inherited:
    what an exported entry is written from (it needs no other entry or macro)."""


@dataclass(frozen=True)
class ExternalWork:
    """A work that notes cite or relate to but that has no note: a BibTeX key or a bare id."""

    key: str
    title: str = ""
    year: int | None = None
    authors: tuple[Author, ...] = ()
    url: str = ""
    """Where to find it (DOI, URL or arXiv abstract), when its BibTeX entry or arXiv record says."""

    @property
    def display_title(self) -> str:
        return self.title or self.key


@dataclass(frozen=True)
class Suggestion:
    """A work worth reading next: not noted yet, cited by `cited_by` (note ids, in listing order)."""

    work: ExternalWork
    cited_by: tuple[str, ...]


@dataclass(frozen=True)
class GraphNode:
    """A node of the citation graph: a note, or a work cited but not noted (`noted` False)."""

    id: str
    title: str
    year: int | None = None
    status: str = ""
    """The note's status; empty for a work that is not noted."""
    topics: tuple[str, ...] = ()
    noted: bool = True
    in_degree: int = 0
    """How many notes cite it."""
    x: float = 0.0
    y: float = 0.0
    """Build-time layout position, in units of the ideal edge length."""


@dataclass(frozen=True, order=True)
class GraphEdge:
    """`source` cites `target`, or the two are related (kind 'related', source < target)."""

    source: str
    target: str
    kind: str = "cites"


@dataclass(frozen=True)
class CitationGraph:
    """Every note and every work a note cites or relates to, with a build-time layout."""

    nodes: tuple[GraphNode, ...] = ()
    """Sorted by id."""
    edges: tuple[GraphEdge, ...] = ()
    """Sorted by (source, target, kind)."""
    layout_key: str = ""
    """Hash of the graph's shape that the layout was computed (and cached) for."""

    @functools.cached_property
    def by_id(self) -> Mapping[str, GraphNode]:
        """Nodes by id, built on first use."""
        return MappingProxyType({n.id: n for n in self.nodes})


@dataclass(frozen=True)
class LocalNode:
    """A node of a paper's local graph, placed on rings around the paper (depth 0)."""

    id: str
    depth: int
    x: float
    y: float


@dataclass(frozen=True)
class LocalGraph:
    """A paper's neighbourhood in the citation graph, laid out radially around it."""

    center: str
    nodes: tuple[LocalNode, ...] = ()
    edges: tuple[GraphEdge, ...] = ()
    radius: float = 0.0
    """Radius of the outermost ring; nodes lie within [-radius, radius] on both axes."""
    omitted: int = 0
    """Neighbours left out to keep the picture readable (the least cited ones)."""


@dataclass(frozen=True)
class AuthorAlias:
    """One entry of authors.yaml: a canonical name and the variants that mean the same person."""

    name: str
    variants: tuple[str, ...] = ()
    source: str = ""
    line: int = 0
    variant_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class Person:
    """An author after merging name variants; one page at /authors/<slug>/."""

    slug: str
    name: str
    family: str
    given: str = ""
    variants: tuple[str, ...] = ()
    """Other spellings found in the notes, BibTeX and arXiv (not `name`)."""
    papers: tuple[str, ...] = ()
    """Ids of the noted papers, in the order of every listing (newest first)."""
    sort_key: tuple[str, str] = ("", "")
    """(family, given), ASCII-folded and lower case: the order of the authors index."""


@dataclass(frozen=True)
class ReadingEvent:
    """One `log` entry of one paper, as the timeline and the feed show it."""

    paper: str
    entry: LogEntry
    index: int
    """Position in the paper's (date-sorted) log."""


@dataclass(frozen=True)
class MonthGroup:
    """The reading events of one calendar month, newest first."""

    year: int
    month: int
    events: tuple[ReadingEvent, ...] = ()
    minutes: int = 0

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"


MONTH_NAMES: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
"""English month names, fixed so that output does not depend on the build machine's locale."""


@dataclass(frozen=True)
class TopicProgress:
    slug: str
    name: str
    counts: Mapping[str, int] = field(default_factory=dict)
    """Papers by status (only statuses present), in STATUSES order."""


@dataclass(frozen=True)
class Stats:
    """Numbers behind /stats/, derived once by the linker."""

    papers: int = 0
    sessions: int = 0
    minutes: int = 0
    by_status: tuple[tuple[str, int], ...] = ()
    """Every status in STATUSES order with its paper count (zeros included)."""
    papers_per_month: tuple[tuple[str, int], ...] = ()
    """('YYYY-MM', distinct papers with a log entry that month), every month from first to last."""
    minutes_per_pass: tuple[tuple[str, int, int], ...] = ()
    """(pass, minutes, sessions) for each pass that has sessions, in PASSES order."""
    topics: tuple[TopicProgress, ...] = ()


def frozen_mapping(items: Mapping[K, V] | None = None) -> Mapping[K, V]:
    """A read-only view of `items` (a dict the caller hands over and no longer changes)."""
    if items is None:
        return MappingProxyType({})
    if isinstance(items, MappingProxyType):
        return items
    return MappingProxyType(items if type(items) is dict else dict(items))


class _ReadOnlyMappings:
    """Dataclass mixin: every Mapping field is stored as a read-only view.

    A library is handed from one layer to the next and, under `mkdocs serve`, compared
    with the previous build's by the render cache: nothing may change it once made.
    """

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, dict):
                object.__setattr__(self, f.name, MappingProxyType(value))


@dataclass(frozen=True, eq=False)
class LoadedLibrary(_ReadOnlyMappings):
    """Everything read from one site's files, each source as written (the load layer's output)."""

    papers: Mapping[str, Paper] = field(default_factory=frozen_mapping)
    """Notes by id, their fields as the note gives them."""
    topics: Mapping[str, Topic] = field(default_factory=frozen_mapping)
    terms: Mapping[str, Term] = field(default_factory=frozen_mapping)
    readers: Mapping[str, Reader] = field(default_factory=frozen_mapping)
    sessions: tuple[Session, ...] = ()
    """Reading-group meetings, by date and time."""
    bib: Mapping[str, BibEntry] = field(default_factory=frozen_mapping)
    arxiv: Mapping[str, Mapping[str, object]] = field(default_factory=frozen_mapping)
    """Cached arXiv records by bare id (no version)."""
    code_modules: Mapping[str, CodeModule] = field(default_factory=frozen_mapping)
    """The reader's code by dotted module name, from every file under the code roots."""
    author_aliases: Mapping[str, AuthorAlias] = field(default_factory=frozen_mapping)
    """authors.yaml: canonical name -> its entry."""


@dataclass(frozen=True, eq=False)
class LinkedLibrary(_ReadOnlyMappings):
    """A loaded library with every reference resolved and every connection derived.

    Made once per build by the link layer; the render layer only reads it.
    """

    papers: Mapping[str, Paper] = field(default_factory=frozen_mapping)
    """Notes by id, with merged metadata (note > BibTeX > arXiv) and authors linked to people."""
    topics: Mapping[str, Topic] = field(default_factory=frozen_mapping)
    """Declared topics, and without a topics.yaml those the notes name."""
    terms: Mapping[str, Term] = field(default_factory=frozen_mapping)
    readers: Mapping[str, Reader] = field(default_factory=frozen_mapping)
    sessions: tuple[Session, ...] = ()
    bib: Mapping[str, BibEntry] = field(default_factory=frozen_mapping)
    arxiv: Mapping[str, Mapping[str, object]] = field(default_factory=frozen_mapping)
    code_modules: Mapping[str, CodeModule] = field(default_factory=frozen_mapping)
    author_aliases: Mapping[str, AuthorAlias] = field(default_factory=frozen_mapping)
    listing: tuple[Paper, ...] = ()
    """Every paper, newest first, then by title: the order of every listing."""
    cited_by: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_mapping)
    """Paper id or key of a work without a note -> ids of the notes that cite it."""
    related_to: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_mapping)
    """Paper id -> related paper ids, in both directions."""
    cites_resolved: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_mapping)
    """Paper id -> what its `cites` name, each resolved to a note id when one matches (by id,
    BibTeX key or arXiv id), else kept as written; duplicates dropped."""
    external: Mapping[str, ExternalWork] = field(default_factory=frozen_mapping)
    """Works that `cites` or `related` name but that have no note."""
    code_refs: Mapping[str, CodeRef] = field(default_factory=frozen_mapping)
    """Every code target a note names that resolved -> where it points."""
    module_papers: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_mapping)
    """Module name -> ids of the papers whose notes point into it."""
    graph: CitationGraph = field(default_factory=CitationGraph)
    """The citation graph with its layout."""
    local_graphs: Mapping[str, LocalGraph] = field(default_factory=frozen_mapping)
    """Paper id -> its neighbourhood (papers with no link have none)."""
    reading_order: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_mapping)
    """Topic slug -> its papers, each after the papers it cites."""
    read_next: tuple[Suggestion, ...] = ()
    """Works cited but not noted, most cited first."""
    read_next_by_topic: Mapping[str, tuple[Suggestion, ...]] = field(default_factory=frozen_mapping)
    """Topic slug -> its top suggestions (cited by its papers)."""
    people: Mapping[str, Person] = field(default_factory=frozen_mapping)
    """Person slug -> the merged author, sorted by family name."""
    timeline: tuple[MonthGroup, ...] = ()
    """Every reading event, grouped by month, newest first."""
    stats: Stats = field(default_factory=Stats)
    """The numbers behind /stats/."""
    term_users: Mapping[str, tuple[str, ...]] = field(default_factory=frozen_mapping)
    """Glossary term slug -> ids of the notes whose `terms` name it."""

    def sorted_papers(self) -> list[Paper]:
        """Papers newest first, then by title: the order of every listing."""
        return list(self.listing)

    def papers_in_topic(self, slug: str) -> list[Paper]:
        return [p for p in self.listing if slug in p.topics]

    def papers_by_topic(self) -> dict[str, list[Paper]]:
        """`papers_in_topic` of every slug a paper names, in one pass over the papers."""
        by_topic: dict[str, list[Paper]] = {}
        for paper in self.listing:
            for slug in dict.fromkeys(paper.topics):
                by_topic.setdefault(slug, []).append(paper)
        return by_topic


def listing_order(papers: Iterable[Paper]) -> tuple[Paper, ...]:
    """Papers newest first, then by title, then id: the order of every listing."""
    return tuple(sorted(papers, key=lambda p: (-(p.year or 0), p.display_title.lower(), p.id)))
