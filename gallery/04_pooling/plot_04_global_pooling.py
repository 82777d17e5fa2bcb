r"""
Global max and average pooling
==============================

Local pooling shrinks a feature map; global pooling reduces each map to a
single number, its maximum or its mean. A stack of maps becomes a vector with
one entry per channel, whatever the spatial size, which is how many networks
hand their last feature maps to a fully connected classifier. Here three 3×3
maps become three numbers.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np
import torch
import torch.nn.functional as F

from conv_explained import catalog

# %%
# The two catalog cases, each three 3×3 feature maps.
max_case = catalog.get("global_max_pool")
avg_case = catalog.get("global_avg_pool")
x_max = max_case.inputs()["x"]
x_avg = avg_case.inputs()["x"]
assert x_max.shape == x_avg.shape == (3, 3, 3)
print("maps for the maximum:\n", x_max)

# %%
# Global max pooling: NumPy's maximum over the spatial axes, PyTorch's
# ``adaptive_max_pool2d`` down to 1×1 and ``max_pool2d`` with a window as
# large as the map. One value per channel, kept as a 1×1 map.
max_anim = max_case.animate()
t = torch.tensor(x_max, dtype=torch.float64)[None]
np.testing.assert_array_equal(max_anim.values[:, 0, 0], x_max.max(axis=(1, 2)))
np.testing.assert_array_equal(max_anim.values, F.adaptive_max_pool2d(t, 1)[0].numpy())
np.testing.assert_array_equal(max_anim.values, F.max_pool2d(t, x_max.shape[1:])[0].numpy())
assert max_anim.values.shape == (3, 1, 1)
assert max_anim.verification["passed"]
print("global maxima:", max_anim.values.ravel())

# %%
# The animation takes one channel per step; its text alternative follows.
print(max_anim.alt_text)
max_anim.save_gif("global_max_pool.gif")
max_anim.save_still("global_max_pool.png")

# %%
# Global average pooling: NumPy's mean, ``adaptive_avg_pool2d`` and the mean
# over the spatial axes in PyTorch. Means of nine integers are not exact in
# binary, so the comparison allows rounding in the last bits.
avg_anim = avg_case.animate()
t = torch.tensor(x_avg, dtype=torch.float64)[None]
expected = x_avg.mean(axis=(1, 2))
np.testing.assert_allclose(avg_anim.values[:, 0, 0], expected, rtol=1e-14)
np.testing.assert_allclose(avg_anim.values, F.adaptive_avg_pool2d(t, 1)[0].numpy(), rtol=1e-14)
np.testing.assert_allclose(avg_anim.values[:, 0, 0], t[0].mean(dim=(1, 2)).numpy(), rtol=1e-14)
assert avg_anim.values.shape == (3, 1, 1)
assert avg_anim.verification["passed"]
print("maps:\n", x_avg, "\nglobal means:", avg_anim.values.ravel())

# %%
# The animation and its text alternative.
print(avg_anim.alt_text)
avg_anim.save_gif("global_avg_pool.gif")
avg_anim.save_still("global_avg_pool.png")
