"""An operator made wrong fails the incremental docs build, in one line naming what disagreed.

In a temporary copy of the repository's package and Sphinx set-up (the real
``docs/conf.py`` and ``docs/_ext``, with one small executed page and one
gallery script of its own, so a cold build takes seconds), the site is built,
rebuilt without a change (nothing runs again), and then a fault is put into
an operator and the same command, ``sphinx-build -W --keep-going -b html docs
docs/_build/html``, runs incrementally. It must fail, and the last line it
prints must name the page and cell (or script and line), both values and the
implementation that gave each.

Marked ``slow`` (about a minute): ``pytest -m "not slow"`` leaves it out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("myst_nb")
pytest.importorskip("sphinx_gallery")

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
# The command nox -s docs runs (the console script: unlike ``python -m sphinx``
# it does not put the working directory on sys.path).
_SCRIPT = Path(sys.executable).parent / "sphinx-build"
BUILD = [
    *([str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "sphinx"]),
    *("-W", "--keep-going", "-b", "html", "docs"),
]
OUT = "docs/_build/html"

PAGE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Check

```{code-cell} ipython3
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import verify
```

The receptive field of three 3-wide layers, counted by brute force: the input
cells that get a gradient from one output cell.

```{code-cell} ipython3
x = torch.zeros(1, 1, 15, dtype=torch.float64, requires_grad=True)
y = x
for _ in range(3):
    y = F.conv1d(y, torch.ones(1, 1, 3, dtype=torch.float64))
y[0, 0, 0].backward()
seen = int((x.grad != 0).sum())
field = ce.receptive_field([(3, 1)] * 3)[-1][0]
verify.compare(field, seen, what="the receptive field of three 3-wide layers", got_by="conv_explained.receptive_field", expected_by="torch autograd (cells with a gradient)")
```
"""

SCRIPT = '''\
"""
Correlation, checked
====================

One image and one kernel, correlated by the package and by PyTorch.
"""

import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import verify

image = np.arange(16.0).reshape(1, 4, 4)
kernel = np.ones((1, 1, 3, 3))
got = ce.correlate(image, kernel)
expected = F.conv2d(torch.from_numpy(image)[None], torch.from_numpy(kernel))[0]
print(verify.compare(got, expected, what="the correlation", got_by="conv_explained.correlate", expected_by="torch.nn.functional.conv2d"))
'''

#: Faults put at the end of a module: the public name is replaced by a wrong one.
RECEPTIVE_FIELD_FAULT = """

_right_receptive_field = receptive_field


def receptive_field(layers):  # injected fault: every field one cell too wide
    return [(r + 1, j) for r, j in _right_receptive_field(layers)]
"""
CORRELATE_FAULT = """

_right_correlate = correlate


def correlate(*args, **kwargs):  # injected fault: one output cell off by one
    out = _right_correlate(*args, **kwargs)
    out.flat[0] += 1
    return out
"""


