"""Pixels of the tensor view: blocks, panel titles, notes and caption of one frame.

:func:`tensor_layout` computes the geometry shared by every frame and draws
the static background; :func:`draw_tensor_frame` draws one
:class:`~._tensor.TensorFrame` and returns the record of every number it
drew on a block face (:class:`._iso.Drawn`), which the checks read.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from . import _iso, _text
from ._draw import (
    INDEX,
    LABEL_SIZE,
    MARGIN,
    MIN_CELL,
    MIN_WIDTH,
    PANEL_GAP,
    TITLE_SIZE,
    VALUE_SIZE,
    font,
    new_image,
    text_width,
    tile,
)
from ._format import format_array
from ._tensor import TensorFrame, count
from .alt import dims

#: Captions widen the frame up to this many pixels.
MAX_CAPTION = 1120

__all__ = ["TensorLayout", "draw_tensor_frame", "tensor_layout"]


# ---------------------------------------------------------------- drawing


@dataclass(frozen=True)
class TensorLayout:
    """Pixel geometry shared by every frame of one tensor-view animation."""

    size: tuple[int, int]
    style: _iso.BlockStyle
    input_xy: tuple[int, int]
    filter_xy: tuple[tuple[int, int], ...]
    output_xy: tuple[int, int]
    notes_y: int
    caption_xy: tuple[int, int]
    background: Image.Image
    #: Panel name -> ``(left, top, right, bottom)`` of its block(s), left to right.
    boxes: tuple[tuple[str, tuple[int, int, int, int]], ...] = ()


_TITLES = {
    "correlate": "conv2d as a tensor operation: cross-correlation",
    "convolve": "True convolution as a tensor operation: filters flipped",
    "max-pool": "Max pooling as a tensor operation: each channel on its own",
    "transpose": "Transposed convolution as a tensor operation: the direct view",
    "transpose-direct": "Transposed convolution as a tensor operation: the direct view",
    "avg-pool": "Average pooling as a tensor operation: each channel on its own",
}


def _header(first: TensorFrame) -> list[str]:
    c_in, hp, wp = first.x.shape
    c_out = first.output.shape[0]
    if first.filters is None:
        return [
            _TITLES[first.op],
            f"x {c_in}×{hp}×{wp} (padding included) → {dims(first.output.shape)}",
        ]
    _, cg, kh, kw = first.filters.shape
    return [
        _TITLES[first.op],
        (
            f"{count(c_out, 'filter')} of {cg}×{kh}×{kw} · groups={first.groups} · "
            f"each filter spans {cg} of {c_in} input channels"
        ),
    ]


def _filter_grid(first: TensorFrame, style: _iso.BlockStyle) -> tuple[int, int, int, int, int]:
    """Filter box width and height (label included), grid columns, grid width and height."""
    if first.filters is None:
        return 0, 0, 1, 0, 0
    n = first.filters.shape[0]
    cols = 1 if n <= 2 else 2
    fw, fh = _iso.block_extent(first.filters.shape[1:], style)
    fh += LABEL_SIZE + 8
    rows = -(-n // cols)
    return fw, fh, cols, cols * fw + (cols - 1) * 16, rows * fh + (rows - 1) * 10


def _panel_widths(titles: list[tuple[str, ...]], extents: Sequence[int]) -> list[int]:
    """Width of the input, filter and output panels (0 for a missing panel)."""
    widths = []
    for (title, sub), extent in zip(titles, extents, strict=True):
        if not extent:
            widths.append(0)
            continue
        w = max(extent, _text.width(title, TITLE_SIZE, True), _text.width(sub, LABEL_SIZE))
        widths.append(max(w, 150))
    return widths


def _centred(
    d: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, bold: bool = False
) -> None:
    colour = INDEX["black"] if bold else INDEX["text"]
    _text.draw(d, xy, text, size=size, bold=bold, fill=colour, anchor="ma")


def _draw_panels(
    im: Image.Image,
    first: TensorFrame,
    centres: Sequence[int | None],
    widths: Sequence[int],
    top: int,
    mid_y: int,
) -> None:
    """Panel titles and the operator symbols between the panels."""
    d = ImageDraw.Draw(im)
    for centre, (title, sub) in zip(centres, _panel_titles(first), strict=True):
        if centre is not None:
            _centred(d, (centre, top), title, TITLE_SIZE, bold=True)
            _centred(d, (centre, top + TITLE_SIZE + 6), sub, LABEL_SIZE)
    symbols = ["∗" if first.op == "convolve" else "⋆", "="] if first.filters is not None else ["→"]
    spans = [(c - w // 2, c + w // 2) for c, w in zip(centres, widths, strict=True) if c]
    for (_, right), (left, _), sym in zip(spans, spans[1:], symbols, strict=False):
        d.text(
            ((right + left) // 2, mid_y),
            sym,
            font=font(26 if sym == "⋆" else 22, True),
            fill=INDEX["black"],
            anchor="mm",
        )


def tensor_layout(frames: Sequence[TensorFrame]) -> TensorLayout:
    """Compute the geometry and draw the static background of a tensor-view animation."""
    first = frames[0]
    texts = list(format_array(first.x).ravel()) + list(format_array(first.output).ravel())
    if first.filters is not None:
        texts += list(format_array(first.filters).ravel())
    style, faces_note = _style(first, texts)
    cell = style.cell
    in_w, in_h = _iso.block_extent(first.x.shape, style)
    out_w, out_h = _iso.block_extent(first.output.shape, style)
    fw, fh, cols, filt_w, filt_h = _filter_grid(first, style)
    widths = _panel_widths(_panel_titles(first), (in_w, filt_w, out_w))
    content_w = sum(w for w in widths if w) + PANEL_GAP * (sum(1 for w in widths if w) - 1)
    header = _header(first)
    width = max(
        MIN_WIDTH,
        content_w + 2 * MARGIN,
        min(max(_text.width(_typeset(f)) for f in frames), MAX_CAPTION) + 2 * MARGIN,
        max(text_width(t, LABEL_SIZE) for f in frames for t in _note_text(f)) + 2 * MARGIN,
        max(_text.width(h, TITLE_SIZE, True) for h in header) + 2 * MARGIN,
        text_width(faces_note, LABEL_SIZE) + 2 * MARGIN,
    )
    top = MARGIN + TITLE_SIZE + 8 + LABEL_SIZE + 14
    block_top = top + TITLE_SIZE + 6 + LABEL_SIZE + 10
    grid_h = max(in_h, out_h, filt_h)
    notes_y = block_top + grid_h + 8
    caption_y = notes_y + 2 * (LABEL_SIZE + 6) + 8
    legend_y = caption_y + VALUE_SIZE + 14
    note_h = LABEL_SIZE + 6 if faces_note else 0
    im = new_image((width, legend_y + cell // 2 + 4 + note_h + MARGIN))
    d = ImageDraw.Draw(im)
    _centred(d, (width // 2, MARGIN), header[0], TITLE_SIZE, bold=True)
    _centred(d, (width // 2, MARGIN + TITLE_SIZE + 8), header[1], LABEL_SIZE)
    x = (width - content_w) // 2
    centres: list[int | None] = []
    for w in widths:
        centres.append(x + w // 2 if w else None)
        x += w + PANEL_GAP if w else 0
    _draw_panels(im, first, centres, widths, top, block_top + grid_h // 2)
    filter_xy: list[tuple[int, int]] = []
    if first.filters is not None:
        fx0, fy0 = (centres[1] or 0) - filt_w // 2, block_top + (grid_h - filt_h) // 2
        name = "w̃" if first.direct else "w"
        for k in range(first.filters.shape[0]):
            r, c = divmod(k, cols)
            fx, fy = fx0 + c * (fw + 16), fy0 + r * (fh + 10)
            filter_xy.append((fx, fy))
            _centred(
                d, (fx + fw // 2, fy + fh - LABEL_SIZE - 2), f"filter {name}[{k}]", LABEL_SIZE
            )
    _legend(im, legend_y, cell, width, first.inserted_mask is not None)
    if faces_note:  # under the legend, on its own line (a wider frame shrinks on phones)
        _centred(d, (width // 2, legend_y + cell // 2 + 6), _text.escape(faces_note), LABEL_SIZE)
    c_in, c_out = centres[0] or 0, centres[2] or 0  # input and output panels always exist
    input_xy = (c_in - in_w // 2, block_top + (grid_h - in_h) // 2)
    output_xy = (c_out - out_w // 2, block_top + (grid_h - out_h) // 2)
    boxes = [("input", (*input_xy, input_xy[0] + in_w, input_xy[1] + in_h))]
    if filter_xy:
        fx0, fy0 = filter_xy[0]
        boxes.append(("kernel", (fx0, fy0, fx0 + filt_w, fy0 + filt_h)))
    boxes.append(("output", (*output_xy, output_xy[0] + out_w, output_xy[1] + out_h)))
    return TensorLayout(
        size=im.size,
        style=style,
        input_xy=input_xy,
        filter_xy=tuple(filter_xy),
        output_xy=output_xy,
        notes_y=notes_y,
        caption_xy=(width // 2, caption_y),
        background=im,
        boxes=tuple(boxes),
    )


def _panel_titles(first: TensorFrame) -> list[tuple[str, ...]]:
    c_in, hp, wp = first.x.shape
    sub_in = f"C_{{in}}×H×W = {c_in}×{hp}×{wp}"
    if first.padding_mask.any():
        sub_in += " (padded)"
    out = ("output", f"C_{{out}}×H′×W′ = {dims(first.output.shape)}")
    if first.filters is None:
        return [("input x", sub_in), ("", ""), out]
    first_title = "direct input x̃" if first.direct else "input x"
    if first.inserted_mask is not None:
        sub_in = f"{c_in}×{hp}×{wp}: zeros inserted, padded"
    c_out, cg, kh, kw = first.filters.shape
    if first.direct:
        name = "filters w̃ (flipped, channels swapped)"
    else:
        name = "flipped filters flip(w)" if first.op == "convolve" else "filters w"
    return [(first_title, sub_in), (name, f"{count(c_out, 'filter')}, each {cg}×{kh}×{kw}"), out]


_LEGEND = (
    ("padding", "", "padding"),
    ("input", "footprint", "under the window"),
    ("output", "current", "written now"),
    ("output", "", "written"),
    ("pending", "", "not yet"),
)


def _style(first: TensorFrame, texts: Sequence[str]) -> tuple[_iso.BlockStyle, str]:
    """The block geometry, and the words on faces left without numbers ("" if none).

    Front cells fit every number at the value size, top faces every row-0
    number at :data:`._iso.FACE_SIZE`; side faces are as deep as half a cell.
    """
    tops, sides = _face_texts(first)
    cell = max(MIN_CELL, max(text_width(t) for t in texts) + 10, _iso.face_cell(tops))
    style = _iso.BlockStyle(cell=cell, depth=_iso.depth_step(cell))
    return style, _faces_note(tops, sides, style)


def _face_texts(first: TensorFrame) -> tuple[list[str], list[str]]:
    """Every number a top face (row 0) or a side face (last column) may carry."""
    blocks = [first.x, first.output]
    if first.filters is not None:
        blocks += list(first.filters)
    tops = [str(t) for b in blocks for t in _x_texts(b)[:, 0, :].ravel()]
    sides = [str(t) for b in blocks for t in _x_texts(b)[:, :, -1].ravel()]
    return tops, sides


def _faces_note(tops: Sequence[str], sides: Sequence[str], style: _iso.BlockStyle) -> str:
    """The legend's words when a top or side face is drawn without its number ("" if none)."""
    top_out = any(t and not _iso.fits_top(t, style) for t in tops)
    side_out = any(t and not _iso.fits_side(t, style) for t in sides)
    if not (top_out or side_out):
        return ""
    where = (
        "top and side faces" if top_out and side_out else "top faces" if top_out else "side faces"
    )
    return f"{where}: only the numbers that fit"


