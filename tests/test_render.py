"""Tests of conv_explained.render: the frame data model, drawing, files, verification."""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest
from PIL import Image, ImageSequence

import conv_explained as ce
from conv_explained import pooling, render
from conv_explained.render import VerificationError, format_array, format_value

IMAGE = np.array(
    [[1, 2, 2, 1, 0], [3, 3, 3, 3, 0], [3, 0, 0, 2, 2], [0, 3, 0, 3, 3], [2, 2, 2, 3, 2]]
)
KERNEL = np.arange(9).reshape(3, 3)


@pytest.fixture(autouse=True)
def _drain_written():
    render.take_written()
    yield
    render.take_written()


def output_texts(anim, scene=-1, panel=None):
    p = anim.panels[-1] if panel is None else next(q for q in anim.panels if q.name == panel)
    return anim.scenes[scene].texts(p.name, p.shape)


# ---------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (60, "60"),
        (np.int64(-3), "−3"),
        (2.0, "2"),
        (1.5, "1.5"),
        (1 / 3, "0.33"),
        (-0.001, "0"),
        (2.675, "2.67"),
        (float("-inf"), "−∞"),
    ],
)
def test_format_value_integers_plain_floats_two_decimals_trimmed(value, text):
    assert format_value(value) == text


# ---------------------------------------------------------------- frame counts


@pytest.mark.parametrize(
    ("op", "x", "weight", "kwargs", "steps"),
    [
        ("correlate", IMAGE, KERNEL, {}, 9),
        ("convolve", IMAGE, KERNEL, {"padding": 1, "stride": 2}, 9),
        ("transpose", np.ones((2, 2), int), np.ones((1, 1, 3, 3), int), {"stride": 2}, 4),
        ("transpose-direct", np.ones((2, 2), int), np.ones((1, 1, 3, 3), int), {"stride": 2}, 25),
        ("max-pool", IMAGE[:4, :4], (2, 2), {}, 4),
        ("avg-pool", IMAGE[:4, :4], (2, 2), {}, 4),
        ("global-max-pool", np.stack([IMAGE, IMAGE.T]), None, {"spatial_dims": 2}, 2),
        ("global-avg-pool", np.stack([IMAGE, IMAGE.T]), None, {"spatial_dims": 2}, 2),
        ("max-pool-grad", IMAGE, (3, 3), {"stride": 2}, 4),
        ("input-grad", IMAGE, KERNEL, {}, 25),
    ],
)
def test_frame_count_is_steps_plus_one_final_frame(op, x, weight, kwargs, steps):
    anim = render.animate(op, x, weight, **kwargs)
    assert len(anim.scenes) == steps + 1
    assert [s.step for s in anim.scenes] == [*range(steps), None]
    assert len(anim.frames) == steps + 1
    assert anim.verification["passed"] is True
    assert anim.durations[-1] > anim.durations[0]


# ---------------------------------------------------------------- values drawn


def test_seed000_correlation_values_are_drawn_as_the_op_gives_them():
    anim = render.animate("correlate", IMAGE, KERNEL)
    np.testing.assert_array_equal(anim.values[0], [[60, 56, 52], [39, 61, 66], [54, 78, 82]])
    assert output_texts(anim).tolist() == format_array(anim.values).tolist()
    assert output_texts(anim)[0].tolist() == [
        ["60", "56", "52"],
        ["39", "61", "66"],
        ["54", "78", "82"],
    ]


@pytest.mark.parametrize("op", ["correlate", "convolve"])
def test_each_step_writes_the_current_value_and_hides_later_ones(op):
    x = np.linspace(-1, 2, 16).reshape(4, 4)
    anim = render.animate(op, x, np.array([[0.5, -1.0], [0.25, 2.0]]))
    wanted = format_array(anim.values)
    order = list(np.ndindex(*anim.values.shape))
    for step, idx in enumerate(order):
        scene = anim.scenes[step]
        cell = scene.cell("output", idx)
        assert (cell.text, cell.mark) == (wanted[idx], "current")
        for later in order[step + 1 :]:
            assert scene.cell("output", later).role == "pending"
            assert scene.cell("output", later).text == ""
    assert scene.caption.endswith("= " + wanted[order[-1]])


