"""The :class:`Animation` object and :func:`animate`, :func:`compare`.

:func:`animate` takes the same arrays and options as the package's
operators, runs the operator, builds one :class:`~.frames.Scene` per step,
checks every drawn number against torch and returns an :class:`Animation`
that draws its frames on demand and saves them as a GIF, a still or a strip.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import ArrayLike
from PIL import Image, ImageDraw

from ..verify import Certificate, combine
from . import _draw
from ._captions import caption_check
from ._conv import SlideSpec
from ._pipeline import Figure, OpSpec, Options, Request, check_options, check_texts, jsonable
from ._pool import GlobalSpec, PoolSpec, RouteSpec
from ._stacked import NARROW_PX, caption_lines, check_layout, draw_wrapped
from ._transposed import DirectSpec, ScatterSpec
from ._verify import VerificationError, run_checks
from ._views import VIEWS
from .frames import Panel, Scene
from .gif import atomic_write, check_suffix, record, strip_image, write_gif, write_png

__all__ = ["OPS", "Animation", "animate", "compare"]

#: The operations :func:`animate` draws: name -> the spec of its family
#: (what the operator returns, what is drawn, the alt text, the reference).
#: The CLI reads its choices and each op's options from here.
OPS: dict[str, OpSpec] = OrderedDict(
    [
        ("correlate", SlideSpec()),
        ("convolve", SlideSpec()),
        ("transpose", ScatterSpec()),
        ("transpose-direct", DirectSpec("transposed")),
        ("max-pool", PoolSpec()),
        ("avg-pool", PoolSpec()),
        ("global-max-pool", GlobalSpec()),
        ("global-avg-pool", GlobalSpec()),
        ("max-pool-grad", RouteSpec()),
        ("input-grad", DirectSpec("forward")),
    ]
)

#: Shortest time a step frame is shown (ms): long enough to read its caption.
STEP_MS = 1200
#: Reading time per caption character (ms); a step frame shows for
#: ``max(STEP_MS, MS_PER_CHAR * len(caption))``, at most ``LONGEST_MS``.
MS_PER_CHAR = 30
LONGEST_MS = 3000
#: The final frame (every output filled) is held at least this long.
FINAL_MS = 2500
#: Widest key-frame strip laid out in one row (px); wider frames are stacked.
STRIP_ROW_PX = 1400
#: Widest frame sheet (px), so that browsers decode it without trouble.
SHEET_PX = 8192


def reading_ms(caption: str, *, final: bool = False) -> int:
    """How long a frame with ``caption`` is shown, in milliseconds (a multiple of 10).

    Examples
    --------
    >>> reading_ms("output[0, 0] = 9")
    1200
    >>> reading_ms("output[0, 0] = 0·0 + 1·1 + 1·2 + 2·3 + 2·4 + 0·5 + 0·6 + 1·7 = 9")
    1920
    >>> reading_ms("all 9 output cells computed", final=True)
    2500
    """
    ms = min(LONGEST_MS, max(STEP_MS, MS_PER_CHAR * len(caption)))
    if final:
        ms = max(ms, FINAL_MS)
    return int(round(ms / 10) * 10)


def key_frames_of(scenes: Sequence[Scene]) -> list[int]:
    """The frames that summarise an animation: the first step, a middle one, the final frame.

    Examples
    --------
    >>> from conv_explained.render.frames import Scene
    >>> key_frames_of([Scene((), "a", 0), Scene((), "b", 1), Scene((), "c", 2), Scene((), "d", None)])
    [0, 1, 3]
    >>> key_frames_of([Scene((), "a", 0), Scene((), "end", None)])
    [0, 1]
    """
    steps = [i for i, s in enumerate(scenes) if s.step is not None]
    keys = {len(scenes) - 1}
    if steps:
        keys |= {steps[0], steps[len(steps) // 2]}
    return sorted(keys)


_PART_GAP = 12  # px between the two parts of a comparison
_TITLE_BAND = 34  # px above them for their titles


class Animation:
    """A verified, numerically annotated animation of one operation.

    Frames are drawn on first use. The frame count rule: one frame per step
    (per output cell for sliding ops and pooling, per input cell for the
    scatter view of a transposed convolution, per output-gradient cell for
    the max-pooling gradient) plus one final frame showing the complete
    result, which is held longer.

    Attributes
    ----------
    op : str
        The operation drawn (one of :data:`OPS`, or ``"compare"``).
    params : dict
        The options used (JSON-friendly).
    values : numpy.ndarray
        The operator's result, as returned by the package (unbatched).
    verification : dict
        The torch check (see :func:`~conv_explained.render._verify.run_checks`),
        or ``{"passed": None, "skipped": True}`` with ``verify=False``.
    certificate : conv_explained.verify.Certificate or None
        The evidence of that check (what was compared with what, how many
        numbers, the largest difference), or None if it did not run.
    alt_text : str
        A description of the animation for screen readers.
    scenes : list of Scene
        The data model of each frame (what the tests inspect).
    panels : list of Panel
        The panels every frame shows.
    durations : list of int
        Milliseconds per frame: at least ``STEP_MS`` and long enough to
        read the frame's caption (``reading_ms``); the final frame is
        held at least ``FINAL_MS`` and half a second longer than any step.
    panel_boxes : dict of str to (int, int, int, int)
        Where each panel stands in every frame (and so in the still).
    layout : {"wide", "stacked"}
        How the panels are arranged: side by side, or one above another
        (see :meth:`with_layout`).
    """

    def __init__(
        self,
        *,
        op: str,
        params: dict[str, Any],
        values: Any,
        verification: dict[str, Any],
        alt_text: str,
        scenes: list[Scene],
        panels: list[Panel],
        layout: _draw.Layout | None,
        images: list[Image.Image] | None = None,
        boxes: dict[str, tuple[int, int, int, int]] | None = None,
        stacked: Callable[[int, int], _draw.Layout] | None = None,
    ) -> None:
        self.op = op
        self.layout = "wide"
        self._stacked = stacked
        self._wide_of: Animation | None = None  # a stacked copy: the animation it came from
        self._tall: Animation | None = None  # the stacked copy, once made
        self.params = params
        self.values = values
        self.certificate: Certificate | None = _certificate_of(verification)
        if isinstance(verification.get("certificate"), Certificate):  # JSON-friendly record
            verification = {**verification, "certificate": verification["certificate"].as_dict()}
        self.verification = verification
        self.alt_text = alt_text
        self.scenes = scenes
        self.panels = panels
        self._layout = layout
        self._images = images
        self._boxes = boxes
        steps = [reading_ms(s.caption) for s in scenes[:-1]]
        # The final frame (every output filled) is held longer than any step.
        final = max(reading_ms(scenes[-1].caption, final=True), max(steps, default=0) + 500)
        self.durations = [*steps, final]

    def __repr__(self) -> str:
        return (
            f"<Animation {self.op!r}: {len(self.scenes)} frames, {self.size[0]}x{self.size[1]} px>"
        )

    @property
    def size(self) -> tuple[int, int]:
        """Frame size in pixels, ``(width, height)``."""
        if self._images is not None:
            return self._images[0].size
        assert self._layout is not None
        return self._layout.size

    @property
    def panel_boxes(self) -> dict[str, tuple[int, int, int, int]]:
        """Pixel box of each panel in the frames: name -> ``(left, top, right, bottom)``.

        Ordered left to right as drawn, so the last panel is the result (the
        output, or the gradient being computed). A box holds the panel's
        cells: its maps with their labels and the marks drawn round cells
        (the title and subtitle stand above it, in a band all panels share);
        ``right`` and ``bottom`` are exclusive, as in
        :meth:`PIL.Image.Image.crop`. The geometry is the same in every frame,
        so it holds for :meth:`save_still` and for each GIF frame;
        :func:`~conv_explained.render.take_written` reports it with every
        GIF and still written.

        Examples
        --------
        >>> import numpy as np
        >>> anim = animate("correlate", np.ones((4, 4)), np.ones((2, 2)), verify=False)
        >>> list(anim.panel_boxes)
        ['input', 'kernel', 'output']
        >>> left, top, right, bottom = anim.panel_boxes["output"]
        >>> 0 <= left < right <= anim.size[0] and 0 <= top < bottom <= anim.size[1]
        True
        """
        if self._layout is None:  # a view that paints its own frames (tensor)
            return dict(self._boxes or {})
        return dict(self._layout.boxes)

    @property
    def captions(self) -> list[str]:
        """The computation each frame shows, as text: the caption drawn under its panels.

        One string per frame, the same text the frame draws (and the
        renderer checked against torch before drawing): for a sliding
        operation ``output[i, j] = x·w + … = value``, for the final frame a
        summary. A player reads them out as a reader steps through.

        Examples
        --------
        >>> import numpy as np
        >>> anim = animate("correlate", np.ones((3, 3)), np.ones((2, 2)), verify=False)
        >>> anim.captions[0]
        'output[0, 0] = 1·1 + 1·1 + 1·1 + 1·1 = 4'
        >>> anim.captions[-1]
        'all 4 output cells computed'
        """
        return [s.caption for s in self.scenes]

    @property
    def key_frames(self) -> list[int]:
        """Indices of the frames that summarise the animation.

        The first position, a middle one and the final frame with every
        output filled (fewer when the animation is that short); what a
        printed page shows in place of the animation.
        """
        return key_frames_of(self.scenes)

    def with_layout(self, layout: str) -> Animation:
        """The same animation with its panels arranged another way.

        The frames are drawn from the same scenes (the same cells, digits and
        captions, checked once), so only where things stand changes; the
        verification, certificate, alt text, captions and durations are
        this animation's.

        Parameters
        ----------
        layout : {"wide", "stacked", "auto"}
            ``"wide"``: panels side by side (how :func:`animate` draws by
            default). ``"stacked"``: panels one above another, then the
            caption and the legend, for narrow screens (a comparison puts its
            two parts one above the other, each stacked if it is itself
            wider than ``NARROW_PX``). ``"auto"``: stacked if the wide frames
            are wider than ``NARROW_PX`` (595 px: what the 358 px column of a
            390 px phone shows at 0.6 of its size), else wide.

        Returns
        -------
        Animation
            ``self`` when it already has that layout (or ``"auto"`` keeps it wide).

        Raises
        ------
        ValueError
            For another ``layout``, or ``"stacked"`` for a view that paints
            its own frames (the tensor view), which has no stacked layout.

        Examples
        --------
        >>> import numpy as np
        >>> wide = animate("correlate", np.ones((9, 9)), np.ones((3, 3)), verify=False)
        >>> tall = wide.with_layout("stacked")
        >>> tall.layout, tall.size[0] < wide.size[0], tall.captions == wide.captions
        ('stacked', True, True)
        """
        check_layout(layout)
        wide = self._wide()
        if layout == "auto":
            layout = "stacked" if wide.size[0] > NARROW_PX and wide._can_stack() else "wide"
        if layout == self.layout:
            return self
        if layout == "wide":
            return wide
        if not wide._can_stack():
            raise ValueError(
                f"layout must be 'wide' for the {self.params.get('view', 'grid')} view, "
                "got 'stacked'"
            )
        if wide._tall is None:
            wide._tall = wide._stacked_copy()
        return wide._tall

    def _wide(self) -> Animation:
        return self._wide_of or self

    def _can_stack(self) -> bool:
        return self._stacked is not None and self._layout is not None

    def _stacked_copy(self) -> Animation:
        assert self._stacked is not None
        slots = _draw.caption_slots([s.parts for s in self.scenes if s.step is not None])
        lines = [caption_lines(s, slots) for s in self.scenes]  # wrapped to CAPTION_PX
        width = max((sum(w) for ls in lines for _, w in ls), default=0)
        rows = max((len(ls) for ls in lines), default=1)
        copy = Animation.__new__(Animation)
        copy.__dict__.update(
            {k: v for k, v in self.__dict__.items() if k not in ("frames", "_tall")}
        )  # the frames are drawn again, in the new layout
        copy._layout = self._stacked(width, rows)
        copy.layout = "stacked"
        copy._wide_of = self
        return copy

    @property
    def sheet_columns(self) -> int:
        """Frames per row of :meth:`save_sheet`'s sheet."""
        return sheet_columns(len(self.scenes), self.size[0])

    @functools.cached_property
    def frames(self) -> list[Image.Image]:
        """The frames as palette images, drawn on first access."""
        if self._images is not None:  # a view that draws while it builds (tensor)
            return self._images
        assert self._layout is not None
        slots = _draw.caption_slots([s.parts for s in self.scenes if s.step is not None])
        if self.layout == "stacked":  # its captions wrap (see _stacked.caption_lines)
            return [draw_wrapped(s, self.panels, self._layout, slots) for s in self.scenes]
        return [_draw.draw_scene(s, self.panels, self._layout, slots) for s in self.scenes]

    def _check_verified(self) -> None:
        if self.verification.get("passed") is False:
            raise VerificationError("this animation failed verification; nothing is written")

    def save_gif(self, path: str | Path, *, theme: str = "light") -> Path:
        """Write the animation as a looping GIF (atomically).

        Parameters
        ----------
        path : str or pathlib.Path
            Destination ending in ``.gif``; its directory must exist. An
            existing regular file there is replaced; anything else (a FIFO,
            a device, a directory, or a symlink to one) is refused.
        theme : {"light", "dark"}, optional
            The palette: ``"dark"`` writes the rendering for a dark page,
            the same frames (the same palette indices, so the same digits)
            with the renderer's ``DARK_PALETTE``; only the GIF's palette
            bytes differ. A dark file is not recorded in
            :func:`~conv_explained.render.take_written` (it is a second
            rendering of a figure, which the docs' scraper writes itself).

        Returns
        -------
        pathlib.Path
            ``path``.

        Raises
        ------
        ValueError
            If ``path`` does not end in ``.gif`` or names a special file, or
            ``theme`` is neither ``"light"`` nor ``"dark"``.
        """
        self._check_verified()
        check_suffix(path, ".gif")
        _draw.check_theme(theme)
        frames = self.frames

        def write(handle: BinaryIO) -> None:
            if theme == "light":
                write_gif(handle, frames, self.durations)
            else:
                write_gif(handle, frames, self.durations, theme=theme)

        target = atomic_write(path, write)
        if theme != "light":
            return target
        record(
            target,
            "gif",
            self.alt_text,
            self.panel_boxes,
            player=self,
            certificate=self.certificate,
        )
        return target

    def save_still(self, path: str | Path, frame: int = -1, *, theme: str = "light") -> Path:
        """Write one frame (by default the final one) as a PNG (atomically).

        Parameters
        ----------
        path : str or pathlib.Path
            Destination ending in ``.png`` (a regular file or nothing yet).
        frame : int, optional
            Index into :attr:`frames`; negative counts from the end.
        theme : {"light", "dark"}, optional
            The palette, as for :meth:`save_gif` (a dark still is not
            recorded either).

        Returns
        -------
        pathlib.Path
        """
        self._check_verified()
        check_suffix(path, ".png")
        if isinstance(frame, bool) or not isinstance(frame, int):
            raise TypeError(f"frame must be an integer, got {frame!r}")
        n = len(self.scenes)
        if not -n <= frame < n:
            raise ValueError(f"frame must be between {-n} and {n - 1}, got {frame}")
        image = _draw.recolour(self.frames[frame], _draw.check_theme(theme))
        target = atomic_write(path, lambda f: write_png(f, image))
        if theme == "light":
            record(
                target,
                "still",
                self.alt_text,
                self.panel_boxes,
                certificate=self.certificate,
                image=image,
            )
        return target

    def save_strip(
        self,
        path: str | Path,
        columns: int | None = None,
        *,
        frames: Sequence[int] | None = None,
    ) -> Path:
        """Write frames in one PNG grid (for print and reduced motion; atomically).

        Each frame keeps the caption it draws, so the strip reads step by step.

        Parameters
        ----------
        path : str or pathlib.Path
            Destination ending in ``.png`` (a regular file or nothing yet).
        columns : int, optional
            Frames per row; by default about the square root of the count
            (with ``frames``: all in one row unless that is wider than
            ``STRIP_ROW_PX`` (1400 px), then one per row).
        frames : sequence of int, optional
            Indices of the frames to show, in order (for example
            :attr:`key_frames`); by default every frame.

        Returns
        -------
        pathlib.Path

        Raises
        ------
        ValueError
            If ``frames`` is empty or names a frame that does not exist.
        """
        self._check_verified()
        check_suffix(path, ".png")
        sheet = self.strip(columns, frames=frames)
        target = atomic_write(path, lambda f: write_png(f, sheet, compress_level=6))
        shown = "All steps" if frames is None else f"Frames {_frame_list(self._indices(frames))}"
        record(
            target,
            "strip",
            f"{shown}, row by row. " + self.alt_text,
            certificate=self.certificate,
            image=sheet,
        )
        return target

    def _indices(self, frames: Sequence[int]) -> list[int]:
        n = len(self.scenes)
        out = []
        for k in frames:
            if isinstance(k, bool) or not isinstance(k, int):
                raise TypeError(f"frames must hold integers, got {k!r}")
            if not -n <= k < n:
                raise ValueError(f"frames must be between {-n} and {n - 1}, got {k}")
            out.append(k % n)
        if not out:
            raise ValueError(f"frames must name at least one frame, got {list(frames)!r}")
        return out

    def strip(
        self, columns: int | None = None, *, frames: Sequence[int] | None = None
    ) -> Image.Image:
        """The image :meth:`save_strip` writes (nothing is checked or recorded)."""
        if frames is None:
            return strip_image(self.frames, columns)
        chosen = [self.frames[k] for k in self._indices(frames)]
        if columns is None:
            width = len(chosen) * (self.size[0] + 8)
            columns = len(chosen) if width <= STRIP_ROW_PX else 1
        return strip_image(chosen, columns)

    def save_sheet(self, path: str | Path, *, theme: str = "light") -> Path:
        """Write every frame, edge to edge, in one palette PNG (for the site's player).

        Frame ``k`` stands at column ``k % sheet_columns``, row
        ``k // sheet_columns``, each :attr:`size` pixels; a page's player
        shows one frame at a time by drawing that part. Nothing is recorded
        in :func:`~conv_explained.render.take_written` (a sheet is no figure).

        Parameters
        ----------
        path : str or pathlib.Path
            Destination.
        theme : {"light", "dark"}, optional
            The palette, as for :meth:`save_gif`.

        Returns
        -------
        pathlib.Path
        """
        self._check_verified()
        check_suffix(path, ".png")
        sheet = strip_image(self.frames, self.sheet_columns, gap=0, theme=theme)
        return atomic_write(path, lambda f: write_png(f, sheet, compress_level=9))


