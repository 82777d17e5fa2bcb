r"""
No padding, strides
===================

A 3×3 kernel moves over a 5×5 input two cells at a time, without padding. The
stride skips every other position, so the work and the output shrink together:
2×2 outputs instead of 3×3. Relationship 5 of Dumoulin and Visin,
:math:`o = \lfloor (i - k)/s \rfloor + 1`.
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
case = catalog.get("no_padding_strides")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
print(f"input {i}×{i}, kernel {k}×{k}, stride {s}, padding {p}")

# %%
# Sizes: the shape function, the general formula and relationship 5.
o = ce.conv_output_size(i, k, stride=s, padding=p)
assert o == (i + 2 * p - k) // s + 1 == (i - k) // s + 1 == 2
o1 = ce.conv_output_size(i, k, padding=p)
assert o1 == i - k + 1 == 3
print(f"output size: {o}×{o} (with stride 1: {o1}×{o1})")

# %%
# Values: PyTorch in float64, and the stride-1 SciPy result keeping every
# second row and column. A strided convolution computes exactly those
# entries, and only those.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
every_position = scipy.signal.correlate2d(x, w, mode="valid")
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, stride=s)[0].numpy())
np.testing.assert_array_equal(anim.values[0], every_position[::s, ::s])
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print("stride 1:\n", every_position, "\nstride 2:\n", anim.values[0])

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("no_padding_strides.gif")
anim.save_still("no_padding_strides.png")