def test_mac_caption_lists_products_and_the_result():
    anim = render.animate("correlate", IMAGE, KERNEL)
    assert anim.scenes[0].caption == (
        "output[0, 0] = 1·0 + 2·1 + 2·2 + 3·3 + 3·4 + 3·5 + 3·6 + 0·7 + 0·8 = 60"
    )
    short = render.animate("correlate", IMAGE, KERNEL, mac=2)
    assert short.scenes[0].caption == "output[0, 0] = 1·0 + 2·1 + … + 0·8 = 60"
    none = render.animate("correlate", IMAGE, KERNEL, mac=False)
    assert none.scenes[0].caption == "output[0, 0] = 60"


def test_convolution_frames_show_the_flipped_kernel_being_applied():
    anim = render.animate("convolve", IMAGE, KERNEL)
    kernel = anim.scenes[0].texts("kernel", anim.panels[1].shape)[0, 0]
    assert kernel.tolist() == [["8", "7", "6"], ["5", "4", "3"], ["2", "1", "0"]]
    notes = [[anim.scenes[0].cell("input", (0, r, c)).note for c in range(3)] for r in range(3)]
    assert notes == [["×8", "×7", "×6"], ["×5", "×4", "×3"], ["×2", "×1", "×0"]]
    np.testing.assert_array_equal(anim.values[0], [[76, 72, 52], [81, 75, 62], [42, 42, 54]])


def test_correlation_footprint_follows_the_stride_and_dilation():
    x = np.arange(49).reshape(7, 7)
    anim = render.animate("correlate", x, np.ones((3, 3), int), dilation=2, stride=1)
    marked = {c.index for c in anim.scenes[4].panel_cells("input") if c.mark == "footprint"}
    assert marked == {(0, 1 + 2 * u, 1 + 2 * v) for u in range(3) for v in range(3)}


# ---------------------------------------------------------------- roles


@pytest.mark.parametrize(
    ("mode", "numpy_mode"),
    [("zeros", "constant"), ("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")],
)
def test_padding_cells_have_role_padding_and_the_padding_mode_values(mode, numpy_mode):
    x = np.arange(16).reshape(4, 4) - 5
    anim = render.animate("correlate", x, np.ones((3, 3), int), padding=1, padding_mode=mode)
    texts = anim.scenes[-1].texts("input", (1, 6, 6))[0]
    roles = np.array(
        [[anim.scenes[-1].cell("input", (0, r, c)).role for c in range(6)] for r in range(6)]
    )
    assert texts.tolist() == format_array(np.pad(x, 1, mode=numpy_mode)).tolist()
    inner = np.zeros((6, 6), bool)
    inner[1:5, 1:5] = True
    assert (roles[inner] == "input").all()
    assert (roles[~inner] == "padding").all()


def test_transposed_direct_view_marks_inserted_zeros_and_padding():
    x = np.array([[1, 2], [3, 4]])
    anim = render.animate("transpose-direct", x, np.ones((1, 1, 3, 3), int), stride=2)
    scene = anim.scenes[-1]
    roles = {c.index[1:]: c.role for c in scene.panel_cells("input")}
    texts = {c.index[1:]: c.text for c in scene.panel_cells("input")}
    # 2x2 input, 1 zero between cells, k-1-p = 2 zeros of padding each side: 7x7
    assert anim.panels[0].shape == (1, 7, 7)
    assert [texts[(r, c)] for r in (2, 4) for c in (2, 4)] == ["1", "2", "3", "4"]
    assert {roles[(r, c)] for r in (2, 4) for c in (2, 4)} == {"input"}
    assert roles[(2, 3)] == roles[(3, 2)] == roles[(3, 3)] == "inserted"
    assert texts[(3, 3)] == "0"
    assert roles[(0, 0)] == roles[(1, 3)] == roles[(6, 6)] == "padding"


