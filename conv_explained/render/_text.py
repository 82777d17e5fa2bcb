r"""Typeset figure text on the palette images: subscripts and superscripts as real glyphs.

Figure text that carries math is written in a tiny markup and drawn by
:func:`draw` as runs of DejaVu Sans: a subscript is a smaller run set below
the baseline, a superscript a smaller run set above it (DejaVu has subscript
code points for some letters but not all, no subscript ``c`` for one, so the
runs are drawn, not looked up). The markup:

* ``_x`` / ``^x``: the one character ``x`` as a subscript / superscript;
* ``_{in}`` / ``^{2}``: a group; braces inside a group must balance and are
  drawn as written (``Σ_{c∈{0,1}}``); groups do not nest markup;
* ``\_``, ``\^``, ``\\``: a literal ``_``, ``^``, ``\``; braces outside a
  script are text.

Everything else (``′``, ``Σ``, ``⋆``, ``×``) is Unicode drawn as it is.

:func:`plain` gives the reader's plain text of the same markup: a group's
braces are dropped and the marker kept (``C_{in}`` reads ``C_in``, the
ASCII math convention; ``Σ_{c∈{0,1}}`` reads ``Σ_c∈{0,1}``), so the text
of a frame, its alt text and its certificate say what the figure shows.

:func:`width` is the sum of the runs' advances, so a layout that measures
with it centres and aligns a typeset text as it did a plain one. Each run is
drawn with :meth:`PIL.ImageDraw.ImageDraw.text` with the caller's ``fill``
(a palette index on the renderer's "P" images): no new colour and no
anti-aliasing. Text without markup is drawn by one ``ImageDraw.text`` call
with the caller's anchor, the same pixels as before.

>>> parse("C_{in}×H′")
(Run(text='C', level=0), Run(text='in', level=-1), Run(text='×H′', level=0))
>>> plain("C_{out}×H′×W′"), plain("Σ_{c∈{0,1}} x"), plain(escape("output_padding"))
('C_out×H′×W′', 'Σ_c∈{0,1} x', 'output_padding')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from ._draw import INDEX, VALUE_SIZE, font, new_image

__all__ = ["Run", "draw", "escape", "extent", "parse", "plain", "tile", "width"]

#: A sub- or superscript's size, as a fraction of the text's.
SCRIPT_SCALE = 0.75
#: How far a subscript's baseline drops, and a superscript's rises, in text sizes.
SUB_DROP = 0.2
SUP_RISE = 0.38
_MARKERS = {"_": -1, "^": 1}
_ESCAPES = {"\\_": "_", "\\^": "^", "\\\\": "\\"}


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text at one level: 0 on the baseline, -1 subscript, +1 superscript."""

    text: str
    level: int


def _group(markup: str, start: int) -> tuple[str, int]:
    """The text of the balanced ``{...}`` group opening at ``start``, and the index after it."""
    depth = 0
    for k in range(start, len(markup)):
        ch = markup[k]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                inner = markup[start + 1 : k]
                if any(m in inner for m in (*_MARKERS, "\\")):
                    raise ValueError(f"markup groups do not nest markup, got {markup!r}")
                if not inner:
                    raise ValueError(f"markup has an empty group at {start}, got {markup!r}")
                return inner, k + 1
    raise ValueError(f"markup has an unclosed '{{' at {start}, got {markup!r}")


@functools.lru_cache(maxsize=4096)
def parse(markup: str) -> tuple[Run, ...]:
    r"""The runs of ``markup`` (see the module docstring), merged where levels repeat.

    Raises
    ------
    TypeError
        If ``markup`` is not a str.
    ValueError
        If a marker has nothing to apply to, a group is unclosed or empty, or
        a backslash escapes anything but ``_``, ``^`` or ``\``; the message
        quotes the text.
    """
    if not isinstance(markup, str):
        raise TypeError(f"markup must be a str, got {markup!r}")
    runs: list[Run] = []

    def add(text: str, level: int) -> None:
        if runs and runs[-1].level == level:
            runs[-1] = Run(runs[-1].text + text, level)
        else:
            runs.append(Run(text, level))

    k = 0
    while k < len(markup):
        ch = markup[k]
        if ch == "\\":
            pair = markup[k : k + 2]
            if pair not in _ESCAPES:
                raise ValueError(f"markup escapes only '_', '^' and '\\\\' at {k}, got {markup!r}")
            add(_ESCAPES[pair], 0)
            k += 2
        elif ch in _MARKERS:
            nxt = markup[k + 1 : k + 2]
            if not nxt or nxt.isspace() or nxt in (*_MARKERS, "}", "\\"):
                raise ValueError(f"markup {ch!r} at {k} has nothing to apply to, got {markup!r}")
            if nxt == "{":
                inner, k = _group(markup, k + 1)
            else:
                inner, k = nxt, k + 2
            add(inner, _MARKERS[ch])
        else:  # braces outside a script are text
            add(ch, 0)
            k += 1
    return tuple(runs)


