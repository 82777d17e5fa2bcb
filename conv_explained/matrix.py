r"""Convolution as a matrix: the Toeplitz view and im2col.

A correlation with a fixed weight is a linear map of its input, so it is a
matrix. :func:`conv_matrix` writes that matrix out: one row per output cell,
one column per input cell, and in each row the kernel taps placed at the input
cells they touch. In 1-D the rows are shifted copies of the kernel (a Toeplitz
matrix); in 2-D the matrix is block Toeplitz with Toeplitz blocks. Its
transpose is the transposed convolution, which is where that name comes from.

:func:`im2col` is the other matrix view, the classic way to compute with
one: copy every kernel window of the input into a column, and the correlation
becomes one matrix product (GEMM) of the flattened weight with the columns.
:func:`col2im` adds columns back into an image and is its transpose. This
package's :func:`~conv_explained.correlate` works this way. Explicit im2col is
how Caffe's own convolution layer works and remains a general fallback
(PyTorch's CPU ``slow_conv2d``); cuDNN mostly runs implicit GEMM (the columns
formed on the fly, never written out), Winograd and FFT algorithms, and oneDNN
direct convolution kernels.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import _core
from ._args import PLAIN_RULE, check_channels, check_weight, conv_geometry, layout_of
from ._docstrings import docfiller
from ._validate import as_array, drop_batch, is_int, ntuple, trailing

__all__ = ["col2im", "conv_matrix", "im2col"]

IntOrTuple = int | Sequence[int]
Padding = int | Sequence[int] | str


@docfiller(plain_rule=textwrap.fill(PLAIN_RULE, 72))
def conv_matrix(
    input_shape: Sequence[int],
    weight: ArrayLike,
    *,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
) -> np.ndarray:
    r"""The dense matrix of a correlation: ``correlate(x, w).ravel() == C @ x.ravel()``.

    Row :math:`r` of :math:`C` belongs to output cell ``(o, *i)`` and column
    :math:`c` to input cell ``(c_in, *j)``, both in C (row-major) order. The
    entry is the kernel tap that multiplies that input cell for that output
    cell,

    .. math::

        C[(o, i), (g C_g + c, \; s i + d u - p)] = w[o, c, u],

    and zero where no tap lands (including taps that land in the zero padding,
    which are simply dropped).

    {plain_rule}

    For a plain kernel ``input_shape`` is the plain input's shape and the
    matrix has one row per output cell and one column per input cell.

    Parameters
    ----------
    input_shape : sequence of int
        ``(C_in, *spatial)`` of an unbatched input, with as many spatial axes
        as the weight has kernel axes (1-3); just ``spatial`` for a plain
        kernel.
    weight : array_like
        ``(C_out, C_in / groups, *kernel_size)`` or a plain 1-D or 2-D
        kernel, as in :func:`~conv_explained.correlate`.
    stride : int or tuple of int, optional
        Step between kernel positions.
    padding : int, tuple of int, or {"valid", "same", "full"}, optional
        Zero padding, as in :func:`~conv_explained.correlate`.
    dilation : int or tuple of int, optional
        Spacing between kernel taps.
    groups : int, optional
        Independent channel groups; the matrix is then block diagonal.

    Returns
    -------
    numpy.ndarray
        ``(C_out * prod(out), C_in * prod(spatial))`` with ``out`` from
        :func:`~conv_explained.conv_output_size`. Integer weights give an
        exact ``int64`` matrix; otherwise the weight's dtype is kept.

    Raises
    ------
    TypeError
        For a non-numeric weight or non-integer sizes and options.
    ValueError
        For an ``input_shape`` of the wrong length or with a non-positive
        entry, mismatched channels, bad options, or a kernel larger than the
        padded input.

    See Also
    --------
    conv_explained.correlate : the operator this matrix represents.
    conv_explained.conv_transpose : multiplication by the transpose.
    im2col : the other matrix view, used to compute the operator.

    Notes
    -----
    *Transposed convolution.* :math:`C^T` maps outputs back to inputs. For the
    same weight and options ``conv_transpose(y, weight, stride=s, padding=p,
    dilation=d, groups=g, output_padding=a)`` equals ``(C.T @
    y.ravel()).reshape(input_shape)``, where ``p`` is the padding as one
    (symmetric) amount per axis and ``a`` is needed only when a stride above
    1 leaves some input cells past the last window: ``a =
    conv_transpose_output_padding(spatial, out, kernel_size, stride=s,
    padding=p, dilation=d)``, which is 0 whenever ``(i + 2p - d(k-1) - 1)``
    is a multiple of ``s``. Asymmetric padding (``"same"`` with an even
    effective kernel) has a transpose too, but ``conv_transpose`` has no way
    to express it.

    *Toeplitz structure.* Every row holds the same taps, shifted by the stride.
    With one channel, stride 1 and a kernel flipped by
    :func:`~conv_explained.flip` (so the operator is a true convolution) and
    ``padding="full"``, the 1-D matrix is the Toeplitz matrix of linear
    convolution, :math:`C[i, j] = w[i - j]`. In 2-D each block of rows (one
    output row) and columns (one input row) is such a Toeplitz matrix, and the
    blocks themselves are arranged in Toeplitz fashion: a doubly block
    Toeplitz matrix. Strides keep every ``s``-th row; dilation spreads the taps
    apart.

    The matrix is built by index arithmetic (for each output cell and kernel
    tap, the input cell it reads), not by correlating basis vectors. It is
    dense and has ``C_out * C_in * prod(out) * prod(spatial)`` entries, so it
    is meant for small inputs.

    Examples
    --------
    The kernel ``[1, 2, 3]`` as a true convolution of a length-4 signal with
    full padding: the columns are shifted copies of the kernel.

    >>> from conv_explained import convolve, correlate, flip
    >>> w = np.array([[[1, 2, 3]]])
    >>> conv_matrix((1, 4), flip(w), padding="full")
    array([[1, 0, 0, 0],
           [2, 1, 0, 0],
           [3, 2, 1, 0],
           [0, 3, 2, 1],
           [0, 0, 3, 2],
           [0, 0, 0, 3]])
    >>> x = np.array([[1, 0, 2, -1]])
    >>> conv_matrix((1, 4), flip(w), padding="full") @ x.ravel()
    array([ 1,  2,  5,  3,  4, -3])
    >>> convolve(x, w, padding="full").ravel()
    array([ 1,  2,  5,  3,  4, -3])

    A 2x2 kernel over a 3x3 image: four output cells, nine input cells. The
    three column blocks (input rows) and two row blocks (output rows) form a
    block Toeplitz pattern of Toeplitz blocks ``[[1, 2, 0], [0, 1, 2]]`` and
    ``[[3, 4, 0], [0, 3, 4]]``.

    >>> w2 = np.array([[[[1, 2], [3, 4]]]])
    >>> conv_matrix((1, 3, 3), w2)
    array([[1, 2, 0, 3, 4, 0, 0, 0, 0],
           [0, 1, 2, 0, 3, 4, 0, 0, 0],
           [0, 0, 0, 1, 2, 0, 3, 4, 0],
           [0, 0, 0, 0, 1, 2, 0, 3, 4]])
    >>> image = np.arange(9).reshape(1, 3, 3)
    >>> (conv_matrix((1, 3, 3), w2) @ image.ravel()).reshape(1, 2, 2)
    array([[[27, 37],
            [57, 67]]])
    >>> correlate(image, w2)
    array([[[27, 37],
            [57, 67]]])

    The transpose is the transposed convolution. With stride 2 the six inputs
    map to three outputs, and so would five: ``output_padding`` says which
    size to go back to.

    >>> from conv_explained import conv_transpose, conv_transpose_output_padding
    >>> C = conv_matrix((1, 6), w, stride=2, padding=1)
    >>> C
    array([[2, 3, 0, 0, 0, 0],
           [0, 1, 2, 3, 0, 0],
           [0, 0, 0, 1, 2, 3]])
    >>> y = np.array([[1, 0, -1]])
    >>> (C.T @ y.ravel()).reshape(1, 6)
    array([[ 2,  3,  0, -1, -2, -3]])
    >>> a = conv_transpose_output_padding(6, 3, 3, stride=2, padding=1)
    >>> a
    1
    >>> conv_transpose(y, w, stride=2, padding=1, output_padding=a)
    array([[ 2,  3,  0, -1, -2, -3]])
    """
    w, plain = check_weight(weight)
    d = w.ndim - 2
    if plain:
        shape = (1, *_check_input_shape(input_shape, d, w.shape, plain=True))
    else:
        shape = _check_input_shape(input_shape, d, w.shape)
    c_in, spatial = shape[0], shape[1:]
    c_out, c_per_group = w.shape[:2]
    g = check_channels(c_in, w.shape, groups, source="input_shape", shown=f"input_shape {shape}")
    kernel = w.shape[2:]
    strides, dilations, pads, out = conv_geometry(spatial, kernel, stride, padding, dilation)

    # Per axis a: the input index read by output cell i_a through tap u_a,
    # placed on axis a (output) and d + a (kernel) of a (*out, *kernel) grid.
    full = (*out, *kernel)
    input_flat = np.zeros(full, dtype=np.int64)
    output_flat = np.zeros(full, dtype=np.int64)
    inside = np.ones(full, dtype=bool)
    for a in range(d):
        i = np.arange(out[a]).reshape([-1 if b == a else 1 for b in range(2 * d)])
        u = np.arange(kernel[a]).reshape([-1 if b == d + a else 1 for b in range(2 * d)])
        index = strides[a] * i + dilations[a] * u - pads[a][0]
        inside = inside & (index >= 0) & (index < spatial[a])
        input_flat = input_flat * spatial[a] + index
        output_flat = output_flat * out[a] + i
    # Channels: output channel o of group o // C_og reads input channels
    # (o // C_og) * C_g + c for its C_g kernel channels c.
    positions, cells = math.prod(out), math.prod(spatial)
    o = np.arange(c_out).reshape(-1, 1, *([1] * 2 * d))
    c = np.arange(c_per_group).reshape(1, -1, *([1] * 2 * d))
    group_of_output = o // (c_out // g)
    rows = o * positions + output_flat
    cols = (group_of_output * c_per_group + c) * cells + input_flat
    # Weight (O, C_g, *k) -> (O, C_g, *1-per-out-axis, *k) to line up with the grid.
    taps = w.reshape((c_out, c_per_group) + (1,) * d + tuple(kernel))
    shape_all = (c_out, c_per_group, *full)
    keep = np.broadcast_to(inside, shape_all)
    matrix = np.zeros((c_out * positions, c_in * cells), dtype=_core.result_dtype(w))
    # Distinct taps of one output cell read distinct input cells (dilation >= 1),
    # so no two entries collide and plain assignment is exact.
    matrix[np.broadcast_to(rows, shape_all)[keep], np.broadcast_to(cols, shape_all)[keep]] = (
        np.broadcast_to(taps, shape_all)[keep]
    )
    return matrix


def _check_input_shape(
    input_shape: object, d: int, weight_shape: tuple[int, ...], *, plain: bool = False
) -> tuple[int, ...]:
    if plain:
        words = (
            f"input_shape must be the {d} spatial sizes of a plain input for the plain "
            f"{d}-D weight of shape {tuple(weight_shape[2:])}"
        )
    else:
        words = (
            f"input_shape must be (C_in, *spatial) with {d} spatial axes for a {d}-D "
            f"weight of shape {tuple(weight_shape)}"
        )
    if not isinstance(input_shape, Sequence) or isinstance(input_shape, str):
        raise TypeError(f"{words}, got {input_shape!r}")
    if len(input_shape) != d + (not plain) or not all(is_int(v) for v in input_shape):
        raise ValueError(f"{words}, got {input_shape!r}")
    if any(v < 1 for v in input_shape):
        raise ValueError(f"input_shape must contain positive integers, got {input_shape!r}")
    return tuple(int(v) for v in input_shape)


def _rank(default: int, *options: object) -> int:
    """Spatial rank implied by the first tuple-valued option, else ``default``."""
    for value in options:
        if isinstance(value, Sequence) and not isinstance(value, str):
            return len(value)
    return default


def im2col(
    x: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    r"""Copy every kernel window of ``x`` into a column (``torch.nn.functional.unfold``).

    Column :math:`l` (one output position, in row-major order) holds the
    ``C * prod(kernel_size)`` input values the kernel sees there, channel
    first and then kernel offsets in row-major order: the layout of
    ``torch.nn.functional.unfold``. Then a correlation is one matrix product,

    .. math::

        y[n, :, l] = W_\text{flat}\, \text{cols}[n, :, l], \qquad
        W_\text{flat} = w.\text{reshape}(C_\text{out}, -1).

    Parameters
    ----------
    x : array_like
        ``(N, C, *spatial)``, unbatched ``(C, *spatial)`` or a plain
        ``spatial`` array (one channel), by its number of axes.
    kernel_size : int or tuple of int
        Window size. An int (with only int options) means two spatial axes,
        as in PyTorch; give a 1- or 3-tuple for 1-D or 3-D input.
    stride : int or tuple of int, optional
        Step between windows.
    padding : int, tuple of int, or {"valid", "same", "full"}, optional
        Padding of each spatial axis, as in :func:`~conv_explained.correlate`.
    dilation : int or tuple of int, optional
        Spacing between the cells of a window.
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, optional
        What the padding holds (``unfold`` itself only pads with zeros).

    Returns
    -------
    numpy.ndarray
        ``(N, C * prod(kernel_size), L)`` or, for unbatched input,
        ``(C * prod(kernel_size), L)`` (``(prod(kernel_size), L)`` for a
        plain one), where ``L = prod(out)`` and ``out``
        comes from :func:`~conv_explained.conv_output_size`. The dtype of
        ``x`` is kept.

    Raises
    ------
    TypeError
        For a non-numeric ``x`` or non-integer options.
    ValueError
        For a wrong rank, bad options, or a window larger than the padded input.

    See Also
    --------
    col2im : the transpose, adding columns back into an image.
    conv_matrix : the matrix of the whole correlation.
    conv_explained.correlate : computed internally in exactly this way.

    Notes
    -----
    Each input value is copied into as many columns as windows cover it, up
    to ``prod(kernel_size)`` times, which is the memory price of turning the
    correlation into one large, fast matrix product. With ``groups`` each
    group is its own product: its output channels' weights times its
    ``C / groups * prod(kernel_size)`` consecutive rows.

    Examples
    --------
    A 3x3 image, 2x2 windows: four windows, four values each.

    >>> from conv_explained import correlate
    >>> x = np.arange(9).reshape(1, 3, 3)
    >>> cols = im2col(x, 2)
    >>> cols
    array([[0, 1, 3, 4],
           [1, 2, 4, 5],
           [3, 4, 6, 7],
           [4, 5, 7, 8]])

    The weight as a row matrix times the columns is the correlation (GEMM):

    >>> w = np.array([[[[1, 2], [3, 4]]]])
    >>> (w.reshape(1, -1) @ cols).reshape(1, 2, 2)
    array([[[27, 37],
            [57, 67]]])
    >>> correlate(x, w)
    array([[[27, 37],
            [57, 67]]])
    """
    d = _rank(2, kernel_size, stride, dilation, padding)
    kernel = ntuple("kernel_size", kernel_size, d)
    xb, layout = layout_of(
        "x", x, d, context=f"for kernel_size {kernel_size!r} ({d} spatial axes)"
    )
    mode = _core.check_padding_mode(padding_mode)
    strides, dilations, pads, out = conv_geometry(xb.shape[2:], kernel, stride, padding, dilation)
    xp = np.ascontiguousarray(_core.pad(xb, pads, mode))
    view = _core.windows(xp, kernel, out, strides, dilations)  # (N, C, *out, *k)
    order = (0, 1, *range(2 + d, 2 + 2 * d), *range(2, 2 + d))
    n, c = xb.shape[:2]
    cols = view.transpose(order).reshape(n, c * math.prod(kernel), math.prod(out))
    return drop_batch(cols, layout.unbatched)  # a plain x has one channel: its rows stay


def col2im(
    cols: ArrayLike,
    output_size: IntOrTuple,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
) -> np.ndarray:
    r"""Add columns back into an image (``torch.nn.functional.fold``).

    Each value of column :math:`l` is added to the input cell it was read
    from by :func:`im2col`; cells covered by several windows receive the sum
    of their copies, and values that fall in the padding are dropped. This is
    the transpose (adjoint) of :func:`im2col` with zero padding, not its
    inverse.

    Parameters
    ----------
    cols : array_like
        ``(N, C * prod(kernel_size), L)`` or unbatched
        ``(C * prod(kernel_size), L)``.
    output_size : int or tuple of int
        Spatial size of the image to rebuild.
    kernel_size : int or tuple of int
        Window size. Ints (for every size and option) mean two spatial axes,
        as in PyTorch; give tuples for 1-D or 3-D.
    stride, padding, dilation : optional
        As in :func:`im2col`; ``padding`` is zero padding.

    Returns
    -------
    numpy.ndarray
        ``(N, C, *output_size)`` or ``(C, *output_size)``, in the dtype of
        ``cols``.

    Raises
    ------
    TypeError
        For a non-numeric ``cols`` or non-integer sizes and options.
    ValueError
        For a wrong rank, a row count that is not a multiple of
        ``prod(kernel_size)``, or a column count other than the number of
        windows ``L``.

    See Also
    --------
    im2col : the operation this one transposes.

    Notes
    -----
    ``col2im(im2col(x)) == x * coverage`` where ``coverage = col2im(im2col(ones))``
    counts the windows over each cell. The gradient of a correlation with
    respect to its input is ``col2im(weight_flat.T @ grad_output)``.

    Examples
    --------
    Folding the windows of a 3x3 image of ones counts how many 2x2 windows
    cover each cell:

    >>> col2im(im2col(np.ones((1, 3, 3), int), 2), 3, 2)
    array([[[1, 2, 1],
            [2, 4, 2],
            [1, 2, 1]]])
    """
    c = as_array("cols", cols)
    if c.ndim not in (2, 3):
        raise ValueError(
            f"cols must have 2 (unbatched) or 3 (batched) dimensions, got shape {tuple(c.shape)}"
        )
    unbatched = c.ndim == 2
    if unbatched:
        c = c[None]
    d = _rank(2, output_size, kernel_size, stride, dilation, padding)
    size = ntuple("output_size", output_size, d)
    kernel = ntuple("kernel_size", kernel_size, d)
    strides, dilations, pads, out = conv_geometry(size, kernel, stride, padding, dilation)
    taps, positions = math.prod(kernel), math.prod(out)
    n, rows, length = c.shape
    if rows == 0 or rows % taps:
        raise ValueError(
            f"cols must have C * prod(kernel_size) = C * {taps} rows, got shape "
            f"{tuple(c.shape[unbatched:])}"
        )
    if length != positions:
        raise ValueError(
            f"cols must have one column per window, {positions} for output_size "
            f"{output_size!r} and kernel_size {kernel_size!r}, got shape "
            f"{tuple(c.shape[unbatched:])}"
        )
    channels = rows // taps
    blocks = c.reshape(n, channels, *kernel, *out)
    padded = tuple(i + before + after for i, (before, after) in zip(size, pads, strict=True))
    image = np.zeros((n, channels, *padded), dtype=c.dtype)
    # One strided add per kernel tap: tap u of window i came from cell s*i + d*u.
    for tap in np.ndindex(*kernel):
        target = tuple(
            slice(dl * u, dl * u + s * (o - 1) + 1, s)
            for u, s, dl, o in zip(tap, strides, dilations, out, strict=True)
        )
        image[trailing(target)] += blocks[(slice(None), slice(None), *tap)]
    crop = tuple(slice(before, before + i) for i, (before, _) in zip(size, pads, strict=True))
    image = image[trailing(crop)]
    return drop_batch(image, unbatched)
