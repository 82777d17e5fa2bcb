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
import torch

import conv_explained as ce
from conv_explained import catalog, verify

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
best = np.linalg.pinv(C.astype(float)) @ C  # the closest any matrix gets to undoing C
verify.check_rule(
    "no matrix undoes the strided convolution",
    ["C"],
    rule=lambda _: (True, False),
    rule_by="the lesson (fewer outputs than inputs; no left inverse)",
    truth=lambda _: (rank < C.shape[1], bool(np.allclose(best, np.eye(C.shape[1])))),
    truth_by="numpy.linalg (matrix_rank, pinv)",
    grid="this layer",
)

# %%
# The certificate compares the product with the transposed matrix, the
# package's scatter and direct form and the animation with a
# ``torch.nn.ConvTranspose2d``.
case.certify(anim, also={"the transposed matrix of the forward convolution": by_matrix})

# %%
# Relationship 13 on a grid of sizes, against PyTorch's output size.


def torch_size(i, k, **options):
    """The output length of ``torch.nn.functional.conv_transpose1d`` on ``i`` cells."""
    x, w = torch.zeros(1, 1, i), torch.zeros(1, 1, k)
    return torch.nn.functional.conv_transpose1d(x, w, **options).shape[-1]


sizes = [
    (n, kk, ss, pp)
    for n in range(1, 9)
    for kk in range(1, 6)
    for ss in range(1, 4)
    for pp in range(kk)
    if ss * (n - 1) + kk - 2 * pp >= 1
]
verify.check_rule(
    "relationship 13, o' = s(i' - 1) + k - 2p",
    sizes,
    rule=lambda c: c[2] * (c[0] - 1) + c[1] - 2 * c[3],
    rule_by="relationship 13",
    truth=lambda c: torch_size(c[0], c[1], stride=c[2], padding=c[3]),
    truth_by="torch.nn.functional.conv_transpose1d",
    grid="i' <= 8, k <= 5, s <= 3, p < k",
)
