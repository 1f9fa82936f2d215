"""`mkdocs serve --dirty`: write again only the pages that would come out different.

With `--dirty`, MkDocs converts and writes again only the pages whose file reports
itself modified: by its own measure, a source file newer than the page it wrote.
That measure misses most of what changes a page here, so paperlog decides for
every page of the site (`DirtyPages.decide`), and a rebuild gives what a full
build of the same sources gives:

- A generated page reports itself modified unless its Markdown and the works it
  cites are those its HTML in the site folder was made from (`KeptPage`): its
  text lives in memory, so by MkDocs' measure it would always be modified.
- A page you wrote is written again when MkDocs sees it modified, and also when a
  work it cites changed (its citations and References list show the work's
  title, authors, year and link: `RebuiltPage`).
- When something every page shows changes, every page is written again:
  mkdocs.yml, the theme's override folder (`custom_dir`), the templates, the
  citation style, the set of citable keys, the glossary, the navigation (the
  pages in it and their titles), and the site's files (a link to a page is
  resolved, or reported, while a page is converted).
- Pages that pull in other files while they are converted (API documentation
  with `::: module`, snippets with `--8<--`) are always written again.
- The search index is put together from each page's entries, those of this
  build for the pages written again and those of the build that last wrote the
  others, in the order of a full build (search.py).

With Material's tags plugin every page is written again: the plugin lists each
page under its tags only when the page is converted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..build import SiteBuild
from ..render.citations import CitationIndex, Work
from ..settings import Settings
from .setup import has_tags_plugin


class KeptPage(File):
    """A page whose HTML in the site folder is already what this build would write."""

    def is_modified(self) -> bool:
        return False


class RebuiltPage(File):
    """A page that must be written again although its source file did not change."""

    def is_modified(self) -> bool:
        return True


def pulls_in_files(markdown: str) -> bool:
    """Whether converting `markdown` reads other files (mkdocstrings, snippets)."""
    return "--8<--" in markdown or markdown.startswith(":::") or "\n:::" in markdown


@dataclass(frozen=True)
class _Written:
    text: str
    """The page's Markdown ('' for a page you wrote: MkDocs compares its file's time)."""
    keys: tuple[str, ...]
    """The keys the page cites."""
    works: tuple[Work | None, ...]
    """The works those keys named (compared by value)."""


@dataclass
class DirtyPages:
    """What each page's HTML in the site folder was made from; one per `mkdocs serve --dirty`."""

    keep_pages: bool = True
    """False (PAPERLOG_NO_CACHE=1): every page is written again."""
    site: bytes = b""
    """Digest of what every page depends on, as of the last build."""
    written: dict[str, _Written] = field(default_factory=dict)
    destinations: set[str] = field(default_factory=set)
    """Where the last build wrote each file of the site."""
    _pending: dict[str, str] = field(default_factory=dict)
    _converted: dict[str, _Written] = field(default_factory=dict)
    _index: CitationIndex = field(default_factory=CitationIndex)

    def begin(self, site: bytes, index: CitationIndex) -> None:
        """Start a build whose site-wide inputs digest to `site`."""
        if site != self.site:
            self.written.clear()
        self.site = site
        self._index = index
        self._pending.clear()
        self._converted.clear()

    def decide(self, file: File, markdown: str | None) -> None:
        """Make `file` report whether its page must be written again (see the module's doc).

        `markdown` is a generated page's text, None for a page you wrote.
        """
        path = file.src_uri
        before = self.written.get(path)
        if not self.keep_pages:
            file.__class__ = RebuiltPage
            return
        if markdown is None:
            self._pending[path] = ""
            if before is None or before.works != self._works(before.keys):
                file.__class__ = RebuiltPage
            return  # else MkDocs compares the file's time with its page's
        if pulls_in_files(markdown):
            self.written.pop(path, None)
            return
        if (
            before is not None
            and before.text == markdown
            and before.works == self._works(before.keys)
            and os.path.isfile(file.abs_dest_path)
        ):
            file.__class__ = KeptPage
            return
        self.written.pop(path, None)
        self._pending[path] = markdown

    def converted(self, path: str, cited: Iterable[str]) -> None:
        """A page was converted in this build, citing `cited`."""
        text = self._pending.get(path)
        if text is not None:
            keys = tuple(sorted(set(cited)))
            self._converted[path] = _Written(text, keys, self._works(keys))

    def finish(self, files: Files, site_dir: str) -> None:
        """The build wrote its pages: remember what they were made from, and remove what the
        last build wrote for a page or file that is gone (a full build starts from nothing)."""
        self.written.update(self._converted)
        self._pending.clear()
        self._converted.clear()
        now = {f.abs_dest_path for f in files}
        for gone in sorted(self.destinations - now):
            _remove(Path(gone), Path(site_dir))
        self.destinations = now

    def _works(self, keys: Sequence[str]) -> tuple[Work | None, ...]:
        return tuple(self._index.works.get(key) for key in keys)


