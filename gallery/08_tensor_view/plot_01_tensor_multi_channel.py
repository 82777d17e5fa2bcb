r"""
One filter spans every input channel
====================================

A filter of a ``conv2d`` layer is not a 3×3 square but a 3×3×3 block: one
3×3 slice per input channel. Placed at a window, it covers the same 3×3
patch of all three channels, and its 27 products add into one output cell.
The caption splits that sum by channel, ``s₀ + s₁ + s₂``, so each frame shows
how much each channel contributes.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained.render.tensor import tensor_view

# %%
# Three 4×4 input channels and one 3×3×3 filter: a 1×2×2 output block.
rng = np.random.default_rng(12)
x = rng.integers(0, 4, (3, 4, 4))
w = rng.integers(-1, 2, (1, 3, 3, 3))
anim = tensor_view("correlate", x, w)
reference = F.conv2d(
    torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
)
np.testing.assert_array_equal(anim.values, reference[0].numpy())
np.testing.assert_array_equal(anim.values, ce.correlate(x, w))
assert anim.verification["passed"]
assert anim.values.shape == (1, 2, 2)

# %%
# Each output cell is the sum of three per-channel correlations; the caption
# of the first frame lists them.
per_channel = [ce.correlate(x[c : c + 1], w[:, c : c + 1])[0] for c in range(3)]
np.testing.assert_array_equal(sum(per_channel), anim.values[0])
first = anim.frames[0]
assert first.partials == tuple(int(p[0, 0]) for p in per_channel)
print(first.caption)
print(anim.alt_text)
anim.save_gif("tensor_multi_channel.gif")
anim.save_still("tensor_multi_channel.png", frame=0)
