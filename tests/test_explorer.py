"""The explorer's Python side: directive options, presets and the Sphinx extension.

The JavaScript arithmetic itself is checked in a real browser against the
package by ``tests/browser/test_explorer.py`` (``nox -s browser``).
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from pathlib import Path

import numpy as np
import pytest
from sphinx.cmd.build import build_main

import conv_explained as ce
from conv_explained import _explorer, catalog

ROOT = Path(__file__).resolve().parents[1]
PRESETS = _explorer.presets(ROOT)


# --------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------


def test_options_become_the_explorer_query_normalised():
    query = _explorer.parse_options(
        {
            "mode": "transpose",
            "input": "2, 2",  # x is 2x2: the two must agree
            "kernel": "3x3",
            "stride": "2X1",
            "padding": "1",
            "output_padding": "1x0",
            "seed": "12",
            "x": "1, 2;3,4.5",
            "url-state": None,
        },
        PRESETS,
    )
    assert query == (
        "mode=transpose&input=2&kernel=3&stride=2x1&padding=1&output_padding=1x0"
        "&seed=12&x=1,2;3,4.5"
    )


@pytest.mark.parametrize("word", ["valid", "SAME", "full"])
def test_padding_words_are_kept(word):
    assert _explorer.parse_options({"padding": word}, {}) == f"padding={word.lower()}"


def test_booleans_and_presets():
    query = _explorer.parse_options(
        {"preset": "mxnet", "ceil_mode": "True", "count_include_pad": "0"}, PRESETS
    )
    assert query == "preset=mxnet&ceil_mode=true&count_include_pad=false"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"mode": "conv"},
            "mode must be one of correlate, convolve, transpose, max-pool, avg-pool, got 'conv'",
        ),
        ({"preset": "nope"}, "preset must be one of"),
        (
            {"stride": "2x1x1"},
            "stride must be an integer or HxW (for example 3 or 3x2), got '2x1x1'",
        ),
        ({"kernel": "three"}, "kernel must be an integer or HxW"),
        ({"padding": "half"}, "padding must be an integer or HxW"),
        (
            {"padding_mode": "mirror"},
            "padding_mode must be one of zeros, reflect, replicate, circular",
        ),
        ({"ceil_mode": "yes"}, "ceil_mode must be true or false, got 'yes'"),
        ({"seed": "-1"}, "seed must be an integer from 0 to 999999, got '-1'"),
        ({"seed": "\u00b2"}, "seed must be an integer from 0 to 999999"),
        ({"input": "17"}, "the explorer takes input from 1 to 16, got '17'"),
        ({"kernel": "1" * 20}, "the explorer takes kernel from 1 to 7, got '111"),
        ({"input": "\u0663"}, "input must be an integer or HxW"),  # an Arabic-Indic 3
        ({"stride": "--3"}, "stride must be an integer or HxW"),
        ({"x": "1,1e309"}, "x holds a number beyond the largest double"),
        ({"x": "1,inf"}, "x must be numbers"),
        ({"x": "1;" * 17 + "1"}, "x holds more than 16 rows or columns"),
        ({"x": "1,2;3,4", "input": "3"}, "x is 2x2 but input is 3"),
        ({"padding_mode": "zeros&preset=mxnet"}, "padding_mode must be one of"),
        ({"mode": "x" * 65}, "mode is 65 characters long; at most 64"),
        ({"x": "1,2;3"}, "x must have the same number of values in every row"),
        ({"w": "1,a"}, "w must be numbers"),
    ],
)
def test_bad_options_name_the_option_and_quote_the_value(options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        _explorer.parse_options(options, PRESETS)


def test_the_query_is_percent_encoded_and_reads_back_exactly():
    query = _explorer.parse_options({"x": "1e21,0.00004", "padding_mode": "zeros"}, PRESETS)
    assert query == "x=1e%2B21,4e-05&padding_mode=zeros"
    read = urllib.parse.parse_qs(query)
    assert [float(v) for v in read["x"][0].split(",")] == [1e21, 0.00004]


def test_messages_stay_short_whatever_the_value():
    with pytest.raises(ValueError, match=r"^x holds more than 16") as caught:
        _explorer.parse_options({"x": "1," * 5000 + "a"}, PRESETS)
    assert len(str(caught.value)) < 120


def test_the_page_carries_the_renderers_drawing_limits():
    from conv_explained.render import _pipeline

    draw = _explorer.limits()["draw"]
    assert draw == {
        "cells": _pipeline.MAX_CELLS,
        "padded": _pipeline.MAX_PADDED,
        "steps": _pipeline.MAX_STEPS,
    }
    js = (_explorer.STATIC / "explorer.js").read_text()
    # No drawing limit or range is written into the script itself.
    for number in {_pipeline.MAX_STEPS, _pipeline.MAX_PADDED, _pipeline.MAX_CELLS, 150}:
        assert not re.search(rf"[<>]=? *{number}\b", js), number


# --------------------------------------------------------------------------
# Presets
# --------------------------------------------------------------------------


def test_presets_cover_the_sources():
    assert set(catalog.CONV_ARITHMETIC) <= set(PRESETS)
    assert {"mxnet", "sobel", "max_pool", "avg_pool", "reflect_padding"} <= set(PRESETS)
    # Multi-channel, 1-D, 3-D, global and gradient cases have no 2-D single-channel view.
    assert not {
        "multi_channel",
        "signal_1d",
        "volume_3d",
        "global_max_pool",
        "max_pool_grad",
    } & set(PRESETS)


def test_without_the_probes_only_the_catalog_presets():
    assert "sobel" not in _explorer.presets(None)


def _preset_output(p: dict) -> np.ndarray:
    x = np.array(p["x"])
    opt = {k: (v[0] if isinstance(v, list) and v[0] == v[1] else v) for k, v in p.items()}
    opt = {
        k: tuple(v) if isinstance(v, list) and k not in ("x", "w") else v for k, v in opt.items()
    }
    if p["mode"] in ("correlate", "convolve"):
        fn = ce.correlate if p["mode"] == "correlate" else ce.convolve
        return fn(
            x[None],
            np.array(p["w"])[None, None],
            stride=opt["stride"],
            padding=opt["padding"],
            dilation=opt["dilation"],
            padding_mode=p["padding_mode"],
        )[0]
    if p["mode"] == "transpose":
        return ce.conv_transpose(
            x[None],
            np.array(p["w"])[None, None],
            stride=opt["stride"],
            padding=opt["padding"],
            output_padding=opt["output_padding"],
            dilation=opt["dilation"],
        )[0]
    fn = ce.max_pool if p["mode"] == "max-pool" else ce.avg_pool
    extra = {"dilation": opt["dilation"]} if p["mode"] == "max-pool" else {}
    return fn(
        x[None],
        opt["kernel"],
        stride=opt["stride"],
        padding=opt["padding"],
        ceil_mode=p["ceil_mode"],
        ndim=2,
        **extra,
    )[0]


@pytest.mark.parametrize("name", [n for n in PRESETS if n != "sobel"])
def test_each_catalog_preset_computes_what_its_case_draws(name):
    """The preset's state, run through the package, gives the numbers of the catalog animation."""
    case = catalog.get("correlation_vs_convolution" if name == "mxnet" else name)
    drawn = case.animate(verify=False).values
    if isinstance(drawn, tuple):  # correlation vs convolution: the correlation half
        drawn = drawn[0]
    np.testing.assert_allclose(
        _preset_output(PRESETS[name]), np.asarray(drawn)[0], rtol=0, atol=1e-12
    )


