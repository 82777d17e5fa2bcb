"""The build check for typed numbers (docs/_ext/prose_numbers.py) fails on a planted one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("myst_nb")
from sphinx.cmd.build import build_main

EXT = Path(__file__).resolve().parents[1] / "docs" / "_ext"
sys.path.insert(0, str(EXT))
import prose_numbers


def _build(tmp_path: Path, page: str) -> tuple[int, str]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(EXT)!r})\n"
        "extensions = ['myst_nb', 'prose_numbers']\nproject = 't'\n"
        "nb_execution_mode = 'off'\nprose_numbers_sources = False\n"
        "myst_enable_extensions = ['dollarmath']\n"
    )
    (src / "index.md").write_text(page)
    warnings = tmp_path / "warnings.txt"
    status = build_main(
        ["-q", "-W", "-w", str(warnings), "-b", "html", str(src), str(tmp_path / "out")]
    )
    return status, warnings.read_text() if warnings.exists() else ""


def test_a_planted_typed_number_fails_the_build(tmp_path):
    status, warnings = _build(tmp_path, "# Title\n\nThe error is about 2.9 on average.\n")
    assert status != 0
    assert "typed number 2.9 in prose" in warnings
    assert "index.md" in warnings


def test_a_typed_number_in_a_caption_or_an_alt_text_fails_the_build(tmp_path):
    page = (
        "# Title\n\n```{figure} missing.png\n:alt: The peak reaches 17 at the centre.\n\n"
        "The largest output is 23.\n```\n"
    )
    status, warnings = _build(tmp_path, page)
    assert status != 0
    assert "typed number 17 in an alt text" in warnings
    assert "typed number 23 in prose" in warnings


def test_code_math_and_definitions_pass(tmp_path):
    page = (
        "# Title\n\nA 3×3 kernel with stride 2 over a 5×5 input (Dumoulin and Visin, 2016) "
        "gives `o = 2` and $o = \\lfloor (5 - 3) / 2 \\rfloor + 1$; see conv2d and 2-D.\n\n"
        "```python\nx = 2.9\n```\n"
    )
    status, warnings = _build(tmp_path, page)
    assert (status, warnings) == (0, "")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("three 3×3 layers see 7 cells", ["7"]),
        ("PyTorch gives 1.4e-14 here", ["1", "14"]),  # an exponent form is found too
        ("stride 2, padding 1, dilations 1, 2, 4", []),
        ("MXNet 1.9.1 in 2016", []),
        ("a 12 by 12 image, its 180-degree rotation, upsampling by 2", []),
        ("the square grows by 2 cells", ["2"]),
        ("lesson 3 and plot_09_checkerboard", []),
        ("16/6, not 16/9", ["16", "6", "16", "9"]),
    ],
)
def test_the_scanner(text, found):
    assert prose_numbers.typed_numbers(text) == found
