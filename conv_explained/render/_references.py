"""The torch references every animation is checked against, in one place.

Each function takes ``(torch, F)`` first (``torch`` and
``torch.nn.functional``, imported lazily by :mod:`._verify`) and the
operation's arrays and options as keywords; the family specs bind those with
:func:`functools.partial`. Nothing here uses the package's operators: these
are the independent side of every check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._verify import to_torch

__all__ = [
    "channel_partials",
    "conv",
    "conv_input_grad",
    "conv_transpose",
    "conv_transpose_stamps",
    "conv_transpose_uncropped",
    "flipped_kernel",
    "gathered",
    "global_pool",
    "max_pool_grad",
    "max_pool_indices",
    "padded",
    "pool",
    "pool_grid",
    "transposed_kernel",
    "zero_inserted",
]

_TORCH_MODES = {"replicate": "replicate", "reflect": "reflect", "circular": "circular"}


def torch_pads(pads: Sequence[tuple[int, int]]) -> list[int]:
    """``F.pad`` order: last axis first."""
    flat: list[int] = []
    for before, after in reversed(list(pads)):
        flat += [before, after]
    return flat


def _bias(torch: Any, bias: np.ndarray | None) -> Any:
    return None if bias is None else to_torch(torch, bias, batch=False)


def _weight(torch: Any, weight: np.ndarray, flip: bool) -> Any:
    wt = to_torch(torch, weight, batch=False)
    return torch.flip(wt, dims=tuple(range(2, wt.dim()))) if flip else wt


def conv(
    torch: Any,
    F: Any,
    *,
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    flip: bool = False,
    stride: Sequence[int] | int = 1,
    padding: object = 0,
    pads: Sequence[tuple[int, int]] | None = None,
    dilation: Sequence[int] | int = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> Any:
    """``F.conv{d}d`` of ``x`` (``(C, *sp)``) with ``weight`` (flipped for a true convolution).

    ``padding`` is handed to torch as given (an int tuple or ``"valid"`` /
    ``"same"``); ``pads`` pairs that torch's ``padding`` cannot express
    (asymmetric, ``"full"``, or a non-zero ``padding_mode``) go through
    ``F.pad`` first.
    """
    xt = to_torch(torch, x)
    wt = _weight(torch, weight, flip)
    fn = getattr(F, f"conv{wt.dim() - 2}d")
    if pads is not None and any(b or a for b, a in pads):
        mode = _TORCH_MODES.get(padding_mode)
        if mode is not None:
            xt = F.pad(xt, torch_pads(pads), mode=mode)
        else:
            xt = F.pad(xt, torch_pads(pads))
        padding = 0
    return fn(
        xt,
        wt,
        _bias(torch, bias),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
    )[0]


def padded(
    torch: Any, F: Any, *, x: np.ndarray, pads: Sequence[tuple[int, int]], padding_mode: str
) -> Any:
    """``F.pad`` of ``x`` as a convolution with ``padding_mode`` reads it."""
    t = to_torch(torch, x)
    if padding_mode == "zeros":
        return F.pad(t, torch_pads(pads))[0]
    return F.pad(t, torch_pads(pads), mode=padding_mode)[0]


def flipped_kernel(torch: Any, F: Any, *, weight: np.ndarray, flip: bool) -> Any:
    """The kernel as applied: as given, or flipped along every kernel axis."""
    return _weight(torch, weight, flip)


def conv_transpose(
    torch: Any,
    F: Any,
    *,
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: Sequence[int],
    padding: Sequence[int],
    output_padding: Sequence[int],
    groups: int,
    dilation: Sequence[int],
) -> Any:
    """``F.conv_transpose{d}d``."""
    fn = getattr(F, f"conv_transpose{weight.ndim - 2}d")
    return fn(
        to_torch(torch, x),
        to_torch(torch, weight, batch=False),
        _bias(torch, bias),
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        groups=groups,
        dilation=dilation,
    )[0]


def conv_transpose_uncropped(
    torch: Any,
    F: Any,
    *,
    x: np.ndarray,
    weight: np.ndarray,
    stride: Sequence[int],
    groups: int,
    dilation: Sequence[int],
    size: Sequence[int],
) -> Any:
    """``F.conv_transpose{d}d`` without padding, zero-extended at the end to ``size``."""
    fn = getattr(F, f"conv_transpose{weight.ndim - 2}d")
    y = fn(
        to_torch(torch, x),
        to_torch(torch, weight, batch=False),
        stride=stride,
        groups=groups,
        dilation=dilation,
    )[0]
    return F.pad(y, torch_pads([(0, e - f) for e, f in zip(size, y.shape[1:], strict=True)]))


def conv_transpose_stamps(torch: Any, F: Any, *, x: np.ndarray, **options: Any) -> Any:
    """Each input cell's own stamp: :func:`conv_transpose_uncropped` of a one-hot input.

    ``options`` are those of :func:`conv_transpose_uncropped` (weight, stride,
    groups, dilation, size).
    """
    stamps = []
    for idx in np.ndindex(*x.shape):
        one = np.zeros_like(x)
        one[idx] = x[idx]
        stamps.append(conv_transpose_uncropped(torch, F, x=one, **options))
    return torch.stack(stamps)


def conv_input_grad(
    torch: Any,
    F: Any,
    *,
    x: np.ndarray,
    weight: np.ndarray,
    grad_output: np.ndarray,
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    groups: int,
) -> Any:
    """``torch.autograd.grad`` of ``F.conv{d}d`` with respect to its input."""
    xt = to_torch(torch, x).requires_grad_(True)
    y = getattr(F, f"conv{weight.ndim - 2}d")(
        xt,
        to_torch(torch, weight, batch=False),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
    )
    (gx,) = torch.autograd.grad(y, xt, to_torch(torch, grad_output))
    return gx[0]


def _pool_fn(F: Any, kind: str, d: int) -> Any:
    return getattr(F, f"{kind}_pool{d}d")


def pool(
    torch: Any,
    F: Any,
    *,
    kind: str,
    x: np.ndarray,
    kernel: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int] | int = 0,
    dilation: Sequence[int] | None = None,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Any:
    """``F.max_pool{d}d`` (``kind="max"``) or ``F.avg_pool{d}d`` (``kind="avg"``)."""
    fn = _pool_fn(F, kind, len(kernel))
    xt = to_torch(torch, x)
    if kind == "max":
        dl = 1 if dilation is None else dilation
        return fn(xt, kernel, stride=stride, padding=padding, dilation=dl, ceil_mode=ceil_mode)[0]
    return fn(
        xt,
        kernel,
        stride=stride,
        padding=padding,
        ceil_mode=ceil_mode,
        count_include_pad=count_include_pad,
    )[0]


def max_pool_indices(
    torch: Any,
    F: Any,
    *,
    x: np.ndarray,
    kernel: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    dilation: Sequence[int],
    ceil_mode: bool,
) -> Any:
    """The flat input index of each window's maximum (``return_indices=True``)."""
    return _pool_fn(F, "max", len(kernel))(
        to_torch(torch, x),
        kernel,
        stride=stride,
        padding=padding,
        dilation=dilation,
        ceil_mode=ceil_mode,
        return_indices=True,
    )[1][0]


