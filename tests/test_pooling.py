"""Tests for conv_explained.pooling: max, average and global pooling against torch."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conv_explained.grad import avg_pool_grad, max_pool_grad
from conv_explained.pooling import (
    avg_pool,
    avg_pool_counted,
    global_avg_pool,
    global_max_pool,
    max_pool,
    pool_pad_input,
)

MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8]

# The matrix of the max-pooling slide (Hare, "Convolution in Neural Networks").
HARE = np.array(
    [
        [1, 1, 2, 4],
        [5, 6, 7, 8],
        [3, 2, 1, 0],
        [1, 2, 3, 4],
    ]
)


def torch_max_pool(x, kernel, stride, padding, dilation, ceil_mode):
    values, indices = MAX_POOL[len(kernel)](
        torch.from_numpy(x), kernel, stride, padding, dilation, ceil_mode, return_indices=True
    )
    return values.numpy(), indices.numpy()


def torch_avg_pool(x, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
    t = torch.from_numpy(x)
    if len(kernel) == 1:  # avg_pool1d has no divisor_override: pool a (1, L) image
        y = F.avg_pool2d(
            t[..., None, :],
            (1, *kernel),
            (1, *stride),
            (0, *padding),
            ceil_mode,
            count_include_pad,
            divisor_override,
        )
        return y[..., 0, :].numpy()
    return AVG_POOL[len(kernel)](
        t, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override
    ).numpy()


def window_longer_than_padded_input(shape, kernel, padding, dilation):
    """Axes where not even one window fits without ceil_mode's help."""
    return any(
        i + 2 * p - d * (k - 1) - 1 < 0
        for i, k, p, d in zip(shape, kernel, padding, dilation, strict=True)
    )


