"""Tests for conv_explained.spectral: FFT convolution and correlation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conv_explained import ops
from conv_explained.spectral import fft_convolve, fft_correlate, fft_correlate_nd

from .conftest import conv_cases as shared_conv_cases
from .conftest import seeds, torch_correlate

TOL = {"rtol": 1e-10, "atol": 1e-10}
SETTINGS = settings(max_examples=100, deadline=None)
LINEAR_MODES = ("full", "same", "valid")


def _rng(seed):
    return np.random.default_rng(seed)


def _random(rng, shape, kind):
    if kind == "int":
        return rng.integers(-5, 6, shape)
    if kind == "complex":
        return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    return rng.standard_normal(shape)


@st.composite
def array_pairs(draw, mode="full", max_ndim=3):
    """Shapes of ``a`` and ``b`` (same rank) that ``mode`` accepts, and their kinds."""
    ndim = draw(st.integers(1, max_ndim))
    largest = {1: 12, 2: 6, 3: 4}[ndim]
    a_shape = tuple(draw(st.lists(st.integers(1, largest), min_size=ndim, max_size=ndim)))
    if mode == "circular":
        b_shape = tuple(draw(st.integers(1, n)) for n in a_shape)
    elif mode == "valid":
        b_shape = tuple(draw(st.integers(1, n)) for n in a_shape)
        if draw(st.booleans()):  # either order is allowed in "valid"
            a_shape, b_shape = b_shape, a_shape
    else:
        b_shape = tuple(draw(st.lists(st.integers(1, largest), min_size=ndim, max_size=ndim)))
    kinds = draw(st.sampled_from([("real", "real"), ("int", "int"), ("complex", "real"), ("real", "complex"), ("complex", "complex")]))  # fmt: skip
    return a_shape, b_shape, kinds


def _pair(case, seed):
    a_shape, b_shape, (ka, kb) = case
    rng = _rng(seed)
    return _random(rng, a_shape, ka), _random(rng, b_shape, kb)


# --------------------------------------------------------------------------- against scipy


@pytest.mark.parametrize("mode", LINEAR_MODES)
@SETTINGS
@given(data=st.data(), seed=seeds)
def test_fft_convolve_equals_scipy_fftconvolve(mode, data, seed):
    a, b = _pair(data.draw(array_pairs(mode)), seed)
    np.testing.assert_allclose(
        fft_convolve(a, b, mode=mode), scipy.signal.fftconvolve(a, b, mode=mode), **TOL
    )


@pytest.mark.parametrize("mode", LINEAR_MODES)
@SETTINGS
@given(data=st.data(), seed=seeds)
def test_fft_convolve_equals_direct_scipy_convolve(mode, data, seed):
    a, b = _pair(data.draw(array_pairs(mode)), seed)
    expected = scipy.signal.convolve(a, b, mode=mode, method="direct")
    np.testing.assert_allclose(fft_convolve(a, b, mode=mode), expected, **TOL)


@pytest.mark.parametrize("mode", LINEAR_MODES)
@SETTINGS
@given(data=st.data(), seed=seeds)
def test_fft_correlate_equals_scipy_correlate_fft(mode, data, seed):
    a, b = _pair(data.draw(array_pairs(mode)), seed)
    expected = scipy.signal.correlate(a, b, mode=mode, method="fft")
    np.testing.assert_allclose(fft_correlate(a, b, mode=mode), expected, **TOL)


@pytest.mark.parametrize("mode", LINEAR_MODES)
@SETTINGS
@given(data=st.data(), seed=seeds)
def test_fft_correlate_equals_direct_scipy_correlate(mode, data, seed):
    a, b = _pair(data.draw(array_pairs(mode)), seed)
    expected = scipy.signal.correlate(a, b, mode=mode, method="direct")
    np.testing.assert_allclose(fft_correlate(a, b, mode=mode), expected, **TOL)


# --------------------------------------------------------------------------- against numpy (1-D)


@pytest.mark.parametrize("mode", ["full", "valid"])
@SETTINGS
@given(data=st.data(), seed=seeds)
def test_fft_convolve_1d_equals_numpy_convolve(mode, data, seed):
    a, b = _pair(data.draw(array_pairs(mode, max_ndim=1)), seed)
    np.testing.assert_allclose(fft_convolve(a, b, mode=mode), np.convolve(a, b, mode=mode), **TOL)


@SETTINGS
@given(data=st.data(), seed=seeds)
def test_fft_convolve_1d_same_equals_numpy_when_a_is_at_least_as_long(data, seed):
    a, b = _pair(data.draw(array_pairs("valid", max_ndim=1)), seed)
    if len(a) < len(b):
        a, b = b, a
    np.testing.assert_allclose(
        fft_convolve(a, b, mode="same"), np.convolve(a, b, mode="same"), **TOL
    )


@pytest.mark.parametrize("mode", ["full", "valid"])
@SETTINGS
@given(data=st.data(), seed=seeds)
def test_fft_correlate_1d_equals_numpy_correlate_which_conjugates_its_second_argument(
    mode, data, seed
):
    a, v = _pair(data.draw(array_pairs(mode, max_ndim=1)), seed)
    np.testing.assert_allclose(
        fft_correlate(a, v, mode=mode), np.correlate(a, v, mode=mode), **TOL
    )


@SETTINGS
@given(data=st.data(), seed=seeds)
def test_fft_correlate_1d_same_equals_numpy_when_a_is_at_least_as_long(data, seed):
    a, v = _pair(data.draw(array_pairs("valid", max_ndim=1)), seed)
    if len(a) < len(v):
        a, v = v, a
    np.testing.assert_allclose(
        fft_correlate(a, v, mode="same"), np.correlate(a, v, mode="same"), **TOL
    )


def test_numpy_same_mode_keeps_the_longer_length_but_fft_keeps_the_first():
    a, b = np.arange(3.0), np.arange(5.0)
    assert np.convolve(a, b, mode="same").shape == (5,)
    assert np.correlate(a, b, mode="same").shape == (5,)
    assert fft_convolve(a, b, mode="same").shape == (3,)
    assert fft_correlate(a, b, mode="same").shape == (3,)


def test_numpy_correlate_default_mode_is_valid():
    a, v = np.array([1.0, 2, 3, 4]), np.array([1.0, -1j])
    np.testing.assert_allclose(fft_correlate(a, v, mode="valid"), np.correlate(a, v), **TOL)


def test_fft_correlate_conjugates_the_second_argument():
    np.testing.assert_allclose(fft_correlate([1.0], [1j]), [-1j], **TOL)
    np.testing.assert_allclose(fft_correlate([1j], [1.0]), [1j], **TOL)


# --------------------------------------------------------------------------- circular mode


def _circular_reference(a, b, conjugate):
    """Direct wrap-around sum: each tap of b shifts a round by its offset."""
    out = np.zeros(a.shape, dtype=np.result_type(a, b, float))
    for m in itertools.product(*(range(n) for n in b.shape)):
        if conjugate:
            out += np.conj(b[m]) * np.roll(a, tuple(-i for i in m), axis=tuple(range(a.ndim)))
        else:
            out += b[m] * np.roll(a, m, axis=tuple(range(a.ndim)))
    return out


@SETTINGS
@given(case=array_pairs("circular"), seed=seeds)
def test_fft_convolve_circular_wraps_round(case, seed):
    a, b = _pair(case, seed)
    np.testing.assert_allclose(
        fft_convolve(a, b, mode="circular"), _circular_reference(a, b, False), **TOL
    )


@SETTINGS
@given(case=array_pairs("circular"), seed=seeds)
def test_fft_correlate_circular_wraps_round(case, seed):
    a, b = _pair(case, seed)
    np.testing.assert_allclose(
        fft_correlate(a, b, mode="circular"), _circular_reference(a, b, True), **TOL
    )


@SETTINGS
@given(case=array_pairs("full"), seed=seeds)
def test_linear_convolution_is_circular_after_zero_padding_to_full_size(case, seed):
    a, b = _pair(case, seed)
    full = tuple(na + nb - 1 for na, nb in zip(a.shape, b.shape, strict=True))
    padded = np.pad(a, [(0, f - n) for f, n in zip(full, a.shape, strict=True)])
    np.testing.assert_allclose(fft_convolve(padded, b, mode="circular"), fft_convolve(a, b), **TOL)


@SETTINGS
@given(case=array_pairs("full"), seed=seeds)
def test_linear_correlation_is_circular_after_zero_padding_rolled_by_kernel_size_minus_1(
    case, seed
):
    a, b = _pair(case, seed)
    full = tuple(na + nb - 1 for na, nb in zip(a.shape, b.shape, strict=True))
    padded = np.pad(a, [(0, f - n) for f, n in zip(full, a.shape, strict=True)])
    circular = fft_correlate(padded, b, mode="circular")
    shift = tuple(nb - 1 for nb in b.shape)
    np.testing.assert_allclose(
        np.roll(circular, shift, axis=tuple(range(a.ndim))), fft_correlate(a, b), **TOL
    )


@SETTINGS
@given(
    ndim=st.integers(1, 3),
    data=st.data(),
    seed=seeds,
)
def test_circular_padding_correlate_equals_circular_fft_correlation_rolled_by_p(ndim, data, seed):
    half = tuple(data.draw(st.lists(st.integers(0, 2), min_size=ndim, max_size=ndim)))
    largest = {1: 10, 2: 6, 3: 4}[ndim]
    shape = tuple(data.draw(st.integers(max(p, 2 * p + 1), largest + 2 * p)) for p in half)
    rng = _rng(seed)
    x = rng.standard_normal(shape)
    w = rng.standard_normal(tuple(2 * p + 1 for p in half))
    expected = ops.correlate(x[None], w[None, None], padding=half, padding_mode="circular")[0]
    rolled = np.roll(fft_correlate(x, w, mode="circular"), half, axis=tuple(range(ndim)))
    np.testing.assert_allclose(rolled, expected, **TOL)


# --------------------------------------------------------------------------- properties, dtypes


@SETTINGS
@given(case=array_pairs("full"), seed=seeds)
def test_fft_convolve_commutes(case, seed):
    a, b = _pair(case, seed)
    np.testing.assert_allclose(fft_convolve(a, b), fft_convolve(b, a), **TOL)


@SETTINGS
@given(case=array_pairs("full"), seed=seeds)
def test_fft_correlate_with_swapped_arguments_is_reversed_and_conjugated(case, seed):
    a, b = _pair(case, seed)
    swapped = np.conj(np.flip(fft_correlate(b, a)))
    np.testing.assert_allclose(fft_correlate(a, b), swapped, **TOL)


@SETTINGS
@given(case=array_pairs("full"), seed=seeds)
def test_fft_correlate_is_convolution_with_flipped_conjugated_kernel(case, seed):
    a, b = _pair(case, seed)
    np.testing.assert_allclose(fft_correlate(a, b), fft_convolve(a, np.conj(np.flip(b))), **TOL)


@pytest.mark.parametrize("function", [fft_convolve, fft_correlate])
@pytest.mark.parametrize(
    ("a_dtype", "b_dtype", "expected"),
    [
        (np.int64, np.int64, np.float64),
        (np.int32, np.float64, np.float64),
        (np.float64, np.float64, np.float64),
        (np.float32, np.float32, np.float32),
        (np.float64, np.complex128, np.complex128),
        (np.complex64, np.complex64, np.complex64),
    ],
)
@pytest.mark.parametrize("mode", [*LINEAR_MODES, "circular"])
def test_fft_result_dtype(function, a_dtype, b_dtype, expected, mode):
    result = function(np.ones((4, 3), a_dtype), np.ones((2, 2), b_dtype), mode=mode)
    assert result.dtype == expected


@pytest.mark.parametrize(
    ("mode", "shape"),
    [("full", (6, 4)), ("same", (4, 3)), ("valid", (2, 2)), ("circular", (4, 3))],
)
def test_fft_convolve_output_shape(mode, shape):
    assert fft_convolve(np.ones((4, 3)), np.ones((3, 2)), mode=mode).shape == shape


@pytest.mark.parametrize("mode", [*LINEAR_MODES, "circular"])
def test_fft_of_0d_arrays_is_the_product(mode):
    assert fft_convolve(np.float64(2), np.float64(3), mode=mode) == 6.0
    assert fft_correlate(np.complex128(2), np.complex128(3j), mode=mode) == -6j
    assert (
        scipy.signal.fftconvolve(
            np.float64(2), np.float64(3), mode=mode if mode != "circular" else "full"
        )
        == 6.0
    )


def test_fft_convolve_of_integers_recovers_the_exact_integers_after_rounding():
    rng = _rng(0)
    a, b = rng.integers(-100, 100, (20, 7)), rng.integers(-100, 100, (5, 3))
    np.testing.assert_array_equal(
        np.rint(fft_convolve(a, b)).astype(np.int64), scipy.signal.convolve(a, b, method="direct")
    )


@pytest.mark.parametrize("function", [fft_convolve, fft_correlate])
@pytest.mark.parametrize(
    ("a", "b", "mode", "error", "match"),
    [
        (np.ones(3), np.ones(2), "wrap", ValueError, "mode must be one of 'full', 'valid', 'same', 'circular', got 'wrap'"),
        (np.ones(3), np.ones(2), None, ValueError, "mode must be one of .* got None"),
        (np.ones(3), np.ones((2, 2)), "full", ValueError, r"b must have as many dimensions as a \(1\), got shape \(2, 2\)"),
        (np.ones(0), np.ones(2), "full", ValueError, r"a must not be empty, got shape \(0,\)"),
        (np.ones(3), np.ones((0,)), "full", ValueError, r"b must not be empty, got shape \(0,\)"),
        (np.ones(3), np.ones(4), "circular", ValueError, r"b must be no larger than a on every axis for mode 'circular', got shape \(4,\)"),
        (np.ones((3, 2)), np.ones((2, 3)), "valid", ValueError, r"mode 'valid' needs one array at least as large as the other on every axis, got shapes \(3, 2\) and \(2, 3\)"),
        (np.array(["a"]), np.ones(1), "full", TypeError, "a must be a numeric array"),
        (np.ones(3), np.ones(2, bool), "full", TypeError, "b must be a numeric array, got dtype bool"),
    ],
)  # fmt: skip
def test_fft_rejects_bad_arguments(function, a, b, mode, error, match):
    with pytest.raises(error, match=match):
        function(a, b, mode=mode)


# --------------------------------------------------------------------------- fft_correlate_nd

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


@st.composite
def nd_cases(draw):
    """A shared random correlation problem and a padding mode that fits it."""
    case = draw(shared_conv_cases(max_size=8, max_size_3d=4))
    pads = case.pad_pairs()  # from PyTorch's rules, independently of shapes.py
    mode = draw(st.sampled_from(PADDING_MODES))
    if mode == "reflect":
        assume(all(max(p) < i for p, i in zip(pads, case.spatial, strict=True)))
    if mode == "circular":
        assume(all(max(p) <= i for p, i in zip(pads, case.spatial, strict=True)))
    return {
        "x_shape": case.x_shape,
        "weight_shape": case.w_shape,
        "options": case.options(),
        "padding_mode": mode,
        "bias": case.bias,
    }


@SETTINGS
@given(case=nd_cases(), seed=seeds)
def test_fft_correlate_nd_equals_torch_conv(case, seed):
    rng = _rng(seed)
    x = rng.standard_normal(case["x_shape"])
    w = rng.standard_normal(case["weight_shape"])
    b = rng.standard_normal(w.shape[0]) if case["bias"] else None
    mode = case["padding_mode"]
    result = fft_correlate_nd(x, w, b, padding_mode=mode, **case["options"])
    expected = torch_correlate(x, w, b, padding_mode=mode, **case["options"])
    np.testing.assert_allclose(result, expected, **TOL)


@SETTINGS
@given(
    case=nd_cases(),
    seed=seeds,
    kinds=st.sampled_from([("complex", "real"), ("real", "complex"), ("complex", "complex")]),
)
def test_fft_correlate_nd_of_complex_inputs_equals_correlate_which_does_not_conjugate(
    case, seed, kinds
):
    rng = _rng(seed)
    x = _random(rng, case["x_shape"], kinds[0])
    w = _random(rng, case["weight_shape"], kinds[1])
    options = {**case["options"], "padding_mode": case["padding_mode"]}
    np.testing.assert_allclose(
        fft_correlate_nd(x, w, **options), ops.correlate(x, w, **options), **TOL
    )


@SETTINGS
@given(case=nd_cases(), seed=seeds)
def test_fft_correlate_nd_of_integers_equals_correlate_in_float64(case, seed):
    rng = _rng(seed)
    x = rng.integers(-9, 10, case["x_shape"])
    w = rng.integers(-9, 10, case["weight_shape"])
    b = rng.integers(-9, 10, w.shape[0]) if case["bias"] else None
    options = {**case["options"], "padding_mode": case["padding_mode"]}
    result = fft_correlate_nd(x, w, b, **options)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(
        np.rint(result).astype(np.int64), ops.correlate(x, w, b, **options)
    )


def test_fft_correlate_nd_of_unbatched_input_drops_the_batch_axis():
    rng = _rng(1)
    x, w = rng.standard_normal((2, 7, 6)), rng.standard_normal((3, 2, 3, 2))
    result = fft_correlate_nd(x, w, padding="same")
    assert result.shape == (3, 7, 6)
    np.testing.assert_allclose(result, fft_correlate_nd(x[None], w, padding="same")[0], **TOL)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_correlate_nd_keeps_a_float_dtype(dtype):
    assert fft_correlate_nd(np.ones((1, 5), dtype), np.ones((1, 1, 2), dtype)).dtype == dtype


def test_fft_correlate_nd_handles_a_large_kernel():
    rng = _rng(2)
    x, w = rng.standard_normal((1, 2, 64, 64)), rng.standard_normal((3, 2, 31, 31))
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), padding=15).numpy()
    np.testing.assert_allclose(fft_correlate_nd(x, w, padding=15), expected, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize(
    ("x", "weight", "options", "error", "match"),
    [
        (np.ones((1, 5)), np.ones((1, 1, 1, 1, 1, 1)), {}, ValueError, r"weight must have 1 or 2 dimensions \(a plain kernel\) or 3, 4 or 5 .* got shape \(1, 1, 1, 1, 1, 1\)"),
        (np.ones((1, 5)), np.ones(3), {}, ValueError, r"x must have 1 dimension, a plain signal like the plain 1-D weight of shape \(3,\), got shape \(1, 5\)"),
        (np.ones((5,)), np.ones((1, 1, 3)), {}, ValueError, r"x must have 2 \(unbatched\) or 3 \(batched\) dimensions"),
        (np.ones((1, 3, 5)), np.ones((1, 2, 3)), {}, ValueError, "weight expects 2 input channels .* x has 3"),
        (np.ones((1, 4, 5)), np.ones((3, 2, 3)), {"groups": 2}, ValueError, r"groups (2 must divide the 3 output channels|must divide the 3 output channels, got 2)"),
        (np.ones((1, 3, 5)), np.ones((3, 1, 3)), {"groups": 2}, ValueError, r"groups (2 must divide the 3 input channels|must divide the 3 input channels, got 2)"),
        (np.ones((1, 1, 5)), np.ones((2, 1, 3)), {"bias": np.ones(3)}, ValueError, r"bias must have shape \(2,\), one value per output channel, got shape \(3,\)"),
        (np.ones((1, 1, 5)), np.ones((1, 1, 3)), {"stride": 0}, ValueError, "stride must be a positive integer, got 0"),
        (np.ones((1, 1, 5)), np.ones((1, 1, 3)), {"dilation": 1.5}, TypeError, "dilation must be a positive integer or a tuple of 1 of them, got 1.5"),
        (np.ones((1, 1, 5)), np.ones((1, 1, 3)), {"padding": "half"}, ValueError, "padding must be .* got 'half'"),
        (np.ones((1, 1, 5)), np.ones((1, 1, 3)), {"padding": "same", "stride": 2}, ValueError, "padding='same' is not supported for strided convolutions, got stride 2"),
        (np.ones((1, 1, 5)), np.ones((1, 1, 3)), {"padding_mode": "wrap"}, ValueError, "padding_mode must be one of .* got 'wrap'"),
        (np.ones((1, 1, 2)), np.ones((1, 1, 3)), {"padding": 2, "padding_mode": "reflect"}, ValueError, "padding 2 is too large for padding_mode 'reflect'"),
        (np.ones((1, 1, 2)), np.ones((1, 1, 3)), {}, ValueError, "kernel_size 3 .* is larger than the padded input 2"),
        (np.ones((1, 1, 5), bool), np.ones((1, 1, 3)), {}, TypeError, "x must be a numeric array, got dtype bool"),
    ],
)  # fmt: skip
def test_fft_correlate_nd_rejects_bad_arguments(x, weight, options, error, match):
    with pytest.raises(error, match=match):
        fft_correlate_nd(x, weight, **options)
