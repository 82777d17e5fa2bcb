r"""
Depthwise separable: depthwise, then pointwise
==============================================

MobileNet's layer replaces one full 3×3 convolution by two cheap ones: a
depthwise 3×3 convolution (one 1×3×3 filter per channel, no mixing) and a
pointwise 1×1 convolution (mixing channels at each pixel, no neighbourhood).
The two animations show the two steps; the counts below put their
parameters and multiply-adds next to the full convolution of the same
shapes.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

import conv_explained as ce
from conv_explained.render.tensor import tensor_view

# %%
# Step 1, depthwise: ``groups = C_in = 3``, padding 1 keeps 4×4.
rng = np.random.default_rng(62)
c_in, c_out, k, size = 3, 2, 3, 4
x = rng.integers(0, 4, (c_in, size, size))
w_dw = rng.integers(-1, 2, (c_in, 1, k, k))
w_pw = rng.integers(-1, 2, (c_out, c_in, 1, 1))
depthwise = tensor_view("correlate", x, w_dw, groups=c_in, padding=1)
x64 = torch.tensor(x[None], dtype=torch.float64)
dw64 = F.conv2d(x64, torch.tensor(w_dw, dtype=torch.float64), groups=c_in, padding=1)
np.testing.assert_array_equal(depthwise.values, dw64[0].numpy())
assert depthwise.verification["passed"]
print(depthwise.alt_text)
depthwise.save_gif("tensor_depthwise_separable_1.gif")
depthwise.save_still("tensor_depthwise_separable_1.png", frame=0)

# %%
# Step 2, pointwise: a 1×1 convolution of the depthwise output, 3 → 2
# channels.
pointwise = tensor_view("correlate", depthwise.values, w_pw)
pw64 = F.conv2d(dw64, torch.tensor(w_pw, dtype=torch.float64))
np.testing.assert_array_equal(pointwise.values, pw64[0].numpy())
assert pointwise.verification["passed"]
print(pointwise.alt_text)
pointwise.save_gif("tensor_depthwise_separable_2.gif")
pointwise.save_still("tensor_depthwise_separable_2.png", frame=0)

# %%
# Counting. The output size comes from :func:`conv_explained.conv_output_size`;
# a layer's parameters are ``C_out · C_in/groups · k²`` and its multiply-adds
# that times the number of output pixels. Both are checked independently:
# parameters against ``torch.nn.Conv2d``, multiply-adds by running the layer
# on ones with all-one weights and circular padding (every tap then adds 1,
# so the outputs sum to the number of multiply-adds).


def counts(c_i, c_o, kernel, groups, padding, hw):
    out = ce.conv_output_size(hw, kernel, padding=padding)
    params = c_o * (c_i // groups) * kernel * kernel
    return params, params * out[0] * out[1]


def torch_counts(c_i, c_o, kernel, groups, padding, hw):
    conv = torch.nn.Conv2d(
        c_i, c_o, kernel, groups=groups, padding=padding, bias=False, padding_mode="circular"
    ).double()
    with torch.no_grad():
        conv.weight.fill_(1.0)
        taps = conv(torch.ones((1, c_i, *hw), dtype=torch.float64)).sum().item()
    return conv.weight.numel(), round(taps)


def compare(c_i, c_o, kernel, hw):
    full = counts(c_i, c_o, kernel, 1, kernel // 2, hw)
    dw = counts(c_i, c_i, kernel, c_i, kernel // 2, hw)
    pw = counts(c_i, c_o, 1, 1, 0, hw)
    assert full == torch_counts(c_i, c_o, kernel, 1, kernel // 2, hw)
    assert dw == torch_counts(c_i, c_i, kernel, c_i, kernel // 2, hw)
    assert pw == torch_counts(c_i, c_o, 1, 1, 0, hw)
    separable = (dw[0] + pw[0], dw[1] + pw[1])
    # The textbook ratio 1/C_out + 1/k², exactly.
    assert separable[1] * c_o * kernel**2 == full[1] * (kernel**2 + c_o)
    return full, separable


for c_i, c_o, kernel, hw in [(c_in, c_out, k, (size, size)), (64, 128, 3, (56, 56))]:
    full, separable = compare(c_i, c_o, kernel, hw)
    print(
        f"{c_i}→{c_o} channels, {kernel}×{kernel}, {hw[0]}×{hw[1]}: "
        f"full conv {full[0]:,} parameters, {full[1]:,} multiply-adds; "
        f"depthwise separable {separable[0]:,} parameters, {separable[1]:,} multiply-adds "
        f"({separable[1] / full[1]:.1%})"
    )
full, separable = compare(c_in, c_out, k, (size, size))
assert full == (54, 864)
assert separable == (33, 528)
