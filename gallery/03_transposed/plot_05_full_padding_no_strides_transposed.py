r"""
Full padding, no strides, transposed
====================================

The transpose of a full-padding convolution (3×3 kernel, padding 2) takes
a 7×7 input back to 5×5. Here the direct form needs no padding at all,
:math:`k - 1 - p = 0`: the partner of full padding is no padding.
Relationship 11 of Dumoulin and Visin, :math:`o' = i' - (k - 1)`.
"""

# sphinx_gallery_thumbnail_number = 1
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation.
case = catalog.get("full_padding_no_strides_transposed")
anim = case.animate()
anim.save_gif("full_padding_no_strides_transposed.gif")
anim.save_still("full_padding_no_strides_transposed.png")
print(anim.alt_text)

# %%
# No padding in the direct form, and the output shrinks by :math:`k - 1`.
x, w = case.inputs()["x"], case.inputs()["weight"]
p, i_prime, k = case.params["padding"], x.shape[0], w.shape[-1]
print(f"direct-form padding {k - 1 - p}")
o_prime = ce.conv_transpose_output_size(i_prime, k, padding=p)
print(f"output {o_prime}×{o_prime}; relationship 11: {i_prime - (k - 1)}")

# %%
# So SciPy's ``valid`` convolution of the input itself is the output. The
# certificate compares it, the package's scatter and direct form and the
# animation with a ``torch.nn.ConvTranspose2d``.
by_scipy = scipy.signal.convolve2d(x, w[0, 0], mode="valid")
case.certify(anim, also={"scipy.signal.convolve2d, mode='valid'": by_scipy})

# %%
# Relationship 11 on a grid of sizes, against PyTorch's output size.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv_transpose1d`` on ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv_transpose1d(x, w, **options).shape[-1]


sizes = [(n, kk) for n in range(1, 13) for kk in range(1, n + 1)]
verify.check_rule(
    "relationship 11, p = k - 1 gives o' = i' - (k - 1)",
    sizes,
    rule=lambda c: c[0] - (c[1] - 1),
    rule_by="relationship 11",
    truth=lambda c: torch_size(c[0], c[1], padding=c[1] - 1),
    truth_by="torch.nn.functional.conv_transpose1d",
    grid="i' <= 12, k <= i'",
)
