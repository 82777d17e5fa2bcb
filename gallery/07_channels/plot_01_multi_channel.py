r"""
Three input channels, one kernel
================================

A colour image or a stack of feature maps has several channels, and a kernel
then has one 3×3 slice per channel. At each position all :math:`C_{in} k^2`
products, over every channel, add into a single number, so three 4×4 input
maps give one 2×2 output map. In the lecture notes' notation, whose indices
start at 1, :math:`Z_{i,j,k} = \sum_{l,m,n} V_{l,\,j+m-1,\,k+n-1} K_{i,l,m,n}`;
with the 0-based indices of the arrays below the :math:`-1` disappears.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal

from conv_explained import catalog

# %%
# The catalog case: the animation shows the input maps and kernel slices side
# by side; its text alternative follows.
case = catalog.get("multi_channel")
anim = case.animate()
anim.save_gif("multi_channel.gif")
anim.save_still("multi_channel.png")
print(anim.alt_text)

# %%
# The input ``(C_in, H, W)`` and the kernel ``(C_out, C_in, k, k)``.
x, w = case.inputs()["x"], case.inputs()["weight"]
k = w.shape[-1]
print(f"input {x.shape}, kernel {w.shape}: {w[0].size} products per output cell")

# %%
# The formula above with NumPy (every window of every channel, then one
# ``einsum``), and SciPy, one 2-D correlation per channel, summed.
windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))  # V[l, j+m, k+n]
formula = np.einsum("ljkmn,ilmn->ijk", windows, w)
per_channel = sum(scipy.signal.correlate2d(x[c], w[0, c], mode="valid") for c in range(x.shape[0]))
print(formula)

# %%
# The certificate compares both, the package's ``correlate`` and the
# animation with ``torch.nn.Conv2d``.
case.certify(anim, also={"the einsum of the formula": formula, "scipy, per channel": per_channel})
