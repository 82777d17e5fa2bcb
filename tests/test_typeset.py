"""Typeset figure text (render._text) and the legibility of the tensor view's digits.

The drawer is checked on the pixels it draws: a subscript is smaller and
lower than the text beside it, a superscript higher; the anchors place the
base text where Pillow places the same text; widths add up. Then every
catalog figure is drawn with ``ImageDraw.text`` watched, and no text it
draws may still carry markup, and the tensor view's smallest digit is
measured against the flat view's in the frames themselves.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import ImageDraw

from conv_explained import catalog, render
from conv_explained.render import _draw, _iso, _text
from conv_explained.render._draw import INDEX, font, new_image


@pytest.fixture(autouse=True)
def _drain_written():
    render.take_written()
    yield
    render.take_written()


def _ink(im, colour=INDEX["black"]):
    """Boolean mask of the pixels drawn in ``colour``."""
    return np.asarray(im) == colour


def _rows(mask):
    rows = np.where(mask.any(axis=1))[0]
    return int(rows.min()), int(rows.max())


def _draw_rich(markup, xy=(10, 30), size=14, anchor="ls", canvas=(200, 60)):
    im = new_image(canvas)
    _text.draw(ImageDraw.Draw(im), xy, markup, size=size, fill=INDEX["black"], anchor=anchor)
    return _ink(im)


# ---------------------------------------------------------------- parsing


def test_markup_parses_single_characters_and_groups_into_runs():
    assert _text.parse("C_{in}×H′") == (
        _text.Run("C", 0),
        _text.Run("in", -1),
        _text.Run("×H′", 0),
    )
    assert _text.parse("Σ_c x^2") == (
        _text.Run("Σ", 0),
        _text.Run("c", -1),
        _text.Run(" x", 0),
        _text.Run("2", 1),
    )
    assert _text.parse("Σ_{c∈{0,1}}") == (_text.Run("Σ", 0), _text.Run("c∈{0,1}", -1))
    assert _text.parse(r"output\_padding {x}") == (_text.Run("output_padding {x}", 0),)


def test_plain_text_keeps_the_ascii_spelling_of_the_figures_math():
    assert _text.plain("C_{out}×H′×W′") == "C_out×H′×W′"
    assert _text.plain("out[0, 1, 1] = Σ_{c∈{0}} (x[c] ⋆ w[0, c]) = 12") == (
        "out[0, 1, 1] = Σ_c∈{0} (x[c] ⋆ w[0, c]) = 12"
    )
    assert _text.plain("Σ_c") == "Σ_c"


@given(st.text(alphabet="ab_^{}\\ ×′Σ", max_size=20))
def test_escaped_text_draws_literally(text):
    runs = _text.parse(_text.escape(text))
    assert all(r.level == 0 for r in runs)
    assert _text.plain(_text.escape(text)) == text


@pytest.mark.parametrize(
    "markup", ["C_", "C^", "a_{in", "a_{}", "a_ b", "a__b", r"a\q", "a_{b_c}", "a^}"]
)
def test_bad_markup_raises_value_error_quoting_the_text(markup):
    with pytest.raises(ValueError, match=re.escape(repr(markup))):
        _text.parse(markup)
    with pytest.raises(ValueError, match=re.escape(repr(markup))):
        _text.width(markup)


def test_non_string_markup_raises_type_error():
    with pytest.raises(TypeError, match="markup must be a str, got 3"):
        _text.parse(3)  # type: ignore[arg-type]


@pytest.mark.parametrize("anchor", ["la ", "xa", "lt", "mb", ""])
def test_unknown_anchor_raises_value_error_naming_it(anchor):
    d = ImageDraw.Draw(new_image((10, 10)))
    with pytest.raises(ValueError, match=re.escape(repr(anchor))):
        _text.draw(d, (0, 0), "C_{in}", size=12, fill=1, anchor=anchor)


# ---------------------------------------------------------------- widths and pixels


@pytest.mark.parametrize("size", [12, 14])
@pytest.mark.parametrize("bold", [False, True])
def test_width_is_the_sum_of_the_runs_drawn_one_by_one(size, bold):
    # Each run measured on its own by Pillow at the size the drawer uses for it.
    script = font(size, bold).size * _text.SCRIPT_SCALE
    sub = font(int(script + 0.5), bold)
    want = (
        font(size, bold).getlength("C") + sub.getlength("out") + font(size, bold).getlength("×H′")
    )
    assert _text.width("C_{out}×H′", size, bold) == round(want)
    assert _text.width("C_{out}×H′", size, bold) < _draw.text_width("Cout×H′", size, bold)
    # Without markup, the width is the plain text's.
    assert _text.width("k=3   s=2", size, bold) == _draw.text_width("k=3   s=2", size, bold)


@pytest.mark.parametrize("text", ["C_{in}×H×W = 3×4×4", "Σ_{c∈{0,1}} (x[c] ⋆ w[0, c])", "a^{2}"])
def test_drawn_ink_spans_the_measured_width(text):
    w = _text.width(text, 14)
    ink = _draw_rich(text, xy=(20, 30), anchor="ls", canvas=(w + 40, 60))
    cols = np.where(ink.any(axis=0))[0]
    assert 20 <= cols.min() <= 22  # the first glyph starts at the anchor
    assert w + 20 - 4 <= cols.max() + 1 <= w + 20  # the last glyph ends at the width


def test_a_subscript_is_drawn_smaller_and_lower_and_a_superscript_higher():
    size, y = 14, 30
    start = round(font(size).getlength("H"))
    for markup, lower in (("H_{x}", True), ("H^{x}", False)):
        ink = _draw_rich(markup, xy=(10, y), size=size)
        base, script = ink[:, : 10 + start], ink[:, 10 + start :]
        base_top, base_bottom = _rows(base)
        s_top, s_bottom = _rows(script)
        # The same letter on the baseline, at the base size, for comparison.
        x_top, x_bottom = _rows(_draw_rich("x", xy=(10, y), size=size))
        assert s_bottom - s_top < x_bottom - x_top  # smaller glyph
        if lower:
            assert s_bottom > base_bottom  # sits below the baseline
        else:
            assert s_top < base_top  # rises above the capital


@pytest.mark.parametrize("anchor", ["la", "ma", "ra", "lm", "mm", "rm", "ls", "rd", "md", "ld"])
def test_anchors_place_the_base_text_where_pillow_places_it(anchor):
    markup, xy = "C_{in}×H×W", (100.0, 30.0)
    size = 12
    ink = _draw_rich(markup, xy=xy, size=size, anchor=anchor)
    total = _text.width(markup, size)
    left = xy[0] - {"l": 0, "m": total / 2, "r": total}[anchor[0]]
    ref = new_image((200, 60))
    ImageDraw.Draw(ref).text(
        (round(left), xy[1]), "C", font=font(size), fill=INDEX["black"], anchor="l" + anchor[1]
    )
    c_cols = slice(0, round(left) + round(font(size).getlength("C")))
    assert ink[:, c_cols].any()
    assert (ink[:, c_cols] == _ink(ref)[:, c_cols]).all()


@pytest.mark.parametrize("anchor", ["ma", "mm", "rd", "lm", "ra"])
def test_text_without_markup_draws_the_same_pixels_as_pillow(anchor):
    text = "k=3   s=2   output_padding=1"
    ref = new_image((300, 60))
    ImageDraw.Draw(ref).text((150, 30), text, font=font(12), fill=3, anchor=anchor)
    im = new_image((300, 60))
    _text.draw(ImageDraw.Draw(im), (150, 30), _text.escape(text), size=12, fill=3, anchor=anchor)
    assert np.array_equal(np.asarray(im), np.asarray(ref))


def test_typeset_text_uses_only_the_fill_index_on_the_palette_image():
    im = new_image((200, 40), "faint")
    d = ImageDraw.Draw(im)
    _text.draw(d, (100, 20), "C_{out}×H′×W′", size=12, fill=INDEX["text"], anchor="mm")
    assert set(np.unique(np.asarray(im)).tolist()) == {INDEX["faint"], INDEX["text"]}
    assert im.mode == "P"
    assert im.getpalette() == new_image((1, 1)).getpalette()


def test_a_caption_tile_is_tall_enough_for_its_subscript():
    tile = _text.tile("out = Σ_{c∈{0,1}} x")
    ink = _ink(tile)
    assert ink.any()
    assert not ink[-1].any()  # nothing cut off at the bottom
    plain = _text.tile(_text.escape("output[0, 0] = 1·2 = 2"))
    assert np.array_equal(np.asarray(plain), np.asarray(_draw.text_tile("output[0, 0] = 1·2 = 2")))


# ---------------------------------------------------------------- the catalog


#: Code names the figures print as written: torch's keyword arguments and the
#: gradient arrays named as torch.autograd names them (captions index them).
_CODE_WORDS = re.compile(r"\b(output_padding=|padding_mode=|grad_input\b|grad_output\b)")


class _Spy:
    """Watch ``ImageDraw.text``: every text drawn, its font size and the pixels it changed."""

    def __init__(self, monkeypatch):
        self.calls = []  # (text, font size, ink rows or None)
        original = ImageDraw.ImageDraw.text
        spy = self

        def text(draw, xy, text, *args, **kwargs):
            f = kwargs.get("font")
            im = draw._image
            box = None
            if isinstance(text, str) and f is not None and text.strip():
                x0, y0, x1, y1 = draw.textbbox(xy, text, font=f, anchor=kwargs.get("anchor"))
                box = (max(int(x0), 0), max(int(y0), 0), int(x1) + 1, int(y1) + 1)
                before = np.asarray(im.crop(box)).copy()
            result = original(draw, xy, text, *args, **kwargs)
            rows = None
            if box is not None:
                changed = np.asarray(im.crop(box)) != before
                rows = _rows(changed) if changed.any() else None
            spy.calls.append((text, getattr(f, "size", None), rows))
            return result

        monkeypatch.setattr(ImageDraw.ImageDraw, "text", text)
        self.rich = []
        draw_rich = _text.draw

        def rich(d, xy, markup, **kwargs):
            spy.rich.append(markup)
            return draw_rich(d, xy, markup, **kwargs)

        monkeypatch.setattr(_text, "draw", rich)
        for cached in (_draw.tile, _draw.text_tile, _text.tile, _text.width, _text.parse):
            cached.cache_clear()

    def digit_heights(self):
        """Ink height of every drawn text that is a number (digits, maybe a sign or ×)."""
        return [
            (text, size, rows[1] - rows[0] + 1)
            for text, size, rows in self.calls
            if rows is not None and re.fullmatch(r"[−+×]?[0-9][0-9.,{}]*", text)
        ]


def test_no_catalog_figure_draws_raw_markup(monkeypatch):
    spy = _Spy(monkeypatch)
    for name in catalog.names():
        catalog.CATALOG[name].animate(verify=False).frames  # noqa: B018 (draws every frame)
    drawn = [t for t, _, _ in spy.calls if isinstance(t, str)]
    raw = sorted({t for t in drawn if re.search(r"[_^]", _CODE_WORDS.sub("", t))})
    assert raw == []
    assert not any(re.search(r"C_in|C_out|Σ_c", t) for t in drawn)
    # The math is typeset: subscripts drawn as their own runs.
    typeset = {m for m in spy.rich if any(r.level for r in _text.parse(m))}
    assert any(m.startswith("C_{in}") for m in typeset)
    assert any(m.startswith("C_{out}") for m in typeset)
    assert any("Σ_c " in m for m in typeset)
    assert any("Σ_{c∈{" in m for m in typeset)
    assert {"in", "out", "c"} <= {t for t, _, _ in spy.calls}


def test_frame_text_stays_plain_where_the_figure_is_typeset():
    anim = catalog.CATALOG["tensor_groups"].animate(verify=False)
    captions = [s.caption for s in anim.scenes]
    assert any("Σ_c∈{" in c for c in captions)
    assert all("{c" not in c and "_{" not in c for c in captions)
    assert "C_{" not in anim.alt_text


def _smallest_digit(spy):
    heights = spy.digit_heights()
    assert heights, "no number was drawn"
    return min(h for _, _, h in heights), heights


def test_the_tensor_views_smallest_digit_is_as_tall_as_the_flat_views(monkeypatch):
    flat = _Spy(monkeypatch)
    for name in ("no_padding_no_strides", "padding_strides", "dilation"):
        catalog.CATALOG[name].animate(verify=False).frames  # noqa: B018
    flat_min, flat_heights = _smallest_digit(flat)
    assert any(size == _draw.NOTE_SIZE for _, size, _ in flat_heights)  # the weights are seen

    tensor = _Spy(monkeypatch)
    for name in catalog.names():
        if name.startswith("tensor_"):
            catalog.CATALOG[name].animate(verify=False).frames  # noqa: B018
    tensor_min, tensor_heights = _smallest_digit(tensor)
    faces = [h for _, size, h in tensor_heights if size == _iso.FACE_SIZE]
    assert faces, "no top or side face number was measured"
    assert tensor_min >= flat_min, sorted(tensor_heights, key=lambda t: t[2])[:5]
    assert min(faces) > flat_min  # the face numbers are larger than the flat view's smallest


def _legend_words(x, monkeypatch):
    spy = _Spy(monkeypatch)
    anim = render.animate("correlate", x, np.ones((1, 2, 1, 1), int), view="tensor")
    assert anim.verification["passed"] is True
    anim.frames  # noqa: B018
    return [t for t, _, _ in spy.calls]


def test_side_faces_that_leave_numbers_out_say_so_in_the_legend(monkeypatch):
    wide = _legend_words(np.full((2, 3, 3), -12), monkeypatch)
    assert "side faces: only the numbers that fit" in wide
    assert "−12" in wide  # on the front and top faces
    narrow = _legend_words(np.full((2, 3, 3), 1), monkeypatch)
    assert not any("only the numbers that fit" in t for t in narrow)
