"""The checkers of ``site_checks.py`` on a tiny site built here: quiet when it is sound,
loud when one thing is broken.

Each breakage below is one thing a reader would notice (an image without alt
text, a script from a CDN, an image that does not decode, a still GIF, a formula
left as TeX, a dead link, ...). The sound site passes every checker, so a
failure on a broken copy is caused by that one breakage.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

import pytest
import site_checks
from PIL import Image

INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Fixture site</title>
<script>window.MathJax = {"options": {"processHtmlClass": "math"}}</script>
<script defer src="_static/mathjax/tex-chtml.js"></script>
<!--HEAD-->
</head>
<body>
<main>
<h1 id="top">Correlation, not convolution</h1>
<p>Frameworks correlate: <a href="other.html#the-section">the other page</a>,
<a href="other.html">again</a>, <a href="#top">the top</a>,
<a href="https://pytorch.org/docs/">an outside page</a>.</p>
<p>In symbols: <span class="math notranslate nohighlight">\\(y_i = \\sum_u x_{i+u} w_u\\)</span>.</p>
<div class="math notranslate nohighlight">\\[o = \\left\\lfloor \\frac{i + 2p - k}{s} \\right\\rfloor + 1\\]</div>
<picture><source media="(prefers-reduced-motion: reduce)" srcset="_images/still.png">
<img src="_images/anim.gif" alt="A 3 by 3 kernel slides over a 5 by 5 grid, one cell at a time"></picture>
<p><img src="_images/plot.png" alt="A bar chart of the output sizes for strides 1 to 3"></p>
<!--BODY-->
</main>
</body>
</html>
"""

OTHER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Other page</title></head>
<body><main><h1>Other</h1><section id="the-section"><h2>A section</h2>
<p><a href="index.html">Home</a></p></section></main></body></html>
"""

EXAMPLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Example</title></head>
<body><main><h1>An example</h1>
<p><a class="reference download internal" download="" href="../_downloads/plot_01_example.py">Python source</a>
<a class="reference download internal" download="" href="../_downloads/plot_01_example.ipynb">Notebook</a></p>
</main></body></html>
"""

