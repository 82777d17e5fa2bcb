"""What the site's animation player is given: captions, durations, key frames, sheet, markup.

The captions are the renderer's own (the text each frame draws, checked
against torch before drawing); here they are read back against torch's
output cell by cell, so a caption out of step with its frame fails. The frame
sheet and the key-frame strip are compared with the frames pixel by pixel.
"""

from __future__ import annotations

import base64
import html as html_lib
import io
import json
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from conv_explained import render
from conv_explained.render import animation as animation_module
from conv_explained.render.alt import values_sentence

IMAGE = np.array(
    [[1, 2, 2, 1, 0], [3, 3, 3, 3, 0], [3, 0, 0, 2, 2], [0, 3, 0, 3, 3], [2, 2, 2, 3, 2]]
)
KERNEL = np.arange(9).reshape(3, 3)


@pytest.fixture(scope="module")
def anim():
    return render.animate("correlate", IMAGE, KERNEL)


def _pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def test_captions_give_each_frame_its_output_cell_as_torch_computes_it(anim):
    expected = F.conv2d(
        torch.tensor(IMAGE[None, None], dtype=torch.float64),
        torch.tensor(KERNEL[None, None], dtype=torch.float64),
    )[0, 0].numpy()
    captions = anim.captions
    assert len(captions) == len(anim.scenes) == len(anim.frames) == 10
    for k, (i, j) in enumerate(np.ndindex(*expected.shape)):
        head, _, value = captions[k].rpartition(" = ")
        assert head.startswith(f"output[{i}, {j}] = ")
        assert float(value) == expected[i, j]
    assert captions[-1] == "all 9 output cells computed"


def test_captions_are_the_text_each_frame_draws(anim):
    assert anim.captions == ["".join(s.parts) for s in anim.scenes]


def test_comparison_captions_name_both_parts():
    a = render.animate("correlate", IMAGE, KERNEL)
    b = render.animate("convolve", IMAGE, KERNEL)
    both = render.compare(a, b, titles=("left", "right"))
    assert both.captions == [
        f"left: {x}; right: {y}" for x, y in zip(a.captions, b.captions, strict=True)
    ]
    assert both.durations == [max(x, y) for x, y in zip(a.durations, b.durations, strict=True)]


@pytest.mark.parametrize(
    ("op", "kwargs"),
    [
        ("correlate", {"weight": KERNEL, "mac": True}),
        ("avg-pool", {"kernel_size": (2, 2), "stride": 1}),
        ("transpose", {"weight": np.ones((2, 2))}),
    ],
)
def test_every_frame_shows_long_enough_to_read_its_caption(op, kwargs):
    anim = render.animate(op, IMAGE[:4, :4], **kwargs)
    assert len(anim.durations) == len(anim.scenes)
    for caption, ms in zip(anim.captions[:-1], anim.durations[:-1], strict=True):
        assert ms >= 1200
        assert ms >= min(3000, 30 * len(caption)) - 10  # GIF time is in hundredths
        assert ms % 10 == 0
    assert anim.durations[-1] >= 2500
    assert anim.durations[-1] >= max(anim.durations[:-1]) + 500


def test_gif_holds_the_animation_durations(anim, tmp_path):
    path = anim.save_gif(tmp_path / "a.gif")
    with Image.open(path) as im:
        shown = []
        for k in range(im.n_frames):
            im.seek(k)
            shown.append(im.info["duration"])
    assert shown == anim.durations  # no two frames are identical here, so none merge
    again = anim.save_gif(tmp_path / "b.gif")
    assert path.read_bytes() == again.read_bytes()


def test_reading_time_grows_with_the_caption_and_is_capped():
    assert animation_module.reading_ms("x") == 1200
    assert animation_module.reading_ms("x" * 60) == 1800
    assert animation_module.reading_ms("x" * 500) == 3000
    assert animation_module.reading_ms("x", final=True) == 2500


