"""Shared test configuration: hypothesis profiles, strategies and torch helpers.

Profiles (choose with ``HYPOTHESIS_PROFILE=dev pytest ...``):

* ``ci`` (default): 150 examples per property, no deadline (the machine is shared,
  timings are noisy), derandomized so a run is reproducible.
* ``dev``: 30 examples, for quick local iterations.

Property tests that call the slow loop implementations in
:mod:`conv_explained.naive` lower ``max_examples`` themselves.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

F = torch.nn.functional

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Absolute tolerance for float64 comparisons with torch (inputs are O(1)).
TOL = 1e-10


# --------------------------------------------------------------------------
# Options: an int for every axis, or one int per axis.
# --------------------------------------------------------------------------


def per_axis(draw: st.DrawFn, values: st.SearchStrategy[int], d: int) -> tuple[int, ...]:
    """Draw ``d`` ints from ``values``."""
    return tuple(draw(values) for _ in range(d))


def as_option(draw: st.DrawFn, values: tuple[int, ...]) -> int | tuple[int, ...]:
    """Spell per-axis values as an int when they agree and hypothesis says so."""
    if len(set(values)) == 1 and draw(st.booleans()):
        return values[0]
    return values


def torch_same_pairs(kernel: tuple[int, ...], dilation: tuple[int, ...]) -> list[tuple[int, int]]:
    """PyTorch's split of ``padding="same"``, written out independently of shapes.py.

    Total ``d * (k - 1)``, the smaller half first (aten/src/ATen/native/Convolution.cpp).
    """
    pairs = []
    for k, d in zip(kernel, dilation, strict=True):
        total = d * (k - 1)
        pairs.append((total // 2, total - total // 2))
    return pairs


@dataclass
class ConvCase:
    """One random correlation/convolution problem (shapes and options, no data)."""

    d: int
    n: int  # batch size; 0 means an unbatched input
    c_in: int
    c_out: int
    groups: int
    spatial: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: int | tuple[int, ...]
    padding: Any  # int, tuple of int, or "valid" / "same" / "full"
    dilation: int | tuple[int, ...]
    bias: bool

    @property
    def x_shape(self) -> tuple[int, ...]:
        lead = (self.c_in,) if self.n == 0 else (self.n, self.c_in)
        return (*lead, *self.spatial)

    @property
    def w_shape(self) -> tuple[int, ...]:
        return (self.c_out, self.c_in // self.groups, *self.kernel)

    def strides(self) -> tuple[int, ...]:
        return _tuple(self.stride, self.d)

    def dilations(self) -> tuple[int, ...]:
        return _tuple(self.dilation, self.d)

    def pad_pairs(self) -> list[tuple[int, int]]:
        """``(before, after)`` per axis, computed here from PyTorch's rules."""
        return pad_pairs(self.padding, self.kernel, self.dilations())

    def options(self) -> dict[str, Any]:
        return {
            "stride": self.stride,
            "padding": self.padding,
            "dilation": self.dilation,
            "groups": self.groups,
        }

    def naive_options(self) -> dict[str, Any]:
        """The options for conv_explained.naive: padding as ``(before, after)`` pairs."""
        return {**self.options(), "padding": self.pad_pairs()}


def _tuple(value: int | tuple[int, ...], d: int) -> tuple[int, ...]:
    return (value,) * d if isinstance(value, int) else tuple(value)


def pad_pairs(
    padding: Any, kernel: tuple[int, ...], dilation: tuple[int, ...]
) -> list[tuple[int, int]]:
    """``(before, after)`` per axis for any padding spec, independently of shapes.py."""
    d = len(kernel)
    if padding == "valid":
        return [(0, 0)] * d
    if padding == "same":
        return torch_same_pairs(kernel, dilation)
    if padding == "full":
        return [(dl * (k - 1),) * 2 for k, dl in zip(kernel, dilation, strict=True)]
    return [(p, p) for p in _tuple(padding, d)]


