"""Hostile and extreme input (issue 19): how fast, and in how little memory, each is handled.

Every case runs in its own child process (``python -m conv_explained.cli ...``
or a short Python snippet against the API); its wall time comes from the
clock and its peak resident memory from the child's own ``VmHWM`` (or, if it
was killed, :func:`os.wait4`'s resource usage of that one child). A case is handled cleanly when

- the command exits 0 having drawn the values as given (no int64 wrap-around
  such as ``-9223372036854775808``), or exits 2 with exactly one line
  ``conv-explained: error: ...`` on stderr and no traceback;
- an API snippet prints ``OK`` (it raised a ValueError/TypeError naming what
  was wrong, refused a special file, or drew the values as given);
- and, for a refusal, the child stays under 200 MB and under 1 s of CPU time
  (user + system, which the machine's load does not inflate as it does the
  wall time; both wall times are printed too).

The children run under an address-space limit (``--limit-gb``, 4 GB by
default), so that the unmodified code's allocations fail quickly instead of
swapping the machine; they then end in a ``MemoryError`` traceback, which
counts as not handled cleanly. ``--only NAME`` runs the cases whose name
contains ``NAME``; ``--json`` prints the results as JSON.

    python benchmarks/bench_refusals.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PREFIX = "conv-explained: error: "
WRAP = "9223372036854775808"  # int64's minimum, drawn by the old CSV loader for -inf
MEMORY_GOAL_MB = 200
TIME_GOAL_S = 1.0


@dataclass(frozen=True)
class Case:
    """One hostile input: CLI arguments, or an API snippet that prints ``OK`` when handled."""

    name: str
    argv: tuple[str, ...] = ()
    snippet: str = ""
    refusal: bool = True  # expected to be refused (memory and time goals apply)


def _write_files(folder: Path) -> None:
    """The hostile files the cases name."""
    (folder / "neg_inf.csv").write_text("1,-inf\n3,4\n")
    for name, value in (("inf", "inf"), ("nan", "nan"), ("big30", "1e30")):
        (folder / f"{name}.csv").write_text(f"1,{value},2\n3,4,5\n6,7,8\n")
    (folder / "big18.csv").write_text("1,9.3e18,2\n3,4,5\n6,7,8\n")
    (folder / "int2_60.csv").write_text(f"1,{2**60},2\n3,4,5\n6,7,8\n")
    (folder / "ones.csv").write_text("1,1\n1,1\n")
    (folder / "ragged.csv").write_text("1,2,3\n4,5\n")
    (folder / "words.csv").write_text("1,2\nthree,4\n")
    (folder / "empty.csv").write_text("")
    (folder / "blank.csv").write_text("\n\n")
    np.save(folder / "e308.npy", np.full((4, 4), 1e308))
    np.save(folder / "complex.npy", np.ones((2, 2), dtype=complex))
    np.save(folder / "strings.npy", np.array([["a", "b"], ["c", "d"]]))
    np.save(folder / "struct.npy", np.zeros((2, 2), dtype=[("a", "i4"), ("b", "f8")]))
    np.save(folder / "object.npy", np.array([[1, None]], dtype=object), allow_pickle=True)
    np.save(folder / "bool.npy", np.ones((2, 2), dtype=bool))
    np.save(folder / "neg_inf.npy", np.array([[1.0, -np.inf], [3.0, 4.0]]))
    np.savez(folder / "archive.npz", x=np.ones((3, 3)))
    (folder / "archive.npz").rename(folder / "renamed.npy")
    # A header claiming (100000, 100000) float64 (80 GB) over 16 bytes of data.
    with open(folder / "forged.npy", "wb") as handle:
        np.lib.format.write_array_header_1_0(
            handle, {"descr": "<f8", "fortran_order": False, "shape": (100000, 100000)}
        )
        handle.write(b"\0" * 16)
    (folder / "truncated.npy").write_bytes((folder / "e308.npy").read_bytes()[:-8])
    os.mkfifo(folder / "fifo.gif")
    os.mkfifo(folder / "fifo.png")
    (folder / "adir.gif").mkdir()
    (folder / "link.gif").symlink_to(folder / "fifo.gif")


def cli_cases() -> list[Case]:
    """The command lines of the issue, and the file contents around them."""
    anim = ("animate",)
    out = ("--out", "{D}/out.gif")
    cases = [
        Case(
            "max-pool of a CSV holding -inf",
            (*anim, "max-pool", "--values-from", "{D}/neg_inf.csv", "--kernel", "1", *out),
            refusal=False,
        ),
        Case(
            "max-pool of a .npy holding -inf",
            (*anim, "max-pool", "--values-from", "{D}/neg_inf.npy", "--kernel", "1", *out),
            refusal=False,
        ),
    ]
    for name in ("inf", "nan", "big30", "big18", "int2_60"):
        cases.append(
            Case(
                f"correlate of {name}.csv with a kernel of ones",
                (
                    *anim,
                    "correlate",
                    "--values-from",
                    f"{{D}}/{name}.csv",
                    "--kernel-from",
                    "{D}/ones.csv",
                    *out,
                ),
                refusal=False,
            )
        )
    for name in ("ragged.csv", "words.csv", "empty.csv", "blank.csv"):
        cases.append(
            Case(
                f"--values-from {name}",
                (*anim, "max-pool", "--values-from", f"{{D}}/{name}", "--kernel", "1", *out),
            )
        )
    for name in (
        "e308.npy",
        "complex.npy",
        "strings.npy",
        "struct.npy",
        "object.npy",
        "bool.npy",
        "renamed.npy",
        "forged.npy",
        "truncated.npy",
    ):
        cases.append(
            Case(
                f"--values-from {name}",
                (*anim, "correlate", "--values-from", f"{{D}}/{name}", "--kernel", "1", *out),
                refusal=name != "e308.npy",
            )
        )
    corr = (*anim, "correlate", "--input", "4x4", "--kernel", "3")
    cases += [
        Case("--padding 4000 on 4x4", (*corr, "--padding", "4000", *out)),
        Case("--padding 100000 on 4x4", (*corr, "--padding", "100000", *out)),
        Case("--padding 10**20 on 4x4", (*corr, "--padding", "1" + "0" * 20, *out)),
        Case("--stride 10**20", (*corr, "--stride", "1" + "0" * 20, *out)),
        Case("--dilation 10**20", (*corr, "--dilation", "1" + "0" * 20, *out)),
        Case(
            "transpose --stride 30000",
            (*anim, "transpose", "--input", "4x4", "--kernel", "3", "--stride", "30000", *out),
        ),
        Case(
            "transpose-direct --stride 30000",
            (
                *anim,
                "transpose-direct",
                "--input",
                "4x4",
                "--kernel",
                "3",
                "--stride",
                "30000",
                *out,
            ),
        ),
        Case(
            "transpose --padding 0 --dilation 30000",
            (*anim, "transpose", "--input", "2x2", "--kernel", "2", "--dilation", "30000", *out),
        ),
        Case(
            "input-grad --stride 30000",
            (*anim, "input-grad", "--input", "4x4", "--kernel", "3", "--stride", "30000", *out),
        ),
        Case(
            "max-pool --padding 100000",
            (
                *anim,
                "max-pool",
                "--input",
                "4x4",
                "--kernel",
                "300000",
                "--padding",
                "100000",
                *out,
            ),
        ),
        Case(
            "avg-pool --stride 10**20",
            (
                *anim,
                "avg-pool",
                "--input",
                "4x4",
                "--kernel",
                "2",
                "--stride",
                "1" + "0" * 20,
                *out,
            ),
        ),
        Case(
            "--padding-mode replicate --padding 4000",
            (*corr, "--padding", "4000", "--padding-mode", "replicate", *out),
        ),
        Case("--out a FIFO", (*corr, "--out", "{D}/fifo.gif")),
        Case("--out a directory named .gif", (*corr, "--out", "{D}/adir.gif")),
        Case("--out a symlink to a FIFO", (*corr, "--out", "{D}/link.gif")),
    ]
    return cases


_API = """
import os, sys, numpy as np
from conv_explained import render
D = {folder!r}
def refused(call, *words):
    try:
        call()
    except (ValueError, TypeError, OSError) as exc:
        text = str(exc)
        if all(w in text for w in words) and "\\n" not in text:
            print("OK", text)
        else:
            print("BAD MESSAGE", text)
        sys.exit(0)
    print("NOT REFUSED")
