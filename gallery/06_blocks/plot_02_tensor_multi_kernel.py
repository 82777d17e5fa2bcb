r"""
One output channel per filter
=============================

With two filters, each a 3×3×3 block spanning all three input channels, the
layer writes an output block with one channel per filter: the first filter
fills the first output channel, then the second filter the second. The
filter in use is framed; the other is drawn faded with dashed cells.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case; the still is the first frame of the second filter.
case = catalog.get("tensor_multi_kernel")
anim = case.animate()
x, w = case.inputs()["x"], case.inputs()["weight"]
second = anim.values[0].size  # frames of the first filter
anim.save_gif("tensor_multi_kernel.gif")
anim.save_still("tensor_multi_kernel.png", frame=second)
print(anim.alt_text)
print(anim.scenes[second].caption)

# %%
# Output channel ``o`` is the layer with filter ``o`` alone: stack them.
one_at_a_time = np.concatenate([ce.correlate(x, w[o : o + 1]) for o in range(w.shape[0])])
print(f"input {x.shape}, filters {w.shape}, output {one_at_a_time.shape}")

# %%
# The certificate compares the stacked single-filter layers, the package's
# ``correlate`` and the animation with ``torch.nn.Conv2d``.
case.certify(anim, also={"one filter at a time, stacked": one_at_a_time})
