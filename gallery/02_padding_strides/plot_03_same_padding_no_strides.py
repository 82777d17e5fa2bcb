r"""
Same padding, no strides
========================

A 3×3 kernel slides over a 5×5 input with one cell of zero padding on every
side, one cell at a time. The padding lets the kernel centre visit every input
cell, so the output is 5×5, the size of the input (Dumoulin and Visin's
relationship 3: for an odd kernel and :math:`p = \lfloor k/2 \rfloor`,
:math:`o = i`).
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
case = catalog.get("same_padding_no_strides")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
print(f"input {i}×{i}, kernel {k}×{k}, stride {s}, padding {p}")

# %%
# The sizes first: the padding ``"same"`` asks for, the general formula and
# relationship 3.
assert ce.same_padding(k) == (p, p) == (k // 2, k // 2)
o = ce.conv_output_size(i, k, stride=s, padding=p)
assert o == ce.conv_output_size(i, k, padding="same")
assert o == (i + 2 * p - k) // s + 1 == i == 5
print(f"output size: {o}×{o}")

# %%
# The values, against PyTorch (once with the explicit padding, once with its
# own ``padding="same"``) and against SciPy's ``same`` mode, which pads with
# zeros and keeps the centre of the full correlation.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, padding=p)[0].numpy())
np.testing.assert_array_equal(anim.values, F.conv2d(x64, w64, padding="same")[0].numpy())
np.testing.assert_array_equal(anim.values[0], scipy.signal.correlate2d(x, w, mode="same"))
assert anim.values.shape == (1, o, o)
assert anim.verification["passed"]
print(anim.values[0])

# %%
# The animation: the padding cells are drawn apart from the input cells, and
# each output cell shows the sum it came from. Its text alternative follows.
print(anim.alt_text)
anim.save_gif("same_padding_no_strides.gif")
anim.save_still("same_padding_no_strides.png")
