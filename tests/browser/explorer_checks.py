"""The explorer's arithmetic against conv_explained (and torch): the agreement check.

The explorer (``explorer.html``, ``conv_explained/_explorer_static/explorer.js``)
is a second implementation of the package's arithmetic, in JavaScript. These
helpers give it a state through the page address, read back the three HTML
tables (``data-grid="input"``, ``"kernel"``, ``"output"``) and the alert, and
compare the output with :mod:`conv_explained` and with PyTorch:

* a state the package or torch refuses must show ``[role=alert]`` holding the
  package's message, and no output table;
* any other state must show no alert, and an output equal to the package's
  (average pooling to the two decimals shown), which also equals torch's;
* the torch (and, for true convolution, SciPy) code in the code panel,
  executed, must give the numbers in the table.

``check_states`` returns a list of problems (empty when all agree), so that
``test_explorer_faults.py`` can show the check failing on a broken explorer.
"""

from __future__ import annotations

import contextlib
import io
import random
import urllib.parse
from typing import Any

import numpy as np

MODES = ("correlate", "convolve", "transpose", "max-pool", "avg-pool")

#: Reads instance ``index`` of the page: alert, tables, code panel.
READ = """
(index) => {
  const root = document.querySelectorAll('.conv-explorer')[index];
  if (!root) return null;
  const alert = root.querySelector('[role=alert]');
  const table = (name) => {
    const t = root.querySelector(`table[data-grid="${name}"]`);
    return t ? Array.from(t.tBodies[0].rows).map(
      (tr) => Array.from(tr.cells).map((td) => td.textContent)) : null;
  };
  const input = root.querySelector('table[data-grid="input"]');
  const real = input ? Array.from(input.querySelectorAll('td[data-i]')).map(
    (td) => [+td.dataset.i, +td.dataset.j, td.textContent]) : [];
  const code = {};
  root.querySelectorAll('.cx-snippet').forEach((s) => { code[s.dataset.code] = s.querySelector('code').textContent; });
  return {
    alert: alert && !alert.hidden ? alert.textContent : '',
    real: real, kernel: table('kernel'), output: table('output'), code: code,
    config: root.getAttribute('data-config') || '',
  };
}
"""

#: Gives the explorer page a new address and lets it read it (no reload).
NAVIGATE = """
(query) => {
  history.pushState(null, '', location.pathname + query);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
"""


def read(page: Any, index: int = 0) -> dict[str, Any]:
    """What instance ``index`` of the loaded page shows."""
    shown = page.evaluate(READ, index)
    if shown is None:
        raise AssertionError(f"no explorer instance {index} on {page.url}")
    return shown


def _grid_text(values: np.ndarray) -> str:
    return ";".join(",".join(_num(v) for v in row) for row in np.asarray(values).tolist())


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def query(params: dict[str, str]) -> str:
    """``?k=v&...`` with ``;`` and ``,`` left readable (URLSearchParams reads both)."""
    return "?" + "&".join(f"{k}={urllib.parse.quote(v, safe=';,.-x')}" for k, v in params.items())


# --------------------------------------------------------------------------
# Random states
# --------------------------------------------------------------------------


def _pair(rng: random.Random, lo: int, hi: int, same: float = 0.6) -> tuple[int, int]:
    a = rng.randint(lo, hi)
    return (a, a) if rng.random() < same else (a, rng.randint(lo, hi))


def _hw(p: tuple[int, int]) -> str:
    return str(p[0]) if p[0] == p[1] else f"{p[0]}x{p[1]}"


def _values(rng: random.Random, shape: tuple[int, int], lo: int, hi: int) -> np.ndarray:
    values = np.array([[rng.randint(lo, hi) for _ in range(shape[1])] for _ in range(shape[0])])
    if rng.random() < 0.25:  # halves and quarters: exact in binary, so sums stay exact
        return values + np.array([[rng.choice((0, 0.5, -0.25)) for _ in r] for r in values])
    return values


