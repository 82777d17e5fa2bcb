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
