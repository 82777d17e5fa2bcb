"""Sphinx glue for the documentation site: animated pictures with a still fallback.

Nothing here is needed to use the package; ``docs/conf.py`` loads it as a Sphinx
extension (``"conv_explained._sphinx"``) and names :func:`gif_scraper` and
:func:`reset_matplotlib` and :func:`verify_context` by dotted string in
``sphinx_gallery_conf``.

An animation is shown as an HTML ``<picture>``: the GIF for most readers, a
still PNG for readers who asked their system for reduced motion
(``prefers-reduced-motion: reduce``) and, on paper, a strip of its key frames
(``<source media="print">``, with a print-only caption naming the frames).
Builders that cannot show a GIF (LaTeX, text, ...) get the still alone.

Each animation the renderer drew also gets a player (``_static/player.js``):
the page carries the renderer's caption of every frame (a collapsed "Step by
step" list), the frame durations and a frame sheet (every frame in one PNG,
loaded on the first interaction). With JavaScript the animation starts paused
on its final frame, with play/pause, step and speed controls, and reads each
frame's caption out politely; without it the GIF plays as before.

Every figure the renderer drew also has a dark rendering beside it (the same
palette indices with :data:`~conv_explained.render._draw.DARK_PALETTE`: the
same digits, other colours): ``a.dark.gif``, ``a.dark.png``, the player's
dark sheet and poster. The markup names them in ``data-ce-dark-*``
attributes; ``_static/player.js`` shows them while the page's theme is dark
(``html[data-theme="dark"]``) and swaps back when it changes, and
``_static/conv_explained.css`` takes the theme's dimming filter off a figure
shown in its dark rendering. Without JavaScript the light files show.
A gallery thumbnail (a crop of its example's still) has the same crop of the
dark rendering beside it, ``sphx_glr_a_thumb.dark.png``; the page shows the
two as images classed ``only-light`` and ``only-dark``, which the theme
switches by its mode, player.js not involved (:class:`ThemedThumbnails`).

Three ways in:

* gallery scripts call ``anim.save_gif(...)`` / ``anim.save_still(...)``;
  :func:`gif_scraper` collects what the renderer reports through
  ``conv_explained.render.take_written()`` and writes an ``animated-image``
  directive;
* reST or MyST pages use the ``animated-image`` directive themselves;
* notebook pages (MyST-NB) display :func:`show` ``(anim)``, whose output carries
  the GIF, the still and the alt text; a post-transform turns that output into
  the same ``<picture>``.
"""

from __future__ import annotations

import base64
import html
import json
import posixpath
import re
import shutil
import tempfile
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

__all__ = [
    "PLAYER_MIME",
    "AnimatedPicture",
    "gif_scraper",
    "picture_rst",
    "player_html",
    "player_payload",
    "reset_matplotlib",
    "setup",
    "show",
    "verify_context",
]

#: Media query under which the still replaces the animation.
REDUCED_MOTION = "(prefers-reduced-motion: reduce)"

#: rcParams that make matplotlib output byte-identical from build to build.
REPRODUCIBLE_RC = {
    "svg.hashsalt": "conv_explained",
    "svg.fonttype": "path",
    "pdf.compression": 6,
}

_STILL_KINDS = ("still", "strip")

#: MIME type of the player data :func:`show` adds to an animation's output.
PLAYER_MIME = "application/vnd.conv-explained.player+json"

#: The player's data kept on a picture node (and written into the page).
_PLAYER_KEYS = ("captions", "durations", "keys", "columns", "size")

#: The player's images that have a dark rendering (the print strip has none).
_DARK_PLAYER = ("poster", "sheet")

#: The narrow (stacked) renderings of a wide figure, light and dark: the GIF and
#: still for ``<source media=NARROW>``, the player's poster and sheet.
_NARROW_NAMES = (
    "narrow-gif",
    "narrow-still",
    "narrow-dark-gif",
    "narrow-dark-still",
    "narrow-poster",
    "narrow-sheet",
    "narrow-dark-poster",
    "narrow-dark-sheet",
)

#: The other renderings a picture node may hold, in child order after the player's.
_DARK_NAMES = ("dark-gif", "dark-still", "dark-poster", "dark-sheet", *_NARROW_NAMES)

#: Screens on which a wide figure's narrow rendering is shown (as in figure_fit.js).
NARROW = "(max-width: 767.98px)"


# --------------------------------------------------------------------------
# sphinx-gallery: the image scraper
# --------------------------------------------------------------------------


def _take_written() -> list[Mapping[str, Any]]:
    """Drain the renderer's list of written files (empty if there is no renderer)."""
    try:
        from conv_explained import render
    except ImportError:  # the renderer is optional for the scraper
        return []
    take = getattr(render, "take_written", None)
    return list(take()) if take is not None else []


def _family(path: str) -> str:
    """Stem shared by an animation and its still: ``a.gif``, ``a.png``, ``a_still.png``."""
    stem = Path(path).stem
    for suffix in ("_still", "_strip"):
        if stem.endswith(suffix):
            return stem[: -len(suffix)]
    return stem


def _pair(
    written: Iterable[Mapping[str, Any]],
) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Group written files into ``(main, still)`` pictures, in writing order.

    A GIF takes as its still the still or strip of the same stem (``a.gif``
    with ``a.png``, ``a_still.png`` or ``a_strip.png``), else a still or strip
    written right after it. Every other still or strip is a picture of its own
    (``still`` is then None), and so is a GIF with no still.

    Examples
    --------
    >>> _pair([{"path": "a.gif", "kind": "gif"}, {"path": "b.png", "kind": "still"},
    ...        {"path": "c.png", "kind": "strip"}, {"path": "c.gif", "kind": "gif"}])  # doctest: +NORMALIZE_WHITESPACE
    [({'path': 'a.gif', 'kind': 'gif'}, {'path': 'b.png', 'kind': 'still'}),
     ({'path': 'c.gif', 'kind': 'gif'}, {'path': 'c.png', 'kind': 'strip'})]
    """
    items = []
    for index, entry in enumerate(written):
        kind = entry.get("kind")
        if kind not in ("gif", *_STILL_KINDS):
            raise ValueError(
                f"written file {index} must have kind 'gif', 'still' or 'strip', got {kind!r}"
            )
        if not entry.get("path"):
            raise ValueError(f"written file {index} has no 'path', got {dict(entry)!r}")
        items.append(dict(entry))
    stills = [i for i, item in enumerate(items) if item["kind"] in _STILL_KINDS]
    gif_families = {_family(item["path"]) for item in items if item["kind"] == "gif"}
    partner: dict[int, int] = {}
    for i, item in enumerate(items):
        if item["kind"] != "gif":
            continue
        free = [j for j in stills if j not in partner.values()]
        same = [j for j in free if _family(items[j]["path"]) == _family(item["path"])]
        if same:
            partner[i] = same[0]
        elif i + 1 in free and _family(items[i + 1]["path"]) not in gif_families:
            partner[i] = i + 1
    claimed = set(partner.values())
    return [
        (item, items[partner[i]] if i in partner else None)
        for i, item in enumerate(items)
        if i not in claimed
    ]


def last_frame_png(gif: Path, png: Path) -> None:
    """Write the last frame of ``gif`` to ``png`` (the finished state of an animation)."""
    from PIL import Image

    with Image.open(gif) as image:
        image.seek(getattr(image, "n_frames", 1) - 1)
        image.convert("RGB").save(png, format="PNG", optimize=True)


def site_gif(path: Path) -> Path:
    """Make the GIF at ``path`` play once (:func:`~conv_explained.render.gif.play_once`).

    Every GIF the site serves stops after one cycle on its final frame. With
    JavaScript the player (pause, step, speed) shows the frames instead; a
    reader without it gets one run through the animation, never an endless
    loop it cannot pause. Returns ``path``.
    """
    from conv_explained.render.gif import atomic_write, play_once

    data = path.read_bytes()
    once = play_once(data)
    if once != data:

        def write(handle: BinaryIO) -> None:
            handle.write(once)

        atomic_write(path, write)
    return path


def dark_path(path: Path) -> Path:
    """Where a figure's dark rendering is written: ``a_001.gif`` -> ``a_001.dark.gif``.

    Examples
    --------
    >>> dark_path(Path("g/a_001.png")).as_posix()
    'g/a_001.dark.png'
    """
    return path.with_suffix(".dark" + path.suffix)


def write_dark_png(image: Any, target: Path) -> Path | None:
    """Write the dark rendering of a renderer's palette image to ``target`` (None if not one)."""
    from conv_explained.render import _draw
    from conv_explained.render.gif import atomic_write, write_png

    if image is None or getattr(image, "mode", None) != "P":
        return None
    dark = _draw.recolour(image, "dark")
    return atomic_write(target, lambda f: write_png(f, dark))


