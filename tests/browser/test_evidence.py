"""The evidence in view (issue 16): certificates under figures, checks out of the way.

On the built site, in Chromium:

* every figure and animation in a page or lesson has a certificate (a
  ``.ce-certificate`` issued by :mod:`conv_explained.verify`) after it and
  before the next figure;
* check lines (``assert``, ``np.testing``, ``compare(``, ``check_rule(``...)
  are at most 10% of the code a reader sees without opening a "How this is
  checked" block;
* each lesson page shows a picture in its first screen (1366x900);
* the ledger page lists every certificate on the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import site_checks

SITE = site_checks.SITE

#: Pages that teach with code and figures; the reference pages are listed apart.
NOT_LESSONS = {
    "index.html",
    "api.html",
    "genindex.html",
    "search.html",
    "py-modindex.html",
    "ledger.html",
    "glossary.html",
    "explorer.html",
    "auto_gallery/index.html",
}


def _pages() -> list[str]:
    if not SITE.is_dir():
        return []
    pages = [
        p for p in site_checks.html_pages(SITE) if "/" not in p or p.startswith("auto_gallery/")
    ]
    return [
        p
        for p in pages
        if p not in NOT_LESSONS
        and not p.startswith(("api/", "_"))
        and not (p.startswith("auto_gallery/") and p.endswith("index.html"))
        and not p.startswith("auto_gallery/sg_")
    ]


PAGES = _pages()
#: Reference pages and the two comparison chapters teach with tables, not a key picture.
NO_KEY_PICTURE = {
    "about_verification.html",
    "arithmetic_reference.html",
    "cheatsheet.html",
    "frameworks.html",
    "gotchas.html",
}
GUIDE = [p for p in PAGES if "/" not in p and p not in NO_KEY_PICTURE]

_FIGURES = """
() => {
  const article = document.querySelector("article.bd-article") || document.body;
  // A light/dark pair (div.ce-themed: an only-light and an only-dark image) is one figure.
  const figures = Array.from(article.querySelectorAll("img")).filter((img) =>
    !img.closest(".sphx-glr-thumbcontainer, .sphx-glr-thumbnails, nav, header, footer")
    && !(img.closest(".ce-themed") && img.classList.contains("only-dark")));
  const certs = Array.from(article.querySelectorAll(".ce-certificate"));
  const after = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  const missing = [];
  figures.forEach((img, i) => {
    const next = figures[i + 1];
    const ok = certs.some((c) => after(img, c) && (!next || after(c, next)));
    if (!ok) missing.push((img.getAttribute("alt") || img.getAttribute("src") || "").slice(0, 90));
  });
  return {figures: figures.length, certificates: certs.length, missing};
}
"""

_CODE = r"""
() => {
  const article = document.querySelector("article.bd-article") || document.body;
  const blocks = Array.from(article.querySelectorAll("div.highlight pre"))
    .filter((pre) => !pre.closest(".cell_output, .output, .sphx-glr-script-out, details:not([open])"));
  const lines = [];
  for (const pre of blocks) {
    for (const line of pre.innerText.split("\n")) {
      const text = line.trim();
      if (text && !text.startsWith("#")) lines.push(text);
    }
  }
  return lines;
}
"""

CHECK = re.compile(
    r"^(?:assert\b|np\.testing\.|numpy\.testing\.|torch\.testing\.)"
    r"|\b(?:verify\.)?(?:compare|check_rule|check|assert_allclose|assert_array_equal)\("
)

_FIRST_PICTURE = """
() => {
  const article = document.querySelector("article.bd-article") || document.body;
  const img = Array.from(article.querySelectorAll("img")).find((i) => i.offsetParent !== null);
  return img ? img.getBoundingClientRect().top + window.scrollY : null;
}
"""


def _evaluate(browser: Any, base: str, rel: str, script: str) -> Any:
    """Load ``rel`` at the desktop size (1366x900) and return what ``script`` evaluates to."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + rel, wait_until="load", timeout=site_checks.TIMEOUT_MS)
        return page.evaluate(script)
    finally:
        context.close()


@pytest.mark.parametrize("rel", PAGES)
def test_every_figure_has_a_certificate(browser: Any, base_url: str, rel: str) -> None:
    found = _evaluate(browser, base_url, rel, _FIGURES)
    assert found["missing"] == [], f"{rel}: figures without a certificate: {found['missing']}"


def visible_check_share(lines: list[str]) -> tuple[int, int]:
    """(check lines, code lines) among the visible code lines of a page."""
    return sum(1 for line in lines if CHECK.search(line)), len(lines)


def test_the_check_counter_finds_checks() -> None:
    lines = ["x = 1", "assert x == 1", "np.testing.assert_allclose(a, b)", "verify.compare(a, b)"]
    assert visible_check_share(lines) == (3, 4)


@pytest.mark.parametrize("rel", PAGES)
def test_checks_are_at_most_a_tenth_of_the_visible_code(
    browser: Any, base_url: str, rel: str
) -> None:
    lines = _evaluate(browser, base_url, rel, _CODE)
    checks, total = visible_check_share(lines)
    assert checks <= 0.1 * total or checks <= 1, (
        f"{rel}: {checks} of {total} visible code lines are checks: "
        + "; ".join(line for line in lines if CHECK.search(line))[:400]
    )


@pytest.mark.parametrize("rel", GUIDE)
def test_each_lesson_shows_its_picture_in_the_first_screen(
    browser: Any, base_url: str, rel: str
) -> None:
    top = _evaluate(browser, base_url, rel, _FIRST_PICTURE)
    assert top is not None, f"{rel} has no picture"
    assert top < 900, f"{rel}: the first picture starts at y = {top:.0f}, below the first screen"


def test_the_ledger_lists_every_certificate(site: Path) -> None:
    ledger = (site / "ledger.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'href="([^"#]+\.html)#(cert-\d+)"', ledger))
    on_pages = set()
    for rel in site_checks.html_pages(site):
        if rel == "ledger.html":
            continue
        text = (site / rel).read_text(encoding="utf-8")
        for anchor in re.findall(r'<p class="ce-certificate" id="(cert-\d+)"', text):
            on_pages.add((rel, anchor))
    assert on_pages, "no certificate on the site"
    assert {(Path(h).as_posix(), a) for h, a in anchors} == on_pages