def _legend_entries(inserted: bool) -> list[tuple[str, str, str]]:
    entries = list(_LEGEND)
    if inserted:
        entries.insert(1, ("inserted", "", "inserted zero"))
    return entries


def _legend(im: Image.Image, y: int, cell: int, width: int, inserted: bool) -> None:
    d = ImageDraw.Draw(im)
    half = cell // 2
    entries = _legend_entries(inserted)
    total = sum(half + 6 + text_width(t, LABEL_SIZE) + 16 for *_, t in entries)
    x = (width - total) // 2 + 8
    for role, mark, label in entries:
        im.paste(tile(half, role, mark, "", "", "blue"), (x, y))
        x += half + 6
        d.text((x, y + half // 2), label, font=font(LABEL_SIZE), fill=INDEX["text"], anchor="lm")
        x += text_width(label, LABEL_SIZE) + 16


def _span(values: tuple[int, ...]) -> str:
    """``0–2`` for contiguous taps, ``0,2,4`` for dilated ones."""
    if list(values) == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}–{values[-1]}" if len(values) > 1 else str(values[0])
    return ",".join(map(str, values))


def _note_text(frame: TensorFrame) -> tuple[str, str]:
    if frame.lit is None:
        return "front face: channel 0", "front face: channel 0; all cells written"
    chans = frame.window_channels
    span = f"c={chans[0]}" if len(chans) == 1 else f"c={chans[0]}–{chans[-1]}"
    rows, cols = (
        f"{name if len(taps) == 1 else name + 's'} {_span(taps)}"
        for name, taps in (("row", frame.window_rows), ("col", frame.window_cols))
    )
    o = frame.lit[0]
    return (
        f"window: {span}, {rows}, {cols} (front face c={chans[0]})",
        f"writing out[{', '.join(map(str, frame.lit))}] (front face c={o})",
    )


def _blocks(frame: TensorFrame) -> tuple[_iso.IsoBlock, list[_iso.IsoBlock], _iso.IsoBlock]:
    x_text = _x_texts(frame.x)
    roles = np.where(frame.padding_mask, "padding", "input")
    if frame.inserted_mask is not None:
        roles = np.where(frame.inserted_mask, "inserted", roles)
    marks = {
        (c, r, q): "footprint"
        for c in frame.window_channels
        for r in frame.window_rows
        for q in frame.window_cols
    }
    front = frame.window_channels[0] if frame.window_channels else 0
    inp = _iso.IsoBlock("input", x_text, roles, "blue", front, marks)
    filters = []
    if frame.filters is not None:
        f_text = _x_texts(frame.filters)
        active = frame.filter_index
        for o in range(frame.filters.shape[0]):
            shape = frame.filters.shape[1:]
            idle = active is not None and o != active
            fm = dict.fromkeys(np.ndindex(*shape), "idle") if idle else {}
            filters.append(
                _iso.IsoBlock(f"filter {o}", f_text[o], np.full(shape, "kernel"), "orange", 0, fm)
            )
    out_text = np.where(frame.written, _x_texts(frame.output), "")
    out_roles = np.where(frame.written, "output", "pending")
    lit = {frame.lit: "current"} if frame.lit is not None else {}
    out_front = frame.lit[0] if frame.lit is not None else 0
    out = _iso.IsoBlock("output", out_text, out_roles, "green", out_front, lit)
    return inp, filters, out


@functools.lru_cache(maxsize=64)
def _texts_cached(array_bytes: bytes, shape: tuple[int, ...], dtype: str) -> np.ndarray:
    a = np.frombuffer(array_bytes, dtype=dtype).reshape(shape)
    return format_array(a)


def _x_texts(a: np.ndarray) -> np.ndarray:
    return _texts_cached(a.tobytes(), a.shape, a.dtype.str)


def _typeset(frame: TensorFrame) -> str:
    """The caption as drawn: its markup if it has one, else the plain caption."""
    return frame.typeset or _text.escape(frame.caption)


def draw_tensor_frame(
    frame: TensorFrame, lay: TensorLayout
) -> tuple[Image.Image, list[_iso.Drawn]]:
    """Draw one frame; returns the palette image and the record of the numbers drawn.

    The record lists every number drawn on a block face (:class:`._iso.Drawn`);
    the caption is ``frame.caption``.
    """
    im = lay.background.copy()
    drawn: list[_iso.Drawn] = []
    inp, filters, out = _blocks(frame)
    _iso.draw_block(im, lay.input_xy, inp, lay.style, drawn)
    for block, xy in zip(filters, lay.filter_xy, strict=True):
        _iso.draw_block(im, xy, block, lay.style, drawn)
        if block.marks == {}:  # the filter in use: a thick frame around the whole block
            w, h = _iso.block_extent(block.shape, lay.style)
            ImageDraw.Draw(im).rectangle(
                [xy[0] - 4, xy[1] - 4, xy[0] + w + 3, xy[1] + h + 3],
                outline=INDEX["orange"],
                width=2,
            )
    _iso.draw_block(im, lay.output_xy, out, lay.style, drawn)
    d = ImageDraw.Draw(im)
    left, right = _note_text(frame)
    d.text(
        (lay.size[0] // 2, lay.notes_y),
        left,
        font=font(LABEL_SIZE),
        fill=INDEX["text"],
        anchor="ma",
    )
    d.text(
        (lay.size[0] // 2, lay.notes_y + LABEL_SIZE + 6),
        right,
        font=font(LABEL_SIZE),
        fill=INDEX["text"],
        anchor="ma",
    )
    piece = _text.tile(_typeset(frame))
    im.paste(piece, (lay.caption_xy[0] - piece.width // 2, lay.caption_xy[1]))
    return im, drawn
