r"""
Padding and strides, odd, transposed
====================================

The transpose of a 3×3 convolution with padding 1 and stride 2 over a 6×6
input. That convolution gives 3×3, and so does a 5×5 input, so a 3×3
input alone does not say which size to give back. ``output_padding``
(:math:`a`) settles it: it puts :math:`a` more rows and columns of zeros
at the bottom and right of the direct form. Relationship 14 of Dumoulin and
Visin, :math:`o' = s(i' - 1) + a + k - 2p`.
"""

# sphinx_gallery_thumbnail_number = 1
import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case and its animation.
case = catalog.get("padding_strides_odd_transposed")
anim = case.animate()
anim.save_gif("padding_strides_odd_transposed.gif")
anim.save_still("padding_strides_odd_transposed.png")
print(anim.alt_text)

# %%
# Two forward inputs give the same output size; ``output_padding`` is what
# tells the transpose which one to give back.
x, w = case.inputs()["x"], case.inputs()["weight"]
s, p, a = (case.params[name] for name in ("stride", "padding", "output_padding"))
i_prime, k = x.shape[0], w.shape[-1]
for i in (ce.conv_transpose_output_size(i_prime, k, stride=s, padding=p) + n for n in (0, 1)):
    print(
        f"forward input {i}: output {ce.conv_output_size(i, k, stride=s, padding=p)}, "
        f"output_padding {ce.conv_transpose_output_padding(i, i_prime, k, stride=s, padding=p)}"
    )

# %%
# Without it the output is one row and column shorter, and equal to the
# first rows and columns: the extra padding only adds at the end.
shorter = ce.conv_transpose(x, w[0, 0], stride=s, padding=p)
print(shorter.shape, anim.values.shape)
print((shorter == anim.values[0, : shorter.shape[0], : shorter.shape[1]]).all())

# %%
# The certificate: the package's scatter and direct form and the animation
# against a ``torch.nn.ConvTranspose2d`` with ``output_padding``.
case.certify(anim)
