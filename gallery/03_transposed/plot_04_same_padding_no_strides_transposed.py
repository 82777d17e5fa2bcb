r"""
Same padding, no strides, transposed
====================================

The transpose of a 'same' convolution (3×3 kernel, padding 1, stride 1)
is again a 'same' convolution, with the kernel flipped: the 5×5 input
stays 5×5 and the direct form pads by :math:`k - 1 - p = p = 1`.
Relationship 10 of Dumoulin and Visin, :math:`o' = i'`.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case. Its input holds 1 to 3, never 0, so that no input cell
# can be mistaken for an inserted zero; the kernel is in ``conv_transpose2d``'s
# layout ``(C_in, C_out, k, k)``.
case = catalog.get("same_padding_no_strides_transposed")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
a = case.params.get("output_padding", 0)
i_prime, k = x.shape[0], w.shape[-1]
print(f"input {i_prime}×{i_prime}, kernel {k}×{k}, stride {s}, padding {p}, output_padding {a}")

# %%
# Sizes: the package's shape function, the general formula
# :math:`o' = s(i' - 1) + k - 2p + a`, and relationship 10. A convolution
# with the same options takes the output back to the input's size.
o_prime = ce.conv_transpose_output_size(i_prime, k, stride=s, padding=p, output_padding=a)
assert o_prime == s * (i_prime - 1) + k - 2 * p + a
assert o_prime == i_prime == 5
assert ce.conv_output_size(o_prime, k, stride=s, padding=p) == i_prime
print(f"output size: {o_prime}×{o_prime}")

# %%
# Values: ``conv_transpose2d`` in float64, and the direct recipe by hand with
# NumPy and SciPy: insert :math:`s - 1` zeros between input cells, pad with
# :math:`k - 1 - p` zeros (and :math:`a` more at the end), then slide the
# flipped kernel at stride 1, which is what ``convolve2d`` does.
anim = case.animate()
x64 = torch.tensor(x, dtype=torch.float64)[None, None]
w64 = torch.tensor(w, dtype=torch.float64)
expected = F.conv_transpose2d(x64, w64, stride=s, padding=p, output_padding=a)[0].numpy()
stretched = np.zeros((s * (i_prime - 1) + 1,) * 2, dtype=x.dtype)
stretched[::s, ::s] = x
q = k - 1 - p
direct_input = np.pad(stretched, (q, q + a))
direct = scipy.signal.convolve2d(direct_input, w[0, 0], mode="valid")
np.testing.assert_array_equal(anim.values, expected)
np.testing.assert_array_equal(anim.values[0], direct)
assert anim.values.shape == (1, o_prime, o_prime)
assert anim.verification["passed"]
print("input seen by the flipped kernel:\n", direct_input, "\noutput:\n", anim.values[0])

# %%
# Same padding is its own partner, so the transposed convolution is the
# forward correlation (``F.conv2d``) with the flipped kernel.
assert q == p == ce.same_padding(k)[0]
flipped = torch.flip(w64, dims=(-2, -1))
np.testing.assert_array_equal(anim.values, F.conv2d(x64, flipped, padding=p)[0].numpy())

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("same_padding_no_strides_transposed.gif")
anim.save_still("same_padding_no_strides_transposed.png")
