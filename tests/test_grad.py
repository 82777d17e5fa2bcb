"""Tests for conv_explained.grad: backpropagation through correlation and pooling."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conv_explained.grad import avg_pool_grad, correlate_grad, max_pool_grad
from conv_explained.ops import conv_transpose, convolve, correlate
from conv_explained.pooling import max_pool
from conv_explained.shapes import conv_output_size, full_padding

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def torch_correlate_grad(x, w, grad_out, stride, padding, dilation, groups):
    """Gradients of F.conv*d (with a zero bias) by torch.autograd."""
    if padding == "full":
        padding = full_padding(w.shape[2:], dilation=dilation)
    tx = torch.from_numpy(x).requires_grad_()
    tw = torch.from_numpy(w).requires_grad_()
    tb = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
    y = CONV[w.ndim - 2](tx, tw, tb, stride, padding, dilation, groups)
    y.backward(torch.from_numpy(grad_out))
    return tx.grad.numpy(), tw.grad.numpy(), tb.grad.numpy()


def forward_shape(x, w, stride, padding, dilation):
    out = conv_output_size(
        x.shape[2:], w.shape[2:], stride=stride, padding=padding, dilation=dilation
    )
    return (x.shape[0], w.shape[0], *out)


@st.composite
def conv_cases(draw):
    d = draw(st.integers(1, 3))
    top = {1: 9, 2: 7, 3: 5}[d]
    groups = draw(st.integers(1, 3))
    c_in = groups * draw(st.integers(1, 2))
    c_out = groups * draw(st.integers(1, 2))
    spatial = tuple(draw(st.lists(st.integers(1, top), min_size=d, max_size=d)))
    kernel = tuple(draw(st.lists(st.integers(1, 3), min_size=d, max_size=d)))
    dilation = tuple(draw(st.lists(st.integers(1, 3), min_size=d, max_size=d)))
    padding = draw(
        st.one_of(
            st.integers(0, 2),
            st.tuples(*[st.integers(0, 2)] * d),
            st.sampled_from(["valid", "same", "full"]),
        )
    )
    if padding == "same":  # torch allows "same" only at stride 1
        stride = (1,) * d
    else:
        stride = tuple(draw(st.lists(st.integers(1, 3), min_size=d, max_size=d)))
    batch = draw(st.integers(1, 2))
    seed = draw(st.integers(0, 2**32 - 1))
    return {
        "x_shape": (batch, c_in, *spatial),
        "w_shape": (c_out, c_in // groups, *kernel),
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
        "seed": seed,
    }


def fits(case):
    """Whether the dilated kernel fits the padded input."""
    try:
        conv_output_size(
            case["x_shape"][2:],
            case["w_shape"][2:],
            stride=case["stride"],
            padding=case["padding"],
            dilation=case["dilation"],
        )
    except ValueError:
        return False
    return True


# --- correlate_grad -----------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(case=conv_cases())
def test_correlate_grad_matches_torch_autograd(case):
    assume(fits(case))
    rng = np.random.default_rng(case["seed"])
    x = rng.standard_normal(case["x_shape"])
    w = rng.standard_normal(case["w_shape"])
    options = {k: case[k] for k in ("stride", "padding", "dilation", "groups")}
    grad_out = rng.standard_normal(
        forward_shape(x, w, case["stride"], case["padding"], case["dilation"])
    )
    ours = correlate_grad(x, w, grad_out, **options)
    expected = torch_correlate_grad(x, w, grad_out, *options.values())
    for got, want in zip(ours, expected, strict=True):
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)


@settings(max_examples=100, deadline=None)
@given(case=conv_cases())
def test_correlate_grad_x_is_the_transposed_convolution_of_grad_out(case):
    # The same numbers by the other road: conv_transpose is the adjoint of correlate.
    assume(fits(case) and not isinstance(case["padding"], str))
    rng = np.random.default_rng(case["seed"])
    x = rng.standard_normal(case["x_shape"])
    w = rng.standard_normal(case["w_shape"])
    options = {k: case[k] for k in ("stride", "padding", "dilation", "groups")}
    out_shape = forward_shape(x, w, case["stride"], case["padding"], case["dilation"])
    grad_out = rng.standard_normal(out_shape)
    grad_x, _, _ = correlate_grad(x, w, grad_out, **options)
    d = x.ndim - 2
    padding = (case["padding"],) * d if isinstance(case["padding"], int) else case["padding"]
    size = tuple(
        s * (o - 1) - 2 * p + dl * (k - 1) + 1
        for s, o, p, dl, k in zip(
            case["stride"], out_shape[2:], padding, case["dilation"], w.shape[2:], strict=False
        )
    )
    extra = tuple(i - z for i, z in zip(x.shape[2:], size, strict=True))
    assume(
        all(
            e < max(s, dl)
            for e, s, dl in zip(extra, case["stride"], case["dilation"], strict=True)
        )
    )
    adjoint = conv_transpose(grad_out, w, output_padding=extra, **options)
    np.testing.assert_allclose(grad_x, adjoint, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("groups", [1, 2])
def test_correlate_grad_integer_input_is_exact(groups):
    rng = np.random.default_rng(3)
    x = rng.integers(-9, 10, size=(2, 4, 6, 5))
    w = rng.integers(-9, 10, size=(4, 4 // groups, 3, 2))
    options = {"stride": (2, 1), "padding": 1, "dilation": (1, 2), "groups": groups}
    grad_out = rng.integers(-9, 10, size=forward_shape(x, w, (2, 1), 1, (1, 2)))
    ours = correlate_grad(x, w, grad_out, **options)
    expected = torch_correlate_grad(
        x.astype(float), w.astype(float), grad_out.astype(float), *options.values()
    )
    for got, want in zip(ours, expected, strict=True):
        assert got.dtype == np.int64
        np.testing.assert_array_equal(got, want.astype(np.int64))


# The 1-D example of "Is it really necessary to flip the kernel in a conv-net":
# L = [a b c d e] correlated with [x y] gives Q = [ax+by, bx+cy, cx+dy, dx+ey].
A_TO_E = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
X, Y = 2.0, 3.0
F_TO_I = np.array([1.0, 10.0, 100.0, 1000.0])  # dE/dQ = [f g h i]


def test_backprop_example_forward_is_ax_plus_by():
    q = correlate(A_TO_E[None], np.array([[[X, Y]]]))[0]
    np.testing.assert_array_equal(q, [1 * 2 + 2 * 3, 2 * 2 + 3 * 3, 3 * 2 + 4 * 3, 4 * 2 + 5 * 3])


def test_backprop_example_input_gradient_is_convolution_with_flipped_filter():
    grad_l, _, _ = correlate_grad(A_TO_E[None], np.array([[[X, Y]]]), F_TO_I[None])
    f, g, h, i = F_TO_I
    # dE/da = f x, dE/db = f y + g x, dE/dc = g y + h x, dE/dd = h y + i x, dE/de = i y
    expected = [f * X, f * Y + g * X, g * Y + h * X, h * Y + i * X, i * Y]
    np.testing.assert_array_equal(grad_l[0], expected)
    np.testing.assert_array_equal(grad_l[0], [2.0, 23.0, 230.0, 2300.0, 3000.0])
    # "the convolution of dE/dQ with [y x]": a full correlation with [y x] ...
    flipped = correlate(F_TO_I[None], np.array([[[Y, X]]]), padding="full")[0]
    np.testing.assert_array_equal(grad_l[0], flipped)
    # ... which is the true convolution with [x y].
    np.testing.assert_array_equal(grad_l[0], np.convolve(F_TO_I, [X, Y]))
    np.testing.assert_array_equal(
        grad_l[0], convolve(F_TO_I[None], np.array([[[X, Y]]]), padding="full")[0]
    )


def test_backprop_example_filter_gradient_is_correlation_with_input():
    _, grad_w, grad_b = correlate_grad(A_TO_E[None], np.array([[[X, Y]]]), F_TO_I[None])
    # dE/dx = fa + gb + hc + id, dE/dy = fb + gc + hd + ie
    np.testing.assert_array_equal(grad_w, [[[4321.0, 5432.0]]])
    np.testing.assert_array_equal(grad_b, [1111.0])


def test_correlate_grad_unbatched_equals_batched_first_item():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 7, 6))
    w = rng.standard_normal((4, 3, 3, 2))
    grad_out = rng.standard_normal((4, 3, 3))
    gx, gw, gb = correlate_grad(x, w, grad_out, stride=2, padding=(0, 0))
    bx, bw, bb = correlate_grad(x[None], w, grad_out[None], stride=2, padding=(0, 0))
    np.testing.assert_array_equal(gx, bx[0])
    np.testing.assert_array_equal(gw, bw)
    np.testing.assert_array_equal(gb, bb)


def test_correlate_grad_cells_no_window_reached_get_zero_gradient():
    # Size 6, kernel 2, stride 4: windows cover cells 0-1 and 4-5 only.
    gx, _, _ = correlate_grad(np.ones((1, 1, 6)), np.ones((1, 1, 2)), np.ones((1, 1, 2)), stride=4)
    np.testing.assert_array_equal(gx, [[[1.0, 1.0, 0.0, 0.0, 1.0, 1.0]]])


# --- max_pool_grad ------------------------------------------------------------------


@st.composite
def pool_cases(draw, *, max_dilation):
    d = draw(st.integers(1, 3))
    top = {1: 9, 2: 7, 3: 5}[d]
    spatial = tuple(draw(st.lists(st.integers(1, top), min_size=d, max_size=d)))
    kernel = tuple(draw(st.lists(st.integers(1, 4), min_size=d, max_size=d)))
    stride = tuple(draw(st.lists(st.integers(1, 3), min_size=d, max_size=d)))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    # Dilations for which the window fits the padded input.
    dilation = tuple(
        draw(st.integers(1, max(1, min(max_dilation, (i + 2 * p - 1) // max(k - 1, 1)))))
        for i, k, p in zip(spatial, kernel, padding, strict=True)
    )
    assume(all(i + 2 * p >= k for i, k, p in zip(spatial, kernel, padding, strict=True)))
    return {
        "shape": (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *spatial),
        "kernel": kernel,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "ceil_mode": draw(st.booleans()),
        "seed": draw(st.integers(0, 2**32 - 1)),
    }


@settings(max_examples=150, deadline=None)
@given(case=pool_cases(max_dilation=3))
def test_max_pool_grad_matches_torch_autograd(case):
    x = np.random.default_rng(case["seed"]).standard_normal(case["shape"])
    options = {k: case[k] for k in ("stride", "padding", "dilation", "ceil_mode")}
    _, indices = max_pool(x, case["kernel"], return_indices=True, **options)
    # A window of padding only sends torch's gradient to a cell outside it
    # (test_max_pool_grad_window_of_padding_only_sends_nothing_back).
    assume((indices >= 0).all())
    tx = torch.from_numpy(x).requires_grad_()
    y = MAX_POOL[x.ndim - 2](tx, case["kernel"], *options.values())
    grad_out = np.random.default_rng(case["seed"] + 1).standard_normal(tuple(y.shape))
    y.backward(torch.from_numpy(grad_out))
    got = max_pool_grad(x, grad_out, case["kernel"], **options)
    np.testing.assert_allclose(got, tx.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_max_pool_grad_is_one_at_the_chosen_cells_and_zero_elsewhere():
    # Hare's slide: max pooling 2x2, stride 2, and its gradient.
    x = np.array([[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]], dtype=float)
    got = max_pool_grad(x[None, None], np.ones((1, 1, 2, 2)), (2, 2), stride=2)
    expected = [[0, 0, 0, 0], [0, 1, 0, 1], [1, 0, 0, 0], [0, 0, 0, 1]]
    np.testing.assert_array_equal(got[0, 0], expected)
    tx = torch.from_numpy(x[None, None]).requires_grad_()
    F.max_pool2d(tx, 2, 2).sum().backward()
    np.testing.assert_array_equal(got, tx.grad.numpy())


def test_max_pool_grad_accumulates_where_windows_share_the_maximum():
    x = np.array([[[1.0, 5.0, 2.0, 0.0]]])
    got = max_pool_grad(x, np.array([[[1.0, 10.0]]]), (3,), stride=1)
    np.testing.assert_array_equal(got, [[[0.0, 11.0, 0.0, 0.0]]])
    tx = torch.from_numpy(x).requires_grad_()
    F.max_pool1d(tx, 3, 1).backward(torch.tensor([[[1.0, 10.0]]], dtype=torch.float64))
    np.testing.assert_array_equal(got, tx.grad.numpy())


def test_max_pool_grad_of_a_tie_goes_to_the_first_maximum():
    x = np.array([[[[4.0, 4.0], [4.0, 4.0]]]])
    got = max_pool_grad(x, np.ones((1, 1, 1, 1)), (2, 2))
    np.testing.assert_array_equal(got, [[[[1.0, 0.0], [0.0, 0.0]]]])


def test_max_pool_grad_window_of_padding_only_sends_nothing_back():
    # Taps at (., -1) and (., 1) of a width-1 input: only padding. torch sends
    # the gradient of that -inf output to flat cells 1 and 2, outside the window.
    x = np.array([[[[1.0], [2.0], [3.0]]]])
    options = {"stride": 1, "padding": (0, 1), "dilation": (1, 2), "ceil_mode": True}
    got = max_pool_grad(x, np.ones((1, 1, 2, 1)), (2, 2), **options)
    np.testing.assert_array_equal(got, np.zeros_like(x))
    tx = torch.from_numpy(x).requires_grad_()
    F.max_pool2d(tx, (2, 2), 1, (0, 1), (1, 2), True).sum().backward()
    np.testing.assert_array_equal(tx.grad.numpy(), [[[[0.0], [1.0], [1.0]]]])


def test_max_pool_grad_integer_input_and_gradient_stay_integer():
    got = max_pool_grad(np.array([[[3, 1, 4, 1]]]), np.array([[[2, 5]]]), (2,))
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, [[[2, 0, 5, 0]]])


def test_max_pool_grad_unbatched_input_gives_unbatched_gradient():
    x = np.arange(8.0).reshape(2, 4)
    got = max_pool_grad(x, np.ones((2, 2)), (2,))
    np.testing.assert_array_equal(got, [[0, 1, 0, 1], [0, 1, 0, 1]])


# --- avg_pool_grad ------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    case=pool_cases(max_dilation=1),
    count_include_pad=st.booleans(),
    divisor_override=st.one_of(st.none(), st.integers(-3, 5).filter(bool)),
)
def test_avg_pool_grad_matches_torch_autograd(case, count_include_pad, divisor_override):
    kernel = case["kernel"]
    d = len(kernel)
    # torch's avg_pool3d alone refuses an input smaller than the window.
    assume(not (d == 3 and any(i < k for i, k in zip(case["shape"][2:], kernel, strict=True))))
    x = np.random.default_rng(case["seed"]).standard_normal(case["shape"])
    tx = torch.from_numpy(x).requires_grad_()
    stride, padding = case["stride"], case["padding"]
    if d == 1:  # avg_pool1d has no divisor_override: pool a (1, L) image
        y = F.avg_pool2d(
            tx[..., None, :],
            (1, *kernel),
            (1, *stride),
            (0, *padding),
            case["ceil_mode"],
            count_include_pad,
            divisor_override,
        )[..., 0, :]
    else:
        y = AVG_POOL[d](
            tx, kernel, stride, padding, case["ceil_mode"], count_include_pad, divisor_override
        )
    grad_out = np.random.default_rng(case["seed"] + 1).standard_normal(tuple(y.shape))
    y.backward(torch.from_numpy(grad_out))
    got = avg_pool_grad(
        x,
        grad_out,
        kernel,
        stride=stride,
        padding=padding,
        ceil_mode=case["ceil_mode"],
        count_include_pad=count_include_pad,
        divisor_override=divisor_override,
    )
    np.testing.assert_allclose(got, tx.grad.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    ("count_include_pad", "expected"),
    [
        # windows [-1, 2), [1, 4), [3, 6): cell 4 is padding, cell 5 the overhang
        (True, [[[1 / 3, 1 / 3 + 1 / 3, 1 / 3, 1 / 3 + 1 / 2]]]),
        (False, [[[1 / 2, 1 / 2 + 1 / 3, 1 / 3, 1 / 3 + 1 / 1]]]),
    ],
)
def test_avg_pool_grad_shares_each_gradient_by_the_forward_divisor(count_include_pad, expected):
    got = avg_pool_grad(
        np.zeros((1, 1, 4)),
        np.ones((1, 1, 3)),
        (3,),
        stride=2,
        padding=1,
        ceil_mode=True,
        count_include_pad=count_include_pad,
    )
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_avg_pool_grad_of_integer_gradient_is_float64():
    got = avg_pool_grad(np.zeros((1, 1, 4), int), np.array([[[2, 4]]]), (2,))
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, [[[1.0, 1.0, 2.0, 2.0]]])


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grad_shape", "message"),
    [
        ((1, 1, 3, 3), r"grad_out must have the shape of the forward output, \(1, 1, 2, 2\), "),
        ((1, 2, 2), r"got shape \(1, 2, 2\)"),
    ],
)
def test_correlate_grad_rejects_grad_out_of_wrong_shape(grad_shape, message):
    with pytest.raises(ValueError, match=message):
        correlate_grad(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 2, 2)), np.zeros(grad_shape))


@pytest.mark.parametrize(
    ("function", "arguments"),
    [
        (max_pool_grad, {}),
        (avg_pool_grad, {}),
    ],
)
def test_pool_grad_rejects_grad_out_of_wrong_shape(function, arguments):
    with pytest.raises(
        ValueError, match=r"grad_out must have .* \(1, 1, 2, 2\), got shape \(1, 1, 4, 4\)"
    ):
        function(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 4, 4)), (2, 2), **arguments)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"stride": 0}, ValueError, "stride must be a positive integer, got 0"),
        ({"dilation": 0}, ValueError, "dilation must be a positive integer, got 0"),
        ({"padding": -1}, ValueError, "padding must be a non-negative integer, got -1"),
        ({"padding": "half"}, ValueError, "padding must be an int, .* got 'half'"),
        ({"padding": "same", "stride": 2}, ValueError, "padding='same' is not supported"),
        ({"groups": 0}, ValueError, "groups must be a positive integer, got 0"),
        ({"groups": 3}, ValueError, "groups must divide the 2 input channels, got 3"),
        ({"stride": 1.5}, TypeError, r"stride must be a positive integer .*got 1\.5"),
    ],
)
def test_correlate_grad_rejects_bad_option_naming_it(options, error, message):
    x, w, g = np.zeros((1, 2, 4, 4)), np.zeros((2, 2, 2, 2)), np.zeros((1, 2, 3, 3))
    with pytest.raises(error, match=message):
        correlate_grad(x, w, g, **options)


@pytest.mark.parametrize(
    ("x", "w", "message"),
    [
        (np.zeros((1, 2, 4, 4), dtype=bool), np.zeros((1, 2, 2, 2)), "x must be a numeric"),
        (np.zeros((1, 2, 4, 4)), np.zeros((1, 2, 2, 2), dtype=bool), "weight must be a numeric"),
        (np.zeros((2, 4, 4, 4, 4)), np.zeros((1, 2, 2, 2)), r"x must have 3 \(unbatched\) or 4"),
        (np.zeros((1, 3, 4, 4)), np.zeros((1, 2, 2, 2)), "weight expects 2 input channels"),
        (np.zeros((1, 2, 4, 4)), np.zeros((2, 2)), "x must have 2 dimensions, a plain image"),
        (
            np.zeros((1, 2, 4, 4)),
            np.zeros(()),
            r"weight must have 1 or 2 dimensions \(a plain kernel\)",
        ),
    ],
)
def test_correlate_grad_rejects_bad_arrays(x, w, message):
    with pytest.raises((TypeError, ValueError), match=message):
        correlate_grad(x, w, np.zeros((1, 1, 3, 3)))


def test_correlate_grad_rejects_bool_grad_out():
    with pytest.raises(TypeError, match="grad_out must be a numeric array, got dtype bool"):
        correlate_grad(np.zeros((1, 1, 3)), np.zeros((1, 1, 2)), np.zeros((1, 1, 2), bool))


@pytest.mark.parametrize("function", [max_pool_grad, avg_pool_grad])
@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"kernel_size": 0}, ValueError, "kernel_size must be a positive integer, got 0"),
        ({"stride": 0}, ValueError, "stride must be a positive integer, got 0"),
        ({"padding": -1}, ValueError, "padding must be a non-negative integer, got -1"),
        ({"padding": 2}, ValueError, "padding must be at most half of kernel_size"),
        ({"kernel_size": 2.0}, TypeError, r"kernel_size must be a positive integer .*got 2\.0"),
    ],
)
def test_pool_grad_rejects_bad_option_naming_it(function, options, error, message):
    arguments = {"kernel_size": 2, "ndim": 2, **options}
    with pytest.raises(error, match=message):
        function(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 2, 2)), **arguments)


@pytest.mark.parametrize("function", [max_pool_grad, avg_pool_grad])
def test_pool_grad_rejects_bool_input(function):
    with pytest.raises(TypeError, match="x must be a numeric array, got dtype bool"):
        function(np.zeros((1, 1, 4), bool), np.zeros((1, 1, 2)), (2,))


@pytest.mark.parametrize("function", [max_pool_grad, avg_pool_grad])
def test_pool_grad_rejects_wrong_rank(function):
    with pytest.raises(ValueError, match=r"x.shape \(4, 4\) could be \(C, L\) for 1-D pooling"):
        function(np.zeros((4, 4)), np.zeros((2, 2)), 2)
    with pytest.raises(ValueError, match=r"x must have 1 to 5 dimensions for pooling"):
        function(np.zeros((1,) * 6), np.zeros((2, 2)), 2)


def test_gradients_of_an_empty_batch_are_empty_or_zero():
    gx, gw, gb = correlate_grad(
        np.zeros((0, 2, 4, 4)), np.ones((2, 1, 2, 2)), np.zeros((0, 2, 3, 3)), groups=2
    )
    assert gx.shape == (0, 2, 4, 4)
    np.testing.assert_array_equal(gw, np.zeros((2, 1, 2, 2)))
    np.testing.assert_array_equal(gb, [0.0, 0.0])
    assert max_pool_grad(np.zeros((0, 2, 4, 4)), np.zeros((0, 2, 2, 2)), 2, ndim=2).shape == (
        0,
        2,
        4,
        4,
    )
    assert avg_pool_grad(np.zeros((0, 2, 4, 4)), np.zeros((0, 2, 2, 2)), 2, ndim=2).shape == (
        0,
        2,
        4,
        4,
    )
