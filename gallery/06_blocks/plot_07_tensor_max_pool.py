r"""
Pooling acts on each channel on its own
=======================================

Max pooling has no filter block spanning channels: its 2×2 window moves
through one channel at a time and writes the same channel of the output.
The output has as many channels as the input, each the maximum of its own
windows.
"""

# sphinx_gallery_thumbnail_number = 1
import numpy as np

import conv_explained as ce
from conv_explained import catalog

# %%
# The catalog case; each caption lists the values of one channel's window.
case = catalog.get("tensor_max_pool")
anim = case.animate()
frame = anim.values[0].size + 1  # a frame in the second channel
anim.save_gif("tensor_max_pool.gif")
anim.save_still("tensor_max_pool.png", frame=frame)
print(anim.alt_text)
print(anim.scenes[frame].caption)

# %%
# Pooling each channel alone, as a plain image with a tuple window, gives
# the same block.
x, k = case.inputs()["x"], case.params["kernel_size"]
one_by_one = np.stack([ce.max_pool(x[c], (k, k)) for c in range(x.shape[0])])
print(f"input {x.shape} -> output {one_by_one.shape}")

# %%
# The certificate compares the channel-by-channel pooling, the package's
# ``max_pool`` and the animation with ``torch.nn.MaxPool2d``.
case.certify(anim, also={"one channel at a time": one_by_one})
