"""Tests of the documentation machinery: the GIF scraper, the <picture> output, conf.py.

They need Sphinx and sphinx-gallery (the ``docs`` extra) and are skipped without.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import re
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("sphinx_gallery")
PIL_Image = pytest.importorskip("PIL.Image")

from sphinx.cmd.build import build_main
from sphinx_gallery.scrapers import ImagePathIterator

from conv_explained import _sphinx

DOCS = Path(__file__).resolve().parents[1] / "docs"
REDUCED = 'media="(prefers-reduced-motion: reduce)"'


def make_gif(path: Path, colours=("red", "blue", "green")) -> Path:
    frames = [PIL_Image.new("RGB", (8, 6), c) for c in colours]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return path


def make_png(path: Path, colour="white") -> Path:
    PIL_Image.new("RGB", (8, 6), colour).save(path)
    return path


@pytest.fixture
def gallery(tmp_path, monkeypatch):
    """A docs source folder, an example's working folder and a fake renderer record."""
    src = tmp_path / "docs"
    images = src / "auto_gallery" / "images"
    images.mkdir(parents=True)
    work = tmp_path / "gallery"
    work.mkdir()
    record: list[dict] = []

    def take_written():
        taken = list(record)
        record.clear()
        return taken

    monkeypatch.setattr(_sphinx, "_take_written", take_written)
    block_vars = {"image_path_iterator": ImagePathIterator(images / "sphx_glr_plot_x_{0:03}.png")}
    return {
        "src": src,
        "images": images,
        "work": work,
        "record": record,
        "block_vars": block_vars,
        "conf": {"src_dir": str(src)},
    }


def scrape(g) -> str:
    return _sphinx.gif_scraper(None, g["block_vars"], g["conf"])


def test_scraper_returns_nothing_when_nothing_was_written(gallery):
    assert scrape(gallery) == ""
    assert len(gallery["block_vars"]["image_path_iterator"]) == 0


def test_scraper_turns_a_gif_and_its_still_into_an_animated_image(gallery):
    work = gallery["work"]
    gif = make_gif(work / "slide.gif")
    png = make_png(work / "slide.png")
    gallery["record"] += [
        {"path": str(gif), "kind": "gif", "alt": "A kernel slides over the input."},
        {"path": str(png), "kind": "still", "alt": "A kernel slides over the input."},
    ]
    rst = scrape(gallery)
    assert ".. animated-image:: /auto_gallery/images/sphx_glr_plot_x_001.gif" in rst
    assert ":still: /auto_gallery/images/sphx_glr_plot_x_001.png" in rst
    assert ":alt: A kernel slides over the input." in rst
    # moved, not copied: the example's folder stays clean
    assert not gif.exists()
    assert not png.exists()
    assert (gallery["images"] / "sphx_glr_plot_x_001.gif").read_bytes()[:6] == b"GIF89a"
    assert (gallery["images"] / "sphx_glr_plot_x_001.png").read_bytes()[:4] == b"\x89PNG"


def test_scraper_makes_the_thumbnail_a_png(gallery):
    """sphinx-gallery looks for image 1 as .png before .gif: it must find the still."""
    from sphinx_gallery.scrapers import _find_image_ext

    gif = make_gif(gallery["work"] / "a.gif")
    gallery["record"].append({"path": str(gif), "kind": "gif", "alt": "An animation."})
    scrape(gallery)
    _, ext = _find_image_ext(gallery["images"] / "sphx_glr_plot_x_001.png")
    assert ext == "png"


def test_scraper_uses_the_last_frame_when_there_is_no_still(gallery):
    gif = make_gif(gallery["work"] / "a.gif", colours=("red", "blue", "green"))
    gallery["record"].append({"path": str(gif), "kind": "gif", "alt": "An animation."})
    rst = scrape(gallery)
    assert ":still: /auto_gallery/images/sphx_glr_plot_x_001.png" in rst
    with PIL_Image.open(gallery["images"] / "sphx_glr_plot_x_001.png") as still:
        assert still.convert("RGB").getpixel((0, 0)) == (0, 128, 0)  # green, the last frame


