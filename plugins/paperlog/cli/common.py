"""Helpers shared by the commands: the site's library, arXiv fetching, output."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from ..arxiv.fetch import ArxivFetcher, FetchPolicy, api_url
from ..arxiv.records import CacheError, read_cache
from ..diagnostics import Diagnostics
from ..link import link_library
from ..load import load_library
from ..model import LinkedLibrary
from ..settings import Settings

_BIB_KEY = re.compile(rb"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,")


def linked_library(
    settings: Settings, *, parallel: bool = False
) -> tuple[LinkedLibrary, Diagnostics]:
    """Load and link the site's notes the way a build does (offline); `parallel` as the
    plugin option of that name."""
    diags = Diagnostics()
    lib = load_library(settings, diags)
    return link_library(lib, settings, diags, parallel=parallel), diags


def make_fetcher() -> ArxivFetcher:
    try:
        policy = FetchPolicy.from_env()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    return ArxivFetcher(policy, api_url())


def load_cache(settings: Settings) -> tuple[Path, dict[str, dict[str, object]]]:
    """The cache path and its records; a file we cannot read stops the command."""
    refused = [written for option, written in settings.refused if option == "arxiv_cache"]
    if refused:
        raise click.ClickException(
            f"the arXiv cache '{refused[0]}' (option arxiv_cache) leads outside the site folder; nothing was fetched or written"
        )
    path = settings.arxiv_cache or settings.notes_dir / "arxiv.json"
    try:
        return path, read_cache(path)
    except CacheError as exc:
        raise click.ClickException(
            f"{exc}\nNothing was changed: fix the file, or move it away to start a new cache."
        ) from None


def bib_keys(paths: Iterable[Path]) -> set[str]:
    """Every entry key in these .bib files (a scan, not a parse: cheap and tolerant)."""
    keys: set[str] = set()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for match in _BIB_KEY.finditer(data):
            if match.group(1).lower() not in (b"string", b"preamble", b"comment"):
                keys.add(match.group(2).decode("utf-8", "replace"))
    return keys


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def progress(length: int, label: str):
    """A progress bar on stderr (shown for more than one item)."""
    return click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True)
