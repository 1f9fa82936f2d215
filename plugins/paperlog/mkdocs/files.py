"""The MkDocs files of paperlog's outputs, and under `mkdocs serve` the last build's, reused."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from ..render import OutputFile


def generated_file(output: OutputFile, config: MkDocsConfig) -> File:
    """The MkDocs file of one of paperlog's outputs."""
    if output.source is not None:
        return File.generated(config, output.path, abs_src_path=str(output.source))
    # Pages as text; other files as bytes, written as they are: MkDocs opens text
    # files in text mode, which would turn the CRLF line ends iCalendar requires
    # into CR CR LF on Windows.
    content = output.content or ""
    return File.generated(
        config, output.path, content=content if output.is_page else content.encode("utf-8")
    )


class GeneratedFiles:
    """`mkdocs serve`: the last build's MkDocs file of each output, as made.

    An output whose content (most often the very same string, see render.cache)
    and source are unchanged gets a copy of it: making a File, its URL and its
    destination again costs about as much as the rest of paperlog's page hooks.
    """

    def __init__(self) -> None:
        self._last: dict[str, tuple[str | None, Path | None, File]] = {}
        self._now: dict[str, tuple[str | None, Path | None, File]] = {}
        self._config: tuple[object, ...] = ()

    def begin(self, config: MkDocsConfig) -> None:
        where = (config.site_dir, config.use_directory_urls)
        self._last = self._now if where == self._config else {}
        self._now, self._config = {}, where

    def file(self, output: OutputFile, config: MkDocsConfig) -> File:
        made = self._last.get(output.path)
        if (
            made is None
            or made[1] != output.source
            or not (made[0] is output.content or made[0] == output.content)
        ):
            file = generated_file(output, config)
            file.url, file.abs_dest_path  # noqa: B018 (computed once, kept by the copies)
            made = (output.content, output.source, file)
        self._now[output.path] = made
        return _copy(made[2])


def _copy(file: File) -> File:
    """A shallow copy, as `copy.copy` makes it (File keeps its state in `__dict__`), for a
    fifth of the time: a rebuild copies every generated file."""
    new = object.__new__(file.__class__)
    new.__dict__.update(file.__dict__)
    return new
