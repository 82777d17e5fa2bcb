r"""Gradients of correlation and pooling, built from the package's own operators.

Backpropagation through a "convolution" layer is itself made of
convolutions: the gradient with respect to the input is a *full* true
convolution (the kernel flipped, padded by the dilated kernel's extent less
one, then cropped by the forward padding) of the output gradient with zeros
inserted (``stride - 1`` between neighbours) by the dilated kernel, and the
gradient with respect to the weight is a correlation of the padded input
with the output gradient (its taps ``stride`` apart, moving ``dilation`` at a
time). Pooling
sends each output gradient back to the cells its window read: all of it to the
maximum for max pooling, an equal share to every counted cell for average
pooling.

Every function here equals :func:`torch.autograd.grad` of the matching
:mod:`torch.nn.functional` call.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import _core
from ._args import PLAIN_RULE, Layout, resolve_conv, resolve_pool
from ._docstrings import docfiller
from ._validate import as_array, trailing
from .ops import conv_transpose, convolve, correlate
from .pooling import avg_pool_divisor, max_pool
from .shapes import zero_insertion_size

__all__ = ["avg_pool_grad", "correlate_grad", "max_pool_grad"]

IntOrTuple = int | Sequence[int]
Padding = int | Sequence[int] | str


def _check_grad_out(grad_out: object, expected: tuple[int, ...], layout: Layout) -> np.ndarray:
    """``grad_out`` as an array of the forward output's shape (batched)."""
    g = as_array("grad_out", grad_out)
    drop = 2 if layout.plain else int(layout.unbatched)
    shown = expected[drop:]
    if tuple(g.shape) != tuple(shown):
        raise ValueError(
            f"grad_out must have the shape of the forward output, {tuple(shown)}, "
            f"got shape {tuple(g.shape)}"
        )
    return np.asarray(g.reshape(expected))


