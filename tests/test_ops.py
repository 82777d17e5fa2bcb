"""Tests for conv_explained.ops: correlate, convolve, conv_transpose, flip.

Three independent references: PyTorch in float64 (random shapes and options),
scipy/numpy's signal-processing functions (one channel), and the plain loops of
:mod:`conv_explained.naive`. Then the numbers of the seed posts, and bad input.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.signal
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conv_explained import naive
from conv_explained.ops import conv_transpose, convolve, correlate, flip
from conv_explained.shapes import (
    conv_output_size,
    conv_transpose_output_padding,
    conv_transpose_output_size,
)

from .conftest import (
    TOL,
    assert_exact_int64,
    conv_cases,
    conv_transpose_cases,
    random_arrays,
    seeds,
    tensor,
    torch_conv_transpose,
    torch_correlate,
)

PADDING_MODES = ["zeros", "reflect", "replicate", "circular"]


def quoted(text: str) -> str:
    """Regex matching ``text`` literally."""
    return re.escape(text)


def arrays_for(case, seed, *, integer=False):
    bias_shape = (case.c_out,) if case.bias else None
    return random_arrays(seed, case.x_shape, case.w_shape, bias_shape, integer=integer)


def spatial_out(y, case):
    return tuple(y.shape[-case.d :])


# --------------------------------------------------------------------------
# correlate and convolve against PyTorch (float64).
# --------------------------------------------------------------------------


@given(conv_cases(), seeds)
def test_correlate_matches_torch(case, seed):
    x, w, b = arrays_for(case, seed)
    ours = correlate(x, w, b, **case.options())
    expected = torch_correlate(x, w, b, **case.options())
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)


@given(conv_cases(), seeds)
def test_correlate_output_shape_is_conv_output_size(case, seed):
    x, w, b = arrays_for(case, seed)
    ours = correlate(x, w, b, **case.options())
    lead = (case.c_out,) if case.n == 0 else (case.n, case.c_out)
    out = conv_output_size(
        case.spatial, case.kernel, stride=case.stride, padding=case.padding, dilation=case.dilation
    )
    assert ours.shape == (*lead, *out)


def _padding_too_large(case, mode):
    """Reflect needs padding < size; circular needs padding <= size."""
    sizes_pads = zip(case.spatial, case.pad_pairs(), strict=True)
    if mode == "reflect":
        return any(max(pair) >= size for size, pair in sizes_pads)
    if mode == "circular":
        return any(max(pair) > size for size, pair in sizes_pads)
    return False


@given(conv_cases(), seeds, st.sampled_from(PADDING_MODES))
def test_correlate_padding_mode_matches_torch_conv_module(case, seed, mode):
    x, w, b = arrays_for(case, seed)
    options = case.options()
    if _padding_too_large(case, mode):  # PyTorch's limits for reflect and circular
        with pytest.raises(RuntimeError, match=r"[Pp]ad"):
            torch_correlate(x, w, b, padding_mode=mode, **options)
        with pytest.raises(ValueError, match=f"too large for padding_mode '{mode}'"):
            correlate(x, w, b, padding_mode=mode, **options)
        return
    expected = torch_correlate(x, w, b, padding_mode=mode, **options)
    ours = correlate(x, w, b, padding_mode=mode, **options)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)


@given(conv_cases(), seeds, st.sampled_from(PADDING_MODES))
def test_correlate_padding_mode_equals_torch_pad_then_valid_conv(case, seed, mode):
    x, w, b = arrays_for(case, seed)
    pairs = case.pad_pairs()
    torch_mode = {"zeros": "constant", "replicate": "replicate"}.get(mode, mode)
    flat_pairs = [p for pair in reversed(pairs) for p in pair]  # F.pad: last axis first
    xt = tensor(x) if case.n else tensor(x)[None]
    try:
        padded = torch.nn.functional.pad(xt, flat_pairs, mode=torch_mode)
    except RuntimeError:
        with pytest.raises(ValueError, match="padding_mode"):
            correlate(x, w, b, padding_mode=mode, **case.options())
        return
    padded = padded.numpy() if case.n else padded.numpy()[0]
    options = {"stride": case.stride, "dilation": case.dilation, "groups": case.groups}
    expected = torch_correlate(padded, w, b, padding=0, **options)
    ours = correlate(x, w, b, padding_mode=mode, **case.options())
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)


@given(conv_cases(), seeds)
def test_correlate_integer_inputs_are_exact_int64(case, seed):
    x, w, b = arrays_for(case, seed, integer=True)
    ours = correlate(x, w, b, **case.options())
    assert_exact_int64(ours, torch_correlate(x, w, b, **case.options()))


@given(conv_cases(), seeds)
def test_correlate_unbatched_equals_batch_of_one(case, seed):
    x, w, b = arrays_for(case, seed)
    if case.n:
        x = x[0]
    batched = correlate(x[None], w, b, **case.options())
    np.testing.assert_array_equal(correlate(x, w, b, **case.options()), batched[0])


@given(conv_cases(), seeds)
def test_convolve_matches_torch_with_flipped_kernel(case, seed):
    x, w, b = arrays_for(case, seed)
    w_flipped = torch.flip(tensor(w), dims=tuple(range(2, w.ndim))).numpy()
    expected = torch_correlate(x, w_flipped, b, **case.options())
    np.testing.assert_allclose(convolve(x, w, b, **case.options()), expected, rtol=0, atol=TOL)


@given(conv_cases(), seeds, st.sampled_from(PADDING_MODES))
def test_convolve_equals_correlate_with_flipped_kernel(case, seed, mode):
    x, w, b = arrays_for(case, seed)
    options = case.options()
    try:
        w_flipped = w[(..., *[slice(None, None, -1)] * case.d)]
        expected = correlate(x, w_flipped, b, padding_mode=mode, **options)
    except ValueError:
        return  # reflect/circular padding too large; tested elsewhere
    ours = convolve(x, w, b, padding_mode=mode, **options)
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)  # BLAS may reorder sums


@given(conv_cases(), seeds)
def test_convolve_integer_inputs_are_exact_int64(case, seed):
    x, w, b = arrays_for(case, seed, integer=True)
    w_flipped = np.flip(w, axis=tuple(range(2, w.ndim)))
    ours = convolve(x, w, b, **case.options())
    assert_exact_int64(ours, torch_correlate(x, w_flipped, b, **case.options()))


def test_correlate_mixes_int_input_and_float_weight_in_float64():
    y = correlate(np.arange(5).reshape(1, 1, 5), np.full((1, 1, 2), 0.5))
    assert y.dtype == np.float64
    np.testing.assert_array_equal(y, [[[0.5, 1.5, 2.5, 3.5]]])


def test_correlate_keeps_float32():
    x = np.ones((1, 1, 4, 4), dtype=np.float32)
    assert correlate(x, np.ones((1, 1, 2, 2), dtype=np.float32)).dtype == np.float32


def test_correlate_integer_bias_stays_int64():
    y = correlate(np.ones((1, 1, 3), dtype=np.int32), np.ones((2, 1, 2), dtype=np.int8), [1, -1])
    assert y.dtype == np.int64
    np.testing.assert_array_equal(y, [[[3, 3], [1, 1]]])


def test_correlate_accepts_nested_lists():
    np.testing.assert_array_equal(correlate([[[1, 2, 3]]], [[[1, 1]]]), [[[3, 5]]])


def test_flip_reverses_only_kernel_axes():
    w = np.arange(2 * 3 * 2 * 2).reshape(2, 3, 2, 2)
    np.testing.assert_array_equal(flip(w), w[:, :, ::-1, ::-1])


@pytest.mark.parametrize("shape", [(), (1, 1, 1, 1, 1, 1)])
def test_flip_rejects_weight_of_no_known_layout(shape):
    with pytest.raises(
        ValueError,
        match=quoted("weight must have 1 or 2 dimensions (a plain kernel) or 3, 4 or 5"),
    ):
        flip(np.ones(shape))


# --------------------------------------------------------------------------
# conv_transpose against PyTorch.
# --------------------------------------------------------------------------


@given(conv_transpose_cases(), seeds)
def test_conv_transpose_matches_torch(case, seed):
    x, w, b = random_arrays(seed, case.x_shape, case.w_shape, (case.c_out,) if case.bias else None)
    ours = conv_transpose(x, w, b, **case.options())
    expected = torch_conv_transpose(x, w, b, **case.options())
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)


@given(conv_transpose_cases(), seeds)
def test_conv_transpose_output_shape_is_conv_transpose_output_size(case, seed):
    x, w, _ = random_arrays(seed, case.x_shape, case.w_shape, None)
    ours = conv_transpose(x, w, **case.options())
    out = conv_transpose_output_size(
        case.spatial,
        case.kernel,
        stride=case.stride,
        padding=case.padding,
        output_padding=case.output_padding,
        dilation=case.dilation,
    )
    assert ours.shape[-case.d - 1 :] == (case.c_out, *out)


@given(conv_transpose_cases(), seeds)
def test_conv_transpose_integer_inputs_are_exact_int64(case, seed):
    bias_shape = (case.c_out,) if case.bias else None
    x, w, b = random_arrays(seed, case.x_shape, case.w_shape, bias_shape, integer=True)
    ours = conv_transpose(x, w, b, **case.options())
    assert_exact_int64(ours, torch_conv_transpose(x, w, b, **case.options()))


@given(conv_cases(words=False), seeds)
def test_conv_transpose_is_the_adjoint_of_correlate(case, seed):
    # <correlate(x, w), g> == <x, conv_transpose(g, w)> for every x and g.
    x, w, _ = arrays_for(case, seed)
    y = correlate(x, w, **case.options())
    (g,) = random_arrays(seed + 1, y.shape)
    a = conv_transpose_output_padding(
        case.spatial,
        spatial_out(y, case),
        case.kernel,
        stride=case.stride,
        padding=case.padding,
        dilation=case.dilation,
    )
    back = conv_transpose(
        g,
        w,
        stride=case.stride,
        padding=case.padding,
        output_padding=a,
        dilation=case.dilation,
        groups=case.groups,
    )
    assert back.shape == x.shape
    np.testing.assert_allclose(np.vdot(y, g), np.vdot(x, back), rtol=1e-10, atol=1e-10)


# --------------------------------------------------------------------------
# Single channel: scipy.signal and numpy.
# --------------------------------------------------------------------------

single_shapes = st.integers(1, 3).flatmap(
    lambda d: st.tuples(st.tuples(*[st.integers(1, 7)] * d), st.tuples(*[st.integers(1, 4)] * d))
)


@given(single_shapes, seeds)
def test_convolve_full_padding_equals_scipy_convolve_full(shapes, seed):
    x, k = random_arrays(seed, *shapes)
    ours = convolve(x[None, None], k[None, None], padding="full")[0, 0]
    np.testing.assert_allclose(ours, scipy.signal.convolve(x, k, mode="full"), rtol=0, atol=TOL)


@given(single_shapes, seeds)
def test_convolve_no_padding_equals_scipy_convolve_valid(shapes, seed):
    x, k = random_arrays(seed, *shapes)
    assume(all(kk <= xx for xx, kk in zip(x.shape, k.shape, strict=True)))
    ours = convolve(x[None, None], k[None, None], padding=0)[0, 0]
    np.testing.assert_allclose(ours, scipy.signal.convolve(x, k, mode="valid"), rtol=0, atol=TOL)


@given(single_shapes, seeds)
def test_correlate_full_padding_equals_scipy_correlate_full(shapes, seed):
    x, k = random_arrays(seed, *shapes)
    ours = correlate(x[None, None], k[None, None], padding="full")[0, 0]
    np.testing.assert_allclose(ours, scipy.signal.correlate(x, k, mode="full"), rtol=0, atol=TOL)


@given(single_shapes, seeds)
def test_correlate_valid_padding_equals_scipy_correlate_valid(shapes, seed):
    x, k = random_arrays(seed, *shapes)
    assume(all(kk <= xx for xx, kk in zip(x.shape, k.shape, strict=True)))
    ours = correlate(x[None, None], k[None, None], padding="valid")[0, 0]
    np.testing.assert_allclose(ours, scipy.signal.correlate(x, k, mode="valid"), rtol=0, atol=TOL)


@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 4), seeds)
def test_convolve_2d_equals_scipy_convolve2d_full_and_valid(h, w, k, seed):
    x, kernel = random_arrays(seed, (h, w), (k, k + 1))
    full = convolve(x[None, None], kernel[None, None], padding="full")[0, 0]
    np.testing.assert_allclose(full, scipy.signal.convolve2d(x, kernel, mode="full"), atol=TOL)
    if k <= h and k + 1 <= w:
        valid = convolve(x[None, None], kernel[None, None])[0, 0]
        expected = scipy.signal.convolve2d(x, kernel, mode="valid")
        np.testing.assert_allclose(valid, expected, rtol=0, atol=TOL)


@given(st.integers(1, 9), st.integers(1, 9), seeds)
def test_convolve_2d_odd_kernel_same_padding_equals_scipy_convolve2d_same(h, w, seed):
    x, kernel = random_arrays(seed, (h, w), (3, 5))
    ours = convolve(x[None, None], kernel[None, None], padding="same")[0, 0]
    np.testing.assert_allclose(ours, scipy.signal.convolve2d(x, kernel, mode="same"), atol=TOL)


@given(st.integers(1, 12), st.integers(1, 5), seeds)
def test_convolve_1d_equals_numpy_convolve(n, k, seed):
    x, v = random_arrays(seed, (n,), (k,))
    full = convolve(x[None, None], v[None, None], padding="full")[0, 0]
    np.testing.assert_allclose(full, np.convolve(x, v, mode="full"), rtol=0, atol=TOL)
    if k <= n:
        valid = convolve(x[None, None], v[None, None])[0, 0]
        np.testing.assert_allclose(valid, np.convolve(x, v, mode="valid"), rtol=0, atol=TOL)


@given(st.integers(1, 12), st.integers(1, 5), seeds)
def test_correlate_1d_equals_numpy_correlate(n, k, seed):
    x, v = random_arrays(seed, (n,), (k,))
    full = correlate(x[None, None], v[None, None], padding="full")[0, 0]
    np.testing.assert_allclose(full, np.correlate(x, v, mode="full"), rtol=0, atol=TOL)
    if k <= n:
        valid = correlate(x[None, None], v[None, None])[0, 0]
        np.testing.assert_allclose(valid, np.correlate(x, v, mode="valid"), rtol=0, atol=TOL)


def test_correlate_1d_integers_equal_numpy_correlate_exactly():
    x, v = np.array([3, 1, 4, 1, 5, 9, 2, 6]), np.array([2, 7, 1])
    np.testing.assert_array_equal(correlate(x[None], v[None, None])[0], np.correlate(x, v))


# --------------------------------------------------------------------------
# Cross-check against the plain loops of conv_explained.naive.
# --------------------------------------------------------------------------

_NAIVE = settings(max_examples=100)


def _naive_work(case):
    """Rough number of multiply-adds the loops will do (keeps the tests fast)."""
    out = conv_output_size(
        case.spatial, case.kernel, stride=case.stride, padding=case.padding, dilation=case.dilation
    )
    return case.n * case.c_out * np.prod(out) * (case.c_in // case.groups) * np.prod(case.kernel)


@_NAIVE
@given(conv_cases(max_size=6, max_size_3d=3, unbatched=False), seeds)
def test_correlate_agrees_with_naive_loops(case, seed):
    assume(_naive_work(case) <= 20_000)
    x, w, b = arrays_for(case, seed)
    expected = naive.correlate(x, w, b, **case.naive_options())
    np.testing.assert_allclose(correlate(x, w, b, **case.options()), expected, rtol=0, atol=TOL)


@_NAIVE
@given(conv_cases(max_size=6, max_size_3d=3, unbatched=False), seeds)
def test_convolve_agrees_with_naive_loops(case, seed):
    assume(_naive_work(case) <= 20_000)
    x, w, b = arrays_for(case, seed, integer=True)
    expected = naive.convolve(x, w, b, **case.naive_options())
    ours = convolve(x, w, b, **case.options())
    assert ours.dtype == expected.dtype == np.int64
    np.testing.assert_array_equal(ours, expected)


@_NAIVE
@given(conv_transpose_cases(max_size=4, max_size_3d=2, unbatched=False), seeds)
def test_conv_transpose_agrees_with_naive_scatter(case, seed):
    bias_shape = (case.c_out,) if case.bias else None
    x, w, b = random_arrays(seed, case.x_shape, case.w_shape, bias_shape)
    expected = naive.conv_transpose(x, w, b, **case.options())
    np.testing.assert_allclose(conv_transpose(x, w, b, **case.options()), expected, atol=TOL)


# --------------------------------------------------------------------------
# Seed 000 (MXNet post): a 5x5 image and the kernel 0..8.
# --------------------------------------------------------------------------

MXNET_IMAGE = np.array(
    [
        [1, 2, 2, 1, 0],
        [3, 3, 3, 3, 0],
        [3, 0, 0, 2, 2],
        [0, 3, 0, 3, 3],
        [2, 2, 2, 3, 2],
    ]
)
MXNET_KERNEL = np.arange(9).reshape(3, 3)


def test_mxnet_post_correlate_gives_the_frameworks_numbers():
    y = correlate(MXNET_IMAGE[None, None], MXNET_KERNEL[None, None])
    np.testing.assert_array_equal(y[0, 0], [[60, 56, 52], [39, 61, 66], [54, 78, 82]])
    assert y.dtype == np.int64


def test_mxnet_post_convolve_equals_scipy_convolve2d():
    y = convolve(MXNET_IMAGE[None, None], MXNET_KERNEL[None, None])
    expected = scipy.signal.convolve2d(MXNET_IMAGE, MXNET_KERNEL, mode="valid")
    np.testing.assert_array_equal(y[0, 0], expected)
    np.testing.assert_array_equal(y[0, 0], [[76, 72, 52], [81, 75, 62], [42, 42, 54]])


def test_mxnet_post_correlate_equals_convolve_with_flipped_kernel():
    # The post's identity: convolve(I, K_flipped) == correlate(I, K).
    k_conv = MXNET_KERNEL[::-1, ::-1]
    np.testing.assert_array_equal(k_conv, [[8, 7, 6], [5, 4, 3], [2, 1, 0]])
    np.testing.assert_array_equal(
        convolve(MXNET_IMAGE[None, None], k_conv[None, None]),
        correlate(MXNET_IMAGE[None, None], MXNET_KERNEL[None, None]),
    )


# --------------------------------------------------------------------------
# Seed 001 (TensorFlow post): "SAME" padding, 2 input channels, seed 789456.
# --------------------------------------------------------------------------


def _tf_post_arrays():
    rng = np.random.RandomState(789456)  # the post's np.random.seed(789456)
    rimg = rng.normal(size=[2, 5, 5, 2])  # NHWC
    rk = rng.normal(size=[3, 3, 2, 1])  # HWIO
    return rimg, rk


def _tf_post_ours():
    rimg, rk = _tf_post_arrays()
    return correlate(rimg.transpose(0, 3, 1, 2), rk.transpose(3, 2, 0, 1), padding="same")


def test_tf_post_same_padding_equals_sum_of_scipy_correlate2d_per_channel():
    rimg, rk = _tf_post_arrays()
    ours = _tf_post_ours()
    for n in range(2):
        expected = sum(
            scipy.signal.correlate2d(rimg[n, :, :, c], rk[:, :, c, 0], mode="same")
            for c in range(2)
        )
        np.testing.assert_allclose(ours[n, 0], expected, rtol=0, atol=TOL)


def test_tf_post_same_padding_differs_from_sum_of_scipy_convolve2d():
    rimg, rk = _tf_post_arrays()
    scipy_conv = sum(
        scipy.signal.convolve2d(rimg[0, :, :, c], rk[:, :, c, 0], mode="same") for c in range(2)
    )
    assert np.mean(np.abs(_tf_post_ours()[0, 0] - scipy_conv)) > 0.1


def test_tf_post_same_padding_equals_scipy_convolve2d_with_reversed_kernel():
    rimg, rk = _tf_post_arrays()
    scipy_conv_krev = sum(
        scipy.signal.convolve2d(rimg[0, :, :, c], rk[::-1, ::-1, c, 0], mode="same")
        for c in range(2)
    )
    np.testing.assert_allclose(_tf_post_ours()[0, 0], scipy_conv_krev, rtol=0, atol=TOL)


def test_tf_post_interior_outputs_are_patch_times_kernel_sums():
    rimg, rk = _tf_post_arrays()
    ours = _tf_post_ours()
    for n in range(2):
        for i in range(1, 4):
            for j in range(1, 4):
                patch = rimg[n, i - 1 : i + 2, j - 1 : j + 2]
                assert ours[n, 0, i, j] == pytest.approx(np.sum(patch * rk.squeeze()), abs=TOL)


# --------------------------------------------------------------------------
# Seed 002 (PyTorch post): Sobel kernel on arange(1, 10), padding 1.
# --------------------------------------------------------------------------

SOBEL_INPUT = np.arange(1, 10).reshape(3, 3)
SOBEL = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
SOBEL_CORRELATION = [[13, 20, 17], [18, 24, 18], [-13, -20, -17]]
SOBEL_CONVOLUTION = [[-13, -20, -17], [-18, -24, -18], [13, 20, 17]]


def _hand_loop(image, kernel, *, flipped):
    """3x3 kernel, padding 1, one channel: the sums written out one by one."""
    out = np.zeros((3, 3), dtype=np.int64)
    for i in range(3):
        for j in range(3):
            for u in range(3):
                for v in range(3):
                    r, c = i + u - 1, j + v - 1
                    if 0 <= r < 3 and 0 <= c < 3:
                        ku, kv = (2 - u, 2 - v) if flipped else (u, v)
                        out[i, j] += image[r, c] * kernel[ku, kv]
    return out


def test_pytorch_post_sobel_numbers_by_hand_loop():
    np.testing.assert_array_equal(_hand_loop(SOBEL_INPUT, SOBEL, flipped=False), SOBEL_CORRELATION)
    np.testing.assert_array_equal(_hand_loop(SOBEL_INPUT, SOBEL, flipped=True), SOBEL_CONVOLUTION)


def test_pytorch_post_sobel_correlate():
    y = correlate(SOBEL_INPUT[None], SOBEL[None, None], padding=1)
    np.testing.assert_array_equal(y[0], SOBEL_CORRELATION)


def test_pytorch_post_sobel_convolve():
    y = convolve(SOBEL_INPUT[None], SOBEL[None, None], padding=1)
    np.testing.assert_array_equal(y[0], SOBEL_CONVOLUTION)


def test_pytorch_post_sobel_convolve_equals_scipy_convolve2d_same():
    expected = scipy.signal.convolve2d(SOBEL_INPUT, SOBEL, mode="same")
    np.testing.assert_array_equal(
        convolve(SOBEL_INPUT[None], SOBEL[None, None], padding=1)[0], expected
    )


def _conv2d_layer(kernel, **options):
    """The post's new_conv2d_with_kernel, in float64 (the bias keeps its random default)."""
    torch.manual_seed(0)
    layer = torch.nn.Conv2d(1, 1, kernel.shape, dtype=torch.float64, **options)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(kernel.astype(np.float64))[None, None])
    return layer


