r"""
Groups: each filter sees only its group's channels
==================================================

With ``groups=2`` the four input channels split into two groups of two. Each
filter is a 2×3×3 block, and the window of a filter of group 1 sits on
channels 2 and 3 only: the block is cut open to show it, the channels in
front drawn as a dashed outline. The caption sums over the group's channels,
``Σ_c∈{2,3}``.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained.render.tensor import tensor_view

# %%
# ``(C_in, C_out, groups) = (4, 2, 2)``: weight ``(2, 4 / 2, 3, 3)``.
rng = np.random.default_rng(32)
x = rng.integers(0, 4, (4, 4, 4))
w = rng.integers(-1, 2, (2, 2, 3, 3))
anim = tensor_view("correlate", x, w, groups=2)
x64, w64 = torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, groups=2)[0].numpy())
assert anim.verification["passed"]

# %%
# The grouped layer is two separate layers side by side: group ``g`` takes
# channels ``2g, 2g+1`` and its own filter.
for g in range(2):
    alone = ce.correlate(x[2 * g : 2 * g + 2], w[g : g + 1])
    np.testing.assert_array_equal(alone, anim.values[g : g + 1])
group1 = [f for f in anim.frames[:-1] if f.lit[0] == 1]
assert all(f.window_channels == (2, 3) for f in group1)
print(group1[0].caption)
print(anim.alt_text)
anim.save_gif("tensor_groups.gif")
anim.save_still("tensor_groups.png", frame=anim.frames.index(group1[0]))
