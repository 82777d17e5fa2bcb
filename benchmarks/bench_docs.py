"""Benchmark: how long a no-change rebuild of the site takes, and one after an operator change.

A reader or contributor who runs ``nox -s docs`` twice should not wait for the
pages to execute again. This times the Sphinx command that ``nox -s docs``
runs (``sphinx-build -W --keep-going -b html docs docs/_build/html``) on an
already built site, several times, next to a baseline measured in the same
run: Sphinx building a one-page project with the same extensions loaded, which
is the fixed cost of starting Sphinx on this machine. The goal is a no-change
rebuild within 6 s.

Then the price of re-verification: a one-line change to an operator (a
comment line appended to ``conv_explained/ops.py``) changes the code every
page and gallery script imports, so the next build runs, and re-verifies,
all of them (``docs/_ext/code_digest.py``). That rebuild is timed in a
temporary copy of the repository with its build outputs, so the checkout and
its caches stay as they were. The copy lies elsewhere, so Sphinx also re-reads
the pages that run nothing (its saved environment names the old folder): the
figure is an upper bound of the same rebuild in place.

Run with ``nox -s bench`` (after ``nox -s docs``; without a built site it
builds one first and reports that cold build too), or
``python benchmarks/bench_docs.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 6.0
BUILD = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]


SPHINX_BUILD = Path(sys.executable).parent / "sphinx-build"
#: Not copied for the operator-change rebuild: not read by the build.
_NOT_COPIED = {".git", ".nox", ".hypothesis", ".pytest_cache", ".ruff_cache", ".mypy_cache"}


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall time of one command, in seconds; a failing command stops the benchmark."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, env=env)
    return time.perf_counter() - start


def operator_change_rebuild() -> float:
    """Time the rebuild after appending one comment line to ``conv_explained/ops.py``.

    Runs in a copy of the repository with its build outputs; the copy's
    package comes first on the path (the build checks it is the tree's).
    """
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(
            ROOT,
            copy,
            symlinks=True,
            ignore=lambda folder, names: {n for n in names if n in _NOT_COPIED},
        )
        ops = copy / "conv_explained" / "ops.py"
        ops.write_text(ops.read_text() + "# a one-line change: every page re-verifies\n")
        env = dict(os.environ, PYTHONPATH=str(copy))
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        command = [str(SPHINX_BUILD), *BUILD[3:], "docs", "docs/_build/html"]
        return timed(command, copy, env)


def baseline(repeat: int) -> float:
    """Best time for Sphinx to build a one-page project with the site's extensions."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        (src / "conf.py").write_text(
            'extensions = ["myst_nb", "sphinx_gallery.load_style", "sphinx_design"]\n'
            'html_theme = "pydata_sphinx_theme"\n'
        )
        (src / "index.md").write_text("# Baseline\n\nOne page.\n")
        out = Path(tmp) / "html"
        timed([*BUILD, str(src), str(out)], ROOT)  # first build: not a no-change rebuild
        return min(timed([*BUILD, str(src), str(out)], ROOT) for _ in range(repeat))


def main() -> None:
    """Print the no-change rebuild times and their ratios to the goal and the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rebuilds (best kept)")
    parser.add_argument(
        "--no-operator-change",
        action="store_true",
        help="skip the rebuild after a one-line operator change (it re-runs every page)",
    )
    args = parser.parse_args()
    site = ROOT / "docs" / "_build" / "html"
    if not (site / "index.html").is_file():
        print("no built site in docs/_build/html: building it first (cold build)")
        print(f"cold build: {timed([*BUILD, 'docs', str(site)], ROOT):.1f} s")
    times = [timed([*BUILD, "docs", str(site)], ROOT) for _ in range(args.repeat)]
    base = baseline(args.repeat)
    best, median = min(times), statistics.median(times)
    print("\nno-change rebuild of the site (sphinx-build, as nox -s docs runs it)")
    print(f"  runs: {', '.join(f'{t:.2f} s' for t in times)}")
    print(f"  best {best:.2f} s, median {median:.2f} s; goal {GOAL_S:.0f} s")
    print(
        f"  best / goal: {best / GOAL_S:.2f} ({'within' if best <= GOAL_S else 'over'} the goal)"
    )
    print(f"  baseline (one-page project, same extensions): {base:.2f} s")
    print(f"  best / baseline: {best / base:.2f}")
    if not args.no_operator_change:
        changed = operator_change_rebuild()
        print("\nrebuild after a one-line change to conv_explained/ops.py (every page and")
        print("gallery script imports it, so all of them run and re-verify; in a copy)")
        print(f"  {changed:.1f} s ({changed / best:.0f} x the no-change rebuild)")


if __name__ == "__main__":
    main()
