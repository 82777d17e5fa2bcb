"""The animation player in Chromium: every animation has one, keyboard only, from file:// too.

Needs ``docs/_build/html`` (``nox -s docs``) and Debian's Chromium; run with
``nox -s browser -- tests/browser/test_player.py``. The markup comes from
``conv_explained._sphinx`` (``player_html``), the behaviour from
``docs/_static/player.js``.
"""

from __future__ import annotations

import base64
import io
import re
import urllib.parse
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import site_checks
from PIL import Image
from site_checks import SITE

PAGES = site_checks.html_pages(SITE) if SITE.is_dir() else []
#: Pages with an animated GIF in a <picture>.
ANIMATED = [
    p for p in PAGES if re.search(r"<picture>.*?\.gif", (SITE / p).read_text(encoding="utf-8"))
]
#: Longest time (s) an animation may move before the reader has a control (WCAG 2.2.2).
LIMIT_S = 5.0


def _gif_durations(path: Path) -> list[int]:
    with Image.open(path) as im:
        out = []
        for k in range(getattr(im, "n_frames", 1)):
            im.seek(k)
            out.append(int(im.info.get("duration", 0)))
        return out


def _gif_frame(path: Path, k: int) -> np.ndarray:
    with Image.open(path) as im:
        im.seek(k)
        return np.asarray(im.convert("RGB"))


_STATE = """
() => Array.from(document.querySelectorAll("picture img")).map((img) => {
  const player = img.closest(".ce-player");
  const box = (el) => el ? el.getBoundingClientRect() : null;
  const buttons = player ? Array.from(player.querySelectorAll(".ce-player-bar button")) : [];
  return {
    // the GIF of the markup (the player swaps the <img> to its poster)
    src: player && player.dataset.ceGif ? player.dataset.ceGif : img.getAttribute("src"),
    currentSrc: img.currentSrc,
    player: !!player,
    playing: player ? player.dataset.cePlaying : null,
    buttons: buttons.map((b) => ({
      label: b.getAttribute("aria-label"),
      tag: b.tagName,
      width: b.getBoundingClientRect().width,
      height: b.getBoundingClientRect().height,
    })),
    speed: player ? !!player.querySelector("select.ce-speed") : false,
    counter: player ? (player.querySelector(".ce-counter") || {}).textContent : null,
    live: player ? (player.querySelector(".ce-live") || {}).textContent : null,
    liveMode: player ? (player.querySelector(".ce-live") || {getAttribute: () => null})
      .getAttribute("aria-live") : null,
    steps: player ? Array.from(player.querySelectorAll(".ce-steps li"), (li) => li.textContent) : [],
    stepsOpen: player ? player.querySelector(".ce-steps").open : null,
    printSource: !!img.parentElement.querySelector('source[media="print"]'),
  };
})
"""


def _site_path(page_rel: str, src: str) -> Path:
    return (SITE / page_rel).parent.joinpath(urllib.parse.unquote(src)).resolve()


def test_site_has_animations() -> None:
    assert len(ANIMATED) >= 10, ANIMATED


@pytest.mark.parametrize("rel", ANIMATED)
def test_every_animation_has_a_paused_player_and_its_step_list(
    browser: Any, base_url: str, rel: str
) -> None:
    """Buttons, counter, speed, live caption, one step per GIF frame, paused on the last one."""
    page, visit = site_checks.open_page(browser, base_url, rel)
    try:
        problems = visit.problems()
        players = [s for s in page.evaluate(_STATE) if s["src"].endswith(".gif")]
        markup = (SITE / rel).read_text(encoding="utf-8")
        assert len(players) == len(re.findall(r"<picture>.*?\.gif", markup)) > 0
        longest = 0.0
        for state in players:
            durations = _gif_durations(_site_path(rel, state["src"]))
            if not state["player"]:
                longest = max(longest, sum(durations) / 1000)
            problems += _player_problems(state, durations)
        if longest > LIMIT_S:
            problems.append(f"an animation loops {longest:.1f} s without a control")
        site_checks.fail_on(problems)
    finally:
        page.context.close()


def _control_problems(name: str, state: dict[str, Any]) -> list[str]:
    """The buttons and the speed control: there, labelled, 24 px or more."""
    problems = []
    labels = [b["label"] for b in state["buttons"]]
    if labels != ["Step back one frame", "Play", "Step forward one frame"]:
        problems.append(f"{name}: buttons {labels}")
    small = [b for b in state["buttons"] if min(b["width"], b["height"]) < 24]
    if small:
        problems.append(f"{name}: targets under 24 px: {small}")
    if not state["speed"]:
        problems.append(f"{name}: no speed control")
    return problems


