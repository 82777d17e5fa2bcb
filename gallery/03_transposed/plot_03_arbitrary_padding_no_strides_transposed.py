r"""
Arbitrary padding, no strides, transposed
=========================================

The transpose of a 4×4 kernel over a 5×5 input padded by 2: a 6×6 input
comes back to 5×5. The direct form pads by :math:`k - 1 - p = 1` instead
of 2, so the more the forward convolution pads, the less its transpose
does. Relationship 9 of Dumoulin and Visin,
:math:`o' = i' + (k - 1) - 2p`.
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
case = catalog.get("arbitrary_padding_no_strides_transposed")
arrays = case.inputs()
x, w = arrays["x"], arrays["weight"]
s, p = case.params["stride"], case.params["padding"]
a = case.params.get("output_padding", 0)
i_prime, k = x.shape[0], w.shape[-1]
print(f"input {i_prime}×{i_prime}, kernel {k}×{k}, stride {s}, padding {p}, output_padding {a}")

# %%
# Sizes: the package's shape function, the general formula
# :math:`o' = s(i' - 1) + k - 2p + a`, and relationship 9. A convolution
# with the same options takes the output back to the input's size.
o_prime = ce.conv_transpose_output_size(i_prime, k, stride=s, padding=p, output_padding=a)
assert o_prime == s * (i_prime - 1) + k - 2 * p + a
assert o_prime == i_prime + (k - 1) - 2 * p == 5
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
# One cell of padding in the direct form, where the forward convolution had two.
assert q == 1
assert p == 2

# %%
# The animation and its text alternative.
print(anim.alt_text)
anim.save_gif("arbitrary_padding_no_strides_transposed.gif")
anim.save_still("arbitrary_padding_no_strides_transposed.png")
