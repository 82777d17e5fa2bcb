"""Dark mode in Chromium: figures switch to their dark rendering, undimmed, and back.

Needs ``docs/_build/html`` (``nox -s docs``) and Debian's Chromium; run with
``nox -s browser -- tests/browser/test_dark_mode.py``. The renderer draws every
figure in a dark palette too (the same palette indices, so the same digits);
``conv_explained._sphinx`` names the dark files in ``data-ce-dark*``
attributes, ``docs/_static/player.js`` shows them while
``html[data-theme="dark"]`` and ``docs/_static/conv_explained.css`` takes
pydata-sphinx-theme's dimming filter off them. Matplotlib figures, network
diagrams and the gallery's thumbnails come as two images, classed
``only-light`` and ``only-dark``, which the theme shows by its mode.
"""

from __future__ import annotations

import io
import re
import urllib.parse
from typing import Any

import numpy as np
import pytest
import site_checks
from PIL import Image
from site_checks import SITE

from conv_explained.render import _draw

PAGES = site_checks.html_pages(SITE) if SITE.is_dir() else []


def _pages_with(pattern: str) -> list[str]:
    return [p for p in PAGES if re.search(pattern, (SITE / p).read_text(encoding="utf-8"))]


PLAYERS = _pages_with(r"data-ce-poster-dark=")
STILLS = _pages_with(r'<div class="ce-picture ce-still"><img [^>]*data-ce-dark-src=')
#: A few pages: the landing animation, a MyST page, a gallery animation, gallery stills.
CHOSEN = sorted(
    {
        *[p for p in PLAYERS if p == "index.html"],
        *[p for p in PLAYERS if not p.startswith("auto_gallery/")][1:2],
        *[p for p in PLAYERS if p.startswith("auto_gallery/")][:1],
        *STILLS[:1],
    }
)

#: Every figure that has a dark rendering, as displayed.
_FIGURES = """
() => {
  const out = [];
  const style = (img) => { const s = getComputedStyle(img);
                           return {filter: s.filter, background: s.backgroundColor}; };
  for (const root of document.querySelectorAll(".ce-player[data-ce-poster-dark]")) {
    const img = root.querySelector("picture img");
    out.push({kind: "player", shown: img.currentSrc, src: img.getAttribute("src"),
              light: new URL(root.dataset.cePoster, document.baseURI).href,
              dark: new URL(root.dataset.cePosterDark, document.baseURI).href,
              klass: img.className, width: img.clientWidth, natural: img.naturalWidth,
              ...style(img)});
  }
  for (const img of document.querySelectorAll("img[data-ce-dark-src]")) {
    if (img.closest(".ce-player")) continue;
    const light = img.dataset.ceLightSrc || img.getAttribute("src");
    out.push({kind: img.closest("picture") ? "gif" : "still", shown: img.currentSrc,
              src: img.getAttribute("src"),
              light: new URL(light, document.baseURI).href,
              dark: new URL(img.dataset.ceDarkSrc, document.baseURI).href,
              klass: img.className, width: img.clientWidth, natural: img.naturalWidth,
              ...style(img)});
  }
  return out;
}
"""


