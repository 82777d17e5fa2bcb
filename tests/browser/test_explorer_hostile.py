"""The explorer under hostile input: every reproduction of issue 19, in the real browser.

Each test loads ``explorer.html`` with an address (or types into the form) the
robustness review used, and checks that the explorer refuses cleanly or carries
the value exactly: an alert naming the parameter, no grid of the requested
size, no page error, a bounded time, and a widget that still works afterwards
(a valid value typed into the form draws again). Needs the built site and
Debian's Chromium (``nox -s browser``).
"""

from __future__ import annotations

import time
import urllib.parse
from typing import Any

import explorer_checks as ec
import numpy as np
import pytest
import site_checks

from conv_explained import _explorer

PAGE = "explorer.html"
#: A page that is frozen or out of memory takes seconds; a refusal takes milliseconds.
HANG_S = 5.0
MXNET = [["60", "56", "52"], ["39", "61", "66"], ["54", "78", "82"]]

#: What the page shows besides the tables: the largest grid drawn and any page error.
SHOWN = """
() => {
  const root = document.querySelector('.conv-explorer');
  const cells = Array.from(root.querySelectorAll('table')).map((t) => t.querySelectorAll('td').length);
  const alert = root.querySelector('[role=alert]');
  return {cells: cells.length ? Math.max(...cells) : 0, tables: cells.length,
          alert: alert && !alert.hidden ? alert.textContent : '',
          text: root.textContent, search: location.search};
}
"""


def _load(browser: Any, base: str, query: str) -> tuple[Any, Any, float]:
    start = time.perf_counter()
    page, visit = site_checks.open_page(browser, base, PAGE + query)
    page.wait_for_selector(".conv-explorer form")
    return page, visit, time.perf_counter() - start


def _type(page: Any, values: dict[str, str]) -> None:
    """Type into form fields (by name) and apply them as a reader's Enter would."""
    for name, value in values.items():
        field = page.locator(f".conv-explorer [name={name}]")
        field.fill(value)
    field.dispatch_event("change")


def _refused(page: Any, visit: Any, *words: str) -> dict[str, Any]:
    """An alert holding ``words``, no output, no grid over the explorer's range, no page error."""
    shown = page.evaluate(SHOWN)
    assert shown["alert"], f"no alert; the page shows {shown['text'][:200]!r}"
    for word in words:
        assert word in shown["alert"], (word, shown["alert"])
    assert len(shown["alert"]) <= _explorer.MAX_ALERT
    assert page.locator("table[data-grid='output']").count() == 0
    assert shown["cells"] <= _explorer.RANGES["input"][1] ** 2
    assert "Infinity" not in shown["text"]
    assert "NaN" not in shown["text"]
    assert not visit.page_errors, visit.page_errors
    return shown


def _alive(page: Any, visit: Any, values: dict[str, str] | None = None) -> None:
    """A valid value typed into the form draws again (the widget did not die)."""
    _type(page, values or {"input0": "5", "input1": "5", "kernel0": "3", "kernel1": "3"})
    shown = ec.read(page)
    assert not shown["alert"], shown["alert"]
    assert shown["output"] is not None
    assert len(shown["output"]) >= 1
    assert not visit.page_errors, visit.page_errors


@pytest.fixture
def load(browser: Any, site: Any):
    """Opens the explorer page from file:// (no server limit on the address's length)."""
    pages: list[Any] = []
    base = site.resolve().as_uri() + "/"

    def _open(query: str) -> tuple[Any, Any]:
        page, visit, seconds = _load(browser, base, query)
        pages.append(page)
        assert seconds < HANG_S, f"{query[:60]}: {seconds:.1f} s to load"
        return page, visit

    yield _open
    for page in pages:
        page.context.close()


# --------------------------------------------------------------------------
# Sizes: limits before any fill
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "fix"),
    [
        ("?input=100000", "input", {"input0": "5", "input1": "5"}),
        ("?kernel=100000", "kernel", {"kernel0": "3", "kernel1": "3"}),
        ("?input=" + "1" * 20, "input", {"input0": "5", "input1": "5"}),
        ("?input=17", "input", {"input0": "16", "input1": "16"}),
        ("?kernel=17", "kernel", {"kernel0": "5", "kernel1": "5"}),
        (
            "?mode=max-pool&kernel=17",
            "kernel",
            {"kernel0": "2", "kernel1": "2", "stride0": "2", "stride1": "2"},
        ),
    ],
)
def test_oversized_address_is_refused_then_a_typed_value_recovers(
    load: Any, query: str, name: str, fix: dict[str, str]
) -> None:
    page, visit = load(query)
    _refused(page, visit, f"the explorer takes {name} from")
    assert page.locator("table").count() == 0  # nothing of the requested size is drawn
    _alive(page, visit, fix)