def _player_problems(state: dict[str, Any], durations: list[int]) -> list[str]:
    """What one animation's player lacks (``state`` from ``_STATE``)."""
    name = state["src"].rsplit("/", 1)[-1]
    if not state["player"]:
        return [f"{name}: no player"]
    problems = _control_problems(name, state)
    n = len(durations)
    if state["counter"] != f"Frame {n} of {n}":
        problems.append(f"{name}: counter {state['counter']!r}, expected frame {n} of {n}")
    if len(state["steps"]) != n:
        problems.append(f"{name}: {len(state['steps'])} steps for {n} GIF frames")
    if state["stepsOpen"]:
        problems.append(f"{name}: the step list is not collapsed")
    if state["liveMode"] != "polite" or state["live"] != (state["steps"] or [""])[-1]:
        problems.append(f"{name}: live caption {state['live']!r} ({state['liveMode']})")
    if state["currentSrc"].endswith(".gif"):
        problems.append(f"{name}: plays on its own ({sum(durations) / 1000:.1f} s)")
    if not state["printSource"]:
        problems.append(f"{name}: no print strip")
    return problems


def _tab_to(page: Any, selector: str, limit: int = 80) -> int:
    target = page.locator(selector).first
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            return presses
    raise AssertionError(f"Tab never reached {selector} in {limit} presses")


def _frame(page: Any) -> int:
    return int(page.locator(".ce-player").first.get_attribute("data-ce-frame"))


