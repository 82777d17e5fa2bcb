r"""
Padding and strides
===================

The most common layer setting for downsampling: a 3×3 kernel with padding 1
and stride 2. Over a 5×5 input it lands on 3×3 positions, so the output is
about half the input size. Relationship 6 of Dumoulin and Visin, the general
case, :math:`o = \lfloor (i + 2p - k)/s \rfloor + 1`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case and its animation, with its text alternative.
case = catalog.get("padding_strides")
anim = case.animate()
anim.save_gif("padding_strides.gif")
anim.save_still("padding_strides.png")
print(anim.alt_text)

# %%
# Sizes: the shape function and relationship 6. With this padding and stride
# the output is :math:`\lceil i/2 \rceil`.
x, w = case.inputs()["x"], case.inputs()["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
o = ce.conv_output_size(i, k, stride=s, padding=p)
print(f"output {o}; relationship 6: {(i + 2 * p - k) // s + 1}; ceil(i/2) = {-(-i // 2)}")

# %%
# SciPy over the NumPy-padded input at stride 1, keeping every second row and
# column; the certificate compares it, the package and the animation with
# ``torch.nn.Conv2d``.
every_position = scipy.signal.correlate2d(np.pad(x, p), w, mode="valid")
case.certify(anim, also={"scipy.signal.correlate2d, every s-th": every_position[::s, ::s]})
