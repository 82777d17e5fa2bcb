"""Sphinx extension: the ``conv-explorer`` directive, an interactive, verified explorer.

::

    ```{conv-explorer}
    :mode: transpose
    :preset: padding_strides_transposed
    ```

The directive writes a ``<div class="conv-explorer">`` whose state is a
query string (the same parameters as the explorer page's URL: ``mode``,
``input=HxW``, ``kernel``, ``stride``, ``padding``, ``dilation``,
``output_padding``, ``padding_mode``, ``ceil_mode``, ``count_include_pad``,
``seed``, ``x``, ``w``, ``preset``). ``explorer.js``, ``explorer_print.js``
(the static summary that prints instead of the live form) and ``explorer.css``
(shipped beside this module, classic script and plain CSS: the site works
from ``file://``) are added only to pages that hold an explorer. With the
``url-state`` flag the instance also reads and writes the page's URL.

The presets are generated here at build time: every two-dimensional,
single-channel case of :mod:`conv_explained.catalog` (the fifteen
conv_arithmetic cases under their names, the MXNet image and kernel 0..8,
pooling, padding modes) and the Sobel example of the PyTorch post from the
framework probes' cases (``probes/cases.py`` beside ``docs/``). The browser
test checks that the explorer's output for each preset equals the package's.
"""

from __future__ import annotations

import html
import importlib
import json
import math
import re
import sys
import urllib.parse
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

from . import catalog
from .render import _pipeline

__all__ = ["RANGES", "STATIC", "conv_explorer", "limits", "parse_options", "presets", "setup"]

#: The explorer's JavaScript and CSS.
STATIC = Path(__file__).parent / "_explorer_static"

MODES = ("correlate", "convolve", "transpose", "max-pool", "avg-pool")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")
PADDING_WORDS = ("valid", "same", "full")
_PAIRS = ("input", "kernel", "stride", "dilation", "output_padding")
_BOOLS = ("ceil_mode", "count_include_pad")
_CATALOG_OPS = {
    "correlate": "correlate",
    "convolve": "convolve",
    "compare": "correlate",
    "transpose": "transpose",
    "transpose-direct": "transpose",
    "max-pool": "max-pool",
    "avg-pool": "avg-pool",
}
#: Catalog cases renamed for the reader (the name the sources use).
_RENAMED = {"correlation_vs_convolution": "mxnet"}

#: The explorer's own ranges, (lowest, highest) per axis (the package has none).
RANGES: dict[str, tuple[int, int]] = {
    "input": (1, 16),
    "kernel": (1, 7),
    "stride": (1, 4),
    "dilation": (1, 4),
    "padding": (0, 8),
    "output_padding": (0, 3),
}
#: Largest seed; longest address the explorer reads, longest value of a
#: non-grid parameter, longest number text and longest alert (characters).
MAX_SEED = 999_999
MAX_QUERY = 16_384
MAX_VALUE = 64
MAX_NUMBER = 32
MAX_ALERT = 300
#: A number as the explorer reads it (ASCII digits only, no inf or nan).
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?", re.IGNORECASE | re.ASCII)
_PAIR = re.compile(r"(-?\d+)\s*(?:[x,]\s*(-?\d+))?", re.IGNORECASE | re.ASCII)


def limits() -> dict[str, Any]:
    """What the explorer's script reads from its page: its ranges and the renderer's limits.

    ``draw`` holds the drawing limits of :mod:`conv_explained.render` (cells per
    input axis, per padded axis, and steps), so the code panel offers a
    ``conv-explained animate`` command exactly when the renderer draws it.

    >>> limits()["draw"]["steps"] == _pipeline.MAX_STEPS
    True
    """
    return {
        "ranges": {k: list(v) for k, v in RANGES.items()},
        "seed": MAX_SEED,
        "query": MAX_QUERY,
        "value": MAX_VALUE,
        "number": MAX_NUMBER,
        "alert": MAX_ALERT,
        "draw": {
            "cells": _pipeline.MAX_CELLS,
            "padded": _pipeline.MAX_PADDED,
            "steps": _pipeline.MAX_STEPS,
        },
    }


class conv_explorer(nodes.General, nodes.Element):
    """An explorer instance; ``query`` holds its state, ``url_state`` the flag."""


# --------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------


def _short(text: str) -> str:
    """``text`` quoted, cut to 40 characters (a message never grows with its input)."""
    return repr(text if len(text) <= 40 else text[:39] + "\u2026")


