"""Family specs of pooling: windowed, global, and the max-pooling gradient."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .. import grad, pooling
from .._args import PoolArgs, resolve_pool
from .._validate import as_array
from . import _pipeline as pl
from . import _references as refs
from .alt import dims, values_sentence
from .frames import Panel

__all__ = ["GlobalSpec", "PoolSpec", "RouteSpec"]


def _window(op: str, request: pl.Request) -> object:
    if request.bias is not None:
        raise ValueError(f"bias is only used by the convolution ops, not {op!r}")
    if request.kernel_size is None:
        return request.weight
    if request.weight is not None:
        raise ValueError("give the pooling window once: as weight or as kernel_size, not both")
    return request.kernel_size


def _resolve(op: str, request: pl.Request, options: pl.Options) -> tuple[PoolArgs, int]:
    kernel_size = _window(op, request)
    if kernel_size is None:
        raise TypeError(f"kernel_size is required for {op!r}")
    xa, d = pl.pool_input(request.x, kernel_size, options.spatial_dims)
    a = resolve_pool(
        xa, kernel_size, options.stride, options.padding, options.dilation, options.ceil_mode, d
    )
    return a, d


def _max_pool(a: PoolArgs) -> tuple[np.ndarray, np.ndarray]:
    values, indices = pooling.max_pool(a.x[0], a.kernel, return_indices=True, **_opts(a))
    return values, indices


def _opts(a: PoolArgs) -> dict[str, Any]:
    return {
        "stride": a.stride,
        "padding": a.padding,
        "dilation": a.dilation,
        "ceil_mode": a.ceil_mode,
        "ndim": len(a.kernel),
    }


def _grid(a: PoolArgs, fill: float, x: np.ndarray | None = None) -> np.ndarray:
    """``x`` (by default the input) as the windows read it (from the operator module)."""
    if x is None:
        x = a.x[0].astype(np.float64) if np.isinf(fill) else a.x[0]
    return pooling.pool_pad_input(x, a.kernel, value=fill, **_opts(a))


def _maxima(indices: np.ndarray, a: PoolArgs) -> tuple[np.ndarray, np.ndarray]:
    """Each window's maximum in input and in padded coordinates, from the operator's indices.

    A window made only of padding has no maximum: the package gives it -inf
    and index -1 where torch gives an index outside the window, so such a
    layer cannot be drawn and verified; it is refused with a one-line error.
    """
    if (indices < 0).any():
        raise ValueError(
            f"a max-pooling window holds only padding with kernel_size {a.kernel}, padding "
            f"{a.padding} and dilation {a.dilation} on an input of size {a.spatial}: it has no "
            f"maximum to draw (torch and the package disagree there; see max_pool's Notes)"
        )
    targets = np.stack(np.unravel_index(indices, a.spatial), axis=-1)
    return targets, targets + np.array([b for b, _ in a.pads])


def _pool_refs(a: PoolArgs) -> dict[str, Any]:
    """The window and its options as keywords of the torch references."""
    options = _opts(a)
    del options["ndim"]
    return {"kernel": a.kernel, **options}


class PoolSpec(pl.OpSpec):
    """``max-pool`` and ``avg-pool``: one frame per output cell."""

    weight = "window"
    options = frozenset({"kernel_size", "ceil_mode", "count_include_pad", "spatial_dims"})
    summary = "a window slides over the padded input"
    views = frozenset({"grid", "tensor"})

    def figure(self, op: str, request: pl.Request, options: pl.Options) -> pl.Figure:
        a, d = _resolve(op, request, options)
        if options.padding_mode != "zeros":
            raise ValueError(f"padding_mode is not used by pooling; got {options.padding_mode!r}")
        xa, is_max = a.x[0], op == "max-pool"
        keep = options.count_include_pad
        # Every size from shapes (a.pads, a.out), checked before any array is made.
        extent = tuple(s + b + e for s, (b, e) in zip(a.spatial, a.pads, strict=True))
        pl.check_drawable(xa, extent=extent, cause=f"padding {options.padding!r}")
        pl.check_steps(int(xa.shape[0]) * math.prod(a.out))
        if is_max:
            values, indices = _max_pool(a)
            xp = _grid(a, -np.inf)
            _, chosen = _maxima(indices, a)
            counted = divisor = None
        else:
            if any(v != 1 for v in a.dilation):
                raise ValueError(
                    f"dilation must be 1 for average pooling (torch has none), got "
                    f"{options.dilation!r}"
                )
            avg: dict[str, Any] = {
                "stride": a.stride,
                "padding": a.padding,
                "ceil_mode": a.ceil_mode,
                "ndim": d,
            }
            values = pooling.avg_pool(xa, a.kernel, count_include_pad=keep, **avg)
            xp = _grid(a, 0)
            chosen = None
            mask = pooling.avg_pool_counted(xa, a.kernel, count_include_pad=keep, **avg)
            counted = grid_mask = np.broadcast_to(mask, xp.shape)
            divisor = pooling.avg_pool_divisor(xa, a.kernel, count_include_pad=keep, **avg)
        pl.check_drawable(xa, extent=xp.shape[1:])
        pl.check_steps(values.size)
        c = xa.shape[0]
        has_pad = any(b or e for b, e in a.pads)
        kind = "max" if is_max else "avg"
        ref = _pool_refs(a)
        if is_max:
            extras: tuple[Any, ...] = (
                ("max indices", indices, functools.partial(refs.max_pool_indices, x=xa, **ref)),
                (
                    "output from the drawn grid",
                    values,
                    functools.partial(
                        refs.pool,
                        kind="max",
                        x=xp,
                        kernel=a.kernel,
                        stride=a.stride,
                        dilation=a.dilation,
                    ),
                ),
            )
        else:
            extras = (
                (
                    "output from the drawn grid and its counted cells",
                    values,
                    functools.partial(
                        _counted_average,
                        grid=xp,
                        counted=grid_mask,
                        kernel=a.kernel,
                        stride=a.stride,
                    ),
                ),
                (
                    "counted cells per window",
                    np.broadcast_to(np.asarray(divisor), values.shape),
                    functools.partial(
                        _window_counts, counted=grid_mask, kernel=a.kernel, stride=a.stride
                    ),
                ),
            )
        legend = [("input", "input", "", "input")]
        if has_pad:
            legend.append(("input", "padding", "", "padding (−∞)" if is_max else "padding"))
        legend.append(("input", "input", "footprint", "window"))
        if is_max:
            legend.append(("input", "input", "chosen", "the maximum"))
        legend.append(("output", "output", "current", "being computed"))
        in_sub = pl.shape_text(xa) + (f", padded to {dims(xp.shape[1:])}" if has_pad else "")
        params = {**_params(op, a), "output_shape": values.shape}
        if not is_max:
            params["count_include_pad"] = keep
        return pl.Figure(
            op=op,
            kind="pool",
            header=(
                "Max pooling" if is_max else "Average pooling",
                pl.header_params(
                    a.kernel, a.stride, pl.tuple_text(a.padding), a.dilation if is_max else None
                )
                + ("   ceil_mode" if a.ceil_mode else "")
                + ("   count_include_pad=False" if not is_max and not keep else ""),
            ),
            values=values,
            data={
                "grid": xp,
                "roles": _pool_roles(a),
                "window": a.kernel,
                "stride": a.stride,
                "dilation": a.dilation,
                "chosen": chosen,
                "counted": counted,
                "divisor": divisor,
            },
            panels=(
                Panel("input", "input", in_sub, xp.shape, accent="orange"),
                Panel("output", "output", pl.shape_text(values), values.shape, accent="green"),
            ),
            symbols=("→",),
            legend=tuple(legend),
            texts=pl.texts(xp, values),
            alt=lambda frames: _pool_alt(op, a, xa, values, keep, frames),
            reference=pl.Reference(
                f"torch.nn.functional.{kind}_pool{d}d",
                functools.partial(
                    refs.pool,
                    kind=kind,
                    x=xa,
                    count_include_pad=keep,
                    **{**ref, "dilation": a.dilation if is_max else None},
                ),
                (c, *a.output_size()),
                extras,
                panels=(
                    (
                        "input",
                        functools.partial(
                            refs.pool_grid, x=xa, pads=a.pads, fill=-np.inf if is_max else 0.0
                        ),
                    ),
                ),
            ),
            params=params,
            reduce="max" if is_max else "mean",
            exact=pl.exact(xa),
        )


def _params(op: str, a: PoolArgs) -> dict[str, Any]:
    """The options recorded in :attr:`Animation.params`."""
    return {
        "op": op,
        "x_shape": a.x.shape[1:],
        "kernel_size": a.kernel,
        "stride": a.stride,
        "padding": a.padding,
        "dilation": a.dilation,
        "ceil_mode": a.ceil_mode,
    }


def _pool_roles(a: PoolArgs) -> np.ndarray:
    """``"input"`` where the input sits in the windows' padded grid, ``"padding"`` elsewhere."""
    return pl.input_roles(_grid(a, 0, np.ones(a.x.shape[1:])))


