"""`mkdocs serve`: a generated page whose Markdown did not change is not converted again.

MkDocs converts every page to HTML on every rebuild. After one note changes,
nearly every page paperlog generates has the same Markdown as in the last build,
and its conversion would give the same HTML: here each generated page's
conversion is kept for the next build of the session and handed back, instead
of converting again, while all of these are the same:

- the page's Markdown (after every plugin's on_page_markdown), path and URL;
- mkdocs.yml, the Markdown extensions and their options;
- every file of the site and its URL (links to `.md` files are resolved while
  a page is converted);
- what paperlog's extensions read: the keys you can cite and the glossary.

Only the conversion is skipped: every plugin's on_page_content, the page
template and the writing of the page run as before. Not kept: a page whose
conversion logged anything (so the message is printed again on each rebuild),
and a page that reads other files while it is converted (API documentation,
snippets), since those can change while its Markdown does not; none at all
when an extension reads other files for every page (snippets' `auto_append`,
`pymdownx.b64`, markdown-include).

MkDocs gives no hook around the conversion itself, so the page's `render` is
replaced on the page object (a new one each build: see compat.py). The
attributes a conversion sets are restored; a conversion that sets others than
those of the MkDocs versions paperlog supports is never kept.

Measured with `python -m paperlog.bench` at 1,000 notes: a serve rebuild takes
about half the time with the kept conversions (docs/guide/performance.md).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from .. import compat
from .dirty import pulls_in_files

_READ_FILES = frozenset({"pymdownx.b64", "markdown_include.include", "mdx_include"})
"""Extensions that read files a page's Markdown does not show (images, includes)."""


@dataclass(frozen=True)
class _Conversion:
    markdown: str
    url: str
    state: dict[str, Any]
    """What the conversion set on the page (compat.conversion_state)."""


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class PageConversions:
    """The conversions of the last build's generated pages; one per `mkdocs serve` session."""

    def __init__(self) -> None:
        self._kept: dict[str, _Conversion] = {}
        self._site = b""
        self._state: list[str] = []
        self._started = False
        self._enabled = True
        self.reused = 0
        self.converted = 0

    def begin(self, state: Iterable[str]) -> None:
        """Start a build; `state` is what paperlog's Markdown extensions read in it."""
        self._state = list(state)
        self._started = False
        self.reused = self.converted = 0

    def attach(self, page: Page) -> None:
        """Have MkDocs' conversion of `page` go through the kept conversions."""
        compat.route_conversion(page, self._render)

    def _start(self, config: MkDocsConfig, files: Files) -> None:
        """The first conversion of a build: what every page's conversion depends on."""
        self._started = True
        self._enabled = not _reads_files(config)
        site = _site_digest(config, files, self._state)
        if site != self._site:  # a file added or removed too: no page gone stays kept
            self._kept.clear()
            self._site = site

    def _render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        if not self._started:
            self._start(config, files)
        if not self._enabled:
            self.converted += 1
            compat.convert(page, config, files)
            return
        file, markdown = page.file, page.markdown
        kept = self._kept.pop(file.src_uri, None)
        if (
            kept is not None
            and markdown is not None
            and (kept.markdown is markdown or kept.markdown == markdown)
            and kept.url == file.url
            and compat.restore_conversion(page, kept.state, files)
        ):
            self._kept[file.src_uri] = kept
            self.reused += 1
            return
        self.converted += 1
        if self._convert(page, config, files) and not pulls_in_files(markdown or ""):
            self._keep(page)

    def _convert(self, page: Page, config: MkDocsConfig, files: Files) -> bool:
        """MkDocs' conversion of `page`; whether it may be kept (it logged nothing and set
        only what `_restore` restores)."""
        before = set(vars(page))
        counter = _Counter()
        # Messages from MkDocs (link checks) and from the extensions' own loggers.
        loggers = (logging.getLogger("mkdocs"), logging.getLogger())
        for logger in loggers:
            logger.addHandler(counter)
        try:
            compat.convert(page, config, files)
        finally:
            for logger in loggers:
                logger.removeHandler(counter)
        return not counter.count and set(vars(page)) - before <= compat.SET_BY_CONVERSION

    def _keep(self, page: Page) -> None:
        if page.markdown is None or page.content is None:
            return
        self._kept[page.file.src_uri] = _Conversion(
            page.markdown, page.file.url, compat.conversion_state(page)
        )


def _reads_files(config: MkDocsConfig) -> bool:
    """Whether an extension reads, for every page, files its Markdown does not name."""
    for extension in config.markdown_extensions:
        name = extension if isinstance(extension, str) else type(extension).__module__
        if name in _READ_FILES:
            return True
    snippets = (config.mdx_configs or {}).get("pymdownx.snippets") or {}
    return bool(snippets.get("auto_append"))


def _site_digest(config: MkDocsConfig, files: Files, state: list[str]) -> bytes:
    digest = hashlib.blake2b(digest_size=16)

    def add(part: str) -> None:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")

    config_text = b""
    if config.config_file_path:
        try:
            with open(config.config_file_path, "rb") as f:
                config_text = f.read()
        except OSError:
            config_text = b"?"
    digest.update(config_text)
    add("")
    for extension in config.markdown_extensions:
        if isinstance(extension, str):
            add(extension)
        elif type(extension).__module__.startswith("paperlog."):
            add(type(extension).__qualname__)  # what it reads is in `state`
        else:
            # Another plugin's extension object (mkdocstrings): by its options; an
            # option printed with its address makes every build a different site.
            add(
                f"{type(extension).__module__}.{type(extension).__qualname__}{extension.getConfigs()!r}"
            )
    add(repr(sorted((str(k), repr(v)) for k, v in (config.mdx_configs or {}).items())))
    add(repr((config.use_directory_urls, config.validation)))
    add(repr(logging.getLogger("mkdocs.structure.pages").getEffectiveLevel()))
    for path, url in sorted((f.src_uri, f.url) for f in files):
        add(path)
        add(url)
    for part in state:
        add(part)
    return digest.digest()
