r"""Check recorded framework outputs against :mod:`conv_explained`.

For every recorded call this module

1. turns the framework's raw output into PyTorch's layout ``(N, C, *spatial)``;
2. reads the call's options with the framework's own documented rules (what
   ``'SAME'``, ``mode='same'``, ``origin``, ``pooling_convention`` ... mean)
   and builds the matching :mod:`conv_explained` reference;
3. computes *both* readings, correlation (kernel as given) and convolution
   (kernel flipped) -- and for complex data each with and without the
   kernel conjugated; for average pooling each divisor rule -- and records
   which of them the numbers match. That is what the function computes,
   decided from the numbers;
4. requires the claimed reading (:data:`SPECS`) to be among the matches and
   to agree within a tolerance fit for the output's dtype.

Anything else raises :class:`ProbeMismatch`. Missing or stale result files
raise :class:`MissingResults`, whose message names the files and the command
that makes them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import conv_explained as ce
from conv_explained.pooling import avg_pool, max_pool

from .cases import by_id, decode
from .probe import FRAMEWORKS, RESULTS, missing_or_stale

__all__ = [
    "SPECS",
    "Check",
    "MissingResults",
    "ProbeMismatch",
    "canonical_output",
    "check_entry",
    "check_result",
    "load_results",
    "summarize",
    "tf_same_pads",
    "verify",
]

#: Frameworks in the order the pages show them.
ORDER = ["mxnet", "tensorflow", "torch", "jax", "numpy", "scipy"]

Pads = list[tuple[int, int]]


class ProbeMismatch(AssertionError):
    """A recorded output disagrees with its claim or with the reference."""


class MissingResults(FileNotFoundError):
    """Probe results are absent or were made by other code or cases."""


# --------------------------------------------------------------------------------------
# What each function is claimed to compute, and how to read its options.
# --------------------------------------------------------------------------------------


@dataclass
class Semantics:
    """One call, restated in conv_explained's terms (the claimed reading)."""

    kind: str  # "conv", "conv_transpose" or "pool"
    x: np.ndarray
    label: str  # how the call chose its padding, for the table
    claim: str  # the reading the function is claimed to compute
    w: np.ndarray | None = None
    bias: np.ndarray | None = None
    pads: Pads = field(default_factory=list)
    boundary: str = "zeros"
    stride: tuple[int, ...] = ()
    dilation: tuple[int, ...] = ()
    groups: int = 1
    start: tuple[int, ...] = ()  # transposed: where the output starts in the full result
    size: tuple[int, ...] = ()  # transposed: output size
    kernel: tuple[int, ...] = ()  # pooling window
    ceil_mode: bool = False
    pool: str = "max"  # "max" or "avg"
    counted: Pads | None = None  # pooling: the padding a counted divisor counts, if not `pads`


@dataclass(frozen=True)
class Spec:
    """A framework function: its claimed reading, its layouts, its option rules.

    ``claim`` is what the function's documentation promises, in words for the
    reader; the claim each call is checked against comes from ``translate``,
    which also sees the call's options (``count_include_pad``,
    ``transpose_kernel`` ...).
    """

    framework: str
    claim: str
    layout: str
    translate: Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], Semantics]
    conjugates: bool = False  # correlates with the conjugate of its second argument


def _tuple(value: Any, n: int) -> tuple[int, ...]:
    if isinstance(value, list | tuple):
        return tuple(int(v) for v in value)
    return (int(value),) * n


def _arrays(case: dict[str, Any], entry: dict[str, Any]) -> tuple[np.ndarray, Any, Any]:
    bias = decode(entry["bias"]) if "bias" in entry else case.get("bias")
    return np.asarray(case["x"]), case.get("weight"), bias


