"""Tests of the conv-explained command."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
import torch
from PIL import Image

from conv_explained import render
from conv_explained.cli import main


@pytest.fixture(autouse=True)
def _drain_written():
    yield
    render.take_written()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "lines"),
    [
        (
            ["shape", "conv", "--input", "5", "--kernel", "3", "--stride", "2", "--padding", "1"],
            ["o = floor((5 + 2*1 - 1*(3-1) - 1) / 2) + 1 = 3"],
        ),
        (
            ["shape", "conv", "--input", "7", "--kernel", "3", "--dilation", "2"],
            ["o = floor((7 + 2*0 - 2*(3-1) - 1) / 1) + 1 = 3"],
        ),
        (
            ["shape", "conv", "--input", "5x7", "--kernel", "3", "--padding", "full"],
            [
                "padding='full' means axis 0: 2 before, 2 after; axis 1: 2 before, 2 after",
                "axis 0: o = floor((5 + 2*2 - 1*(3-1) - 1) / 1) + 1 = 7",
                "axis 1: o = floor((7 + 2*2 - 1*(3-1) - 1) / 1) + 1 = 9",
                "output size: 7x9",
            ],
        ),
        (
            ["shape", "conv", "--input", "6", "--kernel", "4", "--padding", "same"],
            [
                "padding='same' means 1 before, 2 after",
                "o = floor((6 + 1 + 2 - 1*(4-1) - 1) / 1) + 1 = 6",
            ],
        ),
        (
            [
                "shape",
                "transpose",
                "--input",
                "3",
                "--kernel",
                "3",
                "--stride",
                "2",
                "--padding",
                "1",
                "--output-padding",
                "1",
            ],
            ["o = 2*(3-1) - 2*1 + 1*(3-1) + 1 + 1 = 6"],
        ),
        (
            ["shape", "pool", "--input", "5", "--kernel", "2"],
            [
                "stride defaults to the kernel size",
                "o = floor((5 + 2*0 - 1*(2-1) - 1) / 2) + 1 = 2",
            ],
        ),
        (
            ["shape", "pool", "--input", "5,6", "--kernel", "2", "--stride", "2", "--ceil-mode"],
            [
                "axis 0: o = ceil((5 + 2*0 - 1*(2-1) - 1) / 2) + 1 = 3",
                "axis 1: o = ceil((6 + 2*0 - 1*(2-1) - 1) / 2) + 1 = 3",
                "output size: 3x3",
            ],
        ),
    ],
)
def test_shape_prints_the_formula_with_its_numbers(capsys, argv, lines):
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert out.splitlines() == lines


def test_animate_writes_a_gif_and_prints_the_alt_text(capsys, tmp_path):
    path = tmp_path / "a.gif"
    code, out, err = run(
        capsys,
        "animate",
        "correlate",
        "--input",
        "5x5",
        "--kernel",
        "3",
        "--padding",
        "1",
        "--out",
        str(path),
    )
    assert (code, err) == (0, "")
    assert "3×3 kernel" in out
    assert "5×5 image" in out
    with Image.open(path) as im:
        assert im.n_frames == 26
    assert render.written == []


def test_animate_still_strip_and_values_from_files(capsys, tmp_path):
    values = tmp_path / "x.csv"
    values.write_text("1,2,2,1,0\n3,3,3,3,0\n3,0,0,2,2\n0,3,0,3,3\n2,2,2,3,2\n")
    np.save(tmp_path / "k.npy", np.arange(9).reshape(3, 3))
    code, out, err = run(
        capsys,
        "animate",
        "convolve",
        "--values-from",
        str(values),
        "--kernel-from",
        str(tmp_path / "k.npy"),
        "--out",
        str(tmp_path / "s.png"),
        "--frame",
        "0",
    )
    assert (code, err) == (0, "")
    assert "76 72 52 / 81 75 62 / 42 42 54" in out
    code, _, err = run(
        capsys,
        "animate",
        "max-pool",
        "--input",
        "4x4",
        "--kernel",
        "2",
        "--out",
        str(tmp_path / "strip.png"),
        "--strip",
    )
    assert (code, err) == (0, "")
    with Image.open(tmp_path / "strip.png") as im:
        assert im.format == "PNG"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (
            ["shape", "conv", "--input", "5", "--kernel", "3", "--stride", "0"],
            "stride must be a positive integer, got 0",
        ),
        (["shape", "conv", "--input", "3", "--kernel", "5"], "larger than the padded input"),
        (["shape", "conv", "--input", "5", "--kernel", "a"], "--kernel must be an integer"),
        (
            ["shape", "transpose", "--input", "3", "--kernel", "3", "--output-padding", "2"],
            "output_padding must be smaller",
        ),
        (
            ["shape", "pool", "--input", "5", "--kernel", "2", "--padding", "2"],
            "padding must be at most half",
        ),
        (["shape", "fold", "--input", "5"], "invalid choice: 'fold'"),
        (["animate", "deconvolve", "--input", "5", "--out", "OUT/x.gif"], "invalid choice"),
        (
            [
                "animate",
                "correlate",
                "--input",
                "5x5",
                "--kernel",
                "3",
                "--bogus",
                "1",
                "--out",
                "OUT/x.gif",
            ],
            "unrecognized arguments: --bogus",
        ),
        (
            ["animate", "correlate", "--input", "3x3", "--kernel", "5", "--out", "OUT/x.gif"],
            "larger than the padded input",
        ),
        (
            [
                "animate",
                "correlate",
                "--input",
                "5x5",
                "--kernel",
                "3",
                "--stride",
                "0",
                "--out",
                "OUT/x.gif",
            ],
            "stride must be a positive integer, got 0",
        ),
        (
            ["animate", "correlate", "--input", "20x20", "--kernel", "3", "--out", "OUT/x.gif"],
            "too large to draw",
        ),
        (
            [
                "animate",
                "correlate",
                "--values-from",
                "OUT/missing.npy",
                "--kernel",
                "3",
                "--out",
                "OUT/x.gif",
            ],
            "does not exist",
        ),
        (
            [
                "animate",
                "correlate",
                "--values-from",
                "OUT/bad.csv",
                "--kernel",
                "3",
                "--out",
                "OUT/x.gif",
            ],
            "cannot read --values-from",
        ),
        (
            [
                "animate",
                "correlate",
                "--values-from",
                "OUT/bad.txt",
                "--kernel",
                "3",
                "--out",
                "OUT/x.gif",
            ],
            "must be a .npy or .csv file",
        ),
        (
            [
                "animate",
                "correlate",
                "--input",
                "5x5",
                "--kernel",
                "3",
                "--out",
                "OUT/no/such/dir/x.gif",
            ],
            "does not exist",
        ),
        (
            [
                "animate",
                "correlate",
                "--input",
                "5x5",
                "--kernel",
                "3",
                "--out",
                "OUT/bad.csv/x.gif",
            ],
            "does not exist",
        ),
        (
            ["animate", "correlate", "--input", "5x5", "--kernel", "3", "--out", "OUT/x.jpg"],
            "--out must end in .gif or .png",
        ),
        (
            [
                "animate",
                "correlate",
                "--input",
                "5x5",
                "--kernel",
                "3",
                "--padding-mode",
                "mirror",
                "--out",
                "OUT/x.gif",
            ],
            "invalid choice: 'mirror'",
        ),
        (
            [
                "animate",
                "correlate",
                "--input",
                "4x4",
                "--kernel",
                "3",
                "--in-channels",
                "3",
                "--groups",
                "2",
                "--out",
                "OUT/x.gif",
            ],
            "--groups 2 must divide --in-channels 3",
        ),
        (["catalog", "--out", "OUT/cat", "--only", "nope"], "unknown catalog case 'nope'"),
        (["catalog"], "the following arguments are required: --out"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_bad_input_is_one_line_on_stderr_status_2_and_no_file(capsys, tmp_path, argv, words):
    (tmp_path / "bad.csv").write_text("1,2\nthree,4\n")
    (tmp_path / "bad.txt").write_text("1 2\n")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    argv = [a.replace("OUT", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("conv-explained: error: ")
    assert words in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_verification_failure_is_reported_in_one_line(capsys, tmp_path, monkeypatch):
    from conv_explained import ops

    real = ops.convolve
    monkeypatch.setattr(ops, "convolve", lambda *a, **k: real(*a, **k) + 1)
    code, _, err = run(
        capsys,
        "animate",
        "convolve",
        "--input",
        "4x4",
        "--kernel",
        "3",
        "--out",
        str(tmp_path / "x.gif"),
    )
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "do not match torch" in err
    assert list(tmp_path.iterdir()) == []


def test_catalog_writes_manifest_with_hashes_and_a_progress_bar(capsys, tmp_path):
    out_dir = tmp_path / "cat"
    code, out, err = run(
        capsys, "catalog", "--out", str(out_dir), "--only", "max_pool", "no_padding_strides"
    )
    assert code == 0
    assert err.splitlines() == ["[ 1/2] no_padding_strides", "[ 2/2] max_pool"]
    assert "wrote 2 cases" in out
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["cases"]:
        for kind, name in entry["files"].items():
            digest = hashlib.sha256((out_dir / name).read_bytes()).hexdigest()
            assert entry["sha256"][kind] == digest


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    assert "shape" in capsys.readouterr().out


def test_animate_view_tensor_writes_the_tensor_view(capsys, tmp_path):
    out = tmp_path / "t.gif"
    argv = ["animate", "correlate", "--input", "4x4", "--in-channels", "3", "--out-channels", "2"]
    code, stdout, err = run(capsys, *argv, "--kernel", "3", "--view", "tensor", "--out", str(out))
    assert (code, err) == (0, "")
    assert stdout.startswith("Tensor view of a 2-D convolution layer in 9 frames")
    rng = np.random.default_rng(0)  # the CLI's own recipe: input, then kernel, from --seed
    x, w = rng.integers(0, 4, (3, 4, 4)), rng.integers(0, 3, (2, 3, 3, 3))
    want = render.animate("correlate", x, w, view="tensor")
    assert f"channel 0: {' '.join(map(str, want.values[0, 0]))} /" in stdout
    with Image.open(out) as im:
        assert im.n_frames == len(want.scenes)
        assert im.size == want.size


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (
            ["global-max-pool", "--input", "4x4"],
            "view must be one of 'grid' for 'global-max-pool'",
        ),
        (["correlate", "--input", "4x4", "--kernel", "3"], None),
    ],
)
def test_animate_bad_view_is_one_line_status_2_and_no_file(capsys, tmp_path, argv, words):
    out = tmp_path / "t.gif"
    view = "tensor" if words else "cube"
    code, stdout, err = run(capsys, "animate", *argv, "--view", view, "--out", str(out))
    assert code == 2
    assert stdout == ""
    assert err.count("\n") == 1
    assert (words or "argument --view: invalid choice: 'cube'") in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


# --- pooling: the rank of a --values-from array, refused where it has two readings ---

POOL_REFUSALS = [
    (
        (4, 4),
        ["max-pool", "--kernel", "2"],
        (
            "--values-from shape (4, 4) could be (C, L) for 1-D pooling or a plain (H, W) image "
            "for 2-D pooling: pass --kernel 2x2, or --ndim 1 / --ndim 2"
        ),
    ),
    (
        (1, 3, 3),
        ["avg-pool", "--kernel", "2"],
        (
            "--values-from shape (1, 3, 3) could be (C, H, W) for 2-D pooling or a plain (D, H, W) "
            "volume for 3-D pooling: pass --kernel 2x2 or 2x2x2, or --ndim 2 / --ndim 3"
        ),
    ),
    (
        (1, 3, 3),
        ["global-max-pool"],
        (
            "--values-from shape (1, 3, 3) could be (C, H, W) for 2-D pooling or a plain (D, H, W) "
            "volume for 3-D pooling: pass --ndim 2 / --ndim 3"
        ),
    ),
]


@pytest.mark.parametrize(("shape", "argv", "message"), POOL_REFUSALS)
def test_pooling_a_values_file_whose_rank_has_two_readings_is_refused_in_one_line(
    capsys, tmp_path, shape, argv, message
):
    np.save(tmp_path / "x.npy", np.arange(np.prod(shape)).reshape(shape))
    out = tmp_path / "p.gif"
    code, stdout, err = run(
        capsys, "animate", *argv, "--values-from", str(tmp_path / "x.npy"), "--out", str(out)
    )
    assert (code, stdout) == (2, "")
    assert err == f"conv-explained: error: {message}\n"
    assert not out.exists()


@pytest.mark.parametrize("choice", [["--kernel", "2x2"], ["--kernel", "2", "--ndim", "2"]])
def test_a_per_axis_kernel_or_ndim_pools_a_one_channel_image_like_max_pool2d(
    capsys, tmp_path, choice
):
    x = np.array([[[1, 5, 2], [0, 3, 9], [4, 4, 4]]])  # (C, H, W) with C = 1
    np.save(tmp_path / "x.npy", x)
    expected = torch.nn.functional.max_pool2d(torch.from_numpy(x).double(), 2)
    assert tuple(expected.shape) == (1, 1, 1)
    code, stdout, err = run(
        capsys,
        "animate",
        "max-pool",
        *choice,
        "--values-from",
        str(tmp_path / "x.npy"),
        "--out",
        str(tmp_path / "p.gif"),
    )
    assert (code, err) == (0, "")
    assert f"Output values, row by row: {int(expected.item())}." in stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["correlate", "--input", "5", "--kernel", "3", "--ndim", "1"], "--ndim applies to the pooling ops only, not correlate"),
        (["max-pool", "--input", "4x4", "--kernel", "2", "--ndim", "1"], r"--ndim 1 does not fit the input of shape (1, 4, 4): it has 2 spatial axes"),
        (["max-pool", "--input", "4", "--kernel", "2", "--ndim", "4"], "--ndim must be 1, 2 or 3, got 4"),
    ],
)  # fmt: skip
def test_bad_ndim_is_one_line_status_2(capsys, tmp_path, argv, message):
    code, stdout, err = run(capsys, "animate", *argv, "--out", str(tmp_path / "p.gif"))
    assert (code, stdout, err) == (2, "", f"conv-explained: error: {message}\n")