def test_typing_100000_into_both_size_fields_is_refused_and_recovers(load: Any) -> None:
    page, visit = load("")
    _type(page, {"input0": "100000", "input1": "100000"})
    _refused(page, visit, "the explorer takes input from 1 to 16, got 100000")
    assert page.locator("table").count() == 0
    _type(page, {"kernel0": "100000", "kernel1": "100000"})
    _refused(page, visit)
    _alive(page, visit)


def test_size_below_one_names_the_input_and_survives_a_mode_change(load: Any) -> None:
    page, visit = load("?input=0")
    shown = _refused(page, visit, "input")
    assert "kernel" not in shown["alert"], shown["alert"]
    for mode in ("transpose", "max-pool", "avg-pool", "convolve"):
        page.locator(".conv-explorer select[name=mode]").select_option(mode)
        shown = _refused(page, visit, "the explorer takes input from 1 to 16, got 0")
    _alive(page, visit)


# --------------------------------------------------------------------------
# Values: carried exactly, never Infinity
# --------------------------------------------------------------------------


def test_small_values_are_exact_in_the_code_and_the_address(load: Any) -> None:
    page, visit = load("?x=0.00004&w=10000")
    shown = ec.read(page)
    assert shown["output"] == [["0.4"]]
    torch_code = shown["code"]["torch"]
    assert "0.00004" in torch_code, torch_code
    assert "10000" in torch_code, torch_code
    assert np.allclose(ec._run_code(torch_code), [[0.00004 * 10000]], rtol=0, atol=1e-15)
    # An edit writes the address: the values stay as given.
    page.locator(".conv-explorer select[name=mode]").select_option("convolve")
    search = page.evaluate("location.search")
    read = urllib.parse.parse_qs(search[1:])
    assert read["x"] == ["0.00004"], search
    assert read["w"] == ["10000"], search
    assert not visit.page_errors


def test_a_large_value_round_trips_through_the_address(load: Any, browser: Any) -> None:
    page, visit = load("?input=2&kernel=1&w=1")
    cell = page.locator("table[data-grid='input'] td[data-i='0'][data-j='0']")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("1e21")
    page.keyboard.press("Enter")
    search = page.evaluate("location.search")
    assert "1e%2B21" in search, search
    assert urllib.parse.parse_qs(search[1:])["x"][0].split(",")[0] == "1e+21"
    # The shared link reads back the same state (and the same address).
    again, visit2 = load(search)
    assert ec.read(again)["output"][0][0] == "1e+21"
    assert again.evaluate("convExplorer.toQuery(convExplorer.instances[0].state)") == search
    code = ec.read(again)["code"]["torch"]
    assert "1e+21" in code
    assert ec._run_code(code)[0, 0] == 1e21
    assert not visit.page_errors
    assert not visit2.page_errors


@pytest.mark.parametrize("value", ["1e309", "-1e309", "1,1e400;2,3"])
def test_a_value_beyond_the_largest_double_is_refused(load: Any, value: str) -> None:
    page, visit = load("?x=" + urllib.parse.quote(value))
    _refused(page, visit, "x=", "beyond the largest double")
    assert "Infinity" not in page.locator(".cx-codes").text_content()
    _alive(page, visit)


def test_a_typed_infinity_is_refused_in_the_cell(load: Any) -> None:
    page, _visit = load("?preset=mxnet")
    cell = page.locator("table[data-grid='input'] td[data-i='0'][data-j='0']")
    before = cell.text_content()
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("1e309")
    page.keyboard.press("Enter")
    assert cell.text_content() == before
    assert "Infinity" not in page.locator(".conv-explorer").text_content()
    assert ec.read(page)["output"] == MXNET


def test_a_focused_cell_left_unchanged_keeps_its_exact_value(load: Any) -> None:
    page, _visit = load("?input=1&kernel=1&x=0.123456789012&w=1")
    cell = page.locator("table[data-grid='input'] td[data-i='0'][data-j='0']")
    cell.focus()
    page.keyboard.press("Tab")  # focus out without a change: no rounding written back
    assert "0.123456789012" in ec.read(page)["code"]["torch"]


# --------------------------------------------------------------------------
# Names, encoding, lengths
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["__proto__", "constructor", "toString", "hasOwnProperty"])
def test_preset_names_are_own_keys_only(load: Any, name: str) -> None:
    page, visit = load("?preset=" + name)
    _refused(page, visit, f"unknown preset '{name}'")
    _alive(page, visit)


def test_a_padding_mode_holding_other_parameters_is_refused_and_never_split(load: Any) -> None:
    hostile = "zeros&preset=mxnet&x=9"
    page, visit = load("?padding_mode=" + urllib.parse.quote(hostile))
    _refused(page, visit, "padding_mode must be one of")
    # The form's values are the only way to set it, and the address is encoded.
    page.locator(".conv-explorer select[name=padding_mode]").select_option("reflect")
    search = page.evaluate("location.search")
    params = urllib.parse.parse_qs(search[1:])
    assert params["padding_mode"] == ["reflect"], search
    assert "preset" not in params, search


