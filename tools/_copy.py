"""Copy the checkout without its build outputs and caches (shared by the tools here)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Paths (relative to the checkout) that are outputs or caches, never sources.
#: ``probes/results`` is not listed: it is not committed, but the docs read it.
SKIP_PATHS = {
    ".git",
    ".nox",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    "build",
    "dist",
    "out",
    "docs/_build",
    "docs/_generated",
    "docs/auto_gallery",
    "docs/gen_modules",
    "docs/api/generated",
    "docs/jupyter_execute",
}
#: Names skipped wherever they are.
SKIP_NAMES = {"__pycache__", ".ipynb_checkpoints"}


def copy_checkout(destination: Path, source: Path = ROOT) -> Path:
    """Copy ``source`` to ``destination`` (which must not exist), sources only."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).resolve().relative_to(source.resolve())
        skipped = set()
        for name in names:
            path = (relative / name).as_posix()
            if name in SKIP_NAMES or name.endswith(".egg-info") or path in SKIP_PATHS:
                skipped.add(name)
        return skipped

    shutil.copytree(source, destination, ignore=ignore, symlinks=True)
    return destination
