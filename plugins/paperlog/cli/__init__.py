"""The `paperlog` command line: an adapter over load, link and render."""

from __future__ import annotations

import sys

import click

from .. import __version__, fileio
from .add import add
from .check import check
from .export import export_command
from .init import init
from .refresh import refresh
from .render import render


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="paperlog")
def cli() -> None:
    """paperlog: a reading log of papers, built with MkDocs.

    Run a command with --help for its options and examples.
    """


for command in (init, add, refresh, check, export_command, render):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Console entry point; returns the exit code."""
    try:
        code = cli.main(args=argv, prog_name="paperlog", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except OSError as exc:
        # A full disk, a read-only folder, a file we may not read: say which
        # and stop, without a traceback (files are written atomically, so
        # each is whole, old or new).
        click.echo(f"Error: {_describe(exc)}", err=True)
        return 1
    return code if isinstance(code, int) else 0


def _describe(exc: OSError) -> str:
    if isinstance(exc, fileio.WriteError):
        return str(exc)
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