def tf_same_pads(
    size: Iterable[int], kernel: Iterable[int], stride: Iterable[int], dilation: Iterable[int]
) -> Pads:
    """TensorFlow's (and JAX's) ``'SAME'``: ``ceil(i / s)`` outputs, extra padding at the end.

    The total is ``max((ceil(i/s) - 1) s + d(k-1) + 1 - i, 0)``; the start gets
    half of it rounded down.
    """
    pads = []
    for i, k, s, d in zip(size, kernel, stride, dilation, strict=True):
        total = max((math.ceil(i / s) - 1) * s + d * (k - 1) + 1 - i, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _centered(kernel: Iterable[int]) -> Pads:
    """Numpy's and scipy.signal's ``mode='same'``: the middle of ``'full'``.

    ``k // 2`` before and ``(k - 1) // 2`` after: an even kernel's extra
    row/column of padding is at the start.
    """
    return [(k // 2, k - 1 - k // 2) for k in kernel]


def _mode_pads(mode: str, kernel: tuple[int, ...]) -> Pads:
    if mode == "valid":
        return [(0, 0)] * len(kernel)
    if mode == "full":
        return [(k - 1, k - 1) for k in kernel]
    if mode == "same":
        return _centered(kernel)
    raise ValueError(f"unknown mode {mode!r}")


def _conv(
    case: dict[str, Any],
    entry: dict[str, Any],
    claim: str,
    *,
    pads: Pads,
    label: str,
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    groups: int = 1,
    boundary: str = "zeros",
) -> Semantics:
    x, w, bias = _arrays(case, entry)
    return Semantics(
        "conv",
        x,
        label,
        claim,
        w=np.asarray(w),
        bias=bias,
        pads=pads,
        boundary=boundary,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )


def _torch_conv(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    w = np.asarray(case["weight"])
    n = w.ndim - 2
    stride, dilation = _tuple(opts.get("stride", 1), n), _tuple(opts.get("dilation", 1), n)
    padding = opts.get("padding", 0)
    if isinstance(padding, list):
        padding = tuple(padding)
    pads = [
        tuple(p)
        for p in ce.resolve_padding(padding, w.shape[2:], stride=stride, dilation=dilation)
    ]
    label = f"padding={padding!r}"
    mode = opts.get("padding_mode", "zeros")
    if mode != "zeros":
        label += f", padding_mode={mode!r}"
    return _conv(
        case,
        entry,
        "correlation",
        pads=pads,
        label=label,
        stride=stride,
        dilation=dilation,
        groups=opts.get("groups", 1),
        boundary=mode,
    )


def _mxnet_conv(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    n = len(opts["kernel"])
    pad = _tuple(opts.get("pad", 0), n)
    return _conv(
        case,
        entry,
        "correlation",
        pads=[(p, p) for p in pad],
        label="pad (symmetric)",
        stride=_tuple(opts.get("stride", 1), n),
        dilation=_tuple(opts.get("dilate", 1), n),
        groups=opts.get("num_group", 1),
    )


def _tf_padding(
    padding: Any,
    size: tuple[int, ...],
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
) -> tuple[Pads, str]:
    n = len(kernel)
    if padding == "SAME":
        return tf_same_pads(size, kernel, stride, dilation), "'SAME'"
    if padding == "VALID":
        return [(0, 0)] * n, "'VALID'"
    pairs = [tuple(p) for p in padding]
    if len(pairs) == n + 2:  # [[0, 0], *spatial, [0, 0]] (or with the channel pair first)
        pairs = pairs[1:-1]
    return [(int(b), int(a)) for b, a in pairs], "explicit"


def _tf_conv(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = w.ndim - 2
    strides = opts.get("strides", opts.get("stride", 1))
    stride = (
        _tuple(strides, n)
        if not isinstance(strides, list) or len(strides) == n
        else tuple(strides[1:-1])
    )
    dilation = _tuple(opts.get("dilations", 1), n)
    pads, label = _tf_padding(opts["padding"], x.shape[2:], w.shape[2:], stride, dilation)
    groups = x.shape[1] // w.shape[1]
    return _conv(
        case,
        entry,
        "correlation",
        pads=pads,
        label=label,
        stride=stride,
        dilation=dilation,
        groups=groups,
    )


def _jax_conv(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = w.ndim - 2
    stride = _tuple(opts["window_strides"], n)
    dilation = _tuple(opts.get("rhs_dilation") or 1, n)
    padding = opts["padding"]
    if isinstance(padding, str):
        pads, label = _tf_padding(padding, x.shape[2:], w.shape[2:], stride, dilation)
    else:
        pads, label = [(int(b), int(a)) for b, a in padding], "explicit pairs"
    return _conv(
        case,
        entry,
        "correlation",
        pads=pads,
        label=label,
        stride=stride,
        dilation=dilation,
        groups=opts.get("feature_group_count", 1),
    )


def _signal(
    default_mode: str, claim: str, *, same_at_end: bool = False
) -> Callable[..., Semantics]:
    """Numpy / scipy.signal / jax.scipy.signal: one channel, ``mode`` words.

    ``mode='same'`` is "the middle of 'full'"; for an even kernel the docs do
    not say which side gets the extra padding. It is the start, except for
    ``scipy.signal.correlate2d`` (``same_at_end``), which keeps ``(k - 1) // 2``
    before and ``k // 2`` after, as PyTorch does.
    """

    def translate(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
        x, w = np.asarray(case["x"]), np.asarray(case["weight"])
        if opts.get("arguments", ["x", "w"]) == ["w", "x"]:
            x, w = w, x  # np.correlate(v, a): v is the signal the kernel a slides over
        mode = opts.get("mode", default_mode)
        pads = _mode_pads(mode, w.shape[2:])
        if mode == "same" and same_at_end:
            pads = [(a, b) for b, a in pads]
        label = f"mode={mode!r}" + ("" if "mode" in opts else " (default)")
        boundary = {"fill": "zeros", "wrap": "circular", "symm": "symmetric"}[
            opts.get("boundary", "fill")
        ]
        if "boundary" in opts:
            label += f", boundary={opts['boundary']!r}"
        n = w.ndim - 2
        sem = _conv(
            case,
            entry,
            claim,
            pads=pads,
            label=label,
            stride=(1,) * n,
            dilation=(1,) * n,
            boundary=boundary,
        )
        sem.x, sem.w = x, w
        return sem

    return translate


#: scipy.ndimage ``mode`` -> the padding it means, in numpy.pad / torch words.
NDIMAGE_MODES = {
    "reflect": "symmetric",  # d c b a | a b c d | d c b a  (numpy 'symmetric'; no torch mode)
    "mirror": "reflect",  # d c b | a b c d | c b a  (torch 'reflect')
    "nearest": "replicate",
    "wrap": "circular",
    "grid-wrap": "circular",
    "constant": "zeros",
}


def _ndimage(claim: str) -> Callable[..., Semantics]:
    """scipy.ndimage.correlate / convolve: input-sized output, ``mode`` and ``origin``.

    The correlation puts the kernel's centre ``c = k // 2 + origin`` on each
    pixel. ``convolve`` flips the kernel, negates ``origin`` and, for an even
    kernel, shifts it by one more (scipy's ``_correlate_or_convolve``), so its
    centre in the flipped kernel is ``k // 2 - origin - (1 if k is even)``.
    """

    def translate(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
        w = np.asarray(case["weight"])
        kernel = w.shape[2:]
        origin = _tuple(opts.get("origin", 0), len(kernel))
        mode = opts.get("mode", "reflect")
        pads = []
        for k, o in zip(kernel, origin, strict=True):
            c = k // 2 + o if claim == "correlation" else k // 2 - o - (1 - k % 2)
            pads.append((c, k - 1 - c))
        label = f"mode={mode!r}" + ("" if "mode" in opts else " (default)")
        if "origin" in opts:
            label += f", origin={opts['origin']!r}"
        n = len(kernel)
        return _conv(
            case,
            entry,
            claim,
            pads=pads,
            label=label,
            stride=(1,) * n,
            dilation=(1,) * n,
            boundary=NDIMAGE_MODES[mode],
        )

    return translate


def _transpose(
    case: dict[str, Any],
    entry: dict[str, Any],
    claim: str,
    *,
    label: str,
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    start: tuple[int, ...],
    size: tuple[int, ...],
    groups: int = 1,
) -> Semantics:
    x, w, bias = _arrays(case, entry)
    return Semantics(
        "conv_transpose",
        x,
        label,
        claim,
        w=np.asarray(w),
        bias=bias,
        stride=stride,
        dilation=dilation,
        start=start,
        size=size,
        groups=groups,
    )


def _torch_transpose(
    opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]
) -> Semantics:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = w.ndim - 2
    stride, dilation = _tuple(opts["stride"], n), _tuple(opts["dilation"], n)
    padding, extra = _tuple(opts["padding"], n), _tuple(opts["output_padding"], n)
    size = ce.conv_transpose_output_size(
        x.shape[2:],
        w.shape[2:],
        stride=stride,
        padding=padding,
        output_padding=extra,
        dilation=dilation,
    )
    return _transpose(
        case,
        entry,
        "correlation (transposed)",
        label="padding, output_padding",
        stride=stride,
        dilation=dilation,
        start=padding,
        size=tuple(size),
        groups=opts["groups"],
    )


def _mxnet_transpose(
    opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]
) -> Semantics:
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = w.ndim - 2
    stride, dilation = _tuple(opts["stride"], n), _tuple(opts["dilate"], n)
    pad, adj = _tuple(opts["pad"], n), _tuple(opts["adj"], n)
    size = ce.conv_transpose_output_size(
        x.shape[2:], w.shape[2:], stride=stride, padding=pad, output_padding=adj, dilation=dilation
    )
    return _transpose(
        case,
        entry,
        "correlation (transposed)",
        label="pad, adj",
        stride=stride,
        dilation=dilation,
        start=pad,
        size=tuple(size),
        groups=opts.get("num_group", 1),
    )


def _tf_transpose(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    """The gradient of ``conv2d`` for an input of ``output_shape``: padding decided there."""
    w = np.asarray(case["weight"])
    n = w.ndim - 2
    size = tuple(opts["output_shape"][1:-1])
    stride, dilation = _tuple(opts["strides"], n), _tuple(opts.get("dilations", 1), n)
    pads, label = _tf_padding(opts["padding"], size, w.shape[2:], stride, dilation)
    return _transpose(
        case,
        entry,
        "correlation (transposed)",
        label=label + ", output_shape",
        stride=stride,
        dilation=dilation,
        start=tuple(b for b, _ in pads),
        size=size,
    )


def _jax_transpose(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    """``lax.conv_transpose``: pads the stride-dilated input, then correlates.

    Padding ``(lo, hi)`` there starts the output ``d(k-1) - lo`` cells into
    the full transposed result. Without ``transpose_kernel`` the kernel is
    used as given, which is the transpose of a *convolution*.
    """
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    n = w.ndim - 2
    stride, dilation = _tuple(opts["strides"], n), _tuple(opts.get("rhs_dilation") or 1, n)
    start, size = [], []
    for i, k, s, d, (lo, hi) in zip(
        x.shape[2:], w.shape[2:], stride, dilation, opts["padding"], strict=True
    ):
        start.append(d * (k - 1) - lo)
        size.append((i - 1) * s + 1 + lo + hi - d * (k - 1))
    claim = "correlation" if opts.get("transpose_kernel") else "convolution"
    return _transpose(
        case,
        entry,
        claim + " (transposed)",
        label=f"explicit pairs, transpose_kernel={bool(opts.get('transpose_kernel'))}",
        stride=stride,
        dilation=dilation,
        start=tuple(start),
        size=tuple(size),
    )


def _pool(
    case: dict[str, Any],
    claim: str,
    *,
    label: str,
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    pads: Pads,
    ceil_mode: bool = False,
    counted: Pads | None = None,
) -> Semantics:
    return Semantics(
        "pool",
        np.asarray(case["x"]),
        label,
        claim,
        pads=pads,
        kernel=kernel,
        stride=stride,
        ceil_mode=ceil_mode,
        pool="max" if claim == "max" else "avg",
        counted=counted,
    )


AVG_COUNTED = "average, padding counted"
AVG_NOT_COUNTED = "average, padding not counted"
AVG_WHOLE = "average, always / window size"


def _torch_pool(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    n = np.asarray(case["x"]).ndim - 2
    kernel = _tuple(opts["kernel_size"], n)
    stride = kernel if opts.get("stride") is None else _tuple(opts["stride"], n)
    padding = _tuple(opts.get("padding", 0), n)
    if "count_include_pad" not in opts:
        claim = "max"
    else:
        claim = AVG_COUNTED if opts["count_include_pad"] else AVG_NOT_COUNTED
    ceil = bool(opts.get("ceil_mode", False))
    label = f"padding={opts.get('padding', 0)}" + (", ceil_mode=True" if ceil else "")
    return _pool(
        case,
        claim,
        label=label,
        kernel=kernel,
        stride=stride,
        pads=[(p, p) for p in padding],
        ceil_mode=ceil,
    )


def _mxnet_pool(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    n = len(opts["kernel"])
    kernel = _tuple(opts["kernel"], n)
    stride = _tuple(opts.get("stride", 1), n)
    pad = _tuple(opts.get("pad", 0), n)
    if opts["pool_type"] == "max":
        claim = "max"
    else:
        claim = AVG_COUNTED if opts.get("count_include_pad", True) else AVG_NOT_COUNTED
    convention = opts.get("pooling_convention", "valid")
    label = f"pad, pooling_convention={convention!r}"
    if convention != "full":
        return _pool(
            case, claim, label=label, kernel=kernel, stride=stride, pads=[(p, p) for p in pad]
        )
    # 'full': ceil((i + 2p - k) / s) + 1 windows, every one kept, even a last window
    # that starts in the right padding (PyTorch's ceil_mode drops that one). The
    # overhang past the padded input is extra padding that a divisor never counts.
    size = np.asarray(case["x"]).shape[2:]
    pads = []
    for i, k, s, p in zip(size, kernel, stride, pad, strict=True):
        windows = -(-(i + 2 * p - k) // s) + 1
        pads.append((p, (windows - 1) * s + k - i - p))
    return _pool(
        case,
        claim,
        label=label,
        kernel=kernel,
        stride=stride,
        pads=pads,
        counted=[(p, p) for p in pad],
    )


def _tf_pool(claim: str) -> Callable[..., Semantics]:
    def translate(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
        x = np.asarray(case["x"])
        n = x.ndim - 2
        kernel, stride = _tuple(opts["ksize"], n), _tuple(opts["strides"], n)
        pads, label = _tf_padding(opts["padding"], x.shape[2:], kernel, stride, (1,) * n)
        return _pool(case, claim, label=label, kernel=kernel, stride=stride, pads=pads)

    return translate


def _jax_pool(opts: dict[str, Any], case: dict[str, Any], entry: dict[str, Any]) -> Semantics:
    x = np.asarray(case["x"])
    kernel = tuple(opts["window_dimensions"][2:])
    stride = tuple(opts["window_strides"][2:])
    padding = opts["padding"]
    if isinstance(padding, str):
        pads, label = _tf_padding(padding, x.shape[2:], kernel, stride, (1,) * len(kernel))
    else:
        pads, label = [(int(b), int(a)) for b, a in padding[2:]], "explicit pairs"
    return _pool(case, "max", label=label, kernel=kernel, stride=stride, pads=pads)


NCHW = "NCHW in, OIHW weight"
NHWC = "NHWC in, HWIO weight"
SIGNAL = "plain arrays, one channel"

#: Every probed function: framework, claimed reading, layouts, option rules.
SPECS: dict[str, Spec] = {
    "mx.nd.Convolution": Spec("mxnet", "correlation", NCHW, _mxnet_conv),
    "mx.nd.Deconvolution": Spec(
        "mxnet",
        "correlation (transposed)",
        "NCHW in, (C_in, C_out, kH, kW) weight",
        _mxnet_transpose,
    ),
    "mx.nd.Pooling": Spec("mxnet", "max / average", "NCHW", _mxnet_pool),
    "tf.nn.conv2d": Spec("tensorflow", "correlation", NHWC, _tf_conv),
    "tf.nn.conv1d": Spec("tensorflow", "correlation", "NWC in, WIO weight", _tf_conv),
    "tf.nn.depthwise_conv2d": Spec(
        "tensorflow", "correlation", "NHWC in, (kH, kW, C_in, multiplier) weight", _tf_conv
    ),
    "tf.nn.conv2d_transpose": Spec(
        "tensorflow",
        "correlation (transposed)",
        "NHWC in, (kH, kW, C_out, C_in) weight",
        _tf_transpose,
    ),
    "tf.nn.max_pool2d": Spec("tensorflow", "max", "NHWC", _tf_pool("max")),
    "tf.nn.avg_pool2d": Spec("tensorflow", AVG_NOT_COUNTED, "NHWC", _tf_pool(AVG_NOT_COUNTED)),
    "torch.nn.functional.conv1d": Spec("torch", "correlation", "NCW in, OIW weight", _torch_conv),
    "torch.nn.functional.conv2d": Spec("torch", "correlation", NCHW, _torch_conv),
    "torch.nn.Conv2d": Spec("torch", "correlation", NCHW, _torch_conv),
    "torch.nn.functional.conv_transpose2d": Spec(
        "torch",
        "correlation (transposed)",
        "NCHW in, (C_in, C_out, kH, kW) weight",
        _torch_transpose,
    ),
    "torch.nn.functional.max_pool2d": Spec("torch", "max", "NCHW", _torch_pool),
    "torch.nn.functional.avg_pool2d": Spec("torch", "average", "NCHW", _torch_pool),
    "jax.lax.conv_general_dilated": Spec(
        "jax", "correlation", "any (dimension_numbers); here NCHW, OIHW", _jax_conv
    ),
    "jax.lax.conv_transpose": Spec(
        "jax", "see transpose_kernel", "any (dimension_numbers); here NCHW", _jax_transpose
    ),
    "jax.lax.reduce_window": Spec("jax", "max", "any (window_dimensions)", _jax_pool),
    "jax.scipy.signal.correlate": Spec(
        "jax", "correlation", SIGNAL, _signal("full", "correlation"), conjugates=True
    ),
    "jax.scipy.signal.convolve": Spec(
        "jax", "convolution", SIGNAL, _signal("full", "convolution")
    ),
    "jax.numpy.correlate": Spec(
        "jax", "correlation", SIGNAL, _signal("valid", "correlation"), conjugates=True
    ),
    "jax.numpy.convolve": Spec("jax", "convolution", SIGNAL, _signal("full", "convolution")),
    "np.correlate": Spec(
        "numpy", "correlation", "1-D arrays", _signal("valid", "correlation"), conjugates=True
    ),
    "np.convolve": Spec("numpy", "convolution", "1-D arrays", _signal("full", "convolution")),
    "scipy.signal.correlate": Spec(
        "scipy", "correlation", SIGNAL, _signal("full", "correlation"), conjugates=True
    ),
    "scipy.signal.convolve": Spec("scipy", "convolution", SIGNAL, _signal("full", "convolution")),
    "scipy.signal.fftconvolve": Spec(
        "scipy", "convolution", SIGNAL, _signal("full", "convolution")
    ),
    "scipy.signal.oaconvolve": Spec(
        "scipy", "convolution", SIGNAL, _signal("full", "convolution")
    ),
    "scipy.signal.correlate2d": Spec(
        "scipy",
        "correlation",
        "2-D arrays",
        _signal("full", "correlation", same_at_end=True),
        conjugates=True,
    ),
    "scipy.signal.convolve2d": Spec(
        "scipy", "convolution", "2-D arrays", _signal("full", "convolution")
    ),
    "scipy.ndimage.correlate": Spec("scipy", "correlation", SIGNAL, _ndimage("correlation")),
    "scipy.ndimage.convolve": Spec("scipy", "convolution", SIGNAL, _ndimage("convolution")),
}


# --------------------------------------------------------------------------------------
# References: every reading, computed with conv_explained.
# --------------------------------------------------------------------------------------

#: Our boundary names -> numpy.pad modes.
NP_PAD = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
    "symmetric": "symmetric",
}


def _pad(x: np.ndarray, pads: Pads, mode: str = "constant", value: float = 0.0) -> np.ndarray:
    width = [(0, 0), (0, 0), *pads]
    if mode == "constant":
        return np.pad(x, width, mode="constant", constant_values=value)
    return np.pad(x, width, mode=mode)  # type: ignore[call-overload]


def _conv_reading(sem: Semantics, op: str, conjugate: bool) -> np.ndarray:
    w = np.conj(sem.w) if conjugate else sem.w
    fn = ce.correlate if op == "correlation" else ce.convolve
    common = {"stride": sem.stride, "dilation": sem.dilation, "groups": sem.groups}
    if all(b == a for b, a in sem.pads) and sem.boundary in (
        "zeros",
        "reflect",
        "replicate",
        "circular",
    ):
        padding = tuple(b for b, _ in sem.pads)
        return fn(sem.x, w, sem.bias, padding=padding, padding_mode=sem.boundary, **common)
    return fn(_pad(sem.x, sem.pads, NP_PAD[sem.boundary]), w, sem.bias, padding=0, **common)


def _transpose_reading(sem: Semantics, op: str) -> np.ndarray:
    w = sem.w if op == "correlation" else ce.flip(sem.w)
    full = ce.conv_transpose(sem.x, w, stride=sem.stride, dilation=sem.dilation, groups=sem.groups)
    # The output is the full result from `start`, `size` long; zero beyond it.
    width = [(0, 0), (0, 0)]
    index: list[slice] = [slice(None), slice(None)]
    for f, s, o in zip(full.shape[2:], sem.start, sem.size, strict=True):
        before, after = max(0, -s), max(0, s + o - f)
        width.append((before, after))
        index.append(slice(s + before, s + before + o))
    y = np.pad(full, width)[tuple(index)]
    if sem.bias is not None:
        y = y + np.asarray(sem.bias).reshape((1, -1) + (1,) * (y.ndim - 2))
    return y


def _pool_reading(sem: Semantics, reading: str) -> np.ndarray:
    x = sem.x.astype(np.float64)
    opts = {"stride": sem.stride}
    if all(b == a for b, a in sem.pads):
        opts.update(padding=tuple(b for b, _ in sem.pads), ceil_mode=sem.ceil_mode)
        if reading == "max":
            return max_pool(x, sem.kernel, **opts)
        if reading == AVG_WHOLE:
            return avg_pool(x, sem.kernel, divisor_override=1, **opts) / math.prod(sem.kernel)
        return avg_pool(x, sem.kernel, count_include_pad=reading == AVG_COUNTED, **opts)
    # Uneven padding ('SAME'): pad first, then pool the padded array unpadded.
    if reading == "max":
        return max_pool(_pad(x, sem.pads, value=-np.inf), sem.kernel, **opts)
    sums = avg_pool(_pad(x, sem.pads), sem.kernel, divisor_override=1, **opts)
    if reading == AVG_NOT_COUNTED:
        counts = avg_pool(_pad(np.ones_like(x), sem.pads), sem.kernel, divisor_override=1, **opts)
        with np.errstate(invalid="ignore", divide="ignore"):  # a window of padding only: 0/0
            return sums / counts
    if reading == AVG_COUNTED and sem.counted is not None:
        # the cells of the input and of its counted padding, then the uncounted overhang
        ones = _pad(np.ones_like(x), sem.counted, value=1.0)
        rest = [(b - cb, a - ca) for (b, a), (cb, ca) in zip(sem.pads, sem.counted, strict=True)]
        counts = avg_pool(_pad(ones, rest), sem.kernel, divisor_override=1, **opts)
        return sums / counts
    return sums / math.prod(sem.kernel)


def readings(sem: Semantics) -> dict[str, np.ndarray]:
    """Every reading of one call, by name (the claimed one among them)."""
    if sem.kind == "conv":
        conj = (False, True) if np.iscomplexobj(sem.w) else (False,)
        return {
            op + (", conjugated" if c else ""): _conv_reading(sem, op, c)
            for op in ("correlation", "convolution")
            for c in conj
        }
    if sem.kind == "conv_transpose":
        return {
            f"{op} (transposed)": _transpose_reading(sem, op)
            for op in ("correlation", "convolution")
        }
    if sem.pool == "max":
        return {"max": _pool_reading(sem, "max")}
    return {r: _pool_reading(sem, r) for r in (AVG_COUNTED, AVG_NOT_COUNTED, AVG_WHOLE)}


# --------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------


def canonical_output(entry: dict[str, Any], ndim: int) -> np.ndarray:
    """A recorded output in PyTorch's layout ``(N, C, *spatial)``.

    ``entry["layout"]`` names the axes (``"NHWC"``, ``"NCW"``, ``"HW"`` ...);
    a missing ``N`` or ``C`` becomes an axis of size 1.
    """
    y = decode(entry["output"])
    layout = entry["layout"]
    if len(layout) != y.ndim:
        raise ProbeMismatch(
            f"{entry['function']} ({entry['case']}): layout {layout!r} does not fit an "
            f"output of shape {y.shape}"
        )
    for axis in "NC":
        if axis not in layout:
            y, layout = y[None], axis + layout
    spatial = [a for a in layout if a not in "NC"]
    if len(spatial) != ndim:
        raise ProbeMismatch(f"{entry['function']}: layout {entry['layout']!r} is not {ndim}-D")
    return np.transpose(y, [layout.index(a) for a in ["N", "C", *spatial]])


def tolerance(dtype: str, reference: np.ndarray) -> float:
    """Absolute tolerance for an output of ``dtype`` compared with ``reference``."""
    scale = max(1.0, float(np.max(np.abs(reference), initial=0.0)))
    return (1e-9 if dtype in ("float64", "complex128") else 1e-4) * scale


@dataclass
class Check:
    """The verdict on one recorded call."""

    framework: str
    function: str
    case: str
    call: str
    label: str
    claim: str
    matches: list[str]
    max_abs_diff: float
    output: np.ndarray
    reference: np.ndarray
    pads: Pads
    options: dict[str, Any]

    @property
    def extra(self) -> str:
        """Where uneven padding puts its extra row/column: ``"start"``, ``"end"`` or ``""``."""
        sides = {"start" if b > a else "end" for b, a in self.pads if b != a}
        return " and ".join(sorted(sides))

    @property
    def computes(self) -> str:
        """The reading the numbers pick, or ``"ambiguous"`` when several fit."""
        if len(self.matches) == 1:
            return self.matches[0]
        return "ambiguous (" + " = ".join(self.matches) + ")" if self.matches else "none"


def _claim(spec: Spec, sem: Semantics) -> str:
    claim = sem.claim
    if sem.kind == "conv" and np.iscomplexobj(sem.w) and spec.conjugates:
        claim += ", conjugated"
    return claim


def check_entry(framework: str, entry: dict[str, Any]) -> Check:
    """Check one recorded call; raise :class:`ProbeMismatch` if it is wrong."""
    where = (
        f"{framework}: {entry.get('call', entry.get('function'))} on case {entry.get('case')!r}"
    )
    spec = SPECS.get(entry["function"])
    if spec is None:
        raise ProbeMismatch(f"{where}: no claim is known for {entry['function']!r}")
    if spec.framework != framework:
        raise ProbeMismatch(f"{where}: {entry['function']} belongs to {spec.framework}")
    case = by_id(entry["case"])
    sem = spec.translate(entry.get("options", {}), case, entry)
    output = canonical_output(entry, np.asarray(case["x"]).ndim - 2)
    claim = _claim(spec, sem)
    options = readings(sem)
    matches = []
    for name, ref in options.items():
        if ref.shape == output.shape and np.allclose(
            output, ref, rtol=0, atol=tolerance(entry["output"]["dtype"], ref)
        ):
            matches.append(name)
    reference = options[claim]
    if reference.shape != output.shape:
        raise ProbeMismatch(
            f"{where}: output shape {output.shape} (in NC* layout) but the claimed reading "
            f"gives {reference.shape}"
        )
    diff = float(np.max(np.abs(output - reference), initial=0.0))
    if claim not in matches:
        found = ", ".join(matches) or "none of " + ", ".join(options)
        raise ProbeMismatch(
            f"{where}: claimed to compute {claim} ({sem.label}) but the numbers match "
            f"{found}; max |difference| from the claimed reading {diff:.3g}"
        )
    return Check(
        framework,
        entry["function"],
        entry["case"],
        entry["call"],
        sem.label,
        claim,
        matches,
        diff,
        output,
        reference,
        [tuple(p) for p in sem.pads],
        entry.get("options", {}),
    )


def check_result(result: dict[str, Any]) -> list[Check]:
    """Check every call of one framework's result; raise listing every failure."""
    checks, failures = [], []
    for entry in result["entries"]:
        try:
            checks.append(check_entry(result["framework"], entry))
        except (ProbeMismatch, KeyError, ValueError) as error:
            failures.append(str(error))
    if failures:
        raise ProbeMismatch(
            f"{len(failures)} of {len(result['entries'])} recorded {result['framework']} "
            "calls disagree:\n  " + "\n  ".join(failures)
        )
    return checks


def load_results(folder: Path = RESULTS, frameworks: Iterable[str] = ORDER) -> dict[str, dict]:
    """Read every framework's result; raise :class:`MissingResults` naming what is wrong."""
    frameworks = list(frameworks)
    problems = missing_or_stale(folder, frameworks)
    if problems:
        listing = "; ".join(
            f"{_relative(Path(folder) / f'{name}.json')} ({why})" for name, why in problems.items()
        )
        sessions = " ".join(f"'frameworks({name})'" for name in problems)
        raise MissingResults(
            f"Framework probe results missing or stale: {listing}. Produce them with "
            f"`nox -s frameworks` (all) or `nox -s {sessions}` (just these), or "
            "`python probes/ensure_results.py`."
        )
    return {name: json.loads((Path(folder) / f"{name}.json").read_text()) for name in frameworks}


def _relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(RESULTS.parent.parent))
    except ValueError:
        return str(path)


@dataclass
class Row:
    """One line of the conventions table: a function over all its cases."""

    framework: str
    version: str
    function: str
    computes: str
    layout: str
    padding: str
    calls: int
    max_abs_diff: float


def _version(result: dict[str, Any]) -> str:
    versions = result["versions"]
    name = result["framework"]
    return versions.get(name) or next(iter(versions.values()))


def summarize(results: dict[str, dict], checks: list[Check]) -> list[Row]:
    """One row per function; raise if a function's claim is not confirmed by a decisive case."""
    rows, failures = [], []
    for function in dict.fromkeys(c.function for c in checks):
        mine = [c for c in checks if c.function == function]
        spec = SPECS[function]
        decisive = sorted({c.matches[0] for c in mine if len(c.matches) == 1})
        if not decisive:
            failures.append(f"{function}: no case tells its readings apart")
        if len(decisive) == 2 and decisive[1] == decisive[0] + ", conjugated":
            decisive = [decisive[0] + " (of the conjugate kernel, for complex data)"]
        labels: dict[str, set[str]] = {}
        for c in mine:
            labels.setdefault(c.label, set()).add(c.extra)
        padding = [
            label + "".join(f" (extra at {e})" for e in sorted(extras) if e)
            for label, extras in labels.items()
        ]
        rows.append(
            Row(
                spec.framework,
                _version(results[spec.framework]),
                function,
                "; ".join(decisive) or "undecided",
                spec.layout,
                "; ".join(padding),
                len(mine),
                max(c.max_abs_diff for c in mine),
            )
        )
    if failures:
        raise ProbeMismatch("\n".join(failures))
    return rows


def verify(
    folder: Path = RESULTS, frameworks: Iterable[str] = ORDER
) -> tuple[list[Row], list[Check]]:
    """Load, check and summarize every framework: what the docs page calls."""
    results = load_results(folder, frameworks)
    checks, failures = [], []
    for result in results.values():
        try:
            checks += check_result(result)
        except ProbeMismatch as error:
            failures.append(str(error))
    if failures:
        raise ProbeMismatch("\n".join(failures))
    return summarize(results, checks), checks


def markdown_table(rows: list[Row]) -> str:
    """The conventions table as Markdown."""
    lines = [
        "| framework | version | function | computes | layout | padding rules seen | calls | max abs diff |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.framework} | {r.version} | `{r.function}` | {r.computes} | {r.layout} | "
            f"{r.padding} | {r.calls} | {r.max_abs_diff:.1e} |"
        )
    return "\n".join(lines)


assert set(FRAMEWORKS) == set(ORDER)
