"""The data model of a frame: :class:`Cell`, :class:`Panel`, :class:`Scene` (see :mod:`.frames`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["MARKS", "ROLES", "Cell", "Index", "Panel", "Scene"]

ROLES = ("input", "padding", "inserted", "kernel", "output", "pending", "cropped")
MARKS = ("", "footprint", "current", "chosen", "source", "stamp", "active", "idle")

Index = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of one panel in one frame.

    Attributes
    ----------
    panel : str
        Name of the panel it belongs to.
    index : tuple of int
        Index into the panel's array (channel axes first, then spatial).
    text : str
        The text drawn in the cell (empty for pending cells).
    role : str
        What the cell is; one of :data:`ROLES`.
    mark : str
        What it is doing in this frame; one of :data:`MARKS`.
    note : str
        Small text in the corner: the kernel weight under a footprint
        (``"×2"``) or the amount a stamp adds (``"+6"``).
    """

    panel: str
    index: Index
    text: str
    role: str
    mark: str = ""
    note: str = ""


@dataclass(frozen=True)
class Panel:
    """A static panel: a titled array of cells drawn as a grid of 2-D maps.

    Attributes
    ----------
    name : str
        Key used by :class:`Cell` (``"input"``, ``"kernel"``, ``"output"``...).
    title : str
        Label drawn above the panel (always contains the word for what it is).
    subtitle : str
        Shape and parameter details drawn under the title.
    shape : tuple of int
        Shape of the panel's array: ``lead`` channel axes, then 1-3 spatial.
    lead : int
        1 for ``(C, *spatial)`` (maps stacked by channel), 2 for kernels
        ``(A, B, *k)`` (rows by ``B``, column groups by ``A``).
    accent : str
        Colour name used for this panel's marks.
    row_label, group_label : str
        Prefixes of the labels of map rows and column groups
        (e.g. ``"c"`` gives ``c=0``, ``c=1``).
    """

    name: str
    title: str
    subtitle: str
    shape: tuple[int, ...]
    lead: int = 1
    accent: str = "blue"
    row_label: str = "c"
    group_label: str = ""

    @property
    def spatial(self) -> tuple[int, ...]:
        """The spatial part of ``shape``."""
        return self.shape[self.lead :]

    @property
    def volume(self) -> tuple[int, int, int]:
        """Spatial shape as ``(depth, height, width)`` (1-D is one row)."""
        depth, height, width = (1,) * (3 - len(self.spatial)) + tuple(self.spatial)
        return depth, height, width

    @property
    def map_grid(self) -> tuple[int, int]:
        """Number of map rows and map columns."""
        depth = self.volume[0]
        if self.lead == 1:
            return self.shape[0], depth
        return self.shape[1], self.shape[0] * depth

    def slot(self, index: Index) -> tuple[int, int, int, int]:
        """Where a cell goes: ``(map_row, map_col, row, col)``."""
        sp = index[self.lead :]
        full = (0,) * (3 - len(sp)) + tuple(sp)
        depth = self.volume[0]
        if self.lead == 1:
            return index[0], full[0], full[1], full[2]
        return index[1], index[0] * depth + full[0], full[1], full[2]

    def indices(self) -> list[Index]:
        """Every cell index in C order."""
        return list(np.ndindex(*self.shape))


@dataclass(frozen=True)
class Scene:
    """One frame: every cell of every panel plus a caption.

    Attributes
    ----------
    cells : tuple of Cell
        All cells, panel by panel, in C order.
    caption : str
        The line under the panels (the multiply-accumulate sum, or a summary).
    step : int or None
        Index of the output position this frame computes; ``None`` for the
        final frame.
    parts : tuple of str
        The caption cut into pieces (head, terms, separators, result) that
        are drawn in the same slots on every frame, so that only the
        numbers that change between frames change pixels. Their
        concatenation is ``caption``.
    terms : tuple of str
        Every term of this step's sum or reduction (the caption may show
        fewer, with ``…``); the renderer checks them against torch.
    """

    cells: tuple[Cell, ...]
    caption: str
    step: int | None
    parts: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    _lookup: dict[tuple[str, Index], Cell] = field(default_factory=dict, repr=False, compare=False)

    def cell(self, panel: str, index: Index) -> Cell:
        """The cell of ``panel`` at ``index``."""
        if not self._lookup:
            self._lookup.update({(c.panel, c.index): c for c in self.cells})
        return self._lookup[(panel, tuple(index))]

    def panel_cells(self, panel: str) -> list[Cell]:
        """All cells of one panel, in C order."""
        return [c for c in self.cells if c.panel == panel]

    def texts(self, panel: str, shape: Sequence[int]) -> np.ndarray:
        """The texts of one panel as an object array of ``shape``."""
        out = np.empty(tuple(shape), dtype=object)
        for c in self.panel_cells(panel):
            out[c.index] = c.text
        return out
