"""The papers table (assets/paperlog.js): filter by text and by status, sort by any column."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pltest import data as sitedata
from .pltest.server import SiteServer
from .pltest.ui import open_page

TABLE = "[data-pl-table]"


# The column that names the paper is found by its links, whatever its header says.
PAPER_COLUMN = "paper"


def _column(page, name: str) -> int:
    if name == PAPER_COLUMN:
        return page.locator(f"{TABLE} tbody tr").first.evaluate(
            "row => Array.from(row.cells).findIndex(c => c.querySelector('a[href*=\"papers/\"]'))"
        )
    headers = [h.strip() for h in page.locator(f"{TABLE} thead th").all_inner_texts()]
    return next(i for i, h in enumerate(headers) if h.startswith(name))


def _visible_cells(page, column: int) -> list[str]:
    return page.locator(f"{TABLE} tbody tr:visible").evaluate_all(
        "(rows, i) => rows.map(r => r.cells[i].textContent.trim())", column
    )


@pytest.fixture
def papers_page(page, demo_server: SiteServer):
    open_page(page, demo_server.url("papers/"))
    page.locator(f"{TABLE}[data-pl-ready] .pl-table__tools").wait_for()
    return page


def test_filter_by_text_keeps_matching_rows_and_counts_them(
    papers_page, watch, demo_site: Path
) -> None:
    page = papers_page
    papers = sitedata.papers(demo_site)
    total = page.locator(f"{TABLE} tbody tr").count()
    assert total == len(papers)
    # A word of one title that no other title has.
    titles = [p.title.lower() for p in papers]
    word = next(
        w
        for p in papers
        for w in sitedata.WORD.findall(p.title.lower())
        if sum(w in t for t in titles) == 1
    )
    page.locator(f"{TABLE} .pl-table__tools input").fill(word)
    title_col = _column(page, PAPER_COLUMN)
    shown = _visible_cells(page, title_col)
    assert len(shown) == 1 and word in shown[0].lower(), shown
    assert page.locator(f"{TABLE} .pl-table__count").inner_text() == f"1 of {total}"

    page.locator(f"{TABLE} .pl-table__tools input").fill("")
    assert len(_visible_cells(page, title_col)) == total
    watch.assert_clean()


def test_filter_by_status_shows_only_that_status(papers_page, watch) -> None:
    page = papers_page
    status_col = _column(page, "Status")
    all_statuses = _visible_cells(page, status_col)
    options = page.locator(f"{TABLE} .pl-table__tools select option").all_inner_texts()
    # One option per status present, plus "all".
    assert sorted(options[1:]) == sorted(set(all_statuses))
    for status in sorted(set(all_statuses)):
        page.locator(f"{TABLE} .pl-table__tools select").select_option(label=status)
        shown = _visible_cells(page, status_col)
        assert shown == [s for s in all_statuses if s == status]
    page.locator(f"{TABLE} .pl-table__tools select").select_option(index=0)
    assert len(_visible_cells(page, status_col)) == len(all_statuses)
    watch.assert_clean()


def _sort_key(value: str) -> tuple[int, object]:
    # Empty cells go last; numbers compare as numbers.
    if value == "":
        return (2, 0)
    try:
        return (0, float(value))
    except ValueError:
        return (1, value.lower())


@pytest.mark.parametrize("column", [PAPER_COLUMN, "Year"])
def test_sort_by_a_column_both_ways(column, papers_page, watch) -> None:
    page = papers_page
    index = _column(page, column)
    header = page.locator(f"{TABLE} thead th").nth(index)
    before = _visible_cells(page, index)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = _visible_cells(page, index)
    assert ascending == sorted(before, key=_sort_key)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    descending = _visible_cells(page, index)
    filled = [v for v in ascending if v]
    assert descending[: len(filled)] == list(reversed(filled))
    watch.assert_clean()


def test_sort_by_status_follows_the_reading_order(papers_page, watch) -> None:
    page = papers_page
    index = _column(page, "Status")
    page.locator(f"{TABLE} thead th").nth(index).locator("button").click()
    ranks = page.locator(f"{TABLE} tbody tr").evaluate_all(
        "(rows, i) => rows.map(r => Number(r.cells[i].querySelector('[data-sort]').dataset.sort))",
        index,
    )
    assert ranks == sorted(ranks) and len(set(ranks)) > 1
    watch.assert_clean()
