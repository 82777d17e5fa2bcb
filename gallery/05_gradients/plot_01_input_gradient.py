r"""
Input gradient: a full convolution
==================================

The backward pass of a 3×3 correlation over a 5×5 input. Each input cell
took part in up to :math:`k^2` products, so its gradient gathers the output
gradients of those positions, each times the weight that met it. Written as
one operation, that is the output gradient padded fully (:math:`k - 1` zeros
per side) and correlated with the *flipped* kernel: a true convolution. A
layer that never flips its kernel going forward flips it going backward.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case: the flipped kernel slides over the padded output
# gradient, which counts up from one so each value can be followed. Its text
# alternative follows.
case = catalog.get("input_gradient")
anim = case.animate()
anim.save_gif("input_gradient.gif")
anim.save_still("input_gradient.png")
print(anim.alt_text)

# %%
# Sizes: full padding takes the output gradient back to the input's size,
# :math:`o + 2(k - 1) - k + 1 = o + k - 1 = i`, the transposed convolution's
# size.
x, w, g = (case.inputs()[name] for name in ("x", "weight", "grad_output"))
g, i, k = g[0], x.shape[0], w.shape[0]
print(
    f"{g.shape[0]}×{g.shape[0]} output gradient -> {i}×{i} input gradient; "
    f"transposed size {ce.conv_transpose_output_size(g.shape[0], k)}"
)

# %%
# SciPy's ``full`` convolution (which flips the kernel), the full correlation
# with the kernel flipped by hand, and the transposed convolution are the
# same operation.
by_convolve = scipy.signal.convolve2d(g, w, mode="full")
by_correlate = scipy.signal.correlate2d(np.pad(g, k - 1), w[::-1, ::-1], mode="valid")
by_transpose = ce.conv_transpose(g, w)
print(f"corner: {g[0, 0]} × {w[0, 0]} = {by_convolve[0, 0]}, one product only")
verify.compare(
    anim.values[0, 0, 0],
    g[0, 0] * w[0, 0],
    what="the corner of the input gradient",
    got_by="the animation",
    expected_by="numpy, one product",
)

# %%
# The certificate compares all three, the package's ``correlate_grad`` and
# the animation with autograd through ``torch.nn.Conv2d``.
case.certify(
    anim,
    also={
        "scipy.signal.convolve2d, mode='full'": by_convolve,
        "scipy.signal.correlate2d with the flipped kernel": by_correlate,
        "conv_explained.conv_transpose": by_transpose,
    },
)
