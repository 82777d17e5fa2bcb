"""Each page's downloadable notebook runs top to bottom in a fresh kernel.

The notebooks are the ones the built site offers (``_notebooks/*.ipynb`` in
``$CONV_EXPLAINED_SITE``, default ``docs/_build/html``), executed by nbclient
in a new ``python3`` kernel whose working directory is an empty temporary
folder, not ``docs/``: nothing the Sphinx build set up (its matplotlibrc, its
cwd, its glue) is there. ``nox -s notebooks`` runs this in a venv holding
only the package and what the pages import.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("CONV_EXPLAINED_SITE", ROOT / "docs" / "_build" / "html"))
FOLDER = SITE / "_notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb")) if FOLDER.is_dir() else []
#: Every page with a kernelspec must have been turned into a notebook.
EXPECTED = sorted(
    p.stem
    for p in (ROOT / "docs").glob("*.md")
    if re.match(r"\A---\n[^\n]*\n(?:.*\n)*?kernelspec:", p.read_text(encoding="utf-8"))
)


def test_every_page_has_its_notebook():
    assert FOLDER.is_dir(), f"no {FOLDER}: build the site first (nox -s docs)"
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_a_fresh_kernel(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    assert any(c.cell_type == "code" for c in notebook.cells)
    # The kernel gets this environment minus what the Sphinx build would set.
    env = {k: v for k, v in os.environ.items() if k not in ("MATPLOTLIBRC", "SOURCE_DATE_EPOCH")}
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    start = time.perf_counter()
    client.execute(
        env=env | {"MPLBACKEND": "Agg"}
    )  # raises CellExecutionError on the first failing cell
    print(f"{path.name}: {time.perf_counter() - start:.1f} s")
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
