r"""
Overlapping max pooling with padding
====================================

3×3 windows with stride 2 and padding 1 overlap by one row or column, and
cover the 5×5 input. The padding of max pooling holds
:math:`-\infty`, not zero, so it can never be the maximum: a border window
just takes the largest of its real cells.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation.
case = catalog.get("max_pool_overlapping")
anim = case.animate()
anim.save_gif("max_pool_overlapping.gif")
anim.save_still("max_pool_overlapping.png")
print(anim.alt_text)

# %%
# Sizes: the shape function. PyTorch allows at most half the window as
# padding, so that every window holds a real cell.
x = case.inputs()["x"]
k, s, p = (case.params[name] for name in ("kernel_size", "stride", "padding"))
print(
    f"output {ce.pool_output_size(x.shape[0], k, stride=s, padding=p)}; "
    f"largest padding allowed {k // 2}"
)

# %%
# NumPy over the input padded with :math:`-\infty`: all windows, every
# second one kept. No maximum comes from the padding: the index of each
# window's maximum points inside the input.
padded = np.pad(x.astype(float), p, constant_values=-np.inf)
windows = np.lib.stride_tricks.sliding_window_view(padded, (k, k))[::s, ::s]
by_windows = windows.max(axis=(-2, -1))
_, indices = ce.max_pool(x, (k, k), stride=s, padding=p, return_indices=True)
print("flat input index of each maximum:\n", indices)
verify.check_rule(
    "every maximum is an input cell",
    [int(j) for j in indices.ravel()],
    rule=lambda j: True,
    rule_by="the lesson",
    truth=lambda j: bool(0 <= j < x.size and np.isfinite(padded[p:-p, p:-p].ravel()[j])),
    truth_by="numpy, the index into the input",
    grid="every window of this case",
)

# %%
# PyTorch's limit on the padding, on a grid of windows: it accepts
# :math:`\lfloor k/2 \rfloor` cells and refuses one more.


def largest_accepted(kk):
    best = None
    for pp in range(kk + 2):
        try:
            torch.nn.functional.max_pool2d(torch.zeros(1, 1, 9, 9), kk, stride=1, padding=pp)
        except RuntimeError:
            continue
        best = pp
    return best


verify.check_rule(
    "PyTorch allows at most half the window as padding",
    range(1, 8),
    rule=lambda kk: kk // 2,
    rule_by="k // 2",
    truth=largest_accepted,
    truth_by="torch.nn.functional.max_pool2d",
    grid="k <= 7",
)

# %%
# The certificate compares the windows, the package's ``max_pool`` and the
# animation with ``torch.nn.MaxPool2d``.
case.certify(anim, also={"numpy windows over -inf padding": by_windows})