def _rst_path(path: Path, src_dir: Path) -> str:
    """Absolute (srcdir-rooted) POSIX path for a reST image argument."""
    return "/" + path.resolve().relative_to(src_dir.resolve()).as_posix()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def certificate_rst(certificate: Any) -> str:
    """The reST that shows a certificate (see :mod:`conv_explained.verify`) under a figure.

    '' for None (a figure whose check did not run shows no certificate).
    """
    if certificate is None:
        return ""
    body = str(certificate._repr_html_())
    return "\n.. raw:: html\n\n   " + body + "\n\n"


def picture_rst(
    gif: str | None,
    still: str,
    alt: str,
    *,
    player: str | None = None,
    dark: Mapping[str, str] | None = None,
) -> str:
    """The reST that shows one picture: an ``animated-image`` or a plain image.

    Parameters
    ----------
    gif : str or None
        Srcdir-rooted path of the GIF, or None for a still picture alone.
    still : str
        Srcdir-rooted path of the PNG still.
    alt : str
        Alternative text (one line is kept).
    player : str, optional
        Srcdir-rooted path of the player data :func:`write_player_files`
        wrote (an animation only).
    dark : mapping, optional
        Srcdir-rooted paths of the dark renderings: ``gif`` and ``still``
        (either may be missing), and of a wide figure's narrow renderings
        ``narrow-gif``, ``narrow-still``, ``narrow-dark-gif`` and
        ``narrow-dark-still``.

    Returns
    -------
    str
        reST, indented by nothing, followed by a blank line.

    Examples
    --------
    >>> print(picture_rst("/g/a.gif", "/g/a.png", "A kernel slides."), end="")
    <BLANKLINE>
    .. animated-image:: /g/a.gif
       :still: /g/a.png
       :alt: A kernel slides.
    <BLANKLINE>
    """
    alt = _one_line(alt) or "Figure"
    dark = dict(dark or {})
    if gif is None:
        if dark.get("still"):
            return (
                f"\n.. themed-image:: {still}\n   :dark: {dark['still']}\n   :alt: {alt}\n"
                f"   :class: sphx-glr-single-img\n\n"
            )
        return f"\n.. image:: {still}\n   :alt: {alt}\n   :class: sphx-glr-single-img\n\n"
    extra = f"   :player: {player}\n" if player else ""
    if dark.get("gif"):
        extra += f"   :dark: {dark['gif']}\n"
    if dark.get("still"):
        extra += f"   :dark-still: {dark['still']}\n"
    for name in ("narrow-gif", "narrow-still", "narrow-dark-gif", "narrow-dark-still"):
        if dark.get(name):
            extra += f"   :{name}: {dark[name]}\n"
    return f"\n.. animated-image:: {gif}\n   :still: {still}\n   :alt: {alt}\n{extra}\n"


def gif_scraper(block: Any, block_vars: Mapping[str, Any], gallery_conf: Mapping[str, Any]) -> str:
    """sphinx-gallery image scraper for the files the renderer wrote.

    Drains ``conv_explained.render.take_written()``; each entry is a dict with
    ``"path"``, ``"kind"`` (``"gif"``, ``"still"`` or ``"strip"``) and
    ``"alt"``. Every picture takes the next number from
    ``block_vars["image_path_iterator"]``: its still is moved to that
    ``.png`` path and its GIF to the same name with ``.gif``, so a thumbnail
    (which sphinx-gallery looks for as PNG first) is always a still. A GIF
    written without a still gets its last frame as one. Beside each GIF and
    still the renderer drew, its dark rendering is written
    (:func:`dark_path`).

    Returns
    -------
    str
        reST for the pictures of this code block ('' if none).
    """
    written = _take_written()
    if not written:
        return ""
    src_dir = Path(gallery_conf["src_dir"])
    iterator = block_vars["image_path_iterator"]
    rst = []
    for main, still in _pair(written):
        target_png = Path(next(iterator)).with_suffix(".png")
        target_png.parent.mkdir(parents=True, exist_ok=True)
        source = Path(main["path"])
        if not source.is_file():
            raise FileNotFoundError(
                f"the renderer reported writing {str(source)!r} but there is no such file"
            )
        alt = main.get("alt") or (still or {}).get("alt") or ""
        certificate = main.get("certificate") or (still or {}).get("certificate")
        panels = main.get("panels")  # a GIF's geometry holds for its last frame
        if main["kind"] == "gif":
            target_gif = target_png.with_suffix(".gif")
            shutil.move(source, target_gif)
            site_gif(target_gif)
            anim = main.get("player")
            dark: dict[str, str] = {}
            if still is not None and Path(still["path"]).is_file():
                shutil.move(Path(still["path"]), target_png)
                panels = still.get("panels")  # a strip has none
                still_image = still.get("image")
            else:
                last_frame_png(target_gif, target_png)
                still_image = anim.frames[-1] if anim is not None else None
            player = None
            if anim is not None:
                player = _rst_path(write_player_files(anim, target_png), src_dir)
                dark_gif = site_gif(anim.save_gif(dark_path(target_gif), theme="dark"))
                dark["gif"] = _rst_path(dark_gif, src_dir)
                narrow = narrow_of(anim)
                if narrow is not None:
                    files = write_narrow_files(anim, narrow, still_image, target_png)
                    dark.update({k: _rst_path(v, src_dir) for k, v in files.items()})
            dark_still = write_dark_png(still_image, dark_path(target_png))
            if dark_still is not None and dark:
                dark["still"] = _rst_path(dark_still, src_dir)
            rst.append(
                picture_rst(
                    _rst_path(target_gif, src_dir),
                    _rst_path(target_png, src_dir),
                    alt,
                    player=player,
                    dark=dark,
                )
            )
            rst.append(certificate_rst(certificate))
        else:
            if source.suffix.lower() != ".png":
                raise ValueError(f"a {main['kind']} must be a PNG file, got {str(source)!r}")
            shutil.move(source, target_png)
            dark_still = write_dark_png(main.get("image"), dark_path(target_png))
            rst.append(
                picture_rst(
                    None,
                    _rst_path(target_png, src_dir),
                    alt,
                    dark={"still": _rst_path(dark_still, src_dir)} if dark_still else None,
                )
            )
            rst.append(certificate_rst(certificate))
        write_panel_boxes(target_png, panels)
    return "".join(rst)


