r"""
A 1-D signal
============

In one dimension the kernel is a short row of taps sliding along a sequence:
audio samples, sensor readings, characters of text. Here a 3-tap kernel moves
along 10 samples, with one zero of padding at each end so that the output
keeps the length of the input. This is ``conv1d``, and the sizes follow the
same formula as in 2-D, along the single axis.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case: a signal of 10 samples and a 3-tap kernel.
case = catalog.get("signal_1d")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
p = case.params["padding"]
s = 1
i, k = x.size, w.size
print("signal:", x, " kernel:", w)

# %%
# Sizes: the shape function and the formula; padding 1 keeps the length.
o = ce.conv_output_size(i, k, stride=s, padding=p)
assert o == (i + 2 * p - k) // s + 1 == i == 10
assert ce.same_padding(k) == (p, p)
print(f"output length {o}")

# %%
# Values: ``conv1d`` in float64, and NumPy twice: ``np.correlate`` of the
# padded signal, and ``np.convolve`` with the kernel reversed (NumPy's
# convolution flips it back).
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
padded = np.pad(x, p)
np.testing.assert_array_equal(anim.values, F.conv1d(x64, w64, padding=p)[0].numpy())
np.testing.assert_array_equal(anim.values[0], np.correlate(padded, w, mode="valid"))
np.testing.assert_array_equal(anim.values[0], np.convolve(padded, w[::-1], mode="valid"))
assert anim.values.shape == (1, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("signal_1d.gif")
anim.save_still("signal_1d.png")
