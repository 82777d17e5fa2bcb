r"""Convolution through the Fourier transform.

The convolution theorem: the discrete Fourier transform turns *circular*
convolution into a pointwise product, :math:`\mathcal F(a \circledast b) =
\mathcal F(a)\,\mathcal F(b)`, and circular cross-correlation into the
product with the complex conjugate of the kernel's spectrum,
:math:`\mathcal F(a \star b) = \mathcal F(a)\,\overline{\mathcal F(b)}`.
Linear (non-wrapping) convolution is circular convolution of arrays zero
padded to size :math:`n_a + n_b - 1`, where the wrapped part is all zeros.

:func:`fft_convolve` and :func:`fft_correlate` are the single-array forms
(``scipy.signal.fftconvolve`` and ``scipy.signal.correlate(...,
method="fft")``), plus a ``"circular"`` mode. :func:`fft_correlate_nd` is
the package's :func:`~conv_explained.correlate` (batches, channels, groups,
stride, padding, dilation) computed the same way.

Everything uses :mod:`numpy.fft`: ``rfftn``/``irfftn`` for real inputs and
``fftn``/``ifftn`` when either input is complex, at sizes rounded up by
:func:`scipy.fft.next_fast_len` (a prime size such as 4222 = 2 x 2111 can be
several times slower than a nearby one with small factors). Results are floating point
(``float64`` for integer inputs) and carry the round-off of the transforms,
about ``1e-15`` times the size of the values.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from scipy.fft import next_fast_len

from . import _core
from ._args import PLAIN_RULE, resolve_conv
from ._docstrings import docfiller
from ._validate import as_array, trailing

__all__ = ["fft_convolve", "fft_correlate", "fft_correlate_nd"]

IntOrTuple = int | Sequence[int]
Padding = int | Sequence[int] | str

_MODES = ("full", "valid", "same", "circular")


def _float_dtype(*arrays: np.ndarray) -> np.dtype:
    """Common dtype of the inputs, with integers promoted to ``float64``."""
    dtype = np.result_type(*arrays)
    if not np.issubdtype(dtype, np.inexact):
        return np.dtype(np.float64)
    return dtype


def _check_pair(a: object, b: object, mode: object) -> tuple[np.ndarray, np.ndarray, str]:
    if not isinstance(mode, str) or mode not in _MODES:
        raise ValueError(f"mode must be one of 'full', 'valid', 'same', 'circular', got {mode!r}")
    a_ = as_array("a", a)
    b_ = as_array("b", b)
    if a_.ndim != b_.ndim:
        raise ValueError(
            f"b must have as many dimensions as a ({a_.ndim}), got shape {b_.shape} "
            f"(a has shape {a_.shape})"
        )
    for name, array in (("a", a_), ("b", b_)):
        if array.size == 0:
            raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if mode == "circular" and any(nb > na for na, nb in zip(a_.shape, b_.shape, strict=True)):
        raise ValueError(
            f"b must be no larger than a on every axis for mode 'circular', got shape "
            f"{b_.shape} (a has shape {a_.shape})"
        )
    if mode == "valid":
        a_fits = all(na >= nb for na, nb in zip(a_.shape, b_.shape, strict=True))
        b_fits = all(nb >= na for na, nb in zip(a_.shape, b_.shape, strict=True))
        if not (a_fits or b_fits):
            raise ValueError(
                f"mode 'valid' needs one array at least as large as the other on every "
                f"axis, got shapes {a_.shape} and {b_.shape}"
            )
    return a_, b_, mode


def _circular(a: np.ndarray, b: np.ndarray, size: tuple[int, ...], conjugate: bool) -> np.ndarray:
    """Circular convolution (or correlation) of ``a`` and ``b`` zero padded to ``size``."""
    axes = tuple(range(a.ndim))
    if np.iscomplexobj(a) or np.iscomplexobj(b):
        spectrum_b = np.fft.fftn(b, s=size, axes=axes)
        if conjugate:
            spectrum_b = spectrum_b.conj()
        return np.fft.ifftn(np.fft.fftn(a, s=size, axes=axes) * spectrum_b, s=size, axes=axes)
    spectrum_b = np.fft.rfftn(b, s=size, axes=axes)
    if conjugate:
        spectrum_b = spectrum_b.conj()
    return np.fft.irfftn(np.fft.rfftn(a, s=size, axes=axes) * spectrum_b, s=size, axes=axes)


def _transform(a: object, b: object, mode: object, conjugate: bool) -> np.ndarray:
    a_, b_, mode_ = _check_pair(a, b, mode)
    dtype = _float_dtype(a_, b_)
    if a_.ndim == 0:  # no axes to transform: the product, as scipy gives
        return np.asarray(a_ * (np.conj(b_) if conjugate else b_), dtype=dtype)
    if mode_ == "circular":
        return _circular(a_, b_, a_.shape, conjugate).astype(dtype, copy=False)
    full_shape = tuple(na + nb - 1 for na, nb in zip(a_.shape, b_.shape, strict=True))
    # Any size from a + b - 1 up leaves nothing wrapped round; round it up to
    # one with small prime factors, where the FFT is fastest.
    real = not (np.iscomplexobj(a_) or np.iscomplexobj(b_))
    full = _circular(a_, b_, tuple(next_fast_len(n, real=real) for n in full_shape), conjugate)
    if conjugate:
        # Lags -(nb - 1) .. -1 wrapped round to the end: bring them to the front.
        full = np.roll(full, tuple(nb - 1 for nb in b_.shape), axis=tuple(range(a_.ndim)))
    full = full[tuple(slice(0, n) for n in full_shape)]
    if mode_ == "full":
        crop = tuple(slice(None) for _ in full_shape)
    elif mode_ == "same":
        crop = tuple(
            slice((nf - na) // 2, (nf - na) // 2 + na)
            for nf, na in zip(full_shape, a_.shape, strict=True)
        )
    else:  # valid: where the smaller array lies wholly inside the larger
        crop = tuple(
            slice(min(na, nb) - 1, max(na, nb)) for na, nb in zip(a_.shape, b_.shape, strict=True)
        )
    return np.ascontiguousarray(full[crop]).astype(dtype, copy=False)


_FFT_DOCS = {
    "mode_doc": """
        mode : {"full", "valid", "same", "circular"}, optional
            ``"full"``: every offset where the arrays overlap, shape
            ``a.shape + b.shape - 1``. ``"valid"``: only offsets where the smaller
            array lies wholly inside the larger, shape ``|a.shape - b.shape| + 1``
            (one array must be at least as large as the other on every axis).
            ``"same"``: the centre of ``"full"`` with the shape of ``a``, starting
            at ``(b.shape - 1) // 2`` (for an even ``b`` one more cell is cut at the
            end than at the start). ``"circular"``: ``b`` zero
            padded to ``a.shape`` and indices taken modulo ``a.shape``, shape
            ``a.shape``; ``b`` must be no larger than ``a``.
        """,
    "returns": """
        Returns
        -------
        numpy.ndarray
            Real for real inputs (``float64`` for integers), complex if either
            input is complex.
        """,
    "raises": """
        Raises
        ------
        TypeError
            For non-numeric inputs.
        ValueError
            For an unknown ``mode``, different numbers of axes, an empty input, or
            shapes the mode cannot handle.
        """,
}
"""Text shared by the docstrings of :func:`fft_convolve` and :func:`fft_correlate`."""


@docfiller(**_FFT_DOCS)
def fft_convolve(a: ArrayLike, b: ArrayLike, *, mode: str = "full") -> np.ndarray:
    r"""N-dimensional convolution of two arrays through the FFT.

    .. math::

        (a * b)[n] = \sum_m a[m]\, b[n - m]

    computed as :math:`\mathcal F^{-1}(\mathcal F(a)\,\mathcal F(b))` on
    arrays zero padded to ``a.shape + b.shape - 1`` (rounded up to a fast FFT
    size) or, for ``mode="circular"``, to ``a.shape`` with the indices
    wrapping round.

    Parameters
    ----------
    a, b : array_like
        Numeric arrays with the same number of axes (any number), not empty.
    {mode_doc}

    {returns}

    {raises}

    See Also
    --------
    fft_correlate : the same without flipping ``b`` (and with ``b`` conjugated).
    scipy.signal.fftconvolve : equal for modes "full", "valid" and "same".
    numpy.convolve : the 1-D direct computation.

    Notes
    -----
    ``mode="same"`` follows SciPy and keeps the shape of ``a``; ``numpy.convolve``
    instead keeps the longer of the two, so the two agree when ``a`` is at
    least as long as ``b``. For ``"valid"`` the arguments may come in either
    order, as convolution commutes.

    Linear convolution is circular convolution after zero padding both arrays
    to ``a.shape + b.shape - 1``: then nothing wraps round.

    Examples
    --------
    The results carry FFT round-off of order ``1e-16``; the examples round it
    away (``+ 0.0`` turns a rounded ``-0.`` into ``0.``).

    >>> fft_convolve([1, 2, 3], [0, 1, 0.5]).round(12) + 0.0
    array([0. , 1. , 2.5, 4. , 1.5])
    >>> fft_convolve([1, 2, 3], [0, 1, 0.5], mode="valid").round(12) + 0.0
    array([2.5])

    Circular: the last two cells of the full result wrap round onto the first
    two; with enough zero padding nothing wraps and the result is linear.

    >>> fft_convolve([1, 2, 3], [0, 1, 0.5], mode="circular").round(12) + 0.0
    array([4. , 2.5, 2.5])
    >>> fft_convolve([1, 2, 3, 0, 0], [0, 1, 0.5], mode="circular").round(12) + 0.0
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    return _transform(a, b, mode, conjugate=False)


