"""Tests for conv_explained.local: the locally connected layer and untied biases.

The reference is PyTorch in float64, written independently of the package:
``torch.nn.functional.unfold`` cuts the windows (1-D as a 2-D input of
height 1) and ``torch.einsum`` applies one kernel per window; 3-D windows
come from ``Tensor.unfold``. Then the two properties the pages teach: with
every position's kernel equal it is the correlation (and torch's conv), and
unshared weights or an untied bias break the translation equivariance that
a convolution keeps.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

import conv_explained as ce
from conv_explained import locally_connected

from .conftest import TOL

F = torch.nn.functional


def _windows_torch(x, kernel, stride, padding, dilation):
    """(N, C * prod(kernel), prod(out)) windows of x (N, C, *spatial), in unfold's order."""
    d = len(kernel)
    if d <= 2:
        lift = (1,) * (2 - d)
        x4 = x.reshape(*x.shape[:2], *lift, *x.shape[2:])
        return F.unfold(
            x4,
            kernel_size=(*lift, *kernel),
            dilation=(*lift, *dilation),
            padding=(*(0,) * (2 - d), *padding),
            stride=(*lift, *stride),
        )
    xp = F.pad(x, [p for p in reversed(padding) for _ in range(2)])
    for axis, (k, s, dl) in enumerate(zip(kernel, stride, dilation, strict=True)):
        # size d(k-1)+1 windows every s cells, then every dl-th tap of each
        xp = xp.unfold(2 + axis, dl * (k - 1) + 1, s)[..., ::dl]
    n, c = xp.shape[:2]
    out = xp.shape[2 : 2 + d]
    # (N, C, *out, *kernel) -> (N, C, *kernel, *out) -> unfold's (N, C*prod(k), prod(out))
    order = (0, 1, *range(2 + d, 2 + 2 * d), *range(2, 2 + d))
    return xp.permute(order).reshape(n, c * int(np.prod(kernel)), int(np.prod(out)))


def torch_locally_connected(x, weight, bias, *, stride, padding, dilation):
    """The locally connected layer by torch's unfold and einsum, float64, batched x."""
    xt = torch.tensor(x, dtype=torch.float64)
    wt = torch.tensor(weight, dtype=torch.float64)
    d = (wt.ndim - 2) // 2
    out, (c_out, c_in), kernel = wt.shape[:d], wt.shape[d : d + 2], wt.shape[d + 2 :]
    cols = _windows_torch(xt, tuple(kernel), stride, padding, dilation)
    assert cols.shape[-1] == int(np.prod(out))
    w_rows = wt.reshape(int(np.prod(out)), c_out, c_in * int(np.prod(kernel)))
    y = torch.einsum("ncl,lmc->nml", cols, w_rows).reshape(xt.shape[0], c_out, *out)
    if bias is not None:
        bt = torch.tensor(bias, dtype=torch.float64)
        y = y + (bt.reshape(c_out, *(1,) * d) if bt.ndim == 1 else bt)
    return y.numpy()


def out_size(spatial, kernel, stride, padding, dilation):
    """Output size per axis, written out here: floor((i + 2p - d(k-1) - 1) / s) + 1."""
    return tuple(
        (i + 2 * p - dl * (k - 1) - 1) // s + 1
        for i, k, s, p, dl in zip(spatial, kernel, stride, padding, dilation, strict=True)
    )


@st.composite
def local_cases(draw, dims=(1, 2, 3)):
    d = draw(st.sampled_from(dims))
    top = {1: 9, 2: 7, 3: 5}[d]
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(d))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(d))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(d))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(d))
    spatial = tuple(draw(st.integers(1, top)) for _ in range(d))
    out = out_size(spatial, kernel, stride, padding, dilation)
    assume(all(o >= 1 for o in out))
    return {
        "n": draw(st.integers(1, 2)),
        "c_in": draw(st.integers(1, 3)),
        "c_out": draw(st.integers(1, 3)),
        "spatial": spatial,
        "kernel": kernel,
        "out": out,
        "options": {"stride": stride, "padding": padding, "dilation": dilation},
        "bias": draw(st.sampled_from([None, "tied", "untied"])),
        "seed": draw(st.integers(0, 2**16)),
    }


