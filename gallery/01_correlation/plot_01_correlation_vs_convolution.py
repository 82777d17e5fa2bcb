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
from conv_explained import catalog

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
image64 = torch.tensor(image, dtype=torch.float64)[None, None]
kernel64 = torch.tensor(kernel, dtype=torch.float64)[None, None]
torch_answer = F.conv2d(image64, kernel64).numpy()

np.testing.assert_array_equal(correlation, [[60, 56, 52], [39, 61, 66], [54, 78, 82]])
np.testing.assert_array_equal(correlation, torch_answer[0, 0])
np.testing.assert_array_equal(convolution, scipy.signal.convolve2d(image, kernel, "valid"))
print("correlation:\n", correlation, "\nconvolution:\n", convolution)

# %%
# Both animations side by side: the catalog case of the same image and
# kernel. The renderer checks every number it draws against PyTorch before it
# writes a file; below the animation is the text a screen reader gets instead.
case = catalog.get("correlation_vs_convolution")
np.testing.assert_array_equal(case.inputs()["x"], image)
np.testing.assert_array_equal(case.inputs()["weight"], kernel)
both = case.animate()
assert both.verification["passed"]
np.testing.assert_array_equal(both.values, [correlation[None], convolution[None]])
print(both.alt_text)

both.save_gif("correlation_vs_convolution.gif")
both.save_still("correlation_vs_convolution.png")
