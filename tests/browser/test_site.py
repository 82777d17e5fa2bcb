"""The built site, as a reader's browser sees it: every page, image, formula and link.

Needs ``docs/_build/html`` (``nox -s docs``) and Debian's Chromium; run with
``nox -s browser``. The checks themselves live in ``site_checks.py``;
``test_checkers.py`` shows that each of them fails on a broken site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import site_checks
from site_checks import SCREENSHOTS, SITE

PAGES = site_checks.html_pages(SITE) if SITE.is_dir() else []
EXAMPLES = site_checks.gallery_examples(SITE) if SITE.is_dir() else []
#: Pages that hold animations (a <picture> with a reduced-motion still).
ANIMATED = [p for p in PAGES if "<picture>" in (SITE / p).read_text(encoding="utf-8")]


def test_site_is_built(site: Path) -> None:
    assert PAGES, f"no pages in {site}"
    assert "index.html" in PAGES
    assert "search.html" in PAGES


def test_site_has_gallery_examples_and_animations(site: Path) -> None:
    assert len(EXAMPLES) >= 2, f"expected at least two gallery examples, got {EXAMPLES}"
    assert ANIMATED, "no page shows an animation (<picture>)"


def test_internal_links_and_anchors_resolve(site: Path) -> None:
    site_checks.fail_on(site_checks.check_links(site))


def test_every_image_has_meaningful_alt_text(site: Path) -> None:
    site_checks.fail_on(site_checks.check_alt_texts(site))


def test_downloads_exist_and_are_valid(site: Path) -> None:
    site_checks.fail_on(site_checks.check_downloads(site))


def test_gallery_downloads_are_served(site: Path, base_url: str) -> None:
    problems = []
    for rel in EXAMPLES:
        downloads = site_checks.parse(site / rel).downloads
        problems += site_checks.fetch_problems(base_url, rel, downloads)
    site_checks.fail_on(problems)


@pytest.fixture(scope="session")
def audits(browser: Any, base_url: str) -> Callable[[str], tuple[list[str], list[str]]]:
    """One load per page serves both of its tests (loads and axe): half the page loads."""
    done: dict[str, tuple[list[str], list[str]]] = {}

    def audit(rel: str) -> tuple[list[str], list[str]]:
        if rel not in done:
            done[rel] = site_checks.audit(browser, base_url, rel)
        return done[rel]

    return audit


@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_cleanly(audits: Callable, rel: str) -> None:
    """No console/page error, no failed or external request, images decode, GIFs move, math typeset."""
    site_checks.fail_on(audits(rel)[0])


@pytest.mark.parametrize("rel", PAGES)
def test_page_is_accessible(audits: Callable, rel: str) -> None:
    """axe-core: no serious or critical violation; alt texts meaningful in the DOM."""
    site_checks.fail_on(audits(rel)[1])


@pytest.mark.parametrize("rel", ANIMATED)
def test_reduced_motion_shows_stills(browser: Any, base_url: str, rel: str) -> None:
    site_checks.fail_on(site_checks.check_reduced_motion(browser, base_url, rel))


def test_math_is_typeset(browser: Any, base_url: str, site: Path) -> None:
    """At least one page has math, and MathJax (served locally) typesets it."""
    with_math = [p for p in PAGES if 'class="math' in (site / p).read_text(encoding="utf-8")]
    assert with_math, "no page has math"
    page, visit = site_checks.open_page(browser, base_url, with_math[0])
    try:
        problems = site_checks.page_problems(page, visit)
        assert page.locator("mjx-container").count() > 0
        sources = page.evaluate("() => Array.from(document.scripts).map((s) => s.src)")
        assert any("_static/mathjax/" in src for src in sources), sources
    finally:
        page.context.close()
    site_checks.fail_on(problems)


def test_search_finds_correlation(browser: Any, base_url: str) -> None:
    site_checks.fail_on(site_checks.check_search(browser, base_url, "correlation", at_least=3))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_cheatsheet_prints_on_one_sheet(browser: Any, base_url: str, paper: str) -> None:
    """The cheat sheet's print CSS fits it on one A4 or Letter page, tables included."""
    assert "cheatsheet.html" in PAGES
    page, visit = site_checks.open_page(browser, base_url, "cheatsheet.html")
    try:
        problems = site_checks.page_problems(page, visit)
        assert page.locator(".cheatsheet table").count() >= 2
        pdf = page.pdf(format=paper)
    finally:
        page.context.close()
    site_checks.fail_on(problems)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the cheat sheet prints on {pages} {paper} pages"


def test_every_page_notebook_is_offered(site: Path) -> None:
    """Each executed MyST page links its own notebook, which exists and has code.

    The landing page alone leaves its notebook unlinked (it is still written, and
    tests/notebooks runs it).
    """
    notebooks = sorted(p.stem for p in (site / "_notebooks").glob("*.ipynb") if p.stem != "index")
    assert len(notebooks) >= 10, notebooks
    for stem in notebooks:
        offered = site_checks.parse(site / f"{stem}.html").downloads
        assert f"_notebooks/{stem}.ipynb" in offered, (stem, offered)
    site_checks.fail_on(site_checks.check_downloads(site, [f"{stem}.html" for stem in notebooks]))


def test_screenshots(browser: Any, base_url: str) -> None:
    """Full-page screenshots of the home page and two gallery pages, for people to look at."""
    chosen = ["index.html", *EXAMPLES[:2]]
    written = [site_checks.screenshot(browser, base_url, rel, SCREENSHOTS) for rel in chosen]
    for path in written:
        assert path.stat().st_size > 10_000, path
    (SCREENSHOTS / "index.json").write_text(
        json.dumps({p.name: rel for p, rel in zip(written, chosen, strict=True)}, indent=1) + "\n"
    )
