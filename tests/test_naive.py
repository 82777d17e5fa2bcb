"""Tests for conv_explained.naive: the plain loops against PyTorch directly.

The loops are the reference other tests trust, so they are checked here
against torch on their own (small shapes: they are slow on purpose).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conv_explained import naive

from .conftest import (
    TOL,
    F,
    conv_cases,
    conv_transpose_cases,
    random_arrays,
    seeds,
    tensor,
    torch_conv_transpose,
    torch_correlate,
)

_SMALL = settings(max_examples=100)


@_SMALL
@given(conv_cases(max_size=6, max_size_3d=3, unbatched=False), seeds)
def test_naive_correlate_matches_torch(case, seed):
    assume(np.prod(case.spatial) * case.c_in * case.c_out <= 2_000)
    x, w, b = random_arrays(seed, case.x_shape, case.w_shape, (case.c_out,) if case.bias else None)
    ours = naive.correlate(x, w, b, **case.naive_options())
    expected = torch_correlate(x, w, b, **case.options())
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)


@_SMALL
@given(conv_cases(max_size=6, max_size_3d=3, unbatched=False, words=False), seeds)
def test_naive_convolve_matches_torch_with_flipped_kernel(case, seed):
    assume(np.prod(case.spatial) * case.c_in * case.c_out <= 2_000)
    x, w = random_arrays(seed, case.x_shape, case.w_shape)
    ours = naive.convolve(x, w, **case.options())
    w_flipped = np.flip(w, axis=tuple(range(2, w.ndim))).copy()
    np.testing.assert_allclose(
        ours, torch_correlate(x, w_flipped, None, **case.options()), atol=TOL
    )


@_SMALL
@given(conv_transpose_cases(max_size=4, max_size_3d=2, unbatched=False), seeds)
def test_naive_conv_transpose_matches_torch(case, seed):
    bias_shape = (case.c_out,) if case.bias else None
    x, w, b = random_arrays(seed, case.x_shape, case.w_shape, bias_shape, integer=True)
    ours = naive.conv_transpose(x, w, b, **case.options())
    assert ours.dtype == np.int64
    expected = torch_conv_transpose(x, w, b, **case.options())
    np.testing.assert_array_equal(ours, np.rint(expected).astype(np.int64))


def test_naive_correlate_accepts_before_after_pairs():
    y = naive.correlate([[[1, 2, 3]]], [[[1, 1]]], padding=[(0, 1)])
    np.testing.assert_array_equal(y, [[[3, 5, 3]]])


@st.composite
def pool_cases(draw, *, dilation=True):
    d = draw(st.integers(1, 3))
    size = tuple(draw(st.integers(1, 7 if d < 3 else 4)) for _ in range(d))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(d))
    stride = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 3)] * d)))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    dil = tuple(draw(st.integers(1, 2)) for _ in range(d)) if dilation else (1,) * d
    return size, kernel, stride, padding, dil, draw(st.booleans())


def _torch_or_none(function, x, *args, **kwargs):
    try:
        return function(tensor(x), *args, **kwargs).numpy()
    except RuntimeError:
        return None  # no valid window (the loops do not validate)


@_SMALL
@given(pool_cases(), seeds, st.integers(1, 2), st.integers(1, 2))
def test_naive_max_pool_matches_torch(case, seed, n, c):
    size, kernel, stride, padding, dilation, ceil_mode = case
    (x,) = random_arrays(seed, (n, c, *size))
    pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[len(size) - 1]
    options = {"stride": stride, "padding": padding, "dilation": dilation, "ceil_mode": ceil_mode}
    expected = _torch_or_none(pool, x, kernel, **options)
    assume(expected is not None)
    np.testing.assert_array_equal(naive.max_pool(x, kernel, **options), expected)


@_SMALL
@given(pool_cases(dilation=False), seeds, st.booleans(), st.sampled_from([None, 1, 5]))
def test_naive_avg_pool_matches_torch_divisor_rules(case, seed, count_include_pad, divisor):
    size, kernel, stride, padding, _, ceil_mode = case
    d = len(size)
    assume(d > 1 or divisor is None)  # avg_pool1d has no divisor_override
    (x,) = random_arrays(seed, (2, 1, *size))
    options = {
        "stride": stride,
        "padding": padding,
        "ceil_mode": ceil_mode,
        "count_include_pad": count_include_pad,
    }
    if divisor is not None:
        options["divisor_override"] = divisor
    pool = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[d - 1]
    expected = _torch_or_none(pool, x, kernel, **options)
    assume(expected is not None)
    np.testing.assert_allclose(naive.avg_pool(x, kernel, **options), expected, rtol=0, atol=TOL)


def test_naive_max_pool_propagates_nan_like_torch():
    x = np.array([[[1.0, np.nan, 3.0, 2.0]]])
    expected = F.max_pool1d(torch.from_numpy(x), 2).numpy()
    np.testing.assert_array_equal(naive.max_pool(x, 2), expected)


def test_naive_max_pool_keeps_integer_dtype():
    y = naive.max_pool(np.array([[[3, 1, 4, 1]]]), 2)
    assert y.dtype == np.int64
    np.testing.assert_array_equal(y, [[[3, 4]]])


@pytest.mark.parametrize(
    ("count_include_pad", "expected"), [(True, [0.5, 2.5, 2.0]), (False, [1.0, 2.5, 4.0])]
)
def test_naive_avg_pool_divisor_with_padding(count_include_pad, expected):
    y = naive.avg_pool(
        np.array([[[1.0, 2.0, 3.0, 4.0]]]), 2, padding=1, count_include_pad=count_include_pad
    )
    np.testing.assert_array_equal(y[0, 0], expected)


def test_naive_max_pool_window_of_padding_only_gives_minus_infinity_like_torch():
    x = np.array([[[5.0]]])
    expected = F.max_pool1d(torch.from_numpy(x), 2, padding=1, dilation=2).numpy()
    np.testing.assert_array_equal(naive.max_pool(x, 2, padding=1, dilation=2), expected)
    assert expected[0, 0, 0] == -np.inf