@st.composite
def conv_cases(
    draw: st.DrawFn,
    *,
    dims: tuple[int, ...] = (1, 2, 3),
    max_size: int = 9,
    max_size_3d: int = 6,
    words: bool = True,
    unbatched: bool = True,
) -> ConvCase:
    """A random correlation problem whose kernel fits the padded input."""
    d = draw(st.sampled_from(dims))
    max_k = 4 if d < 3 else 3
    kernel = per_axis(draw, st.integers(1, max_k), d)
    dilation = per_axis(draw, st.integers(1, 3), d)
    kind = draw(st.sampled_from(["int", "valid", "same", "full"] if words else ["int"]))
    stride = (1,) * d if kind == "same" else per_axis(draw, st.integers(1, 3), d)
    if kind == "int":
        pads = per_axis(draw, st.integers(0, 3), d)
        padding: Any = as_option(draw, pads)
        pairs = [(p, p) for p in pads]
    else:
        padding = kind
        pairs = pad_pairs(kind, kernel, dilation)
    spatial = []
    for k, dl, (before, after) in zip(kernel, dilation, pairs, strict=True):
        smallest = max(1, dl * (k - 1) + 1 - before - after)
        spatial.append(
            draw(st.integers(smallest, max(smallest, max_size if d < 3 else max_size_3d)))
        )
    groups = draw(st.integers(1, 3))
    return ConvCase(
        d=d,
        n=draw(st.integers(0 if unbatched else 1, 2)),
        c_in=groups * draw(st.integers(1, 2)),
        c_out=groups * draw(st.integers(1, 2)),
        groups=groups,
        spatial=tuple(spatial),
        kernel=kernel,
        stride=as_option(draw, stride),
        padding=padding,
        dilation=as_option(draw, dilation),
        bias=draw(st.booleans()),
    )


