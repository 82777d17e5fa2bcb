r"""
Dilation
========

A 3×3 kernel with dilation 2 has its taps one cell apart, so it spans 5×5
cells of the 7×7 input while keeping nine weights. Dilation widens what each
output sees without adding weights or shrinking the input by pooling.
Dumoulin and Visin's relationship 15 replaces :math:`k` by the effective size
:math:`\hat k = k + (k - 1)(d - 1)` in
:math:`o = \lfloor (i + 2p - \hat k)/s \rfloor + 1`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case and its animation (stride 1, no padding), with its text
# alternative.
case = catalog.get("dilation")
anim = case.animate()
anim.save_gif("dilation.gif")
anim.save_still("dilation.png")
print(anim.alt_text)

# %%
# Sizes: the effective kernel and relationship 15.
x, w = case.inputs()["x"], case.inputs()["weight"]
d = case.params["dilation"]
i, k = x.shape[0], w.shape[0]
k_hat = k + (k - 1) * (d - 1)
o = ce.conv_output_size(i, k, dilation=d)
print(f"effective kernel {k_hat}×{k_hat}, output {o}×{o} (relationship 15: {i - k_hat + 1})")

# %%
# The kernel spread out by hand, zeros between the taps, gives the same sums
# with SciPy; the certificate compares them, the package and the animation
# with ``torch.nn.Conv2d``.
spread = np.zeros((k_hat, k_hat), dtype=w.dtype)
spread[::d, ::d] = w
print("kernel with its holes:\n", spread)
by_scipy = scipy.signal.correlate2d(x, spread, mode="valid")
case.certify(anim, also={"scipy.signal.correlate2d with the spread kernel": by_scipy})
