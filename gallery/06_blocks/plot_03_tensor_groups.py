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
from conv_explained import catalog

# %%
# Four input channels, ``groups=2``: two filters of 2×3×3, one per group.
case = catalog.get("tensor_groups")
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

# %%
# A grouped layer is two independent layers side by side: channels 0-1 with
# filter 0, channels 2-3 with filter 1.
np.testing.assert_array_equal(ce.correlate(x[:2], w[:1])[0], anim.values[0])
np.testing.assert_array_equal(ce.correlate(x[2:], w[1:])[0], anim.values[1])
frame = anim.scenes[4]
assert "Σ_c∈{2,3}" in frame.caption
assert len(frame.terms) == 2
print(frame.caption)
print(anim.alt_text)
anim.save_gif("tensor_groups.gif")
anim.save_still("tensor_groups.png", frame=4)
