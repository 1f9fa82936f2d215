"""`paperlog export`: the reading log as BibTeX, JSON or CSL-JSON."""

from __future__ import annotations

from pathlib import Path

import click

from .. import fileio
from ..export import FORMATS, export, select
from ..model import STATUSES
from .common import linked_library, plural
from .siteconfig import load_settings


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="bibtex",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only papers with this status (repeatable).",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="SLUG",
    help="Only papers in this topic (repeatable).",
)
@click.option(
    "-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of standard output."
)
@click.option(
    "-f",
    "--config-file",
    metavar="FILE",
    help="The site's mkdocs.yml (default: found from the current folder up).",
)
def export_command(
    fmt: str,
    statuses: tuple[str, ...],
    topics: tuple[str, ...],
    output: str | None,
    config_file: str | None,
) -> None:
    """Export papers as BibTeX, JSON or CSL-JSON.

    Metadata is merged as on the site (note > BibTeX > arXiv cache). BibTeX
    export repeats your own entries as written and makes entries for papers
    that have none; JSON carries the reading state too (status, topics, last
    read); CSL-JSON is what Pandoc, citeproc and Zotero read.

    \b
    Examples:
      paperlog export > papers.bib
      paperlog export --format csl-json -o papers.json
      paperlog export --format json --status implemented --topic transformers
    """
    settings = load_settings(config_file)
    lib, _ = linked_library(settings)
    papers = select(lib, statuses, topics)
    text = export(lib, papers, fmt)
    if output:
        fileio.write_text(Path(output), text)
        click.echo(f"wrote {plural(len(papers), 'paper')} to {output}", err=True)
    else:
        click.echo(text, nl=False)
