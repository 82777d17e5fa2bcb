"""The ``conv-explained`` command: output sizes, animations and the catalog.

::

    conv-explained shape conv --input 5 --kernel 3 --stride 2 --padding 1
    conv-explained shape transpose --input 3 --kernel 3 --stride 2 --padding 1 --output-padding 1
    conv-explained shape pool --input 5 --kernel 2 --ceil-mode
    conv-explained animate correlate --input 5x5 --kernel 3 --padding 1 --out conv.gif
    conv-explained catalog --out gifs/ [--only padding_strides dilation]

Sizes are one integer or one per axis (``5,7`` or ``5x7``). Every number
printed by ``shape`` comes from :mod:`conv_explained.shapes`. Errors print
one line, ``conv-explained: error: ...``, and exit with status 2 without
writing anything.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from . import shapes
from .verify import VerificationError

if TYPE_CHECKING:
    from .render._pipeline import OpSpec

__all__ = ["main"]

PROG = "conv-explained"


class UsageError(Exception):
    """Bad command-line input; reported in one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr, status 2."""

    def error(self, message: str) -> NoReturn:
        """Report a usage error in one line and exit with status 2."""
        _fail(message)


def _fail(message: str) -> NoReturn:
    text = " ".join(str(message).split())
    print(f"{PROG}: error: {text}", file=sys.stderr)
    raise SystemExit(2)


def _sizes(name: str, text: str) -> tuple[int, ...]:
    """``"5"``, ``"5,7"`` or ``"5x7"`` as a tuple of ints."""
    pieces = text.replace("x", ",").replace("X", ",").split(",")
    try:
        values = tuple(int(p) for p in pieces)
    except ValueError:
        raise UsageError(
            f"{name} must be an integer or integers separated by ',' or 'x', got {text!r}"
        ) from None
    return values


def _option(name: str, text: str | None) -> Any:
    """``text`` as an int, a tuple of ints per axis, or None (typed Any: shapes checks it)."""
    if text is None:
        return None
    values = _sizes(name, text)
    return values[0] if len(values) == 1 else values


def _default(value: Any, default: int) -> Any:
    return default if value is None else value


def _padding(text: str) -> Any:
    if text.lower() in ("same", "full", "valid"):
        return text.lower()
    value = _option("--padding", text)
    assert value is not None
    return value


def _rank(*values: object) -> int:
    lengths = {len(v) for v in values if isinstance(v, tuple)}
    if len(lengths) > 1:
        raise UsageError(
            "sizes given per axis must all have the same number of axes, got "
            + ", ".join(str(v) for v in values if isinstance(v, tuple))
        )
    return lengths.pop() if lengths else 1


def _axis(value: Any, axis: int) -> int:
    return int(value[axis] if isinstance(value, tuple) else value)


def _as_tuple(value: object) -> tuple[int, ...]:
    return value if isinstance(value, tuple) else (value,)


# --------------------------------------------------------------------------
# shape
# --------------------------------------------------------------------------


def _integer_padding(args: argparse.Namespace, operation: str) -> Any:
    if args.padding.lower() in ("same", "full", "valid"):
        raise UsageError(f"--padding must be integers for {operation}, got {args.padding!r}")
    return _option("--padding", args.padding)


def _per_axis(formulas: list[str], outs: tuple[int, ...]) -> list[str]:
    """One formula line per axis (named when there are several), then the whole size."""
    if len(formulas) == 1:
        return formulas
    lines = [f"axis {axis}: {line}" for axis, line in enumerate(formulas)]
    return [*lines, "output size: " + "x".join(map(str, outs))]


def _shape_conv(args: argparse.Namespace) -> list[str]:
    i = _option("--input", args.input)
    k = _option("--kernel", args.kernel)
    s = _default(_option("--stride", args.stride), 1)
    d = _default(_option("--dilation", args.dilation), 1)
    p = _padding(args.padding)
    rank = _rank(i, k, s, d, p)
    outs = _as_tuple(shapes.conv_output_size(i, k, stride=s, padding=p, dilation=d))
    ks = tuple(_axis(k, a) for a in range(rank)) if rank > 1 or isinstance(k, tuple) else k
    pairs = shapes.resolve_padding(p, ks, stride=s, dilation=d)
    lines = []
    if isinstance(p, str):
        words = "; ".join(
            (f"axis {n}: " if rank > 1 else "") + f"{b} before, {a} after"
            for n, (b, a) in enumerate(pairs)
        )
        lines.append(f"padding={p!r} means {words}")
    formulas = []
    for axis in range(rank):
        ii, kk, ss, dd = (_axis(v, axis) for v in (i, k, s, d))
        before, after = pairs[axis] if len(pairs) > axis else pairs[0]
        pad = f"2*{before}" if before == after else f"{before} + {after}"
        formulas.append(f"o = floor(({ii} + {pad} - {dd}*({kk}-1) - 1) / {ss}) + 1 = {outs[axis]}")
    return lines + _per_axis(formulas, outs)


def _shape_transpose(args: argparse.Namespace) -> list[str]:
    i = _option("--input", args.input)
    k = _option("--kernel", args.kernel)
    s = _default(_option("--stride", args.stride), 1)
    d = _default(_option("--dilation", args.dilation), 1)
    p = _integer_padding(args, "a transposed convolution")
    a = _default(_option("--output-padding", args.output_padding), 0)
    rank = _rank(i, k, s, d, p, a)
    result = shapes.conv_transpose_output_size(
        i, k, stride=s, padding=p, output_padding=a, dilation=d
    )
    outs = _as_tuple(result)
    formulas = []
    for axis in range(rank):
        ii, kk, ss, pp, aa, dd = (_axis(v, axis) for v in (i, k, s, p, a, d))
        formulas.append(f"o = {ss}*({ii}-1) - 2*{pp} + {dd}*({kk}-1) + {aa} + 1 = {outs[axis]}")
    return _per_axis(formulas, outs)


def _shape_pool(args: argparse.Namespace) -> list[str]:
    i = _option("--input", args.input)
    k = _option("--kernel", args.kernel)
    s = _option("--stride", args.stride)
    d = _default(_option("--dilation", args.dilation), 1)
    p = _integer_padding(args, "pooling")
    rank = _rank(i, k, s, d, p)
    result = shapes.pool_output_size(
        i, k, stride=s, padding=p, dilation=d, ceil_mode=args.ceil_mode
    )
    outs = _as_tuple(result)
    rounding = "ceil" if args.ceil_mode else "floor"
    lines = []
    if s is None:
        lines.append("stride defaults to the kernel size")
    per_axis = [tuple(_axis(v, axis) for v in (i, k, p, d)) for axis in range(rank)]
    dropped = shapes.pool_dropped_window(
        [a[0] for a in per_axis],
        [a[1] for a in per_axis],
        stride=None if s is None else [_axis(s, axis) for axis in range(rank)],
        padding=[a[2] for a in per_axis],
        dilation=[a[3] for a in per_axis],
    )
    formulas = []
    for axis, (ii, kk, pp, dd) in enumerate(per_axis):
        ss = kk if s is None else _axis(s, axis)
        line = f"o = {rounding}(({ii} + 2*{pp} - {dd}*({kk}-1) - 1) / {ss}) + 1 = {outs[axis]}"
        if args.ceil_mode and dropped[axis]:
            line += " (the last window would start past the input and left padding: dropped)"
        formulas.append(line)
    return lines + _per_axis(formulas, outs)


# --------------------------------------------------------------------------
# animate
# --------------------------------------------------------------------------


#: Most numbers a values file may hold (as many as ``--input`` may ask for),
#: and its largest size in bytes: both checked before any value is read.
MAX_VALUES = 4096
MAX_FILE_BYTES = 1 << 20
#: Integers are kept as integers up to this magnitude (float64 holds every one
#: of them exactly, so the torch check sees the same numbers).
EXACT = 2**53


def _load(name: str, path: str) -> np.ndarray:
    """:func:`_read`, then every value's drawn width checked (naming where it is in the file)."""
    array = _read(name, path)
    _check_widths(name, path, array)
    return array


