r"""Private part of :mod:`conv_explained.shapes`: the sizes of transposed convolutions.

:mod:`conv_explained.shapes` re-exports every function here; it is the one
public place sizes are asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from ._validate import ntuple, one_or_all, rank_of

__all__ = [
    "conv_transpose_direct_padding",
    "conv_transpose_output_padding",
    "conv_transpose_output_size",
    "conv_transpose_uncropped_size",
    "zero_insertion_size",
]

Size = int | Sequence[int]


@overload
def conv_transpose_output_size(
    i: int,
    k: int,
    *,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int: ...
@overload
def conv_transpose_output_size(
    i: Sequence[int],
    k: Size,
    *,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    dilation: Size = 1,
) -> tuple[int, ...]: ...


def conv_transpose_output_size(
    i: Size,
    k: Size,
    *,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    dilation: Size = 1,
) -> int | tuple[int, ...]:
    r"""Output size of a transposed convolution along each axis.

    .. math::

        o' = s(i'-1) - 2p + d(k-1) + a + 1

    This inverts :func:`conv_output_size`: a convolution with the same
    ``k``, ``s``, ``p``, ``d`` maps an input of size :math:`o'` back to
    :math:`i'`. When :math:`(o' + 2p - d(k-1) - 1)` is not a multiple of
    :math:`s`, several sizes :math:`o'` give the same :math:`i'`; the extra
    :math:`a \in \{0, \dots, s-1\}` (``output_padding``, Dumoulin & Visin's
    relationship 14) chooses among them. Without it the relationships are 8
    (no padding, unit strides: :math:`o' = i' + k - 1`), 9 (zero padding),
    10 (half padding: :math:`o' = i'`), 11 (full padding:
    :math:`o' = i' - k + 1`), 12 (no padding, strides:
    :math:`o' = s(i'-1) + k`) and 13 (padding and strides).

    Parameters
    ----------
    i : int or tuple of int
        Input size of the transposed convolution.
    k : int or tuple of int
        Kernel size.
    stride, padding, dilation : int or tuple of int, optional
        The options of the convolution being transposed.
    output_padding : int or tuple of int, optional
        Extra size added at the end; must be smaller than the stride or the
        dilation (PyTorch's rule).

    Returns
    -------
    int or tuple of int

    Raises
    ------
    ValueError
        If ``output_padding`` is not smaller than stride or dilation, or the
        result is not positive.

    Examples
    --------
    >>> conv_transpose_output_size(2, 3)                      # relationship 8
    4
    >>> conv_transpose_output_size(3, 3, stride=2, padding=1)  # relationship 13
    5
    >>> conv_transpose_output_size(3, 3, stride=2, padding=1, output_padding=1)
    6
    """
    rank = rank_of(i, k, stride, padding, output_padding, dilation)
    n = rank or 1
    ins = ntuple("input size", i, n)
    ks = ntuple("kernel_size", k, n)
    ss = ntuple("stride", stride, n)
    ps = ntuple("padding", padding, n, minimum=0)
    ops = ntuple("output_padding", output_padding, n, minimum=0)
    ds = ntuple("dilation", dilation, n)
    out = []
    for ii, kk, s, p, a, d in zip(ins, ks, ss, ps, ops, ds, strict=True):
        if a >= s and a >= d:
            raise ValueError(
                f"output_padding must be smaller than either stride or dilation, "
                f"got output_padding {output_padding!r} with stride {stride!r} and "
                f"dilation {dilation!r}"
            )
        size = s * (ii - 1) - 2 * p + d * (kk - 1) + a + 1
        if size < 1:
            raise ValueError(
                f"padding {padding!r} is too large: the transposed convolution of size "
                f"{ii} with kernel_size {kk}, stride {s} and dilation {d} would have "
                f"output size {size}"
            )
        out.append(size)
    return one_or_all(out, rank)


def conv_transpose_output_padding(
    target: Size,
    i: Size,
    k: Size,
    *,
    stride: Size = 1,
    padding: Size = 0,
    dilation: Size = 1,
) -> int | tuple[int, ...]:
    r"""Find the ``output_padding`` that makes a transposed convolution hit a size.

    Returns the :math:`a` with which a transposed convolution of an input of
    size ``i`` comes out at size ``target``.

    Useful to undo a strided convolution exactly: if ``conv_output_size(t, k,
    stride=s, padding=p) == i`` then ``target=t`` gives an ``a`` in
    :math:`\{0,\dots,s-1\}`.

    Examples
    --------
    >>> from conv_explained.shapes import conv_output_size
    >>> conv_output_size(6, 3, stride=2, padding=1)
    3
    >>> conv_transpose_output_padding(6, 3, 3, stride=2, padding=1)
    1
    """
    rank = rank_of(target, i, k, stride, padding, dilation)
    n = rank or 1
    ts = ntuple("target", target, n)
    ins = ntuple("input size", i, n)
    ks = ntuple("kernel_size", k, n)
    ss = ntuple("stride", stride, n)
    ps = ntuple("padding", padding, n, minimum=0)
    ds = ntuple("dilation", dilation, n)
    out = []
    for t, ii, kk, s, p, d in zip(ts, ins, ks, ss, ps, ds, strict=True):
        a = t - (s * (ii - 1) - 2 * p + d * (kk - 1) + 1)
        if a < 0 or (a >= s and a >= d):
            raise ValueError(
                f"target {t} is not reachable from input size {ii} with kernel_size "
                f"{kk}, stride {s}, padding {p} and dilation {d}"
            )
        out.append(a)
    return one_or_all(out, rank)


@overload
def zero_insertion_size(i: int, stride: int) -> int: ...
@overload
def zero_insertion_size(i: Sequence[int], stride: Size) -> tuple[int, ...]: ...


def zero_insertion_size(i: Size, stride: Size) -> int | tuple[int, ...]:
    r"""Size after inserting ``stride - 1`` zeros between neighbouring cells: :math:`s(i-1)+1`.

    Examples
    --------
    >>> zero_insertion_size(3, 2)
    5
    >>> zero_insertion_size((2, 4), (3, 1))
    (4, 4)
    """
    rank = rank_of(i, stride)
    n = rank or 1
    ins = ntuple("input size", i, n)
    ss = ntuple("stride", stride, n)
    return one_or_all([s * (ii - 1) + 1 for ii, s in zip(ins, ss, strict=True)], rank)


@overload
def conv_transpose_uncropped_size(
    i: int,
    k: int,
    *,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int: ...
@overload
def conv_transpose_uncropped_size(
    i: Sequence[int],
    k: Size,
    *,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    dilation: Size = 1,
) -> tuple[int, ...]: ...


def conv_transpose_uncropped_size(
    i: Size,
    k: Size,
    *,
    stride: Size = 1,
    padding: Size = 0,
    output_padding: Size = 0,
    dilation: Size = 1,
) -> int | tuple[int, ...]:
    r"""Size of a transposed convolution's sum of stamps before ``padding`` crops it.

    The stamps cover :math:`s(i-1) + d(k-1) + 1` cells; the result keeps
    ``padding`` cells less at the start and ``padding - output_padding`` less
    at the end, so where ``output_padding`` exceeds ``padding`` the kept
    region reaches past the stamps (those cells are zero). The answer is the
    size of the array holding both.

    Examples
    --------
    >>> conv_transpose_uncropped_size(3, 3, stride=2, padding=1)
    7
    >>> conv_transpose_uncropped_size(2, 2, stride=2, output_padding=1)
    5
    """
    rank = rank_of(i, k, stride, padding, output_padding, dilation)
    n = rank or 1
    ins = ntuple("input size", i, n)
    ks = ntuple("kernel_size", k, n)
    ss = ntuple("stride", stride, n)
    ps = ntuple("padding", padding, n, minimum=0)
    ds = ntuple("dilation", dilation, n)
    out = conv_transpose_output_size(
        ins, ks, stride=ss, padding=ps, output_padding=output_padding, dilation=ds
    )
    sizes = [
        max(s * (ii - 1) + d * (kk - 1) + 1, p + o)
        for ii, kk, s, p, d, o in zip(ins, ks, ss, ps, ds, out, strict=True)
    ]
    return one_or_all(sizes, rank)


def conv_transpose_direct_padding(
    k: Size,
    *,
    padding: Size = 0,
    output_padding: Size = 0,
    dilation: Size = 1,
) -> tuple[tuple[int, int], ...]:
    r"""Padding of the zero-inserted input in a transposed convolution's direct view.

    Each side gets :math:`d(k-1) - p` zeros, the end ``output_padding`` more
    (Dumoulin & Visin, section 4). A negative amount crops that many cells.

    Examples
    --------
    >>> conv_transpose_direct_padding(3, padding=1)
    ((1, 1),)
    >>> conv_transpose_direct_padding((3, 2), padding=(1, 2), output_padding=(1, 0))
    ((1, 2), (-1, -1))
    """
    rank = rank_of(k, padding, output_padding, dilation)
    n = rank or 1
    ks = ntuple("kernel_size", k, n)
    ps = ntuple("padding", padding, n, minimum=0)
    extra = ntuple("output_padding", output_padding, n, minimum=0)
    ds = ntuple("dilation", dilation, n)
    pairs = []
    for kk, p, a, d in zip(ks, ps, extra, ds, strict=True):
        before = d * (kk - 1) - p
        pairs.append((before, before + a))
    return tuple(pairs)
