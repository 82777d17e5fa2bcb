r"""
Padding and strides, odd, transposed
====================================

The transpose of a 3×3 convolution with padding 1 and stride 2 over a 6×6
input. That convolution gives 3×3, and so does a 5×5 input, so a 3×3
input alone does not say which size to give back. ``output_padding``
(:math:`a`) settles it: it puts :math:`a` more rows and columns of zeros
at the bottom and right of the direct form. Relationship 14 of Dumoulin and
Visin, :math:`o' = s(i' - 1) + a + k - 2p`.
"""

# sphinx_gallery_thumbnail_number = 1
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation.
case = catalog.get("padding_strides_odd_transposed")
anim = case.animate()
anim.save_gif("padding_strides_odd_transposed.gif")
anim.save_still("padding_strides_odd_transposed.png")
print(anim.alt_text)

# %%
# Two forward inputs give the same output size; ``output_padding`` is what
# tells the transpose which one to give back.
x, w = case.inputs()["x"], case.inputs()["weight"]
s, p, a = (case.params[name] for name in ("stride", "padding", "output_padding"))
i_prime, k = x.shape[0], w.shape[-1]
both = [ce.conv_transpose_output_size(i_prime, k, stride=s, padding=p) + n for n in (0, 1)]
for i in both:
    print(
        f"forward input {i}: output {ce.conv_output_size(i, k, stride=s, padding=p)}, "
        f"output_padding {ce.conv_transpose_output_padding(i, i_prime, k, stride=s, padding=p)}"
    )
verify.check_rule(
    "both forward inputs give this input's size",
    both,
    rule=lambda i: i_prime,
    rule_by="the lesson",
    truth=lambda i: torch.nn.functional.conv1d(
        torch.zeros(1, 1, i), torch.zeros(1, 1, k), stride=s, padding=p
    ).shape[-1],
    truth_by="torch.nn.functional.conv1d",
    grid="the two forward inputs",
)

# %%
# Without it the output is one row and column shorter, and equal to the
# first rows and columns: the extra padding only adds at the end.
shorter = ce.conv_transpose(x, w[0, 0], stride=s, padding=p)
print(shorter.shape, anim.values.shape)
verify.compare(
    anim.values[0, : shorter.shape[0], : shorter.shape[1]],
    shorter,
    what="the first rows and columns, with and without output_padding",
    got_by="the animation (output_padding)",
    expected_by="conv_explained.conv_transpose (no output_padding)",
)

# %%
# The certificate: the package's scatter and direct form and the animation
# against a ``torch.nn.ConvTranspose2d`` with ``output_padding``.
case.certify(anim)

# %%
# Relationship 14 on a grid of sizes, against PyTorch's output size.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv_transpose1d`` on ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv_transpose1d(x, w, **options).shape[-1]


sizes = [
    (n, kk, ss, pp, aa)
    for n in range(1, 8)
    for kk in range(1, 5)
    for ss in range(1, 4)
    for pp in range(kk)
    for aa in range(ss)
    if ss * (n - 1) + aa + kk - 2 * pp >= 1
]
verify.check_rule(
    "relationship 14, o' = s(i' - 1) + a + k - 2p",
    sizes,
    rule=lambda c: c[2] * (c[0] - 1) + c[4] + c[1] - 2 * c[3],
    rule_by="relationship 14",
    truth=lambda c: torch_size(c[0], c[1], stride=c[2], padding=c[3], output_padding=c[4]),
    truth_by="torch.nn.functional.conv_transpose1d",
    grid="i' <= 7, k <= 4, s <= 3, p < k, a < s",
)
