r"""
Correlation versus convolution
==============================

The same 5×5 image and 3×3 kernel (the taps numbered from zero in reading
order), applied as a cross-correlation (left: the kernel as it is, which is
what ``torch.nn.functional.conv2d`` computes) and as a true convolution
(right: the kernel flipped top to bottom and left to right, which is what
``scipy.signal.convolve2d`` computes). Under each kernel position, the
animation writes the products that are summed into the output cell.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal

import conv_explained as ce
from conv_explained import catalog

# %%
# Both animations side by side: the catalog case of the image and kernel of
# the post *Convolutional Neural Networks don't actually perform
# convolution*. Below the animation is the text a screen reader gets instead.
case = catalog.get("correlation_vs_convolution")
both = case.animate()
both.save_gif("correlation_vs_convolution.gif")
both.save_still("correlation_vs_convolution.png")
print(both.alt_text)

# %%
# A plain image and a plain kernel go into the package as they are.
image, kernel = case.inputs()["x"], case.inputs()["weight"]
correlation = ce.correlate(image, kernel)
convolution = ce.convolve(image, kernel)
print("correlation:\n", correlation, "\nconvolution:\n", convolution)

# %%
# A convolution is the correlation with the flipped kernel, which is what
# SciPy's ``convolve2d`` returns. The post's MXNet printout is the correlation.
print("flipped kernel:\n", ce.flip(kernel))
by_scipy = scipy.signal.convolve2d(image, kernel, mode="valid")
mxnet_printout = np.array([[60, 56, 52], [39, 61, 66], [54, 78, 82]])

# %%
# The certificate compares the package, both animations, SciPy's convolution
# and the post's printout with ``torch.nn.Conv2d`` (the convolution with the
# kernel flipped by ``torch.flip``).
case.certify(
    both,
    also=[
        {"the MXNet post's printout": mxnet_printout},
        {"scipy.signal.convolve2d": by_scipy},
    ],
)
