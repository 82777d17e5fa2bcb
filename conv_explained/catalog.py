"""The catalog: named, reproducible animations, rendered and listed in a manifest.

Each :class:`Case` names an operation, its options and a function that builds
its input arrays from a fixed seed, so a case renders to the same bytes on
every run. The first fifteen cases are the animations of V. Dumoulin and
F. Visin's *A guide to convolution arithmetic for deep learning* (the
``conv_arithmetic`` repository), with the same names and parameters and
every number written in; the others show correlation against convolution,
transposed convolution both ways, pooling, channels and groups, 1-D and 3-D
inputs, gradients and padding modes. The ``tensor_*`` cases draw channels,
groups, depthwise, pointwise and depthwise-separable layers and pooling in
the tensor view (``view="tensor"``): C×H×W blocks with the numbers on them.

>>> from conv_explained import catalog
>>> catalog.CATALOG["padding_strides"].params
{'stride': 2, 'padding': 1}
>>> len(catalog.names())
43
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import ArrayLike

from . import grad, ops, pooling, shapes, verify
from ._args import rank_from_x
from ._counts import layer_counts
from .render import Animation, animate, compare
from .render.gif import atomic_write, written
from .verify import Certificate

__all__ = [
    "CATALOG",
    "CONV_ARITHMETIC",
    "Case",
    "get",
    "layer_counts",
    "names",
    "render_case",
    "render_catalog",
]

Build = Callable[[np.random.Generator], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """One named animation of the catalog.

    Attributes
    ----------
    name : str
        File-name friendly identifier (``<name>.gif`` etc.).
    title : str
        Short human title.
    description : str
        One or two sentences on what it shows.
    op : str
        An op of :func:`conv_explained.render.animate`, or ``"compare"``
        for two ops side by side (see ``compare_ops``).
    build : callable
        ``build(rng)`` returns the arrays (``x``, ``weight``, optionally
        ``bias`` and ``grad_output``), drawn from ``rng`` or fixed.
    params : dict
        Keyword options for :func:`~conv_explained.render.animate`.
    seed : int
        Seed of the ``numpy.random.default_rng`` given to ``build``.
    group : str
        Topic the case belongs to.
    compare_ops : tuple of str
        For ``op == "compare"``: the left and right ops.
    titles : tuple of str
        For ``op == "compare"``: the titles above each half.
    second : (str, dict) or None
        A second layer ``(op, params)`` applied to the first one's output
        with the weight ``weight2`` of ``build``; the two are drawn side by
        side (with ``titles``), so their frame counts must agree.
    """

    name: str
    title: str
    description: str
    op: str
    build: Build
    params: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    group: str = ""
    compare_ops: tuple[str, str] = ("correlate", "convolve")
    titles: tuple[str, str] = ("correlation", "convolution")
    second: tuple[str, dict[str, Any]] | None = None

    def inputs(self) -> dict[str, Any]:
        """The case's arrays, rebuilt from its seed."""
        return self.build(np.random.default_rng(self.seed))

    def animate(self, *, verify: bool = True) -> Animation:
        """Render the case (verified against torch unless ``verify=False``)."""
        arrays = self.inputs()
        if self.second is not None:
            op, params = self.second
            first = animate(self.op, arrays["x"], arrays["weight"], **self.params, verify=verify)
            then = animate(op, first.values, arrays["weight2"], **params, verify=verify)
            return compare(first, then, self.titles)
        if self.op == "compare":
            left, right = (
                animate(op, **arrays, **self.params, verify=verify) for op in self.compare_ops
            )
            return compare(left, right, self.titles)
        return animate(self.op, **arrays, **self.params, verify=verify)

    def certify(
        self,
        anim: Animation | None = None,
        *,
        also: Mapping[str, ArrayLike] | Sequence[Mapping[str, ArrayLike]] | None = None,
    ) -> Certificate:
        """Check the case against an independently built torch layer; one certificate.

        The case's inputs go through a ``torch.nn`` layer built here with the
        case's options (``Conv1d/2d/3d``, ``ConvTranspose*d``, ``MaxPool*d``,
        ``AvgPool*d``, ``AdaptiveMaxPool*d``/``AdaptiveAvgPool*d`` for the
        global pools, and autograd through the layer for the gradients), in
        float64. Compared with the layer's result are: the package operator's
        result (:func:`~conv_explained.correlate`, ``convolve``,
        ``conv_transpose`` and, for ``transpose-direct``, the direct form of
        :func:`~conv_explained.transposed_as_correlation`, the pools and the
        gradients), the animation's values, and every array in ``also``.

        Parameters
        ----------
        anim : Animation, optional
            The case's animation, if already rendered (rendered here otherwise,
            with the renderer's own torch check).
        also : mapping of str to array_like, or a sequence of two such, optional
            Further results of the same case computed another way, named by
            how they were computed ("the stamps added up with numpy"); each is
            compared with the layer too. A plain array may leave out a single
            channel axis. For a case of two parts (``op == "compare"`` or a
            ``second`` layer) a single mapping belongs to the last part; give
            one mapping per part to check both.

        Returns
        -------
        Certificate
            One certificate (:func:`conv_explained.verify.combine`) over all
            the comparisons.

        Raises
        ------
        VerificationError
            If any result differs from the torch layer's (one line naming it).
        ValueError
            For an option the check does not know (named in the message).
        """
        if anim is None:
            anim = self.animate()
        arrays = self.inputs()
        if self.second is not None:
            op2, params2 = self.second
            first = _reference(self.op, arrays, self.params)
            second_arrays = {"x": first.layer_result, "weight": arrays["weight2"]}
            then = _reference(op2, second_arrays, params2)
            then_ours = _reference(op2, {**second_arrays, "x": first.ours[0][1]}, params2)
            parts = [first, _Reference(then.layer, then.layer_result, then_ours.ours)]
            drawn: list[Any] = list(anim.values)
        elif self.op == "compare":
            parts = [_reference(op, arrays, self.params) for op in self.compare_ops]
            drawn = list(anim.values)
        else:
            parts = [_reference(self.op, arrays, self.params)]
            drawn = [anim.values]
        if also is None:
            extras: list[Mapping[str, ArrayLike]] = [{} for _ in parts]
        elif isinstance(also, Mapping):
            extras = [*({} for _ in parts[1:]), also]
        else:
            extras = list(also)
            if len(extras) != len(parts):
                raise ValueError(
                    f"also must hold one mapping per part ({len(parts)}), got {len(extras)}"
                )
        certificates = []
        for ref, values, more in zip(parts, drawn, extras, strict=True):
            results = [*ref.ours, ("the animation", np.asarray(values))]
            results += [(name, np.asarray(a)) for name, a in more.items()]
            for by, got in results:
                expected = ref.layer_result
                if got.ndim == expected.ndim - 1 and expected.shape[0] == 1:
                    expected = expected[0]  # a plain result of a single channel
                certificates.append(
                    verify.compare(
                        got,
                        expected,
                        what=f"{self.name}: {by}",
                        got_by=by,
                        expected_by=ref.layer,
                        atol=_ATOL,
                        rtol=_RTOL,
                        dtype="float64",
                    )
                )
        return verify.combine(f"{self.title} (the operator and the animation)", certificates)


