"""Private: resolve the arguments of a convolution or pooling call, once.

Every entry point (``ops``, ``grad``, ``matrix``, ``spectral`` and the
renderer) checks its arrays and options here and gets back one frozen record
with the batched input, the weight, the per-axis options, the padding as
``(before, after)`` pairs and the output size from :mod:`.shapes`.

The layout rules live here too, once: :data:`PLAIN_RULE` (a plain signal or
image with a plain kernel, or PyTorch's layouts) for the operators with a
weight, and :data:`POOL_RANK_RULE` (how many spatial axes a pooling call has,
refused where the shape of ``x`` fits two readings) for pooling. The records
remember the caller's layout, and ``restore`` gives results back in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _core, shapes
from ._validate import as_array, check_int, drop_batch, is_int, is_pairs, ntuple
from .shapes import (
    conv_output_size,
    conv_transpose_output_size,
    pool_output_size,
    pool_padding,
    resolve_padding,
)

__all__ = [
    "PLAIN_RULE",
    "POOL_RANK_RULE",
    "ConvArgs",
    "PoolArgs",
    "TransposedArgs",
    "check_bias",
    "check_divisor_override",
    "check_groups",
    "check_weight",
    "layout_of",
    "resolve_conv",
    "resolve_pool",
    "resolve_transposed",
]


#: The layout rule of every operator with a weight, in the words of the docstrings.
PLAIN_RULE = (
    "A weight with 1 or 2 axes is a plain kernel and then ``x`` must be a plain "
    "signal or image with the same number of axes (no batch or channel axis), giving "
    "a plain result; a weight with 3, 4 or 5 axes is always PyTorch's ``(C_out, "
    "C_in / groups, *kernel_size)`` (``(C_in, C_out / groups, *kernel_size)`` for "
    "the transposed convolution), with ``x`` as ``(N, C_in, *spatial)`` or "
    "``(C_in, *spatial)``."
)

#: The rank rule of every pooling function, in the words of the docstrings.
POOL_RANK_RULE = (
    "The number of spatial axes ``d`` is the length of a tuple ``kernel_size``, "
    "else ``ndim``, else the only reading of ``x.ndim`` (1: a plain signal, 5: "
    "``(N, C, D, H, W)``); ``x`` then has ``d`` axes (plain: one channel, plain "
    "result), ``d + 1`` (``(C, *spatial)``) or ``d + 2`` (``(N, C, *spatial)``), "
    "and an int ``kernel_size`` without ``ndim`` on an ``x`` of 2, 3 or 4 axes, "
    "which fits two or three readings, is refused."
)


@dataclass(frozen=True)
class Layout:
    """How the caller laid out ``x``: batched, unbatched ``(C, *spatial)`` or plain."""

    unbatched: bool  # no batch axis (true for a plain array too)
    plain: bool  # no batch and no channel axis

    def restore(self, y: np.ndarray) -> np.ndarray:
        """``y``, computed as ``(N, C, *spatial)``, in the caller's layout."""
        if self.plain:
            return np.asarray(y[0, 0])
        return drop_batch(y, self.unbatched)


def layout_of(name: str, x: object, d: int, *, context: str) -> tuple[np.ndarray, Layout]:
    """``x`` batched as ``(N, C, *spatial)``, read by its number of axes for ``d`` spatial axes.

    ``d`` axes is a plain array (one sample, one channel), ``d + 1`` is
    ``(C, *spatial)`` and ``d + 2`` is ``(N, C, *spatial)``.
    """
    array = as_array(name, x)
    if array.ndim == d:
        if 0 in array.shape:
            raise ValueError(f"{name} must not have an empty axis, got shape {tuple(array.shape)}")
        return array[None, None], Layout(unbatched=True, plain=True)
    if array.ndim not in (d + 1, d + 2):
        raise ValueError(
            f"{name} must have {d} (plain), {d + 1} (unbatched) or {d + 2} (batched) "
            f"dimensions {context}, got shape {tuple(array.shape)}"
        )
    xb, unbatched = _core.batched(name, array, d, context=context)
    return xb, Layout(unbatched=unbatched, plain=False)


