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

from conv_explained.render.tensor import tensor_view

# %%
# ``(C_in, C_out) = (3, 2)``, weight ``(2, 3, 1, 1)``, a 3×3 image.
rng = np.random.default_rng(52)
x = rng.integers(0, 4, (3, 3, 3))
w = rng.integers(-2, 3, (2, 3, 1, 1))
anim = tensor_view("correlate", x, w)
x64, w64 = torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64)[0].numpy())
assert anim.verification["passed"]

# %%
# The same numbers as one matrix product: ``(2 × 3) @ (3 × 9 pixels)``.
product = (w[:, :, 0, 0] @ x.reshape(3, -1)).reshape(2, 3, 3)
np.testing.assert_array_equal(anim.values, product)
print(w[:, :, 0, 0])
print(anim.frames[0].caption)
print(anim.alt_text)
anim.save_gif("tensor_pointwise.gif")
anim.save_still("tensor_pointwise.png", frame=0)
