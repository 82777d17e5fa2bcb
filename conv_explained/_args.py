"""Private: resolve the arguments of a convolution or pooling call, once.

Every entry point (``ops``, ``grad``, ``matrix``, ``spectral`` and the
renderer) checks its arrays and options here and gets back one frozen record
with the batched input, the weight, the per-axis options, the padding as
``(before, after)`` pairs and the output size from :mod:`.shapes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _core, shapes
from ._validate import as_array, check_int, is_int, is_pairs, ntuple
from .shapes import (
    conv_output_size,
    conv_transpose_output_size,
    pool_output_size,
    pool_padding,
    resolve_padding,
)

__all__ = [
    "ConvArgs",
    "PoolArgs",
    "TransposedArgs",
    "check_bias",
    "check_divisor_override",
    "check_groups",
    "resolve_conv",
    "resolve_pool",
    "resolve_transposed",
]


def check_bias(bias: object, channels: int) -> np.ndarray | None:
    """``bias`` as a ``(channels,)`` array, or None."""
    if bias is None:
        return None
    b = as_array("bias", bias)
    if b.shape != (channels,):
        raise ValueError(
            f"bias must have shape ({channels},), one value per output channel, "
            f"got shape {tuple(b.shape)}"
        )
    return b


def check_groups(groups: object, c_in: int, c_out: int | None = None) -> int:
    """``groups`` as an int that divides the channel counts."""
    g = check_int("groups", groups)
    if c_in % g:
        raise ValueError(f"groups must divide the {c_in} input channels, got {g}")
    if c_out is not None and c_out % g:
        raise ValueError(f"groups must divide the {c_out} output channels, got {g}")
    return g


def check_divisor_override(divisor_override: object) -> None:
    """Refuse a ``divisor_override`` that is not None or a non-zero int."""
    if divisor_override is None:
        return
    words = "divisor_override must be a non-zero integer or None"
    if not is_int(divisor_override):
        raise TypeError(f"{words}, got {divisor_override!r}")
    if divisor_override == 0:
        raise ValueError(f"{words}, got {divisor_override!r}")


@dataclass(frozen=True)
class _Weighted:
    """Arrays of a checked call with a weight: the batched input, the weight, the bias."""

    x: np.ndarray  # (N, C_in, *spatial)
    weight: np.ndarray  # (C_out, C_in / groups, *kernel), transposed: (C_in, C_out / groups, ...)
    bias: np.ndarray | None
    unbatched: bool

    @property
    def d(self) -> int:
        """Number of spatial axes."""
        return int(self.weight.ndim) - 2

    @property
    def kernel(self) -> tuple[int, ...]:
        """Kernel size per axis."""
        return tuple(int(k) for k in self.weight.shape[2:])


@dataclass(frozen=True)
class ConvArgs(_Weighted):
    """A checked correlation call: arrays batched, options one per axis."""

    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    padding: str | tuple[int, ...] | tuple[tuple[int, int], ...]  # as given, per axis
    groups: int
    padding_mode: str
    out: tuple[int, ...]

    def output_size(self) -> tuple[int, ...]:
        """The output size, asked of :mod:`.shapes` now (the renderer checks it against torch)."""
        return tuple(
            shapes.conv_output_size(
                self.x.shape[2:],
                self.kernel,
                stride=self.stride,
                padding=self.pads,
                dilation=self.dilation,
            )
        )

    @property
    def symmetric(self) -> bool:
        """Whether every axis is padded equally on both sides."""
        return all(a == b for a, b in self.pads)


def _checked_weight_and_input(x: object, weight: object) -> tuple[np.ndarray, np.ndarray, bool]:
    w = _core.spatial_weight("weight", weight)
    d = w.ndim - 2
    xb, unbatched = _core.batched(
        "x", x, d, context=f"for a {d}-D weight of shape {tuple(w.shape)}"
    )
    return xb, w, unbatched


def conv_geometry(
    spatial: Sequence[int],
    kernel: Sequence[int],
    stride: object,
    padding: object,
    dilation: object,
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[int, int], ...], tuple[int, ...]]:
    """Checked strides, dilations, ``(before, after)`` pads and output size.

    The one resolution every view of the correlation uses, so that they agree
    on sizes and error messages.
    """
    d = len(kernel)
    strides = ntuple("stride", stride, d)
    dilations = ntuple("dilation", dilation, d)
    if not isinstance(padding, str) and not is_pairs(padding):
        padding = ntuple("padding", padding, d, minimum=0)
    # The caller's own stride and dilation, so that errors quote them as given.
    pads = resolve_padding(padding, tuple(kernel), stride=stride, dilation=dilation)  # type: ignore[arg-type]  # checked there
    out = conv_output_size(
        tuple(spatial), tuple(kernel), stride=strides, padding=pads, dilation=dilations
    )
    return strides, dilations, pads, tuple(out)


def check_channels(
    c_in: int, weight_shape: Sequence[int], groups: object, *, source: str, shown: str
) -> int:
    """``groups``, checked against the input channels and a correlation weight's shape.

    ``source`` names the input (``"x"``) and ``shown`` quotes its shape.
    """
    c_out, c_per_group = weight_shape[:2]
    g = check_groups(groups, c_in, c_out)
    if c_per_group * g != c_in:
        raise ValueError(
            f"weight expects {c_per_group * g} input channels ({c_per_group} per group x "
            f"{g} groups) but {source} has {c_in} ({shown}, weight shape "
            f"{tuple(weight_shape)})"
        )
    return g


def resolve_conv(
    x: object,
    weight: object,
    bias: object = None,
    stride: object = 1,
    padding: object = 0,
    dilation: object = 1,
    groups: object = 1,
    padding_mode: object = "zeros",
) -> ConvArgs:
    """Check a correlation's arguments (torch's ``conv1d/2d/3d`` rules)."""
    xb, w, unbatched = _checked_weight_and_input(x, weight)
    c_in = xb.shape[1]
    g = check_channels(
        c_in, w.shape, groups, source="x", shown=f"x shape {tuple(xb.shape[unbatched:])}"
    )
    b = check_bias(bias, w.shape[0])
    mode = _core.check_padding_mode(padding_mode)
    kernel = tuple(w.shape[2:])
    strides, dilations, pads, out = conv_geometry(
        tuple(xb.shape[2:]), kernel, stride, padding, dilation
    )
    spec: str | tuple[int, ...] | tuple[tuple[int, int], ...]
    if isinstance(padding, str):
        spec = padding
    elif is_pairs(padding):
        spec = pads
    else:
        spec = tuple(p for p, _ in pads)
    return ConvArgs(xb, w, b, unbatched, strides, dilations, pads, spec, g, mode, out)


@dataclass(frozen=True)
class TransposedArgs(_Weighted):
    """A checked transposed-convolution call."""

    stride: tuple[int, ...]
    padding: tuple[int, ...]
    output_padding: tuple[int, ...]
    dilation: tuple[int, ...]
    groups: int
    out: tuple[int, ...]

    @property
    def c_out(self) -> int:
        """Output channels."""
        return int(self.weight.shape[1]) * self.groups

    def options(self) -> dict[str, Any]:
        """The options as keywords of :func:`conv_explained.conv_transpose`."""
        return {
            "stride": self.stride,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "dilation": self.dilation,
            "groups": self.groups,
        }

    def size(self, rule: Callable[..., tuple[int, ...]]) -> tuple[int, ...]:
        """A size by a :mod:`.shapes` rule taking the transposed convolution's options."""
        opts = self.options()
        del opts["groups"]
        return tuple(rule(self.x.shape[2:], self.kernel, **opts))

    @property
    def uncropped(self) -> tuple[int, ...]:
        """Size of the sum of all stamps before ``padding`` crops it (from :mod:`.shapes`)."""
        return self.size(shapes.conv_transpose_uncropped_size)


