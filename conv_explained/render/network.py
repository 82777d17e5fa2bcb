"""Layer-shape diagrams: a network drawn as a row of labelled 3-D blocks, shapes verified.

:func:`network_diagram` runs one real forward pass of a torch module with
forward hooks on its leaf layers, draws the tensor after each layer that
changes it as a block (channels into the page, height down, width across)
with ``C×H×W`` under it, and labels each arrow with the layer's kernel,
stride and padding. Every convolution and pooling shape is also checked
against :mod:`conv_explained.shapes`. This is the figure papers draw by hand
(PlotNeuralNet is the LaTeX tool for it), here generated and checked.

torch is an optional dependency of the package: it is imported when the
function is called.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from .. import shapes
from .._themed_plot import themed_bundle
from ._draw import INDEX, LABEL_SIZE, MARGIN, TITLE_SIZE, font, new_image, recolour, text_width
from ._iso import plain_box
from ._verify import VerificationError
from .alt import dims
from .gif import atomic_write, record, write_png

__all__ = ["LayerShape", "NetworkDiagram", "network_diagram"]

#: Most blocks one diagram draws (input included).
MAX_BLOCKS = 14

_ELEMENTWISE_SHORT = {
    "ReLU": "ReLU",
    "LeakyReLU": "LeakyReLU",
    "GELU": "GELU",
    "SiLU": "SiLU",
    "Sigmoid": "sigmoid",
    "Tanh": "tanh",
    "BatchNorm2d": "BN",
    "Dropout": "dropout",
    "Dropout2d": "dropout",
    "Identity": "",
    "Softmax": "softmax",
    "LogSoftmax": "log-softmax",
}
_SPATIAL = (
    "Conv2d",
    "ConvTranspose2d",
    "MaxPool2d",
    "AvgPool2d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
)


@dataclass(frozen=True)
class LayerShape:
    """One leaf layer as called in the forward pass.

    Attributes
    ----------
    name : str
        Its name in the model (``"0"``, ``"features.conv1"``).
    kind : str
        Its class name (``"Conv2d"``).
    label : tuple of str
        The lines written on its arrow (kind and kernel, then stride/padding).
    input_shape, output_shape : tuple of int
        Shapes without the batch axis, from the forward pass.
    """

    name: str
    kind: str
    label: tuple[str, ...]
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]


class NetworkDiagram:
    """A drawn network: the image, its alt text, the shapes, and :meth:`save`.

    Attributes
    ----------
    image : PIL.Image.Image
        The diagram (palette image).
    alt_text : str
        What it shows, with every shape.
    layers : list of LayerShape
        Every leaf layer called, in order.
    shapes : list of tuple of int
        The shape of each drawn block, input first (no batch axis).
    output_shape : tuple of int
        The shape the forward pass returned (no batch axis).
    """

    def __init__(
        self,
        image: Image.Image,
        alt_text: str,
        layers: list[LayerShape],
        block_shapes: list[tuple[int, ...]],
        output_shape: tuple[int, ...],
    ) -> None:
        self.image = image
        self.alt_text = alt_text
        self.layers = layers
        self.shapes = block_shapes
        self.output_shape = output_shape

    def __repr__(self) -> str:
        return f"<NetworkDiagram: {' → '.join(dims(s) for s in self.shapes)}>"

    def save(self, path: str | Path) -> Path:
        """Write the diagram as a PNG (atomically; the same bytes on every run)."""
        target = atomic_write(path, lambda f: write_png(f, self.image))
        record(target, "still", self.alt_text, image=self.image)
        return target

    def png_bytes(self) -> bytes:
        """The PNG file's bytes."""
        import io

        buffer = io.BytesIO()
        write_png(buffer, self.image)
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png_bytes()

    def dark_png_bytes(self) -> bytes:
        """The PNG file's bytes in the dark palette (the same pixels, other colours)."""
        import io

        buffer = io.BytesIO()
        write_png(buffer, recolour(self.image, "dark"))
        return buffer.getvalue()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        # The light PNG for Jupyter and print, both for the site's light and dark pages.
        return themed_bundle(self.png_bytes(), self.dark_png_bytes(), repr(self))


