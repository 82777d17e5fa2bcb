"""The stacked layout (issue 17): a wide figure's panels one above another, for phones.

Every catalog case wider than ``NARROW_PX`` gets one (``with_layout("auto")``);
its frames are drawn from the wide figure's scenes, so each panel's pixels
(the cells, their digits, weights and marks, the map labels) and each caption
are the wide figure's, moved; the checks below compare the drawn pixels of
both layouts, frame by frame, so a stacked layout that drew a digit
differently or dropped a cell would fail.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PIL import Image

from conv_explained import catalog, render
from conv_explained.cli import main
from conv_explained.render import _draw
from conv_explained.render._stacked import (
    CAPTION_LINE,
    CAPTION_PX,
    NARROW_PX,
    caption_lines,
    check_layout,
    stacked_layout,
)

CASES = {name: catalog.get(name) for name in catalog.names()}


@pytest.fixture(scope="module")
def pairs():
    """(wide, narrow) for every catalog case that gets a narrow rendering, by name."""
    out = {}
    for name, case in CASES.items():
        wide = case.animate(verify=False)
        narrow = wide.with_layout("auto")
        out[name] = (wide, narrow)
    return out


def _parts(anim):
    """(offset, part) of a comparison's parts, or of the animation itself."""
    if hasattr(anim, "parts"):
        return list(zip(anim._part_xy(), anim.parts, strict=True))
    return [((0, 0), anim)]


def _crop(frame: Image.Image, box) -> np.ndarray:
    return np.asarray(frame.crop(box))


def test_every_case_wider_than_the_limit_gets_a_narrower_stacked_rendering(pairs):
    narrowed = {n: (w.size, s.size) for n, (w, s) in pairs.items() if s is not w}
    for name, (wide, narrow) in pairs.items():
        if wide.size[0] > NARROW_PX and wide.params.get("view") == "tensor":
            assert narrow is wide, name  # the tensor view paints its own frames: no stacking
        elif wide.size[0] > NARROW_PX:
            assert narrow is not wide, name
            assert narrow.layout == "stacked", name
            assert narrow.size[0] < wide.size[0], name
        else:
            assert narrow is wide, name
            assert narrow.layout == "wide", name
    assert len(narrowed) >= 8
    print({n: f"{a[0]}->{b[0]}" for n, (a, b) in narrowed.items()})


def test_grid_view_stacked_figures_fit_the_phone_limit(pairs):
    """A stacked grid-view figure fits the phone limit (its captions wrap to CAPTION_PX)."""
    for name, (wide, narrow) in pairs.items():
        if narrow is wide:
            continue
        grid_parts = [p for _, p in _parts(narrow) if p.params.get("view", "grid") == "grid"]
        if len(grid_parts) == len(_parts(narrow)):
            assert narrow.size[0] <= NARROW_PX, (name, narrow.size)


def test_stacked_frames_show_the_wide_frames_digits_and_captions(pairs):
    """Each panel's pixels, in every frame, equal the wide frame's; the captions are equal."""
    checked = 0
    for name, (wide, narrow) in pairs.items():
        if narrow is wide:
            continue
        assert narrow.captions == wide.captions, name
        assert narrow.durations == wide.durations, name
        assert narrow.alt_text == wide.alt_text
        assert narrow.verification == wide.verification
        assert [s.caption for s in narrow.scenes] == [s.caption for s in wide.scenes]
        assert len(narrow.frames) == len(wide.frames)
        for (wxy, wpart), (nxy, npart) in zip(_parts(wide), _parts(narrow), strict=True):
            assert list(wpart.panel_boxes) == list(npart.panel_boxes), name
            for k, (wf, nf) in enumerate(zip(wide.frames, narrow.frames, strict=True)):
                for panel, wbox in wpart.panel_boxes.items():
                    nbox = npart.panel_boxes[panel]
                    wb = (wbox[0] + wxy[0], wbox[1] + wxy[1], wbox[2] + wxy[0], wbox[3] + wxy[1])
                    nb = (nbox[0] + nxy[0], nbox[1] + nxy[1], nbox[2] + nxy[0], nbox[3] + nxy[1])
                    assert wb[2] - wb[0] == nb[2] - nb[0]
                    assert wb[3] - wb[1] == nb[3] - nb[1]
                    assert np.array_equal(_crop(wf, wb), _crop(nf, nb)), (name, k, panel)
                    checked += 1
    assert checked > 100


def _caption_band(anim, frame: Image.Image) -> np.ndarray:
    """The caption row of a grid-view frame: its drawn pixels, trimmed to the ink."""
    _x, y = anim._layout.caption_xy
    band = np.asarray(frame)[y : y + _draw.VALUE_SIZE + 4]
    ink = np.argwhere(band != _draw.INDEX["white"])
    (r0, c0), (r1, c1) = ink.min(0), ink.max(0)
    return band[r0 : r1 + 1, c0 : c1 + 1]


