r"""
Three input channels, one kernel
================================

A colour image or a stack of feature maps has several channels, and a kernel
then has one 3×3 slice per channel. At each position all 27 products, over
every channel, add into a single number, so three 4×4 input maps give one
2×2 output map. In the lecture notes' notation, whose indices start at 1,
:math:`Z_{i,j,k} = \sum_{l,m,n} V_{l,\,j+m-1,\,k+n-1} K_{i,l,m,n}`; with the
0-based indices of the arrays below the :math:`-1` disappears.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: input ``(C_in, H, W)`` and kernel ``(C_out, C_in, k, k)``.
case = catalog.get("multi_channel")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
c_in, i = x.shape[0], x.shape[1]
c_out, k = w.shape[0], w.shape[-1]
assert (c_in, c_out) == (w.shape[1], 1) == (3, 1)
o = ce.conv_output_size(i, k)
assert o == i - k + 1 == 2
print(f"{c_in} maps of {i}×{i}, {c_out} kernel of {c_in}×{k}×{k}: {c_out} map of {o}×{o}")

# %%
# Values: ``conv2d`` in float64; the formula above with NumPy (every 3×3
# window of every channel, then one ``einsum``); and SciPy, one 2-D
# correlation per channel, summed.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None]
w64 = torch.tensor(w, dtype=torch.float64)
windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))  # V[l, j+m, k+n]
formula = np.einsum("ljkmn,ilmn->ijk", windows, w)
per_channel = sum(scipy.signal.correlate2d(x[c], w[0, c], mode="valid") for c in range(c_in))
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64)[0].numpy())
np.testing.assert_array_equal(anim.values, formula)
np.testing.assert_array_equal(anim.values[0], per_channel)
assert anim.values.shape == (c_out, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation shows the three input maps and kernel slices side by side;
# its text alternative follows.
print(anim.alt_text)
anim.save_gif("multi_channel.gif")
anim.save_still("multi_channel.png")
