"""What each frame shows: a data model of panels and cells, and the scene builders.

A frame is described by a :class:`Scene`: a list of :class:`Cell` records,
each naming its panel (``"input"``, ``"kernel"``, ``"output"``, ...), its
index in that panel's array, the text drawn in it, its role and an optional
mark. The drawing code (:mod:`conv_explained.render._draw`) paints exactly
these records, so tests can check what a frame shows without reading pixels.

Roles (what a cell *is*)
    ``"input"`` a value of the input; ``"padding"`` a padding cell (0, or
    the reflected/replicated/circular value, or ``−∞`` for max pooling);
    ``"inserted"`` a zero inserted between input cells by a transposed
    convolution; ``"kernel"`` a kernel weight; ``"output"`` a computed output
    value; ``"pending"`` an output cell not computed yet (no text);
    ``"cropped"`` an output cell of a transposed convolution that the
    ``padding`` removes.

Marks (what a cell is *doing* in this frame)
    ``"footprint"`` under the kernel (its weight in ``note``); ``"current"``
    the output cell being computed; ``"chosen"`` the maximum of a pooling
    window; ``"source"`` the input cell being scattered; ``"stamp"`` an
    output cell receiving a scattered product (``note`` holds what was
    added); ``"active"``/``"idle"`` the kernel in use and the others.

The builders never compute a number: every value they place comes from the
arrays they are given, which the caller got from the package's operators.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ._format import MINUS, format_array
from ._model import MARKS, ROLES, Cell, Index, Panel, Scene

__all__ = [
    "MARKS",
    "ROLES",
    "Cell",
    "Panel",
    "Scene",
    "conv_scenes",
    "pool_scenes",
    "route_scenes",
    "scatter_scenes",
]

Override = tuple[str, str, str, str]  # text, role, mark, note
#: An object array of cell texts (numpy types its items as arrays).
Texts = Any


class _Board:
    """Base texts and roles of every panel; makes scenes from per-frame overrides."""

    def __init__(self, panels: Sequence[Panel], base: dict[str, tuple[np.ndarray, np.ndarray]]):
        self.panels = list(panels)
        self.base = base
        self.order = [(p.name, p.indices()) for p in self.panels]

    def scene(
        self,
        overrides: dict[tuple[str, Index], Override],
        caption: str | Sequence[str],
        step: int | None,
        terms: Sequence[str] = (),
    ) -> Scene:
        cells = []
        for name, indices in self.order:
            texts, roles = self.base[name]
            for idx in indices:
                o = overrides.get((name, idx))
                if o is None:
                    cells.append(Cell(name, idx, texts[idx], roles[idx]))
                else:
                    cells.append(Cell(name, idx, *o))
        parts = (caption,) if isinstance(caption, str) else tuple(caption)
        return Scene(tuple(cells), "".join(parts), step, parts, tuple(terms))


def _roles(shape: Sequence[int], role: str) -> np.ndarray:
    out = np.empty(tuple(shape), dtype=object)
    out[...] = role
    return out


def _paren(text: str) -> str:
    return f"({text})" if text.startswith(MINUS) else text


Fits = Callable[[Sequence[Sequence[str]]], bool]


def sum_parts(
    head: str,
    terms: Sequence[str],
    result: str,
    keep: int,
    *,
    joiner: str = " + ",
    wrap: tuple[str, str] = ("", ""),
) -> list[str]:
    """Caption pieces ``head t0 + t1 + … + t_last = result`` keeping ``keep`` leading terms.

    Examples
    --------
    >>> "".join(sum_parts("y = ", ["1·0", "2·1", "2·2", "3·3"], "13", 2))
    'y = 1·0 + 2·1 + … + 3·3 = 13'
    """
    shown = list(terms) if keep >= len(terms) - 1 else [*terms[:keep], "…", terms[-1]]
    parts = [head + wrap[0]]
    for i, term in enumerate(shown):
        if i:
            parts.append(joiner)
        parts.append(term)
    parts.append(wrap[1] + " = " + result)
    return parts


def choose_parts(
    heads: Sequence[str],
    terms: Sequence[Sequence[str]],
    results: Sequence[str],
    fits: Fits,
    *,
    joiner: str = " + ",
    wrap: tuple[str, str] = ("", ""),
    limit: int | None = None,
) -> list[list[str]]:
    """The captions of all steps, with as many terms as fit on every frame (at most ``limit``)."""
    longest = max((len(t) for t in terms), default=0)
    if limit is not None:
        longest = min(longest, limit)
    for keep in range(longest, 0, -1):
        captions = [
            sum_parts(h, t, r, keep, joiner=joiner, wrap=wrap)
            for h, t, r in zip(heads, terms, results, strict=True)
        ]
        if fits(captions):
            return captions
    return [[h + wrap[0] + "…" + wrap[1], " = " + r] for h, r in zip(heads, results, strict=True)]


def _index_text(name: str, index: Index, channels: int) -> str:
    shown = index if channels > 1 else index[1:]
    return f"{name}[{', '.join(str(i) for i in shown)}]"


def _output_overrides(
    name: str, texts: np.ndarray, order: list[Index], step: int
) -> dict[tuple[str, Index], Override]:
    """Outputs before ``step`` shown, ``step`` current, the rest pending."""
    ov: dict[tuple[str, Index], Override] = {}
    for rank, idx in enumerate(order):
        if rank < step:
            ov[(name, idx)] = (texts[idx], "output", "", "")
        elif rank == step:
            ov[(name, idx)] = (texts[idx], "output", "current", "")
        else:
            ov[(name, idx)] = ("", "pending", "", "")
    return ov


def _kernel_overrides(name: str, k_text: Texts, active: int) -> dict[tuple[str, Index], Override]:
    """The kernel panel with the kernels of ``active`` (first axis) in use, the others idle."""
    return {
        (name, kidx): (k_text[kidx], "kernel", "active" if kidx[0] == active else "idle", "")
        for kidx in np.ndindex(*k_text.shape)
    }


def conv_scenes(
    panels: tuple[Panel, Panel, Panel],
    xp: np.ndarray,
    xp_roles: np.ndarray,
    kernel: np.ndarray,
    out: np.ndarray,
    *,
    dilation: Sequence[int],
    stride: Sequence[int],
    groups: int,
    bias: np.ndarray | None,
    mac: bool | int,
    fits: Fits,
    out_name: str = "output",
) -> list[Scene]:
    """Scenes of a kernel sliding over a (padded) input: one per output cell, then a final one.

    Parameters
    ----------
    panels : (Panel, Panel, Panel)
        The input, kernel and output panels (``shape`` must match the arrays).
    xp : numpy.ndarray
        ``(C_in, *padded)``: the input exactly as the kernel sees it.
    xp_roles : numpy.ndarray
        Object array of roles for ``xp`` (``"input"``, ``"padding"``, ``"inserted"``).
    kernel : numpy.ndarray
        ``(C_out, C_in / groups, *k)``: the weights as applied (already
        flipped for a true convolution).
    out : numpy.ndarray
        ``(C_out, *out)``: the operator's result.
    dilation, stride : sequence of int
        Per spatial axis.
    groups : int
        Channel groups.
    bias : numpy.ndarray or None
        ``(C_out,)``, shown as the last term of the sum.
    mac : bool or int
        Caption with the multiply-accumulate sum (else just the result); an
        int shows at most that many leading terms, then ``…`` and the last.
    fits : callable
        Tells whether captions (lists of pieces) fit the frame, drawn in
        aligned slots (used to shorten long sums).
    out_name : str
        Word used for the output in captions.

    Returns
    -------
    list of Scene
        ``C_out * prod(out.shape[1:])`` step scenes, then the final scene.
    """
    p_in, p_k, p_out = panels
    x_text: Texts = format_array(xp)
    k_text: Texts = format_array(kernel)
    y_text: Texts = format_array(out)
    b_text: Texts = format_array(bias) if bias is not None else None
    board = _Board(
        panels,
        {
            p_in.name: (x_text, xp_roles),
            p_k.name: (k_text, _roles(kernel.shape, "kernel")),
            p_out.name: (y_text, _roles(out.shape, "output")),
        },
    )
    c_out, cg = kernel.shape[:2]
    og = c_out // groups
    taps = list(np.ndindex(*kernel.shape[2:]))
    order = list(np.ndindex(*out.shape))
    steps = []
    for step, idx in enumerate(order):
        o, pos = idx[0], idx[1:]
        g = o // og
        ov = _output_overrides(p_out.name, y_text, order, step)
        terms = []
        for ci in range(cg):
            c = g * cg + ci
            for tap in taps:
                where = (
                    c,
                    *(
                        p * s + t * d
                        for p, s, t, d in zip(pos, stride, tap, dilation, strict=True)
                    ),
                )
                w = k_text[(o, ci, *tap)]
                ov[(p_in.name, where)] = (x_text[where], xp_roles[where], "footprint", "×" + w)
                terms.append(f"{_paren(x_text[where])}·{_paren(w)}")
        if c_out > 1:
            ov.update(_kernel_overrides(p_k.name, k_text, o))
        if b_text is not None:
            terms.append(_paren(b_text[o]))
        steps.append((ov, _index_text(out_name, idx, c_out) + " = ", terms, y_text[idx]))
    return _finish_scenes(board, steps, mac, fits, _final_caption(out_name, out.shape))


def _finish_scenes(
    board: _Board,
    steps: list[tuple[dict[tuple[str, Index], Override], str, list[str], str]],
    mac: bool | int,
    fits: Fits,
    final: str,
    *,
    reduce_name: str = "",
) -> list[Scene]:
    heads = [head + reduce_name for _, head, _, _ in steps]
    results = [r for *_, r in steps]
    if mac:
        wrap = ("(", ")") if reduce_name else ("", "")
        joiner = ", " if reduce_name else " + "
        captions = choose_parts(
            heads,
            [t for _, _, t, _ in steps],
            results,
            fits,
            joiner=joiner,
            wrap=wrap,
            limit=None if mac is True else int(mac),
        )
    else:
        captions = [[head, r] for (_, head, _, _), r in zip(steps, results, strict=True)]
    scenes = [
        board.scene(ov, caption, step, terms)
        for step, ((ov, _, terms, _), caption) in enumerate(zip(steps, captions, strict=True))
    ]
    scenes.append(board.scene({}, final, None))
    return scenes


def _final_caption(name: str, shape: Sequence[int]) -> str:
    positions = int(np.prod(shape))
    return f"all {positions} {name} cells computed"


def pool_scenes(
    panels: tuple[Panel, Panel],
    xp: np.ndarray,
    xp_roles: np.ndarray,
    out: np.ndarray,
    *,
    window: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int],
    chosen: np.ndarray | None,
    counted: np.ndarray | None = None,
    reduce_name: str,
    mac: bool | int,
    fits: Fits,
) -> list[Scene]:
    """Scenes of a pooling window sliding over a (padded) input.

    Parameters
    ----------
    panels : (Panel, Panel)
        Input and output panels.
    xp, xp_roles : numpy.ndarray
        ``(C, *padded)`` values and roles.
    out : numpy.ndarray
        ``(C, *out)`` pooled values from the operator.
    window, stride, dilation : sequence of int
        The window geometry per spatial axis.
    chosen : numpy.ndarray or None
        ``(C, *out, d)`` padded coordinates of each window's maximum (max
        pooling), from the operator's indices.
    counted : numpy.ndarray, optional
        Boolean, shape of ``xp``: the cells an average counts (the caption
        lists only these); all by default.
    reduce_name : str
        ``"max"`` or ``"mean"``, written in the caption.
    mac, fits
        As in :func:`conv_scenes`.

    Returns
    -------
    list of Scene
        One per output cell, then the final scene.
    """
    p_in, p_out = panels
    x_text: Texts = format_array(xp)
    if counted is not None:  # padding an average ignores is drawn empty
        x_text[~counted & (xp_roles == "padding")] = ""
    y_text: Texts = format_array(out)
    board = _Board(
        panels, {p_in.name: (x_text, xp_roles), p_out.name: (y_text, _roles(out.shape, "output"))}
    )
    taps = list(np.ndindex(*window))
    order = list(np.ndindex(*out.shape))
    steps = []
    for step, idx in enumerate(order):
        c, pos = idx[0], idx[1:]
        ov = _output_overrides(p_out.name, y_text, order, step)
        best = tuple(int(v) for v in chosen[idx]) if chosen is not None else None
        terms = []
        for tap in taps:
            sp = tuple(
                p * s + t * d for p, s, t, d in zip(pos, stride, tap, dilation, strict=True)
            )
            where = (c, *sp)
            mark = "chosen" if best is not None and sp == best else "footprint"
            ov[(p_in.name, where)] = (x_text[where], xp_roles[where], mark, "")
            if counted is None or counted[where]:
                terms.append(x_text[where])
        steps.append((ov, _index_text(p_out.name, idx, out.shape[0]) + " = ", terms, y_text[idx]))
    return _finish_scenes(
        board, steps, mac, fits, _final_caption(p_out.name, out.shape), reduce_name=reduce_name
    )


def scatter_scenes(
    panels: tuple[Panel, Panel, Panel],
    x: np.ndarray,
    weight: np.ndarray,
    partial: np.ndarray,
    stamps: np.ndarray,
    final: np.ndarray,
    inner: tuple[slice, ...],
    *,
    stride: Sequence[int],
    dilation: Sequence[int],
    groups: int,
    fits: Fits,
) -> list[Scene]:
    """Scenes of a transposed convolution as scatter: each input cell stamps the kernel.

    Parameters
    ----------
    panels : (Panel, Panel, Panel)
        Input ``(C_in, *i)``, kernel ``(C_in, C_out / groups, *k)`` and the
        uncropped output ``(C_out, *full)`` panels.
    x, weight : numpy.ndarray
        The operator's input and weight.
    partial : numpy.ndarray
        ``(steps, C_out, *full)``: the uncropped output after each stamp
        (from the operator applied to the first ``t + 1`` input cells).
    stamps : numpy.ndarray
        ``(steps, C_out, *full)``: what each single stamp adds (from the
        operator applied to one input cell).
    final : numpy.ndarray
        ``(C_out, *full)``: the last frame's output; the cells inside
        ``inner`` hold the operator's result (with bias).
    inner : tuple of slice
        The part of the uncropped output that ``padding`` keeps.
    stride, dilation, groups, fits
        As in :func:`conv_scenes`.

    Returns
    -------
    list of Scene
        One per input cell, then the final scene.
    """
    p_in, p_k, p_out = panels
    x_text: Texts = format_array(x)
    k_text: Texts = format_array(weight)
    full_shape = partial.shape[1:]
    kept = np.zeros(full_shape, dtype=bool)
    kept[(slice(None), *inner)] = True
    base_roles = np.where(kept, "pending", "cropped").astype(object)
    blank = np.empty(full_shape, dtype=object)
    blank[...] = ""
    board = _Board(
        panels,
        {
            p_in.name: (x_text, _roles(x.shape, "input")),
            p_k.name: (k_text, _roles(weight.shape, "kernel")),
            p_out.name: (blank, base_roles),
        },
    )
    c_in = x.shape[0]
    og = weight.shape[1]
    cg = c_in // groups
    taps = list(np.ndindex(*weight.shape[2:]))
    order = list(np.ndindex(*x.shape))
    touched = np.zeros(full_shape, dtype=bool)
    scenes = []
    for step, idx in enumerate(order):
        c, pos = idx[0], idx[1:]
        g = c // cg
        ov: dict[tuple[str, Index], Override] = {
            (p_in.name, idx): (x_text[idx], "input", "source", "")
        }
        ov.update(_kernel_overrides(p_k.name, k_text, c))
        stamp_text: Texts = format_array(stamps[step])
        here = []
        for j in range(og):
            for tap in taps:
                where = (
                    g * og + j,
                    *(
                        p * s + t * d
                        for p, s, t, d in zip(pos, stride, tap, dilation, strict=True)
                    ),
                )
                here.append(where)
                touched[where] = True
        part_text: Texts = format_array(partial[step])
        for oidx in np.ndindex(*full_shape):
            if touched[oidx]:
                role = "output" if kept[oidx] else "cropped"
                ov[(p_out.name, oidx)] = (part_text[oidx], role, "", "")
        for where in here:
            role = "output" if kept[where] else "cropped"
            ov[(p_out.name, where)] = (part_text[where], role, "stamp", "+" + stamp_text[where])
        head = f"{_index_text(p_in.name, idx, c_in)} = {x_text[idx]}: "
        caption = [head, f"output += {_paren(x_text[idx])} × kernel"]
        if not fits([caption]):
            caption = [head, f"adds {_paren(x_text[idx])} × kernel"]
        scenes.append(board.scene(ov, caption, step))
    final_text: Texts = format_array(final)
    ov = {}
    for oidx in np.ndindex(*full_shape):
        ov[(p_out.name, oidx)] = (final_text[oidx], "output" if kept[oidx] else "cropped", "", "")
    kept_shape = tuple(s.stop - s.start for s in inner)
    summary = f"all {c_in * int(np.prod(x.shape[1:]))} stamps added: output {'×'.join(map(str, kept_shape))}"
    if not kept.all():
        summary += " (hatched cells cropped by padding)"
    scenes.append(board.scene(ov, summary, None))
    return scenes


def route_scenes(
    panels: tuple[Panel, Panel, Panel],
    xp: np.ndarray,
    xp_roles: np.ndarray,
    grad_out: np.ndarray,
    partial: np.ndarray,
    final: np.ndarray,
    chosen: np.ndarray,
    targets: np.ndarray,
    *,
    window: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int],
    fits: Fits,
) -> list[Scene]:
    """Scenes of the max-pooling gradient: each output gradient goes to its window's maximum.

    Parameters
    ----------
    panels : (Panel, Panel, Panel)
        Padded input, output gradient and input gradient panels.
    xp, xp_roles : numpy.ndarray
        ``(C, *padded)`` forward input (as the window sees it) and roles.
    grad_out : numpy.ndarray
        ``(C, *out)`` gradient arriving at the pooled output.
    partial : numpy.ndarray
        ``(steps, C, *in)`` input gradient after each routed value (from the
        gradient operator applied to the first ``t + 1`` output gradients).
    final : numpy.ndarray
        ``(C, *in)`` the gradient operator's result.
    chosen : numpy.ndarray
        ``(C, *out, d)`` padded coordinates of each window's maximum.
    targets : numpy.ndarray
        ``(C, *out, d)`` the same cells in input coordinates (from the
        operator's indices): where each gradient goes.
    window, stride, dilation, fits
        As in :func:`pool_scenes`.

    Returns
    -------
    list of Scene
        One per output-gradient cell, then the final scene.
    """
    p_in, p_g, p_dx = panels
    x_text: Texts = format_array(xp)
    g_text: Texts = format_array(grad_out)
    blank = np.empty(final.shape, dtype=object)
    blank[...] = ""
    board = _Board(
        panels,
        {
            p_in.name: (x_text, xp_roles),
            p_g.name: (g_text, _roles(grad_out.shape, "input")),
            p_dx.name: (blank, _roles(final.shape, "pending")),
        },
    )
    taps = list(np.ndindex(*window))
    order = list(np.ndindex(*grad_out.shape))
    touched = np.zeros(final.shape, dtype=bool)
    scenes = []
    for step, idx in enumerate(order):
        c, pos = idx[0], idx[1:]
        best = tuple(int(v) for v in chosen[idx])
        ov: dict[tuple[str, Index], Override] = {
            (p_g.name, idx): (g_text[idx], "input", "source", "")
        }
        for tap in taps:
            sp = tuple(
                p * s + t * d for p, s, t, d in zip(pos, stride, tap, dilation, strict=True)
            )
            where = (c, *sp)
            mark = "chosen" if sp == best else "footprint"
            ov[(p_in.name, where)] = (x_text[where], xp_roles[where], mark, "")
        target = (c, *(int(v) for v in targets[idx]))
        touched[target] = True
        part_text: Texts = format_array(partial[step])
        for didx in np.ndindex(*final.shape):
            if touched[didx]:
                ov[(p_dx.name, didx)] = (part_text[didx], "output", "", "")
        ov[(p_dx.name, target)] = (part_text[target], "output", "stamp", "+" + g_text[idx])
        caption = [
            f"{_index_text(p_g.name, idx, grad_out.shape[0])} = {g_text[idx]}",
            f" → {_index_text(p_dx.name, target, grad_out.shape[0])} (the window's max)",
        ]
        if not fits([caption]):
            caption = [caption[0], " → the max"]
        scenes.append(board.scene(ov, caption, step))
    f_text: Texts = format_array(final)
    ov = {(p_dx.name, didx): (f_text[didx], "output", "", "") for didx in np.ndindex(*final.shape)}
    scenes.append(
        board.scene(ov, f"all {len(order)} gradients routed; cells that were no max get 0", None)
    )
    return scenes
