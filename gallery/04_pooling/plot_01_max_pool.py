r"""
Max pooling, 2×2, stride 2
==========================

Max pooling keeps the largest value of each window and has no weights to
learn. With 2×2 windows and the default stride (the window size) the windows
tile the 4×4 input without overlap, and every axis is halved. The output
size follows the convolution formula, :math:`o = \lfloor (i + 2p - k)/s
\rfloor + 1`, with :math:`s = k` unless told otherwise.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: a 4×4 input of digits and the window size.
case = catalog.get("max_pool")
x = case.inputs()["x"]
k = case.params["kernel_size"]
s, p = k, 0  # the default stride is the window size
i = x.shape[0]
print("input:\n", x, f"\nwindow {k}×{k}, stride {s}")

# %%
# Sizes: the shape function and the formula written out.
o = ce.pool_output_size(i, k)
assert o == (i + 2 * p - k) // s + 1 == i // 2 == 2
print(f"output size: {o}×{o}")

# %%
# Values: ``max_pool2d`` in float64, and NumPy: non-overlapping windows are
# a reshape away, ``(o, k, o, k)``, with the maximum over the two ``k`` axes.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
np.testing.assert_array_equal(anim.values, F.max_pool2d(x64, k)[0].numpy())
np.testing.assert_array_equal(anim.values[0], x.reshape(o, k, o, k).max(axis=(1, 3)))
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation rings each window's maximum; its text alternative follows.
print(anim.alt_text)
anim.save_gif("max_pool.gif")
anim.save_still("max_pool.png")
