r"""
Input gradient: a full convolution
==================================

The backward pass of a 3×3 correlation over a 5×5 input. Each input cell
took part in up to nine products, so its gradient gathers the output
gradients of those positions, each times the weight that met it. Written as
one operation, that is the output gradient padded fully (:math:`k - 1` zeros
per side) and correlated with the *flipped* kernel: a true convolution. A
layer that never flips its kernel going forward flips it going backward.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: the forward input and kernel, and the gradient arriving
# at the 3×3 output (1 to 9, so each one can be followed).
case = catalog.get("input_gradient")
arrays = case.inputs()
x, w, g = arrays["x"], arrays["weight"], arrays["grad_output"][0]
i, k = x.shape[0], w.shape[0]
o = ce.conv_output_size(i, k)
assert g.shape == (o, o)
print("kernel:\n", w, "\noutput gradient:\n", g)

# %%
# Sizes: full padding takes the 3×3 output gradient back to the 5×5 input,
# :math:`o + 2(k - 1) - k + 1 = o + k - 1 = i`, the transposed convolution's
# size.
assert ce.full_padding(k) == k - 1
assert o + 2 * (k - 1) - k + 1 == o + k - 1 == i == 5
assert ce.conv_transpose_output_size(o, k) == i
print(f"{o}×{o} output gradient -> {i}×{i} input gradient")

# %%
# Values: autograd through ``conv2d`` (float64), SciPy's ``full`` convolution
# (which flips the kernel), and ``conv_transpose2d``, the same operation.
x64 = torch.tensor(x, dtype=torch.float64)[None, None].requires_grad_()
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
g64 = torch.tensor(g, dtype=torch.float64)[None, None]
(torch_grad,) = torch.autograd.grad(F.conv2d(x64, w64), x64, g64)

anim = case.animate()
np.testing.assert_array_equal(anim.values, torch_grad[0].numpy())
np.testing.assert_array_equal(anim.values[0], scipy.signal.convolve2d(g, w, mode="full"))
np.testing.assert_array_equal(
    anim.values[0], scipy.signal.correlate2d(np.pad(g, k - 1), w[::-1, ::-1], mode="valid")
)
np.testing.assert_array_equal(anim.values, F.conv_transpose2d(g64, w64)[0].numpy())
assert anim.values.shape == (1, i, i)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The corner input cell met only one weight, the kernel's top-left, at the
# first output position.
assert anim.values[0, 0, 0] == g[0, 0] * w[0, 0]

# %%
# The animation: the flipped kernel slides over the padded output gradient.
# Its text alternative follows.
print(anim.alt_text)
anim.save_gif("input_gradient.gif")
anim.save_still("input_gradient.png")
