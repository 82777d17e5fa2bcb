r"""
Arbitrary padding, no strides
=============================

A 4×4 kernel slides over a 5×5 input padded by two cells of zeros on every
side. The padding is more than the kernel needs to stay the same size, so the
output (6×6) is larger than the input: relationship 2 of Dumoulin and Visin,
:math:`o = (i - k) + 2p + 1`. An even kernel has no centre cell, which is why
no symmetric padding could have kept the size here.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: input, kernel and options.
case = catalog.get("arbitrary_padding_no_strides")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
print(f"input {i}×{i}, kernel {k}×{k}, stride {s}, padding {p}")

# %%
# Sizes: the shape function, the general formula and relationship 2. With
# :math:`k = 4` the size is kept only by uneven padding (1 before, 2 after),
# which is what ``padding="same"`` chooses.
o = ce.conv_output_size(i, k, stride=s, padding=p)
assert o == (i + 2 * p - k) // s + 1 == (i - k) + 2 * p + 1 == 6
assert ce.same_padding(k) == (1, 2)
assert ce.conv_output_size(i, k, padding="same") == i
print(f"output size: {o}×{o}; padding='same' would need {ce.same_padding(k)}")

# %%
# Values: PyTorch in float64, and SciPy on the input padded by NumPy.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
expected = F.conv2d(x64, w64, stride=s, padding=p)[0].numpy()
padded = np.pad(x, p)
np.testing.assert_array_equal(anim.values, expected)
np.testing.assert_array_equal(anim.values[0], scipy.signal.correlate2d(padded, w, mode="valid"))
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation and its text alternative. At the corners the kernel covers
# mostly padding: only a 2×2 corner of the input lies under its 16 taps.
inside = np.pad(np.ones_like(x), p)  # 1 on input cells, 0 on padding
assert inside[:k, :k].sum() == (k - p) ** 2 == 4
print(anim.alt_text)
anim.save_gif("arbitrary_padding_no_strides.gif")
anim.save_still("arbitrary_padding_no_strides.png")
