"""Pillow drawing: a fixed palette, cached cell tiles, and the frame layout.

Frames are palette ("P") images drawn directly with :mod:`PIL.ImageDraw`, so
text is not anti-aliased and every pixel is one of the :data:`PALETTE`
colours: no quantisation, no dithering, small GIFs. The colours are the
Okabe-Ito palette (safe for colour-blind readers) and light tints of it, and
no meaning is carried by colour alone:

* padding cells are striped (horizontal lines), inserted zeros have a dotted
  outline, cells a transposed convolution crops are striped diagonally;
* cells under the kernel are tinted with the kernel's colour, carry the
  weight applied to them (``×2``) and get thick bars above and below the
  window (per-cell outlines when dilation spreads the taps);
* the output cell being computed has a thick black outline, a pooling
  window's maximum a ring;
* a legend under the panels names every style used.

Cell images ("tiles") and caption pieces are drawn once and pasted, which
keeps a frame to a few milliseconds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import matplotlib
from PIL import Image, ImageDraw, ImageFont

from .frames import Cell, Panel, Scene

__all__ = [
    "DARK_PALETTE",
    "PALETTE",
    "PALETTES",
    "Layout",
    "check_theme",
    "contrast_ratio",
    "draw_scene",
    "layout",
    "recolour",
    "text_width",
]

# name -> RGB; the order fixes the palette indices (do not reorder: GIF bytes depend on it;
# new colours go at the end, at most 31 in all: index 31 is the GIFs' transparency).
_COLOURS = {
    "white": (255, 255, 255),
    "black": (0, 0, 0),
    "text": (34, 34, 34),
    "grey": (94, 94, 94),  # outlines, and the digits of idle and inserted cells
    "line": (150, 150, 150),
    "light": (226, 226, 226),
    "hatch": (178, 178, 178),
    "faint": (244, 244, 244),
    "sky": (86, 180, 233),
    "skytint": (218, 238, 250),
    "blue": (0, 114, 178),
    "bluetint": (200, 225, 240),
    "vermillion": (213, 94, 0),
    "vermilliontint": (246, 212, 186),
    "green": (0, 158, 115),
    "greentint": (208, 238, 228),
    "greenmid": (138, 212, 189),
    "orange": (230, 159, 0),
    "orangetint": (250, 228, 176),
    "purple": (204, 121, 167),
    "purpletint": (242, 220, 233),
    "yellow": (240, 228, 66),
    # The side faces of marked cells in the tensor view, under "white" digits:
    # the accent, darkened until the digits meet 4.5:1.
    "skyside": (0, 110, 160),
    "blueside": (0, 114, 178),
    "vermillionside": (170, 70, 0),
    "greenside": (0, 120, 86),
    "orangeside": (150, 95, 0),
    "purpleside": (150, 70, 120),
}

#: The dark rendering: the same names (so the same palette indices) with
#: colours for a dark page. "white" is the background (pydata-sphinx-theme's
#: dark background), "black" and "text" are light; the tints under digits are
#: dark and the accents bright, so every digit meets 4.5:1 on its fill and the
#: cell being computed stands further from the written cells than in light.
_DARK_COLOURS = {
    "white": (20, 24, 30),
    "black": (242, 242, 242),
    "text": (224, 224, 224),
    "grey": (178, 178, 178),
    "line": (120, 124, 130),
    "light": (62, 64, 70),
    "hatch": (98, 100, 106),
    "faint": (34, 38, 46),
    "sky": (86, 180, 233),
    "skytint": (14, 56, 78),
    "blue": (96, 160, 232),
    "bluetint": (20, 48, 88),
    "vermillion": (240, 128, 60),
    "vermilliontint": (88, 38, 14),
    "green": (40, 190, 140),
    "greentint": (12, 66, 48),
    "greenmid": (20, 110, 82),
    "orange": (240, 180, 40),
    "orangetint": (82, 58, 4),
    "purple": (220, 140, 190),
    "purpletint": (78, 36, 66),
    "yellow": (100, 92, 8),
    "skyside": (86, 180, 233),
    "blueside": (96, 160, 232),
    "vermillionside": (240, 128, 60),
    "greenside": (40, 190, 140),
    "orangeside": (240, 180, 40),
    "purpleside": (220, 140, 190),
}
assert list(_DARK_COLOURS) == list(_COLOURS), "the dark palette must keep every index"
INDEX = {name: i for i, name in enumerate(_COLOURS)}
PALETTE = [c for rgb in _COLOURS.values() for c in rgb]
#: :data:`PALETTE` for a dark page: same indices, other colours.
DARK_PALETTE = [c for rgb in _DARK_COLOURS.values() for c in rgb]
#: The renderer's themes and their palettes (flat RGB lists, index order).
PALETTES = {"light": PALETTE, "dark": DARK_PALETTE}
TINT = {
    "blue": "bluetint",
    "vermillion": "vermilliontint",
    "orange": "orangetint",
    "purple": "purpletint",
    "green": "greentint",
    "sky": "skytint",
}
#: accent -> the fill of a marked cell's side face in the tensor view.
SIDE = {accent: f"{accent}side" for accent in TINT}

_FONT_DIR = matplotlib.get_data_path() + "/fonts/ttf/"
VALUE_SIZE = 14
NOTE_SIZE = 10
LABEL_SIZE = 12
TITLE_SIZE = 14
MIN_CELL = 28
MIN_WIDTH = 420
MARGIN = 14
PANEL_GAP = 34
MAP_GAP = 10


@functools.cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (bundled with matplotlib) at ``size`` pixels, loaded once."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(_FONT_DIR + name, size)


@functools.cache
def text_width(text: str, size: int = VALUE_SIZE, bold: bool = False) -> int:
    """Width in pixels of ``text`` drawn at ``size``."""
    return round(font(size, bold).getlength(text))


def check_theme(theme: object) -> str:
    """Return ``theme`` if it names a palette (``"light"`` or ``"dark"``), else raise ValueError."""
    if not isinstance(theme, str) or theme not in PALETTES:
        raise ValueError(f"theme must be 'light' or 'dark', got {theme!r}")
    return theme


def recolour(image: Image.Image, theme: str = "dark") -> Image.Image:
    """The same palette image in another theme's colours (a copy; pixels unchanged).

    Every frame is an index image over the palette, so the dark rendering of
    a figure is its light rendering with :data:`DARK_PALETTE`: the same
    indices, hence the same digits and the same verified numbers, in other
    colours.

    Parameters
    ----------
    image : PIL.Image.Image
        A palette ("P") image drawn by the renderer.
    theme : {"light", "dark"}
        Whose colours to give it.

    Returns
    -------
    PIL.Image.Image

    Raises
    ------
    ValueError
        If ``theme`` is unknown or ``image`` is not a palette image.

    Examples
    --------
    >>> im = new_image((2, 1))
    >>> dark = recolour(im, "dark")
    >>> import numpy as np
    >>> bool((np.asarray(dark) == np.asarray(im)).all()), dark.convert("RGB").getpixel((0, 0))
    (True, (20, 24, 30))
    """
    check_theme(theme)
    if image.mode != "P":
        raise ValueError(f"image must be a palette ('P') image, got mode {image.mode!r}")
    out = image.copy()
    out.putpalette(PALETTES[theme])
    return out


def _luminance(rgb: Sequence[int]) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0-255 channels)."""
    lin = []
    for v in rgb:
        c = v / 255
        lin.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: Sequence[int], b: Sequence[int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours, from 1 (same) to 21 (black on white).

    Examples
    --------
    >>> round(contrast_ratio((0, 0, 0), (255, 255, 255)), 1)
    21.0
    >>> round(contrast_ratio((118, 118, 118), (255, 255, 255)), 2)
    4.54
    """
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def new_image(size: tuple[int, int], colour: str = "white") -> Image.Image:
    """A palette image filled with one of the palette colours."""
    im = Image.new("P", size, INDEX[colour])
    im.putpalette(PALETTE)
    return im


def _dashed_rect(
    d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], colour: int, dash: int, gap: int
) -> None:
    x0, y0, x1, y1 = box
    step = dash + gap
    for x in range(x0, x1 + 1, step):
        d.line([(x, y0), (min(x + dash - 1, x1), y0)], fill=colour)
        d.line([(x, y1), (min(x + dash - 1, x1), y1)], fill=colour)
    for y in range(y0, y1 + 1, step):
        d.line([(x0, y), (x0, min(y + dash - 1, y1))], fill=colour)
        d.line([(x1, y), (x1, min(y + dash - 1, y1))], fill=colour)


def _hatch(d: ImageDraw.ImageDraw, size: int, colour: int, horizontal: bool = True) -> None:
    """Stripes: horizontal for padding (cheap to compress), diagonal for cropped cells."""
    if horizontal:
        for y in range(2, size - 1, 4):
            d.line([(1, y), (size - 2, y)], fill=colour)
        return
    for k in range(-size, size, 6):
        d.line([(k, 0), (k + size, size)], fill=colour)


_FILLS = {
    "input": "white",
    "padding": "light",
    "inserted": "white",
    "kernel": "",
    "output": "greentint",
    "pending": "white",
    "cropped": "light",
}


def _cell_colours(role: str, mark: str, accent: str) -> tuple[str, int]:
    """Fill colour name and text colour index of a cell."""
    tint = TINT.get(accent, "bluetint")
    fill = _FILLS[role] or tint
    text_colour = INDEX["text"]
    if mark in ("footprint", "source") or (mark == "stamp" and role != "cropped"):
        fill = tint
    elif mark == "current":
        fill = "greenmid"
    elif mark == "chosen":
        fill = "yellow"
    elif mark == "idle":
        fill = "faint"
        text_colour = INDEX["grey"]
    return fill, text_colour


def _outline(
    d: ImageDraw.ImageDraw, size: int, role: str, mark: str, accent: str, border: bool
) -> None:
    """The cell's outline: hatching, dashes or a frame, then the mark's ring."""
    c = INDEX
    last = size - 1
    if role in ("padding", "cropped"):
        _hatch(d, size, c["hatch"], horizontal=role == "padding")
        d.rectangle([0, 0, last, last], outline=c["grey"])
    elif role == "inserted":
        _dashed_rect(d, (0, 0, last, last), c["grey"], 1, 2)
    elif role == "pending":
        d.rectangle([0, 0, last, last], outline=c["line"])
    elif mark == "idle":
        _dashed_rect(d, (0, 0, last, last), c["line"], 3, 3)
    else:
        d.rectangle([0, 0, last, last], outline=c["grey"])
    if mark in ("footprint", "chosen", "stamp") and border:
        d.rectangle([1, 1, last - 1, last - 1], outline=c[accent], width=2)
    elif mark in ("current", "source"):
        d.rectangle([1, 1, last - 1, last - 1], outline=c["black"], width=2)
    if mark == "chosen":
        d.ellipse([3, 2, last - 3, last - 3], outline=c["black"], width=2)


@functools.lru_cache(maxsize=8192)
def tile(
    size: int, role: str, mark: str, text: str, note: str, accent: str, border: bool = True
) -> Image.Image:
    """The image of one cell; cached, since frames repeat most cells.

    ``border=False`` leaves out the outline of a marked cell (drawn around the
    whole group instead when the marked cells form a rectangle).
    """
    im = new_image((size, size), "white")
    d = ImageDraw.Draw(im)
    c = INDEX
    fill, text_colour = _cell_colours(role, mark, accent)
    last = size - 1
    d.rectangle([0, 0, last, last], fill=c[fill])
    if role == "inserted":
        text_colour = c["grey"]
    _outline(d, size, role, mark, accent, border)
    cx, cy = (size * 0.4, size * 0.4) if note else (size / 2, size / 2)
    if text:
        if role in ("padding", "cropped"):
            w = text_width(text)
            d.rectangle(
                [int(cx) - w // 2 - 2, int(cy) - 8, int(cx) + (w + 1) // 2 + 1, int(cy) + 7],
                fill=c[fill],
            )
        d.text((cx, cy), text, font=font(VALUE_SIZE), fill=text_colour, anchor="mm")
    if note:
        d.text((last - 2, last - 1), note, font=font(NOTE_SIZE), fill=c["black"], anchor="rd")
    return im


_GROUPED = ("footprint", "chosen", "stamp")


@dataclass(frozen=True)
class Layout:
    """Pixel geometry of one animation's frames (the same for every frame)."""

    size: tuple[int, int]
    cell: int
    origins: dict[str, tuple[int, int]]  # panel name -> top-left of its first map
    map_steps: dict[str, tuple[int, int]]  # panel name -> (dx, dy) between maps
    background: Image.Image
    caption_xy: tuple[int, int]
    caption_width: int
    # panel name -> (left, top, right, bottom), left to right; see Animation.panel_boxes
    boxes: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)