def check_weight(weight: object) -> tuple[np.ndarray, bool]:
    """The weight with its two channel axes, and whether it was a plain kernel.

    By :data:`PLAIN_RULE`: 1 or 2 axes is a plain kernel (returned as
    ``weight[None, None]``), 3, 4 or 5 axes is PyTorch's layout.
    """
    w = as_array("weight", weight)
    if w.ndim in (1, 2):
        if 0 in w.shape:
            raise ValueError(f"weight must not have an empty axis, got shape {tuple(w.shape)}")
        return w[None, None], True
    if w.ndim not in (3, 4, 5):
        raise ValueError(
            "weight must have 1 or 2 dimensions (a plain kernel) or 3, 4 or 5 "
            "(two channel axes and 1-3 kernel axes), got shape "
            f"{tuple(w.shape)}"
        )
    return _core.spatial_weight("weight", w), False


def check_bias(bias: object, channels: int, *, plain: bool = False) -> np.ndarray | None:
    """``bias`` as a ``(channels,)`` array, or None; a plain kernel's bias may be one number."""
    if bias is None:
        return None
    b = as_array("bias", bias)
    if plain and b.shape == ():
        return b.reshape(1)
    if b.shape != (channels,):
        words = " (or one number, for a plain kernel)" if plain else ""
        raise ValueError(
            f"bias must have shape ({channels},), one value per output channel{words}, "
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
class _Weighted(Layout):
    """Arrays of a checked call with a weight: the batched input, the weight, the bias.

    ``plain`` (from :class:`Layout`) says the caller gave a plain kernel and
    input (:data:`PLAIN_RULE`); ``weight`` then has its two channel axes added.
    """

    x: np.ndarray  # (N, C_in, *spatial)
    weight: np.ndarray  # (C_out, C_in / groups, *kernel), transposed: (C_in, C_out / groups, ...)
    bias: np.ndarray | None

    def restore_weight(self, w: np.ndarray) -> np.ndarray:
        """A weight-shaped ``w`` in the caller's layout (a plain kernel has no channel axes)."""
        return np.asarray(w[0, 0]) if self.plain else w

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


_KERNEL_NAMES = {1: "signal", 2: "image"}


def _checked_weight_and_input(x: object, weight: object) -> tuple[np.ndarray, np.ndarray, Layout]:
    """The batched input, the weight with its channel axes, and the caller's layout."""
    w, plain = check_weight(weight)
    d = w.ndim - 2
    if plain:
        xa = as_array("x", x)
        if xa.ndim != d:
            kernel = "kH, kW" if d == 2 else "k"
            raise ValueError(
                f"x must have {d} dimension{'s' * (d > 1)}, a plain {_KERNEL_NAMES[d]} like "
                f"the plain {d}-D weight of shape {tuple(w.shape[2:])}, got shape "
                f"{tuple(xa.shape)} (with channel axes, give the weight as "
                f"(C_out, C_in / groups, {kernel}))"
            )
        if 0 in xa.shape:
            raise ValueError(f"x must not have an empty axis, got shape {tuple(xa.shape)}")
        return xa[None, None], w, Layout(unbatched=True, plain=True)
    xb, unbatched = _core.batched(
        "x", x, d, context=f"for a {d}-D weight of shape {tuple(w.shape)}"
    )
    return xb, w, Layout(unbatched=unbatched, plain=False)


def _volume_hint(x: np.ndarray, layout: Layout) -> str:
    """A hint for a 3-D ``x`` with a 3-D weight: that is PyTorch's 1-D layout, never a volume."""
    if not layout.unbatched and x.ndim == 3:
        return (
            "; a 3-D weight is PyTorch's 1-D layout (two channel axes, then L), so for a "
            "plain 3-D volume pass x[None] and weight[None, None]"
        )
    return ""


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
    c_in: int,
    weight_shape: Sequence[int],
    groups: object,
    *,
    source: str,
    shown: str,
    hint: str = "",
) -> int:
    """``groups``, checked against the input channels and a correlation weight's shape.

    ``source`` names the input (``"x"``), ``shown`` quotes its shape and
    ``hint`` ends the message about mismatched channels.
    """
    c_out, c_per_group = weight_shape[:2]
    g = check_groups(groups, c_in, c_out)
    if c_per_group * g != c_in:
        raise ValueError(
            f"weight expects {c_per_group * g} input channels ({c_per_group} per group x "
            f"{g} groups) but {source} has {c_in} ({shown}, weight shape "
            f"{tuple(weight_shape)}){hint}"
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
    xb, w, layout = _checked_weight_and_input(x, weight)
    c_in = xb.shape[1]
    g = check_channels(
        c_in,
        w.shape,
        groups,
        source="x",
        shown=f"x shape {tuple(xb.shape[layout.unbatched :])}",
        hint=_volume_hint(xb, layout),
    )
    b = check_bias(bias, w.shape[0], plain=layout.plain)
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
    return ConvArgs(
        layout.unbatched, layout.plain, xb, w, b, strides, dilations, pads, spec, g, mode, out
    )


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
    xb, w, layout = _checked_weight_and_input(x, weight)
    d = w.ndim - 2
    c_in = xb.shape[1]
    if w.shape[0] != c_in:
        raise ValueError(
            f"weight expects {w.shape[0]} input channels (its first axis) but x has "
            f"{c_in} (weight shape {tuple(w.shape)}, x shape "
            f"{tuple(xb.shape[layout.unbatched :])}){_volume_hint(xb, layout)}"
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
    b = check_bias(bias, w.shape[1] * g, plain=layout.plain)
    return TransposedArgs(
        layout.unbatched,
        layout.plain,
        xb,
        w,
        b,
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


_SPATIAL = {1: "L", 2: "H, W", 3: "D, H, W"}


def _readings(rank: int) -> list[tuple[int, str]]:
    """Every ``(d, layout)`` an array of ``rank`` axes fits for 1-3-D pooling."""
    found = []
    plain = {1: "signal", 2: "image", 3: "volume"}
    for extra, form in ((1, "(C, {sp})"), (2, "(N, C, {sp})"), (0, "a plain ({sp}) {what}")):
        d = rank - extra
        if d in _SPATIAL:
            found.append((d, form.format(sp=_SPATIAL[d], what=plain[d])))
    return found


def _words(items: list[str], last: str) -> str:
    """``a``, ``a or b``, ``a, b or c`` (with ``last`` for "or")."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {last} " + items[-1]


def rank_from_x(array: np.ndarray, *, kernel_words: bool, option: str = "ndim") -> int:
    """The number of spatial axes of an ``x`` by its rank alone, or a one-line refusal.

    An ``x`` of 1 axis can only be a plain signal and one of 5 only
    ``(N, C, D, H, W)``; 2, 3 and 4 axes fit two or three readings. The
    refusal names ``option`` (``ndim`` in the operators, ``spatial_dims`` in
    the renderer) as the way to choose.
    """
    shape = tuple(array.shape)
    readings = _readings(array.ndim)
    if len(readings) == 1:
        return readings[0][0]
    if not readings:
        raise ValueError(f"x must have 1 to 5 dimensions for pooling, got shape {shape}")
    ds = [str(d) for d, _ in readings]
    could = _words([f"{form} for {d}-D pooling" for d, form in readings], "or")
    how = " / ".join(f"{option}={d}" for d in ds)
    if kernel_words:
        how = f"pass kernel_size as a tuple of {_words(ds, 'or')} ints, or {how}"
    else:
        how = f"pass {how}"
    raise ValueError(f"x.shape {shape} could be {could}: {how}")


def _spatial_rank(array: np.ndarray, kernel_size: object, ndim: object) -> int:
    """Number of spatial axes, by :data:`POOL_RANK_RULE`."""
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
    return rank_from_x(array, kernel_words=True)


@dataclass(frozen=True)
class PoolArgs(Layout):
    """A checked pooling call."""

    unbatched: bool
    plain: bool
    x: np.ndarray  # (N, C, *spatial)
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
    xb, layout = layout_of("x", array, d, context=f"for {d}-D pooling")
    ks = ntuple("kernel_size", kernel_size, d)
    ss = ks if stride is None else ntuple("stride", stride, d)
    ps = ntuple("padding", padding, d, minimum=0)
    ds = ntuple("dilation", dilation, d)
    spatial = tuple(xb.shape[2:])
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"ceil_mode must be True or False, got {ceil_mode!r}")
    out = pool_output_size(spatial, ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode)
    pads = pool_padding(spatial, ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode)
    return PoolArgs(
        layout.unbatched, layout.plain, xb, ks, ss, ps, ds, bool(ceil_mode), tuple(out), pads
    )


def resolve_global(x: object, ndim: object) -> tuple[np.ndarray, Layout, tuple[int, ...]]:
    """Check a global pooling call: the batched input, the caller's layout, the spatial axes.

    The rank comes from ``ndim``, else from ``x`` alone as in :data:`POOL_RANK_RULE`.
    """
    array = _real_array(x)
    d = rank_from_x(array, kernel_words=False) if ndim is None else check_ndim(ndim)
    xb, layout = layout_of("x", array, d, context=f"for {d}-D pooling")
    return xb, layout, tuple(range(2, 2 + d))
