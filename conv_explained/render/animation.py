"""The :class:`Animation` object and :func:`animate`, :func:`compare`.

:func:`animate` takes the same arrays and options as the package's
operators, runs the operator, builds one :class:`~.frames.Scene` per step,
checks every drawn number against torch and returns an :class:`Animation`
that draws its frames on demand and saves them as a GIF, a still or a strip.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from PIL import Image, ImageDraw

from .. import _core, grad, ops, pooling, shapes
from .._validate import as_array, check_int, ntuple
from . import _draw
from ._format import format_array
from ._verify import VerificationError, run_checks, to_torch
from .alt import dims, values_sentence
from .frames import Cell, Panel, Scene, conv_scenes, pool_scenes, route_scenes, scatter_scenes
from .gif import atomic_write, record, strip_image, write_gif, write_png

__all__ = ["OPS", "Animation", "animate", "compare"]

#: The operations :func:`animate` draws.
OPS = (
    "correlate",
    "convolve",
    "transpose",
    "transpose-direct",
    "max-pool",
    "avg-pool",
    "global-max-pool",
    "global-avg-pool",
    "max-pool-grad",
    "input-grad",
)

#: Largest drawable input: cells per spatial axis, cells per axis after
#: padding/zero insertion, channels, depth slices and steps (frames).
MAX_CELLS = 12
MAX_PADDED = 16
MAX_CHANNELS = 4
MAX_DEPTH = 4
MAX_STEPS = 160
#: Frames widen up to this many pixels of caption to show a whole sum.
MAX_CAPTION = 560

STEP_MS = 700
FINAL_MS = 2500

_TITLES = {
    "correlate": "Cross-correlation: what conv{d}d computes",
    "convolve": "True convolution: the kernel is flipped",
    "transpose": "Transposed convolution: each input cell stamps the kernel",
    "transpose-direct": "Transposed convolution as a direct convolution",
    "max-pool": "Max pooling",
    "avg-pool": "Average pooling",
    "global-max-pool": "Global max pooling",
    "global-avg-pool": "Global average pooling",
    "max-pool-grad": "Max pooling gradient: routed to the maximum",
    "input-grad": "Input gradient: full convolution with the flipped kernel",
}


class Animation:
    """A verified, numerically annotated animation of one operation.

    Frames are drawn on first use. The frame count rule: one frame per step
    (per output cell for sliding ops and pooling, per input cell for the
    scatter view of a transposed convolution, per output-gradient cell for
    the max-pooling gradient) plus one final frame showing the complete
    result, which is held longer.

    Attributes
    ----------
    op : str
        The operation drawn (one of :data:`OPS`, or ``"compare"``).
    params : dict
        The options used (JSON-friendly).
    values : numpy.ndarray
        The operator's result, as returned by the package (unbatched).
    verification : dict
        The torch check (see :func:`~conv_explained.render._verify.run_checks`),
        or ``{"passed": None, "skipped": True}`` with ``verify=False``.
    alt_text : str
        A description of the animation for screen readers.
    scenes : list of Scene
        The data model of each frame (what the tests inspect).
    panels : list of Panel
        The panels every frame shows.
    durations : list of int
        Milliseconds per frame.
    """

    def __init__(
        self,
        *,
        op: str,
        params: dict,
        values: Any,
        verification: dict,
        alt_text: str,
        scenes: list[Scene],
        panels: list[Panel],
        layout: _draw.Layout | None,
    ) -> None:
        self.op = op
        self.params = params
        self.values = values
        self.verification = verification
        self.alt_text = alt_text
        self.scenes = scenes
        self.panels = panels
        self._layout = layout
        self.durations = [STEP_MS] * (len(scenes) - 1) + [FINAL_MS]

    def __repr__(self) -> str:
        return (
            f"<Animation {self.op!r}: {len(self.scenes)} frames, {self.size[0]}x{self.size[1]} px>"
        )

    @property
    def size(self) -> tuple[int, int]:
        """Frame size in pixels, ``(width, height)``."""
        assert self._layout is not None
        return self._layout.size

    @functools.cached_property
    def frames(self) -> list[Image.Image]:
        """The frames as palette images, drawn on first access."""
        assert self._layout is not None
        slots = _draw.caption_slots([s.parts for s in self.scenes if s.step is not None])
        return [_draw.draw_scene(s, self.panels, self._layout, slots) for s in self.scenes]

    def _check_verified(self) -> None:
        if self.verification.get("passed") is False:
            raise VerificationError("this animation failed verification; nothing is written")

    def save_gif(self, path: str | Path) -> Path:
        """Write the animation as a looping GIF (atomically).

        Parameters
        ----------
        path : str or pathlib.Path
            Destination; its directory must exist.

        Returns
        -------
        pathlib.Path
            ``path``.
        """
        self._check_verified()
        frames = self.frames
        target = atomic_write(path, lambda f: write_gif(f, frames, self.durations))
        record(target, "gif", self.alt_text)
        return target

    def save_still(self, path: str | Path, frame: int = -1) -> Path:
        """Write one frame (by default the final one) as a PNG (atomically).

        Parameters
        ----------
        path : str or pathlib.Path
            Destination.
        frame : int, optional
            Index into :attr:`frames`; negative counts from the end.

        Returns
        -------
        pathlib.Path
        """
        self._check_verified()
        if isinstance(frame, bool) or not isinstance(frame, int):
            raise TypeError(f"frame must be an integer, got {frame!r}")
        n = len(self.scenes)
        if not -n <= frame < n:
            raise ValueError(f"frame must be between {-n} and {n - 1}, got {frame}")
        image = self.frames[frame]
        target = atomic_write(path, lambda f: write_png(f, image))
        record(target, "still", self.alt_text)
        return target

    def save_strip(self, path: str | Path, columns: int | None = None) -> Path:
        """Write every frame in one PNG grid (for print and reduced motion; atomically).

        Parameters
        ----------
        path : str or pathlib.Path
            Destination.
        columns : int, optional
            Frames per row; by default about the square root of the count.

        Returns
        -------
        pathlib.Path
        """
        self._check_verified()
        sheet = strip_image(self.frames, columns)
        target = atomic_write(path, lambda f: write_png(f, sheet, compress_level=6))
        record(target, "strip", "All steps, row by row. " + self.alt_text)
        return target


class Comparison(Animation):
    """Two animations side by side, frame by frame (see :func:`compare`)."""

    def __init__(self, left: Animation, right: Animation, titles: tuple[str, str]) -> None:
        self.parts = (left, right)
        self.titles = titles
        super().__init__(
            op="compare",
            params={"titles": list(titles), "left": left.params, "right": right.params},
            values=(left.values, right.values),
            verification={
                "passed": _all_passed(left, right),
                "left": left.verification,
                "right": right.verification,
            },
            alt_text=(
                f"Two animations side by side. Left, {titles[0]}: {left.alt_text} "
                f"Right, {titles[1]}: {right.alt_text}"
            ),
            scenes=left.scenes,
            panels=left.panels,
            layout=None,
        )
        self.durations = list(left.durations)

    @property
    def size(self) -> tuple[int, int]:
        """Frame size in pixels, ``(width, height)``."""
        (wa, ha), (wb, hb) = self.parts[0].size, self.parts[1].size
        return wa + wb + 12, max(ha, hb) + 34

    @functools.cached_property
    def frames(self) -> list[Image.Image]:
        """Left and right frames pasted side by side under their titles."""
        left, right = self.parts
        w, h = self.size
        base = _draw.new_image((w, h), "white")
        d = ImageDraw.Draw(base)
        xs = (0, left.size[0] + 12)
        for x, part, title in zip(xs, self.parts, self.titles, strict=True):
            accent = part.panels[1].accent if len(part.panels) > 1 else "black"
            cx = x + part.size[0] // 2
            d.text(
                (cx, 8), title, font=_draw.font(17, True), fill=_draw.INDEX["black"], anchor="ma"
            )
            tw = _draw.text_width(title, 17, True)
            d.line([(cx - tw // 2, 29), (cx + tw // 2, 29)], fill=_draw.INDEX[accent], width=3)
        d.line([(xs[1] - 6, 34), (xs[1] - 6, h - 8)], fill=_draw.INDEX["line"], width=1)
        out = []
        for fa, fb in zip(left.frames, right.frames, strict=True):
            im = base.copy()
            im.paste(fa, (xs[0], 34))
            im.paste(fb, (xs[1], 34))
            out.append(im)
        return out


def _all_passed(*anims: Animation) -> bool | None:
    results = [a.verification.get("passed") for a in anims]
    if any(r is False for r in results):
        return False
    if all(r is True for r in results):
        return True
    return None


def compare(
    anim_a: Animation, anim_b: Animation, titles: Sequence[str] = ("correlation", "convolution")
) -> Animation:
    """Put two animations with the same number of frames side by side.

    Parameters
    ----------
    anim_a, anim_b : Animation
        Left and right; for example the correlation and the convolution of
        the same input and kernel (the blue and red kernels).
    titles : (str, str), optional
        Drawn above each half.

    Returns
    -------
    Animation
        Its ``values`` and ``verification`` hold both parts'.

    Raises
    ------
    ValueError
        If the frame counts differ or ``titles`` is not two strings.

    Examples
    --------
    >>> image = np.arange(16).reshape(4, 4) % 3
    >>> a = animate("correlate", image, np.arange(4).reshape(2, 2), verify=False)
    >>> b = animate("convolve", image, np.arange(4).reshape(2, 2), verify=False)
    >>> len(compare(a, b).scenes)
    10
    """
    if not isinstance(anim_a, Animation) or not isinstance(anim_b, Animation):
        raise TypeError("anim_a and anim_b must be Animation objects from render.animate")
    if len(titles) != 2 or not all(isinstance(t, str) for t in titles):
        raise ValueError(f"titles must be two strings, got {titles!r}")
    if len(anim_a.scenes) != len(anim_b.scenes):
        raise ValueError(
            f"anim_b must have as many frames as anim_a, got {len(anim_b.scenes)} and "
            f"{len(anim_a.scenes)}"
        )
    return Comparison(anim_a, anim_b, (titles[0], titles[1]))


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------


def _unbatch(name: str, a: np.ndarray, d: int) -> np.ndarray:
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
        return a[0]
    raise ValueError(
        f"{name} must have {d}, {d + 1} or {d + 2} dimensions for a {d}-D kernel "
        f"(plain, (C, *spatial) or (1, C, *spatial)), got shape {tuple(a.shape)}"
    )


def _conv_inputs(x: ArrayLike, weight: ArrayLike | None) -> tuple[np.ndarray, np.ndarray, int]:
    if weight is None:
        raise TypeError("weight is required for this op (a kernel array)")
    w = as_array("weight", weight)
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
    xa = _unbatch("x", as_array("x", x), d)
    return xa, w, d


def _pool_input(
    x: ArrayLike, kernel_size: object, spatial_dims: int | None
) -> tuple[np.ndarray, int]:
    a = as_array("x", x)
    if spatial_dims is not None:
        d = check_int("spatial_dims", spatial_dims)
        if d > 3:
            raise ValueError(f"spatial_dims must be 1, 2 or 3, got {spatial_dims!r}")
    elif isinstance(kernel_size, Sequence) and not isinstance(kernel_size, str):
        d = len(kernel_size)
    else:
        d = {1: 1, 2: 2, 3: 2, 4: 2, 5: 3}.get(a.ndim, 0)
        if not d:
            raise ValueError(f"x must have 1 to 5 dimensions, got shape {tuple(a.shape)}")
    return _unbatch("x", a, d), d


def _check_drawable(
    x: np.ndarray, *, channels_name: str = "x", extent: Sequence[int] = ()
) -> None:
    sp = x.shape[1:]
    if any(s > MAX_CELLS for s in sp):
        raise ValueError(
            f"x is too large to draw legibly: spatial size {dims(sp)} has more than "
            f"{MAX_CELLS} cells along an axis"
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
            f"padding makes the drawn input {dims(extent)}, more than {MAX_PADDED} cells "
            f"along an axis"
        )


def _check_steps(steps: int) -> None:
    if steps > MAX_STEPS:
        raise ValueError(
            f"x and weight give {steps} steps (frames); at most {MAX_STEPS} can be animated, "
            f"use a smaller input or fewer channels"
        )


def _tuple_text(values: Sequence[int]) -> str:
    vals = [int(v) for v in values]
    return str(vals[0]) if len(set(vals)) == 1 else "(" + ",".join(map(str, vals)) + ")"


def _header_params(
    kernel: Sequence[int] | None,
    stride: Sequence[int] | None,
    padding: str,
    dilation: Sequence[int] | None,
    *,
    groups: int = 1,
    output_padding: Sequence[int] | None = None,
    padding_mode: str = "zeros",
) -> str:
    parts = []
    if kernel is not None:
        parts.append(f"k={_tuple_text(kernel)}")
    if stride is not None:
        parts.append(f"s={_tuple_text(stride)}")
    parts.append(f"p={padding}")
    if dilation is not None:
        parts.append(f"d={_tuple_text(dilation)}")
    if output_padding is not None and any(output_padding):
        parts.append(f"output_padding={_tuple_text(output_padding)}")
    if groups != 1:
        parts.append(f"groups={groups}")
    if padding_mode != "zeros":
        parts.append(f"padding_mode={padding_mode}")
    return "   ".join(parts)


def _padding_text(padding: object, pads: Sequence[tuple[int, int]]) -> str:
    if isinstance(padding, str):
        amounts = [a for pair in pads for a in pair]
        if len(set(amounts)) == 1:
            return f"{padding} ({amounts[0]})"
        return f"{padding} " + ",".join(f"{a}|{b}" for a, b in pads)
    return _tuple_text([b for b, _ in pads])


def _jsonable(value: object) -> object:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _legend(entries: Sequence[tuple[str, str, str, str]]) -> list[tuple[Cell, str]]:
    return [(Cell(panel, (), "", role, mark), label) for panel, role, mark, label in entries]


def _texts(*arrays: np.ndarray | None, notes: Sequence[str] = ()) -> set[str]:
    out: set[str] = set()
    for a in arrays:
        if a is not None:
            out.update(format_array(np.asarray(a)).ravel().tolist())
    return out


class _Canvas:
    """The frame layout, widened (up to :data:`MAX_CAPTION` px) when captions need it."""

    def __init__(self, *args: Any) -> None:
        self.args = args
        self.layout = _draw.layout(*args)
        self.needed = 0

    def fits(self, captions: Sequence[Sequence[str]]) -> bool:
        widths = _draw.caption_slots(captions).values()
        width = max((sum(w) for w in widths), default=0)
        if width > max(self.layout.caption_width, MAX_CAPTION):
            return False
        self.needed = max(self.needed, width)
        return True

    def final(self) -> _draw.Layout:
        if self.needed > self.layout.caption_width:
            return _draw.layout(*self.args, min_width=self.needed + 2 * _draw.MARGIN)
        return self.layout


def _final_output_text(
    scene: Scene, panel: Panel, region: tuple[slice, ...] | None = None
) -> np.ndarray:
    text = scene.texts(panel.name, panel.shape)
    if region is not None:
        text = text[(slice(None), *region)]
    return text


def _marker_roles(spatial: Sequence[int], direct: Any) -> np.ndarray:
    """Roles of the zero-inserted, padded grid: input, inserted or padding.

    ``direct(marker)`` maps a ``(1, *spatial)`` marker array to the direct
    view's ``(1, *padded)`` array (by the package's own construction); the
    marker holds 1, 2, ... so the input cells are where it is non-zero.
    """
    marker = np.arange(1, int(np.prod(spatial)) + 1, dtype=np.float64).reshape(1, *spatial)
    placed = np.asarray(direct(marker))[0]
    is_input = placed > 0
    roles = np.empty(placed.shape, dtype=object)
    roles[...] = "padding"
    where = np.nonzero(is_input)
    if is_input.any():
        hull = tuple(slice(int(w.min()), int(w.max()) + 1) for w in where)
        roles[hull] = "inserted"
    roles[is_input] = "input"
    return roles


# --------------------------------------------------------------------------
# animate
# --------------------------------------------------------------------------


def animate(
    op: str,
    x: ArrayLike,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    *,
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    output_padding: int | Sequence[int] = 0,
    kernel_size: int | Sequence[int] | None = None,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    grad_output: ArrayLike | None = None,
    spatial_dims: int | None = None,
    mac: bool | int = True,
    verify: bool = True,
) -> Animation:
    """Animate one operation, cell by cell, with every number written in.

    Parameters
    ----------
    op : str
        ``"correlate"`` (what frameworks call convolution), ``"convolve"``
        (true convolution: the flipped kernel is drawn, as applied),
        ``"transpose"`` (transposed convolution as scatter: each input cell
        stamps a scaled kernel into the output), ``"transpose-direct"`` (the
        same result as a direct convolution over the zero-inserted, padded
        input), ``"max-pool"``, ``"avg-pool"``, ``"global-max-pool"``,
        ``"global-avg-pool"``, ``"max-pool-grad"`` (each output gradient
        routed to its window's maximum) or ``"input-grad"`` (the gradient
        with respect to a correlation's input: the output gradient,
        zero-inserted and fully padded, convolved with the flipped kernel).
    x : array_like
        The input: a plain 1-D, 2-D (or, with a 3-D kernel, 3-D) array for a
        single channel, ``(C, *spatial)``, or ``(1, C, *spatial)``. For the
        gradients, the forward input.
    weight : array_like, optional
        For the convolution ops: a plain 1-D or 2-D kernel, or torch's layout
        ``(C_out, C_in / groups, *k)`` (``(C_in, C_out / groups, *k)`` for
        the transposed ops); its number of kernel axes sets the number of
        spatial axes (a 3-D weight is a 1-D convolution's; give 3-D kernels
        as 5-D). For ``max-pool``, ``avg-pool`` and ``max-pool-grad`` the
        window size may be given here instead of ``kernel_size``.
    bias : array_like, optional
        ``(C_out,)``; the convolution ops only.
    stride : int or tuple of int, optional
        Default 1 for convolutions and the window size for pooling.
    padding : int, tuple of int or {"valid", "same", "full"}, optional
        As in the operators.
    dilation : int or tuple of int, optional
        Spacing between kernel taps.
    groups : int, optional
        Channel groups (``groups == C_in`` is depthwise).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, optional
        For ``correlate`` and ``convolve``: what the padding cells hold.
    output_padding : int or tuple of int, optional
        For the transposed ops.
    kernel_size : int or tuple of int, optional
        Pooling window (alternatively pass it as ``weight``). A tuple sets
        the number of spatial axes; with an int, ``x`` of 1 dimension is 1-D,
        of 2-4 dimensions 2-D, of 5 dimensions 3-D (or pass ``spatial_dims``).
    ceil_mode, count_include_pad : bool, optional
        Pooling options, as in torch.
    grad_output : array_like, optional
        For the gradients: the gradient arriving at the forward output
        (default 1, 2, 3, ... so each routed value can be followed).
    spatial_dims : int, optional
        Number of spatial axes, for the pooling ops when the rule above does
        not fit.
    mac : bool or int, optional
        Write the multiply-accumulate sum (or the pooled values) of the
        current cell under the panels: all terms that fit (``True``), at
        most that many leading terms then ``…`` and the last (an int), or
        only the result (``False``).
    verify : bool, optional
        Check the values and shapes against torch (float64) and
        :mod:`conv_explained.shapes` before anything is drawn. Only
        ``verify=False`` skips it.

    Returns
    -------
    Animation

    Raises
    ------
    ValueError
        For an unknown ``op``, arrays or options the operator refuses, or an
        input too large to draw legibly (more than 12 cells along an axis,
        more than 4 channels, more than 160 frames).
    TypeError
        For non-numeric arrays or non-integer options.
    VerificationError
        If a drawn number or shape disagrees with torch.
    RuntimeError
        If torch is missing and ``verify`` is true.

    Examples
    --------
    >>> image = np.array([[1, 2, 2, 1, 0],
    ...                   [3, 3, 3, 3, 0],
    ...                   [3, 0, 0, 2, 2],
    ...                   [0, 3, 0, 3, 3],
    ...                   [2, 2, 2, 3, 2]])
    >>> anim = animate("correlate", image, np.arange(9).reshape(3, 3))
    >>> anim.values
    array([[[60, 56, 52],
            [39, 61, 66],
            [54, 78, 82]]])
    >>> len(anim.scenes)  # 9 output positions + the final frame
    10
    >>> anim.scenes[1].caption
    'output[0, 1] = 2·0 + 2·1 + 1·2 + 3·3 + 3·4 + 3·5 + 0·6 + 0·7 + 2·8 = 56'
    """
    if not isinstance(op, str) or op not in OPS:
        raise ValueError(f"op must be one of {', '.join(map(repr, OPS))}, got {op!r}")
    if not isinstance(mac, (bool, int)) or (not isinstance(mac, bool) and mac < 1):
        raise TypeError(f"mac must be True, False or a positive number of terms, got {mac!r}")
    if not isinstance(verify, bool):
        raise TypeError(f"verify must be True or False, got {verify!r}")
    options = {
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
        "padding_mode": padding_mode,
        "output_padding": output_padding,
        "ceil_mode": ceil_mode,
        "count_include_pad": count_include_pad,
        "mac": mac,
        "verify": verify,
    }
    if op in ("correlate", "convolve"):
        return _animate_slide(op, x, weight, bias, options)
    if op in ("transpose-direct", "input-grad"):
        return _animate_direct(op, x, weight, bias, grad_output, options)
    if op == "transpose":
        return _animate_scatter(x, weight, bias, options)
    if bias is not None:
        raise ValueError(f"bias is only used by the convolution ops, not {op!r}")
    if kernel_size is None:
        kernel_size = weight  # type: ignore[assignment]
    elif weight is not None:
        raise ValueError("give the pooling window once: as weight or as kernel_size, not both")
    if op in ("global-max-pool", "global-avg-pool"):
        return _animate_global(op, x, spatial_dims, options)
    if kernel_size is None:
        raise TypeError(f"kernel_size is required for {op!r}")
    if op == "max-pool-grad":
        return _animate_route(x, kernel_size, grad_output, spatial_dims, options)
    return _animate_pool(op, x, kernel_size, spatial_dims, options)


def _finish(
    *,
    op: str,
    params: dict,
    values: np.ndarray,
    scenes: list[Scene],
    panels: list[Panel],
    lay: _draw.Layout,
    alt: str,
    verify: bool,
    checks: dict,
) -> Animation:
    if verify:
        verification = run_checks(**checks)
    else:
        verification = {"passed": None, "skipped": True, "reference": checks["reference"]}
    return Animation(
        op=op,
        params={k: _jsonable(v) for k, v in params.items()},
        values=values,
        verification=verification,
        alt_text=alt,
        scenes=scenes,
        panels=panels,
        layout=lay,
    )


def _torch_pads(pads: Sequence[tuple[int, int]]) -> list[int]:
    """``F.pad`` order: last axis first."""
    flat: list[int] = []
    for before, after in reversed(list(pads)):
        flat += [before, after]
    return flat


def _conv_fn(F: Any, d: int) -> Any:
    return getattr(F, f"conv{d}d")


def _animate_slide(
    op: str, x: ArrayLike, weight: ArrayLike | None, bias: ArrayLike | None, o: dict
) -> Animation:
    xa, w, d = _conv_inputs(x, weight)
    b = None if bias is None else as_array("bias", bias)
    stride = 1 if o["stride"] is None else o["stride"]
    strides = ntuple("stride", stride, d)
    dilations = ntuple("dilation", o["dilation"], d)
    padding = o["padding"]
    if isinstance(padding, Sequence) and not isinstance(padding, str):
        padding = ntuple("padding", padding, d, minimum=0)
    fn = ops.correlate if op == "correlate" else ops.convolve
    values = fn(
        xa,
        w,
        b,
        stride=strides,
        padding=padding,
        dilation=dilations,
        groups=o["groups"],
        padding_mode=o["padding_mode"],
    )
    kernel = tuple(w.shape[2:])
    pads = shapes.resolve_padding(padding, kernel, stride=strides, dilation=dilations)
    expected = (
        w.shape[0],
        *shapes.conv_output_size(
            tuple(xa.shape[1:]),
            kernel,
            stride=strides,
            padding=padding if isinstance(padding, str) else tuple(p for p, _ in pads),
            dilation=dilations,
        ),
    )
    xp = _core.pad(xa, pads, o["padding_mode"])
    _check_drawable(xa, extent=xp.shape[1:])
    if w.shape[0] > MAX_CHANNELS:
        raise ValueError(
            f"weight has {w.shape[0]} output channels; at most {MAX_CHANNELS} can be drawn"
        )
    _check_steps(values.size)
    roles = np.empty(xp.shape, dtype=object)
    roles[...] = "padding"
    inner = (
        slice(None),
        *(slice(bf, bf + s) for (bf, _), s in zip(pads, xa.shape[1:], strict=True)),
    )
    roles[inner] = "input"
    applied = w if op == "correlate" else ops.flip(w)
    accent = "blue" if op == "correlate" else "vermillion"
    groups = int(o["groups"])
    c_in, c_out = xa.shape[0], w.shape[0]
    pad_text = _padding_text(padding, pads)
    has_pad = any(a or bb for a, bb in pads)
    mode = o["padding_mode"]
    in_sub = dims(xa.shape[1:] if c_in == 1 else xa.shape)
    if has_pad:
        in_sub += f", padded to {dims(xp.shape[1:])}"
        if mode != "zeros":
            in_sub += f" ({mode})"
    k_sub = dims(kernel) if applied.shape[:2] == (1, 1) else dims(applied.shape)
    panels = [
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
            "output",
            "output",
            dims(values.shape[1:] if c_out == 1 else values.shape),
            values.shape,
            accent="green",
            row_label="o",
        ),
    ]
    header = [
        _TITLES[op].format(d=d),
        _header_params(kernel, strides, pad_text, dilations, groups=groups, padding_mode=mode),
    ]
    legend_entries = [("input", "input", "", "input")]
    if has_pad:
        legend_entries.append(
            ("input", "padding", "", f"padding ({mode})" if mode != "zeros" else "padding")
        )
    legend_entries += [
        ("input", "input", "footprint", "under the kernel (×weight)"),
        ("output", "output", "current", "being computed"),
    ]
    canvas = _Canvas(
        header,
        panels,
        ["⋆" if op == "correlate" else "∗", "="],
        _legend(legend_entries),
        _texts(xp, applied, values),
    )
    scenes = conv_scenes(
        (panels[0], panels[1], panels[2]),
        xp,
        roles,
        applied,
        values,
        dilation=dilations,
        stride=strides,
        groups=groups,
        bias=b,
        mac=o["mac"],
        fits=canvas.fits,
    )
    alt = _alt_slide(
        op, d, xa, applied, values, kernel, strides, dilations, pads, mode, groups, b, xp
    )
    reference = f"torch.nn.functional.conv{d}d"

    def compute(torch: Any, F: Any) -> Any:
        xt = to_torch(torch, xa)
        wt = to_torch(torch, w, batch=False)
        if op == "convolve":
            wt = torch.flip(wt, dims=tuple(range(2, 2 + d)))
        bt = None if b is None else to_torch(torch, b, batch=False)
        if mode == "zeros":
            tp: Any = (
                padding if isinstance(padding, str) and padding != "full" else [p for p, _ in pads]
            )
            if any(bb != a for bb, a in pads):
                xt = F.pad(xt, _torch_pads(pads))
                tp = 0
            return _conv_fn(F, d)(
                xt, wt, bt, stride=strides, padding=tp, dilation=dilations, groups=groups
            )[0]
        xt = F.pad(
            xt,
            _torch_pads(pads),
            mode={"replicate": "replicate", "reflect": "reflect", "circular": "circular"}[mode],
        )
        return _conv_fn(F, d)(xt, wt, bt, stride=strides, dilation=dilations, groups=groups)[0]

    def padded(torch: Any, F: Any) -> Any:
        t = to_torch(torch, xa)
        if mode == "zeros":
            return F.pad(t, _torch_pads(pads))[0]
        return F.pad(t, _torch_pads(pads), mode=mode)[0]

    def kernel_applied(torch: Any, F: Any) -> Any:
        wt = to_torch(torch, w, batch=False)
        return wt if op == "correlate" else torch.flip(wt, dims=tuple(range(2, 2 + d)))

    def from_drawn(torch: Any, F: Any) -> Any:
        bt = None if b is None else to_torch(torch, b, batch=False)
        return _conv_fn(F, d)(
            to_torch(torch, xp),
            to_torch(torch, applied, batch=False),
            bt,
            stride=strides,
            dilation=dilations,
            groups=groups,
        )[0]

    checks = {
        "reference": reference,
        "compute": compute,
        "values": values,
        "drawn_text": _final_output_text(scenes[-1], panels[2]),
        "expected_shape": expected,
        "extras": [
            ("padded input", xp, padded),
            ("kernel as applied", applied, kernel_applied),
            ("output from the drawn grids", values, from_drawn),
        ],
    }
    params = {
        "op": op,
        "x_shape": xa.shape,
        "weight_shape": w.shape,
        "bias": b is not None,
        "stride": strides,
        "padding": padding if isinstance(padding, str) else [p for p, _ in pads],
        "padding_pairs": pads,
        "dilation": dilations,
        "groups": groups,
        "padding_mode": mode,
        "output_shape": values.shape,
    }
    return _finish(
        op=op,
        params=params,
        values=values,
        scenes=scenes,
        panels=panels,
        lay=canvas.final(),
        alt=alt,
        verify=o["verify"],
        checks=checks,
    )


def _alt_slide(
    op, d, xa, applied, values, kernel, strides, dilations, pads, mode, groups, b, xp
) -> str:
    what = {1: "signal", 2: "image", 3: "volume"}[d]
    c_in, c_out = xa.shape[0], values.shape[0]
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
    size = f"{xa.shape[1]}-sample" if d == 1 else dims(xa.shape[1:])
    ins = f"a {size} {what}" + (f" with {c_in} channels" if c_in > 1 else "")
    has_pad = any(a or bb for a, bb in pads)
    if has_pad:
        amounts = (
            _tuple_text([a for a, _ in pads]) if all(a == bb for a, bb in pads) else str(pads)
        )
        ins += (
            f", padded by {amounts} on each side with "
            + ("zeros" if mode == "zeros" else f"{mode} padding")
            + f" (hatched cells) to {dims(xp.shape[1:])}"
        )
    kern = (
        f"a {dims(kernel)} kernel"
        if applied.shape[:2] == (1, 1)
        else f"{c_out} kernel{'s' if c_out > 1 else ''} of {dims(applied.shape[1:])}"
    )
    verb = "slide" if c_out > 1 else "slides"
    if applied.size <= 27:
        kern += " (weights as applied: " + " ".join(format_array(applied).ravel().tolist()) + ")"
    steps = values.size
    sentence = (
        f"Animation in {steps + 1} frames: {kern} {verb} over {ins}, with stride "
        f"{_tuple_text(strides)} and dilation {_tuple_text(dilations)}"
        + (f" in {groups} groups" if groups > 1 else "")
        + f"; this is {kind}. At each of the {steps} positions the kernel weights are "
        f"multiplied with the input values under them and summed"
        + (" with the bias" if b is not None else "")
        + f" into one cell of the {dims(values.shape[1:])} output"
        + (f" (one output map per kernel, {c_out} maps)" if c_out > 1 else "")
        + ". "
    )
    return sentence + values_sentence(values)


def _animate_direct(
    op: str,
    x: ArrayLike,
    weight: ArrayLike | None,
    bias: ArrayLike | None,
    grad_output: ArrayLike | None,
    o: dict,
) -> Animation:
    xa, w, d = _conv_inputs(x, weight)
    stride = 1 if o["stride"] is None else o["stride"]
    strides = ntuple("stride", stride, d)
    dilations = ntuple("dilation", o["dilation"], d)
    groups = check_int("groups", o["groups"])
    kernel = tuple(w.shape[2:])
    if op == "transpose-direct":
        if o["padding_mode"] != "zeros":
            raise ValueError(
                f"padding_mode must be 'zeros' for a transposed convolution, got {o['padding_mode']!r}"
            )
        b = None if bias is None else as_array("bias", bias)
        padding = ntuple("padding", o["padding"], d, minimum=0)
        extra = ntuple("output_padding", o["output_padding"], d, minimum=0)
        source = xa
        values = ops.conv_transpose(
            xa,
            w,
            b,
            stride=strides,
            padding=padding,
            output_padding=extra,
            groups=groups,
            dilation=dilations,
        )
        expected = (
            w.shape[1] * groups,
            *shapes.conv_transpose_output_size(
                tuple(xa.shape[1:]),
                kernel,
                stride=strides,
                padding=padding,
                output_padding=extra,
                dilation=dilations,
            ),
        )
        _check_drawable(xa)
    else:
        if bias is not None:
            raise ValueError("bias does not affect the input gradient; leave it out")
        if o["padding_mode"] != "zeros":
            raise ValueError(
                f"padding_mode must be 'zeros' for the input gradient, got {o['padding_mode']!r}"
            )
        b = None
        pad_spec = o["padding"]
        if isinstance(pad_spec, Sequence) and not isinstance(pad_spec, str):
            pad_spec = ntuple("padding", pad_spec, d, minimum=0)
        pairs = shapes.resolve_padding(pad_spec, kernel, stride=strides, dilation=dilations)
        if any(a != bb for a, bb in pairs):
            raise ValueError(
                f"padding {o['padding']!r} is asymmetric; the input-gradient view needs equal padding on both sides"
            )
        padding = tuple(a for a, _ in pairs)
        out = shapes.conv_output_size(
            tuple(xa.shape[1:]), kernel, stride=strides, padding=padding, dilation=dilations
        )
        _check_drawable(xa)
        if grad_output is None:
            n = w.shape[0] * int(np.prod(out))
            grad_output = np.arange(1, n + 1).reshape(w.shape[0], *out)
        source = _unbatch("grad_output", as_array("grad_output", grad_output), d)
        grad_x, _, _ = grad.correlate_grad(
            xa,
            w,
            source,
            stride=strides,
            padding=padding,
            dilation=dilations,
            groups=groups,
        )
        values = grad_x
        extra = shapes.conv_transpose_output_padding(
            tuple(xa.shape[1:]),
            tuple(source.shape[1:]),
            kernel,
            stride=strides,
            padding=padding,
            dilation=dilations,
        )
        expected = tuple(xa.shape)
    xd, wd = ops.transposed_as_correlation(
        source,
        w,
        stride=strides,
        padding=padding,
        output_padding=extra,
        groups=groups,
        dilation=dilations,
    )
    single = np.ones((1, 1, *kernel))
    roles_sp = _marker_roles(
        source.shape[1:],
        lambda m: ops.transposed_as_correlation(
            m,
            single,
            stride=strides,
            padding=padding,
            output_padding=extra,
            dilation=dilations,
        )[0],
    )
    roles = np.broadcast_to(roles_sp, xd.shape).copy()
    _check_drawable(
        source, channels_name="grad_output" if op == "input-grad" else "x", extent=xd.shape[1:]
    )
    if values.shape[0] > MAX_CHANNELS:
        raise ValueError(
            f"weight gives {values.shape[0]} output channels; at most {MAX_CHANNELS} can be drawn"
        )
    _check_steps(values.size)
    accent = "purple" if op == "transpose-direct" else "vermillion"
    s_txt = dims(source.shape[1:] if source.shape[0] == 1 else source.shape)
    if op == "transpose-direct":
        in_title, out_title, out_name = "input", "output", "output"
        in_sub = f"{s_txt}, zeros inserted + padded: {dims(xd.shape[1:])}"
    else:
        in_title, out_title, out_name = "grad output", "grad input", "grad_input"
        in_sub = f"{s_txt}, zeros inserted + padded: {dims(xd.shape[1:])}"
    panels = [
        Panel("input", in_title, in_sub, xd.shape, accent=accent),
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
            out_title,
            dims(values.shape[1:] if values.shape[0] == 1 else values.shape),
            values.shape,
            accent="green",
            row_label="o" if op == "transpose-direct" else "c",
        ),
    ]
    pad_words = _tuple_text(padding)
    header = [
        _TITLES[op],
        _header_params(kernel, strides, pad_words, dilations, groups=groups, output_padding=extra)
        + (
            "   (transposed: moves with stride 1)"
            if op == "transpose-direct"
            else "   (of the forward correlation)"
        ),
    ]
    legend_entries = [("input", "input", "", "grad output" if op == "input-grad" else "input")]
    if "inserted" in set(roles_sp.ravel().tolist()):
        legend_entries.append(("input", "inserted", "", "inserted zero"))
    if "padding" in set(roles_sp.ravel().tolist()):
        legend_entries.append(("input", "padding", "", "padding"))
    legend_entries += [
        ("input", "input", "footprint", "under kernel"),
        ("output", "output", "current", "computing"),
    ]
    canvas = _Canvas(header, panels, ["∗", "="], _legend(legend_entries), _texts(xd, wd, values))
    ones = (1,) * d
    scenes = conv_scenes(
        (panels[0], panels[1], panels[2]),
        xd,
        roles,
        wd,
        values,
        dilation=dilations,
        stride=ones,
        groups=groups,
        bias=b,
        mac=o["mac"],
        fits=canvas.fits,
        out_name=out_name,
    )
    values.shape[0]
    if op == "transpose-direct":
        alt = (
            f"Animation in {values.size + 1} frames: a transposed convolution drawn as a direct "
            f"convolution. The {dims(source.shape[1:])} input"
            + (f" ({source.shape[0]} channels)" if source.shape[0] > 1 else "")
            + f" gets {_tuple_text([s - 1 for s in strides])} zero(s) inserted between neighbouring "
            f"cells (dotted cells) and padding (hatched cells), giving {dims(xd.shape[1:])}; the "
            f"flipped {dims(kernel)} kernel slides over it with stride 1 and dilation "
            f"{_tuple_text(dilations)}, giving the {dims(values.shape[1:])} output of "
            f"conv_transpose{d}d with stride {_tuple_text(strides)}, padding {pad_words}"
            + (f" and output_padding {_tuple_text(extra)}" if any(extra) else "")
            + ". "
        )
    else:
        alt = (
            f"Animation in {values.size + 1} frames: the gradient of a correlation with respect "
            f"to its {dims(xa.shape[1:])} input. The {dims(source.shape[1:])} output gradient, with "
            f"zeros inserted for stride {_tuple_text(strides)} and padded to "
            f"{dims(xd.shape[1:])}, is fully convolved with the flipped {dims(kernel)} kernel: "
            f"each input cell collects every output it influenced, weighted by the kernel tap "
            f"that connected them. "
        )
    alt += values_sentence(values, "Gradient" if op == "input-grad" else "Output")

    def from_drawn(torch: Any, F: Any) -> Any:
        bt = None if b is None else to_torch(torch, b, batch=False)
        return _conv_fn(F, d)(
            to_torch(torch, xd),
            to_torch(torch, wd, batch=False),
            bt,
            dilation=dilations,
            groups=groups,
        )[0]

    if op == "transpose-direct":
        reference = f"torch.nn.functional.conv_transpose{d}d"

        def compute(torch: Any, F: Any) -> Any:
            bt = None if b is None else to_torch(torch, b, batch=False)
            fn = getattr(F, f"conv_transpose{d}d")
            return fn(
                to_torch(torch, xa),
                to_torch(torch, w, batch=False),
                bt,
                stride=strides,
                padding=padding,
                output_padding=extra,
                groups=groups,
                dilation=dilations,
            )[0]
    else:
        reference = f"torch.autograd.grad of torch.nn.functional.conv{d}d"

        def compute(torch: Any, F: Any) -> Any:
            xt = to_torch(torch, xa).requires_grad_(True)
            y = _conv_fn(F, d)(
                xt,
                to_torch(torch, w, batch=False),
                stride=strides,
                padding=padding,
                dilation=dilations,
                groups=groups,
            )
            (gx,) = torch.autograd.grad(y, xt, to_torch(torch, source))
            return gx[0]

    checks = {
        "reference": reference,
        "compute": compute,
        "values": values,
        "drawn_text": _final_output_text(scenes[-1], panels[2]),
        "expected_shape": expected,
        "extras": [("output from the drawn grids", values, from_drawn)],
    }
    params = {
        "op": op,
        "x_shape": xa.shape,
        "weight_shape": w.shape,
        "bias": b is not None,
        "stride": strides,
        "padding": padding,
        "output_padding": extra,
        "dilation": dilations,
        "groups": groups,
        "output_shape": values.shape,
    }
    if op == "input-grad":
        params["grad_output"] = source
    return _finish(
        op=op,
        params=params,
        values=values,
        scenes=scenes,
        panels=panels,
        lay=canvas.final(),
        alt=alt,
        verify=o["verify"],
        checks=checks,
    )


def _animate_scatter(
    x: ArrayLike, weight: ArrayLike | None, bias: ArrayLike | None, o: dict
) -> Animation:
    xa, w, d = _conv_inputs(x, weight)
    b = None if bias is None else as_array("bias", bias)
    stride = 1 if o["stride"] is None else o["stride"]
    strides = ntuple("stride", stride, d)
    dilations = ntuple("dilation", o["dilation"], d)
    padding = ntuple("padding", o["padding"], d, minimum=0)
    extra = ntuple("output_padding", o["output_padding"], d, minimum=0)
    groups = check_int("groups", o["groups"])
    if o["padding_mode"] != "zeros":
        raise ValueError(
            f"padding_mode must be 'zeros' for a transposed convolution, got {o['padding_mode']!r}"
        )
    kernel = tuple(w.shape[2:])
    values = ops.conv_transpose(
        xa,
        w,
        b,
        stride=strides,
        padding=padding,
        output_padding=extra,
        groups=groups,
        dilation=dilations,
    )
    out = shapes.conv_transpose_output_size(
        tuple(xa.shape[1:]),
        kernel,
        stride=strides,
        padding=padding,
        output_padding=extra,
        dilation=dilations,
    )
    expected = (w.shape[1] * groups, *out)
    _check_drawable(xa)
    full = shapes.conv_transpose_output_size(
        tuple(xa.shape[1:]), kernel, stride=strides, dilation=dilations
    )
    ext = tuple(max(f, p + oo) for f, p, oo in zip(full, padding, out, strict=True))
    if any(e > MAX_PADDED for e in ext):
        raise ValueError(
            f"the transposed convolution's uncropped output {dims(ext)} has more than {MAX_PADDED} cells along an axis"
        )
    if values.shape[0] > MAX_CHANNELS:
        raise ValueError(
            f"weight gives {values.shape[0]} output channels; at most {MAX_CHANNELS} can be drawn"
        )
    _check_steps(xa.size)
    c_out = values.shape[0]
    inner = tuple(slice(p, p + oo) for p, oo in zip(padding, out, strict=True))
    order = list(np.ndindex(*xa.shape))
    partial = np.zeros((len(order), c_out, *ext), dtype=values.dtype)
    stamps = np.zeros_like(partial)
    mask = np.zeros(xa.shape, dtype=bool)
    region = (slice(None), *(slice(0, f) for f in full))
    for t, idx in enumerate(order):
        mask[idx] = True
        partial[t][region] = ops.conv_transpose(
            np.where(mask, xa, 0), w, stride=strides, groups=groups, dilation=dilations
        )
        one = np.zeros(xa.shape, dtype=bool)
        one[idx] = True
        stamps[t][region] = ops.conv_transpose(
            np.where(one, xa, 0), w, stride=strides, groups=groups, dilation=dilations
        )
    final = partial[-1].copy()
    final[(slice(None), *inner)] = values
    panels = [
        Panel(
            "input",
            "input",
            dims(xa.shape[1:] if xa.shape[0] == 1 else xa.shape),
            xa.shape,
            accent="purple",
        ),
        Panel(
            "kernel",
            "kernel",
            dims(kernel) if w.shape[:2] == (1, 1) else dims(w.shape),
            w.shape,
            lead=2,
            accent="purple",
            row_label="o",
            group_label="c=",
        ),
        Panel(
            "output",
            "output",
            dims(out) + (f" (uncropped {dims(ext)})" if ext != tuple(out) else ""),
            (c_out, *ext),
            accent="purple",
            row_label="o",
        ),
    ]
    header = [
        _TITLES["transpose"],
        _header_params(
            kernel, strides, _tuple_text(padding), dilations, groups=groups, output_padding=extra
        ),
    ]
    legend_entries = [
        ("input", "input", "source", "scattered cell"),
        ("output", "output", "stamp", "receives a stamp (+added)"),
    ]
    if ext != tuple(out):
        legend_entries.append(("output", "cropped", "", "cropped by padding"))
    legend_entries.append(("output", "pending", "", "not reached yet"))
    canvas = _Canvas(
        header,
        panels,
        ["×", "→"],
        _legend(legend_entries),
        _texts(xa, w, partial, stamps, final) | {"+" + t for t in _texts(stamps)},
    )
    scenes = scatter_scenes(
        (panels[0], panels[1], panels[2]),
        xa,
        w,
        partial,
        stamps,
        final,
        inner,
        stride=strides,
        dilation=dilations,
        groups=groups,
        fits=canvas.fits,
    )
    alt = (
        f"Animation in {len(scenes)} frames: a transposed convolution as scatter. Each of the "
        f"{xa.size} cells of the {dims(xa.shape[1:])} input in turn multiplies the {dims(kernel)} "
        f"kernel and adds the result into the output at {_tuple_text(strides)}-cell steps; "
        f"where stamps overlap their contributions add up. The uncropped result is "
        f"{dims(ext)}"
        + (
            f"; padding {_tuple_text(padding)} crops it to {dims(out)} (hatched cells are cropped)"
            if ext != tuple(out)
            else ""
        )
        + ". "
        + values_sentence(values)
    )

    def compute(torch: Any, F: Any) -> Any:
        bt = None if b is None else to_torch(torch, b, batch=False)
        fn = getattr(F, f"conv_transpose{d}d")
        return fn(
            to_torch(torch, xa),
            to_torch(torch, w, batch=False),
            bt,
            stride=strides,
            padding=padding,
            output_padding=extra,
            groups=groups,
            dilation=dilations,
        )[0]

    def uncropped(torch: Any, F: Any) -> Any:
        fn = getattr(F, f"conv_transpose{d}d")
        y = fn(
            to_torch(torch, xa),
            to_torch(torch, w, batch=False),
            stride=strides,
            groups=groups,
            dilation=dilations,
        )[0]
        return F.pad(y, _torch_pads([(0, e - f) for e, f in zip(ext, full, strict=True)]))

    checks = {
        "reference": f"torch.nn.functional.conv_transpose{d}d",
        "compute": compute,
        "values": values,
        "drawn_text": _final_output_text(scenes[-1], panels[2], inner),
        "expected_shape": expected,
        "extras": [("uncropped sum of all stamps", partial[-1], uncropped)],
    }
    params = {
        "op": "transpose",
        "x_shape": xa.shape,
        "weight_shape": w.shape,
        "bias": b is not None,
        "stride": strides,
        "padding": padding,
        "output_padding": extra,
        "dilation": dilations,
        "groups": groups,
        "output_shape": values.shape,
    }
    return _finish(
        op="transpose",
        params=params,
        values=values,
        scenes=scenes,
        panels=panels,
        lay=canvas.final(),
        alt=alt,
        verify=o["verify"],
        checks=checks,
    )


def _pool_geometry(sp, out, ks, ss, ps, ds) -> list[tuple[int, int]]:
    """Padding drawn around the input: the padding, widened for a ceil_mode overhang."""
    pads = []
    for i, oo, k, s, p, dl in zip(sp, out, ks, ss, ps, ds, strict=True):
        reach = (oo - 1) * s + dl * (k - 1) + 1
        pads.append((p, max(p, reach - i - p)))
    return pads


def _animate_pool(
    op: str, x: ArrayLike, kernel_size: object, spatial_dims: int | None, o: dict
) -> Animation:
    xa, d = _pool_input(x, kernel_size, spatial_dims)
    ks = ntuple("kernel_size", kernel_size, d)
    ss = ks if o["stride"] is None else ntuple("stride", o["stride"], d)
    ps = ntuple("padding", o["padding"], d, minimum=0)
    ds = ntuple("dilation", o["dilation"], d)
    if o["padding_mode"] != "zeros":
        raise ValueError(f"padding_mode is not used by pooling; got {o['padding_mode']!r}")
    ceil_mode = o["ceil_mode"]
    out = shapes.pool_output_size(
        tuple(xa.shape[1:]), ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode
    )
    if op == "max-pool":
        values, indices = pooling.max_pool(
            xa,
            ks,
            stride=ss,
            padding=ps,
            dilation=ds,
            ceil_mode=ceil_mode,
            return_indices=True,
            ndim=d,
        )
    else:
        if any(v != 1 for v in ds):
            raise ValueError(
                f"dilation must be 1 for average pooling (torch has none), got {o['dilation']!r}"
            )
        values = pooling.avg_pool(
            xa,
            ks,
            stride=ss,
            padding=ps,
            ceil_mode=ceil_mode,
            count_include_pad=o["count_include_pad"],
            ndim=d,
        )
        indices = None
    pads = _pool_geometry(xa.shape[1:], out, ks, ss, ps, ds)
    if op == "max-pool":
        xp = _core.pad(xa.astype(np.float64), pads, value=-np.inf)
    else:
        xp = _core.pad(xa, pads)
    _check_drawable(xa, extent=xp.shape[1:])
    _check_steps(values.size)
    roles = np.empty(xp.shape, dtype=object)
    roles[...] = "padding"
    roles[
        (slice(None), *(slice(b, b + s) for (b, _), s in zip(pads, xa.shape[1:], strict=True)))
    ] = "input"
    counted = None
    if op == "avg-pool":
        # The average counts the input, and the padding with count_include_pad,
        # never the ceil_mode overhang past the padding.
        counted = np.zeros(xp.shape, dtype=bool)
        keep = o["count_include_pad"]
        counted[
            (
                slice(None),
                *(
                    slice(0 if keep else b, b + s + (p if keep else 0))
                    for (b, _), s, p in zip(pads, xa.shape[1:], ps, strict=True)
                ),
            )
        ] = True
    chosen = None
    if indices is not None:
        coords = np.stack(np.unravel_index(indices, xa.shape[1:]), axis=-1)
        chosen = coords + np.array([b for b, _ in pads])
    c = xa.shape[0]
    has_pad = any(a or b for a, b in pads)
    in_sub = dims(xa.shape[1:] if c == 1 else xa.shape) + (
        f", padded to {dims(xp.shape[1:])}" if has_pad else ""
    )
    panels = [
        Panel("input", "input", in_sub, xp.shape, accent="orange"),
        Panel(
            "output",
            "output",
            dims(values.shape[1:] if c == 1 else values.shape),
            values.shape,
            accent="green",
        ),
    ]
    header = [
        _TITLES[op],
        _header_params(ks, ss, _tuple_text(ps), ds if op == "max-pool" else None)
        + ("   ceil_mode" if ceil_mode else "")
        + (
            "   count_include_pad=False" if op == "avg-pool" and not o["count_include_pad"] else ""
        ),
    ]
    legend_entries = [("input", "input", "", "input")]
    if has_pad:
        legend_entries.append(
            ("input", "padding", "", "padding (−∞)" if op == "max-pool" else "padding")
        )
    legend_entries.append(("input", "input", "footprint", "window"))
    if op == "max-pool":
        legend_entries.append(("input", "input", "chosen", "the maximum"))
    legend_entries.append(("output", "output", "current", "being computed"))
    canvas = _Canvas(header, panels, ["→"], _legend(legend_entries), _texts(xp, values))
    scenes = pool_scenes(
        (panels[0], panels[1]),
        xp,
        roles,
        values,
        window=ks,
        stride=ss,
        dilation=ds,
        chosen=chosen,
        counted=counted,
        reduce_name="max" if op == "max-pool" else "mean",
        mac=o["mac"],
        fits=canvas.fits,
    )
    word = "largest" if op == "max-pool" else "average"
    alt = (
        f"Animation in {len(scenes)} frames: a {dims(ks)} window slides over a "
        f"{dims(xa.shape[1:])} input"
        + (f" with {c} channels, each pooled separately" if c > 1 else "")
        + f" with stride {_tuple_text(ss)}"
        + (
            f" and padding {_tuple_text(ps)} (hatched cells"
            + (
                ", which hold minus infinity and are never chosen)"
                if op == "max-pool"
                else ", counted as zeros)"
                if o["count_include_pad"]
                else ", not counted)"
            )
            if has_pad
            else ""
        )
        + f"; each output cell is the {word} of the values in its window"
        + ("; the chosen cell is ringed" if op == "max-pool" else "")
        + f". The output is {dims(values.shape[1:])}. "
        + values_sentence(values)
    )
    fn_name = f"{'max' if op == 'max-pool' else 'avg'}_pool{d}d"

    def compute(torch: Any, F: Any) -> Any:
        fn = getattr(F, fn_name)
        xt = to_torch(torch, xa)
        if op == "max-pool":
            return fn(xt, ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode)[0]
        return fn(
            xt,
            ks,
            stride=ss,
            padding=ps,
            ceil_mode=ceil_mode,
            count_include_pad=o["count_include_pad"],
        )[0]

    extras: list = []
    if op == "max-pool":

        def torch_indices(torch: Any, F: Any) -> Any:
            fn = getattr(F, fn_name)
            return fn(
                to_torch(torch, xa),
                ks,
                stride=ss,
                padding=ps,
                dilation=ds,
                ceil_mode=ceil_mode,
                return_indices=True,
            )[1][0]

        def from_drawn(torch: Any, F: Any) -> Any:
            return getattr(F, fn_name)(to_torch(torch, xp), ks, stride=ss, dilation=ds)[0]

        extras = [
            ("max indices", indices, torch_indices),
            ("output from the drawn grid", values, from_drawn),
        ]
    elif o["count_include_pad"] and not ceil_mode:

        def from_drawn(torch: Any, F: Any) -> Any:
            return getattr(F, fn_name)(to_torch(torch, xp), ks, stride=ss)[0]

        extras = [("output from the drawn grid", values, from_drawn)]
    checks = {
        "reference": f"torch.nn.functional.{fn_name}",
        "compute": compute,
        "values": values,
        "drawn_text": _final_output_text(scenes[-1], panels[1]),
        "expected_shape": (c, *out),
        "extras": extras,
    }
    params = {
        "op": op,
        "x_shape": xa.shape,
        "kernel_size": ks,
        "stride": ss,
        "padding": ps,
        "dilation": ds,
        "ceil_mode": ceil_mode,
        "output_shape": values.shape,
    }
    if op == "avg-pool":
        params["count_include_pad"] = o["count_include_pad"]
    return _finish(
        op=op,
        params=params,
        values=values,
        scenes=scenes,
        panels=panels,
        lay=canvas.final(),
        alt=alt,
        verify=o["verify"],
        checks=checks,
    )


def _animate_global(op: str, x: ArrayLike, spatial_dims: int | None, o: dict) -> Animation:
    xa, d = _pool_input(x, None, spatial_dims)
    sp = tuple(xa.shape[1:])
    _check_drawable(xa)
    if op == "global-max-pool":
        values = pooling.global_max_pool(xa, ndim=d)
        _, indices = pooling.max_pool(xa, sp, return_indices=True, ndim=d)
        chosen = np.stack(np.unravel_index(indices, sp), axis=-1)
    else:
        values = pooling.global_avg_pool(xa, ndim=d)
        chosen = None
    c = xa.shape[0]
    roles = np.empty(xa.shape, dtype=object)
    roles[...] = "input"
    panels = [
        Panel("input", "input", dims(xa.shape), xa.shape, accent="orange"),
        Panel("output", "output", dims(values.shape), values.shape, accent="green"),
    ]
    header = [_TITLES[op], f"window = the whole {dims(sp)} map   one value per channel"]
    legend_entries = [("input", "input", "footprint", "pooled map")]
    if chosen is not None:
        legend_entries.append(("input", "input", "chosen", "the maximum"))
    legend_entries.append(("output", "output", "current", "being computed"))
    canvas = _Canvas(header, panels, ["→"], _legend(legend_entries), _texts(xa, values))
    ones = (1,) * d
    scenes = pool_scenes(
        (panels[0], panels[1]),
        xa,
        roles,
        values,
        window=sp,
        stride=ones,
        dilation=ones,
        chosen=chosen,
        reduce_name="max" if op == "global-max-pool" else "mean",
        mac=o["mac"],
        fits=canvas.fits,
    )
    word = "largest value" if op == "global-max-pool" else "mean"
    alt = (
        f"Animation in {len(scenes)} frames: global {'max' if op == 'global-max-pool' else 'average'} "
        f"pooling of {c} feature map{'s' if c > 1 else ''} of {dims(sp)}: each whole map is "
        f"reduced to its {word}, giving one value per channel. "
        + values_sentence(values.reshape(1, -1), "Output")
    )
    fn_name = f"adaptive_{'max' if op == 'global-max-pool' else 'avg'}_pool{d}d"

    def compute(torch: Any, F: Any) -> Any:
        return getattr(F, fn_name)(to_torch(torch, xa), 1)[0]

    checks = {
        "reference": f"torch.nn.functional.{fn_name}(x, 1)",
        "compute": compute,
        "values": values,
        "drawn_text": _final_output_text(scenes[-1], panels[1]),
        "expected_shape": (c, *(1,) * d),
        "extras": [],
    }
    params = {"op": op, "x_shape": xa.shape, "output_shape": values.shape}
    return _finish(
        op=op,
        params=params,
        values=values,
        scenes=scenes,
        panels=panels,
        lay=canvas.final(),
        alt=alt,
        verify=o["verify"],
        checks=checks,
    )


def _animate_route(
    x: ArrayLike,
    kernel_size: object,
    grad_output: ArrayLike | None,
    spatial_dims: int | None,
    o: dict,
) -> Animation:
    xa, d = _pool_input(x, kernel_size, spatial_dims)
    ks = ntuple("kernel_size", kernel_size, d)
    ss = ks if o["stride"] is None else ntuple("stride", o["stride"], d)
    ps = ntuple("padding", o["padding"], d, minimum=0)
    ds = ntuple("dilation", o["dilation"], d)
    ceil_mode = o["ceil_mode"]
    out = shapes.pool_output_size(
        tuple(xa.shape[1:]), ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode
    )
    _, indices = pooling.max_pool(
        xa,
        ks,
        stride=ss,
        padding=ps,
        dilation=ds,
        ceil_mode=ceil_mode,
        return_indices=True,
        ndim=d,
    )
    c = xa.shape[0]
    if grad_output is None:
        grad_output = np.arange(1, c * int(np.prod(out)) + 1).reshape(c, *out)
    g = _unbatch("grad_output", as_array("grad_output", grad_output), d)
    opts = {"stride": ss, "padding": ps, "dilation": ds, "ceil_mode": ceil_mode, "ndim": d}
    final = grad.max_pool_grad(xa, g, ks, **opts)
    pads = _pool_geometry(xa.shape[1:], out, ks, ss, ps, ds)
    xp = _core.pad(xa.astype(np.float64), pads, value=-np.inf)
    _check_drawable(xa, extent=xp.shape[1:])
    _check_steps(g.size)
    roles = np.empty(xp.shape, dtype=object)
    roles[...] = "padding"
    roles[
        (slice(None), *(slice(b, b + s) for (b, _), s in zip(pads, xa.shape[1:], strict=True)))
    ] = "input"
    offset = [b for b, _ in pads]
    chosen = np.stack(np.unravel_index(indices, xa.shape[1:]), axis=-1) + np.array(offset)
    order = list(np.ndindex(*g.shape))
    partial = np.zeros((len(order), *final.shape), dtype=final.dtype)
    mask = np.zeros(g.shape, dtype=bool)
    for t, idx in enumerate(order):
        mask[idx] = True
        partial[t] = grad.max_pool_grad(xa, np.where(mask, g, 0), ks, **opts)
    sub = lambda shape: dims(shape[1:] if c == 1 else shape)
    panels = [
        Panel(
            "input",
            "input",
            sub(xa.shape) + (f", padded to {dims(xp.shape[1:])}" if xp.shape != xa.shape else ""),
            xp.shape,
            accent="orange",
        ),
        Panel("grad_output", "grad output", sub(g.shape), g.shape, accent="orange"),
        Panel("grad_input", "grad input", sub(final.shape), final.shape, accent="orange"),
    ]
    header = [
        _TITLES["max-pool-grad"],
        _header_params(ks, ss, _tuple_text(ps), ds) + ("   ceil_mode" if ceil_mode else ""),
    ]
    legend_entries = [
        ("input", "input", "footprint", "window"),
        ("input", "input", "chosen", "its maximum"),
        ("grad_output", "input", "source", "routed gradient"),
        ("grad_input", "output", "stamp", "receives it"),
    ]
    canvas = _Canvas(
        header,
        panels,
        ["", "→"],
        _legend(legend_entries),
        _texts(xp, g, partial) | {"+" + t for t in _texts(g)},
    )
    scenes = route_scenes(
        (panels[0], panels[1], panels[2]),
        xp,
        roles,
        g,
        partial,
        final,
        chosen,
        offset,
        window=ks,
        stride=ss,
        dilation=ds,
        fits=canvas.fits,
    )
    alt = (
        f"Animation in {len(scenes)} frames: the gradient of {dims(ks)} max pooling with stride "
        f"{_tuple_text(ss)} over a {dims(xa.shape[1:])} input. Each of the {g.size} output "
        f"gradients is sent whole to the input cell that was the maximum of its window (ringed); "
        f"every other input cell gets zero, and a cell that is the maximum of several windows "
        f"collects their sum. " + values_sentence(final, "Gradient")
    )
    fn_name = f"max_pool{d}d"

    def compute(torch: Any, F: Any) -> Any:
        xt = to_torch(torch, xa).requires_grad_(True)
        y = getattr(F, fn_name)(xt, ks, stride=ss, padding=ps, dilation=ds, ceil_mode=ceil_mode)
        (gx,) = torch.autograd.grad(y, xt, to_torch(torch, g))
        return gx[0]

    def torch_indices(torch: Any, F: Any) -> Any:
        return getattr(F, fn_name)(
            to_torch(torch, xa),
            ks,
            stride=ss,
            padding=ps,
            dilation=ds,
            ceil_mode=ceil_mode,
            return_indices=True,
        )[1][0]

    checks = {
        "reference": f"torch.autograd.grad of torch.nn.functional.{fn_name}",
        "compute": compute,
        "values": final,
        "drawn_text": _final_output_text(scenes[-1], panels[2]),
        "expected_shape": xa.shape,
        "extras": [
            ("max indices", indices, torch_indices),
            ("sum of all routed gradients", partial[-1], compute),
        ],
    }
    params = {
        "op": "max-pool-grad",
        "x_shape": xa.shape,
        "kernel_size": ks,
        "stride": ss,
        "padding": ps,
        "dilation": ds,
        "ceil_mode": ceil_mode,
        "grad_output": g,
        "output_shape": final.shape,
    }
    return _finish(
        op="max-pool-grad",
        params=params,
        values=final,
        scenes=scenes,
        panels=panels,
        lay=canvas.final(),
        alt=alt,
        verify=o["verify"],
        checks=checks,
    )
