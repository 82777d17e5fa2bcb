r"""
Padding modes: reflect, replicate, circular
===========================================

Zeros are not the only thing padding can hold. ``torch.nn.Conv2d`` also takes
``padding_mode="reflect"`` (mirror the input about its edge cells, without
repeating them), ``"replicate"`` (repeat the edge cells) and ``"circular"``
(wrap around to the opposite edge, which is what a convolution computed with
the FFT does on its own). The three animations below use the same 4×4 input
and 3×3 kernel; only the padding cells and the border outputs differ.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog

# %%
# The three catalog cases share their seed, so their inputs are the same.
cases = {
    "reflect": catalog.get("reflect_padding"),
    "replicate": catalog.get("replicate_padding"),
    "circular": catalog.get("circular_padding"),
}
arrays = cases["reflect"].inputs()
x, w = arrays["x"], arrays["weight"]
for case in cases.values():
    other = case.inputs()
    np.testing.assert_array_equal(other["x"], x)
    np.testing.assert_array_equal(other["weight"], w)
p = cases["reflect"].params["padding"]
i, k = x.shape[0], w.shape[0]
o = ce.conv_output_size(i, k, padding=p)
assert o == (i + 2 * p - k) + 1 == i == 4
print("input:\n", x, "\nkernel:\n", w, f"\npadding {p}: output {o}×{o} in every mode")

# %%
# NumPy names the same paddings ``reflect``, ``edge`` and ``wrap``. Each
# expected output is SciPy's correlation over the input padded by NumPy, and
# ``torch.nn.Conv2d`` with that ``padding_mode`` (float64, no bias).
numpy_mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}
anims, paddeds = {}, {}
for mode, case in cases.items():
    assert case.params["padding_mode"] == mode
    anim = case.animate()
    padded = np.pad(x, p, mode=numpy_mode[mode])
    expected = scipy.signal.correlate2d(padded, w, mode="valid")
    layer = torch.nn.Conv2d(1, 1, k, padding=p, padding_mode=mode, bias=False, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(w, dtype=torch.float64)[None, None])
        torch_out = layer(torch.tensor(x, dtype=torch.float64)[None, None])[0].numpy()
    np.testing.assert_array_equal(anim.values[0], expected)
    np.testing.assert_array_equal(anim.values, torch_out)
    assert anim.values.shape == (1, o, o)
    assert anim.verification["passed"]
    anims[mode], paddeds[mode] = anim, padded
    print(f"{mode}: padded input\n{padded}\noutput\n{anim.values[0]}")

# %%
# Circular padding is the FFT's own boundary rule: the product of the
# spectra, one of them conjugated, gives the correlation of the input with
# the kernel wrapped around the edges (rolled so the kernel centre is at the
# output cell).
kernel_grid = np.zeros_like(x, dtype=float)
kernel_grid[:k, :k] = w
wrapped = np.real(np.fft.ifft2(np.fft.fft2(x) * np.conj(np.fft.fft2(kernel_grid))))
np.testing.assert_allclose(
    anims["circular"].values[0], np.roll(wrapped, p, axis=(0, 1)), atol=1e-9
)

# %%
# Only the border outputs read padding, so the inner outputs agree in every
# mode, and with zero padding too.
zeros = scipy.signal.correlate2d(np.pad(x, p), w, mode="valid")
for anim in anims.values():
    np.testing.assert_array_equal(anim.values[0, p:-p, p:-p], zeros[p:-p, p:-p])
values = {mode: anim.values[0] for mode, anim in anims.items()}
assert not np.array_equal(values["reflect"], values["replicate"])
assert not np.array_equal(values["replicate"], values["circular"])

# %%
# Reflect padding: the row above the input is a copy of its second row.
np.testing.assert_array_equal(paddeds["reflect"][0, p:-p], x[1])
print(anims["reflect"].alt_text)
anims["reflect"].save_gif("reflect_padding.gif")
anims["reflect"].save_still("reflect_padding.png")

# %%
# Replicate padding: the edge rows and columns are repeated outwards.
np.testing.assert_array_equal(paddeds["replicate"][0, p:-p], x[0])
print(anims["replicate"].alt_text)
anims["replicate"].save_gif("replicate_padding.gif")
anims["replicate"].save_still("replicate_padding.png")

# %%
# Circular padding: the row above the input is its last row.
np.testing.assert_array_equal(paddeds["circular"][0, p:-p], x[-1])
print(anims["circular"].alt_text)
anims["circular"].save_gif("circular_padding.gif")
anims["circular"].save_still("circular_padding.png")
