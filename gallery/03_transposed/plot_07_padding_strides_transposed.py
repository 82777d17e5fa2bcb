r"""
Padding and strides, transposed
===============================

The transpose of the usual downsampling layer (3×3 kernel, padding 1,
stride 2) takes a 3×3 input back to 5×5: zeros between the input cells,
:math:`k - 1 - p` cells of padding, then the flipped kernel.
Relationship 13 of Dumoulin and Visin, :math:`o' = s(i' - 1) + k - 2p`.
It is called *transposed* because it multiplies by the transpose of the
forward convolution's matrix; some papers call it a deconvolution, a name
better left alone, since it does not undo the convolution.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case and its animation.
case = catalog.get("padding_strides_transposed")
anim = case.animate()
anim.save_gif("padding_strides_transposed.gif")
anim.save_still("padding_strides_transposed.png")
print(anim.alt_text)

# %%
# The name: build the forward convolution as a matrix ``C`` (column ``j`` is
# the output for the ``j``-th unit input, from SciPy), and multiply the
# flattened input by its transpose.
x, w = case.inputs()["x"], case.inputs()["weight"]
s, p, k = case.params["stride"], case.params["padding"], w.shape[-1]
o_prime = ce.conv_transpose_output_size(x.shape[0], k, stride=s, padding=p)
units = np.eye(o_prime * o_prime, dtype=w.dtype).reshape(-1, o_prime, o_prime)
columns = [
    scipy.signal.correlate2d(np.pad(u, p), w[0, 0], "valid")[::s, ::s].ravel() for u in units
]
C = np.stack(columns, axis=1)
by_matrix = (C.T @ x.ravel()).reshape(o_prime, o_prime)

# %%
# And why "deconvolution" is the wrong word: ``C`` maps more numbers to fewer,
# so its rank is at most the smaller count and no matrix can give them back.
rank = np.linalg.matrix_rank(C.astype(float))
print(f"C is {C.shape[0]}×{C.shape[1]} with rank {rank}")

# %%
# The certificate compares the product with the transposed matrix, the
# package's scatter and direct form and the animation with a
# ``torch.nn.ConvTranspose2d``.
case.certify(anim, also={"the transposed matrix of the forward convolution": by_matrix})