def test_keyboard_only_plays_pauses_and_steps_with_visible_focus(
    browser: Any, base_url: str
) -> None:
    page, visit = site_checks.open_page(browser, base_url, "index.html")
    try:
        presses = _tab_to(page, ".ce-player .ce-play")
        print(f"\nTab presses from the top of the landing page to the first Play: {presses}")
        play = page.locator(".ce-player .ce-play").first
        outline = play.evaluate(
            "(el) => { const s = getComputedStyle(el);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert outline[0] != "none", f"focus not visible: {outline}"
        assert outline[1] >= 2, f"focus outline too thin: {outline}"
        player = page.locator(".ce-player").first
        page.keyboard.press("Space")
        assert player.get_attribute("data-ce-playing") == "true"
        assert play.get_attribute("aria-label") == "Pause"
        page.keyboard.press("Enter")
        assert player.get_attribute("data-ce-playing") == "false"
        steps = player.locator(".ce-steps li").evaluate_all(
            "(items) => items.map((li) => li.textContent)"
        )
        frame = _frame(page)
        page.keyboard.press("ArrowRight")
        assert _frame(page) == (frame + 1) % len(steps)
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert _frame(page) == (frame - 1) % len(steps)
        assert player.locator(".ce-live").inner_text() == steps[_frame(page)]
        page.keyboard.press("Home")
        assert _frame(page) == 0
        assert player.locator(".ce-counter").inner_text() == f"Frame 1 of {len(steps)}"
        site_checks.fail_on(visit.problems())
    finally:
        page.context.close()


def test_live_caption_is_the_renderers_caption_and_the_canvas_its_frame(
    browser: Any, base_url: str
) -> None:
    """Stepping through the landing animation: the text and pixels of every frame."""
    from conv_explained import render

    image = np.array(
        [[1, 2, 2, 1, 0], [3, 3, 3, 3, 0], [3, 0, 0, 2, 2], [0, 3, 0, 3, 3], [2, 2, 2, 3, 2]]
    )
    kernel = np.arange(9).reshape(3, 3)
    anim = render.compare(
        render.animate("correlate", image, kernel, mac=True),
        render.animate("convolve", image, kernel, mac=True),
        titles=("torch conv2d: correlation", "scipy convolve2d: convolution"),
    )
    page, visit = site_checks.open_page(browser, base_url, "index.html")
    try:
        player = page.locator(".ce-player").first
        gif = _site_path("index.html", player.get_attribute("data-ce-gif"))
        assert gif.suffix == ".gif"
        page.locator(".ce-player .ce-play").first.focus()
        page.keyboard.press("Home")
        for k, caption in enumerate(anim.captions):
            assert _frame(page) == k
            assert player.locator(".ce-live").inner_text() == caption
            page.wait_for_function(
                "() => !document.querySelector('.ce-player .ce-canvas').hidden", timeout=10_000
            )
            url = player.locator(".ce-canvas").evaluate("(c) => c.toDataURL('image/png')")
            drawn = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
            np.testing.assert_array_equal(np.asarray(drawn.convert("RGB")), _gif_frame(gif, k))
            page.keyboard.press("ArrowRight")
        assert not player.locator("picture").is_visible()  # the canvas stands in for it
        site_checks.fail_on(visit.problems())
    finally:
        page.context.close()


def test_play_runs_one_cycle_and_stops_on_the_final_frame(browser: Any, base_url: str) -> None:
    page, visit = site_checks.open_page(browser, base_url, "index.html")
    try:
        player = page.locator(".ce-player").first
        player.locator("select.ce-speed").select_option("2")
        durations = [int(d) for d in player.get_attribute("data-ce-durations").split()]
        player.locator(".ce-play").click()
        assert _frame(page) == 0
        page.wait_for_function(
            "() => document.querySelector('.ce-player').dataset.cePlaying === 'false'",
            timeout=sum(durations) + 10_000,
        )
        assert _frame(page) == len(durations) - 1
        site_checks.fail_on(visit.problems())
    finally:
        page.context.close()


def test_player_works_from_file_urls(browser: Any, file_base: str) -> None:
    page, visit = site_checks.open_page(browser, file_base, "index.html")
    try:
        player = page.locator(".ce-player").first
        player.locator(".ce-forward").click()
        page.wait_for_function(
            "() => !document.querySelector('.ce-player .ce-canvas').hidden", timeout=10_000
        )
        steps = player.locator(".ce-steps li").evaluate_all(
            "(items) => items.map((li) => li.textContent)"
        )
        assert player.locator(".ce-live").inner_text() == steps[0]
        assert player.locator(".ce-counter").inner_text() == f"Frame 1 of {len(steps)}"
        site_checks.fail_on(visit.problems())
    finally:
        page.context.close()


def test_without_javascript_the_gif_still_plays(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "index.html")
        img = page.locator(".ce-player picture img").first
        img.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('.ce-player picture img').complete")
        assert img.evaluate("(el) => el.currentSrc").endswith(".gif")
        assert page.locator(".ce-player-bar").count() == 0
        assert page.locator(".ce-player .ce-steps li").count() >= 2  # the list needs no script
    finally:
        context.close()


def test_page_weight_of_the_player(site: Path) -> None:
    """Measured: what the player adds at page load and on first use (printed)."""
    script = (site / "_static" / "player.js").stat().st_size
    sheets, gifs, posters, count = 0, 0, 0, 0
    for rel in ANIMATED:
        text = (site / rel).read_text(encoding="utf-8")
        for block in re.findall(r'<div class="[^"]*ce-player"[^>]*>.*?</picture>', text):
            count += 1
            sheet = re.search(r'data-ce-sheet="([^"]+)"', block).group(1)
            poster = re.search(r'data-ce-poster="([^"]+)"', block).group(1)
            gif = re.search(r'<img src="([^"]+\.gif)"', block).group(1)
            sheets += _site_path(rel, sheet).stat().st_size
            posters += _site_path(rel, poster).stat().st_size
            gifs += _site_path(rel, gif).stat().st_size
    assert count == sum(len(re.findall(r"ce-player\"", (site / r).read_text())) for r in ANIMATED)
    assert count >= 10
    print(
        f"\nplayers: {count}; player.js {script} B (once per site visit); per animation on "
        f"average: poster {posters // count} B at load (instead of a GIF of {gifs // count} B), "
        f"frame sheet {sheets // count} B on first use"
    )
    assert script < 12_000


def test_every_gif_the_site_serves_plays_once_and_stops_on_its_last_frame() -> None:
    # Without JavaScript there is no player to pause: a GIF then runs one cycle
    # and stays on its final frame (issue 17's WCAG 2.2.2 point), never loops.
    gifs = sorted(SITE.rglob("*.gif"))
    assert len(gifs) > 100
    looping = []
    for path in gifs:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as im:
            if b"NETSCAPE2.0" in data or "loop" in im.info:
                looping.append(path.relative_to(SITE).as_posix())
    assert looping == []