def narrow_of(anim: Any) -> Any:
    """A wide animation's narrow (stacked) rendering, or None if it is narrow enough.

    :meth:`~conv_explained.render.Animation.with_layout` ``("auto")``: the same
    scenes, so the same checked digits and captions, with the panels one above
    another when the side-by-side frames are wider than ``NARROW_PX``.
    """
    relayout = getattr(anim, "with_layout", None)
    if relayout is None:
        return None
    narrow = relayout("auto")
    return None if narrow is anim else narrow


def _still_frame(anim: Any, image: Any) -> Any:
    """The narrow counterpart of a wide still: the same frame index, or the key-frame strip."""
    if image is not None:
        data = image.tobytes()
        for k, frame in enumerate(anim.frames):
            if frame.size == image.size and frame.tobytes() == data:
                return k
    return None


def write_narrow_files(anim: Any, narrow: Any, still_image: Any, png: Path) -> dict[str, Path]:
    """Write the narrow GIF and still (light and dark) beside a gallery still ``a_001.png``.

    ``a_001.narrow.gif``, ``a_001.narrow.dark.gif``, ``a_001.narrow.png`` and
    ``a_001.narrow.dark.png``: the still is the narrow rendering of the frame
    the wide still shows (the key-frame strip if it is none). Returns them by
    name (``narrow-gif``, ...). The player's narrow sheet and poster are
    written by :func:`write_player_files`.
    """
    from conv_explained.render import _draw
    from conv_explained.render.gif import atomic_write, write_png

    frame = _still_frame(anim, still_image)
    image = narrow.frames[frame] if frame is not None else narrow.strip(frames=narrow.key_frames)
    gif = png.with_suffix(".narrow.gif")
    still = png.with_suffix(".narrow.png")
    out = {
        "narrow-gif": site_gif(narrow.save_gif(gif)),
        "narrow-dark-gif": site_gif(narrow.save_gif(dark_path(gif), theme="dark")),
        "narrow-still": atomic_write(still, lambda f: write_png(f, image)),
        "narrow-dark-still": atomic_write(
            dark_path(still), lambda f: write_png(f, _draw.recolour(image, "dark"))
        ),
    }
    _take_written()  # the narrow GIF is no figure of its own for the scraper
    return out


def player_payload(anim: Any) -> dict[str, Any]:
    """What a page's player needs of an animation: its captions, timing and images.

    Returns
    -------
    dict
        ``captions`` (the renderer's text of each frame), ``durations`` (ms),
        ``keys`` (the key frames, for print), ``columns`` and ``size`` (the
        frame sheet's layout), and the PNG bytes of ``sheet`` (every frame),
        ``strip`` (the key frames, for print) and ``poster`` (the final frame,
        where a player starts), and of their dark renderings ``dark_sheet``
        and ``dark_poster`` (no print strip: paper is light).
    """
    import io

    from conv_explained.render.gif import write_png

    def png(image: Any, level: int = 9) -> bytes:
        buffer = io.BytesIO()
        write_png(buffer, image, compress_level=level)
        return buffer.getvalue()

    from conv_explained.render import _draw

    with tempfile.TemporaryDirectory() as tmp:
        sheet = anim.save_sheet(Path(tmp, "sheet.png")).read_bytes()
        dark_sheet = anim.save_sheet(Path(tmp, "dark.png"), theme="dark").read_bytes()
    return {
        "captions": [str(c) for c in anim.captions],
        "durations": [int(d) for d in anim.durations],
        "keys": [int(k) for k in anim.key_frames],
        "columns": int(anim.sheet_columns),
        "size": [int(v) for v in anim.size],
        "sheet": sheet,
        "strip": png(anim.strip(frames=anim.key_frames), 6),
        "poster": png(anim.frames[-1]),
        "dark_sheet": dark_sheet,
        "dark_poster": png(_draw.recolour(anim.frames[-1], "dark")),
        **_narrow_payload(anim, png),
    }


def _narrow_payload(anim: Any, png: Any) -> dict[str, Any]:
    """The player's narrow images of a wide animation ({} for a narrow one).

    ``narrow`` holds the narrow frames' ``size`` and ``columns``; the PNG bytes
    are ``narrow_sheet``, ``narrow_poster`` and their dark renderings.
    """
    from conv_explained.render import _draw

    narrow = narrow_of(anim)
    if narrow is None:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        sheet = narrow.save_sheet(Path(tmp, "sheet.png")).read_bytes()
        dark_sheet = narrow.save_sheet(Path(tmp, "dark.png"), theme="dark").read_bytes()
    return {
        "narrow": {"size": [int(v) for v in narrow.size], "columns": int(narrow.sheet_columns)},
        "narrow_sheet": sheet,
        "narrow_poster": png(narrow.frames[-1]),
        "narrow_dark_sheet": dark_sheet,
        "narrow_dark_poster": png(_draw.recolour(narrow.frames[-1], "dark")),
    }


def write_player_files(anim: Any, png: Path) -> Path:
    """Write an animation's player files beside its gallery still ``a_001.png``.

    ``a_001.player.json`` (the captions, durations and layout),
    ``a_001.sheet.png``, ``a_001.print.png`` (the key-frame strip),
    ``a_001.poster.png`` and the dark ``a_001.sheet.dark.png`` and
    ``a_001.poster.dark.png``, and for a wide animation the narrow ones
    (``a_001.narrow.sheet.png``, ``a_001.narrow.sheet.dark.png``, ...);
    returns the JSON's path.
    """
    payload = player_payload(anim)
    data = {key: payload[key] for key in _PLAYER_KEYS}
    for name in ("sheet", "strip", "poster"):
        target = png.with_suffix(f".{'print' if name == 'strip' else name}.png")
        target.write_bytes(payload[name])
        data[name] = target.name
    data["dark"] = {}
    for name in _DARK_PLAYER:
        target = png.with_suffix(f".{name}.dark.png")
        target.write_bytes(payload[f"dark_{name}"])
        data["dark"][name] = target.name
    if "narrow" in payload:
        data["narrow"] = dict(payload["narrow"])
        data["narrow_files"] = {}
        for name in _DARK_PLAYER:
            for theme in ("", "dark_"):
                target = png.with_suffix(f".narrow.{name}{'.dark' if theme else ''}.png")
                target.write_bytes(payload[f"narrow_{theme}{name}"])
                data["narrow_files"][f"narrow-{theme.replace('_', '-')}{name}"] = target.name
    target = png.with_suffix(".player.json")
    target.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def _panels_file(png: Path) -> Path:
    """Where the panel boxes of a gallery still are kept: ``a_001.png`` -> ``a_001.panels.json``."""
    return png.with_suffix(".panels.json")