def test_scraper_shows_a_lone_strip_as_an_image_with_alt_text(gallery):
    png = make_png(gallery["work"] / "steps.png")
    gallery["record"].append({"path": str(png), "kind": "strip", "alt": "All steps."})
    rst = scrape(gallery)
    assert ".. image:: /auto_gallery/images/sphx_glr_plot_x_001.png" in rst
    assert ":alt: All steps." in rst
    assert "animated-image" not in rst


def test_scraper_numbers_several_pictures_in_order(gallery):
    work = gallery["work"]
    entries = []
    for name in ("first", "second"):
        entries.append({"path": str(make_gif(work / f"{name}.gif")), "kind": "gif", "alt": name})
        strip = make_png(work / f"{name}_strip.png")
        entries.append({"path": str(strip), "kind": "strip", "alt": name})
    gallery["record"] += entries
    rst = scrape(gallery)
    assert rst.index("_001.gif") < rst.index("_002.gif")
    assert ":alt: first" in rst
    assert ":alt: second" in rst
    assert sorted(p.name for p in gallery["images"].iterdir()) == [
        "sphx_glr_plot_x_001.gif",
        "sphx_glr_plot_x_001.png",
        "sphx_glr_plot_x_002.gif",
        "sphx_glr_plot_x_002.png",
    ]


def test_scraper_reports_a_file_the_renderer_did_not_write(gallery):
    gallery["record"].append({"path": str(gallery["work"] / "nope.gif"), "kind": "gif", "alt": ""})
    with pytest.raises(FileNotFoundError, match=r"nope\.gif"):
        scrape(gallery)


def test_pair_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="kind 'gif', 'still' or 'strip', got 'movie'"):
        _sphinx._pair([{"path": "a.mp4", "kind": "movie"}])


def test_pair_matches_a_still_written_before_its_gif():
    pairs = _sphinx._pair(
        [
            {"path": "/x/b_still.png", "kind": "still"},
            {"path": "/x/a.gif", "kind": "gif"},
            {"path": "/x/b.gif", "kind": "gif"},
        ]
    )
    assert [(m["path"], s and s["path"]) for m, s in pairs] == [
        ("/x/a.gif", None),
        ("/x/b.gif", "/x/b_still.png"),
    ]


def test_picture_rst_keeps_alt_text_on_one_line():
    rst = _sphinx.picture_rst("/a.gif", "/a.png", "Two\nlines  of   text")
    assert ":alt: Two lines of text\n" in rst


def test_animated_picture_bundle_carries_gif_still_and_alt():
    picture = _sphinx.AnimatedPicture(b"GIF89a-bytes", b"\x89PNG-bytes", "An\nanimation.")
    bundle = picture._repr_mimebundle_()
    assert base64.b64decode(bundle["image/gif"]) == b"GIF89a-bytes"
    assert base64.b64decode(bundle["image/png"]) == b"\x89PNG-bytes"
    assert bundle["text/plain"] == "An animation."


def build(tmp_path: Path, builder: str, body: str) -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text('extensions = ["conv_explained._sphinx"]\n')
    (src / "index.rst").write_text(body)
    make_gif(src / "anim.gif")
    make_png(src / "anim.png")
    out = tmp_path / builder
    status = build_main(["-q", "-W", "-b", builder, str(src), str(out)])
    assert status == 0
    return out


PICTURE = """Title
=====

.. animated-image:: anim.gif
   :still: anim.png
   :alt: A kernel slides & sums.
"""


