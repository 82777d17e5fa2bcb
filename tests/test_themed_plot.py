"""Light and dark matplotlib figures: the same data, AA contrast measured on the drawn pixels.

:func:`conv_explained._themed_plot.themed_plot` draws a page's figure once per
theme and checks both renderings before it returns; every figure on the site
goes through it (the last test here makes sure), so a build whose figure has
low-contrast text, a pale line or different data in light and dark fails.
These tests hold the checks themselves to what they claim: the measured
ratio is the WCAG formula (an independent implementation here) on the drawn
colours, and each check fails when its rule is broken.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import ClassVar

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_rgb
from PIL import Image

from conv_explained import _themed_plot as tp

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _wcag(a, b) -> float:
    # Independent of the module's formula: the sRGB channel to linear light, then weights.
    def lum(c):
        c = np.asarray(to_rgb(c), dtype=float)
        lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(lin @ [0.2126, 0.7152, 0.0722])

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _line_plot(colour_of=lambda t: t.colour("blue"), data_of=lambda t: [0, 1, 0, 2]):
    def draw(t):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot(data_of(t), color=colour_of(t), lw=3, label="a line")
        ax.set_title("a title")
        ax.legend()
        return fig

    return draw


@pytest.mark.parametrize("theme", tp.THEMES.values(), ids=list(tp.THEMES))
def test_every_named_colour_of_both_themes_meets_aa_on_its_background(theme):
    for name in [*theme.colours, "text", "muted"]:
        colour = getattr(theme, name, None) or theme.colour(name)
        assert _wcag(colour, theme.background) >= tp.AA, (theme.name, name)
        assert tp.contrast_ratio(colour, theme.background) == pytest.approx(
            _wcag(colour, theme.background), rel=1e-12
        )


@given(st.tuples(*[st.integers(0, 255)] * 3))
def test_ink_on_any_colour_reaches_aa(rgb):
    colour = "#{:02x}{:02x}{:02x}".format(*rgb)
    for theme in tp.THEMES.values():
        assert _wcag(theme.ink_on(colour), colour) >= 4.58 > tp.AA


def test_a_line_is_measured_at_the_contrast_of_its_colour_on_the_background():
    for theme in tp.THEMES.values():
        with matplotlib.rc_context(dict(theme.rc)):
            fig = _line_plot()(theme)
        fig.set_dpi(fig.dpi * tp.CHECK_SCALE)
        measured = dict(tp.ink_contrast(fig))
        plt.close(fig)
        expected = _wcag(theme.colour("blue"), theme.background)
        assert measured["Line2D 'a line'"] == pytest.approx(expected, rel=1e-5)
        assert measured["text 'a title'"] == pytest.approx(
            _wcag(theme.text, theme.background), rel=1e-5
        )


def test_the_figure_is_drawn_by_each_theme_and_both_pngs_differ():
    shown = tp.themed_plot(_line_plot())
    light = np.asarray(Image.open(io.BytesIO(shown.light)).convert("RGB"))
    dark = np.asarray(Image.open(io.BytesIO(shown.dark)).convert("RGB"))
    assert tuple(light[1, 1]) == (255, 255, 255)
    assert "#{:02x}{:02x}{:02x}".format(*dark[1, 1]) == tp.THEMES["dark"].background
    assert light.shape == dark.shape
    assert set(shown.lowest) == {"light", "dark"}
    assert min(shown.lowest.values()) >= tp.AA


def test_a_pale_line_fails_the_build():
    with pytest.raises(AssertionError, match=r"light: under 4.5:1.*Line2D 'a line'"):
        tp.themed_plot(_line_plot(colour_of=lambda t: "#bbbbbb" if t.name == "light" else "white"))


def test_low_contrast_text_fails_and_text_on_a_box_is_measured_on_the_box():
    def draw(t):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.text(0.5, 0.5, "boxed", color="black", bbox={"facecolor": "#444444"})
        ax.set_axis_off()
        return fig

    # Black on white would pass; black on the dark grey box is under 4.5:1.
    with pytest.raises(AssertionError, match="text 'boxed'"):
        tp.themed_plot(draw)


def test_different_data_in_light_and_dark_fails():
    with pytest.raises(AssertionError, match="different data"):
        tp.themed_plot(_line_plot(data_of=lambda t: [0, 1, 0, 2 if t.name == "light" else 3]))


def test_different_text_in_light_and_dark_fails():
    def draw(t):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_title(f"r = {1 if t.name == 'light' else 2}")
        return fig

    with pytest.raises(AssertionError, match="different data"):
        tp.themed_plot(draw)


def test_draw_must_return_a_figure():
    with pytest.raises(TypeError, match="draw must return a matplotlib Figure, got None"):
        tp.themed_plot(lambda t: None)
    assert not plt.get_fignums()


def test_the_pngs_are_the_same_bytes_twice_and_carry_no_date_or_software():
    a, b = tp.themed_plot(_line_plot()), tp.themed_plot(_line_plot())
    assert (a.light, a.dark) == (b.light, b.dark)
    for png in (a.light, a.dark):
        assert b"tIME" not in png
        assert b"Software" not in png
        assert b"Matplotlib" not in png


def test_the_bundle_shows_the_light_png_and_carries_both():
    shown = tp.themed_plot(_line_plot())
    bundle = shown._repr_mimebundle_()
    assert base64.b64decode(bundle["image/png"]) == shown.light
    assert base64.b64decode(bundle[tp.THEMED_MIME]["light"]) == shown.light
    assert base64.b64decode(bundle[tp.THEMED_MIME]["dark"]) == shown.dark


def test_the_mime_renderer_writes_both_images_with_the_cells_alt_text():
    nodes = pytest.importorskip("docutils.nodes")
    pytest.importorskip("myst_nb")
    written = []

    class Renderer:
        def render_image(self, data):
            written.append(base64.b64decode(data.content))
            alt = data.cell_metadata["mystnb"]["image"]["alt"]
            return [nodes.image(uri=f"{len(written)}.png", alt=alt)]

    class Data:
        mime_type = tp.THEMED_MIME
        content: ClassVar = {
            "light": base64.b64encode(b"L").decode(),
            "dark": base64.b64encode(b"D").decode(),
        }
        cell_metadata: ClassVar = {"mystnb": {"image": {"alt": "A figure"}}}
        cell_index = output_index = line = 1

    (box,) = tp.ThemedMime.handle_mime(Renderer(), Data(), False)
    assert written == [b"L", b"D"]
    assert "ce-themed" in box["classes"]
    assert [(i["classes"], i["alt"]) for i in box.children] == [
        (["only-light"], "A figure"),
        (["only-dark"], "A figure"),
    ]
    Data.mime_type = "image/png"
    assert tp.ThemedMime.handle_mime(Renderer(), Data(), False) is None


def test_the_network_diagram_bundle_has_its_dark_palette_rendering():
    torch = pytest.importorskip("torch")
    from conv_explained import render
    from conv_explained.render import _draw

    net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.MaxPool2d(2))
    diagram = render.network_diagram(net, (1, 12, 12))
    bundle = diagram._repr_mimebundle_()
    light = Image.open(io.BytesIO(base64.b64decode(bundle[tp.THEMED_MIME]["light"])))
    dark = Image.open(io.BytesIO(base64.b64decode(bundle[tp.THEMED_MIME]["dark"])))
    assert base64.b64decode(bundle["image/png"]) == diagram.png_bytes()
    assert np.array_equal(np.asarray(light), np.asarray(dark))  # the same palette indices
    assert dark.getpalette()[:3] == list(_draw.DARK_PALETTE[:3])
    assert light.getpalette()[:3] == [255, 255, 255]


def test_no_page_shows_a_matplotlib_figure_outside_themed_plot():
    # A figure shown by plt.show() or glued as a Figure would have no dark rendering.
    pages = sorted(DOCS.glob("*.md"))
    shown = [
        f"{p.name}: {m.group(0)}"
        for p in pages
        for m in re.finditer(r"plt\.show\(\)|glue\([^)]*\bfig\b[^)]*\)", p.read_text("utf-8"))
    ]
    assert not shown, shown
    users = [p.name for p in pages if "themed_plot(draw)" in p.read_text("utf-8")]
    assert len(users) >= 8, users


def _measured(draw):
    theme = tp.THEMES["light"]
    with matplotlib.rc_context(dict(theme.rc)):
        fig = draw(theme)
    fig.set_dpi(fig.dpi * tp.CHECK_SCALE)
    measured = dict(tp.ink_contrast(fig))
    plt.close(fig)
    return measured


def test_ink_in_the_colour_under_it_measures_one_and_fails():
    # Text and a line drawn in the background's own colour change no pixel:
    # invisible, so they must fail, never drop out of the check (review17).
    def draw(theme):
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1], [0, 1], color=theme.background, lw=2, label="hidden line")
        ax.text(0.5, 0.5, "hidden text", color=theme.background)
        return fig

    measured = _measured(draw)
    assert measured["text 'hidden text'"] == 1.0
    assert measured["Line2D 'hidden line'"] == 1.0
    with pytest.raises(AssertionError, match="hidden"):
        tp.themed_plot(draw)
