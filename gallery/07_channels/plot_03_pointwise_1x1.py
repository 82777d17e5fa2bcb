r"""
1×1 convolution
===============

A 1×1 kernel sees one position at a time, so it captures nothing spatial; what
it does is mix the channels. At every position the vector of input channels
is multiplied by the same small matrix, ``C_out × C_in``, turning three maps
into two of the same size. Networks use it to change the number of feature
maps cheaply.
"""

# sphinx_gallery_thumbnail_number = 1
from conv_explained import catalog

# %%
# The catalog case and its animation.
case = catalog.get("pointwise_1x1")
anim = case.animate()
anim.save_gif("pointwise_1x1.gif")
anim.save_still("pointwise_1x1.png")
print(anim.alt_text)

# %%
# The channel matrix, and the input as a matrix with one column per position.
x, w = case.inputs()["x"], case.inputs()["weight"]
matrix, columns = w[:, :, 0, 0], x.reshape(x.shape[0], -1)
print(f"channel matrix {matrix.shape}:\n{matrix}\ninput as columns {columns.shape}")

# %%
# Their product is the output; the certificate compares it, the package's
# ``correlate`` and the animation with ``torch.nn.Conv2d``.
as_matrix = (matrix @ columns).reshape(w.shape[0], *x.shape[1:])
case.certify(anim, also={"the matrix product": as_matrix})
