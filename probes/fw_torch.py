"""PyTorch probe: ``torch.nn.functional`` and ``torch.nn.Conv2d`` (NCHW, float64)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ._record import ntuple, record, spatial

# Expected: torch copies the input to pad an even kernel asymmetrically.
warnings.filterwarnings("ignore", message="Using padding=.same. with even kernel")

PREPARE = "x, w = (torch.from_numpy(a) for a in (case.x, case.weight))  # float64, NCHW / OIHW"


def versions() -> dict[str, str]:
    """Versions of the libraries the probe used."""
    return {"torch": torch.__version__, "numpy": np.__version__}


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().numpy()


def _t(a: Any) -> torch.Tensor | None:
    return None if a is None else torch.from_numpy(np.asarray(a))


def run(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every call this probe makes for one case."""
    kind = case["kind"]
    if kind == "conv":
        yield from _conv(case)
    elif kind == "conv_transpose":
        yield from _conv_transpose(case)
    elif kind == "max_pool":
        yield _pool(case, "max_pool", {})
    elif kind == "avg_pool":
        yield _pool(case, "avg_pool", {"count_include_pad": case["count_include_pad"]})


def _layout(n: int) -> str:
    return "NC" + "DHW"[3 - n :]


def _conv(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    if np.iscomplexobj(x):
        return
    n = spatial(case)
    padding = case["padding"]
    if padding == "full":  # torch has no "full": spell it out
        padding = tuple(
            d * (k - 1) for d, k in zip(ntuple(case["dilation"], n), w.shape[2:], strict=True)
        )
    options = {
        "stride": case["stride"],
        "padding": padding,
        "dilation": case["dilation"],
        "groups": case["groups"],
    }
    if case["padding_mode"] == "zeros":
        yield record(
            f"torch.nn.functional.conv{n}d",
            getattr(F, f"conv{n}d"),
            [("x", _t(x)), ("w", _t(w)), ("bias", _t(case["bias"]))],
            options,
            layout=_layout(n),
            prepare=PREPARE + "; bias = torch.from_numpy(case.bias) or None",
            to_numpy=_np,
        )
    else:
        layer = getattr(torch.nn, f"Conv{n}d")(
            x.shape[1],
            w.shape[0],
            tuple(w.shape[2:]),
            bias=False,
            padding_mode=case["padding_mode"],
            dtype=torch.float64,
            **options,
        )
        layer.weight.data = _t(w)
        text = ", ".join(f"{k}={v!r}" for k, v in options.items())
        yield {
            "function": f"torch.nn.Conv{n}d",
            "call": (
                f"conv = torch.nn.Conv{n}d({x.shape[1]}, {w.shape[0]}, {tuple(w.shape[2:])}, "
                f"bias=False, padding_mode={case['padding_mode']!r}, dtype=torch.float64, "
                f"{text}); conv.weight.data = w; conv(x)"
            ),
            **_entry_tail(layer(_t(x)), n, {**options, "padding_mode": case["padding_mode"]}),
        }
    if case["id"] == "torch_seed_sobel":
        # What the PyTorch post did: a layer with its default bias=True.
        torch.manual_seed(0)
        layer = torch.nn.Conv2d(1, 1, (3, 3), padding=1, dtype=torch.float64)
        layer.weight.data = _t(w)
        yield {
            "function": "torch.nn.Conv2d",
            "call": (
                "torch.manual_seed(0); conv = torch.nn.Conv2d(1, 1, (3, 3), padding=1, "
                "dtype=torch.float64); conv.weight.data = w; conv(x)"
            ),
            **_entry_tail(layer(_t(x)), n, {"padding": 1, "padding_mode": "zeros"}),
            "bias": {"shape": [1], "dtype": "float64", "data": _np(layer.bias).tolist()},
        }


def _entry_tail(out: torch.Tensor, n: int, options: dict[str, Any]) -> dict[str, Any]:
    from .cases import encode

    return {
        "prepare": PREPARE,
        "layout": _layout(n),
        "options": options,
        "output": encode(_np(out)),
    }


def _conv_transpose(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    n = spatial(case)
    yield record(
        f"torch.nn.functional.conv_transpose{n}d",
        getattr(F, f"conv_transpose{n}d"),
        [("x", _t(case["x"])), ("w", _t(case["weight"])), ("bias", _t(case["bias"]))],
        {
            "stride": case["stride"],
            "padding": case["padding"],
            "output_padding": case["output_padding"],
            "groups": case["groups"],
            "dilation": case["dilation"],
        },
        layout=_layout(n),
        prepare=PREPARE + "  # w is (C_in, C_out / groups, kH, kW)",
        to_numpy=_np,
    )


def _pool(case: dict[str, Any], name: str, more: dict[str, Any]) -> dict[str, Any]:
    n = spatial(case)
    function = f"torch.nn.functional.{name}{n}d"
    return record(
        function,
        getattr(F, f"{name}{n}d"),
        [("x", _t(case["x"]))],
        {
            "kernel_size": case["kernel_size"],
            "stride": case["stride"],
            "padding": case["padding"],
            "ceil_mode": case["ceil_mode"],
            **more,
        },
        layout=_layout(n),
        prepare="x = torch.from_numpy(case.x)",
        to_numpy=_np,
    )
