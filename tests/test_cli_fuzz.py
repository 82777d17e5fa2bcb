"""The ``conv-explained`` command under random argument lists (hypothesis).

Whatever it is given, the command either succeeds (status 0, its output on
stdout, the files it was asked for) or fails politely: status 2, exactly one
line ``conv-explained: error: ...`` on stderr, nothing on stdout, no traceback
and no file or folder left behind. ``--help`` is the one other way out
(status 0, usage on stdout).

The argument lists mix valid and invalid values for every option of the three
subcommands (``shape``, ``animate``, ``catalog``), unknown options, missing
and repeated ones. Most runs are in-process through
:func:`conv_explained.cli.main`; a few go through a real subprocess, as a
reader's shell would. ``CLI_FUZZ_EXAMPLES`` sets the number of examples per
strategy (120 by default).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conv_explained import catalog, render
from conv_explained.cli import main
from conv_explained.render.animation import OPS

PREFIX = "conv-explained: error: "
OUT = "{OUT}"  # replaced by the example's own temporary folder

# --------------------------------------------------------------------------
# Values, valid and not
# --------------------------------------------------------------------------


def mostly(
    valid: st.SearchStrategy[str], invalid: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """``valid`` seven times in eight, else ``invalid``: most runs get far enough to work.

    The middle value picks ``invalid``: hypothesis favours the bounds.
    """
    return st.integers(0, 7).flatmap(lambda n: invalid if n == 3 else valid)


small = st.integers(1, 6)
sizes_ok = st.one_of(
    small.map(str),
    st.tuples(small, small).map(lambda t: f"{t[0]}x{t[1]}"),
    st.tuples(small, small).map(lambda t: f"{t[0]},{t[1]}"),
)
sizes_bad = st.sampled_from(
    [
        "0",
        "-1",
        "-3x4",
        "0x5",
        "abc",
        "",
        " ",
        "5x",
        "x",
        ",",
        "1.5",
        "1e3",
        "3,,3",
        "5x5x5x5",
        "99999999999999999999",
        "100000",
        "\u0663",  # an Arabic-Indic three: int() accepts it
        "nan",
        "--",
        "5 x 5",
        "2x2x2",
    ]
)
sizes = mostly(sizes_ok, sizes_bad)
small_ints = mostly(st.integers(1, 3).map(str), st.one_of(st.just("0"), sizes_bad))
paddings = mostly(
    st.one_of(st.integers(0, 2).map(str), st.sampled_from(["same", "full", "valid", "1,0"])),
    st.sampled_from(["SAME", "Same", "1x0x1", "-1", "huge", "", "9"]),
)
channels = mostly(st.integers(1, 3).map(str), st.sampled_from(["0", "-2", "x", "1.0", "9999"]))
seeds = mostly(st.integers(0, 2**32).map(str), st.sampled_from(["-1", "seed", "2**70"]))
frames = mostly(st.integers(-3, 3).map(str), st.sampled_from(["99", "-99", "first"]))
out_names = mostly(
    st.sampled_from(["a.gif", "a.png", "a.GIF", "a.gif/"]),
    st.sampled_from(
        ["a.txt", "a", "missing_dir/a.gif", ".gif", "", "existing_file.gif/b.gif", "/"]
    ),
)
catalog_names = st.lists(
    mostly(
        st.sampled_from(["max_pool", "avg_pool", "dilation", "signal_1d"]),
        st.sampled_from(["nope", "", "MAX_POOL", "max_pool.gif"]),
    ),
    min_size=1,
    max_size=3,
)
junk = st.sampled_from(["--bogus", "-x", "--", "extra", "--out", "--input", "-h"])


def _options(draw: st.DrawFn, pool: dict[str, st.SearchStrategy[str] | None]) -> list[str]:
    """Some of the options in ``pool`` (``None`` marks a flag), in random order."""
    names = draw(st.lists(st.sampled_from(sorted(pool)), unique=True, max_size=len(pool)))
    argv: list[str] = []
    for name in names:
        values = pool[name]
        argv += [name] if values is None else [name, draw(values)]
    return argv


def _usually(draw: st.DrawFn) -> bool:
    return draw(st.integers(0, 15)) != 7  # not 0: hypothesis favours the bounds


@st.composite
def shape_argv(draw: st.DrawFn) -> list[str]:
    kind = draw(
        mostly(st.sampled_from(["conv", "transpose", "pool"]), st.sampled_from(["deconv", ""]))
    )
    argv = ["shape", kind] if kind else ["shape"]
    for name in ("--input", "--kernel"):
        if _usually(draw):
            argv += [name, draw(sizes)]
    pool: dict[str, st.SearchStrategy[str] | None] = {
        "--stride": small_ints,
        "--padding": paddings,
        "--dilation": small_ints,
    }
    if kind == "transpose" or not _usually(draw):
        pool["--output-padding"] = mostly(st.sampled_from(["0", "1"]), small_ints)
    if kind == "pool" or not _usually(draw):
        pool["--ceil-mode"] = None
    return argv + _options(draw, pool)


@st.composite
def animate_argv(draw: st.DrawFn) -> list[str]:
    op = draw(mostly(st.sampled_from(OPS), st.sampled_from(["conv", "", "CORRELATE"])))
    argv = ["animate", op] if op else ["animate"]
    if _usually(draw):
        argv += ["--input", draw(sizes)]
    if _usually(draw):
        argv += ["--kernel", draw(mostly(st.integers(1, 3).map(str), sizes))]
    if _usually(draw):
        argv += ["--out", f"{OUT}/{draw(out_names)}"]
    pool: dict[str, st.SearchStrategy[str] | None] = {
        "--stride": small_ints,
        "--padding": paddings,
        "--dilation": small_ints,
        "--seed": seeds,
        "--padding-mode": mostly(
            st.sampled_from(["zeros", "reflect", "replicate", "circular"]), st.just("wrap")
        ),
        "--ceil-mode": None,
        "--no-mac": None,
    }
    if not _usually(draw):  # the rarer options, each a likely reason to fail
        pool |= {
            "--in-channels": channels,
            "--out-channels": channels,
            "--groups": channels,
            "--output-padding": small_ints,
            "--strip": None,
            "--frame": frames,
            "--values-from": st.sampled_from(
                [f"{OUT}/values.csv", f"{OUT}/bad.csv", f"{OUT}/values.npy", f"{OUT}/nothere.npy"]
            ),
            "--kernel-from": st.sampled_from(
                [f"{OUT}/kernel.csv", f"{OUT}/bad.csv", f"{OUT}/empty.csv", f"{OUT}/kernel.txt"]
            ),
        }
    return argv + _options(draw, pool)


@st.composite
def catalog_argv(draw: st.DrawFn) -> list[str]:
    argv = ["catalog"]
    if _usually(draw):
        out = draw(
            mostly(
                st.sampled_from(["cat", "cat/deeper"]), st.sampled_from(["existing_file.gif", ""])
            )
        )
        argv += ["--out", f"{OUT}/{out}" if out else ""]
    # Always pick cases: the full catalog is a test of its own (test_catalog.py).
    argv += ["--only", *draw(catalog_names)]
    return argv


@st.composite
def any_argv(draw: st.DrawFn) -> list[str]:
    argv = draw(st.one_of(shape_argv(), animate_argv(), catalog_argv()))
    if draw(st.integers(0, 5)) == 0:  # sometimes something that does not belong
        argv.insert(draw(st.integers(0, len(argv))), draw(junk))
    return argv


# --------------------------------------------------------------------------
# Running the command
# --------------------------------------------------------------------------


def _prepare(folder: Path) -> None:
    """The files that ``--values-from`` / ``--kernel-from`` may name."""
    (folder / "values.csv").write_text("1,2,0,3\n0,1,2,2\n3,0,1,1\n2,2,0,1\n")
    (folder / "kernel.csv").write_text("1,0\n0,1\n")
    (folder / "bad.csv").write_text("1,2\nthree,4\n")
    (folder / "empty.csv").write_text("")
    (folder / "kernel.txt").write_text("1 0\n0 1\n")
    (folder / "values.npy").write_bytes(b"not a numpy file")
    (folder / "existing_file.gif").write_bytes(b"GIF89a")


def _tree(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def run_in_process(argv: list[str], folder: Path) -> tuple[int, str, str]:
    """``main(argv)`` with stdout/stderr captured; SystemExit counts as a return."""
    stdout, stderr = io.StringIO(), io.StringIO()
    # In the example's folder: a relative path (or an empty one) lands there,
    # where it is seen, and never in the checkout.
    with (
        contextlib.chdir(folder),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            code = main([a.replace(OUT, str(folder)) for a in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        finally:
            render.take_written()  # the renderer's record of files, kept per process
    return code, stdout.getvalue(), stderr.getvalue()


def check_outcome(
    argv: list[str], code: int, out: str, err: str, before: dict, after: dict
) -> None:
    """The contract of the command, for one run."""
    shown = " ".join(argv)
    assert "Traceback" not in err, f"{shown}\n{err}"
    assert "Traceback" not in out, f"{shown}\n{out}"
    assert code in (0, 2), f"{shown}: status {code}\n{err}"
    if any(a == "--out" and b == "" for a, b in itertools.pairwise(argv)):
        # An empty path names no file: writing into the current folder instead
        # scatters a catalog over wherever the reader stands.
        assert code == 2 or "-h" in argv or "--help" in argv, f"{shown}: empty --out accepted"
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1, f"{shown}: {len(lines)} lines on stderr:\n{err}"
        assert lines[0].startswith(PREFIX), f"{shown}: {lines[0]!r}"
        assert len(lines[0]) > len(PREFIX) + 5, f"{shown}: empty message {lines[0]!r}"
        assert out == "", f"{shown}: stdout on error: {out!r}"
        assert after == before, f"{shown}: left behind {sorted(set(after) - set(before))}"
        return
    if "-h" in argv or "--help" in argv:
        assert "usage:" in out
        return
    assert out.strip(), f"{shown}: status 0 but nothing printed"
    changed = {k for k in after if after[k] != before.get(k)}
    assert set(before) <= set(after), f"{shown}: removed {sorted(set(before) - set(after))}"
    if argv[0] == "shape":
        assert err == "", f"{shown}: {err}"
        assert not changed, f"{shown}: wrote {sorted(changed)}"
    elif argv[0] == "animate":
        assert err == "", f"{shown}: {err}"
        assert changed, f"{shown}: status 0 but no file written"
        _check_images(argv, after, changed)
    elif argv[0] == "catalog":
        assert any(k.endswith("manifest.json") for k in changed), shown


def _check_images(argv: list[str], after: dict, changed: set[str]) -> None:
    from PIL import Image

    for name in changed:
        data = after[name]
        if data is None:
            continue
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            assert image.width > 0, (argv, name)
            assert image.height > 0, (argv, name)


# Every example builds its own folder (hypothesis runs many examples per
# test, so pytest's function-scoped tmp_path would be shared between them).
# CLI_FUZZ_EXAMPLES=2000 fuzzes harder, once in a while.
SETTINGS = settings(
    max_examples=int(os.environ.get("CLI_FUZZ_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize(
    "strategy",
    [shape_argv(), animate_argv(), catalog_argv(), any_argv()],
    ids=["shape", "animate", "catalog", "any"],
)
def test_command_never_crashes(strategy: st.SearchStrategy[list[str]]) -> None:
    @SETTINGS
    @given(argv=strategy)
    def run(argv: list[str]) -> None:
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            _prepare(folder)
            before = _tree(folder)
            code, out, err = run_in_process(argv, folder)
            check_outcome(argv, code, out, err, before, _tree(folder))

    run()


@pytest.mark.parametrize(
    "argv",
    [
        ["shape", "conv", "--input", "5", "--kernel", "3", "--padding", "same"],
        ["animate", "max-pool", "--input", "4x4", "--kernel", "2", "--out", f"{OUT}/m.gif"],
        ["catalog", "--out", f"{OUT}/cat", "--only", "max_pool"],
    ],
    ids=["shape", "animate", "catalog"],
)
def test_valid_runs_pass_the_contract(argv: list[str], tmp_path: Path) -> None:
    """The contract's success side is exercised, not only its error side."""
    _prepare(tmp_path)
    before = _tree(tmp_path)
    code, out, err = run_in_process(argv, tmp_path)
    assert code == 0, err
    check_outcome(argv, code, out, err, before, _tree(tmp_path))