def _read(name: str, path: str) -> np.ndarray:
    """The array in a ``.npy`` or ``.csv`` file, exactly as given, or a one-line UsageError.

    Nothing is converted that would change: a CSV becomes int64 only when
    every cell is a whole number within ±2**53 (``-inf``, ``nan``, ``1e30``
    and ``9.3e18`` stay float64); a ``.npy`` keeps its own dtype. Sizes are
    checked from the file size and the ``.npy`` header before data is read.
    """
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{name} file {path!r} does not exist")
    suffix = file.suffix.lower()
    if suffix not in (".npy", ".csv"):
        raise UsageError(f"{name} must be a .npy or .csv file, got {path!r}")
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UsageError(
            f"{name} file {path!r} is {size:,} bytes, too large to draw (at most {MAX_FILE_BYTES:,})"
        )
    try:
        array = _load_npy(name, path, file) if suffix == ".npy" else _load_csv(name, path, file)
    except UsageError:
        raise
    except (ValueError, OSError, EOFError, UnicodeError) as exc:
        raise UsageError(f"cannot read {name} file {path!r}: {exc}") from None
    if array.size == 0:
        raise UsageError(f"{name} file {path!r} must hold a non-empty numeric array")
    return array


def _check_widths(name: str, path: str, array: np.ndarray) -> None:
    """Refuse a value whose drawn text is wider than a cell, naming where it is in the file."""
    from .render import format_array
    from .render._pipeline import MAX_TEXT

    texts = format_array(array)
    for index in np.ndindex(*array.shape):
        text = texts[index]
        if len(text) > MAX_TEXT:
            if array.ndim == 2:
                where = f"row {index[0] + 1}, column {index[1] + 1}"
            elif array.ndim == 1:
                where = f"index {index[0]}"
            else:
                where = f"index {index}"
            raise UsageError(
                f"{name} file {path!r}: {where} holds {array[index].item()!r:.24}, drawn {len(text)} "
                f"characters wide: too large to draw (at most {MAX_TEXT})"
            )


