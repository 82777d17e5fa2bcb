r"""
Global max and average pooling
==============================

Local pooling shrinks a feature map; global pooling reduces each map to a
single number, its maximum or its mean. A stack of maps becomes a vector with
one entry per channel, whatever the spatial size, which is how many networks
hand their last feature maps to a fully connected classifier.
"""

# sphinx_gallery_thumbnail_number = 1
from conv_explained import catalog

# %%
# Global max pooling; the animation takes one channel per step, and its text
# alternative follows.
max_case = catalog.get("global_max_pool")
max_anim = max_case.animate()
max_anim.save_gif("global_max_pool.gif")
max_anim.save_still("global_max_pool.png")
print(max_anim.alt_text)

# %%
# NumPy's maximum over the spatial axes: one value per channel, kept by the
# layer as a 1×1 map.
x_max = max_case.inputs()["x"]
by_numpy = x_max.max(axis=(1, 2))
print(f"{x_max.shape[0]} maps of {x_max.shape[1]}×{x_max.shape[2]}: maxima {by_numpy}")

# %%
# The certificate compares it, the package's ``global_max_pool`` and the
# animation with ``torch.nn.AdaptiveMaxPool2d``.
max_case.certify(max_anim, also={"numpy max over the spatial axes": by_numpy[:, None, None]})

# %%
# Global average pooling: the same with the mean.
avg_case = catalog.get("global_avg_pool")
avg_anim = avg_case.animate()
avg_anim.save_gif("global_avg_pool.gif")
avg_anim.save_still("global_avg_pool.png")
print(avg_anim.alt_text)

# %%
# NumPy's mean over the spatial axes, and its certificate against
# ``torch.nn.AdaptiveAvgPool2d``.
by_mean = avg_case.inputs()["x"].mean(axis=(1, 2))
print("global means:", by_mean)
avg_case.certify(avg_anim, also={"numpy mean over the spatial axes": by_mean[:, None, None]})