def _counted_average(
    torch: Any, F: Any, *, grid: np.ndarray, counted: np.ndarray, kernel: Any, stride: Any
) -> Any:
    """Window sums of the counted drawn cells over their count (torch's avg_pool of both)."""
    from ._verify import to_torch

    fn = getattr(F, f"avg_pool{len(kernel)}d")
    mask = to_torch(torch, counted)
    sums = fn(to_torch(torch, grid) * mask, kernel, stride=stride)
    return (sums / fn(mask, kernel, stride=stride))[0]


def _window_counts(torch: Any, F: Any, *, counted: np.ndarray, kernel: Any, stride: Any) -> Any:
    """How many counted cells each window holds (torch's avg_pool of the mask, times its size)."""
    from ._verify import to_torch

    fn = getattr(F, f"avg_pool{len(kernel)}d")
    return fn(to_torch(torch, counted), kernel, stride=stride)[0] * float(np.prod(kernel))


def _pool_alt(
    op: str, a: PoolArgs, xa: np.ndarray, values: np.ndarray, keep: bool, frames: int
) -> str:
    is_max = op == "max-pool"
    c = xa.shape[0]
    has_pad = any(b or e for b, e in a.pads)
    if is_max:
        hatched = ", which hold minus infinity and are never chosen)"
    else:
        hatched = ", counted as zeros)" if keep else ", not counted)"
    return (
        f"Animation in {frames} frames: a {dims(a.kernel)} window slides over a "
        f"{dims(xa.shape[1:])} input"
        + (f" with {c} channels, each pooled separately" if c > 1 else "")
        + f" with stride {pl.tuple_text(a.stride)}"
        + (f" and padding {pl.tuple_text(a.padding)} (hatched cells" + hatched if has_pad else "")
        + f"; each output cell is the {'largest' if is_max else 'average'} of the values in "
        f"its window"
        + ("; the chosen cell is ringed" if is_max else "")
        + f". The output is {dims(values.shape[1:])}. "
        + values_sentence(values)
    )


