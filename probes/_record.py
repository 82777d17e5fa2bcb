"""Helpers shared by the per-framework probe modules (numpy only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .cases import encode


def spatial(case: dict[str, Any]) -> int:
    """Number of spatial axes of a case."""
    return np.asarray(case["x"]).ndim - 2


def ntuple(value: Any, n: int) -> tuple[int, ...]:
    """An int option repeated ``n`` times, or a tuple option as a tuple."""
    if isinstance(value, list | tuple):
        return tuple(int(v) for v in value)
    return (int(value),) * n


def torch_pads(case: dict[str, Any]) -> list[tuple[int, int]]:
    """``(before, after)`` per axis for a conv case's PyTorch-style ``padding``."""
    n = spatial(case)
    padding = case["padding"]
    kernel = np.asarray(case["weight"]).shape[2:]
    dilation = ntuple(case["dilation"], n)
    if isinstance(padding, str):
        totals = [d * (k - 1) for d, k in zip(dilation, kernel, strict=True)]
        if padding == "valid":
            return [(0, 0)] * n
        if padding == "full":
            return [(t, t) for t in totals]
        if padding == "same":
            return [(t // 2, t - t // 2) for t in totals]
        raise ValueError(f"unknown padding {padding!r}")
    return [(p, p) for p in ntuple(padding, n)]


def symmetric(pads: list[tuple[int, int]]) -> bool:
    """Whether every axis is padded equally on both sides."""
    return all(b == a for b, a in pads)


def channels_last(x: np.ndarray) -> np.ndarray:
    """``(N, C, *spatial)`` to ``(N, *spatial, C)``."""
    return np.ascontiguousarray(np.moveaxis(x, 1, -1))


def weight_spatial_first(w: np.ndarray) -> np.ndarray:
    """``(A, B, *k)`` to ``(*k, B, A)``: OIHW to HWIO (TensorFlow's filter layout)."""
    n = w.ndim - 2
    return np.ascontiguousarray(np.transpose(w, (*range(2, 2 + n), 1, 0)))


def record(
    function: str,
    fn: Callable[..., Any],
    args: list[tuple[str, Any]],
    kwargs: dict[str, Any],
    *,
    layout: str,
    prepare: str,
    to_numpy: Callable[[Any], np.ndarray] = np.asarray,
    options: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    wrap: str = "{call}",
) -> dict[str, Any]:
    """Call ``fn(*args, **kwargs)`` and describe the call and its raw output.

    Parameters
    ----------
    function : str
        The public name of the function (``"tf.nn.conv2d"``).
    fn : callable
        The function itself.
    args : list of (name, value)
        Positional arguments; the names appear in the recorded call.
    kwargs : dict
        Keyword arguments, recorded by ``repr`` in the call text.
    layout : str
        Axis letters of the output (``"NHWC"``); ``N``/``C`` may be missing.
    prepare : str
        The code that made the named arguments from the case arrays.
    to_numpy : callable, optional
        Turns the framework's output into a numpy array.
    options : dict, optional
        JSON-able form of the options that decide the semantics (defaults to
        ``kwargs``), read by :mod:`probes.compare`.
    extra : dict, optional
        More raw facts (such as a bias the framework created itself).
    wrap : str, optional
        Template for the recorded call text when ``fn`` wraps the named
        function (``"tf.nn.bias_add({call}, b)"``).

    Returns
    -------
    dict
        ``function``, ``call``, ``prepare``, ``layout``, ``options``,
        ``output`` (encoded) and any ``extra`` keys.
    """
    out = to_numpy(fn(*(value for _, value in args), **kwargs))
    parts = [name for name, _ in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    entry = {
        "function": function,
        "call": wrap.format(call=f"{function}({', '.join(parts)})"),
        "prepare": prepare,
        "layout": layout,
        "options": kwargs if options is None else options,
        "output": encode(out),
    }
    entry.update(extra or {})
    return entry