def test_scatter_view_shows_the_checkerboard_overlap_counts():
    anim = render.animate("transpose", np.ones((3, 3), int), np.ones((1, 1, 3, 3), int), stride=2)
    assert output_texts(anim)[0, 0].tolist() == ["1", "1", "2", "1", "2", "1", "1"]
    assert output_texts(anim)[0, 2].tolist() == ["2", "2", "4", "2", "4", "2", "2"]
    first = anim.scenes[0]
    stamped = {c.index for c in first.panel_cells("output") if c.mark == "stamp"}
    assert stamped == {(0, r, c) for r in range(3) for c in range(3)}
    assert first.cell("output", (0, 0, 0)).note == "+1"


def test_scatter_view_hatches_the_cells_padding_crops():
    anim = render.animate(
        "transpose", np.ones((2, 2), int), np.ones((1, 1, 3, 3), int), stride=2, padding=1
    )
    roles = {c.index: c.role for c in anim.scenes[-1].panel_cells("output")}
    assert roles[(0, 0, 0)] == "cropped"
    assert roles[(0, 1, 1)] == "output"
    assert anim.values.shape == (1, 3, 3)


def test_max_pool_rings_the_chosen_cell():
    x = np.array([[1, 9, 2, 0], [3, 4, 8, 1], [0, 0, 1, 1], [7, 0, 1, 5]])
    anim = render.animate("max-pool", x, (2, 2))
    chosen = [
        next(c.index for c in s.panel_cells("input") if c.mark == "chosen")
        for s in anim.scenes[:4]
    ]
    assert chosen == [(0, 0, 1), (0, 1, 2), (0, 3, 0), (0, 3, 3)]
    assert anim.scenes[0].caption == "output[0, 0] = max(1, 9, 3, 4) = 9"


def test_max_pool_padding_shows_minus_infinity():
    anim = render.animate("max-pool", IMAGE, (3, 3), stride=2, padding=1)
    corner = anim.scenes[0].cell("input", (0, 0, 0))
    assert (corner.role, corner.text) == ("padding", "−∞")


def test_max_pool_gradient_routes_to_the_maximum_and_sums():
    x = np.array([[0, 0, 0], [0, 9, 0], [0, 0, 0]])
    anim = render.animate(
        "max-pool-grad", x, (2, 2), stride=1, grad_output=np.array([[1, 2], [3, 4]])
    )
    assert output_texts(anim)[0].tolist() == [["0", "0", "0"], ["0", "10", "0"], ["0", "0", "0"]]


def test_multichannel_groups_1x1_3d_and_1d_layouts():
    rng = np.random.default_rng(0)
    depthwise = render.animate(
        "correlate", rng.integers(0, 3, (3, 4, 4)), rng.integers(0, 3, (3, 1, 3, 3)), groups=3
    )
    assert depthwise.panels[1].map_grid == (1, 3)
    assert depthwise.scenes[5].cell("kernel", (1, 0, 0, 0)).mark == "active"
    assert depthwise.scenes[5].cell("kernel", (0, 0, 0, 0)).mark == "idle"
    pointwise = render.animate(
        "correlate", rng.integers(0, 3, (3, 2, 2)), rng.integers(0, 3, (2, 3, 1, 1))
    )
    assert len(pointwise.scenes) == 2 * 4 + 1
    volume = render.animate(
        "correlate", rng.integers(0, 3, (3, 3, 3)), rng.integers(0, 3, (1, 1, 2, 2, 2))
    )
    assert volume.panels[0].map_grid == (1, 3)  # depth slices side by side
    signal = render.animate("correlate", np.arange(6), np.array([1, 0, -1]))
    assert signal.panels[0].volume == (1, 1, 6)
    assert signal.values.tolist() == [[-2, -2, -2, -2]]


