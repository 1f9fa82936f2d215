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
"""

from __future__ import annotations

import copy
import posixpath
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context

_SERVE, _BUILD = 1, 2
# What every page of a source folder sees alike (render.RenderContext.page); the
# cached values themselves are in the key.
_SHARED_NAMES = frozenset({"lib", "settings", "options", "url", "urls", "loop"})


class FragmentCache(Extension):
    tags = frozenset({"cached"})

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        # render_site sets them: the RenderCache under `mkdocs serve`, else a dict for one build.
        environment.extend(fragment_cache=None, fragment_memo=None)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        args = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            args.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcached",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        context = nodes.ContextReference()
        neutral = nodes.Const(self._url_neutral(args, body))
        call = self.call_method("_render", [context, where, neutral, nodes.List(args)])
        cached = nodes.CallBlock(call, [], [], body).set_lineno(lineno)
        # Without a page path (a template rendered on its own) the body renders in place.
        active = self.call_method("_mode", [context])
        return nodes.If(active, [cached], [], copy.deepcopy(body)).set_lineno(lineno)

    def _url_neutral(self, args: list[nodes.Expr], body: list[nodes.Node]) -> bool:
        """Whether the body reads only names whose value is the same for every page of a
        source folder: then one rendering serves them all, whatever URL MkDocs gives each
        page (with directory URLs every page has its own; only `href` differs with it).

        Anything else (an include, an import, a macro, `href`, a page's own variable)
        keeps the row shared only between pages with the same URL folder, as before.
        """
        tree = nodes.Template(body)
        if any(True for _ in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Macro, nodes.CallBlock))):
            return False
        names = list(tree.find_all(nodes.Name))
        local = {n.name for n in names if n.ctx in ("store", "param")}
        # The cached values are part of the key: the names they are read from are safe.
        given = {n.name for a in args for n in a.find_all(nodes.Name)}
        safe = _SHARED_NAMES | set(self.environment.globals) | local | given
        return all(n.name in safe for n in names if n.ctx == "load")

    def _mode(self, context: Context) -> int:
        if not isinstance(context.get("page_path"), str):
            return 0
        cache = self.environment.fragment_cache  # type: ignore[attr-defined]
        if cache is not None and cache.active:
            return _SERVE
        return _BUILD if self.environment.fragment_memo is not None else 0  # type: ignore[attr-defined]

    def _render(self, context: Context, where: str, neutral: bool, args: list[Any], caller: Any) -> Any:
        page: str = context["page_path"]
        ident, *values = args
        cache = self.environment.fragment_cache  # type: ignore[attr-defined]
        try:
            if cache is not None and cache.active:
                key = ("fragment", page, where, ident)
                hash(key)
                return cache.run(
                    key, {str(i): v for i, v in enumerate(values)}, lambda **_: caller()
                )
            urls = context["urls"]
            folder = posixpath.dirname(page)
            key = (where, folder, ident) if neutral else (where, folder, posixpath.dirname(urls.page_url(page)), ident)
            memo: dict[Any, tuple[list[Any], Any]] = self.environment.fragment_memo  # type: ignore[attr-defined]
            found = memo.get(key)
        except TypeError:  # an ident that cannot be a key
            return caller()
        # Within one build the same values are the same objects.
        if (
            found is not None
            and len(found[0]) == len(values)
            and all(a is b for a, b in zip(found[0], values, strict=True))
        ):
            return found[1]
        out = caller()
        memo[key] = (values, out)
        return out
