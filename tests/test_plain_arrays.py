"""Plain arrays in, plain arrays out: a signal or image with a plain kernel, and the rank rules.

The plain form (a 1-D or 2-D weight with an ``x`` of as many axes) must give
exactly torch's result for ``x[None, None]`` and ``weight[None, None]`` with
the batch and channel axes squeezed, for every operator that takes a weight
and every option; with no padding it is ``scipy.signal.correlate/convolve``
in mode "valid". PyTorch layouts, and the PyTorch meaning of a 3-D weight,
must not change. Pooling reads the rank from a tuple ``kernel_size`` or
``ndim``, or from ``x`` where its shape has one reading, and refuses in one
line where it has two.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.signal
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import conv_explained as ce
from conv_explained import pooling
from conv_explained._args import PLAIN_RULE, POOL_RANK_RULE
from conv_explained.ops import conv_transpose_uncropped, pad_input, transposed_cell_kinds

from .conftest import (
    TOL,
    F,
    conv_cases,
    conv_transpose_cases,
    seeds,
    tensor,
    torch_conv_transpose,
    torch_correlate,
)

MODES = ["zeros", "reflect", "replicate", "circular"]
MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}
ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}


def squeezed(y: np.ndarray) -> np.ndarray:
    """torch's ``(1, 1, *out)`` result without its batch and channel axes."""
    assert y.shape[:2] == (1, 1)
    return y[0, 0]


def assert_same(ours: np.ndarray, expected: np.ndarray) -> None:
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)


# --------------------------------------------------------------------------
# The rule is stated once and filled into every docstring.
# --------------------------------------------------------------------------


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


@pytest.mark.parametrize(
    "func",
    [
        ce.correlate,
        ce.convolve,
        ce.conv_transpose,
        ce.transposed_as_correlation,
        ce.fft_correlate_nd,
        ce.conv_matrix,
        ce.correlate_grad,
    ],
)
def test_every_operator_with_a_weight_states_the_one_plain_rule(func):
    assert _flat(PLAIN_RULE) in _flat(func.__doc__)


def test_max_pool_states_the_one_rank_rule():
    assert _flat(POOL_RANK_RULE) in _flat(ce.max_pool.__doc__)


def test_readme_states_the_plain_rule():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert _flat(PLAIN_RULE).replace("``", "`") in _flat(readme)


# --------------------------------------------------------------------------
# Correlation and convolution, against torch and scipy.
# --------------------------------------------------------------------------


