r"""
Arbitrary padding, no strides, transposed
=========================================

The transpose of a 4×4 kernel over a 5×5 input with zero padding: a 6×6
input comes back to 5×5. The direct form pads by :math:`k - 1 - p`, so the
more the forward convolution pads, the less its transpose does.
Relationship 9 of Dumoulin and Visin, :math:`o' = i' + (k - 1) - 2p`.
"""

# sphinx_gallery_thumbnail_number = 1
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation: the flipped kernel over the padded
# input, every sum written in.
case = catalog.get("arbitrary_padding_no_strides_transposed")
anim = case.animate()
anim.save_gif("arbitrary_padding_no_strides_transposed.gif")
anim.save_still("arbitrary_padding_no_strides_transposed.png")
print(anim.alt_text)

# %%
# The padding trade: the forward padding and the direct form's, side by side,
# and the output size of relationship 9.
x, w = case.inputs()["x"], case.inputs()["weight"]
p, i_prime, k = case.params["padding"], x.shape[0], w.shape[-1]
print(f"forward padding {p}, direct-form padding {k - 1 - p}")
o_prime = ce.conv_transpose_output_size(i_prime, k, padding=p)
print(f"output {o_prime}×{o_prime}; relationship 9: {i_prime + (k - 1) - 2 * p}")

# %%
# The direct form's input from the package: the input itself, framed by
# :math:`k - 1 - p` zeros.
x_direct, w_direct = ce.transposed_as_correlation(x, w[0, 0], padding=p)
print(x_direct)

# %%
# The certificate: the package's scatter and direct form and the animation
# against a ``torch.nn.ConvTranspose2d`` with the case's options.
case.certify(anim)

# %%
# Relationship 9 on a grid of sizes, against PyTorch's output size.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv_transpose1d`` on ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv_transpose1d(x, w, **options).shape[-1]


sizes = [
    (n, kk, pp)
    for n in range(1, 11)
    for kk in range(1, 7)
    for pp in range(kk)
    if n + kk - 1 - 2 * pp >= 1
]
verify.check_rule(
    "relationship 9, o' = i' + (k - 1) - 2p",
    sizes,
    rule=lambda c: c[0] + (c[1] - 1) - 2 * c[2],
    rule_by="relationship 9",
    truth=lambda c: torch_size(c[0], c[1], padding=c[2]),
    truth_by="torch.nn.functional.conv_transpose1d",
    grid="i' <= 10, k <= 6, p < k",
)
