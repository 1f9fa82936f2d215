"""`paperlog init DIR`: scaffold a study site that builds at once."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import __version__, fileio

if TYPE_CHECKING:
    from importlib.abc import Traversable

SCAFFOLD = "scaffold"


def scaffold_files(site_name: str) -> dict[str, bytes]:
    """The files of a new site: relative path -> content.

    Templates live in paperlog/scaffold/; a leading `dot-` in a name becomes
    `.` (packaging tools skip dot-files), `__SITE_NAME__` and `__VERSION__`
    are filled in.
    """
    root = resources.files("paperlog").joinpath(SCAFFOLD)
    files: dict[str, bytes] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = "." + child.name[4:] if child.name.startswith("dot-") else child.name
            if child.name == "__pycache__":
                continue
            if child.is_dir():
                walk(child, f"{prefix}{name}/")
                continue
            text = child.read_text("utf-8")
            quoted = (
                json.dumps(site_name, ensure_ascii=False)
                if name.endswith((".yml", ".yaml"))
                else site_name
            )
            text = text.replace("__SITE_NAME__", quoted).replace("__VERSION__", __version__)
            files[prefix + name] = text.encode("utf-8")

    walk(root, "")
    return files


@click.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--site-name",
    default="My reading log",
    show_default=True,
    help="The site's title (site_name in mkdocs.yml).",
)
@click.option("--force", is_flag=True, help="Overwrite files the scaffold would replace.")
def init(directory: Path, site_name: str, force: bool) -> None:
    """Create a new reading-log site in DIR, ready to build.

    Writes mkdocs.yml (Material, the paperlog plugin), notes/ with an example
    note, references.bib and topics.yaml, docs/index.md, requirements.txt,
    a .gitignore and .github/workflows/pages.yml (checks the notes, builds
    with --strict and deploys to GitHub Pages). DIR may exist; files already
    there are never overwritten unless you pass --force.

    \b
    Examples:
      paperlog init my-papers
      cd my-papers && mkdocs serve
      paperlog init . --site-name "Reading group" --force
    """
    files = scaffold_files(site_name)
    existing = sorted(rel for rel in files if (directory / rel).exists())
    if existing and not force:
        listing = "\n".join(f"  {directory / rel}" for rel in existing)
        raise click.ClickException(
            f"{len(existing)} file{'s' * (len(existing) != 1)} already exist; nothing was written:\n{listing}\n"
            "Pass --force to overwrite them, or choose another folder."
        )
    for rel, data in files.items():
        fileio.write_bytes(directory / rel, data)
        click.echo(f"{'replaced' if rel in existing else 'created '}  {directory / rel}")
    click.echo(
        f"\nNext:\n  cd {directory}\n  pip install -r requirements.txt\n  mkdocs serve            # preview at http://127.0.0.1:8000/\n"
        "  paperlog add 1706.03762 --topic transformers",
        err=True,
    )
