"""Matplotlib figures drawn for a light and a dark page, checked on their pixels.

A page's drawing function takes a :class:`PlotTheme` and returns a figure;
:func:`themed_plot` calls it once per theme (under the theme's rc style, so
matplotlib itself draws the dark rendering: no pixel filter) and returns a
:class:`ThemedFigure` holding both PNGs. Before it returns, it checks what
was drawn:

* the two renderings carry the same data (every image array, line, collection,
  outline and text with its position, :func:`figure_data`), and
* every text and every mark that carries meaning (lines, markers, outlines)
  reaches WCAG AA contrast, 4.5:1, against the pixels drawn under it
  (:func:`ink_contrast`, measured by drawing the figure with and without it).

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
    "THEMED_MIME",
    "THEMES",
    "PlotTheme",
    "ThemedFigure",
    "ThemedMime",
    "contrast_ratio",
    "figure_data",
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


def _ratio(with_ink: Any, without: Any, box: Any = None) -> float:
    """The most contrasting changed pixel against the pixel under it (1.0 if none changed).

    Ink drawn in the colour under it changes no pixel: it is invisible, and
    measures 1.0, which fails (it used to drop out of the check).
    """
    import numpy as np

    if box is not None:
        with_ink, without = with_ink[box], without[box]
    changed = np.any(np.abs(with_ink - without) > 1e-9, axis=-1)
    if not changed.any():
        return 1.0
    a, b = _luminance(with_ink[changed]), _luminance(without[changed])
    return float(((np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05)).max())


def ink_contrast(fig: Any) -> list[tuple[str, float]]:
    """``(what, ratio)`` for every text and mark, measured on the drawn pixels.

    Texts: the figure is drawn with every glyph transparent (boxes behind
    text stay) and as is; inside each text's extent, the most contrasting
    changed pixel against the pixel under it. Marks: drawn with and without
    each one, its most contrasting pixel. On a heat map that is a mark's best
    pixel: it must stand out somewhere, not all along (a stricter quantile
    failed outlines that no single colour can pass on a black-to-white map;
    open in issue 17). Antialiasing only lowers a pixel's contrast, so the ratio is the colour's
    contrast against what it is drawn on wherever pixels are fully covered
    (:func:`themed_plot` measures at :data:`CHECK_SCALE` times the resolution
    for that). Ink that changes no pixel (drawn in the colour under it)
    measures 1.0.
    """
    full = _pixels(fig)
    height = full.shape[0]
    texts = _texts(fig)
    colours = [t.get_color() for t in texts]
    boxes = []
    renderer = fig.canvas.get_renderer()
    for t in texts:
        e = t.get_window_extent(renderer)
        rows = slice(max(int(height - e.y1) - 1, 0), max(int(height - e.y0) + 1, 0))
        cols = slice(max(int(e.x0) - 1, 0), max(int(e.x1) + 1, 0))
        boxes.append((rows, cols))
    for t in texts:
        t.set_color((0, 0, 0, 0))
    bare = _pixels(fig)
    for t, c in zip(texts, colours, strict=True):
        t.set_color(c)
    found: list[tuple[str, float]] = []
    for t, box in zip(texts, boxes, strict=True):
        found.append((f"text {t.get_text()!r}", _ratio(full, bare, box)))
    for mark in _marks(fig):
        mark.set_visible(False)
        without = _pixels(fig)
        mark.set_visible(True)
        found.append((f"{type(mark).__name__} {mark.get_label()!r}", _ratio(full, without)))
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