def _check_shape(input_shape: object) -> tuple[int, int, int]:
    values: list[int] = []
    if isinstance(input_shape, (tuple, list)) and all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in input_shape
    ):
        values = [int(v) for v in input_shape]
    if len(values) == 4 and values[0] == 1:
        values = values[1:]
    if len(values) != 3:
        raise ValueError(
            f"input_shape must be (C, H, W) (or (1, C, H, W)) of positive integers, "
            f"got {input_shape!r}"
        )
    return values[0], values[1], values[2]


def _pairs(value: Any) -> tuple[int, int]:
    if isinstance(value, int):
        return value, value
    return int(value[0]), int(value[1])


def _pair_text(value: Any) -> str:
    a, b = _pairs(value)
    return str(a) if a == b else f"({a},{b})"


def _label(kind: str, m: Any) -> tuple[str, ...]:
    if kind in ("Conv2d", "ConvTranspose2d"):
        k = _pairs(m.kernel_size)
        parts = [f"s={_pair_text(m.stride)}"]
        pad = m.padding if isinstance(m.padding, str) else _pair_text(m.padding)
        parts.append(f"p={pad}")
        if _pairs(m.dilation) != (1, 1):
            parts.append(f"d={_pair_text(m.dilation)}")
        if m.groups != 1:
            parts.append(f"g={m.groups}")
        name = "conv" if kind == "Conv2d" else "conv-T"
        return (f"{name} {k[0]}×{k[1]}", " ".join(parts))
    if kind in ("MaxPool2d", "AvgPool2d"):
        k = _pairs(m.kernel_size)
        s = _pairs(m.stride if m.stride is not None else m.kernel_size)
        name = "max-pool" if kind == "MaxPool2d" else "avg-pool"
        return (f"{name} {k[0]}×{k[1]}", f"s={_pair_text(s)} p={_pair_text(m.padding)}")
    if kind.startswith("Adaptive"):
        size = m.output_size
        size = _pairs(size) if size is not None else ("?", "?")
        name = "adaptive-avg" if "Avg" in kind else "adaptive-max"
        return (name, f"→ {size[0]}×{size[1]}")
    if kind == "Linear":
        return ("linear", f"{m.in_features}→{m.out_features}")
    if kind == "Flatten":
        return ("flatten",)
    return (kind,)


def _expected(kind: str, m: Any, hw: tuple[int, ...]) -> tuple[int, ...] | None:
    """The spatial output size from :mod:`conv_explained.shapes`, for conv and pool layers."""
    if len(hw) != 2:
        return None
    if kind == "Conv2d":
        pad = m.padding if isinstance(m.padding, str) else _pairs(m.padding)
        out = shapes.conv_output_size(
            hw,
            _pairs(m.kernel_size),
            stride=_pairs(m.stride),
            padding=pad,
            dilation=_pairs(m.dilation),
        )
    elif kind == "ConvTranspose2d":
        out = shapes.conv_transpose_output_size(
            hw,
            _pairs(m.kernel_size),
            stride=_pairs(m.stride),
            padding=_pairs(m.padding),
            output_padding=_pairs(m.output_padding),
            dilation=_pairs(m.dilation),
        )
    elif kind in ("MaxPool2d", "AvgPool2d"):
        out = shapes.pool_output_size(
            hw,
            _pairs(m.kernel_size),
            stride=_pairs(m.stride if m.stride is not None else m.kernel_size),
            padding=_pairs(m.padding),
            dilation=_pairs(getattr(m, "dilation", 1)),
            ceil_mode=bool(m.ceil_mode),
        )
    else:
        return None
    return tuple(out)


def _trace(model: Any, torch: Any, shape: tuple[int, int, int]) -> tuple[list[LayerShape], Any]:
    calls: list[LayerShape] = []
    handles = []

    def hook_for(name: str) -> Any:
        def hook(module: Any, inputs: Any, output: Any) -> None:
            if not inputs or not torch.is_tensor(inputs[0]) or not torch.is_tensor(output):
                return
            kind = type(module).__name__
            calls.append(
                LayerShape(
                    name=name,
                    kind=kind,
                    label=_label(kind, module),
                    input_shape=tuple(inputs[0].shape[1:]),
                    output_shape=tuple(output.shape[1:]),
                )
            )

        return hook

    for name, module in model.named_modules():
        if not any(True for _ in module.children()):
            handles.append(module.register_forward_hook(hook_for(name or type(module).__name__)))
    params = list(model.parameters())
    dtype = params[0].dtype if params and params[0].is_floating_point() else torch.float32
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(torch.zeros((1, *shape), dtype=dtype))
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise ValueError(
            f"model's forward pass failed for input_shape {shape}: {type(exc).__name__}: {first}"
        ) from exc
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return calls, out


