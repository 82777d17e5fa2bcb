"""Checks that leave evidence: every comparison returns a certificate, every failure one line.

A page or a gallery lesson states a number or a rule; this module checks it
against an independent implementation and returns a :class:`Certificate`
that says what was compared with what, on how many numbers or cases, and how
closely they matched. The site shows the certificate under the figure and
lists it on the verification ledger.

A certificate cannot be made by hand: its constructor refuses every caller
but this module's own checks (:func:`compare`, :func:`check_rule` and
:func:`combine`), so a certificate on the page means its check ran.

A failed check raises :class:`VerificationError` with one line naming where
it ran (the page or script and cell, see :func:`set_context`), what was
checked, the two values that disagree and which implementation gave each::

    page padding_stride_dilation, cell 7, line 3: the output of the same-padding
    case: conv_explained.correlate gave 61 at index (1, 1), torch.nn.functional.conv2d
    gave 60 (largest difference 1, tolerance 0)

Examples
--------
>>> import numpy as np
>>> from conv_explained import verify
>>> cert = verify.compare(np.array([1, 2, 3]), np.array([1.0, 2.0, 3.0]),
...                       what="a sum", got_by="conv_explained", expected_by="numpy")
>>> print(cert)  # doctest: +ELLIPSIS
checked against numpy ...: 3 numbers, largest difference 0, tolerance 0
>>> verify.compare(np.array([1, 2]), np.array([1, 5]), what="a sum",
...                got_by="ours", expected_by="numpy")
Traceback (most recent call last):
...
conv_explained.verify.VerificationError: a sum: ours gave 2 at index (1,), numpy gave 5 (largest difference 3, tolerance 0)
"""

from __future__ import annotations

import dataclasses
import html
import inspect
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "Certificate",
    "VerificationError",
    "check_rule",
    "combine",
    "compare",
    "current_context",
    "set_context",
]

#: Only this module's checks hold it; :class:`Certificate` refuses any other caller.
_ISSUER = object()

_CONTEXT: dict[str, str] = {}


class VerificationError(AssertionError):
    """A checked number or rule disagrees with its independent implementation.

    The message is one line: where the check ran, what was checked, the value
    each side gave and which implementation gave it.
    """


def set_context(*, page: str | None = None, script: str | None = None) -> None:
    """Name the page or script whose checks follow (the build sets this for every page).

    Parameters
    ----------
    page : str, optional
        The Sphinx document name of a MyST-NB page.
    script : str, optional
        The path of a gallery script.
    """
    _CONTEXT.clear()
    if page:
        _CONTEXT["where"] = f"page {page}"
    elif script:
        _CONTEXT["where"] = f"script {script}"


def _cell() -> str | None:
    """The running notebook cell's number, if this runs in IPython."""
    shell = sys.modules.get("IPython")
    get = getattr(shell, "get_ipython", None)
    ip = get() if get is not None else None
    count = getattr(ip, "execution_count", None)
    return f"cell {count}" if isinstance(count, int) and count > 0 else None


def _caller_line() -> str | None:
    """The line, in the page's cell or the script, that called the check."""
    frame = inspect.currentframe()
    package = str(Path(__file__).resolve().parent)
    # Skip this module's frames and the package's own (an animation's check
    # runs inside the renderer): the line is the page's or the script's.
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(package):
        frame = frame.f_back
    return f"line {frame.f_lineno}" if frame is not None else None


def current_context() -> str:
    """Where the checks run now: ``'page NAME, cell N, line L'`` (parts that are known).

    Empty outside a page or script named by :func:`set_context`.
    """
    if "where" not in _CONTEXT:
        return ""
    parts = [p for p in (_CONTEXT["where"], _cell(), _caller_line()) if p]
    return ", ".join(parts)


def _library(implementation: str) -> str:
    """``'torch.nn.functional.conv2d'`` -> ``'torch 2.13.0'`` (the top package and its version)."""
    top = implementation.split(".")[0].split()[0]
    names = {"np": "numpy", "scipy": "scipy", "torch": "torch", "numpy": "numpy"}
    dist = names.get(top, top)
    try:
        return f"{dist} {metadata.version(dist).split('+')[0]}"  # 2.13.0, not 2.13.0+cpu
    except (metadata.PackageNotFoundError, ValueError):
        return ""  # not a library ("a brute-force count"): the reference names itself


