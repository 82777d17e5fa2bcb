"""Mutation check: the tests and the docs must each catch every wrong number.

Each mutant below is one realistic fault in the reference operators (a
dropped kernel flip, an off-by-one, padding on the wrong side, ...), written
as a text patch. For each, a fresh copy of the checkout (sources only, never
the working tree) gets the patch, and two channels run against it:

* ``tests``: ``pytest -x -q -p no:randomly`` with ``HYPOTHESIS_PROFILE=dev``;
* ``docs``: every gallery script (``python gallery/.../plot_*.py``) and the
  code cells of every MyST-NB page (``tools/run_page.py``), as the site build
  executes them, stopping at the first failure.

A channel *kills* a mutant when it fails. The unpatched copy must pass both
channels first (else a kill proves nothing), and every patch must apply: its
target text must occur exactly as often as stated, or the script fails. The
report gives the kill rate per channel; the exit status is 1 unless both
channels kill every mutant.

Usage::

    python tools/mutation.py                 # all mutants, both channels
    python tools/mutation.py --list          # the mutants, checked to apply
    python tools/mutation.py --only same_padding_side --channels tests
    python tools/mutation.py --json report.json
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _copy import copy_checkout


@dataclass(frozen=True)
class Mutant:
    """One fault: replace ``old`` by ``new`` in ``path`` (``count`` occurrences, all)."""

    name: str
    path: str
    old: str
    new: str
    fault: str
    count: int = 1

    def apply(self, root: Path) -> None:
        """Patch the copy in ``root``; fails unless ``old`` occurs exactly ``count`` times."""
        file = root / self.path
        text = file.read_text(encoding="utf-8")
        found = text.count(self.old)
        if found != self.count:
            raise MutantDoesNotApply(
                f"mutant {self.name!r}: {self.path} holds {found} copies of {self.old!r}, "
                f"expected {self.count}"
            )
        file.write_text(text.replace(self.old, self.new), encoding="utf-8")


class MutantDoesNotApply(Exception):
    """The code a mutant patches has changed: update the mutant."""


MUTANTS = [
    Mutant(
        "convolve_no_flip",
        "conv_explained/ops.py",
        "flip(weight),",
        "weight,",
        "convolve forgets to flip the kernel (it correlates)",
    ),
    Mutant(
        "flip_first_axis_only",
        "conv_explained/ops.py",
        "flipped = np.flip(w, axis=tuple(range(2, w.ndim))).copy()",
        "flipped = np.flip(w, axis=2).copy()",
        "flip reverses only the first kernel axis",
    ),
    Mutant(
        "stride_off_by_one",
        "conv_explained/shapes.py",
        "out.append((ii + before + after - d * (kk - 1) - 1) // s + 1)",
        "out.append((ii + before + after - d * (kk - 1)) // s)",
        "conv_output_size: floor((i + 2p - d(k-1)) / s) instead of floor((... - 1) / s) + 1",
    ),
    Mutant(
        "same_padding_side",
        "conv_explained/shapes.py",
        "pairs.append((total // 2, total - total // 2))",
        "pairs.append((total - total // 2, total // 2))",
        'even "same" padding puts the extra row/column before instead of after',
    ),
    Mutant(
        "transpose_output_padding_ignored",
        "conv_explained/_shapes_transposed.py",
        "size = s * (ii - 1) - 2 * p + d * (kk - 1) + a + 1",
        "size = s * (ii - 1) - 2 * p + d * (kk - 1) + 1",
        "conv_transpose_output_size ignores output_padding",
    ),
    Mutant(
        "maxpool_argmax_off_by_one",
        "conv_explained/pooling.py",
        "indices = np.take_along_axis(index, position[..., None], axis=-1)[..., 0]",
        "indices = np.take_along_axis(index, np.minimum(position + 1, index.shape[-1] - 1)"
        "[..., None], axis=-1)[..., 0]",
        "max_pool's return_indices points one tap past the maximum",
    ),
    Mutant(
        "maxpool_ties_to_last",
        "conv_explained/pooling.py",
        "position = np.argmax((taps == values[..., None]) & real, axis=-1)",
        "position = taps.shape[-1] - 1 - np.argmax("
        "((taps == values[..., None]) & real)[..., ::-1], axis=-1)",
        "max_pool breaks ties with the last maximum, not the first (torch: first)",
    ),
    Mutant(
        "grad_input_not_flipped",
        "conv_explained/grad.py",
        'full = convolve(gz, wt, padding="full", dilation=dilations, groups=g)',
        'full = correlate(gz, wt, padding="full", dilation=dilations, groups=g)',
        "correlate_grad: input gradient correlates instead of convolving (no kernel flip)",
    ),
    Mutant(
        "grad_weight_stride_dilation_swapped",
        "conv_explained/grad.py",
        "part = correlate(xg, gg, stride=dilations, dilation=strides)",
        "part = correlate(xg, gg, stride=strides, dilation=dilations)",
        "correlate_grad: weight gradient swaps stride and dilation back",
    ),
    Mutant(
        "avgpool_always_counts_padding",
        "conv_explained/pooling.py",
        "    counts_padding = count_include_pad\n",
        "    counts_padding = True  # count_include_pad ignored\n",
        "avg_pool's divisor ignores count_include_pad=False",
    ),
    Mutant(
        "circular_padding_as_zeros",
        "conv_explained/_core.py",
        '"circular": "wrap",',
        '"circular": "constant",',
        "padding_mode='circular' pads with zeros",
    ),
    Mutant(
        "replicate_padding_as_reflect",
        "conv_explained/_core.py",
        '"replicate": "edge",',
        '"replicate": "reflect",',
        "padding_mode='replicate' reflects instead",
    ),
    Mutant(
        "dilation_ignored_in_windows",
        "conv_explained/_core.py",
        "*(st * dl for st, dl in zip(sp_strides, dilation, strict=True)),",
        "*(st for st, dl in zip(sp_strides, dilation, strict=True)),",
        "kernel windows ignore dilation (taps adjacent)",
    ),
    Mutant(
        "im2col_column_order",
        "conv_explained/matrix.py",
        "order = (0, 1, *range(2 + d, 2 + 2 * d), *range(2, 2 + d))",
        "order = (0, 1, *range(2 + d, 2 + 2 * d), *reversed(range(2, 2 + d)))",
        "im2col orders its columns (output positions) column-major",
    ),
    Mutant(
        "fft_correlate_no_conjugate",
        "conv_explained/spectral.py",
        "spectrum_b = spectrum_b.conj()",
        "spectrum_b = spectrum_b",
        "fft_correlate multiplies by the kernel spectrum without conjugating it",
        count=2,
    ),
    Mutant(
        "fft_correlate_nd_no_conjugate",
        "conv_explained/spectral.py",
        "spectrum_w = np.conj(forward(np.conj(wd), s=size, axes=axes))",
        "spectrum_w = forward(wd, s=size, axes=axes)",
        "fft_correlate_nd uses the kernel spectrum unconjugated (a convolution)",
    ),
    Mutant(
        "ceil_mode_window_rule_dropped",
        "conv_explained/shapes.py",
        "dropped = ceil_mode and (size - 1) * s >= i + p",
        "dropped = False",
        "pool_output_size keeps a ceil_mode window that starts in the right padding",
    ),
    Mutant(
        "receptive_field_ignores_jump",
        "conv_explained/shapes.py",
        "r = r + d * (k - 1) * j",
        "r = r + d * (k - 1)",
        "receptive_field forgets that strides multiply the growth of later layers",
    ),
]

CHANNELS = ("tests", "docs")


def _environment(copy: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(copy) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""),
        PYTHONDONTWRITEBYTECODE="1",  # a mutant's bytecode must never outlive it
        HYPOTHESIS_PROFILE="dev",
        MPLBACKEND="Agg",
        MATPLOTLIBRC=str(copy / "docs" / "matplotlibrc"),
        SOURCE_DATE_EPOCH="0",
    )
    return env


def _check_imports_copy(copy: Path, env: dict[str, str]) -> None:
    """The copy's package, not the installed one, must be what Python imports."""
    found = subprocess.run(
        [sys.executable, "-c", "import conv_explained; print(conv_explained.__file__)"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(found).resolve().is_relative_to(copy.resolve()):
        raise SystemExit(f"the copy in {copy} imports conv_explained from {found}")


def _commands(
    copy: Path, channel: str, pytest_args: tuple[str, ...] = ()
) -> list[tuple[list[str], Path]]:
    """``(argv, cwd)`` of each step of a channel, in order."""
    if channel == "tests":
        pytest = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly"]
        return [([*pytest, "-p", "no:cacheprovider", *pytest_args], copy)]
    steps = [
        ([sys.executable, script.name], script.parent)
        for script in sorted((copy / "gallery").rglob("plot_*.py"))
    ]
    pages = [
        page
        for page in sorted((copy / "docs").glob("*.md"))
        if "```{code-cell}" in page.read_text(encoding="utf-8")
    ]
    steps += [([sys.executable, str(copy / "tools" / "run_page.py"), str(p)], copy) for p in pages]
    return steps


@dataclass
class Outcome:
    """How one channel fared against one mutant (or the unpatched copy)."""

    failed: bool
    seconds: float
    step: str  # the step that failed (or "all passed")
    tail: str  # the last lines of its output


def run_channel(
    copy: Path,
    channel: str,
    env: dict[str, str],
    timeout: float,
    pytest_args: tuple[str, ...] = (),
) -> Outcome:
    """Run the channel's steps until one fails."""
    start = time.perf_counter()
    for argv, cwd in _commands(copy, channel, pytest_args):
        label = " ".join(Path(a).name if os.sep in a else a for a in argv[1:])
        try:
            result = subprocess.run(
                argv,
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=max(1.0, timeout - (time.perf_counter() - start)),
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Outcome(True, time.perf_counter() - start, f"{label} (timed out)", "")
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip().splitlines()
            # pytest names the test that failed: a better label than the command.
            failed = [
                line.split(" - ")[0] for line in output if line.startswith(("FAILED ", "ERROR "))
            ]
            step = failed[0] if failed else label
            return Outcome(True, time.perf_counter() - start, step, "\n".join(output[-12:]))
    return Outcome(False, time.perf_counter() - start, "all passed", "")


def _fresh_copy(base: Path, work: Path, name: str) -> Path:
    copy = work / name
    copy_checkout(copy, base)
    return copy


def main(argv: list[str] | None = None) -> int:
    """Run the mutants given on the command line; 0 only if every channel kills all."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these mutants")
    parser.add_argument("--channels", nargs="+", choices=CHANNELS, default=list(CHANNELS))
    parser.add_argument("--list", action="store_true", help="list the mutants (checked) and stop")
    parser.add_argument("--skip-baseline", action="store_true", help="trust the unpatched copy")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per channel run")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    parser.add_argument(
        "--pytest-args",
        default="",
        metavar="ARGS",
        help="extra pytest arguments for the tests channel, e.g. '--deselect tests/x.py::t'",
    )
    args = parser.parse_args(argv)
    pytest_args = tuple(shlex.split(args.pytest_args))

    mutants = MUTANTS
    if args.only:
        unknown = set(args.only) - {m.name for m in MUTANTS}
        if unknown:
            parser.error(f"unknown mutants: {', '.join(sorted(unknown))}")
        mutants = [m for m in MUTANTS if m.name in args.only]

    work = Path(tempfile.mkdtemp(prefix="conv_explained_mutation_"))
    try:
        base = copy_checkout(work / "base")
        # Every patch must apply before anything runs (each to its own copy of the file).
        for mutant in mutants:
            original = (base / mutant.path).read_text(encoding="utf-8")
            mutant.apply(base)
            (base / mutant.path).write_text(original, encoding="utf-8")
        if args.list:
            for mutant in mutants:
                print(f"{mutant.name:38} {mutant.path:28} {mutant.fault}")
            return 0
        env = _environment(base)
        _check_imports_copy(base, env)
        results: dict[str, dict[str, Outcome]] = {}
        if not args.skip_baseline:
            print("unpatched copy:", flush=True)
            for channel in args.channels:
                outcome = run_channel(base, channel, env, args.timeout, pytest_args)
                print(f"  {channel:5} {'FAILS' if outcome.failed else 'passes'} "
                      f"({outcome.seconds:.0f} s)", flush=True)  # fmt: skip
                if outcome.failed:
                    print(f"the unpatched copy fails {channel}: {outcome.step}\n{outcome.tail}")
                    return 1
        for mutant in mutants:
            copy = _fresh_copy(base, work, mutant.name)
            mutant.apply(copy)
            env = _environment(copy)
            _check_imports_copy(copy, env)
            print(f"{mutant.name}: {mutant.fault}", flush=True)
            results[mutant.name] = {}
            for channel in args.channels:
                outcome = run_channel(copy, channel, env, args.timeout, pytest_args)
                results[mutant.name][channel] = outcome
                verdict = f"killed by {outcome.step}" if outcome.failed else "SURVIVED"
                print(f"  {channel:5} {verdict} ({outcome.seconds:.0f} s)", flush=True)
            if not args.keep:
                _remove(copy)
        return _report(mutants, args.channels, results, args.json)
    finally:
        if args.keep:
            print(f"copies kept in {work}")
        else:
            _remove(work)


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _report(
    mutants: list[Mutant],
    channels: list[str],
    results: dict[str, dict[str, Outcome]],
    json_path: str | None,
) -> int:
    print()
    width = max(len(m.name) for m in mutants)
    print(f"{'mutant':{width}}  " + "  ".join(f"{c:8}" for c in channels))
    for mutant in mutants:
        row = [("killed" if results[mutant.name][c].failed else "SURVIVED") for c in channels]
        print(f"{mutant.name:{width}}  " + "  ".join(f"{v:8}" for v in row))
    complete = True
    summary = {}
    for channel in channels:
        killed = sum(results[m.name][channel].failed for m in mutants)
        survivors = [m.name for m in mutants if not results[m.name][channel].failed]
        complete &= not survivors
        summary[channel] = {"killed": killed, "total": len(mutants), "survivors": survivors}
        rate = 100 * killed / len(mutants)
        print(f"{channel}: {killed}/{len(mutants)} killed ({rate:.0f} %)"
              + (f"; survivors: {', '.join(survivors)}" if survivors else ""))  # fmt: skip
    if json_path:
        data = {
            "summary": summary,
            "mutants": {
                m.name: {
                    "path": m.path,
                    "fault": m.fault,
                    **{
                        c: {
                            "killed": results[m.name][c].failed,
                            "by": results[m.name][c].step,
                            "seconds": round(results[m.name][c].seconds, 1),
                            "output": results[m.name][c].tail,
                        }
                        for c in channels
                    },
                }
                for m in mutants
            },
        }
        Path(json_path).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
