"""Writing files: GIF animations, PNG stills and strips, atomically and reproducibly.

The GIF encoder is this module's own (:func:`encode_gif`): one global
palette, 5-bit LZW codes through Pillow's C encoder, and only the changed
rectangle of each frame, which makes the files about a tenth smaller than
Pillow's writer and identical from run to run. That is why the package does
not depend on imageio: imageio's GIF plugin hands frames to Pillow's own
writer, which would give larger files and other bytes.

Every file is written to a temporary file in the target's directory and then
moved into place with :func:`os.replace`, so a failure never leaves a partial
file. Nothing time-dependent is written, so the same animation gives the same
bytes on every run. Each write is recorded in :data:`written`.
"""

from __future__ import annotations

import contextlib
import math
import os
import stat
import struct
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import PIL
from PIL import Image

from ._draw import PALETTES, check_theme, new_image

__all__ = [
    "atomic_write",
    "check_suffix",
    "check_target",
    "play_once",
    "record",
    "strip_image",
    "take_written",
    "write_gif",
    "write_png",
    "written",
]

#: Every file the renderer wrote, in order: dicts with ``path`` (absolute,
#: str), ``kind`` (``"gif"``, ``"still"`` or ``"strip"``), ``alt`` and, for a
#: GIF or a still, ``panels``: the :attr:`~.Animation.panel_boxes` of its
#: frames (panel name -> ``(left, top, right, bottom)`` in pixels, left to
#: right, the result last). A still's or strip's entry holds ``image``, its
#: palette image. A GIF's entry also holds ``player``: the
#: :class:`~.Animation` itself, from which the docs' scraper writes the files
#: of the page's player (its captions, frame sheet and key-frame strip).
written: list[dict[str, Any]] = []


def take_written() -> list[dict[str, Any]]:
    """Return the list of written files and empty it (for the docs' image scraper).

    Examples
    --------
    >>> take_written() == [] or True
    True
    """
    taken = list(written)
    written.clear()
    return taken


def record(
    path: Path,
    kind: str,
    alt: str,
    panels: dict[str, tuple[int, int, int, int]] | None = None,
    player: Any = None,
    certificate: Any = None,
    image: Any = None,
) -> None:
    """Append one entry to :data:`written` (``panels``, ``player``, ``certificate`` if given).

    ``image`` is the palette image a still or strip holds (kept as ``image``,
    from which the docs' scraper writes its dark rendering with
    :func:`~._draw.recolour`).
    """
    entry: dict[str, Any] = {"path": os.fspath(Path(path).resolve()), "kind": kind, "alt": alt}
    if panels is not None:
        entry["panels"] = dict(panels)
    if player is not None:
        entry["player"] = player
    if certificate is not None:
        entry["certificate"] = certificate
    if image is not None:
        entry["image"] = image
    written.append(entry)


_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def check_target(target: Path) -> None:
    """Refuse a target that exists and is not a regular file (following symlinks).

    The write replaces only what it owns: a regular file (or a symlink to
    one, which is replaced by the new file). A FIFO, a device node, a socket
    or a directory, or a symlink to one, is left alone.
    """
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:  # nothing there yet (or a dangling link, replaced alone)
        return
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        linked = " (through a symlink)" if target.is_symlink() else ""
        raise ValueError(
            f"path {os.fspath(target)!r} is {kind}{linked}, not a regular file: refusing to "
            f"replace it"
        )


