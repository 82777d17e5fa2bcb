"""Oblique ("cabinet") 3-D drawing of C×H×W blocks of cells on the Pillow palette stack.

A block is drawn as a solid box: the channel axis runs into the page (up and
to the right), rows down, columns to the right. From the viewer's side three
faces of the box can be seen, and only these carry numbers:

* the **front face**: every cell ``(front, i, j)`` of the front channel, drawn
  with the same cell tiles as the flat view (:func:`._draw.tile`);
* the **top face**: the top of row 0 of every channel, ``(c, 0, j)``;
* the **side face**: the right side of the last column of every channel,
  ``(c, i, W-1)``.

Every other cell face is hidden and never drawn. A number is written on a top
or side face only if it fits inside that face's parallelogram at
:data:`FACE_SIZE` (the flat view's label size, so no digit is smaller than
the flat view's); otherwise the face is drawn without it (a value that cannot
be shown legibly is not shown, and the figure says so). Each number drawn is appended to a record (:class:`Drawn`) naming
the block, the face and the cell, so tests can check what was drawn.

A block may be *cut away*: the channels in front of ``front`` are lifted off
and drawn only as a thin dashed outline, so the channel a step works on is the
visible front face (the reader sees where it sits in depth). Marks (the
filter window, the output cell being written) tint the visible faces of the
marked cells and draw a thick outline around them on the front face; they are
also named in words under the block, so colour is never the only cue.

Only palette colours of :mod:`._draw` are used and nothing is anti-aliased, so
frames stay small and byte-reproducible.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from ._draw import INDEX, LABEL_SIZE, SIDE, TINT, font, tile

__all__ = [
    "FACE_SIZE",
    "BlockStyle",
    "Drawn",
    "IsoBlock",
    "block_extent",
    "depth_step",
    "draw_block",
    "face_cell",
]

#: Font size of the numbers on top and side faces: the flat view's label size
#: (digits 9 px tall, taller than the flat view's smallest, its 7 px weights).
FACE_SIZE = LABEL_SIZE

FACES = ("front", "top", "side")


@dataclass(frozen=True, slots=True)
class Drawn:
    """One number drawn on one face of one cell.

    Attributes
    ----------
    block : str
        Name of the block (``"input"``, ``"filter 1"``, ``"output"``...).
    face : str
        ``"front"``, ``"top"`` or ``"side"``.
    index : tuple of int
        ``(c, i, j)``, the cell in the block's array.
    text : str
        The text drawn.
    """

    block: str
    face: str
    index: tuple[int, int, int]
    text: str


@dataclass(frozen=True)
class IsoBlock:
    """What one block shows in one frame.

    Attributes
    ----------
    name : str
        Name used in the :class:`Drawn` records.
    texts : numpy.ndarray
        ``(C, H, W)`` object array of cell texts (``""`` draws no number).
    roles : numpy.ndarray
        ``(C, H, W)`` array of roles of :data:`.frames.ROLES` (``"input"``,
        ``"padding"``, ``"kernel"``, ``"output"``, ``"pending"``).
    accent : str
        Palette colour of the block's marks (``"blue"``, ``"orange"``...).
    front : int
        First solid channel; channels before it are cut away (outline only).
    marks : mapping of (c, i, j) to str
        ``"footprint"`` (under the filter window), ``"current"`` (the output
        cell written in this frame), ``"idle"`` (a filter not in use).
    """

    name: str
    texts: np.ndarray
    roles: np.ndarray
    accent: str = "blue"
    front: int = 0
    marks: Mapping[tuple[int, int, int], str] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(C, H, W)``."""
        c, h, w = self.texts.shape
        return int(c), int(h), int(w)


@dataclass(frozen=True)
class BlockStyle:
    """Pixel sizes: the front cell side and the depth step per channel."""

    cell: int
    depth: int


