r"""
Full padding, no strides
========================

With :math:`p = k - 1` cells of zero padding, a 3×3 kernel visits every
position where it overlaps the 5×5 input by at least one cell, including the
corners where only one tap touches it. The output grows by :math:`k - 1`:
relationship 4 of Dumoulin and Visin, :math:`o = i + (k - 1)`. This is the
``full`` mode of signal processing, and the size the backward pass of a
no-padding convolution needs.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation, with its text alternative.
case = catalog.get("full_padding_no_strides")
anim = case.animate()
anim.save_gif("full_padding_no_strides.gif")
anim.save_still("full_padding_no_strides.png")
print(anim.alt_text)

# %%
# Full padding is :math:`k - 1` per side, and the output grows by
# :math:`k - 1`.
x, w = case.inputs()["x"], case.inputs()["weight"]
i, k = x.shape[0], w.shape[0]
print(f"full padding for k = {k}: {ce.full_padding(k)}; the case pads {case.params['padding']}")
print(f"output size: {ce.conv_output_size(i, k, padding='full')}")

# %%
# Each corner output is a single product: the kernel's opposite corner tap
# times the input's corner cell.
print(f"corner: {w[-1, -1]} × {x[0, 0]} = {anim.values[0, 0, 0]}")
corners = np.array([anim.values[0, r, c] for r in (0, -1) for c in (0, -1)])
products = np.array([w[-1 - r, -1 - c] * x[r, c] for r in (0, -1) for c in (0, -1)])
verify.compare(
    corners,
    products,
    what="the four corner outputs",
    got_by="the animation",
    expected_by="numpy, one product each",
)

# %%
# SciPy's ``full`` correlation needs no padding from us; the certificate
# compares it, the package and the animation with ``torch.nn.Conv2d``.
by_scipy = scipy.signal.correlate2d(x, w, mode="full")
case.certify(anim, also={"scipy.signal.correlate2d, mode='full'": by_scipy})

# %%
# Relationship 4 on a grid of sizes, against PyTorch.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv1d`` on an input of ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv1d(x, w, **options).shape[-1]


sizes = [(i, k) for i in range(1, 13) for k in range(1, 8)]
verify.check_rule(
    "relationship 4, p = k - 1 gives o = i + (k - 1)",
    sizes,
    rule=lambda c: c[0] + (c[1] - 1),
    rule_by="relationship 4",
    truth=lambda c: torch_size(c[0], c[1], padding=c[1] - 1),
    truth_by="torch.nn.functional.conv1d",
    grid="i <= 12, k <= 7",
)