def test_key_frames_are_the_first_a_middle_and_the_final_frame(anim):
    assert anim.key_frames == [0, 4, 9]
    short = render.animate("global-max-pool", IMAGE[None], spatial_dims=2)
    assert short.key_frames == [0, 1]
    assert render.animate("correlate", np.ones((3, 3)), np.ones((3, 3))).key_frames == [0, 1]


def test_key_frame_strip_shows_those_frames_with_their_drawn_captions(tmp_path):
    anim = render.animate("correlate", IMAGE[:4, :4], np.ones((2, 2)))
    assert anim.key_frames == [0, 4, 9]
    path = anim.save_strip(tmp_path / "s.png", frames=anim.key_frames)
    w, h = anim.size
    assert 3 * w + 2 * 8 <= 1400
    with Image.open(path) as strip:
        assert strip.size == (3 * w + 2 * 8, h)  # one row when it fits in 1400 px
        for slot, k in enumerate(anim.key_frames):
            x = slot * (w + 8)
            crop = strip.crop((x, 0, x + w, h))
            np.testing.assert_array_equal(_pixels(crop), _pixels(anim.frames[k]))
    entry = render.take_written()[-1]
    assert entry["kind"] == "strip"
    assert entry["alt"].startswith("Frames 1, 5 and 10, row by row. ")


def test_strip_stacks_wide_frames_and_refuses_frames_that_do_not_exist(anim):
    assert 3 * anim.size[0] + 2 * 8 > 1400
    strip = anim.strip(frames=anim.key_frames)
    assert strip.size == (anim.size[0], 3 * anim.size[1] + 2 * 8)
    np.testing.assert_array_equal(
        _pixels(strip.crop((0, strip.size[1] - anim.size[1], *strip.size))),
        _pixels(anim.frames[-1]),
    )
    with pytest.raises(ValueError, match="frames must be between -10 and 9, got 10"):
        anim.strip(frames=[0, 10])
    with pytest.raises(ValueError, match="frames must name at least one frame"):
        anim.strip(frames=[])
    with pytest.raises(TypeError, match=r"frames must hold integers, got 1\.5"):
        anim.strip(frames=[1.5])