class GlobalSpec(pl.OpSpec):
    """``global-max-pool`` and ``global-avg-pool``: one frame per channel."""

    weight = "none"
    options = frozenset({"spatial_dims"})
    summary = "each whole map is reduced to one value"

    def figure(self, op: str, request: pl.Request, options: pl.Options) -> pl.Figure:
        _window(op, request)
        xa, d = pl.pool_input(request.x, None, options.spatial_dims)
        sp = tuple(xa.shape[1:])
        pl.check_drawable(xa)
        is_max = op == "global-max-pool"
        if is_max:
            values = pooling.global_max_pool(xa, ndim=d)
            _, indices = pooling.max_pool(xa, sp, return_indices=True, ndim=d)
            chosen = np.stack(np.unravel_index(indices, sp), axis=-1)
        else:
            values = pooling.global_avg_pool(xa, ndim=d)
            chosen = None
        c = xa.shape[0]
        roles = np.empty(xa.shape, dtype=object)
        roles[...] = "input"
        legend = [("input", "input", "footprint", "pooled map")]
        if is_max:
            legend.append(("input", "input", "chosen", "the maximum"))
        legend.append(("output", "output", "current", "being computed"))
        kind = "max" if is_max else "avg"
        ones = (1,) * d
        return pl.Figure(
            op=op,
            kind="pool",
            header=(
                "Global max pooling" if is_max else "Global average pooling",
                f"window = the whole {dims(sp)} map   one value per channel",
            ),
            values=values,
            data={
                "grid": xa,
                "roles": roles,
                "window": sp,
                "stride": ones,
                "dilation": ones,
                "chosen": chosen,
            },
            panels=(
                Panel("input", "input", dims(xa.shape), xa.shape, accent="orange"),
                Panel("output", "output", dims(values.shape), values.shape, accent="green"),
            ),
            symbols=("→",),
            legend=tuple(legend),
            texts=pl.texts(xa, values),
            alt=lambda frames: (
                f"Animation in {frames} frames: global {'max' if is_max else 'average'} "
                f"pooling of {c} feature map{'s' if c > 1 else ''} of {dims(sp)}: each whole "
                f"map is reduced to its {'largest value' if is_max else 'mean'}, giving one "
                f"value per channel. " + values_sentence(values.reshape(1, -1), "Output")
            ),
            reference=pl.Reference(
                f"torch.nn.functional.adaptive_{kind}_pool{d}d(x, 1)",
                functools.partial(refs.global_pool, kind=kind, x=xa),
                (c, *ones),
            ),
            params={"op": op, "x_shape": xa.shape, "output_shape": values.shape},
            reduce="max" if is_max else "mean",
            exact=pl.exact(xa),
        )


