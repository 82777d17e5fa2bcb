"""MXNet probe: ``mx.nd.Convolution``, ``Deconvolution`` and ``Pooling`` (NCHW, float64).

MXNet 1.9.1 is the last release; it needs ``numpy<1.24``. Its operators take
explicit symmetric padding only (``pad``), so cases with ``'same'`` padding
of an even kernel or non-zero padding modes are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import mxnet as mx
import numpy as np

from ._record import ntuple, record, spatial, symmetric, torch_pads

PREPARE = "x, w = (mx.nd.array(a, dtype='float64') for a in (case.x, case.weight))  # NCHW / OIHW"


def versions() -> dict[str, str]:
    """Versions of the libraries the probe used."""
    return {"mxnet": mx.__version__, "numpy": np.__version__}


def _nd(a: Any) -> Any:
    return mx.nd.array(np.asarray(a), dtype="float64")


def _np(out: Any) -> np.ndarray:
    return out.asnumpy()


def _layout(n: int) -> str:
    return "NC" + "DHW"[3 - n :]


def run(case: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every call this probe makes for one case."""
    kind = case["kind"]
    n = spatial(case)
    if kind == "conv":
        x, w = np.asarray(case["x"]), np.asarray(case["weight"])
        pads = torch_pads(case)
        if np.iscomplexobj(x) or case["padding_mode"] != "zeros" or not symmetric(pads):
            return
        args = [("x", _nd(x)), ("w", _nd(w))]
        kwargs: dict[str, Any] = {
            "kernel": tuple(w.shape[2:]),
            "stride": ntuple(case["stride"], n),
            "dilate": ntuple(case["dilation"], n),
            "pad": tuple(b for b, _ in pads),
            "num_filter": w.shape[0],
            "num_group": case["groups"],
        }
        if case["bias"] is None:
            kwargs["no_bias"] = True
        else:
            args.append(("bias", _nd(case["bias"])))
        yield record(
            "mx.nd.Convolution",
            mx.nd.Convolution,
            args,
            kwargs,
            layout=_layout(n),
            prepare=PREPARE,
            to_numpy=_np,
        )
    elif kind == "conv_transpose":
        w = np.asarray(case["weight"])
        args = [("x", _nd(case["x"])), ("w", _nd(w))]
        kwargs = {
            "kernel": tuple(w.shape[2:]),
            "stride": ntuple(case["stride"], n),
            "dilate": ntuple(case["dilation"], n),
            "pad": ntuple(case["padding"], n),
            "adj": ntuple(case["output_padding"], n),
            "num_filter": w.shape[1] * case["groups"],
            "num_group": case["groups"],
        }
        # Deconvolution's no_bias defaults to True (Convolution's to False): say it.
        kwargs["no_bias"] = case["bias"] is None
        if case["bias"] is not None:
            args.append(("bias", _nd(case["bias"])))
        yield record(
            "mx.nd.Deconvolution",
            mx.nd.Deconvolution,
            args,
            kwargs,
            layout=_layout(n),
            prepare=PREPARE + "  # w is (C_in, C_out / groups, kH, kW)",
            to_numpy=_np,
        )
    elif kind in ("max_pool", "avg_pool"):
        kernel = ntuple(case["kernel_size"], n)
        kwargs = {
            "kernel": kernel,
            "stride": kernel if case["stride"] is None else ntuple(case["stride"], n),
            "pad": ntuple(case["padding"], n),
            "pool_type": "max" if kind == "max_pool" else "avg",
            "pooling_convention": "full" if case["ceil_mode"] else "valid",
        }
        if kind == "avg_pool":
            kwargs["count_include_pad"] = case["count_include_pad"]
        yield record(
            "mx.nd.Pooling",
            mx.nd.Pooling,
            [("x", _nd(case["x"]))],
            kwargs,
            layout=_layout(n),
            prepare="x = mx.nd.array(case.x, dtype='float64')",
            to_numpy=_np,
        )
