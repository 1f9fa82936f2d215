"""`{% cached ident, value, ... %}...{% endcached %}`: a template fragment rendered once.

Listings repeat the same rows: a paper's row in the papers table is also in
its topics' tables, on its authors' pages and its readers' pages. The body of
this tag is rendered once and reused:

- within a build, on every page in the same folder (links in the body are
  relative to the page's folder), while `ident` names the same values;
- under `mkdocs serve`, from one build to the next, per page, while the
  `value`s are equal and everything the body read from the library is
  unchanged (render.cache records it, and the page depends on what its
  fragments read, so nothing goes stale).

So the body may use the values, the library, the options, the settings and
`url` (every page has them), but nothing that differs between two pages of a
folder (`page_path`, a page's own variables) unless it is among the values.
A body that reads the enclosing loop's `loop` (`loop.index`, ...) is rendered
every time: it differs between two places that show the same values.

A kept fragment costs one lookup: the body becomes a Jinja caller only when
it must be rendered.

A listing of a thousand rows still costs a thousand lookups each time its page
is rendered again. The `chunked` filter cuts a list into runs, so that a run of
rows can be a fragment holding its rows' fragments:

    {% for run in papers|chunked("id") %}{% cached run[0].id, run %}
    {% for p in run %}{% cached p.id, p %}...{% endcached %}{% endfor %}
    {% endcached %}{% endfor %}

A page rendered again because one row changed then looks up each run, and
the rows of the one run that holds the changed row. Runs end after the items
whose key hashes to a multiple of `_RUN`, not after every `_RUN` items: a row
that moves (a new title sorts elsewhere) changes the runs it leaves and joins,
not every run after it.
"""

from __future__ import annotations

import copy
import posixpath
import zlib
from collections.abc import Iterable
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context

from .cache import REUSE_MISSED

# What every page of a source folder sees alike (render.RenderContext.page); the
# cached values themselves are in the key.
_SHARED_NAMES = frozenset({"lib", "settings", "options", "url", "urls", "loop"})
"""(`loop` is the body's own loop's: a body that reads an outer one is never kept.)"""


def _reads_outer_loop(body: list[nodes.Node]) -> bool:
    """Whether the body reads `loop` other than the one of a loop of its own."""

    def visit(node: nodes.Node, inner: bool) -> bool:
        if isinstance(node, nodes.Name):
            return node.name == "loop" and node.ctx == "load" and not inner
        if isinstance(node, nodes.For):
            # Only the body of a loop of its own has that loop's `loop`.
            if any(visit(n, True) for n in node.body):
                return True
            rest = [node.target, node.iter, *node.else_, *([node.test] if node.test else [])]
            return any(visit(n, inner) for n in rest)
        return any(visit(n, inner) for n in node.iter_child_nodes())

    return any(visit(n, False) for n in body)


_RUN = 32
"""The mean length of a run of `chunked`: about the square root of a big listing."""


def chunked(items: Iterable[Any], attribute: str | None = None) -> list[list[Any]]:
    """`items` in consecutive runs, each ending after an item whose key (the item, or its
    `attribute`: a dotted path, numbers index, as Jinja's `map(attribute=...)`) hashes to a
    multiple of `_RUN`: the same item ends a run wherever it is."""
    steps = [int(s) if s.isdigit() else s for s in attribute.split(".")] if attribute else []
    runs: list[list[Any]] = []
    run: list[Any] = []
    for item in items:
        run.append(item)
        key = item
        for step in steps:
            key = key[step] if isinstance(step, int) else getattr(key, step)
        if _ends_run(str(key)):
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _ends_run(key: str) -> bool:
    # Listings of every paper are split again on each `mkdocs serve` rebuild.
    return zlib.crc32(key.encode("utf-8")) % _RUN == 0


class _Pending:
    """A fragment to render and keep: what `_lookup` found out, for `_render`."""

    __slots__ = ("key", "memo", "values")

    def __init__(self, key: Any, values: tuple[Any, ...], memo: dict[Any, Any] | None) -> None:
        self.key, self.values, self.memo = key, values, memo


