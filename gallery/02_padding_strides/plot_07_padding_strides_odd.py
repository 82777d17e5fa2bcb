r"""
Padding and strides, odd
========================

The same kernel, padding and stride as the previous example, over a 6×6 input.
The output is 3×3 again: the kernel's last position ends one cell before the
padded edge, so the last row and column of padding are never read. Because
the floor in :math:`o = \lfloor (i + 2p - k)/s \rfloor + 1` throws that cell
away, a 5×5 and a 6×6 input give the same output size, and a transposed
convolution cannot tell which one to give back without being told
(``output_padding``).
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
case = catalog.get("padding_strides_odd")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
print(f"input {i}×{i}, kernel {k}×{k}, stride {s}, padding {p}")

# %%
# Sizes: the formula's floor drops a remainder of 1, and the 5×5 input of the
# previous example lands on the same output size.
o = ce.conv_output_size(i, k, stride=s, padding=p)
assert o == (i + 2 * p - k) // s + 1 == 3
assert (i + 2 * p - k) % s == 1
assert ce.conv_output_size(i - 1, k, stride=s, padding=p) == o
last_read = (o - 1) * s + k - 1  # index, in the padded input, of the last row read
assert last_read == i + 2 * p - 2
print(f"output size: {o}×{o}; padded rows 0..{i + 2 * p - 1}, the last read is {last_read}")

# %%
# Values: PyTorch in float64, and SciPy over the padded input. Dropping the
# unread last row and column of padding changes nothing.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
padded = np.pad(x, p)
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, stride=s, padding=p)[0].numpy())
np.testing.assert_array_equal(
    anim.values[0], scipy.signal.correlate2d(padded, w, mode="valid")[::s, ::s]
)
np.testing.assert_array_equal(
    anim.values[0], scipy.signal.correlate2d(padded[:-1, :-1], w, mode="valid")[::s, ::s]
)
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("padding_strides_odd.gif")
anim.save_still("padding_strides_odd.png")