# ---------------------------------------------------------------- refusing


@pytest.mark.parametrize(
    ("x", "weight", "words"),
    [
        (np.zeros((13, 13)), np.ones((3, 3)), "x is too large"),
        (np.zeros((5, 4, 4)), np.ones((1, 5, 3, 3)), "x has 5 channels"),
        (np.zeros((2, 1, 4, 4)), np.ones((1, 1, 3, 3)), "single sample"),
        (np.zeros((4, 4)), np.ones((6, 1, 3, 3)), "weight has 6 output channels"),
    ],
)
def test_inputs_too_large_to_read_are_refused_naming_the_parameter(x, weight, words):
    with pytest.raises(ValueError, match=words):
        render.animate("correlate", x, weight)


def test_unknown_op_is_refused():
    with pytest.raises(ValueError, match="op must be one of"):
        render.animate("deconvolve", IMAGE, KERNEL)


# ---------------------------------------------------------------- verification


def test_verification_catches_a_wrong_number_and_nothing_is_written(monkeypatch, tmp_path):
    real = ce.ops.correlate

    def wrong(*args, **kwargs):
        y = real(*args, **kwargs).copy()
        y.flat[4] += 1
        return y

    monkeypatch.setattr(ce.ops, "correlate", wrong)
    with pytest.raises(VerificationError, match="do not match torch"):
        render.animate("correlate", IMAGE, KERNEL).save_gif(tmp_path / "x.gif")
    assert list(tmp_path.iterdir()) == []


def test_verification_catches_a_wrong_shape(monkeypatch):
    monkeypatch.setattr(ce.shapes, "conv_output_size", lambda *a, **k: (4, 4))
    with pytest.raises(VerificationError, match="shape"):
        render.animate("correlate", IMAGE, KERNEL)