def _load_npy(name: str, path: str, file: Path) -> np.ndarray:
    """A ``.npy`` file's array; its header (shape, dtype) is checked before the data is read."""
    fmt = np.lib.format
    with open(file, "rb") as handle:
        try:
            version = fmt.read_magic(handle)
        except ValueError:
            raise UsageError(
                f"{name} file {path!r} is not a .npy file (no NumPy array header; "
                f"a .npz archive or another format renamed?)"
            ) from None
        reader = {(1, 0): fmt.read_array_header_1_0, (2, 0): fmt.read_array_header_2_0}.get(
            version
        )
        if reader is None:
            raise UsageError(f"{name} file {path!r} has .npy format version {version}, not 1 or 2")
        shape, fortran_order, dtype = reader(handle)
        count = math.prod(shape)
        if dtype.names is not None or dtype.kind not in "iuf" or dtype.itemsize > 8:
            raise UsageError(
                f"{name} file {path!r} holds dtype {dtype}; only integer or float arrays "
                f"(up to 64 bits) can be drawn"
            )
        if count > MAX_VALUES:
            raise UsageError(
                f"{name} file {path!r} has shape {tuple(shape)} ({count:,} values), too large "
                f"to draw (at most {MAX_VALUES})"
            )
        data = handle.tell()
    stored = file.stat().st_size - data
    if stored != count * dtype.itemsize:
        raise UsageError(
            f"{name} file {path!r} has {stored} bytes of data where its header (shape "
            f"{tuple(shape)} of {dtype}) needs {count * dtype.itemsize}"
        )
    array: np.ndarray = np.load(file, allow_pickle=False)
    if fortran_order:
        array = np.ascontiguousarray(array)
    return array


def _load_csv(name: str, path: str, file: Path) -> np.ndarray:
    """A CSV file's numbers: one row a line, cells separated by commas, ``#`` comments.

    As :func:`numpy.loadtxt` reads it (blank lines skipped; one row or one
    column gives a 1-D array), but every cell is checked and named by its
    row and column, and no value is converted that would change.
    """
    rows: list[list[str]] = []
    lines: list[int] = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if text:
            rows.append([cell.strip() for cell in text.split(",")])
            lines.append(number)
    if not rows:
        raise UsageError(f"{name} file {path!r} holds no numbers")
    width = len(rows[0])
    count = 0
    for row, number in zip(rows, lines, strict=True):
        if len(row) != width:
            raise UsageError(
                f"{name} file {path!r}: row {number} has {len(row)} values, but row "
                f"{lines[0]} has {width} (every row must have as many)"
            )
        count += len(row)
        if count > MAX_VALUES:
            raise UsageError(
                f"{name} file {path!r} holds more than {MAX_VALUES} values, too large to draw"
            )
    values = [
        [_cell(name, path, text, number, column) for column, text in enumerate(row, 1)]
        for row, number in zip(rows, lines, strict=True)
    ]
    array = _exact_array(name, path, values, lines)
    if array.shape[0] == 1 or array.shape[1] == 1:
        array = array.reshape(-1)  # as numpy.loadtxt(..., ndmin=1) gives it
    return array


