r"""
A 1×1 convolution is a matrix product across channels
=====================================================

A pointwise filter is a 3×1×1 block: at each pixel it takes the three
channel values under it, multiplies them by three weights and adds. Two
filters make the ``C_out × C_in`` matrix that maps every pixel's channel
vector to its output vector.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

from conv_explained import catalog

# %%
# A 3×3×3 input and two 3×1×1 filters: a 2×3×3 output block.
case = catalog.get("tensor_pointwise")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
anim = case.animate()
reference = F.conv2d(
    torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
)[0].numpy()
np.testing.assert_array_equal(anim.values, reference)
assert anim.verification["passed"]

# %%
# The same numbers as a matrix product: the ``C_out × C_in`` weight matrix
# times every pixel's channel vector.
matrix = w[:, :, 0, 0]
np.testing.assert_array_equal(anim.values, np.einsum("oc,chw->ohw", matrix, x))
print(anim.scenes[0].caption)
print(anim.alt_text)
anim.save_gif("tensor_pointwise.gif")
anim.save_still("tensor_pointwise.png", frame=0)
