"""The GIF writer: Pillow's LZW encoder through ``Image._getencoder``, never a silent fallback."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from conv_explained import render
from conv_explained.render import gif
from conv_explained.render._draw import PALETTE

PIXELS = (np.arange(48).reshape(6, 8) * 7 % 13).astype(np.uint8)
# The LZW sub-blocks Pillow 10-13 give for PIXELS with 5-bit codes. If a Pillow
# release changes the encoder's output, the published GIFs change too: this
# test says so instead of letting the bytes drift.
GOLDEN = bytes.fromhex("1820700488900c0ab1148c219226aab2ee589ee9dabeb71c02")


def _frame(pixels: np.ndarray) -> Image.Image:
    im = Image.fromarray(pixels, mode="P")
    im.putpalette(PALETTE)
    return im


def test_lzw_data_are_the_bytes_pillows_encoder_always_gave():
    assert gif._lzw(PIXELS) == GOLDEN


def test_encoded_gif_decodes_back_to_the_frames():
    frames = [_frame(PIXELS), _frame(np.roll(PIXELS, 1, axis=1))]
    data = gif.encode_gif(frames, [100, 100])
    decoded = Image.open(io.BytesIO(data))
    for k, frame in enumerate(frames):
        decoded.seek(k)
        np.testing.assert_array_equal(
            np.asarray(decoded.convert("RGB")), np.asarray(frame.convert("RGB"))
        )


class _PillowWithout:
    """PIL.Image as the GIF writer sees it, with ``_getencoder`` removed or replaced.

    Pillow itself keeps its own ``_getencoder`` (it needs it for ``frombytes``).
    """

    def __init__(self, getencoder=None):
        self._replacement = getencoder

    def __getattr__(self, name):
        if name == "_getencoder":
            if self._replacement is None:
                raise AttributeError(name)
            return self._replacement
        return getattr(Image, name)


def test_gif_writer_fails_loudly_without_getencoder(monkeypatch, tmp_path):
    monkeypatch.setattr(gif, "Image", _PillowWithout())
    anim = render.animate("correlate", np.arange(9).reshape(3, 3), np.ones((2, 2), int))
    target = tmp_path / "a.gif"
    with pytest.raises(RuntimeError, match=r"Image\._getencoder"):
        anim.save_gif(target)
    assert list(tmp_path.iterdir()) == []  # no fallback file, no half-written file


def test_gif_writer_fails_loudly_when_getencoder_changes(monkeypatch):
    def changed(*args, **kwargs):
        raise TypeError("unexpected arguments")

    monkeypatch.setattr(gif, "Image", _PillowWithout(changed))
    with pytest.raises(RuntimeError, match=r"changed Image\._getencoder"):
        gif.write_gif(io.BytesIO(), [_frame(PIXELS)], [100])
