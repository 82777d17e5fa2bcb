r"""
Two kernels, two output maps
============================

A layer rarely has one kernel. Each kernel spans all input channels and
produces one output map, so the number of kernels is the number of output
channels. Two kernels of 2×3×3 over two 4×4 maps give two output maps, computed
with the same formula as one kernel, once per output index :math:`i`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal

from conv_explained import catalog

# %%
# The catalog case: the animation runs through the first kernel's positions,
# then the second's. Its text alternative follows.
case = catalog.get("multi_kernel")
anim = case.animate()
anim.save_gif("multi_kernel.gif")
anim.save_still("multi_kernel.png")
print(anim.alt_text)

# %%
# The input ``(C_in, H, W)`` and the weight ``(C_out, C_in, k, k)``.
x, w = case.inputs()["x"], case.inputs()["weight"]
c_out, c_in, k = w.shape[0], w.shape[1], w.shape[-1]
print(f"input {x.shape}, weight {w.shape}: {w.size} weights in all")

# %%
# The ``einsum`` of the formula, and SciPy with one sum of per-channel
# correlations for each kernel.
windows = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))
formula = np.einsum("ljkmn,ilmn->ijk", windows, w)
scipy_maps = np.stack(
    [
        sum(scipy.signal.correlate2d(x[c], w[j, c], mode="valid") for c in range(c_in))
        for j in range(c_out)
    ]
)

# %%
# The certificate compares both, the package's ``correlate`` and the
# animation with ``torch.nn.Conv2d``.
case.certify(anim, also={"the einsum of the formula": formula, "scipy, per kernel": scipy_maps})