def check_suffix(path: str | os.PathLike[str], suffix: str) -> None:
    """Raise ValueError unless ``path`` ends in ``suffix`` (any case)."""
    if Path(path).suffix.lower() != suffix:
        raise ValueError(f"path must end in {suffix}, got {os.fspath(path)!r}")


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Write a file through ``write(fileobj)`` into a temporary file, then rename it.

    Parameters
    ----------
    path : str or path-like
        Destination; its directory must exist.
    write : callable
        Writes the whole content to the binary file object it is given.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError
        If ``path`` exists and is not a regular file (a FIFO, a device, a
        directory, or a symlink to one): it is never opened or replaced.
    FileNotFoundError
        If the directory does not exist.
    OSError
        If the directory is not writable (no file is left behind).
    """
    target = Path(path)
    directory = target.parent
    check_target(target)
    if not directory.is_dir():
        raise FileNotFoundError(
            f"cannot write {os.fspath(target)!r}: no directory {os.fspath(directory)!r}"
        )
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return target


LZW_BITS = 5  # 32 palette entries: the palette colours, then unused, then transparency
TRANSPARENT = 2**LZW_BITS - 1


def _gif_encoder() -> Any:
    """Pillow's C encoder of GIF LZW data with a 5-bit minimum code size.

    ``Image._getencoder`` is Pillow's internal way to reach it (Pillow 10-13
    keep it). If a release removes or changes it, this raises: the renderer
    must not quietly write different bytes.
    """
    getencoder = getattr(Image, "_getencoder", None)
    if getencoder is None:
        raise RuntimeError(
            f"Pillow {PIL.__version__} has no Image._getencoder, which the GIF writer uses "
            f"to reach Pillow's LZW encoder; install a Pillow that has it (10 to 13 do)"
        )
    try:
        return getencoder("P", "gif", ("P",), (LZW_BITS, 0))
    except (TypeError, ValueError, OSError) as exc:
        raise RuntimeError(
            f"Pillow {PIL.__version__} changed Image._getencoder ({exc}); the GIF writer "
            f"cannot reach its LZW encoder"
        ) from exc


def _lzw(pixels: np.ndarray) -> bytes:
    """GIF LZW data (in sub-blocks, without the terminator) of an index array.

    Uses Pillow's C encoder with a 5-bit minimum code size (Pillow's own GIF
    writer always uses 8 bits, which costs about a tenth more here).
    """
    h, w = pixels.shape
    im = Image.frombytes("P", (w, h), np.ascontiguousarray(pixels, dtype=np.uint8).tobytes())
    encoder = _gif_encoder()
    encoder.setimage(im.im, (0, 0, w, h))
    chunks = []
    while True:
        _, status, data = encoder.encode(65536)
        chunks.append(data)
        if status:
            break
    if status < 0:  # pragma: no cover - encoder failure
        raise OSError(f"GIF encoder error {status}")
    return b"".join(chunks)


def encode_gif(
    frames: Sequence[Image.Image], durations: Sequence[int], *, theme: str = "light"
) -> bytes:
    """Encode palette frames as a looping GIF89a (one global palette, delta frames).

    Each frame after the first stores only the rectangle that changed, with
    the unchanged pixels in it transparent; identical consecutive frames are
    merged (their durations add up), as Pillow does. The bytes depend only on
    the frames and durations.

    Parameters
    ----------
    frames : sequence of PIL.Image.Image
        Palette images of one size, drawn with :data:`~._draw.PALETTE`.
    durations : sequence of int
        Milliseconds per frame (rounded to GIF's hundredths of a second).
    theme : {"light", "dark"}, optional
        Whose palette the GIF carries (:data:`~._draw.PALETTES`). Only the
        palette differs: the dark GIF has the light one's frames, byte for
        byte.

    Returns
    -------
    bytes
    """
    check_theme(theme)
    if len(frames) != len(durations):
        raise ValueError(
            f"durations must have one entry per frame, got {len(durations)} for {len(frames)}"
        )
    arrays = [np.asarray(f) for f in frames]
    h, w = arrays[0].shape
    if any(a.shape != (h, w) for a in arrays):
        raise ValueError("frames must all have the same size")
    if max(int(a.max()) for a in arrays) >= TRANSPARENT:
        raise ValueError("frames must use the renderer's palette")
    colours = 2**LZW_BITS
    palette = bytes(PALETTES[theme]) + bytes(3 * colours - len(PALETTES[theme]))
    blocks: list[list[Any]] = []  # [duration, transparent, x, y, w, h, data]
    previous = None
    for a, duration in zip(arrays, durations, strict=True):
        if previous is None:
            blocks.append([duration, False, 0, 0, w, h, _lzw(a)])
            previous = a
            continue
        changed = a != previous
        if not changed.any():
            blocks[-1][0] += duration
            continue
        rows = np.flatnonzero(changed.any(axis=1))
        cols = np.flatnonzero(changed.any(axis=0))
        y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
        # Unchanged pixels become transparent: long runs of one index, which
        # LZW codes cheaply (this beat storing the rectangle as it is, and
        # other mixes, on every catalog frame measured).
        region = np.where(changed[y0:y1, x0:x1], a[y0:y1, x0:x1], TRANSPARENT)
        blocks.append([duration, True, x0, y0, x1 - x0, y1 - y0, _lzw(region)])
        previous = a
    out = [
        b"GIF89a",
        struct.pack("<HHBBB", w, h, 0xF0 | (LZW_BITS - 1), 0, 0),
        palette,
        LOOP_FOREVER,
    ]
    for duration, transparent, x, y, bw, bh, data in blocks:
        delay = max(2, round(duration / 10))
        flags = (1 << 2) | int(transparent)  # disposal 1: leave the frame in place
        out.append(
            struct.pack(
                "<BBBBHBB", 0x21, 0xF9, 4, flags, delay, TRANSPARENT if transparent else 0, 0
            )
        )
        out.append(struct.pack("<BHHHHB", 0x2C, x, y, bw, bh, 0))
        out.append(bytes([LZW_BITS]) + data + b"\x00")
    out.append(b"\x3b")
    return b"".join(out)


#: The application extension that makes a GIF loop forever (NETSCAPE2.0, count 0).
LOOP_FOREVER = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"


def play_once(data: bytes) -> bytes:
    """The same GIF without its loop extension: it plays one cycle and stops on its last frame.

    The site's GIFs play once: a reader without JavaScript (who has no
    player to pause) sees the animation run through and stay on its final
    frame, every output written, instead of a loop that never stops. Only
    the 19-byte NETSCAPE2.0 block goes; frames and palette are untouched.

    >>> from PIL import Image
    >>> frame = Image.new("P", (2, 2), 1)
    >>> looping = encode_gif([frame, frame.point(lambda v: 2)], [500, 500])
    >>> once = play_once(looping)
    >>> len(looping) - len(once), LOOP_FOREVER in once, play_once(once) == once
    (19, False, True)
    >>> Image.open(__import__("io").BytesIO(once)).info.get("loop") is None
    True
    """
    if not data.startswith((b"GIF89a", b"GIF87a")):
        raise ValueError(f"data must be a GIF, got bytes starting {data[:6]!r}")
    flags = data[10]
    start = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    if data[start : start + len(LOOP_FOREVER)] != LOOP_FOREVER:
        return data  # it plays once already (or loops a set number of times)
    return data[:start] + data[start + len(LOOP_FOREVER) :]


def write_gif(
    handle: BinaryIO,
    frames: Sequence[Image.Image],
    durations: Sequence[int],
    *,
    theme: str = "light",
) -> None:
    """Write frames as a looping GIF to a binary file object (see :func:`encode_gif`).

    There is no fallback to Pillow's own GIF writer: it would give other
    bytes (8-bit codes, other frame rectangles), and the published GIFs must
    be the same on every run. A Pillow without the encoder raises instead.
    """
    handle.write(encode_gif(frames, durations, theme=theme))


def write_png(handle: BinaryIO, image: Image.Image, compress_level: int = 9) -> None:
    """Save one palette image as PNG (zlib level 9 for stills; strips use 6, 5x faster)."""
    image.save(handle, format="PNG", compress_level=compress_level)


def strip_image(
    frames: Sequence[Image.Image],
    columns: int | None = None,
    gap: int = 8,
    *,
    theme: str = "light",
) -> Image.Image:
    """All frames in one grid image, row by row, in ``theme``'s palette (print, player)."""
    check_theme(theme)
    n = len(frames)
    if columns is None:
        columns = math.ceil(math.sqrt(n))
    if isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise ValueError(f"columns must be a positive integer, got {columns!r}")
    columns = min(columns, n)
    rows = math.ceil(n / columns)
    w, h = frames[0].size
    sheet = new_image((columns * w + (columns - 1) * gap, rows * h + (rows - 1) * gap), "light")
    for i, frame in enumerate(frames):
        r, c = divmod(i, columns)
        sheet.paste(frame, (c * (w + gap), r * (h + gap)))
    sheet.putpalette(PALETTES[theme])
    return sheet
