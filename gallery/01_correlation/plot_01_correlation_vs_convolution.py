r"""
Correlation versus convolution
==============================

The same 5×5 image and 3×3 kernel (0 to 8), applied as a cross-correlation
(left: the kernel as it is, which is what ``torch.nn.functional.conv2d``
computes) and as a true convolution (right: the kernel flipped top to bottom
and left to right, which is what ``scipy.signal.convolve2d`` computes). Under
each kernel position, the animation writes the products that are summed into
the output cell.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import render

# %%
# The example of the post *Convolutional Neural Networks don't actually
# perform convolution*: MXNet printed 60 56 52 / 39 61 66 / 54 78 82, and so
# does PyTorch.
image = np.array(
    [
        [1, 2, 2, 1, 0],
        [3, 3, 3, 3, 0],
        [3, 0, 0, 2, 2],
        [0, 3, 0, 3, 3],
        [2, 2, 2, 3, 2],
    ]
)
kernel = np.arange(9).reshape(3, 3)

correlation = ce.correlate(image[None], kernel[None, None])[0]
convolution = ce.convolve(image[None], kernel[None, None])[0]
torch_answer = F.conv2d(torch.tensor(image[None, None]), torch.tensor(kernel[None, None]))

np.testing.assert_array_equal(correlation, [[60, 56, 52], [39, 61, 66], [54, 78, 82]])
np.testing.assert_array_equal(correlation, torch_answer[0, 0])
np.testing.assert_array_equal(convolution, scipy.signal.convolve2d(image, kernel, "valid"))
print("correlation:\n", correlation, "\nconvolution:\n", convolution)

# %%
# Both animations side by side. The renderer checks every number it draws
# against PyTorch before it writes a file.
left = render.animate("correlate", image, kernel, mac=True)
right = render.animate("convolve", image, kernel, mac=True)
both = render.compare(left, right, titles=("correlation (conv2d)", "convolution"))
assert both.verification["passed"]
np.testing.assert_array_equal(left.values[0], correlation)
np.testing.assert_array_equal(right.values[0], convolution)

both.save_gif("correlation_vs_convolution.gif")
both.save_still("correlation_vs_convolution.png")
