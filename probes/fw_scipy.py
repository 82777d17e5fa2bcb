"""SciPy probe: ``scipy.signal`` and ``scipy.ndimage`` (single channel, float64)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import scipy
from scipy import ndimage, signal

from ._record import record
from ._signal_cases import signal_mode

PREPARE = "a, v = case.x[0, 0], case.weight[0, 0]  # the image (or signal) and the kernel"

#: Cases whose padding_mode has an scipy.ndimage ``mode`` (and scipy.signal ``boundary``).
NDIMAGE_MODES = {"pad_reflect": "mirror", "pad_replicate": "nearest", "pad_circular": "wrap"}
SIGNAL_BOUNDARIES = {"pad_circular": "wrap", "pad_reflect": "symm"}


def versions() -> dict[str, str]:
    """Versions of the libraries the probe used."""
    return {"scipy": scipy.__version__, "numpy": np.__version__}


def _call(name: str, fn: Any, a: Any, v: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    return record(
        name, fn, [("a", a), ("v", v)], kwargs, layout="DHW"[3 - a.ndim :], prepare=PREPARE
    )


def run(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every call this probe makes for one case."""
    if case["kind"] != "conv":
        return
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    if x.shape[:2] != (1, 1) or w.shape[:2] != (1, 1):
        return
    a, v = x[0, 0], w[0, 0]
    mode = signal_mode(case)
    if mode is not None:
        for name, fn in (
            ("scipy.signal.correlate", signal.correlate),
            ("scipy.signal.convolve", signal.convolve),
        ):
            yield _call(name, fn, a, v, {"mode": mode})
        if not np.iscomplexobj(a):
            for name, fn in (
                ("scipy.signal.fftconvolve", signal.fftconvolve),
                ("scipy.signal.oaconvolve", signal.oaconvolve),
            ):
                yield _call(name, fn, a, v, {"mode": mode})
        if a.ndim == 2:
            for name, fn in (
                ("scipy.signal.correlate2d", signal.correlate2d),
                ("scipy.signal.convolve2d", signal.convolve2d),
            ):
                yield _call(name, fn, a, v, {"mode": mode})
    if case["id"] in SIGNAL_BOUNDARIES:
        boundary = SIGNAL_BOUNDARIES[case["id"]]
        for name, fn in (
            ("scipy.signal.correlate2d", signal.correlate2d),
            ("scipy.signal.convolve2d", signal.convolve2d),
        ):
            yield _call(name, fn, a, v, {"mode": "same", "boundary": boundary})
    if np.iscomplexobj(a):
        return
    # scipy.ndimage: the output always has the input's size; mode says what lies beyond.
    variants: list[dict[str, Any]] = []
    if case["id"] == "mxnet_seed":
        variants.append({})  # the defaults: mode='reflect', origin=0
    if case["id"] in NDIMAGE_MODES:
        variants.append({"mode": NDIMAGE_MODES[case["id"]]})
    if case["id"] in ("torch_seed_sobel", "signal_same_even") or case.get("same_grid"):
        variants.append({"mode": "constant"})
    if case["id"] == "same_even_kernel":
        variants += [{"mode": "constant"}, {"mode": "constant", "origin": -1}]
    for kwargs in variants:
        for name, fn in (
            ("scipy.ndimage.correlate", ndimage.correlate),
            ("scipy.ndimage.convolve", ndimage.convolve),
        ):
            yield _call(name, fn, a, v, kwargs)