def sheet_columns(count: int, width: int) -> int:
    """Frames per row of a frame sheet: as many as fit in ``SHEET_PX`` (at least one).

    Examples
    --------
    >>> sheet_columns(10, 434), sheet_columns(100, 950), sheet_columns(3, 9000)
    (10, 8, 1)
    """
    return max(1, min(count, SHEET_PX // max(width, 1)))


def _frame_list(indices: Sequence[int]) -> str:
    """``[0, 4, 9] -> "1, 5 and 10"`` (frames counted from 1)."""
    shown = [str(k + 1) for k in indices]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


class Comparison(Animation):
    """Two animations side by side, frame by frame (see :func:`compare`)."""

    def __init__(
        self,
        left: Animation,
        right: Animation,
        titles: tuple[str, str],
        *,
        vertical: bool = False,
    ) -> None:
        self.parts = (left, right)
        self.titles = titles
        self.vertical = vertical
        super().__init__(
            op="compare",
            params={"titles": list(titles), "left": left.params, "right": right.params},
            values=(left.values, right.values),
            verification={
                "passed": _all_passed(left, right),
                "left": left.verification,
                "right": right.verification,
            },
            alt_text=(
                f"Two animations side by side. Left, {titles[0]}: {left.alt_text} "
                f"Right, {titles[1]}: {right.alt_text}"
            ),
            scenes=left.scenes,
            panels=left.panels,
            layout=None,
        )
        self.durations = [max(a, b) for a, b in zip(left.durations, right.durations, strict=True)]
        if left.certificate is not None and right.certificate is not None:
            self.certificate = combine(
                "the animation's numbers", [left.certificate, right.certificate]
            )
        if vertical:
            self.layout = "stacked"

    def with_layout(self, layout: str) -> Animation:
        """The comparison with its parts side by side (``"wide"``) or one above the other.

        ``"stacked"`` puts the second part under the first, each part in its
        own ``"auto"`` layout (see :meth:`Animation.with_layout`); ``"auto"``
        does so when the side-by-side frames are wider than ``NARROW_PX``.
        Every part keeps its scenes, captions and verification.
        """
        check_layout(layout)
        wide = self._wide()
        if layout == "auto":
            layout = "stacked" if wide.size[0] > NARROW_PX else "wide"
        if layout == self.layout:
            return self
        if layout == "wide":
            return wide
        assert isinstance(wide, Comparison)
        left, right = (part.with_layout("auto") for part in wide.parts)
        if wide._tall is None:
            tall = Comparison(left, right, wide.titles, vertical=True)
            tall.verification = wide.verification
            tall.certificate = wide.certificate
            tall.alt_text = wide.alt_text
            tall._wide_of = wide
            wide._tall = tall
        return wide._tall

    @property
    def captions(self) -> list[str]:
        """Both parts' captions per frame: ``"<title>: <caption>; <title>: <caption>"``."""
        left, right = self.parts
        return [
            f"{self.titles[0]}: {a}; {self.titles[1]}: {b}"
            for a, b in zip(left.captions, right.captions, strict=True)
        ]

    @property
    def size(self) -> tuple[int, int]:
        """Frame size in pixels, ``(width, height)``."""
        (wa, ha), (wb, hb) = self.parts[0].size, self.parts[1].size
        if self.vertical:
            return max(wa, wb), ha + hb + 2 * _TITLE_BAND + _PART_GAP
        return wa + wb + _PART_GAP, max(ha, hb) + _TITLE_BAND

    @property
    def panel_boxes(self) -> dict[str, tuple[int, int, int, int]]:
        """Both parts' panels, named ``"<title>: <panel>"``, left (or top) part first."""
        boxes = {}
        for (x, y), part, title in zip(self._part_xy(), self.parts, self.titles, strict=True):
            for name, (left, top, right, bottom) in part.panel_boxes.items():
                boxes[f"{title}: {name}"] = (left + x, top + y, right + x, bottom + y)
        return boxes

    def _part_xy(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """Top-left corner of each part's frames (under its title band)."""
        if self.vertical:
            width = self.size[0]
            (wa, ha), (wb, _) = self.parts[0].size, self.parts[1].size
            second = ha + 2 * _TITLE_BAND + _PART_GAP
            return ((width - wa) // 2, _TITLE_BAND), ((width - wb) // 2, second)
        return (0, _TITLE_BAND), (self.parts[0].size[0] + _PART_GAP, _TITLE_BAND)

    @functools.cached_property
    def frames(self) -> list[Image.Image]:
        """Left and right frames pasted side by side under their titles."""
        left, right = self.parts
        w, h = self.size
        base = _draw.new_image((w, h), "white")
        d = ImageDraw.Draw(base)
        xys = self._part_xy()
        for (x, y), part, title in zip(xys, self.parts, self.titles, strict=True):
            accent = part.panels[1].accent if len(part.panels) > 1 else "black"
            cx = x + part.size[0] // 2
            ty = y - _TITLE_BAND
            d.text(
                (cx, ty + 8),
                title,
                font=_draw.font(17, True),
                fill=_draw.INDEX["black"],
                anchor="ma",
            )
            tw = _draw.text_width(title, 17, True)
            d.line(
                [(cx - tw // 2, ty + 29), (cx + tw // 2, ty + 29)],
                fill=_draw.INDEX[accent],
                width=3,
            )
        (_, _), (x1, y1) = xys
        if self.vertical:
            sep = y1 - _TITLE_BAND - _PART_GAP // 2
            d.line([(8, sep), (w - 8, sep)], fill=_draw.INDEX["line"], width=1)
        else:
            d.line([(x1 - 6, _TITLE_BAND), (x1 - 6, h - 8)], fill=_draw.INDEX["line"], width=1)
        out = []
        for fa, fb in zip(left.frames, right.frames, strict=True):
            im = base.copy()
            im.paste(fa, xys[0])
            im.paste(fb, xys[1])
            out.append(im)
        return out


def _certificate_of(verification: dict[str, Any]) -> Certificate | None:
    """The certificate the checks issued (both parts' for a comparison), or None."""
    if verification.get("passed") is not True:
        return None
    cert = verification.get("certificate")
    return cert if isinstance(cert, Certificate) else None


def _all_passed(*anims: Animation) -> bool | None:
    results = [a.verification.get("passed") for a in anims]
    if any(r is False for r in results):
        return False
    if all(r is True for r in results):
        return True
    return None


def compare(
    anim_a: Animation, anim_b: Animation, titles: Sequence[str] = ("correlation", "convolution")
) -> Animation:
    """Put two animations with the same number of frames side by side.

    Parameters
    ----------
    anim_a, anim_b : Animation
        Left and right; for example the correlation and the convolution of
        the same input and kernel (the blue and red kernels).
    titles : (str, str), optional
        Drawn above each half.

    Returns
    -------
    Animation
        Its ``values`` and ``verification`` hold both parts'.

    Raises
    ------
    ValueError
        If the frame counts differ or ``titles`` is not two strings.

    Examples
    --------
    >>> import numpy as np
    >>> image = np.arange(16).reshape(4, 4) % 3
    >>> a = animate("correlate", image, np.arange(4).reshape(2, 2), verify=False)
    >>> b = animate("convolve", image, np.arange(4).reshape(2, 2), verify=False)
    >>> len(compare(a, b).scenes)
    10
    """
    if not isinstance(anim_a, Animation) or not isinstance(anim_b, Animation):
        raise TypeError("anim_a and anim_b must be Animation objects from render.animate")
    if len(titles) != 2 or not all(isinstance(t, str) for t in titles):
        raise ValueError(f"titles must be two strings, got {titles!r}")
    if len(anim_a.scenes) != len(anim_b.scenes):
        raise ValueError(
            f"anim_b must have as many frames as anim_a, got {len(anim_b.scenes)} and "
            f"{len(anim_a.scenes)}"
        )
    return Comparison(anim_a, anim_b, (titles[0], titles[1]))


# --------------------------------------------------------------------------
# animate
# --------------------------------------------------------------------------


def animate(
    op: str,
    x: ArrayLike,
    weight: ArrayLike | None = None,
    bias: ArrayLike | None = None,
    *,
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
    output_padding: int | Sequence[int] = 0,
    kernel_size: int | Sequence[int] | None = None,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    grad_output: ArrayLike | None = None,
    spatial_dims: int | None = None,
    mac: bool | int = True,
    verify: bool = True,
    view: str = "grid",
    layout: str = "wide",
) -> Animation:
    """Animate one operation, cell by cell, with every number written in.

    Parameters
    ----------
    op : str
        ``"correlate"`` (what frameworks call convolution), ``"convolve"``
        (true convolution: the flipped kernel is drawn, as applied),
        ``"transpose"`` (transposed convolution as scatter: each input cell
        stamps a scaled kernel into the output), ``"transpose-direct"`` (the
        same result as a direct convolution over the zero-inserted, padded
        input), ``"max-pool"``, ``"avg-pool"``, ``"global-max-pool"``,
        ``"global-avg-pool"``, ``"max-pool-grad"`` (each output gradient
        routed to its window's maximum) or ``"input-grad"`` (the gradient
        with respect to a correlation's input: the output gradient,
        zero-inserted and fully padded, correlated with the flipped kernel,
        which is a full convolution with the kernel).
    x : array_like
        The input: a plain 1-D, 2-D (or, with a 3-D kernel, 3-D) array for a
        single channel, ``(C, *spatial)``, or ``(1, C, *spatial)``. For the
        gradients, the forward input.
    weight : array_like, optional
        For the convolution ops: a plain 1-D or 2-D kernel, or torch's layout
        ``(C_out, C_in / groups, *k)`` (``(C_in, C_out / groups, *k)`` for
        the transposed ops); its number of kernel axes sets the number of
        spatial axes (a 3-D weight is a 1-D convolution's; give 3-D kernels
        as 5-D). For ``max-pool``, ``avg-pool`` and ``max-pool-grad`` the
        window size may be given here instead of ``kernel_size``.
    bias : array_like, optional
        ``(C_out,)``; the convolution ops only.
    stride : int or tuple of int, optional
        Default 1 for convolutions and the window size for pooling.
    padding : int, tuple of int or {"valid", "same", "full"}, optional
        As in the operators.
    dilation : int or tuple of int, optional
        Spacing between kernel taps.
    groups : int, optional
        Channel groups (``groups == C_in`` is depthwise).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, optional
        For ``correlate`` and ``convolve``: what the padding cells hold.
    output_padding : int or tuple of int, optional
        For the transposed ops.
    kernel_size : int or tuple of int, optional
        Pooling window (alternatively pass it as ``weight``). A tuple sets
        the number of spatial axes. With an int, as in the operators
        (:mod:`conv_explained.pooling`), ``x`` of 1 dimension is 1-D and of 5
        dimensions 3-D; an ``x`` of 2, 3 or 4 dimensions fits more than one
        reading (``(3, 3)`` is a plain image or a 3-channel signal), so it
        needs ``spatial_dims`` or a tuple, and is refused without them.
    ceil_mode, count_include_pad : bool, optional
        Pooling options, as in torch.
    grad_output : array_like, optional
        For the gradients: the gradient arriving at the forward output
        (default 1, 2, 3, ... so each routed value can be followed).
    spatial_dims : int, optional
        Number of spatial axes (1, 2 or 3) of the pooling ops, for an int
        ``kernel_size``.
    mac : bool or int, optional
        Write the multiply-accumulate sum (or the pooled values) of the
        current cell under the panels: all terms that fit (``True``), at
        most that many leading terms then ``…`` and the last (an int), or
        only the result (``False``).
    verify : bool, optional
        Check the values and shapes against torch (float64) and
        :mod:`conv_explained.shapes` before anything is drawn. Only
        ``verify=False`` skips it.
    view : {"grid", "tensor"}, optional
        ``"grid"`` draws flat grids of numbered cells, one per channel.
        ``"tensor"`` draws a 2-D operation as 3-D blocks: the ``C_in×H×W``
        input, the ``C_in/groups×k×k`` filters and the ``C_out×H′×W′``
        output, with the numbers of every visible face and, for
        convolutions, the per-channel partial sums of each output cell in
        its caption (``correlate``, ``convolve``, ``transpose`` drawn as its
        direct correlation, ``transpose-direct``, ``max-pool``, ``avg-pool``).
        Either way every drawn number is checked against torch.
    layout : {"wide", "stacked", "auto"}, optional
        ``"wide"`` puts the panels side by side; ``"stacked"`` one above
        another, with the caption and the legend below (for narrow screens;
        the grid view only); ``"auto"`` stacks them when the wide frames are
        wider than ``NARROW_PX`` (595 px). The frames are drawn from the same
        checked scenes either way (see :meth:`Animation.with_layout`).

    Returns
    -------
    Animation

    Raises
    ------
    ValueError
        For an unknown ``op`` or ``view`` (or a view that cannot draw the
        op), arrays or options the operator refuses, or an input too large
        to draw legibly (more than 12 cells along an axis, more than 4
        channels, more than 160 frames).
    TypeError
        For non-numeric arrays or non-integer options.
    VerificationError
        If a drawn number or shape disagrees with torch.
    RuntimeError
        If torch is missing and ``verify`` is true.

    Examples
    --------
    >>> import numpy as np
    >>> image = np.array([[1, 2, 2, 1, 0],
    ...                   [3, 3, 3, 3, 0],
    ...                   [3, 0, 0, 2, 2],
    ...                   [0, 3, 0, 3, 3],
    ...                   [2, 2, 2, 3, 2]])
    >>> anim = animate("correlate", image, np.arange(9).reshape(3, 3))
    >>> anim.values
    array([[[60, 56, 52],
            [39, 61, 66],
            [54, 78, 82]]])
    >>> len(anim.scenes)  # 9 output positions + the final frame
    10
    >>> anim.scenes[1].caption
    'output[0, 1] = 2·0 + 2·1 + 1·2 + 3·3 + 3·4 + 3·5 + 0·6 + 0·7 + 2·8 = 56'
    """
    if not isinstance(op, str) or op not in OPS:
        raise ValueError(f"op must be one of {', '.join(map(repr, OPS))}, got {op!r}")
    options = Options(
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        padding_mode=padding_mode,
        output_padding=output_padding,
        ceil_mode=ceil_mode,
        count_include_pad=count_include_pad,
        spatial_dims=spatial_dims,
        mac=mac,
        verify=verify,
    )
    if not isinstance(view, str) or view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(map(repr, VIEWS))}, got {view!r}")
    check_layout(layout)
    if layout == "stacked" and view != "grid":
        raise ValueError(f"layout must be 'wide' or 'auto' with view={view!r}, got 'stacked'")
    # Integer options beyond any drawable extent are refused before any array is made.
    check_options(
        {
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
            "output_padding": output_padding,
            "kernel_size": kernel_size,
            **({"weight": weight} if op in _WINDOW_OPS else {}),
        }
    )
    request = Request(x, weight, bias, kernel_size, grad_output)
    # Infinities and NaN are drawn as they are (torch agrees on them): 0·∞ is
    # nan and 1e200·1e200 is ∞ by IEEE rules, not a reason to warn.
    with np.errstate(invalid="ignore", over="ignore"):
        anim = run(OPS[op].figure_for(view, op, request, options), options, view)
    return anim.with_layout(layout)


#: Ops whose ``weight`` may be the pooling window's size (an option, not an array).
_WINDOW_OPS = frozenset({"max-pool", "avg-pool", "max-pool-grad"})


def run(figure: Figure, options: Options, view: str = "grid") -> Animation:
    """Draw ``figure`` with ``view``, check every drawn grid and caption, and wrap it up."""
    check_texts(figure.texts)
    staged = VIEWS[view].build(figure, options.mac)
    ref = figure.reference
    if options.verify:
        verification = run_checks(
            reference=ref.name,
            compute=ref.compute,
            values=figure.values,
            drawn_text=staged.drawn_output,
            expected_shape=ref.expected_shape,
            extras=[*ref.extras, *caption_check(figure, staged.scenes), *staged.checks],
        )
    else:
        verification = {"passed": None, "skipped": True, "reference": ref.name}
    return Animation(
        op=figure.op,
        params={
            **{k: jsonable(v) for k, v in figure.params.items()},
            **({} if view == "grid" else {"view": view}),
        },
        values=figure.values,
        verification=verification,
        alt_text=staged.alt or figure.alt(len(staged.scenes)),
        scenes=staged.scenes,
        panels=list(figure.panels),
        layout=staged.layout,
        images=staged.images,
        boxes=staged.boxes,
        stacked=staged.stacked,
    )
