"""Number formatting: the one rule that turns the operators' values into cell text."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["MINUS", "format_array", "format_value"]

MINUS = "\N{MINUS SIGN}"


def format_value(value: object, decimals: int = 2) -> str:
    """Format one number for a cell: integers as integers, floats trimmed.

    Integer values (whatever their dtype) print without a decimal point;
    other floats are rounded to ``decimals`` places and trailing zeros are
    dropped. Negative numbers use the typographic minus sign (U+2212), and
    infinities print as ``∞``.

    Parameters
    ----------
    value : int or float
        A real number (numpy scalars are fine).
    decimals : int, optional
        Places kept after the decimal point.

    Returns
    -------
    str
        The text drawn in the cell.

    Examples
    --------
    >>> format_value(60), format_value(2.0), format_value(1.5), format_value(1 / 3)
    ('60', '2', '1.5', '0.33')
    >>> format_value(-0.004), format_value(-2.25), format_value(float("-inf"))
    ('0', '−2.25', '−∞')
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"value must be a real number, got {value!r}")
    v = int(value) if isinstance(value, (int, np.integer)) else float(value)  # type: ignore[arg-type]
    if isinstance(v, int):
        text = str(v)
    elif math.isnan(v):
        text = "nan"
    elif math.isinf(v):
        text = "∞" if v > 0 else "-∞"
    else:
        text = f"{v:.{decimals}f}".rstrip("0").rstrip(".")
        if text in ("-0", ""):
            text = "0"
    return text.replace("-", MINUS)


def format_array(values: np.ndarray, decimals: int = 2) -> np.ndarray:
    """Apply :func:`format_value` to every element; returns an object array of str.

    Examples
    --------
    >>> format_array(np.array([[1.0, -0.5]])).tolist()
    [['1', '−0.5']]
    """
    values = np.asarray(values)
    out = np.empty(values.shape, dtype=object)
    flat = values.reshape(-1)
    out_flat = out.reshape(-1)
    for i, v in enumerate(flat.tolist()):
        out_flat[i] = format_value(v, decimals)
    return out