def test_source_examples_keep_their_numbers():
    np.testing.assert_array_equal(
        _preset_output(PRESETS["mxnet"]), [[60, 56, 52], [39, 61, 66], [54, 78, 82]]
    )
    np.testing.assert_array_equal(
        _preset_output(PRESETS["sobel"]), [[13, 20, 17], [18, 24, 18], [-13, -20, -17]]
    )


def test_presets_are_json_and_the_same_every_time():
    again = _explorer.presets(ROOT)
    assert json.dumps(again, sort_keys=True) == json.dumps(PRESETS, sort_keys=True)


# --------------------------------------------------------------------------
# The extension in a Sphinx build
# --------------------------------------------------------------------------

PAGE = """Explorer
========

.. toctree::

   other

.. conv-explorer::
   :url-state:
   :preset: padding_strides

.. conv-explorer::
   :mode: avg-pool
   :input: 5x7
   :kernel: 3
   :count_include_pad: false
"""


def _build(tmp_path: Path, body: str, builder: str = "html") -> tuple[int, Path]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(
        f'extensions = ["conv_explained._explorer"]\nconv_explorer_probe_root = {str(ROOT)!r}\n'
        'conv_explorer_page = "index"\n'
    )
    (src / "index.rst").write_text(body)
    (src / "other.rst").write_text("Other\n=====\n\nNo explorer here.\n")
    out = tmp_path / builder
    return build_main(["-q", "-W", "-b", builder, str(src), str(out)]), out


def test_directive_writes_explorers_and_adds_assets_only_where_needed(tmp_path):
    status, out = _build(tmp_path, PAGE)
    assert status == 0
    page = (out / "index.html").read_text()
    divs = re.findall(
        r'<div class="conv-explorer" data-config="([^"]*)" data-url-state="(\w+)"', page
    )
    assert [(html.unescape(q), u) for q, u in divs] == [
        ("preset=padding_strides", "true"),
        ("mode=avg-pool&input=5x7&kernel=3&count_include_pad=false", "false"),
    ]
    assert re.search(r'<script src="_static/explorer\.js[^"]*"></script>', page)
    assert re.search(r'<link [^>]*href="_static/explorer\.css', page)
    data = re.search(
        r"<script type=\"application/json\" data-conv-explorer-presets>(.*?)</script>",
        page,
        re.DOTALL,
    )
    assert json.loads(data.group(1)) == json.loads(json.dumps(PRESETS))
    assert "<noscript>" in page
    bounds = re.findall(r'data-limits="([^"]*)"', page)
    assert len(bounds) == 2
    assert json.loads(html.unescape(bounds[0])) == _explorer.limits()
    other = (out / "other.html").read_text()
    assert "explorer.js" not in other
    assert "explorer.css" not in other
    assert (out / "_static" / "explorer.js").read_bytes() == (
        _explorer.STATIC / "explorer.js"
    ).read_bytes()


def test_bad_option_fails_the_build_naming_it(tmp_path, capsys):
    status, _ = _build(tmp_path, "T\n=\n\n.. conv-explorer::\n   :stride: fast\n")
    assert status != 0
    assert "conv-explorer: stride must be an integer or HxW" in capsys.readouterr().err


def test_other_builders_leave_the_explorer_out(tmp_path):
    status, out = _build(tmp_path, PAGE, builder="text")
    assert status == 0
    assert "conv-explorer" not in (out / "index.txt").read_text()


def test_the_script_is_classic_and_within_budget():
    js = (_explorer.STATIC / "explorer.js").read_text()
    css = (_explorer.STATIC / "explorer.css").read_text()
    assert js.lstrip().startswith("/*")
    assert "(function () {" in js
    assert not re.search(r"^\s*(import|export)\s", js, re.MULTILINE)
    assert "http://" not in js + css
    assert "https://" not in js + css
    assert len(js.encode()) + len(css.encode()) <= 60 * 1024
