"""Read the captions back: every step's terms, evaluated, must give torch's value.

A step caption of a sliding or pooling animation lists the terms of one
output cell (``x·w`` products and the bias, or the pooled values). This
module parses the terms *as drawn* and combines them (sum, mean or max); the
pipeline compares the result, cell by cell, with the torch reference. A
wrong term (a cell outside the window, a padding cell the average does not
count, a wrong weight) changes the result and fails the check.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ._format import MINUS
from ._pipeline import Figure
from .frames import Scene

__all__ = ["caption_check", "evaluate_terms", "number"]

#: Half a unit of the last decimal shown for non-integer cells (two decimals).
ROUNDING = 0.005


def number(text: str) -> float:
    text = text.replace(MINUS, "-").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    if text in ("∞", "-∞"):
        return float(text.replace("∞", "inf"))
    return float(text)


def _finite(value: float) -> float:
    return abs(value) if math.isfinite(value) else 0.0


def evaluate_terms(terms: Sequence[str], reduce: str) -> tuple[float, float]:
    """The value of a caption's terms and how far rounding of their texts may move it.

    Examples
    --------
    >>> evaluate_terms(["2·0", "(−1)·3", "4"], "sum")[0]
    1.0
    >>> evaluate_terms(["1", "2", "6"], "mean")[0]
    3.0
    """
    values: list[float] = []
    spread = 0.0
    for term in terms:
        # ∞, −∞ and nan are exact texts: they add no rounding (and an
        # infinite spread would let any value pass).
        if "·" in term:
            a, b = (number(t) for t in term.split("·"))
            values.append(a * b)
            spread += (_finite(a) + _finite(b) + ROUNDING) * ROUNDING
        else:
            values.append(number(term))
            spread += ROUNDING
    if reduce == "sum":
        return float(sum(values)), spread
    if reduce == "mean":
        return float(np.mean(values)), ROUNDING
    if reduce == "max":  # numpy's max, like torch's, propagates nan (Python's max does not)
        return float(np.max(values)), ROUNDING
    raise ValueError(f"reduce must be 'sum', 'mean' or 'max', got {reduce!r}")


def caption_check(figure: Figure, scenes: Sequence[Scene]) -> list[tuple[Any, ...]]:
    """The ``run_checks`` extra that compares every step caption with torch (if it is a reduction)."""
    if not figure.reduce:
        return []
    order = list(np.ndindex(*figure.values.shape))
    steps = [s for s in scenes if s.step is not None]
    if len(steps) != len(order) or any(not s.terms for s in steps):
        raise ValueError(f"the {figure.op!r} scenes do not list one caption per output cell")
    read = np.zeros(figure.values.shape, dtype=np.float64)
    slack = 0.0
    for scene in steps:
        value, spread = evaluate_terms(scene.terms, figure.reduce)
        assert scene.step is not None  # a step scene
        read[order[scene.step]] = value
        slack = max(slack, spread)
    return [("caption terms", read, figure.reference.compute, 0.0 if figure.exact else slack)]
