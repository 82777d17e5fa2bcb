"""JAX probe: ``jax.lax`` convolutions and windows, ``jax.scipy.signal`` (float64).

``lax.conv_general_dilated`` takes its layouts as ``dimension_numbers``; the
probe passes PyTorch's (``NCHW``, ``OIHW``) so the arrays go in unchanged.
``lax.conv_transpose`` is called twice, with ``transpose_kernel`` False (its
default) and True. 64-bit floats are switched on (``jax_enable_x64``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp
import jax.scipy.signal
import numpy as np
from jax import lax

from ._record import ntuple, record, spatial, torch_pads

PREPARE = "x, w = jnp.asarray(case.x), jnp.asarray(case.weight)  # float64, NCHW / OIHW"


def versions() -> dict[str, str]:
    """Versions of the libraries the probe used."""
    return {"jax": jax.__version__, "jaxlib": jax.lib.__version__, "numpy": np.__version__}


def _layout(n: int) -> str:
    return "NC" + "DHW"[3 - n :]


def run(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every call this probe makes for one case."""
    kind = case["kind"]
    if kind == "conv":
        yield from _conv(case)
        yield from _signal(case)
    elif kind == "conv_transpose":
        yield from _conv_transpose(case)
    elif kind == "max_pool":
        yield from _max_pool(case)


def _conv(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = spatial(case)
    if np.iscomplexobj(x) or case["padding_mode"] != "zeros":
        return
    spec = _layout(n)
    variants: list[Any] = [[list(p) for p in torch_pads(case)]]
    if case["padding"] == "same" or case["id"] == "stride2_same_even_input":
        variants.append("SAME")
    for padding in variants:
        entry = record(
            "jax.lax.conv_general_dilated",
            lax.conv_general_dilated,
            [("x", jnp.asarray(x)), ("w", jnp.asarray(w))],
            {
                "window_strides": list(ntuple(case["stride"], n)),
                "padding": padding,
                "rhs_dilation": list(ntuple(case["dilation"], n)),
                "dimension_numbers": (spec, "OI" + spec[2:], spec),
                "feature_group_count": case["groups"],
            },
            layout=spec,
            prepare=PREPARE,
        )
        if case["bias"] is not None:  # lax has no bias: add it in numpy, as a user would
            entry["output"]["data"] = _add_bias(entry["output"], case["bias"], n)
            entry["call"] += " + b[:, None, None]"
        yield entry


def _add_bias(output: dict[str, Any], bias: Any, n: int) -> list[float]:
    from .cases import decode

    y = decode(output) + np.asarray(bias).reshape((1, -1) + (1,) * n)
    return [float(v) for v in y.reshape(-1)]


def _signal(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """jax.scipy.signal and jax.numpy on single-channel cases, scipy-style modes."""
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    if x.shape[:2] != (1, 1) or w.shape[:2] != (1, 1) or case["padding_mode"] != "zeros":
        return
    if case["stride"] != 1 or case["dilation"] != 1 or case["bias"] is not None:
        return
    mode = {0: "valid", "valid": "valid", "full": "full", "same": "same"}.get(case["padding"])
    if mode is None and case["padding"] == 1 and w.shape[2:] == (3,) * (w.ndim - 2):
        mode = "same"  # padding 1 around a 3-tap kernel is what 'same' gives
    if mode is None:
        return
    a, v = jnp.asarray(x[0, 0]), jnp.asarray(w[0, 0])
    prepare = "a, v = jnp.asarray(case.x[0, 0]), jnp.asarray(case.weight[0, 0])"
    layout = "DHW"[3 - a.ndim :]
    for name, fn in (
        ("jax.scipy.signal.correlate", jax.scipy.signal.correlate),
        ("jax.scipy.signal.convolve", jax.scipy.signal.convolve),
    ):
        yield record(
            name, fn, [("a", a), ("v", v)], {"mode": mode}, layout=layout, prepare=prepare
        )
    if a.ndim == 1:
        for name, fn in (
            ("jax.numpy.correlate", jnp.correlate),
            ("jax.numpy.convolve", jnp.convolve),
        ):
            yield record(
                name, fn, [("a", a), ("v", v)], {"mode": mode}, layout=layout, prepare=prepare
            )


def _conv_transpose(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = spatial(case)
    if case["groups"] != 1:
        return  # lax.conv_transpose has no feature_group_count
    spec = _layout(n)
    stride = ntuple(case["stride"], n)
    dilation = ntuple(case["dilation"], n)
    padding = ntuple(case["padding"], n)
    extra = ntuple(case["output_padding"], n)
    # lax.conv_transpose pads the stride-dilated input: PyTorch's padding p is
    # d(k-1) - p on each side there, and output_padding goes at the end.
    pads = [
        [d * (k - 1) - p, d * (k - 1) - p + a]
        for k, p, a, d in zip(w.shape[2:], padding, extra, dilation, strict=True)
    ]
    for transpose_kernel, rhs in ((False, "IO"), (True, "OI")):
        # w is (C_in, C_out, *k). With transpose_kernel=True the rhs spec names the
        # *forward* convolution's axes, whose output channels are our C_in: "OIHW".
        entry = record(
            "jax.lax.conv_transpose",
            lax.conv_transpose,
            [("x", jnp.asarray(x)), ("w", jnp.asarray(w))],
            {
                "strides": list(stride),
                "padding": pads,
                "rhs_dilation": list(dilation),
                "dimension_numbers": (spec, rhs + spec[2:], spec),
                "transpose_kernel": transpose_kernel,
            },
            layout=spec,
            prepare=PREPARE + "  # w is (C_in, C_out, kH, kW)",
        )
        if case["bias"] is not None:
            entry["output"]["data"] = _add_bias(entry["output"], case["bias"], n)
            entry["call"] += " + b[:, None, None]"
        yield entry


def _max_pool(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    x = np.asarray(case["x"])
    n = spatial(case)
    kernel = ntuple(case["kernel_size"], n)
    stride = kernel if case["stride"] is None else ntuple(case["stride"], n)
    padding: Any = [[0, 0], [0, 0]] + [[p, p] for p in ntuple(case["padding"], n)]
    if case["ceil_mode"]:
        padding = "SAME"  # reduce_window has no ceil_mode
    yield record(
        "jax.lax.reduce_window",
        lax.reduce_window,
        [("x", jnp.asarray(x)), ("init", -jnp.inf), ("op", lax.max)],
        {
            "window_dimensions": [1, 1, *kernel],
            "window_strides": [1, 1, *stride],
            "padding": padding,
        },
        layout=_layout(n),
        prepare="x = jnp.asarray(case.x); init = -jnp.inf; op = jax.lax.max  # max pooling",
    )