def global_pool(torch: Any, F: Any, *, kind: str, x: np.ndarray) -> Any:
    """``F.adaptive_{kind}_pool{d}d(x, 1)``."""
    return getattr(F, f"adaptive_{kind}_pool{x.ndim - 1}d")(to_torch(torch, x), 1)[0]


def max_pool_grad(
    torch: Any, F: Any, *, x: np.ndarray, grad_output: np.ndarray, **window: Any
) -> Any:
    """``torch.autograd.grad`` of ``F.max_pool{d}d`` with respect to its input.

    ``window`` holds ``kernel``, ``stride``, ``padding``, ``dilation`` and
    ``ceil_mode``, as for :func:`pool`.
    """
    xt = to_torch(torch, x).requires_grad_(True)
    kernel = window.pop("kernel")
    y = _pool_fn(F, "max", len(kernel))(xt, kernel, **window)
    (gx,) = torch.autograd.grad(y, xt, to_torch(torch, grad_output))
    return gx[0]


# --------------------------------------------------------------------------
# What the tensor view draws besides the result: grids, kernels, partial sums
# --------------------------------------------------------------------------


def zero_inserted(
    torch: Any,
    F: Any,
    *,
    x: np.ndarray,
    kernel: Sequence[int],
    stride: Sequence[int],
    padding: Sequence[int],
    output_padding: Sequence[int],
    dilation: Sequence[int],
) -> Any:
    """The direct view's input of a transposed convolution, built with torch alone.

    Zeros inserted by a 1×1 identity transposed convolution with the stride,
    then ``F.pad`` by ``d(k-1) - p`` before and that plus ``output_padding``
    after (a negative amount crops).
    """
    xt = to_torch(torch, x)
    c = xt.shape[1]
    eye = torch.ones((c, 1) + (1,) * len(kernel), dtype=torch.float64)
    fn = getattr(F, f"conv_transpose{len(kernel)}d")
    xz = fn(xt, eye, stride=tuple(stride), groups=c)
    pads = []
    for k, p, a, d in zip(kernel, padding, output_padding, dilation, strict=True):
        before = d * (k - 1) - p
        pads.append((before, before + a))
    return F.pad(xz, torch_pads(pads))[0]