def test_frame_sheet_holds_every_frame_at_its_column_and_row(anim, tmp_path):
    render.take_written()
    path = anim.save_sheet(tmp_path / "sheet.png")
    assert render.take_written() == []  # a sheet is no figure: not recorded
    w, h = anim.size
    columns = anim.sheet_columns
    with Image.open(path) as sheet:
        assert sheet.mode == "P"
        assert sheet.size == (columns * w, -(-len(anim.frames) // columns) * h)
        for k, frame in enumerate(anim.frames):
            row, col = divmod(k, columns)
            crop = sheet.crop((col * w, row * h, col * w + w, row * h + h))
            np.testing.assert_array_equal(_pixels(crop), _pixels(frame))


def test_sheet_columns_keep_the_sheet_under_8192_px():
    assert animation_module.sheet_columns(160, 434) == 18
    assert 18 * 434 <= 8192 < 19 * 434
    assert animation_module.sheet_columns(5, 9000) == 1


def test_alt_text_of_many_values_points_at_the_figure_itself():
    sentence = values_sentence(np.zeros((1, 7, 7)))
    assert "still" not in sentence
    assert "strip" not in sentence
    assert sentence == (
        "Output has 49 values, too many to read out; each is written in its cell of the figure."
    )


# --------------------------------------------------------------------------
# The site's markup (needs the docs extra)
# --------------------------------------------------------------------------


def test_player_markup_carries_print_strip_steps_and_timing(anim):
    sphinx = pytest.importorskip("conv_explained._sphinx")
    payload = sphinx.player_payload(anim)
    assert payload["captions"] == anim.captions
    assert payload["durations"] == anim.durations
    with Image.open(io.BytesIO(payload["poster"])) as poster:
        np.testing.assert_array_equal(_pixels(poster), _pixels(anim.frames[-1]))
    player = {**payload, "poster": "p.png", "sheet": "s.png", "strip": "k.png"}
    uri = {"still": "a.png", "gif": "a.gif", "poster": "p.png", "sheet": "s.png", "strip": "k.png"}
    html = sphinx.player_html(uri, "alt", ["ce-picture"], player)
    picture = re.search(r"<picture>.*?</picture>", html).group(0)
    assert picture.startswith('<picture><source media="print" srcset="k.png">')
    items = [html_lib.unescape(t) for t in re.findall(r"<li>(.*?)</li>", html)]
    assert items == anim.captions
    assert '<details class="ce-steps"><summary>Step by step</summary>' in html
    assert 'data-ce-durations="' + " ".join(map(str, anim.durations)) + '"' in html
    caption = re.search(r'<p class="ce-print-only[^"]*">(.*?)</p>', html).group(1)
    assert "frames 1, 5 and 10 of 10" in caption
    assert html_lib.unescape(caption).count(anim.captions[4]) == 1


def test_player_data_with_a_missing_duration_is_refused(anim):
    sphinx = pytest.importorskip("conv_explained._sphinx")
    player = {**sphinx.player_payload(anim), "poster": "p", "sheet": "s", "strip": "k"}
    player["durations"] = player["durations"][:-1]
    with pytest.raises(ValueError, match="one duration per caption, got 9 for 10"):
        sphinx._check_player(player)


def test_show_bundle_carries_the_player_data(anim):
    sphinx = pytest.importorskip("conv_explained._sphinx")
    bundle = sphinx.show(anim)._repr_mimebundle_()
    data = bundle[sphinx.PLAYER_MIME]
    assert data["captions"] == anim.captions
    assert data["keys"] == anim.key_frames
    sheet = Image.open(io.BytesIO(base64.b64decode(data["sheet"])))
    assert sheet.size[0] == anim.sheet_columns * anim.size[0]
    json.dumps(bundle)  # a notebook output must be JSON


def test_notebook_page_gets_a_player_with_its_files(anim, tmp_path, notebook_page):
    """A MyST-NB page showing ``show(anim)``: the player markup and its images in _images."""
    pytest.importorskip("myst_nb")
    sphinx = pytest.importorskip("conv_explained._sphinx")
    from importlib.metadata import entry_points

    if not any(
        ep.value == "conv_explained._sphinx:PlayerMime"
        for ep in entry_points().select(group="myst_nb.mime_renderers")
    ):
        pytest.fail("the PlayerMime entry point is not installed: pip install -e .")
    page = notebook_page(sphinx.show(anim)._repr_mimebundle_())
    out = tmp_path / "html"
    assert page.count('class="ce-picture ce-player"') == 1
    steps = re.search(r'<details class="ce-steps">.*?</details>', page).group(0)
    assert [html_lib.unescape(t) for t in re.findall(r"<li>(.*?)</li>", steps)] == anim.captions
    for attr in ("data-ce-poster", "data-ce-sheet"):
        target = re.search(attr + r'="([^"]+)"', page).group(1)
        assert (out / target).is_file()
    strip = re.search(r'<source media="print" srcset="([^"]+)">', page).group(1)
    with Image.open(out / strip) as im:
        assert im.size == anim.strip(frames=anim.key_frames).size


def test_gallery_scraper_writes_the_player_files(anim, tmp_path, monkeypatch):
    sphinx = pytest.importorskip("conv_explained._sphinx")
    from sphinx_gallery.scrapers import ImagePathIterator

    src = tmp_path / "docs"
    images = src / "g" / "images"
    images.mkdir(parents=True)
    render.take_written()
    anim.save_gif(tmp_path / "a.gif")
    anim.save_still(tmp_path / "a.png")
    block_vars = {"image_path_iterator": ImagePathIterator(images / "sphx_glr_x_{0:03}.png")}
    rst = sphinx.gif_scraper(None, block_vars, {"src_dir": str(src)})
    assert ":player: /g/images/sphx_glr_x_001.player.json" in rst
    data = json.loads((images / "sphx_glr_x_001.player.json").read_text())
    assert data["captions"] == anim.captions
    for name in ("sheet", "strip", "poster"):
        assert (images / data[name]).is_file()
