"""Gallery thumbnails: a crop of the key panel, found from the still itself."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("sphinx")
from PIL import Image

from conv_explained import render
from conv_explained._sphinx import crop_gallery_thumbnails, key_panel_box


def _output_fill(anim) -> set[tuple[int, ...]]:
    """Colours drawn only on the output side of the frame, not on the input side."""
    frame = np.asarray(anim.frames[-1].convert("RGB"))
    width = frame.shape[1]
    right = {tuple(c) for c in frame[:, int(width * 0.75) :].reshape(-1, 3)}
    left = {tuple(c) for c in frame[:, : int(width * 0.3)].reshape(-1, 3)}
    only_right = right - left
    assert only_right
    return only_right


@pytest.mark.parametrize(
    ("op", "x", "w", "own_colour"),
    [
        ("correlate", np.arange(25).reshape(5, 5) % 7, np.eye(3, dtype=int), True),
        ("correlate", np.arange(36).reshape(6, 6) % 5, np.ones((2, 2), dtype=int), True),
        ("max-pool", np.arange(16).reshape(4, 4), (2, 2), False),  # shares the input's colours
    ],
)
def test_key_panel_box_is_the_output_panel(op, x, w, own_colour):
    anim = render.animate(op, x, w) if op != "max-pool" else render.animate(op, x, kernel_size=w)
    still = anim.frames[-1]
    box = key_panel_box(still)
    assert box is not None
    left, top, right, bottom = box
    width, height = anim.size
    assert right > 0.7 * width  # the rightmost panel ...
    assert right - left < 0.45 * width  # ... alone, not the whole figure
    assert bottom - top < height
    if own_colour:
        crop = np.asarray(still.convert("RGB").crop(box))
        colours = {tuple(c) for c in crop.reshape(-1, 3)}
        assert colours & _output_fill(anim)  # the output cells are inside the crop


def test_key_panel_box_of_a_blank_picture_is_none():
    assert key_panel_box(Image.new("RGB", (200, 100), "white")) is None


def test_crop_replaces_the_thumbnail_with_the_still_crop(tmp_path):
    anim = render.animate("correlate", np.arange(25).reshape(5, 5) % 7, np.eye(3, dtype=int))
    gallery = tmp_path / "auto_gallery" / "topic"
    (gallery / "images" / "thumb").mkdir(parents=True)
    anim.frames[-1].convert("RGB").save(gallery / "images" / "sphx_glr_plot_x_001.png")
    thumb = gallery / "images" / "thumb" / "sphx_glr_plot_x_thumb.png"
    Image.new("RGB", (400, 280), "white").save(thumb)
    examples = tmp_path / "gallery"
    examples.mkdir()
    (examples / "plot_x.py").write_text("# sphinx_gallery_thumbnail_number = 1\n")

    conf = {"examples_dirs": ["gallery"], "gallery_dirs": ["auto_gallery"]}
    app = SimpleNamespace(srcdir=str(tmp_path), config=SimpleNamespace(sphinx_gallery_conf=conf))
    crop_gallery_thumbnails(app)
    with Image.open(thumb) as image:
        size = image.size
    box = key_panel_box(anim.frames[-1])
    assert size == (box[2] - box[0], box[3] - box[1])
