"""Static files every site gets: our stylesheet and script, the published schemas."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

from ..load.schema import SCHEMA_NAMES, schema_text
from . import OutputFile, RenderContext

STYLESHEET = "assets/paperlog/paperlog.css"
GRAPH_STYLESHEET = "assets/paperlog/graph.css"
SCRIPT = "assets/paperlog/paperlog.js"
GRAPH_SCRIPT = "assets/paperlog/graph.js"
"""Draws /graph/ on a canvas; idle on other pages (loaded everywhere for instant navigation)."""


def produce(ctx: RenderContext) -> Iterable[OutputFile]:
    package = resources.files("paperlog")
    yield OutputFile(STYLESHEET, package.joinpath("assets/paperlog.css").read_text("utf-8"))
    yield OutputFile(SCRIPT, package.joinpath("assets/paperlog.js").read_text("utf-8"))
    yield OutputFile(GRAPH_STYLESHEET, package.joinpath("assets/graph.css").read_text("utf-8"))
    yield OutputFile(GRAPH_SCRIPT, package.joinpath("assets/graph.js").read_text("utf-8"))
    for name in SCHEMA_NAMES:
        yield OutputFile(f"schemas/{name}.schema.json", schema_text(name))
