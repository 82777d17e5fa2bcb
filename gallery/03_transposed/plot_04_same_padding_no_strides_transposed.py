r"""
Same padding, no strides, transposed
====================================

The transpose of a 'same' convolution (3×3 kernel, padding 1, stride 1)
is again a 'same' convolution, with the kernel flipped: the 5×5 input
stays 5×5 and the direct form pads by :math:`k - 1 - p = p`.
Relationship 10 of Dumoulin and Visin, :math:`o' = i'`.
"""

# sphinx_gallery_thumbnail_number = 1
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation.
case = catalog.get("same_padding_no_strides_transposed")
anim = case.animate()
anim.save_gif("same_padding_no_strides_transposed.gif")
anim.save_still("same_padding_no_strides_transposed.png")
print(anim.alt_text)

# %%
# Same padding is its own partner: the direct form pads exactly as the
# forward convolution did.
x, w = case.inputs()["x"], case.inputs()["weight"]
p, k = case.params["padding"], w.shape[-1]
print(f"forward padding {p}, direct-form padding {k - 1 - p}, 'same' pads {ce.same_padding(k)}")

# %%
# So the transposed convolution is the forward correlation with the flipped
# kernel and ``padding="same"``: a plain image and a plain kernel go in as
# they are.
by_same = ce.correlate(x, ce.flip(w[0, 0]), padding="same")
print(by_same)

# %%
# The certificate compares that correlation, the package's scatter and direct
# form and the animation with a ``torch.nn.ConvTranspose2d``.
case.certify(anim, also={"conv_explained.correlate, flipped, padding='same'": by_same})

# %%
# Relationship 10 on a grid of sizes, against PyTorch's output size.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv_transpose1d`` on ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv_transpose1d(x, w, **options).shape[-1]


sizes = [(n, kk) for n in range(1, 13) for kk in range(1, 10, 2)]
verify.check_rule(
    "relationship 10, odd k and p = k // 2 give o' = i'",
    sizes,
    rule=lambda c: c[0],
    rule_by="relationship 10",
    truth=lambda c: torch_size(c[0], c[1], padding=c[1] // 2),
    truth_by="torch.nn.functional.conv_transpose1d",
    grid="i' <= 12, odd k <= 9",
)
