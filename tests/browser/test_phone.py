"""Figures on a phone (issue 17): legible digits, sideways scrolling, full size with a tap.

On the built site, in Chromium at 390x844 CSS px (a phone), on every page and
lesson:

* no figure is shown below 0.6 of its drawn size (an animation's drawn size is
  its frame size, a still's its image width); a figure wider than that scrolls
  sideways in its own box, and the page itself never scrolls sideways (on a
  desktop, only the renderer's numbered figures keep the limit: a wide plot
  fits its column);
* every figure's image is a link to a file of the site (a tap opens it full
  size);
* the digits of the renderer's figures are measured: the renderer draws cell
  values in DejaVu Sans at ``VALUE_SIZE`` px, so a digit's displayed height is
  the font's digit height times the figure's displayed scale. The smallest is
  printed (``-s``) and must reach the 0.6 limit's height.

docs/_static/figure_fit.js does the work; without it a wide figure shrank to
0.27-0.33 of its size, about 3 px digits.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import site_checks
from test_evidence import PAGES

from conv_explained.render import _draw
from conv_explained.render._stacked import NARROW_PX

SITE = site_checks.SITE
PHONE = {"width": 390, "height": 844}
MIN_SCALE = 0.6

_MEASURE = """
() => {
  const article = document.querySelector("article.bd-article") || document.body;
  const skip = ".sphx-glr-thumbcontainer, .sphx-glr-thumbnails, nav, header, footer";
  const figures = [];
  for (const img of article.querySelectorAll("img")) {
    if (img.closest(skip)) continue;
    const box = img.getBoundingClientRect();
    if (!box.width || getComputedStyle(img).display === "none") continue;
    const player = img.closest(".ce-player");
    const drawn = player ? Number(player.dataset.ceSize.split(" ")[0]) : img.naturalWidth;
    const link = img.closest("a");
    figures.push({
      src: img.getAttribute("src"),
      alt: (img.getAttribute("alt") || "").slice(0, 60),
      shown: box.width,
      drawn,
      renderer: !!img.closest(".ce-picture"),
      href: link ? link.getAttribute("href") : null,
      scrolls: !!img.closest(".ce-scroll"),
    });
  }
  return {
    figures,
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  };
}
"""


def _digit_height_px() -> float:
    """Height in drawn pixels of the renderer's digits (DejaVu Sans at VALUE_SIZE)."""
    font = _draw.font(_draw.VALUE_SIZE)
    return max(font.getbbox(d)[3] - font.getbbox(d)[1] for d in "0123456789")


def _measure(browser: Any, base: str, rel: str, viewport: dict[str, int]) -> dict[str, Any]:
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(base + rel, wait_until="load", timeout=site_checks.TIMEOUT_MS)
        page.evaluate(site_checks._LOAD_ALL_IMAGES, site_checks.TIMEOUT_MS)
        page.wait_for_timeout(50)  # the load handlers of the last images
        result: dict[str, Any] = page.evaluate(_MEASURE)
        return result
    finally:
        context.close()


def _target(rel: str, href: str) -> Path:
    path = urllib.parse.unquote(urllib.parse.urlsplit(href).path)
    return (SITE / rel).parent.joinpath(path).resolve()


SMALLEST: list[tuple[float, str, str]] = []
#: The renderer's figures that scroll sideways at 390 px: (page, image, drawn width).
SCROLLING: list[tuple[str, str, int]] = []

#: The pages whose numbered figures still scroll sideways on a phone (at 0.6 of
#: their size, in their own box), and why: the tensor view paints its own
#: frames (a 3-D drawing of each tensor), so the renderer has no stacked
#: layout for it; its frames are 610-615 px, just over the 600 px that a
#: 360 px column shows at 0.6. The depthwise-separable comparison's narrow
#: rendering stacks its two tensor-view parts (1241 -> 615 px), each still
#: 615 px wide.
TENSOR_VIEW_SCROLLS = {
    "auto_gallery/06_blocks/plot_04_tensor_depthwise.html": "tensor view, 610 px",
    "auto_gallery/06_blocks/plot_06_tensor_depthwise_separable.html": (
        "two tensor views stacked, 615 px"
    ),
}


@pytest.mark.parametrize("rel", PAGES)
def test_phone_figures_are_legible_and_open_full_size(
    browser: Any, base_url: str, rel: str
) -> None:
    found = _measure(browser, base_url, rel, PHONE)
    assert found["pageWidth"] <= found["viewport"] + 1, (
        f"{rel}: the page scrolls sideways at 390 px ({found['pageWidth']} px wide)"
    )
    problems = []
    digit = _digit_height_px()
    for fig in found["figures"]:
        scale = fig["shown"] / fig["drawn"] if fig["drawn"] else 1.0
        if scale < MIN_SCALE - 0.01:
            problems.append(f"{fig['src']} shown at {scale:.2f} of its drawn size ({fig['alt']})")
        if not fig["href"]:
            problems.append(f"{fig['src']} is not a link to its full size ({fig['alt']})")
        elif not _target(rel, fig["href"]).is_file():
            problems.append(f"{fig['src']}: its full-size link {fig['href']!r} names no file")
        if fig["renderer"]:
            SMALLEST.append((digit * min(scale, 1.0), rel, fig["src"]))
            if fig["scrolls"]:
                SCROLLING.append((rel, fig["src"], fig["drawn"]))
    assert not problems, f"{rel} at 390 px:\n" + "\n".join(problems)


