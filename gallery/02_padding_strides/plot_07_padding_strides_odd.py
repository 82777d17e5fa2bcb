r"""
Padding and strides, odd
========================

The same kernel, padding and stride as the previous example, over a 6×6 input.
The output has the same size again: the kernel's last position ends one cell before the
padded edge, so the last row and column of padding are never read. Because
the floor in :math:`o = \lfloor (i + 2p - k)/s \rfloor + 1` throws that cell
away, a 5×5 and a 6×6 input give the same output size, and a transposed
convolution cannot tell which one to give back without being told
(``output_padding``).
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation, with its text alternative.
case = catalog.get("padding_strides_odd")
anim = case.animate()
anim.save_gif("padding_strides_odd.gif")
anim.save_still("padding_strides_odd.png")
print(anim.alt_text)

# %%
# The floor drops a remainder, and an input one smaller lands on the same
# output size. The last padded row the kernel reads is one before the edge.
x, w = case.inputs()["x"], case.inputs()["weight"]
s, p = case.params["stride"], case.params["padding"]
i, k = x.shape[0], w.shape[0]
o = ce.conv_output_size(i, k, stride=s, padding=p)
print(f"i = {i}: output {o}, remainder {(i + 2 * p - k) % s}")
print(f"i = {i - 1}: output {ce.conv_output_size(i - 1, k, stride=s, padding=p)}")
print(f"padded rows 0..{i + 2 * p - 1}, the last one read is {(o - 1) * s + k - 1}")

# %%
# The same for every even input size, against PyTorch: an even input and the
# odd one below it give the same output size with this kernel, padding and
# stride.


def torch_size(i):
    x, weight = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv1d(x, weight, stride=s, padding=p).shape[-1]


verify.check_rule(
    "an even input and the odd one below it share their output size",
    range(2, 33, 2),
    rule=lambda n: ce.conv_output_size(n, k, stride=s, padding=p),
    rule_by="conv_explained.conv_output_size(i)",
    truth=lambda n: torch_size(n - 1),
    truth_by="torch.nn.functional.conv1d on i - 1 cells",
    grid="even i <= 32",
)

# %%
# So dropping the unread last row and column of padding changes nothing:
# SciPy over the cropped padded input, every second position. The certificate
# compares it, the package and the animation with ``torch.nn.Conv2d``.
cropped = np.pad(x, p)[:-1, :-1]
by_scipy = scipy.signal.correlate2d(cropped, w, mode="valid")[::s, ::s]
case.certify(anim, also={"scipy.signal.correlate2d without the unread edge": by_scipy})
