"""Family specs of the transposed convolution and the input gradient.

``transpose`` draws the scatter view (each input cell stamps the kernel);
``transpose-direct`` and ``input-grad`` draw the direct view (the kernel,
flipped, slides at stride 1 over the zero-inserted, padded array).
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import grad, ops, shapes
from .._args import TransposedArgs, resolve_conv, resolve_transposed
from .._validate import as_array
from . import _pipeline as pl
from . import _references as refs
from .alt import dims, values_sentence
from .frames import Panel

__all__ = ["DirectSpec", "ScatterSpec"]

_KINDS = np.array(ops.CELL_KINDS, dtype=object)


def _zeros_only(options: pl.Options, what: str) -> None:
    if options.padding_mode != "zeros":
        raise ValueError(f"padding_mode must be 'zeros' for {what}, got {options.padding_mode!r}")


def _transposed(
    request: pl.Request, options: pl.Options, x: np.ndarray | None = None
) -> TransposedArgs:
    xa, w, _ = pl.conv_inputs(request)
    bias = None if request.bias is None else as_array("bias", request.bias)
    return resolve_transposed(
        xa if x is None else x,
        w,
        bias,
        options.stride_or(1),
        options.padding,
        options.output_padding,
        options.groups,
        options.dilation,
    )


def _check_direct(a: TransposedArgs, source: np.ndarray, options: pl.Options) -> None:
    """The zero-inserted, padded input's size from shapes, checked before it is made.

    The direct correlation reads ``out + d(k-1)`` cells along each axis
    (its output is the transposed convolution's, ``out``, by shapes).
    """
    extent = tuple(o + dd * (k - 1) for o, dd, k in zip(a.out, a.dilation, a.kernel, strict=True))
    pl.check_drawable(
        source,
        extent=extent,
        cause=f"stride {options.stride_or(1)!r} (zero insertion) and dilation "
        f"{options.dilation!r}",
    )
    if a.c_out > pl.MAX_CHANNELS:
        raise ValueError(
            f"weight gives {a.c_out} output channels; at most {pl.MAX_CHANNELS} can be drawn"
        )
    pl.check_steps(a.c_out * math.prod(a.out))


def _geometry(a: TransposedArgs) -> dict[str, Any]:
    return a.options()


def _forward(a: TransposedArgs) -> dict[str, Any]:
    """The options of the correlation that ``a`` transposes (it has no ``output_padding``)."""
    return {k: v for k, v in a.options().items() if k != "output_padding"}


class DirectSpec(pl.OpSpec):
    """``transpose-direct`` and ``input-grad``: a flipped kernel over a zero-inserted array."""

    options = frozenset({"groups", "output_padding"})
    summary = "a flipped kernel slides over the zero-inserted, padded array"

    def __init__(self, weight: str) -> None:
        self.weight = weight
        if weight == "forward":  # the input gradient: the forward correlation's options
            self.options = frozenset({"groups"})
        else:
            self.views = frozenset({"grid", "tensor"})

    def figure(self, op: str, request: pl.Request, options: pl.Options) -> pl.Figure:
        if op == "transpose-direct":
            _zeros_only(options, "a transposed convolution")
            a = _transposed(request, options)
            source, xa, w = a.x[0], a.x[0], a.weight
            _check_direct(a, source, options)
            values = ops.conv_transpose(source, w, a.bias, **_geometry(a))
            expected: tuple[int, ...] = (a.c_out, *a.size(shapes.conv_transpose_output_size))
            reference = pl.Reference(
                f"torch.nn.functional.conv_transpose{a.d}d",
                functools.partial(
                    refs.conv_transpose, x=xa, weight=w, bias=a.bias, **_geometry(a)
                ),
                expected,
            )
        else:
            a, xa, source, values = self._input_grad(request, options)
            w = a.weight
            reference = pl.Reference(
                f"torch.autograd.grad of torch.nn.functional.conv{a.d}d",
                functools.partial(
                    refs.conv_input_grad, x=xa, weight=w, grad_output=source, **_forward(a)
                ),
                tuple(xa.shape),
            )
        geometry = _geometry(a)
        xd, wd = ops.transposed_as_correlation(source, w, **geometry)
        kinds = ops.transposed_cell_kinds(source, w, **geometry)
        roles = _KINDS[kinds]
        grad_view = op == "input-grad"
        pl.check_drawable(
            source, channels_name="grad_output" if grad_view else "x", extent=xd.shape[1:]
        )
        pl.check_out_channels(values)
        pl.check_steps(values.size)
        common: dict[str, Any] = {
            "bias": a.bias if not grad_view else None,
            "dilation": a.dilation,
            "groups": a.groups,
        }
        extras = (
            (
                "output from the drawn grids",
                values,
                functools.partial(refs.conv, x=xd, weight=wd, **common),
            ),
        )
        kernel = a.kernel
        accent = "purple" if not grad_view else "vermillion"
        s_txt = pl.shape_text(source)
        panels = (
            Panel(
                "input",
                "grad output" if grad_view else "input",
                f"{s_txt}, zeros inserted + padded: {dims(xd.shape[1:])}",
                xd.shape,
                accent=accent,
            ),
            Panel(
                "kernel",
                "kernel, flipped",
                (dims(kernel) if wd.shape[:2] == (1, 1) else dims(wd.shape)) + " (as applied)",
                wd.shape,
                lead=2,
                accent=accent,
                group_label="o=",
            ),
            Panel(
                "output",
                "grad input" if grad_view else "output",
                pl.shape_text(values),
                values.shape,
                accent="green",
                row_label="c" if grad_view else "o",
            ),
        )
        present = set(kinds.ravel().tolist())
        legend = [("input", "input", "", "grad output" if grad_view else "input")]
        if 1 in present:
            legend.append(("input", "inserted", "", "inserted zero"))
        if 0 in present:
            legend.append(("input", "padding", "", "padding"))
        legend += [
            ("input", "input", "footprint", "under kernel"),
            ("output", "output", "current", "computing"),
        ]
        pad_words = pl.tuple_text(a.padding)
        params = {
            "op": op,
            "x_shape": xa.shape,
            "weight_shape": w.shape,
            "bias": a.bias is not None and not grad_view,
            "stride": a.stride,
            "padding": a.padding,
            "output_padding": a.output_padding,
            "dilation": a.dilation,
            "groups": a.groups,
            "output_shape": values.shape,
        }
        if grad_view:
            params["grad_output"] = source
        return pl.Figure(
            op=op,
            kind="slide",
            header=(
                "Input gradient: full correlation with the flipped kernel"
                if grad_view
                else "Transposed convolution as a direct convolution",
                pl.header_params(
                    kernel,
                    a.stride,
                    pad_words,
                    a.dilation,
                    groups=a.groups,
                    output_padding=a.output_padding,
                )
                + (
                    "   (of the forward correlation)"
                    if grad_view
                    else "   (transposed: moves with stride 1)"
                ),
            ),
            values=values,
            data={
                "grid": xd,
                "roles": roles,
                "kernel": wd,
                "stride": (1,) * a.d,
                "dilation": a.dilation,
                "groups": a.groups,
                "bias": common["bias"],
                "out_name": "grad_input" if grad_view else "output",
            },
            panels=panels,
            symbols=("∗", "="),
            legend=tuple(legend),
            texts=pl.texts(xd, wd, values),
            alt=lambda frames: _direct_alt(op, a, xa, source, xd, values, pad_words),
            reference=pl.Reference(
                reference.name,
                reference.compute,
                reference.expected_shape,
                extras,
                panels=() if grad_view else _direct_panels(a),
            ),
            params=params,
            reduce="sum",
            exact=pl.exact(xd, wd, common["bias"]),
        )

    @staticmethod
    def _input_grad(
        request: pl.Request, options: pl.Options
    ) -> tuple[TransposedArgs, np.ndarray, np.ndarray, np.ndarray]:
        """The forward correlation's input gradient, and the transposed view that draws it."""
        if request.bias is not None:
            raise ValueError("bias does not affect the input gradient; leave it out")
        _zeros_only(options, "the input gradient")
        xa, w, d = pl.conv_inputs(request)
        forward = resolve_conv(
            xa, w, None, options.stride_or(1), options.padding, options.dilation, options.groups
        )
        if not forward.symmetric:
            raise ValueError(
                f"padding {options.padding!r} is asymmetric; the input-gradient view needs "
                f"equal padding on both sides"
            )
        padding = tuple(b for b, _ in forward.pads)
        pl.check_drawable(xa)
        pl.check_steps(xa.size)  # one step per input cell, the gradient's cells
        g = request.grad_output
        if g is None:
            n = w.shape[0] * int(np.prod(forward.out))
            g = np.arange(1, n + 1).reshape(w.shape[0], *forward.out)
        source = pl.unbatch("grad_output", as_array("grad_output", g), d)
        pl.check_drawable(source, channels_name="grad_output")
        extent = tuple(
            s * (o - 1) + 1 + 2 * (dd * (k - 1) - p)
            for s, o, dd, k, p in zip(
                forward.stride, forward.out, forward.dilation, forward.kernel, padding, strict=True
            )
        )
        pl.check_drawable(
            source,
            channels_name="grad_output",
            extent=extent,
            cause=f"stride {options.stride_or(1)!r} (zero insertion) and padding",
        )
        values, _, _ = grad.correlate_grad(
            xa,
            w,
            source,
            stride=forward.stride,
            padding=padding,
            dilation=forward.dilation,
            groups=forward.groups,
        )
        extra = shapes.conv_transpose_output_padding(
            tuple(xa.shape[1:]),
            tuple(source.shape[1:]),
            forward.kernel,
            stride=forward.stride,
            padding=padding,
            dilation=forward.dilation,
        )
        a = resolve_transposed(
            source, w, None, forward.stride, padding, extra, forward.groups, forward.dilation
        )
        return a, xa, source, values


def _direct_alt(
    op: str,
    a: TransposedArgs,
    xa: np.ndarray,
    source: np.ndarray,
    xd: np.ndarray,
    values: np.ndarray,
    pad_words: str,
) -> str:
    if op == "transpose-direct":
        text = (
            f"Animation in {values.size + 1} frames: a transposed convolution drawn as a direct "
            f"convolution. The {dims(source.shape[1:])} input"
            + (f" ({source.shape[0]} channels)" if source.shape[0] > 1 else "")
            + f" gets {pl.tuple_text([s - 1 for s in a.stride])} zero(s) inserted between "
            f"neighbouring cells (dotted cells) and padding (hatched cells), giving "
            f"{dims(xd.shape[1:])}; the flipped {dims(a.kernel)} kernel slides over it with "
            f"stride 1 and dilation {pl.tuple_text(a.dilation)}, giving the "
            f"{dims(values.shape[1:])} output of conv_transpose{a.d}d with stride "
            f"{pl.tuple_text(a.stride)}, padding {pad_words}"
            + (
                f" and output_padding {pl.tuple_text(a.output_padding)}"
                if any(a.output_padding)
                else ""
            )
            + ". "
        )
        return text + values_sentence(values, "Output")
    return (
        f"Animation in {values.size + 1} frames: the gradient of a correlation with respect "
        f"to its {dims(xa.shape[1:])} input. The {dims(source.shape[1:])} output gradient, with "
        f"zeros inserted for stride {pl.tuple_text(a.stride)} and padded to "
        f"{dims(xd.shape[1:])}, is fully correlated with the flipped {dims(a.kernel)} kernel "
        f"(a full convolution with the kernel): each input cell collects every output it "
        f"influenced, weighted by the kernel tap that connected them. "
        + values_sentence(values, "Gradient")
    )


def _direct_panels(a: TransposedArgs) -> tuple[tuple[str, pl.Compute], ...]:
    """Torch's zero-inserted, padded input and direct kernel, as the direct view draws them."""
    return (
        (
            "input",
            functools.partial(
                refs.zero_inserted,
                x=a.x[0],
                kernel=a.kernel,
                stride=a.stride,
                padding=a.padding,
                output_padding=a.output_padding,
                dilation=a.dilation,
            ),
        ),
        ("kernel", functools.partial(refs.transposed_kernel, weight=a.weight, groups=a.groups)),
    )


class ScatterSpec(pl.OpSpec):
    """``transpose``: each input cell stamps the scaled kernel into the output.

    The tensor view draws it as its direct correlation (``transpose-direct``).
    """

    weight = "transposed"
    options = frozenset({"groups", "output_padding"})
    summary = "each input cell stamps the kernel into the output"
    views = frozenset({"grid", "tensor"})

    def figure_for(
        self, view: str, op: str, request: pl.Request, options: pl.Options
    ) -> pl.Figure:
        """The scatter figure, or for the tensor view the direct one (as ``op``)."""
        if view == "tensor":
            direct = DirectSpec("transposed").figure("transpose-direct", request, options)
            return dataclasses.replace(direct, op=op, params={**direct.params, "op": op})
        return super().figure_for(view, op, request, options)

    def figure(self, op: str, request: pl.Request, options: pl.Options) -> pl.Figure:
        _zeros_only(options, "a transposed convolution")
        a = _transposed(request, options)
        xa, w = a.x[0], a.weight
        geometry = _geometry(a)
        # Every size from shapes (the uncropped output), checked before any array is made.
        pl.check_drawable(xa)
        ext = a.uncropped
        if any(e > pl.MAX_PADDED for e in ext):
            raise ValueError(
                f"stride {options.stride_or(1)!r} and dilation {options.dilation!r} make the "
                f"transposed convolution's uncropped output {dims(ext)}, more than "
                f"{pl.MAX_PADDED} cells along an axis: too large to draw"
            )
        if a.c_out > pl.MAX_CHANNELS:
            raise ValueError(
                f"weight gives {a.c_out} output channels; at most {pl.MAX_CHANNELS} can be drawn"
            )
        pl.check_steps(xa.size)
        values = ops.conv_transpose(xa, w, a.bias, **geometry)
        order = list(np.ndindex(*xa.shape))
        partial = np.zeros((len(order), a.c_out, *ext), dtype=values.dtype)
        stamps = np.zeros_like(partial)
        mask = np.zeros(xa.shape, dtype=bool)
        for t, idx in enumerate(order):
            mask[idx] = True
            one = np.zeros(xa.shape, dtype=bool)
            one[idx] = True
            partial[t] = ops.conv_transpose_uncropped(np.where(mask, xa, 0), w, **geometry)
            stamps[t] = ops.conv_transpose_uncropped(np.where(one, xa, 0), w, **geometry)
        inner = tuple(slice(p, p + o) for p, o in zip(a.padding, a.out, strict=True))
        final = partial[-1].copy()
        final[(slice(None), *inner)] = values
        cropped = ext != tuple(a.out)
        legend = [
            ("input", "input", "source", "scattered cell"),
            ("output", "output", "stamp", "receives a stamp (+added)"),
        ]
        if cropped:
            legend.append(("output", "cropped", "", "cropped by padding"))
        legend.append(("output", "pending", "", "not reached yet"))
        uncropped = {
            "x": xa,
            "weight": w,
            "stride": a.stride,
            "groups": a.groups,
            "dilation": a.dilation,
            "size": ext,
        }
        return pl.Figure(
            op=op,
            kind="scatter",
            header=(
                "Transposed convolution: each input cell stamps the kernel",
                pl.header_params(
                    a.kernel,
                    a.stride,
                    pl.tuple_text(a.padding),
                    a.dilation,
                    groups=a.groups,
                    output_padding=a.output_padding,
                ),
            ),
            values=values,
            data={
                "x": xa,
                "kernel": w,
                "partial": partial,
                "stamps": stamps,
                "final": final,
                "inner": inner,
                "stride": a.stride,
                "dilation": a.dilation,
                "groups": a.groups,
            },
            panels=(
                Panel("input", "input", pl.shape_text(xa), xa.shape, accent="purple"),
                Panel(
                    "kernel",
                    "kernel",
                    dims(a.kernel) if w.shape[:2] == (1, 1) else dims(w.shape),
                    w.shape,
                    lead=2,
                    accent="purple",
                    row_label="o",
                    group_label="c=",
                ),
                Panel(
                    "output",
                    "output",
                    dims(a.out) + (f" (uncropped {dims(ext)})" if cropped else ""),
                    (a.c_out, *ext),
                    accent="purple",
                    row_label="o",
                ),
            ),
            symbols=("×", "→"),
            legend=tuple(legend),
            texts=pl.texts(xa, w, partial, stamps, final) | {"+" + t for t in pl.texts(stamps)},
            alt=lambda frames: _scatter_alt(a, xa, ext, values, frames),
            reference=pl.Reference(
                f"torch.nn.functional.conv_transpose{a.d}d",
                functools.partial(refs.conv_transpose, x=xa, weight=w, bias=a.bias, **geometry),
                (a.c_out, *a.size(shapes.conv_transpose_output_size)),
                extras=(
                    (
                        "uncropped sum of all stamps",
                        partial[-1],
                        functools.partial(refs.conv_transpose_uncropped, **uncropped),
                    ),
                    (
                        "each stamp",
                        stamps,
                        functools.partial(refs.conv_transpose_stamps, **uncropped),
                    ),
                ),
                region=inner,
            ),
            params={
                "op": op,
                "x_shape": xa.shape,
                "weight_shape": w.shape,
                "bias": a.bias is not None,
                **geometry,
                "output_shape": values.shape,
            },
        )


def _scatter_alt(
    a: TransposedArgs, xa: np.ndarray, ext: Sequence[int], values: np.ndarray, frames: int
) -> str:
    cropped = tuple(ext) != tuple(a.out)
    return (
        f"Animation in {frames} frames: a transposed convolution as scatter. Each of the "
        f"{xa.size} cells of the {dims(xa.shape[1:])} input in turn multiplies the "
        f"{dims(a.kernel)} kernel and adds the result into the output at "
        f"{pl.tuple_text(a.stride)}-cell steps; where stamps overlap their contributions add "
        f"up. The uncropped result is {dims(ext)}"
        + (
            f"; padding {pl.tuple_text(a.padding)} crops it to {dims(a.out)} (hatched cells are "
            f"cropped)"
            if cropped
            else ""
        )
        + ". "
        + values_sentence(values)
    )
