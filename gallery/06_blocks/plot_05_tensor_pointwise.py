r"""
A 1×1 convolution is a matrix product across channels
=====================================================

A pointwise filter is a :math:`C_{in}`×1×1 block: at each pixel it takes
the channel values under it, multiplies them by its weights and adds. The
filters together make the ``C_out × C_in`` matrix that maps every pixel's
channel vector to its output vector.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np

from conv_explained import catalog

# %%
# The catalog case in the tensor view.
case = catalog.get("tensor_pointwise")
anim = case.animate()
anim.save_gif("tensor_pointwise.gif")
anim.save_still("tensor_pointwise.png", frame=0)
print(anim.alt_text)
print(anim.scenes[0].caption)

# %%
# The same numbers as a matrix product: the ``C_out × C_in`` weight matrix
# times every pixel's channel vector.
x, w = case.inputs()["x"], case.inputs()["weight"]
matrix = w[:, :, 0, 0]
by_matrix = np.einsum("oc,chw->ohw", matrix, x)
print("weight matrix:\n", matrix)

# %%
# The certificate compares the matrix product, the package's ``correlate``
# and the animation with ``torch.nn.Conv2d``.
case.certify(anim, also={"the weight matrix times each pixel": by_matrix})
