r"""Shape arithmetic: output sizes and padding amounts, in pure integers.

This module is the single place where sizes are computed: the operators, the
renderer and the tests all ask it. Every function accepts one size (an ``int``)
or one size per spatial axis (a tuple), and answers in the same form.

The relationships are those of V. Dumoulin and F. Visin, *A guide to
convolution arithmetic for deep learning*, arXiv:1603.07285 (2016), written
with PyTorch's parameter names. For one axis with input size :math:`i`,
kernel size :math:`k`, stride :math:`s`, zero padding :math:`p` on each side
and dilation :math:`d` (so the effective kernel size is
:math:`\hat k = d(k-1)+1`):

.. math::

    o = \left\lfloor \frac{i + 2p - d(k-1) - 1}{s} \right\rfloor + 1

and for the transposed convolution of an input of size :math:`i'`

.. math::

    o' = s(i'-1) - 2p + d(k-1) + a + 1,

where :math:`a` (PyTorch's ``output_padding``) selects one of the :math:`s`
input sizes that a strided convolution maps to the same :math:`i'`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from ._shapes_transposed import (
    conv_transpose_direct_padding,
    conv_transpose_output_padding,
    conv_transpose_output_size,
    conv_transpose_uncropped_size,
    zero_insertion_size,
)
from ._validate import check_int, is_pairs, ntuple, one_or_all, rank_of

__all__ = [
    "conv_output_size",
    "conv_transpose_direct_padding",
    "conv_transpose_output_padding",
    "conv_transpose_output_size",
    "conv_transpose_uncropped_size",
    "full_padding",
    "pool_dropped_window",
    "pool_output_size",
    "pool_padding",
    "receptive_field",
    "resolve_padding",
    "same_padding",
    "zero_insertion_size",
]

Size = int | Sequence[int]
Pairs = Sequence[tuple[int, int]]
PaddingSpec = int | Sequence[int] | Pairs | str

_PADDING_WORDS = ("valid", "same", "full")


@overload
def same_padding(kernel_size: int, *, dilation: int = 1) -> tuple[int, int]: ...
@overload
def same_padding(
    kernel_size: Sequence[int], *, dilation: Size = 1
) -> tuple[tuple[int, int], ...]: ...


def same_padding(
    kernel_size: Size, *, dilation: Size = 1
) -> tuple[int, int] | tuple[tuple[int, int], ...]:
    r"""Padding ``(before, after)`` that keeps the size for ``padding="same"``.

    PyTorch's rule: the total padding is :math:`d(k-1)`; ``before`` gets half of
    it rounded down and ``after`` the rest, so an even effective kernel puts the
    extra row or column at the end (bottom, right).

    Parameters
    ----------
    kernel_size : int or tuple of int
        Kernel size, one per axis.
    dilation : int or tuple of int, optional
        Spacing between kernel taps.

    Returns
    -------
    tuple
        ``(before, after)`` for an int ``kernel_size``, else one pair per axis.

    Examples
    --------
    >>> same_padding(3)
    (1, 1)
    >>> same_padding(4)
    (1, 2)
    >>> same_padding((3, 2), dilation=(2, 1))
    ((2, 2), (0, 1))
    """
    rank = rank_of(kernel_size, dilation)
    n = rank or 1
    ks = ntuple("kernel_size", kernel_size, n)
    ds = ntuple("dilation", dilation, n)
    pairs = []
    for k, d in zip(ks, ds, strict=True):
        total = d * (k - 1)
        pairs.append((total // 2, total - total // 2))
    return pairs[0] if rank is None else tuple(pairs)


@overload
def full_padding(kernel_size: int, *, dilation: int = 1) -> int: ...
@overload
def full_padding(kernel_size: Sequence[int], *, dilation: Size = 1) -> tuple[int, ...]: ...


def full_padding(kernel_size: Size, *, dilation: Size = 1) -> int | tuple[int, ...]:
    r"""Padding on each side for ``padding="full"``: :math:`d(k-1)`.

    Every position where the kernel overlaps the input by at least one tap
    gives an output, so the output grows to :math:`i + d(k-1)` (Dumoulin &
    Visin, relationship 4).

    Examples
    --------
    >>> full_padding(3)
    2
    >>> full_padding((3, 5), dilation=2)
    (4, 8)
    """
    rank = rank_of(kernel_size, dilation)
    n = rank or 1
    ks = ntuple("kernel_size", kernel_size, n)
    ds = ntuple("dilation", dilation, n)
    return one_or_all([d * (k - 1) for k, d in zip(ks, ds, strict=True)], rank)


def resolve_padding(
    padding: PaddingSpec,
    kernel_size: Size,
    *,
    stride: Size = 1,
    dilation: Size = 1,
) -> tuple[tuple[int, int], ...]:
    """Turn any padding specification into ``(before, after)`` pairs, one per axis.

    Parameters
    ----------
    padding : int, tuple of int, tuple of (int, int), or {"valid", "same", "full"}
        As in :func:`torch.nn.functional.conv2d`, plus ``"full"`` and
        explicit ``(before, after)`` pairs, one per axis.
    kernel_size, stride, dilation : int or tuple of int
        The other options of the convolution; ``"same"`` needs stride 1.

    Returns
    -------
    tuple of (int, int)
        Always one pair per axis, even for scalar arguments.

    Raises
    ------
    ValueError
        For an unknown padding word, a negative amount, or ``"same"`` with a
        stride other than 1 (PyTorch refuses that too).

    Examples
    --------
    >>> resolve_padding(1, (3, 3))
    ((1, 1), (1, 1))
    >>> resolve_padding("same", 4)
    ((1, 2),)
    >>> resolve_padding("full", (3, 2), dilation=(1, 2))
    ((2, 2), (2, 2))
    >>> resolve_padding(((0, 1), (2, 2)), (3, 3))
    ((0, 1), (2, 2))
    """
    rank = rank_of(kernel_size, stride, dilation, padding)
    n = rank or 1
    ks = ntuple("kernel_size", kernel_size, n)
    ss = ntuple("stride", stride, n)
    ds = ntuple("dilation", dilation, n)
    if isinstance(padding, str):
        word = padding.lower()
        if word not in _PADDING_WORDS:
            raise ValueError(
                f"padding must be an int, a tuple of ints, 'valid', 'same' or 'full', "
                f"got {padding!r}"
            )
        if word == "valid":
            return ((0, 0),) * n
        if word == "same":
            if any(s != 1 for s in ss):
                raise ValueError(
                    f"padding='same' is not supported for strided convolutions, "
                    f"got stride {stride!r}"
                )
            result = same_padding(ks, dilation=ds)
            return tuple(result)
        full = full_padding(ks, dilation=ds)
        return tuple((p, p) for p in full)
    if is_pairs(padding):
        return _check_pairs(padding, n)
    ps = ntuple("padding", padding, n, minimum=0)
    return tuple((p, p) for p in ps)


def _check_pairs(padding: Any, n: int) -> tuple[tuple[int, int], ...]:
    words = f"padding must be {n} (before, after) pairs of non-negative integers"
    if len(padding) != n or not all(
        isinstance(p, Sequence) and not isinstance(p, str) and len(p) == 2 for p in padding
    ):
        raise ValueError(f"{words}, got {padding!r}")
    pairs = [ntuple("padding", tuple(p), 2, minimum=0) for p in padding]
    return tuple((before, after) for before, after in pairs)


def _check_fits(i: int, k: int, d: int, before: int, after: int) -> None:
    effective = d * (k - 1) + 1
    if effective > i + before + after:
        raise ValueError(
            f"kernel_size {k} (effective size {effective} with dilation {d}) is larger "
            f"than the padded input {i + before + after} (input {i} + padding "
            f"{before} + {after})"
        )


@overload
def conv_output_size(
    i: int, k: int, *, stride: int = 1, padding: int | str = 0, dilation: int = 1
) -> int: ...
@overload
def conv_output_size(
    i: Sequence[int], k: Size, *, stride: Size = 1, padding: PaddingSpec = 0, dilation: Size = 1
) -> tuple[int, ...]: ...


def conv_output_size(
    i: Size,
    k: Size,
    *,
    stride: Size = 1,
    padding: PaddingSpec = 0,
    dilation: Size = 1,
) -> int | tuple[int, ...]:
    r"""Output size of a convolution (or correlation) along each axis.

    .. math::

        o = \left\lfloor \frac{i + p_\text{before} + p_\text{after} - d(k-1) - 1}{s}
        \right\rfloor + 1

    With symmetric padding :math:`p` and :math:`d=1` this is Dumoulin &
    Visin's relationship 6, :math:`o = \lfloor (i + 2p - k)/s \rfloor + 1`;
    its special cases are no padding (:math:`o = i - k + 1`, relationship 1),
    half or "same" padding (:math:`o = i`, relationship 3) and full padding
    (:math:`o = i + k - 1`, relationship 4). Dilation replaces :math:`k` by
    the effective size :math:`d(k-1)+1` (relationship 15).

    Parameters
    ----------
    i : int or tuple of int
        Input size (spatial only, no batch or channel axis).
    k : int or tuple of int
        Kernel size.
    stride : int or tuple of int, optional
        Step between neighbouring kernel positions.
    padding : int, tuple of int, tuple of (int, int), or {"valid", "same", "full"}, optional
        Zero padding on both sides, ``(before, after)`` pairs, or one of the
        named rules (see :func:`resolve_padding`).
    dilation : int or tuple of int, optional
        Spacing between kernel taps; 1 means contiguous.

    Returns
    -------
    int or tuple of int
        An int for scalar arguments, else one size per axis.

    Raises
    ------
    TypeError
        If a size or option is not an integer.
    ValueError
        If a size is not positive, the padding is negative, or the effective
        kernel is larger than the padded input.

    See Also
    --------
    conv_transpose_output_size, pool_output_size

    Examples
    --------
    >>> conv_output_size(5, 3)                      # no padding, no strides
    3
    >>> conv_output_size(5, 3, stride=2, padding=1)  # padding and strides
    3
    >>> conv_output_size((7, 7), 3, dilation=2)
    (3, 3)
    >>> conv_output_size(6, 4, padding="same")
    6
    >>> conv_output_size((5,), (2,), padding=((0, 1),))
    (5,)
    """
    rank = rank_of(i, k, stride, padding, dilation)
    n = rank or 1
    ins = ntuple("input size", i, n)
    ks = ntuple("kernel_size", k, n)
    ss = ntuple("stride", stride, n)
    ds = ntuple("dilation", dilation, n)
    pads = resolve_padding(padding, ks, stride=ss, dilation=ds)
    out = []
    for ii, kk, s, d, (before, after) in zip(ins, ks, ss, ds, pads, strict=True):
        _check_fits(ii, kk, d, before, after)
        out.append((ii + before + after - d * (kk - 1) - 1) // s + 1)
    return one_or_all(out, rank)


@overload
def pool_output_size(
    i: int,
    k: int,
    *,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int: ...
@overload
def pool_output_size(
    i: Sequence[int],
    k: Size,
    *,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    ceil_mode: bool = False,
) -> tuple[int, ...]: ...


def pool_output_size(
    i: Size,
    k: Size,
    *,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    ceil_mode: bool = False,
) -> int | tuple[int, ...]:
    r"""Output size of max or average pooling along each axis.

    .. math::

        o = \left\lfloor \frac{i + 2p - d(k-1) - 1}{s} \right\rfloor + 1

    with the ceiling instead of the floor when ``ceil_mode`` is true, except
    that a last window starting beyond the input and the left padding is
    dropped (PyTorch's rule). Pooling does not use the input values, so this
    is the convolution arithmetic of Dumoulin & Visin (relationship 7) with a
    default stride equal to the kernel size.

    Parameters
    ----------
    i, k : int or tuple of int
        Input and window sizes.
    stride : int or tuple of int, optional
        Defaults to ``k`` (non-overlapping windows).
    padding : int or tuple of int, optional
        Implicit padding on both sides; at most half the window size.
    dilation : int or tuple of int, optional
        Spacing between window taps (max pooling only).
    ceil_mode : bool, optional
        Round the division up, letting a last partial window in.

    Returns
    -------
    int or tuple of int

    Raises
    ------
    ValueError
        If the padding exceeds half the window, or no window fits.

    Examples
    --------
    >>> pool_output_size(4, 2)
    2
    >>> pool_output_size(5, 2)
    2
    >>> pool_output_size(5, 2, ceil_mode=True)
    3
    >>> pool_output_size((6, 7), 3, stride=2, padding=1)
    (3, 4)
    """
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode must be True or False, got {ceil_mode!r}")
    rank = rank_of(i, k, stride, padding, dilation)
    n = rank or 1
    ins = ntuple("input size", i, n)
    ks = ntuple("kernel_size", k, n)
    ss = ks if stride is None else ntuple("stride", stride, n)
    ps = ntuple("padding", padding, n, minimum=0)
    ds = ntuple("dilation", dilation, n)
    out = []
    for ii, kk, s, p, d in zip(ins, ks, ss, ps, ds, strict=True):
        if p > kk // 2:
            raise ValueError(
                f"padding must be at most half of kernel_size, got padding {padding!r} "
                f"with kernel_size {k!r}"
            )
        size, _ = _pool_axis(ii, kk, s, p, d, ceil_mode)
        if size < 1:
            _check_fits(ii, kk, d, p, p)
        out.append(size)
    return one_or_all(out, rank)


def _pool_axis(i: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> tuple[int, bool]:
    """Pooled size of one axis, and whether ceil_mode dropped a last window (torch's rule)."""
    span = i + 2 * p - d * (k - 1) - 1
    size = (-(-span // s) if ceil_mode else span // s) + 1
    dropped = ceil_mode and (size - 1) * s >= i + p
    return size - dropped, dropped


def pool_dropped_window(
    i: Sequence[int],
    k: Sequence[int],
    *,
    stride: Sequence[int] | None = None,
    padding: Size = 0,
    dilation: Size = 1,
) -> tuple[bool, ...]:
    """Per axis: whether ``ceil_mode`` drops a last window starting past the input and padding.

    Examples
    --------
    >>> pool_dropped_window((5,), (2,))
    (False,)
    >>> pool_dropped_window((5,), (2,), padding=1)
    (True,)
    """
    n = len(i)
    ks = ntuple("kernel_size", k, n)
    ss = ks if stride is None else ntuple("stride", stride, n)
    ps = ntuple("padding", padding, n, minimum=0)
    ds = ntuple("dilation", dilation, n)
    return tuple(
        _pool_axis(ii, kk, s, p, d, True)[1]
        for ii, kk, s, p, d in zip(ntuple("input size", i, n), ks, ss, ps, ds, strict=True)
    )


def pool_padding(
    i: Size,
    k: Size,
    *,
    stride: Size | None = None,
    padding: Size = 0,
    dilation: Size = 1,
    ceil_mode: bool = False,
) -> tuple[tuple[int, int], ...]:
    r"""``(before, after)`` per axis: the pooling padding, widened for ``ceil_mode``.

    A pooling window reads the input padded by ``padding`` on both sides;
    with ``ceil_mode`` the last window may reach further past the end (the
    overhang, which no output counts). This is the padding that puts every
    window tap inside the array.

    Examples
    --------
    >>> pool_padding(5, 2)
    ((0, 0),)
    >>> pool_padding(5, 2, ceil_mode=True)
    ((0, 1),)
    >>> pool_padding((6, 7), 3, stride=2, padding=1)
    ((1, 1), (1, 1))
    """
    rank = rank_of(i, k, stride, padding, dilation)
    n = rank or 1
    ins = ntuple("input size", i, n)
    ks = ntuple("kernel_size", k, n)
    ss = ks if stride is None else ntuple("stride", stride, n)
    ps = ntuple("padding", padding, n, minimum=0)
    ds = ntuple("dilation", dilation, n)
    out = pool_output_size(ins, ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode)
    pairs = []
    for ii, o, kk, s, p, d in zip(ins, out, ks, ss, ps, ds, strict=True):
        reach = (o - 1) * s + d * (kk - 1) + 1  # one past the last tap, padded coordinates
        pairs.append((p, max(p, reach - ii - p)))
    return tuple(pairs)


def receptive_field(
    layers: Sequence[tuple[int, int] | tuple[int, int, int]],
) -> list[tuple[int, int]]:
    r"""Receptive field and jump of each layer in a stack of convolutions/pools.

    Each layer is ``(kernel_size, stride)`` or ``(kernel_size, stride,
    dilation)`` along one axis. With :math:`r_0 = 1, j_0 = 1`:

    .. math::

        r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}, \qquad j_l = j_{l-1} s_l

    Returns
    -------
    list of (int, int)
        ``(receptive field, jump)`` after each layer: how many input cells one
        output cell sees, and how far apart neighbouring outputs are in input
        cells.

    Examples
    --------
    >>> receptive_field([(3, 1), (3, 1), (3, 1)])
    [(3, 1), (5, 1), (7, 1)]
    >>> receptive_field([(3, 1), (2, 2), (3, 1)])
    [(3, 1), (4, 2), (8, 2)]
    """
    r, j = 1, 1
    out = []
    for index, layer in enumerate(layers):
        if not isinstance(layer, Sequence) or len(layer) not in (2, 3):
            raise ValueError(
                f"layers[{index}] must be (kernel_size, stride) or "
                f"(kernel_size, stride, dilation), got {layer!r}"
            )
        k = check_int(f"layers[{index}] kernel_size", layer[0])
        s = check_int(f"layers[{index}] stride", layer[1])
        d = check_int(f"layers[{index}] dilation", layer[2]) if len(layer) == 3 else 1
        r = r + d * (k - 1) * j
        j = j * s
        out.append((r, j))
    return out
