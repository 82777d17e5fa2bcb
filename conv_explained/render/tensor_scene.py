"""The tensor view's frame descriptions, built from the package's public operators only.

:func:`tensor_frames` turns an operation and its arguments into a list of
:class:`TensorFrame` records: the input block (padding included), the filter
blocks, the output block with what is written so far, the window, the group,
the lit output cell and the caption. Nothing here draws, and nothing here
computes a number itself: the output is the operator's result, each partial
sum the same operator applied to one input channel and one filter channel,
and the padded input the operator's own padding (a depthwise 1×1 correlation
with weight 1 and the same padding and ``padding_mode``). The partial sums
(plus bias) are checked to add up to the output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .. import ops, pooling, shapes
from .._validate import as_array, ntuple
from ._format import MINUS, format_value
from ._verify import VerificationError
from .alt import dims
from .animation import MAX_CELLS, MAX_CHANNELS, MAX_PADDED, MAX_STEPS

__all__ = ["TENSOR_OPS", "TensorFrame", "as_chw", "pair", "tensor_frames"]

#: Operations the tensor view draws.
TENSOR_OPS = ("correlate", "convolve", "transpose", "max-pool")

Index3 = tuple[int, int, int]


@dataclass(frozen=True, eq=False)
class TensorFrame:
    """Everything one frame of the tensor view shows (no pixels, no drawing).

    The arrays are shared between the frames of one animation (never copied
    or changed); ``written`` and the window fields are per frame. Frames
    compare by identity (they hold arrays).

    Attributes
    ----------
    op : str
        One of :data:`TENSOR_OPS`.
    x : numpy.ndarray
        ``(C_in, Hp, Wp)``: the input as the operator sees it, padding included.
    padding_mask : numpy.ndarray
        ``(C_in, Hp, Wp)`` bool: True on padding cells.
    filters : numpy.ndarray or None
        ``(C_out, C_in/groups, kh, kw)``: the weights as applied (flipped for
        ``convolve``); None for pooling (the window has no weights).
    output : numpy.ndarray
        ``(C_out, H′, W′)``: the operator's result.
    written : numpy.ndarray
        ``(C_out, H′, W′)`` bool: output cells shown in this frame.
    groups : int
        Number of channel groups (1 for a full convolution; C for pooling,
        which works on each channel on its own).
    window_channels : tuple of int
        Input channels under the window (the lit cell's group).
    window_rows, window_cols : tuple of int
        Rows and columns of ``x`` (padded coordinates) holding the taps.
    lit : tuple of int or None
        ``(o, i, j)``, the output cell written in this frame; None on the
        final frame.
    partials : tuple of float
        Per input channel of the window, the package's partial sum
        (``ops.correlate`` of that channel with that filter channel); empty
        for pooling.
    bias : float or None
        The bias added to the lit cell, if any.
    caption : str
        The line under the blocks.
    step : int or None
        Index of the output cell, None for the final frame.
    inserted_mask : numpy.ndarray or None
        For ``"transpose"``: True on the zeros inserted between input cells
        (``x`` is then the direct view's zero-inserted, padded input).
    """

    op: str
    x: np.ndarray
    padding_mask: np.ndarray
    filters: np.ndarray | None
    output: np.ndarray
    written: np.ndarray
    groups: int
    window_channels: tuple[int, ...]
    window_rows: tuple[int, ...]
    window_cols: tuple[int, ...]
    lit: Index3 | None
    partials: tuple[Any, ...]
    bias: Any
    caption: str
    step: int | None
    inserted_mask: np.ndarray | None = None

    @property
    def filter_index(self) -> int | None:
        """The filter in use (the lit cell's output channel), None for pooling or the end."""
        if self.filters is None or self.lit is None:
            return None
        return self.lit[0]


# ---------------------------------------------------------------- building frames


def _check_size(name: str, what: str, n: int, limit: int) -> None:
    if n > limit:
        raise ValueError(f"{name} has {n} {what}; at most {limit} can be drawn in the tensor view")


def as_chw(x: ArrayLike) -> np.ndarray:
    """``x`` as a ``(C, H, W)`` array (a 2-D input is one channel)."""
    xa = as_array("x", x)
    if xa.ndim == 2:
        xa = xa[None]
    if xa.ndim != 3:
        raise ValueError(
            f"x must be (C_in, H, W) (or (H, W), one channel) for the tensor view, "
            f"got shape {tuple(xa.shape)}"
        )
    return xa


def _padded(
    xa: np.ndarray, pads: Sequence[tuple[int, int]], mode: str
) -> tuple[np.ndarray, np.ndarray]:
    """The padded input as :func:`ops.correlate` builds it, and its padding mask.

    The values come from the package: a depthwise 1×1 correlation with weight 1
    and the same padding and ``padding_mode`` returns the padded input. Padding
    pairs are reached by padding the larger side on both ends and cropping.
    """
    c = xa.shape[0]
    widest = tuple(max(p) for p in pads)
    one = np.ones((c, 1, 1, 1), dtype=xa.dtype if xa.dtype.kind in "iuf" else np.float64)
    full = ops.correlate(xa, one, padding=widest, groups=c, padding_mode=mode)
    crop = tuple(
        slice(m - before, full.shape[1 + a] - (m - after))
        for a, ((before, after), m) in enumerate(zip(pads, widest, strict=True))
    )
    xp = full[(slice(None), *crop)]
    mask = np.ones(xp.shape, dtype=bool)
    h, w = xa.shape[1:]
    mask[:, pads[0][0] : pads[0][0] + h, pads[1][0] : pads[1][0] + w] = False
    return xp, mask


def _term(value: Any) -> str:
    text = format_value(value)
    return f"({text})" if text.startswith(MINUS) else text


def _check_common(xa: np.ndarray, steps: int) -> None:
    _check_size("x", "channels", xa.shape[0], MAX_CHANNELS)
    if any(s > MAX_CELLS for s in xa.shape[1:]):
        raise ValueError(
            f"x is too large to draw legibly: spatial size {dims(xa.shape[1:])} has more "
            f"than {MAX_CELLS} cells along an axis"
        )
    if steps > MAX_STEPS:
        raise ValueError(
            f"x and weight give {steps} steps (frames); at most {MAX_STEPS} can be animated, "
            f"use a smaller input or fewer channels"
        )


def tensor_frames(
    op: str,
    x: ArrayLike,
    weight: ArrayLike | int | tuple[int, int],
    bias: ArrayLike | None = None,
    *,
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    ceil_mode: bool = False,
    output_padding: int | tuple[int, int] = 0,
) -> list[TensorFrame]:
    """Describe every frame of a tensor-view animation (one per output cell, then the end).

    Parameters
    ----------
    op : {"correlate", "convolve", "transpose", "max-pool"}
        The operation. ``"transpose"`` is drawn as the direct correlation it
        equals (:func:`conv_explained.transposed_as_correlation`): zeros
        inserted between the input cells, flipped filters with their channel
        axes swapped.
    x : array_like
        ``(C_in, H, W)`` (or ``(H, W)``, one channel); at most
        :data:`~.animation.MAX_CHANNELS` channels and
        :data:`~.animation.MAX_CELLS` cells per spatial axis.
    weight : array_like, or int or pair of int for ``"max-pool"``
        ``(C_out, C_in / groups, kh, kw)`` filters (``(C_in, C_out / groups,
        kh, kw)`` for ``"transpose"``, as in torch), or the pooling window size.
    bias : array_like, optional
        ``(C_out,)``, convolutions only.
    stride, padding, dilation, groups, padding_mode, ceil_mode, output_padding
        As in :func:`conv_explained.conv_transpose` for ``"transpose"``, else as in :func:`conv_explained.correlate` and :func:`conv_explained.max_pool`
        (``stride`` defaults to 1 for convolutions, to the window for pooling).

    Returns
    -------
    list of TensorFrame

    Raises
    ------
    ValueError
        For an unknown ``op``, shapes the operators refuse, or sizes too
        large to draw (channels, cells per axis, padded cells, steps).
    VerificationError
        If the partial sums do not add up to the operator's output.
    """
    if op not in TENSOR_OPS:
        raise ValueError(f"op must be one of {', '.join(map(repr, TENSOR_OPS))}, got {op!r}")
    xa = as_chw(x)
    if op == "max-pool":
        return _pool_frames(xa, weight, stride, padding, dilation, ceil_mode)  # type: ignore[arg-type]
    w = as_array("weight", weight)
    if w.ndim != 4:
        raise ValueError(
            f"weight must be (C_out, C_in / groups, kh, kw) for the tensor view, "
            f"got shape {tuple(w.shape)}"
        )
    if op == "transpose":
        setup = _transpose_setup(xa, w, bias, stride, padding, output_padding, groups, dilation)
    else:
        setup = _conv_setup(op, xa, w, bias, stride, padding, dilation, groups, padding_mode)
    if any(e > MAX_PADDED for e in setup.x.shape[1:]):
        raise ValueError(
            f"padding makes the drawn input {dims(setup.x.shape[1:])}, more than {MAX_PADDED} "
            f"cells along an axis"
        )
    b = None if bias is None else as_array("bias", bias)
    partial = _partials(setup, groups, b)
    return _conv_frame_list(op, setup, partial, b, groups, dilation, xa.shape[0])


@dataclass(frozen=True, eq=False)
class _Setup:
    """What a convolution's frames are built from (all arrays from the operators)."""

    out: np.ndarray  # the operator's result
    x: np.ndarray  # the drawn input (padded; zero-inserted for a transposed convolution)
    mask: np.ndarray  # padding cells of ``x``
    inserted: np.ndarray | None  # inserted zeros of ``x``
    applied: np.ndarray  # the filters as drawn (and applied to ``x``)
    fn: Any  # the operator whose per-channel calls give the partial sums
    source: np.ndarray  # its input
    kernels: np.ndarray  # its weight
    options: dict[str, Any]  # its options


def _conv_setup(
    op: str,
    xa: np.ndarray,
    w: np.ndarray,
    bias: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
    padding_mode: str,
) -> _Setup:
    _check_size("weight", "output channels", w.shape[0], MAX_CHANNELS)
    fn = ops.correlate if op == "correlate" else ops.convolve
    options = {
        "stride": 1 if stride is None else stride,
        "padding": padding,
        "dilation": dilation,
        "padding_mode": padding_mode,
    }
    out = fn(xa, w, bias, groups=groups, **options)  # the operator validates everything
    _check_common(xa, out.size)
    pads = shapes.resolve_padding(
        padding, w.shape[2:], stride=options["stride"], dilation=dilation
    )
    xp, mask = _padded(xa, pads, padding_mode)
    applied = w if op == "correlate" else ops.flip(w)
    return _Setup(out, xp, mask, None, applied, fn, xa, w, options)


def _transpose_setup(
    xa: np.ndarray,
    w: np.ndarray,
    bias: Any,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: int,
    dilation: Any,
) -> _Setup:
    t_opts = {
        "stride": 1 if stride is None else stride,
        "padding": padding,
        "output_padding": output_padding,
        "groups": groups,
        "dilation": dilation,
    }
    out = ops.conv_transpose(xa, w, bias, **t_opts)  # the operator validates everything
    _check_size("weight", "output channels", out.shape[0], MAX_CHANNELS)
    _check_common(xa, out.size)
    xp, applied = ops.transposed_as_correlation(xa, w, **t_opts)
    # Which drawn cells hold input values: the same construction applied to ones.
    ones, _ = ops.transposed_as_correlation(np.ones(xa.shape, dtype=np.int64), w, **t_opts)
    holds = ones != 0
    rows, cols = np.flatnonzero(holds.any(axis=(0, 2))), np.flatnonzero(holds.any(axis=(0, 1)))
    hull = np.zeros(holds.shape, dtype=bool)
    hull[:, rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] = True
    options = {"stride": 1, "padding": 0, "dilation": dilation}
    return _Setup(out, xp, ~hull, hull & ~holds, applied, ops.correlate, xp, applied, options)


def _partials(setup: _Setup, groups: int, b: np.ndarray | None) -> np.ndarray:
    """Per-channel partial sums, each from the package: one channel, one filter channel.

    Checked to add up (with the bias) to the operator's output.
    """
    out = setup.out
    c_out, c_group = setup.applied.shape[:2]
    per_group = c_out // groups
    partial = np.empty((c_out, c_group, *out.shape[1:]), dtype=out.dtype)
    for o in range(c_out):
        for k in range(c_group):
            c = (o // per_group) * c_group + k
            one = setup.fn(
                setup.source[c : c + 1], setup.kernels[o : o + 1, k : k + 1], **setup.options
            )
            partial[o, k] = one[0]
    total = partial.sum(axis=1) + (0 if b is None else b.reshape(-1, 1, 1))
    if not np.allclose(total, out, rtol=1e-12, atol=1e-12 * max(1.0, float(np.abs(out).max()))):
        raise VerificationError(
            "the per-channel partial sums do not add up to the operator's output "
            f"(largest difference {float(np.abs(total - out).max())})"
        )
    return partial


def _conv_caption(
    op: str,
    lit: Index3,
    chans: tuple[int, ...],
    parts: tuple[Any, ...],
    bias: Any,
    c_in: int,
    value: Any,
) -> str:
    o, i, j = lit
    sym = "∗" if op == "convolve" else "⋆"
    x_name, w_name = ("x̃", "w̃") if op == "transpose" else ("x", "w")
    head = "Σ_c" if len(chans) == c_in else "Σ_c∈{" + ",".join(map(str, chans)) + "}"
    lead = f"out[{o}, {i}, {j}] = {head} ({x_name}[c] {sym} {w_name}[{o}, c]) = "
    if len(parts) == 1 and bias is None:  # one channel: the sum is its one term
        return lead + format_value(value)
    terms = " + ".join(_term(p) for p in parts)
    if bias is not None:
        terms += f" + {_term(bias)} (bias)"
    return f"{lead}{terms} = {format_value(value)}"


def _conv_frame_list(
    op: str,
    setup: _Setup,
    partial: np.ndarray,
    b: np.ndarray | None,
    groups: int,
    dilation: Any,
    c_in: int,
) -> list[TensorFrame]:
    out = setup.out
    c_out, c_group, kh, kw = setup.applied.shape
    per_group = c_out // groups
    ss = pair("stride", setup.options["stride"])
    ds = pair("dilation", dilation)
    frames: list[TensorFrame] = []
    written = np.zeros(out.shape, dtype=bool)
    for step, (o, i, j) in enumerate(np.ndindex(*out.shape)):
        g = o // per_group
        chans = tuple(range(g * c_group, (g + 1) * c_group))
        parts = tuple(partial[o, :, i, j].tolist())
        bias = None if b is None else b[o].item()
        written = written.copy()
        written[o, i, j] = True
        frames.append(
            TensorFrame(
                op=op,
                x=setup.x,
                padding_mask=setup.mask,
                filters=setup.applied,
                output=out,
                written=written,
                groups=groups,
                window_channels=chans,
                window_rows=tuple(i * ss[0] + ds[0] * u for u in range(kh)),
                window_cols=tuple(j * ss[1] + ds[1] * v for v in range(kw)),
                lit=(o, i, j),
                partials=parts,
                bias=bias,
                caption=_conv_caption(op, (o, i, j), chans, parts, bias, c_in, out[o, i, j]),
                step=step,
                inserted_mask=setup.inserted,
            )
        )
    frames.append(_final(frames[-1], f"output {dims(out.shape)}: one channel per filter"))
    return frames


def pair(name: str, value: Any, minimum: int = 1) -> tuple[int, int]:
    """A checked int-or-pair option as a pair (the operators have validated it already)."""
    a, b = ntuple(name, value, 2, minimum=minimum)
    return a, b


def _final(last: TensorFrame, caption: str) -> TensorFrame:
    return TensorFrame(
        **{
            **last.__dict__,
            "written": np.ones(last.output.shape, dtype=bool),
            "window_channels": (),
            "window_rows": (),
            "window_cols": (),
            "lit": None,
            "partials": (),
            "bias": None,
            "caption": caption,
            "step": None,
        }
    )


def _pool_frames(
    xa: np.ndarray,
    kernel_size: int | tuple[int, int],
    stride: Any,
    padding: Any,
    dilation: Any,
    ceil_mode: bool,
) -> list[TensorFrame]:
    out = pooling.max_pool(
        xa,
        kernel_size,
        stride=stride,
        padding=padding,
        dilation=dilation,
        ceil_mode=ceil_mode,
        ndim=2,
    )
    _check_common(xa, out.size)
    ks = pair("kernel_size", kernel_size)
    ss = ks if stride is None else pair("stride", stride)
    ps = pair("padding", padding, 0)
    ds = pair("dilation", dilation)
    xp, mask = _padded(xa, tuple((p, p) for p in ps), "zeros")
    # Max pooling pads with −∞ (never chosen): shown as such on the padding cells.
    xp = np.where(mask, -np.inf, xp) if mask.any() else xp
    frames = []
    written = np.zeros(out.shape, dtype=bool)
    for step, (c, i, j) in enumerate(np.ndindex(*out.shape)):
        rows = tuple(r for u in range(ks[0]) if (r := i * ss[0] + ds[0] * u) < xp.shape[1])
        cols = tuple(q for v in range(ks[1]) if (q := j * ss[1] + ds[1] * v) < xp.shape[2])
        values = ", ".join(format_value(xp[c, r, q]) for r in rows for q in cols)
        written = written.copy()
        written[c, i, j] = True
        frames.append(
            TensorFrame(
                op="max-pool",
                x=xp,
                padding_mask=mask,
                filters=None,
                output=out,
                written=written,
                groups=xa.shape[0],
                window_channels=(c,),
                window_rows=rows,
                window_cols=cols,
                lit=(c, i, j),
                partials=(),
                bias=None,
                caption=f"out[{c}, {i}, {j}] = max({values}) = {format_value(out[c, i, j])}",
                step=step,
            )
        )
    frames.append(_final(frames[-1], f"output {dims(out.shape)}: each channel pooled on its own"))
    return frames
