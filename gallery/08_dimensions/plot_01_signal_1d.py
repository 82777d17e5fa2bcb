r"""
A 1-D signal
============

In one dimension the kernel is a short row of taps sliding along a sequence:
audio samples, sensor readings, characters of text. Here a 3-tap kernel moves
along a signal with one zero of padding at each end, so that the output keeps
the length of the input. This is ``conv1d``, and the sizes follow the same
formula as in 2-D, along the single axis.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case and its animation.
case = catalog.get("signal_1d")
anim = case.animate()
anim.save_gif("signal_1d.gif")
anim.save_still("signal_1d.png")
print(anim.alt_text)

# %%
# A plain signal and a plain kernel; padding 1 keeps the length.
x, w = case.inputs()["x"], case.inputs()["weight"]
p = case.params["padding"]
print("signal:", x, " kernel:", w)
print(f"length {x.size} -> {ce.conv_output_size(x.size, w.size, padding=p)}")

# %%
# NumPy twice: ``np.correlate`` of the padded signal, and ``np.convolve``
# with the kernel reversed (NumPy's convolution flips it back).
padded = np.pad(x, p)
by_correlate = np.correlate(padded, w, mode="valid")
by_convolve = np.convolve(padded, w[::-1], mode="valid")

# %%
# The certificate compares both, the package's ``correlate`` and the
# animation with ``torch.nn.Conv1d``.
case.certify(
    anim, also={"np.correlate": by_correlate, "np.convolve, kernel reversed": by_convolve}
)
