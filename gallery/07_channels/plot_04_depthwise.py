r"""
Depthwise convolution (groups = channels)
=========================================

``groups`` splits the channels into independent sets, each with its own
kernels. With as many groups as channels, each input map gets its own 3×3
kernel and its own output map, and channels never mix: a depthwise
convolution. It needs a third of the weights of a full convolution with the
same three outputs. Followed by a 1×1 convolution to mix channels, it forms
the depthwise separable block of mobile networks.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: three 4×4 maps, a ``(3, 1, 3, 3)`` weight (one input
# channel per kernel) and ``groups=3``.
case = catalog.get("depthwise")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
groups = case.params["groups"]
c, i = x.shape[0], x.shape[1]
k = w.shape[-1]
assert groups == c == w.shape[0]
assert w.shape[1] == c // groups == 1
full_layer_weights = c * c * k * k  # 3 kernels, each spanning all 3 channels
assert w.size == c * k * k == full_layer_weights // c == 27
o = ce.conv_output_size(i, k)
assert o == i - k + 1 == 2
print(f"{c} maps of {i}×{i}, groups={groups}: {c} maps of {o}×{o}")
print(f"{w.size} weights, where a full layer has {full_layer_weights}")

# %%
# Values: ``conv2d`` with ``groups`` in float64, and SciPy: each map
# correlated with its own kernel, nothing summed across channels.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None]
w64 = torch.tensor(w, dtype=torch.float64)
per_map = np.stack([scipy.signal.correlate2d(x[j], w[j, 0], mode="valid") for j in range(c)])
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, groups=groups)[0].numpy())
np.testing.assert_array_equal(anim.values, per_map)
assert anim.values.shape == (c, o, o)
assert anim.verification["passed"]
print(anim.values)

# %%
# Channels never mix: changing the first input map changes only the first
# output map.
changed = x64.clone()
changed[0, 0] += 1
delta = (F.conv2d(changed, w64, groups=groups) - F.conv2d(x64, w64, groups=groups))[0]
assert delta[0].abs().sum() > 0
assert (delta[1:] == 0).all()

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("depthwise.gif")
anim.save_still("depthwise.png")