def write_panel_boxes(png: Path, panels: Mapping[str, Any] | None) -> None:
    """Keep a still's panel boxes (``Animation.panel_boxes``) beside it, for its thumbnail.

    Without boxes (a strip, a matplotlib figure) an older file is removed.
    """
    target = _panels_file(png)
    if not panels:
        target.unlink(missing_ok=True)
        return
    boxes = {str(name): [int(v) for v in box] for name, box in panels.items()}
    target.write_text(json.dumps({"panels": boxes}) + "\n", encoding="utf-8")


def read_panel_boxes(png: Path) -> dict[str, tuple[int, int, int, int]]:
    """The boxes :func:`write_panel_boxes` kept for ``png``, left to right ({} if none)."""
    target = _panels_file(png)
    if not target.is_file():
        return {}
    data = json.loads(target.read_text(encoding="utf-8"))
    return {name: (box[0], box[1], box[2], box[3]) for name, box in data["panels"].items()}


def reset_matplotlib(gallery_conf: Mapping[str, Any], fname: str) -> None:
    """sphinx-gallery reset hook: after ``rcdefaults()``, the reproducible settings."""
    import matplotlib

    matplotlib.rcParams.update(REPRODUCIBLE_RC)  # type: ignore[arg-type]  # valid rc keys


def verify_context(gallery_conf: Mapping[str, Any], fname: str) -> None:
    """sphinx-gallery reset hook: name the script about to run in failed checks' messages.

    A :class:`conv_explained.verify.VerificationError` raised by the script
    then starts with ``script gallery/<topic>/<fname>, line N``.

    Parameters
    ----------
    gallery_conf : mapping
        sphinx-gallery's configuration (``examples_dirs`` and ``src_dir`` locate
        the script; ``fname`` is its bare file name).
    fname : str
        The file name of the script.
    """
    from conv_explained import verify

    src = Path(str(gallery_conf.get("src_dir", ".")))
    folders = gallery_conf.get("examples_dirs") or []
    folders = [folders] if isinstance(folders, str) else list(folders)
    found = sorted(
        path
        for folder in folders
        for path in (src / str(folder)).resolve().rglob(Path(fname).name)
    )
    if len(found) == 1:  # the repository's relative path, as a maintainer looks for it
        root = src.resolve().parent
        script = found[0]
        name = script.relative_to(root).as_posix() if root in script.parents else str(script)
    else:
        name = fname
    verify.set_context(script=name)


# --------------------------------------------------------------------------
# Notebooks: a display object carrying the GIF, the still and the alt text
# --------------------------------------------------------------------------


class AnimatedPicture:
    """A GIF with its still and alt text, displayable in Jupyter and MyST-NB.

    Its MIME bundle holds ``image/gif``, ``image/png`` (the still),
    ``text/plain`` (the alt text) and, for the player, :data:`PLAYER_MIME`
    (:func:`player_payload`, images base64-encoded). On the HTML site the
    extension in this module turns them into one ``<picture>`` with its
    player; other builders pick the PNG.
    """

    def __init__(
        self,
        gif: bytes,
        still: bytes,
        alt: str,
        player: Mapping[str, Any] | None = None,
        certificate: Any = None,
    ) -> None:
        self.gif = bytes(gif)
        self.still = bytes(still)
        self.alt = _one_line(alt)
        self.player = dict(player) if player is not None else None
        self.certificate = certificate

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle: dict[str, Any] = {
            "image/gif": base64.b64encode(self.gif).decode("ascii"),
            "image/png": base64.b64encode(self.still).decode("ascii"),
            "text/plain": self.alt,
        }
        if self.certificate is not None:  # shown under the picture (see NotebookPictures)
            bundle["text/html"] = self.certificate._repr_html_()
        if self.player is not None:  # read by PlayerMime on the site; Jupyter ignores it
            bundle[PLAYER_MIME] = {
                key: base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value
                for key, value in self.player.items()
            }
        return bundle

    def __repr__(self) -> str:
        return self.alt


def show(anim: Any, *, still: str = "still") -> AnimatedPicture:
    """Display an animation from ``conv_explained.render`` in a notebook page.

    Parameters
    ----------
    anim : Animation
        Anything with ``save_gif(path)``, ``save_still(path)`` (or
        ``save_strip(path)``) and ``alt_text``.
    still : {"still", "strip"}, optional
        Which picture stands in for the animation when motion is reduced.

    Returns
    -------
    AnimatedPicture
    """
    if still not in _STILL_KINDS:
        raise ValueError(f"still must be 'still' or 'strip', got {still!r}")
    with tempfile.TemporaryDirectory() as tmp:
        gif, png = Path(tmp, "anim.gif"), Path(tmp, "anim.png")
        site_gif(anim.save_gif(gif))
        getattr(anim, f"save_{still}")(png)
        player = player_payload(anim) if hasattr(anim, "save_sheet") else None
        if player is not None:  # an Animation: its dark GIF and still too
            from conv_explained.render import _draw
            from conv_explained.render.gif import write_png

            player["dark_gif"] = site_gif(
                anim.save_gif(Path(tmp, "dark.gif"), theme="dark")
            ).read_bytes()
            image = anim.frames[-1] if still == "still" else anim.strip()
            dark_png = Path(tmp, "dark.png")
            with dark_png.open("wb") as handle:
                write_png(handle, _draw.recolour(image, "dark"), 9 if still == "still" else 6)
            player["dark_still"] = dark_png.read_bytes()
            narrow = narrow_of(anim)
            if narrow is not None:  # a wide animation: its narrow GIF and still too
                player["narrow_gif"] = site_gif(narrow.save_gif(Path(tmp, "n.gif"))).read_bytes()
                player["narrow_dark_gif"] = site_gif(
                    narrow.save_gif(Path(tmp, "nd.gif"), theme="dark")
                ).read_bytes()
                small = narrow.frames[-1] if still == "still" else narrow.strip()
                for key, theme in (("narrow_still", "light"), ("narrow_dark_still", "dark")):
                    target = Path(tmp, f"{key}.png")
                    with target.open("wb") as handle:
                        write_png(handle, _draw.recolour(small, theme), 9)
                    player[key] = target.read_bytes()
        picture = AnimatedPicture(
            gif.read_bytes(),
            png.read_bytes(),
            anim.alt_text,
            player,
            certificate=getattr(anim, "certificate", None),
        )
    _take_written()  # the files are gone; do not leave them for a scraper
    return picture


def _check_player(player: Mapping[str, Any]) -> None:
    """Refuse player data whose parts disagree (one caption and duration per frame)."""
    missing = [key for key in (*_PLAYER_KEYS, "poster", "sheet", "strip") if key not in player]
    if missing:
        raise ValueError(f"player data must have {', '.join(missing)}, got {sorted(player)!r}")
    n = len(player["captions"])
    if n < 1 or len(player["durations"]) != n:
        raise ValueError(
            f"player data must have one duration per caption, got {len(player['durations'])} "
            f"for {n}"
        )
    if not player["keys"] or any(not 0 <= int(k) < n for k in player["keys"]):
        raise ValueError(f"player keys must be frames 0 to {n - 1}, got {player['keys']!r}")


def _frames_phrase(keys: Sequence[int], count: int) -> str:
    """``([0, 4, 9], 10) -> "frames 1, 5 and 10 of 10"``."""
    shown = [str(int(k) + 1) for k in keys]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return f"frame{'s' if len(shown) > 1 else ''} {listed} of {count}"


