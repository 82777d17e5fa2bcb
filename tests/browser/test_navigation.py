"""Finding one's way: chapter sidebar, title, header, landing page's Next, search.

Needs ``docs/_build/html`` (``nox -s docs``) and Debian's Chromium; run with
``nox -s browser -- tests/browser/test_navigation.py``.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import site_checks
from site_checks import ROOT

INDEX_MD = ROOT / "docs" / "index.md"


def reading_order() -> list[str]:
    """The pages of docs/index.md's toctrees, in order (the book's reading order)."""
    text = INDEX_MD.read_text(encoding="utf-8")
    order = []
    for block in re.findall(r"```\{toctree\}\n(.*?)```", text, re.DOTALL):
        order += [line.strip() for line in block.splitlines() if line.strip() and ":" not in line]
    return order


ORDER = reading_order()
#: Guide and reference pages: every top-level page but the landing page, the API
#: reference and the gallery (those two keep their own section navigation).
GUIDE = [f"{doc}.html" for doc in ORDER if doc not in ("api", "auto_gallery/index")]


def test_reading_order_starts_with_lesson_one() -> None:
    assert ORDER[0] == "correlation_or_convolution"
    assert len(GUIDE) >= 15


_SIDEBAR = """
() => {
  const nav = document.querySelector(".bd-sidebar-primary nav.ce-chapters");
  if (!nav) return null;
  const box = nav.getBoundingClientRect();
  return {
    visible: box.width > 0 && box.height > 0,
    links: Array.from(nav.querySelectorAll("a.reference.internal"), (a) =>
      new URL(a.getAttribute("href"), location.href).pathname.split("/").slice(-2).join("/")),
    current: Array.from(nav.querySelectorAll("li.current > a"), (a) => a.textContent.trim()),
  };
}
"""


@pytest.mark.parametrize("rel", GUIDE)
def test_guide_page_has_the_chapter_sidebar_in_reading_order(
    browser: Any, base_url: str, rel: str
) -> None:
    page, visit = site_checks.open_page(browser, base_url, rel)
    try:
        sidebar = page.evaluate(_SIDEBAR)
        assert sidebar is not None, f"{rel}: no chapter sidebar"
        assert sidebar["visible"], f"{rel}: the chapter sidebar is hidden at 1280 px"
        names = [
            link if "auto_gallery" in link else link.split("/")[-1] for link in sidebar["links"]
        ]
        expected = [
            "auto_gallery/index.html" if doc == "auto_gallery/index" else f"{doc}.html"
            for doc in ORDER
        ]
        assert names == expected
        assert len(sidebar["current"]) == 1, f"{rel}: current page marked {sidebar['current']}"
        site_checks.fail_on(visit.problems())
    finally:
        page.context.close()


def test_site_title_is_for_humans(site: Path) -> None:
    text = (site / "glossary.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", text, re.DOTALL).group(1)
    assert "Convolution, explained" in title
    assert "conv_explained" not in title


def test_header_shows_the_parts_and_hides_no_pages_behind_more(
    browser: Any, base_url: str
) -> None:
    page, visit = site_checks.open_page(browser, base_url, "padding_stride_dilation.html")
    try:
        header = page.locator(".bd-header")
        links = header.locator(".ce-header-links a.nav-link")
        assert links.all_inner_texts() == [
            "Lessons",
            "Explorer",
            "Gallery",
            "Cheat sheet",
            "Glossary",
            "API",
        ]
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        assert header.get_by_text("More", exact=True).count() == 0
        site_checks.fail_on(visit.problems())
    finally:
        page.context.close()


def test_landing_page_next_is_lesson_one_and_the_gallery_is_a_start(
    browser: Any, base_url: str
) -> None:
    page, visit = site_checks.open_page(browser, base_url, "index.html")
    try:
        nxt = page.locator("a.right-next")
        assert nxt.count() == 1
        assert nxt.get_attribute("href").endswith("correlation_or_convolution.html")
        start = page.locator("#start-here")
        hrefs = start.locator("ol a.reference.internal").evaluate_all(
            "(links) => links.map((a) => a.getAttribute('href'))"
        )
        assert "auto_gallery/index.html" in hrefs
        site_checks.fail_on(visit.problems())
    finally:
        page.context.close()


_RESULTS = """
() => Array.from(document.querySelectorAll("#search-results ul.search > li"), (li) => ({
  href: li.querySelector("a").getAttribute("href"),
  title: li.querySelector("a").textContent,
  excerpt: (li.querySelector("p.context") || {}).textContent || null,
  described: !!li.querySelector(":scope > span"),
}))
"""


def _search(browser: Any, base: str, word: str) -> tuple[list[dict[str, Any]], list[str]]:
    page, visit = site_checks.open_page(browser, base, f"search.html?q={urllib.parse.quote(word)}")
    try:
        page.wait_for_selector("#search-results ul.search li", timeout=site_checks.TIMEOUT_MS)
        page.wait_for_function(
            "() => (document.querySelector('#search-results .search-summary') || {})"
            ".textContent?.startsWith('Search finished')",
            timeout=site_checks.TIMEOUT_MS,
        )
        # Each excerpt arrives on its own (over HTTP, a fetch per hit): wait until
        # their count has not changed for two seconds.
        count, still = -1, 0
        for _ in range(120):
            now = page.locator("#search-results p.context").count()
            still = still + 1 if now == count else 0
            count = now
            if still >= 8:
                break
            page.wait_for_timeout(250)
        return page.evaluate(_RESULTS), visit.problems()
    finally:
        page.context.close()


@pytest.mark.parametrize("how", ["served", "file"])
def test_search_for_padding_ranks_the_padding_page_first_with_excerpts(
    browser: Any, base_url: str, file_base: str, how: str
) -> None:
    results, problems = _search(browser, base_url if how == "served" else file_base, "padding")
    pages = [r["href"].split("#")[0] for r in results]
    rank = pages.index("padding_stride_dilation.html") + 1
    glossary = [i + 1 for i, r in enumerate(results) if r["href"].startswith("glossary.html")]
    print(
        f"\nsearch 'padding' ({how}): Padding page rank {rank} of {len(results)}; glossary {glossary}"
    )
    assert rank == 1
    assert glossary, "the glossary defines padding: it should be found too"
    assert min(glossary) > rank
    with_excerpt = [r for r in results if r["excerpt"]]
    padding_hit = results[rank - 1]
    assert "padding" in (padding_hit["excerpt"] or "").lower()
    pages_hit = [r for r in results if not r["described"]]  # objects show their description
    assert len(with_excerpt) >= 0.9 * len(pages_hit), f"{len(with_excerpt)} of {len(pages_hit)}"
    site_checks.fail_on(problems)