SUBPROCESS_CASES = [
    (["shape", "conv", "--input", "5", "--kernel", "3", "--stride", "2", "--padding", "1"], 0),
    (["shape", "pool", "--input", "5", "--kernel", "0"], 2),
    (["shape", "conv", "--input", "5x", "--kernel", "3"], 2),
    (["animate", "correlate", "--input", "4x4", "--kernel", "3", "--out", f"{OUT}/c.gif"], 0),
    (["animate", "correlate", "--input", "4x4", "--kernel", "9", "--out", f"{OUT}/c.gif"], 2),
    (["animate", "correlate", "--input", "4x4", "--kernel", "3", "--out", f"{OUT}/no/c.gif"], 2),
    (["catalog", "--out", f"{OUT}/cat", "--only", "nope"], 2),
    (["--bogus"], 2),
    ([], 2),
]


@pytest.mark.parametrize(
    ("argv", "status"),
    SUBPROCESS_CASES,
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_real_process(argv: list[str], status: int, tmp_path: Path) -> None:
    """The same contract through a real process (``python -m conv_explained.cli``)."""
    _prepare(tmp_path)
    before = _tree(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "conv_explained.cli",
            *(a.replace(OUT, str(tmp_path)) for a in argv),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == status, result.stderr
    check_outcome(argv, result.returncode, result.stdout, result.stderr, before, _tree(tmp_path))


def test_catalog_names_used_here_exist() -> None:
    """The fuzzer's valid case names are real catalog cases (else it tests less than it says)."""
    for name in ("max_pool", "avg_pool", "dilation", "signal_1d"):
        assert name in catalog.CATALOG


# --------------------------------------------------------------------------
# File contents (issue 19): CSV and .npy with inf, NaN, huge, ragged and
# wrong-type values, and forged headers
# --------------------------------------------------------------------------

cells = st.one_of(
    st.integers(-9, 9).map(str),
    st.sampled_from(
        ["inf", "-inf", "nan", "1e30", "9.3e18", str(2**53), str(2**53 + 1), "1e308", "0.5"]
    ),
    st.sampled_from(["", "three", "1,5", "0x10", "1e", "--1", " 2 ", "\u0663", "1" * 400]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    width = draw(st.integers(1, 4))
    rows = draw(
        st.lists(
            st.lists(cells, min_size=1, max_size=4).map(
                lambda r: r if draw(st.integers(0, 5)) == 0 else (r * 4)[:width]
            ),
            min_size=0,
            max_size=4,
        )
    )
    return "".join(",".join(r) + "\n" for r in rows)


DTYPES = ["<i8", "<i4", "<u2", "<f8", "<f4", "<f2", "<c16", "<U3", "|b1", "|O", "<M8[s]"]


@st.composite
def npy_bytes(draw: st.DrawFn) -> bytes:
    """A .npy file: real arrays of many dtypes and values, or a forged/truncated header."""
    kind = draw(st.sampled_from(["array", "forged", "truncated", "npz", "junk"]))
    buffer = io.BytesIO()
    if kind == "junk":
        return draw(st.binary(max_size=64))
    if kind == "npz":
        np.savez(buffer, x=np.ones((2, 2)))
        return buffer.getvalue()
    shape = tuple(draw(st.lists(st.integers(0, 5), min_size=0, max_size=3)))
    if kind == "forged":
        shape = draw(st.sampled_from([(100000, 100000), (2**40,), (3, 3), (-1, 2)]))
        descr = draw(st.sampled_from(DTYPES))
        try:
            np.lib.format.write_array_header_1_0(
                buffer, {"descr": descr, "fortran_order": False, "shape": shape}
            )
        except ValueError:
            return b"\x93NUMPY\x01\x00"
        buffer.write(draw(st.binary(max_size=72)))
        return buffer.getvalue()
    dtype = draw(st.sampled_from(["<i8", "<f8", "<f4", "<c16", "<U3", "|b1"]))
    values = draw(
        st.lists(
            st.one_of(
                st.floats(allow_nan=True, allow_infinity=True),
                st.integers(-(2**62), 2**62),
                st.sampled_from([0.0, 1.0, 1e308, -1e30]),
            ),
            min_size=math.prod(shape),
            max_size=math.prod(shape),
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # casting inf/nan to int warns: the file is hostile
        try:
            array = np.array(values, dtype=object).astype(dtype).reshape(shape)
        except (OverflowError, ValueError):  # 1e308 as an integer: keep the float values
            array = np.array(values, dtype=np.float64).reshape(shape)
    np.save(buffer, array)
    data = buffer.getvalue()
    return data[: draw(st.integers(0, len(data)))] if kind == "truncated" else data


def _given(text: str) -> np.ndarray:
    """The CSV's values exactly as written (Python's float of each cell)."""
    rows = [line.split(",") for line in text.splitlines() if line.strip()]
    array = np.array([[float(c) for c in row] for row in rows], dtype=np.float64)
    return array.reshape(-1) if array.shape[0] == 1 or array.shape[1] == 1 else array


FILE_SETTINGS = settings(
    max_examples=int(os.environ.get("CLI_FUZZ_FILE_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _run_file(folder: Path, name: str, op: str) -> tuple[list[str], int, str, str, dict, dict]:
    argv = ["animate", op, "--values-from", f"{OUT}/{name}", "--kernel", "1"]
    argv += ["--out", f"{OUT}/out.gif"]
    before = _tree(folder)
    code, out, err = run_in_process(argv, folder)
    return argv, code, out, err, before, _tree(folder)


@FILE_SETTINGS
@given(text=csv_texts(), op=st.sampled_from(["correlate", "max-pool", "avg-pool"]))
def test_csv_contents_are_drawn_as_given_or_refused_in_one_line(text: str, op: str) -> None:
    from conv_explained.cli import _read

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "v.csv").write_text(text)
        argv, code, out, err, before, after = _run_file(folder, "v.csv", op)
        check_outcome(argv, code, out, err, before, after)
        assert "9223372036854775808" not in out
        if code == 0:  # drawn: from exactly the values written
            np.testing.assert_array_equal(
                _read("--values-from", str(folder / "v.csv")), _given(text)
            )
        else:
            # a refusal names the file, a size, a rule, or the ambiguous rank of --values-from
            assert any(
                w in err for w in ("v.csv", "too large to draw", "must", "--values-from")
            ), err


@FILE_SETTINGS
@given(data=npy_bytes(), op=st.sampled_from(["correlate", "max-pool"]))
def test_npy_contents_are_drawn_as_given_or_refused_in_one_line(data: bytes, op: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "v.npy").write_bytes(data)
        argv, code, out, err, before, after = _run_file(folder, "v.npy", op)
        check_outcome(argv, code, out, err, before, after)
        assert "9223372036854775808" not in out
