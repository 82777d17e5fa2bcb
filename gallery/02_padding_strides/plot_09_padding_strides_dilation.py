r"""
Padding, strides and dilation together
======================================

A 3×3 kernel with dilation 2 (its taps one cell apart) moves with stride 2
over a 7×7 input with zero padding. The output size follows
:math:`o = \lfloor (i + 2p - d(k-1) - 1)/s \rfloor + 1`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# A case made here, the way the catalog makes its own: a fixed input, a Sobel
# kernel and the options. With dilation the kernel's footprint has holes:
# only every other cell under it is multiplied.
i, k = 7, 3
options = {"stride": 2, "padding": 2, "dilation": 2}
x = (np.arange(i * i).reshape(i, i) * 7) % 10
w = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
case = catalog.Case(
    "padding_strides_dilation",
    "Padding, strides and dilation",
    "A dilated, strided, padded correlation.",
    "correlate",
    lambda rng: {"x": x, "weight": w},
    params=options,
)
anim = case.animate()
anim.save_gif("padding_strides_dilation.gif")
anim.save_still("padding_strides_dilation.png")
print(anim.alt_text)

# %%
# The size from the shape function and from the formula above.
s, p, d = options["stride"], options["padding"], options["dilation"]
o = ce.conv_output_size(i, k, **options)
print(
    f"output {o}×{o}; formula: ({i} + {2 * p} - {d * (k - 1)} - 1) // {s} + 1 = "
    f"{(i + 2 * p - d * (k - 1) - 1) // s + 1}"
)

# %%
# The certificate: the package's ``correlate`` and the animation against a
# ``torch.nn.Conv2d`` with these options.
case.certify(anim)

# %%
# The formula on a grid of all four options, against PyTorch's output size.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv1d`` on an input of ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv1d(x, w, **options).shape[-1]


sizes = [
    (n, kk, ss, pp, dd)
    for n in range(1, 11)
    for kk in range(1, 5)
    for ss in range(1, 4)
    for pp in range(3)
    for dd in range(1, 4)
    if dd * (kk - 1) + 1 <= n + 2 * pp
]
verify.check_rule(
    "o = floor((i + 2p - d(k - 1) - 1) / s) + 1",
    sizes,
    rule=lambda c: (c[0] + 2 * c[3] - c[4] * (c[1] - 1) - 1) // c[2] + 1,
    rule_by="the formula",
    truth=lambda c: torch_size(c[0], c[1], stride=c[2], padding=c[3], dilation=c[4]),
    truth_by="torch.nn.functional.conv1d",
    grid="i <= 10, k <= 4, s <= 3, p <= 2, d <= 3",
)