@st.composite
def pool_cases(draw, *, max_dilation=3, allow_bad_padding=True):
    d = draw(st.integers(1, 3))
    top = {1: 9, 2: 7, 3: 5}[d]
    spatial = tuple(draw(st.lists(st.integers(1, top), min_size=d, max_size=d)))
    kernel = tuple(draw(st.lists(st.integers(1, 4), min_size=d, max_size=d)))
    stride = tuple(draw(st.lists(st.integers(1, 3), min_size=d, max_size=d)))
    extra = 1 if allow_bad_padding else 0
    padding = tuple(draw(st.integers(0, k // 2 + extra)) for k in kernel)
    dilation = tuple(draw(st.lists(st.integers(1, max_dilation), min_size=d, max_size=d)))
    ceil_mode = draw(st.booleans())
    batch = (draw(st.integers(1, 2)), draw(st.integers(1, 3)))
    seed = draw(st.integers(0, 2**32 - 1))
    return {
        "shape": batch + spatial,
        "kernel": kernel,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "ceil_mode": ceil_mode,
        "seed": seed,
    }


# --- max_pool: properties against torch ---------------------------------------------


@settings(max_examples=200, deadline=None)
@given(case=pool_cases())
def test_max_pool_matches_torch_values_and_indices(case):
    x = np.random.default_rng(case["seed"]).standard_normal(case["shape"])
    options = {
        "stride": case["stride"],
        "padding": case["padding"],
        "dilation": case["dilation"],
        "ceil_mode": case["ceil_mode"],
    }
    try:
        expected, expected_indices = torch_max_pool(x, case["kernel"], *options.values())
    except RuntimeError:
        with pytest.raises(ValueError, match=r"padding|padded input"):
            max_pool(x, case["kernel"], **options)
        return
    values, indices = max_pool(x, case["kernel"], return_indices=True, **options)
    np.testing.assert_array_equal(values, expected)
    assert indices.dtype == np.int64
    # A window made only of padding (dilation can do that) has no input cell:
    # we say -1, torch gives an index outside the window (see the test below).
    inside = indices >= 0
    np.testing.assert_array_equal(indices[inside], expected_indices[inside])
    assert np.all(values[~inside] == -np.inf)


@settings(max_examples=150, deadline=None)
@given(case=pool_cases(allow_bad_padding=False), dtype=st.sampled_from(INT_DTYPES))
def test_max_pool_integer_input_matches_torch_exactly(case, dtype):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(case["seed"])
    # A few distinct values, the dtype's minimum among them: many ties, and
    # real cells equal to the padding value.
    x = rng.choice(np.array([info.min, 0, 1, 2, info.max], dtype=dtype), size=case["shape"])
    options = {
        "stride": case["stride"],
        "padding": case["padding"],
        "dilation": case["dilation"],
        "ceil_mode": case["ceil_mode"],
    }
    try:
        expected, expected_indices = torch_max_pool(x, case["kernel"], *options.values())
    except RuntimeError:
        with pytest.raises(ValueError, match=r"padding|padded input"):
            max_pool(x, case["kernel"], **options)
        return
    values, indices = max_pool(x, case["kernel"], return_indices=True, **options)
    assert values.dtype == dtype
    np.testing.assert_array_equal(values, expected)
    inside = indices >= 0
    np.testing.assert_array_equal(indices[inside], expected_indices[inside])


@settings(max_examples=100, deadline=None)
@given(case=pool_cases(allow_bad_padding=False))
def test_max_pool_unbatched_input_equals_batched_first_item(case):
    x = np.random.default_rng(case["seed"]).standard_normal(case["shape"][1:])
    options = {
        "stride": case["stride"],
        "padding": case["padding"],
        "dilation": case["dilation"],
        "ceil_mode": case["ceil_mode"],
        "return_indices": True,
    }
    try:
        batched = max_pool(x[None], case["kernel"], **options)
    except ValueError:
        return
    unbatched = max_pool(x, case["kernel"], **options)
    np.testing.assert_array_equal(unbatched[0], batched[0][0])
    np.testing.assert_array_equal(unbatched[1], batched[1][0])


# --- max_pool: fixed cases ----------------------------------------------------------


def test_max_pool_2x2_stride_2_on_the_lecture_matrix():
    values, indices = max_pool(HARE[None, None], 2, stride=2, return_indices=True, ndim=2)
    np.testing.assert_array_equal(values, [[[[6, 8], [3, 4]]]])
    np.testing.assert_array_equal(indices, [[[[5, 7], [8, 15]]]])


@pytest.mark.parametrize(
    ("row", "kernel", "expected_index"),
    [
        ([3.0, 3.0, 3.0, 3.0], 4, 0),
        ([2.0, 7.0, 7.0, 1.0], 4, 1),
        ([0.0, 1.0, 5.0, 5.0, 5.0], 5, 2),
    ],
)
def test_max_pool_ties_go_to_the_first_maximum(row, kernel, expected_index):
    x = np.array([[row]])
    _, indices = max_pool(x, kernel, return_indices=True, ndim=1)
    _, torch_indices = torch_max_pool(x, (kernel,), (kernel,), (0,), (1,), False)
    assert indices[0, 0, 0] == expected_index == torch_indices[0, 0, 0]


def test_max_pool_2d_tie_goes_to_the_first_maximum_in_row_major_order():
    x = np.array([[[[1.0, 4.0], [4.0, 4.0]]]])
    _, indices = max_pool(x, 2, return_indices=True, ndim=2)
    _, torch_indices = torch_max_pool(x, (2, 2), (2, 2), (0, 0), (1, 1), False)
    assert indices[0, 0, 0, 0] == 1 == torch_indices[0, 0, 0, 0]


@pytest.mark.parametrize("d", [1, 2, 3])
def test_max_pool_nan_propagates_with_the_last_nan_index(d):
    row = np.array([1.0, np.nan, 3.0, np.nan, 2.0, 7.0])
    x = row.reshape((1, 1) + (1,) * (d - 1) + (6,))
    kernel = (1,) * (d - 1) + (6,)
    values, indices = max_pool(x, kernel, return_indices=True)
    expected, expected_indices = torch_max_pool(x, kernel, kernel, (0,) * d, (1,) * d, False)
    assert np.isnan(values).all()
    assert np.isnan(expected).all()
    np.testing.assert_array_equal(indices, expected_indices)
    assert indices.ravel()[0] == 3


def test_max_pool_all_minus_inf_window_chooses_its_first_input_cell():
    x = np.full((1, 1, 3), -np.inf)
    values, indices = max_pool(x, (3,), stride=1, padding=1, return_indices=True)
    expected, expected_indices = torch_max_pool(x, (3,), (1,), (1,), (1,), False)
    np.testing.assert_array_equal(values, expected)
    np.testing.assert_array_equal(indices, expected_indices)
    np.testing.assert_array_equal(indices, [[[0, 0, 1]]])


def test_max_pool_integer_padding_is_never_chosen_over_an_equal_input_cell():
    x = np.array([[[-128, -128, 5]]], dtype=np.int8)
    values, indices = max_pool(x, (3,), stride=1, padding=1, return_indices=True)
    np.testing.assert_array_equal(values, [[[-128, 5, 5]]])
    np.testing.assert_array_equal(indices, [[[0, 2, 2]]])
    assert values.dtype == np.int8


def test_max_pool_window_of_padding_only_gives_minus_inf_and_index_minus_one():
    # Taps at -1 and 1 around a one-cell input: both in the padding. torch
    # agrees on -inf but returns index 1, a cell that does not exist.
    x = np.array([[[5.0]]])
    values, indices = max_pool(x, (2,), stride=1, padding=1, dilation=2, return_indices=True)
    expected, expected_indices = torch_max_pool(x, (2,), (1,), (1,), (2,), False)
    np.testing.assert_array_equal(values, expected)
    np.testing.assert_array_equal(values, [[[-np.inf]]])
    np.testing.assert_array_equal(indices, [[[-1]]])
    assert expected_indices[0, 0, 0] == 1


def test_max_pool_ceil_mode_window_longer_than_input_matches_torch():
    x = np.array([[[5.0]]])
    expected, _ = torch_max_pool(x, (2,), (2,), (0,), (1,), True)
    np.testing.assert_array_equal(max_pool(x, 2, ceil_mode=True, ndim=1), expected)


def test_max_pool_keeps_float32():
    x = np.ones((1, 1, 4, 4), dtype=np.float32)
    assert max_pool(x, (2, 2)).dtype == np.float32


def test_max_pool_returns_plain_array_without_return_indices():
    assert isinstance(max_pool(HARE[None, None], (2, 2)), np.ndarray)


# --- the rank rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "kernel", "ndim", "out_shape"),
    [
        ((8,), 2, None, (4,)),  # int kernel, 1 axis: the only reading, a plain signal
        ((2, 3, 8, 6, 4), 2, None, (2, 3, 4, 3, 2)),  # int kernel, 5 axes: batched 3-D
        ((2, 3, 8), (2,), None, (2, 3, 4)),  # tuple kernel: batched 1-D
        ((2, 3, 8, 6), (2, 2), None, (2, 3, 4, 3)),  # tuple kernel: batched 2-D
        ((3, 8, 6), (2, 2), None, (3, 4, 3)),  # tuple kernel: unbatched 2-D
        ((8, 6), (2, 2), None, (4, 3)),  # tuple kernel: a plain image
        ((8, 6, 4), (2, 2, 2), None, (4, 3, 2)),  # tuple kernel: a plain volume
        ((3, 8, 6), 2, 2, (3, 4, 3)),  # ndim: unbatched 2-D
        ((3, 8, 6), 2, 1, (3, 8, 3)),  # ndim: batched 1-D
        ((8, 6), 2, 2, (4, 3)),  # ndim: a plain image
        ((3, 8), (2,), 1, (3, 4)),  # tuple and ndim agree: unbatched 1-D
    ],
)
def test_pooling_rank_comes_from_kernel_size_then_ndim_then_x(shape, kernel, ndim, out_shape):
    x = np.zeros(shape)
    assert max_pool(x, kernel, ndim=ndim).shape == out_shape
    assert avg_pool(x, kernel, ndim=ndim).shape == out_shape


REFUSALS = {
    (1, 3, 3): (
        "x.shape (1, 3, 3) could be (C, H, W) for 2-D pooling, (N, C, L) for 1-D pooling "
        "or a plain (D, H, W) volume for 3-D pooling: pass kernel_size as a tuple of 2, 1 "
        "or 3 ints, or ndim=2 / ndim=1 / ndim=3"
    ),
    (4, 4): (
        "x.shape (4, 4) could be (C, L) for 1-D pooling or a plain (H, W) image for 2-D "
        "pooling: pass kernel_size as a tuple of 1 or 2 ints, or ndim=1 / ndim=2"
    ),
    (1, 1, 4, 4): (
        "x.shape (1, 1, 4, 4) could be (C, D, H, W) for 3-D pooling or (N, C, H, W) for 2-D "
        "pooling: pass kernel_size as a tuple of 3 or 2 ints, or ndim=3 / ndim=2"
    ),
}


def _call(function, shape, kernel_size):
    x = np.zeros(shape)
    if function is max_pool_grad or function is avg_pool_grad:
        return function(x, np.zeros(1), kernel_size)
    return function(x, kernel_size)


@pytest.mark.parametrize(
    "function",
    [max_pool, avg_pool, max_pool_grad, avg_pool_grad, pool_pad_input, avg_pool_counted],
)
@pytest.mark.parametrize("shape", list(REFUSALS))
def test_int_kernel_size_on_a_shape_with_two_readings_is_refused_in_one_line(function, shape):
    with pytest.raises(ValueError, match="could be") as info:
        _call(function, shape, 2)
    assert str(info.value) == REFUSALS[shape]


@pytest.mark.parametrize("function", [global_max_pool, global_avg_pool])
@pytest.mark.parametrize("shape", list(REFUSALS))
def test_global_pooling_without_ndim_on_a_shape_with_two_readings_is_refused(function, shape):
    with pytest.raises(ValueError, match="could be") as info:
        function(np.zeros(shape))
    expected = REFUSALS[shape].split(": pass ")[0] + ": pass " + REFUSALS[shape].split(", or ")[-1]
    assert str(info.value) == expected


@pytest.mark.parametrize("shape", list(REFUSALS))
def test_each_reading_the_refusal_names_gives_torch_its_result(shape):
    """The readings are real: every ``ndim`` the message offers pools like torch."""
    x = np.random.default_rng(0).standard_normal(shape)
    offered = [int(d) for d in re.findall(r"ndim=(\d)", REFUSALS[shape])]
    assert offered
    for d in offered:
        lead = x.ndim - d  # 0: plain, 1: (C, *spatial), 2: (N, C, *spatial)
        batched = x.reshape((1,) * (2 - lead) + x.shape)
        y = MAX_POOL[d](torch.from_numpy(batched), 2, ceil_mode=True).numpy()
        expected = y.reshape(y.shape[2 - lead :])
        np.testing.assert_array_equal(max_pool(x, 2, ndim=d, ceil_mode=True), expected)
        np.testing.assert_array_equal(max_pool(x, (2,) * d, ceil_mode=True), expected)


# --- avg_pool -----------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    case=pool_cases(max_dilation=1),
    count_include_pad=st.booleans(),
    divisor_override=st.one_of(st.none(), st.integers(-3, 5).filter(bool)),
)
def test_avg_pool_matches_torch(case, count_include_pad, divisor_override):
    kernel = case["kernel"]
    # torch's avg_pool3d alone refuses an input smaller than the window even
    # when the padding makes it fit (avg_pool1d/2d accept it); see below.
    assume(
        not (
            len(kernel) == 3 and any(i < k for i, k in zip(case["shape"][2:], kernel, strict=True))
        )
    )
    x = np.random.default_rng(case["seed"]).standard_normal(case["shape"])
    options = {
        "stride": case["stride"],
        "padding": case["padding"],
        "ceil_mode": case["ceil_mode"],
        "count_include_pad": count_include_pad,
        "divisor_override": divisor_override,
    }
    try:
        expected = torch_avg_pool(x, kernel, *options.values())
    except RuntimeError:
        with pytest.raises(ValueError, match=r"padding|padded input"):
            avg_pool(x, kernel, **options)
        return
    np.testing.assert_allclose(avg_pool(x, kernel, **options), expected, rtol=1e-10, atol=1e-10)


@settings(max_examples=100, deadline=None)
@given(case=pool_cases(max_dilation=1, allow_bad_padding=False), count_include_pad=st.booleans())
def test_avg_pool_integer_input_gives_float64_equal_to_torch(case, count_include_pad):
    kernel = case["kernel"]
    assume(
        not window_longer_than_padded_input(
            case["shape"][2:], kernel, case["padding"], (1,) * len(kernel)
        )
    )
    assume(
        not (
            len(kernel) == 3 and any(i < k for i, k in zip(case["shape"][2:], kernel, strict=True))
        )
    )
    x = np.random.default_rng(case["seed"]).integers(-50, 50, size=case["shape"])
    options = {
        "stride": case["stride"],
        "padding": case["padding"],
        "ceil_mode": case["ceil_mode"],
        "count_include_pad": count_include_pad,
        "divisor_override": None,
    }
    y = avg_pool(x, kernel, **options)
    assert y.dtype == np.float64
    expected = torch_avg_pool(x.astype(np.float64), kernel, *options.values())
    np.testing.assert_allclose(y, expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    ("count_include_pad", "ceil_mode", "expected"),
    [
        # windows over [-1, 2), [1, 4), [3, 6) and, with ceil_mode, [5, 8): cell 6
        # is right padding, cell 7 the overhang beyond it
        (True, False, [[[3 / 3, 9 / 3, 15 / 3]]]),
        (True, True, [[[3 / 3, 9 / 3, 15 / 3, 6 / 2]]]),  # overhang not counted
        (False, False, [[[3 / 2, 9 / 3, 15 / 3]]]),  # only real cells counted
        (False, True, [[[3 / 2, 9 / 3, 15 / 3, 6 / 1]]]),
    ],
)
def test_avg_pool_divisor_counts_padding_but_not_the_ceil_overhang(
    count_include_pad, ceil_mode, expected
):
    x = np.array([[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]])
    options = {
        "stride": 2,
        "padding": 1,
        "ceil_mode": ceil_mode,
        "count_include_pad": count_include_pad,
    }
    y = avg_pool(x, 3, **options, ndim=1)
    np.testing.assert_allclose(y, expected, rtol=1e-12)
    reference = F.avg_pool1d(torch.from_numpy(x), 3, **options).numpy()
    np.testing.assert_allclose(y, reference, rtol=1e-12)


def test_avg_pool_divisor_override_divides_every_window_by_it():
    y = avg_pool(HARE[None, None], (2, 2), divisor_override=1)
    np.testing.assert_array_equal(y, [[[[13, 21], [8, 8]]]])


def test_avg_pool_3d_accepts_input_smaller_than_kernel_like_avg_pool2d():
    # torch.avg_pool3d refuses H = 2 < kernel 3 although padding 1 makes it fit;
    # the same numbers come from avg_pool2d on each depth slice.
    x = np.random.default_rng(0).standard_normal((1, 2, 1, 2, 2))
    y = avg_pool(x, (1, 3, 3), stride=1, padding=(0, 1, 1))
    with pytest.raises(RuntimeError, match="smaller than kernel size"):
        F.avg_pool3d(torch.from_numpy(x), (1, 3, 3), 1, (0, 1, 1))
    expected = F.avg_pool2d(torch.from_numpy(x[:, :, 0]), 3, 1, 1).numpy()
    np.testing.assert_allclose(y[:, :, 0], expected, rtol=1e-12)


def test_avg_pool_ceil_mode_window_longer_than_input_matches_torch():
    x = np.array([[[5.0]]])
    expected = F.avg_pool1d(torch.from_numpy(x), 2, 2, 0, True).numpy()
    np.testing.assert_array_equal(avg_pool(x, (2,), ceil_mode=True), expected)


def test_avg_pool_keeps_float32():
    x = np.ones((1, 1, 4, 4), dtype=np.float32)
    assert avg_pool(x, 2, ndim=2).dtype == np.float32


# --- global pooling -----------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    d=st.integers(1, 3),
    sizes=st.lists(st.integers(1, 6), min_size=5, max_size=5),
    seed=st.integers(0, 2**32 - 1),
)
def test_global_pools_match_torch_adaptive_pools_of_size_1(d, sizes, seed):
    shape = tuple(sizes[: d + 2])
    x = np.random.default_rng(seed).standard_normal(shape)
    t = torch.from_numpy(x)
    np.testing.assert_array_equal(global_max_pool(x, ndim=d), ADAPTIVE_MAX[d](t, 1).numpy())
    np.testing.assert_allclose(
        global_avg_pool(x, ndim=d), ADAPTIVE_AVG[d](t, 1).numpy(), rtol=1e-10, atol=1e-10
    )
    if d == 3:  # 5 axes have one reading: (N, C, D, H, W)
        np.testing.assert_array_equal(global_max_pool(x), global_max_pool(x, ndim=3))


