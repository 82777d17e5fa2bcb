r"""
No padding, strides, transposed
===============================

The transpose of a 3×3 convolution with stride 2 over a 5×5 input: a 2×2
input comes back to 5×5. A stride above 1 in the forward direction
becomes zeros between the input cells (dotted in the animation), a
*fractional* stride of :math:`1/s`, so the kernel moves only a fraction of
an input cell per step. Relationship 12 of Dumoulin and Visin,
:math:`o' = s(i' - 1) + k`.
"""

# sphinx_gallery_thumbnail_number = 1
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation; the inserted zeros are dotted.
case = catalog.get("no_padding_strides_transposed")
anim = case.animate()
anim.save_gif("no_padding_strides_transposed.gif")
anim.save_still("no_padding_strides_transposed.png")
print(anim.alt_text)

# %%
# The zeros inserted: :math:`s - 1` between neighbours, so the stretched
# input has :math:`s(i' - 1) + 1` cells along each axis before the
# :math:`k - 1` cells of padding.
x, w = case.inputs()["x"], case.inputs()["weight"]
s, i_prime, k = case.params["stride"], x.shape[0], w.shape[-1]
x_direct, w_direct = ce.transposed_as_correlation(x, w[0, 0], stride=s)
print(x_direct)
print(f"stretched {s * (i_prime - 1) + 1} cells, padded {x_direct.shape[-1]}")
print(f"inserted zeros: {(s * (i_prime - 1) + 1) ** 2 - x.size}")

# %%
# The output size, relationship 12.
o_prime = ce.conv_transpose_output_size(i_prime, k, stride=s)
print(f"output {o_prime}×{o_prime}; relationship 12: {s * (i_prime - 1) + k}")

# %%
# The certificate: the package's scatter and direct form and the animation
# against a ``torch.nn.ConvTranspose2d`` with the case's options.
case.certify(anim)

# %%
# Relationship 12 on a grid of sizes, against PyTorch's output size.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv_transpose1d`` on ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv_transpose1d(x, w, **options).shape[-1]


sizes = [(n, kk, ss) for n in range(1, 11) for kk in range(1, 6) for ss in range(1, 5)]
verify.check_rule(
    "relationship 12, o' = s(i' - 1) + k",
    sizes,
    rule=lambda c: c[2] * (c[0] - 1) + c[1],
    rule_by="relationship 12",
    truth=lambda c: torch_size(c[0], c[1], stride=c[2]),
    truth_by="torch.nn.functional.conv_transpose1d",
    grid="i' <= 10, k <= 5, s <= 4",
)
