"""Which cases a signal-processing library (numpy, scipy) can take, and how."""

from __future__ import annotations

from typing import Any

import numpy as np


def signal_mode(case: dict[str, Any]) -> str | None:
    """The ``mode`` word that matches a single-channel conv case, if any.

    numpy and scipy correlate one signal with one kernel, with no stride,
    dilation, bias or channels; their ``mode`` says how much padding:
    ``'valid'`` (none), ``'full'`` (``k - 1`` each side) or ``'same'``.
    Padding 1 around a 3-tap kernel is what ``'same'`` gives.
    """
    if case["kind"] != "conv":
        return None
    x, w = np.asarray(case["x"]), np.asarray(case["weight"])
    if x.shape[:2] != (1, 1) or w.shape[:2] != (1, 1) or case["padding_mode"] != "zeros":
        return None
    if case["stride"] != 1 or case["dilation"] != 1 or case["bias"] is not None:
        return None
    padding = case["padding"]
    if padding in (0, "valid"):
        return "valid"
    if padding in ("full", "same"):
        return padding
    if padding == 1 and set(w.shape[2:]) == {3}:
        return "same"
    return None
