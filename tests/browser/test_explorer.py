"""The explorer in a real browser: its numbers are the package's, and a reader can use it.

Needs the built site (``nox -s docs``) and Debian's Chromium; run by ``nox -s
browser``. The agreement check itself is in ``explorer_checks.py``;
``test_explorer_faults.py`` shows it failing on a broken explorer.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import explorer_checks as ec
import numpy as np
import pytest
import site_checks

PAGE = "explorer.html"
#: Pages that embed the explorer with presets through the directive.
EMBEDDING = [
    "correlation_or_convolution.html",
    "padding_stride_dilation.html",
    "transposed_convolution.html",
    "pooling.html",
]
RANDOM_FILE = int(os.environ.get("CONV_EXPLORER_STATES", "520"))
RANDOM_SERVED = 120
FULL_LOADS = 20


def _open(browser: Any, base: str, rel: str, **kw: Any) -> tuple[Any, Any]:
    page, visit = site_checks.open_page(browser, base, rel, **kw)
    page.wait_for_selector(".conv-explorer table[data-grid='input']")
    return page, visit


@pytest.mark.parametrize("how", ["file", "served"])
def test_random_states_agree_with_the_package(
    browser: Any, file_base: str, base_url: str, how: str
) -> None:
    """Hundreds of random states given through the address: output == conv_explained == torch."""
    base, n, seed = (
        (file_base, RANDOM_FILE, 2026) if how == "file" else (base_url, RANDOM_SERVED, 7)
    )
    page, visit = _open(browser, base, PAGE)
    start = time.perf_counter()
    try:
        problems, counts = ec.check_states(page, ec.random_states(seed, n))
    finally:
        page.context.close()
    seconds = time.perf_counter() - start
    print(
        f"\nexplorer ({how}): {counts['states']} states compared, {counts['refused']} refused "
        f"with an alert, {counts['cells']} output cells, {seconds:.1f} s"
    )
    assert counts["states"] >= (500 if how == "file" else 100)
    assert counts["refused"] >= len(ec.REFUSED)
    site_checks.fail_on(visit.problems() + problems, shown=25)


@pytest.mark.parametrize("how", ["file", "served"])
def test_states_by_full_page_load(browser: Any, file_base: str, base_url: str, how: str) -> None:
    """The same check with a fresh page load per state (the address as a reader's link)."""
    base = file_base if how == "file" else base_url
    problems: list[str] = []
    for params in ec.random_states(31 if how == "file" else 32, FULL_LOADS)[:FULL_LOADS]:
        page, visit = _open(browser, base, PAGE + ec.query(params))
        try:
            problems += visit.problems() + ec.compare(params, ec.read(page))
            written = page.evaluate("location.search")
        finally:
            page.context.close()
        assert written == ec.query(params), written  # the address is kept as given
    site_checks.fail_on(problems, shown=25)


# --------------------------------------------------------------------------
# Presets and embedded instances: against the catalog and the source examples
# --------------------------------------------------------------------------

_OPS = {
    "correlate": "correlate",
    "convolve": "convolve",
    "compare": "correlate",
    "transpose": "transpose",
    "transpose-direct": "transpose",
    "max-pool": "max-pool",
    "avg-pool": "avg-pool",
}


def _hw(value: Any) -> str:
    if isinstance(value, list | tuple):
        return f"{value[0]}x{value[1]}" if value[0] != value[1] else str(value[0])
    return str(value)


def _grid(a: Any) -> str:
    return ec._grid_text(np.squeeze(np.asarray(a)).reshape(np.asarray(a).shape[-2:]))


def preset_params(name: str) -> dict[str, str]:
    """A preset's state, rebuilt from its source (not from the page's preset data)."""
    if name == "sobel":
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from probes.cases import by_id

        case = by_id("torch_seed_sobel")
        return {
            "mode": "correlate",
            "x": _grid(case["x"]),
            "w": _grid(case["weight"]),
            "stride": _hw(case["stride"]),
            "padding": _hw(case["padding"]),
            "dilation": _hw(case["dilation"]),
        }
    from conv_explained import catalog

    case = catalog.get("correlation_vs_convolution" if name == "mxnet" else name)
    arrays, p = case.inputs(), case.params
    params = {"mode": _OPS[case.op], "x": _grid(arrays["x"])}
    if params["mode"] in ("max-pool", "avg-pool"):
        params["kernel"] = _hw(p["kernel_size"])
        params["stride"] = _hw(p.get("stride", p["kernel_size"]))
        params["ceil_mode"] = str(p.get("ceil_mode", False)).lower()
    else:
        params["w"] = _grid(arrays["weight"])
        params["stride"] = _hw(p.get("stride", 1))
    params["padding"] = _hw(p.get("padding", 0))
    if params["mode"] != "avg-pool":
        params["dilation"] = _hw(p.get("dilation", 1))
    for key in ("output_padding", "padding_mode"):
        if key in p:
            params[key] = _hw(p[key])
    return params


#: Numbers the sources print, checked literally.
SOURCE_NUMBERS = {
    "mxnet": [[60, 56, 52], [39, 61, 66], [54, 78, 82]],
    "sobel": [[13, 20, 17], [18, 24, 18], [-13, -20, -17]],
}


def _preset_names(page: Any) -> list[str]:
    return sorted(
        json.loads(
            page.evaluate(
                "document.querySelector('script[data-conv-explorer-presets]').textContent"
            )
        )
    )


def test_every_preset_equals_its_source(browser: Any, file_base: str) -> None:
    from conv_explained import catalog

    page, visit = _open(browser, file_base, PAGE)
    problems: list[str] = []
    try:
        names = _preset_names(page)
        missing = (set(catalog.CONV_ARITHMETIC) | {"mxnet", "sobel"}) - set(names)
        assert not missing, f"presets missing: {sorted(missing)}"
        for name in names:
            page.evaluate(ec.NAVIGATE, f"?preset={name}")
            shown = ec.read(page)
            problems += ec.compare(preset_params(name), shown)
            if name in SOURCE_NUMBERS and shown["output"] != [
                [str(v) for v in row] for row in SOURCE_NUMBERS[name]
            ]:
                problems.append(f"preset {name}: output {shown['output']} is not the source's")
            if shown["alert"]:
                problems.append(f"preset {name}: alert {shown['alert']!r}")
    finally:
        page.context.close()
    print(f"\nexplorer: {len(names)} presets checked")
    site_checks.fail_on(visit.problems() + problems, shown=25)


def _config_params(config: str) -> dict[str, str]:
    import urllib.parse

    raw = dict(urllib.parse.parse_qsl(config, keep_blank_values=True))
    params = preset_params(raw.pop("preset")) if "preset" in raw else {}
    if raw.get("mode") in ("max-pool", "avg-pool"):
        params.pop("w", None)
    params.update(raw)
    return params


@pytest.mark.parametrize("rel", EMBEDDING)
def test_embedded_instances_agree(browser: Any, base_url: str, rel: str) -> None:
    page, visit = _open(browser, base_url, rel)
    problems: list[str] = []
    try:
        n = page.evaluate("document.querySelectorAll('.conv-explorer').length")
        assert n >= 1, f"{rel} embeds no explorer"
        for index in range(n):
            shown = ec.read(page, index)
            problems += [
                f"{rel} #{index}: {p}" for p in ec.compare(_config_params(shown["config"]), shown)
            ]
            if shown["alert"]:
                problems.append(f"{rel} #{index}: shows the alert {shown['alert']!r}")
        links = page.evaluate(
            "Array.from(document.querySelectorAll('.conv-explorer a.cx-open')).map(a => a.getAttribute('href'))"
        )
        assert len(links) == n, links
        assert all(link.startswith("explorer.html?") for link in links), links
        # The link opens the same state on the explorer page.
        first = ec.read(page, 0)
        other, _ = _open(browser, base_url, links[0])
        try:
            assert ec.read(other)["output"] == first["output"]
        finally:
            other.context.close()
    finally:
        page.context.close()
    site_checks.fail_on(visit.problems() + problems, shown=25)


# --------------------------------------------------------------------------
# Using it
# --------------------------------------------------------------------------


def _check_keyboard(page: Any):
    """Arrow keys move the focused output cell; the live region speaks its sum."""
    live = page.locator(".cx-formula")
    assert live.get_attribute("aria-live") == "polite"
    first = page.locator("table[data-grid='output'] td").first
    first.focus()
    assert live.text_content().startswith("output[0, 0] = 1·0 + 2·1")
    assert live.text_content().endswith("= 60")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("[document.activeElement.dataset.r, document.activeElement.dataset.c]")
    assert focused == ["1", "1"]
    assert live.text_content().endswith("= 61")
    assert page.locator("table[data-grid='input'] td.cx-hl").count() == 9
    # An input cell lights every output it feeds.
    page.locator("table[data-grid='input'] td[data-i='2'][data-j='2']").focus()
    assert page.locator("table[data-grid='output'] td.cx-feeds").count() == 9


def _check_editing(page: Any):
    """Typed values change the output and the address; a non-number is refused."""
    # Type into a cell: the output and the address follow.
    cell = page.locator("table[data-grid='input'] td[data-i='0'][data-j='0']")
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("11")
    page.keyboard.press("Enter")
    out = ec.read(page)["output"]
    assert out[0][0] == "60", out  # w[0, 0] is 0: this cell does not change output[0, 0]
    page.locator("table[data-grid='kernel'] td[data-r='0'][data-c='0']").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("-2")
    page.keyboard.press("Tab")
    shown = ec.read(page)
    assert shown["output"][0][0] == str(60 - 2 * 11)
    assert "x=11,2,2,1,0;" in page.evaluate("location.search")
    assert "w=-2,1,2;" in page.evaluate("location.search")
    params = dict(p.split("=", 1) for p in page.evaluate("location.search")[1:].split("&"))
    assert not ec.compare(params, shown)
    # A typed non-number is refused and the old value comes back.
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("abc")
    page.keyboard.press("Enter")
    assert cell.text_content() == "11"


def _check_steps_and_controls(page: Any):
    """The step control, play/pause and a mode change."""
    live = page.locator(".cx-formula")
    # The step control walks the outputs; Play moves on by itself, Pause stops.
    page.locator("input[name=step]").fill("4")
    assert page.locator("table[data-grid='output'] td.cx-pending").count() == 4
    assert live.text_content().startswith("output[1, 1] =")
    page.locator("select[name=speed]").select_option("4")
    page.locator("button[name=play]").click()
    page.wait_for_timeout(700)
    page.locator("button[name=play]").click()
    assert page.locator("button[name=play]").get_attribute("aria-pressed") == "false"
    assert int(page.locator("input[name=step]").input_value()) > 4
    # Controls change the state and the address.
    page.locator("select[name=mode]").select_option("convolve")
    search = page.evaluate("location.search")
    assert "mode=convolve" in search
    params = dict(p.split("=", 1) for p in search[1:].split("&"))
    site_checks.fail_on(ec.compare(params, ec.read(page)), shown=25)
    assert page.locator("table[data-grid='kernel-applied']").count() == 1


def test_keyboard_live_region_editing_and_steps(browser: Any, file_base: str) -> None:
    page, visit = _open(browser, file_base, PAGE + "?preset=mxnet")
    try:
        _check_keyboard(page)
        _check_editing(page)
        _check_steps_and_controls(page)
    finally:
        page.context.close()
    site_checks.fail_on(visit.problems(), shown=25)


def test_no_autoplay_with_reduced_motion(browser: Any, file_base: str) -> None:
    page, visit = _open(browser, file_base, PAGE, reduced_motion="reduce")
    try:
        before = page.locator("input[name=step]").input_value()
        page.wait_for_timeout(1500)
        assert page.locator("button[name=play]").get_attribute("aria-pressed") == "false"
        assert page.locator("input[name=step]").input_value() == before
        assert page.locator("table[data-grid='output'] td.cx-pending").count() == 0
    finally:
        page.context.close()
    site_checks.fail_on(visit.problems(), shown=25)


def test_refused_state_shows_an_alert_and_keeps_the_grids(browser: Any, file_base: str) -> None:
    page, visit = _open(browser, file_base, PAGE + "?mode=correlate&input=5&kernel=3&stride=0")
    try:
        alert = page.locator("[role=alert]")
        assert alert.is_visible()
        assert "stride must be a positive integer, got 0" in alert.text_content()
        assert page.locator("table[data-grid='output']").count() == 0
        assert page.locator("table[data-grid='input'] td").count() == 25
        assert "NaN" not in page.locator(".conv-explorer").text_content()
    finally:
        page.context.close()
    site_checks.fail_on(visit.problems(), shown=25)


CLI_STATES = [
    {
        "mode": "correlate",
        "input": "5x4",
        "kernel": "3x2",
        "stride": "2x1",
        "padding": "same",
        "padding_mode": "reflect",
        "dilation": "1",
        "seed": "3",
    },
    {
        "mode": "correlate",
        "input": "5x4",
        "kernel": "3x2",
        "stride": "1",
        "padding": "same",
        "padding_mode": "reflect",
        "dilation": "1",
        "seed": "3",
    },
    {
        "mode": "convolve",
        "input": "6",
        "kernel": "3",
        "stride": "2",
        "padding": "1",
        "dilation": "2",
        "seed": "1",
    },
    {
        "mode": "transpose",
        "input": "3x2",
        "kernel": "3",
        "stride": "2",
        "padding": "1",
        "output_padding": "1x0",
        "seed": "5",
    },
    {
        "mode": "max-pool",
        "input": "7x5",
        "kernel": "3",
        "stride": "2",
        "padding": "1",
        "dilation": "1",
        "ceil_mode": "true",
        "seed": "2",
    },
    {
        "mode": "avg-pool",
        "input": "6",
        "kernel": "2x3",
        "stride": "2",
        "padding": "1",
        "ceil_mode": "false",
        "count_include_pad": "true",
        "seed": "4",
        "x": "1,2,3,4,5,6;0,0,1,1,2,2;3,3,3,0,0,0;1,0,1,0,1,0;2,2,2,2,2,2;9,8,7,6,5,4",
    },
]


def test_cli_command_renders_the_state(browser: Any, file_base: str, tmp_path: Path) -> None:
    """The command in the code panel runs and writes the verified GIF of that exact state."""
    page, _ = _open(browser, file_base, PAGE)
    ran = 0
    try:
        for params in CLI_STATES:
            page.evaluate(ec.NAVIGATE, ec.query(params))
            shown = ec.read(page)
            if shown["alert"]:
                assert "padding='same' is not supported" in shown["alert"]
                continue
            command = shown["code"]["cli"]
            assert not command.startswith("#"), command
            folder = tmp_path / str(ran)
            folder.mkdir()
            for line in command.splitlines():
                argv = shlex.split(line)
                if argv[0] == "python":
                    argv[0] = sys.executable
                elif argv[0] == "conv-explained":
                    argv[:1] = [sys.executable, "-m", "conv_explained.cli"]
                done = subprocess.run(
                    argv, check=False, cwd=folder, capture_output=True, text=True, timeout=300
                )
                assert done.returncode == 0, f"{line}\n{done.stderr}"
            assert (folder / "explorer.gif").stat().st_size > 0
            # The files hold exactly the values shown.
            x = np.load(folder / "x.npy")
            assert np.array_equal(x, ec._input_of(shown)), (x, shown["real"])
            ran += 1
        # A state the CLI cannot draw says so instead of giving a wrong command.
        page.evaluate(ec.NAVIGATE, "?mode=correlate&input=16&kernel=7&padding=0")
        cli = ec.read(page)["code"]["cli"]
        assert cli.startswith("# Not expressible with the CLI"), cli
        assert re.search(r"conv-explained shape conv --input 16 --kernel 7", cli)
        page.evaluate(ec.NAVIGATE, "?mode=avg-pool&input=4&kernel=2&count_include_pad=false")
        assert "count_include_pad" in ec.read(page)["code"]["cli"].splitlines()[0]
    finally:
        page.context.close()
    assert ran == len(CLI_STATES) - 1


def test_widget_weight_within_budget(site: Path) -> None:
    files = [site / "_static" / "explorer.js", site / "_static" / "explorer.css"]
    total = sum(f.stat().st_size for f in files)
    print(f"\nexplorer widget: {total} bytes of JS+CSS")
    assert total <= 60 * 1024, f"explorer JS+CSS is {total} bytes, over 60 KB"
    page = (site / PAGE).read_text(encoding="utf-8")
    assert 'type="module"' not in page
    assert not re.search(
        r"""(src|href)=["']https?://""", page.split('<div class="conv-explorer"')[1][:4000]
    )
