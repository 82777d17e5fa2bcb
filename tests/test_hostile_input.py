"""Hostile and extreme input (issue 19): nothing wrong is verified, nothing eats the machine.

Each reproduction of the issue is a test here: the CLI's loaders keep values
exactly as given, every size is refused from shapes before any array of that
size is made (the refusals run in a child process whose peak memory is read
back with ``os.wait4``), and ``save_*`` never replaces a special file.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from conv_explained import render
from conv_explained.cli import UsageError, _read, main
from conv_explained.render._captions import evaluate_terms

PREFIX = "conv-explained: error: "
MEMORY_MB = 200


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    render.take_written()
    return code, out.getvalue(), err.getvalue()


# The child reports its own peak resident memory (VmHWM, of its own address
# space since exec). ru_maxrss is no use here: Linux keeps it across execve,
# so a child forked from this pytest process (torch loaded) starts at its size.
PEAK_RUNNER = """
import atexit, sys
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(sys.argv[1], "w").write(line.split()[1])
atexit.register(report)
from conv_explained.cli import main
sys.exit(main(sys.argv[2:]))
"""


def run_child(argv: list[str], folder: Path) -> tuple[int, str, float]:
    """``conv-explained argv`` in a child process: status, stderr and its peak RSS in MB."""
    report = folder.parent / f"{folder.name}.peak"
    result = subprocess.run(
        [sys.executable, "-c", PEAK_RUNNER, str(report), *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    peak = int(report.read_text()) / 1024  # kB
    report.unlink()
    return result.returncode, result.stderr, peak


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(PREFIX), err
    assert "Traceback" not in err
    return lines[0]


# --------------------------------------------------------------------------
# Nothing wrong is ever verified: values as given
# --------------------------------------------------------------------------


def test_max_pool_of_a_csv_holding_minus_inf_draws_minus_infinity(tmp_path: Path) -> None:
    """The issue's first reproduction: it drew -9223372036854775808."""
    (tmp_path / "m.csv").write_text("1,-inf\n3,4\n")
    code, out, err = run_cli(
        [
            "animate",
            "max-pool",
            "--values-from",
            str(tmp_path / "m.csv"),
            "--kernel",
            "1x1",  # a 2-D window: a plain 2x2 CSV could also be read as (C, L)
            "--out",
            str(tmp_path / "m.gif"),
        ]
    )
    assert code == 0, err
    assert err == ""
    assert "9223372036854775808" not in out
    assert "1 \N{MINUS SIGN}∞ / 3 4" in out  # the alt text's values, row by row
    assert (tmp_path / "m.gif").stat().st_size > 0


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-inf", -np.inf),
        ("inf", np.inf),
        ("nan", np.nan),
        ("1e30", 1e30),
        ("9.3e18", 9.3e18),
        ("2.5", 2.5),
        (str(2**60), float(2**60)),  # beyond 2**53 as an integer: float64, where it is exact
    ],
)
def test_csv_loader_keeps_non_integer_or_huge_values_as_float64(
    tmp_path: Path, cell: str, expected: float
) -> None:
    (tmp_path / "v.csv").write_text(f"1,{cell}\n3,4\n")
    array = _read("--values-from", str(tmp_path / "v.csv"))
    assert array.dtype == np.float64
    np.testing.assert_array_equal(array, np.array([[1, expected], [3, 4]]))