def arrays(case):
    rng = np.random.default_rng(case["seed"])
    x = rng.standard_normal((case["n"], case["c_in"], *case["spatial"]))
    w = rng.standard_normal((*case["out"], case["c_out"], case["c_in"], *case["kernel"]))
    b = {
        None: None,
        "tied": rng.standard_normal(case["c_out"]),
        "untied": rng.standard_normal((case["c_out"], *case["out"])),
    }[case["bias"]]
    return x, w, b


@given(local_cases())
def test_locally_connected_matches_torch_unfold_and_einsum(case):
    x, w, b = arrays(case)
    got = locally_connected(x, w, b, **case["options"])
    expected = torch_locally_connected(x, w, b, **case["options"])
    assert got.shape == expected.shape == (case["n"], case["c_out"], *case["out"])
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


@given(local_cases())
def test_locally_connected_unbatched_input_gives_unbatched_output(case):
    x, w, b = arrays(case)
    got = locally_connected(x[0], w, b, **case["options"])
    # the same numbers; einsum may sum a batch of one in another order (last-bit differences)
    np.testing.assert_allclose(got, locally_connected(x, w, b, **case["options"])[0], atol=TOL)


@given(local_cases(dims=(1, 2)))
def test_locally_connected_plain_signal_or_image_gives_plain_output(case):
    case = {**case, "c_in": 1, "c_out": 1, "bias": None}
    x, w, _ = arrays(case)
    got = locally_connected(x[0, 0], w, **case["options"])
    expected = torch_locally_connected(x, w, None, **case["options"])[0, 0]
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


@given(local_cases())
def test_locally_connected_with_one_kernel_everywhere_is_correlate_and_torch_conv(case):
    rng = np.random.default_rng(case["seed"])
    x = rng.standard_normal((case["n"], case["c_in"], *case["spatial"]))
    kernel = rng.standard_normal((case["c_out"], case["c_in"], *case["kernel"]))
    tied = rng.standard_normal(case["c_out"])
    shared = np.broadcast_to(kernel, (*case["out"], *kernel.shape))
    got = locally_connected(x, shared, tied, **case["options"])
    np.testing.assert_allclose(got, ce.correlate(x, kernel, tied, **case["options"]), atol=TOL)
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[len(case["kernel"])]
    expected = conv(
        torch.tensor(x), torch.tensor(kernel), torch.tensor(tied), **case["options"]
    ).numpy()
    np.testing.assert_allclose(got, expected, rtol=0, atol=TOL)


def test_locally_connected_integer_inputs_are_exact_int64():
    x = np.arange(30).reshape(1, 2, 15) - 7
    w = np.arange(13 * 3 * 2 * 3).reshape(13, 3, 2, 3) % 5 - 2
    b = np.arange(3 * 13).reshape(3, 13)
    got = locally_connected(x, w, b)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(
        got, torch_locally_connected(x, w, b, stride=(1,), padding=(0,), dilation=(1,))
    )


def test_locally_connected_accepts_padding_rules():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, 6, 5))
    w = rng.standard_normal((6, 5, 3, 2, 3, 3))
    same = locally_connected(x, w, padding="same")
    np.testing.assert_array_equal(same, locally_connected(x, w, padding=1))
    full = locally_connected(x, rng.standard_normal((8, 7, 1, 2, 3, 3)), padding="full")
    assert full.shape == (1, 1, 8, 7)


# --------------------------------------------------------------------------
# Translation equivariance: kept by the convolution, lost without shared
# weights or with an untied bias.
# --------------------------------------------------------------------------


def _shifted(x, by):
    """x moved ``by`` cells to the right along its last axis (x's last cells are zero)."""
    assert not np.any(x[..., -by:])
    return np.roll(x, by, axis=-1)


def _equivariant(layer, x, by=1):
    """Whether shifting x by ``by`` cells shifts the layer's output by ``by`` (stride 1)."""
    y, y_moved = layer(x), layer(_shifted(x, by))
    return bool(np.allclose(y_moved[..., by:], y[..., :-by], rtol=0, atol=TOL))


