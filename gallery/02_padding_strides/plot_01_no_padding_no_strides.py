r"""
No padding, no strides
======================

A 3×3 kernel slides over a 4×4 input one cell at a time, with no padding. It
fits in only 2×2 places, so each axis loses :math:`k - 1` cells: Dumoulin and
Visin's relationship 1, :math:`o = (i - k) + 1`. This is the first animation of
their *conv_arithmetic* set, here with every product and sum written in.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case rebuilds its input and kernel from a fixed seed, so the
# numbers below are the ones in the animation.
case = catalog.get("no_padding_no_strides")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
print(f"input {i}×{i}, kernel {k}×{k}, stride {s}, padding {p}")
print("input:\n", x, "\nkernel:\n", w)

# %%
# The output size three ways: the package's shape function, the general
# formula written out, and relationship 1.
o = ce.conv_output_size(i, k, stride=s, padding=p)
assert o == (i + 2 * p - k) // s + 1 == i - k + 1 == 2
print(f"output size: {o}×{o}")

# %%
# The values, against PyTorch in float64 and against SciPy's ``valid``
# cross-correlation (no padding, every position where the kernel fits).
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
expected = F.conv2d(x64, w64, stride=s, padding=p)[0].numpy()
np.testing.assert_array_equal(anim.values, expected)
np.testing.assert_array_equal(anim.values[0], scipy.signal.correlate2d(x, w, mode="valid"))
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation, and below it the description a screen reader gets instead.
print(anim.alt_text)
anim.save_gif("no_padding_no_strides.gif")
anim.save_still("no_padding_no_strides.png")
