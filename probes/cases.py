"""The probe cases: defined once, seen identically by every framework.

Every array is given in PyTorch's layout (``x`` is ``(N, C, *spatial)``, a
convolution weight ``(C_out, C_in / groups, *k)``, a transposed-convolution
weight ``(C_in, C_out / groups, *k)``) and every option with PyTorch's name
and meaning. Each framework's probe translates a case into its own layout and
call; :mod:`probes.compare` checks the outputs against :mod:`conv_explained`.

This module needs only numpy (any version from 1.21 on: the MXNet probe runs
with ``numpy<1.24``) and the standard library. Random data come from
:class:`random.Random` with a fixed seed, whose stream does not depend on the
numpy version, and are small integers, so every framework's float arithmetic
is exact except for the divisions of average pooling.
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

import numpy as np

__all__ = ["CASES", "by_id", "cases_sha256", "decode", "encode"]


def _ints(seed: int, shape: tuple[int, ...], low: int = -3, high: int = 3) -> np.ndarray:
    """Integers in ``[low, high]`` as float64, reproducible on any numpy."""
    rng = random.Random(seed)
    count = int(np.prod(shape))
    values = [low + int(rng.random() * (high - low + 1)) for _ in range(count)]
    return np.array(values, dtype=np.float64).reshape(shape)


def encode(array: Any) -> dict[str, Any]:
    """A JSON-serialisable form of an array: shape, dtype and the flat values.

    Complex values are stored as ``[real, imag]`` pairs. Floats keep every
    bit (JSON writes the shortest repr that reads back to the same double).
    """
    a = np.asarray(array)
    flat = a.reshape(-1)
    if np.iscomplexobj(a):
        data = [[float(v.real), float(v.imag)] for v in flat]
    else:
        data = [float(v) for v in flat]
    return {"shape": list(a.shape), "dtype": str(a.dtype), "data": data}


def decode(obj: dict[str, Any]) -> np.ndarray:
    """Inverse of :func:`encode`: float64 (or complex128) in the stored shape."""
    data = obj["data"]
    if "complex" in obj["dtype"]:
        values = np.array([complex(re, im) for re, im in data], dtype=np.complex128)
    else:
        values = np.array(data, dtype=np.float64)
    return values.reshape(obj["shape"])


MXNET_IMAGE = np.array(
    [[1, 2, 2, 1, 0], [3, 3, 3, 3, 0], [3, 0, 0, 2, 2], [0, 3, 0, 3, 3], [2, 2, 2, 3, 2]],
    dtype=np.float64,
)
TORCH_SEED_IMAGE = np.array(
    [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]],
    dtype=np.float64,
)


def _conv(case_id: str, title: str, x: np.ndarray, weight: np.ndarray, **options: Any) -> dict:
    case = {
        "id": case_id,
        "kind": "conv",
        "title": title,
        "x": x,
        "weight": weight,
        "bias": options.pop("bias", None),
        "stride": 1,
        "padding": 0,
        "dilation": 1,
        "groups": 1,
        "padding_mode": "zeros",
    }
    case.update(options)
    return case


def _transpose(
    case_id: str, title: str, x: np.ndarray, weight: np.ndarray, **options: Any
) -> dict:
    case = {
        "id": case_id,
        "kind": "conv_transpose",
        "title": title,
        "x": x,
        "weight": weight,
        "bias": options.pop("bias", None),
        "stride": 1,
        "padding": 0,
        "output_padding": 0,
        "dilation": 1,
        "groups": 1,
    }
    case.update(options)
    return case


def _pool(case_id: str, title: str, kind: str, x: np.ndarray, **options: Any) -> dict:
    case = {
        "id": case_id,
        "kind": kind,
        "title": title,
        "x": x,
        "kernel_size": 2,
        "stride": None,
        "padding": 0,
        "ceil_mode": False,
    }
    if kind == "avg_pool":
        case["count_include_pad"] = True
    case.update(options)
    return case


_SIGNAL = _ints(101, (1, 1, 8))
_COMPLEX_X = _ints(104, (1, 1, 6)) + 1j * _ints(105, (1, 1, 6))
_COMPLEX_W = _ints(106, (1, 1, 3)) + 1j * _ints(107, (1, 1, 3))
_POOL_5 = _ints(301, (1, 1, 5, 5), -9, 9)

#: Every case, in the order the pages show them.
CASES: list[dict[str, Any]] = [
    # --- the three seed examples -------------------------------------------------
    _conv(
        "mxnet_seed",
        "MXNet post: 5x5 image, kernel 0..8, no padding",
        MXNET_IMAGE[None, None],
        np.arange(9, dtype=np.float64).reshape(1, 1, 3, 3),
    ),
    _conv(
        "tensorflow_seed",
        "TensorFlow post: 2 images, 5x5x2, one 3x3x2 kernel, SAME padding",
        _ints(1, (2, 2, 5, 5)),
        _ints(2, (1, 2, 3, 3)),
        padding="same",
    ),
    _conv(
        "torch_seed_symmetric",
        "PyTorch post, first example: a symmetric kernel (cannot tell the two apart)",
        TORCH_SEED_IMAGE[None, None],
        np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float64)[None, None],
    ),
    _conv(
        "torch_seed_sobel",
        "PyTorch post, second example: 1..9 and a Sobel kernel, padding 1",
        np.arange(1, 10, dtype=np.float64).reshape(1, 1, 3, 3),
        np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=np.float64)[None, None],
        padding=1,
    ),
    # --- 2-D options ---------------------------------------------------------------
    _conv(
        "stride2_pad1",
        "stride 2, padding 1",
        _ints(11, (1, 1, 7, 7)),
        _ints(12, (1, 1, 3, 3)),
        stride=2,
        padding=1,
    ),
    _conv(
        "same_even_kernel",
        "'same' padding with an even (2x2) kernel",
        _ints(13, (1, 1, 5, 5)),
        _ints(14, (1, 1, 2, 2)),
        padding="same",
    ),
    _conv(
        "stride2_same_even_input",
        "stride 2, padding 1 on an even (6x6) input",
        _ints(15, (1, 1, 6, 6)),
        _ints(16, (1, 1, 3, 3)),
        stride=2,
        padding=1,
    ),
    _conv(
        "dilation2",
        "dilation 2 (one gap between taps)",
        _ints(17, (1, 1, 7, 7)),
        _ints(18, (1, 1, 3, 3)),
        dilation=2,
    ),
    _conv(
        "multichannel_bias",
        "2 images, 3 -> 2 channels, bias, padding 1",
        _ints(19, (2, 3, 5, 5)),
        _ints(20, (2, 3, 3, 3)),
        bias=np.array([1.0, -2.0]),
        padding=1,
    ),
    _conv(
        "groups2",
        "groups=2: 4 -> 4 channels in two independent halves",
        _ints(21, (1, 4, 5, 5)),
        _ints(22, (4, 2, 3, 3)),
        groups=2,
    ),
    _conv(
        "depthwise",
        "depthwise: groups = channels = 3, padding 1",
        _ints(23, (1, 3, 5, 5)),
        _ints(24, (3, 1, 3, 3)),
        groups=3,
        padding=1,
    ),
    _conv(
        "rect_kernel_stride",
        "2x3 kernel, stride (2, 1), padding (1, 0), 2 -> 3 channels",
        _ints(25, (1, 2, 6, 7)),
        _ints(26, (3, 2, 2, 3)),
        stride=(2, 1),
        padding=(1, 0),
    ),
    _conv(
        "pad_reflect",
        "padding 1, padding_mode='reflect'",
        _ints(27, (1, 1, 5, 6)),
        _ints(28, (1, 1, 3, 3)),
        padding=1,
        padding_mode="reflect",
    ),
    _conv(
        "pad_replicate",
        "padding 1, padding_mode='replicate'",
        _ints(27, (1, 1, 5, 6)),
        _ints(28, (1, 1, 3, 3)),
        padding=1,
        padding_mode="replicate",
    ),
    _conv(
        "pad_circular",
        "padding 1, padding_mode='circular'",
        _ints(27, (1, 1, 5, 6)),
        _ints(28, (1, 1, 3, 3)),
        padding=1,
        padding_mode="circular",
    ),
    # --- 1-D signals (what numpy and scipy were made for) ---------------------------
    _conv("signal_valid", "1-D, no padding", _SIGNAL, _ints(108, (1, 1, 3))),
    _conv("signal_full", "1-D, full padding", _SIGNAL, _ints(108, (1, 1, 3)), padding="full"),
    _conv(
        "signal_same_even",
        "1-D, 'same' padding, even (4-tap) kernel",
        _SIGNAL,
        _ints(103, (1, 1, 4)),
        padding="same",
    ),
    _conv(
        "signal_complex",
        "1-D complex signal and kernel, full padding",
        _COMPLEX_X,
        _COMPLEX_W,
        padding="full",
    ),
    # --- transposed convolution -------------------------------------------------------
    _transpose(
        "tconv_stamp",
        "2x2 input, kernel of ones, stride 2: four separate stamps",
        np.array([[[[1.0, 2.0], [3.0, 4.0]]]]),
        np.ones((1, 1, 2, 2)),
        stride=2,
    ),
    _transpose(
        "tconv_s2_p1_op1",
        "3x3 kernel, stride 2, padding 1, output_padding 1: 3x3 -> 6x6",
        _ints(201, (1, 1, 3, 3)),
        _ints(202, (1, 1, 3, 3)),
        stride=2,
        padding=1,
        output_padding=1,
    ),
    _transpose(
        "tconv_even_multichannel",
        "4x4 kernel, stride 2, padding 1, 2 -> 3 channels, bias: 3x3 -> 6x6",
        _ints(203, (2, 2, 3, 3)),
        _ints(204, (2, 3, 4, 4)),
        bias=np.array([1.0, 0.0, -1.0]),
        stride=2,
        padding=1,
    ),
    _transpose(
        "tconv_groups_dilation",
        "groups=2 (4 -> 2 channels), dilation 2",
        _ints(205, (1, 4, 3, 3)),
        _ints(206, (4, 1, 3, 3)),
        groups=2,
        dilation=2,
    ),
    # --- pooling -----------------------------------------------------------------------
    _pool("max_2x2", "max, 2x2, stride 2", "max_pool", _ints(302, (1, 1, 4, 4), -9, 9)),
    _pool(
        "max_3x3_s2_p1",
        "max, 3x3, stride 2, padding 1, 2 channels",
        "max_pool",
        _ints(303, (1, 2, 5, 5), -9, 9),
        kernel_size=3,
        stride=2,
        padding=1,
    ),
    _pool(
        "max_ceil",
        "max, 3x3, stride 2, ceil_mode on a 6x6 input",
        "max_pool",
        _ints(304, (1, 1, 6, 6), -9, 9),
        kernel_size=3,
        stride=2,
        ceil_mode=True,
    ),
    _pool(
        "avg_include_pad",
        "average, 3x3, stride 2, padding 1, padding counted",
        "avg_pool",
        _POOL_5,
        kernel_size=3,
        stride=2,
        padding=1,
    ),
    _pool(
        "avg_exclude_pad",
        "average, 3x3, stride 2, padding 1, padding not counted",
        "avg_pool",
        _POOL_5,
        kernel_size=3,
        stride=2,
        padding=1,
        count_include_pad=False,
    ),
    _pool(
        "avg_ceil",
        "average, 3x3, stride 2, padding 1, ceil_mode, padding counted, 6x6 input",
        "avg_pool",
        _ints(305, (1, 1, 6, 6), -9, 9),
        kernel_size=3,
        stride=2,
        padding=1,
        ceil_mode=True,
    ),
]


#: The 'same' grid: 1-D and 2-D inputs (2-D ones a column wider than tall, so
#: the two axes are two sizes), every kernel size up to 5 that fits, padding
#: 'same'. The pages check where each function puts an even kernel's extra
#: cell, and TensorFlow's 'SAME' amounts (its probe adds strides 2 and 3 and
#: dilations 2 and 3 on these), against the recorded outputs.
SAME_GRID_SIZES = range(2, 8)
SAME_GRID_KERNELS = range(1, 6)
SAME_GRID_STRIDES = (2, 3)
SAME_GRID_DILATIONS = (2, 3)
for _n in (1, 2):
    for _k in SAME_GRID_KERNELS:
        for _i in SAME_GRID_SIZES:
            if _k > _i:
                continue
            _shape = (_i,) if _n == 1 else (_i, _i + 1)
            _seed = 400 + 100 * _n + 10 * _k + _i
            CASES.append(
                _conv(
                    f"same_grid_{_n}d_i{_i}_k{_k}",
                    f"'same' grid: {_n}-D input {_shape}, kernel {_k}",
                    _ints(_seed, (1, 1, *_shape)),
                    _ints(_seed + 50, (1, 1, *(_k,) * _n)),
                    padding="same",
                    same_grid=True,
                )
            )

# MXNet's pooling_convention='full' keeps a last window that starts in the right
# padding; PyTorch's ceil_mode drops it (5 cells, window 2, stride 2, padding 1).
CASES.append(
    _pool(
        "avg_ceil_last_in_padding",
        "average, 2x2, stride 2, padding 1, ceil_mode: the last window starts in the padding",
        "avg_pool",
        _ints(306, (1, 1, 5, 5), -9, 9),
        kernel_size=2,
        stride=2,
        padding=1,
        ceil_mode=True,
    )
)


def by_id(case_id: str) -> dict[str, Any]:
    """The case with this id (``KeyError`` naming the known ids if there is none)."""
    for case in CASES:
        if case["id"] == case_id:
            return case
    raise KeyError(f"no probe case {case_id!r}; known: {', '.join(c['id'] for c in CASES)}")


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return encode(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def cases_sha256() -> str:
    """Hash of every case's data and options: a changed case makes results stale."""
    text = json.dumps(
        [{k: _jsonable(v) for k, v in case.items()} for case in CASES], sort_keys=True
    )
    return hashlib.sha256(text.encode()).hexdigest()
