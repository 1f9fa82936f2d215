"""`mkdocs serve --dirty`: keep the HTML of generated pages that would come out the same.

With `--dirty`, MkDocs converts and writes again only the pages whose file
reports itself modified. A generated page always does (its text lives in
memory), so without help every paperlog page is rebuilt on every save. Here a
page whose HTML in the site folder is already what this build would write is
handed to MkDocs as a `KeptPage`, which does not report itself modified, and
MkDocs leaves its HTML alone.

A page is kept only when all of these are the same as when its HTML was last
written in this `mkdocs serve` session:

- its Markdown, byte for byte;
- the works it cites (title, authors, year, label, link...), since citations
  are turned into links and a References list after conversion;
- what every page's conversion depends on: mkdocs.yml, the templates, the
  citation style, the set of citable keys (an `@name` becomes a citation once a
  note or BibTeX entry has that key), the glossary (its links are added during
  conversion), and the pages of the navigation (every page shows it).

Pages in the navigation are always rebuilt (their titles feed the navigation of
every other page), and so are pages that pull in other files while they are
converted (API documentation with `::: module`, snippets with `--8<--`), since
those files can change while the page's Markdown does not. What MkDocs' own
`--dirty` leaves stale (its search index covers only the pages built since the
last full build, the navigation of pages you wrote yourself) stays so here.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.files import File

from ..render.citations import CitationIndex, Work


class KeptPage(File):
    """A generated page whose HTML in the site folder is already what this build would write."""

    def is_modified(self) -> bool:
        return False


def pulls_in_files(markdown: str) -> bool:
    """Whether converting `markdown` reads other files (mkdocstrings, snippets)."""
    return "--8<--" in markdown or markdown.startswith(":::") or "\n:::" in markdown


@dataclass
class _Written:
    # The text itself, not a digest: the render cache hands back the same string
    # for an unchanged page, and comparing equal strings is a memory compare.
    text: str
    """The page's Markdown."""
    keys: tuple[str, ...]
    """The keys the page cites."""
    works: tuple[Work | None, ...]
    """The works those keys named (compared by value)."""


@dataclass
class DirtyPages:
    """What each generated page's HTML in the site folder was made from; one per `mkdocs serve`."""

    written: dict[str, _Written] = field(default_factory=dict)
    site: bytes = b""
    """Digest of what every page depends on, as of the last build."""
    _pending: dict[str, str] = field(default_factory=dict)
    _converted: dict[str, _Written] = field(default_factory=dict)
    _index: CitationIndex | None = None

    def begin(self, site: bytes, index: CitationIndex) -> None:
        """Start a build whose site-wide inputs digest to `site`."""
        if site != self.site:
            self.written.clear()
        self.site = site
        self._index = index
        self._pending.clear()
        self._converted.clear()

    def keep(self, path: str, markdown: str, dest: str) -> bool:
        """Whether the page at `path` may keep its HTML at `dest`; else it is rebuilt (and forgotten
        until it is written again, so a build that fails half-way cannot leave a stale record)."""
        if pulls_in_files(markdown):
            self.written.pop(path, None)
            return False
        before = self.written.get(path)
        if (
            before is not None
            and before.text == markdown
            and before.works == self._works(before.keys)
            and os.path.isfile(dest)
        ):
            return True
        self.written.pop(path, None)
        self._pending[path] = markdown
        return False

    def converted(self, path: str, cited: Iterable[str]) -> None:
        """A page was converted in this build, citing `cited`."""
        text = self._pending.get(path)
        if text is not None:
            keys = tuple(sorted(set(cited)))
            self._converted[path] = _Written(text, keys, self._works(keys))

    def finish(self) -> None:
        """The build wrote its pages: remember what they were made from."""
        self.written.update(self._converted)
        self._pending.clear()
        self._converted.clear()

    def _works(self, keys: Sequence[str]) -> tuple[Work | None, ...]:
        if not keys:
            return ()
        works = self._index.works if self._index is not None else {}
        return tuple(works.get(key) for key in keys)


def site_digest(
    config_file: str | None,
    templates: str,
    style: str,
    allow_html: bool,
    index: CitationIndex,
    glossary: object,
    nav_pages: Iterable[tuple[str, str]],
) -> bytes:
    """What the HTML of every page depends on besides its own Markdown."""
    config_text = b""
    if config_file:
        try:
            config_text = Path(config_file).read_bytes()
        except OSError:
            config_text = b"?"
    return _digest(
        [
            config_text.decode("utf-8", "replace"),
            templates,
            style,
            repr(allow_html),
            repr(sorted(index.known)),
            repr(glossary),
            repr(sorted(nav_pages)),
        ]
    )


def _digest(parts: Iterable[str]) -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.digest()