def _panel_geometry(p: Panel, cell: int) -> tuple[int, int, int, int, int, int]:
    """Width, height, label column width, label row height, map dx, map dy."""
    rows, cols = p.map_grid
    _, h, w = p.volume
    label_w = (text_width(f"{p.row_label}={rows - 1}", LABEL_SIZE) + 6) if rows > 1 else 0
    label_h = 18 if cols > 1 else 0
    dx = w * cell + MAP_GAP
    dy = h * cell + MAP_GAP
    width = label_w + cols * dx - MAP_GAP
    height = label_h + rows * dy - MAP_GAP
    return width, height, label_w, label_h, dx, dy


def draw_map_labels(
    d: ImageDraw.ImageDraw, p: Panel, origin: tuple[int, int], step: tuple[int, int]
) -> None:
    """The row and column labels of a panel's maps, left of and above its grid at ``origin``."""
    (ox, oy), (dx, dy) = origin, step
    rows, cols = p.map_grid
    if rows > 1:
        for r in range(rows):
            d.text(
                (ox - 6, oy + r * dy + (dy - MAP_GAP) // 2),
                f"{p.row_label}={r}",
                font=font(LABEL_SIZE),
                fill=INDEX["text"],
                anchor="rm",
            )
    if cols > 1:
        for col in range(cols):
            d.text(
                (ox + col * dx + (dx - MAP_GAP) // 2, oy - 4),
                _col_label(p, col),
                font=font(LABEL_SIZE),
                fill=INDEX["text"],
                anchor="md",
            )


def _col_label(p: Panel, col: int) -> str:
    depth = p.volume[0]
    z = col % depth
    if p.lead == 2:
        group = col // depth
        base = f"{p.group_label}{group}" if p.group_label else ""
        return f"{base} z={z}" if depth > 1 else base
    return f"z={z}"


def _draw_header(d: ImageDraw.ImageDraw, header: Sequence[str], width: int) -> None:
    """The title line, then the parameter lines, centred."""
    y = MARGIN
    for i, line in enumerate(header):
        if i == 0:
            d.text(
                (width // 2, y),
                line,
                font=font(TITLE_SIZE, True),
                fill=INDEX["black"],
                anchor="ma",
            )
            y += TITLE_SIZE + 8
        else:
            d.text((width // 2, y), line, font=font(LABEL_SIZE), fill=INDEX["text"], anchor="ma")
            y += LABEL_SIZE + 8


def layout(
    header: Sequence[str],
    panels: Sequence[Panel],
    symbols: Sequence[str],
    legend: Sequence[tuple[Cell, str]],
    texts: Sequence[str],
    min_width: int = MIN_WIDTH,
) -> Layout:
    """Compute the geometry and draw the static background of an animation.

    Parameters
    ----------
    header : sequence of str
        Title line, then the parameters line.
    panels : sequence of Panel
        Left to right.
    symbols : sequence of str
        Operator drawn between consecutive panels (e.g. ``"⋆"``, ``"="``).
    legend : sequence of (Cell, str)
        Sample cells and their explanation, drawn at the bottom.
    texts : sequence of str
        Every text any cell will show (sets the cell size).
    min_width : int
        Narrowest frame, in pixels.

    Returns
    -------
    Layout
    """
    widest = max((text_width(t) for t in texts), default=0)
    cell = max(MIN_CELL, widest + 10)
    geo = [_panel_geometry(p, cell) for p in panels]
    title_h = TITLE_SIZE + 6 + LABEL_SIZE + 8
    panel_ws = [
        max(g[0], text_width(p.title, TITLE_SIZE, True), text_width(p.subtitle, LABEL_SIZE))
        for p, g in zip(panels, geo, strict=True)
    ]
    content_w = sum(panel_ws) + PANEL_GAP * (len(panels) - 1)
    header_h = TITLE_SIZE + 8 + (LABEL_SIZE + 8) * (len(header) - 1) + 6
    legend_w = sum(cell // 2 + 8 + text_width(t, LABEL_SIZE) + 16 for _, t in legend)
    width = max(
        min_width,
        content_w + 2 * MARGIN,
        legend_w + 2 * MARGIN,
        max(text_width(h, TITLE_SIZE, True) for h in header) + 2 * MARGIN,
    )
    grid_h = max(g[1] for g in geo)
    top = MARGIN + header_h
    caption_y = top + title_h + grid_h + 12
    legend_y = caption_y + VALUE_SIZE + 14
    height = legend_y + (cell // 2 + 4 if legend else 0) + MARGIN
    im = new_image((width, height))
    d = ImageDraw.Draw(im)
    c = INDEX
    _draw_header(d, header, width)
    x = (width - content_w) // 2
    origins, steps, boxes = {}, {}, {}
    for i, (p, g, pw) in enumerate(zip(panels, geo, panel_ws, strict=True)):
        gw, gh, label_w, label_h, dx, dy = g
        cx = x + pw // 2
        d.text((cx, top), p.title, font=font(TITLE_SIZE, True), fill=c["black"], anchor="ma")
        d.text(
            (cx, top + TITLE_SIZE + 6),
            p.subtitle,
            font=font(LABEL_SIZE),
            fill=c["text"],
            anchor="ma",
        )
        gx = x + (pw - gw) // 2
        gy = top + title_h + (grid_h - gh) // 2
        ox, oy = gx + label_w, gy + label_h
        origins[p.name] = (ox, oy)
        steps[p.name] = (dx, dy)
        # The maps and their labels; 2-3 px more for the bars that mark a group.
        boxes[p.name] = (gx - 2, gy - 3, gx + gw + 2, gy + gh + 3)
        draw_map_labels(d, p, (ox, oy), (dx, dy))
        if i < len(symbols) and symbols[i]:
            sx = x + pw + PANEL_GAP // 2
            d.text(
                (sx, top + title_h + grid_h // 2),
                symbols[i],
                font=font(26 if symbols[i] == "⋆" else 22, True),
                fill=c["black"],
                anchor="mm",
            )
        x += pw + PANEL_GAP
    lx = (width - legend_w) // 2 + 8
    half = cell // 2
    for sample, label in legend:
        im.paste(
            tile(half, sample.role, sample.mark, "", "", _accent_of(sample, panels)),
            (lx, legend_y),
        )
        lx += half + 6
        d.text(
            (lx, legend_y + half // 2), label, font=font(LABEL_SIZE), fill=c["text"], anchor="lm"
        )
        lx += text_width(label, LABEL_SIZE) + 16
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


def _accent_of(cell: Cell, panels: Sequence[Panel]) -> str:
    for p in panels:
        if p.name == cell.panel:
            return p.accent
    return "blue"


def caption_slots(captions: Sequence[Sequence[str]]) -> dict[int, list[int]]:
    """Width of each caption slot: per number of pieces, the widest piece at each place."""
    slots: dict[int, list[int]] = {}
    for parts in captions:
        widths = slots.setdefault(len(parts), [0] * len(parts))
        for i, part in enumerate(parts):
            widths[i] = max(widths[i], text_width(part))
    return slots


def caption_fits(width: int) -> Callable[[Sequence[Sequence[str]]], bool]:
    """A predicate telling whether captions drawn in aligned slots fit in ``width`` pixels."""

    def fits(captions: Sequence[Sequence[str]]) -> bool:
        return all(sum(w) <= width for w in caption_slots(captions).values())

    return fits


def draw_scene(
    scene: Scene,
    panels: Sequence[Panel],
    lay: Layout,
    slots: dict[int, list[int]] | None = None,
) -> Image.Image:
    """Draw one frame: the background, every cell's tile, and the caption.

    ``slots`` (from :func:`caption_slots` over all the animation's captions)
    places each caption piece right-aligned in a fixed slot, so pieces that do
    not change between frames do not change pixels.
    """
    im = lay.background.copy()
    by_name = {p.name: p for p in panels}
    size = lay.cell
    groups: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
    cell_slots = []
    for cell in scene.cells:
        p = by_name[cell.panel]
        slot = p.slot(cell.index)
        cell_slots.append(slot)
        if cell.mark in _GROUPED:
            groups.setdefault((p.name, slot[0], slot[1]), []).append((slot[2], slot[3]))
    boxes = {}
    for key, members in groups.items():
        hs = [m[0] for m in members]
        ws = [m[1] for m in members]
        box = (min(hs), min(ws), max(hs), max(ws))
        if len(set(members)) == (box[2] - box[0] + 1) * (box[3] - box[1] + 1):
            boxes[key] = box
    d = ImageDraw.Draw(im)
    for cell, (r, col, h, w) in zip(scene.cells, cell_slots, strict=True):
        p = by_name[cell.panel]
        ox, oy = lay.origins[p.name]
        dx, dy = lay.map_steps[p.name]
        border = not (cell.mark in _GROUPED and (p.name, r, col) in boxes)
        im.paste(
            tile(size, cell.role, cell.mark, cell.text, cell.note, p.accent, border),
            (ox + col * dx + w * size, oy + r * dy + h * size),
        )
    for (name, r, col), (h0, w0, h1, w1) in boxes.items():
        ox, oy = lay.origins[name]
        dx, dy = lay.map_steps[name]
        x0, y0 = ox + col * dx + w0 * size, oy + r * dy + h0 * size
        x1, y1 = ox + col * dx + (w1 + 1) * size - 1, oy + r * dy + (h1 + 1) * size - 1
        # A rectangle of marked cells gets thick bars above and below (vertical
        # edges would change pixels on every row and double the GIF's size).
        colour = INDEX[by_name[name].accent]
        d.rectangle([x0 - 1, y0 - 2, x1 + 1, y0], fill=colour)
        d.rectangle([x0 - 1, y1, x1 + 1, y1 + 2], fill=colour)
    parts = scene.parts or (scene.caption,)
    widths = (slots or {}).get(len(parts))
    cx, cy = lay.caption_xy
    if widths is None or len(parts) == 1:
        if scene.caption:
            d.text(
                (cx, cy), scene.caption, font=font(VALUE_SIZE), fill=INDEX["black"], anchor="ma"
            )
        return im
    x = cx - sum(widths) // 2
    for part, w in zip(parts, widths, strict=True):
        x += w
        piece = text_tile(part)
        im.paste(piece, (x - piece.width, cy))
    return im


@functools.lru_cache(maxsize=4096)
def text_tile(text: str) -> Image.Image:
    """A caption piece drawn once on white (pieces repeat from frame to frame)."""
    f = font(VALUE_SIZE)
    width = max(1, text_width(text))
    height = sum(f.getmetrics())
    im = new_image((width, height))
    if text:
        ImageDraw.Draw(im).text((width, 0), text, font=f, fill=INDEX["black"], anchor="ra")
    return im