"""


def api_cases() -> list[Case]:
    """Python API calls: huge inputs and options, special files as targets."""
    anim = "render.animate('correlate', np.ones((4, 4)), np.ones((3, 3)), verify=False)"
    save = f"a = {anim}\n"
    return [
        Case(
            "animate with a (100000, 100000) broadcast input",
            snippet="refused(lambda: render.animate('correlate', "
            "np.broadcast_to(np.float64(1), (100000, 100000)), np.ones((3, 3))), 'x')",
        ),
        Case(
            "animate max-pool with a broadcast input",
            snippet="refused(lambda: render.animate('max-pool', "
            "np.broadcast_to(np.float64(1), (100000, 100000)), kernel_size=2, spatial_dims=2), 'x')",
        ),
        Case(
            "animate padding=4000",
            snippet="refused(lambda: render.animate('correlate', np.ones((4, 4)), "
            "np.ones((3, 3)), padding=4000), 'padding', '4000')",
        ),
        Case(
            "animate padding=100000",
            snippet="refused(lambda: render.animate('correlate', np.ones((4, 4)), "
            "np.ones((3, 3)), padding=100000), 'padding', '100000')",
        ),
        Case(
            "animate stride=10**20",
            snippet="refused(lambda: render.animate('correlate', np.ones((4, 4)), "
            "np.ones((3, 3)), stride=10**20), 'stride')",
        ),
        Case(
            "animate transpose stride=30000",
            snippet="refused(lambda: render.animate('transpose', np.ones((4, 4)), "
            "np.ones((3, 3)), stride=30000), 'stride', '30000')",
        ),
        Case(
            "animate transpose-direct stride=30000",
            snippet="refused(lambda: render.animate('transpose-direct', np.ones((4, 4)), "
            "np.ones((3, 3)), stride=30000), 'stride', '30000')",
        ),
        Case(
            "animate input-grad stride=30000",
            snippet="refused(lambda: render.animate('input-grad', np.ones((4, 4)), "
            "np.ones((3, 3)), stride=30000), 'stride')",
        ),
        Case(
            "animate max-pool padding=100000",
            snippet="refused(lambda: render.animate('max-pool', np.ones((4, 4)), "
            "kernel_size=300000, spatial_dims=2, padding=100000), 'padding')",
        ),
        Case(
            "animate of 1e308 values",
            snippet="refused(lambda: render.animate('correlate', np.full((4, 4), 1e308), "
            "np.ones((1, 1))), 'too large to draw')",
        ),
        Case(
            "animate of 1e200 values times 1e200",
            snippet="refused(lambda: render.animate('correlate', np.full((4, 4), 1e200), "
            "np.full((1, 1), 1e200)), 'too large to draw')",
        ),
        Case(
            "animate max-pool of [1, -inf]",
            snippet="a = render.animate('max-pool', np.array([[1.0, -np.inf], [3.0, 4.0]]), "
            "kernel_size=(1, 1))\nprint('OK' if np.array_equal(a.values, "
            "[[[1, -np.inf], [3, 4]]]) else 'WRONG', a.values.tolist())",
            refusal=False,
        ),
        Case("save_gif to a FIFO", snippet=save + "refused(lambda: a.save_gif(D + '/fifo.gif'))"),
        Case(
            "save_still to a FIFO",
            snippet=save + "refused(lambda: a.save_still(D + '/fifo.png'))",
        ),
        Case(
            "save_gif to a symlink to a FIFO",
            snippet=save + "refused(lambda: a.save_gif(D + '/link.gif'))",
        ),
        Case(
            "save_gif to a directory",
            snippet=save + "refused(lambda: a.save_gif(D + '/adir.gif'))",
        ),
        Case(
            "save_gif to a device node copy",
            snippet=save
            + "import stat\ntry:\n    os.mknod(D + '/null.gif', 0o666 | stat.S_IFCHR, "
            "os.stat('/dev/null').st_rdev)\nexcept PermissionError:\n    print('OK skipped: "
            "not root'); sys.exit(0)\nrefused(lambda: a.save_gif(D + '/null.gif'))",
        ),
        Case(
            "save_gif with suffix .txt",
            snippet=save + "refused(lambda: a.save_gif(D + '/out.txt'), 'path')",
        ),
        Case(
            "save_still with suffix .gif",
            snippet=save + "refused(lambda: a.save_still(D + '/out.gif'), 'path')",
        ),
        Case(
            "save_strip with suffix .jpg",
            snippet=save + "refused(lambda: a.save_strip(D + '/out.jpg'), 'path')",
        ),
    ]


@dataclass
class Result:
    """One case's outcome: clean or not, its times and peak memory, and what it printed."""

    case: Case
    clean: bool
    seconds: float
    peak_mb: float
    detail: str
    inner: float  # seconds from importing the package to the outcome
    cpu: float = float("nan")  # the child's user + system CPU seconds (load-independent)


