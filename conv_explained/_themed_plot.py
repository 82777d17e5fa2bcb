"""Matplotlib figures drawn for a light and a dark page, checked on their pixels.

A page's drawing function takes a :class:`PlotTheme` and returns a figure;
:func:`themed_plot` calls it once per theme (under the theme's rc style, so
matplotlib itself draws the dark rendering: no pixel filter) and returns a
:class:`ThemedFigure` holding both PNGs. Before it returns, it checks what
was drawn:

* the two renderings carry the same data (every image array, line, collection,
  outline and text with its position, :func:`figure_data`), and
* every text and every mark that carries meaning (lines, markers, outlines)
  reaches WCAG AA contrast, 4.5:1, against the pixels drawn under it at
  every point of it: some pixel of it within :data:`HALO` contrasts that
  much with the pixel under it (:func:`ink_contrast`, measured by drawing
  the figure with and without it, and with it in other colours). A mark on
  a heat map must stand out all along it, by its colour or by a halo
  around it (:func:`halo`).

A :class:`ThemedFigure` displays as the light PNG in Jupyter; on the site the
MyST-NB renderer :class:`ThemedMime` (entry point ``myst_nb.mime_renderers``)
writes both PNGs as images classed ``only-light`` and ``only-dark``, which
pydata-sphinx-theme shows by the page's theme (light, dark, or the reader's
system setting under auto) and exempts from its dark-mode image filter.
Paper gets the light one (``_static/print.css``). Network diagrams use the same
route (:meth:`conv_explained.render.network.NetworkDiagram._repr_mimebundle_`).

The PNGs carry no date and no software name, so a build gives the same bytes
twice.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "AA",
    "CHECK_SCALE",
    "HALO",
    "THEMED_MIME",
    "THEMES",
    "PlotTheme",
    "ThemedFigure",
    "ThemedMime",
    "contrast_ratio",
    "figure_data",
    "halo",
    "ink_contrast",
    "themed_bundle",
    "themed_plot",
]

#: MIME type of a figure's light and dark PNGs (base64) in a notebook output.
THEMED_MIME = "application/vnd.conv-explained.themed+json"

#: WCAG 2.x AA contrast for text (and, here, for marks that carry meaning).
AA = 4.5

#: The contrast is measured on the figure drawn at this many times its
#: resolution: WCAG rates the colours, and at the page's resolution a small
#: glyph's strokes cover no pixel fully (antialiasing mixes them with what is
#: under them), so no pixel would show its colour.
CHECK_SCALE = 3


def _luminance(rgb: Any) -> Any:
    """WCAG relative luminance of sRGB colours given as 0..1 floats (last axis: R, G, B[, A])."""
    import numpy as np

    c = np.asarray(rgb, dtype=float)[..., :3]
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: Any, b: Any) -> float:
    """WCAG contrast ratio of two colours (any matplotlib colour spec).

    >>> round(contrast_ratio("black", "white"), 6)
    21.0
    """
    from matplotlib.colors import to_rgb

    hi, lo = sorted((_luminance(to_rgb(a)), _luminance(to_rgb(b))), reverse=True)
    return float((hi + 0.05) / (lo + 0.05))


@dataclass(frozen=True)
class PlotTheme:
    """The colours a figure is drawn in for one page theme.

    Attributes
    ----------
    name : {"light", "dark"}
    background : str
        The figure's and axes' face colour (the page's background in dark).
    text : str
        Titles, labels and tick labels.
    muted : str
        Secondary marks (zero lines, grid), still 4.5:1 on the background.
    colours : mapping of str to str
        Named colours for marks that carry meaning (``"blue"``, ``"orange"``,
        ``"green"``, ``"red"``, ``"magenta"``, ``"cyan"``, ``"lime"``,
        ``"gray"``), each 4.5:1 or more on the background.
    rc : mapping
        The matplotlib rc style the figure is drawn under.
    """

    name: str
    background: str
    text: str
    muted: str
    colours: Mapping[str, str]
    rc: Mapping[str, Any] = field(default_factory=dict)

    def colour(self, name: str) -> str:
        """A named colour of this theme (see :attr:`colours`)."""
        if name not in self.colours:
            raise ValueError(f"name must be one of {sorted(self.colours)}, got {name!r}")
        return self.colours[name]

    def ink_on(self, colour: Any) -> str:
        """Black or white, whichever contrasts more with ``colour`` (at least 4.58:1)."""
        return (
            "black"
            if contrast_ratio("black", colour) >= contrast_ratio("white", colour)
            else "white"
        )

    def cmap(self, name: str) -> Any:
        """A colormap: ``name`` itself, or in dark a white-based map from the background up.

        In dark, ``"Blues"``, ``"Greys"`` and ``"gray_r"`` run from the page's
        background to a light colour, so that zero stays the page's colour and
        more stays more visible; other maps are the same in both themes.
        """
        import matplotlib as mpl
        from matplotlib.colors import LinearSegmentedColormap

        base = mpl.colormaps[name]
        if self.name == "light" or name not in _WHITE_BASED:
            return base
        top = "#4a90e2" if name == "Blues" else "#f2f2f2"
        return LinearSegmentedColormap.from_list(f"{name}_dark", [self.background, top])


_WHITE_BASED = ("Blues", "Greys", "gray_r")


def _theme(
    name: str, background: str, text: str, muted: str, colours: dict[str, str]
) -> PlotTheme:
    from cycler import cycler

    rc = {
        "figure.facecolor": background,
        "axes.facecolor": background,
        "savefig.facecolor": background,
        "savefig.edgecolor": background,
        "text.color": text,
        "axes.labelcolor": text,
        "axes.titlecolor": text,
        "axes.edgecolor": muted,
        "xtick.color": text,
        "ytick.color": text,
        "xtick.labelcolor": text,
        "ytick.labelcolor": text,
        "grid.color": muted,
        "legend.facecolor": background,
        "legend.edgecolor": muted,
        "legend.labelcolor": text,
        "patch.edgecolor": text,
        "lines.color": text,
        "axes.prop_cycle": cycler(
            color=[colours[c] for c in ("blue", "orange", "green", "red", "magenta")]
        ),
        "svg.hashsalt": "conv_explained",
        "svg.fonttype": "path",
    }
    return PlotTheme(name, background, text, muted, colours, rc)


#: The two themes. Light keeps matplotlib's look with darker marks (tab:orange and
#: tab:green are under 4.5:1 on white); dark is pydata-sphinx-theme's dark
#: background (the renderer's DARK_PALETTE "white") with light marks.
THEMES: dict[str, PlotTheme] = {
    "light": _theme(
        "light",
        "#ffffff",
        "#000000",
        "#595959",
        {
            "blue": "#1f5fa8",
            "orange": "#a64d00",
            "green": "#1a7a1a",
            "red": "#c0141b",
            "magenta": "#a3179c",
            "cyan": "#00707a",
            "lime": "#3b7a00",
            "gray": "#595959",
        },
    ),
    "dark": _theme(
        "dark",
        "#14181e",
        "#f2f2f2",
        "#a6a6a6",
        {
            "blue": "#79b8ff",
            "orange": "#ffab70",
            "green": "#85e89d",
            "red": "#ff7b72",
            "magenta": "#f692ce",
            "cyan": "#56d4dd",
            "lime": "#a5e35a",
            "gray": "#a6a6a6",
        },
    ),
}


# --------------------------------------------------------------------------
# What a figure shows, and how its ink stands out
# --------------------------------------------------------------------------


def _texts(fig: Any) -> list[Any]:
    from matplotlib.text import Text

    # Matplotlib keeps tick labels for ticks just outside the view, visible
    # but never drawn: they are not part of the figure a reader sees.
    undrawn: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            slack = 1e-9 * max(abs(lo), abs(hi), 1.0)
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not lo - slack <= tick.get_loc() <= hi + slack:
                    undrawn |= {id(tick.label1), id(tick.label2)}
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible()
        and t.get_text().strip()
        and t.get_figure(root=True) is fig
        and id(t) not in undrawn
    ]


#: Lines thinner than this (points) are hairlines (zero lines, rules), which no
#: pixel covers fully; they are left out of the contrast check.
HAIRLINE = 1.0


_NOTHING = (None, "None", "none", "", " ")


def _wide(artist: Any) -> bool:
    """Whether an artist draws a line at least :data:`HAIRLINE` wide or a marker.

    A line styled to draw nothing (``basefmt=" "``: no line style, no
    marker) is no mark at all; it is left out rather than measured as
    invisible ink.
    """
    import numpy as np

    widths = np.atleast_1d(artist.get_linewidth())
    marker = getattr(artist, "get_marker", lambda: None)()
    style = getattr(artist, "get_linestyle", lambda: "-")()
    line = bool(widths.size and widths.max() >= HAIRLINE) and style not in _NOTHING
    return line or marker not in _NOTHING


def _marks(fig: Any) -> list[Any]:
    """Lines, markers, collections and unfilled outlines the axes hold (not their frame).

    Translucent fills (shaded spans) and hairlines are left out: they shade or
    rule, the marks on them carry the meaning.
    """
    marks: list[Any] = []
    for ax in fig.axes:
        marks += [a for a in ax.lines if a.get_visible() and _wide(a)]
        marks += [a for a in ax.collections if a.get_visible() and _wide(a)]
        marks += [p for p in ax.patches if p.get_visible() and not p.get_fill() and _wide(p)]
    return marks


def figure_data(fig: Any) -> list[tuple[str, Any]]:
    """Everything a figure shows that is not a colour, in drawing order.

    Image arrays with their limits, line and collection coordinates, patch
    outlines and every text with its position: equal for a figure's light and
    dark renderings when only the colours differ.
    """
    import numpy as np

    data: list[tuple[str, Any]] = []
    for k, ax in enumerate(fig.axes):
        for im in ax.images:
            data.append(
                (f"axes {k} image", (np.ma.getdata(im.get_array()).tolist(), im.get_clim()))
            )
        for line in ax.lines:
            data.append((f"axes {k} line", np.asarray(line.get_xydata()).tolist()))
        for c in ax.collections:
            segments = getattr(c, "get_segments", None)
            value = [s.tolist() for s in segments()] if segments else c.get_offsets().tolist()
            data.append((f"axes {k} collection", value))
        for p in ax.patches:
            data.append((f"axes {k} patch", p.get_path().vertices.tolist()))
    fig.canvas.draw()
    for t in _texts(fig):
        data.append(("text", (t.get_text(), tuple(map(float, t.get_position())))))
    return data


def _pixels(fig: Any) -> Any:
    import numpy as np

    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(np.float32) / 255


def _half_turn(image: Any, dpi: float) -> tuple[Any, int, int]:
    """Agg filter: every channel of the artist's own pixels moved half its range (128 levels)."""
    import numpy as np

    out = np.array(image, dtype=float)
    out[..., :3] = (np.round(out[..., :3] * 255) + 128) % 256 / 255
    return out, 0, 0


def _showing(fig: Any, artists: list[Any], drawn: Any) -> Any:
    """How much of each pixel of ``drawn`` (the figure as drawn) shows the artists' own colour.

    The figure is drawn again with the artists' colours moved half their
    range (:func:`_half_turn`, an agg filter, so their path effects move
    too); a pixel moves by that times the share of it that is theirs: 1
    where they cover it fully and nothing drawn later covers them, 0 where
    they are not or something opaque is drawn over them, whatever its
    colour (a stem line under its own marker shows nowhere there).
    """
    import numpy as np

    before = [artist.get_agg_filter() for artist in artists]
    for artist in artists:
        artist.set_agg_filter(_half_turn)
    try:
        moved = _pixels(fig)
    finally:
        for artist, f in zip(artists, before, strict=True):
            artist.set_agg_filter(f)
    return np.abs(moved - drawn).max(axis=-1) * (255 / 128)


#: How far (in pixels at :data:`CHECK_SCALE`) from a point of a mark the
#: pixel that makes the mark stand out there may lie. 8 pixels: 2 pt at the
#: 300 dpi a 100 dpi figure is checked at (2.7 pixels of the page's figure),
#: the width of a halo rimming a line or a text, ``patheffects.withStroke``
#: with a ``linewidth`` 3 pt wider than the ink (matplotlib's usual text
#: halo is ``linewidth=3``): 1.5 pt, 6.25 pixels, a side, plus the pixel at
#: either of its edges that antialiasing leaves partly covered. So from
#: every point of such a halo the ink it rims is within reach, and a light
#: line with a dark halo stands out at every point, over dark by the line,
#: over light by the halo; a mark that vanishes into the map under it for
#: more than twice this length fails.
HALO = 8


def _lowest_reach(with_ink: Any, without: Any, shows: Any, box: Any = None) -> float:
    """The contrast of ink at its worst point (1.0 if no pixel of it shows).

    ``with_ink`` and ``without`` are the figure drawn with and without the
    ink, ``shows`` how much of each pixel shows the ink (:func:`_showing`).
    Its points are the pixels that show it most (fully, unless it is
    translucent); each gets its contrast against the pixel drawn under it
    (1.0 where the ink is the colour under it: it shows there, and changes
    nothing). Antialiased fringes, which only mix the ink with what is under
    it, are no points and lend no contrast. At each point a maximum filter
    over a disc of radius :data:`HALO` gives the best contrast of a point of
    the ink within reach; the lowest of those is the result.
    """
    import numpy as np
    from scipy import ndimage

    if box is not None:
        with_ink, without, shows = with_ink[box], without[box], shows[box]
    top = shows.max(initial=0.0)
    if top <= 0:
        return 1.0
    points = shows >= top - 0.5 / 128  # fully shown: a pixel 1/128 short is an edge
    # Only the ink's bounding box (and HALO around it) can matter.
    rows, cols = (np.flatnonzero(points.any(axis=a)) for a in (1, 0))
    crop = (
        slice(max(rows[0] - HALO, 0), rows[-1] + HALO + 1),
        slice(max(cols[0] - HALO, 0), cols[-1] + HALO + 1),
    )
    with_ink, without, points = with_ink[crop], without[crop], points[crop]
    a, b = _luminance(with_ink), _luminance(without)
    # Only fully shown pixels carry the ink's colour: an antialiased edge
    # mixes it with what is under it, and on some hue pairs that mix
    # contrasts more than the colour itself does.
    ratio = np.where(points, (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05), 1.0)
    y, x = np.ogrid[-HALO : HALO + 1, -HALO : HALO + 1]
    reach = ndimage.maximum_filter(
        ratio, footprint=x * x + y * y <= HALO * HALO, mode="constant", cval=1.0
    )
    return float(reach[points].min())


def halo(colour: Any, linewidth: float, *, rim: float = 0.75, on: Any = "white") -> list[Any]:
    """Path effects that rim a mark so it stands out at every point, whatever is under it.

    Over any colour, black or white reaches 4.58:1 (:meth:`PlotTheme.ink_on`),
    so a mark that has both within :data:`HALO` of every point passes on any
    heat map, and where it lies on another mark. Black or white ink gets a
    rim of the other, ``2 * rim`` wide; any other colour keeps its colour
    and gets two rims, ``rim`` wide each: the inner one in whichever of
    black and white contrasts less with ``on``, the outer one in the other.
    So where a later mark covers this one but for the edge of its outer rim,
    what shows still stands out on ``on`` (the page's background). Each rim
    is a :class:`matplotlib.patheffects.Stroke` under the mark. Pass the
    result as ``path_effects=`` to the line, marker or outline; it changes
    no data (:func:`figure_data`).

    Parameters
    ----------
    colour : matplotlib colour
        The mark's colour (its line, or its markers' edges).
    linewidth : float
        Its width in points (``linewidth``, or ``markeredgewidth``).
    rim : float, optional
        The width of a rim in points, at most 0.75.
    on : matplotlib colour, optional
        What the mark is mostly drawn on (the theme's background).

    Returns
    -------
    list of matplotlib.patheffects.AbstractPathEffect

    Raises
    ------
    ValueError
        If ``linewidth`` or ``rim`` is not positive, if ``rim`` is over 0.75,
        or if the mark's middle is over 1.5 pt from its farthest tone
        (``linewidth / 2`` to a black or white mark's rim, ``linewidth / 2 +
        rim`` to a coloured mark's outer rim): 6.25 pixels at the check scale
        of a 100 dpi figure, within :data:`HALO` with room for antialiasing.

    Examples
    --------
    >>> def rims(effects):
    ...     return [(e._gc["foreground"], e._gc["linewidth"]) for e in effects[:-1]]
    >>> rims(halo("white", 1.2))
    [('black', 4.2)]
    >>> rims(halo("cyan", 1.2))
    [('black', 4.2), ('white', 2.7)]
    >>> rims(halo("cyan", 1.5, rim=0.5, on="#14181e"))
    [('white', 3.5), ('black', 2.5)]
    """
    from matplotlib import patheffects
    from matplotlib.colors import to_rgb

    if not linewidth > 0:
        raise ValueError(f"linewidth must be positive, got {linewidth!r}")
    if not 0 < rim <= 0.75:
        raise ValueError(f"rim must be positive and at most 0.75, got {rim!r}")
    rgb = to_rgb(colour)
    # From the middle of the mark, its farthest tone must lie within reach
    # (1.5 pt): a black or white mark's one rim starts at its edge, a coloured
    # mark's outer rim one inner rim further out.
    if rgb in ((0.0, 0.0, 0.0), (1.0, 1.0, 1.0)):
        if linewidth / 2 > 1.5:
            raise ValueError(
                f"linewidth / 2 must be at most 1.5 for a black or white mark, got {linewidth!r} / 2"
            )
        rims = [("white" if rgb == (0.0, 0.0, 0.0) else "black", linewidth + 4 * rim)]
    elif linewidth / 2 + rim > 1.5:
        raise ValueError(
            "linewidth / 2 + rim must be at most 1.5 for a coloured mark, "
            f"got {linewidth!r} / 2 + {rim!r}"
        )
    else:
        outer = "black" if contrast_ratio("black", on) >= contrast_ratio("white", on) else "white"
        inner = "white" if outer == "black" else "black"
        rims = [(outer, linewidth + 4 * rim), (inner, linewidth + 2 * rim)]
    return [
        *(patheffects.Stroke(linewidth=w, foreground=c, joinstyle="round") for c, w in rims),
        patheffects.Normal(),
    ]


def ink_contrast(fig: Any) -> list[tuple[str, float]]:
    """``(what, ratio)`` for every text and mark, measured on the drawn pixels.

    A mark's ratio is its contrast at its worst point (:func:`_lowest_reach`):
    at every pixel it shows fully (it covers it, and nothing drawn later
    covers it), some pixel of it within :data:`HALO` must contrast that much
    with the pixel drawn under it. The figure is drawn with and without the
    mark, and with the mark in other colours to find where it shows. A text
    is measured so inside its extent, drawn with every glyph (and halo)
    transparent, boxes behind text kept, and as is. So a one-colour outline
    on a heat map fails where it vanishes into the map, and passes where it
    shows on one side of it; a two-tone mark (a light line with a dark
    ``patheffects.withStroke`` halo, or :func:`halo`'s rims) stands out at
    every point by one of its tones. On a plain background the ratio is the
    colour's contrast against it: antialiasing only lowers the contrast of
    the fringe, which is no point (:func:`themed_plot` measures at
    :data:`CHECK_SCALE` times the resolution, so that strokes cover pixels
    fully). Ink that changes no pixel (drawn in the colour under it, or
    under something opaque everywhere) measures 1.0.
    """
    # A layout engine (constrained layout) moves the axes a little at every
    # draw: laid out once at this resolution and held, every drawing below
    # puts everything in the same place, and only the ink left out differs.
    engine = fig.get_layout_engine()
    if engine is None:
        return _measure(fig)
    fig.canvas.draw()
    fig.set_layout_engine("none")
    try:
        return _measure(fig)
    finally:
        fig.set_layout_engine(engine)


def _measure(fig: Any) -> list[tuple[str, float]]:
    full = _pixels(fig)
    height = full.shape[0]
    texts = _texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = []
    for t in texts:
        e = t.get_window_extent(renderer)
        rows = slice(max(int(height - e.y1) - 1, 0), max(int(height - e.y0) + 1, 0))
        cols = slice(max(int(e.x0) - 1, 0), max(int(e.x1) + 1, 0))
        boxes.append((rows, cols))
    # Where the glyphs show: with the boxes behind them hidden, which the
    # filter would move too.
    patches = [p for t in texts if (p := t.get_bbox_patch()) is not None and p.get_visible()]
    for p in patches:
        p.set_visible(False)
    glyphs = _showing(fig, texts, _pixels(fig))
    for p in patches:
        p.set_visible(True)
    colours = [t.get_color() for t in texts]
    effects = [t.get_path_effects() for t in texts]
    for t in texts:  # no glyph and no halo around it; the box stays
        t.set_color((0, 0, 0, 0))
        t.set_path_effects([])
    bare = _pixels(fig)
    for t, c, e in zip(texts, colours, effects, strict=True):
        t.set_color(c)
        t.set_path_effects(e)
    found: list[tuple[str, float]] = []
    for t, box in zip(texts, boxes, strict=True):
        found.append((f"text {t.get_text()!r}", _lowest_reach(full, bare, glyphs, box)))
    for mark in _marks(fig):
        mark.set_visible(False)
        without = _pixels(fig)
        mark.set_visible(True)
        ratio = _lowest_reach(full, without, _showing(fig, [mark], full))
        found.append((f"{type(mark).__name__} {mark.get_label()!r}", ratio))
    return found


# --------------------------------------------------------------------------
# Drawing both, and showing both
# --------------------------------------------------------------------------


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def themed_bundle(light: bytes, dark: bytes, text: str) -> dict[str, Any]:
    """The MIME bundle of a light and a dark PNG: the light PNG, both under :data:`THEMED_MIME`."""
    b64 = {
        name: base64.b64encode(png).decode("ascii")
        for name, png in (("light", light), ("dark", dark))
    }
    return {"image/png": b64["light"], THEMED_MIME: b64, "text/plain": text}


class ThemedFigure:
    """A figure's light and dark PNGs, displayable in Jupyter and MyST-NB.

    Attributes
    ----------
    light, dark : bytes
        The PNGs.
    lowest : dict of str to float
        The lowest measured contrast of each theme (:func:`ink_contrast`).
    """

    def __init__(self, light: bytes, dark: bytes, lowest: Mapping[str, float]) -> None:
        self.light = bytes(light)
        self.dark = bytes(dark)
        self.lowest = dict(lowest)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return themed_bundle(self.light, self.dark, repr(self))

    def __repr__(self) -> str:
        return "<ThemedFigure: light and dark>"


def themed_plot(draw: Callable[[PlotTheme], Any], *, check: bool = True) -> ThemedFigure:
    """Draw a figure once per theme and return both renderings.

    Parameters
    ----------
    draw : callable
        ``draw(theme)`` draws the figure in ``theme``'s colours
        (:class:`PlotTheme`) and returns the matplotlib ``Figure``. It is
        called under the theme's rc style.
    check : bool, optional
        Check that both renderings carry the same data and that every text
        and mark meets :data:`AA` on its drawn pixels (the default).

    Returns
    -------
    ThemedFigure

    Raises
    ------
    TypeError
        If ``draw`` does not return a figure.
    AssertionError
        If a check fails (which text or mark, in which theme, at what ratio).
    """
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    pngs: dict[str, bytes] = {}
    data: dict[str, list[tuple[str, Any]]] = {}
    lowest: dict[str, float] = {}
    for name, theme in THEMES.items():
        style: Any = dict(theme.rc)
        with mpl.rc_context(style):
            fig = draw(theme)
            try:
                if not isinstance(fig, Figure):
                    raise TypeError(f"draw must return a matplotlib Figure, got {fig!r}")
                pngs[name] = _png(fig)
                if check:
                    data[name] = figure_data(fig)
                    fig.set_dpi(fig.dpi * CHECK_SCALE)  # strokes wide enough to cover pixels
                    measured = ink_contrast(fig)
                    low = [(what, r) for what, r in measured if r < AA]
                    if low:  # raised, not asserted: it holds under python -O too
                        raise AssertionError(f"{name}: under {AA}:1 on the drawn pixels: {low}")
                    lowest[name] = min((r for _, r in measured), default=float("inf"))
            finally:
                if isinstance(fig, Figure):
                    plt.close(fig)
    if check:
        differ = [
            f"{what}: {json.dumps(a, default=str)[:80]} / {json.dumps(b, default=str)[:80]}"
            for (what, a), (_, b) in zip(data["light"], data["dark"], strict=False)
            if json.dumps(a, default=str) != json.dumps(b, default=str)
        ]
        if len(data["light"]) != len(data["dark"]):
            raise AssertionError(
                "the light and dark renderings show different data: different artists"
            )
        if differ:
            raise AssertionError(f"the light and dark renderings show different data: {differ}")
    return ThemedFigure(pngs["light"], pngs["dark"], lowest)


class ThemedMime:
    """MyST-NB renderer of :data:`THEMED_MIME` (entry point ``myst_nb.mime_renderers``).

    Writes both PNGs where MyST-NB writes its images, with the cell's (or
    ``glue:figure``'s) image options such as the alt text, classed
    ``only-light`` and ``only-dark``, in one container (so that a figure's
    caption is no sibling of either). HTML builders pick it; others pick the
    light ``image/png``.
    """

    mime_priority_overrides: ClassVar[list[tuple[str, str, int | None]]] = [
        ("*", THEMED_MIME, None),
        ("html", THEMED_MIME, 5),
        ("dirhtml", THEMED_MIME, 5),
        ("singlehtml", THEMED_MIME, 5),
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[Any] | None:
        if data.mime_type != THEMED_MIME:
            return None
        import importlib

        from docutils import nodes

        MimeData = importlib.import_module("myst_nb.core.render").MimeData

        content = data.content
        if isinstance(content, str):
            content = json.loads(content)
        box = nodes.container(classes=["ce-themed"])
        for name in ("light", "dark"):
            png = MimeData(
                "image/png",
                content[name],
                cell_metadata=data.cell_metadata,
                output_metadata={},
                cell_index=data.cell_index,
                output_index=data.output_index,
                line=data.line,
            )
            for image in renderer.render_image(png):
                image["classes"] = [*image.get("classes", []), f"only-{name}"]
                box += image
        return [box]