def _ignore(folder, names):
    return {n for n in names if n in {"__pycache__", "_build", ".ipynb_checkpoints"}}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A copy of the package and the Sphinx set-up, with one page and one script."""
    copy = tmp_path_factory.mktemp("incremental") / "repo"
    shutil.copytree(ROOT / "conv_explained", copy / "conv_explained", ignore=_ignore)
    docs = copy / "docs"
    for name in ("_ext", "_static", "_templates"):
        shutil.copytree(ROOT / "docs" / name, docs / name, ignore=_ignore)
    shutil.copy2(ROOT / "docs" / "matplotlibrc", docs / "matplotlibrc")
    conf = (ROOT / "docs" / "conf.py").read_text()
    conf += "\n# (test) this small site has no API reference page\nce_api_modules = []\n"
    (docs / "conf.py").write_text(conf)
    (docs / "index.md").write_text(
        "# A small site\n\n```{toctree}\ncheck\nauto_gallery/index\n```\n"
    )
    (docs / "check.md").write_text(PAGE)
    gallery = copy / "gallery"
    (gallery / "01_check").mkdir(parents=True)
    (gallery / "GALLERY_HEADER.rst").write_text("Gallery\n=======\n\nOne lesson.\n")
    (gallery / "01_check" / "GALLERY_HEADER.rst").write_text("Checks\n------\n")
    (gallery / "01_check" / "plot_01_check.py").write_text(SCRIPT)
    return copy


def build(copy: Path, *, tree_first: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the site's build command in ``copy`` (its package first on the path)."""
    env = {k: v for k, v in os.environ.items() if k != "CONV_EXPLAINED_TREE"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    if tree_first:
        env["PYTHONPATH"] = str(copy)
    else:
        env.pop("PYTHONPATH", None)
    return subprocess.run(
        [*BUILD, OUT], cwd=copy, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def test_a_build_importing_the_package_from_elsewhere_stops_in_one_line(site):
    import importlib.util

    spec = importlib.util.find_spec("conv_explained")
    if spec is None or spec.origin is None or site in Path(spec.origin).resolve().parents:
        pytest.skip("conv_explained is not installed outside the copy")
    result = build(site, tree_first=False)
    assert result.returncode == 2, result.stderr[-2000:]
    assert re.fullmatch(
        r"Sphinx imports conv_explained from \S+, not from the tree \S+: .*", last_line(result)
    ), result.stderr[-2000:]


def test_a_fault_in_an_operator_fails_the_incremental_build_in_one_line(site):
    md5 = site / "docs" / "auto_gallery" / "01_check" / "plot_01_check.py.md5"

    first = build(site)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "Executing notebook" in first.stdout
    ran_at = md5.stat().st_mtime_ns

    again = build(site)  # no change: nothing runs again
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Executing notebook" not in again.stdout
    assert md5.stat().st_mtime_ns == ran_at

    # A wrong receptive-field rule: the gallery script re-runs (and passes, it
    # does not use the rule); the page re-executes and its check fails.
    shapes = site / "conv_explained" / "shapes.py"
    shapes.write_text(shapes.read_text() + RECEPTIVE_FIELD_FAULT)
    page = build(site)
    assert page.returncode != 0, page.stdout[-3000:]
    assert md5.stat().st_mtime_ns != ran_at  # the script ran again against the new code
    assert last_line(page) == (
        "page check, cell 2, line 8: the receptive field of three 3-wide layers: "
        "conv_explained.receptive_field gave 8, torch autograd (cells with a gradient) "
        "gave 7 (largest difference 1, tolerance 0)"
    ), page.stderr[-3000:]

    # A wrong correlation: the gallery script, which runs first, fails.
    ops = site / "conv_explained" / "ops.py"
    ops.write_text(ops.read_text() + CORRELATE_FAULT)
    script = build(site)
    assert script.returncode != 0, script.stdout[-3000:]
    assert last_line(script) == (
        "script gallery/01_check/plot_01_check.py, line 19: the correlation: "
        "conv_explained.correlate gave 46 at index (0, 0, 0), torch.nn.functional.conv2d "
        "gave 45 (largest difference 1, tolerance 0)"
    ), script.stderr[-3000:]
    # The failing script left no checksum: the next build runs it again.
    assert not md5.exists()


def test_the_hidden_cell_is_not_in_the_page_notebook(site):
    """The downloadable notebook is the page as written (docs/_ext/page_notebooks.py)."""
    notebooks = list((site / OUT / "_notebooks").glob("*.ipynb"))
    for notebook in notebooks:
        assert "code_digest" not in notebook.read_text()


def test_the_fixture_page_is_valid_myst(site):
    # The line numbers asserted above are counted in these texts.
    cell = PAGE.split("```{code-cell} ipython3\n")[2]
    assert cell.splitlines()[7].startswith("verify.compare(")
    assert SCRIPT.splitlines()[18].startswith("print(verify.compare(")
