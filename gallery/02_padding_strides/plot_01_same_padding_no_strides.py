r"""
Same padding, no strides
========================

A 3×3 kernel slides over a 5×5 input with one cell of zero padding on every
side, one cell at a time. The padding lets the kernel centre visit every input
cell, so the output is 5×5, the size of the input (Dumoulin and Visin's
relationship 3: for an odd kernel and :math:`p = \lfloor k/2 \rfloor`,
:math:`o = i`).
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import render

# %%
# The sizes first, from the shape functions and from a real PyTorch output.
i, k, p = 5, 3, 1
assert ce.same_padding(k) == (p, p)
o = ce.conv_output_size(i, k, padding="same")
assert o == ce.conv_output_size(i, k, padding=p) == i
x = np.arange(i * i).reshape(i, i) % 4
w = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])  # a Laplacian: symmetric, flip-proof
out = ce.correlate(x[None], w[None, None], padding="same")[0]
torch_out = F.conv2d(torch.tensor(x[None, None]), torch.tensor(w[None, None]), padding=p)
np.testing.assert_array_equal(out, torch_out[0, 0])
assert out.shape == (o, o)
print(f"input {x.shape}, kernel {w.shape}, padding {p}: output {out.shape}\n{out}")

# %%
# The animation: the padding cells are drawn apart from the input cells, and
# each output cell shows the sum it came from.
anim = render.animate("correlate", x, w, padding="same", mac=True)
assert anim.verification["passed"]
np.testing.assert_array_equal(anim.values[0], out)
anim.save_gif("same_padding_no_strides.gif")
anim.save_still("same_padding_no_strides.png")
