r"""
Padding and strides
===================

The most common layer setting for downsampling: a 3×3 kernel with padding 1
and stride 2. Over a 5×5 input it lands on every other position, so the
output is about half the input size. Relationship 6 of Dumoulin and Visin, the general
case, :math:`o = \lfloor (i + 2p - k)/s \rfloor + 1`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation, with its text alternative.
case = catalog.get("padding_strides")
anim = case.animate()
anim.save_gif("padding_strides.gif")
anim.save_still("padding_strides.png")
print(anim.alt_text)

# %%
# Sizes: the shape function and relationship 6. With this padding and stride
# the output is :math:`\lceil i/2 \rceil`.
x, w = case.inputs()["x"], case.inputs()["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
o = ce.conv_output_size(i, k, stride=s, padding=p)
print(f"output {o}; relationship 6: {(i + 2 * p - k) // s + 1}; ceil(i/2) = {-(-i // 2)}")

# %%
# SciPy over the NumPy-padded input at stride 1, keeping every second row and
# column; the certificate compares it, the package and the animation with
# ``torch.nn.Conv2d``.
every_position = scipy.signal.correlate2d(np.pad(x, p), w, mode="valid")
case.certify(anim, also={"scipy.signal.correlate2d, every s-th": every_position[::s, ::s]})

# %%
# Both rules on a grid, against PyTorch's output size: relationship 6, and
# :math:`\lceil i/2 \rceil` for this kernel, padding and stride.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv1d`` on an input of ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv1d(x, w, **options).shape[-1]


sizes = [
    (i, k, s, p)
    for i in range(1, 11)
    for k in range(1, 6)
    for s in range(1, 4)
    for p in range(3)
    if k <= i + 2 * p
]
verify.combine(
    "relationship 6 and the halving layer",
    [
        verify.check_rule(
            "relationship 6, o = floor((i + 2p - k) / s) + 1",
            sizes,
            rule=lambda c: (c[0] + 2 * c[3] - c[1]) // c[2] + 1,
            rule_by="relationship 6",
            truth=lambda c: torch_size(c[0], c[1], stride=c[2], padding=c[3]),
            truth_by="torch.nn.functional.conv1d",
            grid="i <= 10, k <= 5, s <= 3, p <= 2",
        ),
        verify.check_rule(
            "k, p, s of this layer: o = ceil(i / 2)",
            range(1, 33),
            rule=lambda i: -(-i // 2),
            rule_by="ceil(i / 2)",
            truth=lambda i: torch_size(i, k, stride=s, padding=p),
            truth_by="torch.nn.functional.conv1d",
            grid="i <= 32",
        ),
    ],
)