#: Largest difference allowed from the torch layer (float64; the inputs are small integers).
_ATOL = 1e-12
_RTOL = 1e-12

#: Options :meth:`Case.certify` passes to the torch layer; drawing-only options are ignored.
_DRAWING_ONLY = frozenset({"view", "mac", "spatial_dims"})


@dataclass(frozen=True)
class _Reference:
    layer: str  # "torch.nn.Conv2d"
    layer_result: np.ndarray  # (C, *spatial), float64
    ours: list[tuple[str, np.ndarray]]  # (package function, result (C, *spatial))


def _conv_layout(x: Any, weight: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """``x`` as ``(1, C, *sp)``, the weight with both channel axes, and the rank."""
    w = np.asarray(weight)
    if w.ndim in (1, 2):
        d, w = w.ndim, w[None, None]
    else:
        d = w.ndim - 2
    a = np.asarray(x)
    xb = a[None, None] if a.ndim == d else a[None] if a.ndim == d + 1 else a
    return xb, w, d


def _pool_layout(x: Any, params: Mapping[str, Any]) -> tuple[np.ndarray, int]:
    """``x`` as ``(1, C, *sp)`` and the rank (``spatial_dims``, a tuple kernel_size, or x's rank)."""
    a = np.asarray(x)
    kernel = params.get("kernel_size")
    if params.get("spatial_dims") is not None:
        d = int(params["spatial_dims"])
    elif isinstance(kernel, Sequence):
        d = len(kernel)
    else:
        d = rank_from_x(a, kernel_words=True, option="spatial_dims")
    xb = a[None, None] if a.ndim == d else a[None] if a.ndim == d + 1 else a
    return xb, d


_OPTIONS = frozenset(
    {
        "stride",
        "padding",
        "dilation",
        "groups",
        "padding_mode",
        "output_padding",
        "kernel_size",
        "ceil_mode",
        "count_include_pad",
    }
)


def _tensor(a: Any) -> Any:
    import torch

    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


def _unbatched(t: Any) -> np.ndarray:
    """A batched torch result (or tensor-like) as a float64 ``(C, *spatial)`` array."""
    if hasattr(t, "detach"):
        t = t.detach().numpy()
    return np.asarray(np.asarray(t)[0], dtype=np.float64)


def _pick(opts: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {k: opts[k] for k in names if k in opts}


def _load(layer: Any, weight: Any, bias: Any) -> Any:
    import torch

    with torch.no_grad():
        layer.weight.copy_(weight)
        if bias is not None:
            layer.bias.copy_(_tensor(np.reshape(bias, -1)))
    return layer


def _backward(layer: Any, xb: np.ndarray, grad_output: Any) -> tuple[np.ndarray, np.ndarray]:
    """Autograd through ``layer``: the input gradient, and ``grad_output`` in the output's shape."""
    xt = _tensor(xb).requires_grad_(True)
    y = layer(xt)
    g = np.asarray(grad_output).reshape(tuple(y.shape))
    y.backward(_tensor(g))
    return _unbatched(xt.grad), g


def _conv_reference(op: str, arrays: Mapping[str, Any], opts: Mapping[str, Any]) -> _Reference:
    import torch
    from torch import nn

    xb, w, d = _conv_layout(arrays["x"], arrays["weight"])
    bias = arrays.get("bias")
    padding = opts.get("padding", 0)
    dilation = opts.get("dilation", 1)
    if padding == "full":  # torch has no "full": d(k - 1) on each side
        dil = (dilation,) * d if isinstance(dilation, int) else tuple(dilation)
        padding = tuple(di * (k - 1) for di, k in zip(dil, w.shape[2:], strict=True))
    groups = opts.get("groups", 1)
    layer = getattr(nn, f"Conv{d}d")(
        w.shape[1] * groups,
        w.shape[0],
        kernel_size=w.shape[2:],
        stride=opts.get("stride", 1),
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=bias is not None,
        padding_mode=opts.get("padding_mode", "zeros"),
        dtype=torch.float64,
    )
    kernel = _tensor(w)
    if op == "convolve":  # a convolution is the correlation with the flipped kernel
        kernel = torch.flip(kernel, dims=tuple(range(2, 2 + d)))
    _load(layer, kernel, bias)
    conv_opts = _pick(opts, "stride", "padding", "dilation", "groups")
    name = f"torch.nn.Conv{d}d"
    if op == "input-grad":
        expected, g = _backward(layer, xb, arrays["grad_output"])
        ours = grad.correlate_grad(xb, w, g, **conv_opts)[0]
        return _Reference(
            f"{name} (autograd)", expected, [("conv_explained.correlate_grad", _unbatched(ours))]
        )
    fn = ops.correlate if op == "correlate" else ops.convolve
    result = fn(xb, w, bias, **conv_opts, padding_mode=opts.get("padding_mode", "zeros"))
    return _Reference(
        name, _unbatched(layer(_tensor(xb))), [(f"conv_explained.{op}", _unbatched(result))]
    )


def _transpose_reference(
    op: str, arrays: Mapping[str, Any], opts: Mapping[str, Any]
) -> _Reference:
    import torch
    from torch import nn

    xb, w, d = _conv_layout(arrays["x"], arrays["weight"])
    bias = arrays.get("bias")
    t_opts = _pick(opts, "stride", "padding", "output_padding", "groups", "dilation")
    groups = t_opts.get("groups", 1)
    layer = getattr(nn, f"ConvTranspose{d}d")(
        w.shape[0],
        w.shape[1] * groups,
        kernel_size=w.shape[2:],
        bias=bias is not None,
        dtype=torch.float64,
        **t_opts,
    )
    _load(layer, _tensor(w), bias)
    scatter = ops.conv_transpose(xb, w, bias, **t_opts)
    ours = [("conv_explained.conv_transpose", _unbatched(scatter))]
    if op == "transpose-direct":
        x_direct, w_direct = ops.transposed_as_correlation(xb, w, **t_opts)
        direct = ops.correlate(
            x_direct, w_direct, bias, dilation=opts.get("dilation", 1), groups=groups
        )
        ours.append(
            ("the direct form (conv_explained.transposed_as_correlation)", _unbatched(direct))
        )
    return _Reference(f"torch.nn.ConvTranspose{d}d", _unbatched(layer(_tensor(xb))), ours)


def _pool_reference(op: str, arrays: Mapping[str, Any], opts: Mapping[str, Any]) -> _Reference:
    from torch import nn

    if "kernel_size" not in opts:
        raise ValueError(f"params must give kernel_size for {op!r}, got {dict(opts)!r}")
    xb, d = _pool_layout(arrays["x"], opts)
    pool_opts = _pick(opts, "kernel_size", "stride", "padding", "dilation", "ceil_mode")
    if op == "avg-pool":
        pool_opts.pop("dilation", None)
        pool_opts |= _pick(opts, "count_include_pad")
        layer = getattr(nn, f"AvgPool{d}d")(**pool_opts)
        ours = pooling.avg_pool(xb, ndim=d, **pool_opts)
        return _Reference(
            f"torch.nn.AvgPool{d}d",
            _unbatched(layer(_tensor(xb))),
            [("conv_explained.avg_pool", _unbatched(ours))],
        )
    layer = getattr(nn, f"MaxPool{d}d")(**pool_opts)
    if op == "max-pool":
        pooled = pooling.max_pool(xb, ndim=d, **pool_opts)
        return _Reference(
            f"torch.nn.MaxPool{d}d",
            _unbatched(layer(_tensor(xb))),
            [("conv_explained.max_pool", _unbatched(pooled))],
        )
    expected, g = _backward(layer, xb, arrays["grad_output"])
    routed = grad.max_pool_grad(xb, g, ndim=d, **pool_opts)
    return _Reference(
        f"torch.nn.MaxPool{d}d (autograd)",
        expected,
        [("conv_explained.max_pool_grad", _unbatched(routed))],
    )


def _global_reference(op: str, arrays: Mapping[str, Any], opts: Mapping[str, Any]) -> _Reference:
    from torch import nn

    xb, d = _pool_layout(arrays["x"], opts)
    kind = "Max" if op == "global-max-pool" else "Avg"
    layer = getattr(nn, f"Adaptive{kind}Pool{d}d")(1)
    fn = pooling.global_max_pool if kind == "Max" else pooling.global_avg_pool
    return _Reference(
        f"torch.nn.Adaptive{kind}Pool{d}d",
        _unbatched(layer(_tensor(xb))),
        [(f"conv_explained.{fn.__name__}", _unbatched(fn(xb, ndim=d)))],
    )


_REFERENCES: dict[str, Callable[[str, Mapping[str, Any], Mapping[str, Any]], _Reference]] = {
    "correlate": _conv_reference,
    "convolve": _conv_reference,
    "input-grad": _conv_reference,
    "transpose": _transpose_reference,
    "transpose-direct": _transpose_reference,
    "max-pool": _pool_reference,
    "avg-pool": _pool_reference,
    "max-pool-grad": _pool_reference,
    "global-max-pool": _global_reference,
    "global-avg-pool": _global_reference,
}


def _reference(op: str, arrays: Mapping[str, Any], params: Mapping[str, Any]) -> _Reference:
    """The torch layer's result for one op of a case, and the package operator's.

    torch is imported lazily, so that the package imports without it.
    """
    unknown = set(params) - _DRAWING_ONLY - _OPTIONS
    if unknown:
        raise ValueError(
            f"params must hold options of the torch layer, got {', '.join(sorted(unknown))}"
        )
    if op not in _REFERENCES:
        raise ValueError(f"op must be an op of conv_explained.render.animate, got {op!r}")
    # spatial_dims stays: the pooling references read the input's layout from it.
    opts = {k: v for k, v in params.items() if k not in _DRAWING_ONLY or k == "spatial_dims"}
    return _REFERENCES[op](op, arrays, opts)


def _ints(shape: Sequence[int], high: int) -> Build:
    """Builder of a seeded input alone, values 0..high-1 (for pooling)."""

    def build(rng: np.random.Generator) -> dict[str, Any]:
        return {"x": rng.integers(0, high, size=tuple(shape))}

    return build


def _conv(
    x_shape: Sequence[int],
    w_shape: Sequence[int],
    *,
    x_low: int = 0,
    x_high: int = 4,
    w_high: int = 3,
) -> Build:
    """Builder of a seeded input (values x_low..x_high-1) and kernel (0..w_high-1).

    A kernel that comes out more than a third zeros is drawn again (from the
    same generator, so still deterministic): mostly-zero kernels make whole
    output rows vanish and teach nothing.
    """

    def build(rng: np.random.Generator) -> dict[str, Any]:
        x = rng.integers(x_low, x_high, size=tuple(x_shape))
        weight = rng.integers(0, w_high, size=tuple(w_shape))
        while np.count_nonzero(weight == 0) > weight.size // 3:
            weight = rng.integers(0, w_high, size=tuple(w_shape))
        return {"x": x, "weight": weight}

    return build


def _seed000(rng: np.random.Generator) -> dict[str, Any]:
    """The 5x5 image and the kernel 0..8 of the blue and red kernel animations."""
    image = np.array(
        [[1, 2, 2, 1, 0], [3, 3, 3, 3, 0], [3, 0, 0, 2, 2], [0, 3, 0, 3, 3], [2, 2, 2, 3, 2]]
    )
    return {"x": image, "weight": np.arange(9).reshape(3, 3)}


def _ones(x_shape: Sequence[int], k: int) -> Build:
    def build(rng: np.random.Generator) -> dict[str, Any]:
        return {"x": np.ones(tuple(x_shape), dtype=np.int64), "weight": np.ones((k, k), np.int64)}

    return build


def _with_grad(base: Build, grad_shape: Sequence[int]) -> Build:
    def build(rng: np.random.Generator) -> dict[str, Any]:
        arrays = base(rng)
        n = int(np.prod(grad_shape))
        arrays["grad_output"] = np.arange(1, n + 1).reshape(tuple(grad_shape))
        return arrays

    return build


# (name, i, k, s, p) of the conv_arithmetic animations; the transposed ones
# take the forward output size as input.
_ARITHMETIC = [
    ("no_padding_no_strides", 4, 3, 1, 0),
    ("arbitrary_padding_no_strides", 5, 4, 1, 2),
    ("same_padding_no_strides", 5, 3, 1, 1),
    ("full_padding_no_strides", 5, 3, 1, 2),
    ("no_padding_strides", 5, 3, 2, 0),
    ("padding_strides", 5, 3, 2, 1),
    ("padding_strides_odd", 6, 3, 2, 1),
]


def _arithmetic_cases() -> list[Case]:
    cases = []
    for n, (name, i, k, s, p) in enumerate(_ARITHMETIC):
        words = name.replace("_", " ")
        cases.append(
            Case(
                name=name,
                title=words.capitalize(),
                description=(
                    f"A {k}x{k} kernel over a {i}x{i} input with stride {s} and padding {p} "
                    f"(conv_arithmetic's {name})."
                ),
                op="correlate",
                build=_conv((i, i), (k, k)),
                params={"stride": s, "padding": p},
                seed=n,
                group="conv_arithmetic",
            )
        )
    for n, (name, i, k, s, p) in enumerate(_ARITHMETIC):
        o = shapes.conv_output_size(i, k, stride=s, padding=p)
        assert isinstance(o, int)  # scalar arguments, scalar size
        extra = shapes.conv_transpose_output_padding(i, o, k, stride=s, padding=p)
        params: dict[str, Any] = {"stride": s, "padding": p}
        if extra:
            params["output_padding"] = extra
        cases.append(
            Case(
                name=name + "_transposed",
                title=(name.replace("_", " ") + ", transposed").capitalize(),
                description=(
                    f"The transpose of {name}: a {o}x{o} input, zero-inserted and padded, "
                    f"convolved at stride 1 back to {i}x{i}."
                ),
                op="transpose-direct",
                # inputs 1..3, so that no input cell looks like an inserted zero
                build=_conv((o, o), (1, 1, k, k), x_low=1),
                params=params,
                seed=100 + n,
                group="conv_arithmetic",
            )
        )
    cases.append(
        Case(
            name="dilation",
            title="Dilation",
            description="A 3x3 kernel with dilation 2 over a 7x7 input (conv_arithmetic's dilation).",
            op="correlate",
            build=_conv((7, 7), (3, 3)),
            params={"dilation": 2},
            seed=200,
            group="conv_arithmetic",
        )
    )
    return cases


def _other_cases() -> list[Case]:
    return [
        Case(
            "correlation_vs_convolution",
            "Correlation vs convolution",
            "The same 5x5 image and kernel 0..8: correlation (what frameworks compute, blue) "
            "slides the kernel as it is; convolution (red) slides it flipped.",
            "compare",
            _seed000,
            group="correlation vs convolution",
        ),
        Case(
            "transposed_scatter",
            "Transposed convolution as scatter",
            "Each input cell stamps the kernel, scaled by its value, into the output; "
            "overlapping stamps add up.",
            "transpose",
            _conv((2, 2), (1, 1, 3, 3), x_low=1),
            seed=300,
            group="transposed convolution",
        ),
        Case(
            "checkerboard_scatter",
            "Checkerboard: uneven overlap (scatter)",
            "All-ones input and 3x3 kernel with stride 2: stamps overlap on every other row "
            "and column, so the output counts the stamps over each cell, in a checkerboard.",
            "transpose",
            _ones((3, 3), 3),
            params={"stride": 2},
            group="transposed convolution",
        ),
        Case(
            "checkerboard_direct",
            "Checkerboard: uneven overlap (direct)",
            "The same transposed convolution as a direct convolution over the zero-inserted "
            "input: the number of input cells under the window changes from place to place.",
            "transpose-direct",
            _ones((3, 3), 3),
            params={"stride": 2},
            group="transposed convolution",
        ),
        Case(
            "max_pool",
            "Max pooling",
            "2x2 windows with stride 2; the largest value of each window is ringed.",
            "max-pool",
            _ints((4, 4), 10),
            params={"spatial_dims": 2, "kernel_size": 2},
            seed=400,
            group="pooling",
        ),
        Case(
            "max_pool_overlapping",
            "Overlapping max pooling with padding",
            "3x3 windows with stride 2 and padding 1: padding holds minus infinity and is "
            "never chosen.",
            "max-pool",
            _ints((5, 5), 10),
            params={"spatial_dims": 2, "kernel_size": 3, "stride": 2, "padding": 1},
            seed=401,
            group="pooling",
        ),
        Case(
            "avg_pool",
            "Average pooling",
            "2x2 windows with stride 2: each output is the mean of its window.",
            "avg-pool",
            _ints((4, 4), 4),
            params={"spatial_dims": 2, "kernel_size": 2},
            seed=402,
            group="pooling",
        ),
        Case(
            "global_max_pool",
            "Global max pooling",
            "Three feature maps reduced to their largest values: one number per channel.",
            "global-max-pool",
            _ints((3, 3, 3), 10),
            params={"spatial_dims": 2},
            seed=403,
            group="pooling",
        ),
        Case(
            "global_avg_pool",
            "Global average pooling",
            "Three feature maps reduced to their means: one number per channel.",
            "global-avg-pool",
            _ints((3, 3, 3), 4),
            params={"spatial_dims": 2},
            seed=404,
            group="pooling",
        ),
        Case(
            "max_pool_grad",
            "Max pooling gradient",
            "Backprop through 3x3 max pooling with stride 2: each output gradient goes to the "
            "cell its window chose; a cell chosen twice collects the sum.",
            "max-pool-grad",
            _with_grad(_ints((5, 5), 10), (3, 3)),
            params={"spatial_dims": 2, "kernel_size": 3, "stride": 2, "padding": 1},
            seed=405,
            group="gradients",
        ),
        Case(
            "multi_channel",
            "Three input channels, one kernel",
            "A 3x3x3 kernel over three 4x4 input maps: products over all channels add into "
            "one output map.",
            "correlate",
            _conv((3, 4, 4), (1, 3, 3, 3)),
            seed=500,
            group="channels",
        ),
        Case(
            "multi_kernel",
            "Two kernels, two output maps",
            "Two kernels of 2x3x3 over two input maps give two output maps.",
            "correlate",
            _conv((2, 4, 4), (2, 2, 3, 3)),
            seed=501,
            group="channels",
        ),
        Case(
            "pointwise_1x1",
            "1x1 convolution",
            _channels_words("A 1x1 convolution mixes channels at each position", (3, 3, 3), 2),
            "correlate",
            _conv((3, 3, 3), (2, 3, 1, 1)),
            seed=502,
            group="channels",
        ),
        Case(
            "depthwise",
            "Depthwise convolution (groups = channels)",
            "With groups equal to the channel count, each map has its own 3x3 kernel and "
            "channels never mix.",
            "correlate",
            _conv((3, 4, 4), (3, 1, 3, 3)),
            params={"groups": 3},
            seed=503,
            group="channels",
        ),
        Case(
            "signal_1d",
            "1-D signal",
            "A 3-tap kernel slides along a 10-cell signal with padding 1.",
            "correlate",
            _conv((10,), (3,)),
            params={"padding": 1},
            seed=600,
            group="dimensions",
        ),
        Case(
            "volume_3d",
            "3-D volume as depth slices",
            "A 2x2x2 kernel over a 3x4x4 volume, shown as depth slices side by side.",
            "correlate",
            _conv((1, 3, 4, 4), (1, 1, 2, 2, 2)),
            seed=601,
            group="dimensions",
        ),
        Case(
            "input_gradient",
            "Input gradient: full convolution",
            "The gradient of a 3x3 correlation with respect to its 5x5 input: the output "
            "gradient, fully padded, correlated with the flipped kernel (a full convolution "
            "with the kernel).",
            "input-grad",
            _with_grad(_conv((5, 5), (3, 3), w_high=4), (1, 3, 3)),
            seed=700,
            group="gradients",
        ),
        Case(
            "input_gradient_strided",
            "Input gradient of a strided correlation",
            "With stride 2 the output gradient gets a zero between neighbours before the "
            "full correlation with the flipped kernel.",
            "input-grad",
            _with_grad(_conv((5, 5), (3, 3), w_high=4), (1, 2, 2)),
            params={"stride": 2},
            seed=701,
            group="gradients",
        ),
        Case(
            "reflect_padding",
            "Reflect padding",
            "padding_mode='reflect': the padding mirrors the input without repeating the edge.",
            "correlate",
            _conv((4, 4), (3, 3)),
            params={"padding": 1, "padding_mode": "reflect"},
            seed=800,
            group="padding modes",
        ),
        Case(
            "replicate_padding",
            "Replicate padding",
            "padding_mode='replicate': the padding repeats the edge values.",
            "correlate",
            _conv((4, 4), (3, 3)),
            params={"padding": 1, "padding_mode": "replicate"},
            seed=800,
            group="padding modes",
        ),
        Case(
            "circular_padding",
            "Circular padding",
            "padding_mode='circular': the padding wraps around to the opposite edge.",
            "correlate",
            _conv((4, 4), (3, 3)),
            params={"padding": 1, "padding_mode": "circular"},
            seed=800,
            group="padding modes",
        ),
    ]


def _separable(
    x_shape: Sequence[int], depthwise: Sequence[int], pointwise: Sequence[int]
) -> Build:
    """Builder of an input, a depthwise weight and a pointwise weight (``weight2``)."""

    def build(rng: np.random.Generator) -> dict[str, Any]:
        first = _conv(x_shape, depthwise)(rng)
        return {**first, "weight2": rng.integers(-1, 2, size=tuple(pointwise))}

    return build


def _channels_words(lead: str, x_shape: Sequence[int], c_out: int) -> str:
    """``lead`` and the channel counts, read from the shapes (never typed)."""
    return f"{lead} ({x_shape[0]} input channels, {c_out} output channels)."


def _tensor_cases() -> list[Case]:
    """Channels, groups, depthwise, pointwise, separable and pooling in the tensor view.

    The channel counts in the descriptions are read from each case's shapes.
    """
    tensor = {"view": "tensor"}
    multi = ((3, 4, 4), (1, 3, 3, 3))
    kernels = ((3, 4, 4), (2, 3, 3, 3))
    grouped, groups = ((4, 4, 4), (2, 2, 3, 3)), 2
    depthwise = ((2, 4, 4), (4, 1, 3, 3))
    pointwise = ((3, 3, 3), (2, 3, 1, 1))
    separable = ((3, 4, 4), (3, 1, 3, 3), (3, 3, 1, 1))
    pooled = (3, 4, 4)

    def shape(dims: Sequence[int]) -> str:
        return "x".join(str(d) for d in dims)

    return [
        Case(
            "tensor_multi_channel",
            "Tensor view: one filter spans all channels",
            _channels_words(
                f"A {shape(multi[0])} input block and one {shape(multi[1][1:])} filter block: at "
                "each position the filter covers every input channel, and the per-channel sums "
                "add into one output cell",
                multi[0],
                multi[1][0],
            ),
            "correlate",
            _conv(*multi),
            params=tensor,
            seed=500,
            group="tensor view",
        ),
        Case(
            "tensor_multi_kernel",
            "Tensor view: one output channel per filter",
            _channels_words(
                f"{shape(kernels[1][1:])} filter blocks over a {shape(kernels[0])} input: each "
                "filter makes one channel of the output block",
                kernels[0],
                kernels[1][0],
            ),
            "correlate",
            _conv(*kernels),
            params=tensor,
            seed=504,
            group="tensor view",
        ),
        Case(
            "tensor_groups",
            f"Tensor view: groups {groups}",
            _channels_words(
                f"With groups {groups} the input channels split into groups of "
                f"{grouped[0][0] // groups} channels; each {shape(grouped[1][1:])} filter sees "
                "only its own group's channels",
                grouped[0],
                grouped[1][0],
            ),
            "correlate",
            _conv(*grouped),
            params={**tensor, "groups": groups},
            seed=505,
            group="tensor view",
        ),
        Case(
            "tensor_depthwise",
            "Tensor view: depthwise, with a channel multiplier",
            _channels_words(
                "Depthwise convolution, one group per input channel and several filters per "
                f"group: each {shape(depthwise[1][1:])} filter reads one input channel, and "
                "channels never mix",
                depthwise[0],
                depthwise[1][0],
            ),
            "correlate",
            _conv(*depthwise),
            params={**tensor, "groups": depthwise[0][0]},
            seed=506,
            group="tensor view",
        ),
        Case(
            "tensor_pointwise",
            "Tensor view: 1x1 convolution",
            _channels_words(
                "A 1x1 convolution is a matrix product across channels at each pixel: each "
                f"{shape(pointwise[1][1:])} filter weighs the values of one pixel column",
                pointwise[0],
                pointwise[1][0],
            ),
            "correlate",
            _conv(*pointwise),
            params=tensor,
            seed=502,
            group="tensor view",
        ),
        Case(
            "tensor_depthwise_separable",
            "Tensor view: depthwise separable",
            f"Depthwise then pointwise: a {shape(separable[1][2:])} depthwise layer (groups "
            f"{separable[0][0]}) then a 1x1 layer mixing {separable[2][1]} channels into "
            f"{separable[2][0]} channels; the lesson counts their parameters and multiply-adds "
            f"against one full {shape(separable[1][2:])} convolution on the same "
            f"{shape(separable[0][1:])} input.",
            "correlate",
            _separable(*separable),
            params={**tensor, "groups": separable[0][0]},
            seed=507,
            group="tensor view",
            titles=(
                f"1. depthwise {shape(separable[1][2:])}, groups={separable[0][0]}",
                "2. pointwise 1x1",
            ),
            second=("correlate", tensor),
        ),
        Case(
            "tensor_max_pool",
            "Tensor view: max pooling, channel by channel",
            f"2x2 max pooling with stride 2 over a {shape(pooled)} block: the window never "
            f"crosses channels, so the output keeps {pooled[0]} channels.",
            "max-pool",
            _ints(pooled, 10),
            params={**tensor, "kernel_size": 2, "spatial_dims": 2},
            seed=508,
            group="tensor view",
        ),
    ]


CATALOG: dict[str, Case] = {
    c.name: c for c in _arithmetic_cases() + _other_cases() + _tensor_cases()
}

#: Names of the fifteen conv_arithmetic animations.
CONV_ARITHMETIC: tuple[str, ...] = tuple(
    c.name for c in CATALOG.values() if c.group == "conv_arithmetic"
)


def names() -> list[str]:
    """All case names, in catalog order."""
    return list(CATALOG)


def get(name: str) -> Case:
    """The case called ``name``.

    Raises
    ------
    ValueError
        For an unknown name (the message lists the known ones).
    """
    try:
        return CATALOG[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown catalog case {name!r}; choose from {', '.join(CATALOG)}"
        ) from None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def render_case(case: Case, out_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """Render one case into ``out_dir``: GIF, still and strip. Returns its manifest entry."""
    out = Path(out_dir)
    anim = case.animate()
    files = {
        "gif": f"{case.name}.gif",
        "still": f"{case.name}.png",
        "strip": f"{case.name}_strip.png",
    }
    anim.save_gif(out / files["gif"])
    # The still is the last step (footprint and nearly complete output), not the summary.
    anim.save_still(out / files["still"], frame=max(len(anim.frames) - 2, 0))
    anim.save_strip(out / files["strip"])
    return {
        "name": case.name,
        "title": case.title,
        "description": case.description,
        "group": case.group,
        "op": case.op,
        "seed": case.seed,
        "parameters": anim.params,
        "files": files,
        "bytes": {k: (out / f).stat().st_size for k, f in files.items()},
        "sha256": {k: _sha256(out / f) for k, f in files.items()},
        "frames": len(anim.frames),
        "size": list(anim.size),
        "alt": anim.alt_text,
        "verification": anim.verification,
    }


def render_catalog(
    out_dir: str | os.PathLike[str],
    names: Sequence[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, Any]:
    """Render catalog cases into ``out_dir`` and write ``manifest.json``.

    For each case: ``<name>.gif``, ``<name>.png`` (still), ``<name>_strip.png``.
    The manifest lists, per case, its parameters, file names, bytes, sha256,
    frame count, pixel size, alt text and verification result; it has sorted
    keys and no timestamps, so the same catalog gives the same bytes. The
    files written are not left in :data:`conv_explained.render.written`
    (the manifest lists them).

    Parameters
    ----------
    out_dir : str or path-like
        Created if missing.
    names : sequence of str, optional
        Only these cases (in catalog order); all by default.
    progress : callable, optional
        Called as ``progress(index, total, name)`` (index from 1) before each case.

    Returns
    -------
    dict
        The manifest: ``{"format": 1, "cases": [...]}``.

    Raises
    ------
    ValueError
        For an unknown case name (nothing is rendered).
    """
    if names is None:
        chosen = list(CATALOG.values())
    else:
        if isinstance(names, str):
            names = [names]
        wanted = {get(n).name for n in names}
        chosen = [c for c in CATALOG.values() if c.name in wanted]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    before = len(written)
    entries = []
    try:
        for i, case in enumerate(chosen, start=1):
            if progress is not None:
                progress(i, len(chosen), case.name)
            entries.append(render_case(case, out))
    finally:
        del written[before:]
    manifest = {"format": 1, "cases": entries}
    text = json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n"

    def write(handle: BinaryIO) -> None:
        handle.write(text.encode("utf-8"))

    atomic_write(out / "manifest.json", write)
    return manifest
