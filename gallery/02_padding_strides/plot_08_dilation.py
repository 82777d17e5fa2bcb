r"""
Dilation
========

A 3×3 kernel with dilation 2 has its taps one cell apart, so it spans 5×5
cells of the 7×7 input while keeping nine weights. Dilation widens what each
output sees without adding weights or shrinking the input by pooling.
Dumoulin and Visin's relationship 15 replaces :math:`k` by the effective size
:math:`\hat k = k + (k - 1)(d - 1)`: :math:`o = \lfloor (i + 2p - \hat k)/s
\rfloor + 1 = 3`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: input, kernel and options (stride 1, no padding).
case = catalog.get("dilation")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
d = case.params["dilation"]
s, p = 1, 0
i, k = x.shape[0], w.shape[0]
print(f"input {i}×{i}, kernel {k}×{k}, dilation {d}")

# %%
# Sizes: the effective kernel and relationship 15.
k_hat = k + (k - 1) * (d - 1)
assert k_hat == d * (k - 1) + 1 == 5
o = ce.conv_output_size(i, k, stride=s, padding=p, dilation=d)
assert o == (i + 2 * p - k_hat) // s + 1 == 3
print(f"effective kernel {k_hat}×{k_hat}, output size {o}×{o}")

# %%
# Values: PyTorch in float64, and SciPy with the kernel spread out by hand
# (zeros between the taps), which must give the same sums.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
spread = np.zeros((k_hat, k_hat), dtype=w.dtype)
spread[::d, ::d] = w
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, dilation=d)[0].numpy())
np.testing.assert_array_equal(anim.values[0], scipy.signal.correlate2d(x, spread, mode="valid"))
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print("kernel with its holes:\n", spread, "\noutput:\n", anim.values[0])

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("dilation.gif")
anim.save_still("dilation.png")
