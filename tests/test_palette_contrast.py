"""Both palettes meet WCAG AA on what the renderer draws, and the dark rendering is the light one.

The digit/fill pairs are not listed by hand: every cell tile and tensor-view
face the renderer draws for the whole catalog (grid and tensor views) is
recorded while it draws, each tile is drawn again with and without its
digits, and the pixels that change are the digits, the pixels under them
(where the digit-less tile is drawn) the fill. Those index pairs are then
checked in both palettes.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image

from conv_explained import catalog, render
from conv_explained.render import _draw, _iso
from conv_explained.render.gif import LZW_BITS

AA = 4.5
THEMES = ("light", "dark")
NAMES = list(_draw.INDEX)


def _rgb(theme: str, index: int) -> tuple[int, int, int]:
    p = _draw.PALETTES[theme]
    return p[3 * index], p[3 * index + 1], p[3 * index + 2]


def _srgb_luminance(rgb):
    # An independent WCAG 2.x formula (not _draw's): the channel to linear light, then weights.
    c = np.asarray(rgb, dtype=float) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(lin @ [0.2126, 0.7152, 0.0722])


def _ratio(a, b) -> float:
    hi, lo = sorted((_srgb_luminance(a), _srgb_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def drawn():
    """The (role, mark, accent, note?, border) tiles and the iso faces the catalog draws."""
    tiles, faces = set(), set()
    tile, face_fill = _draw.tile, _iso._face_fill

    def tile_spy(size, role, mark, text, note, accent, border=True):
        if text or note:
            tiles.add((size, role, mark, accent, bool(note), border))
        return tile(size, role, mark, text, note, accent, border)

    def face_spy(role, mark, accent, top):
        faces.add((role, mark, accent, top))
        return face_fill(role, mark, accent, top)

    mp = pytest.MonkeyPatch()
    mp.setattr(_draw, "tile", tile_spy)
    mp.setattr(_iso, "tile", tile_spy)
    mp.setattr(_iso, "_face_fill", face_spy)
    try:
        anims = [catalog.get(name).animate(verify=False) for name in catalog.names()]
        for anim in anims:
            anim.frames  # noqa: B018 - draw every frame
    finally:
        mp.undo()
    tile.cache_clear()  # no tile drawn by the spies stays cached
    return tiles, faces, anims


def _ink_pairs(with_ink: Image.Image, without: Image.Image) -> set[tuple[int, int]]:
    """(ink index, index under it) of every pixel the ink changed."""
    a, b = np.asarray(with_ink), np.asarray(without)
    changed = a != b
    return set(zip(a[changed].tolist(), b[changed].tolist(), strict=True))


def _tile_pairs(tiles) -> set[tuple[int, int]]:
    """Digit and note pixels on the pixels under them, from the tiles as drawn."""
    digits, blank = "88", "    "  # DejaVu's digits are two spaces wide: the same masking box
    assert _draw.text_width(digits) == _draw.text_width(blank)
    pairs = set()
    for size, role, mark, accent, note, border in tiles:
        n = "×2" if note else ""
        pairs |= _ink_pairs(
            _draw.tile(size, role, mark, digits, n, accent, border),
            _draw.tile(size, role, mark, blank, n, accent, border),
        )
        if note:
            pairs |= _ink_pairs(
                _draw.tile(size, role, mark, digits, "×2", accent, border),
                _draw.tile(size, role, mark, digits, "  ", accent, border),
            )
    return pairs


def test_the_catalog_draws_digits_on_tiles_and_tensor_faces(drawn):
    tiles, faces, _ = drawn
    roles = {t[1] for t in tiles}
    assert {"input", "padding", "inserted", "kernel", "output"} <= roles
    assert {"current", "footprint", "chosen", "idle", "stamp"} <= {t[2] for t in tiles}
    assert {top for *_, top in faces} == {True, False}


@pytest.mark.parametrize("theme", THEMES)
def test_every_digit_on_every_fill_the_renderer_draws_meets_aa(drawn, theme):
    tiles, faces, _ = drawn
    pairs = _tile_pairs(tiles)
    pairs |= {(_draw.INDEX[t], _draw.INDEX[f]) for f, t in (_iso._face_fill(*x) for x in faces)}
    assert len(pairs) >= 10
    low = {
        (NAMES[ink], NAMES[under]): round(_ratio(_rgb(theme, ink), _rgb(theme, under)), 2)
        for ink, under in pairs
    }
    failing = {pair: r for pair, r in low.items() if r < AA}
    assert not failing, f"{theme}: digit/fill pairs under {AA}:1: {failing}"


@pytest.mark.parametrize("theme", THEMES)
def test_the_text_around_the_panels_meets_aa(drawn, theme):
    # Titles, labels, captions and legends: every colour in the frames' text bands
    # (above the first map row and below the last) against the background.
    _, _, anims = drawn
    background = _draw.INDEX["white"]
    for anim in anims[:20]:
        frame = np.asarray(anim.frames[0])
        tops = [box[1] for box in anim.panel_boxes.values()]
        bottoms = [box[3] for box in anim.panel_boxes.values()]
        bands = np.concatenate([frame[: max(min(tops) - 40, 1)], frame[max(bottoms) + 4 :]])
        inks = set(np.unique(bands).tolist()) - {background}
        legend_fills = {_draw.INDEX[n] for n in _draw.TINT.values()} | {
            _draw.INDEX[n]
            for n in ("light", "hatch", "faint", "greenmid", "yellow", "grey", "line", "greentint")
        }
        for ink in inks - legend_fills - {_draw.INDEX[a] for a in _draw.TINT}:
            ratio = _ratio(_rgb(theme, ink), _rgb(theme, background))
            assert ratio >= AA, (anim.op, NAMES[ink], ratio)


def test_the_wcag_formula_agrees_with_the_packages():
    for a, b in itertools.combinations(NAMES, 2):
        for theme in THEMES:
            ia, ib = _draw.INDEX[a], _draw.INDEX[b]
            ours = _draw.contrast_ratio(_rgb(theme, ia), _rgb(theme, ib))
            assert ours == pytest.approx(_ratio(_rgb(theme, ia), _rgb(theme, ib)), rel=1e-12)
    assert _ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)


def _lab(rgb):
    c = np.asarray(rgb, dtype=float) / 255
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


#: The fills that carry meaning, by the panel they share (one accent per panel):
#: plain input, padding, the window's tint, a pooling window's maximum; pending,
#: written and being-computed output cells; a kernel's active and idle taps.
def _panel_groups():
    for tint in _draw.TINT.values():
        yield ["white", "light", "yellow", tint]
        yield ["faint", tint]
    yield ["white", "greentint", "greenmid"]


def _closest(theme):
    deltas = {}
    for group in _panel_groups():
        for a, b in itertools.combinations(group, 2):
            la, lb = (_lab(_rgb(theme, _draw.INDEX[n])) for n in (a, b))
            deltas[a, b] = float(np.linalg.norm(la - lb))
    return min(deltas.values()), deltas


@pytest.mark.parametrize("theme", THEMES)
def test_the_colours_that_carry_meaning_stay_apart(theme):
    # CIE76 colour difference of at least 9 between fills drawn side by side.
    low, deltas = _closest(theme)
    assert low >= 9, {pair: d for pair, d in deltas.items() if d < 9}


def test_the_dark_palette_keeps_the_meaning_colours_at_least_as_far_apart():
    assert _closest("dark")[0] >= _closest("light")[0]


def test_written_and_being_computed_are_further_apart_in_dark_than_in_light():
    # The theme's filter moved them closer; the dark palette must not.
    def ratio(theme):
        return _ratio(_rgb(theme, _draw.INDEX["greentint"]), _rgb(theme, _draw.INDEX["greenmid"]))

    assert ratio("dark") > ratio("light") > 1.2


def test_dark_palette_keeps_every_index_and_fits_the_gif():
    assert len(_draw.PALETTE) == len(_draw.DARK_PALETTE) == 3 * len(NAMES)
    assert len(NAMES) < 2**LZW_BITS  # the last index is the GIFs' transparency
    assert NAMES[:22] == [  # the first indices are fixed: published GIFs depend on them
        "white", "black", "text", "grey", "line", "light", "hatch", "faint", "sky", "skytint",
        "blue", "bluetint", "vermillion", "vermilliontint", "green", "greentint", "greenmid",
        "orange", "orangetint", "purple", "purpletint", "yellow",
    ]  # fmt: skip
    assert _draw.PALETTE != _draw.DARK_PALETTE


@pytest.fixture(scope="module")
def anim():
    return catalog.get("padding_strides").animate()  # verified against torch


def test_the_dark_gif_is_the_light_gif_with_another_palette(anim, tmp_path):
    assert anim.verification["passed"] is True
    light = anim.save_gif(tmp_path / "a.gif").read_bytes()
    dark = anim.save_gif(tmp_path / "a.dark.gif", theme="dark").read_bytes()
    table = slice(13, 13 + 3 * 2**LZW_BITS)  # the global colour table after the header
    assert light[: table.start] == dark[: table.start]
    assert light[table.stop :] == dark[table.stop :]  # every frame, byte for byte
    assert light[table] != dark[table]
    assert dark[table][: len(_draw.DARK_PALETTE)] == bytes(_draw.DARK_PALETTE)
    with Image.open(tmp_path / "a.gif") as a, Image.open(tmp_path / "a.dark.gif") as b:
        assert a.n_frames == b.n_frames == len(anim.frames)
        a.seek(0)
        b.seek(0)
        ia, ib = np.asarray(a), np.asarray(b)
        assert np.array_equal(ia, ib)
        assert np.array_equal(np.asarray(b.convert("RGB")), np.asarray(_draw.recolour(
            anim.frames[0], "dark").convert("RGB")))  # fmt: skip


def test_the_dark_still_and_sheet_have_the_light_indices(anim, tmp_path):
    render.take_written()
    for save in ("save_still", "save_sheet"):
        light = getattr(anim, save)(tmp_path / f"{save}.png")
        dark = getattr(anim, save)(tmp_path / f"{save}.dark.png", theme="dark")
        with Image.open(light) as a, Image.open(dark) as b:
            assert a.mode == b.mode == "P"
            assert np.array_equal(np.asarray(a), np.asarray(b))
            assert a.getpalette()[: len(_draw.PALETTE)] == _draw.PALETTE
            assert b.getpalette()[: len(_draw.DARK_PALETTE)] == _draw.DARK_PALETTE
    written = render.take_written()
    assert [w["kind"] for w in written] == ["still"]  # dark renderings are not recorded
    png = io.BytesIO()
    _draw.recolour(anim.frames[-1], "dark").save(png, format="PNG")
    assert Image.open(png).convert("RGB").getpixel((0, 0)) == _rgb("dark", _draw.INDEX["white"])


@pytest.mark.parametrize("bad", ["Dark", "", None, 1])
def test_an_unknown_theme_is_refused_naming_it(anim, tmp_path, bad):
    with pytest.raises(ValueError, match=r"theme must be 'light' or 'dark', got"):
        anim.save_gif(tmp_path / "x.gif", theme=bad)
    assert not (tmp_path / "x.gif").exists()
    with pytest.raises(ValueError, match="theme must be"):
        _draw.recolour(anim.frames[0], bad)
