r"""
Depthwise with a channel multiplier of 2
========================================

A depthwise convolution has ``groups = C_in``: every filter is a single
3×3 slice that sees one input channel. With a channel multiplier of 2 each
input channel gets two filters, so two input channels give four output
channels, and no output cell mixes channels (each caption has one term).
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained.render.tensor import tensor_view

# %%
# ``groups = C_in = 2``, ``C_out = 2 · 2``: weight ``(4, 1, 3, 3)``.
rng = np.random.default_rng(42)
x = rng.integers(0, 4, (2, 4, 4))
w = rng.integers(-1, 2, (4, 1, 3, 3))
anim = tensor_view("correlate", x, w, groups=2)
x64, w64 = torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, groups=2)[0].numpy())
assert anim.verification["passed"]

# %%
# Output channel ``o`` is input channel ``o // 2`` correlated with filter
# ``o``, a plain 2-D correlation.
for o in range(4):
    plain = ce.correlate(x[o // 2][None], w[o : o + 1])[0]
    np.testing.assert_array_equal(plain, anim.values[o])
assert all(len(f.partials) == 1 for f in anim.frames[:-1])
print(anim.frames[8].caption)
print(anim.alt_text)
anim.save_gif("tensor_depthwise.gif")
anim.save_still("tensor_depthwise.png", frame=8)
