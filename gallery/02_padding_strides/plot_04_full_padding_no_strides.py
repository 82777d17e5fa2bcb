r"""
Full padding, no strides
========================

With :math:`p = k - 1` cells of zero padding, a 3×3 kernel visits every
position where it overlaps the 5×5 input by at least one cell, including the
corners where only one tap touches it. The output grows to 7×7:
relationship 4 of Dumoulin and Visin, :math:`o = i + (k - 1)`. This is the
``full`` mode of signal processing, and the size the backward pass of a
no-padding convolution needs.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: input, kernel and options.
case = catalog.get("full_padding_no_strides")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
print(f"input {i}×{i}, kernel {k}×{k}, stride {s}, padding {p}")

# %%
# Sizes: full padding is :math:`k - 1` per side, and the output grows by
# :math:`k - 1`.
assert ce.full_padding(k) == p == k - 1
o = ce.conv_output_size(i, k, stride=s, padding=p)
assert o == ce.conv_output_size(i, k, padding="full")
assert o == (i + 2 * p - k) // s + 1 == i + (k - 1) == 7
print(f"output size: {o}×{o}")

# %%
# Values: PyTorch in float64, and SciPy's ``full`` correlation, which needs no
# padding from us.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, padding=p)[0].numpy())
np.testing.assert_array_equal(anim.values[0], scipy.signal.correlate2d(x, w, mode="full"))
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# Each corner output is a single product: the kernel's opposite corner tap
# times the input's corner cell.
assert anim.values[0, 0, 0] == w[-1, -1] * x[0, 0]
assert anim.values[0, -1, -1] == w[0, 0] * x[-1, -1]
print(anim.alt_text)
anim.save_gif("full_padding_no_strides.gif")
anim.save_still("full_padding_no_strides.png")
