r"""
Checkerboard: uneven overlap
============================

With a 3×3 kernel and stride 2, the stamps of a transposed convolution
overlap on every other row and column only. Feed it an all-ones input and an
all-ones kernel and the output simply counts the stamps covering each cell:
1, 2 or 4, in a checkerboard pattern. A trained upsampling layer inherits the
same uneven pattern, the "checkerboard artifacts" of generated images. The
same numbers are shown twice: as scatter, and as a direct convolution over
the zero-inserted input, where the kernel covers 1, 2 or 4 real input cells.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The two catalog cases: the same all-ones input and kernel, stride 2.
scatter_case = catalog.get("checkerboard_scatter")
direct_case = catalog.get("checkerboard_direct")
arrays = scatter_case.inputs()
x, w = arrays["x"], arrays["weight"]
for name, value in direct_case.inputs().items():
    np.testing.assert_array_equal(value, arrays[name])
assert scatter_case.params == direct_case.params
s = scatter_case.params["stride"]
i_prime, k = x.shape[0], w.shape[0]
assert (x == 1).all()
assert (w == 1).all()
o_prime = ce.conv_transpose_output_size(i_prime, k, stride=s)
assert o_prime == s * (i_prime - 1) + k == 7
print(f"{i_prime}×{i_prime} ones, {k}×{k} ones, stride {s}: output {o_prime}×{o_prime}")

# %%
# The expected counts from NumPy: along one axis, the stretched input
# (ones with a zero between) convolved with the kernel's row of ones; in 2-D,
# the outer product of those counts. PyTorch agrees, and so do both
# animations.
stretched = np.zeros(s * (i_prime - 1) + 1, dtype=int)
stretched[::s] = 1
counts = np.convolve(stretched, np.ones(k, dtype=int))
np.testing.assert_array_equal(counts, [1, 1, 2, 1, 2, 1, 1])
expected = np.outer(counts, counts)

scatter = scatter_case.animate()
direct = direct_case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)[None, None]
torch_out = F.conv_transpose2d(x64, w64, stride=s)[0].numpy()
for anim in (scatter, direct):
    np.testing.assert_array_equal(anim.values[0], expected)
    np.testing.assert_array_equal(anim.values, torch_out)
    assert anim.verification["passed"]
assert set(np.unique(expected)) == {1, 2, 4}
print(expected)

# %%
# The cause is that 3 is not a multiple of 2. With a 4-tap kernel every
# inner cell is covered by exactly :math:`k/s = 2` stamps; the uneven
# overlap is left only at the borders. `Deconvolution and checkerboard
# artifacts <https://distill.pub/2016/deconv-checkerboard/>`_ (Odena,
# Dumoulin and Olah) discusses this and other remedies, such as resizing the
# image and then applying an ordinary convolution.
assert k % s != 0
k_even = 4
even = np.convolve(stretched, np.ones(k_even, dtype=int))
assert (even[k_even - s : -(k_even - s)] == k_even // s).all()
print("k = 3:", counts, " k = 4:", even)

# %%
# As scatter: nine stamps, overlapping on the even rows and columns.
print(scatter.alt_text)
scatter.save_gif("checkerboard_scatter.gif")
scatter.save_still("checkerboard_scatter.png")

# %%
# As a direct convolution over the input with zeros inserted: the flipped
# kernel covers 1, 2 or 4 ones, depending on where it stands.
print(direct.alt_text)
direct.save_gif("checkerboard_direct.gif")
direct.save_still("checkerboard_direct.png")
