"""Gallery thumbnails: a crop of the result panel, placed by the renderer's panel boxes."""

from __future__ import annotations

import json
import re
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


# --------------------------------------------------------------------------
# The dark thumbnail: the same crop of the still's dark rendering
# --------------------------------------------------------------------------


def _indices(path):
    """The palette indices of a renderer's PNG (a "P" image over its palette)."""
    with Image.open(path) as image:
        assert image.mode == "P", f"{path.name} is {image.mode}, not the renderer's palette image"
        return np.asarray(image)


def _lut(palette):
    return np.asarray(palette, dtype=np.uint8).reshape(-1, 3)


def _framed(indices, box):
    """The crop of an index image at ``box``, framed by its corner (background) index."""
    left, top, right, bottom = box
    return np.pad(indices[top:bottom, left:right], THUMB_BORDER, constant_values=indices[0, 0])


def _rgb(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


@pytest.mark.parametrize(("op", "x", "w", "options"), CASES)
def test_the_dark_thumbnail_is_the_light_crop_in_the_dark_palette(tmp_path, op, x, w, options):
    anim = _animate(op, x, w, options)
    app, still, thumb = _gallery(tmp_path, anim)
    crop_gallery_thumbnails(app)
    dark_thumb = thumb.with_name("sphx_glr_plot_x_thumb.dark.png")
    assert dark_thumb.is_file(), "no dark thumbnail beside the cropped light one"
    light, dark = _rgb(thumb), _rgb(dark_thumb)
    assert dark.shape == light.shape
    box = thumbnail_box(anim.panel_boxes, anim.size)
    # The crop's source frame: the still the scraper wrote is the animation's last frame.
    frame = np.asarray(anim.frames[-1])
    assert np.array_equal(_indices(still), frame)
    indices = _framed(frame, box)
    assert np.array_equal(light, _lut(render._draw.PALETTE)[indices])
    # Every pixel is the light crop's palette index in the dark palette's colour: the
    # same digits in the same places, drawn by the renderer for a dark page.
    assert np.array_equal(dark, _lut(render._draw.DARK_PALETTE)[indices])
    background = tuple(render._draw.DARK_PALETTE[3 * render._draw.INDEX["white"] :][:3])
    assert tuple(dark[0, 0]) == background != tuple(light[0, 0])
    assert np.all(dark[:THUMB_BORDER] == background)  # the frame round the crop
    ink = indices == render._draw.INDEX["text"]
    assert ink.any(), "the crop shows no digits"
    assert np.array_equal(np.all(dark == dark[ink][0], axis=-1), ink)  # digits where light's are


def test_the_dark_thumbnail_crops_the_chosen_still(tmp_path):
    anim = _animate(*CASES[0])
    other = _animate(*CASES[2])
    app, _, thumb = _gallery(tmp_path, anim)
    images = thumb.parent.parent
    block_vars = {"image_path_iterator": iter([str(images / "sphx_glr_plot_x_002.png")])}
    render.take_written()
    other.save_gif(tmp_path / "y.gif")
    other.save_still(tmp_path / "y.png")
    gif_scraper(None, block_vars, {"src_dir": str(tmp_path)})
    (tmp_path / "gallery" / "plot_x.py").write_text("# sphinx_gallery_thumbnail_number = 2\n")
    crop_gallery_thumbnails(app)
    box = thumbnail_box(other.panel_boxes, other.size)
    indices = _framed(np.asarray(other.frames[-1]), box)
    dark = _rgb(thumb.with_name("sphx_glr_plot_x_thumb.dark.png"))
    assert np.array_equal(dark, _lut(render._draw.DARK_PALETTE)[indices])


def test_a_still_without_boxes_has_no_dark_thumbnail(tmp_path):
    anim = _animate(*CASES[0])
    app, _, thumb = _gallery(tmp_path, anim, scrape=False)
    stale = thumb.with_name("sphx_glr_plot_x_thumb.dark.png")
    stale.write_bytes(b"left over from an earlier build")
    crop_gallery_thumbnails(app)
    assert not stale.exists()


def test_a_drawn_still_without_its_dark_rendering_is_refused(tmp_path):
    anim = _animate(*CASES[0])
    app, still, _ = _gallery(tmp_path, anim)
    still.with_name("sphx_glr_plot_x_001.dark.png").unlink()
    with pytest.raises(ValueError, match=r"sphx_glr_plot_x_001\.dark\.png is missing"):
        crop_gallery_thumbnails(app)


def test_a_new_dark_thumbnail_dates_the_light_one_and_no_change_dates_neither(tmp_path):
    """Sphinx re-reads a page whose image is newer than it: the pages then pair the two."""
    import os

    anim = _animate(*CASES[0])
    app, _, thumb = _gallery(tmp_path, anim)
    crop_gallery_thumbnails(app)
    dark_thumb = thumb.with_name("sphx_glr_plot_x_thumb.dark.png")
    os.utime(thumb, (1, 1))
    os.utime(dark_thumb, (1, 1))
    crop_gallery_thumbnails(app)  # nothing changed
    assert thumb.stat().st_mtime == dark_thumb.stat().st_mtime == 1
    dark_thumb.unlink()
    crop_gallery_thumbnails(app)  # the dark one is new, the light one's bytes are not
    assert dark_thumb.is_file()
    assert thumb.stat().st_mtime > 1


# --------------------------------------------------------------------------
# The pages: each thumbnail a light and a dark image, shown by the theme's mode
# --------------------------------------------------------------------------

GALLERY_SCRIPT = '''\
"""
A correlation
=============

One kernel slides over one image.
"""
# sphinx_gallery_thumbnail_number = 1
import numpy as np

from conv_explained import render

anim = render.animate("correlate", np.arange(25).reshape(5, 5) % 7, np.eye(3, dtype=int))
anim.save_gif("a.gif")
anim.save_still("a.png")
'''

#: The thumbnail images of a page: (alt, class, src), in document order.
_THUMB_IMAGES = r'<img alt="([^"]*)" (?:class="([^"]*)" )?src="([^"]*_thumb(?:\.dark)?\.png)" />'


@pytest.fixture(scope="module")
def built_gallery(tmp_path_factory):
    """A one-example gallery built by Sphinx with sphinx-gallery and this extension."""
    from sphinx.cmd.build import build_main

    root = tmp_path_factory.mktemp("themed_thumbs")
    scripts = root / "gallery"
    scripts.mkdir()
    (scripts / "GALLERY_HEADER.rst").write_text("Gallery\n=======\n")
    (scripts / "plot_a.py").write_text(GALLERY_SCRIPT)
    src = root / "docs"
    src.mkdir()
    (src / "index.rst").write_text("Site\n====\n\n.. toctree::\n\n   auto_gallery/index\n")
    (src / "conf.py").write_text(
        'extensions = ["sphinx_gallery.gen_gallery", "conv_explained._sphinx"]\n'
        "sphinx_gallery_conf = {\n"
        '    "examples_dirs": ["../gallery"], "gallery_dirs": ["auto_gallery"],\n'
        '    "image_scrapers": ("conv_explained._sphinx.gif_scraper",),\n'
        '    "write_computation_times": False, "download_all_examples": False,\n'
        '    "show_memory": False, "show_signature": False,\n'
        "}\n"
        'exclude_patterns = ["auto_gallery/**.ipynb", "auto_gallery/**.py",'
        ' "auto_gallery/**.zip", "auto_gallery/**.json"]\n'
    )
    out = root / "html"
    assert build_main(["-q", "-W", "-b", "html", str(src), str(out)]) == 0
    return src, out


def test_the_gallery_index_pairs_each_thumbnail_with_its_dark_one(built_gallery):
    src, out = built_gallery
    page = (out / "auto_gallery" / "index.html").read_text(encoding="utf-8")
    boxes = re.findall(r'<div class="sphx-glr-thumbcontainer".*?</div>\s*</div>', page, re.DOTALL)
    assert len(boxes) == 1, boxes
    images = re.findall(_THUMB_IMAGES, boxes[0])
    assert [klass for _, klass, _ in images] == ["only-light", "only-dark"], images
    (light_alt, _, light_src), (dark_alt, _, dark_src) = images
    assert light_alt == dark_alt == "Thumbnail of the example: A correlation"
    thumbs = src / "auto_gallery" / "images" / "thumb"
    light_file = (out / "auto_gallery" / light_src).resolve()
    dark_file = (out / "auto_gallery" / dark_src).resolve()
    assert light_file.read_bytes() == (thumbs / "sphx_glr_plot_a_thumb.png").read_bytes()
    assert dark_file.read_bytes() == (thumbs / "sphx_glr_plot_a_thumb.dark.png").read_bytes()
    still = src / "auto_gallery" / "images" / "sphx_glr_plot_a_001.png"
    indices = _framed(
        _indices(still), thumbnail_box(read_panel_boxes(still), _indices(still).shape[::-1])
    )
    assert np.array_equal(_rgb(dark_file), _lut(render._draw.DARK_PALETTE)[indices])
    assert np.array_equal(_rgb(light_file), _lut(render._draw.PALETTE)[indices])


def test_a_thumbnail_without_a_dark_one_stays_one_image(built_gallery, tmp_path):
    """No dark crop (a figure the renderer did not draw): sphinx-gallery's markup, untouched."""
    import shutil

    from sphinx.cmd.build import build_main

    src = tmp_path / "docs"
    shutil.copytree(built_gallery[0], src)
    thumbs = src / "auto_gallery" / "images" / "thumb"
    (thumbs / "sphx_glr_plot_a_thumb.dark.png").unlink()
    (src / "auto_gallery" / "images" / "sphx_glr_plot_a_001.panels.json").unlink()
    shutil.copytree(built_gallery[0].parent / "gallery", tmp_path / "gallery")
    out = tmp_path / "html"
    assert build_main(["-q", "-W", "-b", "html", str(src), str(out)]) == 0
    page = (out / "auto_gallery" / "index.html").read_text(encoding="utf-8")
    images = re.findall(_THUMB_IMAGES, page)
    assert len(images) == 1, images
    assert "only-" not in images[0][1]
