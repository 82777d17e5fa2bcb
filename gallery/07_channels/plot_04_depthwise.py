r"""
Depthwise convolution (groups = channels)
=========================================

``groups`` splits the channels into independent sets, each with its own
kernels. With as many groups as channels, each input map gets its own 3×3
kernel and its own output map, and channels never mix: a depthwise
convolution. It needs :math:`1/C` of the weights of a full convolution with
the same :math:`C` outputs. Followed by a 1×1 convolution to mix channels,
it forms the depthwise separable block of mobile networks.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation.
case = catalog.get("depthwise")
anim = case.animate()
anim.save_gif("depthwise.gif")
anim.save_still("depthwise.png")
print(anim.alt_text)

# %%
# One input channel per kernel: the weight's second axis is one.
x, w = case.inputs()["x"], case.inputs()["weight"]
c, k, groups = x.shape[0], w.shape[-1], case.params["groups"]
print(f"weight {w.shape}, groups={groups}: {w.size} weights, a full layer has {c * c * k * k}")
verify.check_rule(
    "a depthwise layer has 1/C of a full layer's weights",
    [(cc, kk) for cc in range(1, 9) for kk in (1, 2, 3, 5)],
    rule=lambda c: c[0] * c[0] * c[1] * c[1] // c[0],
    rule_by="1/C of C·C·k²",
    truth=lambda c: torch.nn.Conv2d(c[0], c[0], c[1], groups=c[0], bias=False).weight.numel(),
    truth_by="torch.nn.Conv2d(groups=C)",
    grid="C <= 8, k in 1, 2, 3, 5",
)

# %%
# Channels never mix: changing the first input map changes only the first
# output map.
changed = x.copy()
changed[0] += 1  # every cell of the first map
delta = ce.correlate(changed, w, groups=groups) - ce.correlate(x, w, groups=groups)
print("output maps that changed:", np.flatnonzero(np.abs(delta).sum(axis=(1, 2))))
verify.compare(
    np.flatnonzero(np.abs(delta).sum(axis=(1, 2))),
    [0],
    what="the output maps a change in the first input map reaches",
    got_by="conv_explained.correlate(groups=C)",
    expected_by="the first map only",
)

# %%
# SciPy: each map correlated with its own kernel, nothing summed across
# channels. The certificate compares it, the package and the animation with
# ``torch.nn.Conv2d(groups=...)``.
per_map = np.stack([scipy.signal.correlate2d(x[j], w[j, 0], mode="valid") for j in range(c)])
case.certify(anim, also={"scipy, one map at a time": per_map})
