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


def test_depthwise_separable_is_two_layers_whose_counts_are_stated_and_true():
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
    words = case.description
    assert (
        f"Together {dw_c[0] + pw_c[0]} parameters and {dw_c[1] + pw_c[1]} multiply-adds" in words
    )
    assert f"against {full[0]} parameters and {full[1]} multiply-adds" in words


def test_layer_counts_follow_shapes_with_padding():
    assert catalog.layer_counts(64, 128, 3, 56, padding=1) == (73728, 73728 * 56 * 56)
