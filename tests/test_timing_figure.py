"""The timing figure of docs/efficient_computation.md holds whatever the times measure.

The page plots times taken while it is built, so two methods can take the
same time on some machine. Its drawing code is run here on made-up times
where methods coincide: every mark must still pass the figure's contrast
check (:func:`conv_explained._themed_plot.themed_plot`). Drawn as lines or
markers over one another, a coinciding method measured 1.14:1 and failed.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from conv_explained._themed_plot import AA, themed_plot

matplotlib.use("Agg")

PAGE = Path(__file__).resolve().parents[1] / "docs" / "efficient_computation.md"
METHODS = [
    "torch conv2d (CPU)",
    "direct (tap loop, numpy)",
    "im2col + GEMM (correlate)",
    "FFT (fft_correlate_nd)",
]


def page_draw(times):
    """The page's ``draw`` function, defined over the given times."""
    source = PAGE.read_text(encoding="utf-8")
    start = source.index("def draw(theme):")
    code = source[start : source.index("themed_plot(draw)", start)]
    kernel_sizes = [3, 5, 9, 15, 25, 31]
    scope = {
        "np": np,
        "plt": plt,
        "kernel_sizes": kernel_sizes,
        "N": 1,
        "C_in": 4,
        "C_out": 4,
        "H": 96,
        "times": times,
        "flops": {"direct / GEMM": [k * k * 1e5 for k in kernel_sizes], "FFT": [3e6] * 6},
    }
    exec(compile(code, str(PAGE), "exec"), scope)  # noqa: S102 (the page's own code, run as the build runs it)
    return scope["draw"]


@pytest.mark.parametrize(
    "equal",
    [METHODS[2:], METHODS],
    ids=["im2col and FFT take the same time", "all four take the same time"],
)
def test_methods_that_take_the_same_time_all_still_show(equal):
    times = {name: list(np.geomspace(0.1, 10, 6) * (1 + i)) for i, name in enumerate(METHODS)}
    for name in equal:
        times[name] = list(times[equal[0]])
    figure = themed_plot(page_draw(times))  # raises if any mark falls under AA
    assert min(figure.lowest.values()) >= AA
