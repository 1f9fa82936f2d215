"""`paperlog add ID...`: fetch papers from arXiv and start a note for each."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .. import fileio
from ..arxiv.bibtex import entry_for_record
from ..arxiv.fetch import Outcome
from ..arxiv.ids import EXAMPLES, ArxivId, parse_arxiv_id
from ..citekeys import base_key, unique_key
from ..link.metadata import bare_arxiv_id
from ..model import STATUSES, LinkedLibrary
from ..settings import Settings
from .common import bib_keys, linked_library, load_cache, make_fetcher, plural, progress
from .siteconfig import load_settings

NOTE_SCHEMA_ID = "https://paperlog.invalid/schemas/note.schema.json"
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$")


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@click.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="SLUG",
    help="Put the papers in this topic (repeatable).",
)
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Tag the papers (repeatable).")
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default="to-read",
    show_default=True,
    help="Reading status of the new notes.",
)
@click.option(
    "--bib",
    "bib_file",
    metavar="FILE",
    help="Append BibTeX entries to this file (default: notes_dir/references.bib, or the first configured bibliography).",
)
@click.option(
    "-f",
    "--config-file",
    metavar="FILE",
    help="The site's mkdocs.yml (default: found from the current folder up).",
)
def add(
    ids: tuple[str, ...],
    topics: tuple[str, ...],
    tags: tuple[str, ...],
    status: str,
    bib_file: str | None,
    config_file: str | None,
) -> None:
    """Fetch papers from arXiv and start a note for each.

    For every ID this writes notes_dir/papers/KEY.yaml (a note skeleton),
    appends a BibTeX entry to the bibliography (nothing already in the file
    changes) and stores arXiv's record in the cache (arxiv_cache). IDs may be
    new-style (1706.03762) or old-style (hep-th/9901001), with or without a
    version, an `arXiv:` prefix, or an arxiv.org abs/pdf URL.

    KEY is the first author's family name, the year and the first significant
    title word (vaswani2017attention). A key already used by another note or
    BibTeX entry gets a letter (vaswani2017attentionb); a paper that already
    has a note is skipped. Exit code 0 when every id was added or skipped,
    1 when any failed (the others are still added).

    \b
    Examples:
      paperlog add 1706.03762
      paperlog add arXiv:2010.11929v2 https://arxiv.org/abs/hep-th/9901001
      paperlog add 1706.03762 1810.04805 --topic transformers --tag nlp
    """
    settings = load_settings(config_file)
    report = AddReport()
    wanted: list[ArxivId] = []
    for text in ids:
        parsed = parse_arxiv_id(text)
        if parsed is None:
            report.failed.append(f"{text}: not an arXiv id (expected e.g. {EXAMPLES})")
        elif parsed.bare not in {w.bare for w in wanted}:
            wanted.append(parsed)
    lib, _ = linked_library(settings)
    cache_path, cache = load_cache(settings)
    bib_path = _bib_target(settings, bib_file)
    have = {bare_arxiv_id(p.arxiv): p for p in lib.papers.values() if p.arxiv}
    todo = []
    for arxiv_id in wanted:
        paper = have.get(arxiv_id.bare)
        if paper is not None:
            report.skipped.append(
                f"{arxiv_id}: already has a note, {paper.source} (id '{paper.id}')"
            )
        else:
            todo.append(arxiv_id)
    _warn_unknown_topics(lib, topics)
    writer = _Writer(settings, lib, cache_path, cache, bib_path, topics, tags, status)
    try:
        if todo:
            with make_fetcher() as fetcher, progress(len(todo), "Fetching from arXiv") as bar:
                for batch in fetcher.fetch(todo):
                    writer.write_batch(batch, report)
                    bar.update(len(batch))
    except (KeyboardInterrupt, OSError):
        # Ctrl-C, or a file that cannot be written (disk full, read-only):
        # say what was done; the caller prints the reason.
        _print_report(report, len(ids), interrupted=True)
        raise
    _print_report(report, len(ids))
    if report.failed:
        raise click.exceptions.Exit(1)


def _bib_target(settings: Settings, bib_file: str | None) -> Path:
    if bib_file:
        return (Path.cwd() / bib_file).resolve()
    default = settings.notes_dir / "references.bib"
    if default in settings.bibliography or not settings.bibliography:
        return default
    return settings.bibliography[0]


def _warn_unknown_topics(lib: LinkedLibrary, topics: tuple[str, ...]) -> None:
    # Without a topics.yaml, topics define themselves (see link._check_topics).
    declared = {slug for slug in lib.topics if lib.topics[slug].source}
    for slug in topics:
        if declared and slug not in declared:
            click.echo(
                f"warning: topic '{slug}' is not in topics.yaml; add it there or `paperlog check` will report it",
                err=True,
            )


class _Writer:
    """Writes each batch's notes, BibTeX entries and cache records, atomically."""

    def __init__(
        self,
        settings: Settings,
        lib: LinkedLibrary,
        cache_path: Path,
        cache: dict[str, Any],
        bib_path: Path,
        topics: tuple[str, ...],
        tags: tuple[str, ...],
        status: str,
    ) -> None:
        self.settings = settings
        self.lib = lib
        self.cache_path = cache_path
        self.cache = cache
        self.bib_path = bib_path
        self.topics = topics
        self.tags = tags
        self.status = status
        self.papers_dir = settings.notes_dir / "papers"
        self.keys = bib_keys({*settings.bibliography, bib_path})
        self.eprints = {
            bare_arxiv_id(entry.fields["eprint"]): key
            for key, entry in lib.bib.items()
            if entry.fields.get("eprint")
            and entry.fields.get("archiveprefix", "arxiv").lower() == "arxiv"
        }

    def _taken(self, key: str) -> bool:
        return (
            key in self.keys or key in self.lib.papers or (self.papers_dir / f"{key}.yaml").exists()
        )

    def write_batch(self, batch: list[Outcome], report: AddReport) -> None:
        entries: list[str] = []
        notes: list[tuple[Path, str, str, dict[str, Any]]] = []
        for outcome in batch:
            if outcome.record is None:
                report.failed.append(f"{outcome.requested}: {outcome.error}")
                continue
            record = outcome.record
            key = self.eprints.get(record["id"])
            if key is None:
                year = str(record.get("published") or "")[:4]
                key = unique_key(base_key(record["authors"], year, record["title"]), self._taken)
                entries.append(entry_for_record(key, record))
                self.keys.add(key)
            note_id = unique_key(
                key,
                lambda k: (
                    k in self.lib.papers
                    or (self.papers_dir / f"{k}.yaml").exists()
                    or k in {n[1] for n in notes}
                ),
            )
            notes.append((self.papers_dir / f"{note_id}.yaml", note_id, key, record))
            self.cache[record["id"]] = record
        if not notes:
            return
        # Cache first, then the .bib, then the notes: a run stopped between two
        # steps leaves files that a second `paperlog add` completes.
        fileio.write_json(self.cache_path, self.cache)
        if entries:
            old = self.bib_path.read_bytes() if self.bib_path.exists() else b""
            fileio.write_bytes(
                self.bib_path, old + _separator(old) + "\n".join(entries).encode("utf-8")
            )
        by_id = {o.record["id"]: o.requested for o in batch if o.record is not None}
        for path, _note_id, key, record in notes:
            requested = by_id[record["id"]]
            text = note_text(
                self.settings, record, requested, key, self.status, self.topics, self.tags
            )
            rel = self.settings.rel(path)
            if fileio.create_new(path, text.encode("utf-8")):
                version = f"v{record['version']}" if record.get("version") else ""
                report.added.append(f"{record['id']}{version} -> {rel}: {record['title']}")
            else:
                report.skipped.append(f"{requested}: {rel} appeared while adding; left it as it is")