def player_html(
    uri: Mapping[str, str],
    alt: str,
    classes: Iterable[str],
    player: Mapping[str, Any] | None,
) -> str:
    """The HTML of one animation: its ``<picture>`` and, with player data, its player.

    Parameters
    ----------
    uri : mapping
        URIs of the ``still`` and ``gif`` and, with a player, of the
        ``poster``, ``sheet`` and ``strip`` (print) images; optionally of the
        dark renderings ``dark-gif``, ``dark-still``, ``dark-poster`` and
        ``dark-sheet`` (written as ``data-ce-dark*`` attributes, for
        ``_static/player.js``).
    alt : str
        Alternative text of the picture.
    classes : iterable of str
        Classes of the wrapping element.
    player : mapping or None
        ``captions``, ``durations``, ``keys``, ``columns`` and ``size`` (see
        :func:`player_payload`).

    Returns
    -------
    str

    Examples
    --------
    >>> print(player_html({"still": "a.png", "gif": "a.gif"}, "A <b>", ["ce-picture"], None))
    <div class="ce-picture"><picture><source media="(prefers-reduced-motion: reduce)" srcset="a.png"><img src="a.gif" alt="A &lt;b&gt;" loading="lazy"></picture></div>
    <BLANKLINE>
    """

    def esc(text: Any) -> str:
        return html.escape(str(text), quote=True)

    def dark(name: str, attr: str) -> str:
        return f' {attr}="{esc(uri[name])}"' if uri.get(name) else ""

    picture = "<picture>"
    if player is not None:
        picture += f'<source media="print" srcset="{esc(uri["strip"])}">'
    if uri.get("narrow-still"):  # a wide figure's narrow rendering, on small screens
        picture += (
            f'<source media="{REDUCED_MOTION} and {NARROW}" srcset="{esc(uri["narrow-still"])}"'
            f"{dark('narrow-dark-still', 'data-ce-dark-srcset')}>"
        )
    picture += (
        f'<source media="{REDUCED_MOTION}" srcset="{esc(uri["still"])}"'
        f"{dark('dark-still', 'data-ce-dark-srcset')}>"
    )
    if uri.get("narrow-gif"):
        picture += (
            f'<source media="{NARROW}" srcset="{esc(uri["narrow-gif"])}" data-ce-narrow'
            f"{dark('narrow-dark-gif', 'data-ce-dark-srcset')}>"
        )
    picture += (
        f'<img src="{esc(uri["gif"])}" alt="{esc(alt)}" loading="lazy"'
        f"{dark('dark-gif', 'data-ce-dark-src')}></picture>"
    )
    names = " ".join(classes)
    if player is None:
        return f'<div class="{esc(names)}">{picture}</div>\n'
    captions = [str(c) for c in player["captions"]]
    keys = [int(k) for k in player["keys"]]
    width, height = (int(v) for v in player["size"])
    attrs = {
        "class": f"{names} ce-player",
        "data-ce-poster": uri["poster"],
        "data-ce-sheet": uri["sheet"],
        "data-ce-columns": int(player["columns"]),
        "data-ce-size": f"{width} {height}",
        "data-ce-durations": " ".join(str(int(d)) for d in player["durations"]),
    }
    for name in _DARK_PLAYER:
        if uri.get(f"dark-{name}"):
            attrs[f"data-ce-{name}-dark"] = uri[f"dark-{name}"]
    attrs.update(_narrow_attrs(uri, player.get("narrow")))
    printed = "; ".join(f"{k + 1}. {captions[k]}" for k in keys)
    steps = "".join(f"<li>{esc(c)}</li>" for c in captions)
    return (
        "<div " + " ".join(f'{name}="{esc(value)}"' for name, value in attrs.items()) + ">"
        f"{picture}"
        f'<p class="ce-print-only ce-print-caption">Printed here: '
        f"{esc(_frames_phrase(keys, len(captions)))} of the animation ({esc(printed)}).</p>"
        f'<details class="ce-steps"><summary>Step by step</summary>'
        f"<ol>{steps}</ol></details></div>\n"
    )


def _narrow_attrs(uri: Mapping[str, str], narrow: Mapping[str, Any] | None) -> dict[str, Any]:
    """The player's ``data-ce-narrow-*`` attributes of a wide figure ({} without them)."""
    if not narrow or not uri.get("narrow-sheet") or not uri.get("narrow-poster"):
        return {}
    attrs: dict[str, Any] = {
        "data-ce-narrow-size": " ".join(str(int(v)) for v in narrow["size"]),
        "data-ce-narrow-columns": int(narrow["columns"]),
    }
    for name in _DARK_PLAYER:
        attrs[f"data-ce-narrow-{name}"] = uri[f"narrow-{name}"]
        if uri.get(f"narrow-dark-{name}"):
            attrs[f"data-ce-narrow-{name}-dark"] = uri[f"narrow-dark-{name}"]
    return attrs


def still_html(still: str, dark: str, alt: str, classes: Iterable[str]) -> str:
    """The HTML of a still figure with a dark rendering (``data-ce-dark-src``).

    Examples
    --------
    >>> print(still_html("a.png", "a.dark.png", "A", ["sphx-glr-single-img"]), end="")
    <div class="ce-picture ce-still"><img src="a.png" alt="A" class="sphx-glr-single-img" data-ce-dark-src="a.dark.png" loading="lazy"></div>
    """

    def esc(text: Any) -> str:
        return html.escape(str(text), quote=True)

    names = " ".join(classes)
    cls = f' class="{esc(names)}"' if names else ""
    return (
        f'<div class="ce-picture ce-still"><img src="{esc(still)}" alt="{esc(alt)}"{cls} '
        f'data-ce-dark-src="{esc(dark)}" loading="lazy"></div>\n'
    )


# --------------------------------------------------------------------------
# Sphinx: the node, the directive, the post-transform
# --------------------------------------------------------------------------
# Sphinx and docutils are only present where the docs are built; the rest of
# this module (and its doctests) must import without them.
try:
    from docutils import nodes
    from docutils.parsers.rst import directives
    from sphinx.transforms import SphinxTransform
    from sphinx.transforms.post_transforms import SphinxPostTransform
    from sphinx.util import logging as sphinx_logging
    from sphinx.util.docutils import SphinxDirective
except ImportError:  # pragma: no cover - exercised by the tests session
    nodes = None

