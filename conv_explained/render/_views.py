"""Views: how a :class:`~._pipeline.Figure` becomes scenes and a frame layout.

A view is one object with :meth:`GridView.build`; it has a scene builder per
figure ``kind`` it can draw. The grid view draws every kind as flat 2-D
grids of numbered cells (:mod:`.frames` builds the scenes, :mod:`._draw`
paints them). The tensor view (:class:`TensorView`) draws 2-D sliding
kernels and windowed pooling as 3-D ``C×H×W`` blocks (:mod:`._tensor`
arranges the frames, :mod:`._tensor_draw` and :mod:`._iso` paint them); it
draws while it builds, so that every number drawn on a block face is known
and checked. The op specs and the checks are the same for every view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from PIL import Image

from . import _draw
from ._pipeline import Figure
from ._stacked import stacked_layout
from ._tensor import stage
from .frames import Scene, conv_scenes, pool_scenes, route_scenes, scatter_scenes

__all__ = ["VIEWS", "GridView", "Staged", "TensorView"]

#: Frames widen up to this many pixels of caption to show a whole sum.
MAX_CAPTION = 560


class Canvas:
    """The frame layout, widened (up to :data:`MAX_CAPTION` px) when captions need it."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.layout = self._layout(_draw.MIN_WIDTH)
        self.needed = 0

    def _layout(self, min_width: int) -> _draw.Layout:
        fig = self.fig
        legend = fig.legend_cells()
        return _draw.layout(
            list(fig.header),
            list(fig.panels),
            list(fig.symbols),
            legend,
            sorted(fig.texts),
            min_width,
        )

    def fits(self, captions: Sequence[Sequence[str]]) -> bool:
        """Whether ``captions`` fit (widening the frame up to the maximum)."""
        widths = _draw.caption_slots(captions).values()
        width = max((sum(w) for w in widths), default=0)
        if width > max(self.layout.caption_width, MAX_CAPTION):
            return False
        self.needed = max(self.needed, width)
        return True

    def stacked(self, caption_width: int, caption_rows: int = 1) -> _draw.Layout:
        """The same panels one above another (:func:`._stacked.stacked_layout`)."""
        fig = self.fig
        return stacked_layout(
            list(fig.header),
            list(fig.panels),
            list(fig.symbols),
            fig.legend_cells(),
            sorted(fig.texts),
            caption_width,
            caption_rows,
        )

    def final(self) -> _draw.Layout:
        """The layout, widened for the widest caption used."""
        if self.needed > self.layout.caption_width:
            return self._layout(self.needed + 2 * _draw.MARGIN)
        return self.layout


@dataclass(frozen=True)
class Staged:
    """A figure drawn by a view: scenes, layout and what the checks read back.

    A view that paints while it builds gives its ``images`` (and then no
    ``layout``), the further torch ``checks`` of what it drew, and its own
    ``alt`` text.
    """

    scenes: list[Scene]
    layout: _draw.Layout | None
    drawn_output: np.ndarray  # texts of the result cells in the final frame (None: hidden)
    images: list[Image.Image] | None = None
    checks: tuple[tuple[Any, ...], ...] = ()
    alt: str | None = None
    boxes: dict[str, tuple[int, int, int, int]] | None = None  # with images: panel boxes
    # The stacked layout of the same panels, given the widest caption (grid view only).
    stacked: Callable[[int, int], _draw.Layout] | None = None


Fits = Callable[[Sequence[Sequence[str]]], bool]


@dataclass(frozen=True)
class _Builder:
    """A scene builder of :mod:`.frames` and which figure data it takes, in order."""

    function: Callable[..., list[Scene]]
    positional: tuple[str, ...]  # keys of Figure.data ("values": the result)
    keywords: tuple[str, ...]  # keys of Figure.data passed by name
    captions: bool = True  # takes mac (the caption style)

    def __call__(self, fig: Figure, mac: bool | int, fits: Fits) -> list[Scene]:
        data = {**fig.data, "values": fig.values, "reduce_name": fig.reduce}
        panels = tuple(fig.panels)
        kwargs = {k: data[k] for k in self.keywords if k in data}
        if self.captions:
            kwargs["mac"] = mac
        return self.function(panels, *(data[k] for k in self.positional), fits=fits, **kwargs)


_GEOMETRY = ("stride", "dilation")


class GridView:
    """Flat grids of numbered cells, one panel per array (the default view)."""

    name = "grid"
    builders: ClassVar[dict[str, _Builder]] = {
        "slide": _Builder(
            conv_scenes,
            ("grid", "roles", "kernel", "values"),
            (*_GEOMETRY, "groups", "bias", "out_name"),
        ),
        "pool": _Builder(
            pool_scenes,
            ("grid", "roles", "values"),
            ("window", *_GEOMETRY, "chosen", "counted", "reduce_name"),
        ),
        "scatter": _Builder(
            scatter_scenes,
            ("x", "kernel", "partial", "stamps", "final", "inner"),
            (*_GEOMETRY, "groups"),
            captions=False,
        ),
        "route": _Builder(
            route_scenes,
            ("grid", "roles", "grad_output", "partial", "values", "chosen", "targets"),
            ("window", *_GEOMETRY),
            captions=False,
        ),
    }

    def build(self, fig: Figure, mac: bool | int) -> Staged:
        """Scenes of ``fig``, its layout and the result texts of the final frame."""
        if fig.kind not in self.builders:
            raise ValueError(f"the {self.name} view cannot draw {fig.op!r}")
        canvas = Canvas(fig)
        scenes = self.builders[fig.kind](fig, mac, canvas.fits)
        panel = next(p for p in fig.panels if p.name == fig.out_panel)
        text = scenes[-1].texts(panel.name, panel.shape)
        if fig.reference.region is not None:
            text = text[(slice(None), *fig.reference.region)]
        return Staged(scenes, canvas.final(), text, stacked=canvas.stacked)


class TensorView:
    """2-D convolutions and pooling as 3-D blocks: input ``C_in×H×W``, filters, output."""

    name = "tensor"

    def build(self, fig: Figure, mac: bool | int) -> Staged:
        """Frames of ``fig`` drawn as blocks, with the checks of every drawn number."""
        st = stage(fig, mac)
        return Staged(
            st.scenes, None, st.drawn_output, st.images, tuple(st.checks), st.alt, st.boxes
        )


#: The views :func:`~.animation.animate` can draw, by name.
VIEWS: dict[str, GridView | TensorView] = {"grid": GridView(), "tensor": TensorView()}
