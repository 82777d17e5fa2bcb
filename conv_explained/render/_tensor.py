"""The tensor view: a 2-D convolution or pooling :class:`~._pipeline.Figure` as C×H×W blocks.

The family specs compute the figure exactly as for the grid view (the padded,
zero-inserted or pooled input grid with its roles, the filters as applied,
the result, the counted cells and divisors of average pooling). This module
only arranges those arrays into :class:`TensorFrame` records, one per output
cell and a final one: which input channels, rows and columns the window
covers, which output cell is lit, and the caption. The per-channel partial
sums of a convolution caption are the package's own correlation of one drawn
input channel with one filter channel; they are checked to add up (with the
bias) to the operator's result.

:func:`stage` draws the frames (:mod:`._tensor_draw`), records every number
drawn on a block face, and returns the checks that compare each of them, and
each caption's terms, with torch (float64) before any file is written.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from .. import ops
from . import _iso, _text
from . import _references as refs
from ._captions import ROUNDING, number
from ._format import MINUS, format_value
from ._model import Cell, Scene
from ._pipeline import Figure
from ._verify import VerificationError
from .alt import dims, values_sentence

__all__ = ["TENSOR_KINDS", "TensorFrame", "stage", "tensor_frames"]

#: Figure kinds the tensor view draws (sliding kernels and windowed pooling).
TENSOR_KINDS = ("slide", "pool")

Index3 = tuple[int, int, int]


@dataclass(frozen=True, eq=False)
class TensorFrame:
    """Everything one frame of the tensor view shows (no pixels).

    The arrays are shared between the frames of one animation; ``written``
    and the window fields are per frame.

    Attributes
    ----------
    op : str
        The operation (a key of :data:`~.animation.OPS`).
    x : numpy.ndarray
        ``(C_in, Hp, Wp)``: the input as the operator reads it (padded;
        zero-inserted for a transposed convolution).
    padding_mask, inserted_mask : numpy.ndarray
        Padding cells and inserted zeros of ``x`` (``inserted_mask`` is None
        when there are none).
    filters : numpy.ndarray or None
        ``(C_out, C_in/groups, kh, kw)`` as applied; None for pooling.
    output : numpy.ndarray
        ``(C_out, H′, W′)``: the operator's result.
    written : numpy.ndarray
        Output cells shown in this frame.
    groups : int
        Channel groups (the channel count for pooling).
    window_channels, window_rows, window_cols : tuple of int
        The window: input channels (the lit cell's group) and rows and
        columns of ``x``.
    lit : tuple of int or None
        ``(o, i, j)`` written in this frame; None on the final frame.
    terms : tuple of str
        The caption's terms as drawn: per-channel partial sums (and the bias)
        for a convolution, the window's (counted) values for pooling.
    caption : str
        The line under the blocks, as plain text (the frame's text for readers).
    step : int or None
        Index of the output cell, None on the final frame.
    """

    op: str
    x: np.ndarray
    padding_mask: np.ndarray
    inserted_mask: np.ndarray | None
    filters: np.ndarray | None
    output: np.ndarray
    written: np.ndarray
    groups: int
    window_channels: tuple[int, ...]
    window_rows: tuple[int, ...]
    window_cols: tuple[int, ...]
    lit: Index3 | None
    terms: tuple[str, ...]
    caption: str
    step: int | None
    #: ``caption`` in the markup of :mod:`._text` (``Σ_{c}``), as drawn; empty: ``caption``.
    typeset: str = ""

    @property
    def filter_index(self) -> int | None:
        """The filter in use (the lit cell's output channel), None for pooling or the end."""
        if self.filters is None or self.lit is None:
            return None
        return self.lit[0]

    @property
    def direct(self) -> bool:
        """Whether this is a transposed convolution drawn as its direct correlation."""
        return self.op.startswith("transpose")


def _term(text: str) -> str:
    return f"({text})" if text.startswith(MINUS) else text


def _pair(values: Sequence[int]) -> tuple[int, int]:
    a, b = (int(v) for v in values)
    return a, b


def tensor_frames(fig: Figure, mac: bool | int = True) -> list[TensorFrame]:
    """The frames of ``fig`` in the tensor view: one per output cell, then the final one.

    Raises
    ------
    ValueError
        If the figure is not a 2-D sliding kernel or windowed pooling.
    VerificationError
        If the per-channel partial sums do not add up to the operator's result.
    """
    grid = np.asarray(fig.data["grid"])
    if fig.kind not in TENSOR_KINDS:
        raise ValueError(f"view 'tensor' cannot draw {fig.op!r}; use view='grid'")
    if grid.ndim != 3:
        axes = grid.ndim - 1
        raise ValueError(
            f"view 'tensor' draws 2-D operations as C×H×W blocks; this {fig.op!r} has "
            f"{axes} spatial {'axis' if axes == 1 else 'axes'} (use view='grid')"
        )
    roles = np.broadcast_to(np.asarray(fig.data["roles"], dtype=object), grid.shape)
    inserted = roles == "inserted"
    base: dict[str, Any] = {
        "op": fig.op,
        "x": grid,
        "padding_mask": np.asarray(roles == "padding"),
        "inserted_mask": np.asarray(inserted) if inserted.any() else None,
        "output": np.asarray(fig.values),
    }
    steps = _conv_steps(fig, grid, mac) if fig.kind == "slide" else _pool_steps(fig, grid, mac)
    frames = []
    written = np.zeros(fig.values.shape, dtype=bool)
    for n, step in enumerate(steps):
        written = written.copy()
        written[step["lit"]] = True
        frames.append(TensorFrame(**base, **step, written=written, step=n))
    end = "each channel pooled on its own" if fig.kind == "pool" else "one channel per filter"
    frames.append(
        TensorFrame(
            **{
                **base,
                **steps[-1],
                "written": np.ones(fig.values.shape, dtype=bool),
                "window_channels": (),
                "window_rows": (),
                "window_cols": (),
                "lit": None,
                "terms": (),
                "caption": f"output {dims(fig.values.shape)}: {end}",
                "step": None,
            }
        )
    )
    return frames


def _partials(fig: Figure, grid: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """``(C_out, C_in/g, H′, W′)``: each output cell's per-channel terms, from the operator."""
    values, data = np.asarray(fig.values), fig.data
    c_out, cg = kernel.shape[:2]
    per = c_out // data["groups"]
    geometry = {"stride": data["stride"], "dilation": data["dilation"]}
    parts = np.stack(
        [
            np.stack(
                [
                    ops.correlate(
                        grid[(o // per) * cg + k][None], kernel[o, k][None, None], **geometry
                    )[0]
                    for k in range(cg)
                ]
            )
            for o in range(c_out)
        ]
    )
    bias = data.get("bias")
    total = parts.sum(axis=1) + (0 if bias is None else np.reshape(bias, (-1, 1, 1)))
    scale = max(1.0, float(np.abs(values).max(initial=0.0)))
    if not np.allclose(total, values, rtol=0, atol=1e-9 * scale):
        raise VerificationError(
            "the per-channel partial sums do not add up to the operator's output "
            f"(largest difference {float(np.abs(total - values).max())})"
        )
    return parts


def _conv_steps(fig: Figure, grid: np.ndarray, mac: bool | int) -> list[dict[str, Any]]:
    data, values = fig.data, np.asarray(fig.values)
    kernel = np.asarray(data["kernel"])
    parts = _partials(fig, grid, kernel)
    c_out, cg, kh, kw = kernel.shape
    per = c_out // data["groups"]
    (sh, sw), (dh, dw) = _pair(data["stride"]), _pair(data["dilation"])
    bias = data.get("bias")
    direct = fig.op.startswith("transpose")
    sym = "∗" if fig.op == "convolve" else "⋆"
    x_name, w_name = ("x̃", "w̃") if direct else ("x", "w")
    steps = []
    for o, i, j in np.ndindex(*values.shape):
        first = (o // per) * cg
        chans = tuple(range(first, first + cg))
        terms = tuple(format_value(p) for p in parts[o, :, i, j])
        if bias is not None:
            terms += (format_value(np.reshape(bias, -1)[o]),)
        head = "Σ_c" if cg == grid.shape[0] else "Σ_{c∈{" + ",".join(map(str, chans)) + "}}"
        # The filter of output o holds its group's cg channels at 0..cg-1:
        # input channel c is its channel c - first.
        tap = "c" if first == 0 else f"c−{first}"
        lead = f"out[{o}, {i}, {j}] = {head} ({x_name}[c] {sym} {w_name}[{o}, {tap}]) = "
        shown = " + ".join(_term(t) for t in terms[:cg])
        if bias is not None:
            shown += f" + {_term(terms[-1])} (bias)"
        if mac is False or len(terms) == 1:
            typeset = lead + format_value(values[o, i, j])
        else:
            typeset = f"{lead}{shown} = {format_value(values[o, i, j])}"
        steps.append(
            {
                "filters": kernel,
                "groups": int(data["groups"]),
                "window_channels": chans,
                "window_rows": tuple(i * sh + dh * u for u in range(kh)),
                "window_cols": tuple(j * sw + dw * v for v in range(kw)),
                "lit": (o, i, j),
                "terms": terms,
                "caption": _text.plain(typeset),
                "typeset": typeset,
            }
        )
    return steps


def _pool_steps(fig: Figure, grid: np.ndarray, mac: bool | int) -> list[dict[str, Any]]:
    data, values = fig.data, np.asarray(fig.values)
    kh, kw = _pair(data["window"])
    (sh, sw), (dh, dw) = _pair(data["stride"]), _pair(data["dilation"])
    is_max = fig.reduce == "max"
    counted = None if is_max else np.broadcast_to(data["counted"], grid.shape)
    divisor = None if is_max else np.broadcast_to(data["divisor"], values.shape)
    steps = []
    for c, i, j in np.ndindex(*values.shape):
        rows = tuple(r for u in range(kh) if (r := i * sh + dh * u) < grid.shape[1])
        cols = tuple(q for v in range(kw) if (q := j * sw + dw * v) < grid.shape[2])
        cells = [(c, r, q) for r in rows for q in cols]
        if counted is not None:
            cells = [cell for cell in cells if counted[cell]]
        terms = tuple(format_value(grid[cell]) for cell in cells)
        result = format_value(values[c, i, j])
        if divisor is None:
            body = f"max({', '.join(terms)})"
        else:
            n = int(divisor[c, i, j])
            if n != len(terms):
                raise VerificationError(
                    f"average pooling's divisor {n} at ({c}, {i}, {j}) is not the "
                    f"{len(terms)} counted cells drawn"
                )
            total = " + ".join(_term(t) for t in terms)
            body = f"({total}) / {n}" if len(terms) > 1 else f"{total} / {n}"
        caption = f"out[{c}, {i}, {j}] = " + (result if mac is False else f"{body} = {result}")
        steps.append(
            {
                "filters": None,
                "groups": grid.shape[0],
                "window_channels": (c,),
                "window_rows": rows,
                "window_cols": cols,
                "lit": (c, i, j),
                "terms": terms,
                "caption": caption,
            }
        )
    return steps


# --------------------------------------------------------------------------
# Staging: draw, record, and say how torch checks what was drawn
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class TensorStage:
    """The drawn tensor view: scenes (records of every drawn text), images, checks."""

    scenes: list[Scene]
    images: list[Image.Image]
    drawn_output: np.ndarray
    checks: list[tuple[Any, ...]]
    alt: str
    boxes: dict[str, tuple[int, int, int, int]]


def _panel_of(block: str) -> tuple[str, tuple[int, ...]]:
    if block.startswith("filter "):
        return "kernel", (int(block.split()[1]),)
    return block, ()


def _scene(frame: TensorFrame, drawn: Sequence[_iso.Drawn]) -> Scene:
    cells = []
    for rec in drawn:
        panel, lead = _panel_of(rec.block)
        role = {"input": "input", "kernel": "kernel"}.get(panel, "output")
        cells.append(Cell(panel, (*lead, *rec.index), rec.text, role))
    return Scene(tuple(cells), frame.caption, frame.step, (frame.caption,), frame.terms)


def stage(fig: Figure, mac: bool | int) -> TensorStage:
    """Draw ``fig`` in the tensor view and list the torch checks of everything drawn."""
    from ._tensor_draw import draw_tensor_frame, tensor_layout

    frames = tensor_frames(fig, mac)
    lay = tensor_layout(frames)
    drawn = [draw_tensor_frame(f, lay) for f in frames]
    scenes = [_scene(f, rec) for f, (_, rec) in zip(frames, drawn, strict=True)]
    out = np.empty(fig.values.shape, dtype=object)  # None: hidden, not drawn
    for cell in scenes[-1].panel_cells("output"):
        out[cell.index] = cell.text
    return TensorStage(
        scenes=scenes,
        images=[im for im, _ in drawn],
        drawn_output=out,
        checks=_checks(fig, frames, scenes),
        alt=tensor_alt(frames),
        boxes=dict(lay.boxes),
    )


def _checks(
    fig: Figure, frames: Sequence[TensorFrame], scenes: Sequence[Scene]
) -> list[tuple[Any, ...]]:
    """``run_checks`` extras: every drawn block number and every caption term vs torch."""
    panels = dict(fig.reference.panels)
    panels["output"] = fig.reference.compute
    arrays = {"input": fig.data["grid"], "kernel": fig.data.get("kernel"), "output": fig.values}
    checks: list[tuple[Any, ...]] = []
    for name, array in arrays.items():
        cells = [c for s in scenes for c in s.panel_cells(name)]
        if not cells:
            continue
        if name not in panels:
            raise ValueError(f"{fig.op!r} has no torch reference for its drawn {name}")
        checks.append(
            (
                f"tensor view: drawn {name} numbers",
                np.array([number(c.text) for c in cells], dtype=np.float64),
                functools.partial(
                    refs.gathered, compute=panels[name], indices=[c.index for c in cells]
                ),
                0.0 if np.asarray(array).dtype.kind in "iub" else ROUNDING,
            )
        )
    if fig.kind == "slide":
        checks.append(_partial_check(fig, frames, panels, 0.0 if fig.exact else ROUNDING))
    return checks


def _partial_check(
    fig: Figure, frames: Sequence[TensorFrame], panels: dict[str, Any], slack: float
) -> tuple[Any, ...]:
    kernel = np.asarray(fig.data["kernel"])
    read = np.zeros((kernel.shape[0], kernel.shape[1], *fig.values.shape[1:]))
    for f in frames:
        if f.lit is not None:
            o, i, j = f.lit
            read[o, :, i, j] = [number(t) for t in f.terms[: kernel.shape[1]]]
    return (
        "tensor view: caption partial sums per channel",
        read,
        functools.partial(
            refs.channel_partials,
            grid=panels["input"],
            kernel=panels["kernel"],
            stride=fig.data["stride"],
            dilation=fig.data["dilation"],
            groups=fig.data["groups"],
        ),
        slack,
    )


def count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def tensor_alt(frames: Sequence[TensorFrame]) -> str:
    """What a tensor-view animation shows, for screen readers."""
    first = frames[0]
    c_in, h, w = first.x.shape
    n = len(frames)
    if first.filters is None:
        kind = "max" if first.op.startswith("max") else "average"
        lead = (
            f"Tensor view of {kind} pooling in {n} frames: the input block {c_in}×{h}×{w} "
            f"(channels × rows × columns, padding included) is pooled channel by channel; "
            f"a window moves through one channel at a time and writes one cell of the "
            f"output block {dims(first.output.shape)}."
        )
    else:
        c_out, cg, kh, kw = first.filters.shape
        kind = (
            "transposed convolution, drawn as the direct correlation it equals (zeros "
            "inserted between the input cells, flipped filters)"
            if first.direct
            else "convolution layer"
        )
        lead = (
            f"Tensor view of a 2-D {kind} in {n} frames: the input block {c_in}×{h}×{w} "
            f"(channels × rows × columns, padding included) meets "
            f"{count(c_out, 'filter block')} of {cg}×{kh}×{kw}; with groups={first.groups} "
            f"each filter spans {cg} of the {c_in} input channels, and each filter makes one "
            f"channel of the output block {dims(first.output.shape)}. Each step's caption "
            f"adds up the per-channel partial sums."
        )
    return f"{lead} {values_sentence(first.output)}"
