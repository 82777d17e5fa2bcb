"""Argument checking shared by every public function.

One error style for the whole package: a ``TypeError`` or ``ValueError`` whose
message names the parameter and quotes the offending value, for example
``stride must be a positive integer, got 0``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any, cast

import numpy as np

__all__ = [
    "as_array",
    "check_int",
    "check_spatial_rank",
    "drop_batch",
    "is_int",
    "is_pairs",
    "ntuple",
    "one_or_all",
    "rank_of",
    "trailing",
]

_KIND_WORDS = {0: "a non-negative integer", 1: "a positive integer"}


def drop_batch(y: np.ndarray, unbatched: bool) -> np.ndarray:
    """``y`` without its batch axis when the caller gave an unbatched input."""
    return cast("np.ndarray", y[0]) if unbatched else y


def trailing(slices: Iterable[slice]) -> tuple[Any, ...]:
    """An index that applies ``slices`` to the trailing axes: ``(..., *slices)``."""
    return (Ellipsis, *slices)


def is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def check_int(name: str, value: object, *, minimum: int = 1) -> int:
    """Return ``value`` as a Python int, or raise naming ``name``.

    >>> check_int("stride", 2)
    2
    >>> check_int("stride", 0)
    Traceback (most recent call last):
    ...
    ValueError: stride must be a positive integer, got 0
    """
    words = _KIND_WORDS.get(minimum, f"an integer >= {minimum}")
    if not is_int(value):
        raise TypeError(f"{name} must be {words}, got {value!r}")
    number: int = int(value)  # type: ignore[call-overload]  # is_int: an Integral
    if number < minimum:
        raise ValueError(f"{name} must be {words}, got {value!r}")
    return number


def ntuple(name: str, value: object, n: int, *, minimum: int = 1) -> tuple[int, ...]:
    """Broadcast an int-or-tuple option to ``n`` checked ints.

    >>> ntuple("stride", 2, 3)
    (2, 2, 2)
    >>> ntuple("dilation", (1, 2), 2)
    (1, 2)
    >>> ntuple("padding", (1, -1), 2, minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: padding must be a non-negative integer or a tuple of 2 of them, got (1, -1)
    """
    words = _KIND_WORDS.get(minimum, f"an integer >= {minimum}")
    if is_int(value):
        return (check_int(name, value, minimum=minimum),) * n
    if isinstance(value, Sequence) and not isinstance(value, str):
        items = tuple(value)
        if len(items) == n and all(is_int(v) for v in items):
            if all(v >= minimum for v in items):
                return tuple(int(v) for v in items)
            raise ValueError(f"{name} must be {words} or a tuple of {n} of them, got {value!r}")
    error = TypeError if not isinstance(value, Sequence) or isinstance(value, str) else ValueError
    raise error(f"{name} must be {words} or a tuple of {n} of them, got {value!r}")


def as_array(name: str, value: object) -> np.ndarray:
    """Return ``value`` as a numeric numpy array (bool and object are refused)."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be a numeric array, got {value!r}") from exc
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.integer)
        or np.issubdtype(array.dtype, np.floating)
        or np.issubdtype(array.dtype, np.complexfloating)
    ):
        raise TypeError(f"{name} must be a numeric array, got dtype {array.dtype}")
    return array


def check_spatial_rank(name: str, array: np.ndarray, *, allowed: Sequence[int]) -> None:
    """Raise if ``array.ndim`` is not one of ``allowed``."""
    if array.ndim not in allowed:
        choices = " or ".join(str(a) for a in allowed)
        raise ValueError(f"{name} must have {choices} dimensions, got shape {tuple(array.shape)}")


def rank_of(*values: object) -> int | None:
    """Number of axes implied by the tuple-valued arguments (None if all are scalars)."""
    lengths = {len(v) for v in values if isinstance(v, Sequence) and not isinstance(v, str)}
    if not lengths:
        return None
    if len(lengths) > 1:
        raise ValueError(
            "sizes and options given as tuples must all have the same length, got "
            + ", ".join(
                repr(v) for v in values if isinstance(v, Sequence) and not isinstance(v, str)
            )
        )
    return lengths.pop()


def one_or_all(values: list[int], rank: int | None) -> int | tuple[int, ...]:
    """The one value for scalar arguments (``rank`` None), else all as a tuple."""
    return values[0] if rank is None else tuple(values)


def is_pairs(padding: object) -> bool:
    """Whether ``padding`` is given as ``(before, after)`` pairs (a sequence holding sequences)."""
    return (
        isinstance(padding, Sequence)
        and not isinstance(padding, str)
        and any(isinstance(p, Sequence) for p in padding)
    )