def test_csv_loader_makes_int64_only_of_exact_integers_within_2_to_53(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text(f"1,2.0\n-3,{2**53}\n")
    array = _read("--values-from", str(tmp_path / "v.csv"))
    assert array.dtype == np.int64
    assert array.tolist() == [[1, 2], [-3, 2**53]]


def test_csv_loader_refuses_an_integer_float64_cannot_hold_beside_floats(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text(f"1.5,{2**53 + 1}\n")
    with pytest.raises(
        UsageError, match=r"v\.csv.*row 1, column 2 holds the integer 9007199254740993, beyond"
    ):
        _read("--values-from", str(tmp_path / "v.csv"))


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_correlate_of_a_non_finite_csv_with_a_kernel_of_ones_is_checked_against_torch(
    tmp_path: Path, value: str
) -> None:
    (tmp_path / "x.csv").write_text(f"1,{value},2\n3,4,5\n6,7,8\n")
    (tmp_path / "w.csv").write_text("1,1\n1,1\n")
    argv = ["animate", "correlate", "--values-from", str(tmp_path / "x.csv")]
    argv += ["--kernel-from", str(tmp_path / "w.csv"), "--out", str(tmp_path / "c.gif")]
    code, out, err = run_cli(argv)
    assert code == 0, err
    assert err == ""
    shown = {"inf": "∞ ∞", "-inf": "\N{MINUS SIGN}∞ \N{MINUS SIGN}∞", "nan": "nan nan"}[value]
    assert f"{shown} / 20 24" in out
    # The same numbers through the API: verified against torch from the float64 input.
    x = np.array([[1, float(value), 2], [3, 4, 5], [6, 7, 8]])
    anim = render.animate("correlate", x, np.ones((2, 2)))
    assert anim.verification["passed"] is True


@pytest.mark.parametrize("value", ["1e30", "9.3e18", str(2**60)])
def test_a_number_too_wide_to_draw_is_refused_naming_file_row_and_column(
    tmp_path: Path, value: str
) -> None:
    (tmp_path / "x.csv").write_text(f"1,2,3\n3,{value},5\n")
    (tmp_path / "w.csv").write_text("1,1\n1,1\n")
    argv = ["animate", "correlate", "--values-from", str(tmp_path / "x.csv")]
    argv += ["--kernel-from", str(tmp_path / "w.csv"), "--out", str(tmp_path / "c.gif")]
    code, _, err = run_cli(argv)
    assert code == 2
    line = one_line(err)
    assert "x.csv" in line
    assert "row 2, column 2" in line
    assert "too large to draw" in line
    assert not (tmp_path / "c.gif").exists()


def test_max_over_terms_propagates_nan_as_torch_does() -> None:
    assert np.isnan(evaluate_terms(["1", "nan", "3"], "max")[0])
    assert np.isnan(evaluate_terms(["nan", "1"], "max")[0])


def test_infinite_terms_add_no_rounding_slack() -> None:
    """An infinite slack would let any value pass the caption check."""
    value, spread = evaluate_terms(["∞·0.5", "1·2"], "sum")
    assert value == np.inf
    assert np.isfinite(spread)


def test_max_pool_with_nan_is_drawn_and_verified() -> None:
    anim = render.animate("max-pool", np.array([[1.0, np.nan], [3.0, 4.0]]), kernel_size=(1, 1))
    assert np.isnan(anim.values[0, 0, 1])
    assert anim.verification["passed"] is True


# --------------------------------------------------------------------------
# Files refused in one line naming the file
# --------------------------------------------------------------------------


def _forged(path: Path, shape: tuple[int, ...], data: bytes = b"\0" * 16) -> None:
    with open(path, "wb") as handle:
        np.lib.format.write_array_header_1_0(
            handle, {"descr": "<f8", "fortran_order": False, "shape": shape}
        )
        handle.write(data)


def _hostile_files(folder: Path) -> dict[str, str]:
    """Each hostile file and the words its refusal must hold."""
    (folder / "ragged.csv").write_text("1,2,3\n4,5\n")
    (folder / "words.csv").write_text("1,2\nthree,4\n")
    (folder / "empty.csv").write_text("")
    (folder / "blank.csv").write_text("\n \n# a comment only\n")
    (folder / "huge_int.csv").write_text("1" * 400 + ",1\n")
    np.save(folder / "complex.npy", np.ones((2, 2), dtype=complex))
    np.save(folder / "strings.npy", np.array([["a", "b"], ["c", "d"]]))
    np.save(folder / "struct.npy", np.zeros((2, 2), dtype=[("a", "i4"), ("b", "f8")]))
    np.save(folder / "object.npy", np.array([[1, None]], dtype=object), allow_pickle=True)
    np.save(folder / "e308.npy", np.full((4, 4), 1e308))
    np.savez(folder / "archive.npz", x=np.ones((3, 3)))
    (folder / "archive.npz").rename(folder / "renamed.npy")
    _forged(folder / "forged.npy", (100000, 100000))
    _forged(folder / "short.npy", (2, 2), b"\0" * 8)
    (folder / "garbage.npy").write_bytes(b"not a numpy file")
    return {
        "ragged.csv": "row 2 has 2 values, but row 1 has 3",
        "words.csv": "row 2, column 1 holds 'three', not a number",
        "empty.csv": "holds no numbers",
        "blank.csv": "holds no numbers",
        "huge_int.csv": "row 1, column 1 holds the integer 11111111111111111111... (400 digits)",
        "complex.npy": "holds dtype complex128",
        "strings.npy": "holds dtype <U1",
        "struct.npy": "holds dtype [('a', '<i4'), ('b', '<f8')]",
        "object.npy": "holds dtype object",
        "e308.npy": "row 1, column 1 holds 1e+308, drawn 309 characters wide",
        "renamed.npy": "is not a .npy file",
        "forged.npy": "shape (100000, 100000) (10,000,000,000 values), too large to draw",
        "short.npy": "has 8 bytes of data where its header (shape (2, 2) of float64) needs 32",
        "garbage.npy": "is not a .npy file",
    }


def test_hostile_files_are_refused_in_one_line_naming_the_file(tmp_path: Path) -> None:
    for name, words in _hostile_files(tmp_path).items():
        path = str(tmp_path / name)
        code, out, err = run_cli(
            ["animate", "correlate", "--values-from", path, "--kernel", "1", "--out", "x.gif"]
        )
        assert code == 2, name
        line = one_line(err)
        assert repr(path) in line, line
        assert words in line, line
        assert out == ""


# --------------------------------------------------------------------------
# Every size checked before allocation: child processes, peak memory
# --------------------------------------------------------------------------

BIG = "1" + "0" * 20
CORR = ["animate", "correlate", "--input", "4x4", "--kernel", "3"]
REFUSALS = [
    ([*CORR, "--padding", "4000"], "padding 4000 is too large to draw"),
    ([*CORR, "--padding", "100000"], "padding 100000 is too large to draw"),
    ([*CORR, "--padding", "4000", "--padding-mode", "replicate"], "padding 4000"),
    ([*CORR, "--stride", BIG], f"stride {BIG} is too large to draw"),
    ([*CORR, "--dilation", BIG], f"dilation {BIG}"),
    (["animate", "transpose", "--input", "4x4", "--kernel", "3", "--stride", "30000"], "stride"),
    (
        ["animate", "transpose-direct", "--input", "4x4", "--kernel", "3", "--stride", "30000"],
        "stride 30000 is too large to draw",
    ),
    (["animate", "transpose", "--input", "2x2", "--kernel", "2", "--dilation", "30000"], "30000"),
    (["animate", "avg-pool", "--input", "4x4", "--kernel", "2", "--stride", BIG], "stride"),
    (["animate", "max-pool", "--input", "4x4", "--kernel", "3", "--padding", "100000"], "100000"),
    # Within the option cap, the drawn extents from shapes refuse (before any work):
    ([*CORR, "--padding", "9"], "padding 9 makes the drawn input 22×22"),
    (
        ["animate", "transpose", "--input", "4x4", "--kernel", "3", "--stride", "9"],
        "uncropped output 30×30",
    ),
    (
        ["animate", "transpose-direct", "--input", "4x4", "--kernel", "3", "--stride", "9"],
        "makes the drawn input 32×32",
    ),
    (["animate", "max-pool", "--input", "12x12", "--kernel", "9", "--padding", "4"], "20×20"),
]


@pytest.mark.parametrize(("argv", "words"), REFUSALS, ids=lambda v: " ".join(v)[-40:])
def test_size_refusals_come_before_any_work_in_bounded_memory(
    tmp_path: Path, argv: list[str], words: str
) -> None:
    code, err, peak_mb = run_child([*argv, "--out", str(tmp_path / "a.gif")], tmp_path)
    assert code == 2
    line = one_line(err)
    assert words in line, line
    assert "too large to draw" in line
    assert peak_mb < MEMORY_MB, f"{peak_mb:.0f} MB before refusing"
    assert list(tmp_path.iterdir()) == []


def test_file_refusals_stay_in_bounded_memory(tmp_path: Path) -> None:
    _hostile_files(tmp_path)
    for name in ("forged.npy", "e308.npy", "renamed.npy"):
        code, err, peak_mb = run_child(
            [
                *("animate", "correlate", "--values-from", str(tmp_path / name)),
                *("--kernel", "1", "--out", str(tmp_path / "a.gif")),
            ],
            tmp_path,
        )
        assert code == 2
        assert name in one_line(err)
        assert peak_mb < MEMORY_MB, f"{name}: {peak_mb:.0f} MB before refusing"


def test_memory_and_overflow_errors_become_the_one_line_refusal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for error in (MemoryError("Unable to allocate 60 GiB"), OverflowError("too big")):

        def boom(*args: object, error: BaseException = error, **kwargs: object) -> None:
            raise error

        monkeypatch.setattr(render, "animate", boom)
        code, _, err = run_cli([*CORR, "--out", str(tmp_path / "a.gif")])
        assert code == 2
        assert "too large to draw" in one_line(err)


API_REFUSALS = [
    (
        "correlate",
        np.broadcast_to(np.float64(1), (100000, 100000)),
        {"weight": np.ones((3, 3))},
        "x is too large to draw",
    ),
    (
        "max-pool",
        np.broadcast_to(np.float64(1), (1, 100000, 100000)),
        {"kernel_size": 2, "spatial_dims": 2},
        "x is too large to draw",
    ),
    (
        "correlate",
        np.ones((4, 4)),
        {"weight": np.broadcast_to(np.float64(1), (1, 1, 30000, 30000))},
        "weight of shape (1, 1, 30000, 30000) is too large to draw",
    ),
    (
        "correlate",
        np.ones((4, 4)),
        {"weight": np.broadcast_to(np.float64(1), (30000, 1, 3, 3))},
        "weight has 30000 output channels",
    ),
    ("correlate", np.ones((4, 4)), {"weight": np.ones((3, 3)), "padding": 4000}, "padding 4000"),
    ("correlate", np.ones((4, 4)), {"weight": np.ones((3, 3)), "stride": 10**20}, "stride 1000"),
    ("transpose", np.ones((4, 4)), {"weight": np.ones((3, 3)), "stride": 30000}, "stride 30000"),
    (
        "input-grad",
        np.ones((4, 4)),
        {"weight": np.ones((3, 3)), "grad_output": np.broadcast_to(1.0, (1, 9999, 9999))},
        "grad_output is too large to draw",
    ),
    ("correlate", np.full((4, 4), 1e308), {"weight": np.ones((1, 1))}, "309 characters wide"),
    (
        "correlate",
        np.full((2, 2), 1e7),
        {"weight": np.full((1, 1), 1e7)},  # small inputs, a result too wide
        "15 characters wide: too large to draw",
    ),
]


@pytest.mark.parametrize(("op", "x", "kwargs", "words"), API_REFUSALS)
def test_api_refuses_sizes_with_a_value_error_before_allocating(
    op: str, x: np.ndarray, kwargs: dict[str, object], words: str
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"too large to draw|can be drawn") as info:
            render.animate(op, x, **kwargs)  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert words in str(info.value)
    assert "\n" not in str(info.value)
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MB traced before refusing"


# --------------------------------------------------------------------------
# Writes touch only what they own
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def anim() -> render.Animation:
    return render.animate("correlate", np.ones((3, 3)), np.ones((2, 2)))


def _special_targets(folder: Path) -> dict[str, Path]:
    targets = {"FIFO": folder / "fifo.gif", "directory": folder / "dir.gif"}
    os.mkfifo(targets["FIFO"])
    targets["directory"].mkdir()
    (folder / "link.gif").symlink_to(targets["FIFO"])
    targets["FIFO (through a symlink)"] = folder / "link.gif"
    return targets


@pytest.mark.parametrize("method", ["save_gif", "save_still", "save_strip"])
def test_save_refuses_a_fifo_a_directory_and_a_symlink_to_one(
    anim: render.Animation, tmp_path: Path, method: str
) -> None:
    suffix = ".gif" if method == "save_gif" else ".png"
    for kind, target in _special_targets(tmp_path).items():
        target = target.with_suffix(suffix) if target.suffix != suffix else target
        if not target.exists() and not target.is_symlink():
            # The same special file under the method's suffix.
            if "symlink" in kind:
                target.symlink_to(tmp_path / "fifo.gif")
            elif kind == "FIFO":
                os.mkfifo(target)
            else:
                target.mkdir()
        before = sorted(p.name for p in tmp_path.iterdir())
        with pytest.raises(ValueError, match="not a regular file: refusing to replace it"):
            getattr(anim, method)(target)
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temp file left
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo.gif").st_mode)


def test_save_refuses_a_device_node(anim: render.Animation, tmp_path: Path) -> None:
    node = tmp_path / "null.gif"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.stat("/dev/null").st_rdev)
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc}); needs root")
    with pytest.raises(ValueError, match="is a character device"):
        anim.save_gif(node)
    assert stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.parametrize(
    ("method", "name"),
    [("save_gif", "a.txt"), ("save_gif", "a.png"), ("save_still", "a.gif"), ("save_strip", "a")],
)
def test_save_checks_the_suffix(
    anim: render.Animation, tmp_path: Path, method: str, name: str
) -> None:
    with pytest.raises(ValueError, match="path must end in"):
        getattr(anim, method)(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_save_still_replaces_a_regular_file_atomically(
    anim: render.Animation, tmp_path: Path
) -> None:
    target = tmp_path / "a.PNG"
    target.write_bytes(b"old")
    anim.save_still(target)
    assert target.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in tmp_path.iterdir()] == ["a.PNG"]


def test_cli_refuses_a_fifo_out_before_any_work(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f.gif")
    code, err, peak_mb = run_child([*CORR, "--out", str(tmp_path / "f.gif")], tmp_path)
    assert code == 2
    assert "is a FIFO" in one_line(err)
    assert peak_mb < MEMORY_MB  # refused before torch is imported
