r"""
Max pooling, 2×2, stride 2
==========================

Max pooling keeps the largest value of each window and has no weights to
learn. With 2×2 windows and the default stride (the window size) the windows
tile the 4×4 input without overlap, and every axis is halved. The output
size follows the convolution formula, :math:`o = \lfloor (i + 2p - k)/s
\rfloor + 1`, with :math:`s = k` unless told otherwise.
"""

# sphinx_gallery_thumbnail_number = 1
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case: the animation rings each window's maximum; its text
# alternative follows.
case = catalog.get("max_pool")
anim = case.animate()
anim.save_gif("max_pool.gif")
anim.save_still("max_pool.png")
print(anim.alt_text)

# %%
# Sizes: the shape function and the formula written out (the default stride
# is the window size).
x, k = case.inputs()["x"], case.params["kernel_size"]
i = x.shape[0]
o = ce.pool_output_size(i, k)
print(f"window {k}, stride {k}: output {o}; formula {(i - k) // k + 1}")

# %%
# Non-overlapping windows are a reshape away, ``(o, k, o, k)``, with the
# maximum over the two ``k`` axes.
by_reshape = x.reshape(o, k, o, k).max(axis=(1, 3))
print(by_reshape)

# %%
# The certificate compares the reshape, the package's ``max_pool`` and the
# animation with ``torch.nn.MaxPool2d``.
case.certify(anim, also={"numpy reshape and max": by_reshape})

# %%
# The size rule on a grid of windows, strides (default: the window) and
# paddings, against PyTorch's output size.


def torch_size(i, k, s, p):
    x = torch.zeros(1, 1, i)
    return torch.nn.functional.max_pool1d(x, k, stride=s, padding=p).shape[-1]


sizes = [
    (n, kk, ss, pp)
    for n in range(1, 11)
    for kk in range(1, 5)
    for ss in (None, 1, 2, 3)
    for pp in range(kk // 2 + 1)
    if kk <= n + 2 * pp
]
verify.check_rule(
    "o = floor((i + 2p - k) / s) + 1, s = k unless told otherwise",
    sizes,
    rule=lambda c: (c[0] + 2 * c[3] - c[1]) // (c[2] or c[1]) + 1,
    rule_by="the formula",
    truth=lambda c: torch_size(*c),
    truth_by="torch.nn.functional.max_pool1d",
    grid="i <= 10, k <= 4, s default or <= 3, p <= k // 2",
)