def transposed_kernel(torch: Any, F: Any, *, weight: np.ndarray, groups: int) -> Any:
    """A transposed convolution's weight as its direct correlation applies it.

    ``(C_in, C_out/g, *k)`` → ``(C_out, C_in/g, *k)``: the channel axes
    swapped within each group, every kernel axis flipped.
    """
    w = to_torch(torch, weight, batch=False)
    c_in, per, *k = w.shape
    cg = c_in // groups
    swapped = w.reshape(groups, cg, per, *k).transpose(1, 2).reshape(groups * per, cg, *k)
    return torch.flip(swapped, dims=tuple(range(2, swapped.dim())))


def pool_grid(
    torch: Any, F: Any, *, x: np.ndarray, pads: Sequence[tuple[int, int]], fill: float
) -> Any:
    """``x`` padded with ``fill`` (−∞ for max pooling, 0 for average pooling)."""
    return F.pad(to_torch(torch, x), torch_pads(pads), value=fill)[0]


def channel_partials(
    torch: Any,
    F: Any,
    *,
    grid: Any,
    kernel: Any,
    stride: Sequence[int],
    dilation: Sequence[int],
    groups: int,
) -> Any:
    """Per output channel and per filter channel, the correlation of one input channel.

    ``grid`` and ``kernel`` are references (``(torch, F) -> tensor``) of the
    drawn input ``(C_in, *sp)`` and filters ``(C_out, C_in/g, *k)``; the
    result is ``(C_out, C_in/g, *out)``: the terms of each output cell's sum.
    """
    xt, wt = grid(torch, F), kernel(torch, F)
    c_out, cg = wt.shape[:2]
    per = c_out // groups
    fn = getattr(F, f"conv{wt.dim() - 2}d")
    rows = []
    for o in range(c_out):
        first = (o // per) * cg
        channels = xt[first : first + cg][:, None]  # each input channel as a batch item
        taps = wt[o][:, None][:, None]  # (cg, 1, 1, *k)
        rows.append(
            torch.stack(
                [
                    fn(
                        channels[k : k + 1],
                        taps[k],
                        stride=tuple(stride),
                        dilation=tuple(dilation),
                    )[0, 0]
                    for k in range(cg)
                ]
            )
        )
    return torch.stack(rows)


def gathered(torch: Any, F: Any, *, compute: Any, indices: Sequence[tuple[int, ...]]) -> Any:
    """The values of ``compute(torch, F)`` at ``indices`` (the cells a view drew)."""
    full = compute(torch, F)
    if not indices:
        return torch.zeros(0, dtype=torch.float64)
    return torch.stack([full[tuple(i)] for i in indices]).to(torch.float64)