@docfiller(plain_rule=textwrap.fill(PLAIN_RULE, 72))
def correlate_grad(
    x: ArrayLike,
    weight: ArrayLike,
    grad_out: ArrayLike,
    *,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
    groups: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Gradients of :func:`~conv_explained.correlate` (``F.conv1d/2d/3d``).

    Given the gradient ``grad_out`` of a loss :math:`L` with respect to
    ``y = correlate(x, weight, bias, stride=..., padding=..., dilation=...,
    groups=...)``, return the gradients with respect to ``x``, ``weight`` and
    ``bias``.

    {plain_rule}

    Parameters
    ----------
    x : array_like
        Forward input, ``(N, C_in, *spatial)``, unbatched ``(C_in, *spatial)``
        or plain.
    weight : array_like
        Forward weight, ``(C_out, C_in / groups, *kernel_size)`` or a plain
        kernel.
    grad_out : array_like
        :math:`\partial L / \partial y`, the shape of the forward output.
    stride, padding, dilation, groups
        The options of the forward call (zero padding only); ``padding`` may
        be an int, a tuple or ``"valid"``, ``"same"``, ``"full"``.

    Returns
    -------
    grad_x : numpy.ndarray
        Same shape as ``x``.
    grad_weight : numpy.ndarray
        Same shape as ``weight``.
    grad_bias : numpy.ndarray
        ``(C_out,)``: ``grad_out`` summed over batch and spatial axes (a 0-d
        array for a plain kernel, whose bias is one number).

    Raises
    ------
    TypeError
        For non-numeric arrays or non-integer options.
    ValueError
        For the errors :func:`~conv_explained.correlate` raises, and a
        ``grad_out`` whose shape is not that of the forward output.

    See Also
    --------
    conv_explained.correlate, conv_explained.convolve, conv_explained.conv_transpose

    Notes
    -----
    In 1-D, with :math:`x_p` the padded input,
    :math:`y[i] = \sum_u x_p[s i + d u]\, w[u]`, so with :math:`g = \partial
    L/\partial y`

    .. math::

        \frac{\partial L}{\partial x_p[j]} = \sum_i g[i]\, w\!\left[\frac{j - s i}{d}\right]
        = \sum_u g_z[j - d u]\, w[u],
        \qquad
        \frac{\partial L}{\partial w[u]} = \sum_i g[i]\, x_p[s i + d u],

    where the first sum runs over the :math:`i` for which :math:`(j - s i)/d`
    is a kernel index, and :math:`g_z` is :math:`g` with :math:`s - 1` zeros
    inserted between neighbours (:math:`g_z[s i] = g[i]`). So

    * ``grad_x`` is a *true convolution* (kernel flipped) of :math:`g_z` with
      the dilated kernel, ``padding="full"``, input and output channel axes
      of the kernel swapped within each group, then cropped to the input
      (padding cells dropped; cells that no window reached get zero);
    * ``grad_weight`` is a *correlation* of :math:`x_p` with :math:`g` acting
      as the kernel: its taps are :math:`s` apart (dilation = the forward
      stride) and it moves :math:`d` at a time (stride = the forward
      dilation); the batch axis plays the role of the channel axis being
      summed, one correlation per group;
    * ``grad_bias`` is :math:`\sum_i g[i]` per channel.

    The first line is why the backward pass "flips the kernel": in the 1-D
    example input :math:`[a, b, c, d, e]`, filter :math:`[x, y]`,
    :math:`\partial E/\partial c = g_1 y + g_2 x`, the convolution of
    :math:`g` with :math:`[y, x]`.

    Examples
    --------
    The input ``[a b c d e] = [1 2 3 4 5]``, filter ``[x y] = [10 1]``, and
    the output gradient ``[f g h i] = [1 0 0 0]``: only the first output,
    ``a x + b y``, carries gradient, so ``a`` gets ``x`` and ``b`` gets ``y``.

    >>> gx, gw, gb = correlate_grad([[1, 2, 3, 4, 5]], [[[10, 1]]], [[1, 0, 0, 0]])
    >>> gx
    array([[10,  1,  0,  0,  0]])
    >>> gw
    array([[[1, 2]]])
    >>> gb
    array([1])
    """
    args = resolve_conv(x, weight, None, stride, padding, dilation, groups)
    xb, w, g, d = args.x, args.weight, args.groups, args.d
    n, c_in = xb.shape[:2]
    c_out, cg = w.shape[:2]
    kernel, spatial, pads, out = args.kernel, tuple(xb.shape[2:]), args.pads, args.out
    strides, dilations = args.stride, args.dilation
    gb = _check_grad_out(grad_out, (n, c_out, *out), args)
    dtype = _core.result_dtype(xb, w, gb)
    og = c_out // g
    padded = tuple(i + b + a for i, (b, a) in zip(spatial, pads, strict=True))

    # grad_x: insert stride - 1 zeros between grad_out cells, fully convolve
    # with the (dilated) kernel whose channel axes are swapped per group.
    gz = np.zeros((n, c_out, *zero_insertion_size(out, strides)), dtype=dtype)
    gz[trailing(slice(None, None, s) for s in strides)] = gb
    wt = w.reshape((g, og, cg, *kernel)).swapaxes(1, 2).reshape((c_in, og, *kernel))
    full = convolve(gz, wt, padding="full", dilation=dilations, groups=g)
    # The full convolution ends where the last window ended; cells after that
    # (dropped by the floor in the output size) get no gradient.
    full = _core.pad(full, [(0, p - f) for p, f in zip(padded, full.shape[2:], strict=True)])
    crop = tuple(slice(b, b + i) for i, (b, _) in zip(spatial, pads, strict=True))
    grad_x = full[trailing(crop)]

    # grad_weight: correlate the padded input with grad_out as the kernel,
    # batch as the summed channel axis, one group at a time.
    xp = _core.pad(xb.astype(dtype, copy=False), pads)
    grad_w = np.zeros((c_out, cg, *kernel), dtype=dtype)
    first = tuple(slice(0, k) for k in kernel)
    for index in range(g if n else 0):  # an empty batch has no input channels to sum
        xg = xp[:, index * cg : (index + 1) * cg].swapaxes(0, 1)  # (cg, N, *padded)
        gg = gb[:, index * og : (index + 1) * og].swapaxes(0, 1)  # (og, N, *out)
        part = correlate(xg, gg, stride=dilations, dilation=strides)  # (cg, og, *k')
        grad_w[index * og : (index + 1) * og] = part[trailing(first)].swapaxes(0, 1)

    grad_b = gb.sum(axis=(0, *range(2, 2 + d)), dtype=dtype)
    if args.plain:
        grad_b = grad_b.reshape(())
    return args.restore(grad_x), args.restore_weight(grad_w), grad_b


def _pool_grad_docs(forward: str) -> dict[str, str]:
    """Docstring text the two pooling gradients share, for the pooling ``forward``."""
    return {
        "inputs": f"""
            x : array_like
                Forward input, ``(N, C, *spatial)``, unbatched ``(C, *spatial)``
                or plain ``spatial``, read as :func:`~conv_explained.{forward}` reads it.
            grad_out : array_like
                Gradient with respect to the pooled output, its shape.
            """,
        "raises": f"""
            Raises
            ------
            TypeError, ValueError
                As :func:`~conv_explained.{forward}`, and for a ``grad_out`` whose
                shape is not that of the pooled output.
            """,
    }


@docfiller(**_pool_grad_docs("max_pool"))
def max_pool_grad(
    x: ArrayLike,
    grad_out: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    dilation: IntOrTuple = 1,
    ceil_mode: bool = False,
    ndim: int | None = None,
) -> np.ndarray:
    r"""Gradient of :func:`~conv_explained.max_pool` with respect to its input.

    Each output gradient goes, whole, to the input cell its window chose (the
    index :func:`~conv_explained.max_pool` returns with ``return_indices``);
    every other cell gets zero. A cell chosen by several overlapping windows
    collects the sum, as in torch.

    Parameters
    ----------
    {inputs}
    kernel_size, stride, padding, dilation, ceil_mode, ndim
        The options of the forward call; the rank rule is that of
        :func:`~conv_explained.max_pool`.

    Returns
    -------
    numpy.ndarray
        ``grad_x``, the shape of ``x``; dtype common to ``x`` and
        ``grad_out`` (int64 if both are integer).

    {raises}

    See Also
    --------
    conv_explained.max_pool, avg_pool_grad

    Notes
    -----
    :math:`y = \max_u x[j_u]` has derivative 1 with respect to the chosen
    :math:`x[j^*]` and 0 for the others, so
    :math:`\partial L/\partial x[j] = \sum_{o:\, j^*(o) = j} g[o]`: a
    scatter-add of ``grad_out`` at the indices. A window with no input cell
    (possible only with dilation and padding) sends nothing back.

    Examples
    --------
    Max pooling 2x2 with stride 2: the gradient is 1 at the four chosen cells
    and 0 elsewhere.

    >>> x = np.array([[[1, 1, 2, 4],
    ...                [5, 6, 7, 8],
    ...                [3, 2, 1, 0],
    ...                [1, 2, 3, 4]]])
    >>> max_pool_grad(x, np.ones((1, 2, 2), int), (2, 2))
    array([[[0, 0, 0, 0],
            [0, 1, 0, 1],
            [1, 0, 0, 0],
            [0, 0, 0, 1]]])
    """
    a = resolve_pool(x, kernel_size, stride, padding, dilation, ceil_mode, ndim)
    xb, out = a.x, a.out
    n, c = xb.shape[:2]
    gb = _check_grad_out(grad_out, (n, c, *out), a)
    _, indices = max_pool(
        xb,
        kernel_size,
        stride=stride,
        padding=padding,
        dilation=dilation,
        ceil_mode=ceil_mode,
        return_indices=True,
        ndim=len(out),
    )
    size = int(np.prod(xb.shape[2:]))
    grad = np.zeros((n * c, size), dtype=_core.result_dtype(xb, gb))
    rows = np.broadcast_to(np.arange(n * c)[:, None], (n * c, int(np.prod(out))))
    cols = indices.reshape(n * c, int(np.prod(out)))
    chosen = cols >= 0  # windows with an input cell
    np.add.at(grad, (rows[chosen], cols[chosen]), gb.reshape(cols.shape)[chosen])
    grad = grad.reshape(xb.shape)
    return a.restore(grad)


@docfiller(**_pool_grad_docs("avg_pool"))
def avg_pool_grad(
    x: ArrayLike,
    grad_out: ArrayLike,
    kernel_size: IntOrTuple,
    *,
    stride: IntOrTuple | None = None,
    padding: IntOrTuple = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
    ndim: int | None = None,
) -> np.ndarray:
    r"""Gradient of :func:`~conv_explained.avg_pool` with respect to its input.

    Each output gradient is divided by its window's divisor and added to
    every input cell of the window; padding cells take their share with
    them.

    Parameters
    ----------
    {inputs}
    kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override, ndim
        The options of the forward call.

    Returns
    -------
    numpy.ndarray
        ``grad_x``, the shape of ``x``; float64 unless both inputs are of a
        smaller float type.

    {raises}

    See Also
    --------
    conv_explained.avg_pool, max_pool_grad

    Notes
    -----
    :math:`y[o] = \frac{1}{D_o}\sum_u x_p[s o + u]` is linear, and its
    adjoint spreads :math:`g[o]/D_o` over the window: a transposed
    convolution of :math:`g/D` with a kernel of ones at the pooling stride
    (:func:`~conv_explained.conv_transpose`), cropped to the input. The
    divisors :math:`D` are those of the forward pass, counted by pooling an
    array of ones.

    Examples
    --------
    >>> avg_pool_grad(np.zeros((1, 5)), np.array([[2.0, 4.0]]), (2,))
    array([[1., 1., 2., 2., 0.]])
    >>> avg_pool_grad(np.zeros((1, 4)), np.ones((1, 4)), (3,), stride=1, padding=1)
    array([[0.66666667, 1.        , 1.        , 0.66666667]])
    """
    a = resolve_pool(x, kernel_size, stride, padding, 1, ceil_mode, ndim)
    xb, out, ks, ss, pads = a.x, a.out, a.kernel, a.stride, a.pads
    n, c = xb.shape[:2]
    spatial = xb.shape[2:]
    gb = _check_grad_out(grad_out, (n, c, *out), a)
    divisor = avg_pool_divisor(
        xb,
        ks,
        stride=ss,
        padding=a.padding,
        ceil_mode=ceil_mode,
        count_include_pad=count_include_pad,
        divisor_override=divisor_override,
    )
    dtype = np.result_type(xb.dtype, gb.dtype)
    if not np.issubdtype(dtype, np.floating):
        dtype = np.dtype(np.float64)
    share = (gb / divisor).reshape(n * c, 1, *out)
    box = np.ones((1, 1, *ks), dtype=dtype)
    spread = conv_transpose(share, box, stride=ss)  # padded coordinates from 0
    spread = _core.pad(
        spread,
        [
            (0, max(0, b + i - s))
            for (b, _), i, s in zip(pads, spatial, spread.shape[2:], strict=True)
        ],
    )
    crop = tuple(slice(b, b + i) for (b, _), i in zip(pads, spatial, strict=True))
    grad = spread[trailing(crop)].reshape(xb.shape).astype(dtype, copy=False)
    return a.restore(grad)