def test_missing_torch_is_a_clear_error_unless_verify_false(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(RuntimeError, match="verify=False"):
        render.animate("correlate", IMAGE, KERNEL)
    anim = render.animate("correlate", IMAGE, KERNEL, verify=False)
    assert anim.verification == {
        "passed": None,
        "skipped": True,
        "reference": "torch.nn.functional.conv2d",
    }


def test_verification_reports_reference_diff_and_shapes():
    v = render.animate("avg-pool", IMAGE[:4, :4], (2, 2)).verification
    assert v["reference"] == "torch.nn.functional.avg_pool2d"
    assert v["max_abs_diff"] <= 1e-12
    assert v["shape"] == v["expected_shape"] == [1, 2, 2]
    assert v["shape_ok"]
    assert v["text_ok"]
    assert v["passed"]


# ---------------------------------------------------------------- files


def test_gif_loops_forever_and_keeps_every_frame(tmp_path):
    anim = render.animate("correlate", IMAGE, KERNEL, padding=1)
    path = anim.save_gif(tmp_path / "a.gif")
    with Image.open(path) as im:
        assert im.n_frames == len(anim.scenes) == 26
        assert im.info["loop"] == 0
        durations = [f.info["duration"] for f in ImageSequence.Iterator(im)]
    assert durations[-1] > durations[0]
    with Image.open(path) as im:
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            drawn = np.asarray(anim.frames[i].convert("RGB"))
            assert np.array_equal(np.asarray(frame.convert("RGB")), drawn)


def test_rendering_twice_gives_identical_bytes(tmp_path):
    a = render.animate("convolve", IMAGE, KERNEL, padding="same").save_gif(tmp_path / "a.gif")
    b = render.animate("convolve", IMAGE, KERNEL, padding="same").save_gif(tmp_path / "b.gif")
    assert a.read_bytes() == b.read_bytes()


def test_frames_use_a_small_fixed_palette_and_are_at_least_400_px_wide():
    anim = render.animate("correlate", np.ones((4, 4), int), np.ones((3, 3), int))
    assert anim.size[0] >= 400
    for frame in anim.frames:
        assert frame.mode == "P"
        assert len(frame.getcolors()) <= 32


def test_still_and_strip_are_pngs_of_one_frame_and_all_frames(tmp_path):
    anim = render.animate("correlate", IMAGE, KERNEL)
    w, h = anim.size
    with Image.open(anim.save_still(tmp_path / "s.png", frame=3)) as im:
        assert im.format == "PNG"
        assert im.size == (w, h)
        assert np.array_equal(np.asarray(im), np.asarray(anim.frames[3]))
    with Image.open(anim.save_strip(tmp_path / "strip.png", columns=5)) as im:
        assert im.size == (5 * w + 4 * 8, 2 * h + 8)


def test_saves_are_recorded_in_written_and_take_written_drains(tmp_path):
    anim = render.animate("correlate", IMAGE, KERNEL)
    anim.save_gif(tmp_path / "a.gif")
    anim.save_still(tmp_path / "a.png")
    anim.save_strip(tmp_path / "a_strip.png")
    taken = render.take_written()
    assert [(e["kind"], e["path"]) for e in taken] == [
        ("gif", str((tmp_path / "a.gif").resolve())),
        ("still", str((tmp_path / "a.png").resolve())),
        ("strip", str((tmp_path / "a_strip.png").resolve())),
    ]
    assert all(anim.alt_text in e["alt"] for e in taken)
    assert render.written == []


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    anim = render.animate("correlate", IMAGE, KERNEL)
    with pytest.raises(FileNotFoundError):
        anim.save_gif(tmp_path / "missing" / "a.gif")

    def boom(handle, frames, durations):
        handle.write(b"GIF89a")
        raise OSError("disk full")

    monkeypatch.setattr(render.animation, "write_gif", boom)
    with pytest.raises(OSError, match="disk full"):
        anim.save_gif(tmp_path / "a.gif")
    assert list(tmp_path.iterdir()) == []
    assert render.written == []


def test_compare_puts_two_animations_side_by_side(tmp_path):
    corr = render.animate("correlate", IMAGE, KERNEL)
    conv = render.animate("convolve", IMAGE, KERNEL)
    both = render.compare(corr, conv)
    assert len(both.frames) == 10
    assert both.size[0] == corr.size[0] + conv.size[0] + 12
    assert both.verification["passed"] is True
    assert "correlation" in both.alt_text
    assert "convolution" in both.alt_text
    with Image.open(both.save_gif(tmp_path / "both.gif")) as im:
        assert im.n_frames == 10
    with pytest.raises(ValueError, match="as many frames"):
        render.compare(corr, render.animate("correlate", IMAGE, KERNEL, padding=1))


# ---------------------------------------------------------------- alt text


def test_alt_text_says_what_slides_over_what_and_what_comes_out():
    alt = render.animate("correlate", IMAGE, KERNEL, padding=1, stride=2).alt_text
    for words in (
        "3×3 kernel",
        "5×5 image",
        "padded by 1",
        "7×7",
        "stride 2",
        "cross-correlation",
        "3×3 output",
        "Output values, row by row",
    ):
        assert words in alt
    conv = render.animate("convolve", IMAGE, KERNEL).alt_text
    assert "flipped" in conv
    assert "76 72 52 / 81 75 62 / 42 42 54" in conv
    pool = render.animate("max-pool", IMAGE[:4, :4], (2, 2)).alt_text
    assert "2×2 window" in pool
    assert "largest" in pool


# ---------------------------------------------------------------- captions vs torch


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("ceil_mode", [False, True])
def test_avg_pool_captions_and_drawn_grid_are_checked_for_every_option(
    count_include_pad, ceil_mode
):
    x = np.arange(25).reshape(5, 5) % 7
    anim = render.animate(
        "avg-pool",
        x,
        kernel_size=(3, 3),
        stride=2,
        padding=1,
        ceil_mode=ceil_mode,
        count_include_pad=count_include_pad,
    )
    checks = anim.verification["checks"]
    assert checks["caption terms"] <= 1e-9
    assert checks["output from the drawn grid and its counted cells"] <= 1e-9
    assert checks["counted cells per window"] == 0


def _corrupt_first_term(monkeypatch, kind):
    import dataclasses

    from conv_explained.render import _views

    builder = _views.GridView.builders[kind]

    def wrong(*args, **kwargs):
        scenes = builder.function(*args, **kwargs)
        first = scenes[0]
        terms = ("9·9", *first.terms[1:])
        scenes[0] = dataclasses.replace(first, terms=terms)
        return scenes

    monkeypatch.setitem(
        _views.GridView.builders, kind, dataclasses.replace(builder, function=wrong)
    )


@pytest.mark.parametrize(
    ("op", "kind", "args"),
    [
        ("correlate", "slide", (IMAGE, KERNEL)),
        ("input-grad", "slide", (IMAGE, KERNEL)),
        ("max-pool", "pool", (IMAGE, (2, 2))),
    ],
)
def test_a_wrong_caption_term_fails_verification(monkeypatch, op, kind, args):
    _corrupt_first_term(monkeypatch, kind)
    with pytest.raises(VerificationError, match="caption terms"):
        render.animate(op, *args)


def test_an_average_listing_an_uncounted_padding_cell_fails_verification(monkeypatch):
    from conv_explained import pooling

    def counts_everything(*args, **kwargs):
        return np.ones_like(real(*args, **kwargs))

    real = pooling.avg_pool_counted
    monkeypatch.setattr(pooling, "avg_pool_counted", counts_everything)
    x = np.arange(16).reshape(4, 4) + 1
    with pytest.raises(VerificationError, match="caption terms"):
        render.animate("avg-pool", x, (3, 3), stride=1, padding=1, count_include_pad=False)


@pytest.mark.parametrize(
    ("op", "view"), [("max-pool", "grid"), ("max-pool", "tensor"), ("max-pool-grad", "grid")]
)
def test_max_pool_window_of_padding_only_is_refused_in_one_line(op, view):
    """kernel 2, dilation 2, padding 1 on a 1-row input: the taps of row 0 are both padding."""
    x = np.arange(3).reshape(1, 1, 3)
    with pytest.raises(ValueError, match=r"holds only padding with kernel_size \(2, 2\)") as info:
        render.animate(
            op, x, kernel_size=2, spatial_dims=2, stride=1, padding=1, dilation=2, view=view
        )
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("op", "x", "readings"),
    [
        ("max-pool", np.zeros((4, 4)), "could be (C, L) for 1-D pooling or a plain (H, W) image"),
        ("avg-pool", np.zeros((1, 4, 4)), "could be (C, H, W) for 2-D pooling, (N, C, L)"),
        ("global-max-pool", np.zeros((3, 3, 3)), "a plain (D, H, W) volume for 3-D pooling"),
    ],
)
def test_pooling_an_ambiguous_rank_is_refused_as_the_operators_refuse_it(op, x, readings):
    weight = None if op.startswith("global") else 2
    with pytest.raises(ValueError, match=re.escape(readings)) as info:
        render.animate(op, x, weight)
    assert "spatial_dims=2" in str(info.value)
    assert "\n" not in str(info.value)
    with pytest.raises(ValueError, match=re.escape(readings)):  # the operator's own words
        (pooling.global_max_pool(x) if weight is None else pooling.max_pool(x, weight))
    kwargs = {"spatial_dims": 2} if op.startswith("global") else {"kernel_size": (2, 2)}
    if weight is None:
        assert render.animate(op, x, **kwargs).values.shape[-2:] == (1, 1)
    else:
        assert render.animate(op, x, **kwargs).values.shape[-2:] == (2, 2)
