"""The site under a strict Content-Security-Policy: ``default-src 'self'``.

The built site is served on 127.0.0.1 by a tiny ``http.server`` handler that
adds the header; every page is loaded in Chromium, which reports each blocked
script, style or request as a ``securitypolicyviolation`` event (recorded from
the first line of the page) and as a console error. A page passes when it has
no violation, none of :func:`site_checks.page_problems` (console or page error,
failed request, image that does not decode, formula left untypeset) and, where
it has math, MathJax containers. ``test_the_check_sees_an_inline_script`` shows
the check failing on a page with one inline script.
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import site_checks

POLICY = "default-src 'self'"

#: Records every violation from the start of the page (before any of its scripts).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' +
                    (e.sourceFile || '') + ':' + e.lineNumber);
});
"""


#: Formulas that MathJax typeset but whose CSS did not apply (CHTML sets line-height 0).
UNSTYLED = """
() => Array.from(document.querySelectorAll('mjx-container[jax="CHTML"]'))
  .filter((c) => getComputedStyle(c).lineHeight !== '0px').length
"""


def serve_strict(root: Path) -> contextlib.AbstractContextManager[str]:
    """``root`` on 127.0.0.1 at a free port, every response with the strict policy."""
    return site_checks.serve(root, {"Content-Security-Policy": POLICY})


def strict_page_problems(browser: Any, base: str, rel: str) -> tuple[list[str], int]:
    """What goes wrong on one page under the policy, and how many formulas it typeset."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    url = urllib.parse.urljoin(base, rel)
    visit = site_checks.Visit(url)

    def console(msg: Any) -> None:
        # Chromium's own favicon probe (the site has no favicon) is not the page's request.
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            visit.console_errors.append(msg.text)

    page.on("console", console)
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: (
            None
            if site_checks.cancelled_by_page(request)
            else visit.failed_requests.append(f"{request.url} ({request.failure})")
        ),
    )
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    try:
        response = page.goto(url, wait_until="load", timeout=site_checks.TIMEOUT_MS)
        visit.status = response.status if response is not None else None
        page.evaluate(site_checks._LOAD_ALL_IMAGES, site_checks.TIMEOUT_MS)
        visit.failed_requests += [
            f"{u} (HTTP error)" for u in missing if not u.endswith("/favicon.ico")
        ]
        problems = site_checks.page_problems(page, visit)
        unstyled = page.evaluate(UNSTYLED)
        if unstyled:
            problems.append(f"{unstyled} formulas without MathJax's CSS (its styles were blocked)")
        problems += [f"CSP violation: {v}" for v in page.evaluate("window.__csp")]
        math = page.evaluate("document.querySelectorAll('mjx-container').length")
    finally:
        context.close()
    return [f"{rel}: {p}" for p in problems], math


@pytest.fixture(scope="module")
def strict_url(site: Path) -> Iterator[str]:
    with serve_strict(site) as url:
        yield url


def test_every_page_works_under_default_src_self(
    browser: Any, site: Path, strict_url: str
) -> None:
    pages = site_checks.html_pages(site)
    assert "explorer.html" in pages
    assert "index.html" in pages
    problems: list[str] = []
    typeset: dict[str, int] = {}
    for rel in pages:
        found, math = strict_page_problems(browser, strict_url, rel)
        problems += found
        typeset[rel] = math
    with_math = [rel for rel in pages if 'class="math' in (site / rel).read_text("utf-8")]
    print(
        f"\nCSP {POLICY!r}: {len(pages)} pages, {len(problems)} problems, "
        f"{len(with_math)} pages with math, {sum(typeset.values())} formulas typeset"
    )
    assert with_math, "no page with math: the math check would prove nothing"
    problems += [f"{rel}: math not typeset" for rel in with_math if not typeset[rel]]
    assert not problems, "\n".join(problems[:30])


def test_no_page_holds_an_inline_script(site: Path) -> None:
    """The static side of the same rule: every <script> has a src (or is JSON data)."""
    import re

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
    found = [
        f"{rel}: {m.group(0)}"
        for rel in site_checks.html_pages(site)
        for m in inline.finditer((site / rel).read_text("utf-8"))
    ]
    assert not found, "\n".join(found[:20])


def test_the_explorer_runs_under_the_policy(browser: Any, strict_url: str) -> None:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    try:
        page.goto(strict_url + "explorer.html?preset=mxnet")
        page.wait_for_selector("table[data-grid='output']")
        out = page.evaluate(
            "Array.from(document.querySelectorAll('table[data-grid=output] td')).map(t => t.textContent)"
        )
        assert out[:3] == ["60", "56", "52"]
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()


def test_the_check_sees_an_inline_script(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><head><title>t</title></head><body><p>x</p>"
        "<script>document.title = 'ran';</script></body></html>",
        encoding="utf-8",
    )
    with serve_strict(tmp_path) as url:
        problems, _ = strict_page_problems(browser, url, "index.html")
    assert any("CSP violation: script-src" in p for p in problems), problems