def _number(value: Any) -> str:
    """A value as a reader would write it: 3 rather than 3.0, 1e-14 rather than 1.0e-14."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isfinite(v) and v == int(v) and abs(v) < 2**53:
            return str(int(v))
        return f"{v:.6g}"
    if isinstance(value, (complex, np.complexfloating)):
        return f"{complex(value)}"
    return repr(value)


@dataclasses.dataclass(frozen=True)
class Certificate:
    """The evidence of one check that ran: what was compared, with what, how closely.

    Made only by :func:`compare`, :func:`check_rule` and :func:`combine`;
    calling the class yourself raises :class:`TypeError`.

    Attributes
    ----------
    what : str
        What was checked ("the output of the same-padding case").
    computed_by : str
        The implementation whose result is shown.
    reference : str
        The independent implementation it was compared with.
    library : str
        The reference's library and version ("torch 2.13.0").
    dtype : str
        The precision of the reference computation ("float64"), or "".
    count : int
        How many numbers (``unit="numbers"``) or cases (``unit="cases"``).
    unit : str
        ``"numbers"`` or ``"cases"``.
    max_diff : float
        The largest difference found (0 for a rule: it held in every case).
    tolerance : float
        The largest difference allowed.
    grid : str
        For a rule, the cases it was checked on ("i <= 16, k <= 7, ...").
    where : str
        The page or script, and cell, where the check ran.
    """

    what: str
    computed_by: str
    reference: str
    library: str
    dtype: str
    count: int
    unit: str
    max_diff: float
    tolerance: float
    grid: str = ""
    where: str = ""
    _issuer: dataclasses.InitVar[object] = None

    def __post_init__(self, _issuer: object) -> None:
        if _issuer is not _ISSUER:
            raise TypeError(
                "a Certificate is issued only by conv_explained.verify's checks "
                "(compare, check_rule, combine), never made by hand"
            )

    def line(self) -> str:
        """The one-line certificate shown under a figure or next to a rule."""
        if self.unit == "cases":
            grid = f" ({self.grid})" if self.grid else ""
            cases = "case" if self.count == 1 else "cases"
            return (
                f"checked on {self.count:,} {cases}{grid} against {self.reference}: "
                "no disagreement"
            )
        if self.library and self.library.split()[0] != self.reference:
            against = f"{self.library} ({self.reference})"
        else:
            against = self.library or self.reference
        dtype = f", {self.dtype}" if self.dtype else ""
        numbers = "number" if self.count == 1 else "numbers"
        return (
            f"checked against {against}{dtype}: {self.count:,} {numbers}, "
            f"largest difference {_number(self.max_diff)}, tolerance {_number(self.tolerance)}"
        )

    def __str__(self) -> str:
        return self.line()

    def __repr__(self) -> str:
        return self.line()

    def as_dict(self) -> dict[str, Any]:
        """The certificate's fields, JSON-friendly (what the ledger reads)."""
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "_issuer"
        } | {"line": self.line()}

    def _repr_html_(self) -> str:
        data = html.escape(json.dumps(self.as_dict(), sort_keys=True), quote=True)
        return (
            f'<p class="ce-certificate" data-ce-certificate="{data}">'
            f"<span class='ce-certificate-mark' aria-hidden='true'>✓</span> "
            f"{html.escape(self.what)}: {html.escape(self.line())}</p>"
        )


