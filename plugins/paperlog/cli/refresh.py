"""`paperlog refresh`: update cached arXiv records (new versions, journal refs, DOIs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from .. import fileio
from ..arxiv.ids import EXAMPLES, ArxivId, parse_arxiv_id
from ..arxiv.records import record_changes
from .common import linked_library, load_cache, make_fetcher, plural, progress
from .siteconfig import load_settings


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID...]")
@click.option(
    "--all", "refresh_all", is_flag=True, help="Also refresh cached records that no note uses."
)
@click.option(
    "--max-age",
    type=click.FloatRange(min=0),
    default=12.0,
    show_default=True,
    metavar="HOURS",
    help="Keep records fetched less than HOURS ago (this is what makes an interrupted refresh resume); 0 refreshes everything.",
)
@click.option(
    "-f",
    "--config-file",
    metavar="FILE",
    help="The site's mkdocs.yml (default: found from the current folder up).",
)
def refresh(
    ids: tuple[str, ...], refresh_all: bool, max_age: float, config_file: str | None
) -> None:
    """Update the arXiv cache for the notes' arXiv ids.

    Asks arXiv for the papers your notes name (`arxiv:` in a note, or `eprint`
    in its BibTeX entry) and stores newer versions, journal references and
    DOIs in the cache (arxiv_cache). Requests are batched (id_list) and spaced
    3 s apart, as arXiv asks. The cache is saved after every batch, so an
    interrupted refresh loses nothing: run it again and it carries on with
    the records not fetched in the last --max-age hours. Exit code 0 when
    every id was refreshed, 1 when any failed (their old records are kept).

    \b
    Examples:
      paperlog refresh                 # every note with an arXiv id
      paperlog refresh 1706.03762      # just this one
      paperlog refresh --all --max-age 0
    """
    settings = load_settings(config_file)
    lib, _ = linked_library(settings)
    cache_path, cache = load_cache(settings)
    failed: list[str] = []
    wanted: dict[str, ArxivId] = {}
    if ids:
        for text in ids:
            parsed = parse_arxiv_id(text)
            if parsed is None:
                failed.append(f"{text}: not an arXiv id (expected e.g. {EXAMPLES})")
            else:
                wanted.setdefault(parsed.bare, ArxivId(parsed.bare))
    else:
        for paper in lib.papers.values():
            parsed = parse_arxiv_id(paper.arxiv) if paper.arxiv else None
            if parsed is not None:
                wanted.setdefault(parsed.bare, ArxivId(parsed.bare))
    if refresh_all:
        for bare in cache:
            parsed = parse_arxiv_id(bare)
            if parsed is not None:
                wanted.setdefault(parsed.bare, parsed)
    now = dt.datetime.now(dt.timezone.utc)
    fresh = [b for b in wanted if _age_hours(cache.get(b), now) < max_age] if max_age > 0 else []
    todo = sorted((wanted[b] for b in wanted if b not in fresh), key=lambda i: i.bare)
    if not wanted and not failed:
        click.echo(
            "no arXiv ids to refresh: no note has an `arxiv:` id"
            + (" and the cache is empty" if refresh_all else ""),
            err=True,
        )
        return
    updated: list[str] = []
    unchanged = 0
    try:
        if todo:
            with make_fetcher() as fetcher, progress(len(todo), "Refreshing from arXiv") as bar:
                for batch in fetcher.fetch(todo):
                    changed = False
                    for outcome in batch:
                        if outcome.record is None:
                            failed.append(
                                f"{outcome.requested}: {outcome.error} (kept the cached record)"
                                if outcome.requested.bare in cache
                                else f"{outcome.requested}: {outcome.error}"
                            )
                            continue
                        old = cache.get(outcome.record["id"])
                        changes = record_changes(old, outcome.record)
                        if changes:
                            updated.append(f"{outcome.record['id']}: {'; '.join(changes)}")
                        else:
                            unchanged += 1
                        cache[outcome.record["id"]] = outcome.record
                        changed = True
                    if changed:
                        # Saved after each batch: an interruption loses one batch at most.
                        fileio.write_json(cache_path, cache)
                    bar.update(len(batch))
    except (KeyboardInterrupt, OSError):
        click.echo(
            f"interrupted: the cache holds every batch fetched so far ({plural(len(updated) + unchanged, 'record')}); run `paperlog refresh` again to carry on.",
            err=True,
        )
        raise
    for line in updated:
        click.echo(f"updated  {line}")
    for line in failed:
        click.echo(f"failed   {line}", err=True)
    summary = f"{plural(len(wanted), 'id')}: {len(updated)} updated, {unchanged} unchanged, {len(fresh)} fresh (fetched < {max_age:g} h ago), {len(failed)} failed"
    click.echo(summary, err=True)
    if failed:
        raise click.exceptions.Exit(1)


def _age_hours(record: dict[str, Any] | None, now: dt.datetime) -> float:
    """Hours since a record was fetched (infinite when unknown)."""
    stamp = str((record or {}).get("fetched") or "")
    try:
        when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return float("inf")
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return (now - when).total_seconds() / 3600