def test_global_pooling_reduces_each_feature_map_to_one_number():
    maps = np.random.default_rng(1).standard_normal((2, 5, 7, 7))
    assert global_max_pool(maps, ndim=2).shape == (2, 5, 1, 1)
    assert global_avg_pool(maps, ndim=2).shape == (2, 5, 1, 1)
    vector = global_avg_pool(maps, ndim=2).reshape(2, 5)  # the feature vector for an MLP
    np.testing.assert_allclose(vector, maps.mean(axis=(2, 3)), rtol=1e-12)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_global_max_pool_keeps_integer_dtype(dtype):
    x = np.arange(8, dtype=dtype).reshape(1, 2, 4)
    y = global_max_pool(x, ndim=1)
    assert y.dtype == dtype
    np.testing.assert_array_equal(y, [[[3], [7]]])


def test_global_avg_pool_of_integers_is_float64():
    y = global_avg_pool(np.arange(8).reshape(1, 2, 4), ndim=1)
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, [[[1.5], [5.5]]])


def test_global_max_pool_propagates_nan():
    x = np.array([[[1.0, np.nan, 3.0]]])
    assert np.isnan(global_max_pool(x, ndim=1)[0, 0, 0])
    assert torch.isnan(F.adaptive_max_pool1d(torch.from_numpy(x), 1)).item()