def _slot_span(anim, frame: Image.Image, row: int, widths, start: int, stop: int):
    """The pixels of caption pieces ``start:stop`` drawn in slots ``widths`` on line ``row``."""
    cx, cy = anim._layout.caption_xy
    x0 = cx - sum(widths) // 2 + sum(widths[:start])
    y0 = cy + row * CAPTION_LINE
    return np.asarray(frame)[y0 : y0 + CAPTION_LINE, x0 : x0 + sum(widths[start:stop])]


def test_stacked_captions_are_the_wide_captions_wrapped_with_the_same_pixels(pairs):
    """A stacked frame's caption is the wide one, cut into lines of CAPTION_PX at most.

    One line: its pixels are the wide caption's. Pieces drawn in slots: each
    line's pixels are the wide caption's pixels of the same pieces. Wrapped
    at spaces (a caption of one piece): the lines, joined, are its text.
    """
    wrapped = set()
    for name, (wide, narrow) in pairs.items():
        if narrow is wide or wide._layout is None:
            continue
        slots = _draw.caption_slots([s.parts for s in wide.scenes if s.step is not None])
        for k, (scene, wf, nf) in enumerate(
            zip(wide.scenes, wide.frames, narrow.frames, strict=True)
        ):
            lines = caption_lines(scene, slots)
            assert all(sum(w) <= CAPTION_PX or len(p) == 1 for p, w in lines), (name, k)
            if len(lines) <= 1:
                assert np.array_equal(_caption_band(wide, wf), _caption_band(narrow, nf)), (
                    name,
                    k,
                )
                continue
            wrapped.add(name)
            parts = scene.parts or (scene.caption,)
            widths = slots.get(len(parts)) if len(parts) > 1 else None
            if widths is None:  # broken at spaces
                assert " ".join(p[0] for p, _ in lines) == scene.caption, (name, k)
                continue
            assert "".join(piece for p, _ in lines for piece in p) == scene.caption
            start = 0
            for row, (pieces, line_widths) in enumerate(lines):
                stop = start + len(pieces)
                shown = _slot_span(narrow, nf, row, list(line_widths), 0, len(pieces))
                drawn = _slot_span(wide, wf, 0, widths, start, stop)
                assert np.array_equal(shown, drawn), (name, k, row)
                start = stop
    print("wrapped captions:", sorted(wrapped))
    assert wrapped  # some catalog case has a caption wider than CAPTION_PX


def test_a_stacked_animation_keeps_its_checked_numbers():
    x = np.arange(49).reshape(7, 7) % 5
    w = np.arange(9).reshape(3, 3) - 4
    wide = render.animate("correlate", x, w, padding=2)
    tall = render.animate("correlate", x, w, padding=2, layout="stacked")
    assert tall.layout == "stacked"
    assert wide.layout == "wide"
    assert tall.verification["passed"] is True
    assert np.array_equal(tall.values, wide.values)
    assert tall.captions == wide.captions
    assert tall.size[1] > wide.size[1]
    assert tall.size[0] < wide.size[0]
    # The boxes stand one above another, in the wide order (the result last).
    boxes = list(tall.panel_boxes.values())
    assert [b[1] for b in boxes] == sorted(b[1] for b in boxes)
    assert all(a[3] <= b[1] for a, b in itertools.pairwise(boxes))
    assert tall.with_layout("wide") is wide.with_layout("wide") or np.array_equal(
        np.asarray(tall.with_layout("wide").frames[0]), np.asarray(wide.frames[0])
    )


def test_auto_keeps_a_narrow_figure_wide():
    anim = render.animate("correlate", np.ones((3, 3)), np.ones((2, 2)), verify=False)
    assert anim.size[0] <= NARROW_PX
    assert anim.with_layout("auto") is anim
    assert (
        render.animate(
            "correlate", np.ones((3, 3)), np.ones((2, 2)), verify=False, layout="auto"
        ).size
        == anim.size
    )


@pytest.mark.parametrize("bad", ["tall", "", "Wide", None, 1])
def test_a_bad_layout_is_refused_naming_it(bad):
    with pytest.raises(ValueError, match=r"layout must be 'wide', 'stacked' or 'auto', got "):
        render.animate("correlate", np.ones((3, 3)), np.ones((2, 2)), verify=False, layout=bad)
    anim = render.animate("correlate", np.ones((3, 3)), np.ones((2, 2)), verify=False)
    with pytest.raises(ValueError, match=repr(bad).replace("(", r"\(")):
        anim.with_layout(bad)
    with pytest.raises(ValueError, match="layout must be"):
        check_layout(bad)


