r"""
A 3-D volume, slice by slice
============================

A CT scan or a video clip is a volume, and its kernel is a small block. Here a
2×2×2 kernel moves through a 3×4×4 volume, drawn as depth slices side by side:
at each position it covers two neighbouring slices, and its products add
into one cell of the output. The size formula applies along each of the
three axes.
"""

# sphinx_gallery_thumbnail_number = 1
import scipy.signal
import torch

import conv_explained as ce
from conv_explained import catalog, verify

# %%
# The catalog case and its animation.
case = catalog.get("volume_3d")
anim = case.animate()
anim.save_gif("volume_3d.gif")
anim.save_still("volume_3d.png")
print(anim.alt_text)

# %%
# A one-channel volume ``(1, D, H, W)`` and a weight ``(1, 1, kD, kH, kW)``;
# the shape function takes tuples, one size per axis.
x, w = case.inputs()["x"], case.inputs()["weight"]
volume, kernel = x[0], w[0, 0]
print(
    f"volume {volume.shape}, kernel {kernel.shape}: output "
    f"{ce.conv_output_size(volume.shape, kernel.shape)}"
)

# %%
# SciPy's N-dimensional ``correlate``; and each output slice reads two
# neighbouring input slices, so the first output slice is the sum of 2-D
# correlations, one per kernel slice.
by_scipy = scipy.signal.correlate(volume, kernel, "valid")
first = sum(
    scipy.signal.correlate2d(volume[d], kernel[d], "valid") for d in range(kernel.shape[0])
)
print(first)
verify.compare(
    first,
    torch.nn.functional.conv3d(
        torch.tensor(x[None], dtype=torch.float64), torch.tensor(w, dtype=torch.float64)
    )[0, 0, 0].numpy(),
    what="the first output slice, as 2-D correlations summed",
    got_by="scipy.signal.correlate2d, one per kernel slice",
    expected_by="torch.nn.functional.conv3d",
)

# %%
# The certificate compares SciPy, the package's ``correlate`` and the
# animation with ``torch.nn.Conv3d``.
case.certify(anim, also={"scipy.signal.correlate": by_scipy[None]})
