r"""Plain-loop reference implementations, deliberately slow.

Every function here reads like the textbook formula it implements: a loop
(:func:`itertools.product`) over output positions and kernel taps, explicit
index arithmetic, and zero padding handled by a bounds check on the input
index instead of by building a padded array. Nothing is vectorised, and
nothing is shared with :mod:`conv_explained.ops` or its private machinery, so
the tests can use these functions as an independent cross-check of the fast
operators. They are also meant to be read: if a formula in the documentation
seems unclear, the loop here is the same formula, spelled out.

They are for tests and teaching only: small inputs, little validation, and a
run time proportional to the number of multiply-adds, in Python.

All functions take a batched input ``(N, C, *spatial)`` with 1 to 3 spatial
axes and the options of :mod:`torch.nn.functional`, as ints or one int per
axis. Integer inputs give exact ``int64`` results.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["avg_pool", "conv_transpose", "convolve", "correlate", "max_pool"]

IntOrTuple = int | Sequence[int]
PaddingPairs = int | Sequence[int | Sequence[int]]


def _per_axis(value: Any, d: int) -> tuple[int, ...]:
    """One int per spatial axis from an int or a tuple."""
    return (int(value),) * d if np.ndim(value) == 0 else tuple(value)


def _pairs(padding: Any, d: int) -> tuple[tuple[int, int], ...]:
    """``(before, after)`` per axis from an int, ints per axis, or pairs per axis."""
    if np.ndim(padding) == 0:
        return ((int(padding), int(padding)),) * d
    return tuple((p, p) if np.ndim(p) == 0 else (p[0], p[1]) for p in padding)


def _dtype(*arrays: np.ndarray | None) -> np.dtype:
    """The common dtype by numpy's rules, with integer inputs computed in int64."""
    dtype = np.result_type(*(a for a in arrays if a is not None))
    return np.dtype(np.int64) if np.issubdtype(dtype, np.integer) else dtype


def _inside(index: Sequence[int], size: Sequence[int]) -> bool:
    """Whether ``index`` is a real input cell (not padding)."""
    return all(0 <= j < n for j, n in zip(index, size, strict=True))


def _slide(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None,
    stride: IntOrTuple,
    padding: PaddingPairs,
    dilation: IntOrTuple,
    groups: int,
    *,
    flipped: bool,
) -> np.ndarray:
    """The sliding multiply-add shared by :func:`correlate` and :func:`convolve`."""
    x, w = np.asarray(x), np.asarray(weight)
    b = None if bias is None else np.asarray(bias)
    d = w.ndim - 2
    s, dl, pads = _per_axis(stride, d), _per_axis(dilation, d), _pairs(padding, d)
    n, c_in, *size = x.shape
    c_out, c_group, *k = w.shape
    if c_group * groups != c_in or c_out % groups:
        raise ValueError(f"weight shape {w.shape} does not fit x shape {x.shape}")
    out_size = [
        (i + before + after - dd * (kk - 1) - 1) // ss + 1
        for i, (before, after), kk, ss, dd in zip(size, pads, k, s, dl, strict=True)
    ]
    if min(out_size) < 1:
        raise ValueError(f"kernel {tuple(k)} does not fit the padded input {tuple(size)}")
    out_group = c_out // groups
    y = np.zeros((n, c_out, *out_size), dtype=_dtype(x, w, b))
    for batch, o, *pos in itertools.product(range(n), range(c_out), *map(range, out_size)):
        g = o // out_group  # the group of output channel o
        total = 0 if b is None else b[o]
        for c, *tap in itertools.product(range(c_group), *map(range, k)):
            # Input index of tap u at output position i: s*i + d*u - padding_before.
            index = [
                ii * ss + uu * dd - before
                for ii, uu, ss, dd, (before, _) in zip(pos, tap, s, dl, pads, strict=True)
            ]
            if not _inside(index, size):
                continue  # a zero-padding cell contributes nothing
            # Correlation reads w[u]; convolution reads the flipped w[k-1-u].
            w_index = [kk - 1 - uu for kk, uu in zip(k, tap, strict=True)] if flipped else tap
            total = total + x[batch, g * c_group + c, *index] * w[o, c, *w_index]
        y[batch, o, *pos] = total
    return y


def correlate(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: IntOrTuple = 1,
    padding: PaddingPairs = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
) -> np.ndarray:
    r"""Cross-correlation (a framework's "convolution") by explicit loops.

    .. math::

        y[n, o, \mathbf{i}] = b[o] + \sum_{c} \sum_{\mathbf{u}}
            x[n, g C_g + c,\; \mathbf{s}\mathbf{i} + \mathbf{d}\mathbf{u} - \mathbf{p}]
            \; w[o, c, \mathbf{u}]

    with out-of-range input indices read as zero.

    Parameters
    ----------
    x : array_like
        Input ``(N, C_in, *spatial)``.
    weight : array_like
        ``(C_out, C_in / groups, *kernel_size)``.
    bias : array_like, optional
        ``(C_out,)``.
    stride, dilation : int or tuple of int, optional
        As in :func:`torch.nn.functional.conv2d`.
    padding : int, tuple of int, or tuple of (int, int), optional
        Zero padding: the same on every side, one amount per axis, or one
        ``(before, after)`` pair per axis.
    groups : int, optional
        Number of channel groups.

    Returns
    -------
    numpy.ndarray
        ``(N, C_out, *out)``.

    Examples
    --------
    >>> correlate([[[1, 2, 3, 4]]], [[[1, 0, -1]]])
    array([[[-2, -2]]])
    """
    return _slide(x, weight, bias, stride, padding, dilation, groups, flipped=False)


