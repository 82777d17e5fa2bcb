r"""
Transposed convolution as scatter
=================================

A transposed convolution read the other way round: instead of sliding a kernel
over its input, every input cell stamps a copy of the kernel, scaled by its
value, into the output, shifted by the stride times its position. Where stamps
overlap, they add up. A 2×2 input and a 3×3 kernel give a 4×4 output. The
same sums are what a convolution's backward pass sends to its input, which is
where the name *transposed* comes from.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: input (values 1 to 3) and kernel, in ``conv_transpose2d``'s
# layout ``(C_in, C_out, k, k)``; stride 1, no padding.
case = catalog.get("transposed_scatter")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s = 1
i_prime, k = x.shape[0], w.shape[-1]
print("input:\n", x, "\nkernel:\n", w[0, 0])

# %%
# The output size: each stamp covers :math:`k` cells starting at :math:`s`
# times the input index, so the last one ends at :math:`s(i' - 1) + k`.
o_prime = ce.conv_transpose_output_size(i_prime, k, stride=s)
assert o_prime == s * (i_prime - 1) + k == 4
print(f"output size: {o_prime}×{o_prime}")

# %%
# The values three ways: the stamps added up with NumPy, ``conv_transpose2d``
# in float64, and the gradient that autograd sends back through ``conv2d``
# when the output gradient is ``x``.
stamps = np.zeros((o_prime, o_prime), dtype=x.dtype)
for r in range(i_prime):
    for c in range(i_prime):
        stamps[s * r : s * r + k, s * c : s * c + k] += x[r, c] * w[0, 0]

anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)
forward_input = torch.zeros((1, 1, o_prime, o_prime), dtype=torch.float64, requires_grad=True)
(gradient,) = torch.autograd.grad(F.conv2d(forward_input, w64, stride=s), forward_input, x64)
np.testing.assert_array_equal(anim.values[0], stamps)
np.testing.assert_array_equal(anim.values, F.conv_transpose2d(x64, w64, stride=s)[0].numpy())
np.testing.assert_array_equal(anim.values, gradient[0].numpy())
assert anim.values.shape == (1, o_prime, o_prime)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The centre cells collect all four stamps; the corners only one each.
assert anim.values[0, 0, 0] == x[0, 0] * w[0, 0, 0, 0]
assert anim.values[0, 1, 1] == (x * w[0, 0, :2, :2][::-1, ::-1]).sum()

# %%
# One frame per input cell: its stamp is drawn on the output, then added in.
# The text alternative follows the animation.
print(anim.alt_text)
anim.save_gif("transposed_scatter.gif")
anim.save_still("transposed_scatter.png")