def test_directive_writes_a_picture_with_a_reduced_motion_still(tmp_path):
    out = build(tmp_path, "html", PICTURE)
    html = (out / "index.html").read_text()
    picture = re.search(r"<picture>.*?</picture>", html, re.DOTALL).group(0)
    assert f'<source {REDUCED} srcset="_images/anim.png">' in picture
    assert '<img src="_images/anim.gif" alt="A kernel slides &amp; sums."' in picture
    assert (out / "_images" / "anim.gif").is_file()
    assert (out / "_images" / "anim.png").is_file()


def test_builders_without_gif_support_get_the_still(tmp_path):
    out = build(tmp_path, "latex", PICTURE)
    tex = next(out.glob("*.tex")).read_text()
    assert r"\sphinxincludegraphics{{anim}.png}" in tex
    assert "gif" not in tex
    assert (out / "anim.png").is_file()


def test_directive_requires_alt_text(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["conv_explained._sphinx"]\n')
    (src / "index.rst").write_text("T\n=\n\n.. animated-image:: a.gif\n   :still: a.png\n")
    status = build_main(["-q", "-W", "-b", "html", str(src), str(tmp_path / "out")])
    assert status != 0


@pytest.fixture(scope="module")
def conf():
    if importlib.util.find_spec("pydata_sphinx_theme") is None:
        pytest.skip("the docs extra is not installed")
    spec = importlib.util.spec_from_file_location("docs_conf", DOCS / "conf.py")
    module = importlib.util.module_from_spec(spec)
    saved = dict(os.environ)  # conf.py sets MATPLOTLIBRC and SOURCE_DATE_EPOCH
    try:
        spec.loader.exec_module(module)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return module


def test_conf_lists_myst_nb_and_not_myst_parser(conf):
    assert "myst_nb" in conf.extensions
    assert "myst_parser" not in conf.extensions
    assert {"dollarmath", "amsmath", "colon_fence"} <= set(conf.myst_enable_extensions)


def test_conf_fails_on_errors_and_caches_inside_build(conf):
    assert conf.nb_execution_raise_on_error is True
    assert conf.nb_execution_mode == "cache"
    assert Path(conf.nb_execution_cache_path).is_relative_to(DOCS / "_build")
    assert conf.sphinx_gallery_conf["abort_on_example_error"] is True
    assert conf.sphinx_gallery_conf["write_computation_times"] is False


def test_conf_names_gallery_hooks_by_string(conf):
    """Callables in sphinx_gallery_conf cannot be pickled, which breaks -W."""
    gallery = conf.sphinx_gallery_conf
    assert all(isinstance(s, str) for s in gallery["image_scrapers"])
    assert "conv_explained._sphinx.gif_scraper" in gallery["image_scrapers"]
    assert all(isinstance(s, str) for s in gallery["reset_modules"])


def test_conf_serves_mathjax_locally(conf):
    assert not conf.mathjax_path.startswith(("http:", "https:", "//"))
    assert any((Path(p) / conf.mathjax_path).is_file() for p in conf.html_static_path)


def test_conf_excludes_sphinx_gallery_outputs(conf):
    for pattern in ("auto_gallery/**.ipynb", "auto_gallery/**.py", "auto_gallery/**.zip"):
        assert pattern in conf.exclude_patterns


def test_notebook_output_with_gif_and_png_becomes_a_picture(tmp_path, notebook_page):
    """MyST-NB output of ``show(anim)``: one <picture>, alt text from text/plain."""
    gif = make_gif(tmp_path / "a.gif").read_bytes()
    png = make_png(tmp_path / "a.png").read_bytes()
    bundle = _sphinx.AnimatedPicture(gif, png, "Three colours in turn.")._repr_mimebundle_()
    html = notebook_page(bundle)
    picture = re.search(r"<picture>.*?</picture>", html, re.DOTALL).group(0)
    assert REDUCED in picture
    assert re.search(r'<source [^>]*srcset="_images/\w+\.png"', picture)
    assert re.search(r'<img src="_images/\w+\.gif" alt="Three colours in turn\."', picture)
    assert html.count("<img") == 1  # the PNG and the text are not shown a second time
