"""A hypothesis fuzz of the explorer's address parser, in the real browser.

Random and hostile query strings (known and unknown keys, repeated keys,
sizes past every limit, 20-digit numbers, non-ASCII digits, ``__proto__``,
``&`` and ``+`` inside values, numbers past the largest double, long values)
are given to ``explorer.html`` through its address. The reading the explorer
must make of each address comes from the Python side: ``location.search``,
decoded by :func:`urllib.parse.parse_qsl` and checked by
:func:`conv_explained._explorer.parse_options` (the directive's own checks:
ranges, lengths, shapes). Then:

* an address the Python side refuses must show an alert and no output;
* an address it accepts must agree with the package and torch
  (:func:`explorer_checks.compare`: the output table, or the package's own
  refusal message);
* either way there is no page error, the state takes well under a second, and
  the widget is alive: choosing a preset in the form draws the preset's numbers.

The example counts are bounded (the whole file stays under about a minute).
"""

from __future__ import annotations

import string
import time
import urllib.parse
from typing import Any

import explorer_checks as ec
import pytest
import site_checks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conv_explained import _explorer

PAGE = "explorer.html"
MXNET = [["60", "56", "52"], ["39", "61", "66"], ["54", "78", "82"]]
HANG_MS = 3000
KEYS = [
    "mode",
    "input",
    "kernel",
    "stride",
    "padding",
    "dilation",
    "output_padding",
    "padding_mode",
    "ceil_mode",
    "count_include_pad",
    "seed",
    "x",
    "w",
    "preset",
]
HOSTILE = [
    "0",
    "-1",
    "17",
    "100000",
    "1" * 20,
    "9" * 400,
    "\u0663",  # an Arabic-Indic digit
    "\u00b2",
    "3x",
    "x3",
    "3x2x1",
    "--3",
    "+3",
    " 3 ",
    "3X2",
    "3,2",
    "same",
    "VALID",
    "full",
    "half",
    "zeros&preset=mxnet&x=9",
    "__proto__",
    "constructor",
    "toString",
    "1e309",
    "-1e309",
    "1,1e400",
    "NaN",
    "Infinity",
    "inf",
    "0x10",
    "1_0",
    "1e",
    "1,,2",
    "1;2,3",
    "",
    ";",
    "%",
    "%zz",
    "\ufeff3",
    "\u00a03",
    "3\u2028",
    "m" * 70,
]
VALID = [
    "1",
    "2",
    "3",
    "4",
    "5",
    "2x1",
    "3x2",
    "1x3",
    "true",
    "false",
    "correlate",
    "convolve",
    "transpose",
    "max-pool",
    "avg-pool",
    "zeros",
    "reflect",
    "replicate",
    "circular",
]


@st.composite
def grids(draw: Any) -> str:
    """x= or w= text: small exact values (sums stay exact), sometimes ragged."""
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    cell = st.sampled_from(["0", "1", "2", "-1", "3", "-2", "0.5", "-0.25", "4"])
    rows = [",".join(draw(st.lists(cell, min_size=w, max_size=w))) for _ in range(h)]
    if draw(st.booleans()) and h > 1:
        rows[-1] += ",1"  # ragged
    return ";".join(rows)


values = st.one_of(
    st.sampled_from(VALID),
    st.sampled_from(HOSTILE),
    grids(),
    st.text(alphabet=string.printable + "\u00e9\u0663\ufeff", max_size=12),
)
pairs = st.lists(
    st.tuples(st.sampled_from([*KEYS, *KEYS[:5], "foo", "highlight"]), values), max_size=7
)


def _query(items: list[tuple[str, str]], raw: bool) -> str:
    if raw:  # as typed into an address bar: the browser encodes what it must
        return "?" + "&".join(f"{k}={v}" for k, v in items)
    return "?" + urllib.parse.urlencode(items)


