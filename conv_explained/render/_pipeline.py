"""The one pipeline every animation goes through, and the records it passes along.

``animate(op, ...)`` → :class:`Request` (arrays) + :class:`Options` (typed
options) → the op's :class:`OpSpec` computes a :class:`Figure` (everything
the operators returned that will be drawn: grids, masks, caption terms,
labels, alt text, torch reference) → a view (:mod:`._views`) turns the figure
into scenes → :func:`run` verifies every drawn grid and caption against torch
and returns the :class:`~.animation.Animation`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from numpy.typing import ArrayLike

from .._args import rank_from_x
from .._validate import as_array, check_int, is_int
from ._format import format_array
from .alt import dims
from .frames import Cell, Panel

__all__ = ["Figure", "OpSpec", "Options", "Reference", "Request"]

#: Largest drawable input: cells per spatial axis, cells per axis after
#: padding/zero insertion, channels, depth slices and steps (frames).
MAX_CELLS = 12
MAX_PADDED = 16
MAX_CHANNELS = 4
MAX_DEPTH = 4
MAX_STEPS = 160
#: Widest text of one number in a cell (characters of ``format_value``'s text).
MAX_TEXT = 12

Compute = Callable[[Any, Any], Any]  # (torch, torch.nn.functional) -> tensor


@dataclass(frozen=True)
class Options:
    """The options of :func:`~.animation.animate`, as given (each spec checks its own)."""

    stride: int | Sequence[int] | None = None
    padding: int | Sequence[int] | str = 0
    dilation: int | Sequence[int] = 1
    groups: int = 1
    padding_mode: str = "zeros"
    output_padding: int | Sequence[int] = 0
    ceil_mode: bool = False
    count_include_pad: bool = True
    spatial_dims: int | None = None
    mac: bool | int = True
    verify: bool = True

    def __post_init__(self) -> None:
        mac = self.mac
        if not isinstance(mac, (bool, int)) or (not isinstance(mac, bool) and mac < 1):
            raise TypeError(f"mac must be True, False or a positive number of terms, got {mac!r}")
        if not isinstance(self.verify, bool):
            raise TypeError(f"verify must be True or False, got {self.verify!r}")

    def stride_or(self, default: object) -> object:
        """``stride``, or ``default`` where it was left out."""
        return default if self.stride is None else self.stride


@dataclass(frozen=True)
class Request:
    """The arrays given to :func:`~.animation.animate`."""

    x: ArrayLike
    weight: ArrayLike | None = None
    bias: ArrayLike | None = None
    kernel_size: object = None
    grad_output: ArrayLike | None = None


@dataclass(frozen=True)
class Reference:
    """How torch computes what the animation draws.

    ``compute`` gives the result (unbatched); ``expected_shape`` is the
    output shape by :mod:`conv_explained.shapes`; ``extras`` are further
    drawn arrays (padded input, kernel as applied, partial sums, masks...)
    each with its torch computation; ``region`` selects the result's cells
    in the output panel (the scatter view draws an uncropped output);
    ``panels`` are torch computations of drawn panels' whole arrays
    (``"input"``: the grid as the operator reads it, ``"kernel"``: the
    kernel as applied), for views that check each drawn number by its index.
    """

    name: str
    compute: Compute
    expected_shape: tuple[int, ...]
    extras: tuple[tuple[str, Any, Compute], ...] = ()
    region: tuple[slice, ...] | None = None
    panels: tuple[tuple[str, Compute], ...] = ()


@dataclass(frozen=True)
class Figure:
    """What one operation computed for drawing: data and words, no pixels.

    ``kind`` names the shape of the data (``"slide"``, ``"pool"``,
    ``"scatter"``, ``"route"``): a view has one scene builder per kind.
    ``data`` holds the operator-made arrays the view places (grids, roles,
    masks, partial sums, chosen cells) and the geometry that walks them.
    ``reduce`` says how a step's caption terms combine into its output
    (``"sum"`` of products, ``"mean"``, ``"max"``, or ``""`` for captions
    that are not a reduction); the pipeline checks it against torch.
    """

    op: str
    kind: str
    header: tuple[str, str]
    values: np.ndarray
    data: Mapping[str, Any]
    panels: tuple[Panel, ...]
    symbols: tuple[str, ...]
    legend: tuple[tuple[str, str, str, str], ...]
    texts: frozenset[str]
    alt: Callable[[int], str]
    reference: Reference
    params: dict[str, Any]
    reduce: str = ""
    exact: bool = True
    out_panel: str = "output"
    extra: dict[str, Any] = field(default_factory=dict)

    def legend_cells(self) -> list[tuple[Cell, str]]:
        """The legend as sample cells and labels."""
        return [
            (Cell(panel, (), "", role, mark), label) for panel, role, mark, label in self.legend
        ]


class OpSpec:
    """One operation: its options, what it computes and how torch checks it.

    Subclasses set the class attributes the CLI reads and implement
    :meth:`figure`.
    """

    #: How the CLI builds the weight: ``"forward"`` ``(C_out, C_in/g, *k)``,
    #: ``"transposed"`` ``(C_in, C_out/g, *k)``, ``"window"`` (a pooling
    #: window size) or ``"none"`` (global pooling).
    weight: str = "forward"
    #: Options this op reads besides stride, padding and dilation.
    options: frozenset[str] = frozenset()
    #: One line for the CLI's help.
    summary: str = ""
    #: Views (:data:`._views.VIEWS`) that can draw this op.
    views: frozenset[str] = frozenset({"grid"})

    def figure(self, op: str, request: Request, options: Options) -> Figure:
        """Run the operator and collect what will be drawn."""
        raise NotImplementedError

    def figure_for(self, view: str, op: str, request: Request, options: Options) -> Figure:
        """The figure ``view`` draws (by default :meth:`figure`, for any view it supports)."""
        if view not in self.views:
            raise ValueError(
                f"view must be one of {', '.join(map(repr, sorted(self.views)))} for {op!r}, "
                f"got {view!r}"
            )
        return self.figure(op, request, options)


# --------------------------------------------------------------------------
# Inputs shared by the specs
# --------------------------------------------------------------------------


def unbatch(name: str, a: np.ndarray, d: int) -> np.ndarray:
    """``a`` as ``(C, *spatial)`` from a plain d-D array, ``(C, *sp)`` or ``(1, C, *sp)``."""
    if a.ndim == d:
        return a[None]
    if a.ndim == d + 1:
        return a
    if a.ndim == d + 2:
        if a.shape[0] != 1:
            raise ValueError(
                f"{name} must hold a single sample to be drawn, got a batch of {a.shape[0]} "
                f"(shape {tuple(a.shape)})"
            )
        return np.asarray(a[0])
    raise ValueError(
        f"{name} must have {d}, {d + 1} or {d + 2} dimensions for a {d}-D kernel "
        f"(plain, (C, *spatial) or (1, C, *spatial)), got shape {tuple(a.shape)}"
    )


def check_options(options: Mapping[str, object]) -> None:
    """Refuse an integer option larger than any drawable extent, before any array is made.

    No drawable input is wider than :data:`MAX_PADDED` cells along an axis,
    so a stride, padding, dilation, output padding or window beyond it cannot
    give a picture (a larger stride or dilation only repeats the one-output
    case); refusing here also keeps huge integers away from numpy.
    """
    for name, value in options.items():
        if _largest(value) > MAX_PADDED:
            raise ValueError(
                f"{name} {value!r} is too large to draw: at most {MAX_PADDED} cells fit along an "
                f"axis"
            )


def _largest(value: object, depth: int = 0) -> int:
    if is_int(value):
        return int(cast("int", value))  # is_int: an Integral
    if depth < 2 and isinstance(value, Sequence) and not isinstance(value, str):
        return max((_largest(v, depth + 1) for v in value), default=0)
    return 0  # not an integer option: the spec's own checks name it


def check_weight(w: np.ndarray) -> None:
    """Refuse a kernel too large to draw, from its shape alone (before any work).

    Its channels are checked by each spec (against ``x``, and the output
    channels with :func:`check_out_channels`), also before any work.
    """
    if any(k > MAX_PADDED for k in w.shape[2:]):
        raise ValueError(
            f"weight of shape {tuple(w.shape)} is too large to draw: at most {MAX_PADDED} "
            f"cells along a kernel axis"
        )


def check_texts(texts: frozenset[str]) -> None:
    """Refuse numbers whose text is wider than a cell (:data:`MAX_TEXT` characters).

    A number is drawn as the exact text of its value (``format_value``),
    never abbreviated: a 309-digit ``1e308`` would need a cell thousands of
    pixels wide, and an exponent form would hide the digits the captions add.
    """
    wide = max(texts, key=len, default="")
    if len(wide) > MAX_TEXT:
        shown = wide if len(wide) <= 24 else f"{wide[:10]}…{wide[-4:]}"
        raise ValueError(
            f"a number to draw, {shown}, is {len(wide)} characters wide: too large to draw "
            f"(at most {MAX_TEXT} characters fit in a cell; x, weight and the result must stay "
            f"within about ±10**{MAX_TEXT - 1})"
        )


def conv_inputs(request: Request) -> tuple[np.ndarray, np.ndarray, int]:
    """``x`` as ``(C, *sp)``, the weight with its two channel axes, and the rank."""
    if request.weight is None:
        raise TypeError("weight is required for this op (a kernel array)")
    w = as_array("weight", request.weight)
    if w.ndim in (1, 2):
        d = w.ndim
        w = w[None, None]
    elif w.ndim in (3, 4, 5):
        d = w.ndim - 2
    else:
        raise ValueError(
            f"weight must be a plain 1-D or 2-D kernel or (C_out, C_in / groups, *kernel) "
            f"with 1-3 kernel axes, got shape {tuple(w.shape)}"
        )
    xa = unbatch("x", as_array("x", request.x), d)
    check_drawable(xa)  # shapes only: a huge (even broadcast) array is refused here
    check_weight(w)
    return xa, w, d


def pool_input(
    x: ArrayLike, kernel_size: object, spatial_dims: int | None
) -> tuple[np.ndarray, int]:
    """``x`` as ``(C, *sp)`` and the number of spatial axes, by the rule of ``animate``."""
    a = as_array("x", x)
    if spatial_dims is not None:
        d = check_int("spatial_dims", spatial_dims)
        if d > 3:
            raise ValueError(f"spatial_dims must be 1, 2 or 3, got {spatial_dims!r}")
    elif isinstance(kernel_size, Sequence) and not isinstance(kernel_size, str):
        d = len(kernel_size)
    else:
        # The operators' rule (conv_explained.pooling): an int window and an x of
        # 2, 3 or 4 axes fit two or three readings, refused rather than guessed.
        d = rank_from_x(a, kernel_words=True, option="spatial_dims")
    xa = unbatch("x", a, d)
    check_drawable(xa)  # shapes only: a huge (even broadcast) array is refused here
    return xa, d


def check_drawable(
    x: np.ndarray,
    *,
    channels_name: str = "x",
    extent: Sequence[int] = (),
    cause: str = "padding",
) -> None:
    """Refuse an input too large to draw legibly (from shapes: call it before any work).

    ``extent`` is the drawn input's size along each axis after ``cause``
    (padding, zero insertion), computed by :mod:`conv_explained.shapes`.
    """
    sp = x.shape[1:]
    if any(s > MAX_CELLS for s in sp):
        raise ValueError(
            f"{channels_name} is too large to draw legibly: spatial size {dims(sp)} has more "
            f"than {MAX_CELLS} cells along an axis"
        )
    if len(sp) == 3 and sp[0] > MAX_DEPTH:
        raise ValueError(
            f"x is too deep to draw legibly: {sp[0]} depth slices, at most {MAX_DEPTH}"
        )
    if x.shape[0] > MAX_CHANNELS:
        raise ValueError(
            f"{channels_name} has {x.shape[0]} channels; at most {MAX_CHANNELS} can be drawn"
        )
    if any(e > MAX_PADDED for e in extent):
        raise ValueError(
            f"{cause} makes the drawn input {dims(extent)}, more than {MAX_PADDED} cells "
            f"along an axis: too large to draw"
        )


def check_out_channels(values: np.ndarray, what: str = "weight gives") -> None:
    """Refuse more output maps than can be drawn."""
    if values.shape[0] > MAX_CHANNELS:
        raise ValueError(
            f"{what} {values.shape[0]} output channels; at most {MAX_CHANNELS} can be drawn"
        )


def check_steps(steps: int) -> None:
    """Refuse more frames than can be animated."""
    if steps > MAX_STEPS:
        raise ValueError(
            f"x and weight give {steps} steps (frames); at most {MAX_STEPS} can be animated, "
            f"use a smaller input or fewer channels"
        )


# --------------------------------------------------------------------------
# Words shared by the specs
# --------------------------------------------------------------------------


def tuple_text(values: Sequence[int]) -> str:
    """``(2, 2) -> "2"``, ``(1, 2) -> "(1,2)"``."""
    vals = [int(v) for v in values]
    return str(vals[0]) if len(set(vals)) == 1 else "(" + ",".join(map(str, vals)) + ")"


def header_params(
    kernel: Sequence[int] | None,
    stride: Sequence[int] | None,
    padding: str,
    dilation: Sequence[int] | None,
    *,
    groups: int = 1,
    output_padding: Sequence[int] | None = None,
    padding_mode: str = "zeros",
) -> str:
    """The parameter line under the title."""
    parts = []
    if kernel is not None:
        parts.append(f"k={tuple_text(kernel)}")
    if stride is not None:
        parts.append(f"s={tuple_text(stride)}")
    parts.append(f"p={padding}")
    if dilation is not None:
        parts.append(f"d={tuple_text(dilation)}")
    if output_padding is not None and any(output_padding):
        parts.append(f"output_padding={tuple_text(output_padding)}")
    if groups != 1:
        parts.append(f"groups={groups}")
    if padding_mode != "zeros":
        parts.append(f"padding_mode={padding_mode}")
    return "   ".join(parts)


def shape_text(a: np.ndarray | Sequence[int]) -> str:
    """A panel subtitle: the spatial size for one channel, else the whole shape."""
    shape = tuple(a.shape) if isinstance(a, np.ndarray) else tuple(a)
    return dims(shape[1:] if shape[0] == 1 else shape)


def texts(*arrays: np.ndarray | None) -> frozenset[str]:
    """Every text the arrays format to (for the caption width)."""
    out: set[str] = set()
    for a in arrays:
        if a is not None:
            out.update(format_array(np.asarray(a)).ravel().tolist())
    return frozenset(out)


def input_roles(padded_ones: np.ndarray) -> np.ndarray:
    """Roles of a padded grid from the operator's own padding of an array of ones.

    ``padded_ones`` is what the operator's padding function makes of
    ``ones_like(x)`` with zero padding: 1 where an input value sits.
    """
    return np.where(np.asarray(padded_ones) == 1, "input", "padding").astype(object)


def exact(*arrays: np.ndarray | None) -> bool:
    """Whether every array is integer-valued (caption terms are then exact)."""
    return all(a is None or np.asarray(a).dtype.kind in "iub" for a in arrays)


def jsonable(value: object) -> object:
    """``value`` with arrays and numpy scalars as plain lists and numbers."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