class RouteSpec(pl.OpSpec):
    """``max-pool-grad``: each output gradient is routed to its window's maximum."""

    weight = "window"
    options = frozenset({"kernel_size", "ceil_mode", "spatial_dims"})
    summary = "each output gradient goes to its window's maximum"

    def figure(self, op: str, request: pl.Request, options: pl.Options) -> pl.Figure:
        a, d = _resolve(op, request, options)
        xa = a.x[0]
        _, indices = _max_pool(a)
        c = xa.shape[0]
        g = request.grad_output
        if g is None:
            g = np.arange(1, c * int(np.prod(a.out)) + 1).reshape(c, *a.out)
        g = pl.unbatch("grad_output", as_array("grad_output", g), d)
        opts = _opts(a)
        final = grad.max_pool_grad(xa, g, a.kernel, **opts)
        xp = _grid(a, -np.inf)
        pl.check_drawable(xa, extent=xp.shape[1:])
        pl.check_steps(g.size)
        targets, chosen = _maxima(indices, a)
        order = list(np.ndindex(*g.shape))
        partial = np.zeros((len(order), *final.shape), dtype=final.dtype)
        mask = np.zeros(g.shape, dtype=bool)
        for t, idx in enumerate(order):
            mask[idx] = True
            partial[t] = grad.max_pool_grad(xa, np.where(mask, g, 0), a.kernel, **opts)
        ref = _pool_refs(a)
        compute = functools.partial(refs.max_pool_grad, x=xa, grad_output=g, **ref)
        return pl.Figure(
            op=op,
            kind="route",
            header=(
                "Max pooling gradient: routed to the maximum",
                pl.header_params(a.kernel, a.stride, pl.tuple_text(a.padding), a.dilation)
                + ("   ceil_mode" if a.ceil_mode else ""),
            ),
            values=final,
            data={
                "grid": xp,
                "roles": _pool_roles(a),
                "grad_output": g,
                "partial": partial,
                "chosen": chosen,
                "targets": targets,
                "window": a.kernel,
                "stride": a.stride,
                "dilation": a.dilation,
            },
            panels=(
                Panel(
                    "input",
                    "input",
                    pl.shape_text(xa)
                    + (f", padded to {dims(xp.shape[1:])}" if xp.shape != xa.shape else ""),
                    xp.shape,
                    accent="orange",
                ),
                Panel("grad_output", "grad output", pl.shape_text(g), g.shape, accent="orange"),
                Panel(
                    "grad_input", "grad input", pl.shape_text(final), final.shape, accent="orange"
                ),
            ),
            symbols=("", "→"),
            legend=(
                ("input", "input", "footprint", "window"),
                ("input", "input", "chosen", "its maximum"),
                ("grad_output", "input", "source", "routed gradient"),
                ("grad_input", "output", "stamp", "receives it"),
            ),
            texts=pl.texts(xp, g, partial) | {"+" + t for t in pl.texts(g)},
            alt=lambda frames: (
                f"Animation in {frames} frames: the gradient of {dims(a.kernel)} max pooling "
                f"with stride {pl.tuple_text(a.stride)} over a {dims(xa.shape[1:])} input. Each of "
                f"the {g.size} output gradients is sent whole to the input cell that was the "
                f"maximum of its window (ringed); every other input cell gets zero, and a cell "
                f"that is the maximum of several windows collects their sum. "
                + values_sentence(final, "Gradient")
            ),
            reference=pl.Reference(
                f"torch.autograd.grad of torch.nn.functional.max_pool{d}d",
                compute,
                tuple(xa.shape),
                (
                    (
                        "max indices",
                        indices,
                        functools.partial(refs.max_pool_indices, x=xa, **ref),
                    ),
                    ("sum of all routed gradients", partial[-1], compute),
                ),
            ),
            params={**_params(op, a), "grad_output": g, "output_shape": final.shape},
            out_panel="grad_input",
        )