def _in_range(name: str, values: list[int], text: str) -> None:
    low, high = RANGES[name]
    if not all(low <= v <= high for v in values):
        raise ValueError(f"the explorer takes {name} from {low} to {high}, got {_short(text)}")


def _pair(name: str, text: str) -> str:
    """``"3"``, ``"3x2"`` or ``"3,2"`` checked and normalised to ``"3"`` / ``"3x2"``."""
    match = _PAIR.fullmatch(text.strip(" \t\n\r\f\v"))
    if match is None:
        raise ValueError(
            f"{name} must be an integer or HxW (for example 3 or 3x2), got {_short(text)}"
        )
    parts = [p for p in match.groups() if p is not None]
    if any(len(p) > 9 for p in parts):
        raise ValueError(
            f"the explorer takes {name} from {RANGES[name][0]} to {RANGES[name][1]}, "
            f"got {_short(text)}"
        )
    values = [int(p) for p in parts]
    _in_range(name, values, text)
    if len(values) == 2 and values[0] == values[1]:
        values = values[:1]
    return "x".join(map(str, values))


def _grid(name: str, text: str) -> str:
    """``"1,2;3,4"``: rows separated by ``;``, values by ``,``; all rows of one length."""
    limit = RANGES["input" if name == "x" else "kernel"][1]
    rows = text.strip(" \t\n\r\f\v").split(";")
    if len(rows) > limit or any(row.count(",") >= limit for row in rows):
        raise ValueError(f"{name} holds more than {limit} rows or columns, got {_short(text)}")
    values: list[list[float]] = []
    for row in rows:
        cells = [v.strip(" \t\n\r\f\v") for v in row.split(",")]
        if not all(len(v) <= MAX_NUMBER and _NUMBER.fullmatch(v) for v in cells):
            raise ValueError(f"{name} must be numbers, rows separated by ';', got {_short(text)}")
        values.append([float(v) for v in cells])
    if not all(math.isfinite(v) for row in values for v in row):
        raise ValueError(f"{name} holds a number beyond the largest double, got {_short(text)}")
    if len({len(r) for r in values}) != 1:
        raise ValueError(
            f"{name} must have the same number of values in every row, got {_short(text)}"
        )
    return ";".join(",".join(_number(v) for v in row) for row in values)


def _number(value: float) -> str:
    """The shortest text that reads back as ``value`` (an integer while it is exact)."""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) <= 2**53 else repr(value)


def _choice(name: str, text: str, choices: tuple[str, ...]) -> str:
    if text not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {_short(text)}")
    return text


def _padding(name: str, text: str) -> str:
    return text.lower() if text.lower() in PADDING_WORDS else _pair(name, text)


def _bool(name: str, text: str) -> str:
    if text.lower() not in ("true", "false", "1", "0"):
        raise ValueError(f"{name} must be true or false, got {_short(text)}")
    return "true" if text.lower() in ("true", "1") else "false"


def _seed(name: str, text: str) -> str:
    if not (re.fullmatch(r"\d{1,9}", text, re.ASCII) and int(text) <= MAX_SEED):
        raise ValueError(f"{name} must be an integer from 0 to {MAX_SEED}, got {_short(text)}")
    return str(int(text))


#: How each directive option is checked and normalised (name, text) -> text.
_OPTION_RULES: dict[str, Any] = {
    "mode": lambda name, text: _choice(name, text, MODES),
    "padding": _padding,
    "padding_mode": lambda name, text: _choice(name, text, PADDING_MODES),
    "seed": _seed,
    "x": _grid,
    "w": _grid,
    **dict.fromkeys(_PAIRS, _pair),
    **dict.fromkeys(_BOOLS, _bool),
}


def parse_options(options: dict[str, Any], known_presets: dict[str, Any]) -> str:
    """The directive's options as the explorer's query string (without ``?``).

    Raises ``ValueError`` naming the option and quoting its value.

    >>> parse_options({"mode": "convolve", "stride": "2x1", "padding": "Same"}, {})
    'mode=convolve&stride=2x1&padding=same'
    """
    rules = {
        **_OPTION_RULES,
        "preset": lambda name, text: _choice(name, text, tuple(known_presets)),
    }
    query: list[tuple[str, str]] = []
    for key, raw in options.items():
        if key in ("url-state", "class"):
            continue
        if key not in rules:  # pragma: no cover - docutils refuses unknown options first
            raise ValueError(f"unknown option {key!r}")
        text = str(raw).strip(" \t\n\r\f\v")  # ASCII whitespace, as the script trims
        if key not in ("x", "w") and len(text) > MAX_VALUE:
            raise ValueError(f"{key} is {len(text)} characters long; at most {MAX_VALUE}")
        query.append((key, rules[key](key, text)))
    _check_shapes(dict(query))
    # Percent-encoded ("1e+21" keeps its "+"), with "," and ";" left readable.
    return "&".join(f"{k}={urllib.parse.quote(v, safe=',;')}" for k, v in query)


