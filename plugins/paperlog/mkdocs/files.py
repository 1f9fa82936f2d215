"""paperlog's outputs as MkDocs files."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from ..build import HandWrittenPage
from ..render import OutputFile

log = get_plugin_logger("paperlog")


def generated_file(output: OutputFile, config: MkDocsConfig) -> File:
    """The MkDocs file of one of paperlog's outputs."""
    if output.source is not None:
        file = File.generated(config, output.path, abs_src_path=str(output.source))
    else:
        # Pages as text; other files as bytes, written as they are: MkDocs opens text
        # files in text mode, which would turn the CRLF line ends iCalendar requires
        # into CR CR LF on Windows.
        content = output.content or ""
        file = File.generated(
            config, output.path, content=content if output.is_page else content.encode("utf-8")
        )
    file.generated_by = "paperlog"
    if output.is_page and not output.in_nav:
        file.inclusion = InclusionLevel.NOT_IN_NAV
    return file


def add_outputs(files: Files, outputs: tuple[OutputFile, ...], config: MkDocsConfig) -> None:
    """Add the outputs to the site's files; a page of the docs folder at the same path wins."""
    for output in outputs:
        existing = files.src_uris.get(output.path)  # a posix path already
        if existing is not None and not existing.generated_by:
            log.warning(
                f"docs/{output.path} hides the page paperlog generates at the same path; "
                "rename or remove it to see paperlog's page"
            )
            continue
        if existing is not None:
            files.remove(existing)
        files.append(generated_file(output, config))


def hand_written_pages(files: Files) -> list[HandWrittenPage]:
    """The site's own pages that may cite notes (a `[@key]` needs an '@')."""
    pages = []
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        try:
            text = file.content_string
        except (OSError, UnicodeDecodeError):
            continue  # MkDocs reports unreadable pages itself
        if "@" in text:
            pages.append(HandWrittenPage(file.src_uri, text))
    return pages
