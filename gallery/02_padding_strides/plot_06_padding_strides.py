r"""
Padding and strides
===================

The most common layer setting for downsampling: a 3×3 kernel with padding 1
and stride 2. Over a 5×5 input it lands on 3×3 positions, so the output is
about half the input size. Relationship 6 of Dumoulin and Visin, the general
case, :math:`o = \lfloor (i + 2p - k)/s \rfloor + 1`.
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
case = catalog.get("padding_strides")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
print(f"input {i}×{i}, kernel {k}×{k}, stride {s}, padding {p}")

# %%
# Sizes: the shape function and relationship 6 written out. With this padding
# and stride the output is :math:`\lceil i/2 \rceil`.
o = ce.conv_output_size(i, k, stride=s, padding=p)
assert o == (i + 2 * p - k) // s + 1 == -(-i // 2) == 3
print(f"output size: {o}×{o}")

# %%
# Values: PyTorch in float64, and SciPy over the NumPy-padded input at stride
# 1, keeping every second row and column.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
every_position = scipy.signal.correlate2d(np.pad(x, p), w, mode="valid")
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, stride=s, padding=p)[0].numpy())
np.testing.assert_array_equal(anim.values[0], every_position[::s, ::s])
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("padding_strides.gif")
anim.save_still("padding_strides.png")
