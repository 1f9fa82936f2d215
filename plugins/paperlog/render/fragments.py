"""`{% cached ident, value, ... %}...{% endcached %}`: a template fragment kept between builds.

A listing of every paper must be rendered again when any paper changes, but
its other rows have not changed. Inside a page rendered with a RenderCache
(`mkdocs serve`), the body of this tag is kept per page, tag and `ident`
(say, one row per paper id) and reused while the `value`s are equal and
everything the body read from the library is unchanged (render.cache records
it). The page depends on what its fragments read, so nothing goes stale.

The body may use whatever the page passes to every template (lib, settings,
urls, url, options, ...); anything else it uses that varies from one
fragment to the next (the loop variable, say) must be among the values.
Without a cache the tag only renders its body.
"""

from __future__ import annotations

from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context


class FragmentCache(Extension):
    tags = frozenset({"cached"})

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache=None)

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        args = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            args.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcached",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        call = self.call_method("_render", [nodes.ContextReference(), where, nodes.List(args)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _render(self, context: Context, where: str, args: list[Any], caller: Any) -> Any:
        cache = self.environment.fragment_cache  # type: ignore[attr-defined]
        page = context.get("page_path")
        if cache is None or not cache.active or not isinstance(page, str):
            return caller()
        ident, *values = args
        key = ("fragment", page, where, ident)
        try:
            hash(key)
        except TypeError:  # an ident that cannot be a key: render as if uncached
            return caller()
        return cache.run(key, {str(i): v for i, v in enumerate(values)}, lambda **_: caller())
