r"""Reference operators: correlation, true convolution, transposed convolution.

Correlation is what frameworks call convolution. All work in 1-D, 2-D and 3-D.

Semantics, layouts and option names follow :mod:`torch.nn.functional`:
inputs are ``(N, C_in, *spatial)`` or unbatched ``(C_in, *spatial)``; the
weight of :func:`correlate` and :func:`convolve` is ``(C_out, C_in / groups,
*kernel_size)`` and that of :func:`conv_transpose` is ``(C_in, C_out / groups,
*kernel_size)``. Options are an int (used on every axis) or one int per axis.
A plain signal or image with a plain kernel goes in as it is and comes out
plain (the rule is in :func:`correlate`); a 3-D weight keeps PyTorch's
meaning.

Integer inputs give exact ``int64`` results; otherwise the result has numpy's
common dtype of the inputs.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import _core
from ._args import PLAIN_RULE, TransposedArgs, check_weight, resolve_conv, resolve_transposed
from ._docstrings import docfiller
from ._validate import trailing

_LAYOUT_DOCS = {"plain_rule": textwrap.fill(PLAIN_RULE, 72)}
"""The layout rule, shared by the docstrings of every operator with a weight."""
from .shapes import (
    conv_transpose_direct_padding,
    zero_insertion_size,
)

__all__ = [
    "CELL_KINDS",
    "conv_transpose",
    "conv_transpose_uncropped",
    "convolve",
    "correlate",
    "flip",
    "pad_input",
    "transposed_as_correlation",
    "transposed_cell_kinds",
]

IntOrTuple = int | Sequence[int]
Padding = int | Sequence[int] | Sequence[tuple[int, int]] | str


def flip(weight: ArrayLike) -> np.ndarray:
    """Reverse a weight along every spatial (kernel) axis.

    The two channel axes of a PyTorch-layout weight (3-5 axes) are left
    alone; a plain 1-D or 2-D kernel is reversed along every axis.

    Examples
    --------
    >>> flip([[[[0, 1, 2], [3, 4, 5], [6, 7, 8]]]])[0, 0]
    array([[8, 7, 6],
           [5, 4, 3],
           [2, 1, 0]])
    >>> flip([1, 2, 3])
    array([3, 2, 1])
    """
    w, plain = check_weight(weight)
    flipped = np.flip(w, axis=tuple(range(2, w.ndim))).copy()
    return flipped[0, 0] if plain else flipped


@docfiller(**_LAYOUT_DOCS)
def correlate(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    r"""Cross-correlation: what deep-learning frameworks call "convolution".

    The kernel slides over the input without being flipped. In 2-D, for
    output channel :math:`o` of group :math:`g`,

    .. math::

        y[n, o, i, j] = b[o] + \sum_{c, u, v}
            x_p[n, g C_g + c,\; s_0 i + d_0 u,\; s_1 j + d_1 v]\; w[o, c, u, v]

    where :math:`x_p` is the padded input. This equals
    ``torch.nn.functional.conv1d/conv2d/conv3d`` (and ``torch.nn.Conv*d``
    with its ``padding_mode``).

    {plain_rule}

    Parameters
    ----------
    x : array_like
        Input, ``(N, C_in, *spatial)``, unbatched ``(C_in, *spatial)``, or a
        plain signal or image when ``weight`` is a plain kernel.
    weight : array_like
        Kernels, ``(C_out, C_in / groups, *kernel_size)`` with 1-3 kernel
        axes, or a plain 1-D or 2-D kernel.
    bias : array_like, optional
        ``(C_out,)``, added to every output position of its channel (one
        number for a plain kernel).
    stride : int or tuple of int, optional
        Step between kernel positions.
    padding : int, tuple of int, or {"valid", "same", "full"}, optional
        Amount on both sides of each axis, or a rule: ``"valid"`` (none),
        ``"same"`` (output size = input size, stride 1 only; an even effective
        kernel gets the extra row/column at the end, as in PyTorch) or
        ``"full"`` (``dilation * (kernel_size - 1)`` on each side).
    dilation : int or tuple of int, optional
        Spacing between kernel taps.
    groups : int, optional
        Split channels into independent groups; ``groups == C_in`` is a
        depthwise correlation.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, optional
        What the padding cells hold, as in ``torch.nn.Conv2d``.

    Returns
    -------
    numpy.ndarray
        ``(N, C_out, *out)`` (``(C_out, *out)`` for an unbatched input,
        ``out`` for a plain one) with ``out`` from
        :func:`~conv_explained.conv_output_size`.

    Raises
    ------
    TypeError
        For non-numeric arrays or non-integer options.
    ValueError
        For wrong ranks, mismatched channels, bad options, or a kernel larger
        than the padded input.

    See Also
    --------
    convolve : the same with the kernel flipped (true convolution).
    conv_transpose : the adjoint (transpose) of this linear map.

    Notes
    -----
    The sum runs over kernel windows built as strided views; each group is one
    matrix product (im2col + GEMM), so there is no Python loop over output
    positions.

    Examples
    --------
    The example of the MXNet post: a 5x5 image and the kernel 0..8.

    >>> image = np.array([[1, 2, 2, 1, 0],
    ...                   [3, 3, 3, 3, 0],
    ...                   [3, 0, 0, 2, 2],
    ...                   [0, 3, 0, 3, 3],
    ...                   [2, 2, 2, 3, 2]])
    >>> kernel = np.arange(9).reshape(3, 3)
    >>> correlate(image, kernel)
    array([[60, 56, 52],
           [39, 61, 66],
           [54, 78, 82]])

    The same numbers in PyTorch's layout, one sample of one channel:

    >>> correlate(image[None, None], kernel[None, None]).shape
    (1, 1, 3, 3)
    """
    a = resolve_conv(x, weight, bias, stride, padding, dilation, groups, padding_mode)
    dtype = _core.result_dtype(a.x, a.weight, a.bias)
    xp = _core.pad(a.x, a.pads, a.padding_mode)
    y = _core.correlate_padded(xp, a.weight, a.out, a.stride, a.dilation, a.groups, dtype)
    if a.bias is not None:
        y += a.bias.astype(dtype).reshape((1, -1) + (1,) * a.d)
    return a.restore(y)


@docfiller(**_LAYOUT_DOCS)
def convolve(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    r"""True convolution: the kernel flipped along every spatial axis.

    .. math::

        y[n, o, i, j] = b[o] + \sum_{c, u, v}
            x_p[n, g C_g + c,\; s_0 i + d_0 u,\; s_1 j + d_1 v]\;
            w[o, c, k_0 - 1 - u, k_1 - 1 - v]

    so ``convolve(x, w) == correlate(x, flip(w))``. With ``padding="full"``
    and one channel this is ``scipy.signal.convolve(..., mode="full")``; with
    no padding it is ``mode="valid"``.

    {plain_rule}

    Parameters
    ----------
    x, weight, bias, stride, padding, dilation, groups, padding_mode
        Exactly as in :func:`correlate`.

    Returns
    -------
    numpy.ndarray
        Same shape as :func:`correlate` gives.

    Raises
    ------
    TypeError, ValueError
        As :func:`correlate`.

    See Also
    --------
    correlate, flip

    Examples
    --------
    The same image and kernel as in :func:`correlate`: convolution applies
    the kernel 8..0 and gives different numbers.

    >>> image = np.array([[1, 2, 2, 1, 0],
    ...                   [3, 3, 3, 3, 0],
    ...                   [3, 0, 0, 2, 2],
    ...                   [0, 3, 0, 3, 3],
    ...                   [2, 2, 2, 3, 2]])
    >>> kernel = np.arange(9).reshape(3, 3)
    >>> convolve(image, kernel)
    array([[76, 72, 52],
           [81, 75, 62],
           [42, 42, 54]])
    """
    return correlate(
        x,
        flip(weight),
        bias,
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        padding_mode=padding_mode,
    )


@docfiller(**_LAYOUT_DOCS)
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
    r"""Transposed convolution (``torch.nn.functional.conv_transpose1d/2d/3d``).

    Each input cell stamps a copy of the kernel, scaled by its value, into the
    output at ``stride`` spacing; overlapping stamps add up, and ``padding``
    cells are then cropped from each side. This function computes it that way
    (one matrix product per group, then one strided add per kernel tap). The
    same numbers come from a direct correlation (Dumoulin & Visin, section 4):
    insert ``stride - 1`` zeros between input cells, pad each side with
    ``dilation * (kernel_size - 1) - padding`` zeros (plus ``output_padding``
    at the end), and correlate with the flipped kernel, input and output
    channel axes swapped, at stride 1; the tests check both views.

    {plain_rule}

    Parameters
    ----------
    x : array_like
        ``(N, C_in, *spatial)``, unbatched ``(C_in, *spatial)``, or a plain
        signal or image when ``weight`` is a plain kernel.
    weight : array_like
        ``(C_in, C_out / groups, *kernel_size)`` (PyTorch's layout, the same
        tensor the matching forward correlation uses), or a plain 1-D or
        2-D kernel.
    bias : array_like, optional
        ``(C_out,)`` (one number for a plain kernel).
    stride, padding, dilation : int or tuple of int, optional
        The options of the forward correlation being transposed.
    output_padding : int or tuple of int, optional
        Extra size at the end of each axis (Dumoulin & Visin's :math:`a`);
        smaller than the stride or the dilation.
    groups : int, optional
        Independent channel groups.

    Returns
    -------
    numpy.ndarray
        ``(N, C_out, *out)`` (``(C_out, *out)`` unbatched, ``out`` plain)
        with ``out`` from :func:`~conv_explained.conv_transpose_output_size`.

    Raises
    ------
    TypeError, ValueError
        For bad arrays or options, as :func:`correlate`.

    See Also
    --------
    correlate, conv_explained.conv_matrix

    Examples
    --------
    A 2x2 input and a kernel of ones, stride 2: four separate stamps.

    >>> conv_transpose(np.array([[1, 2], [3, 4]]), np.ones((2, 2), int), stride=2)
    array([[1, 1, 2, 2],
           [1, 1, 2, 2],
           [3, 3, 4, 4],
           [3, 3, 4, 4]])
    """
    a = resolve_transposed(x, weight, bias, stride, padding, output_padding, groups, dilation)
    y = _scatter(a.x, a.weight, a.groups, a.stride, a.dilation, a.uncropped)
    y = y[trailing(slice(p, p + o) for p, o in zip(a.padding, a.out, strict=True))]
    y = np.ascontiguousarray(y)
    if a.bias is not None:
        y += a.bias.astype(y.dtype).reshape((1, a.c_out) + (1,) * a.d)
    return a.restore(y)


def _scatter(
    xb: np.ndarray,
    w: np.ndarray,
    g: int,
    strides: Sequence[int],
    dilations: Sequence[int],
    size: Sequence[int],
) -> np.ndarray:
    """Sum of every input cell's scaled kernel stamp, in an array of ``size`` (uncropped)."""
    c_in = xb.shape[1]
    c_out = w.shape[1] * g
    kernel = w.shape[2:]
    dtype = _core.result_dtype(xb, w)

    # Scatter form: one GEMM per group gives every input cell's scaled kernel
    # copy; the copies are then added into the output one kernel tap at a
    # time (a loop over taps, not over output positions).
    n = xb.shape[0]
    spatial = xb.shape[2:]
    cg, og = c_in // g, w.shape[1]
    taps = int(np.prod(kernel))
    positions = int(np.prod(spatial))
    cells = np.ascontiguousarray(xb, dtype=dtype).reshape(n, c_in, positions)
    y = np.zeros((n, c_out, *size), dtype=dtype)
    wd = np.asarray(w, dtype=dtype)
    for group in range(g):
        # (og * taps, cg) @ (N, cg, positions) -> (N, og, taps, *spatial)
        w_group = wd[group * cg : (group + 1) * cg].reshape(cg, og * taps).T
        stamps = np.matmul(w_group, cells[:, group * cg : (group + 1) * cg])
        stamps = stamps.reshape(n, og, taps, *spatial)
        target = y[:, group * og : (group + 1) * og]
        for t, tap in enumerate(np.ndindex(*kernel)):
            where = tuple(
                slice(u * dl, u * dl + (i - 1) * s + 1, s)
                for u, dl, i, s in zip(tap, dilations, spatial, strides, strict=True)
            )
            target[trailing(where)] += stamps[:, :, t]
    return y


@docfiller(**_LAYOUT_DOCS)
def transposed_as_correlation(
    x: ArrayLike,
    weight: ArrayLike,
    *,
    stride: IntOrTuple = 1,
    padding: IntOrTuple = 0,
    output_padding: IntOrTuple = 0,
    groups: int = 1,
    dilation: IntOrTuple = 1,
) -> tuple[np.ndarray, np.ndarray]:
    r"""The direct correlation that a transposed convolution equals.

    Returns ``(x_direct, weight_direct)`` such that
    ``correlate(x_direct, weight_direct, dilation=dilation, groups=groups)``
    equals ``conv_transpose(x, weight, stride=..., padding=..., ...)``
    (Dumoulin & Visin, section 4, "fractionally strided convolution"):

    * ``x_direct`` is ``x`` with ``stride - 1`` zeros inserted between
      neighbouring cells, then padded on each side with
      :math:`d(k-1) - p` zeros (cropped where that is negative), plus
      ``output_padding`` zeros at the end;
    * ``weight_direct`` is ``weight`` with its two channel axes swapped in
      each group and every kernel axis flipped.

    {plain_rule}

    A plain ``x`` and kernel give a plain ``x_direct`` and ``weight_direct``.

    Parameters
    ----------
    x, weight, stride, padding, output_padding, groups, dilation
        As in :func:`conv_transpose`.

    Returns
    -------
    x_direct : numpy.ndarray
        The zero-inserted, padded input, in the layout of ``x``.
    weight_direct : numpy.ndarray
        ``(C_out, C_in / groups, *kernel_size)``, or plain like ``weight``.

    Examples
    --------
    >>> xd, wd = transposed_as_correlation(np.array([[[1, 2], [3, 4]]]),
    ...                                    np.arange(4).reshape(1, 1, 2, 2), stride=2)
    >>> xd[0]
    array([[0, 0, 0, 0, 0],
           [0, 1, 0, 2, 0],
           [0, 0, 0, 0, 0],
           [0, 3, 0, 4, 0],
           [0, 0, 0, 0, 0]])
    >>> wd[0, 0]
    array([[3, 2],
           [1, 0]])
    """
    a = resolve_transposed(x, weight, None, stride, padding, output_padding, groups, dilation)
    dtype = _core.result_dtype(a.x, a.weight)
    xz = _direct_input(a, a.x.astype(dtype, copy=False), 0)
    w = a.weight
    cg, og = a.x.shape[1] // a.groups, w.shape[1]
    wt = w.reshape((a.groups, cg, og, *a.kernel)).swapaxes(1, 2)
    wt = wt.reshape((og * a.groups, cg, *a.kernel))
    wt = np.flip(wt, axis=tuple(range(2, 2 + a.d))).astype(dtype)
    return a.restore(xz), a.restore_weight(np.ascontiguousarray(wt))


def _direct_input(a: TransposedArgs, xb: np.ndarray, fill: object) -> np.ndarray:
    """``xb`` with ``stride - 1`` cells of ``fill`` inserted, then padded (or cropped)."""
    inserted = zero_insertion_size(xb.shape[2:], a.stride)
    xz = np.full(xb.shape[:2] + tuple(inserted), fill, dtype=xb.dtype)
    xz[trailing(slice(None, None, s) for s in a.stride)] = xb
    pairs = conv_transpose_direct_padding(
        a.kernel, padding=a.padding, output_padding=a.output_padding, dilation=a.dilation
    )
    xz = _core.pad(xz, [(max(b, 0), max(e, 0)) for b, e in pairs])
    crop = tuple(slice(max(-b, 0), xz.shape[2 + i] - max(-e, 0)) for i, (b, e) in enumerate(pairs))
    return np.ascontiguousarray(xz[trailing(crop)])


#: What each cell of a transposed convolution's direct input is (see
#: :func:`transposed_cell_kinds`).
CELL_KINDS = ("padding", "inserted", "input")


def transposed_cell_kinds(
    x: ArrayLike,
    weight: ArrayLike,
    *,
    stride: IntOrTuple = 1,
    padding: IntOrTuple = 0,
    output_padding: IntOrTuple = 0,
    groups: int = 1,
    dilation: IntOrTuple = 1,
) -> np.ndarray:
    """What each cell of :func:`transposed_as_correlation`'s ``x_direct`` is.

    Returns an int array of ``x_direct``'s shape: 2 where an input value
    sits, 1 for a zero inserted between input cells, 0 for padding (indices
    into :data:`CELL_KINDS`). Built by the same insertion and padding.

    Examples
    --------
    >>> transposed_cell_kinds(np.ones((1, 2)), np.ones((1, 1, 2)), stride=2)
    array([[0, 2, 1, 2, 0]])
    """
    a = resolve_transposed(x, weight, None, stride, padding, output_padding, groups, dilation)
    marks = np.full(a.x.shape, 2, dtype=np.int64)
    kinds = _direct_input(a, marks, 1)
    return a.restore(kinds)


def pad_input(
    x: ArrayLike,
    weight: ArrayLike,
    *,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """The input exactly as :func:`correlate` reads it: padded by its rule and mode.

    Examples
    --------
    >>> pad_input(np.array([[1, 2, 3]]), np.ones((1, 1, 3)), padding=1, padding_mode="circular")
    array([[3, 1, 2, 3, 1]])
    """
    a = resolve_conv(x, weight, None, stride, padding, dilation, groups, padding_mode)
    xp = _core.pad(a.x, a.pads, a.padding_mode)
    return a.restore(xp)


def conv_transpose_uncropped(
    x: ArrayLike,
    weight: ArrayLike,
    *,
    stride: IntOrTuple = 1,
    padding: IntOrTuple = 0,
    output_padding: IntOrTuple = 0,
    groups: int = 1,
    dilation: IntOrTuple = 1,
) -> np.ndarray:
    """The sum of all stamps of :func:`conv_transpose`, before ``padding`` crops it.

    Its size is :func:`~conv_explained.shapes.conv_transpose_uncropped_size`;
    cropping ``padding`` cells at the start of each axis to the output size
    gives :func:`conv_transpose` (without bias).

    Examples
    --------
    >>> conv_transpose_uncropped(np.array([[1, 2]]), np.ones((1, 1, 3), int), padding=1)
    array([[1, 3, 3, 2]])
    """
    a = resolve_transposed(x, weight, None, stride, padding, output_padding, groups, dilation)
    y = _scatter(a.x, a.weight, a.groups, a.stride, a.dilation, a.uncropped)
    return a.restore(y)