def test_pytorch_post_nn_conv2d_adds_its_random_default_bias():
    layer = _conv2d_layer(SOBEL, padding=1)
    bias = layer.bias.item()
    assert bias != 0.0  # a random default, not zero: hence the post's 13.0968 etc.
    with torch.no_grad():
        got = layer(torch.from_numpy(SOBEL_INPUT.astype(np.float64))[None, None]).numpy()
    expected = correlate(SOBEL_INPUT[None, None], SOBEL[None, None], padding=1) + bias
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


def test_pytorch_post_nn_conv2d_equals_correlate_with_its_bias():
    eli5_input = np.array(
        [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
    )
    eli5_kernel = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    layer = _conv2d_layer(eli5_kernel)
    with torch.no_grad():
        got = layer(torch.from_numpy(eli5_input.astype(np.float64))[None, None]).numpy()
    bias = layer.bias.detach().numpy()
    np.testing.assert_allclose(
        got, correlate(eli5_input[None, None], eli5_kernel[None, None], bias)
    )
    np.testing.assert_array_equal(
        correlate(eli5_input[None], eli5_kernel[None, None])[0], [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    )


# --------------------------------------------------------------------------
# Bad input: ValueError/TypeError naming the parameter and quoting the value.
# --------------------------------------------------------------------------

X = np.zeros((1, 2, 5, 5))
W = np.zeros((4, 2, 3, 3))
WT = np.zeros((2, 3, 3, 3))  # conv_transpose weight for X: 2 -> 3 channels


def scalar_or_tuple(value, n=2):
    """Regex for ``value`` quoted as given or broadcast to an n-tuple."""
    return f"(?:{re.escape(repr(value))}|{re.escape(repr((value,) * n))})"


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_zero_stride(op):
    with pytest.raises(ValueError, match=quoted("stride must be a positive integer, got 0")):
        op(X, W, stride=0)


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_negative_stride(op):
    with pytest.raises(ValueError, match=quoted("stride must be a positive integer, got -1")):
        op(X, W, stride=-1)


def test_correlate_rejects_zero_stride_in_tuple():
    with pytest.raises(ValueError, match=quoted("stride") + ".*" + quoted("got (1, 0)")):
        correlate(X, W, stride=(1, 0))


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_zero_dilation(op):
    with pytest.raises(ValueError, match=quoted("dilation must be a positive integer, got 0")):
        op(X, W, dilation=0)


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_negative_padding(op):
    with pytest.raises(
        ValueError, match=quoted("padding must be a non-negative integer") + ".*-1"
    ):
        op(X, W, padding=-1)


def test_correlate_rejects_negative_padding_in_tuple():
    with pytest.raises(ValueError, match=quoted("padding") + ".*" + quoted("got (1, -1)")):
        correlate(X, W, padding=(1, -1))


def test_correlate_rejects_padding_tuple_of_wrong_length():
    with pytest.raises(ValueError, match=quoted("tuple of 2 of them, got (1, 1, 1)")):
        correlate(X, W, padding=(1, 1, 1))


def test_correlate_rejects_unknown_padding_word():
    with pytest.raises(ValueError, match=quoted("padding must be") + ".*" + quoted("got 'half'")):
        correlate(X, W, padding="half")


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_kernel_larger_than_padded_input(op):
    with pytest.raises(
        ValueError, match=quoted("kernel_size 8") + ".*" + quoted("padded input 7")
    ):
        op(X, np.zeros((1, 2, 8, 3)), padding=(1, 0))


def test_correlate_rejects_dilated_kernel_larger_than_input():
    with pytest.raises(
        ValueError, match=quoted("kernel_size 3 (effective size 7 with dilation 3)")
    ):
        correlate(X, W, dilation=3)


def test_correlate_rejects_groups_not_dividing_input_channels():
    with pytest.raises(ValueError, match=quoted("groups must divide the 2 input channels, got 3")):
        correlate(X, np.zeros((3, 1, 3, 3)), groups=3)


def test_correlate_rejects_groups_not_dividing_output_channels():
    with pytest.raises(
        ValueError, match=quoted("groups must divide the 3 output channels, got 2")
    ):
        correlate(X, np.zeros((3, 1, 3, 3)), groups=2)


def test_correlate_rejects_zero_groups():
    with pytest.raises(ValueError, match=quoted("groups must be a positive integer, got 0")):
        correlate(X, W, groups=0)


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_mismatched_channels(op):
    with pytest.raises(ValueError, match=quoted("weight expects 2 input channels") + ".*x has 3"):
        op(np.zeros((1, 3, 5, 5)), W)


def test_correlate_rejects_mismatched_channels_per_group():
    with pytest.raises(ValueError, match=quoted("weight expects 8 input channels") + ".*x has 4"):
        correlate(np.zeros((1, 4, 5, 5)), W, groups=4)


@pytest.mark.parametrize("shape", [(), (1, 1, 1, 1, 1, 1)])
def test_correlate_rejects_weight_of_wrong_rank(shape):
    message = (
        quoted("weight must have 1 or 2 dimensions (a plain kernel) or 3, 4 or 5")
        + ".*"
        + quoted(f"got shape {shape}")
    )
    with pytest.raises(ValueError, match=message):
        correlate(X, np.zeros(shape))


def test_correlate_rejects_a_plain_kernel_with_a_batched_input():
    message = quoted("x must have 2 dimensions, a plain image like the plain 2-D weight")
    with pytest.raises(ValueError, match=message + ".*" + quoted(f"got shape {X.shape}")):
        correlate(X, np.zeros((3, 3)))


@pytest.mark.parametrize("shape", [(5, 5), (1, 1, 2, 5, 5)])
def test_correlate_rejects_input_of_wrong_rank(shape):
    message = (
        quoted("x must have 3 (unbatched) or 4 (batched)") + ".*" + quoted(f"got shape {shape}")
    )
    with pytest.raises(ValueError, match=message):
        correlate(np.zeros(shape), W)


def test_correlate_rejects_empty_spatial_axis():
    with pytest.raises(
        ValueError, match=quoted("x must have non-empty") + ".*" + quoted("(1, 2, 0, 5)")
    ):
        correlate(np.zeros((1, 2, 0, 5)), W)


def test_correlate_rejects_empty_kernel_axis():
    with pytest.raises(
        ValueError, match=quoted("weight must not have an empty axis, got shape (4, 2, 0, 3)")
    ):
        correlate(X, np.zeros((4, 2, 0, 3)))


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_same_padding_with_stride(op):
    with pytest.raises(
        ValueError, match=quoted("padding='same'") + ".*stride " + scalar_or_tuple(2)
    ):
        op(X, W, padding="same", stride=2)


@pytest.mark.parametrize("name", ["stride", "dilation", "groups", "padding"])
@pytest.mark.parametrize("value", [2.0, True, None, 1.5])
def test_correlate_rejects_non_integer_option(name, value):
    with pytest.raises(TypeError, match=quoted(name) + ".*" + quoted(f"got {value!r}")):
        correlate(X, W, **{name: value})


@pytest.mark.parametrize("name", ["stride", "dilation", "groups"])
def test_correlate_rejects_string_option(name):
    with pytest.raises(TypeError, match=quoted(name) + ".*" + quoted("got '2'")):
        correlate(X, W, **{name: "2"})


def test_correlate_rejects_numeric_string_padding():
    with pytest.raises(ValueError, match=quoted("padding must be") + ".*" + quoted("got '2'")):
        correlate(X, W, padding="2")


def test_correlate_rejects_float_in_padding_tuple():
    with pytest.raises(ValueError, match=quoted("padding") + ".*" + quoted("got (1, 2.0)")):
        correlate(X, W, padding=(1, 2.0))


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_bool_input(op):
    with pytest.raises(TypeError, match=quoted("x must be a numeric array, got dtype bool")):
        op(X.astype(bool), W)


def test_correlate_rejects_bool_weight():
    with pytest.raises(TypeError, match=quoted("weight must be a numeric array, got dtype bool")):
        correlate(X, W.astype(bool))


def test_correlate_rejects_object_input():
    with pytest.raises(TypeError, match=quoted("x must be a numeric array, got dtype object")):
        correlate(X.astype(object), W)


def test_correlate_rejects_string_input():
    with pytest.raises(TypeError, match=quoted("x must be a numeric array, got dtype <U1")):
        correlate(np.full((1, 2, 5, 5), "a"), W)


def test_correlate_rejects_ragged_input():
    with pytest.raises(TypeError, match=quoted("x must be a numeric array, got [[[1, 2], [3]]]")):
        correlate([[[1, 2], [3]]], W)


def test_correlate_rejects_bias_of_wrong_length():
    with pytest.raises(
        ValueError, match=quoted("bias must have shape (4,)") + ".*" + quoted("got shape (3,)")
    ):
        correlate(X, W, bias=np.zeros(3))


def test_correlate_rejects_bias_of_wrong_rank():
    with pytest.raises(
        ValueError, match=quoted("bias must have shape (4,)") + ".*" + quoted("got shape (4, 1)")
    ):
        correlate(X, W, bias=np.zeros((4, 1)))


def test_correlate_rejects_bool_bias():
    with pytest.raises(TypeError, match=quoted("bias must be a numeric array, got dtype bool")):
        correlate(X, W, bias=np.zeros(4, dtype=bool))


@pytest.mark.parametrize("op", [correlate, convolve])
@pytest.mark.parametrize("mode", ["zero", "constant", "Reflect", None, 0])
def test_correlate_rejects_unknown_padding_mode(op, mode):
    with pytest.raises(
        ValueError, match=quoted("padding_mode must be one of") + ".*" + quoted(f"got {mode!r}")
    ):
        op(X, W, padding_mode=mode)


@pytest.mark.parametrize("op", [correlate, convolve])
def test_correlate_rejects_reflect_padding_not_smaller_than_input(op):
    with pytest.raises(
        ValueError, match=quoted("padding 5 is too large for padding_mode 'reflect'") + ".*size 5"
    ):
        op(X, W, padding=5, padding_mode="reflect")


def test_correlate_rejects_circular_padding_larger_than_input():
    with pytest.raises(
        ValueError, match=quoted("padding 6 is too large for padding_mode 'circular'")
    ):
        correlate(X, W, padding=6, padding_mode="circular")


def test_correlate_accepts_circular_padding_equal_to_input_like_torch():
    expected = torch_correlate(X + 1, W + 1, None, padding=5, padding_mode="circular")
    np.testing.assert_allclose(
        correlate(X + 1, W + 1, padding=5, padding_mode="circular"), expected
    )


# conv_transpose -----------------------------------------------------------


def test_conv_transpose_rejects_zero_stride():
    with pytest.raises(ValueError, match=quoted("stride must be a positive integer, got 0")):
        conv_transpose(X, WT, stride=0)


def test_conv_transpose_rejects_zero_dilation():
    with pytest.raises(ValueError, match=quoted("dilation must be a positive integer, got 0")):
        conv_transpose(X, WT, dilation=0)


def test_conv_transpose_rejects_negative_padding():
    with pytest.raises(ValueError, match=quoted("padding must be a non-negative integer, got -1")):
        conv_transpose(X, WT, padding=-1)


def test_conv_transpose_rejects_negative_output_padding():
    with pytest.raises(
        ValueError, match=quoted("output_padding must be a non-negative integer, got -1")
    ):
        conv_transpose(X, WT, output_padding=-1, stride=2)


def test_conv_transpose_rejects_output_padding_equal_to_stride():
    message = "output_padding must be smaller than either stride or dilation"
    with pytest.raises(ValueError, match=message + ".*got output_padding " + scalar_or_tuple(2)):
        conv_transpose(X, WT, stride=2, output_padding=2)


def test_conv_transpose_rejects_output_padding_with_unit_stride_and_dilation():
    with pytest.raises(
        ValueError,
        match="output_padding must be smaller.*got output_padding " + scalar_or_tuple(1),
    ):
        conv_transpose(X, WT, output_padding=1)


def test_conv_transpose_rejects_output_padding_not_smaller_than_stride_or_dilation():
    with pytest.raises(
        ValueError,
        match="output_padding must be smaller.*got output_padding " + scalar_or_tuple(2),
    ):
        conv_transpose(X, WT, stride=2, dilation=2, output_padding=2)


def test_conv_transpose_accepts_output_padding_below_dilation_like_torch():
    x, w = random_arrays(7, (1, 2, 3, 3), (2, 1, 2, 2))
    ours = conv_transpose(x, w, dilation=2, output_padding=1)
    np.testing.assert_allclose(
        ours, torch_conv_transpose(x, w, None, dilation=2, output_padding=1), atol=TOL
    )


def test_conv_transpose_rejects_groups_not_dividing_input_channels():
    with pytest.raises(ValueError, match=quoted("groups must divide the 2 input channels, got 3")):
        conv_transpose(X, WT, groups=3)


def test_conv_transpose_rejects_zero_groups():
    with pytest.raises(ValueError, match=quoted("groups must be a positive integer, got 0")):
        conv_transpose(X, WT, groups=0)


def test_conv_transpose_rejects_mismatched_channels():
    with pytest.raises(
        ValueError, match=quoted("weight expects 3 input channels (its first axis) but x has 2")
    ):
        conv_transpose(X, np.zeros((3, 3, 3, 3)))


def test_conv_transpose_rejects_weight_of_wrong_rank():
    with pytest.raises(
        ValueError,
        match=quoted("weight must have 1 or 2 dimensions") + ".*" + quoted("(1, 1, 1, 1, 1, 1)"),
    ):
        conv_transpose(X, np.zeros((1,) * 6))
    with pytest.raises(ValueError, match=quoted("x must have 2 dimensions, a plain image")):
        conv_transpose(X, np.zeros((2, 3)))


def test_conv_transpose_rejects_input_of_wrong_rank():
    with pytest.raises(
        ValueError,
        match=quoted("x must have 3 (unbatched) or 4 (batched)") + ".*" + quoted("(5, 5)"),
    ):
        conv_transpose(np.zeros((5, 5)), WT)


def test_conv_transpose_rejects_bias_of_wrong_length():
    # groups=2: weight (2, 3, ...) gives 2 * 3 = 6 output channels.
    with pytest.raises(
        ValueError, match=quoted("bias must have shape (6,)") + ".*" + quoted("got shape (3,)")
    ):
        conv_transpose(X, WT, groups=2, bias=np.zeros(3))


def test_conv_transpose_rejects_padding_that_empties_output():
    with pytest.raises(ValueError, match="padding " + scalar_or_tuple(5) + " is too large"):
        conv_transpose(X, WT, padding=5)


def test_conv_transpose_rejects_padding_word():
    with pytest.raises(TypeError, match=quoted("padding") + ".*" + quoted("got 'same'")):
        conv_transpose(X, WT, padding="same")


@pytest.mark.parametrize("name", ["stride", "padding", "output_padding", "dilation", "groups"])
@pytest.mark.parametrize("value", [2.0, "2", True])
def test_conv_transpose_rejects_non_integer_option(name, value):
    with pytest.raises(TypeError, match=quoted(name) + ".*" + quoted(f"got {value!r}")):
        conv_transpose(X, WT, **{name: value})


def test_conv_transpose_rejects_bool_input():
    with pytest.raises(TypeError, match=quoted("x must be a numeric array, got dtype bool")):
        conv_transpose(X.astype(bool), WT)


def test_conv_transpose_rejects_object_weight():
    with pytest.raises(
        TypeError, match=quoted("weight must be a numeric array, got dtype object")
    ):
        conv_transpose(X, WT.astype(object))


@pytest.mark.parametrize(
    ("options", "quoted"),
    [
        ({"output_padding": 2}, "got output_padding 2 with stride 1 and dilation 1"),
        ({"padding": 3, "stride": (2, 1)}, "padding 3 is too large"),
    ],
)
def test_conv_transpose_errors_quote_the_values_as_passed(options, quoted):
    """The explorer shows these messages word for word: they quote the caller's values."""
    with pytest.raises(ValueError, match=re.escape(quoted)):
        conv_transpose(np.ones((1, 2, 5)), np.ones((1, 1, 2, 2)), **options)
