"""Private machinery shared by the operators: batching, dtypes, padding, windows.

Nothing here loops over output positions: windows are strided views of the
padded input (``numpy.lib.stride_tricks.as_strided``), and the sums are one
matrix product per group (im2col + GEMM).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ._validate import as_array

PADDING_MODES = {
    "zeros": "constant",
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
}


def result_dtype(*arrays: np.ndarray | None) -> np.dtype[Any]:
    """Common dtype; integer-only inputs compute exactly in int64."""
    present = [a for a in arrays if a is not None]
    dtype = np.result_type(*present)
    if np.issubdtype(dtype, np.integer):
        return np.dtype(np.int64)
    return dtype


def spatial_weight(name: str, weight: object) -> np.ndarray:
    """Check a convolution weight ``(C_a, C_b, *kernel)`` with 1-3 spatial axes."""
    w = as_array(name, weight)
    if w.ndim not in (3, 4, 5):
        raise ValueError(
            f"{name} must have 3, 4 or 5 dimensions (two channel axes and 1-3 kernel "
            f"axes), got shape {tuple(w.shape)}"
        )
    if 0 in w.shape:
        raise ValueError(f"{name} must not have an empty axis, got shape {tuple(w.shape)}")
    return w


def batched(name: str, x: object, d: int, *, context: str) -> tuple[np.ndarray, bool]:
    """Return ``x`` with a batch axis and whether one was added.

    ``x`` may be ``(N, C, *spatial)`` or unbatched ``(C, *spatial)`` with ``d``
    spatial axes.
    """
    array = as_array(name, x)
    if array.ndim not in (d + 1, d + 2):
        raise ValueError(
            f"{name} must have {d + 1} (unbatched) or {d + 2} (batched) dimensions "
            f"{context}, got shape {tuple(array.shape)}"
        )
    unbatched = array.ndim == d + 1
    if unbatched:
        array = array[None]
    if 0 in array.shape[1:]:
        raise ValueError(
            f"{name} must have non-empty channel and spatial axes, got shape "
            f"{tuple(array.shape[1:] if unbatched else array.shape)}"
        )
    return array, unbatched


def check_padding_mode(padding_mode: object) -> str:
    if not isinstance(padding_mode, str) or padding_mode not in PADDING_MODES:
        raise ValueError(
            "padding_mode must be one of 'zeros', 'reflect', 'replicate', 'circular', "
            f"got {padding_mode!r}"
        )
    return padding_mode


def pad(
    x: np.ndarray,
    pads: Sequence[tuple[int, int]],
    mode: str = "zeros",
    *,
    value: float = 0,
) -> np.ndarray:
    """Pad the trailing ``len(pads)`` axes of ``x`` as PyTorch's ``F.pad`` would.

    ``mode`` is a ``padding_mode`` name; reflect and circular padding are
    limited by the input size exactly as in PyTorch.
    """
    d = len(pads)
    spatial = x.shape[-d:]
    if mode == "reflect":
        for size, (before, after) in zip(spatial, pads, strict=True):
            if before >= size or after >= size:
                raise ValueError(
                    f"padding {max(before, after)} is too large for padding_mode 'reflect' "
                    f"on an axis of size {size}: it must be smaller than the size"
                )
    if mode == "circular":
        for size, (before, after) in zip(spatial, pads, strict=True):
            if before > size or after > size:
                raise ValueError(
                    f"padding {max(before, after)} is too large for padding_mode 'circular' "
                    f"on an axis of size {size}: it must be at most the size"
                )
    if not any(b or a for b, a in pads):
        return x
    width = [(0, 0)] * (x.ndim - d) + [(int(b), int(a)) for b, a in pads]
    np_mode: Any = PADDING_MODES[mode]  # one of numpy's pad mode names
    if np_mode == "constant":
        return np.pad(x, width, mode="constant", constant_values=value)
    return np.pad(x, width, mode=np_mode)


def windows(
    xp: np.ndarray,
    kernel: Sequence[int],
    out: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int],
) -> np.ndarray:
    """Read-only view ``(N, C, *out, *kernel)`` of every kernel window of ``xp``."""
    d = len(kernel)
    lead = xp.shape[:-d]
    lead_strides = xp.strides[:-d]
    sp_strides = xp.strides[-d:]
    shape = (*lead, *out, *kernel)
    strides = (
        *lead_strides,
        *(st * s for st, s in zip(sp_strides, stride, strict=True)),
        *(st * dl for st, dl in zip(sp_strides, dilation, strict=True)),
    )
    return np.lib.stride_tricks.as_strided(xp, shape=shape, strides=strides, writeable=False)


def correlate_padded(
    xp: np.ndarray,
    w: np.ndarray,
    out: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int],
    groups: int,
    dtype: np.dtype,
) -> np.ndarray:
    """Grouped correlation of an already padded batch: one GEMM per group.

    ``xp`` is ``(N, C, *padded)``, ``w`` is ``(O, C // groups, *kernel)``; the
    result is ``(N, O, *out)``.
    """
    d = w.ndim - 2
    n = xp.shape[0]
    o, cg = w.shape[:2]
    og = o // groups
    kernel = w.shape[2:]
    xp = np.ascontiguousarray(xp, dtype=dtype)
    w = np.asarray(w, dtype=dtype)
    view = windows(xp, kernel, out, stride, dilation)  # (N, C, *out, *k)
    positions = int(np.prod(out))
    taps = cg * int(np.prod(kernel))
    # Kernel axes next to the channel axis: (N, C, *k, *out), so that one
    # reshape gives the im2col matrix (N, C*prod(k), prod(out)) per group.
    order = (0, 1, *range(2 + d, 2 + 2 * d), *range(2, 2 + d))
    view = view.transpose(order)
    if groups == 1:
        cols = view.reshape(n, taps, positions)  # im2col: copies once
        result: np.ndarray = np.matmul(w.reshape(o, taps), cols)
        return result.reshape(n, o, *out)
    result = np.empty((n, o, positions), dtype=dtype)
    for g in range(groups):
        cols = view[:, g * cg : (g + 1) * cg].reshape(n, taps, positions)
        kernel_matrix = w[g * og : (g + 1) * og].reshape(og, taps)
        result[:, g * og : (g + 1) * og] = np.matmul(kernel_matrix, cols)
    return result.reshape(n, o, *out)