@st.composite
def plain_conv_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A 1-D or 2-D problem of one channel: shapes, options and a padding_mode."""
    case = draw(conv_cases(dims=(1, 2)))
    mode = draw(st.sampled_from(MODES)) if case.padding != "full" else "zeros"
    return {
        "spatial": case.spatial,
        "kernel": case.kernel,
        "options": {
            "stride": case.stride,
            "padding": case.padding,
            "dilation": case.dilation,
            "padding_mode": mode,
        },
        "bias": case.bias,
    }


def _torch_or_none(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except RuntimeError:
        return None


@settings(max_examples=200, deadline=None)
@given(case=plain_conv_cases(), seed=seeds)
def test_plain_correlate_is_torch_with_batch_and_channel_squeezed(case, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(case["spatial"])
    w = rng.standard_normal(case["kernel"])
    b = float(rng.standard_normal()) if case["bias"] else None
    options = case["options"]
    expected = _torch_or_none(
        torch_correlate,
        x[None, None],
        w[None, None],
        None if b is None else np.array([b]),
        **options,
    )
    if expected is None:  # torch refuses (reflect/circular padding too large)
        with pytest.raises(ValueError, match="padding"):
            ce.correlate(x, w, b, **options)
        return
    assert_same(ce.correlate(x, w, b, **options), squeezed(expected))
    flipped = np.flip(w).copy()
    assert_same(
        ce.convolve(x, w, b, **options),
        squeezed(torch_correlate(x[None, None], flipped[None, None], None, **options))
        + (0.0 if b is None else b),
    )
    if options["padding_mode"] == "zeros":
        assert_same(ce.fft_correlate_nd(x, w, b, **options), squeezed(expected))
    np.testing.assert_array_equal(
        pad_input(x, w, **options), pad_input(x[None], w[None, None], **options)[0]
    )


@settings(max_examples=150, deadline=None)
@given(
    d=st.integers(1, 2),
    sizes=st.lists(st.integers(1, 9), min_size=2, max_size=2),
    kernel=st.lists(st.integers(1, 4), min_size=2, max_size=2),
    seed=seeds,
    integer=st.booleans(),
)
def test_plain_default_is_scipy_valid_and_full_padding_is_scipy_full(
    d, sizes, kernel, seed, integer
):
    rng = np.random.default_rng(seed)
    shape = tuple(max(s, k) for s, k in zip(sizes[:d], kernel[:d], strict=True))
    if integer:
        x = rng.integers(-5, 6, size=shape)
        w = rng.integers(-5, 6, size=tuple(kernel[:d]))
    else:
        x = rng.standard_normal(shape)
        w = rng.standard_normal(tuple(kernel[:d]))
    for ours, mode, reference in [
        (ce.correlate(x, w), "valid", scipy.signal.correlate),
        (ce.convolve(x, w), "valid", scipy.signal.convolve),
        (ce.correlate(x, w, padding="full"), "full", scipy.signal.correlate),
        (ce.convolve(x, w, padding="full"), "full", scipy.signal.convolve),
    ]:
        expected = reference(x, w, mode=mode, method="direct")
        assert ours.shape == expected.shape
        if integer:
            assert ours.dtype == np.int64
            np.testing.assert_array_equal(ours, expected)
        else:
            np.testing.assert_allclose(ours, expected, rtol=0, atol=TOL)
    fft = ce.fft_correlate(x, w, mode="valid")
    np.testing.assert_allclose(fft, ce.correlate(x, w), rtol=0, atol=1e-9)


def test_plain_image_example_of_the_readme():
    image = np.array(
        [[1, 2, 2, 1, 0], [3, 3, 3, 3, 0], [3, 0, 0, 2, 2], [0, 3, 0, 3, 3], [2, 2, 2, 3, 2]]
    )
    kernel = np.arange(9).reshape(3, 3)
    np.testing.assert_array_equal(
        ce.correlate(image, kernel),
        F.conv2d(tensor(image[None, None]), tensor(kernel[None, None]))[0, 0],
    )


def test_plain_bias_may_be_one_number_or_a_one_element_array():
    x, w = np.arange(5.0), np.array([1.0, -1.0])
    np.testing.assert_array_equal(ce.correlate(x, w, 2.5), ce.correlate(x, w, [2.5]))
    np.testing.assert_array_equal(ce.correlate(x, w, 2.5), ce.correlate(x, w) + 2.5)
    with pytest.raises(ValueError, match=r"bias must have shape \(1,\).*or one number"):
        ce.correlate(x, w, [1.0, 2.0])


def test_plain_groups_other_than_one_are_refused():
    with pytest.raises(ValueError, match="groups must divide the 1 input channels, got 2"):
        ce.correlate(np.ones(5), np.ones(2), groups=2)


def test_flip_reverses_every_axis_of_a_plain_kernel():
    w = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(ce.flip(w), w[::-1, ::-1])
    np.testing.assert_array_equal(ce.flip(w[None, None])[0, 0], w[::-1, ::-1])


# --------------------------------------------------------------------------
# Transposed convolution.
# --------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(case=conv_transpose_cases(dims=(1, 2)), seed=seeds)
def test_plain_conv_transpose_is_torch_with_batch_and_channel_squeezed(case, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(case.spatial)
    w = rng.standard_normal(case.kernel)
    b = float(rng.standard_normal()) if case.bias else None
    options = {**case.options(), "groups": 1}
    expected = torch_conv_transpose(
        x[None, None], w[None, None], None if b is None else np.array([b]), **options
    )
    assert_same(ce.conv_transpose(x, w, b, **options), squeezed(expected))
    # The direct view: a plain x_direct and weight_direct, correlated at stride 1.
    xd, wd = ce.transposed_as_correlation(x, w, **options)
    assert xd.ndim == wd.ndim == case.d
    direct = ce.correlate(xd, wd, dilation=options["dilation"])
    assert_same(direct + (0.0 if b is None else b), squeezed(expected))
    xd4, wd4 = ce.transposed_as_correlation(x[None], w[None, None], **options)
    np.testing.assert_array_equal(xd, xd4[0])
    np.testing.assert_array_equal(wd, wd4[0, 0])
    kinds = transposed_cell_kinds(x, w, **options)
    np.testing.assert_array_equal(
        kinds, transposed_cell_kinds(x[None], w[None, None], **options)[0]
    )
    uncropped = conv_transpose_uncropped(x, w, **options)
    np.testing.assert_array_equal(
        uncropped, conv_transpose_uncropped(x[None], w[None, None], **options)[0]
    )


# --------------------------------------------------------------------------
# Matrix views and gradients.
# --------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(case=conv_cases(dims=(1, 2), max_size=6), seed=seeds)
def test_plain_conv_matrix_times_the_signal_is_torch(case, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(case.spatial)
    w = rng.standard_normal(case.kernel)
    options = {"stride": case.stride, "padding": case.padding, "dilation": case.dilation}
    expected = squeezed(torch_correlate(x[None, None], w[None, None], None, **options))
    matrix = ce.conv_matrix(x.shape, w, **options)
    assert matrix.shape == (expected.size, x.size)
    np.testing.assert_allclose(matrix @ x.ravel(), expected.ravel(), rtol=0, atol=TOL)
    np.testing.assert_array_equal(matrix, ce.conv_matrix((1, *x.shape), w[None, None], **options))


@settings(max_examples=100, deadline=None)
@given(case=conv_cases(dims=(1, 2), words=False), seed=seeds)
def test_plain_im2col_is_torch_unfold_of_one_channel(case, seed):
    x = np.random.default_rng(seed).standard_normal(case.spatial)
    options = {"stride": case.stride, "padding": case.padding, "dilation": case.dilation}
    cols = ce.im2col(x, case.kernel, **options)
    if case.d == 2:  # torch's unfold is 2-D only
        expected = F.unfold(tensor(x[None, None]), case.kernel, **options)[0].numpy()
        assert_same(cols, expected)
    np.testing.assert_array_equal(cols, ce.im2col(x[None], case.kernel, **options))


@settings(max_examples=100, deadline=None)
@given(case=conv_cases(dims=(1, 2)), seed=seeds)
def test_plain_correlate_grad_is_torch_autograd_squeezed(case, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(case.spatial)
    w = rng.standard_normal(case.kernel)
    options = {"stride": case.stride, "padding": case.padding, "dilation": case.dilation}
    out = ce.correlate(x, w, **options)
    g = rng.standard_normal(out.shape)
    tx = tensor(x[None, None]).requires_grad_()
    tw = tensor(w[None, None]).requires_grad_()
    tb = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    padding = options["padding"]
    if padding == "full":
        padding = tuple(dl * (k - 1) for k, dl in zip(case.kernel, case.dilations(), strict=True))
    conv = (F.conv1d, F.conv2d)[case.d - 1]
    y = conv(tx, tw, tb, stride=options["stride"], padding=padding, dilation=options["dilation"])
    y.backward(tensor(g[None, None]))
    gx, gw, gb = ce.correlate_grad(x, w, g, **options)
    assert_same(gx, tx.grad.numpy()[0, 0])
    assert_same(gw, tw.grad.numpy()[0, 0])
    assert gb.shape == ()
    np.testing.assert_allclose(gb, tb.grad.numpy()[0], rtol=0, atol=1e-9)


def test_plain_correlate_grad_wants_a_plain_grad_out():
    with pytest.raises(
        ValueError, match=r"grad_out must have the shape of the forward output, \(4,\)"
    ):
        ce.correlate_grad(np.ones(5), np.ones(2), np.ones((1, 4)))


# --------------------------------------------------------------------------
# PyTorch layouts are unchanged; the ambiguous cases are decided, one way.
# --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3, 3, 3), (2, 3, 5), (1, 1, 4)])
def test_a_3d_x_with_a_3d_weight_is_torch_conv1d_of_a_batch_never_a_volume(shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape)
    w = rng.standard_normal((2, shape[1], 2))
    expected = F.conv1d(tensor(x), tensor(w)).numpy()
    assert_same(ce.correlate(x, w), expected)
    assert_same(ce.fft_correlate_nd(x, w), expected)


def test_a_2d_x_with_a_3d_weight_is_torch_conv1d_of_one_sample():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((3, 6)), rng.standard_normal((2, 3, 2))
    assert_same(ce.correlate(x, w), F.conv1d(tensor(x[None]), tensor(w)).numpy()[0])
    wt = rng.standard_normal((3, 2, 2))
    assert_same(
        ce.conv_transpose(x, wt), F.conv_transpose1d(tensor(x[None]), tensor(wt)).numpy()[0]
    )


def test_a_plain_3d_volume_is_refused_with_the_way_to_pass_it():
    x, w = np.ones((5, 5, 5)), np.ones((3, 3, 3))
    with pytest.raises(ValueError, match=r"x\[None\] and weight\[None, None\]") as info:
        ce.correlate(x, w)
    assert "\n" not in str(info.value)
    with pytest.raises(ValueError, match=r"x\[None\] and weight\[None, None\]"):
        ce.conv_transpose(x, w)
    y = ce.correlate(x[None], w[None, None])
    assert y.shape == (1, 3, 3, 3)


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "message"),
    [
        ((1, 5), (3,), r"x must have 1 dimension, a plain signal .* got shape \(1, 5\)"),
        ((5,), (3, 3), r"x must have 2 dimensions, a plain image .* got shape \(5,\)"),
        (
            (1, 5, 5),
            (3, 3),
            r"x must have 2 dimensions, a plain image .*\(C_out, C_in / groups, kH, kW\)",
        ),
        ((5, 5), (), r"weight must have 1 or 2 dimensions \(a plain kernel\) or 3, 4 or 5"),
        ((5, 5), (1,) * 6, r"weight must have 1 or 2 dimensions \(a plain kernel\) or 3, 4 or 5"),
        ((5,), (0,), r"weight must not have an empty axis"),
        ((0,), (1,), r"x must not have an empty axis"),
    ],
)
def test_plain_weight_with_another_rank_of_x_is_refused_in_one_line(x_shape, w_shape, message):
    for op in (ce.correlate, ce.convolve, ce.conv_transpose, ce.fft_correlate_nd):
        with pytest.raises(ValueError, match=message) as info:
            op(np.ones(x_shape), np.ones(w_shape))
        assert "\n" not in str(info.value)


@settings(max_examples=100, deadline=None)
@given(case=conv_cases(), seed=seeds)
def test_torch_layouts_still_give_torch_results(case, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(case.x_shape)
    w = rng.standard_normal(case.w_shape)
    b = rng.standard_normal(case.c_out) if case.bias else None
    xb = x if case.n else x[None]
    expected = torch_correlate(xb, w, b, **case.options())
    if not case.n:
        expected = expected[0]
    assert_same(ce.correlate(x, w, b, **case.options()), expected)


# --------------------------------------------------------------------------
# Pooling: plain arrays, and the refusal where the rank has two readings.
# --------------------------------------------------------------------------


@st.composite
def plain_pool_cases(draw: st.DrawFn) -> dict[str, Any]:
    d = draw(st.integers(1, 3))
    top = {1: 9, 2: 7, 3: 5}[d]
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(d))
    spatial = tuple(draw(st.integers(k, top)) for k in kernel)
    return {
        "spatial": spatial,
        "kernel": kernel,
        "stride": tuple(draw(st.integers(1, 3)) for _ in range(d)),
        "padding": tuple(draw(st.integers(0, k // 2)) for k in kernel),
        "ceil_mode": draw(st.booleans()),
        "seed": draw(seeds),
    }


@settings(max_examples=150, deadline=None)
@given(case=plain_pool_cases(), dilation=st.integers(1, 2), include=st.booleans())
def test_plain_pooling_is_torch_with_batch_and_channel_squeezed(case, dilation, include):
    d = len(case["kernel"])
    x = np.random.default_rng(case["seed"]).standard_normal(case["spatial"])
    t = tensor(x[None, None])
    common = {"stride": case["stride"], "padding": case["padding"], "ceil_mode": case["ceil_mode"]}
    try:
        values, indices = MAX_POOL[d](
            t, case["kernel"], dilation=dilation, return_indices=True, **common
        )
    except RuntimeError:  # the dilated window does not fit: refused by both
        with pytest.raises(ValueError, match="larger than the padded input"):
            ce.max_pool(x, case["kernel"], dilation=dilation, **common)
        return
    ours, ours_idx = ce.max_pool(
        x, case["kernel"], dilation=dilation, return_indices=True, **common
    )
    assert_same(ours, squeezed(values.numpy()))
    chosen = ours_idx >= 0  # -1: a window of padding only (see test_pooling)
    np.testing.assert_array_equal(ours_idx[chosen], squeezed(indices.numpy())[chosen])
    # An int kernel_size with ndim reads the same plain array.
    k = case["kernel"][0]
    if all(v == k for v in case["kernel"]):
        assert_same(ce.max_pool(x, k, dilation=dilation, ndim=d, **common), ours)
    avg = AVG_POOL[d](t, case["kernel"], count_include_pad=include, **common).numpy()
    assert_same(ce.avg_pool(x, case["kernel"], count_include_pad=include, **common), squeezed(avg))
    # Gradients: torch autograd of the same calls.
    if chosen.all():
        tg = t.clone().requires_grad_()
        y = MAX_POOL[d](tg, case["kernel"], dilation=dilation, **common)
        g = np.random.default_rng(1).standard_normal(y.shape[2:])
        y.backward(tensor(g[None, None]))
        assert_same(
            ce.max_pool_grad(x, g, case["kernel"], dilation=dilation, **common),
            squeezed(tg.grad.numpy()),
        )
    tg = t.clone().requires_grad_()
    y = AVG_POOL[d](tg, case["kernel"], count_include_pad=include, **common)
    g = np.random.default_rng(2).standard_normal(y.shape[2:])
    y.backward(tensor(g[None, None]))
    assert_same(
        ce.avg_pool_grad(x, g, case["kernel"], count_include_pad=include, **common),
        squeezed(tg.grad.numpy()),
    )
    padded = pooling.pool_pad_input(x, case["kernel"], dilation=dilation, **common)
    np.testing.assert_array_equal(
        padded, pooling.pool_pad_input(x[None], case["kernel"], dilation=dilation, **common)[0]
    )


@pytest.mark.parametrize("d", [1, 2, 3])
def test_plain_global_pools_are_torch_adaptive_pools_squeezed(d):
    x = np.random.default_rng(d).standard_normal((4, 3, 2)[:d])
    t = tensor(x[None, None])
    assert_same(ce.global_max_pool(x, ndim=d), squeezed(ADAPTIVE_MAX[d](t, 1).numpy()))
    assert_same(ce.global_avg_pool(x, ndim=d), squeezed(ADAPTIVE_AVG[d](t, 1).numpy()))


def test_issue_example_one_channel_image_pools_like_max_pool2d():
    x = np.arange(9.0).reshape(1, 3, 3)
    expected = F.max_pool2d(tensor(x), 2).numpy()
    assert expected.shape == (1, 1, 1)
    assert_same(ce.max_pool(x, (2, 2)), expected)
    assert_same(ce.max_pool(x, 2, ndim=2), expected)
    assert_same(ce.max_pool(x[0], (2, 2)), expected[0])
    assert ce.max_pool(x, 2, ndim=1).shape == (1, 3, 1)  # asked for: a batch of 1-D signals
