r"""
No padding, strides
===================

A 3×3 kernel moves over a 5×5 input two cells at a time, without padding. The
stride skips every other position, so the work and the output shrink together:
2×2 outputs instead of 3×3. Relationship 5 of Dumoulin and Visin,
:math:`o = \lfloor (i - k)/s \rfloor + 1`.
"""

# sphinx_gallery_thumbnail_number = 1
import scipy.signal

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case and its animation, with its text alternative.
case = catalog.get("no_padding_strides")
anim = case.animate()
anim.save_gif("no_padding_strides.gif")
anim.save_still("no_padding_strides.png")
print(anim.alt_text)

# %%
# Sizes with and without the stride: relationship 5 and the shape function.
x, w = case.inputs()["x"], case.inputs()["weight"]
s = case.params["stride"]
i, k = x.shape[0], w.shape[0]
print(f"stride {s}: {ce.conv_output_size(i, k, stride=s)} (relationship 5: {(i - k) // s + 1})")
print(f"stride 1: {ce.conv_output_size(i, k)}")

# %%
# A strided convolution computes exactly the entries of the stride-1 result
# at every ``s``-th row and column, and only those. The certificate compares
# them, the package and the animation with ``torch.nn.Conv2d``.
every_position = scipy.signal.correlate2d(x, w, mode="valid")
print("stride 1:\n", every_position, "\nkept:\n", every_position[::s, ::s])
case.certify(anim, also={"scipy.signal.correlate2d, every s-th": every_position[::s, ::s]})
