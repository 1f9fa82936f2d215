"""The citation graph in a browser: /graph/ draws a node for every paper, a click opens
the paper, the filters change what is shown, it survives instant navigation, reads
well in both palettes; the local graph on a paper page renders and its nodes link."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pltest import data as sitedata
from .pltest.chromium import blocking, run_axe
from .pltest.server import SiteServer
from .pltest.ui import (
    CONTENT,
    document_kept,
    follow,
    mark_document,
    open_page,
    set_palette,
    wait_for_page,
)

GRAPH = "#pl-graph"
API = "window.paperlog.graph"

# The colour the canvas holds at a node's centre, as [r, g, b, a] (device pixels).
PIXEL_AT = """id => {
    const api = window.paperlog.graph, canvas = document.querySelector("#pl-graph-canvas");
    const p = api.clientPosition(id), rect = canvas.getBoundingClientRect();
    const ratio = canvas.width / rect.width;
    const x = Math.round((p.x - rect.left) * ratio), y = Math.round((p.y - rect.top) * ratio);
    return Array.from(canvas.getContext("2d").getImageData(x, y, 1, 1).data);
}"""
# A CSS colour as [r, g, b], resolved by the browser.
CSS_RGB = """name => {
    const probe = document.createElement("span");
    probe.style.color = getComputedStyle(document.querySelector("#pl-graph")).getPropertyValue(name);
    document.body.appendChild(probe);
    const rgb = getComputedStyle(probe).color.match(/\\d+/g).slice(0, 3).map(Number);
    probe.remove();
    return rgb;
}"""


def _open_graph(page, server: SiteServer) -> None:
    open_page(page, server.url("graph/"))
    page.locator(f"{GRAPH}[data-pl-ready]").wait_for(state="attached")


def _paper_ids(site: Path) -> set[str]:
    return {p.url.split("/")[1] for p in sitedata.papers(site)}


def _clickable(page, ids: list[str]) -> str:
    """A node whose centre no other node covers, so a click there lands on it."""
    for node in ids:
        pos = page.evaluate(f"id => {API}.clientPosition(id)", node)
        if pos and page.evaluate(f"([x, y]) => {API}.nodeAt(x, y)", [pos["x"], pos["y"]]) == node:
            return node
    raise AssertionError(f"no node of {ids} can be clicked on its own")


def _wait_drawn(page, node: str) -> list[int]:
    page.wait_for_function(f"id => ({PIXEL_AT})(id)[3] > 0", arg=node)
    return page.evaluate(PIXEL_AT, node)


def test_graph_draws_a_node_for_every_paper(
    page, watch, demo_site: Path, demo_server: SiteServer
) -> None:
    _open_graph(page, demo_server)
    visible = set(page.evaluate(f"{API}.visibleIds()"))
    assert _paper_ids(demo_site) <= visible
    assert page.get_attribute(GRAPH, "data-pl-visible") == str(len(visible))
    # Something is really painted where each paper's node is, in its status colour.
    for paper_id in sorted(_paper_ids(demo_site)):
        rgba = _wait_drawn(page, paper_id)
        assert rgba[3] == 255, f"{paper_id}: nothing opaque drawn at its node ({rgba})"
    watch.assert_clean()


def test_node_colour_follows_status_and_palette(
    page, watch, artifacts, demo_site: Path, demo_server: SiteServer
) -> None:
    _open_graph(page, demo_server)
    node = _clickable(page, sorted(_paper_ids(demo_site)))
    status = page.evaluate(
        "id => JSON.parse(document.querySelector('#pl-graph-data').dataset.json).nodes.find(n => n.id === id).status",
        node,
    )
    for scheme in ("default", "slate"):
        set_palette(page, scheme)
        expected = page.evaluate(CSS_RGB, f"--pl-{status}")
        page.wait_for_function(
            f"([id, rgb]) => {{ const p = ({PIXEL_AT})(id); return rgb.every((c, i) => Math.abs(c - p[i]) <= 2); }}",
            arg=[node, expected],
        )
        artifacts.screenshot(page, f"graph-{scheme}")
    watch.assert_clean()


def test_clicking_a_node_opens_its_paper(
    page, watch, demo_site: Path, demo_server: SiteServer
) -> None:
    _open_graph(page, demo_server)
    mark_document(page)
    node = _clickable(page, sorted(_paper_ids(demo_site)))
    pos = page.evaluate(f"id => {API}.clientPosition(id)", node)
    page.mouse.move(pos["x"], pos["y"])
    # Hovering shows the paper's title in the tooltip.
    title = sitedata.paper(demo_site, f"papers/{node}/").title
    tooltip = page.locator("#pl-graph-tooltip")
    tooltip.wait_for()
    assert title in tooltip.inner_text()
    page.mouse.click(pos["x"], pos["y"])
    wait_for_page(page, demo_server.prefix + f"papers/{node}/", title)
    watch.assert_clean()


def _noted_visible(page) -> set[str]:
    return set(
        page.evaluate(
            f"{API}.visibleIds().filter(id => JSON.parse(document.querySelector('#pl-graph-data').dataset.json).nodes.find(n => n.id === id).noted)"
        )
    )


def test_filters_change_what_is_shown(
    page, watch, demo_site: Path, demo_server: SiteServer
) -> None:
    _open_graph(page, demo_server)
    papers = sitedata.papers(demo_site)
    everything = int(page.get_attribute(GRAPH, "data-pl-visible"))

    topics = page.locator("#pl-graph-topic option").evaluate_all(
        "os => os.map(o => o.value).filter(Boolean)"
    )
    assert topics, "the graph offers no topic to filter by"
    for slug in topics:
        page.select_option("#pl-graph-topic", slug)
        expected = {p.url.split("/")[1] for p in papers if f"topics/{slug}/" in p.topics}
        assert _noted_visible(page) == expected, slug
    page.select_option("#pl-graph-topic", "")

    statuses = page.locator("#pl-graph-status option").evaluate_all(
        "os => os.map(o => o.value).filter(Boolean)"
    )
    page.select_option("#pl-graph-status", statuses[0])
    shown = _noted_visible(page)
    assert shown and len(shown) < len(papers)
    assert int(page.get_attribute(GRAPH, "data-pl-visible")) < everything
    page.select_option("#pl-graph-status", "")

    page.uncheck("#pl-graph-unnoted")
    assert set(page.evaluate(f"{API}.visibleIds()")) == _paper_ids(demo_site)
    page.check("#pl-graph-unnoted")
    assert int(page.get_attribute(GRAPH, "data-pl-visible")) == everything
    watch.assert_clean()


def _richest_local_graph(site: Path) -> sitedata.PaperPage:
    """The paper with the most neighbours: the fullest local graph."""
    return max(sitedata.papers(site), key=lambda p: (len(p.cites) + len(p.cited_by), p.url))


def test_graph_starts_after_an_instant_navigation(
    page, watch, demo_site: Path, demo_server: SiteServer
) -> None:
    # A reader goes from a paper's local graph to the whole graph (the link under it), and back.
    paper = _richest_local_graph(demo_site)
    open_page(page, demo_server.url(paper.url))
    mark_document(page)
    follow(
        page,
        demo_server.url("graph/"),
        sitedata.heading(demo_site, "graph/"),
        within=CONTENT,
    )
    page.locator(f"{GRAPH}[data-pl-ready]").wait_for(state="attached")
    assert document_kept(page), "the demo's navigation to the graph was not instant"
    assert page.evaluate(f"{API}.visibleIds().length") > 0
    # Away and back again: the graph is set up anew, once.
    page.go_back()
    wait_for_page(page, demo_server.prefix + paper.url, paper.title)
    page.go_forward()
    page.locator(f"{GRAPH}[data-pl-ready]").wait_for(state="attached")
    assert page.locator("#pl-graph-canvas").count() == 1
    node = _clickable(page, sorted(_paper_ids(demo_site)))
    _wait_drawn(page, node)
    assert document_kept(page)
    watch.assert_clean()


def test_local_graph_on_a_paper_page(page, watch, demo_site: Path, demo_server: SiteServer) -> None:
    paper = _richest_local_graph(demo_site)
    open_page(page, demo_server.url(paper.url))
    figure = page.locator(f"{CONTENT} #pl-local-graph")
    box = figure.locator("svg").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    neighbours = figure.locator("a.pl-node")
    assert neighbours.count() >= 1
    # A neighbour's node opens its page.
    target = neighbours.first
    node_id = target.get_attribute("data-id")
    title = sitedata.paper(demo_site, f"papers/{node_id}/").title
    target.locator("circle").click()
    wait_for_page(page, demo_server.prefix + f"papers/{node_id}/", title)
    watch.assert_clean()


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_graph_page_accessibility(
    palette, page, watch, artifacts, axe_js: Path, demo_server: SiteServer
) -> None:
    _open_graph(page, demo_server)
    set_palette(page, {"light": "default", "dark": "slate"}[palette])
    artifacts.screenshot(page, f"graph-page-{palette}")
    problems = blocking(run_axe(page, axe_js))
    assert not problems, "axe-core on graph/:\n" + "\n".join(problems)
    watch.assert_clean()