def expected(search: str, presets: dict[str, Any]) -> tuple[dict[str, str] | None, str]:
    """The Python reading of an address: (normalised parameters, '') or (None, why refused)."""
    if len(search) > _explorer.MAX_QUERY:
        return None, "too long"
    seen: dict[str, str] = {}
    for key, value in urllib.parse.parse_qsl(search[1:], keep_blank_values=True):
        if key not in KEYS:
            continue  # unknown parameters (e.g. Sphinx's ?highlight=) are ignored
        if key in seen:
            return None, f"{key} repeated"
        seen[key] = value
    try:
        query = _explorer.parse_options(seen, presets)
    except ValueError as exc:
        return None, str(exc)
    params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    mode = params.get("mode", "correlate")
    if mode in ("max-pool", "avg-pool") and "w" in params:
        rows = params.pop("w").split(";")
        params.setdefault("kernel", f"{len(rows)}x{rows[0].count(',') + 1}")
    return params, ""


@pytest.fixture(scope="module")
def explorer(browser: Any, site: Any) -> Any:
    page, visit = site_checks.open_page(browser, site.resolve().as_uri() + "/", PAGE)
    page.wait_for_selector(".conv-explorer table[data-grid='output']")
    presets = page.evaluate("convExplorer.instances[0].presets")
    yield page, visit, presets
    page.context.close()


TIMED_NAVIGATE = """
(query) => {
  const start = performance.now();
  history.pushState(null, '', location.pathname + query);
  window.dispatchEvent(new PopStateEvent('popstate'));
  return [performance.now() - start, location.search];
}
"""

COUNTS = {"states": 0, "refused": 0, "agreed": 0}


@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=pairs, raw=st.booleans())
def test_hostile_addresses_refuse_or_agree_and_the_widget_lives(
    explorer: Any, items: list[tuple[str, str]], raw: bool
) -> None:
    page, visit, presets = explorer
    ms, search = page.evaluate(TIMED_NAVIGATE, _query(items, raw))
    assert ms < HANG_MS, f"{search[:80]}: {ms:.0f} ms"
    shown = ec.read(page)
    assert not visit.page_errors, visit.page_errors
    params, why = expected(search, presets)
    COUNTS["states"] += 1
    if params is None:
        assert shown["alert"], f"{search[:120]}: refused by the Python side ({why}), shown"
        assert shown["output"] is None
        assert len(shown["alert"]) <= _explorer.MAX_ALERT
        COUNTS["refused"] += 1
    elif "preset" in params:
        assert shown["output"] is not None or shown["alert"]
    else:
        problems = ec.compare(params, shown, run_code=False)
        assert not problems, problems
        COUNTS["agreed"] += 1
    if shown["output"] is None:  # the widget lives: the form still draws
        page.select_option(".conv-explorer select[name=preset]", "mxnet")
        assert ec.read(page)["output"] == MXNET
    assert not visit.page_errors, visit.page_errors
    assert not visit.console_errors, visit.page_errors


def test_fuzz_saw_both_outcomes() -> None:
    """The fuzz above exercised refusals and agreements (it ran first, in this module)."""
    print(f"\nexplorer fuzz: {COUNTS}")
    assert COUNTS["refused"] >= 50, COUNTS
    assert COUNTS["agreed"] >= 10, COUNTS


def test_full_page_loads_of_hostile_addresses(browser: Any, site: Any) -> None:
    """The constructor's path (a fresh page per address), for the hostile values alone."""
    base = site.resolve().as_uri() + "/"
    start = time.perf_counter()
    for key in ("input", "x", "preset", "padding_mode"):
        for value in HOSTILE[::6]:  # about 30 fresh pages (the fuzz above covers the rest)
            page, visit = site_checks.open_page(
                browser, base, PAGE + "?" + urllib.parse.urlencode({key: value})
            )
            try:
                page.wait_for_selector(".conv-explorer form")
                assert not visit.page_errors, (key, value, visit.page_errors)
                if ec.read(page)["output"] is None:
                    page.select_option(".conv-explorer select[name=preset]", "mxnet")
                    assert ec.read(page)["output"] == MXNET, (key, value)
            finally:
                page.context.close()
    print(f"\nfull loads: {time.perf_counter() - start:.1f} s")
