r"""
Global max and average pooling
==============================

Local pooling shrinks a feature map; global pooling reduces each map to a
single number, its maximum or its mean. A stack of maps becomes a vector with
one entry per channel, whatever the spatial size, which is how many networks
hand their last feature maps to a fully connected classifier.
"""

# sphinx_gallery_thumbnail_number = 1
from conv_explained import catalog, verify

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
# Global average pooling: the same with the mean.
avg_case = catalog.get("global_avg_pool")
avg_anim = avg_case.animate()
avg_anim.save_gif("global_avg_pool.gif")
avg_anim.save_still("global_avg_pool.png")
print(avg_anim.alt_text)

# %%
# NumPy's mean over the spatial axes.
by_mean = avg_case.inputs()["x"].mean(axis=(1, 2))
print("global means:", by_mean)

# %%
# One certificate for both: NumPy, the package's global pools and the
# animations against ``torch.nn.AdaptiveMaxPool2d`` and ``AdaptiveAvgPool2d``.
runs = [(max_case, max_anim, by_numpy), (avg_case, avg_anim, by_mean)]
verify.combine(
    "global max and average pooling",
    [
        case.certify(anim, also={"numpy over the spatial axes": by_numpy[:, None, None]})
        for case, anim, by_numpy in runs
    ],
)
