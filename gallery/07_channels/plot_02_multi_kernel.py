r"""
Two kernels, two output maps
============================

A layer rarely has one kernel. Each kernel spans all input channels and
produces one output map, so the number of kernels is the number of output
channels. Two kernels of 2×3×3 over two 4×4 maps give two 2×2 maps, computed
with the same formula as one kernel, once per output index :math:`i`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: input ``(C_in, H, W)`` and weight ``(C_out, C_in, k, k)``,
# 36 weights in all.
case = catalog.get("multi_kernel")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
c_in, i = x.shape[0], x.shape[1]
c_out, k = w.shape[0], w.shape[-1]
assert (c_out, c_in) == w.shape[:2] == (2, 2)
assert w.size == c_out * c_in * k * k == 36
o = ce.conv_output_size(i, k)
assert o == i - k + 1 == 2
print(f"{c_in} maps of {i}×{i}, {c_out} kernels of {c_in}×{k}×{k}: {c_out} maps of {o}×{o}")

# %%
# Values: ``conv2d`` in float64, the ``einsum`` of the formula, and SciPy
# with one sum of per-channel correlations for each kernel.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None]
w64 = torch.tensor(w, dtype=torch.float64)
windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))
formula = np.einsum("ljkmn,ilmn->ijk", windows, w)
scipy_maps = np.stack(
    [
        sum(scipy.signal.correlate2d(x[c], w[j, c], mode="valid") for c in range(c_in))
        for j in range(c_out)
    ]
)
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64)[0].numpy())
np.testing.assert_array_equal(anim.values, formula)
np.testing.assert_array_equal(anim.values, scipy_maps)
assert anim.values.shape == (c_out, o, o)
assert anim.verification["passed"]
print(anim.values)

# %%
# The animation runs through the first kernel's positions, then the
# second's. Its text alternative follows.
print(anim.alt_text)
anim.save_gif("multi_kernel.gif")
anim.save_still("multi_kernel.png")