@pytest.fixture
def signal_and_kernel():
    rng = np.random.default_rng(3)
    x = np.zeros((1, 2, 12))
    x[..., 2:8] = rng.standard_normal((1, 2, 6))
    kernel = rng.standard_normal((3, 2, 3))
    return x, kernel


def test_correlation_with_tied_bias_is_translation_equivariant(signal_and_kernel):
    x, kernel = signal_and_kernel
    tied = np.array([0.5, -1.0, 2.0])
    assert _equivariant(lambda v: ce.correlate(v, kernel, tied), x)
    shared = np.broadcast_to(kernel, (10, *kernel.shape))
    assert _equivariant(lambda v: locally_connected(v, shared, tied), x)


def test_untied_bias_breaks_translation_equivariance(signal_and_kernel):
    x, kernel = signal_and_kernel
    shared = np.broadcast_to(kernel, (10, *kernel.shape))
    untied = np.random.default_rng(4).standard_normal((3, 10))
    assert not _equivariant(lambda v: locally_connected(v, shared, untied), x)


def test_unshared_weights_break_translation_equivariance(signal_and_kernel):
    x, kernel = signal_and_kernel
    unshared = np.random.default_rng(5).standard_normal((10, *kernel.shape))
    assert not _equivariant(lambda v: locally_connected(v, unshared), x)


# --------------------------------------------------------------------------
# Bad input: one error style, naming the parameter and quoting the value.
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "w", "kwargs", "error", "message"),
    [
        (
            np.ones((1, 1, 5)),
            np.ones((1, 1, 3)),
            {},
            ValueError,
            (
                "weight must have 4, 6 or 8 dimensions, (*out_size, C_out, C_in, *kernel_size) "
                "with 1-3 spatial axes, got shape (1, 1, 3)"
            ),
        ),
        (
            np.ones((1, 1, 5)),
            np.ones((4, 1, 1, 3)),
            {},
            ValueError,
            (
                "weight must have one kernel per output position, shape (3, 1, 1, 3) for x of "
                "spatial size (5,) with these options, got shape (4, 1, 1, 3)"
            ),
        ),
        (
            np.ones((1, 2, 5)),
            np.ones((3, 1, 1, 3)),
            {},
            ValueError,
            "weight expects 1 input channels but x has 2",
        ),
        (
            np.ones((1, 1, 5)),
            np.ones((3, 2, 1, 3)),
            {"bias": np.ones(3)},
            ValueError,
            (
                "bias must have shape (2,) (tied: one value per output channel) or (2, 3) "
                "(untied: one value per output channel and position), got shape (3,)"
            ),
        ),
        (
            np.ones(5),
            np.ones((3, 2, 1, 3)),
            {},
            ValueError,
            (
                "x must have a channel axis, (C_in, *spatial) or (N, C_in, *spatial), for a weight "
                "with 2 output and 1 input channels, got shape (5,)"
            ),
        ),
        (
            np.ones((1, 1, 5)),
            np.ones((3, 1, 1, 3)),
            {"stride": 0},
            ValueError,
            "stride must be a positive integer, got 0",
        ),
        (
            np.ones((1, 1, 5)),
            np.ones((3, 1, 1, 3)),
            {"dilation": 1.5},
            TypeError,
            "dilation must be a positive integer",
        ),
        (
            np.ones((1, 1, 5)),
            np.ones((3, 1, 1, 3)),
            {"padding": -1},
            ValueError,
            "padding must be a non-negative integer",
        ),
        (
            np.ones((1, 1, 5)),
            np.ones((0, 1, 1, 3)),
            {},
            ValueError,
            "weight must not have an empty axis, got shape (0, 1, 1, 3)",
        ),
        (np.array(["a"] * 5), np.ones((3, 1, 1, 3)), {}, TypeError, "x must"),
    ],
)
def test_locally_connected_rejects_bad_input_naming_the_parameter(x, w, kwargs, error, message):
    bias = kwargs.pop("bias", None)
    with pytest.raises(error, match=re.escape(message)):
        locally_connected(x, w, bias, **kwargs)