def _exact_array(
    name: str, path: str, values: list[list[int | float]], lines: list[int]
) -> np.ndarray:
    """int64 if every value is a whole number within ±2**53, else float64 if that is exact."""
    flat = [v for row in values for v in row]
    if all(isinstance(v, int) or (math.isfinite(v) and v.is_integer()) for v in flat) and all(
        abs(v) <= EXACT for v in flat
    ):
        array = np.array([[int(v) for v in row] for row in values], dtype=np.int64)
    else:
        for row, number in zip(values, lines, strict=True):
            for column, v in enumerate(row, 1):
                if isinstance(v, int) and not _exact_float(v):
                    digits = (
                        str(v) if len(str(v)) <= 24 else f"{str(v)[:20]}... ({len(str(v))} digits)"
                    )
                    raise UsageError(
                        f"{name} file {path!r}: row {number}, column {column} holds the integer "
                        f"{digits}, beyond ±2**53: float64 cannot hold it exactly"
                    )
        array = np.array([[float(v) for v in row] for row in values], dtype=np.float64)
    return array


def _exact_float(value: int) -> bool:
    try:
        return float(value) == value
    except OverflowError:
        return False


def _cell(name: str, path: str, text: str, row: int, column: int) -> int | float:
    """One CSV cell as a Python int (whole-number text) or float; named when it is neither."""
    try:
        return int(text)
    except ValueError:
        pass
    shown = text if len(text) <= 20 else text[:20] + "..."
    where = f"{name} file {path!r}: row {row}, column {column} holds {shown!r}"
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{where}, not a number") from None
    if math.isinf(value) and "inf" not in text.lower():
        raise UsageError(f"{where}, beyond the range of float64")
    return value


def _output_kind(args: argparse.Namespace) -> str:
    """``"gif"``, ``"still"`` or ``"strip"`` from ``--out`` and ``--strip``."""
    out = Path(args.out)
    suffix = out.suffix.lower()
    if args.strip and suffix != ".png":
        raise UsageError(f"--out must end in .png with --strip, got {args.out!r}")
    kind = {".gif": "gif", ".png": "strip" if args.strip else "still"}.get(suffix)
    if kind is None:
        raise UsageError(f"--out must end in .gif or .png, got {args.out!r}")
    if not out.parent.is_dir():
        raise UsageError(
            f"cannot write {args.out!r}: directory {str(out.parent)!r} does not exist"
        )
    from .render.gif import check_target

    try:  # a FIFO, device or directory is refused before any work (the save checks again)
        check_target(out)
    except ValueError as exc:
        raise UsageError(f"--out {exc}") from None
    return kind