def resolve_transposed(
    x: object,
    weight: object,
    bias: object = None,
    stride: object = 1,
    padding: object = 0,
    output_padding: object = 0,
    groups: object = 1,
    dilation: object = 1,
) -> TransposedArgs:
    """Check a transposed convolution's arguments (torch's ``conv_transpose`` rules)."""
    xb, w, unbatched = _checked_weight_and_input(x, weight)
    d = w.ndim - 2
    c_in = xb.shape[1]
    if w.shape[0] != c_in:
        raise ValueError(
            f"weight expects {w.shape[0]} input channels (its first axis) but x has "
            f"{c_in} (weight shape {tuple(w.shape)}, x shape {tuple(xb.shape[unbatched:])})"
        )
    g = check_groups(groups, c_in)
    strides = ntuple("stride", stride, d)
    pads = ntuple("padding", padding, d, minimum=0)
    extra = ntuple("output_padding", output_padding, d, minimum=0)
    dilations = ntuple("dilation", dilation, d)
    # The options as passed (ntuple checked them above), so that an error
    # quotes the caller's own values, as every other error of the package does.
    out = conv_transpose_output_size(  # type: ignore[call-overload]
        tuple(xb.shape[2:]),
        tuple(w.shape[2:]),
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        dilation=dilation,
    )
    b = check_bias(bias, w.shape[1] * g)
    return TransposedArgs(
        xb,
        w,
        b,
        unbatched,
        strides,
        pads,
        extra,
        dilations,
        g,
        tuple(out),
    )