if nodes is not None:

    class picture(nodes.General, nodes.Element):
        """An animation with its still: ``children == [still image, GIF image]``.

        With a player, three more image nodes follow (the poster, the frame
        sheet and the key-frame strip) and ``node["player"]`` holds the
        captions, durations, key frames and sheet layout. The dark renderings
        come last, classed ``ce-dark-gif``, ``ce-dark-still``,
        ``ce-dark-poster`` and ``ce-dark-sheet``. A still alone with its
        dark rendering is ``[still, dark still]`` with ``node["still_only"]``.
        """

    def make_picture(
        gif_uri: str,
        still_uri: str,
        alt: str,
        classes: Iterable[str] = (),
        player: Mapping[str, Any] | None = None,
        dark: Mapping[str, str] | None = None,
    ) -> Any:
        """A :class:`picture` node holding its image nodes (still first, then the GIF).

        ``player`` is :func:`player_payload` with the three images given as
        URIs (``poster``, ``sheet``, ``strip``); ``dark`` gives the URIs of
        the dark renderings (``dark-gif``, ``dark-still``, ``dark-poster``,
        ``dark-sheet``; any may be missing), kept as image nodes after them.
        """
        node = picture(classes=["ce-picture", *classes])
        node += nodes.image(uri=still_uri, alt=alt)
        node += nodes.image(uri=gif_uri, alt=alt)
        if player is not None:
            _check_player(player)
            node["player"] = {key: player[key] for key in _PLAYER_KEYS}
            if player.get("narrow"):
                node["player"]["narrow"] = dict(player["narrow"])
            for name in ("poster", "sheet", "strip"):
                node += nodes.image(uri=player[name], alt="", classes=[f"ce-{name}"])
        darks = dict(dark or {})
        for name in _DARK_NAMES:
            if darks.get(name):
                node += nodes.image(uri=darks[name], alt="", classes=[f"ce-{name}"])
        return node

    def make_themed_still(
        still_uri: str, dark_uri: str, alt: str, classes: Iterable[str] = ()
    ) -> Any:
        """A :class:`picture` of a still alone with its dark rendering (``still_only``)."""
        node = picture(classes=["ce-picture"])
        node["still_only"] = True
        node += nodes.image(uri=still_uri, alt=alt, classes=list(classes))
        node += nodes.image(uri=dark_uri, alt="", classes=["ce-dark-still"])
        return node

    class PlayerMime:
        """MyST-NB renderer of :data:`PLAYER_MIME` (entry point ``myst_nb.mime_renderers``).

        Writes the poster, sheet and strip of :func:`show`'s output where
        MyST-NB writes its images and returns them as image nodes in a
        container holding the rest of the data, for :class:`NotebookPictures`.
        No builder ever picks this output on its own.
        """

        mime_priority_overrides: ClassVar[list[tuple[str, str, int | None]]] = [
            ("*", PLAYER_MIME, None)
        ]

        @staticmethod
        def handle_mime(renderer: Any, data: Any, inline: bool) -> list[Any] | None:
            if data.mime_type != PLAYER_MIME:
                return None
            import hashlib

            content = data.content
            if isinstance(content, str):
                content = json.loads(content)
            uris = {}
            names = [("poster", "poster"), ("sheet", "sheet"), ("strip", "strip")]
            names += [(f"dark_{n}", f"dark-{n}") for n in ("gif", "still", *_DARK_PLAYER)]
            names += [(n.replace("-", "_"), n) for n in _NARROW_NAMES]
            for key, name in names:
                if key not in content:
                    continue
                raw = base64.b64decode(content[key])
                ext = "gif" if key.endswith("gif") else "png"
                filename = f"{hashlib.sha256(raw).hexdigest()}.{ext}"
                uris[name] = renderer.write_file([filename], raw, overwrite=False, exists_ok=True)
            box = nodes.container(classes=["ce-player-data"])
            box["ce_player"] = {key: content[key] for key in _PLAYER_KEYS}
            if content.get("narrow"):
                box["ce_player"]["narrow"] = dict(content["narrow"])
            for name, uri in uris.items():
                box += nodes.image(uri=uri, alt="", classes=[f"ce-{name}"])
            return [box]

    class AnimatedImage(SphinxDirective):
        """``.. animated-image:: anim.gif`` with ``:still: anim.png`` and ``:alt:`` text."""

        required_arguments = 1
        option_spec: ClassVar[dict[str, Any]] = {
            "still": directives.uri,
            "alt": directives.unchanged_required,
            "class": directives.class_option,
            "player": directives.uri,
            "dark": directives.uri,
            "dark-still": directives.uri,
            "narrow-gif": directives.uri,
            "narrow-still": directives.uri,
            "narrow-dark-gif": directives.uri,
            "narrow-dark-still": directives.uri,
        }

        def run(self) -> list[Any]:
            if "still" not in self.options:
                raise self.error("animated-image needs a :still: PNG for reduced motion")
            if not self.options.get("alt"):
                raise self.error("animated-image needs :alt: text")
            player = None
            dark = {
                name: self.options[option]
                for name, option in (
                    ("dark-gif", "dark"),
                    ("dark-still", "dark-still"),
                    *((n, n) for n in _NARROW_NAMES[:4]),
                )
                if option in self.options
            }
            if "player" in self.options:
                rel, path = self.env.relfn2path(self.options["player"], self.env.docname)
                self.env.note_dependency(rel)
                try:
                    player = json.loads(Path(path).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise self.error(f"cannot read the :player: data {rel!r}: {exc}") from exc
                folder = posixpath.dirname(self.options["player"])
                for name in ("poster", "sheet", "strip"):
                    player[name] = posixpath.join(folder, player[name])
                for name, file in (player.pop("dark", None) or {}).items():
                    dark[f"dark-{name}"] = posixpath.join(folder, file)
                for name, file in (player.pop("narrow_files", None) or {}).items():
                    dark[name] = posixpath.join(folder, file)
            node = make_picture(
                directives.uri(self.arguments[0]),
                self.options["still"],
                _one_line(self.options["alt"]),
                self.options.get("class", []),
                player,
                dark,
            )
            self.set_source_info(node)
            return [node]

    class ThemedImage(SphinxDirective):
        """``.. themed-image:: a.png`` with ``:dark: a.dark.png``, ``:alt:`` and ``:class:``.

        A still figure with its dark rendering: the page shows the light one,
        and the dark one while its theme is dark (``_static/player.js``).
        """

        required_arguments = 1
        option_spec: ClassVar[dict[str, Any]] = {
            "dark": directives.uri,
            "alt": directives.unchanged_required,
            "class": directives.class_option,
        }

        def run(self) -> list[Any]:
            if not self.options.get("dark"):
                raise self.error("themed-image needs a :dark: PNG")
            if not self.options.get("alt"):
                raise self.error("themed-image needs :alt: text")
            node = make_themed_still(
                directives.uri(self.arguments[0]),
                self.options["dark"],
                _one_line(self.options["alt"]),
                self.options.get("class", []),
            )
            self.set_source_info(node)
            return [node]

    def _html_uri(translator: Any, image: Any) -> str:
        uri: str = image["uri"]
        images = translator.builder.images
        if uri in images:
            return posixpath.join(translator.builder.imgpath, urllib.parse.quote(images[uri]))
        return uri

    def visit_picture_html(self: Any, node: Any) -> None:
        """``<picture>``: the key frames in print, the still for reduced motion, else the GIF.

        With player data the picture is followed by a print-only caption
        naming the printed frames and a collapsed "Step by step" list of
        every frame's caption; ``data-ce-*`` attributes give the player
        (``_static/player.js``) the frame sheet, its layout and the durations.
        """
        if node.get("still_only"):
            still, dark = node.children
            self.body.append(
                still_html(
                    _html_uri(self, still),
                    _html_uri(self, dark),
                    still.get("alt", ""),
                    still.get("classes", []),
                )
            )
            raise nodes.SkipNode
        still, gif, *extra = node.children
        uri = {"still": _html_uri(self, still), "gif": _html_uri(self, gif)}
        uri.update({image["classes"][-1][3:]: _html_uri(self, image) for image in extra})
        self.body.append(player_html(uri, gif.get("alt", ""), node["classes"], node.get("player")))
        raise nodes.SkipNode

    def visit_picture_static(self: Any, node: Any) -> None:
        """Other writers show the still (normally already substituted, see below)."""
        node.children[0].walkabout(self)
        raise nodes.SkipNode

    def stills_for_static_builders(app: Any, doctree: Any, docname: str) -> None:
        """Builders that cannot show a GIF get the still image node alone."""
        if app.builder.format == "html" and "image/gif" in app.builder.supported_image_types:
            return
        for node in list(doctree.findall(picture)):
            node.replace_self(node.children[0])

    class NotebookPictures(SphinxPostTransform):
        """MyST-NB outputs holding a GIF and a PNG become one :class:`picture`.

        Runs just before MyST-NB keeps one MIME type per output (its priority
        4). The alt text is the output's ``text/plain``.
        """

        default_priority = 3
        formats = ("html",)

        def run(self, **kwargs: Any) -> None:
            for bundle in list(self.document.findall(nodes.container)):
                if bundle.get("nb_element") != "mime_bundle":
                    continue
                parts = {child.get("mime_type"): child for child in bundle.children}
                if "image/gif" not in parts or "image/png" not in parts:
                    continue
                gif = next(iter(parts["image/gif"].findall(nodes.image)), None)
                still = next(iter(parts["image/png"].findall(nodes.image)), None)
                if gif is None or still is None:
                    continue
                text = parts["text/plain"].astext() if "text/plain" in parts else ""
                alt = _one_line(text).strip("'\"") or "Animation"
                player = None
                dark: dict[str, str] = {}
                images = [still, gif]
                if PLAYER_MIME in parts:
                    boxes = parts[PLAYER_MIME].findall(
                        lambda n: isinstance(n, nodes.container) and "ce_player" in n
                    )
                    box = next(iter(boxes), None)
                    if box is not None:
                        files = {i["classes"][-1][3:]: i for i in box.findall(nodes.image)}
                        player = {**box["ce_player"], **{k: v["uri"] for k, v in files.items()}}
                        images += [files[name] for name in ("poster", "sheet", "strip")]
                        dark = {n: files[n]["uri"] for n in _DARK_NAMES if n in files}
                        images += [files[n] for n in _DARK_NAMES if n in files]
                node = make_picture(gif["uri"], still["uri"], alt, player=player, dark=dark)
                for new, old in zip(node.children, images, strict=True):
                    new["candidates"] = dict(old.get("candidates", {}))
                certificate = [
                    raw
                    for raw in (
                        parts["text/html"].findall(nodes.raw) if "text/html" in parts else []
                    )
                    if "ce-certificate" in raw.astext()
                ]
                bundle.replace_self([node, *certificate])

    class ThemedThumbnails(SphinxTransform):
        """A gallery thumbnail with a dark one beside it becomes a light/dark pair of images.

        sphinx-gallery writes each thumbnail as one ``.. image::`` of
        ``images/thumb/sphx_glr_<example>_thumb.png``, on the gallery indexes
        and in the API pages' mini-galleries (``.. include::`` of its
        backreference files). Where :func:`crop_gallery_thumbnails` wrote the
        dark crop ``sphx_glr_<example>_thumb.dark.png``, the image is classed
        ``only-light`` and a copy of it (the same alt text) showing the dark
        crop, classed ``only-dark``, follows it: pydata-sphinx-theme shows
        the one of the page's theme (``auto`` follows the system) and puts no
        filter on an ``only-dark`` image; ``_static/print.css`` prints the
        light one. Without a dark crop the thumbnail is left alone.

        A read-phase transform on the parsed page, so sphinx-gallery's
        templates and the written HTML stay as they are; it runs before
        Sphinx collects a page's images, which then copies the dark crop
        to ``_images`` and re-reads the page when it changes.
        """

        # Before Sphinx's DoctreeReadEvent (880), whose ImageCollector finds the images.
        default_priority = 700

        def apply(self, **kwargs: Any) -> None:
            for image in list(self.document.findall(nodes.image)):
                uri = str(image.get("uri", ""))
                if not _GALLERY_THUMB.search(uri):
                    continue
                dark_uri = dark_path(Path(uri)).as_posix()
                _, path = self.env.relfn2path(dark_uri, self.env.docname)
                if not Path(path).is_file():
                    continue
                classes = list(image.get("classes", []))
                dark = image.deepcopy()  # the same alt text
                dark["uri"] = dark_uri
                dark["classes"] = [*classes, "only-dark"]
                image["classes"] = [*classes, "only-light"]
                image.parent.insert(image.parent.index(image) + 1, dark)

    def check_api_coverage(app: Any, env: Any) -> None:
        """Warn for each name in ``__all__`` of ``ce_api_modules`` left undocumented."""
        import importlib

        documented = set(env.get_domain("py").objects)
        logger = sphinx_logging.getLogger(__name__)
        for module_name in app.config.ce_api_modules:
            module = importlib.import_module(module_name)
            names = getattr(module, "__all__", [])
            missing = sorted(n for n in names if f"{module_name}.{n}" not in documented)
            if missing:
                logger.warning(
                    "the API reference misses %s from %s.__all__: list them in docs/api.md",
                    ", ".join(missing),
                    module_name,
                )

    def resolve_reexports(app: Any, env: Any, node: Any, contnode: Any) -> Any:
        """Point references to a public name at its documented, re-exported path.

        The API reference documents ``conv_explained.correlate``; a docstring
        in ``conv_explained/ops.py`` writes :func:`correlate` or
        :func:`conv_explained.ops.correlate`. Both resolve here.
        """
        if node.get("refdomain") != "py":
            return None
        target = node.get("reftarget", "")
        context = node.get("py:module") or ""
        if not (target.startswith("conv_explained.") or context.startswith("conv_explained")):
            return None
        name = target.rsplit(".", 1)[-1]
        if name.startswith("_"):
            return None
        domain = env.get_domain("py")
        for package in app.config.ce_api_modules or ("conv_explained",):
            candidate = f"{package}.{name}"
            if candidate != target and candidate in domain.objects:
                return domain.resolve_xref(
                    env, node["refdoc"], app.builder, node["reftype"], candidate, node, contnode
                )
        return None


def _describe_gallery_thumbnails() -> None:
    """Give sphinx-gallery's thumbnails their example's title as alt text.

    sphinx-gallery writes thumbnails with an empty ``:alt:``; a reader of a
    screen reader then hears nothing about them. Its template is a module
    constant formatted with the example ``title``, so the fix is one line
    there. If a future sphinx-gallery changes the template, nothing is
    patched and the browser tests' alt-text check reports the thumbnails.
    """
    try:
        from sphinx_gallery import backreferences
    except ImportError:  # pragma: no cover
        return
    for name in ("THUMBNAIL_TEMPLATE", "BACKREF_THUMBNAIL_TEMPLATE"):
        template = getattr(backreferences, name, None)
        if isinstance(template, str) and "    :alt:\n" in template:
            setattr(
                backreferences,
                name,
                template.replace("    :alt:\n", "    :alt: Thumbnail of the example: {title}\n"),
            )


# --------------------------------------------------------------------------
# sphinx-gallery: thumbnails that show the result panel at a readable size
# --------------------------------------------------------------------------


#: Largest crop side in pixels. The site's CSS shows a thumbnail in a 150 px
#: box, so a crop of at most 200 px (with its border, 212) is scaled by 0.7 or
#: more and its 14 px digits stay readable.
THUMB_SIDE = 200

#: Background border added round the crop, in pixels.
THUMB_BORDER = 6

#: The URI of a sphinx-gallery thumbnail in its index and mini-gallery reST.
_GALLERY_THUMB = re.compile(r"(^|/)images/thumb/sphx_glr_[^/]+_thumb\.png$")


def thumbnail_box(
    boxes: Mapping[str, tuple[int, int, int, int]],
    size: tuple[int, int],
    *,
    side: int = THUMB_SIDE,
) -> tuple[int, int, int, int] | None:
    """The crop of a still that makes its thumbnail: the result's cells, readable.

    ``boxes`` are the still's :attr:`~conv_explained.render.Animation.panel_boxes`
    (left to right; the last is the result); ``size`` is the still's
    ``(width, height)``. The crop is the result panel's box (the gallery
    prints the example's title under the thumbnail). A panel larger than
    ``side`` pixels keeps its top left corner, the first cells, so that the
    thumbnail is not shrunk past reading. None without boxes.

    Examples
    --------
    >>> thumbnail_box({"input": (10, 50, 150, 200), "output": (200, 50, 300, 160)}, (420, 260))
    (200, 50, 300, 160)
    >>> thumbnail_box({"output": (20, 40, 600, 120)}, (640, 200))
    (20, 40, 220, 120)
    """
    if not boxes:
        return None
    left, top, right, bottom = list(boxes.values())[-1]
    width, height = size
    left, top = max(left, 0), max(top, 0)
    return left, top, min(right, width, left + side), min(bottom, height, top + side)


def _thumbnail_png(still: Path, box: tuple[int, int, int, int]) -> bytes:
    """PNG bytes of ``box`` cut from ``still``, framed by ``THUMB_BORDER`` px of its background.

    The background is the still's top left pixel (the renderer's canvas
    colour: light in the light rendering, dark in the dark one).
    """
    import io

    from PIL import Image, ImageOps

    with Image.open(still) as image:
        rgb = image.convert("RGB")
    background = rgb.getpixel((0, 0))
    if not isinstance(background, tuple):  # an RGB image's pixel always is one
        raise TypeError(f"{still.name}: its corner pixel is not an RGB colour, got {background!r}")
    crop = ImageOps.expand(rgb.crop(box), border=THUMB_BORDER, fill=background)
    buffer = io.BytesIO()
    crop.save(buffer, format="PNG")
    return buffer.getvalue()


def _write_if_changed(target: Path, data: bytes) -> bool:
    """Write ``data`` to ``target`` unless it already holds them; True if it wrote."""
    if target.is_file() and target.read_bytes() == data:
        return False
    target.write_bytes(data)
    return True


def crop_gallery_thumbnails(app: Any) -> None:
    """Replace each gallery thumbnail by the result panel of its still, unscaled, light and dark.

    sphinx-gallery shrinks the whole figure into its thumbnail box, which
    leaves a wide two-panel animation's digits unreadable. Runs after
    sphinx-gallery has made its thumbnails (``builder-inited``, later
    priority): the thumbnail file keeps its name, so the index and the alt
    text are unchanged; its pixels become :func:`thumbnail_box`'s crop of the
    still chosen by ``sphinx_gallery_thumbnail_number``, placed by the panel
    boxes the renderer recorded for that still (:func:`gif_scraper` keeps
    them beside it). A still without them (not drawn by the renderer) keeps
    sphinx-gallery's thumbnail.

    The same box of the still's dark rendering (``a_001.dark.png``, which
    :func:`gif_scraper` wrote beside it through the renderer) becomes the
    dark thumbnail, ``sphx_glr_a_thumb.dark.png`` (:func:`dark_path`);
    :class:`ThemedThumbnails` pairs the two on the pages.

    Raises
    ------
    ValueError
        If a still the renderer drew has no dark rendering, or one of
        another size.
    """
    import os

    from PIL import Image

    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}  # None: no gallery here
    src = Path(app.srcdir)
    scripts = {
        path.stem: path
        for folder in conf.get("examples_dirs", [])
        for path in (src / folder).resolve().rglob("*.py")
    }
    for gallery in conf.get("gallery_dirs", []):
        for thumb in sorted((src / gallery).rglob("images/thumb/sphx_glr_*_thumb.png")):
            name = thumb.name[len("sphx_glr_") : -len("_thumb.png")]
            script = scripts.get(name)
            number = 1
            if script is not None:
                found = re.search(
                    r"sphinx_gallery_thumbnail_number\s*=\s*(-?\d+)", script.read_text()
                )
                number = int(found.group(1)) if found else 1
            still = thumb.parent.parent / f"sphx_glr_{name}_{number:03d}.png"
            dark_thumb = dark_path(thumb)
            box = None
            if number >= 1 and still.is_file():
                with Image.open(still) as image:
                    size = image.size
                box = thumbnail_box(read_panel_boxes(still), size)
            if box is None:  # sphinx-gallery's own thumbnail: no dark one beside it
                dark_thumb.unlink(missing_ok=True)
                continue
            dark_still = dark_path(still)
            if not dark_still.is_file():
                raise ValueError(
                    f"the renderer drew {still.name} (it has panel boxes) but its dark rendering "
                    f"{dark_still.name} is missing: rebuild the gallery (nox -s docs -- --fresh)"
                )
            with Image.open(dark_still) as image:
                if image.size != size:
                    raise ValueError(
                        f"{dark_still.name} is {image.size[0]}x{image.size[1]} px but "
                        f"{still.name} is {size[0]}x{size[1]}: not the same figure"
                    )
            # Rewrite only a changed thumbnail: Sphinx re-reads every page that shows a
            # thumbnail whose file is newer than the page (the gallery indexes and the
            # API pages' mini-galleries), which made a no-change rebuild re-read 30 pages.
            light_changed = _write_if_changed(thumb, _thumbnail_png(still, box))
            dark_changed = _write_if_changed(dark_thumb, _thumbnail_png(dark_still, box))
            if dark_changed and not light_changed:
                # A page is re-read when an image it shows is newer than it, and a page
                # read before the dark thumbnail existed shows the light one alone:
                # touching the light one re-reads exactly the pages that show it.
                os.utime(thumb)


def setup(app: Any) -> dict[str, Any]:
    """Register the ``animated-image`` directive, the ``<picture>`` writer and checks."""
    if nodes is None:  # pragma: no cover
        raise ImportError("conv_explained._sphinx needs Sphinx (pip install .[docs])")
    app.add_config_value("ce_api_modules", [], "env", types=frozenset({list, tuple}))
    app.add_node(
        picture,
        html=(visit_picture_html, None),
        latex=(visit_picture_static, None),
        text=(visit_picture_static, None),
        man=(visit_picture_static, None),
        texinfo=(visit_picture_static, None),
    )
    app.add_directive("animated-image", AnimatedImage)
    app.add_directive("themed-image", ThemedImage)
    _describe_gallery_thumbnails()
    app.add_post_transform(NotebookPictures)
    app.add_transform(ThemedThumbnails)
    app.connect("doctree-resolved", stills_for_static_builders)
    app.connect("env-check-consistency", check_api_coverage)
    app.connect("missing-reference", resolve_reexports)
    app.connect("builder-inited", crop_gallery_thumbnails, priority=600)  # after sphinx-gallery
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
