r"""
A 3-D volume, slice by slice
============================

A CT scan or a video clip is a volume, and its kernel is a small block. Here a
2×2×2 kernel moves through a 3×4×4 volume, drawn as depth slices side by side:
at each position it covers two neighbouring slices, and its eight products add
into one cell of the 2×3×3 output. The size formula applies along each of the
three axes.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: a one-channel volume ``(1, D, H, W)`` and a weight
# ``(1, 1, kD, kH, kW)``.
case = catalog.get("volume_3d")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
volume, kernel = x[0], w[0, 0]
assert volume.shape == (3, 4, 4)
assert kernel.shape == (2, 2, 2)
print("volume, slice by slice:\n", volume, "\nkernel:\n", kernel)

# %%
# Sizes: the shape function with tuples, and the formula along each axis.
o = ce.conv_output_size(volume.shape, kernel.shape)
assert o == tuple(i - k + 1 for i, k in zip(volume.shape, kernel.shape, strict=True))
assert o == (2, 3, 3)
print(f"output {o[0]}×{o[1]}×{o[2]}")

# %%
# Values: ``conv3d`` in float64, and SciPy's N-dimensional ``correlate``.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None]
w64 = torch.tensor(w, dtype=torch.float64)
np.testing.assert_array_equal(anim.values, F.conv3d(x64, w64)[0].numpy())
np.testing.assert_array_equal(anim.values[0], scipy.signal.correlate(volume, kernel, "valid"))
assert anim.values.shape == (1, *o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# Each output slice reads two neighbouring input slices: the first output
# slice is the sum of two 2-D correlations, one per kernel slice.
first = sum(scipy.signal.correlate2d(volume[d], kernel[d], "valid") for d in range(2))
np.testing.assert_array_equal(anim.values[0, 0], first)

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("volume_3d.gif")
anim.save_still("volume_3d.png")
