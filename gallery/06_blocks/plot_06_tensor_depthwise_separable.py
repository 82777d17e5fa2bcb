r"""
Depthwise separable: depthwise, then pointwise
==============================================

MobileNet's layer replaces one full 3×3 convolution by two cheap ones: a
depthwise 3×3 convolution (one 1×3×3 filter per channel, no mixing) and a
pointwise 1×1 convolution (mixing channels at each pixel, no neighbourhood).
The animation shows the two steps side by side, frame by frame; the counts
below put their parameters and multiply-adds next to the full convolution of
the same shapes.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case draws two layers: the depthwise one on the left
# (``groups = C_in = 3``, 3×4×4 → 3×2×2), the pointwise one on the right, fed
# with the depthwise output (3×2×2 → 3×2×2).
case = catalog.get("tensor_depthwise_separable")
arrays = case.inputs()
x, w_dw, w_pw = arrays["x"], arrays["weight"], arrays["weight2"]
anim = case.animate()
depthwise, pointwise = anim.parts
x64 = torch.tensor(x[None], dtype=torch.float64)
dw64 = F.conv2d(x64, torch.tensor(w_dw, dtype=torch.float64), groups=3)
pw64 = F.conv2d(dw64, torch.tensor(w_pw, dtype=torch.float64))
np.testing.assert_array_equal(depthwise.values, dw64[0].numpy())
np.testing.assert_array_equal(pointwise.values, pw64[0].numpy())
assert anim.verification["passed"]
print(anim.alt_text)
anim.save_gif("tensor_depthwise_separable.gif")
anim.save_still("tensor_depthwise_separable.png", frame=0)

# %%
# Counting. :func:`conv_explained.catalog.layer_counts` takes the output size
# from :func:`conv_explained.conv_output_size`; a layer's parameters are
# ``C_out · C_in/groups · k²`` and its multiply-adds that times the number of
# output pixels. Both are checked independently here: parameters against
# ``torch.nn.Conv2d``, multiply-adds by running the layer on ones with
# all-one weights (every tap then adds 1, so the outputs sum to the number of
# multiply-adds).


def torch_counts(c_i, c_o, kernel, groups, padding, size):
    conv = torch.nn.Conv2d(
        c_i, c_o, kernel, groups=groups, padding=padding, bias=False, padding_mode="circular"
    ).double()
    with torch.no_grad():
        conv.weight.fill_(1.0)
        taps = conv(torch.ones((1, c_i, size, size), dtype=torch.float64)).sum().item()
    return conv.weight.numel(), round(taps)


def compare(c_i, c_o, kernel, size, padding):
    counts = ce.catalog.layer_counts
    inner = ce.conv_output_size(size, kernel, padding=padding)
    full = counts(c_i, c_o, kernel, size, padding=padding)
    dw = counts(c_i, c_i, kernel, size, groups=c_i, padding=padding)
    pw = counts(c_i, c_o, 1, inner)
    assert full == torch_counts(c_i, c_o, kernel, 1, padding, size)
    assert dw == torch_counts(c_i, c_i, kernel, c_i, padding, size)
    assert pw == torch_counts(c_i, c_o, 1, 1, 0, inner)
    separable = (dw[0] + pw[0], dw[1] + pw[1])
    # The textbook ratio of multiply-adds, 1/C_out + 1/k², exactly.
    assert separable[1] * c_o * kernel**2 == full[1] * (kernel**2 + c_o)
    return full, separable


for c_i, c_o, kernel, size, padding in [(3, 3, 3, 4, 0), (64, 128, 3, 56, 1)]:
    full, separable = compare(c_i, c_o, kernel, size, padding)
    print(
        f"{c_i}→{c_o} channels, {kernel}×{kernel}, {size}×{size}: "
        f"full conv {full[0]:,} parameters, {full[1]:,} multiply-adds; "
        f"depthwise separable {separable[0]:,} parameters, {separable[1]:,} multiply-adds "
        f"({separable[1] / full[1]:.1%})"
    )

# %%
# The case's description states the counts of the animated layers; they are
# the ones just checked.
full, separable = compare(3, 3, 3, 4, 0)
assert (full, separable) == ((81, 324), (36, 144))
assert f"Together {separable[0]} parameters and {separable[1]} multiply-adds" in case.description
assert f"against {full[0]} parameters and {full[1]} multiply-adds" in case.description
print(case.description)