def _open(
    browser: Any,
    url: str,
    *,
    mode: str | None,
    viewport: dict[str, int] | None = None,
    **options: Any,
) -> Any:
    """A page loaded with the theme's stored mode (None: the default, auto)."""
    context = browser.new_context(viewport=viewport or {"width": 1600, "height": 1000}, **options)
    if mode is not None:
        context.add_init_script(
            f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');"
        )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A failed load of a page's file (the browser's own favicon.ico request is no file of it).
    page.on(
        "response",
        lambda r: (
            errors.append(f"HTTP {r.status}: {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(url, wait_until="load", timeout=site_checks.TIMEOUT_MS)
    if options.get("java_script_enabled", True):
        page.evaluate(site_checks._LOAD_ALL_IMAGES, site_checks.TIMEOUT_MS)
    page.ce_errors = errors
    return page


def _theme(page: Any) -> str:
    return page.evaluate("() => document.documentElement.dataset.theme")


def _switch(page: Any, mode: str) -> None:
    """Pick ``mode`` in the theme's own colour-mode menu (pydata-sphinx-theme's dropdown)."""
    page.locator(".theme-switch-button:visible").first.click()
    page.locator(f".theme-change-button[data-mode='{mode}']:visible").first.click()
    page.wait_for_function(f"() => document.documentElement.dataset.theme === '{mode}'")


def _dark_problems(figures: list[dict[str, Any]]) -> list[str]:
    problems = []
    for fig in figures:
        name = fig["light"].rsplit("/", 1)[-1]
        if fig["shown"] != fig["dark"]:
            problems.append(f"{name}: dark mode shows {fig['shown']!r}, not {fig['dark']!r}")
        if fig["filter"] != "none":
            problems.append(f"{name}: dark rendering under a CSS filter {fig['filter']!r}")
        if fig["background"] not in ("rgba(0, 0, 0, 0)", "transparent"):
            problems.append(f"{name}: dark rendering on a plate {fig['background']!r}")
        if "ce-dark-shown" not in fig["klass"].split():
            problems.append(f"{name}: no ce-dark-shown class")
    return problems


def _light_problems(figures: list[dict[str, Any]]) -> list[str]:
    return [
        f"{f['light'].rsplit('/', 1)[-1]}: light mode shows {f['shown']!r}"
        for f in figures
        if f["shown"] != f["light"] or "ce-dark-shown" in f["klass"].split()
    ]


def test_the_site_has_figures_with_dark_renderings() -> None:
    # Stills alone (themed-image) are checked when the site has one: today every
    # renderer still on the site stands beside its animation (the reduced-motion
    # <source>); the MyST pages' plots and network diagrams are checked below.
    assert len(PLAYERS) >= 10, PLAYERS
    assert "index.html" in CHOSEN, CHOSEN
    assert len(CHOSEN) >= 3, CHOSEN


@pytest.mark.parametrize("rel", CHOSEN)
def test_dark_mode_shows_the_dark_files_unfiltered_and_switching_swaps_back(
    browser: Any, base_url: str, rel: str
) -> None:
    page = _open(browser, urllib.parse.urljoin(base_url, rel), mode="dark")
    try:
        assert _theme(page) == "dark"
        figures = page.evaluate(_FIGURES)
        assert figures
        site_checks.fail_on(_dark_problems(figures))
        _switch(page, "light")
        page.wait_for_function("() => !document.querySelector('img.ce-dark-shown')", timeout=5000)
        page.evaluate(site_checks._LOAD_ALL_IMAGES, site_checks.TIMEOUT_MS)
        site_checks.fail_on(_light_problems(page.evaluate(_FIGURES)))
        _switch(page, "dark")
        page.wait_for_function("() => !!document.querySelector('img.ce-dark-shown')")
        page.evaluate(site_checks._LOAD_ALL_IMAGES, site_checks.TIMEOUT_MS)
        site_checks.fail_on(_dark_problems(page.evaluate(_FIGURES)))
        assert not page.ce_errors, page.ce_errors
    finally:
        page.context.close()


def test_auto_mode_follows_a_dark_system_scheme(browser: Any, base_url: str) -> None:
    page = _open(browser, base_url + "index.html", mode=None, color_scheme="dark")
    try:
        assert page.evaluate("() => document.documentElement.dataset.mode") in ("auto", "")
        assert _theme(page) == "dark"
        site_checks.fail_on(_dark_problems(page.evaluate(_FIGURES)))
    finally:
        page.context.close()


def test_from_file_urls_too(browser: Any, file_base: str) -> None:
    page = _open(browser, file_base + "index.html", mode="dark")
    try:
        site_checks.fail_on(_dark_problems(page.evaluate(_FIGURES)))
    finally:
        page.context.close()


def test_without_javascript_the_light_gif_shows(browser: Any, base_url: str) -> None:
    page = _open(browser, base_url + CHOSEN[0], mode="dark", java_script_enabled=False)
    try:
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('picture img'),"
            " (img) => [img.getAttribute('src'), img.dataset.ceDarkSrc || ''])"
        )
        assert shown
        for src, dark in shown:
            assert src.endswith(".gif"), src
            assert src != dark, (src, dark)
    finally:
        page.context.close()


#: A gallery page whose figures are wide: on a phone they have a narrow still too.
NARROW_PAGE = "auto_gallery/08_dimensions/plot_01_signal_1d.html"

#: Per <picture>, the <source> the browser picks (the first whose media matches)
#: and what its <img> shows, its dark and its light file, for pictures with
#: dark-themed sources.
_PICKED_SOURCES = """
() => Array.from(document.querySelectorAll('picture'))
  .filter((p) => p.querySelector('source[data-ce-dark-srcset]'))
  .map((p) => {
    const s = Array.from(p.querySelectorAll('source'))
      .find((x) => !x.media || matchMedia(x.media).matches);
    return [p.querySelector('img').currentSrc,
            s && s.dataset.ceDarkSrcset
              ? new URL(s.dataset.ceDarkSrcset, document.baseURI).href : '',
            s ? new URL(s.dataset.ceLightSrcset || s.getAttribute('srcset'),
                        document.baseURI).href : ''];
  })
"""


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_reduced_motion_in_dark_mode_shows_the_dark_still(
    browser: Any, base_url: str, screen: str
) -> None:
    """Reduced motion in dark mode: every picture shows the dark still of its source.

    On a desktop that is the wide still; at 390 px a wide figure's source is the
    narrow one (reduced motion and a small screen), so its narrow dark still.
    """
    if screen == "desktop":
        rel = next(p for p in CHOSEN if p.startswith("auto_gallery/") and p in PLAYERS)
        viewport = None
    else:
        rel, viewport = NARROW_PAGE, {"width": 390, "height": 844}
    page = _open(browser, urllib.parse.urljoin(base_url, rel), mode="dark", viewport=viewport)
    try:
        page.emulate_media(reduced_motion="reduce")
        script = f"({_PICKED_SOURCES})()"
        page.wait_for_function(
            f"() => {script}.every(([shown, dark]) => dark && shown === dark)", timeout=10000
        )
        picked = page.evaluate(script)
        assert picked
        for shown, dark, light in picked:
            assert shown == dark, (shown, dark)
            assert ".dark." in dark, dark
            assert light != dark, (light, dark)
            assert (".narrow." in dark) == (screen == "phone"), dark
    finally:
        page.context.close()


# --------------------------------------------------------------------------
# The pixels: what the reader sees is the dark palette, digits at 4.5:1 or more
# --------------------------------------------------------------------------

_DARK = {tuple(_draw.DARK_PALETTE[3 * i : 3 * i + 3]): name for name, i in _draw.INDEX.items()}
#: What digits are drawn in (the light palette's dark inks, light here).
_INKS = {"text", "black", "grey"}
#: What digits are drawn on.
_FILLS = {"white", "light", "faint", "greenmid", "yellow", *_draw.TINT.values()}


def _digit_fill_contrast(rgb: np.ndarray) -> dict[tuple[str, str], float]:
    """Lowest contrast of each (ink, fill) colour pair that touch, side by side or stacked."""
    names = np.full(rgb.shape[:2], "", dtype=object)
    for colour, name in _DARK.items():
        names[(rgb == colour).all(axis=2)] = name
    found: dict[tuple[str, str], float] = {}
    for a, b in ((names[:, :-1], names[:, 1:]), (names[:-1, :], names[1:, :])):
        for ink, fill in set(zip(a.ravel().tolist(), b.ravel().tolist(), strict=True)) | set(
            zip(b.ravel().tolist(), a.ravel().tolist(), strict=True)
        ):
            if ink in _INKS and fill in _FILLS:
                c1 = _draw.DARK_PALETTE[3 * _draw.INDEX[ink] : 3 * _draw.INDEX[ink] + 3]
                c2 = _draw.DARK_PALETTE[3 * _draw.INDEX[fill] : 3 * _draw.INDEX[fill] + 3]
                found[ink, fill] = _draw.contrast_ratio(c1, c2)
    return found


def test_the_displayed_dark_figure_is_the_dark_palette_with_readable_digits(
    browser: Any, base_url: str
) -> None:
    """A screenshot of dark figures shown at their drawn size: palette pixels, digits >= 4.5:1."""
    checked = 0
    lowest = {}
    for rel in [*CHOSEN, *PLAYERS][:12]:
        if checked >= 3:
            break
        page = _open(browser, urllib.parse.urljoin(base_url, rel), mode="dark")
        try:
            for k, fig in enumerate(page.evaluate(_FIGURES)):
                if fig["width"] != fig["natural"] or fig["kind"] == "gif":
                    continue  # scaled (resampled) or moving: not pixel for pixel
                img = page.locator(f'img[src="{fig["src"]}"]').first
                # The theme's sticky header must not cover the figure in the screenshot.
                page.evaluate(
                    "() => document.querySelectorAll('.bd-header, .bd-header-article')"
                    ".forEach((el) => { el.style.position = 'static'; })"
                )
                img.scroll_into_view_if_needed()
                shot = Image.open(io.BytesIO(img.screenshot(animations="disabled")))
                rgb = np.asarray(shot.convert("RGB"))
                known = np.zeros(rgb.shape[:2], bool)
                for colour in _DARK:
                    known |= (rgb == colour).all(axis=2)
                assert known.mean() > 0.99, (
                    f"{rel} figure {k}: {1 - known.mean():.1%} of the pixels are not dark-palette "
                    "colours (a filter, or not the dark file)"
                )
                pairs = _digit_fill_contrast(rgb)
                assert ("text", "white") in pairs or ("text", "light") in pairs, pairs
                for pair, ratio in pairs.items():
                    lowest[pair] = min(ratio, lowest.get(pair, 99))
                checked += 1
        finally:
            page.context.close()
    assert checked >= 2, "no dark figure was shown at its drawn size"
    print(f"\ndark figures checked pixel by pixel: {checked}; lowest ink/fill contrast:")
    print({f"{a} on {b}": round(r, 2) for (a, b), r in sorted(lowest.items(), key=lambda x: x[1])})
    failing = {pair: r for pair, r in lowest.items() if r < 4.5}
    assert not failing, failing


# --------------------------------------------------------------------------
# Matplotlib figures and network diagrams: a light and a dark image each
# (conv_explained._themed_plot), shown by the theme's only-light / only-dark
# --------------------------------------------------------------------------

THEMED = _pages_with(r'<div class="ce-themed docutils container">')

#: Each themed figure: which of its two images is displayed, and how.
_THEMED = """
() => Array.from(document.querySelectorAll(".ce-themed"), (box) => {
  const img = (cls) => box.querySelector("img." + cls);
  const seen = (el) => !!el && getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
  const light = img("only-light"), dark = img("only-dark");
  const shown = seen(dark) ? dark : light;
  const s = getComputedStyle(shown);
  return {light: light && light.getAttribute("src"), dark: dark && dark.getAttribute("src"),
          lightShown: seen(light), darkShown: seen(dark), alt: [light.alt, dark.alt],
          loaded: shown.complete && shown.naturalWidth > 0, filter: s.filter,
          background: s.backgroundColor,
          caption: (box.closest("figure") || box).querySelector("figcaption")};
}).map((f) => ({...f, caption: f.caption ? getComputedStyle(f.caption).display : "no caption"}))
"""

#: Every image the article displays that is under a CSS filter.
_FILTERED = """
() => Array.from(document.querySelectorAll(".bd-article img"))
  .filter((img) => img.getClientRects().length > 0 && getComputedStyle(img).filter !== "none")
  .map((img) => [img.getAttribute("src"), !!img.closest(".sphx-glr-thumbcontainer")])
"""


def _themed_problems(figures: list[dict[str, Any]], theme: str) -> list[str]:
    other = "light" if theme == "dark" else "dark"
    problems = []
    for f in figures:
        name = f["light"]
        if not f[f"{theme}Shown"] or f[f"{other}Shown"]:
            problems.append(
                f"{name}: {theme} page shows light={f['lightShown']} dark={f['darkShown']}"
            )
        if not f["loaded"]:
            problems.append(f"{name}: the {theme} image did not load")
        if f["filter"] != "none":
            problems.append(f"{name}: under a CSS filter {f['filter']!r}")
        if theme == "dark" and f["background"] not in ("rgba(0, 0, 0, 0)", "transparent"):
            problems.append(f"{name}: dark rendering on a plate {f['background']!r}")
        if not all(f["alt"]) or f["alt"][0] != f["alt"][1]:
            problems.append(f"{name}: alt texts {f['alt']!r}")
        if f["caption"] == "none":
            problems.append(f"{name}: its caption is hidden")
        if f["light"] == f["dark"]:
            problems.append(f"{name}: the dark image is the light one")
    return problems


def test_the_pages_have_themed_figures() -> None:
    # Eleven matplotlib figures on eight pages and the two network diagrams.
    assert len(THEMED) >= 8, THEMED
    count = sum((SITE / p).read_text(encoding="utf-8").count('class="ce-themed ') for p in THEMED)
    assert count >= 13, count


@pytest.mark.parametrize("rel", THEMED)
def test_every_themed_figure_shows_the_themes_rendering_unfiltered(
    browser: Any, base_url: str, rel: str
) -> None:
    page = _open(browser, urllib.parse.urljoin(base_url, rel), mode="dark")
    try:
        figures = page.evaluate(_THEMED)
        assert figures
        site_checks.fail_on(_themed_problems(figures, "dark"))
        assert page.evaluate(_FILTERED) == [], "images under a CSS filter in dark mode"
        _switch(page, "light")
        page.evaluate(site_checks._LOAD_ALL_IMAGES, site_checks.TIMEOUT_MS)
        site_checks.fail_on(_themed_problems(page.evaluate(_THEMED), "light"))
        page.locator(".theme-switch-button:visible").first.click()
        page.locator(".theme-change-button[data-mode='auto']:visible").first.click()
        page.wait_for_function("() => document.documentElement.dataset.mode === 'auto'")
        assert _theme(page) == "light"  # the context's colour scheme is light
        site_checks.fail_on(_themed_problems(page.evaluate(_THEMED), "light"))
        assert not page.ce_errors, page.ce_errors
    finally:
        page.context.close()


def test_auto_mode_shows_the_dark_figures_under_a_dark_system_scheme(
    browser: Any, base_url: str
) -> None:
    page = _open(browser, base_url + THEMED[0], mode=None, color_scheme="dark")
    try:
        assert _theme(page) == "dark"
        site_checks.fail_on(_themed_problems(page.evaluate(_THEMED), "dark"))
    finally:
        page.context.close()


def test_in_print_the_light_figure_shows_in_dark_mode_too(browser: Any, base_url: str) -> None:
    page = _open(browser, base_url + THEMED[0], mode="dark")
    try:
        page.emulate_media(media="print")
        site_checks.fail_on(
            [p for p in _themed_problems(page.evaluate(_THEMED), "light") if "plate" not in p]
        )
    finally:
        page.context.close()


def test_no_figure_on_any_page_is_under_a_css_filter_in_dark_mode(
    browser: Any, base_url: str
) -> None:
    # Nothing an article displays is dimmed: the figures show their dark renderings
    # and sphinx-gallery's thumbnails (gallery indexes, the API pages' mini-galleries)
    # their dark crops.
    filtered, pages = {}, 0
    for rel in PAGES:
        if "<img" not in (SITE / rel).read_text(encoding="utf-8"):
            continue
        pages += 1
        page = _open(browser, urllib.parse.urljoin(base_url, rel), mode="dark")
        try:
            for src, thumb in page.evaluate(_FILTERED):
                filtered.setdefault(rel, []).append(f"{src} (thumbnail)" if thumb else src)
        finally:
            page.context.close()
    assert not filtered, f"images under a CSS filter in dark mode: {filtered}"
    print(f"\npages with images, none under a CSS filter in dark mode: {pages}")


# --------------------------------------------------------------------------
# Gallery thumbnails: the light crop and the same crop of the dark rendering
# (conv_explained._sphinx.ThemedThumbnails), shown by the theme's mode
# --------------------------------------------------------------------------

#: The gallery scripts' folder: the index and one index per topic folder in it.
ROOT_GALLERY = site_checks.ROOT / "gallery"
#: Pages with sphinx-gallery thumbnails: the gallery indexes and the API pages'
#: mini-galleries.
THUMBNAIL_PAGES = _pages_with(r'<div class="sphx-glr-thumbcontainer"')
GALLERY_INDEXES = [
    p for p in THUMBNAIL_PAGES if re.fullmatch(r"auto_gallery/(.+/)?index\.html", p)
]
#: The gallery's index: every example's thumbnail.
GALLERY = "auto_gallery/index.html"
#: Every gallery index, and one API page with a mini-gallery.
THUMBNAIL_CHOSEN = [*GALLERY_INDEXES, *[p for p in THUMBNAIL_PAGES if p.startswith("api/")][:1]]

#: Each thumbnail box: its images, which is displayed, and how.
_THUMBNAILS = """
() => Array.from(document.querySelectorAll(".sphx-glr-thumbcontainer"), (box) => {
  const seen = (el) => getComputedStyle(el).display !== "none" && el.getClientRects().length > 0;
  const title = box.querySelector(".sphx-glr-thumbnail-title");
  return {title: title ? title.textContent : "",
          images: Array.from(box.querySelectorAll("img"), (img) => {
            const s = getComputedStyle(img);
            return {src: img.getAttribute("src"), shownSrc: img.currentSrc,
                    classes: Array.from(img.classList), alt: img.alt, shown: seen(img),
                    loaded: img.complete && img.naturalWidth > 0,
                    size: [img.naturalWidth, img.naturalHeight],
                    filter: s.filter, background: s.backgroundColor};
          })};
})
"""


def _pair_problems(name: str, light: dict[str, Any], dark: dict[str, Any]) -> list[str]:
    """A thumbnail's two images: the light crop, its dark file, the same alt text and size."""
    problems = []
    if not light["src"].endswith("_thumb.png"):
        problems.append(f"{name}: the light image is {light['src']!r}")
    if dark["src"] != light["src"][: -len(".png")] + ".dark.png":
        problems.append(f"{name}: the dark image {dark['src']!r} is not the light one's")
    if not light["alt"] or light["alt"] != dark["alt"]:
        problems.append(f"{name}: alt texts {light['alt']!r} and {dark['alt']!r}")
    if light["size"] != dark["size"]:
        problems.append(f"{name}: light {light['size']} px, dark {dark['size']} px")
    return problems


def _thumbnail_problems(boxes: list[dict[str, Any]], theme: str) -> list[str]:
    """What is wrong with each thumbnail box for a page in ``theme`` ("light" or "dark")."""
    problems = []
    for box in boxes:
        name = box["title"] or "a thumbnail"
        images = box["images"]
        light = [i for i in images if "only-light" in i["classes"]]
        dark = [i for i in images if "only-dark" in i["classes"]]
        if len(images) != 2 or len(light) != 1 or len(dark) != 1:
            problems.append(f"{name}: not one only-light and one only-dark image: {images!r}")
            continue
        problems += _pair_problems(name, light[0], dark[0])
        want = dark[0] if theme == "dark" else light[0]
        shown = [i["src"] for i in images if i["shown"]]
        if shown != [want["src"]]:
            problems.append(f"{name}: a {theme} page shows {shown!r}, not {want['src']!r}")
        elif not want["loaded"]:
            problems.append(f"{name}: {want['src']!r} did not load")
        elif want["filter"] != "none":
            problems.append(f"{name}: the {theme} thumbnail under a CSS filter {want['filter']!r}")
        elif theme == "dark" and want["background"] not in ("rgba(0, 0, 0, 0)", "transparent"):
            problems.append(f"{name}: the dark thumbnail on a plate {want['background']!r}")
    return problems


def test_the_site_has_thumbnail_pages() -> None:
    # The gallery's index and one per topic folder; one API page's mini-gallery.
    topics = list(ROOT_GALLERY.glob("*/GALLERY_HEADER.rst"))
    assert GALLERY in GALLERY_INDEXES, GALLERY_INDEXES
    assert len(GALLERY_INDEXES) == 1 + len(topics), (GALLERY_INDEXES, topics)
    assert len(THUMBNAIL_CHOSEN) == len(GALLERY_INDEXES) + 1, THUMBNAIL_CHOSEN
    # The gallery's index shows every example's thumbnail.
    shown = (SITE / GALLERY).read_text(encoding="utf-8").count('class="sphx-glr-thumbcontainer"')
    assert shown == len(list(ROOT_GALLERY.glob("*/plot_*.py"))), shown


@pytest.mark.parametrize("rel", THUMBNAIL_CHOSEN)
def test_every_gallery_thumbnail_shows_the_themes_crop_unfiltered(
    browser: Any, base_url: str, rel: str
) -> None:
    page = _open(browser, urllib.parse.urljoin(base_url, rel), mode="dark")
    try:
        assert _theme(page) == "dark"
        boxes = page.evaluate(_THUMBNAILS)
        assert boxes, f"{rel}: no thumbnails"
        site_checks.fail_on(_thumbnail_problems(boxes, "dark"))
        _switch(page, "light")
        page.evaluate(site_checks._LOAD_ALL_IMAGES, site_checks.TIMEOUT_MS)
        site_checks.fail_on(_thumbnail_problems(page.evaluate(_THUMBNAILS), "light"))
        _switch(page, "dark")
        site_checks.fail_on(_thumbnail_problems(page.evaluate(_THUMBNAILS), "dark"))
        assert not page.ce_errors, page.ce_errors
    finally:
        page.context.close()


def test_auto_mode_shows_the_dark_thumbnails_under_a_dark_system_scheme(
    browser: Any, base_url: str
) -> None:
    for scheme in ("dark", "light"):
        page = _open(browser, base_url + GALLERY, mode=None, color_scheme=scheme)
        try:
            assert _theme(page) == scheme
            site_checks.fail_on(_thumbnail_problems(page.evaluate(_THUMBNAILS), scheme))
        finally:
            page.context.close()


def test_in_print_the_light_thumbnail_shows_in_dark_mode_too(browser: Any, base_url: str) -> None:
    page = _open(browser, base_url + GALLERY, mode="dark")
    try:
        page.emulate_media(media="print")
        site_checks.fail_on(
            [
                p
                for p in _thumbnail_problems(page.evaluate(_THUMBNAILS), "light")
                if "plate" not in p
            ]
        )
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_without_javascript_each_pair_shows_its_light_image_alone(
    browser: Any, base_url: str, scheme: str
) -> None:
    # The page is written with data-theme="auto", which none of the theme's
    # only-light / only-dark rules match: without JavaScript (and before the
    # theme's script runs) conv_explained.css shows the light image alone,
    # as it shows the light GIFs, whatever the system's scheme.
    for rel, probe, problems in (
        (THEMED[0], _THEMED, _themed_problems),
        (GALLERY, _THUMBNAILS, _thumbnail_problems),
    ):
        page = _open(
            browser, base_url + rel, mode=None, color_scheme=scheme, java_script_enabled=False
        )
        try:
            assert _theme(page) == "auto"
            found = [p for p in problems(page.evaluate(probe), "light") if "did not load" not in p]
            site_checks.fail_on(found)
        finally:
            page.context.close()
