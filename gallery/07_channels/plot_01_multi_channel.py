r"""
Three input channels, one kernel
================================

A colour image or a stack of feature maps has several channels, and a kernel
then has one 3×3 slice per channel. At each position all :math:`C_{in} k^2`
products, over every channel, add into a single number, so three 4×4 input
maps give one output map. In the lecture notes' notation, whose indices
start at 1, :math:`Z_{i,j,k} = \sum_{l,m,n} V_{l,\,j+m-1,\,k+n-1} K_{i,l,m,n}`;
with the 0-based indices of the arrays below the :math:`-1` disappears.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

from conv_explained import catalog, verify

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

# %%
# The formula on a grid of channel counts, kernel counts, kernel and input
# sizes (random integers), against ``torch.nn.functional.conv2d``.


def layer(c):
    c_in, c_out, kk, n = c
    rng = np.random.default_rng(1000 * c_in + 100 * c_out + 10 * kk + n)
    return rng.integers(-5, 6, (c_in, n, n)), rng.integers(-3, 4, (c_out, c_in, kk, kk))


def by_formula(c):
    v, kernel = layer(c)
    view = np.lib.stride_tricks.sliding_window_view(v, kernel.shape[-2:], axis=(1, 2))
    return np.einsum("ljkmn,ilmn->ijk", view, kernel)


def by_torch(c):
    v, kernel = layer(c)
    vt = torch.tensor(v, dtype=torch.float64)[None]
    return torch.nn.functional.conv2d(vt, torch.tensor(kernel, dtype=torch.float64))[0].numpy()


verify.check_rule(
    "Z[i, j, k] = sum over l, m, n of V[l, j + m, k + n] K[i, l, m, n]",
    [(ci, co, kk, n) for ci in (1, 2, 3) for co in (1, 2) for kk in (1, 2, 3) for n in (3, 4, 6)],
    rule=by_formula,
    rule_by="the formula, with numpy.einsum",
    truth=by_torch,
    truth_by="torch.nn.functional.conv2d",
    grid="C_in <= 3, C_out <= 2, k <= 3, inputs 3, 4 or 6",
)
