r"""
Pooling acts on each channel on its own
=======================================

Max pooling has no filter block spanning channels: its 2×2 window moves
through one channel at a time and writes the same channel of the output.
Three input channels give three output channels, each the maximum of its
own windows.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained.render.tensor import tensor_view

# %%
# A 3×4×4 input, 2×2 windows with stride 2: a 3×2×2 output block.
rng = np.random.default_rng(72)
x = rng.integers(0, 9, (3, 4, 4))
anim = tensor_view("max-pool", x, 2)
np.testing.assert_array_equal(
    anim.values, F.max_pool2d(torch.tensor(x[None], dtype=torch.float64), 2)[0].numpy()
)
assert anim.verification["passed"]
assert anim.values.shape == (3, *ce.pool_output_size((4, 4), 2))

# %%
# Pooling each channel alone gives the same block.
for c in range(3):
    np.testing.assert_array_equal(ce.max_pool(x[c : c + 1], 2, ndim=2), anim.values[c : c + 1])
assert all(f.window_channels == (f.lit[0],) for f in anim.frames[:-1])
print(anim.frames[5].caption)
print(anim.alt_text)
anim.save_gif("tensor_max_pool.gif")
anim.save_still("tensor_max_pool.png", frame=5)
