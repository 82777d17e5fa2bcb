"""The explorer page's layout: first screen, keyboard route to Play, target size, phone, preset.

Measured in Chromium at a desktop size (1366x900) and a phone size (390x844),
opened from ``file://`` as a reader opening the built site from disk:

* the widget starts within the first screen, the explanations after it;
* Tab, pressed from page load with real keyboard events, reaches the skip
  link that moves the focus to Play within a few presses;
* every control of the widget is at least 24 by 24 CSS px (WCAG 2.5.8);
* on a phone no control runs past the viewport, and the page does not scroll
  sideways;
* the preset select names the preset that is loaded, on load and after a
  change, and goes to its "custom values" state once the reader edits a value.

Needs the built site (``nox -s docs``) and Debian's Chromium; run by ``nox -s browser``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import explorer_checks as ec
import pytest

PAGE = "explorer.html"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Fewest CSS px a control may measure across (WCAG 2.2, 2.5.8 Target Size, Minimum).
TARGET = 24
#: Most Tab presses from page load to Play (the skip link then Enter).
MAX_TABS = 5

#: The widget's controls: everything a reader can click, type into or focus.
CONTROLS = "input, select, button, summary, a[href], [contenteditable=true], [tabindex]"

#: The visible controls of every explorer on the page: a name, the box (x, y, width,
#: height, right edge) and whether it sits in a grid's own scrolling box.
MEASURE = """
(selector) => {
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const name = (e) => e.tagName.toLowerCase() + (e.name ? `[name=${e.name}]` : '') +
    (e.type && e.tagName === 'INPUT' ? `[type=${e.type}]` : '') +
    (e.dataset.r !== undefined ? `(${e.closest('table').dataset.grid} ${e.dataset.r},${e.dataset.c})` : '');
  const out = [];
  for (const root of document.querySelectorAll('.conv-explorer')) {
    for (const e of root.querySelectorAll(selector)) {
      if (!shown(e)) continue;
      const b = e.getBoundingClientRect();
      out.push({name: name(e), x: b.x, y: b.y, width: b.width, height: b.height, right: b.right,
        inScroller: !!e.closest('.cx-grid')});
    }
  }
  return out;
}
"""


@pytest.fixture
def open_at(browser: Any, file_base: str) -> Iterator[Any]:
    """``open_at(rel, size)``: the page loaded from ``file://`` at ``size``, its explorer drawn."""
    contexts: list[Any] = []
    errors: list[str] = []

    def load(rel: str, size: dict[str, int]) -> Any:
        phone = size["width"] < 600
        context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(file_base + rel, wait_until="load")
        page.wait_for_selector(".conv-explorer form")
        return page

    yield load
    for context in contexts:
        context.close()
    assert not errors, errors


# --------------------------------------------------------------------------
# The first screen
# --------------------------------------------------------------------------


def test_the_widget_starts_in_the_first_screen_with_the_explanations_after_it(
    open_at: Any,
) -> None:
    page = open_at(PAGE, DESKTOP)
    top, play, prose, height = page.evaluate(
        """() => {
          const root = document.querySelector('.conv-explorer');
          const after = document.querySelector('#using-the-explorer');
          return [root.getBoundingClientRect().top + scrollY,
            root.querySelector('[name=play]').getBoundingClientRect().top + scrollY,
            after ? after.getBoundingClientRect().top + scrollY : null, innerHeight];
        }"""
    )
    print(f"\nexplorer at 1366x900: widget top y = {top:.0f}, Play y = {play:.0f}")
    assert top < height, f"the widget starts at y = {top:.0f}, below the first {height} px"
    assert prose is not None, "the page has no 'Using the explorer' section"
    assert prose > top, "the explanations come before the widget"


# --------------------------------------------------------------------------
# The keyboard route to Play
# --------------------------------------------------------------------------


def _focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const e = document.activeElement, b = e.getBoundingClientRect();
          return {name: e.getAttribute('name'), skip: e.classList.contains('cx-skip'),
            text: e.textContent.trim().slice(0, 60), top: b.top, bottom: b.bottom,
            left: b.left, right: b.right, width: b.width, height: b.height}; }"""
    )


def test_tab_from_page_load_reaches_play_within_a_few_presses(open_at: Any) -> None:
    page = open_at(PAGE, DESKTOP)
    tabs, skip = 0, None
    while tabs < 100:
        page.keyboard.press("Tab")
        tabs += 1
        focused = _focused(page)
        if focused["skip"]:
            skip = focused
            break
        assert focused["name"] != "play", "Play reached without the skip link"
    assert skip is not None, "no skip link to Play in the first 100 Tab stops"
    print(f"\nTab presses from page load to the skip link: {tabs}, then Enter is on Play")
    assert tabs <= MAX_TABS, f"{tabs} Tab presses to reach the skip link to Play"
    # Focused, it is shown on the first screen, large enough to hit.
    assert skip["top"] >= 0, skip
    assert skip["bottom"] <= DESKTOP["height"], skip
    assert skip["width"] >= TARGET, skip
    assert skip["height"] >= TARGET, skip
    page.keyboard.press("Enter")
    focused = _focused(page)
    assert focused["name"] == "play", focused
    assert focused["top"] >= 0, focused
    assert focused["bottom"] <= DESKTOP["height"], focused
    # And Play works from the keyboard: Space starts the steps, Space again pauses.
    page.keyboard.press("Space")
    assert page.locator("button[name=play]").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert page.locator("button[name=play]").get_attribute("aria-pressed") == "false"
    # The next Tab goes on in the widget's own order, from Play.
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "step"


def test_tab_without_the_skip_link_goes_through_the_page_in_order(open_at: Any) -> None:
    """The skip link is an extra first stop: the theme's header and the widget keep their order."""
    page = open_at(PAGE, DESKTOP)
    page.keyboard.press("Tab")
    assert _focused(page)["skip"]
    page.keyboard.press("Tab")
    assert "main content" in _focused(page)["text"].lower()  # the theme's own skip link
    names = []
    for _ in range(200):
        page.keyboard.press("Tab")
        names.append(_focused(page)["name"])
        if names[-1] == "play":
            break
    print(f"\nTab presses from page load to Play without the skip link: {len(names) + 2}")
    assert "play" in names
    assert names.index("mode") < names.index("preset") < names.index("play")