def convolve(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: IntOrTuple = 1,
    padding: PaddingPairs = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
) -> np.ndarray:
    r"""True convolution (kernel reversed along every spatial axis) by explicit loops.

    .. math::

        y[n, o, \mathbf{i}] = b[o] + \sum_{c} \sum_{\mathbf{u}}
            x[n, g C_g + c,\; \mathbf{s}\mathbf{i} + \mathbf{d}\mathbf{u} - \mathbf{p}]
            \; w[o, c, \mathbf{k} - 1 - \mathbf{u}]

    Parameters
    ----------
    x, weight, bias, stride, padding, dilation, groups
        As in :func:`correlate`.

    Returns
    -------
    numpy.ndarray
        ``(N, C_out, *out)``.

    Examples
    --------
    >>> convolve([[[1, 2, 3, 4]]], [[[1, 0, -1]]])
    array([[[2, 2]]])
    """
    return _slide(x, weight, bias, stride, padding, dilation, groups, flipped=True)


def conv_transpose(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: IntOrTuple = 1,
    padding: IntOrTuple = 0,
    output_padding: IntOrTuple = 0,
    groups: int = 1,
    dilation: IntOrTuple = 1,
) -> np.ndarray:
    r"""Transposed convolution as a scatter: every input cell stamps the kernel.

    Input cell :math:`\mathbf{i}` adds :math:`x[n, c, \mathbf{i}]\, w[c, o,
    \mathbf{u}]` to output cell :math:`\mathbf{s}\mathbf{i} +
    \mathbf{d}\mathbf{u} - \mathbf{p}` for every tap :math:`\mathbf{u}`;
    stamps that land in the cropped border (``padding``) are dropped. The
    output has size :math:`s(i-1) - 2p + d(k-1) + a + 1` per axis.

    Parameters
    ----------
    x : array_like
        Input ``(N, C_in, *spatial)``.
    weight : array_like
        ``(C_in, C_out / groups, *kernel_size)``.
    bias : array_like, optional
        ``(C_out,)``.
    stride, padding, output_padding, groups, dilation : int or tuple of int, optional
        As in :func:`torch.nn.functional.conv_transpose2d`.

    Returns
    -------
    numpy.ndarray
        ``(N, C_out, *out)``.

    Examples
    --------
    Two cells, stride 2, kernel ``[1, 10, 100]``: the stamps overlap in one cell.

    >>> conv_transpose([[[1, 2]]], [[[1, 10, 100]]], stride=2)
    array([[[  1,  10, 102,  20, 200]]])
    """
    x, w = np.asarray(x), np.asarray(weight)
    b = None if bias is None else np.asarray(bias)
    d = w.ndim - 2
    s, dl = _per_axis(stride, d), _per_axis(dilation, d)
    p, a = _per_axis(padding, d), _per_axis(output_padding, d)
    n, c_in, *size = x.shape
    _, out_group, *k = w.shape
    in_group = c_in // groups
    out_size = [
        ss * (i - 1) - 2 * pp + dd * (kk - 1) + aa + 1
        for i, kk, ss, pp, aa, dd in zip(size, k, s, p, a, dl, strict=True)
    ]
    y = np.zeros((n, out_group * groups, *out_size), dtype=_dtype(x, w, b))
    for batch, c, *pos in itertools.product(range(n), range(c_in), *map(range, size)):
        g = c // in_group  # the group of input channel c
        for o, *tap in itertools.product(range(out_group), *map(range, k)):
            # Output index hit by tap u of input cell i: s*i + d*u - padding.
            index = [
                ii * ss + uu * dd - pp
                for ii, uu, ss, dd, pp in zip(pos, tap, s, dl, p, strict=True)
            ]
            if _inside(index, out_size):
                y[batch, g * out_group + o, *index] += x[batch, c, *pos] * w[c, o, *tap]
    if b is not None:
        y += b.reshape((1, -1) + (1,) * d)
    return y


def _lowest(dtype: np.dtype) -> float | int:
    """The value of an all-padding max-pooling window: -inf, or the smallest int."""
    return -np.inf if np.issubdtype(dtype, np.floating) else np.iinfo(dtype).min