@dataclass
class ConvTransposeCase:
    """One random transposed-convolution problem (shapes and options, no data)."""

    d: int
    n: int  # batch size; 0 means an unbatched input
    c_in: int
    c_out: int
    groups: int
    spatial: tuple[int, ...]
    kernel: tuple[int, ...]
    stride: int | tuple[int, ...]
    padding: int | tuple[int, ...]
    output_padding: int | tuple[int, ...]
    dilation: int | tuple[int, ...]
    bias: bool

    @property
    def x_shape(self) -> tuple[int, ...]:
        lead = (self.c_in,) if self.n == 0 else (self.n, self.c_in)
        return (*lead, *self.spatial)

    @property
    def w_shape(self) -> tuple[int, ...]:
        return (self.c_in, self.c_out // self.groups, *self.kernel)

    def options(self) -> dict[str, Any]:
        return {
            "stride": self.stride,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "groups": self.groups,
            "dilation": self.dilation,
        }


@st.composite
def conv_transpose_cases(
    draw: st.DrawFn,
    *,
    dims: tuple[int, ...] = (1, 2, 3),
    max_size: int = 6,
    max_size_3d: int = 4,
    unbatched: bool = True,
) -> ConvTransposeCase:
    """A random transposed convolution that PyTorch accepts (output size >= 1)."""
    d = draw(st.sampled_from(dims))
    spatial = per_axis(draw, st.integers(1, max_size if d < 3 else max_size_3d), d)
    kernel = per_axis(draw, st.integers(1, 4 if d < 3 else 3), d)
    stride = per_axis(draw, st.integers(1, 3), d)
    dilation = per_axis(draw, st.integers(1, 3), d)
    output_padding = tuple(
        draw(st.integers(0, max(s, dl) - 1)) for s, dl in zip(stride, dilation, strict=True)
    )
    padding = tuple(
        draw(st.integers(0, (s * (i - 1) + dl * (k - 1) + a) // 2))
        for i, k, s, dl, a in zip(spatial, kernel, stride, dilation, output_padding, strict=True)
    )
    groups = draw(st.integers(1, 3))
    return ConvTransposeCase(
        d=d,
        n=draw(st.integers(0 if unbatched else 1, 2)),
        c_in=groups * draw(st.integers(1, 2)),
        c_out=groups * draw(st.integers(1, 2)),
        groups=groups,
        spatial=spatial,
        kernel=kernel,
        stride=as_option(draw, stride),
        padding=as_option(draw, padding),
        output_padding=as_option(draw, output_padding),
        dilation=as_option(draw, dilation),
        bias=draw(st.booleans()),
    )


def random_arrays(
    seed: int, *shapes: tuple[int, ...] | None, integer: bool = False
) -> list[np.ndarray | None]:
    """Standard normal float64 arrays (or small int64 ones) of the given shapes."""
    rng = np.random.default_rng(seed)
    out: list[np.ndarray | None] = []
    for shape in shapes:
        if shape is None:
            out.append(None)
        elif integer:
            out.append(rng.integers(-5, 6, size=shape, dtype=np.int64))
        else:
            out.append(rng.standard_normal(shape))
    return out


seeds = st.integers(0, 2**32 - 1)


# --------------------------------------------------------------------------
# torch references (float64, CPU).
# --------------------------------------------------------------------------


def tensor(a: np.ndarray | None) -> Any:
    """A float64 torch tensor (or None)."""
    return None if a is None else torch.from_numpy(np.asarray(a, dtype=np.float64))


def torch_correlate(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """``torch.nn.functional.convNd`` (zeros) or ``torch.nn.ConvNd`` (other modes).

    ``padding="full"`` is not a PyTorch word; it is passed as ``d * (k - 1)``.
    """
    d = w.ndim - 2
    kernel = w.shape[2:]
    if padding == "full":
        padding = tuple(dl * (k - 1) for k, dl in zip(kernel, _tuple(dilation, d), strict=True))
    if padding_mode == "zeros":
        conv = (F.conv1d, F.conv2d, F.conv3d)[d - 1]
        y = conv(
            tensor(x),
            tensor(w),
            tensor(b),
            stride=stride,
            padding=padding,
            dilation=dilation,
            groups=groups,
        )
        return y.numpy()
    layer_class = (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.Conv3d)[d - 1]
    layer = layer_class(
        x.shape[-d - 1],
        w.shape[0],
        tuple(kernel),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=b is not None,
        padding_mode=padding_mode,
        dtype=torch.float64,
    )
    with torch.no_grad():
        layer.weight.copy_(tensor(w))
        if b is not None:
            layer.bias.copy_(tensor(b))
        return layer(tensor(x)).numpy()


def torch_conv_transpose(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
) -> np.ndarray:
    """``torch.nn.functional.conv_transposeNd`` in float64."""
    d = w.ndim - 2
    conv = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[d - 1]
    y = conv(
        tensor(x),
        tensor(w),
        tensor(b),
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        groups=groups,
        dilation=dilation,
    )
    return y.numpy()


def assert_exact_int64(ours: np.ndarray, reference: np.ndarray) -> None:
    """``ours`` is int64 and equals the float64 ``reference`` rounded to integers."""
    assert ours.dtype == np.int64
    expected = np.rint(reference).astype(np.int64)
    np.testing.assert_array_equal(ours, expected)


@pytest.fixture
def notebook_page(tmp_path: Path) -> Callable[[dict[str, Any]], str]:
    """Build a one-page site from a notebook whose one code cell output ``bundle``.

    The fixture is a function: ``notebook_page(bundle)`` builds the page with
    MyST-NB (not executed) and ``conv_explained._sphinx``, under ``-W``, and
    returns the page's HTML; the build lies in ``tmp_path / "html"``.
    """
    pytest.importorskip("myst_nb")
    from sphinx.cmd.build import build_main

    def build(bundle: dict[str, Any]) -> str:
        output = {"output_type": "execute_result", "execution_count": 1, "metadata": {}}
        notebook = {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {
                "kernelspec": {"name": "python3", "display_name": "Python 3"},
                "language_info": {"name": "python"},
            },
            "cells": [
                {"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# Title"},
                {
                    "cell_type": "code",
                    "id": "c",
                    "metadata": {},
                    "execution_count": 1,
                    "source": "show(anim)",
                    "outputs": [{**output, "data": bundle}],
                },
            ],
        }
        src = tmp_path / "src"
        src.mkdir()
        (src / "index.ipynb").write_text(json.dumps(notebook))
        (src / "conf.py").write_text(
            'extensions = ["myst_nb", "conv_explained._sphinx"]\nnb_execution_mode = "off"\n'
        )
        out = tmp_path / "html"
        assert build_main(["-q", "-W", "-b", "html", str(src), str(out)]) == 0
        return (out / "index.html").read_text()

    return build
