r"""
Padding, strides and dilation together
======================================

A 3×3 kernel with dilation 2 (its taps one cell apart, spanning 5×5 cells)
moves with stride 2 over a 7×7 input padded by 2. The output size follows
:math:`o = \lfloor (i + 2p - d(k-1) - 1)/s \rfloor + 1 = \lfloor (7 + 4 - 4 -
1)/2 \rfloor + 1 = 4`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import render

# %%
# Sizes and values, checked against PyTorch.
i, k, s, p, d = 7, 3, 2, 2, 2
o = ce.conv_output_size(i, k, stride=s, padding=p, dilation=d)
assert o == (i + 2 * p - d * (k - 1) - 1) // s + 1 == 4
x = (np.arange(i * i).reshape(i, i) * 7) % 10
w = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
options = {"stride": s, "padding": p, "dilation": d}
out = ce.correlate(x[None], w[None, None], **options)[0]
torch_out = F.conv2d(torch.tensor(x[None, None]), torch.tensor(w[None, None]), **options)
np.testing.assert_array_equal(out, torch_out[0, 0])
assert out.shape == (o, o)
print(out)

# %%
# The animation. With dilation the kernel's footprint has holes: only every
# other cell under it is multiplied. Its text alternative is printed below it.
anim = render.animate("correlate", x, w, **options, mac=True)
assert anim.verification["passed"]
np.testing.assert_array_equal(anim.values[0], out)
print(anim.alt_text)
anim.save_gif("padding_strides_dilation.gif")
anim.save_still("padding_strides_dilation.png")