# The child times itself from the package's import to its outcome (the
# interpreter's own start, ~0.1 s unloaded, is not the refusal's doing) and
# writes the seconds to the file named by its first argument.
# It also writes its peak resident memory (VmHWM: of its own address space
# since exec; ru_maxrss is kept across execve, so it would start at the
# parent's size).
_REPORT = """
import atexit, sys, time
start = time.perf_counter()
def report():
    peak = [l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")]
    open(sys.argv[1], "w").write(f"{time.perf_counter() - start} {peak[0]}")
atexit.register(report)
"""
_CLI_RUNNER = (
    _REPORT
    + """
from conv_explained.cli import main
sys.exit(main(sys.argv[2:]))
"""
)
_API_RUNNER = (
    _REPORT
    + """
exec(compile(sys.argv[2], "<case>", "exec"))
"""
)


def _limit(gigabytes: float) -> None:
    size = int(gigabytes * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (size, size))


def run_case(case: Case, limit_gb: float, timeout: float = 120.0) -> Result:
    """Run one case in a fresh folder and child process; judge its outcome."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        _write_files(folder)
        clock = folder / "seconds.txt"
        if case.argv:
            cmd = [sys.executable, "-c", _CLI_RUNNER, str(clock)]
            cmd += [a.replace("{D}", name) for a in case.argv]
        else:
            code = _API.format(folder=name) + case.snippet
            cmd = [sys.executable, "-c", _API_RUNNER, str(clock), code]
        with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
            start = time.perf_counter()
            proc = subprocess.Popen(
                cmd,
                stdout=out_file,
                stderr=err_file,
                text=True,
                # Only setrlimit runs there; the timer thread starts after the fork.
                preexec_fn=lambda: _limit(limit_gb),  # noqa: PLW1509
            )
            timer = threading.Timer(timeout, proc.kill)
            timer.start()
            # wait4 reaps this one child; its ru_maxrss is the fallback peak (KiB).
            _, status, usage = os.wait4(proc.pid, 0)
            timer.cancel()
            seconds = time.perf_counter() - start
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            peak = usage.ru_maxrss / 1024
            cpu = usage.ru_utime + usage.ru_stime
            out_file.seek(0)
            err_file.seek(0)
            out, err = out_file.read(), err_file.read()
        if seconds >= timeout:
            return Result(case, False, seconds, peak, "timed out", float("nan"))
        inner = float("nan")
        if clock.exists():  # the child's own figures (absent if it was killed)
            seconds_text, kib = clock.read_text().split()
            inner, peak = float(seconds_text), int(kib) / 1024
    clean, detail = judge(case, code, out, err)
    if clean and case.refusal and (peak > MEMORY_GOAL_MB or not cpu < TIME_GOAL_S):
        clean, detail = False, f"{detail} (but {cpu:.1f} CPU s, {peak:.0f} MB)"
    return Result(case, clean, seconds, peak, detail, inner, cpu)


def judge(case: Case, code: int, out: str, err: str) -> tuple[bool, str]:
    """Whether the outcome is clean, and a short description of it."""
    lines = err.splitlines()
    if case.snippet:
        first = out.strip().splitlines()[:1]
        text = first[0] if first else (lines[-1] if lines else f"status {code}")
        return code == 0 and out.startswith("OK"), text[:150]
    if "Traceback" in err:
        return False, "traceback: " + (lines[-1] if lines else "")[:120]
    if code == 2:
        ok = len(lines) == 1 and lines[0].startswith(PREFIX)
        return ok, (lines[0] if lines else "status 2, no message")[:150]
    if code == 0:
        if WRAP in out:
            return False, "drew int64's minimum: " + out.strip()[:100]
        return True, "drawn: " + out.strip()[-100:]
    return False, f"status {code}: " + (lines[-1] if lines else "")[:120]


def main() -> None:
    """Run the cases and print a table, the counts and the slowest refusal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-gb", type=float, default=4.0)
    parser.add_argument("--only", default="")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {
        surface: [run_case(c, args.limit_gb) for c in cases if args.only in c.name]
        for surface, cases in (("CLI", cli_cases()), ("API", api_cases()))
    }
    if args.json:
        print(
            json.dumps(
                {
                    s: [
                        {
                            "name": r.case.name,
                            "clean": r.clean,
                            "seconds": round(r.seconds, 3),
                            "inner_seconds": round(r.inner, 3),
                            "cpu_seconds": round(r.cpu, 3),
                            "peak_mb": round(r.peak_mb, 1),
                            "detail": r.detail,
                        }
                        for r in rs
                    ]
                    for s, rs in results.items()
                },
                indent=1,
            )
        )
        return
    refusals = []
    for surface, rs in results.items():
        print(
            f"\n{surface}: {'case':<44} {'clean':<6} {'wall s':>6} {'own s':>6} {'CPU s':>6} "
            f"{'MB':>5}  outcome"
        )
        for r in rs:
            print(
                f"     {r.case.name[:44]:<44} {'yes' if r.clean else 'NO':<6} "
                f"{r.seconds:6.2f} {r.inner:6.2f} {r.cpu:6.2f} {r.peak_mb:5.0f}  {r.detail[:80]}"
            )
            if r.case.refusal:
                refusals.append(r)
        clean = sum(r.clean for r in rs)
        print(f"{surface}: {clean} of {len(rs)} inputs handled cleanly")
    if refusals:
        slowest = max(refusals, key=lambda r: r.cpu)
        hungriest = max(refusals, key=lambda r: r.peak_mb)
        print(
            f"\nslowest refusal: {slowest.case.name}: {slowest.cpu:.2f} CPU s for the whole "
            f"child process (goal < {TIME_GOAL_S:.0f} s); wall {slowest.seconds:.2f} s, "
            f"{slowest.inner:.2f} s from the package's import (both grow with the machine's "
            f"load: {os.getloadavg()[0]:.1f} now)"
        )
        print(
            f"largest refusal: {hungriest.case.name}: {hungriest.peak_mb:.0f} MB peak "
            f"(goal < {MEMORY_GOAL_MB} MB)"
        )


if __name__ == "__main__":
    main()
