"""Light and dark palettes, and a phone's width: screenshots (kept under test-artifacts/
when a test fails), the palette really applied, text contrast checked by axe-core."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from .pltest import data as sitedata
from .pltest.chromium import blocking, run_axe
from .pltest.server import SiteServer
from .pltest.ui import open_page, set_palette

SCHEMES = {"light": "default", "dark": "slate"}
LUMINANCE = """() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


@pytest.mark.parametrize("palette", list(SCHEMES))
def test_paper_page_in_each_palette(
    palette, page, watch, artifacts, axe_js: Path, demo_site: Path, demo_server: SiteServer
) -> None:
    paper = sitedata.richest_paper(demo_site)
    open_page(page, demo_server.url(paper.url))
    set_palette(page, SCHEMES[palette])
    artifacts.screenshot(page, f"paper-{palette}")
    luminance = page.evaluate(LUMINANCE)
    assert (luminance > 0.8) if palette == "light" else (luminance < 0.25), luminance
    # Every piece of text, ours included (badges, chips, table tools), readable in this palette.
    contrast = run_axe(page, axe_js, {"runOnly": {"type": "rule", "values": ["color-contrast"]}})
    assert not blocking(contrast), "\n".join(blocking(contrast))
    # The choice survives a page load.
    page.reload()
    assert page.get_attribute("body", "data-md-color-scheme") == SCHEMES[palette]
    watch.assert_clean()


# axe-core skips generated content, so the numbered circles of pseudo-code steps
# (CSS `::before`) are checked here: small bold text needs 4.5:1.
STEP_NUMBER_CONTRAST = """() => {
    const luminance = (css) => {
        const [r, g, b] = css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return [...document.querySelectorAll(".pl-step:not(.pl-step--todo):not(.pl-step--missing) .pl-step__text")]
        .map((el) => {
            const style = getComputedStyle(el, "::before");
            const [hi, lo] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
            return { step: el.dataset.step, ratio: (hi + 0.05) / (lo + 0.05) };
        });
}"""


@pytest.mark.parametrize("palette", list(SCHEMES))
def test_pseudocode_step_numbers_are_readable(
    palette, page, watch, artifacts, demo_site: Path, demo_server: SiteServer
) -> None:
    with_steps = [
        p
        for p in sitedata.papers(demo_site)
        if sitedata.soup(demo_site, p.url).select_one(".pl-step")
    ]
    assert with_steps, "no paper page of the demo shows pseudo-code steps"
    open_page(page, demo_server.url(with_steps[0].url))
    set_palette(page, SCHEMES[palette])
    artifacts.screenshot(page, f"steps-{palette}")
    numbers = page.evaluate(STEP_NUMBER_CONTRAST)
    assert numbers, "no implemented step on the page"
    low = [n for n in numbers if n["ratio"] < 4.5]
    assert not low, low
    watch.assert_clean()


@pytest.mark.parametrize("palette", list(SCHEMES))
def test_papers_table_in_each_palette(
    palette, page, watch, artifacts, axe_js: Path, demo_server: SiteServer
) -> None:
    open_page(page, demo_server.url("papers/"))
    set_palette(page, SCHEMES[palette])
    page.locator("[data-pl-table][data-pl-ready]").wait_for()
    artifacts.screenshot(page, f"papers-{palette}")
    contrast = run_axe(page, axe_js, {"runOnly": {"type": "rule", "values": ["color-contrast"]}})
    assert not blocking(contrast), "\n".join(blocking(contrast))
    watch.assert_clean()


def test_pages_fit_a_phone_screen(
    page, watch, artifacts, demo_site: Path, demo_server: SiteServer
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    paper = sitedata.richest_paper(demo_site)
    wide = []
    for url in ("", "papers/", "topics/", paper.url, *paper.topics[:1]):
        open_page(page, demo_server.url(url))
        artifacts.screenshot(page, f"phone-{url.strip('/').replace('/', '-') or 'home'}")
        # Wide tables scroll inside their own box (Material's scroll wrapper); the page itself must not.
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide.append(f"{url or '/'} is {overflow}px wider than the screen")
    assert not wide, wide
    watch.assert_clean()


def test_progress_legend_entries_stand_apart(
    page, watch, artifacts, demo_site: Path, demo_server: SiteServer
) -> None:
    # The legend under a progress bar is a row of "status count" entries; run together
    # ("To read 1Skimmed 2") they cannot be read.
    urls = [
        u
        for u in ("", "papers/", "topics/")
        if sitedata.soup(demo_site, u).select_one(".pl-progress__legend")
    ]
    assert urls, "no page of the demo shows a progress legend"
    for url in urls:
        open_page(page, demo_server.url(url))
        legend = page.locator(".pl-progress__legend").first
        legend.wait_for()
        artifacts.screenshot(page, f"legend-{url.strip('/') or 'home'}")
        boxes = [li.bounding_box() for li in legend.locator("li").all()]
        assert len(boxes) >= 2, f"{url or '/'}: the demo's legend has fewer than two entries"
        touching = [
            i
            for i, (a, b) in enumerate(itertools.pairwise(boxes))
            if abs(a["y"] - b["y"]) < 1 and b["x"] - (a["x"] + a["width"]) < 4
        ]
        assert not touching, f"{url or '/'}: legend entries {touching} touch the next one"
    watch.assert_clean()
