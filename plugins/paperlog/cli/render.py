"""`paperlog render --out DIR`: the generated pages as plain Markdown files."""

from __future__ import annotations

from pathlib import Path

import click

from .. import fileio
from ..build import HandWrittenPage, SiteOptions, build_site
from ..diagnostics import Diagnostics, Level
from ..render import OutputFile
from .common import plural
from .siteconfig import load_settings, plugin_options, read_config


@click.command()
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    metavar="DIR",
    help="Folder to write the pages and assets into (created if needed).",
)
@click.option(
    "--home/--no-home",
    default=None,
    help="Write the home page (index.md). Default: as the plugin does, only when docs/ has no index.md.",
)
@click.option(
    "-f",
    "--config-file",
    metavar="FILE",
    help="The site's mkdocs.yml (default: found from the current folder up).",
)
def render(out_dir: str, home: bool | None, config_file: str | None) -> None:
    """Write every page paperlog generates as plain Markdown files.

    The same pages the MkDocs plugin injects (paper, topic and index pages,
    plus assets such as paperlog.css and the schemas), written under DIR at
    their docs-relative paths, so a generator that runs no MkDocs plugins can
    build them: copy them next to your docs/ pages, or point docs_dir at a
    folder holding both. Files are replaced atomically; other files in DIR
    are left alone. Exit code 1 when the notes have errors (pages are still
    written).

    \b
    Examples:
      paperlog render --out build/generated
      paperlog render --out docs-generated --no-home
    """
    outputs, diags = generate_pages(config_file, home)
    out = Path(out_dir)
    write_outputs(outputs, out)
    errors = [d for d in diags.sorted() if d.level is Level.ERROR]
    for d in diags.sorted():
        if d.level is not Level.INFO:
            click.echo(d.format(), err=True)
    pages = sum(1 for o in outputs if o.is_page)
    click.echo(
        f"wrote {plural(pages, 'page')} and {plural(len(outputs) - pages, 'other file')} to {out}/",
        err=True,
    )
    if errors:
        raise click.exceptions.Exit(1)


def generate_pages(
    config_file: str | None, home: bool | None = None
) -> tuple[list[OutputFile], Diagnostics]:
    """Every file `paperlog render` writes, for the site of `config_file` (found when None).

    `home`: write the home page; None decides as the plugin does.
    """
    settings = load_settings(config_file)
    _, config = read_config(config_file)
    options = plugin_options(config)
    docs_dir = settings.root / str(config.get("docs_dir") or "docs")
    if home is None:
        home = options.get("generate_home")
        if home is None:
            home = not (docs_dir / "index.md").is_file()
    diags = Diagnostics()
    built = build_site(
        settings,
        SiteOptions(
            site_name=str(config.get("site_name") or "Reading log"),
            site_author=str(config.get("site_author") or ""),
            use_directory_urls=bool(config.get("use_directory_urls", True)),
            feed_entries=int(options.get("feed_entries", 50)),
            # Term links come from a Markdown extension only the MkDocs plugin adds.
            glossary_links=False,
            generate_home=bool(home),
            templates=str(options.get("templates") or ""),
            parallel=bool(options.get("parallel", True)),
        ),
        diags,
        pages=hand_written_pages(docs_dir),
    )
    return list(built.outputs), diags


def hand_written_pages(docs_dir: Path) -> list[HandWrittenPage]:
    """The Markdown pages of the docs folder that may cite notes (a `[@key]` needs an '@')."""
    pages = []
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else []:
        try:
            text = path.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if "@" in text:
            pages.append(HandWrittenPage(path.relative_to(docs_dir).as_posix(), text))
    return pages


def write_outputs(outputs: list[OutputFile], out: Path) -> None:
    """Write the files under `out` at their docs-relative paths."""
    # Atomic but not fsynced: these files are regenerated from the notes.
    for output in outputs:
        target = out / output.path
        if output.source is not None:
            fileio.write_bytes(target, output.source.read_bytes(), durable=False)
        else:
            fileio.write_text(target, output.content or "", durable=False)
