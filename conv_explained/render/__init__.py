"""Numerically annotated animations and figures of convolutions, pooling and gradients.

Every number drawn comes from the package's operators and is checked against
torch (float64) and :mod:`conv_explained.shapes` before anything is written.

>>> import numpy as np
>>> from conv_explained import render
>>> anim = render.animate("correlate", np.arange(16).reshape(4, 4) % 4, np.ones((3, 3), int))
>>> len(anim.frames), anim.frames[0].mode
(5, 'P')
>>> anim.verification["passed"]
True

Main entry points: :func:`animate`, :func:`compare`, the :class:`Animation`
it returns (``frames``, ``alt_text``, ``values``, ``params``,
``verification``, ``save_gif``, ``save_still``, ``save_strip``), and
:data:`written` / :func:`take_written`, the record of every file written.

How an animation is made (one pipeline for every operation):

1. :func:`animate` packs the arrays into a ``Request`` and the options into a
   frozen ``Options`` (``_pipeline``), and looks the op up in :data:`OPS`.
2. The op's family spec computes a ``Figure``: what the operators return and
   what will be drawn (grids, masks of counted, cropped, inserted and chosen
   cells, caption vocabulary), the panel labels, the alt text and the torch
   ``Reference``. Every number and mask comes from the package's operators and
   :mod:`conv_explained.shapes`; the specs only arrange them.
3. A view (``_views``, chosen with ``animate(..., view=...)``) turns the
   figure into :class:`Scene` records and a frame layout; ``frames`` builds
   the scenes, ``_draw`` paints them. ``view="tensor"`` draws 2-D sliding
   kernels and pooling as C×H×W blocks instead (``_tensor``, ``_tensor_draw``,
   ``_iso``); its scenes record every number drawn on a block face.
4. ``animation.run`` checks against torch (float64) the result, every drawn
   grid, the drawn final texts and every step caption's terms (``_captions``),
   then returns the :class:`Animation`.

Modules:

``animation``
    :func:`animate`, :func:`compare`, :class:`Animation`, :data:`OPS` (op name ->
    family spec; the CLI reads its choices and options from it) and ``run``.
``_pipeline``
    ``Options``, ``Request``, ``Figure``, ``Reference``, ``OpSpec`` (the base of
    the family specs), input checks, drawing limits and shared wording.
``_conv``, ``_transposed``, ``_pool``
    The family specs: sliding kernel (correlate, convolve); transposed
    convolution as scatter and as direct convolution, and the input gradient;
    windowed and global pooling and the max-pooling gradient.
``_references``
    Every torch reference, as plain functions of ``(torch, F)``.
``_views``
    Views: ``GridView`` draws each figure kind (slide, pool, scatter, route)
    as flat grids; ``TensorView`` draws slide and pool figures of 2-D ops as
    3-D blocks. A new view is one more class with ``build(figure, mac)`` and
    an entry in ``VIEWS``; the family specs, the references and the checks
    stay as they are (a spec lists the views it supports in ``views``).
``_tensor``, ``_tensor_draw``, ``_iso``
    The tensor view: frames from a figure (window, lit cell, per-channel
    partial sums from ``ops.correlate``) and the torch checks of every drawn
    number and caption term; their pixels; oblique blocks with
    occlusion-correct numbers.
``network``
    :func:`network_diagram`: a module's layer shapes as a row of 3-D blocks,
    checked against a forward pass.
``frames``, ``_model``
    The scene builders, and the data model (:class:`Cell`, :class:`Panel`,
    :class:`Scene`) that tests read instead of pixels.
``_draw``, ``_format``, ``alt``
    Pixels (palette, fonts, cells, layout), number formatting, alt-text helpers.
``_verify``, ``_captions``
    The torch comparison, and the read-back of caption terms.
``gif``
    Atomic writes, PNG stills and strips, and the GIF encoder. The encoder is
    the package's own (5-bit LZW codes through Pillow's C encoder, delta
    frames): about a tenth smaller than Pillow's writer and byte-identical from
    run to run. That is why imageio is not a dependency: its GIF plugin would
    only hand the frames to Pillow's own writer.

Adding an operation means adding one spec: a subclass of ``OpSpec`` whose
``figure`` returns a ``Figure`` of an existing kind, and a line in :data:`OPS`.
"""

from ._format import format_array, format_value
from ._verify import VerificationError
from .animation import OPS, Animation, animate, compare
from .frames import MARKS, ROLES, Cell, Panel, Scene
from .gif import take_written, written
from .network import network_diagram

__all__ = [
    "MARKS",
    "OPS",
    "ROLES",
    "Animation",
    "Cell",
    "Panel",
    "Scene",
    "VerificationError",
    "animate",
    "compare",
    "format_array",
    "format_value",
    "network_diagram",
    "take_written",
    "written",
]