def _padding_params(
    rng: random.Random, mode: str, kernel: tuple[int, int], params: dict[str, str]
) -> dict[str, str]:
    """The padding-related options of a random state (may also reset ``stride``)."""
    params = dict(params)
    if mode in ("correlate", "convolve"):
        r = rng.random()
        if r < 0.25:
            params["padding"] = rng.choice(("valid", "same", "full"))
            if params["padding"] == "same" and rng.random() < 0.6:
                params["stride"] = "1"
        else:
            params["padding"] = _hw(_pair(rng, 0, 3, same=0.6))
        params["padding_mode"] = rng.choice(("zeros", "zeros", "reflect", "replicate", "circular"))
    elif mode == "transpose":
        params["padding"] = _hw(_pair(rng, 0, 3, same=0.6))
        params["output_padding"] = _hw(_pair(rng, 0, 2, same=0.5))
    else:
        half = (kernel[0] // 2, kernel[1] // 2)
        pad = (rng.randint(0, half[0]), rng.randint(0, half[1]))
        if rng.random() < 0.08:
            pad = (half[0] + 1, pad[1])  # refused: more than half the window
        params["padding"] = _hw(pad)
        params["ceil_mode"] = rng.choice(("true", "false"))
        if mode == "avg-pool":
            params["count_include_pad"] = rng.choice(("true", "false"))
    return params


def random_state(rng: random.Random, mode: str | None = None) -> dict[str, str]:
    """URL parameters of a random state: every mode, option and value form."""
    mode = mode or rng.choice(MODES)
    small = rng.random() < 0.7
    size = _pair(rng, 1, 8 if small else 16, same=0.4)
    pool = mode in ("max-pool", "avg-pool")
    kernel = _pair(rng, 1, 4 if small else 7, same=0.6)
    params = {"mode": mode, "input": _hw(size), "kernel": _hw(kernel)}
    params["stride"] = _hw(_pair(rng, 1, 4 if pool else 3, same=0.6))
    if mode != "avg-pool":
        params["dilation"] = _hw(_pair(rng, 1, 4, same=0.6) if rng.random() < 0.4 else (1, 1))
    params.update(_padding_params(rng, mode, kernel, params))
    params["seed"] = str(rng.randint(0, 99999))
    if rng.random() < 0.3:
        params["x"] = _grid_text(_values(rng, size, -5, 9))
    if not pool and rng.random() < 0.3:
        params["w"] = _grid_text(_values(rng, kernel, -3, 3))
    r = rng.random()
    if r < 0.03:
        params["stride"] = "0"  # ezyang's issue 4: must be refused, not break
    elif r < 0.05:
        params["padding"] = "-1"
    return params


#: States every check must see refused, one per rule (beyond the random ones).
REFUSED = [
    {"mode": "correlate", "input": "5", "kernel": "3", "stride": "0"},
    {"mode": "correlate", "input": "5", "kernel": "3", "stride": "2", "padding": "same"},
    {"mode": "convolve", "input": "3", "kernel": "3", "padding": "3", "padding_mode": "reflect"},
    {
        "mode": "correlate",
        "input": "2x5",
        "kernel": "3",
        "padding": "3",
        "padding_mode": "circular",
    },
    {"mode": "correlate", "input": "4", "kernel": "5", "padding": "0"},
    {"mode": "correlate", "input": "5", "kernel": "3", "dilation": "3", "padding": "0"},
    {"mode": "correlate", "input": "5", "kernel": "3", "padding": "-1"},
    {"mode": "transpose", "input": "3", "kernel": "3", "stride": "2", "output_padding": "2"},
    {"mode": "transpose", "input": "2", "kernel": "1", "stride": "1", "padding": "3"},
    {"mode": "transpose", "input": "3", "kernel": "3", "padding": "same"},
    {"mode": "max-pool", "input": "5", "kernel": "3", "padding": "2"},
    {"mode": "max-pool", "input": "3", "kernel": "5", "padding": "0", "dilation": "2"},
    {"mode": "avg-pool", "input": "4", "kernel": "2", "padding": "valid"},
    {"mode": "avg-pool", "input": "2x6", "kernel": "3", "stride": "1", "padding": "0"},
]


# --------------------------------------------------------------------------
# Expected values
# --------------------------------------------------------------------------


def _parse_pair(text: str) -> tuple[int, int]:
    parts = text.lower().replace(",", "x").split("x")
    a = int(parts[0])
    return (a, int(parts[1]) if len(parts) > 1 else a)


def _opt(pair: tuple[int, int]) -> int | tuple[int, int]:
    return pair[0] if pair[0] == pair[1] else pair


def options(params: dict[str, str], kernel: tuple[int, int]) -> dict[str, Any]:
    """The state's options as the package takes them (an int when both axes agree)."""
    mode = params.get("mode", "correlate")
    pool = mode in ("max-pool", "avg-pool")
    default_stride = _hw(kernel) if pool else "1"
    opts: dict[str, Any] = {"stride": _opt(_parse_pair(params.get("stride", default_stride)))}
    padding = params.get("padding", "0").lower()
    opts["padding"] = (
        padding if padding in ("valid", "same", "full") else _opt(_parse_pair(padding))
    )
    if mode != "avg-pool":
        opts["dilation"] = _opt(_parse_pair(params.get("dilation", "1")))
    if mode in ("correlate", "convolve"):
        opts["padding_mode"] = params.get("padding_mode", "zeros")
    if mode == "transpose":
        opts["output_padding"] = _opt(_parse_pair(params.get("output_padding", "0")))
    if pool:
        opts["ceil_mode"] = params.get("ceil_mode", "false").lower() in ("1", "true")
        opts["kernel_size"] = _opt(kernel)
    if mode == "avg-pool":
        opts["count_include_pad"] = params.get("count_include_pad", "true").lower() in (
            "1",
            "true",
        )
    return opts


def package_result(mode: str, x: np.ndarray, w: np.ndarray | None, opts: dict) -> Any:
    """The package's output (2-D), or the exception it raises."""
    import conv_explained as ce

    try:
        if mode in ("correlate", "convolve"):
            fn = ce.correlate if mode == "correlate" else ce.convolve
            return fn(x[None], w[None, None], **opts)[0]
        if mode == "transpose":
            return ce.conv_transpose(x[None], w[None, None], **opts)[0]
        o = dict(opts)
        k = o.pop("kernel_size")
        fn = ce.max_pool if mode == "max-pool" else ce.avg_pool
        return fn(x[None], k, ndim=2, **o)[0]
    except (ValueError, TypeError) as exc:
        return exc


def torch_result(mode: str, x: np.ndarray, w: np.ndarray | None, opts: dict) -> Any:
    """torch.nn.functional's output (2-D float64 numpy), or the exception it raises.

    Padding words torch lacks ('full') become numbers; padding modes go through
    ``F.pad`` as ``nn.Conv2d`` does.
    """
    import torch
    import torch.nn.functional as F

    tx = torch.tensor(np.asarray(x, dtype=np.float64))[None, None]
    try:
        if mode in ("correlate", "convolve"):
            import conv_explained as ce

            tw = torch.tensor(np.asarray(w, dtype=np.float64))[None, None]
            if mode == "convolve":
                tw = tw.flip(-2, -1)
            o = dict(opts)
            mode_ = o.pop("padding_mode")
            padding = o.pop("padding")
            if padding == "same" and o["stride"] not in (1, (1, 1)):
                pass  # torch refuses it below
            elif padding == "full" or (mode_ != "zeros" and padding != "valid"):
                pads = ce.resolve_padding(
                    padding, w.shape, stride=o["stride"], dilation=o["dilation"]
                )
                flat = (pads[1][0], pads[1][1], pads[0][0], pads[0][1])
                tx = F.pad(tx, flat) if mode_ == "zeros" else F.pad(tx, flat, mode=mode_)
                padding = 0
            return F.conv2d(tx, tw, padding=padding, **o)[0, 0].numpy()
        if mode == "transpose":
            tw = torch.tensor(np.asarray(w, dtype=np.float64))[None, None]
            return F.conv_transpose2d(tx, tw, **opts)[0, 0].numpy()
        o = dict(opts)
        if mode == "max-pool":
            return F.max_pool2d(tx, **o)[0, 0].numpy()
        return F.avg_pool2d(tx, **o)[0, 0].numpy()
    except (RuntimeError, ValueError, TypeError, IndexError, NotImplementedError) as exc:
        return exc


def _numbers(rows: list[list[str]]) -> np.ndarray:
    return np.array([[float(v) for v in row] for row in rows], dtype=np.float64)


def _input_of(shown: dict) -> np.ndarray:
    cells = shown["real"]
    h = max(c[0] for c in cells) + 1
    w = max(c[1] for c in cells) + 1
    x = np.zeros((h, w))
    for i, j, text in cells:
        x[i, j] = float(text)
    return x


def _as_int(a: np.ndarray) -> np.ndarray:
    return a.astype(np.int64) if np.all(a == np.round(a)) else a


def _run_code(text: str) -> np.ndarray:
    """Execute a code-panel snippet (its print silenced); returns its ``y``, squeezed to 2-D."""
    scope: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        code = compile(text, "<explorer code panel>", "exec")
        exec(code, scope)  # noqa: S102 - the code panel is what is tested
    y = scope["y"]
    y = y.numpy() if hasattr(y, "numpy") else np.asarray(y)
    return y.reshape(y.shape[-2:])


def _given(text: str) -> np.ndarray:
    return np.array([[float(v) for v in r.split(",")] for r in text.split(";")])


def _shown_arrays(params: dict[str, str], shown: dict, where: str) -> tuple[Any, list[str]]:
    """The input and kernel the page shows, checked against the state: ((x, w, kernel) or None)."""
    problems: list[str] = []
    x = _as_int(_input_of(shown))
    if "x" in params:
        given = _given(params["x"])
        if given.shape != x.shape or not np.array_equal(given, x):
            problems.append(f"{where}: input shown {x.tolist()} is not x= {given.tolist()}")
    elif "input" in params and x.shape != _parse_pair(params["input"]):
        problems.append(f"{where}: input shown is {x.shape}, not input={params['input']}")
    if params.get("mode", "correlate") in ("max-pool", "avg-pool"):
        return (x, None, _parse_pair(params.get("kernel", "3"))), problems
    if shown["kernel"] is None:
        return None, [*problems, f"{where}: no kernel table"]
    w = _as_int(_numbers(shown["kernel"]))
    if "w" in params:
        given = _given(params["w"])
        if given.shape != w.shape or not np.array_equal(given, w):
            problems.append(f"{where}: kernel shown {w.tolist()} is not w= {given.tolist()}")
    return (x, w, w.shape), problems


def _check_refused(where: str, ours: Any, theirs: Any, shown: dict) -> list[str]:
    """A state the package or torch refuses: an alert with the package's words, no numbers."""
    refused = isinstance(ours, Exception)
    problems: list[str] = []
    if refused != isinstance(theirs, Exception):
        problems.append(
            f"{where}: the package {'refuses' if refused else 'accepts'} this state but torch "
            f"{'refuses' if isinstance(theirs, Exception) else 'accepts'} it ({ours if refused else theirs})"
        )
    if not shown["alert"]:
        problems.append(f"{where}: refused ({ours if refused else theirs}) but no alert shown")
    elif refused and str(ours) not in shown["alert"]:
        problems.append(
            f"{where}: alert {shown['alert']!r} lacks the package's message {str(ours)!r}"
        )
    if shown["output"] is not None:
        problems.append(f"{where}: refused state shows output numbers {shown['output']}")
    return problems


def _check_output(where: str, mode: str, shown: dict, want: np.ndarray, theirs: Any) -> list[str]:
    """The output table against the package (two decimals for averages) and torch."""
    problems: list[str] = []
    if shown["alert"]:
        problems.append(f"{where}: valid state shows the alert {shown['alert']!r}")
    if shown["output"] is None:
        return [*problems, f"{where}: no output table"]
    got = _numbers(shown["output"])
    if got.shape != want.shape:
        return [*problems, f"{where}: output shape {got.shape}, package gives {want.shape}"]
    if mode == "avg-pool":
        if any(len(v.split(".")[-1]) != 2 or "." not in v for row in shown["output"] for v in row):
            problems.append(f"{where}: average pooling must show two decimals: {shown['output']}")
        bad = np.abs(got - want) > 0.005 + 1e-9
    else:
        bad = got != want
    if bad.any():
        i, j = np.argwhere(bad)[0]
        problems.append(
            f"{where}: output[{i}, {j}] shows {shown['output'][i][j]}, the package gives "
            f"{want[i, j]!r} ({int(bad.sum())} of {bad.size} cells differ)"
        )
    if not np.allclose(np.asarray(theirs), want, rtol=0, atol=1e-9):
        problems.append(
            f"{where}: the package and torch disagree: {want.tolist()} vs {theirs.tolist()}"
        )
    return problems


def _check_code(where: str, mode: str, shown: dict, want: np.ndarray) -> list[str]:
    """The code panel's torch (and, for true convolution, scipy) code gives the table."""
    problems: list[str] = []
    for name in ("torch", "scipy"):
        text = shown["code"].get(name)
        if name == "torch" and not text:
            problems.append(f"{where}: no torch code shown")
        if not text:
            continue
        try:
            y = _run_code(text)
        except Exception as exc:  # noqa: BLE001 - any failure of the shown code is a problem
            problems.append(f"{where}: the {name} code fails: {type(exc).__name__}: {exc}")
            continue
        if y.shape != want.shape or not np.allclose(y, want, rtol=0, atol=1e-9):
            problems.append(f"{where}: the {name} code gives {y.tolist()}, not {want.tolist()}")
    if mode == "convolve" and not shown["code"].get("scipy"):
        problems.append(f"{where}: no scipy code for true convolution")
    return problems


def compare(
    params: dict[str, str], shown: dict, *, run_code: bool = True, expected: Any = None
) -> list[str]:
    """Problems with one shown state (empty list when it agrees with the package and torch)."""
    where = query(params)
    mode = params.get("mode", "correlate")
    if not shown["real"]:
        return [f"{where}: no input cells shown"]
    arrays, problems = _shown_arrays(params, shown, where)
    if arrays is None:
        return problems
    x, w, kernel = arrays
    opts = options(params, tuple(kernel))
    ours = package_result(mode, x, w, opts) if expected is None else expected
    theirs = torch_result(mode, x, w, opts)
    if isinstance(ours, Exception) or isinstance(theirs, Exception):
        return problems + _check_refused(where, ours, theirs, shown)
    want = np.asarray(ours, dtype=np.float64)
    problems += _check_output(where, mode, shown, want, theirs)
    if run_code and shown["output"] is not None:
        problems += _check_code(where, mode, shown, want)
    return problems


def check_states(
    page: Any, states: list[dict[str, str]], *, run_code: bool = True
) -> tuple[list[str], dict[str, int]]:
    """Drive the loaded explorer page through ``states`` (by address); problems and counts."""
    problems: list[str] = []
    counts = {"states": 0, "refused": 0, "cells": 0}
    for params in states:
        page.evaluate(NAVIGATE, query(params))
        shown = read(page)
        problems += compare(params, shown, run_code=run_code)
        counts["states"] += 1
        if shown["output"] is None:
            counts["refused"] += 1
        else:
            counts["cells"] += sum(len(r) for r in shown["output"])
    return problems, counts


def random_states(seed: int, n: int) -> list[dict[str, str]]:
    """``n`` random states, each mode equally often, plus every refusal rule."""
    rng = random.Random(seed)
    return [random_state(rng, MODES[k % len(MODES)]) for k in range(n)] + [
        dict(s) for s in REFUSED
    ]
