"""Sessions for conv_explained: ``nox -l`` lists them."""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests", "docs"]

ROOT = Path(__file__).parent
# The CPU wheel of torch lies in pip's find-links folder here; pinning it
# keeps pip from resolving a multi-GB CUDA build. The pin's one source is
# [tool.conv_explained] torch-pin in pyproject.toml.
TORCH = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["conv_explained"]["torch-pin"]


def _install(session: nox.Session, extra: str) -> None:
    session.install(TORCH)
    session.install("-e", f".[{extra}]")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (pytest, hypothesis, doctests) against torch."""
    _install(session, "test,docs")  # docs: the Sphinx scraper and directive tests
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint: the pre-commit checks, mypy --strict and the import-layer contracts."""
    # The package's own dependencies (no torch) so that mypy sees their types
    # and import-linter can import the package; versions as in .pre-commit-config.yaml.
    session.install(
        "-e", ".[lint]", "ruff==0.17.6", "codespell==2.4.3", "validate-pyproject[all]==0.27"
    )
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("codespell")
    session.run("validate-pyproject", "pyproject.toml")
    session.run("mypy")  # --strict over conv_explained/, see [tool.mypy]
    session.run("lint-imports")  # the contracts in [tool.importlinter]


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html (``-- --fresh`` re-executes everything)."""
    _install(session, "docs")
    args = list(session.posargs)
    if "--fresh" in args:
        args.remove("--fresh")
        for stale in (
            "docs/_build",
            "docs/auto_gallery",
            "docs/gen_modules",
            "docs/api/generated",
            "docs/_generated",
        ):
            shutil.rmtree(ROOT / stale, ignore_errors=True)
    # The frameworks page compares recorded probe results; produce the missing
    # or stale ones first (each in its own venv, see the frameworks session).
    stale = session.run("python", "probes/ensure_results.py", "--list", silent=True)
    if stale and stale.split():
        session.run(
            sys.executable,
            "-m",
            "nox",
            "-s",
            *(f"frameworks({name})" for name in stale.split()),
            external=True,
        )
    if "--serve" in args:
        args.remove("--serve")
        session.install("sphinx-autobuild")
        session.run("sphinx-autobuild", "docs", "docs/_build/html", *args)
        return
    session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html", *args
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Time the operators and renderer against torch, hostile-input refusals, a docs rebuild."""
    _install(session, "bench,docs")
    session.run("python", "benchmarks/bench.py", *session.posargs)
    # Each hostile input of issue 19 in a child: wall time, peak memory, slowest refusal.
    session.run("python", "benchmarks/bench_refusals.py")
    # A no-change rebuild of the site (builds it first if docs/_build/html is missing).
    session.run("python", "benchmarks/bench_docs.py")
    # The explorer in Debian's Chromium (needs the built site: nox -s docs).
    session.install("playwright>=1.40", "pypdf>=5", "pikepdf>=9")
    session.run("python", "benchmarks/bench_explorer.py")
    # The guide's PDF: its size against the 25 MB budget (builds it if missing).
    session.run("python", "benchmarks/bench_pdf.py")


# Each framework probe runs in its own venv: mxnet 1.9.1 needs numpy<1.24, and
# tensorflow, torch and jax are best kept apart. The requirements live beside
# the probe (probes/probe.py), whose result hash covers them.
sys.path.insert(0, str(ROOT))
from probes.probe import FRAMEWORKS as PROBES


@nox.session
@nox.parametrize("framework", list(PROBES), ids=list(PROBES))
def frameworks(session: nox.Session, framework: str) -> None:
    """Run one framework's probe in its own venv into probes/results/<framework>.json."""
    session.install(*PROBES[framework])
    session.run("python", "-m", "probes.probe", framework, *session.posargs)


# The reader's view of the built site: needs docs/_build/html (nox -s docs) and
# Debian's Chromium, never a browser download (no `playwright install`).
CHROMIUM = Path("/usr/bin/chromium")


