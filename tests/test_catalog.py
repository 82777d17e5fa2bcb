"""Tests of conv_explained.catalog: the named cases, rendering and the manifest."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from PIL import Image

from conv_explained import catalog, render, shapes

ARITHMETIC = {
    "no_padding_no_strides": (4, 3, 1, 0),
    "arbitrary_padding_no_strides": (5, 4, 1, 2),
    "same_padding_no_strides": (5, 3, 1, 1),
    "full_padding_no_strides": (5, 3, 1, 2),
    "no_padding_strides": (5, 3, 2, 0),
    "padding_strides": (5, 3, 2, 1),
    "padding_strides_odd": (6, 3, 2, 1),
}


def test_the_fifteen_conv_arithmetic_cases_are_there_in_order():
    wanted = [*ARITHMETIC, *(n + "_transposed" for n in ARITHMETIC), "dilation"]
    assert list(catalog.CONV_ARITHMETIC) == wanted
    assert catalog.names()[:15] == wanted


@pytest.mark.parametrize("name", list(ARITHMETIC))
def test_conv_arithmetic_parameters_and_their_transposes(name):
    i, k, s, p = ARITHMETIC[name]
    case = catalog.get(name)
    arrays = case.inputs()
    assert arrays["x"].shape == (i, i)
    assert arrays["weight"].shape == (k, k)
    assert case.params == {"stride": s, "padding": p}
    assert arrays["x"].max() <= 3
    assert arrays["weight"].max() <= 2
    t = catalog.get(name + "_transposed")
    o = shapes.conv_output_size(i, k, stride=s, padding=p)
    assert t.op == "transpose-direct"
    assert t.inputs()["x"].shape == (o, o)
    a = t.params.get("output_padding", 0)
    assert shapes.conv_transpose_output_size(o, k, stride=s, padding=p, output_padding=a) == i


def test_dilation_case_matches_conv_arithmetic():
    case = catalog.get("dilation")
    assert case.inputs()["x"].shape == (7, 7)
    assert case.params == {"dilation": 2}


def test_inputs_are_rebuilt_identically_from_the_seed():
    for name in catalog.names():
        a, b = catalog.get(name).inputs(), catalog.get(name).inputs()
        assert a.keys() == b.keys()
        for key in a:
            np.testing.assert_array_equal(a[key], b[key])


@pytest.mark.parametrize("name", catalog.names())
def test_every_case_animates_and_passes_verification(name):
    anim = catalog.get(name).animate()
    assert anim.verification["passed"] is True
    assert len(anim.scenes) >= 2
    assert anim.alt_text


def test_correlation_vs_convolution_uses_the_seed000_numbers():
    anim = catalog.get("correlation_vs_convolution").animate()
    left, right = anim.values
    np.testing.assert_array_equal(left[0], [[60, 56, 52], [39, 61, 66], [54, 78, 82]])
    np.testing.assert_array_equal(right[0], [[76, 72, 52], [81, 75, 62], [42, 42, 54]])


def test_checkerboard_shows_uneven_overlap():
    values = catalog.get("checkerboard_scatter").animate().values[0]
    np.testing.assert_array_equal(values[0], [1, 1, 2, 1, 2, 1, 1])
    np.testing.assert_array_equal(values[2], [2, 2, 4, 2, 4, 2, 2])


def test_unknown_name_is_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match="unknown catalog case 'nope'"):
        catalog.render_catalog(tmp_path / "out", names=["max_pool", "nope"])
    assert not (tmp_path / "out").exists()


def test_render_catalog_writes_files_and_a_manifest_with_matching_hashes(tmp_path):
    seen = []
    names = ["no_padding_no_strides", "max_pool"]
    manifest = catalog.render_catalog(
        tmp_path, names=names, progress=lambda i, n, name: seen.append((i, n, name))
    )
    assert seen == [(1, 2, "no_padding_no_strides"), (2, 2, "max_pool")]
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest
    assert [c["name"] for c in manifest["cases"]] == names
    for entry in manifest["cases"]:
        assert entry["files"] == {
            "gif": f"{entry['name']}.gif",
            "still": f"{entry['name']}.png",
            "strip": f"{entry['name']}_strip.png",
        }
        for kind, file in entry["files"].items():
            data = (tmp_path / file).read_bytes()
            assert entry["bytes"][kind] == len(data)
            assert entry["sha256"][kind] == hashlib.sha256(data).hexdigest()
        with Image.open(tmp_path / entry["files"]["gif"]) as im:
            assert im.n_frames == entry["frames"]
            assert list(im.size) == entry["size"]
            assert im.info["loop"] == 0
        assert entry["verification"]["passed"] is True
        assert entry["alt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["manifest.json"] + [f for e in manifest["cases"] for f in e["files"].values()]
    )
    assert render.written == []


def test_render_catalog_is_byte_identical_across_runs(tmp_path):
    catalog.render_catalog(tmp_path / "a", names=["padding_strides"])
    catalog.render_catalog(tmp_path / "b", names=["padding_strides"])
    for file in (
        "manifest.json",
        "padding_strides.gif",
        "padding_strides.png",
        "padding_strides_strip.png",
    ):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


TENSOR_CASES = {
    "tensor_multi_channel": (3, 1, 1),
    "tensor_multi_kernel": (3, 2, 1),
    "tensor_groups": (4, 2, 2),
    "tensor_depthwise": (2, 4, 2),
    "tensor_pointwise": (3, 2, 1),
}


@pytest.mark.parametrize(("name", "channels"), list(TENSOR_CASES.items()))
def test_tensor_cases_draw_their_channels_in_the_tensor_view(name, channels):
    torch = pytest.importorskip("torch")
    c_in, c_out, groups = channels
    case = catalog.get(name)
    arrays = case.inputs()
    assert arrays["x"].shape[0] == c_in
    assert arrays["weight"].shape[:2] == (c_out, c_in // groups)
    anim = case.animate()
    assert anim.params["view"] == "tensor"
    assert anim.params["groups"] == groups
    want = torch.nn.functional.conv2d(
        torch.tensor(arrays["x"][None], dtype=torch.float64),
        torch.tensor(arrays["weight"], dtype=torch.float64),
        groups=groups,
    )[0].numpy()
    np.testing.assert_array_equal(anim.values, want)
    assert anim.alt_text.startswith("Tensor view of a 2-D convolution layer")
    assert f"groups={groups}" in anim.alt_text


def test_tensor_max_pool_pools_each_channel_alone():
    torch = pytest.importorskip("torch")
    case = catalog.get("tensor_max_pool")
    x = case.inputs()["x"]
    anim = case.animate()
    want = torch.nn.functional.max_pool2d(torch.tensor(x[None], dtype=torch.float64), 2)
    np.testing.assert_array_equal(anim.values, want[0].numpy())
    assert all(len(s.terms) == 4 for s in anim.scenes if s.step is not None)


def test_depthwise_separable_is_two_layers_whose_counts_match_torch():
    torch = pytest.importorskip("torch")
    case = catalog.get("tensor_depthwise_separable")
    arrays = case.inputs()
    anim = case.animate()
    first, second = anim.parts
    x = torch.tensor(arrays["x"][None], dtype=torch.float64)
    dw = torch.nn.functional.conv2d(
        x, torch.tensor(arrays["weight"], dtype=torch.float64), groups=3
    )
    pw = torch.nn.functional.conv2d(dw, torch.tensor(arrays["weight2"], dtype=torch.float64))
    np.testing.assert_array_equal(first.values, dw[0].numpy())
    np.testing.assert_array_equal(second.values, pw[0].numpy())
    assert first.params["view"] == second.params["view"] == "tensor"

    def torch_counts(c_in, c_out, k, size, groups):
        conv = torch.nn.Conv2d(c_in, c_out, k, groups=groups, bias=False).double()
        with torch.no_grad():
            conv.weight.fill_(1.0)
            taps = conv(torch.ones((1, c_in, size, size), dtype=torch.float64)).sum().item()
        return conv.weight.numel(), round(taps)

    dw_c, pw_c, full = (
        torch_counts(3, 3, 3, 4, 3),
        torch_counts(3, 3, 1, 2, 1),
        torch_counts(3, 3, 3, 4, 1),
    )
    assert catalog.layer_counts(3, 3, 3, 4, groups=3) == dw_c
    assert catalog.layer_counts(3, 3, 1, 2) == pw_c
    assert catalog.layer_counts(3, 3, 3, 4) == full


def test_layer_counts_follow_shapes_with_padding():
    assert catalog.layer_counts(64, 128, 3, 56, padding=1) == (73728, 73728 * 56 * 56)


# --- Case.certify: the one visible check of a lesson, itself checked here -------------------

import torch

from conv_explained import ops, pooling, verify

CONV_OPTIONS = [
    {},
    {"stride": 2},
    {"stride": (2, 1)},
    {"padding": 1},
    {"padding": (1, 2)},
    {"padding": "same"},
    {"padding": "same", "dilation": 2},
    {"padding": "valid"},
    {"padding": "full"},
    {"dilation": 2},
    {"dilation": (1, 2), "padding": 1},
    {"groups": 2},
    {"stride": 2, "padding": 1, "dilation": 2, "groups": 2},
    {"padding": 1, "padding_mode": "reflect"},
    {"padding": (1, 2), "padding_mode": "replicate"},
    {"padding": 2, "padding_mode": "circular"},
    {"padding": "same", "padding_mode": "reflect"},
]


def _case(op, build, **params):
    return catalog.Case("probe", "Probe", "A probe.", op, build, params=params)


def _random_conv(x_shape, w_shape, bias=False, bias_size=None):
    def build(rng):
        arrays = {
            "x": rng.integers(-3, 4, size=x_shape),
            "weight": rng.integers(-2, 3, size=w_shape),
        }
        if bias:
            arrays["bias"] = rng.integers(-2, 3, size=(bias_size or w_shape[0],))
        return arrays

    return build


def _torch_conv2d(arrays, params, flip=False):
    """F.conv2d with padding_mode done by F.pad: a second, functional torch reference."""
    x = torch.tensor(arrays["x"], dtype=torch.float64)[None]
    w = torch.tensor(arrays["weight"], dtype=torch.float64)
    if flip:
        w = torch.flip(w, dims=(2, 3))
    b = arrays.get("bias")
    b = None if b is None else torch.tensor(b, dtype=torch.float64)
    padding = params.get("padding", 0)
    dilation = params.get("dilation", 1)
    if padding == "full":
        d = (dilation,) * 2 if isinstance(dilation, int) else dilation
        padding = tuple(di * (k - 1) for di, k in zip(d, w.shape[2:], strict=False))
    mode = params.get("padding_mode", "zeros")
    if mode != "zeros":
        if padding == "same":
            d = (dilation,) * 2 if isinstance(dilation, int) else dilation
            total = [di * (k - 1) for di, k in zip(d, w.shape[2:], strict=False)]
            pads = [
                total[1] // 2,
                total[1] - total[1] // 2,
                total[0] // 2,
                total[0] - total[0] // 2,
            ]
        else:
            p = (padding,) * 2 if isinstance(padding, int) else padding
            pads = [p[1], p[1], p[0], p[0]]
        x = torch.nn.functional.pad(x, pads, mode=mode)
        padding = 0
    opts = {k: params[k] for k in ("stride", "dilation", "groups") if k in params}
    return torch.nn.functional.conv2d(x, w, b, padding=padding, **opts)[0].numpy()


@pytest.mark.parametrize("params", CONV_OPTIONS, ids=str)
@pytest.mark.parametrize("op", ["correlate", "convolve"])
def test_certify_checks_a_correlation_with_every_option_against_torch(op, params):
    w_shape = (2, 2 // params.get("groups", 1), 3, 3)
    case = _case(op, _random_conv((2, 5, 5), w_shape, bias=True), **params)
    cert = case.certify()
    arrays = case.inputs()
    expected = _torch_conv2d(arrays, params, flip=op == "convolve")
    # the operator and the animation, each on every output number
    assert cert.count == 2 * expected.size
    assert cert.max_diff <= 1e-12
    assert cert.unit == "numbers"
    assert cert.dtype == "float64"
    assert "torch.nn.Conv2d" in cert.reference
    assert cert.library.startswith("torch ")
    np.testing.assert_allclose(case.animate().values, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"stride": 2},
        {"stride": (2, 3), "padding": (1, 0)},
        {"stride": 2, "padding": 1, "output_padding": 1},
        {"stride": 3, "output_padding": (2, 1)},
        {"dilation": 2, "padding": 1},
        {"groups": 2, "stride": 2},
        {"groups": 2, "stride": 2, "padding": 1, "dilation": 2, "output_padding": 1},
    ],
    ids=str,
)
@pytest.mark.parametrize("op", ["transpose", "transpose-direct"])
def test_certify_checks_a_transposed_convolution_with_every_option(op, params):
    groups = params.get("groups", 1)
    build = _random_conv((2, 3, 3), (2, 1, 3, 3), bias=True, bias_size=groups)
    case = _case(op, build, **params)
    cert = case.certify()
    arrays = case.inputs()
    x = torch.tensor(arrays["x"], dtype=torch.float64)[None]
    w = torch.tensor(arrays["weight"], dtype=torch.float64)
    b = torch.tensor(arrays["bias"], dtype=torch.float64)
    expected = torch.nn.functional.conv_transpose2d(x, w, b, **params)[0].numpy()
    ours = 3 if op == "transpose-direct" else 2  # scatter, direct form, animation
    assert cert.count == ours * expected.size
    assert "ConvTranspose2d" in cert.reference
    np.testing.assert_allclose(case.animate().values, expected, rtol=0, atol=1e-12)


POOL_OPTIONS = [
    ("max-pool", {"kernel_size": 2}),
    ("max-pool", {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("max-pool", {"kernel_size": (2, 3), "stride": (1, 2)}),
    ("max-pool", {"kernel_size": 2, "dilation": 2}),
    ("max-pool", {"kernel_size": 2, "stride": 2, "ceil_mode": True}),
    ("avg-pool", {"kernel_size": 2}),
    ("avg-pool", {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("avg-pool", {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}),
    ("avg-pool", {"kernel_size": 2, "stride": 2, "ceil_mode": True}),
    ("avg-pool", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    (
        "avg-pool",
        {
            "kernel_size": 3,
            "stride": 2,
            "padding": 1,
            "ceil_mode": True,
            "count_include_pad": False,
        },
    ),
    ("max-pool-grad", {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("max-pool-grad", {"kernel_size": 2, "stride": 1, "ceil_mode": True}),
]


@pytest.mark.parametrize(("op", "params"), POOL_OPTIONS, ids=str)
def test_certify_checks_pooling_with_every_option_against_torch(op, params):
    def build(rng):
        arrays = {"x": rng.integers(0, 10, size=(2, 5, 5))}
        if op == "max-pool-grad":
            forward = dict(params.items())
            y = pooling.max_pool(arrays["x"][None], ndim=2, **forward)
            arrays["grad_output"] = rng.integers(1, 5, size=y.shape[1:])
        return arrays

    case = _case(op, build, spatial_dims=2, **params)  # (2, 5, 5) is two 5x5 maps
    cert = case.certify()
    x = torch.tensor(case.inputs()["x"], dtype=torch.float64)[None]
    forward = dict(params.items())
    if op == "avg-pool":
        expected = torch.nn.functional.avg_pool2d(x, **forward)[0].numpy()
    elif op == "max-pool":
        expected = torch.nn.functional.max_pool2d(x, **forward)[0].numpy()
    else:
        x.requires_grad_(True)
        y = torch.nn.functional.max_pool2d(x, **forward)
        g = torch.tensor(case.inputs()["grad_output"], dtype=torch.float64)[None]
        (expected,) = torch.autograd.grad(y, x, g)
        expected = expected[0].numpy()
    assert cert.count == 2 * expected.size
    np.testing.assert_allclose(case.animate().values, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("op", ["global-max-pool", "global-avg-pool"])
def test_certify_checks_global_pooling(op):
    case = _case(op, _ints_build((3, 4, 4)), spatial_dims=2)
    cert = case.certify()
    assert cert.count == 2 * 3
    assert "Adaptive" in cert.reference


def _ints_build(shape):
    def build(rng):
        return {"x": rng.integers(0, 10, size=shape)}

    return build


@pytest.mark.parametrize("params", [{}, {"stride": 2}, {"padding": 1, "dilation": 2}], ids=str)
def test_certify_checks_the_input_gradient_against_autograd(params):
    def build(rng):
        arrays = _random_conv((1, 6, 6), (1, 1, 3, 3))(rng)
        y = ops.correlate(arrays["x"], arrays["weight"], **params)
        arrays["grad_output"] = rng.integers(1, 5, size=y.shape)
        return arrays

    case = _case("input-grad", build, **params)
    cert = case.certify()
    assert cert.count == 2 * 36
    assert "autograd" in cert.reference


@pytest.mark.parametrize(
    ("x_shape", "w_shape", "layer"),
    [
        ((9,), (3,), "Conv1d"),
        ((2, 9), (3, 2, 3), "Conv1d"),
        ((1, 3, 4, 4), (1, 1, 2, 2, 2), "Conv3d"),
    ],
)
def test_certify_uses_the_layer_of_the_input_rank(x_shape, w_shape, layer):
    case = _case("correlate", _random_conv(x_shape, w_shape), padding=1)
    assert f"torch.nn.{layer}" in case.certify().reference


@pytest.mark.parametrize("name", catalog.names())
def test_every_catalog_case_certifies(name):
    case = catalog.get(name)
    cert = case.certify()
    assert cert.count > 0
    assert cert.max_diff <= 1e-12
    assert cert.library.startswith("torch ")


def _off_by_one(fn):
    def wrong(*args, **kwargs):
        result = fn(*args, **kwargs)
        return result + (np.arange(result.size).reshape(result.shape) == result.size - 1)

    return wrong


@pytest.mark.parametrize(
    ("name", "module", "function"),
    [
        ("padding_strides", ops, "correlate"),
        ("correlation_vs_convolution", ops, "convolve"),
        ("transposed_scatter", ops, "conv_transpose"),
        ("padding_strides_odd_transposed", ops, "transposed_as_correlation"),
        ("max_pool_overlapping", pooling, "max_pool"),
        ("avg_pool", pooling, "avg_pool"),
        ("global_avg_pool", pooling, "global_avg_pool"),
    ],
)
def test_certify_raises_when_the_operator_is_wrong(monkeypatch, name, module, function):
    case = catalog.get(name)
    anim = case.animate()  # rendered by the right operator
    original = getattr(module, function)
    if function == "transposed_as_correlation":

        def wrong(*args, **kwargs):
            x_direct, w_direct = original(*args, **kwargs)
            return x_direct, np.flip(w_direct, axis=-1).copy()  # a kernel axis left unflipped

    else:
        wrong = _off_by_one(original)
    monkeypatch.setattr(module, function, wrong)
    with pytest.raises(verify.VerificationError) as info:
        case.certify(anim)
    message = str(info.value)
    assert "\n" not in message
    assert "torch.nn." in message
    assert name in message


def test_certify_raises_when_the_gradient_operators_are_wrong(monkeypatch):
    from conv_explained import grad

    for name, function in [
        ("input_gradient", "correlate_grad"),
        ("max_pool_grad", "max_pool_grad"),
    ]:
        case = catalog.get(name)
        anim = case.animate()
        original = getattr(grad, function)
        if function == "correlate_grad":

            def wrong(*args, _f=original, **kwargs):
                gx, gw, gb = _f(*args, **kwargs)
                return 2 * gx, gw, gb

        else:
            wrong = _off_by_one(original)
        monkeypatch.setattr(grad, function, wrong)
        with pytest.raises(verify.VerificationError, match=name):
            case.certify(anim)
        monkeypatch.undo()


def test_certify_raises_when_the_animation_is_wrong():
    case = catalog.get("dilation")
    wrong = catalog.get("no_padding_strides").animate()  # another case's picture
    with pytest.raises(verify.VerificationError, match="the animation"):
        case.certify(wrong)


def test_certify_compares_the_extra_results_and_raises_on_a_wrong_one():
    case = catalog.get("padding_strides")
    anim = case.animate()
    right = anim.values[0]
    cert = case.certify(anim, also={"numpy by hand": right})
    assert cert.count == 3 * right.size
    with pytest.raises(verify.VerificationError, match="numpy by hand"):
        case.certify(anim, also={"numpy by hand": right + 1})


def test_certify_refuses_an_option_it_does_not_know():
    case = _case("correlate", _random_conv((1, 4, 4), (1, 1, 3, 3)), bogus=1)
    with pytest.raises(ValueError, match="bogus"):
        case.certify(catalog.get("no_padding_no_strides").animate())