# --------------------------------------------------------------------------
# Target size and the phone
# --------------------------------------------------------------------------

#: The explorer page (a convolution; pooling shows the check boxes) and a page embedding it.
STATES = [PAGE, PAGE + "?mode=avg-pool&padding=1", "pooling.html"]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("rel", STATES)
def test_every_control_is_at_least_24_px_each_way(
    open_at: Any, rel: str, size: dict[str, int]
) -> None:
    page = open_at(rel, size)
    controls = page.evaluate(MEASURE, CONTROLS)
    kinds = {c["name"].split("[")[0].split("(")[0] for c in controls}
    assert {"select", "input", "button", "summary", "td"} <= kinds, kinds
    small = [c for c in controls if c["width"] < TARGET or c["height"] < TARGET]
    smallest = min(controls, key=lambda c: min(c["width"], c["height"]))
    print(
        f"\n{rel} at {size['width']}x{size['height']}: {len(controls)} controls, smallest "
        f"{smallest['name']} {smallest['width']:.1f}x{smallest['height']:.1f}"
    )
    assert not small, [(c["name"], round(c["width"], 1), round(c["height"], 1)) for c in small]


@pytest.mark.parametrize("rel", STATES)
def test_the_controls_fit_on_a_phone(open_at: Any, rel: str) -> None:
    page = open_at(rel, PHONE)
    controls = page.evaluate(MEASURE, CONTROLS)
    # Grid cells may scroll inside their own box; every other control is on the page.
    outside = [
        (c["name"], round(c["x"], 1), round(c["right"], 1))
        for c in controls
        if not c["inScroller"] and (c["x"] < 0 or c["right"] > PHONE["width"])
    ]
    assert not outside, outside
    form, scroll, client = page.evaluate(
        """() => [document.querySelector('.conv-explorer form').getBoundingClientRect().right,
          document.documentElement.scrollWidth, document.documentElement.clientWidth]"""
    )
    assert form <= PHONE["width"], f"the form ends at x = {form:.1f}"
    assert scroll <= client, f"the page scrolls sideways: {scroll} px wide in {client}"
    # A grid that scrolls does so in its own box, never past the widget.
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.conv-explorer .cx-grid')).map(
          (f) => f.getBoundingClientRect().right)"""
    )
    assert all(right <= PHONE["width"] for right in boxes), boxes


# --------------------------------------------------------------------------
# The preset control
# --------------------------------------------------------------------------


def _preset(page: Any) -> tuple[str, str]:
    select = page.locator(".conv-explorer select[name=preset]")
    return select.input_value(), select.evaluate("(s) => s.selectedOptions[0].textContent")


def _titles(page: Any) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(Object.entries(JSON.parse(document.querySelector(
          'script[data-conv-explorer-presets]').textContent)).map(([k, v]) => [k, v.title]))"""
    )


def test_the_preset_select_names_the_preset_loaded_by_the_page(open_at: Any) -> None:
    page = open_at(PAGE, DESKTOP)
    assert _preset(page) == ("mxnet", _titles(page)["mxnet"])
    assert ec.read(page)["output"][0] == ["60", "56", "52"]


@pytest.mark.parametrize("name", ["sobel", "no_padding_no_strides", "max_pool"])
def test_the_preset_select_names_a_preset_given_in_the_address(open_at: Any, name: str) -> None:
    page = open_at(PAGE + "?preset=" + name, DESKTOP)
    assert _preset(page) == (name, _titles(page)[name])


def test_the_preset_select_follows_a_preset_change_and_an_edit(open_at: Any) -> None:
    page = open_at(PAGE, DESKTOP)
    titles = _titles(page)
    page.locator(".conv-explorer select[name=preset]").select_option("sobel")
    assert _preset(page) == ("sobel", titles["sobel"])
    sobel = ec.read(page)["output"]
    # The address the change wrote holds the values, and reads back as the same preset.
    page.reload()
    page.wait_for_selector(".conv-explorer table[data-grid='output']")
    assert _preset(page) == ("sobel", titles["sobel"])
    assert ec.read(page)["output"] == sobel
    # The reader types a value: the state is no longer the preset.
    cell = page.locator("table[data-grid='input'] td[data-i='0'][data-j='0']")
    before = cell.text_content()
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(int(before) + 5))
    page.keyboard.press("Enter")
    assert _preset(page) == ("", "(custom values)")
    # Back to the preset by the menu; then a form control changes the state.
    page.locator(".conv-explorer select[name=preset]").select_option("mxnet")
    assert _preset(page) == ("mxnet", titles["mxnet"])
    page.locator(".conv-explorer input[name=stride0]").fill("2")
    page.locator(".conv-explorer input[name=stride0]").dispatch_event("change")
    assert _preset(page) == ("", "(custom values)")
    assert "stride=2x1" in page.evaluate("location.search")


def test_the_preset_select_shows_custom_values_for_a_state_of_the_readers_own(
    open_at: Any,
) -> None:
    page = open_at(PAGE + "?mode=convolve&input=4&seed=3", DESKTOP)
    assert _preset(page) == ("", "(custom values)")