def test_global_pools_accept_unbatched_input_with_ndim():
    x = np.arange(12.0).reshape(3, 2, 2)
    np.testing.assert_array_equal(global_max_pool(x, ndim=2), [[[3.0]], [[7.0]], [[11.0]]])
    np.testing.assert_array_equal(global_avg_pool(x, ndim=2), [[[1.5]], [[5.5]], [[9.5]]])


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("pool", [max_pool, avg_pool])
@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"kernel_size": 0}, ValueError, "kernel_size must be a positive integer, got 0"),
        ({"kernel_size": (2, -1)}, ValueError, r"kernel_size must be .*got \(2, -1\)"),
        (
            {"kernel_size": 2.5},
            TypeError,
            r"kernel_size must be a positive integer or a tuple of 2 of them, got 2\.5",
        ),
        ({"stride": 0}, ValueError, "stride must be a positive integer, got 0"),
        (
            {"stride": 1.0},
            TypeError,
            r"stride must be a positive integer or a tuple of 2 of them, got 1\.0",
        ),
        ({"padding": -1}, ValueError, "padding must be a non-negative integer, got -1"),
        ({"padding": 2}, ValueError, "padding must be at most half of kernel_size, got padding"),
        ({"ceil_mode": "yes"}, TypeError, "ceil_mode must be True or False, got 'yes'"),
        ({"ndim": 4}, ValueError, "ndim must be 1, 2 or 3, got 4"),
        ({"ndim": 1, "kernel_size": (2, 2)}, ValueError, r"kernel_size \(2, 2\) has 2 entries"),
        ({"kernel_size": (2, 2, 2, 2)}, ValueError, "kernel_size must be an int or a tuple"),
    ],
)
def test_pooling_rejects_bad_option_naming_it(pool, options, error, message):
    arguments = {"kernel_size": 2, "ndim": 2, **options}
    with pytest.raises(error, match=message):
        pool(np.zeros((1, 1, 4, 4)), **arguments)


