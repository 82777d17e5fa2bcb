r"""
Overlapping max pooling with padding
====================================

3×3 windows with stride 2 and padding 1 overlap by one row or column, and
cover the 5×5 input in 3×3 windows. The padding of max pooling holds
:math:`-\infty`, not zero, so it can never be the maximum: a border window
just takes the largest of its real cells.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: a 5×5 input of digits and the pooling options.
case = catalog.get("max_pool_overlapping")
x = case.inputs()["x"]
k, s, p = (case.params[name] for name in ("kernel_size", "stride", "padding"))
i = x.shape[0]
print("input:\n", x, f"\nwindow {k}×{k}, stride {s}, padding {p}")

# %%
# Sizes: the shape function and the formula. PyTorch allows at most half
# the window as padding, so that every window holds a real cell.
o = ce.pool_output_size(i, k, stride=s, padding=p)
assert o == (i + 2 * p - k) // s + 1 == 3
assert p <= k // 2
print(f"output size: {o}×{o}")

# %%
# Values: ``max_pool2d`` in float64, and NumPy over the input padded with
# :math:`-\infty`: all 3×3 windows, every second one kept.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
padded = np.pad(x.astype(float), p, constant_values=-np.inf)
windows = np.lib.stride_tricks.sliding_window_view(padded, (k, k))[::s, ::s]
expected = windows.max(axis=(-2, -1))
torch_out, indices = F.max_pool2d(x64, k, stride=s, padding=p, return_indices=True)
np.testing.assert_array_equal(anim.values[0], expected)
np.testing.assert_array_equal(anim.values, torch_out[0].numpy())
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# No maximum comes from the padding: every result is finite, and the index
# PyTorch records for each window points inside the 5×5 input.
assert np.isfinite(expected).all()
assert ((indices >= 0) & (indices < i * i)).all()
print("flat input index of each maximum:\n", indices[0, 0].numpy())

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("max_pool_overlapping.gif")
anim.save_still("max_pool_overlapping.png")
