"""/authors/ (index by family name) and /authors/<slug>/ (one page per person)."""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Person
from . import OutputFile, RenderContext
from .glossary import initial


def index_name(person: Person) -> str:
    """'Vaswani, Ashish': the form an index sorted by family name shows."""
    if person.given and person.family and person.name != person.family:
        return f"{person.family}, {person.given}"
    return person.name


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    lib, urls = ctx.lib, ctx.urls
    if not lib.people:
        return
    people = list(lib.people.values())  # the linker sorts them by family name
    groups: dict[str, list[Person]] = {}
    for person in people:
        groups.setdefault(initial(person.sort_key[0] or person.name), []).append(person)
    groups = dict(sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0])))
    content = ctx.page(
        "authors.md.j2", urls.authors_index, groups=groups, people=people, index_name=index_name
    )
    yield OutputFile(urls.authors_index, content, title="Authors", in_nav=True)
    for person in people:
        path = urls.author(person.slug)
        papers = [lib.papers[pid] for pid in person.papers]
        yield OutputFile(
            path, ctx.page("author.md.j2", path, person=person, papers=papers), title=person.name
        )