def escape(text: str) -> str:
    """``text`` as markup that draws it literally (``plain(escape(t)) == t``)."""
    return text.replace("\\", "\\\\").replace("_", "\\_").replace("^", "\\^")


def plain(markup: str) -> str:
    """The plain text of ``markup``: ``C_{in}`` -> ``C_in``, escapes resolved.

    A script keeps its marker and loses its braces, so the plain text is the
    familiar ASCII spelling (and, for texts without groups, the markup itself).
    """
    marker = {-1: "_", 1: "^", 0: ""}
    return "".join(marker[r.level] + r.text for r in parse(markup))


def _script_font(size: int, bold: bool, level: int) -> ImageFont.FreeTypeFont:
    return font(size if level == 0 else max(6, int(size * SCRIPT_SCALE + 0.5)), bold)


def _shift(size: int, level: int) -> int:
    """Pixels a run's baseline sits below the text's baseline (negative: above)."""
    if level < 0:
        return round(size * SUB_DROP)
    if level > 0:
        return -round(size * SUP_RISE)
    return 0


@functools.lru_cache(maxsize=8192)
def width(markup: str, size: int = VALUE_SIZE, bold: bool = False) -> int:
    """Width in pixels of ``markup`` drawn at ``size``: the sum of its runs' advances.

    For text without markup this is :func:`._draw.text_width`.
    """
    runs = parse(markup)
    return round(sum(_script_font(size, bold, r.level).getlength(r.text) for r in runs))


def _baseline_offset(f: ImageFont.FreeTypeFont, vertical: str) -> int:
    """Pixels from a ``vertical`` anchor point down to the baseline, as Pillow places text."""
    anchored = f.getbbox("0", anchor="l" + vertical)[1]
    on_baseline = f.getbbox("0", anchor="ls")[1]
    return int(anchored - on_baseline)


def draw(
    d: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    markup: str,
    *,
    size: int,
    fill: int,
    bold: bool = False,
    anchor: str = "la",
) -> None:
    """Draw ``markup`` at ``xy`` like ``d.text(xy, text, anchor=anchor)`` draws plain text.

    Parameters
    ----------
    d : PIL.ImageDraw.ImageDraw
        Where to draw.
    xy : tuple of float
        The anchor point.
    markup : str
        Text in the module's markup.
    size : int
        Font size of the base text, in pixels.
    fill : int
        Palette index (or colour) every run is drawn in.
    bold : bool
        DejaVu Sans Bold.
    anchor : str
        Two letters as in Pillow: horizontal ``l``, ``m`` or ``r``, then
        vertical ``a`` (ascender), ``m`` (middle), ``s`` (baseline) or ``d``
        (descender), placed for the base text's font.

    Raises
    ------
    ValueError
        If the markup does not parse or ``anchor`` is not one of those.
    """
    if len(anchor) != 2 or anchor[0] not in "lmr" or anchor[1] not in "amsd":
        raise ValueError(
            f"anchor must be one of l/m/r then a/m/s/d (e.g. 'ma'), got {anchor!r} for {markup!r}"
        )
    runs = parse(markup)
    base = font(size, bold)
    if all(r.level == 0 for r in runs):
        d.text(xy, "".join(r.text for r in runs), font=base, fill=fill, anchor=anchor)
        return
    advances = [_script_font(size, bold, r.level).getlength(r.text) for r in runs]
    total = sum(advances)
    x = xy[0] - {"l": 0.0, "m": total / 2, "r": total}[anchor[0]]
    baseline = xy[1] + _baseline_offset(base, anchor[1])
    for run, advance in zip(runs, advances, strict=True):
        f = _script_font(size, bold, run.level)
        d.text(
            (round(x), baseline + _shift(size, run.level)),
            run.text,
            font=f,
            fill=fill,
            anchor="ls",
        )
        x += advance


def extent(markup: str, size: int = VALUE_SIZE, bold: bool = False) -> tuple[int, int]:
    """Pixels above and below the baseline that ``markup`` may cover (font metrics, scripts)."""
    ascent, descent = font(size, bold).getmetrics()
    up, down = ascent, descent
    for run in parse(markup):
        a, b = _script_font(size, bold, run.level).getmetrics()
        up = max(up, a - _shift(size, run.level))
        down = max(down, b + _shift(size, run.level))
    return up, down


@functools.lru_cache(maxsize=4096)
def tile(markup: str, size: int = VALUE_SIZE, colour: str = "black") -> Image.Image:
    """``markup`` drawn once on white, right-aligned, its baseline at the font's ascent.

    The typeset counterpart of :func:`._draw.text_tile` (same width and the
    same pixels for text without markup); taller only where a subscript
    reaches below the font's descent.
    """
    ascent, descent = font(size).getmetrics()
    _, down = extent(markup, size)
    w = max(1, width(markup, size))
    im = new_image((w, ascent + max(descent, down)))
    if markup:
        draw(ImageDraw.Draw(im), (w, ascent), markup, size=size, fill=INDEX[colour], anchor="rs")
    return im
