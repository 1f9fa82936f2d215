"""What a reader does with Material's UI, as Playwright steps (search, palette, navigation)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Locator, Page

# The page's own content (search results are <article>s too).
CONTENT = "article.md-content__inner"
SEARCH_INPUT = "input.md-search__input"
SEARCH_META = ".md-search-result__meta"
SEARCH_RESULT_LINKS = ".md-search-result__list > .md-search-result__item > a.md-search-result__link"


def search(page: Page, query: str, expected_path: str) -> Locator:
    """Type `query` into Material's search as a reader does and wait for a result at `expected_path`.

    Returns that result's link. Results update while the query is typed, so
    the first list shown may be for a prefix of it; waiting for the expected
    result (bounded by the context's timeout) reads the list for the whole query.
    """
    # Imported here: test modules import this one even where Playwright is missing (they then skip).
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.click(SEARCH_INPUT)
    # The worker loads the index after the page; typing before it is ready gets no results.
    page.wait_for_function(
        "selector => { const m = document.querySelector(selector); return m && !/initiali[sz]ing/i.test(m.textContent); }",
        arg=SEARCH_META,
    )
    page.fill(SEARCH_INPUT, "")
    page.locator(SEARCH_INPUT).press_sequentially(query)
    links = page.locator(SEARCH_RESULT_LINKS)
    try:
        page.wait_for_function(
            """([selector, path]) => Array.from(document.querySelectorAll(selector))
                .some(a => new URL(a.href).pathname === path)""",
            arg=[SEARCH_RESULT_LINKS, expected_path],
        )
    except PlaywrightTimeout:
        raise AssertionError(
            f"searching {query!r} did not list {expected_path}; results: {result_paths(links)}"
        ) from None
    # Results are re-rendered while the worker catches up with the last keystrokes
    # (slow on a loaded machine): wait until the list stops changing, so the link
    # returned is the one that will still be there when it is clicked.
    previous: list[str] = []
    for _ in range(20):
        current = result_paths(links)
        if current == previous and expected_path in current:
            break
        previous = current
        page.wait_for_timeout(250)
    return links.nth(result_paths(links).index(expected_path))


def result_paths(links: Locator) -> list[str]:
    """The site-relative paths (no query, no fragment) of search result links."""
    return [urlsplit(href).path for href in links.evaluate_all("els => els.map(a => a.href)")]


def set_palette(page: Page, scheme: str) -> None:
    """Switch Material's palette toggle until the page shows `scheme` ('default' or 'slate')."""
    for _ in range(4):
        if page.get_attribute("body", "data-md-color-scheme") == scheme:
            return
        page.locator("form[data-md-component=palette] label:visible").first.click()
        # Material fades colours in; checks made mid-transition would see blends.
        page.wait_for_function(
            "() => document.getAnimations().every(a => a.playState !== 'running')"
        )
    raise AssertionError(f"the palette toggle never reached scheme {scheme!r}")


def open_page(page: Page, url: str) -> None:
    """Load `url` and wait until Material has set up (search index, instant navigation's sitemap).

    Instant navigation takes over links only once it has the sitemap; a click
    before that is a plain page load, as it would be for a very quick reader.
    """
    page.goto(url)
    page.wait_for_load_state("networkidle")


def mark_document(page: Page) -> None:
    """Leave a mark on the window: it survives an instant navigation, not a full page load."""
    page.evaluate("window.__paperlogTestMark = true")


def document_kept(page: Page) -> bool:
    return bool(page.evaluate("window.__paperlogTestMark === true"))


def link_to(page: Page, url: str, within: str = "body") -> Locator:
    """The first visible link inside `within` whose resolved href is `url` (fragment and query ignored)."""
    index = page.locator(f"{within} a[href]").evaluate_all(
        """(links, url) => links.findIndex(a => {
            const target = new URL(a.href); target.hash = ""; target.search = "";
            return target.href === url && a.offsetParent !== null;
        })""",
        url,
    )
    if index < 0:
        raise AssertionError(f"no visible link to {url} in {within} on {page.url}")
    return page.locator(f"{within} a[href]").nth(index)


def follow(page: Page, url: str, title: str, within: str = "body") -> None:
    """Click the link to `url` as a reader does and wait for that page's heading to show `title`.

    Works for a full page load and for Material's instant navigation, which
    swaps the content in place.
    """
    link_to(page, url, within).click()
    wait_for_page(page, urlsplit(url).path, title)


def wait_for_page(page: Page, path: str, title: str) -> None:
    """Wait until the page at `path` shows its heading `title` (after a load or an instant swap).

    A full page load shows the heading while the parser is still on the rest of
    the document, so the wait also needs the whole document parsed: on a busy
    machine a lookup made just after the heading appeared found no list below it.
    """
    page.wait_for_function(
        """([path, title, content]) => {
            if (document.readyState === "loading") return false;
            const h1 = document.querySelector(content + " h1");
            return location.pathname === path && h1 !== null && h1.textContent.replace("\u00b6", "").trim() === title;
        }""",
        arg=[path, title, CONTENT],
    )


def heading(page: Page) -> str:
    return page.locator(f"{CONTENT} h1").first.inner_text().replace("\u00b6", "").strip()


def load_all(context: BrowserContext, urls: list[str], tabs: int = 4) -> None:
    """Load every URL in its own page view, a few side by side, each until the network is idle.

    A page counts as loaded once the network has been idle for 500 ms (Material
    fetches the search index, and for instant navigation the sitemap, after
    `load`), so loading a few at once keeps a crawl short.
    """
    pages = [context.new_page() for _ in range(min(tabs, len(urls)))]
    for start in range(0, len(urls), len(pages)):
        batch = list(zip(pages, urls[start : start + len(pages)], strict=False))
        for tab, url in batch:
            # Start every load of the batch before waiting for any.
            tab.evaluate("url => { window.location.href = url; }", url)
        for tab, url in batch:
            tab.wait_for_url(url)
            tab.wait_for_load_state("networkidle")
    for tab in pages:
        tab.close()