@docfiller(**_FFT_DOCS)
def fft_correlate(a: ArrayLike, b: ArrayLike, *, mode: str = "full") -> np.ndarray:
    r"""N-dimensional cross-correlation of two arrays through the FFT.

    .. math::

        (a \star b)[n] = \sum_m a[m + n]\, \overline{b[m]}

    computed as :math:`\mathcal F^{-1}(\mathcal F(a)\,\overline{\mathcal
    F(b)})`: the product with the complex conjugate of the kernel's spectrum.
    In ``"full"`` mode the lags run from :math:`-(n_b - 1)` to :math:`n_a - 1`.

    Parameters
    ----------
    a, b : array_like
        Numeric arrays with the same number of axes (any number), not empty.
        ``b`` is conjugated, as in SciPy and :func:`numpy.correlate`.
    {mode_doc}

    {returns}

    {raises}

    See Also
    --------
    fft_convolve : the same with ``b`` flipped.
    fft_correlate_nd : the neural-network correlation (channels, stride, ...).
    scipy.signal.correlate : equal for modes "full", "valid" and "same".
    numpy.correlate : the 1-D direct computation.

    Notes
    -----
    ``fft_correlate(a, b) == fft_convolve(a, conj(b)[::-1, ...])``. Unlike
    convolution, correlation does not commute: swapping the arguments reverses
    (and conjugates) the result.

    In 1-D, ``numpy.correlate(a, v, mode)`` takes the same arguments in the
    same order and conjugates ``v`` too, so it equals ``fft_correlate(a, v,
    mode=mode)`` for "full" and "valid", and for "same" when ``a`` is at least
    as long as ``v`` (NumPy's "same" keeps the longer length). Its default
    mode is "valid", not "full".

    With circular padding a neural-network correlation is a circular one:
    for an odd kernel of size :math:`k = 2p + 1`,
    ``correlate(x, w, padding=p, padding_mode="circular")`` equals
    ``fft_correlate(x, w, mode="circular")`` rolled by :math:`p` (see the
    example).

    Examples
    --------
    Rounded to hide the FFT round-off:

    >>> fft_correlate([1, 2, 3], [0, 1, 0.5]).round(12) + 0.0
    array([0.5, 2. , 3.5, 3. , 0. ])
    >>> fft_correlate([1, 2, 3], [0, 1, 0.5], mode="same").round(12) + 0.0
    array([2. , 3.5, 3. ])

    Circular padding of one cell on each side, kernel size 3:

    >>> from conv_explained import correlate
    >>> x, w = np.array([1.0, 2, 3, 4]), np.array([1.0, 0, -1])
    >>> correlate(x, w, padding=1, padding_mode="circular")
    array([ 2., -2., -2.,  2.])
    >>> np.roll(fft_correlate(x, w, mode="circular"), 1).round(12) + 0.0
    array([ 2., -2., -2.,  2.])
    """
    return _transform(a, b, mode, conjugate=True)