def decide_pages(
    dirty: DirtyPages,
    files: Files,
    config: MkDocsConfig,
    built: SiteBuild,
    settings: Settings,
    glossary: object,
) -> int:
    """Make each page's file say whether it must be written again; how many keep their HTML."""
    pages = [f for f in files if f.is_documentation_page()]
    if has_tags_plugin(config):
        for file in pages:
            file.__class__ = RebuiltPage
        return 0
    generated = {o.path: o.content or "" for o in built.outputs if o.is_page}
    # The navigation's titles: a generated page's front matter, a hand-written page's text.
    nav = [
        (f.src_uri, generated[f.src_uri].partition("\n---\n")[0])
        if f.src_uri in generated
        else (f.src_uri, f.content_string)
        for f in pages
        if not f.inclusion.is_not_in_nav()
    ]
    digest = site_digest(
        config.config_file_path,
        config.theme.custom_dir,
        built.template_dirs,
        settings.citation_style,
        settings.allow_html,
        built.citation_index,
        glossary,
        nav,
        [f"{f.src_uri} {f.url}" for f in files],
    )
    dirty.begin(digest, built.citation_index)
    for file in pages:
        dirty.decide(file, generated.get(file.src_uri) if file.generated_by else None)
    return sum(isinstance(f, KeptPage) for f in pages)


def site_digest(
    config_file: str | None,
    theme_dir: str | None,
    templates: Sequence[Path],
    style: str,
    allow_html: bool,
    index: CitationIndex,
    glossary: object,
    nav_pages: Iterable[tuple[str, str]],
    files: Iterable[str],
) -> bytes:
    """What the HTML of every page depends on besides its own Markdown."""
    digest = hashlib.blake2b(digest_size=16)

    def add(part: bytes) -> None:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)

    add(_read(config_file) if config_file else b"")
    for folder in [Path(theme_dir)] if theme_dir else []:
        _add_folder(add, folder)
    for folder in templates:
        _add_folder(add, folder)
    for text in (style, repr(allow_html), repr(sorted(index.known)), repr(glossary)):
        add(text.encode("utf-8", "surrogatepass"))
    add(repr(sorted(nav_pages)).encode("utf-8", "surrogatepass"))
    add("\n".join(sorted(files)).encode("utf-8", "surrogatepass"))
    return digest.digest()


def _add_folder(add: object, folder: Path) -> None:
    """Every file under `folder`, by path and content."""
    if not folder.is_dir():
        return
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        add(file.relative_to(folder).as_posix().encode("utf-8", "surrogatepass"))  # type: ignore[operator]
        add(_read(str(file)))  # type: ignore[operator]


def _remove(path: Path, site_dir: Path) -> None:
    """Remove a file the site no longer has, and the folders that leaves empty."""
    try:
        path.unlink()
    except FileNotFoundError:
        return
    folder = path.parent
    while folder != site_dir and folder.is_relative_to(site_dir):
        try:
            folder.rmdir()
        except OSError:  # not empty
            return
        folder = folder.parent


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b"?"