def _real_array(x: object) -> np.ndarray:
    array = as_array("x", x)
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"x must be a real (integer or float) array, got dtype {array.dtype}")
    return array


def check_ndim(ndim: object) -> int:
    """``ndim`` as 1, 2 or 3."""
    if not is_int(ndim):
        raise TypeError(f"ndim must be 1, 2 or 3, got {ndim!r}")
    if ndim not in (1, 2, 3):
        raise ValueError(f"ndim must be 1, 2 or 3, got {ndim!r}")
    return int(ndim)


def _spatial_rank(array: np.ndarray, kernel_size: object, ndim: object) -> int:
    """Number of spatial axes, by the rule in the pooling module's docstring."""
    rank = None if ndim is None else check_ndim(ndim)
    if isinstance(kernel_size, Sequence) and not isinstance(kernel_size, str):
        length = len(kernel_size)
        if length not in (1, 2, 3):
            raise ValueError(
                f"kernel_size must be an int or a tuple of 1, 2 or 3 ints, got {kernel_size!r}"
            )
        if rank is not None and length != rank:
            raise ValueError(
                f"kernel_size {kernel_size!r} has {length} entries but ndim is {ndim!r}"
            )
        return length
    if rank is not None:
        return rank
    if array.ndim in (3, 4, 5):
        return array.ndim - 2
    raise ValueError(
        "x must have 3, 4 or 5 dimensions (N, C, *spatial) when kernel_size is an int "
        f"and ndim is not given, got shape {tuple(array.shape)}"
    )


@dataclass(frozen=True)
class PoolArgs:
    """A checked pooling call."""

    x: np.ndarray  # (N, C, *spatial)
    unbatched: bool
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]
    ceil_mode: bool
    out: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]  # padding widened for the ceil_mode overhang

    @property
    def spatial(self) -> tuple[int, ...]:
        """Input size per axis."""
        return tuple(self.x.shape[2:])

    def output_size(self) -> tuple[int, ...]:
        """The output size, asked of :mod:`.shapes` now (the renderer checks it against torch)."""
        return tuple(
            shapes.pool_output_size(
                self.spatial,
                self.kernel,
                stride=self.stride,
                padding=self.padding,
                dilation=self.dilation,
                ceil_mode=self.ceil_mode,
            )
        )


def resolve_pool(
    x: object,
    kernel_size: object,
    stride: object = None,
    padding: object = 0,
    dilation: object = 1,
    ceil_mode: object = False,
    ndim: object = None,
) -> PoolArgs:
    """Check a pooling call; sizes and padding pairs come from :mod:`.shapes`."""
    array = _real_array(x)
    d = _spatial_rank(array, kernel_size, ndim)
    xb, unbatched = _core.batched("x", array, d, context=f"for {d}-D pooling")
    ks = ntuple("kernel_size", kernel_size, d)
    ss = ks if stride is None else ntuple("stride", stride, d)
    ps = ntuple("padding", padding, d, minimum=0)
    ds = ntuple("dilation", dilation, d)
    spatial = tuple(xb.shape[2:])
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode must be True or False, got {ceil_mode!r}")
    out = pool_output_size(spatial, ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode)
    pads = pool_padding(spatial, ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode)
    return PoolArgs(xb, unbatched, ks, ss, ps, ds, bool(ceil_mode), tuple(out), pads)


def resolve_global(x: object, ndim: object) -> tuple[np.ndarray, bool, tuple[int, ...]]:
    """Check a global pooling call: the batched input, whether unbatched, the spatial axes."""
    array = _real_array(x)
    if ndim is None:
        if array.ndim not in (3, 4, 5):
            raise ValueError(
                "x must have 3, 4 or 5 dimensions (N, C, *spatial) when ndim is not given, "
                f"got shape {tuple(array.shape)}"
            )
        d = array.ndim - 2
    else:
        d = check_ndim(ndim)
    xb, unbatched = _core.batched("x", array, d, context=f"for {d}-D pooling")
    return xb, unbatched, tuple(range(2, 2 + d))