def _stages(
    calls: Sequence[LayerShape], shape: tuple[int, ...]
) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """Group the calls into drawn blocks: (arrow label lines, block shape)."""
    stages: list[tuple[list[str], tuple[int, ...]]] = []
    for call in calls:
        short = _ELEMENTWISE_SHORT.get(call.kind)
        same = call.output_shape == call.input_shape
        if short is not None and same:
            if short and stages:
                stages[-1][0].append(f"+ {short}")
            continue
        if same and call.kind not in _SPATIAL:
            if stages:
                stages[-1][0].append(f"+ {call.kind}")
            continue
        stages.append((list(call.label), call.output_shape))
    return [(tuple(label), s) for label, s in stages]


def _box_size(s: tuple[int, ...]) -> tuple[int, int, int]:
    """(depth, height, width) in pixels of a block for a tensor of shape ``s``."""
    if len(s) == 3:
        c, h, w = s
        return (
            min(60, 4 + round(8 * math.log2(c + 1))),
            min(130, 8 + round(18 * math.sqrt(h))),
            min(130, 8 + round(18 * math.sqrt(w))),
        )
    n = math.prod(s) if s else 1
    return 4, min(150, 10 + round(7 * math.sqrt(n))), 10


def _colours(kind: str, first: bool) -> tuple[str, str, str]:
    if first:
        return "faint", "light", "hatch"
    if kind.startswith(("conv",)):
        return "bluetint", "skytint", "sky"
    if "pool" in kind or kind.startswith("adaptive"):
        return "orangetint", "vermilliontint", "orange"
    return "greentint", "greentint", "greenmid"


def network_diagram(model: Any, input_shape: Sequence[int]) -> NetworkDiagram:
    """Draw a network as a row of 3-D blocks with their shapes, checked by a forward pass.

    Parameters
    ----------
    model : torch.nn.Module
        Any module; its leaf layers are traced with forward hooks during one
        forward pass of a zero input (in eval mode, restored afterwards).
    input_shape : sequence of int
        ``(C, H, W)`` (or ``(1, C, H, W)``) of one input.

    Returns
    -------
    NetworkDiagram
        ``image``, ``alt_text``, ``layers``, ``shapes`` and ``save(path)``.

    Raises
    ------
    TypeError
        If ``model`` is not a ``torch.nn.Module``.
    ValueError
        For a bad ``input_shape``, a forward pass that fails, a model without
        2-D convolution or pooling layers, or too many blocks to draw.
    ImportError
        If torch is not installed.
    VerificationError
        If a traced shape disagrees with :mod:`conv_explained.shapes`.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2))
    >>> network_diagram(net, (1, 8, 8)).shapes
    [(1, 8, 8), (4, 6, 6), (4, 3, 3)]
    """
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - exercised by monkeypatching
        raise ImportError("network_diagram needs torch (pip install torch)") from exc
    if not isinstance(model, torch.nn.Module):
        raise TypeError(
            f"model must be a torch.nn.Module, got {type(model).__name__}: {model!r:.60}"
        )
    shape = _check_shape(input_shape)
    calls, out = _trace(model, torch, shape)
    spatial = [c for c in calls if c.kind in _SPATIAL]
    if not spatial:
        kinds = sorted({c.kind for c in calls}) or ["no layers"]
        raise ValueError(
            f"model has no spatial layers (Conv2d, ConvTranspose2d or 2-D pooling) to draw; "
            f"its forward pass called {', '.join(kinds)}"
        )
    for c in spatial:
        want = _expected(c.kind, _module(model, c.name), c.input_shape[1:])
        if want is not None and tuple(c.output_shape[1:]) != want:
            raise VerificationError(
                f"layer {c.name} ({c.kind}) gave {dims(c.output_shape)} in the forward pass but "
                f"conv_explained.shapes gives spatial size {dims(want)}"
            )
    stages = _stages(calls, shape)
    if len(stages) + 1 > MAX_BLOCKS:
        raise ValueError(
            f"model has {len(stages) + 1} tensors to draw; at most {MAX_BLOCKS} fit in one diagram"
        )
    block_shapes = [shape, *(s for _, s in stages)]
    out_shape = tuple(out.shape[1:]) if torch.is_tensor(out) else block_shapes[-1]
    if torch.is_tensor(out) and out_shape != block_shapes[-1]:
        raise VerificationError(
            f"the last traced layer gives {dims(block_shapes[-1])} but the forward pass "
            f"returned {dims(out_shape)}"
        )
    image = _draw(block_shapes, [label for label, _ in stages])
    alt = _alt_text(block_shapes, [label for label, _ in stages])
    return NetworkDiagram(image, alt, calls, block_shapes, out_shape)