class FragmentCache(Extension):
    tags = {"cached"}  # noqa: RUF012 (Jinja reads the class attribute)

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        # render_site sets them: the RenderCache under `mkdocs serve`, else a dict for one build.
        environment.extend(fragment_cache=None, fragment_memo=None)
        environment.filters["chunked"] = chunked

    def parse(self, parser: Parser) -> list[nodes.Node]:
        """A kept fragment costs one call: the body becomes a caller only when it must render.

        {% set found = _lookup(...) %}
        {% if found is string %}{{ found }}        kept (or shared in this build)
        {% elif found %}{% call _render(found) %}body{% endcall %}   render and keep
        {% else %}body{% endif %}                  no page path: render in place
        """
        lineno = next(parser.stream).lineno
        args = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            args.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcached",), drop_needle=True)
        if _reads_outer_loop(body):
            # `loop.index` and the like differ between renderings that share the values:
            # such a body is rendered every time.
            return body
        where = nodes.Const(f"{parser.name}:{lineno}")
        context = nodes.ContextReference()
        neutral = nodes.Const(self._url_neutral(args, body))
        # A name templates do not use; starting with '_', it is never exported.
        name = f"_pl_cached_{parser.free_identifier(lineno).name}"
        lookup = self.call_method("_lookup", [context, where, neutral, nodes.List(args)])
        found = nodes.Name(name, "load")
        render = self.call_method("_render", [found])
        kept = nodes.Test(found, "string", [], [], None, None)
        miss = nodes.If(
            found,
            [nodes.CallBlock(render, [], [], body).set_lineno(lineno)],
            [],
            copy.deepcopy(body),
        )
        return [
            nodes.Assign(nodes.Name(name, "store"), lookup).set_lineno(lineno),
            nodes.If(kept, [nodes.Output([found])], [], [miss.set_lineno(lineno)]).set_lineno(
                lineno
            ),
        ]

    def _url_neutral(self, args: list[nodes.Expr], body: list[nodes.Node]) -> bool:
        """Whether the body reads only names whose value is the same for every page of a
        source folder: then one rendering serves them all, whatever URL MkDocs gives each
        page (with directory URLs every page has its own; only `href` differs with it).

        Anything else (an include, an import, a macro, `href`, a page's own variable)
        keeps the row shared only between pages with the same URL folder, as before.
        """
        tree = nodes.Template(body)
        if any(
            True
            for _ in tree.find_all(
                (
                    nodes.Include,
                    nodes.Import,
                    nodes.FromImport,
                    nodes.Extends,
                    nodes.Macro,
                    nodes.CallBlock,
                )
            )
        ):
            return False
        names = list(tree.find_all(nodes.Name))
        local = {n.name for n in names if n.ctx in ("store", "param")}
        # The cached values are part of the key: the names they are read from are safe.
        given = {
            n.name for a in args for n in [a, *a.find_all(nodes.Name)] if isinstance(n, nodes.Name)
        }
        safe = _SHARED_NAMES | set(self.environment.globals) | local | given
        return all(n.name in safe for n in names if n.ctx == "load")

    def _lookup(self, context: Context, where: str, neutral: bool, args: list[Any]) -> Any:
        """The kept text (a string), a `_Pending` to render, or None to render in place."""
        page = context.get("page_path")
        if not isinstance(page, str):
            return None  # a template rendered on its own
        ident, *values = args
        cache = self.environment.fragment_cache  # type: ignore[attr-defined]
        try:
            key: tuple[Any, ...]
            if cache is not None and cache.active:
                key = ("fragment", page, where, ident)
                found = cache.reuse(key, tuple(values))
                return _Pending(key, tuple(values), None) if found is REUSE_MISSED else found
            memo: dict[Any, tuple[list[Any], Any]] | None = self.environment.fragment_memo  # type: ignore[attr-defined]
            if memo is None:
                return None
            folder = posixpath.dirname(page)
            if neutral:
                key = (where, folder, ident)
            else:
                key = (where, folder, posixpath.dirname(context["urls"].page_url(page)), ident)
            kept = memo.get(key)
        except TypeError:  # an ident that cannot be a key
            return None
        # Within one build the same values are the same objects.
        if (
            kept is not None
            and len(kept[0]) == len(values)
            and all(a is b for a, b in zip(kept[0], values, strict=True))
        ):
            return kept[1]
        return _Pending(key, tuple(values), memo)

    def _render(self, pending: _Pending, caller: Any) -> Any:
        if pending.memo is None:
            cache = self.environment.fragment_cache  # type: ignore[attr-defined]
            return cache.run(pending.key, pending.values, lambda **_: caller())
        out = caller()
        pending.memo[pending.key] = (pending.values, out)
        return out
