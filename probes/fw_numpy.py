"""NumPy probe: ``np.convolve`` and ``np.correlate`` (1-D only, float64/complex128)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ._record import record
from ._signal_cases import signal_mode

PREPARE = "a, v = case.x[0, 0], case.weight[0, 0]  # the signal and the kernel"


def versions() -> dict[str, str]:
    """Versions of the libraries the probe used."""
    return {"numpy": np.__version__}


def run(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every call this probe makes for one case."""
    mode = signal_mode(case)
    if mode is None or np.asarray(case["x"]).ndim != 3:
        return
    a, v = np.asarray(case["x"])[0, 0], np.asarray(case["weight"])[0, 0]
    for name, fn in (("np.correlate", np.correlate), ("np.convolve", np.convolve)):
        yield record(
            name,
            fn,
            [("a", a), ("v", v)],
            {"mode": mode},
            layout="W",
            prepare=PREPARE,
            options={"mode": mode, "arguments": ["x", "w"]},
        )
    # The defaults differ: np.correlate's mode is 'valid', np.convolve's is 'full'.
    default = {"valid": ("np.correlate", np.correlate), "full": ("np.convolve", np.convolve)}
    if mode in default and not np.iscomplexobj(a):
        name, fn = default[mode]
        yield record(
            name,
            fn,
            [("a", a), ("v", v)],
            {},
            layout="W",
            prepare=PREPARE,
            options={"arguments": ["x", "w"]},
        )
    if mode == "full":
        # The argument order matters for correlate (not for convolve).
        yield record(
            "np.correlate",
            np.correlate,
            [("v", v), ("a", a)],
            {"mode": mode},
            layout="W",
            prepare=PREPARE,
            options={"mode": mode, "arguments": ["w", "x"]},
        )
