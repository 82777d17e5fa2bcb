r"""
Groups: each filter sees only its group's channels
==================================================

With ``groups=2`` the four input channels split into two groups of two. Each
filter is a 2×3×3 block, and the window of a filter of the second group
sits on the last two channels only: the block is cut open to show it, the
channels in front drawn as a dashed outline. The caption sums over the
group's channels only.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case; the still is the first frame of the second group.
case = catalog.get("tensor_groups")
anim = case.animate()
second = anim.values[0].size
anim.save_gif("tensor_groups.gif")
anim.save_still("tensor_groups.png", frame=second)
print(anim.alt_text)
print(anim.scenes[second].caption)

# %%
# A grouped layer is independent layers side by side: each group's channels
# with that group's filters.
x, w = case.inputs()["x"], case.inputs()["weight"]
g = case.params["groups"]
c, f = x.shape[0] // g, w.shape[0] // g  # channels and filters per group
side_by_side = np.concatenate(
    [ce.correlate(x[n * c : (n + 1) * c], w[n * f : (n + 1) * f]) for n in range(g)]
)
print(f"groups {g}: {c} channels and {f} filters per group")

# %%
# The certificate compares the layers side by side, the package's grouped
# ``correlate`` and the animation with ``torch.nn.Conv2d(groups=...)``.
case.certify(anim, also={"one layer per group, side by side": side_by_side})