def test_the_smallest_phone_digit_reaches_the_limit() -> None:
    if not SMALLEST:
        pytest.skip("run with the page tests above (no renderer figure measured)")
    height, rel, src = min(SMALLEST)
    print(f"smallest renderer digit at 390 px: {height:.1f} CSS px ({rel}, {src})")
    assert height >= MIN_SCALE * _digit_height_px() - 0.2


def test_only_the_named_tensor_views_scroll_on_a_phone() -> None:
    """Every other numbered figure fits a 390 px screen at 0.6 or more without scrolling."""
    if not SMALLEST:
        pytest.skip("run with the page tests above (no renderer figure measured)")
    print("scrolling at 390 px:", SCROLLING)
    unexpected = [f for f in SCROLLING if f[0] not in TENSOR_VIEW_SCROLLS]
    assert not unexpected, unexpected


@pytest.mark.parametrize(
    "rel", ["padding_stride_dilation.html", "correlation_or_convolution.html"]
)
def test_desktop_figures_fit_without_scrolling(browser: Any, base_url: str, rel: str) -> None:
    found = _measure(browser, base_url, rel, {"width": 1366, "height": 900})
    assert found["pageWidth"] <= found["viewport"] + 1
    assert [f["src"] for f in found["figures"] if f["scrolls"] and not f["renderer"]] == []
    numbered = [f for f in found["figures"] if f["renderer"]]
    assert numbered, f"{rel}: no renderer figure measured"
    assert all(f["shown"] >= MIN_SCALE * f["drawn"] - 1 for f in numbered)


_NARROW = """
() => Array.from(document.querySelectorAll(".ce-player[data-ce-narrow-size]")).map((root) => {
  const shown = root.querySelector("canvas.ce-canvas:not([hidden])") ||
    root.querySelector("picture img");
  return {
    layout: root.dataset.ceLayout,
    size: root.dataset.ceSize,
    narrow: root.dataset.ceNarrowSize,
    wide: root.dataset.ceWideSize,
    poster: root.querySelector("picture img").getAttribute("src"),
    narrowPosters: [root.dataset.ceNarrowPoster, root.dataset.ceNarrowPosterDark],
    shown: shown.getBoundingClientRect().width,
    scrolls: !!root.querySelector(".ce-scroll"),
    alt: (root.querySelector("picture img").getAttribute("alt") || "").slice(0, 60),
  };
})
"""

NARROW_PAGES = [
    "index.html",
    "correlation_or_convolution.html",
    "padding_stride_dilation.html",
    "auto_gallery/01_correlation/plot_01_correlation_vs_convolution.html",
    "auto_gallery/06_blocks/plot_06_tensor_depthwise_separable.html",
    "auto_gallery/08_dimensions/plot_01_signal_1d.html",
    "auto_gallery/08_dimensions/plot_02_volume_3d.html",
    "auto_gallery/03_transposed/plot_09_checkerboard.html",
]


@pytest.mark.parametrize("rel", NARROW_PAGES)
def test_wide_figures_show_their_narrow_rendering_on_a_phone(
    browser: Any, base_url: str, rel: str
) -> None:
    """At 390 px a wide figure's stacked rendering is shown, at 0.6 or more, without scrolling.

    (Except the tensor views in ``TENSOR_VIEW_SCROLLS``, which scroll at 0.6.)

    And at a desktop width the same page shows the wide one; crossing 768 px
    (a rotation) switches it.
    """
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(base_url + rel, wait_until="load", timeout=site_checks.TIMEOUT_MS)
        page.evaluate(site_checks._LOAD_ALL_IMAGES, site_checks.TIMEOUT_MS)
        found = page.evaluate(_NARROW)
        assert found, f"{rel}: no figure with a narrow rendering"
        digit = _digit_height_px()
        for fig in found:
            assert fig["layout"] == "narrow", fig
            assert fig["size"] == fig["narrow"], fig
            assert fig["poster"] in fig["narrowPosters"], fig
            drawn = int(fig["narrow"].split()[0])
            scale = fig["shown"] / drawn
            print(
                f"{rel}: {fig['wide']} -> {fig['narrow']}, shown at {scale:.2f}, "
                f"digits {digit * min(scale, 1):.1f} px"
            )
            assert scale >= MIN_SCALE - 0.01, fig
            # A narrow rendering scrolls only where a tensor view is too wide (named above).
            assert fig["scrolls"] == (rel in TENSOR_VIEW_SCROLLS and drawn > NARROW_PX), fig
        page.set_viewport_size({"width": 1366, "height": 900})
        page.wait_for_timeout(100)
        for fig in page.evaluate(_NARROW):
            assert fig["layout"] == "wide", fig
            assert fig["size"] == fig["wide"], fig
            assert fig["poster"] not in fig["narrowPosters"], fig
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(100)
        assert all(f["layout"] == "narrow" for f in page.evaluate(_NARROW))
    finally:
        context.close()


def test_without_javascript_a_phone_gets_the_narrow_gif(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        rel = "auto_gallery/08_dimensions/plot_01_signal_1d.html"
        page.goto(base_url + rel, wait_until="load", timeout=site_checks.TIMEOUT_MS)
        current = page.evaluate(
            "() => Array.from(document.querySelectorAll('.ce-player picture img'))"
            ".map((img) => img.currentSrc)"
        )
        assert current, rel
        assert all(src.endswith(".narrow.gif") for src in current), current
    finally:
        context.close()
