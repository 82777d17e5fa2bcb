r"""
Input gradient of a strided correlation
=======================================

With stride 2 the forward kernel skipped every other position, and the
backward pass has to put those positions back: the output gradient gets a
zero between neighbours before the full correlation with the flipped kernel
(a full convolution with the kernel).
This is the transposed convolution with the forward layer's stride, here
taking a 2×2 output gradient back to the 5×5 input.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: forward input and kernel, stride 2, and the gradient
# arriving at the 2×2 output.
case = catalog.get("input_gradient_strided")
arrays = case.inputs()
x, w, g = arrays["x"], arrays["weight"], arrays["grad_output"][0]
s = case.params["stride"]
i, k = x.shape[0], w.shape[0]
o = ce.conv_output_size(i, k, stride=s)
assert o == (i - k) // s + 1 == 2
assert g.shape == (o, o)
print("kernel:\n", w, "\noutput gradient:\n", g)

# %%
# Sizes: :math:`s - 1` zeros between neighbours make the gradient
# :math:`s(o - 1) + 1 = 3` cells wide, and full padding brings it to the
# input size. (The forward pass used every input row here; if the floor in
# the size formula had dropped one, ``output_padding`` would add it back.)
stretched = np.zeros((s * (o - 1) + 1,) * 2, dtype=g.dtype)
stretched[::s, ::s] = g
assert stretched.shape[0] + k - 1 == i == 5
assert ce.conv_transpose_output_size(o, k, stride=s) == i
assert (i - k) % s == 0
print("output gradient with zeros inserted:\n", stretched)

# %%
# Values: autograd through the strided ``conv2d`` (float64), SciPy's ``full``
# convolution of the stretched gradient, and ``conv_transpose2d`` with
# stride 2.
x64 = torch.tensor(x, dtype=torch.float64)[None, None].requires_grad_()
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
g64 = torch.tensor(g, dtype=torch.float64)[None, None]
(torch_grad,) = torch.autograd.grad(F.conv2d(x64, w64, stride=s), x64, g64)

anim = case.animate()
np.testing.assert_array_equal(anim.values, torch_grad[0].numpy())
np.testing.assert_array_equal(anim.values[0], scipy.signal.convolve2d(stretched, w, mode="full"))
np.testing.assert_array_equal(anim.values, F.conv_transpose2d(g64, w64, stride=s)[0].numpy())
assert anim.values.shape == (1, i, i)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The centre input cell lay under all four kernel positions, so its gradient
# gathers all four output gradients, each times the weight that met it.
assert anim.values[0, 2, 2] == (g * w[::2, ::2][::-1, ::-1]).sum()

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("input_gradient_strided.gif")
anim.save_still("input_gradient_strided.png")