def _check_shapes(query: dict[str, str]) -> None:
    """``x`` and ``w`` must have the sizes ``input`` and ``kernel`` give, when both are given."""
    for grid, size in (("x", "input"), ("w", "kernel")):
        if grid in query and size in query:
            rows = query[grid].split(";")
            shape = f"{len(rows)}x{rows[0].count(',') + 1}"
            if _pair(size, shape) != query[size]:
                raise ValueError(f"{grid} is {shape} but {size} is {query[size]}")


# --------------------------------------------------------------------------
# Presets
# --------------------------------------------------------------------------


def _pair_value(value: Any) -> list[int]:
    if isinstance(value, list | tuple):
        return [int(v) for v in value]
    return [int(value), int(value)]


def _plane(array: Any) -> np.ndarray | None:
    """A single-channel 2-D array (leading unit axes dropped), else None."""
    a = np.asarray(array)
    while a.ndim > 2 and a.shape[0] == 1:
        a = a[0]
    return a if a.ndim == 2 else None


def _values(a: np.ndarray) -> list[list[float | int]]:
    return [[int(v) if float(v).is_integer() else float(v) for v in row] for row in a.tolist()]


def catalog_preset(case: catalog.Case) -> dict[str, Any] | None:
    """The explorer state of a catalog case, or None if it is not 2-D single-channel."""
    mode = _CATALOG_OPS.get(case.op)
    if mode is None or case.params.get("groups", 1) != 1:
        return None
    arrays = case.inputs()
    x = _plane(arrays["x"])
    if x is None:
        return None
    preset: dict[str, Any] = {"title": case.title, "source": f"catalog: {case.name}", "mode": mode}
    preset["x"] = _values(x)
    params = case.params
    if mode in ("max-pool", "avg-pool"):
        kernel = _pair_value(params["kernel_size"])
        preset["kernel"] = kernel
        preset["stride"] = _pair_value(params.get("stride", kernel))
        preset["ceil_mode"] = bool(params.get("ceil_mode", False))
        preset["count_include_pad"] = bool(params.get("count_include_pad", True))
    else:
        w = _plane(arrays["weight"])
        if w is None:
            return None
        preset["w"] = _values(w)
        preset["stride"] = _pair_value(params.get("stride", 1))
    padding = params.get("padding", 0)
    preset["padding"] = padding if isinstance(padding, str) else _pair_value(padding)
    preset["dilation"] = _pair_value(params.get("dilation", 1))
    preset["output_padding"] = _pair_value(params.get("output_padding", 0))
    preset["padding_mode"] = params.get("padding_mode", "zeros")
    return preset


def source_preset(case: dict[str, Any], title: str) -> dict[str, Any]:
    """The explorer state of a framework probe case (a 2-D, single-channel conv)."""
    x, w = _plane(case["x"]), _plane(case["weight"])
    if x is None or w is None or case.get("kind") != "conv" or case.get("groups", 1) != 1:
        raise ValueError(f"probe case {case['id']!r} is not a single-channel 2-D convolution")
    padding = case["padding"]
    return {
        "title": title,
        "source": f"probes/cases.py: {case['id']}",
        "mode": "correlate",
        "x": _values(x),
        "w": _values(w),
        "stride": _pair_value(case["stride"]),
        "padding": padding if isinstance(padding, str) else _pair_value(padding),
        "dilation": _pair_value(case["dilation"]),
        "output_padding": [0, 0],
        "padding_mode": case.get("padding_mode", "zeros"),
    }


#: Source examples taken from the framework probes: (probe id, preset name, title).
SOURCE_EXAMPLES = (
    ("torch_seed_sobel", "sobel", "Sobel kernel on 1..9, padding 1 (PyTorch post)"),
)


