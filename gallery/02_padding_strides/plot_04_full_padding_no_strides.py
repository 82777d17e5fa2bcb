r"""
Full padding, no strides
========================

With :math:`p = k - 1` cells of zero padding, a 3×3 kernel visits every
position where it overlaps the 5×5 input by at least one cell, including the
corners where only one tap touches it. The output grows to 7×7:
relationship 4 of Dumoulin and Visin, :math:`o = i + (k - 1)`. This is the
``full`` mode of signal processing, and the size the backward pass of a
no-padding convolution needs.
"""

# sphinx_gallery_thumbnail_number = 1
import scipy.signal

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case and its animation, with its text alternative.
case = catalog.get("full_padding_no_strides")
anim = case.animate()
anim.save_gif("full_padding_no_strides.gif")
anim.save_still("full_padding_no_strides.png")
print(anim.alt_text)

# %%
# Full padding is :math:`k - 1` per side, and the output grows by
# :math:`k - 1`.
x, w = case.inputs()["x"], case.inputs()["weight"]
i, k = x.shape[0], w.shape[0]
print(f"full padding for k = {k}: {ce.full_padding(k)}; the case pads {case.params['padding']}")
print(f"output size: {ce.conv_output_size(i, k, padding='full')}")

# %%
# Each corner output is a single product: the kernel's opposite corner tap
# times the input's corner cell.
print(f"corner: {w[-1, -1]} × {x[0, 0]} = {anim.values[0, 0, 0]}")

# %%
# SciPy's ``full`` correlation needs no padding from us; the certificate
# compares it, the package and the animation with ``torch.nn.Conv2d``.
by_scipy = scipy.signal.correlate2d(x, w, mode="full")
case.certify(anim, also={"scipy.signal.correlate2d, mode='full'": by_scipy})
