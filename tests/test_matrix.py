"""Tests for conv_explained.matrix: conv_matrix, im2col, col2im."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conv_explained import ops
from conv_explained.matrix import col2im, conv_matrix, im2col
from conv_explained.shapes import conv_output_size, conv_transpose_output_padding

from .conftest import conv_cases as shared_conv_cases
from .conftest import seeds

TOL = {"rtol": 1e-10, "atol": 1e-10}
SETTINGS = settings(max_examples=100, deadline=None)


def _as_dict(case):
    return {
        "input_shape": (case.c_in, *case.spatial),
        "weight_shape": case.w_shape,
        "stride": case.stride,
        "padding": case.padding,
        "dilation": case.dilation,
        "groups": case.groups,
        "pads": case.pad_pairs(),  # from PyTorch's rules, independently of shapes.py
    }


def conv_cases(dims=(1, 2, 3), words=True):
    """The shared random correlation problems, small enough for a dense matrix."""
    return shared_conv_cases(dims=dims, max_size=8, max_size_3d=4, words=words).map(_as_dict)


def _options(case):
    return {k: case[k] for k in ("stride", "padding", "dilation", "groups")}


def _rng(seed):
    return np.random.default_rng(seed)


# --------------------------------------------------------------------------- conv_matrix


@SETTINGS
@given(case=conv_cases(), seed=seeds)
def test_conv_matrix_times_flat_input_equals_correlate(case, seed):
    rng = _rng(seed)
    x = rng.standard_normal(case["input_shape"])
    w = rng.standard_normal(case["weight_shape"])
    matrix = conv_matrix(case["input_shape"], w, **_options(case))
    expected = ops.correlate(x, w, **_options(case))
    assert matrix.shape == (expected.size, x.size)
    np.testing.assert_allclose(matrix @ x.ravel(), expected.ravel(), **TOL)


@SETTINGS
@given(case=conv_cases(), seed=seeds)
def test_conv_matrix_of_integer_weight_is_exact(case, seed):
    rng = _rng(seed)
    x = rng.integers(-9, 10, case["input_shape"])
    w = rng.integers(-9, 10, case["weight_shape"])
    matrix = conv_matrix(case["input_shape"], w, **_options(case))
    assert matrix.dtype == np.int64
    np.testing.assert_array_equal(
        matrix @ x.ravel(), ops.correlate(x, w, **_options(case)).ravel()
    )


@SETTINGS
@given(case=conv_cases(), seed=seeds)
def test_conv_matrix_transpose_equals_conv_transpose(case, seed):
    # conv_transpose takes one symmetric padding per axis; "same" with an even
    # effective kernel is asymmetric and has no conv_transpose equivalent.
    assume(all(before == after for before, after in case["pads"]))
    padding = tuple(before for before, _ in case["pads"])
    spatial = case["input_shape"][1:]
    kernel = case["weight_shape"][2:]
    out = conv_output_size(
        spatial, kernel, stride=case["stride"], padding=padding, dilation=case["dilation"]
    )
    rng = _rng(seed)
    w = rng.standard_normal(case["weight_shape"])
    y = rng.standard_normal((case["weight_shape"][0], *out))
    output_padding = conv_transpose_output_padding(
        spatial, out, kernel, stride=case["stride"], padding=padding, dilation=case["dilation"]
    )
    expected = ops.conv_transpose(
        y,
        w,
        stride=case["stride"],
        padding=padding,
        output_padding=output_padding,
        dilation=case["dilation"],
        groups=case["groups"],
    )
    matrix = conv_matrix(case["input_shape"], w, **_options(case))
    np.testing.assert_allclose(
        (matrix.T @ y.ravel()).reshape(case["input_shape"]), expected, **TOL
    )


@pytest.mark.parametrize("n", [1, 2, 5])
@pytest.mark.parametrize("kernel", [[2], [1, -1], [1, 2, 3], [4, 0, -2, 1]])
def test_conv_matrix_of_flipped_kernel_with_full_padding_is_toeplitz(n, kernel):
    w = np.array(kernel)
    expected = scipy.linalg.toeplitz(
        np.concatenate([w, np.zeros(n - 1, int)]), np.concatenate([w[:1], np.zeros(n - 1, int)])
    )
    np.testing.assert_array_equal(
        conv_matrix((1, n), ops.flip(w[None, None]), padding="full"), expected
    )


@pytest.mark.parametrize(
    ("height", "width", "kh", "kw"), [(3, 3, 2, 2), (4, 5, 2, 3), (5, 4, 3, 1)]
)
def test_conv_matrix_2d_is_doubly_block_toeplitz(height, width, kh, kw):
    w = np.arange(1, kh * kw + 1).reshape(1, 1, kh, kw)
    oh, ow = height - kh + 1, width - kw + 1
    matrix = conv_matrix((1, height, width), w)
    blocks = matrix.reshape(oh, ow, height, width).transpose(0, 2, 1, 3)  # (out row, in row, ...)
    for i in range(oh):
        for j in range(height):
            block = blocks[i, j]
            # Each block is the 1-D Toeplitz matrix of kernel row j - i (zero outside).
            row = w[0, 0, j - i] if 0 <= j - i < kh else np.zeros(kw, int)
            expected = np.zeros((ow, width), int)
            for r in range(ow):
                expected[r, r : r + kw] = row
            np.testing.assert_array_equal(block, expected)
            np.testing.assert_array_equal(block, scipy.linalg.toeplitz(block[:, 0], block[0]))


def test_conv_matrix_with_groups_is_block_diagonal():
    w = np.arange(1, 2 * 1 * 3 + 1).reshape(2, 1, 3)  # two groups, one channel each
    matrix = conv_matrix((2, 5), w, groups=2)
    np.testing.assert_array_equal(matrix[:3, 5:], 0)
    np.testing.assert_array_equal(matrix[3:, :5], 0)
    np.testing.assert_array_equal(matrix[:3, :5], conv_matrix((1, 5), w[:1]))
    np.testing.assert_array_equal(matrix[3:, 5:], conv_matrix((1, 5), w[1:]))


@pytest.mark.parametrize(
    ("input_shape", "weight_shape", "options", "shape"),
    [
        ((1, 5), (1, 1, 3), {}, (3, 5)),
        ((1, 5), (1, 1, 3), {"padding": "same"}, (5, 5)),
        ((1, 5), (1, 1, 3), {"padding": "full"}, (7, 5)),
        ((2, 6), (4, 2, 3), {"stride": 2, "padding": 1}, (12, 12)),
        ((1, 4, 4), (1, 1, 3, 3), {"padding": 1, "stride": 2}, (4, 16)),
        ((3, 5, 5), (2, 3, 3, 3), {"dilation": 2}, (2, 75)),
        ((2, 3, 3, 3), (2, 1, 2, 2, 2), {"groups": 2}, (16, 54)),
    ],
)
def test_conv_matrix_shape(input_shape, weight_shape, options, shape):
    assert conv_matrix(input_shape, np.ones(weight_shape), **options).shape == shape


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
def test_conv_matrix_keeps_the_weight_dtype(dtype):
    assert conv_matrix((1, 4), np.ones((1, 1, 2), dtype)).dtype == dtype


def test_conv_matrix_drops_taps_that_land_in_the_padding():
    matrix = conv_matrix((1, 3), np.array([[[1, 2, 3]]]), padding=1)
    np.testing.assert_array_equal(matrix, [[2, 3, 0], [1, 2, 3], [0, 1, 2]])


@pytest.mark.parametrize(
    ("input_shape", "weight", "options", "error", "match"),
    [
        ((1, 5, 5), np.ones((1, 1, 3)), {}, ValueError, r"input_shape must be \(C_in, \*spatial\) with 1 spatial axes .* got \(1, 5, 5\)"),
        (5, np.ones((1, 1, 3)), {}, TypeError, "input_shape must be .* got 5"),
        ((1, 0), np.ones((1, 1, 3)), {}, ValueError, r"input_shape must contain positive integers, got \(1, 0\)"),
        ((1, 2.5), np.ones((1, 1, 3)), {}, ValueError, r"input_shape must be .* got \(1, 2.5\)"),
        ((3, 5), np.ones((1, 2, 3)), {}, ValueError, "weight expects 2 input channels .* input_shape has 3"),
        ((4, 5), np.ones((3, 2, 3)), {"groups": 2}, ValueError, r"groups (2 must divide the 3 output channels|must divide the 3 output channels, got 2)"),
        ((1, 5), np.ones((1, 1, 3)), {"stride": 0}, ValueError, "stride must be a positive integer, got 0"),
        ((1, 5), np.ones((1, 1, 3)), {"dilation": "2"}, TypeError, "dilation must be a positive integer or a tuple of 1 of them, got '2'"),
        ((1, 5), np.ones((1, 1, 3)), {"padding": "half"}, ValueError, "padding must be .* got 'half'"),
        ((1, 5), np.ones((1, 1, 3)), {"padding": -1}, ValueError, "padding must be a non-negative integer, got -1"),
        ((1, 5), np.ones((1, 1, 3)), {"padding": "same", "stride": 2}, ValueError, "padding='same' is not supported for strided convolutions, got stride 2"),
        ((1, 2), np.ones((1, 1, 3)), {}, ValueError, "kernel_size 3 .* is larger than the padded input 2"),
        ((1, 5, 5), np.ones((1, 1)), {}, ValueError, r"input_shape must be the 2 spatial sizes of a plain input for the plain 2-D weight of shape \(1, 1\), got \(1, 5, 5\)"),
        ((5,), np.ones(()), {}, ValueError, r"weight must have 1 or 2 dimensions \(a plain kernel\) or 3, 4 or 5 .* got shape \(\)"),
        ((1, 5), np.ones((1, 1, 3), bool), {}, TypeError, "weight must be a numeric array, got dtype bool"),
    ],
)  # fmt: skip
def test_conv_matrix_rejects_bad_arguments(input_shape, weight, options, error, match):
    with pytest.raises(error, match=match):
        conv_matrix(input_shape, weight, **options)


# --------------------------------------------------------------------------- im2col


def _unfold(x, kernel_size, **options):
    return F.unfold(torch.from_numpy(x), kernel_size, **options).numpy()


@SETTINGS
@given(
    case=conv_cases(dims=(2,), words=False),
    seed=seeds,
    batch=st.integers(1, 2),
)
def test_im2col_equals_torch_unfold(case, seed, batch):
    x = _rng(seed).standard_normal((batch, *case["input_shape"]))
    kernel = case["weight_shape"][2:]
    options = {k: case[k] for k in ("stride", "padding", "dilation")}
    np.testing.assert_array_equal(im2col(x, kernel, **options), _unfold(x, kernel, **options))


@SETTINGS
@given(case=conv_cases(dims=(2,), words=False), seed=seeds)
def test_im2col_of_unbatched_input_equals_torch_unfold(case, seed):
    x = _rng(seed).standard_normal(case["input_shape"])
    kernel = case["weight_shape"][2:]
    options = {k: case[k] for k in ("stride", "padding", "dilation")}
    np.testing.assert_array_equal(im2col(x, kernel, **options), _unfold(x, kernel, **options))


@SETTINGS
@given(case=conv_cases(dims=(1,), words=False), seed=seeds)
def test_im2col_1d_equals_torch_unfold_of_a_single_row(case, seed):
    x = _rng(seed).standard_normal((2, *case["input_shape"]))
    (k,) = case["weight_shape"][2:]
    stride, dilation = case["stride"], case["dilation"]
    s = stride if isinstance(stride, int) else stride[0]
    dl = dilation if isinstance(dilation, int) else dilation[0]
    p = case["padding"] if isinstance(case["padding"], int) else case["padding"][0]
    expected = _unfold(x[:, :, None], (1, k), stride=(1, s), padding=(0, p), dilation=(1, dl))
    np.testing.assert_array_equal(
        im2col(x, (k,), stride=stride, padding=case["padding"], dilation=dilation), expected
    )


def test_im2col_3d_layout_is_channel_then_kernel_offsets_row_major():
    x = np.arange(2 * 3 * 3 * 4).reshape(1, 2, 3, 3, 4)
    cols = im2col(x, (2, 1, 2), stride=(1, 2, 2))
    out = (2, 2, 2)
    expected = np.empty((1, 2 * 4, 8), int)
    for c in range(2):
        for t, (u, v, w) in enumerate(np.ndindex(2, 1, 2)):
            for pos, (i, j, k) in enumerate(np.ndindex(*out)):
                expected[0, c * 4 + t, pos] = x[0, c, i + u, 2 * j + v, 2 * k + w]
    np.testing.assert_array_equal(cols, expected)


PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


@SETTINGS
@given(
    case=conv_cases(),
    mode=st.sampled_from(PADDING_MODES),
    seed=seeds,
)
def test_weight_matrix_times_im2col_equals_correlate(case, mode, seed):
    spatial = case["input_shape"][1:]
    if mode == "reflect":
        assume(all(max(p) < i for p, i in zip(case["pads"], spatial, strict=True)))
    if mode == "circular":
        assume(all(max(p) <= i for p, i in zip(case["pads"], spatial, strict=True)))
    rng = _rng(seed)
    x = rng.standard_normal((2, *case["input_shape"]))
    w = rng.standard_normal(case["weight_shape"])
    options = {k: case[k] for k in ("stride", "padding", "dilation")}
    expected = ops.correlate(x, w, padding_mode=mode, groups=case["groups"], **options)
    cols = im2col(x, w.shape[2:], padding_mode=mode, **options)
    # One GEMM per group: its output channels times the rows of its input channels.
    g = case["groups"]
    rows, og = cols.shape[1] // g, w.shape[0] // g
    products = [
        w[i * og : (i + 1) * og].reshape(og, -1) @ cols[:, i * rows : (i + 1) * rows]
        for i in range(g)
    ]
    np.testing.assert_allclose(
        np.concatenate(products, axis=1).reshape(expected.shape), expected, **TOL
    )


def test_im2col_keeps_the_input_dtype():
    assert im2col(np.ones((1, 3, 3), np.float32), 2).dtype == np.float32
    assert im2col(np.ones((1, 3, 3), np.int16), 2).dtype == np.int16


def test_im2col_with_int_kernel_size_means_two_spatial_axes():
    # (1, 5) is then a plain 1x5 image, too short for 3x3 windows, not (C, L).
    with pytest.raises(ValueError, match=r"kernel_size 3 .* larger than the padded input 1"):
        im2col(np.ones((1, 5)), 3)
    assert im2col(np.ones((1, 5)), (3,)).shape == (3, 3)
    with pytest.raises(
        ValueError,
        match=r"x must have 2 \(plain\), 3 \(unbatched\) or 4 \(batched\) dimensions .* "
        r"got shape \(5,\)",
    ):
        im2col(np.ones(5), 3)


@pytest.mark.parametrize(
    ("x", "kernel_size", "options", "error", "match"),
    [
        (np.ones((1, 1, 4, 4, 4, 4)), 2, {}, ValueError, r"x must have 2 \(plain\), 3 \(unbatched\) or 4 \(batched\) dimensions"),
        (np.ones((1, 4, 4)), 0, {}, ValueError, "kernel_size must be a positive integer, got 0"),
        (np.ones((1, 4, 4)), (2, 2), {"stride": (1, 1, 1)}, ValueError, r"stride must be .* got \(1, 1, 1\)"),
        (np.ones((1, 4, 4)), 2, {"padding_mode": "wrap"}, ValueError, "padding_mode must be one of .* got 'wrap'"),
        (np.ones((1, 4, 4)), 2, {"padding": 4, "padding_mode": "reflect"}, ValueError, "padding 4 is too large for padding_mode 'reflect'"),
        (np.ones((1, 4, 4)), 5, {}, ValueError, "kernel_size 5 .* is larger than the padded input 4"),
        (np.array([["a"]]), 1, {}, TypeError, "x must be a numeric array"),
    ],
)  # fmt: skip
def test_im2col_rejects_bad_arguments(x, kernel_size, options, error, match):
    with pytest.raises(error, match=match):
        im2col(x, kernel_size, **options)


# --------------------------------------------------------------------------- col2im


@SETTINGS
@given(
    case=conv_cases(dims=(2,), words=False),
    seed=seeds,
    batched=st.booleans(),
)
def test_col2im_equals_torch_fold(case, seed, batched):
    kernel = case["weight_shape"][2:]
    spatial = case["input_shape"][1:]
    options = {k: case[k] for k in ("stride", "padding", "dilation")}
    out = conv_output_size(spatial, kernel, **options)
    shape = (case["input_shape"][0] * math.prod(kernel), math.prod(out))
    cols = _rng(seed).standard_normal((2, *shape) if batched else shape)
    expected = F.fold(torch.from_numpy(cols), spatial, kernel, **options).numpy()
    np.testing.assert_allclose(col2im(cols, spatial, kernel, **options), expected, **TOL)


@SETTINGS
@given(case=conv_cases(), seed=seeds)
def test_col2im_is_the_transpose_of_im2col(case, seed):
    kernel = case["weight_shape"][2:]
    spatial = case["input_shape"][1:]
    options = {k: case[k] for k in ("stride", "padding", "dilation")}
    rng = _rng(seed)
    x = rng.standard_normal((2, *case["input_shape"]))
    cols = im2col(x, kernel, **options)
    y = rng.standard_normal(cols.shape)
    folded = col2im(y, spatial, kernel, **options)
    assert folded.shape == x.shape
    np.testing.assert_allclose(np.vdot(cols, y), np.vdot(x, folded), **TOL)


@pytest.mark.parametrize(
    ("size", "kernel", "options", "coverage"),
    [
        (4, 2, {}, [[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]),
        (4, 2, {"stride": 2}, np.ones((4, 4), int)),
        (3, 3, {"padding": 1}, [[4, 6, 4], [6, 9, 6], [4, 6, 4]]),
        (5, 2, {"stride": 2}, [[1, 1, 1, 1, 0]] * 4 + [[0] * 5]),
    ],
)
def test_col2im_of_im2col_of_ones_counts_covering_windows(size, kernel, options, coverage):
    ones = np.ones((1, size, size), int)
    np.testing.assert_array_equal(
        col2im(im2col(ones, kernel, **options), size, kernel, **options)[0], coverage
    )


def test_col2im_1d_and_3d_take_tuple_sizes():
    x = np.arange(10.0).reshape(1, 10)
    np.testing.assert_array_equal(col2im(im2col(x, (1,)), (10,), (1,)), x)
    v = np.arange(27.0).reshape(1, 3, 3, 3)
    np.testing.assert_array_equal(col2im(im2col(v, (3, 3, 3)), (3, 3, 3), (3, 3, 3)), v)


@pytest.mark.parametrize(
    ("cols", "output_size", "kernel_size", "error", "match"),
    [
        (np.ones((4,)), 3, 2, ValueError, r"cols must have 2 \(unbatched\) or 3 \(batched\) dimensions, got shape \(4,\)"),
        (np.ones((5, 4)), 3, 2, ValueError, r"cols must have C \* prod\(kernel_size\) = C \* 4 rows, got shape \(5, 4\)"),
        (np.ones((4, 5)), 3, 2, ValueError, r"cols must have one column per window, 4 for output_size 3 and kernel_size 2, got shape \(4, 5\)"),
        (np.ones((4, 4)), 0, 2, ValueError, "output_size must be a positive integer, got 0"),
        (np.ones((4, 4)), (3, 3), (2, 2, 2), ValueError, r"kernel_size must be a positive integer or a tuple of 2 of them, got \(2, 2, 2\)"),
        (np.ones((4, 4), bool), 3, 2, TypeError, "cols must be a numeric array, got dtype bool"),
    ],
)  # fmt: skip
def test_col2im_rejects_bad_arguments(cols, output_size, kernel_size, error, match):
    with pytest.raises(error, match=match):
        col2im(cols, output_size, kernel_size)
