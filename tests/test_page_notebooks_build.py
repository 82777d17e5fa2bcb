"""The site's page notebooks (docs/_ext/page_notebooks.py): complete and reproducible."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

pytest.importorskip("myst_nb")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import page_notebooks

PAGES = sorted((ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_notebook_has_every_code_cell_and_stable_bytes(page, tmp_path):
    source = page.read_text(encoding="utf-8")
    notebook = page_notebooks.page_notebook(source)
    if "kernelspec:" not in source.split("\n---\n", 1)[0]:
        assert notebook is None
        return
    cells = re.findall(r"^```\{code-cell\}", source, re.MULTILINE)
    assert sum(c.cell_type == "code" for c in notebook.cells) == len(cells) > 0
    first, second = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    page_notebooks.write_notebook(notebook, first)
    page_notebooks.write_notebook(page_notebooks.page_notebook(source), second)
    assert first.read_bytes() == second.read_bytes()  # no random cell ids