def _pool_size(i: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """PyTorch's pooling output size, including its ceil-mode correction."""
    span = i + 2 * p - d * (k - 1) - 1
    o = (-(-span // s) if ceil_mode else span // s) + 1  # -(-a // b) rounds up
    if ceil_mode and (o - 1) * s >= i + p:
        o -= 1  # the last window would start in the right padding: drop it
    return o


def max_pool(
    x: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    dilation: IntOrTuple = 1,
    ceil_mode: bool = False,
) -> np.ndarray:
    r"""Max pooling by explicit loops (:func:`torch.nn.functional.max_pool2d`).

    Each output is the largest input cell under the window; padding cells are
    skipped (as if they held :math:`-\infty`, which is what a dilated window
    that sees only padding gives). NaN wins, as in PyTorch.

    Parameters
    ----------
    x : array_like
        Input ``(N, C, *spatial)``.
    kernel_size : int or tuple of int
        Window size.
    stride : int or tuple of int, optional
        Defaults to ``kernel_size``.
    padding, dilation : int or tuple of int, optional
        As in PyTorch.
    ceil_mode : bool, optional
        Round the output size up (PyTorch's rule).

    Returns
    -------
    numpy.ndarray
        ``(N, C, *out)``, the dtype of ``x``.

    Examples
    --------
    >>> max_pool([[[3, 1, 4, 1, 5]]], 2, ceil_mode=True)
    array([[[3, 4, 5]]])
    """
    x = np.asarray(x)
    n, c, *size = x.shape
    d = len(size)
    k = _per_axis(kernel_size, d)
    s = k if stride is None else _per_axis(stride, d)
    p, dl = _per_axis(padding, d), _per_axis(dilation, d)
    out_size = [_pool_size(*args, ceil_mode) for args in zip(size, k, s, p, dl, strict=True)]
    y = np.zeros((n, c, *out_size), dtype=x.dtype)
    for batch, channel, *pos in itertools.product(range(n), range(c), *map(range, out_size)):
        values = []
        for tap in itertools.product(*map(range, k)):
            index = [
                ii * ss + uu * dd - pp
                for ii, uu, ss, dd, pp in zip(pos, tap, s, dl, p, strict=True)
            ]
            if _inside(index, size):
                values.append(x[batch, channel, *index])
        # np.max propagates NaN; a dilated window may hold padding cells only.
        y[batch, channel, *pos] = np.max(values) if values else _lowest(x.dtype)
    return y


def avg_pool(
    x: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> np.ndarray:
    r"""Average pooling by explicit loops, with PyTorch's divisor rules.

    Along each axis the window of output :math:`i` covers
    :math:`[s i - p,\; \min(s i - p + k,\; n + p))`: it is cut at the end of
    the right padding (which matters with ``ceil_mode``). The sum runs over
    the real input cells in it, and the divisor is

    * ``divisor_override`` if given, else
    * the number of cells in the window, padding included, if
      ``count_include_pad`` (the default), else
    * the number of real input cells in the window.

    Parameters
    ----------
    x : array_like
        Input ``(N, C, *spatial)``.
    kernel_size : int or tuple of int
        Window size.
    stride : int or tuple of int, optional
        Defaults to ``kernel_size``.
    padding : int or tuple of int, optional
        Implicit zero padding on both sides.
    ceil_mode : bool, optional
        Round the output size up (PyTorch's rule).
    count_include_pad : bool, optional
        Count padding cells in the divisor.
    divisor_override : int, optional
        Divide every window sum by this instead.

    Returns
    -------
    numpy.ndarray
        ``(N, C, *out)``, floating point.

    Examples
    --------
    >>> avg_pool([[[1.0, 2.0, 3.0]]], 2, padding=1)
    array([[[0.5, 2.5]]])
    >>> avg_pool([[[1.0, 2.0, 3.0]]], 2, padding=1, count_include_pad=False)
    array([[[1. , 2.5]]])
    """
    x = np.asarray(x)
    n, c, *size = x.shape
    d = len(size)
    k = _per_axis(kernel_size, d)
    s = k if stride is None else _per_axis(stride, d)
    p = _per_axis(padding, d)
    out_size = [
        _pool_size(i, kk, ss, pp, 1, ceil_mode)
        for i, kk, ss, pp in zip(size, k, s, p, strict=True)
    ]
    y = np.zeros((n, c, *out_size), dtype=np.result_type(x.dtype, 1.0))
    for batch, channel, *pos in itertools.product(range(n), range(c), *map(range, out_size)):
        starts = [ii * ss - pp for ii, ss, pp in zip(pos, s, p, strict=True)]
        ends = [min(st + kk, i + pp) for st, kk, i, pp in zip(starts, k, size, p, strict=True)]
        inputs = [
            range(max(st, 0), min(en, i)) for st, en, i in zip(starts, ends, size, strict=True)
        ]
        total = sum(x[batch, channel, *index] for index in itertools.product(*inputs))
        divisor: float
        if divisor_override is not None:
            divisor = divisor_override
        elif count_include_pad:
            divisor = int(np.prod([en - st for st, en in zip(starts, ends, strict=True)]))
        else:
            divisor = int(np.prod([len(r) for r in inputs]))
        y[batch, channel, *pos] = total / divisor
    return y
