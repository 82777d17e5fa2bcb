r"""
Arbitrary padding, no strides
=============================

A 4×4 kernel slides over a 5×5 input padded by two cells of zeros on every
side. The padding is more than the kernel needs to stay the same size, so the
output is larger than the input: relationship 2 of Dumoulin and Visin,
:math:`o = (i - k) + 2p + 1`. An even kernel has no centre cell, which is why
no symmetric padding could have kept the size here.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation, with its text alternative under it.
case = catalog.get("arbitrary_padding_no_strides")
anim = case.animate()
anim.save_gif("arbitrary_padding_no_strides.gif")
anim.save_still("arbitrary_padding_no_strides.png")
print(anim.alt_text)

# %%
# Sizes: the shape function and relationship 2. With an even kernel the size
# is kept only by uneven padding, before and after, which is what
# ``padding="same"`` chooses.
x, w = case.inputs()["x"], case.inputs()["weight"]
p = case.params["padding"]
i, k = x.shape[0], w.shape[0]
o = ce.conv_output_size(i, k, padding=p)
print(f"output {o}×{o}; relationship 2 gives {(i - k) + 2 * p + 1}")
print(f"padding='same' would pad {ce.same_padding(k)} (before, after) on each axis")

# %%
# At the corners the kernel covers mostly padding: count the input cells under
# its first position.
inside = np.pad(np.ones_like(x), p)  # 1 on input cells, 0 on padding
print(f"input cells under the {k * k} taps at the corner: {inside[:k, :k].sum()}")

# %%
# SciPy on the input padded by NumPy gives the same numbers; the certificate
# compares it, the package and the animation with ``torch.nn.Conv2d``.
by_scipy = scipy.signal.correlate2d(np.pad(x, p), w, mode="valid")
case.certify(anim, also={"scipy.signal.correlate2d on np.pad": by_scipy})

# %%
# Both rules on a grid, against PyTorch's output size: relationship 2 for
# every padding, and no symmetric padding keeping the size of an even kernel.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv1d`` on an input of ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv1d(x, w, **options).shape[-1]


sizes = [
    (i, k, p) for i in range(1, 11) for k in range(1, 7) for p in range(k + 1) if k <= i + 2 * p
]
verify.combine(
    "relationship 2 and the even kernel",
    [
        verify.check_rule(
            "relationship 2, o = (i - k) + 2p + 1",
            sizes,
            rule=lambda c: (c[0] - c[1]) + 2 * c[2] + 1,
            rule_by="relationship 2",
            truth=lambda c: torch_size(c[0], c[1], padding=c[2]),
            truth_by="torch.nn.functional.conv1d",
            grid="i <= 10, k <= 6, p <= k",
        ),
        verify.check_rule(
            "an even kernel: no symmetric padding keeps the size",
            [c for c in sizes if c[1] % 2 == 0],
            rule=lambda c: "another size",
            rule_by="the lesson",
            truth=lambda c: (
                "the same size" if torch_size(c[0], c[1], padding=c[2]) == c[0] else "another size"
            ),
            truth_by="torch.nn.functional.conv1d",
            grid="i <= 10, even k <= 6, p <= k",
        ),
    ],
)
