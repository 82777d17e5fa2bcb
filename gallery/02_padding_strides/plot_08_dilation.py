r"""
Dilation
========

A 3×3 kernel with dilation 2 has one cell between neighbouring taps, so over
the 7×7 input it spans :math:`d(k - 1) + 1` cells per axis while keeping its
:math:`k^2` weights. Dilation widens what each
output sees without adding weights or shrinking the input by pooling.
Dumoulin and Visin's relationship 15 replaces :math:`k` by the effective size
:math:`\hat k = k + (k - 1)(d - 1)` in
:math:`o = \lfloor (i + 2p - \hat k)/s \rfloor + 1`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation (stride 1, no padding), with its text
# alternative.
case = catalog.get("dilation")
anim = case.animate()
anim.save_gif("dilation.gif")
anim.save_still("dilation.png")
print(anim.alt_text)

# %%
# Sizes: the effective kernel and relationship 15.
x, w = case.inputs()["x"], case.inputs()["weight"]
d = case.params["dilation"]
i, k = x.shape[0], w.shape[0]
k_hat = k + (k - 1) * (d - 1)
o = ce.conv_output_size(i, k, dilation=d)
print(f"effective kernel {k_hat}×{k_hat}, output {o}×{o} (relationship 15: {i - k_hat + 1})")

# %%
# The kernel spread out by hand, zeros between the taps, gives the same sums
# with SciPy; the certificate compares them, the package and the animation
# with ``torch.nn.Conv2d``.
spread = np.zeros((k_hat, k_hat), dtype=w.dtype)
spread[::d, ::d] = w
print("kernel with its holes:\n", spread)
by_scipy = scipy.signal.correlate2d(x, spread, mode="valid")
case.certify(anim, also={"scipy.signal.correlate2d with the spread kernel": by_scipy})

# %%
# Relationship 15 on a grid of sizes, kernels, dilations, strides and
# paddings, against PyTorch's output size.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv1d`` on an input of ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv1d(x, w, **options).shape[-1]


sizes = [
    (i, k, d, s, p)
    for i in range(1, 13)
    for k in range(1, 5)
    for d in range(1, 4)
    for s in range(1, 3)
    for p in range(3)
    if d * (k - 1) + 1 <= i + 2 * p
]
verify.check_rule(
    "relationship 15, k replaced by k + (k - 1)(d - 1)",
    sizes,
    rule=lambda c: (c[0] + 2 * c[4] - (c[1] + (c[1] - 1) * (c[2] - 1))) // c[3] + 1,
    rule_by="relationship 15",
    truth=lambda c: torch_size(c[0], c[1], dilation=c[2], stride=c[3], padding=c[4]),
    truth_by="torch.nn.functional.conv1d",
    grid="i <= 12, k <= 4, d <= 3, s <= 2, p <= 2",
)
