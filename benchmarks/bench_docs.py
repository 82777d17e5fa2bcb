"""Benchmark: how long a no-change rebuild of the site takes.

A reader or contributor who runs ``nox -s docs`` twice should not wait for the
pages to execute again. This times the Sphinx command that ``nox -s docs``
runs (``sphinx-build -W --keep-going -b html docs docs/_build/html``) on an
already built site, several times, next to a baseline measured in the same
run: Sphinx building a one-page project with the same extensions loaded, which
is the fixed cost of starting Sphinx on this machine. The goal is a no-change
rebuild within 6 s.

Run with ``nox -s bench`` (after ``nox -s docs``; without a built site it
builds one first and reports that cold build too), or
``python benchmarks/bench_docs.py``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 6.0
BUILD = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]


def timed(command: list[str], cwd: Path) -> float:
    """Wall time of one command, in seconds; a failing command stops the benchmark."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True)
    return time.perf_counter() - start


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


if __name__ == "__main__":
    main()
