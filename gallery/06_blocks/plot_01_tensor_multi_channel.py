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
from conv_explained import catalog

# %%
# The catalog case: a 3×4×4 input block and one 3×3×3 filter give a 1×2×2
# output block. ``view="tensor"`` is one option of :func:`conv_explained.render.animate`.
case = catalog.get("tensor_multi_channel")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
anim = case.animate()
reference = F.conv2d(
    torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
)
np.testing.assert_array_equal(anim.values, reference[0].numpy())
np.testing.assert_array_equal(anim.values, ce.correlate(x, w))
assert anim.verification["passed"]
assert anim.values.shape == (1, 2, 2)

# %%
# Each output cell is the sum of three per-channel correlations (SciPy-free:
# torch, one channel at a time); the caption of the first frame lists them.
per_channel = [
    F.conv2d(
        torch.tensor(x[None, c : c + 1], dtype=torch.float64),
        torch.tensor(w[:, c : c + 1], dtype=torch.float64),
    )[0, 0].numpy()
    for c in range(3)
]
np.testing.assert_array_equal(sum(per_channel), anim.values[0])
first = anim.scenes[0]
assert first.terms == tuple(ce.render.format_value(p[0, 0]) for p in per_channel)
assert first.caption.endswith(" = " + ce.render.format_value(anim.values[0, 0, 0]))
print(first.caption)
print(anim.alt_text)
anim.save_gif("tensor_multi_channel.gif")
anim.save_still("tensor_multi_channel.png", frame=0)
