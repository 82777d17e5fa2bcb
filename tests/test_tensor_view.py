"""Tests of the tensor view (``render.animate(..., view="tensor")``: _tensor, _tensor_draw, _iso).

Every drawn number is compared here with torch in float64, computed in the
test itself (not taken from the module's own verification).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conv_explained import render
from conv_explained.render import VerificationError, _iso, _tensor, _tensor_draw, format_value
from conv_explained.render._pipeline import Options, Request

torch = pytest.importorskip("torch")
F = torch.nn.functional


@pytest.fixture(autouse=True)
def _drain_written():
    render.take_written()
    yield
    render.take_written()


def tensor_view(op, x, w=None, bias=None, **kw):
    """The tensor view through the public entry point."""
    return render.animate(op, x, w, bias, view="tensor", **kw)


def tensor_frames(op, x, w=None, bias=None, **kw):
    """The frame descriptions of the tensor view (what is drawn, before pixels)."""
    kernel_size = kw.pop("kernel_size", None)
    request = Request(x, w, bias, kernel_size)
    fig = render.OPS[op].figure_for("tensor", op, request, Options(**kw))
    return _tensor.tensor_frames(fig)


def drawn_records(op, x, w=None, bias=None, **kw):
    """Frames, layout and per frame the record of every number drawn on a face."""
    frames = tensor_frames(op, x, w, bias, **kw)
    lay = _tensor_draw.tensor_layout(frames)
    return frames, lay, [_tensor_draw.draw_tensor_frame(f, lay)[1] for f in frames]


def torch_expected(op, x, w, bias=None, **kw):
    """Padded input, applied filters, output and per-channel partials, from torch only."""
    stride, padding, dilation = kw.get("stride", 1), kw.get("padding", 0), kw.get("dilation", 1)
    groups, mode = kw.get("groups", 1), kw.get("padding_mode", "zeros")
    t = torch.from_numpy(np.asarray(x, dtype=np.float64))[None]
    wt = torch.from_numpy(np.asarray(w, dtype=np.float64))
    applied = torch.flip(wt, dims=(2, 3)) if op == "convolve" else wt
    conv = torch.nn.Conv2d(
        t.shape[1],
        wt.shape[0],
        tuple(wt.shape[2:]),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=bias is not None,
        padding_mode=mode,
    ).double()
    pads = conv._reversed_padding_repeated_twice
    xp = F.pad(t, pads) if mode == "zeros" else F.pad(t, pads, mode=mode)
    with torch.no_grad():
        conv.weight.copy_(applied)
        if bias is not None:
            conv.bias.copy_(torch.from_numpy(np.asarray(bias, dtype=np.float64)))
        out = conv(t)[0].numpy()
    c_out, cg = wt.shape[:2]
    per = c_out // groups
    partials = np.empty((c_out, cg, *out.shape[1:]))
    for o in range(c_out):
        for k in range(cg):
            c = (o // per) * cg + k
            partials[o, k] = F.conv2d(
                xp[:, c : c + 1], applied[o : o + 1, k : k + 1], stride=stride, dilation=dilation
            )[0, 0].numpy()
    return {"x": xp[0].numpy(), "filters": applied.numpy(), "output": out, "partials": partials}


def assert_drawn_numbers_are_torchs(anim, ref):
    n = 0
    out_shape = anim.values.shape
    for scene in anim.scenes:
        assert scene.cells, "every frame draws numbers"
        for cell in scene.cells:
            if cell.panel == "input":
                value = ref["x"][cell.index]
            elif cell.panel == "output":
                order = np.ravel_multi_index(cell.index, out_shape)
                assert scene.step is None or order <= scene.step, f"unwritten cell drawn: {cell}"
                value = ref["output"][cell.index]
            else:
                assert cell.panel == "kernel"
                value = ref["filters"][cell.index]
            assert cell.text == format_value(value), cell
            n += 1
    return n


def assert_partials_match(anim, ref, bias=None):
    steps = [s for s in anim.scenes if s.step is not None]
    order = list(np.ndindex(*ref["output"].shape))
    cg = ref["partials"].shape[1]
    for scene in steps:
        o, i, j = order[scene.step]
        terms = [float(t.replace("−", "-")) for t in scene.terms]
        np.testing.assert_allclose(
            terms[:cg], ref["partials"][o, :, i, j], rtol=0, atol=5e-3 + 1e-9
        )
        if bias is not None:
            assert terms[cg] == bias[o]
        assert scene.caption.endswith("= " + format_value(ref["output"][o, i, j]))


@st.composite
def conv_cases(draw):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    per_group_in = draw(st.integers(1, 4 // groups if groups <= 4 else 1))
    c_in = groups * per_group_in
    c_out = groups * draw(st.integers(1, max(1, 4 // groups)))
    k = draw(st.integers(1, 3))
    dilation = draw(st.integers(1, 2))
    stride = draw(st.integers(1, 2))
    padding = draw(st.integers(0, 1))
    eff = dilation * (k - 1) + 1
    h = draw(st.integers(max(1, eff - 2 * padding), 5))
    w = draw(st.integers(max(1, eff - 2 * padding), 5))
    mode = draw(st.sampled_from(["zeros", "zeros", "reflect", "replicate", "circular"]))
    if mode == "reflect" and padding >= min(h, w):
        mode = "zeros"
    integer = draw(st.booleans())
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    if integer:
        x = rng.integers(-5, 6, (c_in, h, w))
        wt = rng.integers(-3, 4, (c_out, per_group_in, k, k))
    else:
        x = np.round(rng.standard_normal((c_in, h, w)), 2)
        wt = np.round(rng.standard_normal((c_out, per_group_in, k, k)), 2)
    op = draw(st.sampled_from(["correlate", "convolve"]))
    kw = {
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
        "padding_mode": mode,
    }
    return op, x, wt, kw


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_cases())
def test_every_drawn_number_is_torchs_for_random_grouped_layers(case):
    op, x, w, kw = case
    anim = tensor_view(op, x, w, verify=False, **kw)
    ref = torch_expected(op, x, w, **kw)
    assert assert_drawn_numbers_are_torchs(anim, ref) > 0
    assert_partials_match(anim, ref)
    assert len(anim.scenes) == ref["output"].size + 1
    np.testing.assert_allclose(anim.values, ref["output"], rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("name", "c_in", "c_out", "groups", "k"),
    [
        ("multi_channel", 3, 1, 1, 3),
        ("multi_kernel", 3, 2, 1, 3),
        ("groups", 4, 2, 2, 3),
        ("depthwise_multiplier_2", 2, 4, 2, 3),
        ("pointwise", 3, 2, 1, 1),
    ],
)
def test_catalog_shapes_draw_torchs_numbers_and_pass_verification(name, c_in, c_out, groups, k):
    rng = np.random.default_rng(len(name))
    x = rng.integers(0, 4, (c_in, 4, 4))
    w = rng.integers(-1, 2, (c_out, c_in // groups, k, k))
    bias = rng.integers(-2, 3, c_out)
    anim = tensor_view("correlate", x, w, bias, groups=groups)
    assert anim.verification["passed"] is True
    checks = anim.verification["checks"]
    for panel in ("input", "kernel", "output"):
        assert checks[f"tensor view: drawn {panel} numbers"] == 0.0
    assert checks["tensor view: caption partial sums per channel"] == 0.0
    ref = torch_expected("correlate", x, w, bias, groups=groups)
    assert_drawn_numbers_are_torchs(anim, ref)
    assert_partials_match(anim, ref, bias)
    assert anim.params["view"] == "tensor"


def test_each_filter_spans_only_its_groups_channels():
    x = np.arange(4 * 3 * 3).reshape(4, 3, 3)
    w = np.ones((4, 2, 2, 2), int)
    frames = tensor_frames("correlate", x, w, groups=2)
    for f in frames[:-1]:
        o = f.lit[0]
        assert f.window_channels == ((0, 1) if o < 2 else (2, 3))
        assert len(f.terms) == 2
        assert "Σ_c∈{" in f.caption


def test_caption_lists_per_channel_partial_sums_that_add_up():
    x = np.stack([np.full((3, 3), v) for v in (1, 2, -3)])
    w = np.ones((1, 3, 3, 3), int)
    first = tensor_frames("correlate", x, w)[0]
    assert first.caption == "out[0, 0, 0] = Σ_c (x[c] ⋆ w[0, c]) = 9 + 18 + (−27) = 0"
    assert first.terms == ("9", "18", "−27")


def test_mac_false_writes_only_the_result_but_keeps_the_checked_terms():
    x = np.stack([np.full((3, 3), v) for v in (1, 2, -3)])
    anim = tensor_view("correlate", x, np.ones((1, 3, 3, 3), int), mac=False)
    assert anim.scenes[0].caption == "out[0, 0, 0] = Σ_c (x[c] ⋆ w[0, c]) = 0"
    assert anim.scenes[0].terms == ("9", "18", "−27")


def test_max_pool_tensor_view_acts_on_each_channel_alone():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 9, (3, 4, 4))
    anim = tensor_view("max-pool", x, kernel_size=2, padding=1, spatial_dims=2)
    ref = F.max_pool2d(torch.from_numpy(x[None].astype(np.float64)), 2, padding=1)[0].numpy()
    xp = F.pad(torch.from_numpy(x[None].astype(np.float64)), (1, 1, 1, 1), value=-np.inf)
    assert_drawn_numbers_are_torchs(anim, {"x": xp[0].numpy(), "output": ref})
    frames = tensor_frames("max-pool", x, kernel_size=2, padding=1, spatial_dims=2)
    for f in frames[:-1]:
        assert f.window_channels == (f.lit[0],)
        assert f.caption.endswith("= " + format_value(ref[f.lit]))
    assert "−∞" in {c.text for c in anim.scenes[0].panel_cells("input")}


@st.composite
def pool_cases(draw):
    kind = draw(st.sampled_from(["max-pool", "avg-pool"]))
    k = draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3))
    padding = draw(st.integers(0, k // 2))
    dilation = draw(st.integers(1, 2)) if kind == "max-pool" else 1
    eff = dilation * (k - 1) + 1
    h = draw(st.integers(max(1, eff - 2 * padding), 6))
    w = draw(st.integers(max(1, eff - 2 * padding), 6))
    c = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.integers(-9, 10, (c, h, w))
    if draw(st.booleans()):
        x = np.round(x / 3, 2)
    kw = {
        "kernel_size": k,
        "stride": stride,
        "padding": padding,
        "ceil_mode": draw(st.booleans()),
        "spatial_dims": 2,  # (C, H, W): an int window needs it
    }
    if kind == "max-pool":
        kw["dilation"] = dilation
    else:
        kw["count_include_pad"] = draw(st.booleans())
    return kind, x, kw


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool_cases())
def test_pooling_tensor_view_draws_torchs_numbers_and_captions(case):
    kind, x, kw = case
    t = torch.from_numpy(x[None].astype(np.float64))
    k, s, p = kw["kernel_size"], kw["stride"], kw["padding"]
    try:
        if kind == "max-pool":
            ref = F.max_pool2d(t, k, s, p, kw["dilation"], ceil_mode=kw["ceil_mode"])[0].numpy()
        else:
            ref = F.avg_pool2d(
                t, k, s, p, ceil_mode=kw["ceil_mode"], count_include_pad=kw["count_include_pad"]
            )[0].numpy()
    except RuntimeError:
        with pytest.raises(ValueError, match=r"\w"):
            tensor_view(kind, x, **kw)
        return
    if kind == "max-pool" and np.isneginf(ref).any():
        # A window of padding only: torch's index points outside it and the
        # package's is -1, so the view refuses it in one line (both views do).
        with pytest.raises(ValueError, match="holds only padding"):
            tensor_view(kind, x, **kw)
        return
    anim = tensor_view(kind, x, verify=False, **kw)
    np.testing.assert_allclose(anim.values, ref, rtol=0, atol=1e-9)
    fill = -np.inf if kind == "max-pool" else 0.0
    grid = anim.scenes[0].panel_cells("input")
    padded = F.pad(t, (p, p, p, p), value=fill)[0].numpy()
    for cell in grid:
        if cell.index[1] < padded.shape[1] and cell.index[2] < padded.shape[2]:
            assert cell.text == format_value(padded[cell.index]), cell
    order = list(np.ndindex(*ref.shape))
    for scene in anim.scenes:
        for cell in scene.panel_cells("output"):
            assert cell.text == format_value(ref[cell.index])
        if scene.step is None:
            continue
        terms = [float(v.replace("−", "-").replace("∞", "inf")) for v in scene.terms]
        want = ref[order[scene.step]]
        got = max(terms) if kind == "max-pool" else sum(terms) / len(terms)
        assert got == pytest.approx(want, abs=0.006 * len(terms))
        assert scene.caption.endswith("= " + format_value(want))
    assert tensor_view(kind, x, **kw).verification["passed"] is True


def _visible(frame, rec, shape):
    c, i, j = rec.index
    if rec.block == "input":
        front = frame.window_channels[0] if frame.window_channels else 0
    elif rec.block == "output":
        front = frame.lit[0] if frame.lit is not None else 0
    else:
        front = 0
    if rec.face == "front":
        return c == front
    if rec.face == "top":
        return i == 0 and c >= front
    return j == shape[2] - 1 and c >= front


@pytest.mark.parametrize("groups", [1, 2])
def test_numbers_on_hidden_faces_are_never_drawn(groups):
    rng = np.random.default_rng(groups)
    x = rng.integers(-9, 10, (4, 4, 5))
    w = rng.integers(-9, 10, (2, 4 // groups, 3, 3))
    frames, lay, drawn = drawn_records("correlate", x, w, padding=1, groups=groups)
    shapes = {"input": frames[0].x.shape, "output": frames[0].output.shape}
    faces = set()
    for frame, records in zip(frames, drawn, strict=True):
        for rec in records:
            shape = shapes.get(rec.block, w.shape[1:])
            assert _visible(frame, rec, shape), rec
            if rec.face == "top":
                assert _iso.fits_top(rec.text, lay.style)
            if rec.face == "side":
                assert _iso.fits_side(rec.text, lay.style)
            faces.add(rec.face)
        keys = [(r.block, r.face, r.index) for r in records]
        assert len(keys) == len(set(keys)), "a face is written twice"
    assert faces == {"front", "top", "side"}


def test_the_scenes_record_exactly_the_numbers_drawn():
    rng = np.random.default_rng(7)
    x, w = rng.integers(-9, 10, (3, 4, 4)), rng.integers(-9, 10, (2, 3, 2, 2))
    _, _, drawn = drawn_records("correlate", x, w, padding=1)
    anim = tensor_view("correlate", x, w, padding=1)
    for scene, records in zip(anim.scenes, drawn, strict=True):
        assert [c.text for c in scene.cells] == [r.text for r in records]


def test_a_number_too_wide_for_a_side_face_is_left_out():
    x = np.full((2, 3, 3), -1234)
    _, _, drawn = drawn_records("correlate", x, np.ones((1, 2, 1, 1), int))
    sides = [r for r in drawn[0] if r.face == "side" and r.block == "input"]
    assert sides == []
    assert all(r.text == "−1234" for r in drawn[0] if r.block == "input")


def test_frames_and_gif_are_byte_reproducible(tmp_path):
    rng = np.random.default_rng(5)
    x, w = rng.integers(0, 5, (3, 4, 4)), rng.integers(-1, 2, (2, 3, 3, 3))
    a = tensor_view("correlate", x, w, padding=1)
    b = tensor_view("correlate", x, w, padding=1)
    assert [im.tobytes() for im in a.frames] == [im.tobytes() for im in b.frames]
    pa, pb = a.save_gif(tmp_path / "a.gif"), b.save_gif(tmp_path / "b.gif")
    assert pa.read_bytes() == pb.read_bytes()
    assert a.frames[0].mode == "P"
    assert max(int(np.asarray(im).max()) for im in a.frames) < 31
    written = render.take_written()
    assert [w["kind"] for w in written] == ["gif", "gif"]
    assert written[0]["alt"] == a.alt_text


@pytest.mark.parametrize(
    ("x", "w", "words"),
    [
        (np.zeros((5, 3, 3)), np.zeros((1, 5, 1, 1)), "x has 5 channels"),
        (np.zeros((1, 3, 3)), np.zeros((5, 1, 1, 1)), "weight has 5 output channels"),
        (np.zeros((1, 13, 3)), np.zeros((1, 1, 1, 1)), "x is too large"),
        (np.zeros((1, 12, 12)), np.zeros((4, 1, 1, 1)), "at most 160 can be animated"),
        (np.zeros((2, 2, 3, 3)), np.zeros((1, 2, 1, 1)), "x must hold a single sample"),
        (np.zeros((1, 5)), np.zeros((1, 1, 3)), "view 'tensor' draws 2-D operations"),
        (np.zeros((1, 3, 3, 3)), np.zeros((1, 1, 1, 1, 1)), "view 'tensor' draws 2-D"),
    ],
)
def test_too_large_or_wrong_rank_inputs_get_one_line_value_errors(x, w, words):
    with pytest.raises(ValueError, match=re.escape(words)) as err:
        tensor_view("correlate", x, w)
    assert "\n" not in str(err.value)


def test_padding_beyond_the_drawable_extent_is_refused():
    with pytest.raises(ValueError, match="padding 3 makes the drawn input 18×18"):
        tensor_view("correlate", np.zeros((1, 12, 12)), np.zeros((1, 1, 12, 12)), padding=3)


@pytest.mark.parametrize(
    "op", ["global-max-pool", "global-avg-pool", "max-pool-grad", "input-grad"]
)
def test_ops_the_tensor_view_cannot_draw_are_refused_naming_view(op):
    w = None if op.startswith("global") else np.ones((1, 1, 2, 2))
    kw = {"kernel_size": 2} if op == "max-pool-grad" else {}
    if op == "max-pool-grad":
        w = None
    with pytest.raises(ValueError, match=re.escape("view must be one of 'grid'")) as err:
        tensor_view(op, np.ones((1, 4, 4)), w, **kw)
    assert f"for {op!r}, got 'tensor'" in str(err.value)


def test_an_unknown_view_is_refused():
    with pytest.raises(ValueError, match=r"view must be one of 'grid', 'tensor', got 'cube'"):
        render.animate("correlate", np.ones((3, 3)), np.ones((2, 2)), view="cube")


def test_partial_sums_that_do_not_add_up_are_caught(monkeypatch):
    real = _tensor.ops.correlate

    def off_by_one(x, w, *args, **kw):
        y = real(x, w, *args, **kw)
        return y + 1 if np.asarray(x).shape[0] == 1 else y

    monkeypatch.setattr(_tensor.ops, "correlate", off_by_one)
    with pytest.raises(VerificationError, match="partial sums"):
        tensor_view("correlate", np.ones((2, 3, 3), int), np.ones((1, 2, 2, 2), int))


def test_a_wrong_drawn_number_fails_verification_and_nothing_is_written(monkeypatch, tmp_path):
    monkeypatch.setattr(_tensor_draw, "_x_texts", lambda a: render.format_array(a + 1))
    with pytest.raises(VerificationError, match="tensor view: drawn input numbers"):
        tensor_view("correlate", np.ones((2, 3, 3), int), np.ones((1, 2, 2, 2), int))
    assert list(tmp_path.iterdir()) == []
    assert render.take_written() == []


def test_a_wrong_caption_term_fails_verification(monkeypatch):
    real = _tensor.format_value
    monkeypatch.setattr(_tensor, "format_value", lambda v: real(v + 1 if v == 4 else v))
    with pytest.raises(VerificationError, match="partial sums per channel"):
        tensor_view("correlate", np.ones((2, 3, 3), int), np.ones((1, 2, 2, 2), int))


def test_alt_text_states_the_blocks_and_groups():
    anim = tensor_view("correlate", np.ones((4, 3, 3), int), np.ones((2, 2, 2, 2), int), groups=2)
    assert "input block 4×3×3" in anim.alt_text
    assert "2 filter blocks of 2×2×2" in anim.alt_text
    assert "groups=2" in anim.alt_text
    assert "output block 2×2×2" in anim.alt_text


def torch_transposed(
    x, w, bias=None, *, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):
    """The direct view of a transposed convolution, built here with numpy and torch only."""
    t = torch.from_numpy(np.asarray(x, dtype=np.float64))[None]
    wt = torch.from_numpy(np.asarray(w, dtype=np.float64))
    b = None if bias is None else torch.from_numpy(np.asarray(bias, dtype=np.float64))
    out = F.conv_transpose2d(
        t,
        wt,
        b,
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        groups=groups,
        dilation=dilation,
    )[0].numpy()
    c_in, h, wd = x.shape
    k = w.shape[2]
    zeros = np.zeros((c_in, (h - 1) * stride + 1, (wd - 1) * stride + 1))
    zeros[:, ::stride, ::stride] = x
    before = dilation * (k - 1) - padding
    after = before + output_padding
    padded = np.pad(
        zeros, ((0, 0), (max(before, 0), max(after, 0)), (max(before, 0), max(after, 0)))
    )
    lo, hi = max(-before, 0), max(-after, 0)
    xd = padded[:, lo : padded.shape[1] - hi, lo : padded.shape[2] - hi]
    og = w.shape[1]
    cg = c_in // groups
    direct = np.flip(
        w.reshape(groups, cg, og, k, k).swapaxes(1, 2).reshape(og * groups, cg, k, k), axis=(2, 3)
    )
    partials = np.empty((og * groups, cg, *out.shape[1:]))
    for o in range(og * groups):
        for j in range(cg):
            c = (o // og) * cg + j
            partials[o, j] = F.conv2d(
                torch.from_numpy(xd[None, c : c + 1].copy()),
                torch.from_numpy(direct[o : o + 1, j : j + 1].astype(np.float64).copy()),
                dilation=dilation,
            )[0, 0].numpy()
    return {"x": xd, "filters": direct, "output": out, "partials": partials}


@st.composite
def transposed_cases(draw):
    groups = draw(st.sampled_from([1, 2]))
    c_in = groups * draw(st.integers(1, 2))
    og = draw(st.integers(1, 2))
    k = draw(st.integers(1, 3))
    stride = draw(st.integers(1, 2))
    dilation = draw(st.integers(1, 2))
    padding = draw(st.integers(0, dilation * (k - 1)))
    output_padding = draw(st.integers(0, max(stride, dilation) - 1))
    h = draw(st.integers(1, 2))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.integers(-4, 5, (c_in, h, h))
    w = rng.integers(-3, 4, (c_in, og, k, k))
    kw = {
        "stride": stride,
        "padding": padding,
        "output_padding": output_padding,
        "groups": groups,
        "dilation": dilation,
    }
    return x, w, kw


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transposed_cases())
def test_transposed_direct_view_draws_torchs_numbers(case):
    x, w, kw = case
    try:
        ref = torch_transposed(x, w, **kw)
    except RuntimeError:  # torch refuses the combination: so must the package
        with pytest.raises(ValueError, match=r"\w"):
            tensor_view("transpose", x, w, **kw)
        return
    anim = tensor_view("transpose", x, w, verify=False, **kw)
    frames = tensor_frames("transpose", x, w, **kw)
    assert assert_drawn_numbers_are_torchs(anim, ref) > 0
    assert_partials_match(anim, ref)
    # Input cells: the same construction applied to ones; inserted zeros: the
    # other cells inside their bounding box; padding: the cells outside it.
    holds = torch_transposed(np.ones_like(x), np.ones_like(w), **kw)["x"] != 0
    rows, cols = np.flatnonzero(holds.any(axis=(0, 2))), np.flatnonzero(holds.any(axis=(0, 1)))
    hull = np.zeros(holds.shape, dtype=bool)
    hull[:, rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1] = True
    inserted = frames[0].inserted_mask
    inserted = np.zeros(holds.shape, bool) if inserted is None else inserted
    np.testing.assert_array_equal(inserted, hull & ~holds)
    np.testing.assert_array_equal(frames[0].padding_mask, ~hull)
    assert (frames[0].x[hull & ~holds] == 0).all()


def test_transposed_view_marks_inserted_zeros_and_verifies():
    x = np.arange(1, 9).reshape(2, 2, 2)
    w = np.ones((2, 1, 3, 3), int)
    anim = tensor_view("transpose", x, w, stride=2, padding=1)
    assert anim.verification["passed"] is True
    frames = tensor_frames("transpose", x, w, stride=2, padding=1)
    ins = frames[0].inserted_mask
    assert ins.sum() == 2 * 5  # a 3×3 zero-inserted grid holds 4 values and 5 zeros
    assert "inserted" in {str(r) for r in np.where(ins, "inserted", "")[ins]}
    assert "x̃[c] ⋆ w̃[0, c]" in anim.scenes[0].caption


def test_tensor_view_reports_its_panel_boxes_for_thumbnails():
    """The gallery thumbnail crops the result panel: the tensor view says where it is."""
    rng = np.random.default_rng(3)
    x, w = rng.integers(0, 4, (3, 4, 4)), rng.integers(0, 3, (2, 3, 3, 3))
    anim = render.animate("correlate", x, w, view="tensor")
    boxes = anim.panel_boxes
    assert list(boxes) == ["input", "kernel", "output"]
    width, height = anim.size
    for left, top, right, bottom in boxes.values():
        assert 0 <= left < right <= width
        assert 0 <= top < bottom <= height
    rights = [b[2] for b in boxes.values()]
    lefts = [b[0] for b in boxes.values()]
    assert all(r <= nl for r, nl in zip(rights, lefts[1:], strict=False))  # side by side
    first, last = (np.asarray(f.convert("RGB")) for f in (anim.frames[0], anim.frames[-1]))
    changed = np.argwhere((first != last).any(axis=-1))
    left, top, right, bottom = boxes["output"]
    inside = (changed[:, 1] >= left) & (changed[:, 1] < right)
    inside &= (changed[:, 0] >= top) & (changed[:, 0] < bottom)
    assert inside.any()  # the output block is written between the first and last frame


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_the_caption_indexes_each_filter_by_its_own_channel_and_adds_up(groups):
    # w[o, ·] has C_in/groups channels: the caption's index must name one that
    # exists, for every input channel it sums over, and the sum it names must
    # be the output (review17: it read w[1, c] with c = 2 out of range).
    import re

    import torch

    rng = np.random.default_rng(groups)
    x = rng.integers(-3, 4, size=(4, 3, 3))
    w = rng.integers(-2, 3, size=(4, 4 // groups, 2, 2))
    frames = tensor_frames("correlate", x, w, groups=groups)
    want = torch.nn.functional.conv2d(
        torch.tensor(x, dtype=torch.float64)[None],
        torch.tensor(w, dtype=torch.float64),
        groups=groups,
    )[0].numpy()
    seen = 0
    for f in frames:
        if f.lit is None or not f.caption.startswith("out["):
            continue
        o, i, j = f.lit
        tap = re.search(r"w\[(\d+), c(?:−(\d+))?\]", f.caption)
        assert tap is not None, f.caption
        assert int(tap.group(1)) == o
        offset = int(tap.group(2) or 0)
        assert [c - offset for c in f.window_channels] == list(range(w.shape[1])), f.caption
        total = sum(
            float((x[c, i : i + 2, j : j + 2] * w[o, c - offset]).sum()) for c in f.window_channels
        )
        assert total == want[o, i, j]
        seen += 1
    assert seen == want.size


def test_window_note_names_one_row_or_column_in_the_singular():
    # A 1×3 kernel reads one row and three columns; a 3×1 kernel the reverse;
    # a dilated kernel lists its taps. The note is drawn under the blocks.
    x = np.arange(2 * 4 * 4).reshape(2, 4, 4)
    for shape, want in (
        ((1, 2, 1, 3), "row 0, cols 0–2"),
        ((1, 2, 3, 1), "rows 0–2, col 0"),
        ((1, 2, 2, 2), "rows 0,2, cols 0,2"),
    ):
        kw = {"dilation": 2} if shape[2:] == (2, 2) else {}
        frame = tensor_frames("correlate", x, np.ones(shape, int), **kw)[0]
        assert f"window: c=0–1, {want} " in _tensor_draw._note_text(frame)[0]
