"""Family spec: a kernel sliding over a padded input (``correlate``, ``convolve``)."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .. import ops
from .._args import ConvArgs, resolve_conv
from .._validate import as_array
from . import _pipeline as pl
from . import _references as refs
from ._format import format_array
from .alt import dims, values_sentence
from .frames import Panel

__all__ = ["SlideSpec"]

_TITLES = {
    "correlate": "Cross-correlation: what conv{d}d computes",
    "convolve": "True convolution: the kernel is flipped",
}


def _padding_text(a: ConvArgs) -> str:
    if isinstance(a.padding, str):
        amounts = [v for pair in a.pads for v in pair]
        if len(set(amounts)) == 1:
            return f"{a.padding} ({amounts[0]})"
        return f"{a.padding} " + ",".join(f"{b}|{e}" for b, e in a.pads)
    return pl.tuple_text([b for b, _ in a.pads])


def _alt(op: str, a: ConvArgs, applied: np.ndarray, values: np.ndarray, xp: np.ndarray) -> str:
    d = a.d
    what = {1: "signal", 2: "image", 3: "volume"}[d]
    c_in, c_out = a.x.shape[1], values.shape[0]
    if op == "correlate":
        kind = (
            f"a {d}-D cross-correlation, which is what deep-learning frameworks call "
            f"convolution (torch's conv{d}d): the kernel is applied as it is, not flipped"
        )
    else:
        kind = (
            f"a true {d}-D convolution: the kernel is flipped along every axis before it "
            f"slides, and the flipped kernel is the one drawn"
        )
    size = f"{a.x.shape[2]}-sample" if d == 1 else dims(a.x.shape[2:])
    ins = f"a {size} {what}" + (f" with {c_in} channels" if c_in > 1 else "")
    if any(b or e for b, e in a.pads):
        amounts = pl.tuple_text([b for b, _ in a.pads]) if a.symmetric else str(a.pads)
        mode = a.padding_mode
        ins += (
            f", padded by {amounts} on each side with "
            + ("zeros" if mode == "zeros" else f"{mode} padding")
            + f" (hatched cells) to {dims(xp.shape[1:])}"
        )
    kern = (
        f"a {dims(a.kernel)} kernel"
        if applied.shape[:2] == (1, 1)
        else f"{c_out} kernel{'s' if c_out > 1 else ''} of {dims(applied.shape[1:])}"
    )
    if applied.size <= 27:
        kern += " (weights as applied: " + " ".join(format_array(applied).ravel().tolist()) + ")"
    steps = values.size
    return (
        f"Animation in {steps + 1} frames: {kern} {'slide' if c_out > 1 else 'slides'} over "
        f"{ins}, with stride {pl.tuple_text(a.stride)} and dilation {pl.tuple_text(a.dilation)}"
        + (f" in {a.groups} groups" if a.groups > 1 else "")
        + f"; this is {kind}. At each of the {steps} positions the kernel weights are "
        f"multiplied with the input values under them and summed"
        + (" with the bias" if a.bias is not None else "")
        + f" into one cell of the {dims(values.shape[1:])} output"
        + (f" (one output map per kernel, {c_out} maps)" if c_out > 1 else "")
        + ". "
        + values_sentence(values)
    )


def _panels(
    op: str, a: ConvArgs, xp: np.ndarray, applied: np.ndarray, values: np.ndarray
) -> tuple[Panel, Panel, Panel]:
    accent = "blue" if op == "correlate" else "vermillion"
    in_sub = pl.shape_text(a.x[0])
    if any(b or e for b, e in a.pads):
        in_sub += f", padded to {dims(xp.shape[1:])}"
        if a.padding_mode != "zeros":
            in_sub += f" ({a.padding_mode})"
    k_sub = dims(a.kernel) if applied.shape[:2] == (1, 1) else dims(applied.shape)
    return (
        Panel("input", "input", in_sub, xp.shape, accent=accent),
        Panel(
            "kernel",
            "kernel" if op == "correlate" else "kernel, flipped",
            k_sub if op == "correlate" else k_sub + " (as applied)",
            applied.shape,
            lead=2,
            accent=accent,
            group_label="o=",
        ),
        Panel(
            "output", "output", pl.shape_text(values), values.shape, accent="green", row_label="o"
        ),
    )


def _reference(
    op: str, a: ConvArgs, xa: np.ndarray, xp: np.ndarray, applied: np.ndarray
) -> pl.Reference:
    flip = op == "convolve"
    mode = a.padding_mode
    common: dict[str, Any] = {
        "bias": a.bias,
        "stride": a.stride,
        "dilation": a.dilation,
        "groups": a.groups,
    }
    if mode == "zeros" and a.symmetric and a.padding != "full":
        given: Any = a.padding if isinstance(a.padding, str) else [b for b, _ in a.pads]
        compute = functools.partial(
            refs.conv, x=xa, weight=a.weight, flip=flip, padding=given, **common
        )
    else:
        compute = functools.partial(
            refs.conv, x=xa, weight=a.weight, flip=flip, pads=a.pads, padding_mode=mode, **common
        )
    return pl.Reference(
        name=f"torch.nn.functional.conv{a.d}d",
        compute=compute,
        expected_shape=(
            a.weight.shape[0],
            *a.output_size(),
        ),
        extras=(
            (
                "padded input",
                xp,
                functools.partial(refs.padded, x=xa, pads=a.pads, padding_mode=mode),
            ),
            (
                "kernel as applied",
                applied,
                functools.partial(refs.flipped_kernel, weight=a.weight, flip=flip),
            ),
            (
                "output from the drawn grids",
                None,
                functools.partial(refs.conv, x=xp, weight=applied, **common),
            ),
        ),
    )


class SlideSpec(pl.OpSpec):
    """``correlate`` and ``convolve``: one frame per output cell."""

    weight = "forward"
    options = frozenset({"groups", "padding_mode"})
    summary = "a kernel slides over the padded input"
    views = frozenset({"grid", "tensor"})

    def figure(self, op: str, request: pl.Request, options: pl.Options) -> pl.Figure:
        xa, w, d = pl.conv_inputs(request)
        bias = None if request.bias is None else as_array("bias", request.bias)
        a = resolve_conv(
            xa,
            w,
            bias,
            options.stride_or(1),
            options.padding,
            options.dilation,
            options.groups,
            options.padding_mode,
        )
        fn = ops.correlate if op == "correlate" else ops.convolve
        opts: dict[str, Any] = {
            "stride": a.stride,
            "padding": a.padding,
            "dilation": a.dilation,
            "groups": a.groups,
            "padding_mode": a.padding_mode,
        }
        # Every size from shapes (a.pads, a.out), checked before any array is made.
        extent = tuple(s + b + e for s, (b, e) in zip(xa.shape[1:], a.pads, strict=True))
        pl.check_drawable(xa, extent=extent, cause=f"padding {options.padding!r}")
        pl.check_out_channels(w, "weight has")
        pl.check_steps(int(w.shape[0]) * math.prod(a.out))
        values = fn(xa, w, bias, **opts)
        xp = ops.pad_input(xa, w, **opts)
        applied = w if op == "correlate" else ops.flip(w)
        mode = a.padding_mode
        legend = [("input", "input", "", "input")]
        if any(b or e for b, e in a.pads):
            legend.append(
                ("input", "padding", "", f"padding ({mode})" if mode != "zeros" else "padding")
            )
        legend += [
            ("input", "input", "footprint", "under the kernel (×weight)"),
            ("output", "output", "current", "being computed"),
        ]
        reference = _reference(op, a, xa, xp, applied)
        extras = tuple(
            (name, values if ours is None else ours, fn_) for name, ours, fn_ in reference.extras
        )
        return pl.Figure(
            op=op,
            kind="slide",
            header=(
                _TITLES[op].format(d=d),
                pl.header_params(
                    a.kernel,
                    a.stride,
                    _padding_text(a),
                    a.dilation,
                    groups=a.groups,
                    padding_mode=mode,
                ),
            ),
            values=values,
            data={
                "grid": xp,
                "roles": pl.input_roles(
                    ops.pad_input(np.ones(xa.shape), w, **{**opts, "padding_mode": "zeros"})
                ),
                "kernel": applied,
                "stride": a.stride,
                "dilation": a.dilation,
                "groups": a.groups,
                "bias": bias,
            },
            panels=_panels(op, a, xp, applied, values),
            symbols=("⋆" if op == "correlate" else "∗", "="),
            legend=tuple(legend),
            texts=pl.texts(xp, applied, values),
            alt=lambda frames: _alt(op, a, applied, values, xp),
            reference=pl.Reference(
                reference.name,
                reference.compute,
                reference.expected_shape,
                extras,
                panels=(("input", reference.extras[0][2]), ("kernel", reference.extras[1][2])),
            ),
            params={
                "op": op,
                "x_shape": xa.shape,
                "weight_shape": w.shape,
                "bias": bias is not None,
                "stride": a.stride,
                "padding": a.padding if isinstance(a.padding, str) else [b for b, _ in a.pads],
                "padding_pairs": a.pads,
                "dilation": a.dilation,
                "groups": a.groups,
                "padding_mode": mode,
                "output_shape": values.shape,
            },
            reduce="sum",
            exact=pl.exact(xp, applied, bias),
        )