def _module(model: Any, name: str) -> Any:
    for n, m in model.named_modules():
        if (n or type(m).__name__) == name:
            return m
    raise KeyError(name)  # pragma: no cover - names come from named_modules


def _alt_text(block_shapes: Sequence[tuple[int, ...]], labels: Sequence[tuple[str, ...]]) -> str:
    steps = [f"input {dims(block_shapes[0])}"]
    for label, s in zip(labels, block_shapes[1:], strict=True):
        steps.append(f"{', '.join(label)} gives {dims(s)}")
    return (
        "Network diagram, one 3-D block per tensor (channels × height × width), left to "
        "right: " + "; ".join(steps) + ". Shapes from a forward pass, checked against "
        "conv_explained.shapes."
    )


def _draw(
    block_shapes: Sequence[tuple[int, ...]], labels: Sequence[tuple[str, ...]]
) -> Image.Image:
    boxes = [_box_size(s) for s in block_shapes]
    small = LABEL_SIZE - 1
    label_ws = [max(text_width(t, small) for t in label) for label in labels]
    gaps = [max(56, w + 18) for w in label_ws]
    shape_ws = [text_width(dims(s), LABEL_SIZE, True) for s in block_shapes]
    cols = [max(d + w, sw) + 6 for (d, _, w), sw in zip(boxes, shape_ws, strict=True)]
    tallest = max(d + h for d, h, _ in boxes)
    label_h = max(len(label) for label in labels) * (small + 3)
    width = 2 * MARGIN + sum(cols) + sum(gaps)
    top = MARGIN + TITLE_SIZE + 10
    mid = top + label_h + 6 + tallest // 2
    height = mid + tallest // 2 + 10 + LABEL_SIZE + 6 + MARGIN
    im = new_image((width, height))
    d = ImageDraw.Draw(im)
    d.text(
        (MARGIN, MARGIN),
        "Tensor shapes (C×H×W) through the network, from a forward pass",
        font=font(TITLE_SIZE - 1, True),
        fill=INDEX["black"],
    )
    x = MARGIN
    kinds = ["input", *(label[0] for label in labels)]
    for k, ((dep, h, w), col, s) in enumerate(zip(boxes, cols, block_shapes, strict=True)):
        bx = x + (col - dep - w) // 2
        by = mid - (dep + h) // 2
        plain_box(im, (bx, by), (dep, h, w), _colours(kinds[k], k == 0))
        d.text(
            (x + col // 2, mid + tallest // 2 + 10),
            dims(s),
            font=font(LABEL_SIZE, True),
            fill=INDEX["black"],
            anchor="ma",
        )
        x += col
        if k < len(labels):
            gap = gaps[k]
            ay = mid + 4
            d.line([(x + 4, ay), (x + gap - 6, ay)], fill=INDEX["text"], width=2)
            d.polygon(
                [(x + gap - 4, ay), (x + gap - 11, ay - 4), (x + gap - 11, ay + 4)],
                fill=INDEX["text"],
            )
            for n, line in enumerate(labels[k]):
                d.text(
                    (x + gap // 2, ay - 6 - (len(labels[k]) - n) * (small + 3)),
                    line,
                    font=font(small, n == 0),
                    fill=INDEX["text"] if n else INDEX["black"],
                    anchor="ma",
                )
            x += gap
    return im