def depth_step(cell: int) -> int:
    """Pixels one channel moves up and to the right (half a cell: a 45° cabinet view)."""
    return max(6, cell // 2)


def block_extent(shape: tuple[int, int, int], style: BlockStyle) -> tuple[int, int]:
    """Width and height in pixels of a block of ``shape`` (``(C, H, W)``)."""
    c, h, w = shape
    return w * style.cell + c * style.depth + 1, h * style.cell + c * style.depth + 1


@functools.cache
def _text_box(text: str) -> tuple[int, int]:
    left, top, right, bottom = font(FACE_SIZE).getbbox(text, anchor="mm")
    return int(right - left), int(bottom - top)


def face_cell(texts: Iterable[str]) -> int:
    """The smallest cell side whose top faces fit every one of ``texts`` (at its depth step)."""
    need = 0
    for text in texts:
        w, h = _text_box(text)
        need = max(need, w + h + 4, 2 * (h + 3))
    return need


def fits_top(text: str, style: BlockStyle) -> bool:
    """Whether ``text`` fits inside a top-face parallelogram (slanted 45°)."""
    w, h = _text_box(text)
    return h + 3 <= style.depth and w + h + 4 <= style.cell


def fits_side(text: str, style: BlockStyle) -> bool:
    """Whether ``text`` fits inside a side-face parallelogram (slanted 45°)."""
    w, h = _text_box(text)
    return w + 3 <= style.depth and h + w + 4 <= style.cell


_FACE_FILL = {
    # role -> (top fill, side fill); front faces use the flat view's tiles.
    "input": ("faint", "light"),
    "kernel": ("faint", "light"),
    "output": ("greentint", "greenmid"),
    "pending": ("white", "faint"),
    "padding": ("hatch", "hatch"),
    "inserted": ("faint", "light"),
    "cropped": ("hatch", "hatch"),
}


def _face_fill(role: str, mark: str, accent: str, top: bool) -> tuple[str, str]:
    """Fill and text colour of a top (``top=True``) or side face."""
    fill = _FACE_FILL[role][0 if top else 1]
    text = "text" if role != "padding" else "black"
    if mark == "footprint":
        fill = TINT.get(accent, "bluetint") if top else SIDE.get(accent, "blueside")
        text = "black" if top else "white"
    elif mark == "current":
        fill = "greenmid" if top else "greenside"
        text = "black" if top else "white"
    elif mark == "idle":
        text = "grey"
    return fill, text


def _dashed_line(
    d: ImageDraw.ImageDraw, a: tuple[int, int], b: tuple[int, int], colour: int
) -> None:
    n = max(abs(b[0] - a[0]), abs(b[1] - a[1]))
    for k in range(0, n + 1, 6):
        t0, t1 = k / max(n, 1), min(k + 3, n) / max(n, 1)
        d.line(
            [
                (round(a[0] + (b[0] - a[0]) * t0), round(a[1] + (b[1] - a[1]) * t0)),
                (round(a[0] + (b[0] - a[0]) * t1), round(a[1] + (b[1] - a[1]) * t1)),
            ],
            fill=colour,
        )


@dataclass(frozen=True)
class _Canvas:
    """One block being drawn: the image, the lattice geometry and the record."""

    im: Image.Image
    d: ImageDraw.ImageDraw
    block: IsoBlock
    style: BlockStyle
    origin: tuple[int, int]
    front: int
    record: list[Drawn]

    def corner(self, c: int, i: int, j: int) -> tuple[int, int]:
        """Pixel of the lattice point at depth ``c``, row ``i``, column ``j``."""
        n_c = self.block.shape[0]
        s, q = self.style.cell, self.style.depth
        return self.origin[0] + c * q + j * s, self.origin[1] + (n_c - c) * q + i * s

    def face(self, face: str, idx: tuple[int, int, int], poly: list[tuple[int, int]]) -> None:
        """Fill one top or side parallelogram and write its number if it fits."""
        b = self.block
        role, mark = str(b.roles[idx]), b.marks.get(idx, "")
        fill, text_colour = _face_fill(role, mark, b.accent, top=face == "top")
        self.d.polygon(poly, fill=INDEX[fill], outline=INDEX["grey"])
        text = str(b.texts[idx])
        fits = fits_top if face == "top" else fits_side
        if text and fits(text, self.style):
            centre = ((poly[0][0] + poly[2][0]) // 2, (poly[0][1] + poly[2][1]) // 2)
            self.d.text(centre, text, font=font(FACE_SIZE), fill=INDEX[text_colour], anchor="mm")
            self.record.append(Drawn(b.name, face, idx, text))


def _cutaway(cv: _Canvas) -> None:
    """The channels in front of the front face: a dashed outline of where they were."""
    _, n_h, n_w = cv.block.shape
    line, corner = INDEX["line"], cv.corner
    front = [corner(0, 0, 0), corner(0, 0, n_w), corner(0, n_h, n_w), corner(0, n_h, 0)]
    for k in range(4):
        _dashed_line(cv.d, front[k], front[(k + 1) % 4], line)
    for i, j in ((0, 0), (0, n_w), (n_h, n_w), (n_h, 0)):
        _dashed_line(cv.d, corner(0, i, j), corner(cv.front, i, j), line)


def _top_and_side(cv: _Canvas) -> None:
    """Top of row 0 and right side of the last column of every solid channel, back to front."""
    n_c, n_h, n_w = cv.block.shape
    corner = cv.corner
    for c in range(n_c - 1, cv.front - 1, -1):
        for j in range(n_w):
            poly = [
                corner(c, 0, j),
                corner(c, 0, j + 1),
                corner(c + 1, 0, j + 1),
                corner(c + 1, 0, j),
            ]
            cv.face("top", (c, 0, j), poly)
    for c in range(n_c - 1, cv.front - 1, -1):
        for i in range(n_h):
            poly = [
                corner(c, i, n_w),
                corner(c + 1, i, n_w),
                corner(c + 1, i + 1, n_w),
                corner(c, i + 1, n_w),
            ]
            cv.face("side", (c, i, n_w - 1), poly)


def _window_box(cv: _Canvas) -> tuple[int, int, int, int] | None:
    """Bounding rows/columns of the window's front cells, if they form a rectangle."""
    marks = [
        (i, j) for (c, i, j), m in cv.block.marks.items() if c == cv.front and m == "footprint"
    ]
    if not marks:
        return None
    i0, i1 = min(m[0] for m in marks), max(m[0] for m in marks)
    j0, j1 = min(m[1] for m in marks), max(m[1] for m in marks)
    if len(set(marks)) != (i1 - i0 + 1) * (j1 - j0 + 1):  # dilated taps: outlined one by one
        return None
    return i0, j0, i1, j1


def _front(cv: _Canvas) -> None:
    """The front face: the flat view's tiles for the front channel."""
    b, c0 = cv.block, cv.front
    _, n_h, n_w = b.shape
    box = _window_box(cv)
    for i in range(n_h):
        for j in range(n_w):
            idx = (c0, i, j)
            role, mark = str(b.roles[idx]), b.marks.get(idx, "")
            text = str(b.texts[idx])
            border = mark != "footprint" or box is None
            cv.im.paste(
                tile(cv.style.cell, role, mark, text, "", b.accent, border), cv.corner(*idx)
            )
            if text:
                cv.record.append(Drawn(b.name, "front", idx, text))
    if box is not None:  # a thick frame around the window's front cells
        x0, y0 = cv.corner(c0, box[0], box[1])
        x1, y1 = cv.corner(c0, box[2] + 1, box[3] + 1)
        cv.d.rectangle([x0 - 1, y0 - 1, x1, y1], outline=INDEX[b.accent], width=3)


def _silhouette(cv: _Canvas) -> None:
    """The box's outer edges, drawn last so the outline is crisp."""
    n_c, n_h, n_w = cv.block.shape
    corner, c0, black = cv.corner, cv.front, INDEX["text"]
    cv.d.line([corner(c0, 0, 0), corner(n_c, 0, 0), corner(n_c, 0, n_w)], fill=black)
    cv.d.line([corner(n_c, 0, n_w), corner(n_c, n_h, n_w), corner(c0, n_h, n_w)], fill=black)
    cv.d.line([corner(c0, 0, n_w), corner(n_c, 0, n_w)], fill=black)
    cv.d.rectangle([*corner(c0, 0, 0), *corner(c0, n_h, n_w)], outline=black)


def draw_block(
    im: Image.Image,
    origin: tuple[int, int],
    block: IsoBlock,
    style: BlockStyle,
    record: list[Drawn],
) -> None:
    """Draw ``block`` with its bounding box's top-left at ``origin``.

    Numbers go on the visible faces only (see the module docstring) and each
    one drawn is appended to ``record``.
    """
    front = min(max(block.front, 0), block.shape[0] - 1)
    cv = _Canvas(im, ImageDraw.Draw(im), block, style, origin, front, record)
    if front > 0:
        _cutaway(cv)
    _top_and_side(cv)
    _front(cv)
    _silhouette(cv)


def plain_box(
    im: Image.Image,
    origin: tuple[int, int],
    size: tuple[int, int, int],
    colours: tuple[str, str, str],
) -> None:
    """A box without cells: ``size`` = (depth, height, width) in pixels; front/top/side fills."""
    d = ImageDraw.Draw(im)
    dep, h, w = size
    x, y = origin[0], origin[1] + dep
    front, top, side = (INDEX[c] for c in colours)
    black = INDEX["text"]
    d.polygon(
        [(x, y), (x + dep, y - dep), (x + dep + w, y - dep), (x + w, y)], fill=top, outline=black
    )
    d.polygon(
        [(x + w, y), (x + w + dep, y - dep), (x + w + dep, y - dep + h), (x + w, y + h)],
        fill=side,
        outline=black,
    )
    d.rectangle([x, y, x + w, y + h], fill=front, outline=black)
