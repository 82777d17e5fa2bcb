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
from conv_explained.render.tensor import tensor_view

# %%
# Weight ``(C_out, C_in, k, k) = (2, 3, 3, 3)``: a 2×2×2 output block.
rng = np.random.default_rng(21)
x = rng.integers(0, 4, (3, 4, 4))
w = rng.integers(-1, 2, (2, 3, 3, 3))
anim = tensor_view("correlate", x, w)
reference = F.conv2d(
    torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
)
np.testing.assert_array_equal(anim.values, reference[0].numpy())
assert anim.verification["passed"]
assert anim.values.shape == (2, *ce.conv_output_size((4, 4), 3))

# %%
# Output channel ``o`` comes from filter ``o`` alone: correlating with one
# filter at a time gives the channels one by one.
for o in range(2):
    np.testing.assert_array_equal(ce.correlate(x, w[o : o + 1])[0], anim.values[o])
assert [f.lit[0] for f in anim.frames[:-1]] == [0] * 4 + [1] * 4
print(anim.frames[4].caption)
print(anim.alt_text)
anim.save_gif("tensor_multi_kernel.gif")
anim.save_still("tensor_multi_kernel.png", frame=4)