def test_the_tensor_view_has_no_stacked_layout():
    x, w = np.ones((2, 4, 4)), np.ones((1, 2, 3, 3))
    with pytest.raises(ValueError, match="layout must be 'wide' or 'auto' with view='tensor'"):
        render.animate("correlate", x, w, view="tensor", layout="stacked", verify=False)
    anim = render.animate("correlate", x, w, view="tensor", verify=False)
    assert anim.with_layout("auto") is anim
    with pytest.raises(ValueError, match="got 'stacked'"):
        anim.with_layout("stacked")


def test_stacked_layout_wraps_the_legend_and_header_into_the_width():
    case = catalog.get("signal_1d")
    tall = case.animate(verify=False).with_layout("stacked")
    lay = tall._layout
    assert lay.size[0] == tall.size[0]
    # Every legend entry and header line stands inside the frame: no ink in the margins.
    arr = np.asarray(tall.frames[-1])
    assert (arr[:, : _draw.MARGIN // 2] == _draw.INDEX["white"]).all()
    assert (arr[:, -_draw.MARGIN // 2 :] == _draw.INDEX["white"]).all()
    assert isinstance(stacked_layout, object)


def test_cli_layout_stacked_writes_the_stacked_gif(capsys, tmp_path):
    out = tmp_path / "t.gif"
    argv = ["animate", "correlate", "--input", "9x9", "--kernel", "3", "--padding", "1"]
    assert main([*argv, "--out", str(out), "--layout", "stacked", "--no-verify"]) == 0
    capsys.readouterr()
    rng = np.random.default_rng(0)
    x, w = rng.integers(0, 4, (9, 9)), rng.integers(0, 3, (3, 3))
    want = render.animate("correlate", x, w, padding=1, verify=False, layout="stacked")
    with Image.open(out) as im:
        assert im.size == want.size
        assert im.n_frames == len(want.scenes)


def test_cli_bad_layout_is_one_line_status_2_and_no_file(capsys, tmp_path):
    out = tmp_path / "t.gif"
    argv = ["animate", "correlate", "--input", "4x4", "--kernel", "3", "--out", str(out)]
    assert main([*argv, "--layout", "tall"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "argument --layout: invalid choice: 'tall'" in captured.err
    assert main([*argv, "--layout", "stacked", "--view", "tensor"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1
    assert "got 'stacked'" in captured.err
    assert list(tmp_path.iterdir()) == []


def test_the_page_serves_the_narrow_rendering_below_768_px(tmp_path):
    from conv_explained import _sphinx

    wide = catalog.get("signal_1d").animate(verify=False)
    png = tmp_path / "a_001.png"
    wide.save_still(png)
    files = _sphinx.write_narrow_files(wide, _sphinx.narrow_of(wide), wide.frames[-1], png)
    data = __import__("json").loads(_sphinx.write_player_files(wide, png).read_text())
    narrow = wide.with_layout("auto")
    assert data["narrow"] == {"size": list(narrow.size), "columns": narrow.sheet_columns}
    for name, file in data["narrow_files"].items():
        assert (tmp_path / file).is_file(), name
    with Image.open(files["narrow-gif"]) as im:
        assert im.size == narrow.size
        assert im.n_frames == len(wide.scenes)
    with Image.open(files["narrow-still"]) as im:
        assert np.array_equal(np.asarray(im), np.asarray(narrow.frames[-1]))
    uri = {k: f"{k}.x" for k in ("still", "gif", "poster", "sheet", "strip")}
    uri.update({k: f"{k}.x" for k in _sphinx._NARROW_NAMES})
    payload = {
        "captions": wide.captions,
        "durations": wide.durations,
        "keys": wide.key_frames,
        "columns": wide.sheet_columns,
        "size": list(wide.size),
        "narrow": data["narrow"],
    }
    page = _sphinx.player_html(uri, "A", ["ce-picture"], payload)
    order = [
        page.index(f'srcset="{k}.x"') for k in ("strip", "narrow-still", "still", "narrow-gif")
    ]
    assert order == sorted(order)
    assert '<source media="(max-width: 767.98px)" srcset="narrow-gif.x" data-ce-narrow' in page
    assert 'media="(prefers-reduced-motion: reduce) and (max-width: 767.98px)"' in page
    assert f'data-ce-narrow-size="{narrow.size[0]} {narrow.size[1]}"' in page
    assert 'data-ce-narrow-sheet-dark="narrow-dark-sheet.x"' in page
    # The step list is the wide figure's, once.
    assert page.count("<li>") == len(wide.captions)
    assert _sphinx.narrow_of(catalog.get("max_pool").animate(verify=False)) is None
