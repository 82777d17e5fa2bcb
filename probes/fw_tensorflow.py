"""TensorFlow probe: ``tf.nn`` convolutions and pooling (NHWC / HWIO, float64).

TensorFlow's layouts are channels-last: inputs ``(N, H, W, C)``, forward
filters ``(kH, kW, C_in / groups, C_out)``, transposed-convolution filters
``(kH, kW, C_out, C_in)`` and depthwise filters ``(kH, kW, C_in, multiplier)``.
``tf.nn.conv2d`` has no bias argument: where a case has one the probe adds it
with ``tf.nn.bias_add``, and says so in the recorded call.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # no oneDNN / CPU-feature banners

import numpy as np
import tensorflow as tf

from ._record import channels_last, ntuple, record, spatial, torch_pads, weight_spatial_first
from .cases import SAME_GRID_DILATIONS, SAME_GRID_STRIDES

PREPARE = (
    "x = np.moveaxis(case.x, 1, -1)  # NCHW -> NHWC; "
    "w = np.transpose(case.weight, (2, 3, 1, 0))  # OIHW -> HWIO"
)


def versions() -> dict[str, str]:
    """Versions of the libraries the probe used."""
    return {"tensorflow": tf.__version__, "numpy": np.__version__}


def _np(out: Any) -> np.ndarray:
    return out.numpy()


def _layout(n: int) -> str:
    return "N" + "DHW"[3 - n :] + "C"


def _explicit(pads: list[tuple[int, int]]) -> list[list[int]]:
    return [[0, 0], *([b, a] for b, a in pads), [0, 0]]


def run(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every call this probe makes for one case."""
    kind = case["kind"]
    if kind == "conv":
        yield from _conv(case)
    elif kind == "conv_transpose":
        yield from _conv_transpose(case)
    elif kind in ("max_pool", "avg_pool"):
        yield from _pool(case)


def _with_bias(fn: Any, bias: Any) -> tuple[Any, str]:
    if bias is None:
        return fn, "{call}"
    b = tf.constant(np.asarray(bias))
    return (lambda *a, **k: tf.nn.bias_add(fn(*a, **k), b)), "tf.nn.bias_add({call}, b)"


def _conv(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = spatial(case)
    if np.iscomplexobj(x) or case["padding_mode"] != "zeros" or n not in (1, 2):
        return
    pads = torch_pads(case)
    if case["padding"] == "same":
        padding: Any = "SAME"
    elif all(p == (0, 0) for p in pads):
        padding = "VALID"
    else:
        padding = _explicit(pads)
    name = "tf.nn.conv2d" if n == 2 else "tf.nn.conv1d"
    conv = tf.nn.conv2d if n == 2 else tf.nn.conv1d
    fn, wrap = _with_bias(conv, case["bias"])
    args = [("x", channels_last(x)), ("w", weight_spatial_first(w))]
    stride = list(ntuple(case["stride"], n))
    dilation = list(ntuple(case["dilation"], n))
    variants = [(padding, stride, dilation)]
    if case["id"] in ("stride2_same_even_input", "stride2_pad1"):
        variants.append(("SAME", stride, dilation))  # TF's own rule where torch says padding=1
    if case.get("same_grid"):
        # 'SAME' with a stride or a dilation (TensorFlow takes one or the other above 1).
        variants += [("SAME", [s] * n, dilation) for s in SAME_GRID_STRIDES]
        variants += [("SAME", stride, [d] * n) for d in SAME_GRID_DILATIONS]
    for pad, strides, dilations in variants:
        if n == 1 and not isinstance(pad, str):
            continue  # tf.nn.conv1d takes only "SAME" or "VALID"
        yield record(
            name,
            fn,
            args,
            {"stride" if n == 1 else "strides": strides, "padding": pad, "dilations": dilations},
            layout=_layout(n),
            prepare=PREPARE,
            to_numpy=_np,
            wrap=wrap,
        )
    if case["groups"] > 1 and case["groups"] == x.shape[1] == w.shape[0]:
        # depthwise_conv2d: filter (kH, kW, C_in, channel_multiplier)
        yield record(
            "tf.nn.depthwise_conv2d",
            tf.nn.depthwise_conv2d,
            [("x", channels_last(x)), ("w", np.ascontiguousarray(np.transpose(w, (2, 3, 0, 1))))],
            {"strides": [1, *stride, 1], "padding": padding, "dilations": dilation},
            layout=_layout(n),
            prepare="x = np.moveaxis(case.x, 1, -1); w = np.transpose(case.weight, (2, 3, 0, 1))",
            to_numpy=_np,
        )


def _conv_transpose(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = spatial(case)
    if n != 2 or case["groups"] != 1:
        return  # no grouped transposed convolution in tf.nn
    stride = ntuple(case["stride"], n)
    padding = ntuple(case["padding"], n)
    extra = ntuple(case["output_padding"], n)
    dilation = ntuple(case["dilation"], n)
    size = [
        s * (i - 1) - 2 * p + d * (k - 1) + a + 1
        for i, k, s, p, a, d in zip(
            x.shape[2:], w.shape[2:], stride, padding, extra, dilation, strict=True
        )
    ]
    output_shape = [x.shape[0], *size, w.shape[1]]
    fn, wrap = _with_bias(tf.nn.conv2d_transpose, case["bias"])
    variants: list[Any] = [_explicit([(p, p) for p in padding])]
    if any(padding):
        variants.append("SAME")  # what a Keras/TF user would write for "keep the size x stride"
    for pad in variants:
        yield record(
            "tf.nn.conv2d_transpose",
            fn,
            [("x", channels_last(x)), ("w", np.ascontiguousarray(np.transpose(w, (2, 3, 1, 0))))],
            {
                "output_shape": output_shape,
                "strides": list(stride),
                "padding": pad,
                "dilations": list(dilation),
            },
            layout=_layout(n),
            prepare="x = np.moveaxis(case.x, 1, -1); "
            "w = np.transpose(case.weight, (2, 3, 1, 0))  # (C_in, C_out, kH, kW) -> HW(C_out)(C_in)",
            to_numpy=_np,
            wrap=wrap,
        )


def _pool(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    n = spatial(case)
    kernel = list(ntuple(case["kernel_size"], n))
    stride = kernel if case["stride"] is None else list(ntuple(case["stride"], n))
    padding = ntuple(case["padding"], n)
    x = channels_last(np.asarray(case["x"]))
    if case["kind"] == "max_pool":
        variants: list[Any] = []
        if not case["ceil_mode"]:
            variants.append("VALID" if not any(padding) else _explicit([(p, p) for p in padding]))
        if any(padding) or case["ceil_mode"]:
            variants.append("SAME")  # TensorFlow has no ceil_mode; SAME is its nearest rule
        for pad in variants:
            yield record(
                "tf.nn.max_pool2d",
                tf.nn.max_pool2d,
                [("x", x)],
                {"ksize": kernel, "strides": stride, "padding": pad},
                layout=_layout(n),
                prepare="x = np.moveaxis(case.x, 1, -1)",
                to_numpy=_np,
            )
    elif not case["count_include_pad"] or case["ceil_mode"]:
        # avg_pool2d takes only "SAME"/"VALID" and never counts the padding.
        yield record(
            "tf.nn.avg_pool2d",
            tf.nn.avg_pool2d,
            [("x", x)],
            {"ksize": kernel, "strides": stride, "padding": "SAME"},
            layout=_layout(n),
            prepare="x = np.moveaxis(case.x, 1, -1)",
            to_numpy=_np,
        )
