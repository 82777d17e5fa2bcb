r"""
Where the gradient of max pooling goes
======================================

Max pooling's output depends on one cell per window, its maximum, so the
gradient flows back to that cell alone: each output gradient is copied whole
to the position of its window's maximum, and every other cell gets zero. To
do this, the forward pass has to remember where each maximum was. With 3×3
windows at stride 2 the windows overlap, and a cell that is the maximum of
several windows collects the sum of their gradients.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: a 5×5 input, the pooling options and the gradient that
# arrives at the 3×3 output, 1 to 9 so each one can be followed.
case = catalog.get("max_pool_grad")
arrays = case.inputs()
x, g = arrays["x"], arrays["grad_output"]
k, s, p = (case.params[name] for name in ("kernel_size", "stride", "padding"))
i = x.shape[0]
o = ce.pool_output_size(i, k, stride=s, padding=p)
assert o == (i + 2 * p - k) // s + 1 == 3
assert g.shape == (o, o)
print("input:\n", x, "\noutput gradient:\n", g)

# %%
# The expected gradient twice. PyTorch's autograd through ``max_pool2d``
# (float64), and NumPy by hand: in each window padded with
# :math:`-\infty`, ``argmax`` finds the first maximum in reading order (the
# cell PyTorch picks when a window holds its maximum twice), and
# ``np.add.at`` adds the window's gradient there.
x64 = torch.tensor(x, dtype=torch.float64)[None, None].requires_grad_()
g64 = torch.tensor(g, dtype=torch.float64)[None, None]
(torch_grad,) = torch.autograd.grad(F.max_pool2d(x64, k, stride=s, padding=p), x64, g64)

padded = np.pad(x.astype(float), p, constant_values=-np.inf)
routed = np.zeros((i + 2 * p, i + 2 * p))
hits = np.zeros((i + 2 * p, i + 2 * p), dtype=int)  # windows choosing each cell
for r in range(o):
    for c in range(o):
        window = padded[r * s : r * s + k, c * s : c * s + k]
        dr, dc = np.unravel_index(np.argmax(window), window.shape)
        np.add.at(routed, (r * s + dr, c * s + dc), g[r, c])
        np.add.at(hits, (r * s + dr, c * s + dc), 1)
expected, hits = routed[p:-p, p:-p], hits[p:-p, p:-p]

anim = case.animate()
np.testing.assert_array_equal(anim.values[0], expected)
np.testing.assert_array_equal(anim.values, torch_grad[0].numpy())
assert anim.values.shape == (1, i, i)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# Nothing is lost or made up: each of the nine windows chooses one cell, and
# the routed gradients add up to the output gradients. Here some cells are
# chosen by more than one window.
assert hits.sum() == o * o
assert anim.values.sum() == g.sum()
assert (hits > 1).any()
np.testing.assert_array_equal(anim.values[0] != 0, hits > 0)
print("windows choosing each cell:\n", hits)

# %%
# One frame per output gradient, ringed where it lands. The text alternative
# follows the animation.
print(anim.alt_text)
anim.save_gif("max_pool_grad.gif")
anim.save_still("max_pool_grad.png")
