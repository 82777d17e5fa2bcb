r"""
One output channel per filter
=============================

With two filters, each a 3×3×3 block spanning all three input channels, the
layer writes a 2-channel output block: filter 0 fills output channel 0, then
filter 1 fills output channel 1. The filter in use is framed; the other is
drawn faded with dashed cells.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# Two 3×3×3 filters over a 3×4×4 input: a 2×2×2 output block, one channel per
# filter.
case = catalog.get("tensor_multi_kernel")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
anim = case.animate()
reference = F.conv2d(
    torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
)[0].numpy()
np.testing.assert_array_equal(anim.values, reference)
assert anim.verification["passed"]
assert anim.values.shape == (2, 2, 2)

# %%
# Output channel ``o`` is the layer with filter ``o`` alone.
for o in range(2):
    np.testing.assert_array_equal(ce.correlate(x, w[o : o + 1])[0], anim.values[o])
frame = anim.scenes[4]  # the first frame of filter 1
assert frame.caption.startswith("out[1, 0, 0]")
print(frame.caption)
print(anim.alt_text)
anim.save_gif("tensor_multi_kernel.gif")
anim.save_still("tensor_multi_kernel.png", frame=4)
