r"""Max and average pooling, local and global, in 1-D, 2-D and 3-D.

Semantics follow :mod:`torch.nn.functional` (``max_pool1d/2d/3d``,
``avg_pool1d/2d/3d``, ``adaptive_max_pool*d(x, 1)``, ``adaptive_avg_pool*d(x,
1)``): inputs are ``(N, C, *spatial)`` or unbatched ``(C, *spatial)``, every
channel is pooled on its own, and output sizes come from
:func:`~conv_explained.pool_output_size`.

Torch has one function per spatial rank; here one function serves all three,
and the rank is read from the arguments:

* a tuple ``kernel_size`` gives the rank by its length (1, 2 or 3);
* an int ``kernel_size`` with ``ndim`` given uses ``ndim``;
* an int ``kernel_size`` without ``ndim`` reads the rank from ``x`` only
  where its shape fits one reading: 1 axis is a plain signal, 5 axes are
  ``(N, C, D, H, W)``. An ``x`` of 2, 3 or 4 axes fits two or three
  readings (``(1, 3, 3)`` could be one ``(C, H, W)`` image or an
  ``(N, C, L)`` batch of signals), so it is refused, in one line naming the
  readings, rather than guessed.

With ``d`` spatial axes, ``x`` is then a plain array of ``d`` axes (one
channel; the result is plain too), ``(C, *spatial)`` or ``(N, C, *spatial)``.
Windows are strided views of the padded input
(:func:`conv_explained._core.windows`): there is no Python loop over output
positions.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import _core
from ._args import (
    POOL_RANK_RULE,
    PoolArgs,
    check_divisor_override,
    resolve_global,
    resolve_pool,
)
from ._docstrings import docfiller

__all__ = [
    "avg_pool",
    "avg_pool_counted",
    "avg_pool_divisor",
    "global_avg_pool",
    "global_max_pool",
    "max_pool",
    "pool_pad_input",
]

IntOrTuple = int | Sequence[int]


def _tap_index(a: PoolArgs) -> np.ndarray:
    """``(*out, taps)``: flat input index of every window tap, -1 outside the input."""
    flat = np.arange(int(np.prod(a.spatial))).reshape(a.spatial)
    padded = _core.pad(flat, a.pads, value=-1)
    view = _core.windows(padded, a.kernel, a.out, a.stride, a.dilation)
    return view.reshape(*a.out, -1)


def _counted(a: PoolArgs, count_include_pad: object) -> np.ndarray:
    """Boolean mask over the padded grid: the cells an average counts.

    The input, and its padding too with ``count_include_pad``, but never the
    ceil_mode overhang past the padding.
    """
    if not isinstance(count_include_pad, bool):
        raise TypeError(f"count_include_pad must be True or False, got {count_include_pad!r}")
    counts_padding = count_include_pad
    keep = tuple(
        slice(0, before + i + p) if counts_padding else slice(before, before + i)
        for (before, _), i, p in zip(a.pads, a.spatial, a.padding, strict=True)
    )
    padded = tuple(i + b + e for i, (b, e) in zip(a.spatial, a.pads, strict=True))
    mask = np.zeros(padded, dtype=bool)
    mask[keep] = True
    return mask


def _divisor(a: PoolArgs, count_include_pad: object, divisor_override: int | None) -> np.ndarray:
    """``(*out)`` average-pooling divisors: the counted cells of each window."""
    check_divisor_override(divisor_override)
    counted = _counted(a, count_include_pad)
    if divisor_override is not None:
        return np.full(a.out, float(divisor_override))
    view = _core.windows(counted, a.kernel, a.out, a.stride, a.dilation)
    return np.asarray(view.sum(axis=tuple(range(-len(a.kernel), 0))))


def pool_pad_input(
    x: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    dilation: IntOrTuple = 1,
    ceil_mode: bool = False,
    value: float = 0,
    ndim: int | None = None,
) -> np.ndarray:
    """The input as the pooling windows read it: padded with ``value``.

    The padding is widened at the end by the ``ceil_mode`` overhang of the
    last window (:func:`~conv_explained.shapes.pool_padding`). Max pooling
    reads ``-inf`` there, average pooling zeros.

    Examples
    --------
    >>> pool_pad_input(np.array([[1, 2, 3]]), (2,), ceil_mode=True, value=-np.inf)
    array([[  1.,   2.,   3., -inf]])
    """
    a = resolve_pool(x, kernel_size, stride, padding, dilation, ceil_mode, ndim)
    xp = _core.pad(a.x.astype(np.result_type(a.x, value), copy=False), a.pads, value=value)
    return a.restore(xp)


def avg_pool_counted(
    x: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    ndim: int | None = None,
) -> np.ndarray:
    """Which cells of :func:`pool_pad_input`'s grid :func:`avg_pool` counts.

    A boolean mask over the padded spatial grid (no batch or channel axes):
    the input cells, the padding too with ``count_include_pad``, never the
    ``ceil_mode`` overhang. Each window's divisor is its count of these
    cells (unless ``divisor_override`` is given).

    Examples
    --------
    >>> avg_pool_counted(np.ones((1, 4)), (3,), stride=2, ceil_mode=True)
    array([ True,  True,  True,  True, False])
    >>> avg_pool_counted(np.ones((1, 3)), (2,), padding=1, count_include_pad=False)
    array([False,  True,  True,  True, False])
    """
    a = resolve_pool(x, kernel_size, stride, padding, 1, ceil_mode, ndim)
    return _counted(a, count_include_pad)


@docfiller(rank_rule=textwrap.fill(POOL_RANK_RULE, 72))
def max_pool(
    x: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    dilation: IntOrTuple = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
    ndim: int | None = None,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    r"""Max pooling: the largest value in each window, channel by channel.

    In 2-D, with :math:`x_p` the input padded with :math:`-\infty`,

    .. math::

        y[n, c, i, j] = \max_{u, v}\; x_p[n, c,\; s_0 i + d_0 u,\; s_1 j + d_1 v]

    which equals ``torch.nn.functional.max_pool1d/2d/3d``.

    {rank_rule}

    Parameters
    ----------
    x : array_like
        ``(N, C, *spatial)``, unbatched ``(C, *spatial)`` or a plain
        ``spatial`` array, 1-3 spatial axes; integer or float.
    kernel_size : int or tuple of int
        Window size. A tuple gives the number of spatial axes by its length;
        an int uses ``ndim`` (see above).
    stride : int or tuple of int, optional
        Step between windows; defaults to ``kernel_size``.
    padding : int or tuple of int, optional
        Implicit :math:`-\infty` padding on both sides (the integer dtype's
        minimum for integer input), at most ``kernel_size // 2``.
    dilation : int or tuple of int, optional
        Spacing between window taps.
    ceil_mode : bool, optional
        Round the output size up, letting in a last partial window as long as
        it starts inside the input or the left padding.
    return_indices : bool, optional
        Also return where each maximum came from.
    ndim : int, optional
        Number of spatial axes (1, 2 or 3); with an int ``kernel_size``, needed
        for an ``x`` of 2, 3 or 4 axes.

    Returns
    -------
    numpy.ndarray
        ``(N, C, *out)`` (``(C, *out)`` if unbatched, ``out`` if plain) with ``out`` from
        :func:`~conv_explained.pool_output_size`; same dtype as ``x``.
    numpy.ndarray
        Only with ``return_indices``: int64 array of the same shape holding
        the flat (row-major) index of each maximum into the spatial axes of
        its input channel, torch's convention (padding is never chosen).

    Raises
    ------
    TypeError
        For bool, complex or object arrays and non-integer options.
    ValueError
        For a wrong rank, non-positive sizes, negative padding, padding above
        ``kernel_size // 2`` or a window that does not fit.

    See Also
    --------
    avg_pool, global_max_pool, conv_explained.max_pool_grad

    Notes
    -----
    Ties go to the first maximum in row-major window order; a NaN in the
    window makes the output NaN, and its index is that of the last NaN, as on
    torch's CPU.

    Examples
    --------
    Max pooling 2x2 with stride 2 keeps the largest of each block:

    >>> x = np.array([[[1, 1, 2, 4],
    ...                [5, 6, 7, 8],
    ...                [3, 2, 1, 0],
    ...                [1, 2, 3, 4]]])
    >>> values, indices = max_pool(x, (2, 2), return_indices=True)
    >>> values
    array([[[6, 8],
            [3, 4]]])
    >>> indices
    array([[[ 5,  7],
            [ 8, 15]]])

    A plain image needs no channel axis; with an int ``kernel_size`` the
    shape ``(1, 4, 4)`` fits two readings and is refused:

    >>> max_pool(x[0], (2, 2))
    array([[6, 8],
           [3, 4]])
    >>> max_pool(x, 2)
    Traceback (most recent call last):
    ...
    ValueError: x.shape (1, 4, 4) could be (C, H, W) for 2-D pooling, (N, C, L) for 1-D pooling or a plain (D, H, W) volume for 3-D pooling: pass kernel_size as a tuple of 2, 1 or 3 ints, or ndim=2 / ndim=1 / ndim=3
    """
    if not isinstance(return_indices, bool):
        raise TypeError(f"return_indices must be True or False, got {return_indices!r}")
    a = resolve_pool(x, kernel_size, stride, padding, dilation, ceil_mode, ndim)
    xb, out = a.x, a.out
    fill = np.iinfo(xb.dtype).min if np.issubdtype(xb.dtype, np.integer) else -np.inf
    xp = _core.pad(xb, a.pads, value=fill)
    taps = _core.windows(xp, a.kernel, out, a.stride, a.dilation)
    taps = taps.reshape(*xb.shape[:2], *out, int(np.prod(a.kernel)))
    values = taps.max(axis=-1)  # NaN propagates
    if not return_indices:
        return a.restore(values)
    index = np.broadcast_to(_tap_index(a), taps.shape)
    real = index >= 0
    # First real tap equal to the maximum (the padding holds the same -inf or
    # minimum and must never be chosen) ...
    position = np.argmax((taps == values[..., None]) & real, axis=-1)
    nan = np.isnan(values) if np.issubdtype(values.dtype, np.floating) else None
    if nan is not None and nan.any():
        # ... except that the last NaN wins, as in torch's `val > max || isnan(val)`.
        last = taps.shape[-1] - 1 - np.argmax((np.isnan(taps) & real)[..., ::-1], axis=-1)
        position = np.where(nan, last, position)
    indices = np.take_along_axis(index, position[..., None], axis=-1)[..., 0]
    return a.restore(values), a.restore(indices.astype(np.int64))


def avg_pool(
    x: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
    ndim: int | None = None,
) -> np.ndarray:
    r"""Average pooling: the mean of each window, channel by channel.

    .. math::

        y[n, c, i, j] = \frac{1}{D_{ij}} \sum_{u, v}
            x_p[n, c,\; s_0 i + u,\; s_1 j + v]

    with :math:`x_p` the zero-padded input, which equals
    ``torch.nn.functional.avg_pool1d/2d/3d``. The divisor :math:`D_{ij}` is
    ``divisor_override`` if given; otherwise the number of window cells that
    lie in the input and, with ``count_include_pad``, in the padding (but
    never the ``ceil_mode`` overhang beyond the padding).

    Parameters
    ----------
    x : array_like
        ``(N, C, *spatial)``, unbatched ``(C, *spatial)`` or a plain
        ``spatial`` array, 1-3 spatial axes.
    kernel_size : int or tuple of int
        Window size; the rank rule is that of :func:`max_pool`.
    stride : int or tuple of int, optional
        Step between windows; defaults to ``kernel_size``.
    padding : int or tuple of int, optional
        Implicit zero padding on both sides, at most ``kernel_size // 2``.
    ceil_mode : bool, optional
        Round the output size up (see :func:`max_pool`).
    count_include_pad : bool, optional
        Count padding cells in the divisor.
    divisor_override : int, optional
        A fixed non-zero divisor for every window.
    ndim : int, optional
        Number of spatial axes, as in :func:`max_pool`.

    Returns
    -------
    numpy.ndarray
        ``(N, C, *out)`` (or ``(C, *out)``, or plain ``out``); float64 for integer input,
        otherwise the dtype of ``x``.

    Raises
    ------
    TypeError
        For bool, complex or object arrays and non-integer options.
    ValueError
        As :func:`max_pool`, and for ``divisor_override=0``.

    See Also
    --------
    max_pool, global_avg_pool, conv_explained.avg_pool_grad

    Notes
    -----
    The divisors are counted, not derived: they are the window sums of an
    array of ones that covers the cells that count.

    Examples
    --------
    >>> avg_pool(np.array([[1, 2, 3, 4, 5]]), (2,))
    array([[1.5, 3.5]])
    >>> avg_pool(np.array([[1, 2, 3, 4, 5]]), (2,), ceil_mode=True)
    array([[1.5, 3.5, 5. ]])
    >>> avg_pool(np.array([[1, 2, 3, 4]]), (3,), stride=1, padding=1)
    array([[1.        , 2.        , 3.        , 2.33333333]])
    >>> avg_pool(np.array([[1, 2, 3, 4]]), (3,), stride=1, padding=1, count_include_pad=False)
    array([[1.5, 2. , 3. , 3.5]])
    """
    a = resolve_pool(x, kernel_size, stride, padding, 1, ceil_mode, ndim)
    divisor = _divisor(a, count_include_pad, divisor_override)
    dtype = np.dtype(np.float64) if np.issubdtype(a.x.dtype, np.integer) else a.x.dtype
    xp = _core.pad(a.x.astype(dtype, copy=False), a.pads)
    sums = _core.windows(xp, a.kernel, a.out, a.stride, a.dilation)
    y = (sums.sum(axis=tuple(range(-len(a.kernel), 0))) / divisor).astype(dtype, copy=False)
    return a.restore(y)


def avg_pool_divisor(
    x: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
    ndim: int | None = None,
) -> np.ndarray:
    """The number each window's sum is divided by in :func:`avg_pool`.

    Shape ``out`` (the spatial output size): the count of
    :func:`avg_pool_counted` cells in the window, or ``divisor_override``.

    Examples
    --------
    >>> avg_pool_divisor(np.ones((1, 4)), (3,), stride=1, padding=1, count_include_pad=False)
    array([2., 3., 3., 2.])
    """
    a = resolve_pool(x, kernel_size, stride, padding, 1, ceil_mode, ndim)
    return _divisor(a, count_include_pad, divisor_override).astype(np.float64)


_GLOBAL_DOCS = {
    "parameters": """
        Parameters
        ----------
        x : array_like
            ``(N, C, *spatial)``, unbatched ``(C, *spatial)`` or a plain
            ``spatial`` array, 1-3 spatial axes.
        ndim : int, optional
            Number of spatial axes. Without it the rank is read from ``x``
            where that has one reading (1 axis: plain, 5 axes: ``(N, C, D,
            H, W)``); an ``x`` of 2, 3 or 4 axes needs ``ndim``.
        """,
    "raises": """
        Raises
        ------
        TypeError
            For bool, complex or object arrays.
        ValueError
            For a wrong rank, an ``x`` of 2, 3 or 4 axes without ``ndim``, or
            an empty axis.
        """,
}
"""Text shared by the docstrings of the global poolings."""


@docfiller(**_GLOBAL_DOCS)
def global_max_pool(x: ArrayLike, *, ndim: int | None = None) -> np.ndarray:
    """Global max pooling: each feature map reduced to its largest value.

    Equals ``torch.nn.functional.adaptive_max_pool1d/2d/3d(x, 1)``: the
    spatial axes stay, with size 1, so the result broadcasts against ``x``.

    {parameters}

    Returns
    -------
    numpy.ndarray
        ``(N, C, 1, ..., 1)`` (or ``(C, 1, ..., 1)``), dtype of ``x``; a NaN
        anywhere in a map makes its result NaN.

    {raises}

    See Also
    --------
    global_avg_pool, max_pool

    Examples
    --------
    Two 2x2 feature maps become a feature vector of two numbers:

    >>> maps = np.array([[[[1, 5], [3, 2]], [[0, -1], [7, 4]]]])
    >>> global_max_pool(maps, ndim=2)
    array([[[[5]],
    <BLANKLINE>
            [[7]]]])
    >>> global_max_pool(maps, ndim=2).reshape(1, -1)
    array([[5, 7]])
    """
    xb, layout, axes = resolve_global(x, ndim)
    y = xb.max(axis=axes, keepdims=True)
    return layout.restore(y)


@docfiller(**_GLOBAL_DOCS)
def global_avg_pool(x: ArrayLike, *, ndim: int | None = None) -> np.ndarray:
    """Global average pooling: each feature map reduced to its mean.

    Equals ``torch.nn.functional.adaptive_avg_pool1d/2d/3d(x, 1)``; the
    spatial axes stay, with size 1.

    {parameters}

    Returns
    -------
    numpy.ndarray
        ``(N, C, 1, ..., 1)`` (or ``(C, 1, ..., 1)``); float64 for integer
        input, otherwise the dtype of ``x``.

    {raises}

    See Also
    --------
    global_max_pool, avg_pool

    Examples
    --------
    >>> maps = np.array([[[1, 5], [3, 2]], [[0, -1], [7, 4]]])
    >>> global_avg_pool(maps, ndim=2)
    array([[[2.75]],
    <BLANKLINE>
           [[2.5 ]]])
    """
    xb, layout, axes = resolve_global(x, ndim)
    dtype = np.dtype(np.float64) if np.issubdtype(xb.dtype, np.integer) else xb.dtype
    y = xb.mean(axis=axes, keepdims=True, dtype=dtype)
    return layout.restore(y)
