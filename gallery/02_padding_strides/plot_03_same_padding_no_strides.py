r"""
Same padding, no strides
========================

A 3×3 kernel slides over a 5×5 input with one cell of zero padding on every
side, one cell at a time. The padding lets the kernel centre visit every input
cell, so the output is the size of the input (Dumoulin and Visin's
relationship 3: for an odd kernel and :math:`p = \lfloor k/2 \rfloor`,
:math:`o = i`).
"""

# sphinx_gallery_thumbnail_number = 1
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation: the padding cells are drawn apart from
# the input cells, and each output cell shows the sum it came from.
case = catalog.get("same_padding_no_strides")
anim = case.animate()
anim.save_gif("same_padding_no_strides.gif")
anim.save_still("same_padding_no_strides.png")
print(anim.alt_text)

# %%
# The padding ``"same"`` asks for, and the output size it gives.
x, w = case.inputs()["x"], case.inputs()["weight"]
i, k = x.shape[0], w.shape[0]
print(f"kernel {k}: padding='same' pads {ce.same_padding(k)}, the case pads {case.params}")
print(f"output size {ce.conv_output_size(i, k, padding='same')} for an input of {i}")

# %%
# SciPy's ``same`` mode pads with zeros and keeps the centre of the full
# correlation: the same numbers. The certificate compares it, the package and
# the animation with ``torch.nn.Conv2d``.
by_scipy = scipy.signal.correlate2d(x, w, mode="same")
case.certify(anim, also={"scipy.signal.correlate2d, mode='same'": by_scipy})

# %%
# Relationship 3 on a grid of sizes and odd kernels, against PyTorch.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv1d`` on an input of ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv1d(x, w, **options).shape[-1]


sizes = [(i, k) for i in range(1, 13) for k in range(1, 10, 2)]
verify.check_rule(
    "relationship 3, odd k and p = k // 2 give o = i",
    sizes,
    rule=lambda c: c[0],
    rule_by="relationship 3",
    truth=lambda c: torch_size(c[0], c[1], padding=c[1] // 2),
    truth_by="torch.nn.functional.conv1d",
    grid="i <= 12, odd k <= 9",
)
