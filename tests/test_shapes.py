"""Tests for conv_explained.shapes: the size arithmetic.

The tables follow V. Dumoulin and F. Visin, *A guide to convolution arithmetic
for deep learning*, arXiv:1603.07285, relationship by relationship; each
expected value is the paper's own formula evaluated in the test, not a call to
the code under test. The properties compare with the shapes PyTorch produces.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from conv_explained.shapes import (
    conv_output_size,
    conv_transpose_output_padding,
    conv_transpose_output_size,
    full_padding,
    pool_output_size,
    receptive_field,
    resolve_padding,
    same_padding,
)

from .conftest import F

META = {"device": "meta", "dtype": torch.float64}


def quoted(text: str) -> str:
    """Regex matching ``text`` literally (for pytest.raises(match=...))."""
    return re.escape(text)


# --------------------------------------------------------------------------
# Dumoulin & Visin, section 2: convolution arithmetic (relationships 1-6, 15).
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("i", "k"), [(4, 3), (5, 3), (7, 1), (6, 6), (9, 4)])
def test_relationship_1_no_padding_unit_strides(i, k):
    assert conv_output_size(i, k) == (i - k) + 1


@pytest.mark.parametrize(("i", "k", "p"), [(5, 4, 2), (5, 3, 1), (4, 3, 0), (3, 5, 1), (6, 2, 3)])
def test_relationship_2_zero_padding_unit_strides(i, k, p):
    assert conv_output_size(i, k, padding=p) == (i - k) + 2 * p + 1


@pytest.mark.parametrize(("i", "k"), [(5, 3), (5, 1), (8, 5), (2, 7)])
def test_relationship_3_half_padding_keeps_size(i, k):
    assert conv_output_size(i, k, padding=k // 2) == i


@pytest.mark.parametrize(("i", "k"), [(5, 3), (5, 1), (8, 4), (2, 7)])
def test_relationship_3_same_padding_keeps_size_for_any_kernel(i, k):
    assert conv_output_size(i, k, padding="same") == i


@pytest.mark.parametrize(("i", "k"), [(5, 3), (5, 1), (8, 4), (2, 7)])
def test_relationship_4_full_padding(i, k):
    assert conv_output_size(i, k, padding=k - 1) == i + (k - 1)
    assert conv_output_size(i, k, padding="full") == i + (k - 1)


@pytest.mark.parametrize(("i", "k", "s"), [(5, 3, 2), (6, 3, 2), (7, 2, 3), (10, 4, 4), (3, 3, 5)])
def test_relationship_5_no_padding_non_unit_strides(i, k, s):
    assert conv_output_size(i, k, stride=s) == (i - k) // s + 1


@pytest.mark.parametrize(
    ("i", "k", "s", "p"), [(5, 3, 2, 1), (6, 3, 2, 1), (7, 4, 3, 2), (1, 3, 2, 1), (10, 5, 3, 0)]
)
def test_relationship_6_zero_padding_non_unit_strides(i, k, s, p):
    assert conv_output_size(i, k, stride=s, padding=p) == (i + 2 * p - k) // s + 1


@pytest.mark.parametrize(
    ("i", "k", "s", "p", "d"), [(7, 3, 1, 0, 2), (9, 3, 2, 1, 3), (5, 2, 1, 2, 4), (8, 4, 3, 0, 2)]
)
def test_relationship_15_dilated_convolution(i, k, s, p, d):
    expected = (i + 2 * p - k - (k - 1) * (d - 1)) // s + 1
    assert conv_output_size(i, k, stride=s, padding=p, dilation=d) == expected


# The animations of github.com/vdumoulin/conv_arithmetic: (i, k, s, p, d) -> o.
CONV_ARITHMETIC = {
    "no_padding_no_strides": ((4, 3, 1, 0, 1), 2),
    "arbitrary_padding_no_strides": ((5, 4, 1, 2, 1), 6),
    "same_padding_no_strides": ((5, 3, 1, 1, 1), 5),
    "full_padding_no_strides": ((5, 3, 1, 2, 1), 7),
    "no_padding_strides": ((5, 3, 2, 0, 1), 2),
    "padding_strides": ((5, 3, 2, 1, 1), 3),
    "padding_strides_odd": ((6, 3, 2, 1, 1), 3),
    "dilation": ((7, 3, 1, 0, 2), 3),
}


@pytest.mark.parametrize(("args", "o"), CONV_ARITHMETIC.values(), ids=CONV_ARITHMETIC.keys())
def test_conv_arithmetic_animation_sizes(args, o):
    i, k, s, p, d = args
    assert conv_output_size(i, k, stride=s, padding=p, dilation=d) == o


@pytest.mark.parametrize(("args", "o"), CONV_ARITHMETIC.values(), ids=CONV_ARITHMETIC.keys())
def test_conv_arithmetic_transposed_animation_maps_back(args, o):
    i, k, s, p, d = args
    a = (i + 2 * p - d * (k - 1) - 1) % s  # relationship 14's a
    assert conv_transpose_output_size(o, k, stride=s, padding=p, dilation=d, output_padding=a) == i


def test_padding_strides_odd_transposed_needs_output_padding_one():
    assert conv_transpose_output_size(3, 3, stride=2, padding=1) == 5
    assert conv_transpose_output_size(3, 3, stride=2, padding=1, output_padding=1) == 6


# --------------------------------------------------------------------------
# Section 3: pooling arithmetic (relationship 7).
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("i", "k", "s"), [(4, 2, 2), (5, 2, 2), (5, 3, 1), (7, 3, 2), (9, 3, 3)])
def test_relationship_7_pooling(i, k, s):
    assert pool_output_size(i, k, stride=s) == (i - k) // s + 1


@pytest.mark.parametrize(("i", "k"), [(4, 2), (5, 2), (9, 3), (10, 3)])
def test_pool_output_size_stride_defaults_to_kernel_size(i, k):
    assert pool_output_size(i, k) == pool_output_size(i, k, stride=k)


# --------------------------------------------------------------------------
# Section 4: transposed convolution arithmetic (relationships 8-14).
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("i_t", "k"), [(2, 3), (3, 3), (1, 4), (5, 1)])
def test_relationship_8_transpose_no_padding_unit_strides(i_t, k):
    assert conv_transpose_output_size(i_t, k) == i_t + (k - 1)


@pytest.mark.parametrize(("i_t", "k", "p"), [(6, 4, 2), (4, 3, 1), (5, 5, 1)])
def test_relationship_9_transpose_zero_padding_unit_strides(i_t, k, p):
    assert conv_transpose_output_size(i_t, k, padding=p) == i_t + (k - 1) - 2 * p


@pytest.mark.parametrize(("i_t", "k"), [(5, 3), (4, 5), (2, 1)])
def test_relationship_10_transpose_half_padding(i_t, k):
    assert conv_transpose_output_size(i_t, k, padding=k // 2) == i_t


@pytest.mark.parametrize(("i_t", "k"), [(7, 3), (8, 4), (5, 1)])
def test_relationship_11_transpose_full_padding(i_t, k):
    assert conv_transpose_output_size(i_t, k, padding=k - 1) == i_t - (k - 1)


@pytest.mark.parametrize(("i_t", "k", "s"), [(2, 3, 2), (3, 2, 2), (4, 3, 3)])
def test_relationship_12_transpose_no_padding_strides(i_t, k, s):
    assert conv_transpose_output_size(i_t, k, stride=s) == s * (i_t - 1) + k


@pytest.mark.parametrize(("i_t", "k", "s", "p"), [(3, 3, 2, 1), (4, 4, 2, 1), (2, 5, 3, 2)])
def test_relationship_13_transpose_padding_strides(i_t, k, s, p):
    assert conv_transpose_output_size(i_t, k, stride=s, padding=p) == s * (i_t - 1) + k - 2 * p


@pytest.mark.parametrize(("i", "k", "s", "p"), [(6, 3, 2, 1), (7, 3, 3, 0), (8, 3, 3, 0)])
def test_relationship_14_transpose_odd_strides_output_padding(i, k, s, p):
    o = conv_output_size(i, k, stride=s, padding=p)
    a = (i + 2 * p - k) % s
    assert a > 0
    expected = s * (o - 1) + a + k - 2 * p
    assert expected == i
    assert conv_transpose_output_size(o, k, stride=s, padding=p, output_padding=a) == expected


# --------------------------------------------------------------------------
# Tuples, padding words, receptive fields.
# --------------------------------------------------------------------------


def test_conv_output_size_tuple_arguments_give_one_size_per_axis():
    assert conv_output_size((5, 6), (3, 2), stride=(2, 1), padding=(1, 0)) == (3, 5)


def test_conv_output_size_scalar_options_broadcast_over_tuple_sizes():
    assert conv_output_size((5, 7, 9), 3, stride=2) == (2, 3, 4)


def test_resolve_padding_valid_is_zero():
    assert resolve_padding("valid", (3, 4)) == ((0, 0), (0, 0))


def test_resolve_padding_is_case_insensitive():
    assert resolve_padding("SAME", 3) == ((1, 1),)


def test_full_padding_is_dilated_kernel_minus_one():
    assert full_padding(4, dilation=3) == 9


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ([(3, 1)], [(3, 1)]),
        ([(3, 1), (3, 1), (3, 1)], [(3, 1), (5, 1), (7, 1)]),
        # AlexNet-like: 11x11/4 conv, 3x3/2 pool, 5x5/1 conv.
        ([(11, 4), (3, 2), (5, 1)], [(11, 4), (19, 8), (51, 8)]),
        # Dilated stack with dilations 1, 2, 4 (WaveNet / context module).
        ([(3, 1, 1), (3, 1, 2), (3, 1, 4)], [(3, 1), (7, 1), (15, 1)]),
        ([(2, 2), (2, 2), (2, 2)], [(2, 2), (4, 4), (8, 8)]),
    ],
)
def test_receptive_field_examples(layers, expected):
    assert receptive_field(layers) == expected


def _receptive_field_by_gradient(layers: list[tuple[int, int, int]], size: int) -> tuple[int, int]:
    """Receptive field and jump from autograd: which input cells reach an output."""
    x = torch.zeros(1, 1, size, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s, d in layers:
        y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), stride=s, dilation=d)
    extents = []
    for index in (0, 1):
        (grad,) = torch.autograd.grad(y[0, 0, index], x, retain_graph=True)
        support = np.flatnonzero(grad[0, 0].numpy())
        extents.append((support[0], support[-1]))
    (first, last), (next_first, _) = extents
    return int(last - first + 1), int(next_first - first)


@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=4
    )
)
def test_receptive_field_matches_autograd_support(layers):
    r, j = receptive_field(layers)[-1]
    # Enough input for two outputs of the last layer: r + j cells.
    assert _receptive_field_by_gradient(layers, r + j) == (r, j)


# --------------------------------------------------------------------------
# Properties against PyTorch's shapes.
# --------------------------------------------------------------------------

dims = st.integers(1, 3)


def _axes(draw, d, values):
    return tuple(draw(values) for _ in range(d))


@st.composite
def conv_shape_cases(draw):
    d = draw(dims)
    i = _axes(draw, d, st.integers(1, 20))
    k = _axes(draw, d, st.integers(1, 6))
    s = _axes(draw, d, st.integers(1, 4))
    dl = _axes(draw, d, st.integers(1, 3))
    padding = draw(
        st.one_of(
            st.sampled_from(["valid", "same", "full"]),
            st.integers(0, 4),
            st.tuples(*[st.integers(0, 4)] * d),
        )
    )
    if padding == "same":
        s = (1,) * d
    return d, i, k, s, padding, dl


@given(conv_shape_cases())
def test_conv_output_size_equals_torch_output_shape(case):
    d, i, k, s, padding, dl = case
    torch_padding = (
        tuple(x * (y - 1) for x, y in zip(dl, k, strict=True)) if padding == "full" else padding
    )
    conv = (F.conv1d, F.conv2d, F.conv3d)[d - 1]
    try:
        shape = conv(
            torch.empty(1, 1, *i, **META),
            torch.empty(1, 1, *k, **META),
            stride=s,
            padding=torch_padding,
            dilation=dl,
        ).shape
    except RuntimeError:
        with pytest.raises(ValueError, match="kernel_size"):
            conv_output_size(i, k, stride=s, padding=padding, dilation=dl)
        return
    assert conv_output_size(i, k, stride=s, padding=padding, dilation=dl) == tuple(shape[2:])


@given(
    st.integers(1, 20),
    st.integers(1, 6),
    st.integers(1, 4),
    st.integers(0, 4),
    st.integers(1, 3),
    st.integers(0, 3),
)
def test_conv_transpose_output_size_equals_torch_output_shape(i, k, s, p, dl, a):
    try:  # on the CPU: the meta kernels skip the output_padding check
        shape = F.conv_transpose1d(
            torch.zeros(1, 1, i),
            torch.zeros(1, 1, k),
            stride=s,
            padding=p,
            output_padding=a,
            dilation=dl,
        ).shape
    except RuntimeError:
        with pytest.raises(ValueError, match=r"output_padding|padding"):
            conv_transpose_output_size(i, k, stride=s, padding=p, output_padding=a, dilation=dl)
        return
    got = conv_transpose_output_size(i, k, stride=s, padding=p, output_padding=a, dilation=dl)
    assert got == shape[-1]


@st.composite
def conv_transpose_shape_cases(draw):
    """2-D/3-D cases that torch accepts: output_padding < stride or dilation."""
    d = draw(st.integers(2, 3))
    i = _axes(draw, d, st.integers(1, 12))
    k = _axes(draw, d, st.integers(1, 5))
    s = _axes(draw, d, st.integers(1, 4))
    dl = _axes(draw, d, st.integers(1, 3))
    a = tuple(draw(st.integers(0, max(ss, dd) - 1)) for ss, dd in zip(s, dl, strict=True))
    # Largest padding that leaves an output of size >= 1 on each axis.
    largest = [
        (ss * (ii - 1) + dd * (kk - 1) + aa) // 2
        for ii, kk, ss, dd, aa in zip(i, k, s, dl, a, strict=True)
    ]
    p = tuple(draw(st.integers(0, most)) for most in largest)
    return d, i, k, s, p, dl, a


@given(conv_transpose_shape_cases())
def test_conv_transpose_output_size_equals_torch_output_shape_nd(case):
    d, i, k, s, p, dl, a = case
    conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[d - 1]
    shape = conv(
        torch.empty(1, 1, *i, **META),
        torch.empty(1, 1, *k, **META),
        stride=s,
        padding=p,
        output_padding=a,
        dilation=dl,
    ).shape
    got = conv_transpose_output_size(i, k, stride=s, padding=p, output_padding=a, dilation=dl)
    assert got == tuple(shape[2:])


@st.composite
def pool_shape_cases(draw):
    d = draw(st.integers(1, 3))
    i = _axes(draw, d, st.integers(1, 15))
    k = _axes(draw, d, st.integers(1, 5))
    s = draw(st.one_of(st.none(), st.tuples(*[st.integers(1, 4)] * d)))
    p = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    dl = _axes(draw, d, st.integers(1, 3))
    return d, i, k, s, p, dl, draw(st.booleans())


@given(pool_shape_cases())
def test_pool_output_size_equals_torch_max_pool_output_shape(case):
    d, i, k, s, p, dl, ceil_mode = case
    pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[d - 1]
    options = {"stride": s, "padding": p, "dilation": dl, "ceil_mode": ceil_mode}
    try:
        shape = pool(torch.zeros(1, 1, *i), k, **options).shape
    except RuntimeError:
        with pytest.raises(ValueError, match="kernel_size"):
            pool_output_size(i, k, **options)
        return
    assert pool_output_size(i, k, **options) == tuple(shape[2:])


@given(pool_shape_cases())
def test_pool_output_size_equals_torch_avg_pool_output_shape(case):
    d, i, k, s, p, _, ceil_mode = case
    pool = (F.avg_pool1d, F.avg_pool2d, F.avg_pool3d)[d - 1]
    options = {"stride": s, "padding": p, "ceil_mode": ceil_mode}
    try:
        shape = pool(torch.zeros(1, 1, *i), k, **options).shape
    except RuntimeError as error:
        if "smaller than kernel size" in str(error):
            # avg_pool3d alone also demands input >= kernel before padding;
            # avg_pool1d/2d and max_pool do not, and neither do we.
            return
        with pytest.raises(ValueError, match="kernel_size"):
            pool_output_size(i, k, **options)
        return
    assert pool_output_size(i, k, **options) == tuple(shape[2:])


@pytest.mark.parametrize(
    ("i", "k", "s", "p"), [(1, 2, None, 0), (3, 4, 2, 0), (1, 4, 3, 1), (2, 5, 2, 1)]
)
def test_pool_output_size_counts_ceil_mode_window_hanging_off_the_end(i, k, s, p):
    torch_size = F.max_pool1d(torch.zeros(1, 1, i), k, stride=s, padding=p, ceil_mode=True)
    assert pool_output_size(i, k, stride=s, padding=p, ceil_mode=True) == torch_size.shape[-1]


@given(pool_shape_cases())
def test_pool_output_size_refuses_padding_above_half_kernel_like_torch(case):
    d, i, k, s, _, dl, ceil_mode = case
    p = tuple(kk // 2 + 1 for kk in k)
    pool = (F.max_pool1d, F.max_pool2d, F.max_pool3d)[d - 1]
    options = {"stride": s, "padding": p, "dilation": dl, "ceil_mode": ceil_mode}
    with pytest.raises(RuntimeError, match="pad"):
        pool(torch.zeros(1, 1, *i), k, **options)
    with pytest.raises(ValueError, match="padding must be at most half of kernel_size"):
        pool_output_size(i, k, **options)


@given(
    st.integers(1, 30),
    st.integers(1, 6),
    st.integers(1, 4),
    st.integers(0, 3),
    st.integers(1, 3),
)
def test_conv_transpose_output_size_inverts_conv_output_size(i, k, s, p, dl):
    effective = dl * (k - 1) + 1
    if effective > i + 2 * p:
        return  # no convolution to invert
    o = conv_output_size(i, k, stride=s, padding=p, dilation=dl)
    a = (i + 2 * p - effective) % s
    assert (
        conv_transpose_output_size(o, k, stride=s, padding=p, dilation=dl, output_padding=a) == i
    )


@given(
    st.integers(1, 30),
    st.integers(1, 6),
    st.integers(1, 4),
    st.integers(0, 3),
    st.integers(1, 3),
)
def test_conv_transpose_output_padding_finds_the_inverse(i, k, s, p, dl):
    if dl * (k - 1) + 1 > i + 2 * p:
        return
    o = conv_output_size(i, k, stride=s, padding=p, dilation=dl)
    a = conv_transpose_output_padding(i, o, k, stride=s, padding=p, dilation=dl)
    assert 0 <= a < s or a < dl
    assert (
        conv_transpose_output_size(o, k, stride=s, padding=p, dilation=dl, output_padding=a) == i
    )


@given(
    st.integers(1, 3), st.integers(1, 8), st.integers(1, 8), st.integers(1, 3), st.integers(0, 99)
)
def test_same_padding_matches_torch_split(d, k, extra, dl, seed):
    # Torch's "same" output equals explicit (before, after) zero padding + valid conv.
    i = max(1, dl * (k - 1) + 1 - extra)
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.standard_normal((1, 1, *(i,) * d)))
    w = torch.from_numpy(rng.standard_normal((1, 1, *(k,) * d)))
    conv = (F.conv1d, F.conv2d, F.conv3d)[d - 1]
    before, after = same_padding(k, dilation=dl)
    expected = conv(F.pad(x, (before, after) * d), w, dilation=dl)
    got = conv(x, w, padding="same", dilation=dl)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("k", "dl", "pair"), [(2, 1, (0, 1)), (4, 1, (1, 2)), (2, 3, (1, 2)), (6, 1, (2, 3))]
)
def test_same_padding_puts_extra_cell_at_the_end(k, dl, pair):
    assert same_padding(k, dilation=dl) == pair


# --------------------------------------------------------------------------
# Bad input: each error names the parameter and quotes the value.
# --------------------------------------------------------------------------


def test_conv_output_size_rejects_zero_input_size():
    with pytest.raises(ValueError, match=quoted("input size must be a positive integer, got 0")):
        conv_output_size(0, 3)


def test_conv_output_size_rejects_zero_kernel_size():
    with pytest.raises(ValueError, match=quoted("kernel_size must be a positive integer, got 0")):
        conv_output_size(5, 0)


def test_conv_output_size_rejects_zero_stride():
    with pytest.raises(ValueError, match=quoted("stride must be a positive integer, got 0")):
        conv_output_size(5, 3, stride=0)


def test_conv_output_size_rejects_negative_stride():
    with pytest.raises(ValueError, match=quoted("stride must be a positive integer, got -2")):
        conv_output_size(5, 3, stride=-2)


def test_conv_output_size_rejects_zero_dilation():
    with pytest.raises(ValueError, match=quoted("dilation must be a positive integer, got 0")):
        conv_output_size(5, 3, dilation=0)


def test_conv_output_size_rejects_negative_padding():
    with pytest.raises(ValueError, match=quoted("padding must be a non-negative integer, got -1")):
        conv_output_size(5, 3, padding=-1)


def test_conv_output_size_rejects_negative_padding_in_tuple():
    with pytest.raises(ValueError, match=quoted("padding") + ".*" + quoted("got (1, -1)")):
        conv_output_size((5, 5), 3, padding=(1, -1))


def test_conv_output_size_rejects_unknown_padding_word():
    with pytest.raises(ValueError, match=quoted("padding must be") + ".*" + quoted("got 'half'")):
        conv_output_size(5, 3, padding="half")


def test_conv_output_size_rejects_same_padding_with_stride():
    # The message quotes the stride as a tuple, "(2,)", after broadcasting.
    with pytest.raises(ValueError, match=quoted("padding='same'") + r".*stride \(?2\b"):
        conv_output_size(5, 3, padding="same", stride=2)


def test_conv_output_size_rejects_kernel_larger_than_padded_input():
    with pytest.raises(
        ValueError, match=quoted("kernel_size 6") + ".*" + quoted("padded input 5")
    ):
        conv_output_size(3, 6, padding=1)


def test_conv_output_size_rejects_dilated_kernel_larger_than_input():
    with pytest.raises(
        ValueError, match=quoted("kernel_size 3 (effective size 5 with dilation 2)")
    ):
        conv_output_size(4, 3, dilation=2)


def test_conv_output_size_rejects_tuples_of_different_lengths():
    with pytest.raises(ValueError, match=quoted("(5, 5), (3, 3, 3)")):
        conv_output_size((5, 5), (3, 3, 3))


@pytest.mark.parametrize("name", ["i", "k", "stride", "dilation", "padding"])
@pytest.mark.parametrize("value", [2.0, "2", True, None])
def test_conv_output_size_rejects_non_integer_argument(name, value):
    arguments = {"i": 5, "k": 3, name: value}
    label = {"i": "input size", "k": "kernel_size"}.get(name, name)
    error = ValueError if (name == "padding" and value == "2") else TypeError
    with pytest.raises(error, match=quoted(label) + ".*" + quoted(f"got {value!r}")):
        conv_output_size(**arguments)


def test_conv_transpose_output_size_rejects_output_padding_equal_to_stride():
    with pytest.raises(
        ValueError, match=quoted("output_padding") + ".*" + quoted("got output_padding 2")
    ):
        conv_transpose_output_size(3, 3, stride=2, output_padding=2)


def test_conv_transpose_output_size_accepts_output_padding_below_dilation():
    assert conv_transpose_output_size(3, 3, stride=1, dilation=2, output_padding=1) == 8


def test_conv_transpose_output_size_rejects_negative_output_padding():
    with pytest.raises(
        ValueError, match=quoted("output_padding must be a non-negative integer, got -1")
    ):
        conv_transpose_output_size(3, 3, stride=2, output_padding=-1)


def test_conv_transpose_output_size_rejects_padding_that_empties_output():
    with pytest.raises(ValueError, match=quoted("padding 3 is too large")):
        conv_transpose_output_size(2, 3, padding=3)


def test_conv_transpose_output_size_rejects_string_padding():
    with pytest.raises(TypeError, match=quoted("padding") + ".*" + quoted("got 'same'")):
        conv_transpose_output_size(3, 3, padding="same")


def test_conv_transpose_output_padding_rejects_unreachable_target():
    with pytest.raises(ValueError, match=quoted("target 9 is not reachable")):
        conv_transpose_output_padding(9, 3, 3, stride=2, padding=1)


def test_pool_output_size_rejects_padding_above_half_kernel():
    with pytest.raises(ValueError, match=quoted("got padding 2 with kernel_size 3")):
        pool_output_size(7, 3, padding=2)


def test_pool_output_size_rejects_window_larger_than_input():
    with pytest.raises(ValueError, match=quoted("kernel_size 4")):
        pool_output_size(2, 4, padding=0)


def test_pool_output_size_rejects_non_bool_ceil_mode():
    with pytest.raises(TypeError, match=quoted("ceil_mode must be True or False, got 1")):
        pool_output_size(5, 2, ceil_mode=1)


def test_pool_output_size_rejects_zero_stride():
    with pytest.raises(ValueError, match=quoted("stride must be a positive integer, got 0")):
        pool_output_size(5, 2, stride=0)


def test_same_padding_rejects_zero_kernel_size():
    with pytest.raises(ValueError, match=quoted("kernel_size must be a positive integer, got 0")):
        same_padding(0)


def test_full_padding_rejects_float_dilation():
    with pytest.raises(TypeError, match=quoted("dilation must be a positive integer") + ".*2.0"):
        full_padding(3, dilation=2.0)


def test_receptive_field_rejects_layer_of_wrong_length():
    with pytest.raises(ValueError, match=quoted("layers[1] must be") + ".*" + quoted("got (3,)")):
        receptive_field([(3, 1), (3,)])


def test_receptive_field_rejects_zero_stride():
    with pytest.raises(
        ValueError, match=quoted("layers[0] stride must be a positive integer, got 0")
    ):
        receptive_field([(3, 0)])
