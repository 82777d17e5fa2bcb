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
from conv_explained import catalog

# %%
# A 3×4×4 input, 2×2 windows with stride 2: a 3×2×2 output block.
case = catalog.get("tensor_max_pool")
x = case.inputs()["x"]
anim = case.animate()
np.testing.assert_array_equal(
    anim.values, F.max_pool2d(torch.tensor(x[None], dtype=torch.float64), 2)[0].numpy()
)
assert anim.verification["passed"]
assert anim.values.shape == (3, *ce.pool_output_size((4, 4), 2))

# %%
# Pooling each channel alone gives the same block; each caption lists the
# four values of one channel's window.
for c in range(3):
    np.testing.assert_array_equal(ce.max_pool(x[c : c + 1], 2, ndim=2), anim.values[c : c + 1])
frame = anim.scenes[5]
assert frame.caption.startswith("out[1, 0, 1] = max(")
assert len(frame.terms) == 4
print(frame.caption)
print(anim.alt_text)
anim.save_gif("tensor_max_pool.gif")
anim.save_still("tensor_max_pool.png", frame=5)