def _input_array(args: argparse.Namespace, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """The input (from ``--values-from`` or random) and its number of spatial axes."""
    c_in = args.in_channels
    if args.values_from:
        x = _load("--values-from", args.values_from)
        if c_in > 1 and (x.ndim < 2 or x.shape[0] != c_in):
            raise UsageError(
                f"--values-from must hold ({c_in}, *spatial) for --in-channels {c_in}, "
                f"got shape {x.shape}"
            )
        spatial = x.ndim - 1 if c_in > 1 else x.ndim
    else:
        if args.input is None:
            raise UsageError("give --input SIZE (e.g. 5x5) or --values-from FILE")
        size = _sizes("--input", args.input)
        if any(v < 1 for v in size):
            raise UsageError(f"--input sizes must be positive integers, got {args.input!r}")
        if math.prod(size) * c_in > 4096:
            raise UsageError(f"--input {args.input!r} is too large to draw")
        x = rng.integers(0, 4, size=(c_in, *size))
        spatial = len(size)
    if spatial not in (1, 2, 3):
        raise UsageError(f"the input must have 1, 2 or 3 spatial axes, got {spatial}")
    return x, spatial


def _kernel_array(
    args: argparse.Namespace, layout: str, spatial: int, rng: np.random.Generator
) -> np.ndarray:
    """The kernel (from ``--kernel-from`` or random) in the op's weight layout."""
    if args.kernel_from:
        return _load("--kernel-from", args.kernel_from)
    kernel = _option("--kernel", args.kernel)
    if kernel is None:
        raise UsageError(f"--kernel SIZE or --kernel-from FILE is required for {args.op}")
    ks = _as_tuple(kernel)
    if any(v < 1 for v in ks):
        raise UsageError(f"--kernel sizes must be positive integers, got {args.kernel!r}")
    if len(ks) == 1 and spatial > 1:
        ks = ks * spatial
    c_in, c_out, groups = args.in_channels, args.out_channels, args.groups
    for flag, channels in (("--in-channels", c_in), ("--out-channels", c_out)):
        if channels % groups:
            raise UsageError(f"--groups {groups} must divide {flag} {channels}")
    if layout == "transposed":
        shape = (c_in, c_out // groups, *ks)
    else:
        shape = (c_out, c_in // groups, *ks)
    if math.prod(shape) > 4096:
        raise UsageError(f"--kernel {args.kernel!r} is too large to draw")
    return rng.integers(0, 3, size=shape)


_SPATIAL = {1: "L", 2: "H, W", 3: "D, H, W"}
_PLAIN = {1: "signal", 2: "image", 3: "volume"}


def _pool_rank(args: argparse.Namespace, spec: OpSpec, x: np.ndarray, spatial: int) -> int:
    """The pooling input's number of spatial axes: ``--ndim``, a per-axis ``--kernel``, or x.

    The package's rank rule (``conv_explained.max_pool``): a ``--values-from``
    array (with ``--in-channels`` 1) of 2 or 3 axes is a plain image or volume,
    or ``(C, *spatial)`` with one axis fewer; with a single ``--kernel`` size
    and no ``--ndim`` that is refused in one line, never guessed.
    """
    if "spatial_dims" not in spec.options:
        if args.ndim is not None:
            raise UsageError(f"--ndim applies to the pooling ops only, not {args.op}")
        return spatial
    if args.ndim is not None:
        if args.ndim not in (1, 2, 3):
            raise UsageError(f"--ndim must be 1, 2 or 3, got {args.ndim}")
        plain_file = bool(args.values_from) and args.in_channels == 1
        fits = sorted({x.ndim - 1, x.ndim} & {1, 2, 3}) if plain_file else [spatial]
        if args.ndim not in fits:
            raise UsageError(
                f"--ndim {args.ndim} does not fit the input of shape {x.shape}: it has "
                f"{' or '.join(map(str, fits))} spatial axes"
            )
        return int(args.ndim)
    if not args.values_from or args.in_channels > 1:
        return spatial
    kernel = _option("--kernel", args.kernel) if "kernel_size" in spec.options else None
    if isinstance(kernel, tuple) and x.ndim - len(kernel) in (0, 1):
        return len(kernel)
    if x.ndim not in (2, 3) or isinstance(kernel, tuple):
        return spatial
    d = x.ndim
    could = (
        f"(C, {_SPATIAL[d - 1]}) for {d - 1}-D pooling or a plain ({_SPATIAL[d]}) "
        f"{_PLAIN[d]} for {d}-D pooling"
    )
    how = f"--ndim {d - 1} / --ndim {d}"
    if kernel is not None:  # a per-axis --kernel fixes the rank (a single size cannot say 1-D)
        per_axis = [f"{kernel}x" * (n - 1) + str(kernel) for n in (d - 1, d) if n > 1]
        how = f"--kernel {' or '.join(per_axis)}, or {how}"
    raise UsageError(f"--values-from shape {x.shape} could be {could}: pass {how}")


def _op_options(args: argparse.Namespace, spec: OpSpec, spatial: int) -> dict[str, Any]:
    """The keyword options of ``render.animate`` that this op reads (from the OPS table)."""
    options: dict[str, Any] = {}
    if spec.weight != "none":
        if args.stride is not None:
            options["stride"] = _option("--stride", args.stride)
        options["padding"] = _padding(args.padding)
        options["dilation"] = _default(_option("--dilation", args.dilation), 1)
    return options | _window_options(args, spec, spatial) | _channel_options(args, spec)


def _window_options(args: argparse.Namespace, spec: OpSpec, spatial: int) -> dict[str, Any]:
    """Pooling's window, ``ceil_mode`` and number of spatial axes, where the op reads them."""
    wanted = spec.options
    options: dict[str, Any] = {}
    if "spatial_dims" in wanted:
        options["spatial_dims"] = spatial
    if "kernel_size" in wanted:
        kernel = _option("--kernel", args.kernel)
        if kernel is None:
            raise UsageError(f"--kernel (the window size) is required for {args.op}")
        if isinstance(kernel, tuple) and len(kernel) != spatial:
            raise UsageError(f"--kernel {args.kernel!r} must have {spatial} sizes or one")
        options["kernel_size"] = kernel
    if "ceil_mode" in wanted:
        options["ceil_mode"] = args.ceil_mode
    return options


def _channel_options(args: argparse.Namespace, spec: OpSpec) -> dict[str, Any]:
    """Groups, ``padding_mode`` and ``output_padding``, where the op reads them."""
    wanted = spec.options
    options: dict[str, Any] = {}
    if "groups" in wanted:
        options["groups"] = args.groups
    if "padding_mode" in wanted:
        options["padding_mode"] = args.padding_mode
    elif args.padding_mode != "zeros":
        users = [op for op, s in _ops().items() if "padding_mode" in s.options]
        raise UsageError(f"--padding-mode applies to {' and '.join(users)} only, not {args.op}")
    if "output_padding" in wanted:
        options["output_padding"] = _default(_option("--output-padding", args.output_padding), 0)
    return options


def _ops() -> dict[str, OpSpec]:
    from .render.animation import OPS

    return OPS


def _views() -> list[str]:
    from .render._views import VIEWS

    return list(VIEWS)


def _animate(args: argparse.Namespace) -> list[str]:
    from . import render

    spec = _ops()[args.op]
    kind = _output_kind(args)
    for name, value in (
        ("--in-channels", args.in_channels),
        ("--out-channels", args.out_channels),
        ("--groups", args.groups),
    ):
        if value < 1:
            raise UsageError(f"{name} must be a positive integer, got {value}")
    rng = np.random.default_rng(args.seed)
    x, spatial = _input_array(args, rng)
    spatial = _pool_rank(args, spec, x, spatial)
    layout = spec.weight
    weight = (
        _kernel_array(args, layout, spatial, rng) if layout in ("forward", "transposed") else None
    )
    options = _op_options(args, spec, spatial)
    anim = render.animate(
        args.op,
        x,
        weight,
        mac=not args.no_mac,
        verify=not args.no_verify,
        view=args.view,
        layout=args.layout,
        **options,
    )
    out = Path(args.out)
    if kind == "gif":
        anim.save_gif(out)
    elif kind == "still":
        anim.save_still(out, frame=args.frame)
    else:
        anim.save_strip(out)
    render.take_written()
    return [anim.alt_text]


# --------------------------------------------------------------------------
# catalog
# --------------------------------------------------------------------------


def _catalog(args: argparse.Namespace) -> list[str]:
    from . import catalog

    if not args.out:
        raise UsageError("--out must name a directory, got ''")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out!r} exists and is not a directory")
    if args.only:
        for name in args.only:
            if name not in catalog.CATALOG:
                raise UsageError(
                    f"unknown catalog case {name!r}; choose from {', '.join(catalog.CATALOG)}"
                )
    width = 2

    def progress(i: int, n: int, name: str) -> None:
        print(f"[{i:>{width}}/{n}] {name}", file=sys.stderr, flush=True)

    manifest = catalog.render_catalog(out, names=args.only, progress=progress)
    cases = manifest["cases"]
    total = sum(c["bytes"]["gif"] for c in cases)
    return [f"wrote {len(cases)} cases ({total:,} bytes of GIF) and manifest.json to {out}"]


# --------------------------------------------------------------------------
# parser and main
# --------------------------------------------------------------------------


def _parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="Output sizes, verified animations and the catalog of conv_explained.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    shape = commands.add_parser("shape", help="print an output size with its formula")
    kinds = shape.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, text in (
        ("conv", "convolution or correlation"),
        ("transpose", "transposed convolution"),
        ("pool", "max or average pooling"),
    ):
        sub = kinds.add_parser(kind, help=text)
        sub.add_argument("--input", required=True, help="input size: 5, or 5,7 / 5x7 per axis")
        sub.add_argument("--kernel", required=True, help="kernel size, one or per axis")
        sub.add_argument("--stride", help="stride (pool: defaults to the kernel size)")
        sub.add_argument(
            "--padding",
            default="0",
            help="padding per side" + (", or same/full/valid" if kind == "conv" else ""),
        )
        sub.add_argument("--dilation", help="spacing between kernel taps")
        if kind == "transpose":
            sub.add_argument("--output-padding", help="extra size at the end (< stride)")
        if kind == "pool":
            sub.add_argument("--ceil-mode", action="store_true", help="round up")
        sub.set_defaults(
            handler={"conv": _shape_conv, "transpose": _shape_transpose, "pool": _shape_pool}[kind]
        )

    ops = _ops()
    anim = commands.add_parser("animate", help="render one verified animation")
    anim.add_argument("op", choices=ops, metavar="OP", help="one of: " + ", ".join(ops))
    anim.add_argument("--input", help="input size, e.g. 5x5 (random 0..3 from --seed)")
    anim.add_argument("--kernel", help="kernel (or pooling window) size, e.g. 3 or 3x3")
    anim.add_argument("--in-channels", type=int, default=1, help="input channels (default 1)")
    anim.add_argument("--out-channels", type=int, default=1, help="output channels (default 1)")
    anim.add_argument("--groups", type=int, default=1, help="channel groups (default 1)")
    anim.add_argument("--stride", help="stride, one or per axis")
    anim.add_argument("--padding", default="0", help="padding: int, per axis 1,2, same/full/valid")
    anim.add_argument(
        "--padding-mode",
        default="zeros",
        choices=("zeros", "reflect", "replicate", "circular"),
        help="what the padding holds (correlate, convolve)",
    )
    anim.add_argument("--dilation", help="spacing between kernel taps")
    anim.add_argument("--output-padding", help="transposed ops: extra size at the end")
    anim.add_argument("--ceil-mode", action="store_true", help="pooling: round the size up")
    anim.add_argument(
        "--ndim", type=int, help="pooling: number of spatial axes of the input (1, 2 or 3)"
    )
    anim.add_argument("--seed", type=int, default=0, help="seed of the random values (default 0)")
    anim.add_argument(
        "--values-from", metavar="FILE", help="input values from a .npy or .csv file"
    )
    anim.add_argument(
        "--kernel-from", metavar="FILE", help="kernel values from a .npy or .csv file"
    )
    anim.add_argument("--out", required=True, metavar="PATH", help=".gif, or .png for a still")
    anim.add_argument("--strip", action="store_true", help="write all frames in one PNG grid")
    anim.add_argument("--frame", type=int, default=-1, help="frame of a .png still (default -1)")
    anim.add_argument(
        "--no-mac", action="store_true", help="leave out the multiply-accumulate sum"
    )
    anim.add_argument("--no-verify", action="store_true", help="skip the check against torch")
    anim.add_argument(
        "--view",
        default="grid",
        choices=_views(),
        help="grid: flat numbered grids (default); tensor: 2-D ops as C×H×W blocks",
    )
    anim.add_argument(
        "--layout",
        default="wide",
        choices=("wide", "stacked", "auto"),
        help="wide: panels side by side (default); stacked: one above another, for phones; "
        "auto: stacked if wider than 595 px",
    )
    anim.set_defaults(handler=_animate)

    cat = commands.add_parser("catalog", help="render the catalog and its manifest")
    cat.add_argument("--out", required=True, metavar="DIR", help="output directory")
    cat.add_argument("--only", nargs="+", metavar="NAME", help="only these cases")
    cat.set_defaults(handler=_catalog)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0, or 2 for bad input).

    Examples
    --------
    >>> main(["shape", "conv", "--input", "5", "--kernel", "3", "--stride", "2", "--padding", "1"])
    o = floor((5 + 2*1 - 1*(3-1) - 1) / 2) + 1 = 3
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        lines = args.handler(args)
    except SystemExit as exc:  # usage errors (already reported) and --help
        return int(exc.code or 0) if isinstance(exc.code, int) or exc.code is None else 2
    except UsageError as exc:
        _report(exc)
        return 2
    except (ValueError, TypeError, OSError, RuntimeError, VerificationError) as exc:
        _report(exc)  # VerificationError: the numbers disagree with torch, nothing written
        return 2
    except (MemoryError, OverflowError) as exc:  # a size no check foresaw: still one line
        kind = "memory ran out" if isinstance(exc, MemoryError) else "a number overflowed"
        _report(RuntimeError(f"too large to draw ({kind}: {exc})"))
        return 2
    for line in lines:
        print(line)
    return 0


def _report(exc: BaseException) -> None:
    message = str(exc)
    if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
        message = f"cannot write {str(exc.filename)!r}: {exc.strerror}"
    text = " ".join(message.split())
    print(f"{PROG}: error: {text}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
