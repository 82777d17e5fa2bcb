"""The stacked layout: a figure's panels one above another, for narrow screens.

The wide layout (:func:`._draw.layout`) puts the panels side by side; a
figure with several panels is then wider than a phone can show at a readable
scale. :func:`stacked_layout` lays out the *same* panels (same cell size, same
maps and labels inside each panel) in one column: the header, each panel with
its title, the operator symbol between panels, then the caption and the
legend (wrapped into rows). It returns a :class:`._draw.Layout`, so
:func:`._draw.draw_scene` paints the same scenes into it: the digits and the
captions are the wide figure's, pasted at other places; nothing is computed
again.

:data:`NARROW_PX` is the width above which a figure gets a stacked
rendering (``layout="auto"``): at a 390 px phone screen the site's text
column is 358 CSS px (measured in Chromium), and a figure is not shown below
0.6 of its drawn size (``_static/figure_fit.js``), so a figure up to
358 / 0.6 = 596 px fits the column without scrolling.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from PIL import Image, ImageDraw

from ._draw import (
    INDEX,
    LABEL_SIZE,
    MARGIN,
    MIN_CELL,
    TITLE_SIZE,
    VALUE_SIZE,
    Layout,
    _accent_of,
    _panel_geometry,
    draw_map_labels,
    draw_scene,
    font,
    new_image,
    text_tile,
    text_width,
    tile,
)
from ._model import Scene
from .frames import Cell, Panel

__all__ = [
    "CAPTION_PX",
    "LAYOUTS",
    "NARROW_PX",
    "caption_breaks",
    "caption_lines",
    "check_layout",
    "draw_wrapped",
    "stacked_layout",
    "wrap_words",
]

#: Widest figure (px) that is shown whole, at 0.6 or more of its size, in the
#: 358 px column of a 390 px phone; a wider one gets a stacked rendering with
#: ``layout="auto"``.
NARROW_PX = 595

#: Widest caption line (px) of a stacked figure: a longer caption wraps, so
#: that the caption alone does not make the figure wider than ``NARROW_PX``.
CAPTION_PX = NARROW_PX - 2 * MARGIN

#: Height (px) of one caption line, the next line's top under the last's.
CAPTION_LINE = VALUE_SIZE + 6

#: The layouts an animation can be drawn in.
LAYOUTS = ("wide", "stacked", "auto")

#: Vertical space (px) between stacked panels, where the operator symbol stands.
SYMBOL_BAND = 34


def check_layout(layout: object) -> str:
    """Return ``layout`` if it is one of :data:`LAYOUTS`, else raise ValueError.

    Examples
    --------
    >>> check_layout("stacked")
    'stacked'
    >>> check_layout("tall")
    Traceback (most recent call last):
    ...
    ValueError: layout must be 'wide', 'stacked' or 'auto', got 'tall'
    """
    if not isinstance(layout, str) or layout not in LAYOUTS:
        raise ValueError(f"layout must be 'wide', 'stacked' or 'auto', got {layout!r}")
    return layout


def wrap_words(text: str, width: int, size: int, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` px (a long word stays whole).

    Examples
    --------
    >>> wrap_words("stride 1, padding 0", 10_000, 12)
    ['stride 1, padding 0']
    >>> wrap_words("stride 1, padding 0", 60, 12)
    ['stride 1,', 'padding 0']
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def caption_breaks(
    slots: Mapping[int, Sequence[int]], width: int = CAPTION_PX
) -> dict[int, list[tuple[int, int]]]:
    """Where captions of each number of pieces break into lines of at most ``width`` px.

    Per number of pieces (as :func:`._draw.caption_slots` gives their slot
    widths), the ``(start, stop)`` piece ranges of each line, filled greedily;
    a piece wider than ``width`` stands alone on its line. Every frame's
    caption with that many pieces breaks at the same places, so the pieces
    that do not change between frames keep their pixels.

    Examples
    --------
    >>> caption_breaks({3: [300, 200, 250]}, 580)
    {3: [(0, 2), (2, 3)]}
    >>> caption_breaks({1: [700]}, 580)
    {1: [(0, 1)]}
    """
    out: dict[int, list[tuple[int, int]]] = {}
    for count, widths in slots.items():
        lines: list[tuple[int, int]] = []
        start, used = 0, 0
        for i, w in enumerate(widths):
            if i > start and used + w > width:
                lines.append((start, i))
                start, used = i, 0
            used += w
        lines.append((start, len(widths)))
        out[count] = lines
    return out


def caption_lines(
    scene: Scene, slots: Mapping[int, Sequence[int]], width: int = CAPTION_PX
) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """The lines a stacked frame draws ``scene``'s caption in: each line's pieces and slot widths.

    Pieces drawn in slots break at :func:`caption_breaks`; a caption of one
    piece (or with no slots) breaks at spaces (:func:`wrap_words`), each line
    then one piece as wide as its text. Joined (with the spaces the breaks
    took) the lines are the caption, character for character.

    Examples
    --------
    >>> from conv_explained.render._model import Scene
    >>> scene = Scene((), "y = 1·2 + 3·4 = 14", 0, ("y = ", "1·2", " + ", "3·4", " = 14"), ())
    >>> [pieces for pieces, _ in caption_lines(scene, {5: [30, 25, 20, 25, 40]}, 80)]
    [('y = ', '1·2', ' + '), ('3·4', ' = 14')]
    """
    parts = scene.parts or (scene.caption,)
    widths = slots.get(len(parts)) if len(parts) > 1 else None
    if widths is not None:
        breaks = caption_breaks({len(parts): widths}, width)[len(parts)]
        return [(tuple(parts[i:j]), tuple(widths[i:j])) for i, j in breaks]
    if not scene.caption:
        return []
    return [
        ((line,), (text_width(line),)) for line in wrap_words(scene.caption, width, VALUE_SIZE)
    ]


def draw_wrapped(
    scene: Scene,
    panels: Sequence[Panel],
    lay: Layout,
    slots: dict[int, list[int]],
    width: int = CAPTION_PX,
) -> Image.Image:
    """A stacked frame: :func:`._draw.draw_scene` without the caption, then the caption wrapped.

    Each line's pieces are the wide frame's (:func:`._draw.text_tile`,
    right-aligned in the same slots), the line centred; a caption of one
    piece is drawn line by line, centred, as the wide frame draws it.
    """
    im = draw_scene(dataclasses.replace(scene, caption="", parts=("",)), panels, lay, slots)
    d = ImageDraw.Draw(im)
    cx, cy = lay.caption_xy
    slotted = len(scene.parts or (scene.caption,)) > 1
    for n, (pieces, widths) in enumerate(caption_lines(scene, slots, width)):
        y = cy + n * CAPTION_LINE
        if not slotted or len(scene.parts) not in slots:
            d.text((cx, y), pieces[0], font=font(VALUE_SIZE), fill=INDEX["black"], anchor="ma")
            continue
        x = cx - sum(widths) // 2
        for part, w in zip(pieces, widths, strict=True):
            x += w
            piece = text_tile(part)
            im.paste(piece, (x - piece.width, y))
    return im


def _legend_rows(entries: Sequence[int], inner: int) -> list[list[int]]:
    """Legend entries (by index) in rows no wider than ``inner`` px."""
    rows: list[list[int]] = [[]]
    used = 0
    for k, w in enumerate(entries):
        if rows[-1] and used + w > inner:
            rows.append([])
            used = 0
        rows[-1].append(k)
        used += w
    return rows


def _draw_legend(
    im: Image.Image,
    legend: Sequence[tuple[Cell, str]],
    panels: Sequence[Panel],
    rows: Sequence[Sequence[int]],
    entries: Sequence[int],
    top: int,
    half: int,
) -> None:
    d = ImageDraw.Draw(im)
    y = top
    for row in rows:
        x = (im.width - sum(entries[k] for k in row)) // 2 + 8
        for k in row:
            sample, label = legend[k]
            im.paste(
                tile(half, sample.role, sample.mark, "", "", _accent_of(sample, panels)), (x, y)
            )
            x += half + 6
            d.text(
                (x, y + half // 2), label, font=font(LABEL_SIZE), fill=INDEX["text"], anchor="lm"
            )
            x += text_width(label, LABEL_SIZE) + 16
        y += half + 8


def _header_lines(header: Sequence[str], inner: int) -> list[tuple[str, int, bool]]:
    """The title and parameter lines, wrapped to ``inner`` px: (text, size, bold)."""
    head: list[tuple[str, int, bool]] = []
    for i, line in enumerate(header):
        bold = i == 0
        size = TITLE_SIZE if bold else LABEL_SIZE
        head += [(part, size, bold) for part in wrap_words(line, inner, size, bold)]
    return head


def stacked_layout(
    header: Sequence[str],
    panels: Sequence[Panel],
    symbols: Sequence[str],
    legend: Sequence[tuple[Cell, str]],
    texts: Sequence[str],
    caption_width: int,
    caption_rows: int = 1,
) -> Layout:
    """The geometry and background of an animation with its panels in one column.

    Parameters
    ----------
    header, panels, symbols, legend, texts
        As for :func:`._draw.layout` (``panels`` top to bottom).
    caption_width : int
        Widest caption line any frame draws, in pixels (the frame is at
        least this plus the margins wide).
    caption_rows : int, optional
        Most lines a frame's caption is wrapped into (:func:`caption_lines`).

    Returns
    -------
    Layout
        Its ``boxes`` are in drawing order (top to bottom), so the last is the
        result, as in the wide layout.
    """
    widest = max((text_width(t) for t in texts), default=0)
    cell = max(MIN_CELL, widest + 10)  # the wide layout's cell size (same tiles)
    geo = [_panel_geometry(p, cell) for p in panels]
    panel_ws = [
        max(g[0], text_width(p.title, TITLE_SIZE, True), text_width(p.subtitle, LABEL_SIZE))
        for p, g in zip(panels, geo, strict=True)
    ]
    half = cell // 2
    entries = [half + 6 + text_width(t, LABEL_SIZE) + 16 for _, t in legend]
    content = max([*panel_ws, caption_width, *entries, 1])
    # The title and the parameter line wrap rather than widen the frame.
    words = [text_width(w, TITLE_SIZE, True) for h in header for w in h.split()]
    inner = max([content, *words])
    head = _header_lines(header, inner)
    width = inner + 2 * MARGIN
    rows = _legend_rows(entries, inner)
    title_h = TITLE_SIZE + 6 + LABEL_SIZE + 8
    y = MARGIN + sum(size + 8 for _, size, _ in head) + 6
    tops = []
    for g in geo:
        tops.append(y)
        y += title_h + g[1] + SYMBOL_BAND
    caption_y = y - SYMBOL_BAND + 12
    legend_y = caption_y + max(1, caption_rows) * CAPTION_LINE + 8
    height = legend_y + (len(rows) * (half + 8) - 4 if legend else 0) + MARGIN
    im = new_image((width, height))
    d = ImageDraw.Draw(im)
    c = INDEX
    yy = MARGIN
    for text, size, bold in head:
        fill = c["black"] if bold else c["text"]
        d.text((width // 2, yy), text, font=font(size, bold), fill=fill, anchor="ma")
        yy += size + 8
    origins, steps, boxes = {}, {}, {}
    cx = width // 2
    for i, (p, g, top) in enumerate(zip(panels, geo, tops, strict=True)):
        gw, gh, label_w, label_h, dx, dy = g
        d.text((cx, top), p.title, font=font(TITLE_SIZE, True), fill=c["black"], anchor="ma")
        d.text(
            (cx, top + TITLE_SIZE + 6),
            p.subtitle,
            font=font(LABEL_SIZE),
            fill=c["text"],
            anchor="ma",
        )
        gx = (width - gw) // 2
        gy = top + title_h
        origins[p.name] = (gx + label_w, gy + label_h)
        steps[p.name] = (dx, dy)
        boxes[p.name] = (gx - 2, gy - 3, gx + gw + 2, gy + gh + 3)
        draw_map_labels(d, p, origins[p.name], steps[p.name])
        if i < len(symbols) and symbols[i] and i < len(panels) - 1:
            d.text(
                (cx, gy + gh + SYMBOL_BAND // 2),
                symbols[i],
                font=font(26 if symbols[i] == "⋆" else 22, True),
                fill=c["black"],
                anchor="mm",
            )
    _draw_legend(im, legend, panels, rows, entries, legend_y, half)
    return Layout(
        size=(width, height),
        cell=cell,
        origins=origins,
        map_steps=steps,
        background=im,
        caption_xy=(width // 2, caption_y),
        caption_width=width - 2 * MARGIN,
        boxes=boxes,
    )
