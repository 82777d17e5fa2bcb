"""The input gradient is named right everywhere: no "full convolution with the flipped kernel".

By the site's own identity conv(g, flip(w)) = corr(g, w), a *convolution*
with the flipped kernel is a correlation with the kernel, which is not the
input gradient. The right words are "full convolution with the kernel" or
"full correlation with the flipped kernel". This test reads every text file
the repository tracks, so the wrong phrasing cannot come back.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEXT = {".py", ".md", ".rst", ".txt", ".toml", ".cfg", ".yaml", ".yml", ".html", ".js", ".ipynb"}
FLIPPED = r"flipped\s+(?:\d+[x×]\d+\s+)?kernel"
WRONG = [
    re.compile(r"full\s+convolution\b[^.;:]{0,80}?\bwith\s+the\s+" + FLIPPED, re.IGNORECASE),
    re.compile(r"fully\s+convolved\b[^.;:]{0,80}?\bwith\s+the\s+" + FLIPPED, re.IGNORECASE),
    re.compile(r"gradient[^.;:]{0,60}?\bconvolved\s+with\s+the\s+" + FLIPPED, re.IGNORECASE),
]


def _tracked() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        names = out.splitlines()
    except (OSError, subprocess.CalledProcessError):  # not a checkout: read the tree
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    return [
        ROOT / n
        for n in names
        if Path(n).suffix in TEXT and not n.startswith(("docs/_build", "docs/auto_"))
    ]


def wrong_phrases(text: str) -> list[str]:
    """The wrong namings of the input gradient in ``text`` (whitespace folded)."""
    flat = " ".join(text.split())
    return [m.group(0) for pattern in WRONG for m in pattern.finditer(flat)]


@pytest.mark.parametrize(
    "text",
    [
        "the input gradient is a full convolution with the flipped kernel",
        "a full convolution of the output gradient with the\n   flipped kernel",
        "is fully convolved with the flipped 3×3 kernel: each input cell",
        "the output gradient, fully padded, convolved with the flipped kernel.",
    ],
)
def test_the_scan_catches_the_wrong_phrasing(text):
    assert wrong_phrases(text)


@pytest.mark.parametrize(
    "text",
    [
        "the input gradient is a full convolution with the kernel",
        "a full correlation with the flipped kernel (a full convolution with the kernel)",
        "is fully correlated with the flipped 3×3 kernel",
    ],
)
def test_the_scan_accepts_the_right_phrasing(text):
    assert not wrong_phrases(text)


def test_no_file_calls_the_input_gradient_a_convolution_with_the_flipped_kernel():
    files = _tracked()
    assert len(files) > 50  # the scan really reads the repository
    found = {
        str(f.relative_to(ROOT)): hits
        for f in files
        if f.resolve() != Path(__file__).resolve()
        and (hits := wrong_phrases(f.read_text(encoding="utf-8", errors="replace")))
    }
    assert not found, found


def test_the_animation_title_and_alt_text_name_the_input_gradient_right():
    import numpy as np

    from conv_explained import render
    from conv_explained.render._pipeline import Options, Request

    x, w = np.arange(9).reshape(3, 3), np.ones((2, 2), int)
    figure = render.OPS["input-grad"].figure("input-grad", Request(x, w), Options())
    assert figure.header[0] == "Input gradient: full correlation with the flipped kernel"
    anim = render.animate("input-grad", x, w)
    assert "fully correlated with the flipped 2×2 kernel" in anim.alt_text
    assert not wrong_phrases(figure.header[0] + " " + anim.alt_text)