def test_max_pool_rejects_zero_dilation():
    with pytest.raises(ValueError, match="dilation must be a positive integer, got 0"):
        max_pool(np.zeros((1, 1, 4, 4)), (2, 2), dilation=0)


def test_max_pool_rejects_non_bool_return_indices():
    with pytest.raises(TypeError, match="return_indices must be True or False, got 1"):
        max_pool(np.zeros((1, 1, 4, 4)), (2, 2), return_indices=1)


@pytest.mark.parametrize(
    ("value", "error"), [(0, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_avg_pool_rejects_bad_divisor_override(value, error):
    with pytest.raises(
        error, match=f"divisor_override must be a non-zero integer or None, got {value}"
    ):
        avg_pool(np.zeros((1, 1, 4, 4)), (2, 2), divisor_override=value)


def test_avg_pool_rejects_non_bool_count_include_pad():
    with pytest.raises(TypeError, match="count_include_pad must be True or False, got None"):
        avg_pool(np.zeros((1, 1, 4, 4)), (2, 2), count_include_pad=None)


@pytest.mark.parametrize("pool", [max_pool, avg_pool])
@pytest.mark.parametrize(
    ("shape", "kernel", "message"),
    [
        ((1, 1, 1, 1, 4, 4), 2, r"x must have 1 to 5 dimensions for pooling, got shape"),
        ((), 2, r"x must have 1 to 5 dimensions for pooling, got shape \(\)"),
        (
            (1, 1, 1, 4, 4),
            (2, 2),
            r"x must have 2 \(plain\), 3 \(unbatched\) or 4 \(batched\) dimensions",
        ),
        ((4,), (2, 2), r"x must have 2 \(plain\), 3 \(unbatched\) or 4 \(batched\)"),
        ((1, 0, 4), (2,), "x must have non-empty channel and spatial axes"),
        ((0, 4), (2, 2), r"x must not have an empty axis, got shape \(0, 4\)"),
    ],
)
def test_pooling_rejects_wrong_rank(pool, shape, kernel, message):
    with pytest.raises(ValueError, match=message):
        pool(np.zeros(shape), kernel)


@pytest.mark.parametrize("pool", [max_pool, avg_pool])
def test_pooling_rejects_window_larger_than_padded_input(pool):
    with pytest.raises(ValueError, match=r"kernel_size 5 .* larger than the padded input 4"):
        pool(np.zeros((1, 1, 4)), 5, ndim=1)


@pytest.mark.parametrize("function", [max_pool, avg_pool, global_max_pool, global_avg_pool])
@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.zeros((1, 1, 4), dtype=bool), "x must be a numeric array, got dtype bool"),
        (np.zeros((1, 1, 4), dtype=complex), "x must be a real .* got dtype complex128"),
        (np.array([[["a", "b"]]]), "x must be a numeric array, got dtype <U1"),
    ],
)
def test_pooling_rejects_non_real_arrays(function, x, message):
    arguments = (2,) if function in (max_pool, avg_pool) else ()
    with pytest.raises(TypeError, match=message):
        function(x, *arguments)


@pytest.mark.parametrize("function", [global_max_pool, global_avg_pool])
def test_global_pooling_rejects_wrong_rank(function):
    with pytest.raises(ValueError, match=r"x must have 1 to 5 dimensions for pooling"):
        function(np.zeros((1,) * 6))
    with pytest.raises(ValueError, match=r"x must have 1 \(plain\), 2 \(unbatched\) or 3"):
        function(np.zeros((1, 1, 1, 4)), ndim=1)


@pytest.mark.parametrize("function", [global_max_pool, global_avg_pool])
def test_global_pooling_rejects_bad_ndim(function):
    with pytest.raises(ValueError, match="ndim must be 1, 2 or 3, got 0"):
        function(np.zeros((1, 1, 4)), ndim=0)


@pytest.mark.parametrize("pool", [max_pool, avg_pool])
def test_pooling_accepts_an_empty_batch_like_torch(pool):
    x = np.zeros((0, 2, 4, 4))
    expected = MAX_POOL[2](torch.from_numpy(x), 2).shape
    assert pool(x, 2, ndim=2).shape == tuple(expected) == (0, 2, 2, 2)
