r"""
Input gradient of a strided correlation
=======================================

With stride 2 the forward kernel skipped every other position, and the
backward pass has to put those positions back: the output gradient gets a
zero between neighbours before the full correlation with the flipped kernel
(a full convolution with the kernel).
This is the transposed convolution with the forward layer's stride, here
taking a 2×2 output gradient back to the 5×5 input.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation.
case = catalog.get("input_gradient_strided")
anim = case.animate()
anim.save_gif("input_gradient_strided.gif")
anim.save_still("input_gradient_strided.png")
print(anim.alt_text)

# %%
# Sizes: :math:`s - 1` zeros between neighbours make the gradient
# :math:`s(o - 1) + 1` cells wide, and full padding brings it to the input
# size. (The forward pass used every input row here; if the floor in the
# size formula had dropped one, ``output_padding`` would add it back.)
x, w, g = (case.inputs()[name] for name in ("x", "weight", "grad_output"))
g, s, i, k = g[0], case.params["stride"], x.shape[0], w.shape[0]
o = g.shape[0]
stretched = np.zeros((s * (o - 1) + 1,) * 2, dtype=g.dtype)
stretched[::s, ::s] = g
print("output gradient with zeros inserted:\n", stretched)
print(f"{stretched.shape[0]} + {k} - 1 = {stretched.shape[0] + k - 1}; unused rows {(i - k) % s}")
verify.check_rule(
    "the forward pass used every input row, so full padding alone gives the input size",
    ["unused rows", "size"],
    rule=lambda c: {"unused rows": 0, "size": i}[c],
    rule_by="the lesson",
    truth=lambda c: {"unused rows": (i - k) % s, "size": stretched.shape[0] + k - 1}[c],
    truth_by="the floor's remainder and the stretched size",
    grid="this case",
)

# %%
# SciPy's ``full`` convolution of the stretched gradient, and the transposed
# convolution with the forward stride.
by_convolve = scipy.signal.convolve2d(stretched, w, mode="full")
by_transpose = ce.conv_transpose(g, w, stride=s)
print(by_convolve)

# %%
# The certificate compares both, the package's ``correlate_grad`` and the
# animation with autograd through a strided ``torch.nn.Conv2d``.
case.certify(
    anim,
    also={
        "scipy.signal.convolve2d of the stretched gradient": by_convolve,
        "conv_explained.conv_transpose": by_transpose,
    },
)
