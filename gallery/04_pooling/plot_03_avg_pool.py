r"""
Average pooling, 2×2, stride 2
==============================

Average pooling replaces each window by the mean of its cells. With the
default stride (the window size) and no padding, it is a convolution in
disguise: one kernel whose :math:`k^2` weights all equal :math:`1/k^2`,
applied to each channel on its own with a stride equal to the window size.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case and its animation.
case = catalog.get("avg_pool")
anim = case.animate()
anim.save_gif("avg_pool.gif")
anim.save_still("avg_pool.png")
print(anim.alt_text)

# %%
# Sizes, as for max pooling.
x, k = case.inputs()["x"], case.params["kernel_size"]
o = ce.pool_output_size(x.shape[0], k)
print(f"window {k}, stride {k}: output {o}")

# %%
# The reshape with a mean, and the convolution in disguise: a correlation at
# stride :math:`k` with the constant kernel.
by_reshape = x.reshape(o, k, o, k).mean(axis=(1, 3))
box = np.full((k, k), 1 / k**2)
by_box = ce.correlate(x, box, stride=k)
print(by_box)

# %%
# The certificate compares both, the package's ``avg_pool`` and the
# animation with ``torch.nn.AvgPool2d``.
case.certify(anim, also={"numpy reshape and mean": by_reshape, "the box kernel": by_box})