@docfiller(plain_rule=textwrap.fill(PLAIN_RULE, 72))
def fft_correlate_nd(
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
    r"""The neural-network correlation (:func:`~conv_explained.correlate`) via the FFT.

    Same signature, options and result as :func:`~conv_explained.correlate`
    (and ``torch.nn.functional.conv1d/2d/3d``), computed in the frequency
    domain:

    1. pad the input (any ``padding_mode``) to its padded size :math:`P`;
    2. dilate the kernel by inserting ``dilation - 1`` zeros between taps;
    3. take the FFT of both over the spatial axes, at size :math:`P` (rounded
       up to a size with small prime factors, where the FFT is fast);
    4. for each output channel, sum over the input channels of its group the
       product of the input spectrum with the conjugate kernel spectrum (one
       ``einsum``);
    5. transform back, keep the valid part (the first :math:`P - d(k-1)` cells
       per axis, where nothing wrapped round) and take every ``stride``-th.

    {plain_rule}

    Parameters
    ----------
    x, weight, bias, stride, padding, dilation, groups, padding_mode
        Exactly as in :func:`~conv_explained.correlate`.

    Returns
    -------
    numpy.ndarray
        ``(N, C_out, *out)``, ``(C_out, *out)`` or plain ``out``, floating
        point: ``float64`` for integer inputs (where
        :func:`~conv_explained.correlate` gives exact ``int64``), complex if
        an input is complex.

    Raises
    ------
    TypeError, ValueError
        As :func:`~conv_explained.correlate`, with the same messages.

    See Also
    --------
    conv_explained.correlate : the direct (im2col + GEMM) computation.
    fft_correlate : the single-array form.

    Notes
    -----
    The neural-network correlation does not conjugate the weight. The
    spectrum used is therefore :math:`\overline{\mathcal F(\bar w)}`, which
    for a real weight is just :math:`\overline{\mathcal F(w)}`.

    The transforms are only as large as the padded input, not input plus
    kernel: circular correlation at size :math:`P` (or larger) wraps round
    only in the cells past :math:`P - d(k-1)` of each axis, and those are
    exactly the cells that the valid part drops.

    *When it wins.* The direct method spends :math:`C_g \prod k` multiply-adds
    on every output cell. The FFT method spends about :math:`\log P` per cell
    on each transform and :math:`C_g` on the spectral product, whatever the
    kernel size. So it wins for large kernels (many taps per axis, or large
    dilation) at stride 1, and loses for the small 3x3 kernels of most
    networks, and with strides, since it computes every position and then
    throws most away. As a rough guide (one run on a 2-core CPU, float64,
    ``padding="same"``): for an 8-channel 128x128 image and 8 output channels
    the two break even near 7x7 kernels, and at 31x31 the FFT is about 30
    times faster; for one 1-D signal of 4096 samples they break even near 60
    taps.

    Examples
    --------
    >>> from conv_explained import correlate
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> w = np.array([[[[1.0, 0], [0, -1]]]])
    >>> fft_correlate_nd(x, w, padding=1, stride=2)[0, 0].round(12) + 0.0
    array([[ 0., -2.,  0.],
           [-8., -5.,  7.],
           [ 0., 13., 15.]])
    >>> correlate(x, w, padding=1, stride=2)[0, 0]
    array([[ 0., -2.,  0.],
           [-8., -5.,  7.],
           [ 0., 13., 15.]])
    """
    a = resolve_conv(x, weight, bias, stride, padding, dilation, groups, padding_mode)
    xb, w, b, g, d, kernel = a.x, a.weight, a.bias, a.groups, a.d, a.kernel
    n = xb.shape[0]
    c_out, c_per_group = w.shape[:2]
    strides, dilations, pads, out = a.stride, a.dilation, a.pads, a.out
    mode = a.padding_mode
    dtype = _float_dtype(xb, w, *([] if b is None else [b]))

    xp = _core.pad(xb, pads, mode)
    effective = tuple(dl * (k - 1) + 1 for k, dl in zip(kernel, dilations, strict=True))
    wd = np.zeros((c_out, c_per_group, *effective), dtype=w.dtype)
    wd[trailing(slice(None, None, dl) for dl in dilations)] = w

    axes = tuple(range(2, 2 + d))
    complex_ = np.iscomplexobj(xp) or np.iscomplexobj(wd)
    forward = np.fft.fftn if complex_ else np.fft.rfftn
    size = tuple(next_fast_len(p, real=not complex_) for p in xp.shape[2:])
    inverse = np.fft.ifftn if complex_ else np.fft.irfftn
    spectrum_x = forward(xp, s=size, axes=axes)
    spectrum_w = np.conj(forward(np.conj(wd), s=size, axes=axes))
    freq = spectrum_x.shape[2:]
    spectrum_y = np.einsum(
        "ngc...,goc...->ngo...",
        spectrum_x.reshape(n, g, c_per_group, *freq),
        spectrum_w.reshape(g, c_out // g, c_per_group, *freq),
    ).reshape(n, c_out, *freq)
    y = inverse(spectrum_y, s=size, axes=axes)
    keep = tuple(slice(0, s * (o - 1) + 1, s) for s, o in zip(strides, out, strict=True))
    y = np.ascontiguousarray(y[trailing(keep)]).astype(dtype, copy=False)
    if b is not None:
        y += b.astype(dtype).reshape((1, c_out) + (1,) * d)
    return a.restore(y)
