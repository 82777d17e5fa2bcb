"""The tensor view's torch references: every number it draws, computed with torch in float64.

torch is imported lazily, inside the returned closures, so that the package
imports without it. :func:`verify_drawn` compares each drawn number (the
:class:`._iso.Drawn` records), each partial sum and the output with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _iso
from ._format import format_value
from ._verify import VerificationError
from .tensor_scene import TensorFrame, pair

__all__ = ["torch_reference", "verify_drawn"]


def verify_drawn(
    frames: Sequence[TensorFrame], drawn: Sequence[Sequence[_iso.Drawn]], reference: Any
) -> dict:
    """Compare every drawn number and every partial sum with torch (float64)."""
    expected = reference()  # name -> float64 array from torch
    checked, worst = 0, 0.0
    problems = []
    for f, recs in zip(frames, drawn, strict=True):
        for rec in recs:
            key = "output" if rec.block == "output" else "x" if rec.block == "input" else "filters"
            ref = expected[key]
            if key == "filters":
                ref = ref[int(rec.block.split()[1])]
            if rec.text != format_value(ref[rec.index]):
                problems.append(
                    f"{rec.block} {rec.face} {rec.index}: drew {rec.text!r}, torch {ref[rec.index]!r}"
                )
            checked += 1
        if f.lit is not None and f.partials:
            o, i, j = f.lit
            want = expected["partials"][o, :, i, j]
            diff = float(np.max(np.abs(np.asarray(f.partials, dtype=np.float64) - want)))
            worst = max(worst, diff)
            if diff > 1e-9 * max(1.0, float(np.abs(want).max())):
                problems.append(f"partial sums of out[{o}, {i}, {j}] differ from torch by {diff}")
            checked += len(f.partials)
    out_diff = float(np.max(np.abs(frames[0].output - expected["output"])))
    worst = max(worst, out_diff)
    if out_diff > 1e-9 * max(1.0, float(np.abs(expected["output"]).max())):
        problems.append(f"output differs from torch by {out_diff}")
    result = {
        "passed": not problems,
        "reference": expected["name"],
        "numbers_checked": checked,
        "max_diff": worst,
        "problems": problems[:5],
    }
    if problems:
        raise VerificationError("tensor view disagrees with torch: " + "; ".join(problems[:3]))
    return result


def torch_reference(op: str, xa: np.ndarray, weight: Any, bias: Any, opts: dict) -> Any:
    """A closure computing, with torch in float64, everything the view draws."""

    def compute() -> dict:
        try:
            import torch
            import torch.nn.functional as F
        except ImportError as exc:  # pragma: no cover - exercised by monkeypatching
            raise ImportError(
                "the tensor view checks its numbers against torch; install torch or pass verify=False"
            ) from exc
        t = torch.from_numpy(np.asarray(xa, dtype=np.float64))[None]
        if op == "max-pool":
            k = opts["kernel_size"]
            out = F.max_pool2d(
                t,
                k,
                stride=opts["stride"] if opts["stride"] is not None else k,
                padding=opts["padding"],
                dilation=opts["dilation"],
                ceil_mode=opts["ceil_mode"],
            )[0]
            p = pair("padding", opts["padding"], 0)
            xp = F.pad(t, (p[1], p[1], p[0], p[0]), value=-float("inf"))[0]
            return {
                "name": "torch.nn.functional.max_pool2d",
                "output": out.numpy(),
                "x": xp.numpy(),
            }
        w = torch.from_numpy(np.asarray(weight, dtype=np.float64))
        if op == "transpose":
            return _torch_transpose(torch, F, t, w, bias, opts)
        w_applied = torch.flip(w, dims=(2, 3)) if op == "convolve" else w
        conv = torch.nn.Conv2d(
            xa.shape[0],
            w.shape[0],
            tuple(w.shape[2:]),
            stride=opts["stride"] if opts["stride"] is not None else 1,
            padding=opts["padding"],
            dilation=opts["dilation"],
            groups=opts["groups"],
            bias=bias is not None,
            padding_mode=opts["padding_mode"],
        ).double()
        with torch.no_grad():
            conv.weight.copy_(w_applied)
            if bias is not None:
                conv.bias.copy_(torch.from_numpy(np.asarray(bias, dtype=np.float64)))
            out = conv(t)[0]
            # The padded input: torch's own padding pairs and mode for this layer.
            xp = _pad_like(torch, F, t, conv, opts["padding_mode"])[0]
            c_out, cg = w.shape[:2]
            per = c_out // opts["groups"]
            partials = np.empty((c_out, cg, *out.shape[1:]))
            for o in range(c_out):
                g = o // per
                for k in range(cg):
                    c = g * cg + k
                    partials[o, k] = F.conv2d(
                        _pad_like(torch, F, t[:, c : c + 1], conv, opts["padding_mode"]),
                        w_applied[o : o + 1, k : k + 1],
                        stride=conv.stride,
                        dilation=conv.dilation,
                    )[0, 0].numpy()
        return {
            "name": "torch.nn.Conv2d (float64)",
            "output": out.numpy(),
            "x": xp.numpy(),
            "filters": w_applied.numpy(),
            "partials": partials,
        }

    return compute


def _torch_transpose(torch: Any, F: Any, t: Any, w: Any, bias: Any, opts: dict) -> dict:
    """Transposed convolution with torch, and its direct view built with torch alone."""
    s = pair("stride", 1 if opts["stride"] is None else opts["stride"])
    p = pair("padding", opts["padding"], 0)
    a = pair("output_padding", opts["output_padding"], 0)
    d = pair("dilation", opts["dilation"])
    g = opts["groups"]
    b = None if bias is None else torch.from_numpy(np.asarray(bias, dtype=np.float64))
    out = F.conv_transpose2d(t, w, b, stride=s, padding=p, output_padding=a, groups=g, dilation=d)[
        0
    ]
    c_in, og = w.shape[:2]
    k = w.shape[2:]
    # Zeros inserted by a 1×1 identity transposed convolution with the stride,
    # then torch's padding (negative amounts crop): before d(k-1)-p, after that + a.
    eye = torch.ones((c_in, 1, 1, 1), dtype=torch.float64)
    xz = F.conv_transpose2d(t, eye, stride=s, groups=c_in)
    before = [d[i] * (k[i] - 1) - p[i] for i in range(2)]
    xp = F.pad(xz, (before[1], before[1] + a[1], before[0], before[0] + a[0]))[0]
    cg = c_in // g
    wd = w.reshape(g, cg, og, *k).transpose(1, 2).reshape(og * g, cg, *k).flip(2, 3)
    c_out = og * g
    partials = np.empty((c_out, cg, *out.shape[1:]))
    for o in range(c_out):
        for j in range(cg):
            c = (o // og) * cg + j
            partials[o, j] = F.conv2d(xp[None, c : c + 1], wd[o : o + 1, j : j + 1], dilation=d)[
                0, 0
            ].numpy()
    return {
        "name": "torch.nn.functional.conv_transpose2d (float64)",
        "output": out.numpy(),
        "x": xp.numpy(),
        "filters": wd.numpy(),
        "partials": partials,
    }


def _pad_like(torch: Any, F: Any, t: Any, conv: Any, mode: str) -> Any:
    """``t`` padded as ``conv`` pads its input (torch's own padding, same pairs)."""
    pads = conv._reversed_padding_repeated_twice
    if mode == "zeros":
        return F.pad(t, pads)
    return F.pad(t, pads, mode=mode)
