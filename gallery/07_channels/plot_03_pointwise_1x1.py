r"""
1×1 convolution
===============

A 1×1 kernel sees one position at a time, so it captures nothing spatial; what
it does is mix the channels. At every position the vector of input channels
is multiplied by the same small matrix, here 2×3, turning three maps into two
of the same 3×3 size. Networks use it to change the number of feature maps
cheaply.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: three 3×3 maps and a ``(2, 3, 1, 1)`` weight.
case = catalog.get("pointwise_1x1")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
c_in, i = x.shape[0], x.shape[1]
c_out, k = w.shape[0], w.shape[-1]
assert (c_out, c_in, k) == (2, 3, 1)
o = ce.conv_output_size(i, k)
assert o == (i - k) + 1 == i == 3
print(f"{c_in} maps of {i}×{i} -> {c_out} maps of {o}×{o}; channel matrix:\n{w[:, :, 0, 0]}")

# %%
# Values: ``conv2d`` in float64, and NumPy's matrix product of the 2×3
# weight matrix with the input as a 3×9 matrix (one column per position).
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None]
w64 = torch.tensor(w, dtype=torch.float64)
as_matrix = (w[:, :, 0, 0] @ x.reshape(c_in, -1)).reshape(c_out, i, i)
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64)[0].numpy())
np.testing.assert_array_equal(anim.values, as_matrix)
assert anim.values.shape == (c_out, o, o)
assert anim.verification["passed"]
print(anim.values)

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("pointwise_1x1.gif")
anim.save_still("pointwise_1x1.png")
