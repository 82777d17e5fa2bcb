r"""
Average pooling, 2×2, stride 2
==============================

Average pooling replaces each window by the mean of its cells. It is a
convolution in disguise: one kernel whose :math:`k^2` weights all equal
:math:`1/k^2`, applied to each channel on its own with a stride equal to the
window size.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: a 4×4 input and the window size.
case = catalog.get("avg_pool")
x = case.inputs()["x"]
k = case.params["kernel_size"]
s, p = k, 0
i = x.shape[0]
print("input:\n", x, f"\nwindow {k}×{k}, stride {s}")

# %%
# Sizes, as for max pooling.
o = ce.pool_output_size(i, k)
assert o == (i + 2 * p - k) // s + 1 == 2
print(f"output size: {o}×{o}")

# %%
# Values: ``avg_pool2d`` in float64, the NumPy reshape with a mean, and a
# stride-2 ``conv2d`` with the constant kernel. Means of four integers are
# multiples of 1/4, exact in binary, so the comparisons are exact.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
box = torch.full((1, 1, k, k), 1 / k**2, dtype=torch.float64)
np.testing.assert_array_equal(anim.values, F.avg_pool2d(x64, k)[0].numpy())
np.testing.assert_array_equal(anim.values[0], x.reshape(o, k, o, k).mean(axis=(1, 3)))
np.testing.assert_array_equal(anim.values, F.conv2d(x64, box, stride=s)[0].numpy())
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("avg_pool.gif")
anim.save_still("avg_pool.png")
