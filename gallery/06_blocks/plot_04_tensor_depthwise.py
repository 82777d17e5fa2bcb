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
from conv_explained import catalog

# %%
# Two input channels, ``groups=2`` and four 1×3×3 filters: output channels 0
# and 1 read input channel 0, channels 2 and 3 read input channel 1.
case = catalog.get("tensor_depthwise")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
anim = case.animate()
reference = F.conv2d(
    torch.tensor(x[None], dtype=torch.float64),
    torch.tensor(w, dtype=torch.float64),
    groups=2,
)[0].numpy()
np.testing.assert_array_equal(anim.values, reference)
assert anim.verification["passed"]
assert anim.values.shape == (4, 2, 2)

# %%
# Each output channel is one 2-D correlation of one input channel.
for o in range(4):
    c = o // 2
    np.testing.assert_array_equal(ce.correlate(x[c : c + 1], w[o : o + 1])[0], anim.values[o])
assert all(len(s.terms) == 1 for s in anim.scenes if s.step is not None)
print(anim.scenes[8].caption)
print(anim.alt_text)
anim.save_gif("tensor_depthwise.gif")
anim.save_still("tensor_depthwise.png", frame=8)