SEARCH = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Search</title></head>
<body><main><h1>Search</h1><div id="search-results"><!--RESULTS--></div></main></body></html>
"""
RESULTS = '<ul class="search"><li><a href="index.html">Correlation, not convolution</a></li></ul>'

NOTEBOOK = {
    "cells": [{"cell_type": "code", "metadata": {}, "source": ["print(1)"], "outputs": []}],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def _mathjax() -> Path | None:
    """A local MathJax: the sphinx-mathjax-offline wheel's, else the built site's."""
    try:
        static = distribution("sphinx-mathjax-offline").locate_file(
            "sphinx-mathjax-offline/static"
        )
        candidate = Path(str(static)) / "mathjax"
    except PackageNotFoundError:
        candidate = site_checks.SITE / "_static" / "mathjax"
    return candidate if (candidate / "tex-chtml.js").is_file() else None


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _gif(colors: list[str]) -> bytes:
    frames = [Image.new("RGB", (40, 30), c) for c in colors]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format="GIF", save_all=True, append_images=frames[1:], duration=200, loop=0
    )
    return buffer.getvalue()


def build_site(root: Path, mathjax: Path) -> Path:
    """A sound four-page site in ``root``."""
    (root / "_images").mkdir(parents=True)
    (root / "_downloads").mkdir()
    (root / "auto_gallery").mkdir()
    (root / "_static").mkdir()
    os.symlink(mathjax, root / "_static" / "mathjax")
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    (root / "other.html").write_text(OTHER, encoding="utf-8")
    (root / "search.html").write_text(SEARCH.replace("<!--RESULTS-->", RESULTS), encoding="utf-8")
    (root / "auto_gallery" / "plot_01_example.html").write_text(EXAMPLE, encoding="utf-8")
    (root / "_images" / "anim.gif").write_bytes(_gif(["red", "green", "blue"]))
    (root / "_images" / "still.png").write_bytes(_png("blue"))
    (root / "_images" / "plot.png").write_bytes(_png("gray"))
    (root / "_downloads" / "plot_01_example.py").write_text("print('hello')\n")
    (root / "_downloads" / "plot_01_example.ipynb").write_text(json.dumps(NOTEBOOK))
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# One breakage each: (name, how to break the site, which checker, words it must report).
Breakage = tuple[str, Callable[[Path], None], str, str]

BREAKAGES: list[Breakage] = [
    (
        "missing alt text",
        lambda r: _edit(
            r / "index.html", ' alt="A bar chart of the output sizes for strides 1 to 3"', ""
        ),
        "alt",
        "no alt attribute",
    ),
    (
        "empty alt text",
        lambda r: _edit(
            r / "index.html", "A bar chart of the output sizes for strides 1 to 3", ""
        ),
        "alt",
        "empty alt text",
    ),
    (
        "file name as alt text",
        lambda r: _edit(
            r / "index.html",
            "A bar chart of the output sizes for strides 1 to 3",
            "_images/plot.png",
        ),
        "alt",
        "file name",
    ),
    (
        "missing alt text, seen by axe",
        lambda r: _edit(
            r / "index.html", ' alt="A bar chart of the output sizes for strides 1 to 3"', ""
        ),
        "axe",
        "image-alt",
    ),
    (
        "unlabelled link, seen by axe",
        lambda r: _edit(r / "index.html", "<!--BODY-->", '<a href="other.html"><span></span></a>'),
        "axe",
        "link-name",
    ),
    (
        "script from a CDN",
        lambda r: _edit(
            r / "index.html",
            "<!--HEAD-->",
            '<script src="https://cdn.jsdelivr.net/npm/jquery@3.7.1/dist/jquery.min.js"></script>',
        ),
        "page",
        "external request (blocked): https://cdn.jsdelivr.net/",
    ),
    (
        "style sheet from a CDN, seen without a browser",
        lambda r: _edit(
            r / "index.html",
            "<!--HEAD-->",
            '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">',
        ),
        "links",
        "resource from another host",
    ),
    (
        "image that does not decode",
        lambda r: (r / "_images" / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n not really"),
        "page",
        "image does not decode: '_images/plot.png'",
    ),
    (
        "missing image",
        lambda r: (r / "_images" / "plot.png").unlink(),
        "page",
        "failed request",
    ),
    (
        "missing image, seen without a browser",
        lambda r: (r / "_images" / "plot.png").unlink(),
        "links",
        "no such file _images/plot.png",
    ),
    (
        "GIF with one frame",
        lambda r: (r / "_images" / "anim.gif").write_bytes(_gif(["red"])),
        "page",
        "GIF is not animated (1 frame)",
    ),
    (
        "GIF whose frames are all the same",
        lambda r: (r / "_images" / "anim.gif").write_bytes(_gif(["red", "red", "red"])),
        "page",
        "GIF is not animated",
    ),
    (
        "math without MathJax",
        lambda r: _edit(
            r / "index.html", '<script defer src="_static/mathjax/tex-chtml.js"></script>', ""
        ),
        "page",
        "MathJax never loaded",
    ),
    (
        "TeX error",
        lambda r: _edit(r / "index.html", "+ 1\\]", "+ 1 \\frac{1}\\]"),
        "page",
        "TeX error",
    ),
    (
        "JavaScript error",
        lambda r: _edit(r / "index.html", "<!--BODY-->", "<script>undefinedFunction();</script>"),
        "page",
        "page error",
    ),
    (
        "console error",
        lambda r: _edit(r / "index.html", "<!--BODY-->", "<script>console.error('boom')</script>"),
        "page",
        "console error: boom",
    ),
    (
        "dead link",
        lambda r: _edit(r / "index.html", 'href="other.html">again', 'href="gone.html">again'),
        "links",
        "no such file gone.html",
    ),
    (
        "dead anchor",
        lambda r: _edit(r / "other.html", 'id="the-section"', 'id="renamed"'),
        "links",
        "no id 'the-section' in other.html",
    ),
    (
        "animation without a still",
        lambda r: _edit(
            r / "index.html",
            '<source media="(prefers-reduced-motion: reduce)" srcset="_images/still.png">',
            "",
        ),
        "motion",
        "expected a .png file",
    ),
    (
        "bare GIF",
        lambda r: _edit(
            r / "index.html", "<!--BODY-->", '<img src="_images/anim.gif" alt="Moving grid">'
        ),
        "motion",
        "bare animated <img>",
    ),
    (
        "gallery example without its notebook",
        lambda r: (r / "_downloads" / "plot_01_example.ipynb").unlink(),
        "downloads",
        "no such file",
    ),
    (
        "broken notebook download",
        lambda r: (r / "_downloads" / "plot_01_example.ipynb").write_text("{not json"),
        "downloads",
        "not JSON",
    ),
    (
        "gallery example offering no script",
        lambda r: _edit(
            r / "auto_gallery" / "plot_01_example.html",
            '<a class="reference download internal" download="" '
            'href="../_downloads/plot_01_example.py">Python source</a>',
            "",
        ),
        "downloads",
        "offers no .py download",
    ),
    (
        "search finds nothing",
        lambda r: _edit(r / "search.html", RESULTS, "<p>No results.</p>"),
        "search",
        "found 0 results",
    ),
]


def run_checker(name: str, root: Path, browser: Any, base: str) -> list[str]:
    """Run one checker by name on the whole fixture site."""
    if name == "links":
        return site_checks.check_links(root)
    if name == "alt":
        return site_checks.check_alt_texts(root)
    if name == "downloads":
        return site_checks.check_downloads(root)
    if name == "search":
        return site_checks.check_search(browser, base, "correlation")
    check = {
        "page": site_checks.check_page,
        "axe": site_checks.check_accessibility,
        "motion": site_checks.check_reduced_motion,
    }[name]
    return [p for rel in site_checks.html_pages(root) for p in check(browser, base, rel)]


CHECKERS = ["links", "alt", "downloads", "page", "axe", "motion", "search"]


@pytest.fixture
def fixture_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str]]:
    # A tiny local site answers at once: the waits that find nothing (no
    # MathJax, no search result) need not last the real site's 30 s.
    monkeypatch.setattr(site_checks, "TIMEOUT_MS", 8_000)
    mathjax = _mathjax()
    if mathjax is None:
        pytest.fail("no local MathJax: install sphinx-mathjax-offline or build the site")
    root = build_site(tmp_path / "site", mathjax)
    with site_checks.serve(root) as base:
        yield root, base


def test_fixture_site_has_the_expected_pages(fixture_site: tuple[Path, str]) -> None:
    root, _ = fixture_site
    assert site_checks.html_pages(root) == [
        "auto_gallery/plot_01_example.html",
        "index.html",
        "other.html",
        "search.html",
    ]
    assert site_checks.gallery_examples(root) == ["auto_gallery/plot_01_example.html"]


@pytest.mark.parametrize("checker", CHECKERS)
def test_sound_site_passes(checker: str, fixture_site: tuple[Path, str], browser: Any) -> None:
    root, base = fixture_site
    assert run_checker(checker, root, browser, base) == []


def test_sound_site_typesets_its_math(fixture_site: tuple[Path, str], browser: Any) -> None:
    _, base = fixture_site
    page, visit = site_checks.open_page(browser, base, "index.html")
    try:
        assert site_checks.page_problems(page, visit) == []
        assert page.locator("mjx-container").count() == 2
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("breakage", "checker", "words"),
    [pytest.param(b, c, w, id=name) for name, b, c, w in BREAKAGES],
)
def test_broken_site_fails(
    breakage: Callable[[Path], None],
    checker: str,
    words: str,
    fixture_site: tuple[Path, str],
    browser: Any,
) -> None:
    root, base = fixture_site
    breakage(root)
    problems = run_checker(checker, root, browser, base)
    assert problems, f"checker {checker!r} passed a broken site"
    assert any(words in p for p in problems), problems


def test_gif_frames_counts_frames() -> None:
    assert site_checks.gif_frames(_gif(["red", "green"])) == 2
    assert site_checks.gif_frames(_gif(["red"])) == 1