def _as_array(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _dtype_of(value: Any) -> str:
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        return ""
    text = str(dtype)
    return text.removeprefix("torch.")


def _differences(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Elementwise |got - expected|, 0 where both are the same infinity or both NaN."""
    g = got.astype(np.complex128) if np.iscomplexobj(got) else got.astype(np.float64)
    e = (
        expected.astype(np.complex128)
        if np.iscomplexobj(expected)
        else expected.astype(np.float64)
    )
    both_nan = np.isnan(g) & np.isnan(e)
    same_inf = np.isinf(g) & np.isinf(e) & (g == e)
    with np.errstate(invalid="ignore", over="ignore"):
        d = np.abs(g - e).astype(np.float64)
    d = np.where(both_nan | same_inf, 0.0, d)
    return np.where(np.isnan(d), np.inf, d)


def _issue(**fields: Any) -> Certificate:
    return Certificate(**fields, where=current_context(), _issuer=_ISSUER)


def compare(
    got: Any,
    expected: Any,
    *,
    what: str,
    got_by: str,
    expected_by: str,
    atol: float = 0.0,
    rtol: float = 0.0,
    dtype: str | None = None,
) -> Certificate:
    """Compare a result with an independent implementation's; certify or raise.

    Parameters
    ----------
    got : array_like or torch.Tensor
        The result shown to the reader.
    expected : array_like or torch.Tensor
        The independent implementation's result.
    what : str
        What is being checked, as the reader would name it.
    got_by, expected_by : str
        Which implementation produced each ("conv_explained.correlate",
        "torch.nn.functional.conv2d").
    atol, rtol : float, optional
        Allowed difference: ``atol + rtol * max|expected|``. Default 0 (exact).
    dtype : str, optional
        The precision of the reference computation (default: ``expected``'s dtype).

    Returns
    -------
    Certificate

    Raises
    ------
    VerificationError
        If the shapes differ or a difference exceeds the tolerance; the message
        is one line naming where, what, both values and both implementations.
    """
    g, e = _as_array(got), _as_array(expected)
    where = current_context()
    prefix = f"{where}: {what}" if where else what
    if g.shape != e.shape:
        raise VerificationError(
            f"{prefix}: {got_by} gave shape {g.shape}, {expected_by} gave shape {e.shape}"
        )
    finite = e[np.isfinite(e)] if e.size else e
    scale = float(np.max(np.abs(finite), initial=0.0)) if finite.size else 0.0
    tolerance = float(atol) + float(rtol) * scale
    d = _differences(g, e) if g.size else np.zeros(g.shape)
    worst = float(np.max(d, initial=0.0))
    if not worst <= tolerance:
        index = np.unravel_index(int(np.argmax(d)), d.shape) if d.ndim else ()
        at = f" at index {tuple(int(i) for i in index)}" if d.ndim else ""
        raise VerificationError(
            f"{prefix}: {got_by} gave {_number(g[index])}{at}, {expected_by} gave "
            f"{_number(e[index])} (largest difference {_number(worst)}, "
            f"tolerance {_number(tolerance)})"
        )
    return _issue(
        what=what,
        computed_by=got_by,
        reference=expected_by,
        library=_library(expected_by),
        dtype=dtype if dtype is not None else _dtype_of(expected),
        count=int(g.size),
        unit="numbers",
        max_diff=worst,
        tolerance=tolerance,
    )


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    return bool(a == b)


def check_rule(
    what: str,
    cases: Iterable[Any],
    *,
    rule: Callable[[Any], Any],
    truth: Callable[[Any], Any],
    truth_by: str,
    grid: str,
    rule_by: str = "the rule",
) -> Certificate:
    """Check a stated rule against the truth in every case of a grid; certify or raise.

    Parameters
    ----------
    what : str
        The rule as the page states it ("the output-size formula").
    cases : iterable
        Every case of the grid (tuples or dicts of parameters).
    rule : callable
        ``rule(case)``: what the stated rule predicts.
    truth : callable
        ``truth(case)``: the independent answer (torch's output, a brute-force count).
    truth_by : str
        What gives the truth ("torch.nn.functional.conv1d", "a brute-force count").
    grid : str
        The grid in words, shown in the certificate ("i <= 16, k <= 7, s <= 5").
    rule_by : str, optional
        What gives the rule's prediction, for the failure message.

    Returns
    -------
    Certificate
        With ``unit="cases"`` and ``count`` the number of cases checked.

    Raises
    ------
    VerificationError
        At the first case where rule and truth disagree (one line, naming the case).
    ValueError
        If ``cases`` is empty: a rule checked on nothing is not checked.
    """
    count = 0
    for case in cases:
        predicted, actual = rule(case), truth(case)
        if not _same(predicted, actual):
            where = current_context()
            prefix = f"{where}: {what}" if where else what
            raise VerificationError(
                f"{prefix}: fails at {case!r}: {rule_by} gives {predicted!r}, "
                f"{truth_by} gives {actual!r}"
            )
        count += 1
    if count == 0:
        raise ValueError(f"cases must hold at least one case to check {what!r}, got none")
    return _issue(
        what=what,
        computed_by=rule_by,
        reference=truth_by,
        library=_library(truth_by),
        dtype="",
        count=count,
        unit="cases",
        max_diff=0.0,
        tolerance=0.0,
        grid=grid,
    )


def combine(what: str, certificates: Sequence[Certificate]) -> Certificate:
    """One certificate for several checks of one figure (counts add, differences take the max).

    Parameters
    ----------
    what : str
        The figure the checks belong to.
    certificates : sequence of Certificate
        Certificates with the same unit, each issued by a check.

    Returns
    -------
    Certificate
    """
    if not certificates:
        raise ValueError(f"certificates must hold at least one certificate for {what!r}")
    for c in certificates:
        if not isinstance(c, Certificate):
            raise TypeError(f"certificates must be Certificate objects, got {type(c).__name__}")
    units = {c.unit for c in certificates}
    if len(units) != 1:
        raise ValueError(f"certificates must share one unit, got {sorted(units)}")
    first = certificates[0]
    references = list(dict.fromkeys(c.reference for c in certificates))
    libraries = list(dict.fromkeys(c.library for c in certificates if c.library))
    dtypes = list(dict.fromkeys(c.dtype for c in certificates if c.dtype))
    return _issue(
        what=what,
        computed_by=first.computed_by,
        reference=", ".join(references),
        library=", ".join(libraries),
        dtype=", ".join(dtypes),
        count=sum(c.count for c in certificates),
        unit=first.unit,
        max_diff=max(c.max_diff for c in certificates),
        tolerance=max(c.tolerance for c in certificates),
        grid="; ".join(dict.fromkeys(c.grid for c in certificates if c.grid)),
    )