def presets(probe_root: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """Every preset, by name: catalog cases, then the source examples.

    ``probe_root`` is the folder holding the ``probes`` package (the repository);
    without it only the catalog presets are returned.
    """
    found: dict[str, dict[str, Any]] = {}
    for case in catalog.CATALOG.values():
        preset = catalog_preset(case)
        if preset is not None:
            if case.name in _RENAMED:
                preset["title"] = "MXNet post: 5x5 image, kernel 0..8"
            found[_RENAMED.get(case.name, case.name)] = preset
    if probe_root is not None:
        root = str(Path(probe_root).resolve())
        if root not in sys.path:
            sys.path.insert(0, root)
        cases = importlib.import_module("probes.cases")
        for probe_id, name, title in SOURCE_EXAMPLES:
            found[name] = source_preset(cases.by_id(probe_id), title)
    return found


# --------------------------------------------------------------------------
# Directive and HTML
# --------------------------------------------------------------------------


_CACHE: dict[str, dict[str, dict[str, Any]]] = {}


def _presets_for(config: Any, srcdir: str | Path) -> dict[str, dict[str, Any]]:
    """The presets of a build (the probes are looked for beside the source folder)."""
    root = config.conv_explorer_probe_root
    root = str(Path(srcdir).parent if root is None else root)
    if root not in _CACHE:
        try:
            _CACHE[root] = presets(root)
        except (ImportError, KeyError, ValueError) as exc:
            raise ExtensionError(f"conv-explorer: cannot build the presets: {exc}") from exc
    return _CACHE[root]


class ConvExplorer(SphinxDirective):
    """``conv-explorer``: an interactive explorer; options as the page's URL parameters."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "mode": directives.unchanged_required,
        "preset": directives.unchanged_required,
        "input": directives.unchanged_required,
        "kernel": directives.unchanged_required,
        "stride": directives.unchanged_required,
        "padding": directives.unchanged_required,
        "dilation": directives.unchanged_required,
        "output_padding": directives.unchanged_required,
        "padding_mode": directives.unchanged_required,
        "ceil_mode": directives.unchanged_required,
        "count_include_pad": directives.unchanged_required,
        "seed": directives.unchanged_required,
        "x": directives.unchanged_required,
        "w": directives.unchanged_required,
        "url-state": directives.flag,
    }

    def run(self) -> list[nodes.Node]:
        """One explorer node (or a build error naming the bad option)."""
        try:
            query = parse_options(self.options, _presets_for(self.config, self.env.srcdir))
        except ValueError as exc:
            raise self.error(f"conv-explorer: {exc}") from None
        node = conv_explorer()
        node["query"] = query
        node["url_state"] = "url-state" in self.options
        self.set_source_info(node)
        return [node]


def visit_html(self: Any, node: conv_explorer) -> None:
    """The explorer's container, its presets and a fallback without JavaScript."""
    builder = self.builder
    found = _presets_for(builder.config, builder.srcdir)
    data = json.dumps(found, sort_keys=True, separators=(",", ":"))
    data = data.replace("</", "<\\/")  # no "</script>" inside the script element
    page = builder.config.conv_explorer_page
    link = builder.get_relative_uri(builder.current_docname, page)
    bounds = json.dumps(limits(), sort_keys=True, separators=(",", ":"))
    self.body.append(
        f'<div class="conv-explorer" data-config="{html.escape(node["query"])}" '
        f'data-url-state="{"true" if node["url_state"] else "false"}" '
        f'data-explorer="{html.escape(link)}" data-limits="{html.escape(bounds)}">'
        "<noscript><p>The explorer needs JavaScript; the same numbers come from "
        "<code>conv-explained animate</code>.</p></noscript></div>\n"
        f'<script type="application/json" data-conv-explorer-presets>'
        f"{data}</script>\n"
    )
    raise nodes.SkipNode


def skip(self: Any, node: conv_explorer) -> None:
    """Other builders (text, LaTeX, ...) leave the explorer out."""
    raise nodes.SkipNode


def _add_static(app: Any) -> None:
    if STATIC not in [Path(p) for p in app.config.html_static_path]:
        app.config.html_static_path.append(str(STATIC))


def _page_assets(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    if doctree is not None and next(iter(doctree.findall(conv_explorer)), None) is not None:
        app.add_css_file("explorer.css")
        app.add_js_file("explorer.js")
        app.add_js_file("explorer_print.js")  # the static summary printed instead


def setup(app: Any) -> dict[str, Any]:
    """Register the directive, its node and its static files."""
    app.add_config_value("conv_explorer_page", "explorer", "html")
    app.add_config_value("conv_explorer_probe_root", None, "env")
    app.add_node(
        conv_explorer,
        html=(visit_html, None),
        latex=(skip, None),
        text=(skip, None),
        man=(skip, None),
        texinfo=(skip, None),
    )
    app.add_directive("conv-explorer", ConvExplorer)
    app.connect("builder-inited", _add_static)
    app.connect("html-page-context", _page_assets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