def _separator(old: bytes) -> bytes:
    if not old.strip():
        return b""
    if old.endswith(b"\n\n"):
        return b""
    return b"\n" if old.endswith(b"\n") else b"\n\n"


def _yaml_scalar(text: str) -> str:
    return (
        text
        if _PLAIN.match(text)
        and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off")
        else json.dumps(text, ensure_ascii=False)
    )


def note_text(
    settings: Settings,
    record: dict[str, Any],
    requested: ArxivId,
    bibkey: str,
    status: str,
    topics: tuple[str, ...],
    tags: tuple[str, ...],
) -> str:
    """A note skeleton: metadata comes from the .bib entry and the arXiv cache."""
    schema = (
        f"{settings.site_url.rstrip('/')}/schemas/note.schema.json"
        if settings.site_url
        else NOTE_SCHEMA_ID
    )
    authors = ", ".join(record.get("authors") or [])
    year = str(record.get("published") or "")[:4]
    lines = [
        f"# yaml-language-server: $schema={schema}",
        f"# {record['title']}",
        f"# {authors} ({year})" if authors else f"# ({year})",
        f"bibkey: {bibkey}",
        f'arxiv: "{requested.query if requested.version else record["id"]}"',
        f"status: {status}",
        f"topics: [{', '.join(_yaml_scalar(t) for t in topics)}]",
        f"tags: [{', '.join(_yaml_scalar(t) for t in tags)}]",
        "log: []",
        "",
    ]
    return "\n".join(lines)


def _print_report(report: AddReport, n_ids: int, interrupted: bool = False) -> None:
    for line in report.added:
        click.echo(f"added    {line}")
    for line in report.skipped:
        click.echo(f"skipped  {line}")
    for line in report.failed:
        click.echo(f"failed   {line}", err=True)
    summary = f"{plural(len(report.added), 'paper')} added, {len(report.skipped)} skipped, {len(report.failed)} failed"
    if interrupted:
        click.echo(
            f"interrupted: {summary}; every file is whole. Run the same command again to add the rest.",
            err=True,
        )
    else:
        click.echo(f"{plural(n_ids, 'id')}: {summary}", err=True)
