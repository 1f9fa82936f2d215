"""`paperlog check`: validate every note and reference, compiler-style."""

from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import Diagnostics, Level
from ..link import link_library
from ..load import load_library
from ..load.notes import find_note_files
from .siteconfig import load_settings

EXIT_CLEAN, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2


@click.command()
@click.option(
    "-f",
    "--config-file",
    metavar="FILE",
    help="The site's mkdocs.yml (default: found from the current folder up).",
)
@click.option(
    "--notes-dir", metavar="DIR", help="Check this notes folder instead of the configured one."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["human", "parsable", "github"]),
    default="human",
    show_default=True,
    help="human: with the offending line and hints; parsable: one line per problem; github: Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Exit 2 when there are warnings (and no errors).")
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary.")
@click.pass_context
def check(
    ctx: click.Context,
    config_file: str | None,
    notes_dir: str | None,
    output_format: str,
    strict: bool,
    quiet: bool,
) -> None:
    """Check every note, topic, glossary entry and reference.

    Prints one line per problem, `path:line:col: level[CODE] message`, and
    exits 0 when clean, 1 on errors, 2 on warnings with --strict.

    \b
    Examples:
      paperlog check
      paperlog check --format github      # in a GitHub Actions step
      paperlog check --strict -f site/mkdocs.yml
    """
    settings = load_settings(config_file, notes_dir)
    n_files = len(find_note_files(settings.notes_dir, exclude=settings.code_dirs))
    diags = Diagnostics()
    lib = load_library(settings, diags)
    link_library(lib, settings, diags, layout=False)  # the graph's picture is not checked
    items = diags.sorted()
    cache: dict[str, list[str]] = {}
    for d in items:
        if output_format == "github":
            click.echo(d.format_github())
        elif output_format == "parsable":
            click.echo(d.format() + (f" [hint: {d.hint}]" if d.hint else ""))
        else:
            if d.path not in cache:
                try:
                    cache[d.path] = (
                        (settings.root / d.path)
                        .read_text("utf-8-sig", errors="replace")
                        .splitlines()
                    )
                except OSError:
                    cache[d.path] = []
            click.echo(d.format_human(cache[d.path]))
    errors = sum(d.level is Level.ERROR for d in items)
    warnings = sum(d.level is Level.WARNING for d in items)
    if not quiet and output_format == "human":
        where = Path(settings.rel(settings.notes_dir))
        summary = f"checked {n_files} note{'s' * (n_files != 1)} in {where}/: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        click.echo(summary, err=True)
    if errors:
        ctx.exit(EXIT_ERRORS)
    if warnings and strict:
        ctx.exit(EXIT_WARNINGS)
    ctx.exit(EXIT_CLEAN)