def test_every_state_round_trips_through_its_address(load: Any) -> None:
    """toQuery(fromParams(q)) is a fixed point: the address carries the whole state."""
    page, visit = load("")
    states = [ec.query(p) for p in ec.random_states(19, 150)]
    problems = page.evaluate(
        """(queries) => {
          const ce = window.convExplorer, presets = ce.instances[0].presets, bad = [];
          for (const q of queries) {
            let st; try { st = ce.fromParams(q, presets); } catch (e) { continue; }
            const inst = ce.instances[0]; inst.parseError = null; inst.set(st, false);
            const once = ce.toQuery(inst.state), again = ce.fromParams(once, presets);
            inst.set(again, false);
            const twice = ce.toQuery(inst.state);
            if (once !== twice || JSON.stringify(st.x) !== JSON.stringify(again.x)) bad.push([q, once, twice]);
          }
          return bad;
        }""",
        states,
    )
    assert problems == [], problems[:3]
    assert not visit.page_errors


def test_a_980_kb_address_is_refused_at_once(load: Any) -> None:
    """The explorer's own time for it (the browser's loading of a 1 MB address is not its)."""
    x = ";".join([",".join(["1"] * 700)] * 700)[: 980 * 1024]
    page, visit = load("")
    ms = page.evaluate(
        """(query) => {
          const start = performance.now();
          history.pushState(null, '', location.pathname + query);
          window.dispatchEvent(new PopStateEvent('popstate'));
          return performance.now() - start;
        }""",
        "?x=" + x,
    )
    assert ms < HANG_S * 1000, f"{ms:.0f} ms"
    shown = _refused(page, visit, "characters")
    assert shown["tables"] == 0
    _alive(page, visit)


@pytest.mark.parametrize(
    "query",
    [
        "?mode=" + "m" * 5000,
        "?preset=" + "p" * 50,
        "?x=" + ",".join(["a" * 30] * 16),
        "?stride=" + "9" * 60,
        "?seed=" + "9" * 30,
        "?input=3&input=4",
    ],
)
def test_alerts_are_short_whatever_the_value(load: Any, query: str) -> None:
    page, visit = load(query)
    shown = _refused(page, visit)
    assert len(shown["alert"]) <= _explorer.MAX_ALERT
    _alive(page, visit)


# --------------------------------------------------------------------------
# The code panel: no guessing, the renderer's own limits
# --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["max-pool", "avg-pool"])
def test_pooling_code_names_both_window_sizes(load: Any, mode: str) -> None:
    page, visit = load(f"?mode={mode}&input=4&kernel=2")
    code = ec.read(page)["code"]
    assert "kernel_size=(2, 2)" in code["torch"], code["torch"]
    if mode == "max-pool":
        assert "--kernel 2x2" in code["cli"], code["cli"]
    assert not visit.page_errors


#: States around the renderer's step limit (160): (address, drawable?).
DRAW_LIMIT_STATES = [
    ("?mode=correlate&input=11x12&kernel=1&padding=1x0&w=1", True),  # 13x12 = 156 steps
    ("?mode=correlate&input=11&kernel=1&padding=1&w=1", False),  # 13x13 = 169 steps
    ("?mode=correlate&input=12&kernel=1&padding=2&w=1", False),  # padded to 16, 256 steps
    ("?mode=transpose&input=12&kernel=1&w=1", True),  # 144 stamps, uncropped 12
    ("?mode=correlate&input=13&kernel=3", False),  # more than 12 cells per axis
]


def test_the_cli_is_offered_exactly_when_the_renderer_draws(load: Any) -> None:
    """The explorer's 'not expressible' agrees with conv_explained.render's own limits."""
    from conv_explained import render

    page, visit = load("")
    for query, drawable in DRAW_LIMIT_STATES:
        page.evaluate(ec.NAVIGATE, query)
        shown = ec.read(page)
        offered = not shown["code"]["cli"].startswith("# Not expressible")
        assert offered == drawable, (query, shown["code"]["cli"][:120])
        params = dict(urllib.parse.parse_qsl(query[1:]))
        x = ec._input_of(shown)
        w = np.ones((1, 1))
        opts = ec.options(params, (1, 1))
        opts.pop("padding_mode", None)
        try:
            render.animate(params["mode"], x[None], w[None, None], verify=False, **opts)
            drawn = True
        except ValueError as exc:
            drawn = False
            why = str(exc)
        else:
            why = "draw"
        assert "draw" in why or "animated" in why, why
        assert drawn == drawable, (query, drawn)
    assert not visit.page_errors
