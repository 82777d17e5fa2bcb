"""Alt text: a plain-language description generated from an animation's parameters.

The text says what slides over what, the sizes, the parameters and what comes
out, and lists the output values when there are few enough to read aloud, so
that a reader who cannot see the animation gets the same facts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._format import format_array

__all__ = ["dims", "values_sentence"]

MAX_LISTED = 36


def dims(shape: Sequence[int]) -> str:
    """``(5, 7) -> "5×7"``.

    Examples
    --------
    >>> dims((5, 7)), dims([3])
    ('5×7', '3')
    """
    return "×".join(str(int(s)) for s in shape)


def values_sentence(values: np.ndarray, name: str = "Output") -> str:
    """A sentence reading out ``values`` (``(C, *spatial)``), row by row.

    Rows are separated by ``/`` and channels by ``;``; longer arrays are only
    summarised, pointing to the figure itself (the one thing certain to be
    beside the text).

    Examples
    --------
    >>> values_sentence(np.array([[[60, 56], [39, 61]]]))
    'Output values, row by row: 60 56 / 39 61.'
    """
    values = np.asarray(values)
    if values.size > MAX_LISTED:
        return f"{name} has {values.size} values, too many to read out; each is written in its cell of the figure."
    text = format_array(values)

    def read(a: np.ndarray) -> str:
        if a.ndim == 1:
            return " ".join(a.tolist())
        sep = " / " if a.ndim == 2 else "; slice: "
        return sep.join(read(sub) for sub in a)

    channels = [read(text[c]) for c in range(text.shape[0])]
    if len(channels) == 1:
        return f"{name} values, row by row: {channels[0]}."
    body = "; ".join(f"channel {c}: {v}" for c, v in enumerate(channels))
    return f"{name} values, row by row, {body}."
