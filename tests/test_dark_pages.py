"""The docs' glue writes every figure's dark rendering and names it in the page.

The gallery scraper and ``show()`` (MyST-NB pages) write the dark GIF, still,
frame sheet and poster beside the light ones; the ``animated-image`` and
``themed-image`` directives and the notebook post-transform put them in the
HTML as ``data-ce-dark*`` attributes for ``_static/player.js``. Each dark file
is checked against its light one: the same palette indices, the dark palette.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conv_explained import render
from conv_explained.render import _draw

sphinx = pytest.importorskip("conv_explained._sphinx")


@pytest.fixture(scope="module")
def anim():
    return render.animate("correlate", np.arange(16).reshape(4, 4) % 3, np.ones((2, 2), int))


def _diagram():
    torch = pytest.importorskip("torch")
    return render.network_diagram(torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3)), (1, 8, 8))


def _same_indices_dark_palette(light: Path, dark: Path) -> None:
    with Image.open(light) as a, Image.open(dark) as b:
        assert a.mode == b.mode == "P"
        assert np.array_equal(np.asarray(a), np.asarray(b))
        assert b.getpalette()[: len(_draw.DARK_PALETTE)] == _draw.DARK_PALETTE
        assert a.getpalette()[: len(_draw.PALETTE)] == _draw.PALETTE


def _scrape(tmp_path: Path, write) -> tuple[str, Path, Path]:
    from sphinx_gallery.scrapers import ImagePathIterator

    src = tmp_path / "docs"
    images = src / "g" / "images"
    images.mkdir(parents=True)
    render.take_written()
    write(tmp_path)
    block_vars = {"image_path_iterator": ImagePathIterator(images / "sphx_glr_x_{0:03}.png")}
    return sphinx.gif_scraper(None, block_vars, {"src_dir": str(src)}), src, images


def test_the_gallery_scraper_writes_and_names_every_dark_file(anim, tmp_path):
    def write(folder):
        anim.save_gif(folder / "a.gif")
        anim.save_still(folder / "a.png", frame=1)

    rst, _, images = _scrape(tmp_path, write)
    assert ":dark: /g/images/sphx_glr_x_001.dark.gif" in rst
    assert ":dark-still: /g/images/sphx_glr_x_001.dark.png" in rst
    light_gif = (images / "sphx_glr_x_001.gif").read_bytes()
    dark_gif = (images / "sphx_glr_x_001.dark.gif").read_bytes()
    assert light_gif[:13] == dark_gif[:13]
    assert light_gif[13 + 96 :] == dark_gif[13 + 96 :]  # the frames, byte for byte
    assert dark_gif[13 : 13 + len(_draw.DARK_PALETTE)] == bytes(_draw.DARK_PALETTE)
    _same_indices_dark_palette(images / "sphx_glr_x_001.png", images / "sphx_glr_x_001.dark.png")
    with Image.open(images / "sphx_glr_x_001.dark.png") as still:  # the still's own frame
        assert np.array_equal(np.asarray(still), np.asarray(anim.frames[1]))
    data = json.loads((images / "sphx_glr_x_001.player.json").read_text())
    assert set(data["dark"]) == {"poster", "sheet"}
    for name in ("poster", "sheet"):
        _same_indices_dark_palette(images / data[name], images / data["dark"][name])
    assert render.take_written() == []  # the dark files are not left for the next block


def test_a_still_alone_gets_a_themed_image(tmp_path):
    diagram = _diagram()
    rst, _, images = _scrape(tmp_path, lambda folder: diagram.save(folder / "net.png"))
    assert ".. themed-image:: /g/images/sphx_glr_x_001.png" in rst
    assert ":dark: /g/images/sphx_glr_x_001.dark.png" in rst
    _same_indices_dark_palette(images / "sphx_glr_x_001.png", images / "sphx_glr_x_001.dark.png")


def _build(src: Path, index: str) -> str:
    from sphinx.cmd.build import build_main

    (src / "index.rst").write_text(index)
    (src / "conf.py").write_text('extensions = ["conv_explained._sphinx"]\n')
    out = src.parent / "html"
    assert build_main(["-q", "-W", "-b", "html", str(src), str(out)]) == 0
    return (out / "index.html").read_text()


def _attr(page: str, name: str) -> str:
    found = re.search(name + r'="([^"]+)"', page)
    assert found, f"no {name} in the page"
    return found.group(1)


def test_a_gallery_page_names_the_dark_files_it_ships(anim, tmp_path):
    def write(folder):
        anim.save_gif(folder / "a.gif")
        anim.save_still(folder / "a.png")
        _diagram().save(folder / "net.png")

    rst, src, _ = _scrape(tmp_path, write)
    page = _build(src, "Title\n=====\n" + rst)
    out = src.parent / "html"
    light = {
        "data-ce-dark-src": _attr(page, r"<img src"),
        "data-ce-dark-srcset": _attr(page, r'reduce\)" srcset'),
        "data-ce-poster-dark": _attr(page, "data-ce-poster"),
        "data-ce-sheet-dark": _attr(page, "data-ce-sheet"),
    }
    for attr, light_uri in light.items():
        dark_uri = _attr(page, attr)
        assert dark_uri != light_uri
        assert (out / dark_uri).is_file(), dark_uri
        if light_uri.endswith(".png"):
            _same_indices_dark_palette(out / light_uri, out / dark_uri)
    still = re.search(r'<div class="ce-picture ce-still"><img src="([^"]+)"[^>]*'
                      r'data-ce-dark-src="([^"]+)"', page)  # fmt: skip
    assert still, "the diagram has no themed image"
    _same_indices_dark_palette(out / still.group(1), out / still.group(2))


def test_a_notebook_page_names_the_dark_files_of_show(anim, tmp_path, notebook_page):
    page = notebook_page(sphinx.show(anim)._repr_mimebundle_())
    out = tmp_path / "html"
    gif, dark_gif = _attr(page, "<img src"), _attr(page, "data-ce-dark-src")
    assert dark_gif.endswith(".gif")
    assert (out / gif).read_bytes()[13 + 96 :] == (out / dark_gif).read_bytes()[13 + 96 :]
    for light_attr, dark_attr in (
        (r'reduce\)" srcset', "data-ce-dark-srcset"),
        ("data-ce-poster", "data-ce-poster-dark"),
        ("data-ce-sheet", "data-ce-sheet-dark"),
    ):
        _same_indices_dark_palette(out / _attr(page, light_attr), out / _attr(page, dark_attr))
