r"""A locally connected layer: the receptive fields of a convolution, with unshared weights.

A convolution layer applies one kernel at every output position (shared
weights, one bias per output channel) and so is translation equivariant:
shifting the input shifts the output. A *locally connected* layer keeps the
same windows, the same receptive fields, but gives every output position its
own kernel; an *untied* bias likewise gives every output position its own
bias. Neither is translation equivariant. With every position's kernel equal
and a tied bias, the locally connected layer is :func:`~conv_explained.correlate`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from . import _core
from ._args import conv_geometry, layout_of
from ._validate import as_array

__all__ = ["locally_connected"]

IntOrTuple = int | Sequence[int]
Padding = int | Sequence[int] | Sequence[tuple[int, int]] | str

_AXES = "ijk"  # output axes in the einsum; kernel axes are "uvw"


def _check_weight(weight: object) -> tuple[np.ndarray, int]:
    """The weight ``(*out, C_out, C_in, *kernel)`` and its number of spatial axes."""
    w = as_array("weight", weight)
    if w.ndim not in (4, 6, 8):
        raise ValueError(
            "weight must have 4, 6 or 8 dimensions, (*out_size, C_out, C_in, *kernel_size) "
            f"with 1-3 spatial axes, got shape {tuple(w.shape)}"
        )
    if 0 in w.shape:
        raise ValueError(f"weight must not have an empty axis, got shape {tuple(w.shape)}")
    return w, (w.ndim - 2) // 2


def _check_bias(
    bias: object, c_out: int, out: tuple[int, ...], *, plain: bool
) -> tuple[np.ndarray | None, bool]:
    """The bias as ``(C_out, *out)`` and whether it was untied (one value per position)."""
    if bias is None:
        return None, False
    b = as_array("bias", bias)
    if b.shape == (c_out,) or (plain and b.shape == ()):
        return b.reshape((c_out,) + (1,) * len(out)), False
    if b.shape == (c_out, *out) or (plain and b.shape == out):
        return b.reshape((c_out, *out)), True
    plain_words = f", or for a plain x one number or shape {out}" if plain else ""
    raise ValueError(
        f"bias must have shape ({c_out},) (tied: one value per output channel) or "
        f"{(c_out, *out)} (untied: one value per output channel and position)"
        f"{plain_words}, got shape {tuple(b.shape)}"
    )


def locally_connected(
    x: ArrayLike,
    weight: ArrayLike,
    bias: ArrayLike | None = None,
    *,
    stride: IntOrTuple = 1,
    padding: Padding = 0,
    dilation: IntOrTuple = 1,
) -> np.ndarray:
    r"""A locally connected layer: correlation windows, a separate kernel at every position.

    Each output position reads the same window of the (zero-)padded input as
    :func:`~conv_explained.correlate` with the same ``stride``, ``padding``
    and ``dilation`` would, but multiplies it by its own kernel. In 2-D,

    .. math::

        y[n, o, i, j] = b[o, i, j] + \sum_{c, u, v}
            x_p[n, c,\; s_0 i + d_0 u,\; s_1 j + d_1 v]\; w[i, j, o, c, u, v]

    where :math:`x_p` is the padded input and ``b`` is the untied bias (a
    tied bias ``b[o]`` is the same at every position). Weights are not
    shared, so the layer is not translation equivariant.

    The weight's layout is always ``(*out_size, C_out, C_in, *kernel_size)``:
    the output size first (one kernel per output position), then a
    PyTorch-layout weight. ``x`` is ``(N, C_in, *spatial)``, unbatched
    ``(C_in, *spatial)``, or a plain signal or image (as many axes as the
    kernel, one channel) when ``C_in == C_out == 1``, giving a plain result.

    Parameters
    ----------
    x : array_like
        Input, ``(N, C_in, *spatial)``, ``(C_in, *spatial)`` or plain ``spatial``.
    weight : array_like
        One kernel per output position, ``(*out_size, C_out, C_in,
        *kernel_size)`` with 1-3 spatial axes; ``out_size`` must be the output
        size :func:`~conv_explained.conv_output_size` gives for ``x``.
    bias : array_like, optional
        Tied, ``(C_out,)``: one value per output channel, as in a
        convolution; or untied, ``(C_out, *out_size)``: one value per output
        channel and position. For a plain ``x`` also one number or
        ``out_size``.
    stride : int or tuple of int, optional
        Step between windows.
    padding : int, tuple of int, or {"valid", "same", "full"}, optional
        Zero padding on both sides of each axis, or a rule, as in
        :func:`~conv_explained.correlate`.
    dilation : int or tuple of int, optional
        Spacing between kernel taps.

    Returns
    -------
    numpy.ndarray
        ``(N, C_out, *out_size)`` (``(C_out, *out_size)`` for an unbatched
        input, ``out_size`` for a plain one). Integer inputs give exact
        ``int64`` results.

    Raises
    ------
    TypeError
        For non-numeric arrays or non-integer options.
    ValueError
        For a weight of the wrong rank, a weight whose output size or input
        channels do not fit ``x``, a bias of the wrong shape, or bad options.

    See Also
    --------
    correlate : the same windows with one shared kernel (a convolution layer).

    Notes
    -----
    A locally connected layer has ``prod(out_size)`` times the weights of
    the convolution with the same windows. Setting every position's kernel
    to one kernel ``k``, ``np.broadcast_to(k, (*out_size, *k.shape))``, gives
    :func:`~conv_explained.correlate` back.

    Examples
    --------
    A 1-D signal of length 5 and a 3-tap window gives 3 output positions;
    each has its own kernel:

    >>> x = np.array([1, 2, 3, 4, 5])
    >>> w = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])[:, None, None, :]
    >>> w.shape  # (out, C_out, C_in, k)
    (3, 1, 1, 3)
    >>> locally_connected(x, w)
    array([1, 3, 5])

    With the same kernel at every position it is the correlation, and an
    untied bias adds its own value at each position:

    >>> same = np.broadcast_to(np.array([1, 10, 100]), (3, 1, 1, 3))
    >>> locally_connected(x, same)
    array([321, 432, 543])
    >>> locally_connected(x, same, bias=[0, 1000, 0])
    array([ 321, 1432,  543])
    """
    w, d = _check_weight(weight)
    xb, layout = layout_of("x", x, d, context=f"for a locally connected weight of shape {w.shape}")
    out_given = tuple(int(n) for n in w.shape[:d])
    c_out, c_in = (int(n) for n in w.shape[d : d + 2])
    kernel = tuple(int(n) for n in w.shape[d + 2 :])
    if layout.plain and (c_in, c_out) != (1, 1):
        raise ValueError(
            f"x must have a channel axis, (C_in, *spatial) or (N, C_in, *spatial), for a weight "
            f"with {c_out} output and {c_in} input channels, got shape {tuple(as_array('x', x).shape)}"
        )
    if xb.shape[1] != c_in:
        raise ValueError(
            f"weight expects {c_in} input channels but x has {xb.shape[1]} "
            f"(x shape {tuple(xb.shape[layout.unbatched :])}, weight shape {tuple(w.shape)})"
        )
    strides, dilations, pads, out = conv_geometry(
        tuple(xb.shape[2:]), kernel, stride, padding, dilation
    )
    if out != out_given:
        raise ValueError(
            f"weight must have one kernel per output position, shape {(*out, c_out, c_in, *kernel)} "
            f"for x of spatial size {tuple(xb.shape[2:])} with these options, got shape "
            f"{tuple(w.shape)}"
        )
    b, _ = _check_bias(bias, c_out, out, plain=layout.plain)
    dtype = _core.result_dtype(xb, w, b)
    xp = np.ascontiguousarray(_core.pad(xb, pads), dtype=dtype)
    view = _core.windows(xp, kernel, out, strides, dilations)  # (N, C_in, *out, *kernel)
    o, k = _AXES[:d], "uvw"[:d]
    y = np.einsum(f"nc{o}{k},{o}mc{k}->nm{o}", view, w.astype(dtype, copy=False))
    if b is not None:
        y = y + b.astype(dtype)[None]
    return layout.restore(np.asarray(y, dtype=dtype))
