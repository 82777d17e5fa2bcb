"""Check the numbers an animation draws against torch, before anything is written.

torch is imported here, lazily, so that the package imports without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import verify
from ..verify import VerificationError
from ._format import format_array

__all__ = ["VerificationError", "run_checks", "to_torch"]


Compute = Callable[[Any, Any], Any]  # (torch, torch.nn.functional) -> tensor or array


def to_torch(torch: Any, array: np.ndarray, *, batch: bool = True) -> Any:
    """``array`` as a float64 tensor, with a batch axis in front if ``batch``."""
    t = torch.from_numpy(np.ascontiguousarray(np.asarray(array, dtype=np.float64)))
    return t[None] if batch else t


def _numpy(result: Any) -> np.ndarray:
    if hasattr(result, "detach"):
        result = result.detach().numpy()
    return np.asarray(result, dtype=np.float64)


def _tolerance(values: np.ndarray, reference: np.ndarray) -> float:
    scale = max(1.0, float(np.max(np.abs(reference[np.isfinite(reference)]), initial=0.0)))
    precise = values.dtype.kind in "iu" or values.dtype == np.float64
    return (1e-9 if precise else 1e-4) * scale


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    a = np.asarray(a, dtype=np.float64)
    both_inf = np.isinf(a) & np.isinf(b) & (np.sign(a) == np.sign(b))
    both_nan = np.isnan(a) & np.isnan(b)
    with np.errstate(invalid="ignore"):  # inf - inf where both are the same infinity
        d = np.where(both_inf | both_nan, 0.0, np.abs(a - b))
    return float(np.max(d, initial=0.0))


def run_checks(
    *,
    reference: str,
    compute: Compute,
    values: np.ndarray,
    drawn_text: np.ndarray,
    expected_shape: Sequence[int],
    extras: Sequence[tuple[Any, ...]] = (),
) -> dict[str, Any]:
    """Compare an animation's values with torch; raise :class:`VerificationError` on mismatch.

    Parameters
    ----------
    reference : str
        Name of the torch function used (reported in the result).
    compute : callable
        ``compute(torch, F)`` returns the reference result, unbatched.
    values : numpy.ndarray
        The package operator's result (what the animation draws).
    drawn_text : numpy.ndarray
        The texts drawn in the output cells of the final frame.
    expected_shape : sequence of int
        The output shape according to :mod:`conv_explained.shapes`.
    extras : sequence of (str, numpy.ndarray, callable) or (..., float)
        Further drawn arrays (padded input, kernel as applied, results from
        the drawn grids, caption terms...) and how torch computes each; a
        fourth item widens the tolerance by that much (numbers read back
        from rounded cell texts).

    Returns
    -------
    dict
        ``reference``, ``max_abs_diff``, ``shape`` (drawn), ``expected_shape``
        (from conv_explained.shapes), ``shape_ok``, ``text_ok``, ``checks``
        (max abs diff of each extra) and ``passed`` (always True: failures raise).

    Raises
    ------
    RuntimeError
        If torch is not installed (pass ``verify=False`` to skip the check).
    VerificationError
        If a shape, a value or a drawn text disagrees.
    """
    try:
        import torch
        import torch.nn.functional as F
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "torch is needed to verify an animation's numbers before it is drawn; install "
            "torch or pass verify=False to skip the check"
        ) from exc
    values = np.asarray(values)
    ref = _numpy(compute(torch, F))
    problems = []
    shape_ok = tuple(values.shape) == tuple(ref.shape) == tuple(expected_shape)
    if not shape_ok:
        problems.append(
            f"output shape {tuple(values.shape)}, torch {tuple(ref.shape)}, "
            f"conv_explained.shapes {tuple(expected_shape)}"
        )
        diff = float("inf")
    else:
        diff = _diff(values, ref)
        if not diff <= _tolerance(values, ref):
            problems.append(f"values differ from {reference} by up to {diff:g}")
    text_ok = shape_ok and drawn_text.shape == ref.shape
    if text_ok:
        wanted: Any = format_array(ref)
        drawn: Any = drawn_text
        bad = [  # a None cell is not drawn (a hidden face of the tensor view)
            idx
            for idx in np.ndindex(*ref.shape)
            if drawn[idx] is not None
            and drawn[idx] != wanted[idx]
            and not _same_number(drawn[idx], float(ref[idx]))
        ]
        if bad:
            text_ok = False
            idx = bad[0]
            problems.append(
                f"cell {idx} shows {drawn_text[idx]!r} but {reference} gives {wanted[idx]!r}"
            )
    checks = {}
    extras_checked: list[tuple[str, np.ndarray, np.ndarray, float]] = []
    for name, ours, fn, *slack in extras:
        theirs = _numpy(fn(torch, F))
        ours = np.asarray(ours)
        if ours.shape != theirs.shape:
            problems.append(f"{name}: shape {ours.shape}, torch {theirs.shape}")
            checks[name] = float("inf")
            continue
        d = _diff(ours, theirs)
        checks[name] = d
        allowed = _tolerance(ours, theirs) + (slack[0] if slack else 0.0)
        if not d <= allowed:
            problems.append(f"{name} differs from torch by up to {d:g}")
        extras_checked.append((name, ours, theirs, allowed))
    if problems:
        where = verify.current_context()
        raise VerificationError(
            (f"{where}: " if where else "")
            + "the animation's numbers do not match torch, nothing was drawn: "
            + "; ".join(problems)
        )
    certificate = _certificate(reference, values, ref, extras_checked)
    return {
        "reference": reference,
        "max_abs_diff": diff,
        "shape": list(values.shape),
        "expected_shape": [int(s) for s in expected_shape],
        "shape_ok": shape_ok,
        "text_ok": text_ok,
        "checks": checks,
        "passed": True,
        "certificate": certificate,
    }


def _certificate(
    reference: str,
    values: np.ndarray,
    ref: np.ndarray,
    extras: Sequence[tuple[str, np.ndarray, np.ndarray, float]],
) -> verify.Certificate:
    """One certificate for everything an animation draws, issued by the checks themselves.

    The result and every extra (padded input, kernel as applied, caption
    terms...) are compared with torch again through :func:`verify.compare`,
    so the certificate's counts are the numbers really compared.
    """
    parts = [
        verify.compare(
            values,
            ref,
            what="the result",
            got_by="conv_explained",
            expected_by=reference,
            atol=_tolerance(values, ref),
            dtype="float64",
        )
    ]
    for name, ours, theirs, allowed in extras:
        parts.append(
            verify.compare(
                ours, theirs, what=name, got_by="conv_explained", expected_by=reference,
                atol=allowed, dtype="float64",
            )
        )
    return verify.combine("the animation's numbers", parts)


def _same_number(text: str, value: float) -> bool:
    """Float32 inputs may round differently at the last decimal; accept a 1-ulp text change."""
    try:
        shown = float(text.replace("\N{MINUS SIGN}", "-"))
    except ValueError:
        return False
    return abs(shown - value) <= 0.0051
