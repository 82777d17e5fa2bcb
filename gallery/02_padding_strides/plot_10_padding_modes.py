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

from conv_explained import catalog, verify

# %%
# Reflect padding: the row above the input is a copy of its second row.
reflect = catalog.get("reflect_padding")
anims = {"reflect": reflect.animate()}
anims["reflect"].save_gif("reflect_padding.gif")
anims["reflect"].save_still("reflect_padding.png")
print(anims["reflect"].alt_text)

# %%
# Replicate padding: the edge rows and columns are repeated outwards.
replicate = catalog.get("replicate_padding")
anims["replicate"] = replicate.animate()
anims["replicate"].save_gif("replicate_padding.gif")
anims["replicate"].save_still("replicate_padding.png")
print(anims["replicate"].alt_text)

# %%
# Circular padding: the row above the input is its last row.
circular = catalog.get("circular_padding")
anims["circular"] = circular.animate()
anims["circular"].save_gif("circular_padding.gif")
anims["circular"].save_still("circular_padding.png")
print(anims["circular"].alt_text)

# %%
# The three cases share their seed, so their inputs are the same. NumPy names
# the same paddings ``reflect``, ``edge`` and ``wrap``.
x, w = reflect.inputs()["x"], reflect.inputs()["weight"]
p, k = reflect.params["padding"], w.shape[0]
numpy_mode = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}
padded = {mode: np.pad(x, p, mode=numpy_mode[mode]) for mode in anims}
for mode in anims:
    print(f"{mode}: padded input\n{padded[mode]}\noutput\n{anims[mode].values[0]}")

# %%
# Circular padding is the FFT's own boundary rule: the product of the
# spectra, one of them conjugated, gives the correlation of the input with
# the kernel wrapped around the edges (rolled so the kernel centre is at the
# output cell).
kernel_grid = np.zeros_like(x, dtype=float)
kernel_grid[:k, :k] = w
wrapped = np.real(np.fft.ifft2(np.fft.fft2(x) * np.conj(np.fft.fft2(kernel_grid))))
by_fft = np.round(np.roll(wrapped, p, axis=(0, 1)), 9)

# %%
# Only the border outputs read padding, so the inner outputs agree in every
# mode, and with zero padding too.
zeros = scipy.signal.correlate2d(np.pad(x, p), w, mode="valid")
print("inner outputs, zero padding:\n", zeros[p:-p, p:-p])
verify.combine(
    "the inner outputs",
    [
        verify.compare(
            anims[mode].values[0][p:-p, p:-p],
            zeros[p:-p, p:-p],
            what=f"the inner outputs, {mode} padding",
            got_by="the animation",
            expected_by="scipy.signal.correlate2d, zero padding",
        )
        for mode in anims
    ],
)

# %%
# One certificate for the three modes: each case's ``correlate``, animation
# and SciPy over the NumPy padding against ``torch.nn.Conv2d`` with that
# ``padding_mode``, and the FFT against the circular one.
verify.combine(
    "the three padding modes",
    [
        case.certify(
            anims[mode],
            also={
                "scipy.signal.correlate2d on np.pad": scipy.signal.correlate2d(
                    padded[mode], w, mode="valid"
                ),
                **({"numpy.fft": by_fft} if mode == "circular" else {}),
            },
        )
        for mode, case in [("reflect", reflect), ("replicate", replicate), ("circular", circular)]
    ],
)