def _chromium(session: nox.Session) -> None:
    """Debian's Chromium, installed with apt-get when missing (as root)."""
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0:
        session.error(f"{CHROMIUM} is missing: apt-get install -y chromium (as root)")
    apt = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", external=True, env=apt)
    session.run("apt-get", "install", "-y", "chromium", external=True, env=apt)


@nox.session
def browser(session: nox.Session) -> None:
    """Check the built site in headless Chromium: pages, images, math, search, links, axe."""
    site = Path(os.environ.get("CONV_EXPLAINED_SITE", ROOT / "docs" / "_build" / "html"))
    if not (site / "index.html").is_file():
        session.error(f"no built site in {site}: run `nox -s docs` first")
    _chromium(session)
    # The explorer's agreement test compares with the package and torch.
    _install(session, "test")
    session.install(
        "pytest>=8",
        "pytest-xdist>=3",
        "playwright>=1.40",
        "axe-playwright-python>=0.1.4",
        "pillow>=10",
        "sphinx-mathjax-offline>=0.0.2",  # MathJax for the checkers' own fixture site
    )
    # --confcutdir: tests/conftest.py (torch, hypothesis) is not needed here.
    # `nox -s browser -- tests/browser/test_checkers.py -x` picks tests.
    paths = [] if any(a.startswith("tests/") for a in session.posargs) else ["tests/browser"]
    # Two workers, each with its own Chromium and server: a page load waits on
    # the browser's processes as much as on Python. A file's tests stay on one
    # worker, in order (some sum up what that file's page tests measured).
    # `-- -n 0` runs them in this process.
    parallel = ["-n", "2", "--dist", "loadfile", "--durations=15"]
    session.run("pytest", "--confcutdir=tests/browser", *parallel, *paths, *session.posargs)


@nox.session
def pdf(session: nox.Session) -> None:
    """The guide as one PDF from the built site (needs nox -s docs), then its print tests."""
    site = Path(os.environ.get("CONV_EXPLAINED_SITE", ROOT / "docs" / "_build" / "html"))
    if not (site / "index.html").is_file():
        session.error(f"no built site in {site}: run `nox -s docs` first")
    _chromium(session)
    session.install("playwright>=1.40", "pypdf>=5", "pikepdf>=9", "pytest>=8")
    # Prints every page of the verified build with Chromium, merges them with
    # pypdf into docs/_build/pdf/conv_explained.pdf and copies it into the site.
    session.run("python", "tools/build_pdf.py", "--site", str(site))
    # What a reader gets on paper: whole pages, wrapped code, strips, the PDF's text.
    session.run("pytest", "--confcutdir=tests/pdf", "tests/pdf", *session.posargs)


@nox.session
def notebooks(session: nox.Session) -> None:
    """Run every page's downloadable notebook in a fresh kernel (needs nox -s docs first)."""
    site = Path(os.environ.get("CONV_EXPLAINED_SITE", ROOT / "docs" / "_build" / "html"))
    if not (site / "_notebooks").is_dir():
        session.error(f"no notebooks in {site}/_notebooks: run `nox -s docs` first")
    session.install(TORCH)
    session.install("-e", ".")  # the package alone, then what the pages import
    session.install("myst-nb", "sympy", "threadpoolctl", "nbclient", "ipykernel", "pytest>=8")
    session.run(
        "pytest", "--confcutdir=tests/notebooks", "tests/notebooks", "-v", *session.posargs
    )


@nox.session
def repro(session: nox.Session) -> None:
    """Build the site and the catalog twice from clean; every image must be byte-identical."""
    _install(session, "docs")
    session.run("python", "tools/check_repro.py", *session.posargs)


@nox.session
def mutation(session: nox.Session) -> None:
    """Inject faults into the operators one at a time; the tests and the docs must catch each."""
    _install(session, "test,docs")
    session.run("python", "tools/mutation.py", *session.posargs)
