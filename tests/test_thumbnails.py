"""Gallery thumbnails: a crop of the result panel, placed by the renderer's panel boxes."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("sphinx")
from PIL import Image

from conv_explained import render
from conv_explained._sphinx import (
    THUMB_BORDER,
    THUMB_SIDE,
    crop_gallery_thumbnails,
    gif_scraper,
    read_panel_boxes,
    thumbnail_box,
)

CASES = [
    ("correlate", np.arange(25).reshape(5, 5) % 7, np.eye(3, dtype=int), {}),
    ("correlate", np.arange(10) % 4, np.array([1, 0, 2]), {"padding": 1}),  # 1-D row
    ("transpose", np.arange(9).reshape(3, 3) % 4, np.ones((3, 3), dtype=int), {"stride": 2}),
    ("max-pool", np.arange(16).reshape(4, 4), None, {"kernel_size": (2, 2)}),
    ("global-avg-pool", np.arange(18).reshape(2, 3, 3) % 5, None, {"spatial_dims": 2}),
]


def _animate(op, x, w, options):
    return (
        render.animate(op, x, w, **options) if w is not None else render.animate(op, x, **options)
    )


def _background(frame: np.ndarray) -> np.ndarray:
    return np.all(frame == frame[0, 0], axis=-1)


@pytest.mark.parametrize(("op", "x", "w", "options"), CASES)
def test_panel_boxes_hold_each_panel_and_nothing_else(op, x, w, options):
    anim = _animate(op, x, w, options)
    boxes = anim.panel_boxes
    assert list(boxes) == [p.name for p in anim.panels]  # left to right, result last
    frame = np.asarray(anim.frames[-1].convert("RGB"))
    height, width, _ = frame.shape
    ink = ~_background(frame)
    covered = np.zeros_like(ink)
    previous_right = 0
    for left, top, right, bottom in boxes.values():
        assert 0 <= left < right <= width
        assert 0 <= top < bottom <= height
        assert left >= previous_right  # panels do not overlap
        previous_right = right
        region = ink[top:bottom, left:right]
        # the box is tight: ink within 4 px of each of its edges
        assert region[:4].any()
        assert region[-4:].any()
        assert region[:, :4].any()
        assert region[:, -4:].any()
        covered[top:bottom, left:right] = True
    # Every cell tile of every panel lies in its panel's box: the tiles' numbers
    # are drawn only inside boxes (header, symbols, caption and legend outside).
    first_top = min(b[1] for b in boxes.values())
    last_bottom = max(b[3] for b in boxes.values())
    band = ink[first_top:last_bottom] & ~covered[first_top:last_bottom]
    # outside the boxes in the panels' band only the operator symbols are drawn
    outside_cols = np.flatnonzero(band.any(axis=0))
    assert outside_cols.size < 40 * max(len(boxes) - 1, 1)


def test_panel_boxes_are_the_same_in_every_frame():
    anim = _animate(*CASES[0])
    still = np.asarray(anim.frames[-1].convert("RGB"))
    first = np.asarray(anim.frames[0].convert("RGB"))
    changed = np.any(still != first, axis=-1)
    rows, cols = np.nonzero(changed)
    inside = np.zeros_like(changed)
    for left, top, right, bottom in anim.panel_boxes.values():
        inside[top:bottom, left:right] = True
    caption_y = max(b[3] for b in anim.panel_boxes.values())
    # what changes between frames is in the panels, or in the caption below them
    assert np.all(inside[rows, cols] | (rows >= caption_y))


def test_comparison_boxes_are_both_parts_shifted():
    x, w = np.arange(16).reshape(4, 4) % 3, np.arange(4).reshape(2, 2)
    a = render.animate("correlate", x, w, verify=False)
    b = render.animate("convolve", x, w, verify=False)
    both = render.compare(a, b)
    boxes = both.panel_boxes
    assert list(boxes)[-1] == "convolution: output"
    assert len(boxes) == 2 * len(a.panel_boxes)
    la, ta, ra, ba = a.panel_boxes["output"]
    lb, tb, rb, bb = boxes["correlation: output"]
    assert (rb - lb, bb - tb) == (ra - la, ba - ta)
    assert lb == la
    assert tb > ta
    frame = np.asarray(both.frames[-1].convert("RGB"))
    part = np.asarray(a.frames[-1].convert("RGB"))
    assert np.array_equal(frame[tb:bb, lb:rb], part[ta:ba, la:ra])


def test_take_written_reports_the_boxes_of_gifs_and_stills(tmp_path):
    render.take_written()
    anim = _animate(*CASES[0])
    anim.save_gif(tmp_path / "a.gif")
    anim.save_still(tmp_path / "a.png")
    anim.save_strip(tmp_path / "a_strip.png")
    entries = render.take_written()
    assert [e["kind"] for e in entries] == ["gif", "still", "strip"]
    assert entries[0]["panels"] == anim.panel_boxes == entries[1]["panels"]
    assert "panels" not in entries[2]  # a strip has another geometry


def test_thumbnail_box_is_the_result_panel():
    anim = _animate(*CASES[0])
    left, top, right, bottom = anim.panel_boxes["output"]
    assert thumbnail_box(anim.panel_boxes, anim.size) == (left, top, right, bottom)
    assert thumbnail_box({}, anim.size) is None


@pytest.mark.parametrize(("op", "x", "w", "options"), CASES)
def test_thumbnail_is_readable(op, x, w, options):
    anim = _animate(op, x, w, options)
    left, top, right, bottom = thumbnail_box(anim.panel_boxes, anim.size)
    # never more than THUMB_SIDE px: the 150 px CSS box shrinks it by at most 0.75
    assert 0 < right - left <= THUMB_SIDE
    assert 0 < bottom - top <= THUMB_SIDE
    result = anim.panel_boxes[anim.panels[-1].name]
    assert left <= result[0]  # from the result's first cell
    assert top <= result[1]
    assert right >= min(result[2], left + THUMB_SIDE)  # as much of it as fits
    assert bottom >= min(result[3], top + THUMB_SIDE)


def test_a_wide_result_keeps_its_first_cells():
    anim = _animate(*CASES[1])  # 1-D: a row of 10 output cells
    out = anim.panel_boxes["output"]
    assert out[2] - out[0] > THUMB_SIDE
    left, top, right, _ = thumbnail_box(anim.panel_boxes, anim.size)
    assert (left, top) == out[:2]
    assert right - left == THUMB_SIDE


def _gallery(tmp_path, anim, *, scrape=True):
    """A gallery folder as sphinx-gallery leaves it, the still written by the scraper."""
    gallery = tmp_path / "auto_gallery" / "topic"
    images = gallery / "images"
    (images / "thumb").mkdir(parents=True)
    examples = tmp_path / "gallery"
    examples.mkdir()
    (examples / "plot_x.py").write_text("# sphinx_gallery_thumbnail_number = 1\n")
    render.take_written()
    anim.save_gif(tmp_path / "x.gif")
    anim.save_still(tmp_path / "x.png")
    if scrape:
        block_vars = {"image_path_iterator": iter([str(images / "sphx_glr_plot_x_001.png")])}
        gif_scraper(None, block_vars, {"src_dir": str(tmp_path)})
    else:
        render.take_written()
        (tmp_path / "x.png").rename(images / "sphx_glr_plot_x_001.png")
    thumb = images / "thumb" / "sphx_glr_plot_x_thumb.png"
    Image.new("RGB", (400, 280), "white").save(thumb)
    conf = {"examples_dirs": ["gallery"], "gallery_dirs": ["auto_gallery"]}
    app = SimpleNamespace(srcdir=str(tmp_path), config=SimpleNamespace(sphinx_gallery_conf=conf))
    return app, images / "sphx_glr_plot_x_001.png", thumb


def test_scraper_keeps_the_boxes_beside_the_still(tmp_path):
    anim = _animate(*CASES[0])
    _, still, _ = _gallery(tmp_path, anim)
    assert read_panel_boxes(still) == anim.panel_boxes
    text = still.with_suffix(".panels.json").read_text()
    assert json.loads(text)["panels"]["output"] == list(anim.panel_boxes["output"])


def test_crop_replaces_the_thumbnail_with_the_result_panel(tmp_path):
    anim = _animate(*CASES[0])
    app, still, thumb = _gallery(tmp_path, anim)
    crop_gallery_thumbnails(app)
    box = thumbnail_box(anim.panel_boxes, anim.size)
    border = THUMB_BORDER
    with Image.open(thumb) as image, Image.open(still) as full:
        assert image.size == (box[2] - box[0] + 2 * border, box[3] - box[1] + 2 * border)
        got = np.asarray(image.convert("RGB"))
        expected = np.asarray(full.convert("RGB").crop(box))
        assert np.array_equal(got[border:-border, border:-border], expected)
        frame = np.ones(got.shape[:2], bool)
        frame[border:-border, border:-border] = False
        assert np.all(got[frame] == np.asarray(full.convert("RGB"))[0, 0])  # background


def test_a_still_without_boxes_keeps_its_thumbnail(tmp_path):
    anim = _animate(*CASES[0])
    app, _, thumb = _gallery(tmp_path, anim, scrape=False)
    crop_gallery_thumbnails(app)
    with Image.open(thumb) as image:
        assert image.size == (400, 280)
